"""Reusable pieces of the lesson "The tuning playbook in practice"."""

from __future__ import annotations

from dlcourse.data.digits import DigitsDataModule
from dlcourse.lessons.tuning_playbook import RunResult, fit_digits, quiet_lr_find, runs_table
from dlcourse.training.lightning import DigitsClassifier, make_trainer


def test_fit_digits_is_deterministic_and_the_table_lists_every_run(tmp_path, monkeypatch):
    monkeypatch.setenv("DLCOURSE_WORKDIR", str(tmp_path))
    first = fit_digits("a", hidden=(8,), epochs=2, train_size=128)
    second = fit_digits("b", hidden=(8,), epochs=2, train_size=128)
    assert first.history["val_loss"] == second.history["val_loss"]
    assert first.parameters == 64 * 8 + 8 + 8 * 10 + 10
    table = runs_table([first, second]).splitlines()
    assert len(table) == 4 and table[2].startswith("a") and table[3].startswith("b")
    assert table[2].rstrip().endswith(" s")  # wall time carries its unit


def test_best_epoch_properties():
    run = RunResult("r", {}, {"val_loss": [0.5, 0.2, 0.3], "val_acc": [0.7, 0.9, 0.8]}, 1.0, 10)
    assert (run.best_epoch, run.best_val_loss, run.best_val_acc) == (2, 0.2, 0.9)


def test_range_test_is_quiet_and_sweeps_the_requested_range(tmp_path, monkeypatch, capfd):
    monkeypatch.setenv("DLCOURSE_WORKDIR", str(tmp_path))
    trainer = make_trainer("test-lr-find", max_epochs=20, default_root_dir=str(tmp_path / "lr"))
    finder = quiet_lr_find(
        trainer,
        DigitsClassifier((8,), lr=1e-3),
        DigitsDataModule(64, train_size=256),
        min_lr=1e-4,
        max_lr=1e-1,
        num_training=30,
    )
    lrs = finder.results["lr"]
    assert len(lrs) == 30 and lrs[0] >= 1e-4 and lrs[-1] <= 1e-1
    assert lrs == sorted(lrs)
    out, err = capfd.readouterr()
    assert "it/s" not in out + err  # no tqdm bar
