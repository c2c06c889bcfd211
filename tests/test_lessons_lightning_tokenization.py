"""Reusable pieces of the lessons "PyTorch Lightning anatomy" and "Tokenization"."""

from __future__ import annotations

import pytest
import torch
from dlcourse.data.corpus import corpus_text, sentences, train_test_sentences
from dlcourse.data.digits import DigitsDataModule, digits_split
from dlcourse.models import mlp
from dlcourse.runtime import seed_all
from dlcourse.text.tokenizers import BPETokenizer, Vocabulary, char_tokenize, word_tokenize
from dlcourse.training import train_by_hand
from dlcourse.training.lightning import DigitsClassifier, logged_metrics, make_trainer


def test_digits_split_is_stratified_scaled_and_reproducible():
    first, second = digits_split(seed=0), digits_split(seed=0)
    assert first.x_train.shape[1] == 64 and len(first.x_val) == 450
    assert torch.equal(first.x_train, second.x_train)
    assert first.x_train.min() >= 0.0 and first.x_train.max() <= 1.0
    counts = torch.bincount(first.y_val, minlength=10)
    assert counts.min() >= 43 and counts.max() <= 47  # 450 / 10 classes, stratified


def test_lightning_loop_and_hand_written_loop_give_the_same_numbers(tmp_path, monkeypatch):
    """The lesson's central claim, on a small subset: Trainer.fit equals the plain loop.

    300 examples leave a partial last batch, as the lesson's full split (1,347) does.
    """
    monkeypatch.setenv("DLCOURSE_WORKDIR", str(tmp_path))
    seed_all(0)
    model = DigitsClassifier(hidden=(16,), lr=3e-3)
    trainer = make_trainer("test-anatomy", max_epochs=2)
    trainer.fit(model, datamodule=DigitsDataModule(batch_size=64, train_size=300))
    by_lightning = logged_metrics(trainer)

    seed_all(0)
    net = mlp((64, 16, 10))
    seed_all(0)
    by_hand = train_by_hand(net, DigitsDataModule(batch_size=64, train_size=300), epochs=2, lr=3e-3)
    for key in ("train_loss", "val_loss", "train_acc", "val_acc"):
        assert by_hand[key] == pytest.approx(by_lightning[key], abs=1e-5), key
    for a, b in zip(model.net.state_dict().values(), net.state_dict().values(), strict=True):
        assert torch.allclose(a, b, atol=1e-6)


@pytest.mark.parametrize(
    "text", ["¿Qué tal, señor Ñúñez? ¡Bien!", "tokens  with   spaces\n", "🙂 你好 — ok", ""]
)
def test_byte_level_bpe_round_trips_any_text_without_unknowns(text):
    tokenizer = BPETokenizer.train(corpus_text("es"), 200)
    ids = tokenizer.encode(text)
    assert tokenizer.decode(ids) == text
    assert all(0 <= i < tokenizer.vocab_size for i in ids)


def test_bpe_merges_shorten_sequences_monotonically():
    train, test = train_test_sentences("es")
    tokenizer = BPETokenizer.train(" ".join(train), 400)
    text = " ".join(test)
    lengths = [len(tokenizer.truncated(n).encode(text)) for n in (0, 50, 200, 400)]
    assert lengths[0] == len(text.encode("utf-8"))  # no merges: one token per byte
    assert lengths == sorted(lengths, reverse=True) and lengths[-1] < lengths[0] / 2


def test_word_vocabulary_maps_unseen_words_to_unknown():
    vocab = Vocabulary.build(word_tokenize("el gato y el perro"))
    ids = vocab.encode(["el", "ratón"])
    assert vocab.decode(ids) == ["el", "<unk>"]
    assert vocab.unknown_rate(["el", "ratón", "pez", "gato"]) == pytest.approx(0.5)
    assert char_tokenize("año") == ["a", "ñ", "o"]


def test_course_corpus_is_parallel_and_in_both_languages():
    spanish, english = sentences("es"), sentences("en")
    assert len(spanish) == len(english) > 100
    assert any("ñ" in s or "¿" in s for s in spanish)
    assert corpus_text("es") != corpus_text("en")
