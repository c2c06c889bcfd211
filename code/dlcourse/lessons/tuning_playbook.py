"""Tuning runs on the digits: a quiet learning-rate range test, one-call runs and a run table.

The tuning playbook is a loop of small experiments that change one thing at a time and
are compared on validation. :func:`fit_digits` is one such experiment, :class:`RunResult`
what we keep of it, and :func:`runs_table` the lab notebook. Introduced in lesson
"The tuning playbook in practice".
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any
from unittest import mock

import pytorch_lightning as pl
from pytorch_lightning.loggers import CSVLogger, Logger
from pytorch_lightning.tuner import Tuner
from pytorch_lightning.tuner import lr_finder as lr_finder_module

from dlcourse.bilingual import align, number, resolve, tr
from dlcourse.data.digits import DigitsDataModule
from dlcourse.models import count_parameters
from dlcourse.runtime import scratch_dir, seed_all
from dlcourse.training import best_epoch
from dlcourse.training.lightning import DigitsClassifier, logged_metrics, make_trainer


def quiet_lr_find(
    trainer: pl.Trainer, model: pl.LightningModule, datamodule: pl.LightningDataModule, **options
):
    """``Tuner(trainer).lr_find(model, datamodule=..., **options)`` without its progress bar.

    The range test draws a tqdm bar of its own even when the trainer was built with
    ``enable_progress_bar=False``. Instead of silencing tqdm for the whole process
    (``TQDM_DISABLE``), the bar is switched off only while this call runs. Build the
    trainer with ``default_root_dir`` in a scratch folder: the test saves and restores a
    temporary checkpoint there. Returns Lightning's ``_LRFinder`` (``results``,
    ``suggestion()``).
    """
    quiet_tqdm = partial(lr_finder_module.tqdm, disable=True)
    with mock.patch.object(lr_finder_module, "tqdm", quiet_tqdm):
        return Tuner(trainer).lr_find(model, datamodule=datamodule, **options)


@dataclass
class RunResult:
    """One training run: its settings, per-epoch metrics and wall time."""

    name: str
    settings: dict
    history: dict[str, list[float]] = field(repr=False)
    seconds: float
    parameters: int

    @property
    def best_epoch(self) -> int:
        """1-based epoch with the lowest validation loss (where early stopping would keep)."""
        return best_epoch(self.history["val_loss"]) + 1

    @property
    def best_val_loss(self) -> float:
        return self.history["val_loss"][self.best_epoch - 1]

    @property
    def best_val_acc(self) -> float:
        """Validation accuracy at the best epoch."""
        return self.history["val_acc"][self.best_epoch - 1]


def fit_digits(
    name: str,
    *,
    hidden: Sequence[int] = (32,),
    lr: float = 3e-3,
    batch_size: int = 64,
    epochs: int = 20,
    dropout: float = 0.0,
    weight_decay: float = 0.0,
    train_size: int | None = 500,
    seed: int = 0,
    loggers: Sequence[Logger] = (),
) -> RunResult:
    """Train a :class:`DigitsClassifier` once and keep its per-epoch metrics.

    ``name`` labels the run in :func:`runs_table`; it may be a text from
    :func:`dlcourse.bilingual.tr`.

    Metrics are always logged to a CSVLogger in the scratch folder ``tuning/<name>`` (read
    back with :func:`dlcourse.training.lightning.logged_metrics`); ``loggers`` are added to it, for
    example TensorBoard or MLflow loggers. Same seed, same initial weights and batch
    order for every run, so runs differ only in what the settings change.
    """
    settings = dict(
        hidden=tuple(hidden),
        lr=lr,
        batch_size=batch_size,
        epochs=epochs,
        dropout=dropout,
        weight_decay=weight_decay,
    )
    seed_all(seed)
    model = DigitsClassifier(hidden, lr=lr, dropout=dropout, weight_decay=weight_decay)
    data = DigitsDataModule(batch_size, train_size=train_size, seed=seed)
    run_name = f"tuning/{resolve(name, 'en')}"  # a name from tr() gives one folder
    overrides: dict[str, Any] = {}
    if loggers:
        csv = CSVLogger(save_dir=scratch_dir(run_name), name="", version=0)
        overrides["logger"] = [csv, *loggers]
    trainer = make_trainer(run_name, max_epochs=epochs, seed=seed, **overrides)
    started = time.perf_counter()
    trainer.fit(model, datamodule=data)
    seconds = time.perf_counter() - started
    return RunResult(name, settings, logged_metrics(trainer), seconds, count_parameters(model))


# The table's columns: (Spanish heading, English heading, width).
COLUMNS = (
    ("ejecución", "run", 18),
    ("ocultas", "hidden", 9),
    ("parám.", "params", 8),
    ("η", "η", 7),
    ("lote", "batch", 6),
    ("p", "p", 5),
    ("λ", "λ", 5),
    ("pérd. entr.", "train loss", 12),
    ("mejor pérd. val.", "best val loss", 17),
    ("época", "epoch", 6),
    ("exact. val.", "val acc", 12),
    ("tiempo", "time", 8),
)


def runs_table(runs: Sequence[RunResult]) -> str:
    """A fixed-width table of runs: settings, final training loss and best validation epoch.

    Headings and numbers are written in the reader's language (:mod:`dlcourse.bilingual`);
    the run's name comes first and its wall time, with its unit, last.
    """
    header = "".join(
        align(tr(es=es, en=en), width, "<" if k == 0 else ">")
        for k, (es, en, width) in enumerate(COLUMNS)
    )
    lines = [header, "-" * sum(width for _, _, width in COLUMNS)]
    for run in runs:
        s = run.settings
        cells = (
            run.name,
            "x".join(str(h) for h in s["hidden"]) or "-",
            str(run.parameters),
            number(s["lr"], ".0e"),
            str(s["batch_size"]),
            number(s["dropout"], ".2f"),
            number(s["weight_decay"], ".2f"),
            number(run.history["train_loss"][-1], ".3f"),
            number(run.best_val_loss, ".3f"),
            str(run.best_epoch),
            number(run.best_val_acc, ".3f"),
            number(run.seconds, ".1f") + " s",
        )
        lines.append(
            "".join(
                align(cell, width, "<" if k == 0 else ">")
                for k, (cell, (_, _, width)) in enumerate(zip(cells, COLUMNS, strict=True))
            )
        )
    return "\n".join(lines)
