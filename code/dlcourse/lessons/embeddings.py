"""Word vectors from scratch: skip-gram with negative sampling (Mikolov et al., 2013).

Every word has two vectors, one as a center word (``center``) and one as a context word
(``context``). Training pushes the dot product of a center word and the words around it up,
and the dot product with randomly drawn "noise" words down (arXiv:1301.3781 for skip-gram,
arXiv:1310.4546 for negative sampling and subsampling). After training, the center vectors
are the word embeddings.

Introduced in lesson "Embeddings".
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import torch
from torch import nn
from torch.nn import functional as F

from dlcourse.runtime import one_thread, seeded_generator
from dlcourse.text.tokenizers import Vocabulary


def one_hot_lookup(embedding: nn.Embedding, ids: torch.Tensor) -> torch.Tensor:
    """What ``embedding(ids)`` computes, written as one-hot vectors times the weight matrix.

    Shows that an embedding layer is a linear layer without bias on one-hot inputs; the
    lookup just skips building the (mostly zero) one-hot vectors. ids: (...) -> (..., d).
    """
    one_hot = F.one_hot(ids, embedding.num_embeddings).to(embedding.weight.dtype)  # (..., V)
    return one_hot @ embedding.weight  # (..., V) @ (V, d) -> (..., d)


def skipgram_pairs(
    sentences: Sequence[Sequence[int]],
    *,
    window: int,
    keep: torch.Tensor | None = None,
    generator: torch.Generator | None = None,
) -> torch.Tensor:
    """(center, context) id pairs: every word with each neighbor up to ``window`` positions away.

    ``keep[i]`` is the probability of keeping word ``i`` (subsampling of frequent words, see
    :func:`keep_probabilities`); dropped words vanish before the windows are taken, which
    also widens the effective window around them. Pairs never cross a sentence boundary.
    Returns a tensor of shape (N, 2), in reading order.
    """
    pairs: list[tuple[int, int]] = []
    for sentence in sentences:
        ids = torch.as_tensor(list(sentence), dtype=torch.long)
        if keep is not None and len(ids):
            ids = ids[torch.rand(len(ids), generator=generator) < keep[ids]]
        kept: list[int] = ids.tolist()
        for i, centre in enumerate(kept):
            for j in range(max(0, i - window), min(len(kept), i + window + 1)):
                if j != i:
                    pairs.append((centre, kept[j]))
    return torch.tensor(pairs, dtype=torch.long).reshape(-1, 2)


def keep_probabilities(counts: torch.Tensor, *, threshold: float = 1e-3) -> torch.Tensor:
    """word2vec's subsampling: keep word i with probability min(1, sqrt(t / f_i)).

    f_i is the word's share of all tokens, so very frequent words ("de", "la", ".") are
    dropped often and tell less about their neighbors. Meant for corpora of millions of
    words; on a corpus of a few thousand it throws away most of the little signal there is.
    ``counts``: (V,) -> (V,).
    """
    freq = counts.float() / counts.sum().clamp(min=1)
    return torch.sqrt(threshold / freq.clamp(min=1e-12)).clamp(max=1.0)


def noise_distribution(counts: torch.Tensor, *, power: float = 0.75) -> torch.Tensor:
    """Sampling probabilities for negative words: unigram counts raised to 3/4, normalized.

    The power below 1 flattens the distribution: rare words are drawn more often than their
    frequency, very frequent ones less. ``counts``: (V,) -> (V,), sums to 1.
    """
    weights = counts.float().pow(power)
    return weights / weights.sum()


class SkipGram(nn.Module):
    """Two embedding tables and the negative-sampling loss (introduced in lesson "Embeddings")."""

    def __init__(self, vocab_size: int, dim: int, *, generator: torch.Generator | None = None):
        super().__init__()
        self.center = nn.Embedding(vocab_size, dim)  # (V, d): the word vectors we keep
        self.context = nn.Embedding(vocab_size, dim)  # (V, d): used only during training
        nn.init.uniform_(self.center.weight, -0.5 / dim, 0.5 / dim, generator=generator)
        nn.init.zeros_(self.context.weight)  # word2vec's initialization

    def loss(
        self, centre: torch.Tensor, context: torch.Tensor, negatives: torch.Tensor
    ) -> torch.Tensor:
        """-log σ(u_o·v_c) - Σ_k log σ(-u_k·v_c), averaged over the batch.

        centre, context: (B,) ids; negatives: (B, K) ids of noise words.
        """
        v = self.center(centre)  # (B, d)
        positive = (v * self.context(context)).sum(-1)  # (B,)
        negative = torch.bmm(self.context(negatives), v.unsqueeze(2)).squeeze(2)  # (B, K)
        return -(F.logsigmoid(positive) + F.logsigmoid(-negative).sum(-1)).mean()

    @property
    def vectors(self) -> torch.Tensor:
        """The learned word vectors, detached: (V, d)."""
        return self.center.weight.detach()


@dataclass
class SkipGramRun:
    """A trained skip-gram model with its vocabulary and per-epoch mean loss."""

    model: SkipGram
    vocab: Vocabulary
    losses: list[float] = field(default_factory=list)
    n_pairs: int = 0  # (center, context) pairs in the last epoch

    @property
    def vectors(self) -> torch.Tensor:
        """The word vectors, one row per entry of ``vocab``: (V, d)."""
        return self.model.vectors


def train_skipgram(
    sentences: Sequence[Sequence[str]],
    *,
    dim: int = 32,
    window: int = 2,
    negatives: int = 5,
    min_count: int = 2,
    epochs: int = 10,
    batch_size: int = 512,
    lr: float = 0.01,
    subsample: float | None = None,
    seed: int = 0,
) -> SkipGramRun:
    """Train word vectors on tokenized sentences with skip-gram and negative sampling.

    Words seen fewer than ``min_count`` times are left out (the model cannot learn
    anything reliable from one occurrence). Pairs are shuffled every epoch and each gets
    ``negatives`` noise words drawn from :func:`noise_distribution`. ``subsample`` is the
    threshold of :func:`keep_probabilities` (off by default: the course corpus is tiny).
    Uses Adam and its own generator, so the same call gives the same vectors. Runs on one
    CPU thread: with batches this small, extra threads cost more than they save.
    Introduced in lesson "Embeddings".
    """
    with one_thread():
        generator = seeded_generator(seed)
        counts = Counter(token for sentence in sentences for token in sentence)
        vocab = Vocabulary.build(counts.elements(), min_count=min_count, specials=("<unk>",))
        ids = [[i for i in vocab.encode(s) if i != vocab.unk_id] for s in sentences]
        count_tensor = torch.tensor([counts.get(t, 0) for t in vocab.itos], dtype=torch.float)
        keep = keep_probabilities(count_tensor, threshold=subsample) if subsample else None
        noise = noise_distribution(count_tensor)  # <unk> has count 0: never drawn
        model = SkipGram(len(vocab), dim, generator=generator)
        optimizer = torch.optim.Adam(model.parameters(), lr=lr)
        run = SkipGramRun(model, vocab)
        for _ in range(epochs):
            pairs = skipgram_pairs(ids, window=window, keep=keep, generator=generator)  # (N, 2)
            pairs = pairs[torch.randperm(len(pairs), generator=generator)]
            run.n_pairs = len(pairs)
            total = 0.0
            for start in range(0, len(pairs), batch_size):
                batch = pairs[start : start + batch_size]  # (B, 2)
                noise_ids = torch.multinomial(
                    noise, len(batch) * negatives, replacement=True, generator=generator
                ).view(len(batch), negatives)  # (B, K)
                loss = model.loss(batch[:, 0], batch[:, 1], noise_ids)
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
                total += loss.item() * len(batch)
            run.losses.append(total / max(len(pairs), 1))
        return run


def nearest_neighbours(
    vectors: torch.Tensor, vocab: Vocabulary, word: str, *, k: int = 5
) -> list[tuple[str, float]]:
    """The ``k`` words whose vectors have the highest cosine similarity with ``word``'s."""
    unit = F.normalize(vectors, dim=1)  # (V, d)
    scores = unit @ unit[vocab.stoi[word]]  # (V,)
    scores[vocab.stoi[word]] = -2.0  # never return the word itself
    for special in vocab.specials:
        scores[vocab.stoi[special]] = -2.0
    best = scores.topk(k)
    return [
        (vocab.itos[i], s) for s, i in zip(best.values.tolist(), best.indices.tolist(), strict=True)
    ]


