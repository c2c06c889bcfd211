"""Contextual word vectors from a small bidirectional LSTM language model, the idea of ELMo.

A static embedding (word2vec, an ``nn.Embedding`` row) gives a word one vector wherever it
appears. ELMo (Peters et al., 2018, arXiv:1802.05365) instead reads the vector of a word off
two language models: a forward LSTM that predicts each token from the ones before it and a
backward LSTM that predicts it from the ones after it. Both share the input embedding and the
output softmax; the representation of token ``k`` is ``[forward state at k ; backward state
at k]``, so the same word gets a different vector in each sentence.

* :func:`sense_sentences`: Spanish sentences where five ambiguous words ("banco", "planta",
  "carta", "sierra", "muñeca") appear in two senses each, built from a left and a right
  phrase; held-out sentences join two phrases that never met in training.
* :class:`BiLM`, :func:`train_bilm`, :func:`perplexity`: the two language models.
* :func:`word_vectors`, :func:`sense_separation`, :func:`nearest_sense_accuracy`: the vector
  of a word at a position and how well those vectors group by sense.

Introduced in lesson "Contextual embeddings (the ELMo idea)".
"""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import torch
import torch.nn.functional as F
from torch import nn

from dlcourse.data.corpus.everyday import everyday_sentences
from dlcourse.runtime import one_thread, seed_torch, seeded_generator, shifted
from dlcourse.text.tokenizers import Vocabulary, word_tokenize

View = Literal["static", "forward", "backward", "both"]
SPECIALS = ("<pad>", "<unk>", "<s>", "</s>")  # padding first, as Vocabulary expects

# ---------------------------------------------------------------------------------------------
# Data: ambiguous Spanish words in two senses
# ---------------------------------------------------------------------------------------------

WHO = ("mi madre", "mi padre", "mi hermana", "mi abuelo", "ana", "pablo", "la vecina", "mi tío")
WHEN = ("ayer", "el lunes", "esta mañana", "por la tarde", "el sábado", "hoy")


@dataclass(frozen=True)
class Sense:
    """One meaning of an ambiguous word: phrases that can come before it and after it.

    Any left phrase combines with any right phrase of the same sense, so the sense is the
    only thing that links the two sides: a language model that must predict the right side
    from the left one (or the reverse) gains from working out the sense. Phrases may use the
    slots ``{who}`` and ``{when}``.
    """

    word: str
    name: str  # short label, "es/en" ("dinero/money")
    left: tuple[str, ...]  # ends just before the word (article included)
    right: tuple[str, ...]  # starts just after the word, ends the sentence


