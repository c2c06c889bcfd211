"""A small BERT-style encoder: masked-language-model pretraining, then fine-tuning to classify.

BERT (Devlin et al., 2018, arXiv:1810.04805) pretrains a Transformer encoder on unlabeled text
by hiding some tokens and asking the model to recover them from the context on both sides, and
then fine-tunes the whole network, plus a small head, on a labeled task. This module holds a
tiny version of each piece: a word vocabulary with BERT's special tokens, the 80/10/10 masking
recipe, the loss that only counts the hidden positions, the encoder with learned positions and
a tied output layer, and the loops that pretrain it and fine-tune it on few labeled reviews.
Introduced in lesson "Pretraining and transfer learning".
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TypedDict

import torch
import torch.nn.functional as F
from torch import nn

from dlcourse.data import corpus
from dlcourse.runtime import one_thread, seed_torch, seeded_generator
from dlcourse.text.tokenizers import Vocabulary, pad_batch, word_tokenize

SPECIALS = ("<pad>", "<unk>", "[CLS]", "[SEP]", "[MASK]")
"""Special tokens, in id order: padding is 0, as ``Vocabulary`` requires it first."""

IGNORE = -100  # label of the positions the loss skips (F.cross_entropy's default ignore_index)


# ---------------------------------------------------------------------------------------------
# Text and tokens
# ---------------------------------------------------------------------------------------------


def unlabelled_texts(
    exclude: Sequence[str], *, n_per_class: int = 1500, seed: int = 1
) -> list[str]:
    """Spanish text for pretraining: review texts with their labels thrown away, plus every
    sentence of the course corpus. Reviews whose text is in ``exclude`` (the labeled sets)
    are dropped, so no labeled review, and in particular no test review, is seen here.

    ``n_per_class`` reviews of each sentiment are drawn with the training phrasings and as
    many with the held-out ones, as a crawl of the web would hold every way of writing a
    review; the labels are discarded right away.
    """
    banned = set(exclude)
    reviews = corpus.reviews(n_per_class, seed=seed)
    reviews += corpus.reviews(n_per_class, held_out=True, seed=seed + 1)
    return [r.text for r in reviews if r.text not in banned] + corpus.sentences("es")


def build_vocabulary(texts: Sequence[str], *, min_count: int = 2) -> Vocabulary:
    """Lowercase words and punctuation seen at least ``min_count`` times, after ``SPECIALS``."""
    tokens = (token for text in texts for token in word_tokenize(text))
    return Vocabulary.build(tokens, min_count=min_count, specials=SPECIALS)


def encode(texts: Sequence[str], vocab: Vocabulary, *, max_len: int = 64) -> list[list[int]]:
    """``[CLS] w1 ... wn [SEP]`` ids per text, cut to ``max_len`` tokens in all."""
    cls, sep = vocab.stoi["[CLS]"], vocab.stoi["[SEP]"]
    return [[cls, *vocab.encode(word_tokenize(t))[: max_len - 2], sep] for t in texts]


def pad(sequences: Sequence[Sequence[int]], pad_id: int = 0) -> torch.Tensor:
    """A (B, T) tensor of ids, padded on the right to the longest sequence."""
    return pad_batch(sequences, pad_id)[0]


def special_mask(ids: torch.Tensor, vocab: Vocabulary) -> torch.Tensor:
    """True where ``ids`` holds a special token (padding, [CLS], [SEP], [MASK]) other than <unk>.

    An unknown word is still a word of the text, so it may be chosen for masking.
    """
    special = torch.tensor([vocab.stoi[s] for s in SPECIALS if s != "<unk>"])
    return torch.isin(ids, special)


# ---------------------------------------------------------------------------------------------
# BERT's masking recipe
# ---------------------------------------------------------------------------------------------


@dataclass
class MaskedBatch:
    """A batch corrupted by :func:`mask_tokens`, with what the loss needs."""

    inputs: torch.Tensor  # (B, T) ids the model sees
    labels: torch.Tensor  # (B, T) original id at chosen positions, IGNORE elsewhere
    chosen: torch.Tensor  # (B, T) bool, the positions to predict


def mask_tokens(
    ids: torch.Tensor,
    vocab: Vocabulary,
    generator: torch.Generator,
    *,
    rate: float = 0.15,
) -> MaskedBatch:
    """BERT's corruption: choose ``rate`` of the ordinary tokens; of those, 80% become [MASK],
    10% a random ordinary token and 10% stay as they are. Only the chosen ones are predicted.

    The 10% left unchanged and the 10% random ones exist because [MASK] never appears when
    the model is later fine-tuned: the model cannot tell which visible tokens are genuine, so it
    must keep a good representation of every token, not just of the [MASK] ones.
    """
    ordinary = ~special_mask(ids, vocab)  # (B, T)
    draw = torch.rand(ids.shape, generator=generator)  # decides what happens to a chosen token
    chosen = ordinary & (torch.rand(ids.shape, generator=generator) < rate)
    to_mask = chosen & (draw < 0.8)
    to_random = chosen & (draw >= 0.8) & (draw < 0.9)  # the last 10% stay unchanged
    first_word = len(SPECIALS)  # random replacements are ordinary words, never special tokens
    random_ids = torch.randint(first_word, len(vocab), ids.shape, generator=generator)
    inputs = ids.clone()
    inputs[to_mask] = vocab.stoi["[MASK]"]
    inputs[to_random] = random_ids[to_random]
    labels = torch.where(chosen, ids, torch.full_like(ids, IGNORE))
    return MaskedBatch(inputs, labels, chosen)


def mlm_loss(logits: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    """Mean cross-entropy over the chosen positions only; ``labels`` is IGNORE elsewhere.

    logits: (..., V), labels: (...), e.g. (B, T, V) and (B, T).
    """
    return F.cross_entropy(
        logits.reshape(-1, logits.shape[-1]), labels.reshape(-1), ignore_index=IGNORE
    )


def length_batches(
    lengths: Sequence[int], batch_size: int, generator: torch.Generator, *, pool: int = 16
) -> list[list[int]]:
    """One epoch of batches of row indices, each batch made of sequences of similar length.

    Rows are shuffled, cut into pools of ``pool`` batches, sorted by length inside each pool
    and then the batches are shuffled: little padding, and still a random order.
    """
    order = torch.randperm(len(lengths), generator=generator).tolist()
    batches = []
    for start in range(0, len(order), pool * batch_size):
        chunk = sorted(order[start : start + pool * batch_size], key=lambda r: lengths[r])
        batches += [chunk[i : i + batch_size] for i in range(0, len(chunk), batch_size)]
    shuffled = torch.randperm(len(batches), generator=generator).tolist()
    return [batches[i] for i in shuffled]


# ---------------------------------------------------------------------------------------------
# The model
# ---------------------------------------------------------------------------------------------


class MiniBertConfig(TypedDict):
    """The arguments of :class:`MiniBert`, kept so that an identical fresh model can be built."""

    vocab_size: int
    d_model: int
    n_heads: int
    n_layers: int
    d_ff: int
    max_len: int
    dropout: float
    pad_id: int


class MiniBert(nn.Module):
    """Token plus learned position embeddings, a ``nn.TransformerEncoder`` and an MLM head.

    The head's output layer shares its weights with the token embedding (as in BERT), so a
    word's input and output vectors are the same and rare words learn from both ends.
    """

    def __init__(
        self,
        vocab_size: int,
        *,
        d_model: int = 64,
        n_heads: int = 4,
        n_layers: int = 2,
        d_ff: int = 128,
        max_len: int = 64,
        dropout: float = 0.1,
        pad_id: int = 0,
    ):
        super().__init__()
        self.config = MiniBertConfig(
            vocab_size=vocab_size, d_model=d_model, n_heads=n_heads, n_layers=n_layers,
            d_ff=d_ff, max_len=max_len, dropout=dropout, pad_id=pad_id,
        )  # fmt: skip
        self.pad_id = pad_id
        self.tokens = nn.Embedding(vocab_size, d_model, padding_idx=pad_id)
        self.positions = nn.Embedding(max_len, d_model)  # learned, one vector per position
        self.norm = nn.LayerNorm(d_model)
        self.dropout = nn.Dropout(dropout)
        layer = nn.TransformerEncoderLayer(
            d_model, n_heads, d_ff, dropout, activation="gelu", batch_first=True, norm_first=True
        )
        self.encoder = nn.TransformerEncoder(
            layer, n_layers, norm=nn.LayerNorm(d_model), enable_nested_tensor=False
        )
        self.mlm_transform = nn.Sequential(
            nn.Linear(d_model, d_model), nn.GELU(), nn.LayerNorm(d_model)
        )
        self.mlm_bias = nn.Parameter(torch.zeros(vocab_size))
        for table in (self.tokens, self.positions):  # small vectors, as in BERT: with tied
            nn.init.normal_(table.weight, std=0.02)  # weights, large ones give huge first logits

    def fresh_copy(self) -> MiniBert:
        """A randomly initialized encoder of the same shape (the "from scratch" baseline)."""
        return MiniBert(**self.config).to(self.tokens.weight.device)

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        """Contextual vectors (B, T, d_model) for ids (B, T); padding is never attended to."""
        positions = torch.arange(ids.shape[1], device=ids.device)  # (T,)
        x = self.dropout(self.norm(self.tokens(ids) + self.positions(positions)))  # (B, T, d)
        return self.encoder(x, src_key_padding_mask=ids == self.pad_id)

    def mlm_logits(self, hidden: torch.Tensor) -> torch.Tensor:
        """Scores over the vocabulary (..., V) from contextual vectors (..., d)."""
        return self.mlm_transform(hidden) @ self.tokens.weight.T + self.mlm_bias


class Classifier(nn.Module):
    """An encoder plus a linear head on a pooled summary of the sequence.

    ``pooling="mean"`` averages the vectors of the non-padding positions; ``"cls"`` takes the
    vector at [CLS], as BERT does (there, next-sentence prediction trains that vector during
    pretraining; our MLM never does).
    """

    def __init__(self, encoder: MiniBert, n_classes: int = 2, *, pooling: str = "mean"):
        super().__init__()
        if pooling not in ("mean", "cls"):
            raise ValueError(f"pooling must be 'mean' or 'cls', not {pooling!r}")
        self.encoder, self.pooling = encoder, pooling
        d_model = encoder.tokens.embedding_dim
        self.head = nn.Sequential(nn.Dropout(0.1), nn.Linear(d_model, n_classes))

    def pool(self, ids: torch.Tensor) -> torch.Tensor:
        """One vector per sequence (B, d_model)."""
        hidden = self.encoder(ids)  # (B, T, d)
        if self.pooling == "cls":
            return hidden[:, 0]
        keep = (ids != self.encoder.pad_id).unsqueeze(-1).float()  # (B, T, 1)
        return (hidden * keep).sum(1) / keep.sum(1)

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        return self.head(self.pool(ids))  # (B, n_classes) logits


# ---------------------------------------------------------------------------------------------
# Pretraining
# ---------------------------------------------------------------------------------------------


@dataclass
class PretrainRun:
    """The pretrained encoder (in eval mode) and its logged loss curve."""

    model: MiniBert
    steps: list[int]  # steps at which the loss was logged
    losses: list[float]  # mean MLM loss over the steps since the previous log
    snapshots: dict[int, MiniBert] = field(default_factory=dict)  # step -> copy (eval mode)


@one_thread()
def pretrain_mlm(
    sequences: Sequence[Sequence[int]],
    vocab: Vocabulary,
    *,
    steps: int = 800,
    batch_size: int = 32,
    lr: float = 3e-3,
    log_every: int = 50,
    seed: int = 0,
    device: torch.device | str = "cpu",
    snapshots: Sequence[int] = (),
    **model_kwargs,
) -> PretrainRun:
    """Train a fresh :class:`MiniBert` to recover masked tokens of unlabeled ``sequences``.

    Each batch is masked anew (dynamic masking, as RoBERTa does), so the same sentence teaches
    different blanks each time it comes back. AdamW with a short linear warm-up and linear decay.
    A copy of the model is kept after each step listed in ``snapshots`` (in eval mode; keeping
    it draws no random numbers, so the run is the same with or without snapshots).
    """
    seed_torch(seed)
    generator = seeded_generator(seed)
    model = MiniBert(len(vocab), pad_id=vocab.pad_id, **model_kwargs).to(device)
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.01)
    warmup = max(1, steps // 20)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: min((s + 1) / warmup, max(0.0, (steps - s) / (steps - warmup)))
    )
    model.train()
    logged_steps, losses, running = [], [], []
    kept: dict[int, MiniBert] = {}
    lengths = [len(s) for s in sequences]
    batches: list[list[int]] = []
    for step in range(1, steps + 1):
        if not batches:
            batches = length_batches(lengths, batch_size, generator)
        rows = batches.pop()
        batch = mask_tokens(pad([sequences[r] for r in rows], vocab.pad_id), vocab, generator)
        hidden = model(batch.inputs.to(device))  # (B, T, d)
        chosen = batch.chosen.to(device)
        # Scores only where a token must be recovered: the same loss as scoring every
        # position with IGNORE labels elsewhere, for about 15% of the output layer's cost.
        logits = model.mlm_logits(hidden[chosen])  # (N, V), N chosen positions
        loss = mlm_loss(logits, batch.labels.to(device)[chosen])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        schedule.step()
        running.append(loss.item())
        if step % log_every == 0:
            logged_steps.append(step)
            losses.append(sum(running) / len(running))
            running = []
        if step in snapshots:
            kept[step] = copy.deepcopy(model).eval()
    return PretrainRun(model.eval(), logged_steps, losses, kept)


@one_thread()
@torch.no_grad()
def masked_accuracy(
    model: MiniBert,
    sequences: Sequence[Sequence[int]],
    vocab: Vocabulary,
    *,
    seed: int = 0,
    batch_size: int = 256,
) -> float:
    """Share of chosen positions whose original token is the model's top prediction."""
    generator = seeded_generator(seed)
    device = next(model.parameters()).device
    model.eval()
    hits = total = 0
    for start in range(0, len(sequences), batch_size):
        ids = pad(sequences[start : start + batch_size], vocab.pad_id)
        batch = mask_tokens(ids, vocab, generator)
        guess = model.mlm_logits(model(batch.inputs.to(device))).argmax(-1).cpu()  # (B, T)
        hits += int((guess == batch.labels)[batch.chosen].sum())
        total += int(batch.chosen.sum())
    return hits / max(total, 1)


