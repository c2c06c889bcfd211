"""Reusable pieces of the lesson "Pretraining and transfer learning"."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F
from dlcourse.data import corpus
from dlcourse.lessons.pretraining import (
    IGNORE,
    SPECIALS,
    Classifier,
    MiniBert,
    accuracy,
    balanced_subset,
    build_vocabulary,
    encode,
    fill_mask,
    finetune,
    mask_tokens,
    masked_accuracy,
    mlm_loss,
    pad,
    pretrain_mlm,
    special_mask,
    unlabelled_texts,
)
from dlcourse.runtime import one_thread
from dlcourse.text.tokenizers import Vocabulary


@pytest.fixture(autouse=True)
def _tiny_tensors_on_one_thread():
    """These tensors are tiny: extra intra-op threads only add synchronisation."""
    with one_thread():
        yield


VOCAB = Vocabulary([f"w{i}" for i in range(200)], specials=SPECIALS)


def _batch(rows: int = 400, width: int = 60) -> torch.Tensor:
    """[CLS] words [SEP] then padding, with varying lengths and some <unk>: (rows, width)."""
    generator = torch.Generator().manual_seed(0)
    ids = torch.randint(len(SPECIALS), len(VOCAB), (rows, width), generator=generator)
    ids[:, 0] = VOCAB.stoi["[CLS]"]
    ids[::7, 5] = VOCAB.unk_id
    for row, length in enumerate(torch.randint(10, width, (rows,), generator=generator).tolist()):
        ids[row, length - 1] = VOCAB.stoi["[SEP]"]
        ids[row, length:] = VOCAB.pad_id
    return ids


def test_masking_follows_berts_proportions():
    ids = _batch()
    masked = mask_tokens(ids, VOCAB, torch.Generator().manual_seed(1))
    ordinary = ~special_mask(ids, VOCAB)
    chosen = masked.chosen
    assert not (chosen & ~ordinary).any()  # never [CLS], [SEP] or padding
    assert chosen[ids == VOCAB.unk_id].any()  # an unknown word is still a word of the text
    assert abs(chosen.sum() / ordinary.sum() - 0.15) < 0.01
    to_mask = chosen & (masked.inputs == VOCAB.stoi["[MASK]"])
    unchanged = chosen & (masked.inputs == ids)
    to_random = chosen & ~to_mask & ~unchanged
    n = chosen.sum()
    assert abs(to_mask.sum() / n - 0.8) < 0.02
    assert abs(to_random.sum() / n - 0.1) < 0.015
    assert abs(unchanged.sum() / n - 0.1) < 0.015
    assert (masked.inputs[to_random] >= len(SPECIALS)).all()  # random words, never specials
    assert torch.equal(masked.inputs[~chosen], ids[~chosen])
    assert torch.equal(masked.labels[chosen], ids[chosen])
    assert (masked.labels[~chosen] == IGNORE).all()


def test_mlm_loss_counts_only_the_chosen_positions():
    ids = _batch(rows=8, width=20)
    masked = mask_tokens(ids, VOCAB, torch.Generator().manual_seed(2))
    logits = torch.randn(8, 20, len(VOCAB), generator=torch.Generator().manual_seed(3))
    by_hand = F.cross_entropy(logits[masked.chosen], ids[masked.chosen])
    assert torch.allclose(mlm_loss(logits, masked.labels), by_hand)
    scrambled = logits.clone()
    scrambled[~masked.chosen] = 50 * torch.randn_like(scrambled[~masked.chosen])
    assert torch.allclose(mlm_loss(scrambled, masked.labels), by_hand)
    scrambled[masked.chosen] += 5.0 * F.one_hot(ids[masked.chosen], len(VOCAB))
    assert mlm_loss(scrambled, masked.labels) < by_hand  # the chosen ones do count


def test_encoder_and_heads_have_the_right_shapes():
    torch.manual_seed(0)
    encoder = MiniBert(len(VOCAB), d_model=16, n_heads=2, d_ff=32).eval()
    ids = _batch(rows=5, width=12)
    assert encoder(ids).shape == (5, 12, 16)
    assert encoder.mlm_logits(encoder(ids)).shape == (5, 12, len(VOCAB))
    for pooling in ("mean", "cls"):
        head = Classifier(encoder, 3, pooling=pooling).eval()
        assert head(ids).shape == (5, 3)
    # Mean pooling ignores padding: extra pad columns leave the sentence vector unchanged.
    padded = torch.cat([ids, torch.zeros(5, 4, dtype=torch.long)], dim=1)
    with torch.no_grad():
        assert torch.allclose(head.pool(ids), head.pool(padded), atol=1e-5)
        mean = Classifier(encoder).eval()
        assert torch.allclose(mean.pool(ids), mean.pool(padded), atol=1e-5)
    fresh = encoder.fresh_copy()
    assert fresh.config == encoder.config
    assert not torch.equal(fresh.tokens.weight, encoder.tokens.weight)


def test_pretraining_texts_are_unlabelled_and_exclude_the_labelled_ones():
    everything = unlabelled_texts([], n_per_class=30)
    banned = everything[:5]
    kept = unlabelled_texts(banned, n_per_class=30)
    assert all(isinstance(t, str) for t in kept)
    assert not set(banned) & set(kept) and len(kept) == len(everything) - 5
    rows = balanced_subset([0, 1] * 50, 8, seed=0)
    assert len(rows) == 16 and sorted(r % 2 for r in rows) == [0] * 8 + [1] * 8
    assert rows != balanced_subset([0, 1] * 50, 8, seed=1)


def test_tiny_pipeline_pretrains_and_fine_tunes():
    texts = [r.text for r in corpus.reviews(200, seed=5)]
    vocab = build_vocabulary(texts)
    sequences = encode(texts, vocab)
    size = dict(d_model=32, n_heads=2, d_ff=64)
    run = pretrain_mlm(sequences, vocab, steps=120, batch_size=16, log_every=20, **size)
    assert run.losses[-1] < run.losses[0] - 0.5
    counts = torch.bincount(pad(sequences).flatten(), minlength=len(vocab))[len(SPECIALS) :]
    assert masked_accuracy(run.model, sequences[:100], vocab) > counts.max() / counts.sum()
    guesses = fill_mask(run.model, vocab, "la comida estaba [MASK] .", k=3)
    assert len(guesses) == 3 and all(word not in SPECIALS for word, _ in guesses)
    assert guesses[0][1] >= guesses[1][1] >= guesses[2][1]

    train, test = corpus.reviews(48, seed=6), corpus.reviews(60, seed=7)
    x, y = encode([r.text for r in train], vocab), [r.label for r in train]
    tx, ty = encode([r.text for r in test], vocab), [r.label for r in test]
    before = {n: p.clone() for n, p in run.model.state_dict().items()}
    model = finetune(run.model, x, y, steps=40)
    assert accuracy(model, tx, ty) > 0.7  # the pipeline learns (chance is 0.5)
    assert all(torch.equal(before[n], p) for n, p in run.model.state_dict().items())
