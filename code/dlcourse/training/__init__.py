"""Training loops written out by hand, for lessons that show what frameworks automate.

:func:`gradient_descent` spells out the update rule (lesson "A single neuron"); :func:`fit`
is the one mini-batch epoch loop with a ``torch.optim`` optimizer that the library's
plain-PyTorch training functions share (lesson "Hidden layers and activations");
:func:`train_classifier` and :func:`train_mlp` are that loop with cross-entropy and a
validation set; :func:`train_by_hand` repeats what Lightning's ``Trainer.fit`` does (lesson
"PyTorch Lightning anatomy"); :func:`classifier_table` prints the key figures of several
classifier runs side by side (lessons "Overfitting and underfitting" and "Dropout and batch
normalization"). The Lightning side lives in :mod:`dlcourse.training.lightning`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import pytorch_lightning as pl
import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from dlcourse.bilingual import align, number, percent, tr
from dlcourse.data.tables import TableSplit
from dlcourse.models import mlp
from dlcourse.runtime import seed_torch, seeded_generator

OptimizerFactory = Callable[[list[torch.nn.Parameter]], torch.optim.Optimizer]
"""Builds an optimizer for given parameters, so one recipe can be applied to many models."""

LossFn = Callable[[torch.Tensor, torch.Tensor], torch.Tensor]
"""A loss from a batch's model outputs and targets to a scalar tensor."""


def best_epoch(val_loss: Sequence[float]) -> int:
    """Index (0-based) of the epoch with the lowest validation loss: what early stopping keeps.

    Introduced in lesson "Binary classification"; used wherever a lesson reads a curve's minimum.
    """
    return min(range(len(val_loss)), key=val_loss.__getitem__)


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
    generator = seeded_generator(seed)
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
                    assert parameter.grad is not None  # set by backward() just above
                    parameter.sub_(lr * parameter.grad)  # w <- w - lr * dL/dw, in place
            total += loss.item() * len(idx)
        history.train_loss.append(total / n)
        if x_val is not None and y_val is not None:
            model.eval()
            with torch.no_grad():
                history.val_loss.append(loss_fn(model(x_val), y_val).item())
    return history


class Passes:
    """An iterable that builds its batches anew on every pass, e.g. a new shuffle per epoch:
    ``Passes(make)`` iterates ``make()`` each time :func:`fit` starts an epoch."""

    def __init__(self, make: Callable[[], Iterator[Any]]) -> None:
        self.make = make

    def __iter__(self) -> Iterator[Any]:
        return self.make()


def fit(
    model: nn.Module,
    batches: Iterable[Any],
    optimizer: torch.optim.Optimizer,
    *,
    epochs: int,
    loss_fn: LossFn = F.cross_entropy,
    batch_loss: Callable[[Any], tuple[torch.Tensor, int]] | None = None,
    clip: float | None = None,
    evaluate: Callable[[], None] | None = None,
    on_step: Callable[[float], bool] | None = None,
) -> list[float]:
    """Train ``model`` for ``epochs`` passes over ``batches``; return each epoch's training loss.

    ``batches`` is iterated once per epoch, so it can be a shuffling ``DataLoader`` or
    ``[(x, y)]`` for full-batch training. A batch is ``(x, y)`` scored as
    ``loss_fn(model(x), y)`` with weight ``len(y)``, unless ``batch_loss`` turns each batch
    into ``(loss, weight)`` itself (sequences with lengths, teacher forcing). An epoch's loss
    is the weighted mean of its batch losses (with one batch, that step's loss). ``clip``
    rescales the gradient norm before each step (the guard against exploding gradients in
    recurrent networks). After every epoch, ``evaluate()`` runs with the model in eval mode
    and gradients off. ``on_step`` gets each update's loss; when it returns ``False``
    training stops at once, without finishing or evaluating that epoch. Introduced in
    lesson "Hidden layers and activations".
    """

    def scored(batch: Any) -> tuple[torch.Tensor, int]:
        x, y = batch  # inputs (B, ...), targets (B, ...)
        return loss_fn(model(x), y), len(y)  # scalar, B

    epoch_loss: list[float] = []
    for _ in range(epochs):
        model.train()
        total, seen = 0.0, 0
        for batch in batches:
            loss, weight = (batch_loss or scored)(batch)
            optimizer.zero_grad()
            loss.backward()
            if clip is not None:
                nn.utils.clip_grad_norm_(model.parameters(), clip)
            optimizer.step()
            value = loss.item()
            total += value * weight
            seen += weight
            if on_step is not None and not on_step(value):
                return epoch_loss
        epoch_loss.append(total / seen)
        if evaluate is not None:
            model.eval()
            with torch.no_grad():
                evaluate()
    return epoch_loss


@dataclass
class ClassifierHistory:
    """Per-epoch metrics of a classifier: training loss (mean over the epoch's batches,
    weighted by batch size), validation loss and validation accuracy."""

    train_loss: list[float] = field(default_factory=list)
    val_loss: list[float] = field(default_factory=list)
    val_acc: list[float] = field(default_factory=list)