@torch.no_grad()
def fill_mask(
    model: MiniBert, vocab: Vocabulary, text: str, *, k: int = 3
) -> list[tuple[str, float]]:
    """The ``k`` likeliest words, with probabilities, for the first ``[MASK]`` in ``text``.

    ``text`` is written with a literal ``[MASK]``; the rest is tokenized as usual.
    """
    pieces = text.split("[MASK]")
    ids = [vocab.stoi["[CLS]"]]
    for i, piece in enumerate(pieces):
        ids += vocab.encode(word_tokenize(piece))
        if i < len(pieces) - 1:
            ids.append(vocab.stoi["[MASK]"])
    ids.append(vocab.stoi["[SEP]"])
    position = ids.index(vocab.stoi["[MASK]"])
    device = next(model.parameters()).device
    model.eval()
    tensor = torch.tensor([ids], device=device)
    probs = model.mlm_logits(model(tensor))[0, position].softmax(-1)  # (V,)
    probs[: len(SPECIALS)] = 0.0  # a special token is never a sensible answer
    top = probs.topk(k)
    return [(vocab.itos[int(i)], float(p)) for p, i in zip(top.values, top.indices, strict=True)]


@torch.no_grad()
def nearest_words(
    model: MiniBert, vocab: Vocabulary, word: str, *, k: int = 5
) -> list[tuple[str, float]]:
    """The ``k`` ordinary words whose input embeddings are most similar (cosine) to ``word``'s.

    What pretraining put next to a word tells what it learned about it: words that fill the
    same blanks end up close together.
    """
    table = F.normalize(model.tokens.weight, dim=1)  # (V, d), unit rows
    similarity = table @ table[vocab.stoi[word]]  # (V,)
    similarity[: len(SPECIALS)] = -2.0  # never a special token
    similarity[vocab.stoi[word]] = -2.0  # nor the word itself
    top = similarity.topk(k)
    return [(vocab.itos[int(i)], float(s)) for s, i in zip(top.values, top.indices, strict=True)]


