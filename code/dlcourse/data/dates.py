"""Spanish dates written in words and their ISO form: the translation task of the seq2seq unit.

``"miércoles, 3 de marzo de 2021" -> "2021-03-03"``. The task is small enough to train on two
CPU cores in seconds, yet it needs what translation needs: reordering (the year comes last
in Spanish and first in ISO), reading numbers written as words ("veintiuno") and ignoring
words that carry no information for the output (the weekday). Every date is real: the
weekday always matches the calendar.

Introduced in lesson "Seq2seq with attention"; reused by "A transformer by hand".
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

import torch

from dlcourse.runtime import shifted
from dlcourse.text.tokenizers import pad_batch

MONTHS = (
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
)
WEEKDAYS = ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo")

_UNITS = [
    "cero",
    "uno",
    "dos",
    "tres",
    "cuatro",
    "cinco",
    "seis",
    "siete",
    "ocho",
    "nueve",
    "diez",
    "once",
    "doce",
    "trece",
    "catorce",
    "quince",
    "dieciséis",
    "diecisiete",
    "dieciocho",
    "diecinueve",
    "veinte",
    "veintiuno",
    "veintidós",
    "veintitrés",
    "veinticuatro",
    "veinticinco",
    "veintiséis",
    "veintisiete",
    "veintiocho",
    "veintinueve",
]


def day_in_words(day: int) -> str:
    """1 -> "uno", 21 -> "veintiuno", 31 -> "treinta y uno" (as written in a date)."""
    if not 1 <= day <= 31:
        raise ValueError(f"day out of range: {day}")
    if day < 30:
        return _UNITS[day]
    return "treinta" if day == 30 else "treinta y uno"


FORMATS = (
    "{weekday} {day} de {month} de {year}",
    "{weekday}, {day} de {month} de {year}",
    "{day} de {month} de {year}",
    "el {day} de {month} de {year}",
    "{day} de {month} del {year}",
    "{day} {month} {year}",
)
"""Surface forms; ``{day}`` is written in digits or in words (see :func:`spanish_date`)."""


def spanish_date(date: dt.date, *, style: int, day_as_words: bool) -> str:
    """The date in one of :data:`FORMATS`; the weekday is the true one for that date."""
    day = day_in_words(date.day) if day_as_words else str(date.day)
    return FORMATS[style].format(
        weekday=WEEKDAYS[date.weekday()], day=day, month=MONTHS[date.month - 1], year=date.year
    )


@dataclass(frozen=True)
class DatePair:
    """A Spanish date in words and its ISO 8601 form."""

    spanish: str
    iso: str


def date_pairs(
    n: int,
    *,
    seed: int = 0,
    years: tuple[int, int] = (1950, 2049),
    words_share: float = 0.3,
    exclude: set[str] | frozenset[str] = frozenset(),
) -> list[DatePair]:
    """``n`` distinct random dates between ``years`` (inclusive), each in a random format.

    ``words_share`` of them write the day in words. Dates whose ISO form is in ``exclude`` are
    never drawn, so a test set can be made disjoint from a training set at the level of the
    date itself, not only its spelling. Deterministic for a given ``seed``.
    """
    rng = random.Random(shifted(seed))
    first, last = dt.date(years[0], 1, 1), dt.date(years[1], 12, 31)
    span = (last - first).days
    if n > span + 1 - len(exclude):
        raise ValueError("asked for more distinct dates than the range holds")
    seen: set[str] = set(exclude)
    pairs: list[DatePair] = []
    while len(pairs) < n:
        date = first + dt.timedelta(days=rng.randint(0, span))
        iso = date.isoformat()
        if iso in seen:
            continue
        seen.add(iso)
        style = rng.randrange(len(FORMATS))
        if FORMATS[style].endswith("del {year}") and date.year < 2000:
            style = FORMATS.index("{day} de {month} de {year}")  # "del 1974" reads oddly
        text = spanish_date(date, style=style, day_as_words=rng.random() < words_share)
        pairs.append(DatePair(text, iso))
    return pairs


PAD, BOS, EOS = 0, 1, 2
SPECIALS = ("<pad>", "<s>", "</s>")


class CharVocab:
    """Characters <-> ids, with padding (0), start (1) and end (2) symbols.

    Built from a fixed alphabet rather than from the training data so that no test string
    can contain an unknown character.
    """

    def __init__(self, alphabet: str) -> None:
        self.itos = list(SPECIALS) + sorted(set(alphabet))
        self.stoi = {ch: i for i, ch in enumerate(self.itos)}

    def __len__(self) -> int:
        return len(self.itos)

    def encode(self, text: str, *, add_bos: bool = False, add_eos: bool = False) -> list[int]:
        ids = [self.stoi[ch] for ch in text]
        return ([BOS] if add_bos else []) + ids + ([EOS] if add_eos else [])

    def decode(self, ids: list[int]) -> str:
        """Characters up to the first end symbol; padding and start symbols are skipped."""
        out = []
        for i in ids:
            if i == EOS:
                break
            if i >= len(SPECIALS):
                out.append(self.itos[i])
        return "".join(out)


SOURCE_VOCAB = CharVocab(
    "".join(MONTHS) + "".join(WEEKDAYS) + "".join(_UNITS) + "treinta y" + "el del" + "0123456789, "
)
"""Every character a :func:`date_pairs` source can contain."""
TARGET_VOCAB = CharVocab("0123456789-")
"""Every character of an ISO date."""


@dataclass
class EncodedPairs:
    """Padded id tensors of a list of pairs, ready for teacher forcing.

    ``target_in`` starts with the start symbol and ``target_out`` ends with the end symbol:
    at step ``t`` the decoder reads ``target_in[:, t]`` and must predict ``target_out[:, t]``.
    """

    source: torch.Tensor  # (N, S) source ids, PAD after the end
    target_in: torch.Tensor  # (N, T) <s> + ISO characters
    target_out: torch.Tensor  # (N, T) ISO characters + </s>

    def __len__(self) -> int:
        return self.source.shape[0]

    def to(self, device: torch.device | str) -> EncodedPairs:
        return EncodedPairs(*(t.to(device) for t in (self.source, self.target_in, self.target_out)))

    def subset(self, index: torch.Tensor) -> EncodedPairs:
        return EncodedPairs(self.source[index], self.target_in[index], self.target_out[index])


def _pad(rows: list[list[int]]) -> torch.Tensor:
    return pad_batch(rows, PAD)[0]


def encode_pairs(pairs: list[DatePair]) -> EncodedPairs:
    """Character ids of sources (no start/end symbols) and of ISO targets."""
    source = _pad([SOURCE_VOCAB.encode(p.spanish) for p in pairs])
    target = [TARGET_VOCAB.encode(p.iso) for p in pairs]
    return EncodedPairs(
        source=source,
        target_in=_pad([[BOS, *t] for t in target]),
        target_out=_pad([[*t, EOS] for t in target]),
    )
