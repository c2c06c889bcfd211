"""Handwritten digits with Lightning, and the same training loop written by hand.

scikit-learn's bundled 8x8 digits stand in for MNIST: 1,797 images of 64 pixels, ten
classes, no download. :class:`DigitsDataModule` and :class:`DigitsClassifier` follow the
shape of Lightning's getting-started example; :func:`train_by_hand` repeats exactly what
``Trainer.fit`` does with them in plain PyTorch, so the two can be compared number by
number. Introduced in lesson "PyTorch Lightning anatomy".
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytorch_lightning as pl
import torch
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from torch import nn
from torch.nn import functional as F
from torch.utils.data import DataLoader, TensorDataset
from torchmetrics.classification import MulticlassAccuracy

from dlcourse.data import TableSplit
from dlcourse.models import mlp

N_PIXELS = 64  # 8 x 8 grey levels from 0 to 16
N_CLASSES = 10


def digit_images(count: int, *, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """``count`` random raw images (count, 8, 8) and their labels (count,), for plotting."""
    bunch = load_digits()
    rows = np.random.default_rng(seed).choice(len(bunch.images), size=count, replace=False)
    return bunch.images[rows], bunch.target[rows]


def digits_split(*, seed: int = 0, train_size: int | None = None) -> TableSplit:
    """The digits split 75/25 (stratified), pixels scaled from 0..16 to 0..1.

    Scaling by the known pixel range, as ``ToTensor`` does for MNIST, instead of
    standardizing per pixel: some border pixels are always 0 in the training split, and
    dividing by their zero spread would blow up validation images that use them.
    ``train_size`` keeps the first rows of the (shuffled) training split.
    """
    bunch = load_digits()
    x_train, x_val, y_train, y_val = train_test_split(
        bunch.data, bunch.target, test_size=0.25, random_state=seed, stratify=bunch.target
    )
    x_train, y_train = x_train[:train_size], y_train[:train_size]  # [:None] keeps all
    return TableSplit(
        torch.tensor(x_train / 16.0, dtype=torch.float32),  # (N_train, 64)
        torch.tensor(y_train, dtype=torch.int64),  # (N_train,)
        torch.tensor(x_val / 16.0, dtype=torch.float32),  # (450, 64)
        torch.tensor(y_val, dtype=torch.int64),  # (450,)
        tuple(bunch.feature_names),
        tuple(str(t) for t in bunch.target_names),
    )


class DigitsDataModule(pl.LightningDataModule):
    """The digits of :func:`digits_split`, served in shuffled mini-batches.

    ``train_size`` keeps only the first rows of the (already shuffled, stratified)
    training split: smaller sets overfit sooner, and a size divisible by the number of
    processes avoids the padding a distributed sampler would add. Validation is one batch.
    Introduced in lesson "PyTorch Lightning anatomy".
    """

    def __init__(self, batch_size: int = 64, *, train_size: int | None = None, seed: int = 0):
        super().__init__()
        self.save_hyperparameters()  # loggers record batch_size and train_size with the run
        self.batch_size, self.train_size, self.seed = batch_size, train_size, seed
        self.split: TableSplit | None = None

    def prepare_data(self) -> None:
        """Download or write to disk here: Lightning calls it once per machine (node),
        in a single process, before ``setup``. The digits ship with scikit-learn, so
        there is nothing to fetch; state assigned here would not reach other processes."""

    def setup(self, stage: str | None = None) -> None:
        """Build the splits; runs in every process, so each one holds its own tensors."""
        if self.split is not None:
            return
        self.split = digits_split(seed=self.seed, train_size=self.train_size)

    def train_dataloader(self) -> DataLoader:
        # A seeded generator of its own: the batch order does not depend on global RNG state.
        generator = torch.Generator().manual_seed(self.seed)
        dataset = TensorDataset(self.split.x_train, self.split.y_train)  # (N, 64), (N,)
        return DataLoader(dataset, batch_size=self.batch_size, shuffle=True, generator=generator)

    def val_dataloader(self) -> DataLoader:
        dataset = TensorDataset(self.split.x_val, self.split.y_val)
        return DataLoader(dataset, batch_size=len(dataset))


class DigitsClassifier(pl.LightningModule):
    """An MLP from 64 pixels to 10 logits, trained with cross-entropy and AdamW.

    Metrics are logged once per epoch with ``sync_dist=True``: a no-op on one device, an
    average over processes under distributed training, so the same class runs unchanged
    on one CPU, several processes or several GPUs. ``cosine_epochs`` adds a cosine decay
    of the learning rate over that many epochs. Introduced in lesson "PyTorch Lightning
    anatomy".
    """

    def __init__(
        self,
        hidden: Sequence[int] = (64,),
        *,
        lr: float = 1e-3,
        weight_decay: float = 0.0,
        dropout: float = 0.0,
        cosine_epochs: int | None = None,
    ) -> None:
        super().__init__()
        self.save_hyperparameters()
        self.lr = lr  # Tuner.lr_find looks for this attribute
        self.net = mlp((N_PIXELS, *hidden, N_CLASSES), dropout=dropout)
        # "micro" = fraction of correct predictions (the default "macro" averages per class).
        self.train_acc = MulticlassAccuracy(num_classes=N_CLASSES, average="micro")
        self.val_acc = MulticlassAccuracy(num_classes=N_CLASSES, average="micro")

    def forward(self, x: torch.Tensor) -> torch.Tensor:  # x: (B, 64)
        return self.net(x)  # logits (B, 10)

    def _step(self, batch, stage: str, accuracy: MulticlassAccuracy) -> torch.Tensor:
        x, y = batch  # (B, 64), (B,)
        logits = self(x)
        loss = F.cross_entropy(logits, y)
        accuracy(logits, y)
        self.log(f"{stage}_loss", loss, on_step=False, on_epoch=True, sync_dist=True)
        self.log(f"{stage}_acc", accuracy, on_step=False, on_epoch=True)
        return loss

    def training_step(self, batch, batch_idx: int) -> torch.Tensor:
        return self._step(batch, "train", self.train_acc)

    def validation_step(self, batch, batch_idx: int) -> None:
        self._step(batch, "val", self.val_acc)

    def configure_optimizers(self):
        optimizer = torch.optim.AdamW(
            self.parameters(), lr=self.lr, weight_decay=self.hparams.weight_decay
        )
        if not self.hparams.cosine_epochs:
            return optimizer
        schedule = torch.optim.lr_scheduler.CosineAnnealingLR(
            optimizer, T_max=self.hparams.cosine_epochs
        )
        return {"optimizer": optimizer, "lr_scheduler": schedule}


def logged_steps(trainer: pl.Trainer, key: str) -> list[float]:
    """Values of ``key`` in the trainer's CSV log, in step order.

    For what callbacks log per step rather than per epoch (``LearningRateMonitor``
    writes rows without an epoch, which :func:`dlcourse.lightning.logged_metrics` skips).
    """
    trainer.logger.save()
    with open(Path(trainer.logger.log_dir) / "metrics.csv", newline="") as handle:
        rows = [row for row in csv.DictReader(handle) if row.get(key)]
    return [float(row[key]) for row in sorted(rows, key=lambda row: int(row["step"]))]


def train_by_hand(
    net: nn.Module,
    data: DigitsDataModule,
    *,
    epochs: int,
    lr: float = 1e-3,
    weight_decay: float = 0.0,
    device: torch.device | str = "cpu",
) -> dict[str, list[float]]:
    """What ``Trainer.fit`` does with :class:`DigitsClassifier`, written out in plain PyTorch.

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
