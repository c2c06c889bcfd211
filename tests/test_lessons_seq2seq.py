"""Reusable pieces of the lesson "Seq2seq with attention"."""

from __future__ import annotations

import pytest
import torch
from dlcourse.data.dates import PAD, SOURCE_VOCAB, TARGET_VOCAB, DatePair, date_pairs, encode_pairs
from dlcourse.models.attention import AdditiveScore
from dlcourse.models.seq2seq import (
    AttentionSeq2Seq,
    BiLSTMEncoder,
    PlainSeq2Seq,
    align,
    reverse_within_length,
)
from dlcourse.runtime import one_thread
from dlcourse.training.translation import exact_match, teacher_forcing_loss, translate
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence


@pytest.fixture(autouse=True)
def _tiny_tensors_on_one_thread():
    """These tensors are tiny: extra intra-op threads only add synchronisation."""
    with one_thread():
        yield


def small(cls=AttentionSeq2Seq, seed: int = 0):
    torch.manual_seed(seed)
    return cls(len(SOURCE_VOCAB), len(TARGET_VOCAB), embed_dim=8, hidden_size=16).eval()


def batch(n: int = 6):
    return encode_pairs(date_pairs(n, seed=0))


def test_reverse_within_length_leaves_padding_in_place():
    x = torch.tensor([[1, 2, 3, 0, 0], [4, 5, 6, 7, 8]])
    out = reverse_within_length(x, torch.tensor([3, 5]))
    assert out.tolist() == [[3, 2, 1, 0, 0], [8, 7, 6, 5, 4]]
    assert torch.equal(reverse_within_length(out, torch.tensor([3, 5])), x)


def test_encoder_matches_a_packed_bidirectional_lstm():
    torch.manual_seed(0)
    encoder = BiLSTMEncoder(len(SOURCE_VOCAB), 8, 16)
    reference = nn.LSTM(8, 16, batch_first=True, bidirectional=True)
    with torch.no_grad():
        for name in ("weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0"):
            getattr(reference, name).copy_(getattr(encoder.forward_lstm, name))
            getattr(reference, name + "_reverse").copy_(getattr(encoder.backward_lstm, name))
    source = batch(12).source
    encoded = encoder(source)
    lengths = (source != PAD).sum(1)
    packed = pack_padded_sequence(
        encoder.embed(source), lengths, batch_first=True, enforce_sorted=False
    )
    out, (h_n, _) = reference(packed)
    out, _ = pad_packed_sequence(out, batch_first=True, total_length=source.shape[1])
    assert torch.allclose(encoded.annotations, out, atol=1e-6)
    assert torch.allclose(encoded.summary, torch.cat([h_n[0], h_n[1]], dim=-1), atol=1e-6)
    assert torch.equal(encoded.mask, source != PAD)


def test_attention_weights_sum_to_one_and_ignore_padding():
    model, data = small(), batch()
    with torch.no_grad():
        logits, weights = model.forward_with_attention(data.source, data.target_in)
    b, t = data.target_in.shape
    assert logits.shape == (b, t, len(TARGET_VOCAB))
    assert weights.shape == (b, t, data.source.shape[1])
    assert torch.allclose(weights.sum(-1), torch.ones(b, t), atol=1e-6)
    padding = (data.source == PAD)[:, None, :].expand_as(weights)
    assert padding.any() and (weights[padding] == 0).all()


def test_first_step_attention_is_the_additive_score_of_the_initial_state():
    """Row 0 of the weights equals softmax(v^T tanh(W s_0 + U h_j)) over the real characters."""
    model, data = small(), batch()
    with torch.no_grad():
        _, weights = model.forward_with_attention(data.source, data.target_in)
        encoded = model.encoder(data.source)
        s0 = torch.tanh(model.bridge(encoded.summary))  # (B, H)
    score: AdditiveScore = model.score
    for b in range(len(data)):
        n = int(encoded.mask[b].sum())
        with torch.no_grad():
            expected = torch.softmax(score(s0[b : b + 1], encoded.annotations[b, :n]), dim=-1)
        assert torch.allclose(weights[b, 0, :n], expected[0], atol=1e-6)


def test_outputs_do_not_depend_on_extra_padding():
    data = batch()
    extra = torch.cat([data.source, torch.full((len(data), 7), PAD)], dim=1)
    for cls in (AttentionSeq2Seq, PlainSeq2Seq):
        model = small(cls)
        with torch.no_grad():
            short, long = model(data.source, data.target_in), model(extra, data.target_in)
        assert torch.allclose(short, long, atol=1e-6), cls.__name__
    with torch.no_grad():
        _, w_short = small().forward_with_attention(data.source, data.target_in)
        _, w_long = small().forward_with_attention(extra, data.target_in)
    assert torch.allclose(w_long[..., : data.source.shape[1]], w_short, atol=1e-6)


def test_plain_model_has_no_attention_and_a_fixed_context():
    model, data = small(PlainSeq2Seq), batch()
    logits, weights = model.forward_with_attention(data.source, data.target_in)
    assert weights is None and logits.shape[:2] == data.target_in.shape


def test_a_tiny_model_learns_a_handful_of_pairs_by_heart():
    pairs = [
        DatePair("3 mayo 2001", "2001-05-03"),
        DatePair("el 21 de enero de 1987", "1987-01-21"),
        DatePair("doce marzo 1960", "1960-03-12"),
        DatePair("30 de julio del 2045", "2045-07-30"),
    ]
    data = encode_pairs(pairs)
    model = small().train()
    optimizer = torch.optim.Adam(model.parameters(), lr=3e-2)
    for _ in range(40):
        loss = teacher_forcing_loss(model, data)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    assert loss.item() < 0.1
    predictions = translate(model, data)
    assert exact_match(predictions, [p.iso for p in pairs]) == 1.0
    alignment = align(model, pairs[0].spanish)
    assert "".join(alignment.output) == pairs[0].iso + "</s>"
    assert alignment.weights.shape == (len(alignment.output), len(pairs[0].spanish))
    assert torch.allclose(alignment.weights.sum(-1), torch.ones(len(alignment.output)))
