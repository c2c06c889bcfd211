"""Reusable pieces of the lesson "Overfitting and underfitting"."""

from __future__ import annotations

import torch
from dlcourse.data.digits import DigitsDataModule, digits_split
from dlcourse.lessons.overfitting import capacity_sweep, train_width
from dlcourse.training import ClassifierHistory, best_epoch
from dlcourse.training.lightning import DigitsClassifier, logged_metrics, make_trainer
from pytorch_lightning.callbacks import EarlyStopping, ModelCheckpoint


def test_best_epoch_is_the_lowest_validation_loss():
    history = ClassifierHistory(val_loss=[0.9, 0.4, 0.5, 0.3, 0.6])
    assert best_epoch(history.val_loss) == 3


def test_narrow_networks_underfit_and_wide_ones_fit_the_training_set():
    split = digits_split(train_size=150)
    sweep = capacity_sweep(split, (2, 256), epochs=25)
    assert sweep[2].train_loss[-1] > 1.0  # cannot even fit the training set
    assert sweep[256].train_loss[-1] < 0.05  # fits it almost perfectly
    assert sweep[256].val_loss[-1] > 2 * sweep[256].train_loss[-1]  # a generalisation gap


def test_width_training_is_reproducible():
    split = digits_split(train_size=100)
    first = train_width(split, 16, epochs=3)
    second = train_width(split, 16, epochs=3)
    assert first.val_loss == second.val_loss


def test_early_stopping_restores_the_best_epoch(tmp_path, monkeypatch):
    monkeypatch.setenv("DLCOURSE_WORKDIR", str(tmp_path))
    keeper = ModelCheckpoint(dirpath=tmp_path / "ckpt", monitor="val_loss", mode="min")
    trainer = make_trainer(
        "test-early",
        max_epochs=30,
        callbacks=[EarlyStopping(monitor="val_loss", patience=2), keeper],
        enable_checkpointing=True,
    )
    data = DigitsDataModule(batch_size=32, train_size=200)
    torch.manual_seed(0)
    trainer.fit(DigitsClassifier(hidden=(256, 256), lr=3e-3), datamodule=data)
    logged = logged_metrics(trainer)["val_loss"]
    assert len(logged) < 30  # it stopped early
    restored = DigitsClassifier.load_from_checkpoint(keeper.best_model_path)
    again = trainer.validate(restored, datamodule=data, verbose=False)[0]["val_loss"]
    assert abs(again - min(logged)) < 1e-5
