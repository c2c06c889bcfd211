"""Capacity sweeps: the same training recipe on networks of growing width.

Underfitting and overfitting are read from the same two curves, training and validation
loss: both high means too little capacity; a training loss near zero with a validation
loss that has passed its minimum and climbs again means too much for the data.
Introduced in lesson "Overfitting and underfitting".
"""

from __future__ import annotations

from collections.abc import Sequence

import torch

from dlcourse.data.tables import TableSplit
from dlcourse.training import ClassifierHistory, OptimizerFactory, train_mlp


def train_width(
    split: TableSplit,
    width: int,
    *,
    depth: int = 2,
    epochs: int = 60,
    dropout: float = 0.0,
    make_optimizer: OptimizerFactory = lambda p: torch.optim.Adam(p, lr=3e-3),
    batch_size: int = 32,
    seed: int = 0,
) -> ClassifierHistory:
    """:func:`~dlcourse.training.train_mlp` with ``depth`` hidden layers of ``width`` units."""
    return train_mlp(
        split,
        (width,) * depth,
        make_optimizer,
        epochs=epochs,
        batch_size=batch_size,
        dropout=dropout,
        seed=seed,
    )


def capacity_sweep(
    split: TableSplit, widths: Sequence[int], **options
) -> dict[int, ClassifierHistory]:
    """:func:`train_width` for every width, with the same options."""
    return {width: train_width(split, width, **options) for width in widths}
