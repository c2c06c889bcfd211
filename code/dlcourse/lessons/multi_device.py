"""Distributed data parallel with Lightning: what each process saw, and a same-order baseline.

Lightning's multi-process strategies run ``fit`` in child processes: metrics printed or
kept in memory there never reach the lesson. :class:`ProcessRecorder` writes, from every
process, what that process did (examples, steps, its own validation loss, the epoch
metrics) to a JSON file in a scratch folder, and :func:`read_process_records` reads them
back in the main process. Introduced in lesson "Training on several devices".
"""

from __future__ import annotations

import json
import multiprocessing
import os
import zlib
from pathlib import Path

import pytorch_lightning as pl
import torch
from torch.nn import functional as F
from torch.utils.data import DataLoader, DistributedSampler, TensorDataset

from dlcourse.data.digits import DigitsDataModule


def process_strategy() -> str:
    """The Lightning strategy that starts one process per device from a script *or* a notebook.

    ``"ddp_fork"`` (the strategy behind ``"ddp_notebook"``) copies the running process,
    so nothing is pickled and the calling script is not imported again; it needs a
    platform with ``fork`` (Linux, macOS) and CUDA not yet initialized in the parent.
    Elsewhere ``"ddp_spawn"`` is the fallback, which needs the lesson's code behind an
    ``if __name__ == "__main__":`` guard when run as a script.
    """
    return "ddp_fork" if "fork" in multiprocessing.get_all_start_methods() else "ddp_spawn"


class ProcessRecorder(pl.Callback):
    """Writes ``rank-<r>.json`` in ``folder`` from every process at the end of ``fit``.

    Records the world size, the training sampler's class, the training examples and
    optimizer steps of the first epoch (with a :func:`fingerprint` of each example, so
    the main process can check which examples each process saw), the validation
    examples of the process and the validation loss on that shard alone (no
    synchronization), and, per epoch, the metrics the trainer would report
    (``trainer.callback_metrics``, already synchronized).
    """

    def __init__(self, folder: str | Path) -> None:
        super().__init__()
        self.folder = Path(folder)
        self.record: dict = {}

    def on_fit_start(self, trainer: pl.Trainer, pl_module: pl.LightningModule) -> None:
        self.record = {"rank": trainer.global_rank, "world_size": trainer.world_size}
        self.record.update(epochs=[], train_examples=0, train_steps=0, train_rows=[])

    def on_train_batch_end(self, trainer, pl_module, outputs, batch, batch_idx: int) -> None:
        if trainer.current_epoch == 0:
            self.record["train_examples"] += len(batch[1])
            self.record["train_steps"] += 1
            self.record["train_rows"] += fingerprint(batch[0])

    def on_validation_epoch_end(self, trainer: pl.Trainer, pl_module: pl.LightningModule) -> None:
        if trainer.sanity_checking:
            return
        loader = trainer.val_dataloaders  # Lightning's copy, with a DistributedSampler under DDP
        assert loader is not None, "validation runs only with a validation loader"
        loss_sum, seen = 0.0, 0
        with torch.no_grad():
            for x, y in loader:
                x, y = x.to(pl_module.device), y.to(pl_module.device)  # (B, 64), (B,)
                loss_sum += F.cross_entropy(pl_module(x), y, reduction="sum").item()
                seen += len(y)
        self.record["val_examples"], self.record["local_val_loss"] = seen, loss_sum / seen

    def on_train_epoch_end(self, trainer: pl.Trainer, pl_module: pl.LightningModule) -> None:
        metrics = {k: float(v) for k, v in trainer.callback_metrics.items()}
        self.record["epochs"].append(metrics)
        loader = trainer.train_dataloader
        assert loader is not None, "a training epoch runs only with a training loader"
        self.record["sampler"] = type(loader.sampler).__name__

    def on_fit_end(self, trainer: pl.Trainer, pl_module: pl.LightningModule) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / f"rank-{self.record['rank']}.json"
        path.write_text(json.dumps(self.record, indent=1))


def fingerprint(rows: torch.Tensor) -> list[int]:
    """A checksum of each row of ``rows`` (B, F): equal rows give equal numbers, in any
    process (unlike Python's ``hash``, which each interpreter salts)."""
    return [zlib.crc32(row.numpy().tobytes()) for row in rows.detach().cpu()]


def read_process_records(folder: str | Path) -> list[dict]:
    """The records :class:`ProcessRecorder` wrote, one per process, sorted by rank."""
    records = [json.loads(p.read_text()) for p in Path(folder).glob("rank-*.json")]
    return sorted(records, key=lambda r: r["rank"])


def epoch_history(record: dict) -> dict[str, list[float]]:
    """Per-epoch lists of each metric in a record: ``{"val_loss": [...], ...}``."""
    keys = record["epochs"][0].keys() if record["epochs"] else ()
    return {k: [epoch[k] for epoch in record["epochs"]] for k in keys}


class SameOrderDigits(DigitsDataModule):
    """Digits in the order a ``DistributedSampler`` shuffles them, served to ONE process.

    Every epoch Lightning's sampler draws the same permutation on every process (seeded
    with the global seed plus the epoch) and deals it out: process ``r`` of ``W`` takes
    positions ``r, r + W, r + 2W, ...``. A single process reading that permutation in
    batches of ``W * b`` therefore sees, at every step, exactly the union of what ``W``
    processes see in batches of ``b``: the baseline that makes DDP's gradient averaging
    visible. The permutation's seed is the one Lightning gives its samplers: the global
    seed that ``seed_everything`` set (``PL_GLOBAL_SEED``, shifted with
    ``DLCOURSE_SEED_SHIFT`` by :func:`dlcourse.training.lightning.make_trainer`).
    Introduced in lesson "Training on several devices".
    """

    def train_dataloader(self) -> DataLoader:
        assert self.split is not None, "setup() builds the split before any dataloader"
        dataset = TensorDataset(self.split.x_train, self.split.y_train)  # (N, 64), (N,)
        seed = int(os.environ.get("PL_GLOBAL_SEED", 0))  # as Lightning seeds its samplers
        sampler: DistributedSampler[tuple[torch.Tensor, ...]] = DistributedSampler(
            dataset, num_replicas=1, rank=0, shuffle=True, seed=seed
        )
        return DataLoader(dataset, batch_size=self.batch_size, sampler=sampler)