# ---------------------------------------------------------------------------------------------
# Fine-tuning
# ---------------------------------------------------------------------------------------------


@one_thread()
def finetune(
    encoder: MiniBert,
    sequences: Sequence[Sequence[int]],
    labels: Sequence[int],
    *,
    steps: int = 50,
    batch_size: int = 32,
    lr: float = 1e-3,
    pad_id: int = 0,
    seed: int = 0,
    pooling: str = "mean",
) -> Classifier:
    """Train a copy of ``encoder`` plus a new linear head on the labeled ``sequences``.

    Every parameter is trained (full fine-tuning, as in BERT), and ``encoder`` itself is left
    untouched so one pretrained encoder can be fine-tuned on many subsets.
    """
    seed_torch(seed)
    generator = seeded_generator(seed)
    device = next(encoder.parameters()).device
    model = Classifier(copy.deepcopy(encoder), int(max(labels)) + 1, pooling=pooling).to(device)
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.01)
    targets = torch.tensor(list(labels), dtype=torch.long)
    model.train()
    order: list[int] = []
    for _ in range(steps):
        if len(order) < batch_size:  # a fresh shuffle once the current one runs out
            order = torch.randperm(len(sequences), generator=generator).tolist()
        rows, order = order[:batch_size], order[batch_size:]
        ids = pad([sequences[r] for r in rows], pad_id).to(device)
        loss = F.cross_entropy(model(ids), targets[rows].to(device))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return model.eval()


