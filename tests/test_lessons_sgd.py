"""Reusable pieces of the lesson "Stochastic gradient descent"."""

from __future__ import annotations

import math

import torch
from dlcourse.lessons.sgd import train_sgd, updates_per_epoch


def _line(n: int = 96):
    generator = torch.Generator().manual_seed(0)
    x = torch.randn(n, 2, generator=generator)
    y = x @ torch.tensor([1.5, -0.5]) + 0.3 + 0.05 * torch.randn(n, generator=generator)
    return x, y, x[:32], y[:32]


def test_updates_per_epoch_count_the_last_partial_batch():
    assert updates_per_epoch(331, 331) == 1
    assert updates_per_epoch(331, 32) == 11
    assert updates_per_epoch(331, 1) == 331


def test_each_epoch_makes_the_expected_number_of_updates():
    data = _line()
    for batch_size in (96, 10, 1):
        run = train_sgd(*data, batch_size=batch_size, lr=0.05, epochs=3)
        assert run.updates == 3 * updates_per_epoch(96, batch_size)
        assert len(run.epoch_loss) == len(run.val_loss) == 3


def test_sgd_recovers_a_line_and_is_reproducible():
    data = _line()
    first = train_sgd(*data, batch_size=8, lr=0.05, epochs=40, seed=1)
    second = train_sgd(*data, batch_size=8, lr=0.05, epochs=40, seed=1)
    assert first.epoch_loss == second.epoch_loss
    assert first.epoch_loss[-1] < 0.01 and not first.diverged


def test_too_large_a_rate_is_stopped_as_diverged_with_finite_numbers():
    run = train_sgd(*_line(), batch_size=96, lr=5.0, epochs=200)
    assert run.diverged and run.updates < 200
    assert all(math.isfinite(v) for v in run.update_loss + run.epoch_loss)
