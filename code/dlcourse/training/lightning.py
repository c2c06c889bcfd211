"""Lightning pieces: a quiet Trainer, a table DataModule and the course's classifiers.

Everything a lesson needs to train with ``Trainer.fit`` without progress bars, tips,
checkpoints or log folders in the repository. :class:`ClassifierModule` holds the steps
that every classifier of the course shares (loss, accuracy, per-epoch logging, AdamW);
:class:`BinaryClassifier` and :class:`DigitsClassifier` only say what differs. Introduced in
lesson "Binary classification".
"""

from __future__ import annotations

import csv
import logging
import shutil
import warnings
from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import pytorch_lightning as pl
import torch
from pytorch_lightning.loggers import CSVLogger
from torch import nn
from torch.nn import functional as F
from torch.utils.data import DataLoader, TensorDataset
from torchmetrics import Metric
from torchmetrics.classification import BinaryAccuracy, MulticlassAccuracy

from dlcourse.data.digits import N_CLASSES, N_PIXELS
from dlcourse.data.tables import TableSplit, load_table
from dlcourse.models import mlp
from dlcourse.runtime import pick_device, scratch_dir, seeded_generator, shifted

NOISY_LOGGERS = ("pytorch_lightning", "lightning.pytorch", "lightning_fabric", "lightning")
NOISY_WARNINGS = (
    ".*does not have many workers.*",
    ".*is a small number of batches.*",
    ".*The number of training batches.*",
    ".*GPU available but not used.*",
    ".*Consider setting `persistent_workers=True`.*",
    ".*LeafSpec.*is deprecated.*",  # emitted by Lightning's own pytree helper, not by lessons
)


def quiet_lightning() -> None:
    """Silence Lightning's banners, tips and performance hints (they are not lesson output)."""
    for name in NOISY_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
    for pattern in NOISY_WARNINGS:
        warnings.filterwarnings("ignore", message=pattern)


def make_trainer(
    run_name: str,
    *,
    max_epochs: int,
    callbacks: Iterable[pl.Callback] = (),
    seed: int = 0,
    **overrides,
) -> pl.Trainer:
    """A reproducible Trainer that prints nothing and writes only to a scratch folder.

    Uses CUDA when present (unless ``DLCOURSE_DEVICE=cpu``, see :func:`dlcourse.runtime.pick_device`), logs metrics with a CSVLogger outside
    the repository (read them back with :func:`logged_metrics`). Introduced in lesson
    "Binary classification".
    """
    quiet_lightning()
    pl.seed_everything(shifted(seed), workers=True, verbose=False)
    log_dir = scratch_dir(run_name)
    shutil.rmtree(log_dir)  # a re-run of the same name starts from an empty log
    settings: dict[str, Any] = dict(
        max_epochs=max_epochs,
        accelerator="gpu" if pick_device().type == "cuda" else "cpu",
        devices=1,
        logger=CSVLogger(save_dir=scratch_dir(run_name), name="", version=0),
        callbacks=list(callbacks),
        enable_progress_bar=False,
        enable_model_summary=False,
        enable_checkpointing=False,
        deterministic=True,
        log_every_n_steps=1,
    )
    settings.update(overrides)
    return pl.Trainer(**settings)


def logged_metrics(trainer: pl.Trainer) -> dict[str, list[float]]:
    """Per-epoch values of every metric the trainer's CSVLogger recorded.

    Lightning writes one CSV row per logging call; this groups rows by epoch and keeps
    the last value of each metric in each epoch.
    """
    logger = trainer.logger
    assert logger is not None, "the trainer has no logger to read metrics from"
    logger.save()
    path = f"{logger.log_dir}/metrics.csv"
    by_epoch: dict[str, dict[int, float]] = defaultdict(dict)
    with open(path, newline="") as handle:
        for row in csv.DictReader(handle):
            epoch = int(float(row["epoch"])) if row.get("epoch") else None
            for key, value in row.items():
                if key in ("epoch", "step") or value in ("", None) or epoch is None:
                    continue
                by_epoch[key][epoch] = float(value)
    return {key: [values[e] for e in sorted(values)] for key, values in by_epoch.items()}


def logged_steps(trainer: pl.Trainer, key: str) -> list[float]:
    """Values of ``key`` in the trainer's CSV log, in step order.

    For what callbacks log per step rather than per epoch (``LearningRateMonitor``
    writes rows without an epoch, which :func:`dlcourse.training.lightning.logged_metrics` skips).
    """
    logger = trainer.logger
    assert logger is not None, "the trainer has no logger to read metrics from"
    logger.save()
    log_dir = logger.log_dir
    assert log_dir is not None, "the trainer's first logger keeps no local folder"
    with open(Path(log_dir) / "metrics.csv", newline="") as handle:
        rows = [row for row in csv.DictReader(handle) if row.get(key)]
    return [float(row[key]) for row in sorted(rows, key=lambda row: int(row["step"]))]


