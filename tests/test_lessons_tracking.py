"""Reusable pieces of the lesson "Experiment tracking and visualization"."""

from __future__ import annotations

import os

from dlcourse.data.digits import DigitsDataModule
from dlcourse.lessons.experiment_tracking import (
    OFFLINE_MLFLOW_ENV,
    mlflow_logger,
    offline_mlflow,
    read_mlflow_runs,
    read_tensorboard_scalars,
    tensorboard_logger,
    values,
)
from dlcourse.training.lightning import DigitsClassifier, make_trainer


def test_offline_mlflow_sets_and_restores_the_environment(monkeypatch):
    for key in OFFLINE_MLFLOW_ENV:
        monkeypatch.delenv(key, raising=False)
    with offline_mlflow():
        assert all(os.environ[key] == value for key, value in OFFLINE_MLFLOW_ENV.items())
    assert not any(key in os.environ for key in OFFLINE_MLFLOW_ENV)


def test_both_loggers_store_the_same_curves_and_the_hyperparameters(tmp_path, monkeypatch):
    monkeypatch.setenv("DLCOURSE_WORKDIR", str(tmp_path / "work"))
    with offline_mlflow():
        loggers = [
            tensorboard_logger(tmp_path / "tb", "tiny"),
            mlflow_logger(tmp_path, "exp", "tiny"),
        ]
        trainer = make_trainer("test-tracking", max_epochs=2, logger=loggers)
        trainer.fit(
            DigitsClassifier(hidden=(8,), lr=3e-3),
            datamodule=DigitsDataModule(batch_size=64, train_size=128),
        )
    scalars = read_tensorboard_scalars(tmp_path / "tb" / "tiny" / "version_0")
    (run,) = read_mlflow_runs(tmp_path, "exp")
    assert run["name"] == "tiny" and run["params"]["hidden"] == "(8,)"
    assert len(values(scalars["val_loss"])) == 2
    assert values(scalars["val_loss"]) == values(run["history"]["val_loss"])
    assert read_mlflow_runs(tmp_path, "missing") == []


def test_values_sorts_by_step():
    assert values([(3, 0.1), (1, 0.5), (2, 0.3)]) == [0.5, 0.3, 0.1]
