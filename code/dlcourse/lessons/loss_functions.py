"""Loss functions side by side: their shapes, their gradients and what they do to a fit.

A loss is a statement about which errors matter. Squared error punishes large residuals
quadratically, so a few outliers can drag a fit; absolute error and Huber grow linearly
and resist them. For classification, cross-entropy keeps a gradient of ``p - y`` on the
logit however wrong the model is, while squared error on a probability loses it exactly
when the model is confidently wrong. Introduced in lesson "Loss functions".
"""

from __future__ import annotations

from collections.abc import Callable

import torch
import torch.nn.functional as F
from torch import nn

from dlcourse.runtime import seed_torch, seeded_generator
from dlcourse.training import fit


def huber(delta: float) -> Callable[[torch.Tensor], torch.Tensor]:
    """The per-residual Huber loss with threshold ``delta``: quadratic inside, linear outside."""
    return lambda r: F.huber_loss(r, torch.zeros_like(r), reduction="none", delta=delta)


# Per-residual regression losses, residual r = prediction - target (elementwise).
REGRESSION_LOSSES: dict[str, Callable[[torch.Tensor], torch.Tensor]] = {
    "MSE": lambda r: r.pow(2),
    "MAE": lambda r: r.abs(),
    "Huber (δ = 1)": huber(1.0),
}

# Per-logit losses of a binary classifier whose true label is 1.
BINARY_LOSSES: dict[str, Callable[[torch.Tensor], torch.Tensor]] = {
    "cross-entropy": lambda z: F.binary_cross_entropy_with_logits(
        z, torch.ones_like(z), reduction="none"
    ),
    "MSE on the probability": lambda z: (torch.sigmoid(z) - 1).pow(2),
}


def line_with_outliers(
    n: int = 60, *, outliers: int = 6, slope: float = 2.0, intercept: float = 1.0, seed: int = 0
) -> tuple[torch.Tensor, torch.Tensor]:
    """Points (n, 1) and targets (n,) on a noisy line, the last ``outliers`` pushed far up.

    The outliers sit at the right end of the range, where they pull a fitted slope most.
    """
    generator = seeded_generator(seed)
    x = torch.linspace(0, 1, n)[:, None]  # (n, 1)
    y = slope * x[:, 0] + intercept + 0.1 * torch.randn(n, generator=generator)  # (n,)
    y[-outliers:] += 4.0
    return x, y


def fit_line(
    x: torch.Tensor,
    y: torch.Tensor,
    loss: str | Callable[[torch.Tensor], torch.Tensor],
    *,
    steps: int = 2000,
    lr: float = 0.05,
) -> tuple[float, float]:
    """Slope and intercept of a line fitted by full-batch Adam (:func:`dlcourse.training.fit`)
    under one of :data:`REGRESSION_LOSSES`, named, or any per-residual loss given as a
    function of the residuals (for instance a Huber loss with another ``delta``)."""
    per_residual = REGRESSION_LOSSES[loss] if isinstance(loss, str) else loss
    seed_torch(0)
    model = nn.Linear(1, 1)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)

    def mean_loss(line: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        residual = line.squeeze(1) - target  # (n, 1) -> (n,)
        return per_residual(residual).mean()

    fit(model, [(x, y)], optimizer, epochs=steps, loss_fn=mean_loss)  # full batch: a step per epoch
    return model.weight.item(), model.bias.item()


def train_logistic(
    x: torch.Tensor,  # (N, F)
    y: torch.Tensor,  # (N,) in {0, 1}
    loss: str,
    *,
    start: torch.Tensor,  # (F + 1,) initial weights then bias
    steps: int = 300,
    lr: float = 0.5,
) -> list[float]:
    """Full-batch gradient descent on a logistic model from ``start`` with either
    ``"cross-entropy"`` or ``"MSE on the probability"``; returns accuracy per step."""
    w = start[:-1].clone().requires_grad_(True)
    b = start[-1:].clone().requires_grad_(True)
    accuracy = []
    for _ in range(steps):
        logits = x @ w + b  # (N,)
        if loss == "cross-entropy":
            value = F.binary_cross_entropy_with_logits(logits, y)
        else:
            value = (torch.sigmoid(logits) - y).pow(2).mean()
        grad_w, grad_b = torch.autograd.grad(value, (w, b))  # (F,), (1,)
        with torch.no_grad():
            w -= lr * grad_w
            b -= lr * grad_b
            accuracy.append(((logits > 0).float() == y).float().mean().item())
    return accuracy
