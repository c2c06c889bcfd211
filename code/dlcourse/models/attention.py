"""Attention written out step by step: additive (Bahdanau) and scaled dot-product.

Both score how well each query matches each key, turn the scores into weights with a
softmax over the keys, and average the values with those weights. They differ only in the
score: a small network for additive attention, a scaled dot product for the Transformer's.
Introduced in lesson "Attention by hand".
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
from torch import nn

from dlcourse.runtime import seeded_generator


@dataclass
class AttentionSteps:
    """Every intermediate of one attention computation, for printing and plotting."""

    scores: torch.Tensor  # (Q, K) before the softmax
    weights: torch.Tensor  # (Q, K), each row sums to 1
    output: torch.Tensor  # (Q, D_v), one weighted average of the values per query


def scaled_dot_product(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor) -> AttentionSteps:
    """softmax(q k^T / sqrt(d_k)) v with its steps kept; q: (Q, d_k), k: (K, d_k), v: (K, d_v)."""
    scores = q @ k.T / math.sqrt(q.shape[-1])  # (Q, K)
    weights = torch.softmax(scores, dim=-1)
    return AttentionSteps(scores, weights, weights @ v)


class AdditiveScore(nn.Module):
    """Bahdanau et al.'s alignment model: score(q, k) = v^T tanh(W_q q + W_k k)."""

    def __init__(self, query_dim: int, key_dim: int, hidden: int):
        super().__init__()
        self.w_query = nn.Linear(query_dim, hidden, bias=False)
        self.w_key = nn.Linear(key_dim, hidden, bias=False)
        self.v = nn.Linear(hidden, 1, bias=False)

    def forward(self, q: torch.Tensor, k: torch.Tensor) -> torch.Tensor:  # (Q, dq), (K, dk)
        mixed = torch.tanh(self.w_query(q)[:, None, :] + self.w_key(k)[None, :, :])  # (Q, K, H)
        return self.v(mixed).squeeze(-1)  # (Q, K)


def additive(
    score: AdditiveScore, q: torch.Tensor, k: torch.Tensor, v: torch.Tensor
) -> AttentionSteps:
    """Additive attention with its steps kept: softmax over keys of ``score(q, k)``, then v."""
    scores = score(q, k)  # (Q, K)
    weights = torch.softmax(scores, dim=-1)
    return AttentionSteps(scores, weights, weights @ v)


def softmax_peak(
    dim: int, *, samples: int = 2000, keys: int = 16, scaled: bool, seed: int = 0
) -> float:
    """Average largest softmax weight for random unit-variance queries and keys of size ``dim``.

    Unscaled dot products have variance ``dim``, so the softmax saturates (one weight near 1)
    as ``dim`` grows; dividing by sqrt(dim) keeps the variance at 1.
    """
    generator = seeded_generator(seed)
    q = torch.randn(samples, 1, dim, generator=generator)
    k = torch.randn(samples, keys, dim, generator=generator)
    scores = (q @ k.transpose(1, 2)).squeeze(1)  # (samples, keys)
    if scaled:
        scores = scores / math.sqrt(dim)
    return torch.softmax(scores, dim=-1).max(dim=-1).values.mean().item()
