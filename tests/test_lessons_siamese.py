"""Reusable pieces of the lesson "Siamese networks and one-shot learning"."""

from __future__ import annotations

import pytest
import torch
from dlcourse.data.digits import digits_split
from dlcourse.lessons import siamese
from dlcourse.lessons.siamese import (
    EmbeddingNet,
    class_subset,
    one_shot_accuracy,
    sample_triplets,
    shift_images,
    train_triplet,
)
from torch import nn


def test_triplets_pair_same_and_different_classes():
    y = torch.tensor([0, 0, 1, 1, 2, 2, 2])
    a, p, n = sample_triplets(y, 500, torch.Generator().manual_seed(0))
    assert torch.equal(y[a], y[p]) and (y[a] != y[n]).all()
    assert set(n.tolist()) == set(range(7))  # every row can be drawn as a negative


def test_shift_moves_pixels_by_at_most_one_and_keeps_shape():
    image = torch.zeros(1, 64)
    image[0, 3 * 8 + 4] = 1.0  # one bright pixel at row 3, column 4
    shifted = shift_images(image.repeat(200, 1), torch.Generator().manual_seed(0))
    rows, cols = (shifted.view(-1, 8, 8) == 1.0).nonzero()[:, 1:].T
    assert shifted.shape == (200, 64) and (shifted.sum(1) == 1).all()
    assert set(rows.tolist()) == {2, 3, 4} and set(cols.tolist()) == {3, 4, 5}


def test_embeddings_have_unit_length():
    z = EmbeddingNet()(torch.rand(5, 64))
    assert z.shape == (5, 32) and torch.allclose(z.norm(dim=1), torch.ones(5), atol=1e-6)


def test_one_shot_accuracy_of_a_perfect_and_a_useless_encoder():
    x = torch.tensor([[0.0], [0.1], [5.0], [5.1], [9.0], [9.2]])
    y = torch.tensor([0, 0, 1, 1, 2, 2])
    assert one_shot_accuracy(lambda v: v, x, y, episodes=20) == 1.0
    constant = one_shot_accuracy(lambda v: torch.zeros_like(v), x, y, episodes=20)
    assert constant < 0.5  # every query goes to the first class


def test_triplet_training_separates_seen_classes():
    split = digits_split(train_size=600)
    x, y = class_subset(split.x_train, split.y_train, range(4))
    run = train_triplet(x, y, epochs=3, triplets_per_epoch=1024)
    assert run.active[-1] < run.active[0] and run.losses[-1] < run.losses[0]
    x_val, y_val = class_subset(split.x_val, split.y_val, range(4))
    assert one_shot_accuracy(run.encoder.eval(), x_val, y_val, episodes=50) > 0.8


class _TableEncoder(nn.Module):
    """Stands in for EmbeddingNet: input ``[i]`` gets row ``i`` of a trainable table, so the
    loss of :func:`train_triplet` is computed on embeddings chosen by the test."""

    def __init__(self, table: torch.Tensor):
        super().__init__()
        self.table = nn.Parameter(table.clone())

    def forward(self, x: torch.Tensor) -> torch.Tensor:  # x: (B, 1) row numbers
        return self.table[x[:, 0].long()]  # (B, d)


class _GradientRecorder(torch.optim.Optimizer):
    """Stands in for Adam: keeps a copy of the gradients of every step, changes nothing."""

    def __init__(self, params, lr):
        super().__init__(params, {"lr": lr})
        self.gradients: list[torch.Tensor] = []

    def step(self, closure=None):
        (parameter,) = self.param_groups[0]["params"]
        self.gradients.append(parameter.grad.clone())


def squared_euclidean(u: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
    return (u - v).pow(2).sum(-1)


@pytest.mark.parametrize("margin", [0.5, 0.2], ids=["lesson margin", "default margin"])
def test_triplet_loss_matches_torch_triplet_margin_with_distance_loss(monkeypatch, margin):
    """train_triplet's loss is PyTorch's triplet loss with the squared Euclidean distance:
    the same value per batch and the same gradient with respect to every embedding."""
    rows, dim, count, batch_size = 40, 8, 100, 64  # two batches: 64 and 36 triplets
    table = 0.4 * torch.randn(rows, dim, generator=torch.Generator().manual_seed(0))
    y = torch.arange(rows) % 4
    monkeypatch.setattr(siamese, "EmbeddingNet", lambda: _TableEncoder(table))
    recorders: list[_GradientRecorder] = []

    def recording_adam(params, lr):
        recorders.append(_GradientRecorder(params, lr))
        return recorders[-1]

    monkeypatch.setattr(torch.optim, "Adam", recording_adam)
    run = train_triplet(
        torch.arange(rows, dtype=torch.float32)[:, None],
        y,
        epochs=1,
        triplets_per_epoch=count,
        batch_size=batch_size,
        margin=margin,
        seed=3,
    )
    (recorder,) = recorders
    assert len(recorder.gradients) == 2

    a, p, n = sample_triplets(y, count, torch.Generator().manual_seed(3))  # the run's triplets
    reference = nn.TripletMarginWithDistanceLoss(distance_function=squared_euclidean, margin=margin)
    per_triplet = nn.TripletMarginWithDistanceLoss(
        distance_function=squared_euclidean, margin=margin, reduction="none"
    )(table[a], table[p], table[n])
    total = 0.0
    for step, start in enumerate(range(0, count, batch_size)):
        batch = slice(start, start + batch_size)
        embeddings = table.clone().requires_grad_(True)
        loss = reference(embeddings[a[batch]], embeddings[p[batch]], embeddings[n[batch]])
        loss.backward()
        assert torch.allclose(recorder.gradients[step], embeddings.grad, atol=1e-6)
        total += loss.item() * len(a[batch])
        satisfied = per_triplet[batch] == 0
        assert satisfied.any() and not satisfied.all()  # both kinds of triplet in each batch
    assert run.losses[0] == pytest.approx(total / count, rel=1e-6)
    assert run.active[0] == pytest.approx((per_triplet > 0).float().mean().item())
