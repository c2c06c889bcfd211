"""Reusable pieces of the lesson "Attention by hand"."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from dlcourse.models.attention import AdditiveScore, additive, scaled_dot_product, softmax_peak


def test_scaled_dot_product_matches_pytorch():
    generator = torch.Generator().manual_seed(0)
    q, k, v = (torch.randn(n, 8, generator=generator) for n in (5, 7, 7))
    steps = scaled_dot_product(q, k, v)
    expected = F.scaled_dot_product_attention(q[None], k[None], v[None])[0]
    assert torch.allclose(steps.output, expected, atol=1e-6)
    assert steps.scores.shape == steps.weights.shape == (5, 7)


def test_additive_weights_are_a_distribution_over_keys():
    torch.manual_seed(0)
    score = AdditiveScore(query_dim=3, key_dim=4, hidden=6)
    q, k, v = torch.randn(2, 3), torch.randn(5, 4), torch.randn(5, 2)
    steps = additive(score, q, k, v)
    assert torch.allclose(steps.weights.sum(-1), torch.ones(2))
    assert (steps.weights >= 0).all() and steps.output.shape == (2, 2)
    # score(q, k) = w^T tanh(W_q q + W_k k), checked for one pair
    by_hand = score.v.weight @ torch.tanh(score.w_query.weight @ q[1] + score.w_key.weight @ k[3])
    assert torch.allclose(steps.scores[1, 3], by_hand.squeeze(), atol=1e-6)


def test_scaling_prevents_softmax_saturation():
    unscaled = [softmax_peak(d, scaled=False, samples=500) for d in (4, 256)]
    scaled = [softmax_peak(d, scaled=True, samples=500) for d in (4, 256)]
    assert unscaled[1] > 0.85 and unscaled[1] > unscaled[0]
    assert abs(scaled[1] - scaled[0]) < 0.05
