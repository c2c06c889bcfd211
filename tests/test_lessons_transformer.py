"""Reusable pieces of the lesson "A transformer by hand"."""

from __future__ import annotations

import math

import pytest
import torch
from dlcourse.data.dates import PAD, SOURCE_VOCAB, TARGET_VOCAB, date_pairs, encode_pairs
from dlcourse.models.attention import scaled_dot_product
from dlcourse.models.transformer import (
    DateTransformer,
    DecoderBlock,
    EncoderBlock,
    MultiHeadAttention,
    causal_mask,
    sinusoidal_encoding,
    to_torch_attention,
)
from dlcourse.training.translation import exact_match, train_translator, translate
from torch import nn


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


D_MODEL, N_HEADS, D_FF = 16, 4, 40


def _with_random_norms(block: nn.Module) -> nn.Module:
    """LayerNorms start as the identity map (gain 1, bias 0), which would hide a mix-up of
    which norm goes where when copying; give every one its own gain and bias."""
    generator = torch.Generator().manual_seed(7)
    with torch.no_grad():
        for norm in (m for m in block.modules() if isinstance(m, nn.LayerNorm)):
            norm.weight.copy_(0.5 + torch.rand(norm.weight.shape, generator=generator))
            norm.bias.copy_(0.1 * torch.randn(norm.bias.shape, generator=generator))
    return block.eval()


def _copy_shared(theirs: nn.Module, block: EncoderBlock | DecoderBlock) -> None:
    """The feed-forward network: PyTorch's linear1 -> activation -> linear2."""
    theirs.linear1.load_state_dict(block.ff[0].state_dict())
    theirs.linear2.load_state_dict(block.ff[2].state_dict())


def torch_encoder_layer(block: EncoderBlock, norm_first: bool) -> nn.TransformerEncoderLayer:
    """``nn.TransformerEncoderLayer`` holding exactly the weights of the course's block."""
    theirs = nn.TransformerEncoderLayer(
        D_MODEL,
        N_HEADS,
        D_FF,
        dropout=0.0,
        activation="relu",
        batch_first=True,
        norm_first=norm_first,
    )
    theirs.self_attn.load_state_dict(to_torch_attention(block.self_attn).state_dict())
    _copy_shared(theirs, block)
    theirs.norm1.load_state_dict(block.res_attn.norm.state_dict())  # before/after attention
    theirs.norm2.load_state_dict(block.res_ff.norm.state_dict())  # before/after feed-forward
    return theirs.eval()


def torch_decoder_layer(block: DecoderBlock, norm_first: bool) -> nn.TransformerDecoderLayer:
    """``nn.TransformerDecoderLayer`` holding exactly the weights of the course's block."""
    theirs = nn.TransformerDecoderLayer(
        D_MODEL,
        N_HEADS,
        D_FF,
        dropout=0.0,
        activation="relu",
        batch_first=True,
        norm_first=norm_first,
    )
    theirs.self_attn.load_state_dict(to_torch_attention(block.self_attn).state_dict())
    theirs.multihead_attn.load_state_dict(to_torch_attention(block.cross_attn).state_dict())
    _copy_shared(theirs, block)
    theirs.norm1.load_state_dict(block.res_self.norm.state_dict())
    theirs.norm2.load_state_dict(block.res_cross.norm.state_dict())
    theirs.norm3.load_state_dict(block.res_ff.norm.state_dict())
    return theirs.eval()


@pytest.mark.parametrize("norm_first", [True, False], ids=["pre-norm", "post-norm"])
def test_encoder_block_matches_torch_transformer_encoder_layer(norm_first):
    torch.manual_seed(0)
    block = _with_random_norms(EncoderBlock(D_MODEL, N_HEADS, D_FF, norm_first=norm_first))
    theirs = torch_encoder_layer(block, norm_first)
    x = torch.randn(3, 7, D_MODEL, generator=torch.Generator().manual_seed(1))  # (B, S, D)
    padding = torch.zeros(3, 7, dtype=torch.bool)
    padding[0, 4:] = True
    padding[2, 2:] = True
    ours = block(x, padding)
    expected = theirs(x, src_key_padding_mask=padding)
    assert torch.allclose(ours, expected, atol=1e-6)
    # the mask matters on this input: without it PyTorch's layer gives something else
    assert not torch.allclose(theirs(x), expected, atol=1e-3)
    with torch.no_grad():  # PyTorch's fused inference path gives the same numbers too
        fused = theirs(x, src_key_padding_mask=padding)
    assert torch.allclose(ours, fused, atol=1e-5)


@pytest.mark.parametrize("norm_first", [True, False], ids=["pre-norm", "post-norm"])
def test_decoder_block_matches_torch_transformer_decoder_layer(norm_first):
    torch.manual_seed(0)
    block = _with_random_norms(DecoderBlock(D_MODEL, N_HEADS, D_FF, norm_first=norm_first))
    theirs = torch_decoder_layer(block, norm_first)
    generator = torch.Generator().manual_seed(2)
    y = torch.randn(3, 6, D_MODEL, generator=generator)  # (B, T, D) decoder states
    memory = torch.randn(3, 8, D_MODEL, generator=generator)  # (B, S, D) encoder output
    memory_padding = torch.zeros(3, 8, dtype=torch.bool)
    memory_padding[0, 5:] = True
    memory_padding[2, 2:] = True
    causal = causal_mask(6)
    ours, cross = block(y, memory, memory_padding, causal)
    expected = theirs(y, memory, tgt_mask=causal, memory_key_padding_mask=memory_padding)
    assert torch.allclose(ours, expected, atol=1e-6)
    assert cross.shape == (3, N_HEADS, 6, 8) and (cross[0, ..., 5:] == 0).all()
    # each mask matters on this input: dropping either one changes PyTorch's output
    assert not torch.allclose(theirs(y, memory, memory_key_padding_mask=memory_padding), expected)
    assert not torch.allclose(theirs(y, memory, tgt_mask=causal), expected)


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
