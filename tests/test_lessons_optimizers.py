"""Reusable pieces of the lesson "Optimizers"."""

from __future__ import annotations

import pytest
import torch
from dlcourse.data.digits import digits_split
from dlcourse.lessons.optimizers import decay_without_gradient, optimizer_path, rosenbrock
from dlcourse.training import train_mlp


def quadratic(w: torch.Tensor) -> torch.Tensor:
    return 0.5 * (w[..., 0] ** 2 + 10 * w[..., 1] ** 2)


def test_plain_sgd_path_equals_the_hand_computed_update():
    path = optimizer_path(quadratic, lambda p: torch.optim.SGD(p, lr=0.1), (1.0, 1.0), 3)
    expected = [(1.0, 1.0)]
    for _ in range(3):
        x, y = expected[-1]
        expected.append((x - 0.1 * x, y - 0.1 * 10 * y))  # gradient (x, 10 y)
    assert torch.allclose(path, torch.tensor(expected, dtype=torch.float64))


def test_adam_reaches_the_minimum_of_a_quadratic_and_rosenbrock_minimum_is_zero():
    path = optimizer_path(quadratic, lambda p: torch.optim.Adam(p, lr=0.05), (2.0, -1.0), 800)
    assert path[-1].abs().max() < 1e-2
    assert rosenbrock(torch.tensor([1.0, 1.0])) == 0


def test_adamw_decay_is_decoupled_and_adam_l2_is_normalised_away():
    adamw = decay_without_gradient(torch.optim.AdamW, 50, lr=0.01, weight_decay=0.1)
    assert adamw[-1] == pytest.approx((1 - 0.01 * 0.1) ** 50, rel=1e-6)
    small = decay_without_gradient(torch.optim.Adam, 50, lr=0.01, weight_decay=0.01)
    large = decay_without_gradient(torch.optim.Adam, 50, lr=0.01, weight_decay=0.1)
    assert small[-1] == pytest.approx(large[-1], abs=1e-4)  # lambda hardly matters in Adam
    assert small[1] == pytest.approx(1 - 0.01, abs=1e-4)  # a step of about lr


def test_train_mlp_is_reproducible_and_learns():
    split = digits_split(train_size=400)
    adam = lambda p: torch.optim.Adam(p, lr=3e-3)  # noqa: E731
    runs = [train_mlp(split, (64,), adam, epochs=3) for _ in range(2)]
    assert runs[0].val_loss == runs[1].val_loss
    assert runs[0].val_acc[-1] > 0.7
