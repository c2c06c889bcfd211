"""Siamese embeddings trained with a triplet loss, and one-shot classification with them.

A siamese network applies the *same* encoder to every input and is trained on relations
(this image looks like that one, not like the other) instead of on class labels. What it
learns is a distance, so it can compare images of classes it never saw: one labeled
example per new class is enough to classify by nearest neighbor (Koch, Zemel and
Salakhutdinov, 2015; Schroff, Kalenichenko and Philbin, 2015, arXiv:1503.03832).
Introduced in lesson "Siamese networks and one-shot learning".
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn

from dlcourse.runtime import seed_torch, seeded_generator

Encoder = Callable[[torch.Tensor], torch.Tensor]


class EmbeddingNet(nn.Module):
    """A small CNN from an 8x8 image (given as 64 pixels) to a unit-length embedding.

    Convolutions share weights across positions and the final global max-pooling forgets
    where a stroke was found, so the embedding can learn to ignore small shifts.
    """

    def __init__(self, dim: int = 32):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 16, 3, padding=1),
            nn.ReLU(),
            nn.Conv2d(16, 32, 3, padding=1),
            nn.ReLU(),
            nn.MaxPool2d(2),  # (B, 32, 4, 4)
            nn.Conv2d(32, 32, 3, padding=1),
            nn.ReLU(),
            nn.AdaptiveMaxPool2d(1),  # (B, 32, 1, 1)
        )
        self.project = nn.Linear(32, dim)

    def forward(self, x: torch.Tensor) -> torch.Tensor:  # x: (B, 64)
        h = self.features(x.view(-1, 1, 8, 8)).flatten(1)  # (B, 32)
        return F.normalize(self.project(h), dim=1)  # (B, dim), on the unit sphere


def shift_images(x: torch.Tensor, generator: torch.Generator, max_shift: int = 1) -> torch.Tensor:
    """Each 8x8 image of ``x`` (N, 64) moved by a random whole-pixel offset in
    ``-max_shift..max_shift`` along each axis, with zeros entering at the border."""
    m = max_shift
    padded = F.pad(x.view(-1, 8, 8), (m, m, m, m))  # (N, 8 + 2m, 8 + 2m)
    dy = torch.randint(0, 2 * m + 1, (len(x),), generator=generator)
    dx = torch.randint(0, 2 * m + 1, (len(x),), generator=generator)
    out = torch.empty(len(x), 8, 8)
    for oy in range(2 * m + 1):
        for ox in range(2 * m + 1):
            rows = (dy == oy) & (dx == ox)
            out[rows] = padded[rows, oy : oy + 8, ox : ox + 8]
    return out.view(-1, 64)


def class_subset(
    x: torch.Tensor, y: torch.Tensor, classes: Sequence[int]
) -> tuple[torch.Tensor, torch.Tensor]:
    """The rows of ``x`` (N, F) and labels ``y`` (N,) whose class is in ``classes``."""
    keep = torch.isin(y, torch.tensor(list(classes)))
    return x[keep], y[keep]


def sample_triplets(
    y: torch.Tensor, count: int, generator: torch.Generator
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """``count`` random (anchor, positive, negative) row indices: same class, other class.

    Vectorized: rows are grouped by class, and a uniform draw in [0, 1) scaled by a class's
    size picks a member of that class.
    """
    classes, y_index = torch.unique(y, return_inverse=True)  # y_index: (N,) in 0..C-1
    order = torch.argsort(y_index, stable=True)  # rows grouped by class
    sizes = torch.bincount(y_index, minlength=len(classes))  # (C,)
    starts = torch.cumsum(sizes, 0) - sizes  # (C,) first position of each class in ``order``

    def member(of_class: torch.Tensor) -> torch.Tensor:  # (count,) class ids -> row indices
        draw = torch.rand(len(of_class), generator=generator)
        return order[starts[of_class] + (draw * sizes[of_class]).long()]

    anchors = torch.randint(len(y), (count,), generator=generator)
    anchor_class = y_index[anchors]
    shift = torch.randint(1, len(classes), (count,), generator=generator)  # never 0
    other_class = (anchor_class + shift) % len(classes)
    return anchors, member(anchor_class), member(other_class)


@dataclass
class TripletRun:
    encoder: EmbeddingNet
    losses: list[float]  # mean triplet loss per epoch
    active: list[float]  # share of triplets still violating the margin, per epoch


def train_triplet(
    x: torch.Tensor,
    y: torch.Tensor,
    *,
    epochs: int = 20,
    triplets_per_epoch: int = 4096,
    batch_size: int = 256,
    margin: float = 0.2,
    lr: float = 2e-3,
    seed: int = 0,
) -> TripletRun:
    """Train :class:`EmbeddingNet` so that ``d(a, p) + margin < d(a, n)`` for fresh random
    triplets each epoch (squared Euclidean distance, the FaceNet form)."""
    seed_torch(seed)
    generator = seeded_generator(seed)
    encoder = EmbeddingNet()
    optimizer = torch.optim.Adam(encoder.parameters(), lr=lr)
    losses, active = [], []
    for _ in range(epochs):
        a, p, n = sample_triplets(y, triplets_per_epoch, generator)
        epoch_loss, epoch_active = 0.0, 0
        for start in range(0, triplets_per_epoch, batch_size):
            rows = slice(start, start + batch_size)
            ea, ep, en = encoder(x[a[rows]]), encoder(x[p[rows]]), encoder(x[n[rows]])  # (B, d)
            gap = (ea - ep).pow(2).sum(1) - (ea - en).pow(2).sum(1) + margin  # (B,)
            loss = F.relu(gap).mean()
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            epoch_loss += loss.item() * len(gap)
            epoch_active += int((gap > 0).sum())
        losses.append(epoch_loss / triplets_per_epoch)
        active.append(epoch_active / triplets_per_epoch)
    return TripletRun(encoder, losses, active)


def one_shot_accuracy(
    encode: Encoder,
    x: torch.Tensor,
    y: torch.Tensor,
    *,
    episodes: int = 200,
    seed: int = 0,
) -> float:
    """Mean accuracy over episodes: one random support example per class in ``y``, every
    other example classified by its nearest support embedding (Euclidean distance)."""
    generator = seeded_generator(seed)
    classes = torch.unique(y)
    with torch.no_grad():
        z = encode(x)  # (N, d)
    correct = 0.0
    for _ in range(episodes):
        support = torch.stack(
            [
                torch.nonzero(y == c).squeeze(1)[
                    torch.randint(int((y == c).sum()), (1,), generator=generator)
                ][0]
                for c in classes
            ]
        )  # (C,) one row index per class
        query = torch.ones(len(y), dtype=torch.bool)
        query[support] = False
        nearest = torch.cdist(z[query], z[support]).argmin(dim=1)  # (Q,) index into classes
        correct += (classes[nearest] == y[query]).float().mean().item()
    return correct / episodes
