"""Mini-batch stochastic gradient descent with ``torch.optim.SGD``, measured per update.

The batch size decides how many updates one pass over the data (an epoch) buys and how
noisy each one is; the learning rate decides how far each update goes. :func:`train_sgd`
records both views (loss per epoch, loss per update) and stops a run whose loss explodes
instead of letting it overflow. Introduced in lesson "Stochastic gradient descent".
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import torch
import torch.nn.functional as F
from torch import nn

from dlcourse.runtime import seed_torch, seeded_generator
from dlcourse.training import fit

# A run whose training loss passes this is called diverged and stopped.
DIVERGED_LOSS = 1e6


def updates_per_epoch(examples: int, batch_size: int) -> int:
    """Parameter updates in one pass over ``examples`` (the last batch may be smaller)."""
    return math.ceil(examples / batch_size)


@dataclass
class SGDRun:
    """What one training run did: losses on the whole training set after every epoch,
    the mini-batch loss of every update, and whether it blew up."""

    batch_size: int
    lr: float
    epoch_loss: list[float] = field(default_factory=list)  # full training MSE per epoch
    val_loss: list[float] = field(default_factory=list)
    update_loss: list[float] = field(default_factory=list)  # mini-batch MSE per update
    diverged: bool = False
    seconds: float = 0.0

    @property
    def updates(self) -> int:
        return len(self.update_loss)


class ShuffledBatches:
    """Mini-batches ``(x[rows], y[rows])`` in a new random order on every pass.

    The order comes from ``generator`` alone, one ``randperm`` per pass, so it does not
    depend on what else used the global random state; the last batch may be smaller.
    """

    def __init__(
        self, x: torch.Tensor, y: torch.Tensor, batch_size: int, generator: torch.Generator
    ) -> None:
        self.x, self.y, self.batch_size, self.generator = x, y, batch_size, generator

    def __iter__(self) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
        order = torch.randperm(len(self.x), generator=self.generator)
        for first in range(0, len(self.x), self.batch_size):
            rows = order[first : first + self.batch_size]
            yield self.x[rows], self.y[rows]  # (B, F), (B,)


def line_mse(prediction: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """Mean squared error of a linear model's output (B, 1) against targets (B,)."""
    return F.mse_loss(prediction.squeeze(1), target)


def train_sgd(
    x_train: torch.Tensor,  # (N, F)
    y_train: torch.Tensor,  # (N,)
    x_val: torch.Tensor,
    y_val: torch.Tensor,
    *,
    batch_size: int,
    lr: float,
    epochs: int,
    seed: int = 0,
) -> SGDRun:
    """Fit a linear model ``nn.Linear(F, 1)`` by SGD on the MSE, reshuffling every epoch.

    The loop is :func:`dlcourse.training.fit`; this records every update's loss, stops at
    the first one that passes :data:`DIVERGED_LOSS` and measures the whole training and
    validation sets after every epoch. The same ``seed`` gives the same initial weights and
    the same batch order, so runs that differ in batch size or learning rate differ only
    in that.
    """
    seed_torch(seed)
    model = nn.Linear(x_train.shape[1], 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    batches = ShuffledBatches(x_train, y_train, batch_size, seeded_generator(seed))
    run = SGDRun(batch_size, lr)

    def record(loss: float) -> bool:
        run.update_loss.append(loss)
        run.diverged = not loss < DIVERGED_LOSS  # also catches inf and NaN
        return not run.diverged

    def measure() -> None:
        run.epoch_loss.append(line_mse(model(x_train), y_train).item())
        run.val_loss.append(line_mse(model(x_val), y_val).item())

    start = time.perf_counter()
    fit(
        model, batches, optimizer, epochs=epochs, loss_fn=line_mse, evaluate=measure, on_step=record
    )
    run.seconds = time.perf_counter() - start
    if run.diverged:  # keep only finite numbers for printing and plotting
        run.update_loss = [v for v in run.update_loss if math.isfinite(v)]
    return run