@one_thread()
@torch.no_grad()
def accuracy(
    model: Classifier,
    sequences: Sequence[Sequence[int]],
    labels: Sequence[int],
    *,
    pad_id: int = 0,
    batch_size: int = 256,
) -> float:
    """Share of ``sequences`` whose predicted class equals its label.

    Batches are formed from sequences of similar length, so little is spent on padding.
    """
    device = next(model.parameters()).device
    model.eval()
    order = sorted(range(len(sequences)), key=lambda r: len(sequences[r]))
    hits = 0
    for start in range(0, len(order), batch_size):
        rows = order[start : start + batch_size]
        ids = pad([sequences[r] for r in rows], pad_id).to(device)
        guess = model(ids).argmax(-1).cpu()
        hits += int((guess == torch.tensor([labels[r] for r in rows])).sum())
    return hits / len(sequences)


@one_thread()
@torch.no_grad()
def mean_pooled(
    encoder: MiniBert, sequences: Sequence[Sequence[int]], *, batch_size: int = 256
) -> torch.Tensor:
    """The vector a :class:`Classifier` with mean pooling would read, per sequence: (N, d).

    The encoder is used as it is, in eval mode (no dropout) and without gradients: the
    features of a linear probe, which trains a head on them and leaves the encoder frozen.
    """
    device = encoder.tokens.weight.device
    encoder.eval()
    pooled = []
    for start in range(0, len(sequences), batch_size):
        ids = pad(sequences[start : start + batch_size], encoder.pad_id).to(device)
        keep = (ids != encoder.pad_id).unsqueeze(-1).float()  # (B, T, 1)
        pooled.append(((encoder(ids) * keep).sum(1) / keep.sum(1)).cpu())
    return torch.cat(pooled)