def classifier_table(
    runs: Iterable[tuple[str, ClassifierHistory]],
    first: str,
    *,
    first_width: int,
    first_side: str = ">",
) -> str:
    """The runs' final training loss, best validation loss (with its epoch), final validation
    loss and final validation accuracy, one row per run, aligned in each language. ``first``
    heads the column of run labels, ``first_width`` characters wide, aligned by ``first_side``
    (as in :func:`format`); the figures are right-aligned. Lessons "Overfitting and
    underfitting" and "Dropout and batch normalization" compare their runs with it."""
    widths = (first_width, 14, 19, 13, 14)
    headings = (
        first,
        tr(es="pérdida entr.", en="train loss"),
        tr(es="mejor val. (época)", en="best val (epoch)"),
        tr(es="val. final", en="final val"),
        tr(es="exact. final", en="final acc."),
    )
    rows = [headings]
    for label, history in runs:
        best = best_epoch(history.val_loss)
        rows.append(
            (
                label,
                number(history.train_loss[-1], ".4f"),
                f"{number(history.val_loss[best])} ({best + 1:2d})",
                number(history.val_loss[-1]),
                percent(history.val_acc[-1], 1),
            )
        )
    return "\n".join(
        align(row[0], widths[0], first_side)
        + "".join(align(cell, width) for cell, width in zip(row[1:], widths[1:], strict=True))
        for row in rows
    )


def train_classifier(
    model: nn.Module,
    split: TableSplit,
    optimizer: torch.optim.Optimizer,
    *,
    epochs: int,
    batch_size: int = 64,
    seed: int = 0,
) -> ClassifierHistory:
    """:func:`fit` with cross-entropy on shuffled mini-batches, validating after every epoch.

    The loader has its own seeded generator, so two calls with the same seed see the data
    in the same order whatever else used the global random state. Introduced in lesson
    "Dropout and batch normalization".
    """
    loader = DataLoader(
        TensorDataset(split.x_train, split.y_train),
        batch_size=batch_size,
        shuffle=True,
        generator=seeded_generator(seed),
    )
    history = ClassifierHistory()

    def validate() -> None:
        logits = model(split.x_val)  # (N_val, C)
        history.val_loss.append(F.cross_entropy(logits, split.y_val).item())
        history.val_acc.append((logits.argmax(1) == split.y_val).float().mean().item())

    history.train_loss = fit(model, loader, optimizer, epochs=epochs, evaluate=validate)
    return history


def train_mlp(
    split: TableSplit,
    hidden: Sequence[int],
    make_optimizer: OptimizerFactory,
    *,
    epochs: int,
    batch_size: int = 64,
    dropout: float = 0.0,
    seed: int = 0,
) -> ClassifierHistory:
    """A fresh MLP ``(features, *hidden, classes)`` trained with :func:`train_classifier`.

    The global generator is seeded first, so the same seed gives the same initial weights
    and the same batch order: runs differ only in what the arguments change. Classes are
    counted from the training labels. Introduced in lesson "Overfitting and underfitting".
    """
    seed_torch(seed)
    classes = int(split.y_train.max()) + 1
    model = mlp((split.x_train.shape[1], *hidden, classes), dropout=dropout)
    optimizer = make_optimizer(list(model.parameters()))
    return train_classifier(
        model, split, optimizer, epochs=epochs, batch_size=batch_size, seed=seed
    )


def train_by_hand(
    net: nn.Module,
    data: pl.LightningDataModule,
    *,
    epochs: int,
    lr: float = 1e-3,
    weight_decay: float = 0.0,
    device: torch.device | str = "cpu",
) -> dict[str, list[float]]:
    """What ``Trainer.fit`` does with a :class:`~dlcourse.training.lightning.DigitsClassifier`,
    written out in plain PyTorch (introduced in lesson "PyTorch Lightning anatomy").

    Same optimizer, same data loaders (built once, re-iterated every epoch), epoch
    metrics averaged over examples like Lightning's ``on_epoch=True``; validation after
    every epoch. Returns per-epoch ``train_loss``, ``train_acc``, ``val_loss``, ``val_acc``.
    """
    net.to(device)
    data.setup("fit")
    train_loader, val_loader = data.train_dataloader(), data.val_dataloader()
    optimizer = torch.optim.AdamW(net.parameters(), lr=lr, weight_decay=weight_decay)
    history: dict[str, list[float]] = {
        k: [] for k in ("train_loss", "train_acc", "val_loss", "val_acc")
    }
    for _ in range(epochs):
        for stage, loader in (("train", train_loader), ("val", val_loader)):
            net.train(stage == "train")
            loss_sum, correct, seen = 0.0, 0, 0
            with torch.set_grad_enabled(stage == "train"):
                for x, y in loader:
                    x, y = x.to(device), y.to(device)  # (B, 64), (B,)
                    logits = net(x)  # (B, 10)
                    loss = F.cross_entropy(logits, y)
                    if stage == "train":
                        optimizer.zero_grad()
                        loss.backward()
                        optimizer.step()
                    loss_sum += loss.item() * len(y)
                    correct += (logits.argmax(dim=1) == y).sum().item()
                    seen += len(y)
            history[f"{stage}_loss"].append(loss_sum / seen)
            history[f"{stage}_acc"].append(correct / seen)
    return history