class TableDataModule(pl.LightningDataModule):
    """A scikit-learn bundled table served in mini-batches (no download, so no prepare_data)."""

    name: str  # the table for load_table (LightningDataModule declares it optional)

    def __init__(self, name: str, *, batch_size: int = 64, seed: int = 0, **table_options) -> None:
        super().__init__()
        self.name, self.batch_size, self.seed = name, batch_size, seed
        self.table_options = table_options  # passed to dlcourse.data.tables.load_table
        self.split: TableSplit | None = None

    def setup(self, stage: str | None = None) -> None:
        if self.split is None:
            self.split = load_table(self.name, seed=self.seed, **self.table_options)

    def train_dataloader(self) -> DataLoader:
        generator = seeded_generator(self.seed)
        assert self.split is not None, "setup() builds the split before any dataloader"
        dataset = TensorDataset(self.split.x_train, self.split.y_train)
        return DataLoader(dataset, batch_size=self.batch_size, shuffle=True, generator=generator)

    def val_dataloader(self) -> DataLoader:
        assert self.split is not None, "setup() builds the split before any dataloader"
        dataset = TensorDataset(self.split.x_val, self.split.y_val)
        return DataLoader(dataset, batch_size=len(dataset))


class ClassifierModule(pl.LightningModule):
    """The steps every classifier of the course shares; subclasses build ``net`` and the metrics.

    A step computes the loss, updates the stage's accuracy and logs both once per epoch.
    ``sync_dist=True`` is a no-op on one device and an average over processes under
    distributed training, so the same class runs unchanged on one CPU, several processes
    or several GPUs. The optimizer is AdamW with the module's ``lr`` (the attribute that
    ``Tuner.lr_find`` changes) and ``hparams.weight_decay``.
    """

    net: nn.Module
    train_acc: Metric
    val_acc: Metric
    lr: float

    def loss(self, logits: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError

    def update_accuracy(self, accuracy: Metric, logits: torch.Tensor, y: torch.Tensor) -> None:
        raise NotImplementedError

    def _step(self, batch, stage: str, accuracy: Metric) -> torch.Tensor:
        x, y = batch
        logits = self(x)
        loss = self.loss(logits, y)
        self.update_accuracy(accuracy, logits, y)
        self.log(f"{stage}_loss", loss, on_step=False, on_epoch=True, sync_dist=True)
        self.log(f"{stage}_acc", accuracy, on_step=False, on_epoch=True)
        return loss

    def training_step(self, batch, batch_idx: int) -> torch.Tensor:
        return self._step(batch, "train", self.train_acc)

    def validation_step(self, batch, batch_idx: int) -> None:
        self._step(batch, "val", self.val_acc)

    def configure_optimizers(self):
        return torch.optim.AdamW(
            self.parameters(), lr=self.lr, weight_decay=self.hparams.weight_decay
        )


class BinaryClassifier(ClassifierModule):
    """An MLP with one logit output trained with binary cross-entropy.

    The sigmoid lives in the loss (``BCEWithLogitsLoss``) for numerical stability;
    :meth:`predict_proba` applies it for predictions. Introduced in lesson
    "Binary classification".
    """

    def __init__(
        self,
        n_features: int,
        hidden: Sequence[int] = (16, 8),
        *,
        lr: float = 1e-3,
        weight_decay: float = 0.0,
        dropout: float = 0.0,
    ) -> None:
        super().__init__()
        self.save_hyperparameters()
        self.lr = lr
        self.net = mlp((n_features, *hidden, 1), dropout=dropout)
        self.loss_fn = nn.BCEWithLogitsLoss()
        self.train_acc = BinaryAccuracy()
        self.val_acc = BinaryAccuracy()

    def forward(self, x: torch.Tensor) -> torch.Tensor:  # x: (B, F)
        return self.net(x).squeeze(-1)  # logits (B,)

    def loss(self, logits: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        return self.loss_fn(logits, y)

    def update_accuracy(self, accuracy: Metric, logits: torch.Tensor, y: torch.Tensor) -> None:
        accuracy(logits.sigmoid(), y.int())

    @torch.no_grad()
    def predict_proba(self, x: torch.Tensor) -> torch.Tensor:
        """P(y = 1 | x) for each row of x: (B, F) -> (B,)."""
        self.eval()
        return self(x.to(self.device)).sigmoid().cpu()


class DigitsClassifier(ClassifierModule):
    """An MLP from 64 pixels to 10 logits, trained with cross-entropy and AdamW.

    Follows the shape of Lightning's getting-started example. ``cosine_epochs`` adds a
    cosine decay of the learning rate over that many epochs. Introduced in lesson "PyTorch
    Lightning anatomy".
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

    def loss(self, logits: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        return F.cross_entropy(logits, y)

    def update_accuracy(self, accuracy: Metric, logits: torch.Tensor, y: torch.Tensor) -> None:
        accuracy(logits, y)

    def configure_optimizers(self):
        optimizer = super().configure_optimizers()
        if not self.hparams.cosine_epochs:
            return optimizer
        schedule = torch.optim.lr_scheduler.CosineAnnealingLR(
            optimizer, T_max=self.hparams.cosine_epochs
        )
        return {"optimizer": optimizer, "lr_scheduler": schedule}