def similarity_to_groups(
    vectors: torch.Tensor, vocab: Vocabulary, word: str, groups: dict[str, Sequence[str]]
) -> dict[str, float]:
    """Mean cosine similarity of ``word`` to the words of each group (the word itself and
    words missing from ``vocab`` are skipped). Tells which group a word sits closest to."""
    unit = F.normalize(vectors, dim=1)  # (V, d)
    target = unit[vocab.stoi[word]]  # (d,)
    out = {}
    for name, members in groups.items():
        rows = [vocab.stoi[w] for w in members if w in vocab and w != word]
        out[name] = (unit[rows] @ target).mean().item()
    return out


def category_agreement(
    vectors: torch.Tensor, vocab: Vocabulary, categories: dict[str, Sequence[str]], *, k: int = 3
) -> float:
    """Share of each category word's ``k`` nearest neighbors (among all category words)
    that belong to the same category; chance level is about (n_c - 1) / (n - 1).

    A crude, honest check of whether vectors group words the way a person would.
    Words missing from ``vocab`` are skipped.
    """
    words = [w for members in categories.values() for w in members if w in vocab]
    label = {w: c for c, members in categories.items() for w in members}
    unit = F.normalize(vectors[[vocab.stoi[w] for w in words]], dim=1)  # (n, d)
    scores = unit @ unit.T  # (n, n)
    scores.fill_diagonal_(-2.0)
    hits = 0
    for i, word in enumerate(words):
        neighbours = scores[i].topk(k).indices.tolist()
        hits += sum(label[words[j]] == label[word] for j in neighbours)
    return hits / (k * max(len(words), 1))


def chance_agreement(vocab: Vocabulary, categories: dict[str, Sequence[str]]) -> float:
    """Expected :func:`category_agreement` of neighbors drawn at random: the mean over
    category words of (same-category words - 1) / (all category words - 1)."""
    sizes = [sum(w in vocab for w in members) for members in categories.values()]
    n = sum(sizes)
    return sum(s * (s - 1) for s in sizes) / (n * (n - 1))


def pca_2d(vectors: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Project rows onto their first two principal components.

    Returns the (N, 2) coordinates and the share of variance each of the two axes
    explains. Uses the SVD of the centered matrix (what PCA is), so it is deterministic
    up to the sign of each axis.
    """
    centred = vectors - vectors.mean(0, keepdim=True)  # (N, d)
    _, s, vh = torch.linalg.svd(centred, full_matrices=False)
    explained = s.pow(2) / s.pow(2).sum()
    return centred @ vh[:2].T, explained[:2]
