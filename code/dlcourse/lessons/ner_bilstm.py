"""Named-entity recognition as token tagging: BIO tags, a BiLSTM tagger and CoNLL-style scores.

* :data:`TAGS`: the BIO tag set of :func:`dlcourse.data.corpus.tagged_sentences` ("O", "B-PER",
  "I-PER"...). The tag scheme goes back to Ramshaw and Marcus (1995).
* :func:`bio_spans`: entity spans read back from a tag sequence, as the CoNLL evaluation
  script reads them (an ``I-`` tag that does not continue an entity of its type opens one).
* :func:`encode`: sentences to padded id tensors plus their true lengths.
* :class:`BiLSTMTagger`: embedding -> (bi)directional ``nn.LSTM`` -> linear layer per token
  (Huang, Xu and Yu, 2015, arXiv:1508.01991; Lample et al., 2016, arXiv:1603.01360, without
  their CRF layer).
* :func:`train_tagger`: a short loop whose loss ignores padded positions, with word dropout
  so that the ``<unk>`` embedding is trained.
* :func:`entity_scores`: precision, recall and F1 per entity type with exact span matching,
  as in the CoNLL-2002 shared task (Tjong Kim Sang, 2002).
* :func:`held_out_split`: a training set that never mentions some names, places and
  organizations, to test what the tagger learns from context.

Introduced in lesson "Named-entity recognition with a BiLSTM".
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from dlcourse.bilingual import align, number, tr
from dlcourse.data.corpus.entities import (
    ENTITY_TYPES,
    FIRST_NAMES,
    ORGANIZATIONS,
    PLACES,
    SURNAMES,
    TaggedSentence,
    tagged_sentences,
)
from dlcourse.runtime import seed_torch, seeded_generator
from dlcourse.text.tokenizers import Vocabulary

TAGS: tuple[str, ...] = ("O", *(f"{p}-{kind}" for kind in ENTITY_TYPES for p in ("B", "I")))
"""Tag id -> tag: "O" first, then "B-" and "I-" for each entity type."""
TAG_IDS: dict[str, int] = {tag: i for i, tag in enumerate(TAGS)}
PAD_TAG = -100  # target of padded positions; ``F.cross_entropy`` skips it (its ignore_index)


class Span(NamedTuple):
    """An entity: its type and the token positions ``start`` (included) to ``end`` (excluded)."""

    kind: str
    start: int
    end: int


def bio_spans(tags: Sequence[str]) -> list[Span]:
    """The entities encoded by a BIO tag sequence, in order.

    ``B-X`` opens an entity of type X and ``I-X`` continues one. A tagger that decides each
    token on its own can also emit an ``I-X`` after "O" or after another type; like the
    CoNLL evaluation script (conlleval), we read it as the start of a new X entity rather
    than dropping it.
    """
    spans: list[Span] = []
    kind, start = None, 0
    for i, tag in enumerate([*tags, "O"]):  # the extra "O" closes an entity at the end
        prefix, _, label = tag.partition("-")
        continues = prefix == "I" and label == kind
        if kind is not None and not continues:
            spans.append(Span(kind, start, i))
            kind = None
        if prefix == "B" or (prefix == "I" and not continues):
            kind, start = label, i
    return spans


def render(tokens: Sequence[str], tags: Sequence[str]) -> str:
    """A tagged sentence as plain text: ``[Ana Ruiz]PER trabaja en [Lima]LOC.``"""
    words = list(tokens)
    for kind, start, end in reversed(bio_spans(tags)):
        words[start:end] = [f"[{' '.join(words[start:end])}]{kind}"]
    return re.sub(r" ([.,;:?!])", r"\1", " ".join(words))


# ---------------------------------------------------------------------------------------------
# Data: a split with unseen names, and padded tensors
# ---------------------------------------------------------------------------------------------


def held_out_names(every: int = 4) -> frozenset[str]:
    """One in ``every`` first names, surnames, places and organizations of the corpus.

    Training sentences that mention any of them are dropped (see :func:`held_out_split`),
    so these words exist for the tagger only at test time.
    """
    organizations = [name for _, name in ORGANIZATIONS]
    picked = [*FIRST_NAMES[::every], *SURNAMES[1::every], *PLACES[2::every]]
    return frozenset(picked + organizations[3::every])


def mentions(sentence: TaggedSentence, names: Iterable[str]) -> bool:
    """Whether one of the sentence's entities is, or contains as a word, one of ``names``."""
    names = set(names)
    return any(
        text in names or any(word in names for word in text.split())
        for _, text in sentence.entities()
    )


def entity_words(sentence: TaggedSentence) -> list[str]:
    """The tokens of a sentence that belong to an entity."""
    return [t for t, tag in zip(sentence.tokens, sentence.tags, strict=True) if tag != "O"]


