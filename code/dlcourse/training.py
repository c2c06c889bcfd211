"""A training loop written out by hand, for lessons that show what frameworks automate."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import torch
from torch import nn


@dataclass
class History:
    """Per-epoch losses of a training run."""

    train_loss: list[float] = field(default_factory=list)
    val_loss: list[float] = field(default_factory=list)


def gradient_descent(
    model: nn.Module,
    x_train: torch.Tensor,  # (N, F)
    y_train: torch.Tensor,  # (N,)
    *,
    loss_fn: Callable[[torch.Tensor, torch.Tensor], torch.Tensor],
    lr: float,
    epochs: int,
    batch_size: int | None = None,
    x_val: torch.Tensor | None = None,
    y_val: torch.Tensor | None = None,
    seed: int = 0,
) -> History:
    """Fit ``model`` with plain (mini-batch) gradient descent: w <- w - lr * dL/dw.

    ``batch_size=None`` uses the whole training set per step (batch gradient descent).
    The update is written by hand instead of using torch.optim so the rule is visible.
    Introduced in lesson "A single neuron".
    """
    generator = torch.Generator().manual_seed(seed)
    n = x_train.shape[0]
    step = batch_size or n
    history = History()
    for _ in range(epochs):
        model.train()
        order = torch.randperm(n, generator=generator) if batch_size else torch.arange(n)
        total = 0.0
        for start in range(0, n, step):
            idx = order[start : start + step]
            loss = loss_fn(model(x_train[idx]), y_train[idx])
            model.zero_grad()
            loss.backward()
            with torch.no_grad():
                for parameter in model.parameters():
                    parameter -= lr * parameter.grad
            total += loss.item() * len(idx)
        history.train_loss.append(total / n)
        if x_val is not None and y_val is not None:
            model.eval()
            with torch.no_grad():
                history.val_loss.append(loss_fn(model(x_val), y_val).item())
    return history
