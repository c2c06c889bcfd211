"""The Lightning helpers: quiet reproducible trainer, logged metrics, binary classifier."""

from __future__ import annotations

import torch
from dlcourse.training.lightning import (
    BinaryClassifier,
    TableDataModule,
    logged_metrics,
    make_trainer,
)


def train(tmp_path, monkeypatch, epochs=8):
    monkeypatch.setenv("DLCOURSE_WORKDIR", str(tmp_path))
    data = TableDataModule("breast_cancer", batch_size=64, positive="malignant")
    torch.manual_seed(0)
    model = BinaryClassifier(n_features=30, hidden=(16,), lr=1e-2)
    trainer = make_trainer("test-run", max_epochs=epochs)
    trainer.fit(model, datamodule=data)
    return model, trainer, data


def test_binary_classifier_learns_and_logs_per_epoch(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    model, trainer, data = train(tmp_path, monkeypatch)
    history = logged_metrics(trainer)
    assert {"train_loss", "val_loss", "train_acc", "val_acc"} <= set(history)
    assert len(history["val_loss"]) == 8
    assert history["val_loss"][-1] < history["val_loss"][0]
    assert history["val_acc"][-1] > 0.9
    probabilities = model.predict_proba(data.split.x_val)
    assert probabilities.shape == (143,) and ((probabilities >= 0) & (probabilities <= 1)).all()
    printed = capsys.readouterr()
    assert (
        "GPU available" not in printed.out + printed.err and "%|" not in printed.out + printed.err
    )
    assert not (tmp_path / "lightning_logs").exists(), "logs must go to the scratch folder"


def test_training_is_deterministic(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    first = logged_metrics(train(tmp_path, monkeypatch, epochs=3)[1])
    second = logged_metrics(train(tmp_path, monkeypatch, epochs=3)[1])
    assert first == second
