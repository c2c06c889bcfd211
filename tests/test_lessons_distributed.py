"""Reusable pieces of the lesson "Training on several devices"."""

from __future__ import annotations

import torch
from dlcourse.data.digits import DigitsDataModule
from dlcourse.lessons.multi_device import (
    ProcessRecorder,
    SameOrderDigits,
    epoch_history,
    process_strategy,
    read_process_records,
)
from dlcourse.training.lightning import DigitsClassifier, logged_metrics, make_trainer
from torch.utils.data import DistributedSampler


def test_same_order_batches_are_the_union_of_the_distributed_shards():
    data = SameOrderDigits(batch_size=8, train_size=64, seed=0)
    data.setup("fit")
    single = [y for _, y in data.train_dataloader()]
    dataset = data.train_dataloader().dataset
    shards = [
        list(DistributedSampler(dataset, num_replicas=2, rank=r, shuffle=True, seed=0))
        for r in (0, 1)
    ]
    labels = data.split.y_train
    for k, batch in enumerate(single):
        union = sorted(labels[shards[0][4 * k : 4 * k + 4] + shards[1][4 * k : 4 * k + 4]].tolist())
        assert sorted(batch.tolist()) == union


def test_two_processes_match_one_process_with_the_effective_batch(tmp_path, monkeypatch):
    monkeypatch.setenv("DLCOURSE_WORKDIR", str(tmp_path))
    torch.manual_seed(0)
    ddp_model = DigitsClassifier(hidden=(16,), lr=3e-3)
    trainer = make_trainer(
        "test-ddp",
        max_epochs=2,
        accelerator="cpu",
        devices=2,
        strategy=process_strategy(),
        callbacks=[ProcessRecorder(tmp_path / "records")],
    )
    trainer.fit(ddp_model, datamodule=DigitsDataModule(batch_size=16, train_size=256))
    records = read_process_records(tmp_path / "records")
    assert [r["rank"] for r in records] == [0, 1]
    assert all(r["train_examples"] == 128 and r["world_size"] == 2 for r in records)
    assert records[0]["sampler"] == "DistributedSampler"

    torch.manual_seed(0)
    single_model = DigitsClassifier(hidden=(16,), lr=3e-3)
    single = make_trainer("test-single", max_epochs=2, accelerator="cpu", devices=1)
    single.fit(single_model, datamodule=SameOrderDigits(batch_size=32, train_size=256))
    ddp_loss = epoch_history(records[0])["val_loss"]
    assert (
        max(abs(a - b) for a, b in zip(ddp_loss, logged_metrics(single)["val_loss"], strict=True))
        < 1e-5
    )
    for a, b in zip(
        ddp_model.state_dict().values(), single_model.state_dict().values(), strict=True
    ):
        assert torch.allclose(a, b, atol=1e-5)
