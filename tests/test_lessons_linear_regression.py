"""Reusable pieces of the lesson "Linear regression two ways"."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from dlcourse.models.linear_regression import (
    curvature,
    design_matrix,
    gradient_descent_path,
    loss_surface,
    mse,
    normal_equations,
)
from sklearn.datasets import make_regression
from sklearn.linear_model import LinearRegression


@pytest.fixture
def problem():
    x, y = make_regression(n_samples=200, n_features=3, noise=5.0, bias=2.0, random_state=0)
    x = (x - x.mean(0)) / x.std(0)
    y = (y - y.mean()) / y.std()
    return design_matrix(torch.tensor(x)), torch.tensor(y), x, y


def test_normal_equations_match_scikit_learn(problem):
    X, y, x_np, y_np = problem
    w = normal_equations(X, y)
    reference = LinearRegression().fit(x_np, y_np)
    assert w[0].item() == pytest.approx(reference.intercept_, abs=1e-10)
    assert np.allclose(w[1:].numpy(), reference.coef_, atol=1e-10)


def test_gradient_descent_reaches_the_closed_form(problem):
    X, y, *_ = problem
    eigenvalues = curvature(X)
    path = gradient_descent_path(
        X, y, lr=1 / eigenvalues[-1].item(), steps=3000, start=torch.zeros(4)
    )
    assert torch.allclose(path.weights[-1], normal_equations(X, y), atol=1e-8)
    assert path.losses[-1] <= path.losses[0]


def test_learning_rate_above_two_over_lambda_max_diverges(problem):
    X, y, *_ = problem
    limit = 2 / curvature(X)[-1].item()
    below = gradient_descent_path(X, y, lr=0.95 * limit, steps=400, start=torch.zeros(4))
    above = gradient_descent_path(X, y, lr=1.05 * limit, steps=400, start=torch.zeros(4))
    assert below.losses[-1] < below.losses[0] < above.losses[-1]


def test_hand_gradient_equals_autograd_and_surface_matches_mse(problem):
    X, y, *_ = problem
    w = torch.tensor([0.3, -0.2, 0.5, 0.1], dtype=torch.float64, requires_grad=True)
    mse(w, X, y).backward()
    assert torch.allclose(w.grad, 2 / len(X) * X.T @ (X @ w.detach() - y))
    grid = (torch.tensor([0.0, 1.0]), torch.tensor([-1.0, 0.5, 2.0]))
    surface = loss_surface(X, y, torch.zeros(4), axes=(1, 2), grid=grid)
    assert surface.shape == (3, 2)
    probe = torch.tensor([0.0, 1.0, 0.5, 0.0], dtype=torch.float64)
    assert surface[1, 1].item() == pytest.approx(mse(probe, X, y).item())