@dataclass
class NERSplit:
    """Training sentences and two test sets from a different seed.

    ``test_seen``: every entity word also occurs in training. ``test_new``: at least one
    entity word never occurs in training (usually a held-out name, place or organization;
    a day or year that training happens to lack would count too).
    """

    train: list[TaggedSentence]
    test_seen: list[TaggedSentence]
    test_new: list[TaggedSentence]
    held_out: frozenset[str]
    generated_train: int  # sentences generated before dropping those with held-out names


def held_out_split(
    n_train: int, n_test: int, *, train_seed: int = 0, test_seed: int = 1, every: int = 4
) -> NERSplit:
    """Training sentences that never mention :func:`held_out_names`, and a test set from
    another seed divided by whether all of its entity words were seen in training."""
    held = held_out_names(every)
    generated = tagged_sentences(n_train, seed=train_seed)
    train = [s for s in generated if not mentions(s, held)]
    seen_words = {token for s in train for token in s.tokens}
    test = tagged_sentences(n_test, seed=test_seed)
    novel = [any(w not in seen_words for w in entity_words(s)) for s in test]
    return NERSplit(
        train=train,
        test_seen=[s for s, new in zip(test, novel, strict=True) if not new],
        test_new=[s for s, new in zip(test, novel, strict=True) if new],
        held_out=held,
        generated_train=n_train,
    )


def build_vocabulary(sentences: Iterable[TaggedSentence]) -> Vocabulary:
    """Word vocabulary of the training sentences, case kept; other words will be ``<unk>``."""
    return Vocabulary.build(token for s in sentences for token in s.tokens)


@dataclass
class Encoded:
    """Sentences as padded tensors: word ids and tag ids (B, T) and true lengths (B,)."""

    words: torch.Tensor  # (B, T) long, vocabulary pad id after each sentence's end
    tags: torch.Tensor  # (B, T) long, PAD_TAG after each sentence's end
    lengths: torch.Tensor  # (B,) long

    def __len__(self) -> int:
        return len(self.lengths)

    def subset(self, rows: torch.Tensor) -> Encoded:
        """The given rows, trimmed to their own longest sentence."""
        lengths = self.lengths[rows]
        width = int(lengths.max())
        return Encoded(self.words[rows, :width], self.tags[rows, :width], lengths)


def encode(sentences: Sequence[TaggedSentence], vocab: Vocabulary, *, pad_to: int = 0) -> Encoded:
    """Pad every sentence to the longest one (or to ``pad_to`` if longer); unknown words
    become ``<unk>``."""
    lengths = torch.tensor([len(s.tokens) for s in sentences])
    width = max(int(lengths.max()), pad_to)
    words = torch.full((len(sentences), width), vocab.pad_id)
    tags = torch.full((len(sentences), width), PAD_TAG)
    for i, s in enumerate(sentences):
        words[i, : len(s.tokens)] = torch.tensor(vocab.encode(s.tokens))
        tags[i, : len(s.tags)] = torch.tensor([TAG_IDS[t] for t in s.tags])
    return Encoded(words, tags, lengths)


# ---------------------------------------------------------------------------------------------
# Model, loss and training
# ---------------------------------------------------------------------------------------------


