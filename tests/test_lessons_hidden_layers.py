"""Reusable pieces of the lesson "Hidden layers and activations"."""

from __future__ import annotations

import torch
from dlcourse.lessons.hidden_layers import (
    XOR_CORNERS,
    XOR_LABELS,
    accuracy,
    binary_logit_loss,
    decision_grid,
    fit_classifier,
    sklearn_points,
    xor_points,
)
from dlcourse.models import mlp
from dlcourse.models.activations import activation_table, elementwise_derivative, softmax_first
from dlcourse.runtime import seed_all
from dlcourse.training import fit
from torch import nn


def test_xor_is_solved_with_a_hidden_layer_and_not_without():
    xor = xor_points(n_per_corner=20, seed=1)
    scores = {}
    for name, sizes, activation in (
        ("linear", (2, 1), "relu"),
        ("linear stack", (2, 8, 1), "identity"),
        ("hidden", (2, 8, 1), "relu"),
    ):
        seed_all(0)
        model = mlp(sizes, activation=activation)
        fit_classifier(model, xor.x_train, xor.y_train, epochs=400)
        scores[name] = accuracy(model, xor.x_val, xor.y_val)
    assert scores["linear"] <= 0.75 and scores["linear stack"] <= 0.75
    assert scores["hidden"] >= 0.95


def test_xor_corners_and_labels_form_the_truth_table():
    expected = (XOR_CORNERS[:, 0] != XOR_CORNERS[:, 1]).float()
    assert torch.equal(XOR_LABELS, expected)


def test_autograd_derivatives_match_closed_forms():
    z = torch.linspace(-4, 4, 81, dtype=torch.float64)
    table = activation_table(z)
    sig = torch.sigmoid(z)
    assert torch.allclose(table["sigmoid"][1], sig * (1 - sig))
    assert torch.allclose(table["tanh"][1], 1 - torch.tanh(z) ** 2)
    assert torch.equal(table["relu"][1], (z > 0).to(z.dtype))
    p = softmax_first(z)
    assert torch.allclose(table["softmax"][1], p * (1 - p))


def test_softmax_with_two_classes_is_the_sigmoid():
    z = torch.linspace(-3, 3, 13)
    assert torch.allclose(softmax_first(z, n_classes=2), torch.sigmoid(z), atol=1e-6)
    assert torch.allclose(elementwise_derivative(torch.square, z), 2 * z)


def test_toy_sets_and_grid_shapes():
    circles = sklearn_points("circles", n=100, seed=0)
    assert circles.x_train.shape == (50, 2) and set(circles.y_train.tolist()) == {0.0, 1.0}
    points, xx, yy = decision_grid(circles.x_train, steps=30)
    assert points.shape == (900, 2) and xx.shape == yy.shape == (30, 30)
    assert points[:, 0].min() < circles.x_train[:, 0].min()


def test_fit_on_one_batch_is_the_written_out_full_batch_loop():
    xor = xor_points(n_per_corner=10, seed=0)
    models, losses = [], []
    for _ in range(2):
        seed_all(0)
        models.append(mlp((2, 4, 1)))
    optimiser = torch.optim.Adam(models[0].parameters(), lr=0.03)
    for _ in range(25):  # what fit_classifier did before it called fit
        loss = binary_logit_loss(models[0](xor.x_train), xor.y_train)
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
        losses.append(loss.item())
    optimiser = torch.optim.Adam(models[1].parameters(), lr=0.03)
    fitted = fit(
        models[1], [(xor.x_train, xor.y_train)], optimiser, epochs=25, loss_fn=binary_logit_loss
    )
    assert fitted == losses  # one batch: the epoch loss is that step's loss, to the bit
    for a, b in zip(models[0].parameters(), models[1].parameters(), strict=True):
        assert torch.equal(a, b)


def test_fit_weights_batches_evaluates_in_eval_mode_and_stops_when_asked():
    generator = torch.Generator().manual_seed(0)
    x, y = torch.randn(10, 3, generator=generator), torch.tensor([0, 1] * 5)
    batches = [(x[:6], y[:6]), (x[6:], y[6:])]  # a batch of 6, then one of 4
    seed_all(0)
    model = nn.Sequential(nn.Linear(3, 8), nn.Dropout(0.5), nn.Linear(8, 2))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    evaluated, steps = [], []

    def evaluate() -> None:
        evaluated.append((model.training, torch.is_grad_enabled()))

    def on_step(loss: float) -> bool:
        steps.append(loss)
        return len(steps) < 3  # stop after the third update, in the second epoch

    epoch_loss = fit(model, batches, optimizer, epochs=5, evaluate=evaluate, on_step=on_step)
    assert len(steps) == 3 and len(epoch_loss) == 1
    assert epoch_loss[0] == (steps[0] * 6 + steps[1] * 4) / 10
    assert evaluated == [(False, False)]  # once, after the one finished epoch
