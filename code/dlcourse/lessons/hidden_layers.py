"""Two-dimensional toy problems and their decision boundaries.

Small 2-D classification sets (XOR, moons, circles) can be drawn whole, so a lesson can
show *where* a model puts its boundary, not only how accurate it is. Everything is made
in memory from a seed; nothing is downloaded. Introduced in lesson "Hidden layers and
activations".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import torch
from matplotlib.axes import Axes
from sklearn import datasets
from sklearn.model_selection import train_test_split
from torch import nn

from dlcourse.bilingual import tr
from dlcourse.plotting import PALETTE, course_style
from dlcourse.runtime import seeded_generator, shifted
from dlcourse.training import fit

XOR_CORNERS = torch.tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])  # (4, 2)
XOR_LABELS = torch.tensor([0.0, 1.0, 1.0, 0.0])  # (4,) exactly one input on -> 1


@dataclass(frozen=True)
class Points2D:
    """A 2-D binary classification set split into train and validation tensors."""

    x_train: torch.Tensor  # (N_train, 2) float32
    y_train: torch.Tensor  # (N_train,) float32 in {0, 1}
    x_val: torch.Tensor  # (N_val, 2)
    y_val: torch.Tensor  # (N_val,)


def xor_points(n_per_corner: int = 50, *, noise: float = 0.15, seed: int = 0) -> Points2D:
    """Noisy copies of the four XOR corners: clouds around (0,0), (0,1), (1,0), (1,1).

    The four exact corners are the textbook XOR table; the clouds make the boundary
    visible and give a validation set. Label 1 when exactly one coordinate is "on".
    """
    generator = seeded_generator(seed)

    def sample() -> tuple[torch.Tensor, torch.Tensor]:
        centres = XOR_CORNERS.repeat_interleave(n_per_corner, dim=0)  # (4n, 2)
        labels = XOR_LABELS.repeat_interleave(n_per_corner)  # (4n,)
        return centres + noise * torch.randn(centres.shape, generator=generator), labels

    (x_train, y_train), (x_val, y_val) = sample(), sample()
    return Points2D(x_train, y_train, x_val, y_val)


def sklearn_points(
    name: str, n: int = 400, *, noise: float = 0.2, val_fraction: float = 0.5, seed: int = 0
) -> Points2D:
    """``make_moons`` or ``make_circles`` from scikit-learn as float32 tensors, split in two."""
    makers = {
        "moons": lambda: datasets.make_moons(n, noise=noise, random_state=shifted(seed)),
        "circles": lambda: datasets.make_circles(
            n, noise=noise, factor=0.5, random_state=shifted(seed)
        ),
    }
    if name not in makers:
        raise KeyError(f"unknown toy set {name!r}; choose one of {sorted(makers)}")
    x, y = makers[name]()
    x_train, x_val, y_train, y_val = train_test_split(
        x, y, test_size=val_fraction, random_state=shifted(seed), stratify=y
    )
    tensors = (torch.tensor(a, dtype=torch.float32) for a in (x_train, y_train, x_val, y_val))
    return Points2D(*tensors)


def fit_classifier(
    model: nn.Module,
    x: torch.Tensor,  # (N, 2)
    y: torch.Tensor,  # (N,) in {0, 1}
    *,
    epochs: int = 500,
    lr: float = 0.03,
) -> list[float]:
    """Full-batch Adam on binary cross-entropy with logits (:func:`dlcourse.training.fit`
    on the single batch ``(x, y)``); returns the loss per step.

    The model must output one logit per example, shape (N, 1) or (N,). Adam rather than
    plain gradient descent so that every model of a comparison gets the same, reliable
    optimizer and differences come from the architecture alone.
    """
    optimiser = torch.optim.Adam(model.parameters(), lr=lr)
    return fit(model, [(x, y)], optimiser, epochs=epochs, loss_fn=binary_logit_loss)


def binary_logit_loss(logits: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Binary cross-entropy of logits (N, 1) or (N,) against labels (N,) in {0, 1}."""
    return nn.functional.binary_cross_entropy_with_logits(logits.reshape(-1), y)


@torch.no_grad()
def predict_proba(model: nn.Module, x: torch.Tensor) -> torch.Tensor:
    """Probability of class 1 for each row of ``x`` (N, 2) -> (N,)."""
    model.eval()
    return torch.sigmoid(model(x).reshape(-1))


def accuracy(model: nn.Module, x: torch.Tensor, y: torch.Tensor) -> float:
    """Share of points on the right side of the 0.5 boundary."""
    return ((predict_proba(model, x) >= 0.5).float() == y).float().mean().item()


def decision_grid(
    x: torch.Tensor, *, steps: int = 200, margin: float = 0.5
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """A regular grid covering the points ``x`` (N, 2) plus a margin.

    Returns (points, xx, yy): points (steps*steps, 2) to feed a model, and the two
    (steps, steps) coordinate arrays that ``contourf`` needs to draw its answer.
    """
    low, high = x.min(0).values - margin, x.max(0).values + margin  # (2,), (2,)
    xs = torch.linspace(low[0].item(), high[0].item(), steps)
    ys = torch.linspace(low[1].item(), high[1].item(), steps)
    xx, yy = torch.meshgrid(xs, ys, indexing="xy")  # (steps, steps) each
    return torch.stack([xx.reshape(-1), yy.reshape(-1)], dim=1), xx, yy


def plot_decision_boundary(
    ax: Axes,
    predict: nn.Module | Callable[[torch.Tensor], torch.Tensor],
    x: torch.Tensor,  # (N, 2)
    y: torch.Tensor,  # (N,)
    *,
    title: str,
    steps: int = 200,
) -> None:
    """Shade P(class 1) over the plane, draw the 0.5 contour and the labeled points.

    ``predict`` is a model returning logits or any function returning probabilities.
    """
    points, xx, yy = decision_grid(x, steps=steps)
    if isinstance(predict, nn.Module):
        proba = predict_proba(predict, points)
    else:
        with torch.no_grad():
            proba = predict(points)
    zz = proba.reshape(xx.shape).cpu().numpy()  # (steps, steps)
    with course_style():
        ax.contourf(xx, yy, zz, levels=np.linspace(0, 1, 11), cmap="RdBu_r", alpha=0.55)
        if zz.min() < 0.5 < zz.max():
            ax.contour(xx, yy, zz, levels=[0.5], colors="#222222", linewidths=1.5)
        for label, colour, marker in ((0, PALETTE[0], "o"), (1, PALETTE[3], "^")):
            mask = (y == label).cpu().numpy()
            ax.scatter(
                x[mask, 0].cpu(),
                x[mask, 1].cpu(),
                s=14,
                c=colour,
                marker=marker,
                edgecolors="white",
                linewidths=0.4,
                label=tr(es=f"clase {label}", en=f"class {label}"),
            )
        ax.set(title=title, xlabel="$x_1$", ylabel="$x_2$")
        ax.grid(False)