class BiLSTMTagger(nn.Module):
    """Word embedding -> LSTM read in both directions -> one linear layer per token.

    The output at token t concatenates the forward state (the words up to t) and the
    backward state (the words from t to the end), so each decision sees the whole sentence.
    With ``bidirectional=False`` only the left context is seen. Padded batches are packed
    with their lengths, so the backward LSTM starts at each sentence's last real word and
    never reads padding.
    """

    def __init__(
        self,
        vocab_size: int,
        n_tags: int = len(TAGS),
        *,
        embed_dim: int = 32,
        hidden_size: int = 32,
        bidirectional: bool = True,
        dropout: float = 0.2,
        padding_idx: int = 0,
    ) -> None:
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embed_dim, padding_idx=padding_idx)
        self.lstm = nn.LSTM(embed_dim, hidden_size, batch_first=True, bidirectional=bidirectional)
        self.dropout = nn.Dropout(dropout)
        self.head = nn.Linear(hidden_size * (2 if bidirectional else 1), n_tags)

    def forward(self, words: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        """Word ids (B, T) and true lengths (B,) -> tag logits (B, T, n_tags)."""
        embedded = self.dropout(self.embedding(words))  # (B, T, E)
        packed = nn.utils.rnn.pack_padded_sequence(
            embedded, lengths.cpu(), batch_first=True, enforce_sorted=False
        )
        outputs, _ = self.lstm(packed)
        states, _ = nn.utils.rnn.pad_packed_sequence(
            outputs, batch_first=True, total_length=words.shape[1]
        )  # (B, T, H or 2H), zeros at padded positions
        return self.head(self.dropout(states))


def tagging_loss(logits: torch.Tensor, tags: torch.Tensor) -> torch.Tensor:
    """Mean cross-entropy over the real tokens only: logits (B, T, C), tags (B, T).

    Padded positions carry :data:`PAD_TAG` and are skipped, so adding padding to a batch
    changes neither the loss nor its gradient.
    """
    return F.cross_entropy(logits.flatten(0, 1), tags.flatten(), ignore_index=PAD_TAG)


def drop_words(
    words: torch.Tensor, p: float, unk_id: int, pad_id: int, generator: torch.Generator
) -> torch.Tensor:
    """Replace each real word id by ``unk_id`` with probability ``p`` (word dropout).

    Without it, ``<unk>`` never occurs in training and its embedding stays random; with
    it, the tagger learns to label a word it does not know from the words around it.
    """
    hit = (torch.rand(words.shape, generator=generator) < p) & (words != pad_id)
    return words.masked_fill(hit, unk_id)


@dataclass
class TaggerRun:
    model: BiLSTMTagger
    losses: list[float] = field(default_factory=list)  # mean training loss per epoch


def train_tagger(
    data: Encoded,
    vocab: Vocabulary,
    *,
    bidirectional: bool = True,
    word_dropout: float = 0.1,
    epochs: int = 8,
    batch_size: int = 32,
    lr: float = 5e-3,
    seed: int = 0,
    **model_kwargs,
) -> TaggerRun:
    """Train a :class:`BiLSTMTagger` with Adam on shuffled mini-batches (CPU is enough)."""
    seed_torch(seed)
    generator = seeded_generator(seed)
    model = BiLSTMTagger(
        len(vocab), bidirectional=bidirectional, padding_idx=vocab.pad_id, **model_kwargs
    )
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    run = TaggerRun(model)
    for _ in range(epochs):
        model.train()
        total, tokens = 0.0, 0
        for rows in torch.randperm(len(data), generator=generator).split(batch_size):
            batch = data.subset(rows)
            words = drop_words(batch.words, word_dropout, vocab.unk_id, vocab.pad_id, generator)
            loss = tagging_loss(model(words, batch.lengths), batch.tags)
            optimizer.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 5.0)
            optimizer.step()
            n = int(batch.lengths.sum())
            total, tokens = total + loss.item() * n, tokens + n
        run.losses.append(total / tokens)
    model.eval()
    return run


def predict_tags(
    model: BiLSTMTagger,
    sentences: Sequence[TaggedSentence] | Sequence[Sequence[str]],
    vocab: Vocabulary,
) -> list[list[str]]:
    """The most likely tag of every token, chosen independently per token (no CRF).

    ``sentences`` are tagged sentences (their tags are ignored) or plain token lists.
    """
    sentences = [
        s if isinstance(s, TaggedSentence) else TaggedSentence(tuple(s), ("O",) * len(s))
        for s in sentences
    ]
    data = encode(sentences, vocab)
    model.eval()
    with torch.no_grad():
        best = model(data.words, data.lengths).argmax(-1)  # (B, T)
    return [
        [TAGS[i] for i in row[:n]]
        for row, n in zip(best.tolist(), data.lengths.tolist(), strict=True)
    ]


def lookup_tagger(train: Iterable[TaggedSentence]) -> Callable[[Sequence[str]], list[str]]:
    """A memorizing baseline: each known word gets its most frequent training tag, an
    unknown word gets "O"."""
    counts: dict[str, Counter[str]] = {}
    for s in train:
        for token, tag in zip(s.tokens, s.tags, strict=True):
            counts.setdefault(token, Counter())[tag] += 1
    best = {token: c.most_common(1)[0][0] for token, c in counts.items()}
    return lambda tokens: [best.get(token, "O") for token in tokens]


# ---------------------------------------------------------------------------------------------
# Evaluation
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scores:
    """Entity-level counts and rates for one entity type (or for all of them)."""

    true_positives: int
    predicted: int  # entities the tagger proposed
    gold: int  # entities in the reference

    @property
    def precision(self) -> float:
        return self.true_positives / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def entity_scores(
    gold: Sequence[Sequence[str]], predicted: Sequence[Sequence[str]]
) -> dict[str, Scores]:
    """Precision, recall and F1 per entity type, plus "all" (micro-averaged).

    A predicted entity counts as correct only if a reference entity has exactly the same
    type, start and end: one missing word makes it both a false positive and a false
    negative, as in the CoNLL shared tasks. Precision and recall of an empty set are 0.
    """
    true_positives: Counter[str] = Counter()
    n_predicted: Counter[str] = Counter()
    n_gold: Counter[str] = Counter()
    for gold_tags, pred_tags in zip(gold, predicted, strict=True):
        gold_spans, pred_spans = set(bio_spans(gold_tags)), set(bio_spans(pred_tags))
        n_gold.update(s.kind for s in gold_spans)
        n_predicted.update(s.kind for s in pred_spans)
        true_positives.update(s.kind for s in gold_spans & pred_spans)
    found = set(n_gold) | set(n_predicted)
    kinds = [k for k in ENTITY_TYPES if k in found] + sorted(found - set(ENTITY_TYPES))
    scores = {k: Scores(true_positives[k], n_predicted[k], n_gold[k]) for k in kinds}
    scores["all"] = Scores(
        sum(true_positives.values()), sum(n_predicted.values()), sum(n_gold.values())
    )
    return scores


