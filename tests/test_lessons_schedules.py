"""Reusable pieces of the lesson "Learning-rate schedules"."""

from __future__ import annotations

import math

import pytest
import torch
from dlcourse.data.digits import DigitsDataModule
from dlcourse.lessons.lr_schedules import SCHEDULES, ScheduledDigitsClassifier, make_schedule
from dlcourse.training.lightning import logged_steps
from pytorch_lightning.callbacks import LearningRateMonitor


def rates(name: str, steps: int = 100) -> list[float]:
    w = torch.nn.Parameter(torch.zeros(1))
    optimizer = torch.optim.SGD([w], lr=1.0)
    scheduler = make_schedule(name, optimizer, steps, peak_lr=1.0)
    seen = []
    for _ in range(steps):
        seen.append(optimizer.param_groups[0]["lr"])
        optimizer.step()
        scheduler.step()
    return seen


def test_cosine_matches_its_closed_form():
    for t, value in enumerate(rates("cosine")):
        assert value == pytest.approx(0.5 * (1 + math.cos(math.pi * t / 100)), abs=1e-9)


def test_warm_up_is_linear_then_peaks():
    seen = rates("warm-up + cosine")
    steps = [b - a for a, b in zip(seen[:10], seen[1:11], strict=True)]
    assert seen[0] == pytest.approx(0.01)
    assert max(steps) - min(steps) < 1e-9 and seen[10] == pytest.approx(1.0)


def test_step_and_exponential_endpoints():
    step = rates("step")
    assert step[49] == 1.0 and step[50] == pytest.approx(0.1) and step[75] == pytest.approx(0.01)
    assert rates("exponential")[-1] == pytest.approx(0.01 ** (99 / 100))
    one_cycle = rates("one-cycle")
    assert max(one_cycle) == pytest.approx(1.0) and one_cycle[0] < 0.1 and one_cycle[-1] < 1e-3


def test_unknown_schedule_is_refused():
    with pytest.raises(KeyError):
        rates("triangular")
    assert len(SCHEDULES) == 6


def test_lightning_steps_the_schedule_every_optimizer_step(tmp_path, monkeypatch):
    from dlcourse.training.lightning import make_trainer

    monkeypatch.setenv("DLCOURSE_WORKDIR", str(tmp_path))
    data = DigitsDataModule(batch_size=64, train_size=256)  # 4 steps per epoch
    model = ScheduledDigitsClassifier("cosine", 8, hidden=(16,), lr=1e-2)
    trainer = make_trainer(
        "test-schedule", max_epochs=2, callbacks=[LearningRateMonitor(logging_interval="step")]
    )
    trainer.fit(model, datamodule=data)
    logged = logged_steps(trainer, "lr-AdamW")
    assert len(logged) == 8
    assert logged == pytest.approx([5e-3 * (1 + math.cos(math.pi * t / 8)) for t in range(8)])
