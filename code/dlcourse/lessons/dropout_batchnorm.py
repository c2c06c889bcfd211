"""Dropout and batch normalization: variants of one network, and what each layer outputs.

Both layers behave differently in training and in evaluation, which is the source of many
bugs: dropout zeroes units at random (and rescales the rest) only in ``train()`` mode, and
batch normalization uses the statistics of the current batch in ``train()`` mode but its
running averages in ``eval()`` mode. Introduced in lesson "Dropout and batch normalization".
"""

from __future__ import annotations

from typing import TypedDict

import torch
from torch import nn

from dlcourse.models import mlp
from dlcourse.runtime import seed_torch


class Variant(TypedDict):
    """The keyword arguments of :func:`dlcourse.models.mlp` that tell the variants apart."""

    dropout: float
    batch_norm: bool


VARIANTS: dict[str, Variant] = {
    "neither": {"dropout": 0.0, "batch_norm": False},
    "dropout": {"dropout": 0.5, "batch_norm": False},
    "batch norm": {"dropout": 0.0, "batch_norm": True},
    "both": {"dropout": 0.5, "batch_norm": True},
}


def variant_network(variant: str, sizes: tuple[int, ...], *, seed: int = 0) -> nn.Sequential:
    """The MLP ``sizes`` with the layers of one of :data:`VARIANTS`, from a fixed seed."""
    seed_torch(seed)
    return mlp(sizes, **VARIANTS[variant])


@torch.no_grad()
def hidden_activation_stats(model: nn.Sequential, x: torch.Tensor) -> list[tuple[float, float]]:
    """Mean and standard deviation of what each hidden activation function receives for ``x``.

    That is the output of the layer's ``nn.Linear``, or of its batch normalization when
    there is one. Read with forward hooks in the model's current mode (train or eval).
    """
    activations = [m for m in model if isinstance(m, (nn.ReLU, nn.Tanh, nn.Sigmoid, nn.GELU))]
    stats: list[tuple[float, float]] = []
    hooks = [
        layer.register_forward_hook(
            lambda _m, inputs, _out: stats.append((inputs[0].mean().item(), inputs[0].std().item()))
        )
        for layer in activations
    ]
    try:
        model(x)
    finally:
        for hook in hooks:
            hook.remove()
    return stats
