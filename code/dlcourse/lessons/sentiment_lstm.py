"""Text classification with recurrent networks: encode, pad, batch, train and inspect errors.

A sentence becomes a list of token ids of its own length; a batch needs a rectangle. We pad
every sequence with ``<pad>`` up to the longest one in the batch and keep the true lengths,
so the recurrent layer can be told where each sequence really ends (PyTorch packs the batch
with them) and padding never changes a prediction.

The models are :class:`dlcourse.models.rnn.RecurrentClassifier` (RNN, LSTM or GRU) and a
:class:`BagOfWords` baseline that ignores word order. The evaluation helpers (accuracy,
confusion matrix, misclassified examples) work on any classifier with the signature
``model(ids, lengths) -> logits``.

Introduced in lesson "Sequence classification with LSTM and GRU".
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.data import DataLoader, Dataset

from dlcourse.data.corpus.reviews import SENTIMENT_LABELS, Review, reviews
from dlcourse.models import count_parameters
from dlcourse.models.rnn import RecurrentClassifier
from dlcourse.runtime import seed_torch, seeded_generator
from dlcourse.text.tokenizers import Vocabulary, pad_batch, word_tokenize
from dlcourse.training import fit

Tokenizer = Callable[[str], list[str]]


# --- Encoding -----------------------------------------------------------------------------


def encode_texts(
    texts: Sequence[str], vocab: Vocabulary, tokenize: Tokenizer = word_tokenize
) -> tuple[torch.Tensor, torch.Tensor]:
    """Texts -> padded ids (N, T_max) and true lengths (N,); unknown words become ``<unk>``."""
    return pad_batch([vocab.encode(tokenize(text)) for text in texts], vocab.pad_id)


def decode_ids(ids: torch.Tensor, lengths: torch.Tensor, vocab: Vocabulary) -> list[list[str]]:
    """The inverse of :func:`encode_texts` up to unknown words: the tokens of each row,
    without its padding."""
    return [vocab.decode(row[:n].tolist()) for row, n in zip(ids, lengths.tolist(), strict=True)]


@dataclass
class EncodedTexts:
    """A labeled split, kept both as text (to print errors) and as padded ids (to train)."""

    texts: list[str]
    labels: torch.Tensor  # (N,) int64
    ids: torch.Tensor  # (N, T_max) int64, padded with the vocabulary's pad id
    lengths: torch.Tensor  # (N,) int64, number of real tokens per row

    def __len__(self) -> int:
        return len(self.texts)


class EncodedDataset(Dataset):
    """Rows of an :class:`EncodedTexts` as (unpadded id tensor, label) pairs for a DataLoader."""

    def __init__(self, data: EncodedTexts):
        self.data = data

    def __len__(self) -> int:
        return len(self.data)

    def __getitem__(self, index: int) -> tuple[torch.Tensor, int]:
        n = int(self.data.lengths[index])
        return self.data.ids[index, :n], int(self.data.labels[index])


def make_loader(
    data: EncodedTexts, *, batch_size: int, pad_id: int, shuffle: bool = False, seed: int = 0
) -> DataLoader:
    """A DataLoader whose batches are (ids (B, T_batch), lengths (B,), labels (B,)).

    Each batch is re-padded only up to its own longest row, so short batches cost less.
    The shuffling generator is seeded: the same ``seed`` gives the same batches.
    """

    def collate(items: list[tuple[torch.Tensor, int]]):
        ids, lengths = pad_batch([row.tolist() for row, _ in items], pad_id)
        return ids, lengths, torch.tensor([label for _, label in items])

    return DataLoader(
        EncodedDataset(data),
        batch_size=batch_size,
        shuffle=shuffle,
        collate_fn=collate,
        generator=seeded_generator(seed) if shuffle else None,
    )


# --- The review corpus ------------------------------------------------------------------


@dataclass
class ReviewSplits:
    """Train, validation and test splits of :func:`dlcourse.data.corpus.reviews` and their vocabulary.

    ``val`` uses the training phrasings (new reviews, same wording); ``test`` uses the
    held-out phrasings, verdicts and adjectives, so it measures generalization to new wording.
    """

    vocab: Vocabulary
    train: EncodedTexts
    val: EncodedTexts
    test: EncodedTexts
    class_names: tuple[str, ...] = SENTIMENT_LABELS


def _encode_reviews(items: Sequence[Review], vocab: Vocabulary, tokenize: Tokenizer):
    texts = [item.text for item in items]
    ids, lengths = encode_texts(texts, vocab, tokenize)
    labels = torch.tensor([item.label for item in items], dtype=torch.long)
    return EncodedTexts(texts, labels, ids, lengths)


def review_splits(
    n_train: int = 1000,
    n_val: int = 250,
    n_test: int = 500,
    *,
    tokenize: Tokenizer = word_tokenize,
    min_count: int = 1,
    seed: int = 0,
) -> ReviewSplits:
    """Balanced splits (``n_*`` reviews per class) with a vocabulary built on training text only.

    Validation reviews that repeat a training review word for word are dropped, so no split
    leaks into another; the test reviews use held-out phrasings and cannot repeat one.
    """
    train_items = reviews(n_train, seed=seed)
    seen = {item.text for item in train_items}
    val_items = [item for item in reviews(n_val, seed=seed + 1) if item.text not in seen]
    test_items = reviews(n_test, held_out=True, seed=seed + 2)
    vocab = Vocabulary.build(
        (token for item in train_items for token in tokenize(item.text)), min_count=min_count
    )
    return ReviewSplits(
        vocab,
        _encode_reviews(train_items, vocab, tokenize),
        _encode_reviews(val_items, vocab, tokenize),
        _encode_reviews(test_items, vocab, tokenize),
    )


# --- A baseline that ignores order -------------------------------------------------------


class BagOfWords(nn.Module):
    """Mean of the word embeddings of the real tokens -> linear layer.

    Order-blind: "no estaba mal" and "mal no estaba" get the same representation. The
    baseline that tells how much a recurrent network gains by reading in order.
    """

    def __init__(
        self, vocab_size: int, n_classes: int, *, embed_dim: int = 32, padding_idx: int = 0
    ):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embed_dim, padding_idx=padding_idx)
        self.padding_idx = padding_idx
        self.head = nn.Linear(embed_dim, n_classes)

    def forward(self, x: torch.Tensor, lengths: torch.Tensor | None = None) -> torch.Tensor:
        mask = (x != self.padding_idx).unsqueeze(-1).float()  # (B, T, 1)
        summed = (self.embedding(x) * mask).sum(1)  # (B, E)
        return self.head(summed / mask.sum(1).clamp(min=1.0))  # (B, C)


# --- Training ---------------------------------------------------------------------------

ClassifierKind = Literal["bow", "rnn", "lstm", "gru"]  # what make_classifier builds
MODEL_KINDS: tuple[ClassifierKind, ...] = ("bow", "rnn", "lstm", "gru")


def make_classifier(
    kind: ClassifierKind,
    vocab_size: int,
    n_classes: int,
    *,
    padding_idx: int,
    embed_dim: int = 32,
    hidden_size: int = 64,
) -> nn.Module:
    """``"bow"`` -> :class:`BagOfWords`; ``"rnn"``, ``"lstm"``, ``"gru"`` -> a
    :class:`~dlcourse.models.rnn.RecurrentClassifier` with that cell (LSTM forget-gate bias +1)."""
    if kind == "bow":
        return BagOfWords(vocab_size, n_classes, embed_dim=embed_dim, padding_idx=padding_idx)
    return RecurrentClassifier(
        vocab_size,
        n_classes,
        cell=kind,
        embed_dim=embed_dim,
        hidden_size=hidden_size,
        padding_idx=padding_idx,
        forget_bias=1.0 if kind == "lstm" else 0.0,
    )


def replace_with_unknown(
    ids: torch.Tensor, lengths: torch.Tensor, p: float, unk_id: int, generator: torch.Generator
) -> torch.Tensor:
    """Word dropout: each real token becomes ``<unk>`` with probability ``p``.

    A vocabulary built on the training text contains every training word, so without this the
    ``<unk>`` embedding would never be trained, yet new words at test time all map to it.
    """
    positions = torch.arange(ids.shape[1]).unsqueeze(0)  # (1, T)
    real = positions < lengths.unsqueeze(1)  # (B, T)
    drop = (torch.rand(ids.shape, generator=generator) < p) & real
    return ids.masked_fill(drop, unk_id)


@dataclass
class TrainHistory:
    """Per-epoch mean training loss and validation accuracy, and the total training time."""

    train_loss: list[float] = field(default_factory=list)
    val_accuracy: list[float] = field(default_factory=list)
    seconds: float = 0.0


def train_text_classifier(
    model: nn.Module,
    splits: ReviewSplits,
    *,
    epochs: int = 6,
    batch_size: int = 64,
    lr: float = 3e-3,
    unk_dropout: float = 0.1,
    clip: float | None = 1.0,
    device: torch.device | str = "cpu",
    seed: int = 0,
) -> TrainHistory:
    """Adam on shuffled mini-batches with packed sequences, validating after every epoch.

    ``clip`` rescales the gradient norm (the usual guard against exploding gradients in
    recurrent networks); ``unk_dropout`` is the word-dropout rate of :func:`replace_with_unknown`.
    """
    device = torch.device(device)
    model.to(device)
    pad_id, unk_id = splits.vocab.pad_id, splits.vocab.unk_id
    loader = make_loader(
        splits.train, batch_size=batch_size, pad_id=pad_id, shuffle=True, seed=seed
    )
    generator = seeded_generator(seed)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    history = TrainHistory()
    start = time.perf_counter()

    def batch_loss(batch: tuple[torch.Tensor, ...]) -> tuple[torch.Tensor, int]:
        ids, lengths, labels = batch  # (B, T), (B,), (B,)
        if unk_dropout:
            ids = replace_with_unknown(ids, lengths, unk_dropout, unk_id, generator)
        logits = model(ids.to(device), lengths)  # lengths stay on the CPU for packing
        return F.cross_entropy(logits, labels.to(device)), len(labels)

    def validate() -> None:
        history.val_accuracy.append(accuracy(predict(model, splits.val, pad_id), splits.val.labels))

    history.train_loss = fit(
        model, loader, optimizer, epochs=epochs, batch_loss=batch_loss, clip=clip, evaluate=validate
    )
    history.seconds = time.perf_counter() - start
    return history


# --- Evaluation -------------------------------------------------------------------------


@torch.no_grad()
def predict(
    model: nn.Module, data: EncodedTexts, pad_id: int, batch_size: int = 256
) -> torch.Tensor:
    """Predicted class of every row (N,), on the CPU, with the model in eval mode."""
    model.eval()
    device = next(model.parameters()).device
    out = []
    for ids, lengths, _ in make_loader(data, batch_size=batch_size, pad_id=pad_id):
        out.append(model(ids.to(device), lengths).argmax(-1).cpu())
    return torch.cat(out)


def accuracy(predictions: torch.Tensor, labels: torch.Tensor) -> float:
    """Share of predictions (N,) equal to the labels (N,)."""
    return (predictions == labels).float().mean().item()


def confusion_matrix(predictions: torch.Tensor, labels: torch.Tensor, n_classes: int) -> np.ndarray:
    """Counts (C, C): row = true class, column = predicted class; it sums to N."""
    flat = labels.long() * n_classes + predictions.long()
    return torch.bincount(flat, minlength=n_classes * n_classes).view(n_classes, n_classes).numpy()


@dataclass(frozen=True)
class Mistake:
    """A misclassified example: its text, true label and predicted label."""

    text: str
    label: int
    prediction: int


def misclassified(data: EncodedTexts, predictions: torch.Tensor) -> list[Mistake]:
    """Every example whose prediction differs from its label, in the split's order."""
    wrong = torch.nonzero(predictions != data.labels).squeeze(1).tolist()
    return [Mistake(data.texts[i], int(data.labels[i]), int(predictions[i])) for i in wrong]


