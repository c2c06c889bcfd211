"""Reusable pieces of the lesson "A transformer by hand"."""

from __future__ import annotations

import math

import torch
from dlcourse.data.dates import PAD, SOURCE_VOCAB, TARGET_VOCAB, date_pairs, encode_pairs
from dlcourse.models.attention import scaled_dot_product
from dlcourse.models.transformer import (
    DateTransformer,
    MultiHeadAttention,
    causal_mask,
    sinusoidal_encoding,
    to_torch_attention,
)
from dlcourse.training.translation import exact_match, train_translator, translate


def _attention_pair(d_model: int = 16, n_heads: int = 4):
    torch.manual_seed(0)
    mine = MultiHeadAttention(d_model, n_heads).eval()
    return mine, to_torch_attention(mine).eval()


def test_matches_torch_multihead_attention_with_padding_mask():
    mine, theirs = _attention_pair()
    generator = torch.Generator().manual_seed(1)
    queries = torch.randn(3, 5, 16, generator=generator)  # (B, Q, D)
    memory = torch.randn(3, 7, 16, generator=generator)  # (B, K, D)
    padding = torch.zeros(3, 7, dtype=torch.bool)
    padding[0, 4:] = True
    padding[2, 2:] = True
    ours, our_weights = mine(queries, memory, memory, key_padding_mask=padding)
    expected, weights = theirs(
        queries, memory, memory, key_padding_mask=padding, average_attn_weights=False
    )
    assert torch.allclose(ours, expected, atol=1e-6)
    assert torch.allclose(our_weights, weights, atol=1e-6)  # (B, H, Q, K), per head
    assert (our_weights[0, :, :, 4:] == 0).all() and (our_weights[2, :, :, 2:] == 0).all()


def test_matches_torch_multihead_attention_with_causal_mask():
    mine, theirs = _attention_pair(d_model=24, n_heads=3)
    x = torch.randn(2, 6, 24, generator=torch.Generator().manual_seed(2))
    mask = causal_mask(6)
    ours, our_weights = mine(x, x, x, attn_mask=mask)
    expected, weights = theirs(x, x, x, attn_mask=mask, average_attn_weights=False)
    assert torch.allclose(ours, expected, atol=1e-6)
    assert torch.allclose(our_weights, weights, atol=1e-6)
    assert (our_weights.triu(diagonal=1) == 0).all()  # nothing reaches the future
    with torch.no_grad():  # PyTorch's fused inference path gives the same numbers too
        fused, _ = theirs(x, x, x, attn_mask=mask, need_weights=False)
    assert torch.allclose(ours, fused, atol=1e-5)


def test_one_head_is_the_scaled_dot_product_of_the_attention_lesson():
    mine, _ = _attention_pair(d_model=8, n_heads=2)
    x = torch.randn(1, 5, 8, generator=torch.Generator().manual_seed(3))
    _, weights = mine(x, x, x)
    with torch.no_grad():
        q, k, v = (proj(x[0])[:, :4] for proj in (mine.q_proj, mine.k_proj, mine.v_proj))
    assert torch.allclose(weights[0, 0], scaled_dot_product(q, k, v).weights, atol=1e-6)


def test_causal_mask_blocks_the_future():
    torch.manual_seed(0)
    model = DateTransformer(len(SOURCE_VOCAB), len(TARGET_VOCAB), d_model=16, n_heads=2).eval()
    data = encode_pairs(date_pairs(4, seed=0))
    changed = data.target_in.clone()
    changed[:, 6] = (changed[:, 6] + 1 - 3) % (len(TARGET_VOCAB) - 3) + 3  # another digit or "-"
    with torch.no_grad():
        before = model(data.source, data.target_in)
        after = model(data.source, changed)
    assert torch.equal(before[:, :6], after[:, :6])  # earlier positions cannot see position 6
    assert not torch.allclose(before[:, 6:], after[:, 6:])


def test_positional_encoding_formula():
    table = sinusoidal_encoding(50, 8)
    assert table.shape == (50, 8)
    assert torch.allclose(table[0], torch.tensor([0.0, 1.0] * 4))
    for pos, i in ((1, 0), (7, 1), (31, 3)):
        angle = pos / 10000 ** (2 * i / 8)
        assert math.isclose(table[pos, 2 * i].item(), math.sin(angle), abs_tol=1e-6)
        assert math.isclose(table[pos, 2 * i + 1].item(), math.cos(angle), abs_tol=1e-6)
    # the dot product of two positions depends only on their offset
    assert math.isclose(table[3] @ table[8], table[20] @ table[25], abs_tol=1e-5)


def test_encoder_output_ignores_padding():
    torch.manual_seed(0)
    model = DateTransformer(len(SOURCE_VOCAB), len(TARGET_VOCAB), d_model=16, n_heads=2).eval()
    source = encode_pairs(date_pairs(3, seed=5)).source  # (3, S)
    padded = torch.cat([source, torch.full((3, 9), PAD)], dim=1)
    with torch.no_grad():
        short, _ = model.encode(source)
        long, _ = model.encode(padded)
    real = source != PAD
    assert torch.allclose(short[real], long[:, : source.shape[1]][real], atol=1e-5)


def test_tiny_transformer_overfits_a_few_pairs():
    torch.manual_seed(0)
    pairs = date_pairs(8, seed=3)
    data = encode_pairs(pairs)
    targets = [p.iso for p in pairs]
    model = DateTransformer(
        len(SOURCE_VOCAB), len(TARGET_VOCAB), d_model=32, n_heads=4, n_layers=1, d_ff=64
    )
    history = train_translator(model, data, data, targets, epochs=50, batch_size=8, lr=1e-2)
    assert history.loss[-1] < 0.05 and history.val_exact[-3:] == [1.0, 1.0, 1.0]
    assert exact_match(translate(model, data), targets) == 1.0
