"""Reusable pieces of the lesson "Tensors and matrix multiplication"."""

from __future__ import annotations

import math

import pytest
import torch
from dlcourse.lessons.tensors import MatmulTiming, synchronize, time_matmul
from dlcourse.models import mlp
from dlcourse.models.transformer import FeedForward, attention_with_masks, causal_mask


@pytest.mark.parametrize(
    "make",
    [lambda: mlp((4, 6, 3)), lambda: FeedForward(4, 6)],
    ids=["mlp", "transformer feed-forward"],
)
def test_course_networks_are_matrix_products_over_the_last_dimension(make):
    """The lesson's claim about ``nn.Linear``, on the course's Linear -> ReLU -> Linear
    networks: ``x @ W.T + b`` on the last dimension of a batch of any shape, and a batch
    gives what its examples give one by one."""
    torch.manual_seed(0)
    net = make()
    x = torch.randn(2, 7, 4)  # (B, T, in)
    first, last = net[0], net[2]
    by_hand = torch.relu(x @ first.weight.T + first.bias) @ last.weight.T + last.bias
    out = net(x)
    assert out.shape == by_hand.shape and torch.allclose(out, by_hand, atol=1e-6)
    one_by_one = torch.stack([torch.stack([net(x[b, t]) for t in range(7)]) for b in range(2)])
    assert torch.allclose(out, one_by_one, atol=1e-6)


def test_attention_masks_broadcast_over_examples_and_heads():
    """The lesson's broadcasting rules where the course relies on them: shapes align from the
    right and missing or size-1 dimensions are repeated, so one (Q, K) mask and a (B, K)
    padding mask (as (B, 1, 1, K)) reach the (B, H, Q, K) scores of every example and head;
    any other mismatch is an error."""
    generator = torch.Generator().manual_seed(0)
    q = torch.randn(2, 3, 4, 5, generator=generator)  # (B, H, Q, d)
    k, v = (torch.randn(2, 3, 6, 5, generator=generator) for _ in range(2))  # (B, H, K, d)
    future = causal_mask(6)[2:]  # (Q, K): the last 4 of 6 positions, each keeps key 0
    padding = torch.tensor([[False] * 4 + [True] * 2, [False] * 6])  # (B, K)
    _, weights = attention_with_masks(q, k, v, attn_mask=future, key_padding_mask=padding)
    blocked = future.expand(2, 3, 4, 6) | padding[:, None, None, :].expand(2, 3, 4, 6)
    scores = (q @ k.transpose(-2, -1) / math.sqrt(5)).masked_fill(blocked, float("-inf"))
    assert torch.allclose(weights, torch.softmax(scores, dim=-1), atol=1e-6)
    assert (weights[blocked] == 0).all() and blocked[0].sum() > blocked[1].sum()
    with pytest.raises(RuntimeError):  # 5 rows against 4 queries: neither equal nor 1
        attention_with_masks(q, k, v, attn_mask=torch.zeros(5, 6, dtype=torch.bool))
    with pytest.raises(RuntimeError):  # a padding mask for 7 keys, the scores have 6
        attention_with_masks(q, k, v, key_padding_mask=torch.zeros(2, 7, dtype=torch.bool))


def test_gflops_follow_the_two_n_cubed_count():
    timing = MatmulTiming(size=1000, device="cpu", seconds=0.5)
    assert timing.gflops == pytest.approx(2 * 1000**3 / 0.5 / 1e9)


def test_time_matmul_measures_a_positive_best_time_on_cpu():
    synchronize(torch.device("cpu"))  # a no-op that must not fail without CUDA
    timing = time_matmul(64, torch.device("cpu"), repeats=2)
    assert timing.size == 64 and timing.device == "cpu" and timing.seconds > 0