SENSES: tuple[Sense, ...] = (
    Sense(
        "banco",
        "dinero/money",
        (
            "{who} fue al",
            "{who} entró en el",
            "{when} {who} llamó al",
            "{who} escribió al",
            "{when} {who} pasó por el",
        ),
        (
            "para pedir una hipoteca .",
            "porque necesita un crédito .",
            "para abrir una cuenta de ahorro .",
            "por un problema con su tarjeta .",
            "para pagar la factura de la luz .",
        ),
    ),
    Sense(
        "banco",
        "asiento/bench",
        (
            "{who} se sentó en el",
            "{when} {who} pintó el",
            "{who} leía el periódico en el",
            "{who} fue al",
            "{who} descansó un rato en el",
        ),
        (
            "del parque .",
            "de madera junto a la fuente .",
            "a la sombra de un árbol .",
            "de piedra de la plaza .",
            "frente al lago .",
        ),
    ),
    Sense(
        "planta",
        "vegetal/plant",
        (
            "{who} riega la",
            "{when} {who} compró una",
            "{who} puso al sol la",
            "{who} cuida con cariño la",
            "en el balcón hay una",
        ),
        (
            "de tomate .",
            "que ya tiene flores .",
            "de menta que huele muy bien .",
            "con hojas grandes y verdes .",
            "que necesita mucha agua .",
        ),
    ),
    Sense(
        "planta",
        "piso/floor",
        (
            "{who} vive en la tercera",
            "{who} subió en ascensor a la última",
            "la oficina está en la segunda",
            "{when} {who} limpió las ventanas de la primera",
            "hay una sala de reuniones en la cuarta",
        ),
        (
            "del edificio .",
            ", junto a la escalera .",
            "del hospital .",
            "de los grandes almacenes .",
            ", donde están los despachos .",
        ),
    ),
    Sense(
        "carta",
        "mensaje/letter",
        (
            "{who} recibió una",
            "{when} {who} abrió la",
            "{who} leyó en voz alta la",
            "{who} guardó en un cajón la",
            "{who} leyó la",
        ),
        (
            "de su abuela .",
            "que llegó por correo .",
            "con un sello antiguo .",
            "de su mejor amiga .",
            "escrita a mano .",
        ),
    ),
    Sense(
        "carta",
        "menú/menu",
        (
            "el camarero nos trajo la",
            "{who} pidió la",
            "{when} {who} miró la",
            "{who} leyó la",
            "en la mesa había una",
        ),
        (
            "del restaurante .",
            "de vinos .",
            "de postres .",
            "con los platos del día .",
            "con los precios de cada plato .",
        ),
    ),
    Sense(
        "sierra",
        "herramienta/saw",
        (
            "{who} cortó la madera con la",
            "{who} afiló la",
            "{when} {who} compró una",
            "en el taller hay una",
            "{who} buscó la",
        ),
        (
            "eléctrica .",
            "para cortar el tronco .",
            "de dientes finos .",
            "que usa el carpintero .",
            "para podar las ramas .",
        ),
    ),
    Sense(
        "sierra",
        "montañas/mountains",
        (
            "{who} subió a la",
            "{when} {who} fue de excursión a la",
            "desde el pueblo se ve la",
            "en invierno nieva en la",
            "{who} buscó la",
        ),
        (
            "de gredos .",
            "de guadarrama .",
            "con sus picos nevados .",
            "donde viven los lobos .",
            "del norte del país .",
        ),
    ),
    Sense(
        "muñeca",
        "juguete/doll",
        (
            "la niña jugaba con la",
            "{who} le regaló a su nieta una",
            "{who} guardó en una caja la",
            "{when} se rompió la",
            "{who} cosió el vestido de la",
        ),
        (
            "de trapo .",
            "de porcelana .",
            "que tenía el pelo rubio .",
            "favorita de la niña .",
            "con ojos de cristal .",
        ),
    ),
    Sense(
        "muñeca",
        "articulación/wrist",
        (
            "{who} se torció la",
            "{when} {who} se rompió la",
            "{who} se hizo daño en la",
            "{who} se lesionó la",
            "{when} {who} se golpeó la",
        ),
        (
            "izquierda .",
            "derecha .",
            "jugando al tenis .",
            "al caer por la escalera .",
            "en el gimnasio .",
        ),
    ),
)
"""Five ambiguous words, two senses each, five left and five right phrases per sense."""

WORDS: tuple[str, ...] = tuple(dict.fromkeys(sense.word for sense in SENSES))


@dataclass(frozen=True)
class Occurrence:
    """One sentence with one ambiguous word in it: which sense, which phrases, where."""

    tokens: tuple[str, ...]
    word: str
    sense: str
    left: str  # the left phrase it was built from (before filling the slots)
    right: str  # the right phrase
    position: int  # index of ``word`` in ``tokens``

    @property
    def text(self) -> str:
        return " ".join(self.tokens)


def is_held_out(left: int, right: int, *, every: int = 5) -> bool:
    """Left-right pairs kept out of training: one right phrase per left one when ``every`` = 5.

    Every phrase still appears in training, but never with that partner, so a held-out
    sentence is a new combination, not a copy of a training sentence.
    """
    return (left + right) % every == 0


def sense_sentences(
    *,
    per_sense: int = 100,
    held_out_per_pair: int = 4,
    words: Sequence[str] | None = None,
    senses: Sequence[Sense] = SENSES,
    seed: int = 0,
) -> tuple[list[Occurrence], list[Occurrence]]:
    """(train, held_out) sentences for the ambiguous ``words`` (default: all of ``senses``).

    Training sentences draw a left-right pair that is not held out; held-out ones take
    ``held_out_per_pair`` sentences from each held-out pair, which training never contains.
    Pass ``senses`` to use other words than :data:`SENSES`. Deterministic for ``seed``.
    """
    rng = random.Random(shifted(seed))
    train: list[Occurrence] = []
    test: list[Occurrence] = []
    for sense in senses:
        if words is not None and sense.word not in words:
            continue
        pairs = [(i, j) for i in range(len(sense.left)) for j in range(len(sense.right))]
        seen = [p for p in pairs if not is_held_out(*p)]
        unseen = [p for p in pairs if is_held_out(*p)]
        drawn = [(rng.choice(seen), train) for _ in range(per_sense)]
        drawn += [(p, test) for p in unseen for _ in range(held_out_per_pair)]
        for (i, j), out in drawn:
            text = f"{sense.left[i]} {sense.word} {sense.right[j]}"
            text = text.replace("{who}", rng.choice(WHO)).replace("{when}", rng.choice(WHEN))
            tokens = tuple(word_tokenize(text))
            position = tokens.index(sense.word)
            out.append(
                Occurrence(tokens, sense.word, sense.name, sense.left[i], sense.right[j], position)
            )
    return train, test


