"""Recurrent networks by hand and the tools to watch gradients flow through time.

* :func:`rnn_step` / :func:`rnn_forward`: the Elman recurrence written out, checked against
  ``torch.nn.RNN`` with :func:`to_torch_rnn`.
* :class:`RecurrentClassifier`: embedding -> RNN, LSTM or GRU -> linear head on the last
  state; handles padded batches of different lengths.
* :func:`first_token_task`: a long-dependency toy task (the label is the first token).
* :func:`input_gradient_norms`: how strongly the loss at the end reacts to the input at each
  time step, the quantity that vanishes in a plain RNN; :func:`decay_per_step` sums it up
  as one factor per step.
* :func:`fit_classifier` and :func:`length_sweep`: a short training loop and the accuracy
  of a cell on the first-token task as the sequences get longer.

Introduced in lesson "An RNN by hand" (the gradient tools in "Vanishing gradients").
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Literal, cast

import torch
from torch import nn
from torch.nn import functional as F

from dlcourse.runtime import seed_torch, seeded_generator

CellKind = Literal["rnn", "lstm", "gru"]


@dataclass
class RNNWeights:
    """Parameters of ``h_t = tanh(W_xh x_t + W_hh h_{t-1} + b)``."""

    w_xh: torch.Tensor  # (H, D)
    w_hh: torch.Tensor  # (H, H)
    b: torch.Tensor  # (H,)

    @property
    def hidden_size(self) -> int:
        return self.w_hh.shape[0]

    @property
    def n_parameters(self) -> int:
        """H*D + H*H + H: the same count whatever the length of the sequence."""
        return self.w_xh.numel() + self.w_hh.numel() + self.b.numel()

    def spectral_radius(self) -> float:
        """Largest |eigenvalue| of W_hh."""
        return torch.linalg.eigvals(self.w_hh).abs().max().item()

    def to(self, dtype: torch.dtype) -> RNNWeights:
        """A copy in another floating-point type (float64 to follow tiny differences)."""
        return RNNWeights(self.w_xh.to(dtype), self.w_hh.to(dtype), self.b.to(dtype))

    @classmethod
    def random(
        cls, input_size: int, hidden_size: int, *, spectral_radius: float = 0.9, seed: int = 0
    ) -> RNNWeights:
        """Random weights whose recurrent matrix has the given spectral radius.

        The spectral radius (largest |eigenvalue| of W_hh) decides whether a perturbation of
        the state shrinks or grows from step to step, so lessons set it explicitly.
        """
        generator = seeded_generator(seed)
        w_xh = torch.randn(hidden_size, input_size, generator=generator) / input_size**0.5
        w_hh = torch.randn(hidden_size, hidden_size, generator=generator)
        w_hh *= spectral_radius / torch.linalg.eigvals(w_hh).abs().max()
        b = 0.1 * torch.randn(hidden_size, generator=generator)
        return cls(w_xh, w_hh, b)


def rnn_step(x_t: torch.Tensor, h_prev: torch.Tensor, weights: RNNWeights) -> torch.Tensor:
    """One step of the recurrence: (B, D), (B, H) -> (B, H)."""
    return torch.tanh(x_t @ weights.w_xh.T + h_prev @ weights.w_hh.T + weights.b)


def rnn_forward(
    x: torch.Tensor, weights: RNNWeights, h0: torch.Tensor | None = None
) -> torch.Tensor:
    """Run the recurrence over a batch of sequences and return every hidden state.

    x: (B, T, D) -> (B, T, H). The loop is explicit on purpose: each step uses the same
    weights and the state it received from the previous step. Introduced in lesson
    "An RNN by hand".
    """
    batch, steps, _ = x.shape
    h = x.new_zeros(batch, weights.hidden_size) if h0 is None else h0  # (B, H)
    states = []
    for t in range(steps):
        h = rnn_step(x[:, t], h, weights)
        states.append(h)
    return torch.stack(states, dim=1)  # (B, T, H)


def to_torch_rnn(weights: RNNWeights) -> nn.RNN:
    """An ``nn.RNN`` (tanh, batch_first) holding exactly these weights.

    PyTorch keeps two biases, ``b_ih`` and ``b_hh``, that are simply added; we put our
    ``b`` in the first and zeros in the second.
    """
    hidden, inputs = weights.w_xh.shape
    rnn = nn.RNN(inputs, hidden, nonlinearity="tanh", batch_first=True)
    # The per-layer parameters are created by name at run time, so the stubs type them as
    # ``Tensor | Module`` (nn.Module.__getattr__); for layer 0 they are Parameters.
    with torch.no_grad():
        cast(torch.Tensor, rnn.weight_ih_l0).copy_(weights.w_xh)
        cast(torch.Tensor, rnn.weight_hh_l0).copy_(weights.w_hh)
        cast(torch.Tensor, rnn.bias_ih_l0).copy_(weights.b)
        cast(torch.Tensor, rnn.bias_hh_l0).zero_()
    return rnn


def state_perturbation(
    x: torch.Tensor, weights: RNNWeights, *, epsilon: float = 1e-3, seed: int = 0
) -> torch.Tensor:
    """||h_t(x') - h_t(x)|| for every t, where x' differs from x only at step 0.

    A forward-pass view of memory: how long a small change in the first input is still
    visible in the state. Computed in float64, because in float32 the difference of two
    runs hits rounding noise (about 1e-7) long before it has really died out.
    x: (B, T, D) -> (T,) averaged over the batch.
    """
    generator = seeded_generator(seed)
    x, weights = x.double(), weights.to(torch.float64)
    nudged = x.clone()
    noise = torch.randn(nudged[:, 0].shape, generator=generator, dtype=torch.float64)
    nudged[:, 0] += epsilon * noise
    difference = rnn_forward(nudged, weights) - rnn_forward(x, weights)  # (B, T, H)
    return difference.norm(dim=-1).mean(0).float()


class RecurrentClassifier(nn.Module):
    """Embedding -> recurrent layer -> linear head on the last real step of each sequence.

    ``cell`` picks ``nn.RNN`` (tanh), ``nn.LSTM`` or ``nn.GRU``. Padded batches are packed
    with their lengths so padding never reaches the state. ``forget_bias`` adds a constant
    to the LSTM forget-gate bias (1.0 is a common choice; Jozefowicz et al., 2015); larger
    values make the cell keep more of its past at initialization (Tallec and Ollivier, 2018,
    arXiv:1804.11188, tie the value to the expected length of the dependencies).
    Introduced in lesson "Vanishing gradients".
    """

    def __init__(
        self,
        vocab_size: int,
        n_classes: int,
        *,
        cell: CellKind = "lstm",
        embed_dim: int = 32,
        hidden_size: int = 64,
        padding_idx: int | None = None,
        forget_bias: float = 0.0,
        dropout: float = 0.0,
    ) -> None:
        super().__init__()
        self.cell = cell
        self.embedding = nn.Embedding(vocab_size, embed_dim, padding_idx=padding_idx)
        layer = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}[cell]
        self.recurrent = layer(embed_dim, hidden_size, batch_first=True)
        if cell == "lstm" and forget_bias:
            with torch.no_grad():  # PyTorch orders the LSTM gates as input, forget, cell, output
                self.recurrent.bias_hh_l0[hidden_size : 2 * hidden_size] += forget_bias
        self.dropout = nn.Dropout(dropout)
        self.head = nn.Linear(hidden_size, n_classes)

    def forward_embedded(
        self, embedded: torch.Tensor, lengths: torch.Tensor | None = None
    ) -> torch.Tensor:
        """Logits from already embedded inputs: (B, T, E) -> (B, C)."""
        if lengths is None:
            outputs, _ = self.recurrent(embedded)  # (B, T, H)
            last = outputs[:, -1]  # (B, H)
        else:
            packed = nn.utils.rnn.pack_padded_sequence(
                embedded, lengths.cpu(), batch_first=True, enforce_sorted=False
            )
            _, state = self.recurrent(packed)
            hidden = state[0] if self.cell == "lstm" else state  # (1, B, H)
            last = hidden[-1]  # (B, H): the state after each sequence's last real token
        return self.head(self.dropout(last))

    def forward(self, x: torch.Tensor, lengths: torch.Tensor | None = None) -> torch.Tensor:
        """Token ids (B, T) (and their true lengths (B,)) -> logits (B, C)."""
        return self.forward_embedded(self.embedding(x), lengths)


def first_token_task(
    n: int, seq_len: int, *, n_classes: int = 4, n_distractors: int = 16, seed: int = 0
) -> tuple[torch.Tensor, torch.Tensor]:
    """Sequences whose label is their first token; everything after it is noise.

    Token ids 0..n_classes-1 are the "signal" tokens and only appear at position 0; the
    other ``seq_len - 1`` tokens are drawn from ``n_distractors`` other ids. A model that
    reads left to right must carry the first token across the whole sequence, so the
    difficulty grows with ``seq_len``. The vocabulary has ``n_classes + n_distractors``
    ids. Returns x (n, seq_len) and y (n,).
    """
    generator = seeded_generator(seed)
    y = torch.randint(0, n_classes, (n,), generator=generator)
    noise = torch.randint(
        n_classes, n_classes + n_distractors, (n, seq_len - 1), generator=generator
    )
    return torch.cat([y.unsqueeze(1), noise], dim=1), y


def input_gradient_norms(
    model: RecurrentClassifier, x: torch.Tensor, y: torch.Tensor
) -> torch.Tensor:
    """||∂L/∂e_t|| for every time step t, averaged over the batch: (B, T) -> (T,).

    e_t is the embedded input at step t and L the cross-entropy of the prediction made
    after the last step. If this norm decays toward early steps, the loss can hardly
    teach the model anything about them: the vanishing-gradient problem, measured.
    Introduced in lesson "Vanishing gradients".
    """
    was_training = model.training
    model.eval()  # no dropout: the same inputs always give the same norms
    embedded = model.embedding(x).detach().requires_grad_(True)  # (B, T, E)
    with torch.backends.cudnn.flags(enabled=False):  # cuDNN refuses RNN backward in eval mode
        loss = F.cross_entropy(model.forward_embedded(embedded), y)
        (grad,) = torch.autograd.grad(loss, embedded)  # (B, T, E); parameters get no .grad
    model.train(was_training)
    return grad.norm(dim=-1).mean(0).detach()  # (T,)


def decay_per_step(norms: torch.Tensor) -> float:
    """The average factor by which a gradient norm shrinks per step back in time.

    (norms[0] / norms[-1]) ** (1 / (T - 1)): 1.0 means no decay, 0.5 halves every step.
    """
    return (norms[0] / norms[-1]).pow(1 / (len(norms) - 1)).item()


@dataclass
class FitHistory:
    """Loss per training step and accuracy at each evaluation of a plain training loop."""

    loss: list[float] = field(default_factory=list)
    grad_norm: list[float] = field(default_factory=list)  # before clipping
    eval_steps: list[int] = field(default_factory=list)
    accuracy: list[float] = field(default_factory=list)


def fit_classifier(
    model: nn.Module,
    x: torch.Tensor,
    y: torch.Tensor,
    *,
    x_val: torch.Tensor,
    y_val: torch.Tensor,
    steps: int,
    batch_size: int = 64,
    lr: float = 1e-2,
    clip: float | None = 1.0,
    eval_every: int = 25,
    seed: int = 0,
) -> FitHistory:
    """Train a sequence classifier with Adam on random mini-batches for ``steps`` steps.

    A short explicit loop (not Lightning) because the lesson inspects the model between
    steps. ``clip`` rescales the gradient when its norm exceeds that value (a guard against
    exploding gradients; ``None`` turns it off); the norm before clipping is recorded.
    """
    generator = seeded_generator(seed)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    history = FitHistory()
    with flush_denormals():
        for step in range(1, steps + 1):
            model.train()
            idx = torch.randint(0, len(x), (batch_size,), generator=generator)
            loss = F.cross_entropy(model(x[idx]), y[idx])
            optimizer.zero_grad()
            loss.backward()
            max_norm = float("inf") if clip is None else clip
            norm = nn.utils.clip_grad_norm_(model.parameters(), max_norm)
            optimizer.step()
            history.loss.append(loss.item())
            history.grad_norm.append(norm.item())
            if step % eval_every == 0 or step == steps:
                model.eval()
                with torch.no_grad():
                    accuracy = (model(x_val).argmax(-1) == y_val).float().mean().item()
                history.eval_steps.append(step)
                history.accuracy.append(accuracy)
    return history


@contextmanager
def flush_denormals() -> Iterator[None]:
    """Treat numbers below ~1e-38 (float32 "denormals") as zero while training on the CPU.

    A vanishing gradient is literally a stream of tinier and tinier numbers; once they fall
    below float32's normal range the CPU handles them several times more slowly. Zeroing
    them changes nothing that matters and keeps the training time predictable.
    """
    supported = torch.set_flush_denormal(True)
    try:
        yield
    finally:
        if supported:
            torch.set_flush_denormal(False)


def length_sweep(
    cell: CellKind,
    lengths: Sequence[int],
    *,
    seeds: Sequence[int] = (0, 1, 2),
    forget_bias: float = 0.0,
    hidden_size: int = 32,
    embed_dim: int = 16,
    n_classes: int = 4,
    n_distractors: int = 16,
    n_train: int = 2048,
    n_val: int = 512,
    steps: int = 150,
    batch_size: int = 128,
    lr: float = 1e-2,
) -> torch.Tensor:
    """Validation accuracy on :func:`first_token_task` after ``steps`` steps: (L, S).

    One fresh model per sequence length and seed, trained with :func:`fit_classifier`; the
    seed sets both the initial weights and the order of the mini-batches (the data are the
    same for every seed). Introduced in lesson "Vanishing gradients".
    """
    accuracy = torch.zeros(len(lengths), len(seeds))
    for i, seq_len in enumerate(lengths):
        kwargs = {"n_classes": n_classes, "n_distractors": n_distractors}
        x, y = first_token_task(n_train, seq_len, seed=1, **kwargs)
        x_val, y_val = first_token_task(n_val, seq_len, seed=2, **kwargs)
        for j, seed in enumerate(seeds):
            seed_torch(seed)
            model = RecurrentClassifier(
                n_classes + n_distractors,
                n_classes,
                cell=cell,
                embed_dim=embed_dim,
                hidden_size=hidden_size,
                forget_bias=forget_bias,
            )
            history = fit_classifier(
                model,
                x,
                y,
                x_val=x_val,
                y_val=y_val,
                steps=steps,
                batch_size=batch_size,
                lr=lr,
                eval_every=steps,
                seed=seed,
            )
            accuracy[i, j] = history.accuracy[-1]
    return accuracy
