"""Activation functions as curves, and their derivatives obtained with autograd.

Plotting an activation next to its derivative explains most of its behavior in training:
the derivative is the factor by which the gradient is multiplied when it flows back
through the unit. Introduced in lesson "Hidden layers and activations".
"""

from __future__ import annotations

from collections.abc import Callable

import torch

Elementwise = Callable[[torch.Tensor], torch.Tensor]


def softmax_first(z: torch.Tensor, n_classes: int = 3) -> torch.Tensor:
    """First output of softmax over logits (z, 0, ..., 0), one softmax per entry of ``z``.

    Softmax maps a vector to a vector, so to draw it as a curve we vary one logit and keep
    the other ``n_classes - 1`` at zero. With two classes this is exactly the sigmoid.
    """
    logits = torch.zeros(*z.shape, n_classes, dtype=z.dtype, device=z.device)  # (..., C)
    logits[..., 0] = z
    return torch.softmax(logits, dim=-1)[..., 0]  # (...,)


ACTIVATION_FUNCTIONS: dict[str, Elementwise] = {
    "relu": torch.relu,
    "tanh": torch.tanh,
    "sigmoid": torch.sigmoid,
    "softmax": softmax_first,
}


def elementwise_derivative(fn: Elementwise, z: torch.Tensor) -> torch.Tensor:
    """d fn(z_i) / d z_i for every entry of ``z``, computed by autograd.

    Valid when each output depends only on its own input (true for activations and for
    per-example losses), because then the gradient of ``sum(fn(z))`` is the derivative at
    each point. At a kink such as ReLU's at 0, PyTorch returns its chosen subgradient (0).
    """
    z = z.detach().clone().requires_grad_(True)
    (grad,) = torch.autograd.grad(fn(z).sum(), z)
    return grad  # same shape as z


def activation_table(
    z: torch.Tensor, names: tuple[str, ...] = tuple(ACTIVATION_FUNCTIONS)
) -> dict[str, tuple[torch.Tensor, torch.Tensor]]:
    """For each named activation, its values and derivatives on the points ``z`` (K,)."""
    table = {}
    for name in names:
        fn = ACTIVATION_FUNCTIONS[name]
        with torch.no_grad():
            values = fn(z)
        table[name] = (values, elementwise_derivative(fn, z))
    return table
