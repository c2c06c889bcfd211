"""Reusable pieces of the lesson "Named-entity recognition with a BiLSTM"."""

from __future__ import annotations

import pytest
import torch
from dlcourse.data.corpus import tagged_sentences
from dlcourse.lessons.ner_bilstm import (
    PAD_TAG,
    TAGS,
    BiLSTMTagger,
    Span,
    bio_spans,
    build_vocabulary,
    drop_words,
    encode,
    entity_scores,
    error_kinds,
    held_out_split,
    lookup_tagger,
    predict_tags,
    render,
    tagging_loss,
    train_tagger,
)


def test_bio_spans_on_hand_examples():
    assert bio_spans(["B-PER", "I-PER", "O", "B-LOC"]) == [Span("PER", 0, 2), Span("LOC", 3, 4)]
    assert bio_spans(["B-PER", "B-PER", "I-PER"]) == [Span("PER", 0, 1), Span("PER", 1, 3)]
    assert bio_spans(["O", "O"]) == [] and bio_spans([]) == []
    # an I- tag with no entity of its type to continue opens one, as conlleval reads it
    assert bio_spans(["O", "I-ORG", "I-ORG", "O"]) == [Span("ORG", 1, 3)]
    assert bio_spans(["I-DATE"]) == [Span("DATE", 0, 1)]
    assert bio_spans(["B-PER", "I-LOC", "I-LOC"]) == [Span("PER", 0, 1), Span("LOC", 1, 3)]


def test_bio_spans_agree_with_the_corpus_entities():
    for sentence in tagged_sentences(50, seed=3):
        read = [(kind, " ".join(sentence.tokens[a:b])) for kind, a, b in bio_spans(sentence.tags)]
        assert read == sentence.entities()


def test_render_brackets_entities():
    tokens = ["Ana", "Ruiz", "trabaja", "en", "Lima", "."]
    tags = ["B-PER", "I-PER", "O", "O", "B-LOC", "O"]
    assert render(tokens, tags) == "[Ana Ruiz]PER trabaja en [Lima]LOC."


def test_entity_scores_on_a_hand_made_case():
    gold = [
        ["B-PER", "I-PER", "O", "B-LOC", "I-LOC", "I-LOC"],  # Ana Ruiz / Santiago de Chile
        ["B-ORG", "O", "B-DATE"],
    ]
    pred = [
        ["B-PER", "I-PER", "O", "B-LOC", "O", "O"],  # PER exact; LOC cut short
        ["B-LOC", "O", "B-DATE"],  # ORG labelled LOC; DATE exact
    ]
    scores = entity_scores(gold, pred)
    # PER 1/1/1, LOC 0 of 1 predicted and 0 of 1 gold plus the LOC-for-ORG, ORG 0/0 of 1
    assert (scores["PER"].precision, scores["PER"].recall, scores["PER"].f1) == (1.0, 1.0, 1.0)
    assert scores["LOC"].predicted == 2 and scores["LOC"].true_positives == 0
    assert scores["ORG"].recall == 0.0 and scores["ORG"].precision == 0.0
    total = scores["all"]
    assert (total.true_positives, total.predicted, total.gold) == (2, 4, 4)
    assert total.precision == total.recall == total.f1 == pytest.approx(0.5)
    assert list(scores) == ["PER", "LOC", "ORG", "DATE", "all"]
    kinds = error_kinds(gold, pred)
    assert kinds["wrong boundary"] == 1 and kinds["wrong type"] == 1
    assert kinds["missed"] == 0 and kinds["spurious"] == 0


def test_loss_ignores_padding():
    sentences = tagged_sentences(6, seed=0)
    vocab = build_vocabulary(sentences)
    tight, padded = encode(sentences, vocab), encode(sentences, vocab, pad_to=40)
    assert padded.words.shape[1] == 40 and (padded.tags[:, -1] == PAD_TAG).all()
    torch.manual_seed(0)
    model = BiLSTMTagger(len(vocab), padding_idx=vocab.pad_id).eval()
    losses, grads = [], []
    for data in (tight, padded):
        model.zero_grad()
        loss = tagging_loss(model(data.words, data.lengths), data.tags)
        loss.backward()
        losses.append(loss.item())
        grads.append(model.lstm.weight_hh_l0_reverse.grad.clone())
    assert losses[0] == pytest.approx(losses[1], abs=1e-6)
    assert torch.allclose(grads[0], grads[1], atol=1e-6)


def test_word_dropout_leaves_padding_alone():
    words = torch.tensor([[5, 6, 7, 0, 0]])
    dropped = drop_words(words, 1.0, unk_id=1, pad_id=0, generator=torch.Generator())
    assert dropped.tolist() == [[1, 1, 1, 0, 0]]


def test_held_out_split_hides_the_held_out_names():
    split = held_out_split(300, 200)
    train_words = {t for s in split.train for t in s.tokens}
    assert not any(name.split()[0] in train_words for name in split.held_out)
    for sentence in split.test_new:
        assert any(
            t not in train_words and tag != "O"
            for t, tag in zip(sentence.tokens, sentence.tags, strict=True)
        )
    for sentence in split.test_seen:
        assert all(
            t in train_words
            for t, tag in zip(sentence.tokens, sentence.tags, strict=True)
            if tag != "O"
        )
    assert len(split.test_seen) + len(split.test_new) == 200


def test_trained_tagger_beats_the_all_o_baseline():
    train, test = tagged_sentences(400, seed=0), tagged_sentences(100, seed=1)
    vocab = build_vocabulary(train)
    run = train_tagger(encode(train, vocab), vocab, epochs=6, seed=0)
    assert run.losses[-1] < run.losses[0] / 3
    gold = [s.tags for s in test]
    predicted = predict_tags(run.model, test, vocab)
    all_o = [["O"] * len(s.tokens) for s in test]
    assert entity_scores(gold, all_o)["all"].f1 == 0.0
    assert entity_scores(gold, predicted)["all"].f1 > 0.8
    correct = sum(
        g == p for gs, ps in zip(gold, predicted, strict=True) for g, p in zip(gs, ps, strict=True)
    )
    baseline = sum(g == "O" for gs in gold for g in gs)
    assert correct > baseline
    assert all(tag in TAGS for tags in predicted for tag in tags)


def test_lookup_tagger_memorises_and_knows_nothing_else():
    train = tagged_sentences(200, seed=0)
    tag = lookup_tagger(train)
    assert tag(["Zaragozaaa", "."]) == ["O", "O"]
    seen_first_names = {
        s.tokens[a] for s in train for kind, a, _ in bio_spans(s.tags) if kind == "PER"
    }
    assert seen_first_names and tag(sorted(seen_first_names)) == ["B-PER"] * len(seen_first_names)
