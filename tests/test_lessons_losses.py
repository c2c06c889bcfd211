"""Reusable pieces of the lesson "Loss functions"."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F
from dlcourse.formatting import decimal_comma
from dlcourse.lessons.loss_functions import (
    BINARY_LOSSES,
    REGRESSION_LOSSES,
    fit_line,
    line_with_outliers,
    train_logistic,
)
from dlcourse.models.activations import elementwise_derivative


def test_huber_is_quadratic_inside_delta_and_linear_outside():
    huber = REGRESSION_LOSSES["Huber (δ = 1)"]
    r = torch.tensor([-3.0, -0.5, 0.0, 0.4, 2.0])
    expected = torch.where(r.abs() <= 1, 0.5 * r**2, r.abs() - 0.5)
    assert torch.allclose(huber(r), expected)
    assert torch.allclose(elementwise_derivative(huber, r), r.clamp(-1, 1))


def test_regression_gradients_match_closed_forms():
    r = torch.tensor([-2.0, -0.3, 0.7, 5.0])
    assert torch.allclose(elementwise_derivative(REGRESSION_LOSSES["MSE"], r), 2 * r)
    assert torch.allclose(elementwise_derivative(REGRESSION_LOSSES["MAE"], r), r.sign())


def test_cross_entropy_gradient_is_p_minus_y_and_mse_vanishes_when_confidently_wrong():
    z = torch.tensor([-8.0, -1.0, 0.0, 3.0])
    bce = elementwise_derivative(BINARY_LOSSES["cross-entropy"], z)
    assert torch.allclose(bce, torch.sigmoid(z) - 1, atol=1e-6)
    squared = elementwise_derivative(BINARY_LOSSES["MSE on the probability"], z)
    assert abs(squared[0]) < 1e-2 < abs(bce[0])


def test_categorical_cross_entropy_gradient():
    logits = torch.randn(4, 5, generator=torch.Generator().manual_seed(0), requires_grad=True)
    target = torch.tensor([0, 3, 1, 4])
    F.cross_entropy(logits, target, reduction="sum").backward()
    expected = torch.softmax(logits.detach(), 1) - F.one_hot(target, 5)
    assert torch.allclose(logits.grad, expected, atol=1e-6)


def test_outliers_pull_mse_more_than_mae():
    x, y = line_with_outliers()
    slopes = {name: fit_line(x, y, name, steps=1500)[0] for name in REGRESSION_LOSSES}
    assert abs(slopes["MAE"] - 2) < abs(slopes["Huber (δ = 1)"] - 2) < abs(slopes["MSE"] - 2)


def test_cross_entropy_recovers_faster_from_a_confidently_wrong_start():
    generator = torch.Generator().manual_seed(0)
    x = torch.randn(200, 3, generator=generator)
    y = (x @ torch.tensor([1.0, -2.0, 0.5]) > 0).float()
    start = torch.tensor([-3.0, 6.0, -1.5, 0.0])  # the true direction, flipped and scaled
    ce = train_logistic(x, y, "cross-entropy", start=start, steps=30)
    sq = train_logistic(x, y, "MSE on the probability", start=start, steps=30)
    assert ce[-1] > 0.9 and sq[-1] < ce[-1]
    assert ce[0] == pytest.approx(sq[0])


def test_decimal_comma_is_the_spanish_form_of_fixed_point():
    assert decimal_comma(0.256, 2) == "0,26" == f"{0.256:.2f}".replace(".", ",")
    assert decimal_comma(-1.5, 3) == "-1,500"
    assert decimal_comma(12345.678, 1) == "12345,7"  # no thousands separator
    assert decimal_comma(2.0, 0) == "2"
    assert decimal_comma(torch.tensor(0.125), 3) == "0,125"  # 0-d tensors format like floats
