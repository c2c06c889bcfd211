"""Reusable pieces of the lesson "Sequence classification with LSTM and GRU"."""

from __future__ import annotations

import pytest
import torch
from dlcourse.lessons.sentiment_lstm import (
    BagOfWords,
    accuracy,
    confusion_matrix,
    decode_ids,
    encode_texts,
    make_loader,
    misclassified,
    predict,
    replace_with_unknown,
    review_splits,
    train_run,
)
from dlcourse.models.rnn import RecurrentClassifier
from dlcourse.text.tokenizers import Vocabulary, word_tokenize


@pytest.fixture(scope="module")
def small_splits():
    return review_splits(150, 50, 50, seed=0)


def test_encoding_round_trip_with_padding_and_lengths():
    texts = ["La comida estaba buena.", "No me gustó nada el servicio, la verdad.", "Genial."]
    vocab = Vocabulary.build(token for text in texts for token in word_tokenize(text))
    ids, lengths = encode_texts(texts, vocab)
    assert lengths.tolist() == [len(word_tokenize(t)) for t in texts]
    assert ids.shape == (3, int(lengths.max()))
    for row, n in zip(ids, lengths.tolist(), strict=True):
        assert (row[n:] == vocab.pad_id).all() and (row[:n] != vocab.pad_id).all()
    assert decode_ids(ids, lengths, vocab) == [word_tokenize(t) for t in texts]
    unknown, _ = encode_texts(["La comida estaba espantosa."], vocab)
    assert unknown[0].tolist().count(vocab.unk_id) == 1


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
def test_packed_output_does_not_depend_on_padding(cell):
    torch.manual_seed(0)
    model = RecurrentClassifier(20, 3, cell=cell, embed_dim=8, hidden_size=12, padding_idx=0)
    model.eval()
    x = torch.randint(1, 20, (4, 9))
    lengths = torch.tensor([9, 5, 2, 7])
    x[torch.arange(9) >= lengths[:, None]] = 0  # right padding
    longer = torch.cat([x, torch.zeros(4, 6, dtype=torch.long)], dim=1)  # 6 more pad columns
    with torch.no_grad():
        alone = torch.cat([model(x[i : i + 1, : lengths[i]]) for i in range(4)])  # no padding
        assert torch.allclose(model(x, lengths), alone, atol=1e-6)
        assert torch.allclose(model(longer, lengths), alone, atol=1e-6)
        # without lengths the extra padding steps do change the last state
        assert not torch.allclose(model(longer), model(x), atol=1e-4)


def test_bag_of_words_ignores_padding_and_order():
    torch.manual_seed(0)
    model = BagOfWords(10, 2, embed_dim=4, padding_idx=0)
    x = torch.tensor([[3, 5, 7, 0, 0]])
    assert torch.allclose(model(x), model(torch.tensor([[7, 3, 5]])), atol=1e-6)


def test_loader_batches_are_padded_to_their_own_longest_row(small_splits):
    pad = small_splits.vocab.pad_id
    for ids, lengths, labels in make_loader(small_splits.val, batch_size=16, pad_id=pad):
        assert ids.shape == (len(labels), int(lengths.max()))
        assert ((ids != pad).sum(1) == lengths).all()


def test_word_dropout_touches_only_real_tokens():
    ids = torch.tensor([[4, 5, 6, 0, 0], [7, 8, 9, 10, 11]])
    lengths = torch.tensor([3, 5])
    out = replace_with_unknown(ids, lengths, 1.0, 1, torch.Generator().manual_seed(0))
    assert out.tolist() == [[1, 1, 1, 0, 0], [1, 1, 1, 1, 1]]
    same = replace_with_unknown(ids, lengths, 0.0, 1, torch.Generator().manual_seed(0))
    assert torch.equal(same, ids)


def test_trained_lstm_beats_chance_and_confusion_matrix_counts(small_splits):
    run = train_run("lstm", small_splits, seed=0, epochs=4, batch_size=32, lr=5e-3)
    predictions = predict(run.model, small_splits.val, small_splits.vocab.pad_id)
    labels = small_splits.val.labels
    assert accuracy(predictions, labels) > 0.75  # chance is 0.5 on balanced classes
    matrix = confusion_matrix(predictions, labels, 2)
    assert matrix.sum() == len(labels)
    assert matrix.trace() == int((predictions == labels).sum())
    assert matrix[1].sum() == int((labels == 1).sum())  # row = true class
    wrong = misclassified(small_splits.val, predictions)
    assert len(wrong) == len(labels) - matrix.trace()
    assert all(m.label != m.prediction for m in wrong)