def contains_any(
    texts: Sequence[str], words: Sequence[str], tokenize: Tokenizer = word_tokenize
) -> torch.Tensor:
    """Boolean mask (N,): which texts contain at least one of ``words`` as a token."""
    wanted = set(words)
    return torch.tensor([not wanted.isdisjoint(tokenize(text)) for text in texts])


# --- Comparing models -------------------------------------------------------------------


@dataclass
class Run:
    """One trained model and its scores on the validation and test splits."""

    kind: ClassifierKind
    seed: int
    model: nn.Module
    history: TrainHistory
    parameters: int
    val_accuracy: float
    test_accuracy: float
    val_predictions: torch.Tensor  # (N_val,)
    test_predictions: torch.Tensor  # (N_test,)


def train_run(
    kind: ClassifierKind,
    splits: ReviewSplits,
    *,
    seed: int = 0,
    device: torch.device | str = "cpu",
    **train,
) -> Run:
    """Build a fresh model of ``kind`` (initialized from ``seed``), train it and score it."""
    seed_torch(seed)
    vocab = splits.vocab
    model = make_classifier(kind, len(vocab), len(splits.class_names), padding_idx=vocab.pad_id)
    history = train_text_classifier(model, splits, device=device, seed=seed, **train)
    val_predictions = predict(model, splits.val, vocab.pad_id)
    test_predictions = predict(model, splits.test, vocab.pad_id)
    return Run(
        kind,
        seed,
        model,
        history,
        count_parameters(model),
        accuracy(val_predictions, splits.val.labels),
        accuracy(test_predictions, splits.test.labels),
        val_predictions,
        test_predictions,
    )
