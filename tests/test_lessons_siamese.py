"""Reusable pieces of the lesson "Siamese networks and one-shot learning"."""

from __future__ import annotations

import torch
from dlcourse.data.digits import digits_split
from dlcourse.lessons.siamese import (
    EmbeddingNet,
    class_subset,
    one_shot_accuracy,
    sample_triplets,
    shift_images,
    train_triplet,
)


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