def general_sentences(n: int, *, seed: int = 0) -> list[tuple[str, ...]]:
    """Everyday template sentences from :mod:`dlcourse.data.corpus`, for general context."""
    return [tuple(s.split()) for s in everyday_sentences(n, seed=seed)]


def build_vocabulary(sentences: Sequence[Sequence[str]]) -> Vocabulary:
    """Word vocabulary with padding, unknown and the sentence markers ``<s>`` and ``</s>``."""
    return Vocabulary.build((t for s in sentences for t in s), specials=SPECIALS)


def encode(
    vocab: Vocabulary, sentences: Sequence[Sequence[str]]
) -> tuple[torch.Tensor, torch.Tensor]:
    """Padded ids of ``<s> w_1 ... w_N </s>`` per sentence, shape (B, T_max), and lengths (B,)."""
    rows = [vocab.encode(["<s>", *s, "</s>"]) for s in sentences]
    lengths = torch.tensor([len(r) for r in rows])
    ids = torch.full((len(rows), int(lengths.max())), vocab.pad_id, dtype=torch.long)
    for i, row in enumerate(rows):
        ids[i, : len(row)] = torch.tensor(row)
    return ids, lengths


def reverse_padded(x: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
    """Reverse the first ``lengths[b]`` steps of each row of ``x`` (B, T, ...); padding stays last.

    Applying it twice gives ``x`` back. With padding kept at the end, an LSTM run over the
    reversed rows never reads a padding step before a real token.
    """
    steps = torch.arange(x.shape[1])[None, :]  # (1, T)
    index = torch.where(steps < lengths[:, None], lengths[:, None] - 1 - steps, steps)  # (B, T)
    if x.dim() > 2:
        index = index.view(*index.shape, *([1] * (x.dim() - 2))).expand_as(x)
    return x.gather(1, index)


# ---------------------------------------------------------------------------------------------
# The bidirectional language model
# ---------------------------------------------------------------------------------------------


class BiLM(nn.Module):
    """Two one-layer LSTM language models, one per direction, as in ELMo.

    The input embedding and the output softmax are shared by both directions; each direction
    has its own LSTM. Neither LSTM ever sees the token it must predict.
    """

    def __init__(self, vocab_size: int, *, embed_dim: int = 32, hidden: int = 64):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embed_dim, padding_idx=0)
        self.forward_lstm = nn.LSTM(embed_dim, hidden, batch_first=True)
        self.backward_lstm = nn.LSTM(embed_dim, hidden, batch_first=True)
        self.output = nn.Linear(hidden, vocab_size)
        self.hidden = hidden

    def states(self, ids: torch.Tensor, lengths: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Forward and backward hidden states at every position, each (B, T, H).

        ``forward[:, k]`` has read tokens 0..k (left to right); ``backward[:, k]`` has read
        tokens k..length-1 (right to left). Both include token k itself.
        """
        x = self.embedding(ids)  # (B, T, E)
        forward, _ = self.forward_lstm(x)  # (B, T, H)
        backward_reversed, _ = self.backward_lstm(reverse_padded(x, lengths))
        return forward, reverse_padded(backward_reversed, lengths)

    def losses(self, ids: torch.Tensor, lengths: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Mean cross-entropy (nats per token) of the forward and of the backward model.

        Forward: the state at k predicts token k + 1. Backward: the state at k predicts
        token k - 1. Padding is ignored, so every sentence contributes length - 1 targets.
        """
        forward, backward = self.states(ids, lengths)
        valid = torch.arange(ids.shape[1])[None, :] < lengths[:, None]  # (B, T)
        # a target counts only if both the state that predicts it and the target are real
        pair = valid[:, :-1] & valid[:, 1:]  # (B, T - 1)
        next_tokens = ids[:, 1:].masked_fill(~pair, -100)  # forward targets
        previous_tokens = ids[:, :-1].masked_fill(~pair, -100)  # backward targets
        loss_f = F.cross_entropy(
            self.output(forward[:, :-1]).transpose(1, 2), next_tokens, ignore_index=-100
        )
        loss_b = F.cross_entropy(
            self.output(backward[:, 1:]).transpose(1, 2), previous_tokens, ignore_index=-100
        )
        return loss_f, loss_b


def new_bilm(vocab_size: int, *, embed_dim: int = 32, hidden: int = 64, seed: int = 0) -> BiLM:
    """A freshly initialized :class:`BiLM`; the same ``seed`` gives the same weights, so the
    untrained starting point of :func:`train_bilm` can be rebuilt for comparison."""
    with torch.random.fork_rng(devices=[]):  # leave the caller's random state alone
        seed_torch(seed)
        return BiLM(vocab_size, embed_dim=embed_dim, hidden=hidden)


@dataclass
class BiLMRun:
    """A trained :class:`BiLM`, its vocabulary and the perplexity after each epoch."""

    model: BiLM
    vocab: Vocabulary
    train_perplexity: list[tuple[float, float]]  # (forward, backward) per epoch
    held_out_perplexity: list[tuple[float, float]]


def perplexity(model: BiLM, ids: torch.Tensor, lengths: torch.Tensor) -> tuple[float, float]:
    """exp(mean cross-entropy per predicted token) of the forward and backward models.

    A model that guesses uniformly over V words has perplexity V; lower is better.
    """
    was_training = model.training
    model.eval()
    with torch.no_grad():
        loss_f, loss_b = model.losses(ids, lengths)
    model.train(was_training)
    return math.exp(loss_f.item()), math.exp(loss_b.item())


def train_bilm(
    train: Sequence[Sequence[str]],
    held_out: Sequence[Sequence[str]] = (),
    *,
    epochs: int = 12,
    batch_size: int = 32,
    lr: float = 5e-3,
    embed_dim: int = 32,
    hidden: int = 64,
    seed: int = 0,
) -> BiLMRun:
    """Train both directions at once on the sum of their losses (Adam, shuffled minibatches).

    The vocabulary comes from ``train`` only; held-out words it lacks become ``<unk>``.
    Perplexities are measured after every epoch. Runs on the CPU with one thread.
    """
    generator = seeded_generator(seed)
    vocab = build_vocabulary(train)
    model = new_bilm(len(vocab), embed_dim=embed_dim, hidden=hidden, seed=seed)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    ids, lengths = encode(vocab, train)  # (N, T), (N,)
    test = encode(vocab, held_out) if held_out else None
    run = BiLMRun(model, vocab, [], [])
    with one_thread():
        for _ in range(epochs):
            order = torch.randperm(len(ids), generator=generator)
            for start in range(0, len(ids), batch_size):
                rows = order[start : start + batch_size]
                batch_len = lengths[rows]
                loss_f, loss_b = model.losses(ids[rows, : int(batch_len.max())], batch_len)
                optimizer.zero_grad()
                (loss_f + loss_b).backward()
                optimizer.step()
            run.train_perplexity.append(perplexity(model, ids, lengths))
            if test is not None:
                run.held_out_perplexity.append(perplexity(model, *test))
    model.eval()
    return run


# ---------------------------------------------------------------------------------------------
# Word vectors and how they group by sense
# ---------------------------------------------------------------------------------------------


def word_vectors(
    model: BiLM, vocab: Vocabulary, occurrences: Sequence[Occurrence], view: View = "both"
) -> torch.Tensor:
    """The vector of each occurrence's word at its position, (N, D).

    ``"both"`` is ELMo's ``[forward ; backward]`` (D = 2H); ``"forward"`` and ``"backward"``
    keep one half (D = H); ``"static"`` is the input embedding row (D = E), the same for every
    occurrence of a word by construction.
    """
    ids, lengths = encode(vocab, [o.tokens for o in occurrences])
    position = torch.tensor([o.position + 1 for o in occurrences])  # +1 for <s>
    rows = torch.arange(len(occurrences))
    with torch.no_grad():
        if view == "static":
            return model.embedding(ids[rows, position])
        forward, backward = model.states(ids, lengths)
    halves = {"forward": [forward], "backward": [backward], "both": [forward, backward]}[view]
    return torch.cat([h[rows, position] for h in halves], dim=-1)


def cosine_matrix(vectors: torch.Tensor) -> torch.Tensor:
    """Cosine similarity between every pair of rows, (N, N)."""
    return cosine_between(vectors, vectors)


def shares_phrase(a: Occurrence, b: Occurrence) -> bool:
    """Whether two occurrences were built from the same left or the same right phrase.

    Such a pair has (nearly) the same words on one side, so its vectors are alike for a
    reason that has nothing to do with meaning; the comparisons below leave it out.
    """
    return a.left == b.left or a.right == b.right


@dataclass(frozen=True)
class Separation:
    """Mean cosine similarity of pairs in the same sense and in different senses."""

    within: float  # same word, same sense, different wording on both sides
    between: float  # same word, different sense, different wording on both sides

    @property
    def gap(self) -> float:
        return self.within - self.between


def sense_separation(vectors: torch.Tensor, occurrences: Sequence[Occurrence]) -> Separation:
    """Within-sense vs between-sense similarity over the occurrences of ONE word.

    ``vectors`` (N, D) are those of ``occurrences``; only pairs that share no phrase count.
    """
    sim = cosine_matrix(vectors)
    n = len(occurrences)
    within: list[float] = []
    between: list[float] = []
    for i in range(n):
        for j in range(i + 1, n):
            a, b = occurrences[i], occurrences[j]
            if not shares_phrase(a, b):
                (within if a.sense == b.sense else between).append(sim[i, j].item())
    return Separation(sum(within) / len(within), sum(between) / len(between))


def separation_by_word(
    model: BiLM, vocab: Vocabulary, occurrences: Sequence[Occurrence], view: View = "both"
) -> dict[str, Separation]:
    """:func:`sense_separation` for each ambiguous word present in ``occurrences``."""
    out = {}
    for word in dict.fromkeys(o.word for o in occurrences):
        of_word = [o for o in occurrences if o.word == word]
        out[word] = sense_separation(word_vectors(model, vocab, of_word, view), of_word)
    return out


def cosine_between(query: torch.Tensor, reference: torch.Tensor) -> torch.Tensor:
    """Cosine similarity of every query row (Q, D) with every reference row (R, D): (Q, R)."""
    return F.normalize(query, dim=-1) @ F.normalize(reference, dim=-1).T


def allowed_pairs(queries: Sequence[Occurrence], references: Sequence[Occurrence]) -> torch.Tensor:
    """(Q, R) mask of the references each query may be matched with: same word, no shared phrase."""
    return torch.tensor(
        [[q.word == r.word and not shares_phrase(q, r) for r in references] for q in queries]
    )


def nearest_sense_accuracy(
    model: BiLM,
    vocab: Vocabulary,
    queries: Sequence[Occurrence],
    references: Sequence[Occurrence],
    view: View = "both",
) -> float:
    """Share of queries whose nearest allowed reference (:func:`allowed_pairs`) has their sense.

    Chance is about 0.5 (two senses per word). Meaningless for the static view, where every
    occurrence of a word has the same vector and all references tie.
    """
    sim = cosine_between(
        word_vectors(model, vocab, queries, view), word_vectors(model, vocab, references, view)
    )  # (Q, R)
    nearest = sim.masked_fill(~allowed_pairs(queries, references), -2.0).argmax(dim=1)
    return sum(
        references[int(r)].sense == q.sense for q, r in zip(queries, nearest, strict=True)
    ) / len(queries)


def make_occurrence(text: str, word: str, sense: str = "?") -> Occurrence:
    """An :class:`Occurrence` for a sentence written by hand (its phrases are unknown)."""
    tokens = tuple(word_tokenize(text))
    return Occurrence(tokens, word, sense, left=text, right=text, position=tokens.index(word))


def sense_scores(
    model: BiLM,
    vocab: Vocabulary,
    query: Occurrence,
    references: Sequence[Occurrence],
    view: View = "both",
) -> dict[str, float]:
    """Mean cosine similarity of ``query`` to the references of its word, sense by sense."""
    pool = [r for r in references if r.word == query.word]
    sim = cosine_between(
        word_vectors(model, vocab, [query], view), word_vectors(model, vocab, pool, view)
    )[0]  # (R,)
    senses = dict.fromkeys(r.sense for r in pool)
    return {s: sim[torch.tensor([r.sense == s for r in pool])].mean().item() for s in senses}


def unigram_perplexity(train: Sequence[Sequence[str]], held_out: Sequence[Sequence[str]]) -> float:
    """Perplexity on ``held_out`` of word frequencies counted in ``train`` (add-one smoothing).

    The baseline that ignores context entirely; the same for both directions, since each
    sentence's targets are its words plus one end marker either way.
    """
    counts = Counter(t for s in train for t in [*s, "</s>"])
    total, size = sum(counts.values()), len(counts) + 1  # +1 for unseen words
    log_prob = [math.log((counts[t] + 1) / (total + size)) for s in held_out for t in [*s, "</s>"]]
    return math.exp(-sum(log_prob) / len(log_prob))


def shared_left_phrases(senses: Sequence[Sense] = SENSES) -> set[str]:
    """Left phrases that occur in both senses of a word ("{who} fue al" banco...).

    Up to the word, such a sentence says nothing about the sense: only what follows does.
    """
    return {
        phrase
        for a in senses
        for b in senses
        if a.word == b.word and a.name != b.name
        for phrase in a.left
        if phrase in b.left
    }
