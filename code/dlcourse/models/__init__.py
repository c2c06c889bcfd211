"""Plain ``torch.nn`` models used across lessons: a single neuron, multilayer perceptrons.

The other modules of this package hold the networks of the sequences unit (recurrent,
attention, seq2seq, transformer). Introduced in lesson "A single neuron".
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import torch
from torch import nn


class SingleNeuron(nn.Module):
    """One artificial neuron: y = f(w·x + b) (introduced in lesson "A single neuron").

    With the identity as ``activation`` it is linear regression; with a sigmoid it is
    logistic regression.
    """

    def __init__(
        self, n_inputs: int, activation: Callable[[torch.Tensor], torch.Tensor] | None = None
    ) -> None:
        super().__init__()
        self.linear = nn.Linear(n_inputs, 1)  # weight (1, F), bias (1,)
        self.activation = activation or nn.Identity()

    def forward(self, x: torch.Tensor) -> torch.Tensor:  # x: (B, F)
        return self.activation(self.linear(x)).squeeze(-1)  # (B,)


ACTIVATIONS: dict[str, type[nn.Module]] = {
    "relu": nn.ReLU,
    "tanh": nn.Tanh,
    "sigmoid": nn.Sigmoid,
    "gelu": nn.GELU,
    "identity": nn.Identity,
}


def mlp(
    sizes: Sequence[int],
    *,
    activation: str = "relu",
    dropout: float = 0.0,
    batch_norm: bool = False,
) -> nn.Sequential:
    """A multilayer perceptron: sizes = (inputs, hidden..., outputs).

    Hidden layers are Linear -> [BatchNorm] -> activation -> [Dropout]; the last layer is
    a bare Linear so that losses can take logits. Introduced in lesson "Binary classification".
    """
    if len(sizes) < 2:
        raise ValueError("an MLP needs at least an input and an output size")
    layers: list[nn.Module] = []
    for n_in, n_out in zip(sizes[:-2], sizes[1:-1], strict=True):
        layers.append(nn.Linear(n_in, n_out))
        if batch_norm:
            layers.append(nn.BatchNorm1d(n_out))
        layers.append(ACTIVATIONS[activation]())
        if dropout > 0:
            layers.append(nn.Dropout(dropout))
    layers.append(nn.Linear(sizes[-2], sizes[-1]))
    return nn.Sequential(*layers)


def count_parameters(model: nn.Module) -> int:
    """Number of trainable parameters."""
    return sum(p.numel() for p in model.parameters() if p.requires_grad)
