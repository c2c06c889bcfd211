"""Optimizers compared on a 2-D surface (their paths can be drawn) and on a real model.

Every optimizer in ``torch.optim`` takes the same gradient and turns it into a step in its
own way: plain SGD follows it, momentum accumulates it, RMSprop and Adagrad divide it by a
running size per coordinate, Adam does both. :func:`optimizer_path` records the points an
optimizer visits on a two-parameter function; :func:`train_digits` trains one small MLP per
optimizer with identical data order and initial weights. Introduced in lesson "Optimizers".
"""

from __future__ import annotations

from collections.abc import Callable

import torch

from dlcourse.data.tables import TableSplit
from dlcourse.models import mlp
from dlcourse.training import ClassifierHistory, OptimizerFactory, train_classifier


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
    """Points visited by an optimizer minimising ``function`` of two parameters, (steps+1, 2)."""
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
    and then normalises it away; AdamW shrinks the weight directly (decoupled decay).
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


def train_digits(
    split: TableSplit,
    make_optimizer: OptimizerFactory,
    *,
    epochs: int = 12,
    batch_size: int = 64,
    hidden: tuple[int, ...] = (64,),
    seed: int = 0,
) -> ClassifierHistory:
    """One MLP on the digits per call; the same seed gives the same weights and batch order."""
    torch.manual_seed(seed)
    model = mlp((split.x_train.shape[1], *hidden, 10))
    optimizer = make_optimizer(list(model.parameters()))
    return train_classifier(
        model, split, optimizer, epochs=epochs, batch_size=batch_size, seed=seed
    )
