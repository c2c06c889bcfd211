"""Optimizers compared on a 2-D surface (their paths can be drawn) and on a real model.

Every optimizer in ``torch.optim`` takes the same gradient and turns it into a step in its
own way: plain SGD follows it, momentum accumulates it, RMSprop and Adagrad divide it by a
running size per coordinate, Adam does both. :func:`optimizer_path` records the points an
optimizer visits on a two-parameter function; the lesson trains one small MLP per optimizer
with :func:`dlcourse.training.train_mlp`, which gives every run the same data order and
initial weights. Introduced in lesson "Optimizers".
"""

from __future__ import annotations

from collections.abc import Callable

import torch

from dlcourse.training import OptimizerFactory


def rosenbrock(w: torch.Tensor) -> torch.Tensor:
    """Rosenbrock's banana valley: minimum 0 at (1, 1), a curved, narrow, flat-bottomed valley."""
    x, y = w[..., 0], w[..., 1]
    return (1 - x) ** 2 + 100 * (y - x**2) ** 2


def optimizer_path(
    function: Callable[[torch.Tensor], torch.Tensor],
    make_optimizer: OptimizerFactory,
    start: tuple[float, float],
    steps: int,
) -> torch.Tensor:
    """Points visited by an optimizer minimizing ``function`` of two parameters, (steps+1, 2)."""
    w = torch.nn.Parameter(torch.tensor(start, dtype=torch.float64))
    optimizer = make_optimizer([w])
    points = [w.detach().clone()]
    for _ in range(steps):
        optimizer.zero_grad()
        function(w).backward()
        optimizer.step()
        points.append(w.detach().clone())
    return torch.stack(points)


def decay_without_gradient(
    optimizer_class: type[torch.optim.Optimizer], steps: int, **kwargs
) -> list[float]:
    """Value of one weight that starts at 1 and has *no* loss gradient, under weight decay.

    Shows what weight decay alone does inside an optimizer: Adam adds it to the gradient
    and then normalizes it away; AdamW shrinks the weight directly (decoupled decay).
    """
    w = torch.nn.Parameter(torch.ones(1))
    optimizer = optimizer_class([w], **kwargs)
    values = [1.0]
    for _ in range(steps):
        optimizer.zero_grad()
        (0.0 * w).sum().backward()  # a zero gradient, so the decay is all that acts
        optimizer.step()
        values.append(w.item())
    return values
