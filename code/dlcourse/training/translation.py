"""Training and greedy decoding for any encoder-decoder that maps character ids to character ids.

A model fits if ``model(source, target_in)`` returns next-character logits of shape
``(B, T, V)`` from source ids ``(B, S)`` (padded with :data:`dlcourse.data.dates.PAD`) and the
decoder input ``(B, T)``, which starts with the start symbol. The LSTM with Bahdanau
attention and the transformer are trained and scored by the same code, so their numbers
are comparable.

Introduced in lesson "Seq2seq with attention"; reused by "A transformer by hand".
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import torch
from torch import nn
from torch.nn import functional as F

from dlcourse.data.dates import BOS, EOS, PAD, TARGET_VOCAB, EncodedPairs
from dlcourse.runtime import seeded_generator
from dlcourse.training import Passes, fit


@dataclass
class TranslationHistory:
    """Per-epoch training loss, validation exact-match accuracy and training seconds."""

    loss: list[float] = field(default_factory=list)
    val_exact: list[float] = field(default_factory=list)
    seconds: float = 0.0


def teacher_forcing_loss(model: nn.Module, batch: EncodedPairs) -> torch.Tensor:
    """Mean cross-entropy of the next character, ignoring padding positions."""
    logits = model(batch.source, batch.target_in)  # (B, T, V)
    return F.cross_entropy(logits.flatten(0, 1), batch.target_out.flatten(), ignore_index=PAD)


@torch.no_grad()
def greedy_decode(model: nn.Module, source: torch.Tensor, *, max_len: int = 12) -> torch.Tensor:
    """Decode one character at a time, always taking the most likely one.

    The whole prefix is fed again at every step: slower than caching the decoder state, but it
    works unchanged for any model with the interface above. Returns ids (B, <= max_len).
    """
    model.eval()
    out = torch.full((source.shape[0], 1), BOS, dtype=torch.long, device=source.device)
    for _ in range(max_len):
        logits = model(source, out)  # (B, t, V)
        next_id = logits[:, -1].argmax(-1, keepdim=True)  # (B, 1)
        out = torch.cat([out, next_id], dim=1)
        if (out == EOS).any(dim=1).all():
            break
    return out[:, 1:]


def translate(
    model: nn.Module, data: EncodedPairs, *, batch_size: int = 512, max_len: int = 12
) -> list[str]:
    """Greedy translations of every source in ``data``, as strings."""
    texts: list[str] = []
    for start in range(0, len(data), batch_size):
        ids = greedy_decode(model, data.source[start : start + batch_size], max_len=max_len)
        texts += [TARGET_VOCAB.decode(row) for row in ids.tolist()]
    return texts


def exact_match(predictions: list[str], targets: list[str]) -> float:
    """Share of predictions identical to their target (one wrong digit counts as wrong)."""
    return sum(p == t for p, t in zip(predictions, targets, strict=True)) / max(len(targets), 1)


def field_accuracy(predictions: list[str], targets: list[str]) -> dict[str, float]:
    """Accuracy of the year, month and day fields separately: which part does a model miss?"""
    spans = {"year": slice(0, 4), "month": slice(5, 7), "day": slice(8, 10)}
    return {
        name: sum(p[span] == t[span] for p, t in zip(predictions, targets, strict=True))
        / max(len(targets), 1)
        for name, span in spans.items()
    }


def train_translator(
    model: nn.Module,
    train: EncodedPairs,
    val: EncodedPairs,
    val_targets: list[str],
    *,
    epochs: int,
    batch_size: int = 64,
    lr: float = 3e-3,
    clip: float = 1.0,
    seed: int = 0,
) -> TranslationHistory:
    """Adam with teacher forcing; exact-match accuracy on ``val`` after every epoch.

    Data and model must already be on the same device. Gradient norms are clipped at ``clip``
    (recurrent decoders occasionally produce large gradients early in training).
    """
    generator = seeded_generator(seed)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    history = TranslationHistory()
    started = time.perf_counter()

    def shuffled() -> Iterator[EncodedPairs]:  # a new order on every pass
        order = torch.randperm(len(train), generator=generator).to(train.source.device)
        for start in range(0, len(train), batch_size):
            yield train.subset(order[start : start + batch_size])

    def validate() -> None:
        history.val_exact.append(exact_match(translate(model, val), val_targets))

    history.loss = fit(
        model,
        Passes(shuffled),
        optimizer,
        epochs=epochs,
        batch_loss=lambda batch: (teacher_forcing_loss(model, batch), 1),  # mean over batches
        clip=clip,
        evaluate=validate,
    )
    history.seconds = time.perf_counter() - started
    return history
