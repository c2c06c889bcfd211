"""Learning-rate schedules for the digits classifier, stepped once per optimizer step.

Each schedule is a ``torch.optim.lr_scheduler`` object built from a name, so that the same
``LightningModule`` can be trained under each one and ``LearningRateMonitor`` can log the
rate it actually used at every step. Introduced in lesson "Learning-rate schedules".
"""

from __future__ import annotations

import torch
from torch.optim import lr_scheduler

from dlcourse.training.lightning import DigitsClassifier

SCHEDULES = ("constant", "step", "exponential", "cosine", "one-cycle", "warm-up + cosine")


def make_schedule(
    name: str, optimizer: torch.optim.Optimizer, total_steps: int, *, peak_lr: float
) -> lr_scheduler.LRScheduler:
    """The scheduler called ``name`` for a run of ``total_steps`` optimizer steps.

    ``peak_lr`` is the optimizer's base rate: every schedule starts from it except
    one-cycle and warm-up, which climb to it first.
    """
    if name == "constant":
        return lr_scheduler.LambdaLR(optimizer, lambda step: 1.0)
    if name == "step":  # divide by 10 at 50% and again at 75% of training
        milestones = [total_steps // 2, 3 * total_steps // 4]
        return lr_scheduler.MultiStepLR(optimizer, milestones=milestones, gamma=0.1)
    if name == "exponential":  # end at 1% of the start
        return lr_scheduler.ExponentialLR(optimizer, gamma=0.01 ** (1 / total_steps))
    if name == "cosine":
        return lr_scheduler.CosineAnnealingLR(optimizer, T_max=total_steps)
    if name == "one-cycle":
        return lr_scheduler.OneCycleLR(optimizer, max_lr=peak_lr, total_steps=total_steps)
    if name == "warm-up + cosine":  # 10% linear warm-up from 1% of the peak, then cosine
        warm = max(1, total_steps // 10)
        return lr_scheduler.SequentialLR(
            optimizer,
            schedulers=[
                lr_scheduler.LinearLR(optimizer, start_factor=0.01, total_iters=warm),
                lr_scheduler.CosineAnnealingLR(optimizer, T_max=total_steps - warm),
            ],
            milestones=[warm],
        )
    raise KeyError(f"unknown schedule {name!r}; choose one of {SCHEDULES}")


class ScheduledDigitsClassifier(DigitsClassifier):
    """:class:`~dlcourse.training.lightning.DigitsClassifier` whose learning rate follows a schedule
    updated after every optimizer step (not every epoch)."""

    def __init__(self, schedule: str, total_steps: int, **kwargs) -> None:
        super().__init__(**kwargs)
        self.schedule, self.total_steps = schedule, total_steps

    def configure_optimizers(self):
        optimizer = torch.optim.AdamW(
            self.parameters(), lr=self.lr, weight_decay=self.hparams.weight_decay
        )
        scheduler = make_schedule(self.schedule, optimizer, self.total_steps, peak_lr=self.lr)
        return {
            "optimizer": optimizer,
            "lr_scheduler": {"scheduler": scheduler, "interval": "step"},
        }
