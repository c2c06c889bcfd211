"""Linear regression solved twice: by the normal equations and by gradient descent.

The mean squared error of a linear model is a quadratic bowl in its weights, so the two
routes must meet at the same point; watching gradient descent walk across that bowl shows
why the learning rate has an upper limit set by the bowl's curvature. Work is done in
float64 so that differences between the routes are the method's, not rounding.
Introduced in lesson "Linear regression two ways".
"""

from __future__ import annotations

from dataclasses import dataclass

import torch


def design_matrix(x: torch.Tensor) -> torch.Tensor:
    """Prepend a column of ones, so the bias is one more weight: (N, F) -> (N, F + 1)."""
    x = x.to(torch.float64)
    return torch.cat([torch.ones(len(x), 1, dtype=x.dtype), x], dim=1)


def mse(w: torch.Tensor, X: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Mean squared error of weights ``w`` (P,) or a batch of them (K, P); X: (N, P)."""
    residual = X @ w.T - y[:, None] if w.dim() == 2 else X @ w - y  # (N, K) or (N,)
    return residual.pow(2).mean(dim=0)


def normal_equations(X: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """The minimizer of the MSE: the solution of (X^T X) w = X^T y, shape (P,)."""
    return torch.linalg.solve(X.T @ X, X.T @ y.to(X.dtype))


def curvature(X: torch.Tensor) -> torch.Tensor:
    """Eigenvalues (ascending) of the MSE's Hessian, 2/N X^T X: the bowl's curvatures.

    Gradient descent on this quadratic converges exactly when the learning rate is below
    2 / (largest eigenvalue).
    """
    return torch.linalg.eigvalsh(2.0 / len(X) * X.T @ X)


@dataclass
class DescentPath:
    weights: torch.Tensor  # (steps + 1, P): the start and every step
    losses: torch.Tensor  # (steps + 1,)


def gradient_descent_path(
    X: torch.Tensor, y: torch.Tensor, *, lr: float, steps: int, start: torch.Tensor
) -> DescentPath:
    """Full-batch gradient descent on the MSE with the gradient written out,
    ``grad = 2/N X^T (X w - y)``, keeping every iterate so it can be drawn."""
    y = y.to(X.dtype)
    w = start.to(X.dtype).clone()
    weights = [w.clone()]
    for _ in range(steps):
        gradient = 2.0 / len(X) * X.T @ (X @ w - y)  # (P,)
        w = w - lr * gradient
        weights.append(w.clone())
    path = torch.stack(weights)  # (steps + 1, P)
    return DescentPath(path, mse(path, X, y))


def loss_surface(
    X: torch.Tensor,
    y: torch.Tensor,
    anchor: torch.Tensor,
    axes: tuple[int, int],
    grid: tuple[torch.Tensor, torch.Tensor],
) -> torch.Tensor:
    """MSE over a grid of two weights (indices ``axes``), the others held at ``anchor``.

    grid: two 1-D tensors of values; returns (len(grid[1]), len(grid[0])) for ``contour``.
    """
    a, b = torch.meshgrid(grid[0].to(X.dtype), grid[1].to(X.dtype), indexing="xy")
    weights = anchor.to(X.dtype).repeat(a.numel(), 1)  # (K, P)
    weights[:, axes[0]] = a.reshape(-1)
    weights[:, axes[1]] = b.reshape(-1)
    return mse(weights, X, y.to(X.dtype)).reshape(a.shape)