ERROR_KINDS = ("wrong type", "wrong boundary", "missed", "spurious")


def error_kinds(gold: Sequence[Sequence[str]], predicted: Sequence[Sequence[str]]) -> Counter[str]:
    """Why entities were not matched exactly, counted over all sentences.

    A gold entity without an exact match is a "wrong type" if a prediction covers exactly
    its tokens, a "wrong boundary" if a prediction overlaps it partly, and "missed" if no
    prediction touches it. A predicted entity that overlaps no gold entity is "spurious".
    """
    counts: Counter[str] = Counter({kind: 0 for kind in ERROR_KINDS})
    for gold_tags, pred_tags in zip(gold, predicted, strict=True):
        gold_spans, pred_spans = set(bio_spans(gold_tags)), set(bio_spans(pred_tags))
        for g in gold_spans - pred_spans:
            overlapping = [p for p in pred_spans if p.start < g.end and g.start < p.end]
            if any((p.start, p.end) == (g.start, g.end) for p in overlapping):
                counts["wrong type"] += 1
            elif overlapping:
                counts["wrong boundary"] += 1
            else:
                counts["missed"] += 1
        for p in pred_spans - gold_spans:
            if not any(p.start < g.end and g.start < p.end for g in gold_spans):
                counts["spurious"] += 1
    return counts


def recall_where(
    gold: Sequence[Sequence[str]],
    predicted: Sequence[Sequence[str]],
    keep: Callable[[Span], bool],
) -> tuple[int, int]:
    """(found, total): how many gold entities for which ``keep(span)`` holds were predicted
    exactly, e.g. ``keep=lambda s: s.kind == "PER" and s.start == 0``."""
    found = total = 0
    for gold_tags, pred_tags in zip(gold, predicted, strict=True):
        pred_spans = set(bio_spans(pred_tags))
        for span in filter(keep, bio_spans(gold_tags)):
            total += 1
            found += span in pred_spans
    return found, total


def tag_confusion(gold: Sequence[Sequence[str]], predicted: Sequence[Sequence[str]]) -> np.ndarray:
    """Token-level confusion of the full tag set: (len(TAGS), len(TAGS)) counts, rows gold,
    columns predicted, in the order of :data:`TAGS`."""
    matrix = np.zeros((len(TAGS), len(TAGS)), dtype=int)
    for gold_tags, pred_tags in zip(gold, predicted, strict=True):
        for g, p in zip(gold_tags, pred_tags, strict=True):
            matrix[TAG_IDS[g], TAG_IDS[p]] += 1
    return matrix


def type_confusion(
    gold: Sequence[Sequence[str]], predicted: Sequence[Sequence[str]]
) -> tuple[np.ndarray, list[str]]:
    """Token-level confusion of entity types, B- and I- merged: rows gold, columns predicted,
    labels "O" then :data:`dlcourse.data.corpus.ENTITY_TYPES`."""
    labels = ["O", *ENTITY_TYPES]
    index = {label: i for i, label in enumerate(labels)}
    matrix = np.zeros((len(labels), len(labels)), dtype=int)
    for gold_tags, pred_tags in zip(gold, predicted, strict=True):
        for g, p in zip(gold_tags, pred_tags, strict=True):
            matrix[index[g.partition("-")[2] or "O"], index[p.partition("-")[2] or "O"]] += 1
    return matrix, labels


def score_table(scores: dict[str, Scores]) -> str:
    """A fixed-width text table of :func:`entity_scores` output, labeled in the page's
    language (:func:`dlcourse.bilingual.tr`)."""
    lines = [
        align(tr(es="tipo", en="type"), 6, "<")
        + align(tr(es="precisión", en="precision"), 10)
        + align(tr(es="exhaust.", en="recall"), 9)
        + align("F1", 8)
        + align(tr(es="entidades ref.", en="gold entities"), 16)
    ]
    for kind, s in scores.items():
        label = tr(es="todas", en="all") if kind == "all" else kind
        lines.append(
            align(label, 6, "<")
            + number(s.precision, "10.3f")
            + number(s.recall, "9.3f")
            + number(s.f1, "8.3f")
            + f"{s.gold:16d}"
        )
    return "\n".join(lines)
