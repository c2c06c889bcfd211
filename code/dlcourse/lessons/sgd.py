"""Mini-batch stochastic gradient descent with ``torch.optim.SGD``, measured per update.

The batch size decides how many updates one pass over the data (an epoch) buys and how
noisy each one is; the learning rate decides how far each update goes. :func:`train_sgd`
records both views (loss per epoch, loss per update) and stops a run whose loss explodes
instead of letting it overflow. Introduced in lesson "Stochastic gradient descent".
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

import torch
import torch.nn.functional as F
from torch import nn

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

    The same ``seed`` gives the same initial weights and the same batch order, so runs
    that differ in batch size or learning rate differ only in that.
    """
    torch.manual_seed(seed)
    model = nn.Linear(x_train.shape[1], 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    generator = torch.Generator().manual_seed(seed)
    run = SGDRun(batch_size, lr)
    start = time.perf_counter()
    for _ in range(epochs):
        order = torch.randperm(len(x_train), generator=generator)
        for first in range(0, len(x_train), batch_size):
            rows = order[first : first + batch_size]
            loss = F.mse_loss(model(x_train[rows]).squeeze(1), y_train[rows])  # (B,) vs (B,)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            run.update_loss.append(loss.item())
            if not loss.item() < DIVERGED_LOSS:  # also catches inf and NaN
                run.diverged = True
                break
        if run.diverged:
            break
        with torch.no_grad():
            run.epoch_loss.append(F.mse_loss(model(x_train).squeeze(1), y_train).item())
            run.val_loss.append(F.mse_loss(model(x_val).squeeze(1), y_val).item())
    run.seconds = time.perf_counter() - start
    if run.diverged:  # keep only finite numbers for printing and plotting
        run.update_loss = [v for v in run.update_loss if math.isfinite(v)]
    return run