def balanced_subset(labels: Sequence[int], n_per_class: int, seed: int) -> list[int]:
    """Indices of ``n_per_class`` random examples of each class (a new draw for each seed)."""
    generator = seeded_generator(seed)
    chosen: list[int] = []
    for label in sorted(set(labels)):
        rows = [i for i, y in enumerate(labels) if y == label]
        order = torch.randperm(len(rows), generator=generator)[:n_per_class].tolist()
        chosen += [rows[i] for i in order]
    return chosen


@dataclass
class CurvePoint:
    """Test accuracies of one fine-tuned classifier in :func:`learning_curves`."""

    n_per_class: int
    seed: int
    start: str  # "pretrained" or "scratch"
    accuracy: dict[str, float]  # test set name -> accuracy


@one_thread()
def learning_curves(
    pretrained: MiniBert,
    train: tuple[Sequence[Sequence[int]], Sequence[int]],
    tests: dict[str, tuple[Sequence[Sequence[int]], Sequence[int]]],
    *,
    sizes: Sequence[int] = (16, 64, 256),
    seeds: Sequence[int] = (0, 1),
    **finetune_kwargs,
) -> list[CurvePoint]:
    """Fine-tune the pretrained encoder and a fresh one of the same shape on the same labeled
    subsets (``n`` per class, one draw per seed) and measure each on every test set.

    Both starts get the same head, steps, learning rate and seed: the only difference is
    where the encoder's weights come from.
    """
    sequences, labels = train
    points = []
    for n in sizes:
        for seed in seeds:
            rows = balanced_subset(labels, n, seed)
            x, y = [sequences[r] for r in rows], [labels[r] for r in rows]
            seed_torch(seed)
            starts = {"pretrained": pretrained, "scratch": pretrained.fresh_copy()}
            for name, encoder in starts.items():
                model = finetune(
                    encoder, x, y, seed=seed, pad_id=pretrained.pad_id, **finetune_kwargs
                )
                scores = {
                    test: accuracy(model, xs, ys, pad_id=pretrained.pad_id)
                    for test, (xs, ys) in tests.items()
                }
                points.append(CurvePoint(n, seed, name, scores))
    return points
