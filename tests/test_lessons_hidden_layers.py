"""Reusable pieces of the lesson "Hidden layers and activations"."""

from __future__ import annotations

import torch
from dlcourse.lessons.hidden_layers import (
    XOR_CORNERS,
    XOR_LABELS,
    accuracy,
    decision_grid,
    fit_classifier,
    sklearn_points,
    xor_points,
)
from dlcourse.models import mlp
from dlcourse.models.activations import activation_table, elementwise_derivative, softmax_first
from dlcourse.runtime import seed_all


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
