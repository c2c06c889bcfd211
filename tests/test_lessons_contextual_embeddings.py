"""Reusable pieces of the lesson "Contextual embeddings (the ELMo idea)"."""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from dlcourse.lessons.contextual_embeddings import (
    BiLM,
    build_vocabulary,
    encode,
    make_occurrence,
    nearest_sense_accuracy,
    new_bilm,
    reverse_padded,
    sense_sentences,
    separation_by_word,
    train_bilm,
    unigram_perplexity,
    word_vectors,
)

SENTENCES = [
    "mi madre fue al banco para pedir una hipoteca .",
    "mi madre fue al banco del parque .",
    "pablo se sentó en el banco de piedra de la plaza .",
]


def small_model() -> tuple[BiLM, object]:
    vocab = build_vocabulary([s.split() for s in SENTENCES])
    return new_bilm(len(vocab), embed_dim=8, hidden=12, seed=0).eval(), vocab


def test_reverse_padded_reverses_only_the_real_steps():
    x = torch.tensor([[1, 2, 3, 0, 0], [4, 5, 6, 7, 8]])
    lengths = torch.tensor([3, 5])
    assert reverse_padded(x, lengths).tolist() == [[3, 2, 1, 0, 0], [8, 7, 6, 5, 4]]
    features = torch.randn(2, 5, 4)
    assert torch.equal(reverse_padded(reverse_padded(features, lengths), lengths), features)


def test_backward_model_reads_right_to_left():
    model, vocab = small_model()
    first = SENTENCES[0].split()
    changed = [*first[:-2], "parque", "."]  # only a late token differs ("hipoteca" -> "parque")
    ids, lengths = encode(vocab, [first, changed])
    with torch.no_grad():
        forward, backward = model.states(ids, lengths)
    k = first.index("banco") + 1  # +1 for <s>
    late = len(first) - 2 + 1  # position of the changed token
    assert torch.equal(forward[0, :late], forward[1, :late])  # forward never saw the change
    assert not torch.allclose(forward[0, late], forward[1, late])
    assert (backward[0, k] - backward[1, k]).abs().max() > 1e-4  # backward at "banco" did
    # the backward state at position k depends only on tokens k..end: compare with the
    # backward LSTM run by hand on the reversed suffix
    x = model.embedding(ids[0, k : int(lengths[0])]).flip(0)[None]  # (1, L - k, E)
    with torch.no_grad():
        by_hand, _ = model.backward_lstm(x)
    assert torch.allclose(backward[0, k], by_hand[0, -1], atol=1e-6)


def test_padding_does_not_change_the_states():
    model, vocab = small_model()
    short, long = SENTENCES[1].split(), SENTENCES[2].split()
    ids, lengths = encode(vocab, [short, long])  # ``short`` gets padded
    alone_ids, alone_lengths = encode(vocab, [short])
    with torch.no_grad():
        batch = model.states(ids, lengths)
        alone = model.states(alone_ids, alone_lengths)
    n = int(alone_lengths[0])
    for in_batch, by_itself in zip(batch, alone, strict=True):
        assert torch.allclose(in_batch[0, :n], by_itself[0], atol=1e-6)


def test_losses_are_the_per_token_cross_entropy():
    model, vocab = small_model()
    sentences = [s.split() for s in SENTENCES[1:]]
    ids, lengths = encode(vocab, sentences)
    with torch.no_grad():
        loss_f, loss_b = model.losses(ids, lengths)
        forward, backward = model.states(ids, lengths)
    total_f = total_b = 0.0
    count = 0
    for i, n in enumerate(lengths.tolist()):
        row = ids[i, :n]
        total_f += F.cross_entropy(model.output(forward[i, : n - 1]), row[1:], reduction="sum")
        total_b += F.cross_entropy(model.output(backward[i, 1:n]), row[:-1], reduction="sum")
        count += n - 1
    assert math.isclose(loss_f.item(), total_f.item() / count, rel_tol=1e-5)
    assert math.isclose(loss_b.item(), total_b.item() / count, rel_tol=1e-5)


def test_word_vector_shapes_and_halves():
    model, vocab = small_model()
    occurrences = [make_occurrence(s, "banco") for s in SENTENCES]
    both = word_vectors(model, vocab, occurrences)
    assert both.shape == (3, 2 * 12)
    assert word_vectors(model, vocab, occurrences, "forward").shape == (3, 12)
    assert word_vectors(model, vocab, occurrences, "static").shape == (3, 8)
    ids, lengths = encode(vocab, [o.tokens for o in occurrences])
    with torch.no_grad():
        forward, backward = model.states(ids, lengths)
    k = occurrences[2].position + 1
    assert torch.allclose(both[2], torch.cat([forward[2, k], backward[2, k]]))


def test_static_embedding_is_the_same_in_every_context():
    model, vocab = small_model()
    occurrences = [make_occurrence(s, "banco") for s in SENTENCES]
    static = word_vectors(model, vocab, occurrences, "static")
    assert torch.equal(static[0], static[1]) and torch.equal(static[0], static[2])
    contextual = word_vectors(model, vocab, occurrences)
    assert not torch.allclose(contextual[0], contextual[2])


def test_held_out_sentences_are_new_combinations():
    train, held_out = sense_sentences(per_sense=60, held_out_per_pair=2, seed=1)
    seen_pairs = {(o.sense, o.left, o.right) for o in train}
    assert not any((o.sense, o.left, o.right) in seen_pairs for o in held_out)
    assert {(o.sense, o.left) for o in held_out} <= {(o.sense, o.left) for o in train}
    assert {(o.sense, o.right) for o in held_out} <= {(o.sense, o.right) for o in train}
    assert all(o.tokens[o.position] == o.word for o in train + held_out)


def test_training_separates_senses_better_than_untrained():
    # two words, 240 sentences, 8 short epochs: about a second of CPU
    train, held_out = sense_sentences(per_sense=60, words=("banco", "carta"), seed=0)
    run = train_bilm([o.tokens for o in train], epochs=8, batch_size=16, lr=1e-2, seed=0)
    untrained = new_bilm(len(run.vocab), seed=0)  # the weights training started from
    trained_accuracy = nearest_sense_accuracy(run.model, run.vocab, held_out, train)
    untrained_accuracy = nearest_sense_accuracy(untrained, run.vocab, held_out, train)
    assert trained_accuracy >= 0.9 and trained_accuracy > untrained_accuracy + 0.15

    def mean_gap(model, view="both"):
        by_word = separation_by_word(model, run.vocab, held_out, view)
        return sum(s.gap for s in by_word.values()) / len(by_word)

    assert mean_gap(run.model) > mean_gap(untrained) + 0.03
    assert abs(mean_gap(run.model, "static")) < 1e-6  # identical vectors: no gap at all


def test_unigram_perplexity_by_hand():
    # counts a: 1, b: 1, </s>: 1 -> add-one over 3 + 1 symbols: p(a) = p(</s>) = 2 / 7
    assert math.isclose(unigram_perplexity([["a", "b"]], [["a"]]), 3.5)
