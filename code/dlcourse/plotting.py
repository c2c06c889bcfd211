"""Course-styled figures with bilingual alt text.

Figures keep an opaque white background so they stay readable on the site's light and
dark palettes alike. The style is applied with ``plt.rc_context`` inside each helper,
never by changing the global ``rcParams``. One execution serves both languages: titles,
labels and legends are written with :func:`dlcourse.bilingual.tr`, and the site draws each
figure once per language. Introduced in lesson "A single neuron"; used by every lesson.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import matplotlib.pyplot as plt
import numpy as np
from cycler import cycler
from matplotlib.figure import Figure

from dlcourse.bilingual import tr

if TYPE_CHECKING:
    from matplotlib.typing import RcKeyType

# Okabe & Ito's color-blind-safe palette.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")
STYLE: dict[RcKeyType, Any] = {
    "figure.facecolor": "white",
    "axes.facecolor": "white",
    "savefig.facecolor": "white",
    "axes.edgecolor": "#333333",
    "axes.labelcolor": "#222222",
    "text.color": "#222222",
    "xtick.color": "#333333",
    "ytick.color": "#333333",
    "axes.grid": True,
    "grid.color": "#dddddd",
    "grid.linewidth": 0.8,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 12,
    "axes.titleweight": "bold",
    "axes.labelsize": 11,
    "legend.frameon": False,
    "lines.linewidth": 2.0,
    "font.size": 10.5,
    "axes.prop_cycle": cycler(color=PALETTE),
}


@contextmanager
def course_style() -> Iterator[None]:
    """Draw inside this block to get the course look without touching global state."""
    with plt.rc_context(STYLE):
        yield


def set_alt(fig: Figure, *, es: str, en: str) -> Figure:
    """Attach alt text in both languages; the site puts it on the published image."""
    # A plain attribute that Figure does not declare; coursebuild's runner reads it with getattr.
    setattr(fig, "course_alt", {"es": es, "en": en})  # noqa: B010
    return fig


def new_figure(
    ncols: int = 1, nrows: int = 1, *, width: float = 6.4, height: float = 4.0, **kwargs
):
    """A styled figure and its axes (call inside :func:`course_style` to style artists too)."""
    with course_style():
        return plt.subplots(
            nrows, ncols, figsize=(width * ncols, height * nrows), layout="constrained", **kwargs
        )


def plot_curves(
    curves: Mapping[str, Sequence[float]],
    *,
    title: str,
    xlabel: str,
    ylabel: str,
    alt_es: str,
    alt_en: str,
    logy: bool = False,
) -> Figure:
    """Line plot of several named series against their index (epochs, steps)."""
    with course_style():
        fig, ax = plt.subplots(figsize=(6.4, 4.0), layout="constrained")
        for label, values in curves.items():
            ax.plot(np.arange(1, len(values) + 1), values, label=label)
        ax.set(title=title, xlabel=xlabel, ylabel=ylabel)
        if logy:
            ax.set_yscale("log")
        if len(curves) > 1:
            ax.legend()
    return set_alt(fig, es=alt_es, en=alt_en)


def plot_confusion_matrix(
    matrix: np.ndarray,  # (C, C) counts, rows = true class, columns = predicted
    labels: Sequence[str],
    *,
    title: str,
    alt_es: str,
    alt_en: str,
) -> Figure:
    """Confusion matrix as an annotated heat map (introduced in "Binary classification")."""
    matrix = np.asarray(matrix)
    with course_style():
        fig, ax = plt.subplots(figsize=(4.6, 4.0), layout="constrained")
        ax.imshow(matrix, cmap="Blues")
        ax.grid(False)
        threshold = matrix.max() / 2
        for (i, j), value in np.ndenumerate(matrix):
            ax.text(
                j,
                i,
                f"{value}",
                ha="center",
                va="center",
                fontsize=13,
                color="white" if value > threshold else "#222222",
            )
        ax.set(
            xticks=range(len(labels)),
            yticks=range(len(labels)),
            xticklabels=labels,
            yticklabels=labels,
            title=title,
            xlabel=tr(es="predicha", en="predicted"),
            ylabel=tr(es="real", en="true"),
        )
    return set_alt(fig, es=alt_es, en=alt_en)
