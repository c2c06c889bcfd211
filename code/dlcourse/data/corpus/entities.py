"""Spanish sentences with people, places, organizations and dates, tagged in the BIO scheme.

The generator behind named-entity recognition: names are drawn from fixed lists, so a test
split can hold names never seen in training. Introduced in lesson "Named-entity recognition
with a BiLSTM".
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from dlcourse.data.dates import MONTHS, WEEKDAYS
from dlcourse.runtime import shifted

ENTITY_TYPES = ("PER", "LOC", "ORG", "DATE")
FIRST_NAMES = (
    "María", "José", "Lucía", "Carmen", "Javier", "Ana", "Diego", "Sofía", "Miguel", "Elena",
    "Pablo", "Laura", "Andrés", "Marta", "Carlos", "Isabel", "Raúl", "Paula", "Tomás", "Beatriz",
)  # fmt: skip
SURNAMES = (
    "García", "Martínez", "López", "Sánchez", "Pérez", "Gómez", "Ruiz", "Díaz", "Moreno",
    "Torres", "Romero", "Navarro", "Herrera", "Castillo", "Vargas", "Ortega", "Rojas", "Molina",
)  # fmt: skip
PLACES = (
    "Madrid", "Barcelona", "Sevilla", "Valencia", "Bilbao", "Granada", "Hermosillo", "Monterrey",
    "Guadalajara", "Ciudad de México", "Buenos Aires", "Bogotá", "Lima", "Santiago de Chile",
    "Quito", "Montevideo", "Salamanca", "Oaxaca",
)  # fmt: skip
ORGANIZATIONS = (  # (article or "", name): the article is not part of the entity
    ("la", "Universidad de Sonora"), ("la", "Universidad de Salamanca"), ("la", "Cruz Roja"),
    ("el", "Banco de España"), ("la", "Biblioteca Nacional"), ("el", "Museo del Prado"),
    ("el", "Ayuntamiento de Valencia"), ("el", "Instituto de Física"), ("el", "Hospital General"),
    ("la", "Orquesta Sinfónica de Lima"), ("la", "Agencia Espacial Europea"),
    ("", "Naciones Unidas"), ("", "Greenpeace"), ("", "Telefónica"),
)  # fmt: skip

_NER_TEMPLATES: tuple[str, ...] = (  # {DAY} follows "el"; {PERIOD} follows "en" or "desde"
    "{PER} trabaja en {ORG} desde {PERIOD} .",
    "{PER} viajó a {LOC} el {DAY} .",
    "El {DAY} , {PER} presentó su proyecto en {ORG} .",
    "{ORG} abrirá una nueva sede en {LOC} en {PERIOD} .",
    "{PER} y {PER} se conocieron en {LOC} .",
    "Según {ORG} , el congreso se celebrará en {LOC} el {DAY} .",
    "{PER} nació en {LOC} en {PERIOD} .",
    "La reunión con {PER} será el {DAY} en la sede de {ORG} .",
    "{PER} estudió en {ORG} y después se mudó a {LOC} .",
    "Desde {PERIOD} , {PER} dirige {ORG} en {LOC} .",
    "Ayer {PER} llamó a {PER} para hablar del viaje a {LOC} .",
    "{ORG} contrató a {PER} el {DAY} .",
)


@dataclass(frozen=True)
class TaggedSentence:
    """A sentence split into tokens, with one BIO tag per token ("B-PER", "I-PER", "O"...)."""

    tokens: tuple[str, ...]
    tags: tuple[str, ...]

    @property
    def text(self) -> str:
        """The sentence as plain text (no space before punctuation)."""
        return re.sub(r" ([.,;:?!])", r"\1", " ".join(self.tokens))

    def entities(self) -> list[tuple[str, str]]:
        """(type, text) of every entity, in order: [("PER", "Ana Ruiz"), ("LOC", "Lima")]."""
        found: list[tuple[str, list[str]]] = []
        for token, tag in zip(self.tokens, self.tags, strict=True):
            if tag.startswith("B-"):
                found.append((tag[2:], [token]))
            elif tag.startswith("I-"):
                found[-1][1].append(token)
        return [(kind, " ".join(parts)) for kind, parts in found]


def _entity(kind: str, rng: random.Random) -> tuple[list[str], list[str]]:
    """Words of one random entity of ``kind`` plus any article that must precede it."""
    article: list[str] = []
    if kind == "PER":
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}"
    elif kind == "LOC":
        name = rng.choice(PLACES)
    elif kind == "ORG":
        art, name = rng.choice(ORGANIZATIONS)
        article = [art] if art else []
    elif kind == "DAY":
        if rng.random() < 0.3:
            name = rng.choice(WEEKDAYS)
        else:
            name = f"{rng.randint(1, 28)} de {rng.choice(MONTHS)}"
            if rng.random() < 0.5:
                name += f" de {rng.randint(1990, 2025)}"
    else:  # PERIOD
        choice = rng.random()
        if choice < 0.4:
            name = str(rng.randint(1990, 2025))
        elif choice < 0.7:
            name = rng.choice(MONTHS)
        else:
            name = f"{rng.choice(MONTHS)} de {rng.randint(1990, 2025)}"
    return article, name.split()


def tagged_sentences(n: int, *, seed: int = 0) -> list[TaggedSentence]:
    """``n`` Spanish sentences with people, places, organizations and dates, BIO-tagged.

    Dates come in two shapes ("12 de marzo de 2021" after "el", "2019" or "marzo" after
    "en"), both tagged DATE; articles before organizations stay outside the entity, and
    "de el" / "a el" are contracted to "del" / "al" as in written Spanish.
    Deterministic for a given ``seed``.
    """
    rng = random.Random(shifted(seed))
    out = []
    for _ in range(n):
        tokens: list[str] = []
        tags: list[str] = []
        for piece in rng.choice(_NER_TEMPLATES).split():
            slot = re.fullmatch(r"\{(\w+)\}", piece)
            if slot is None:
                tokens.append(piece)
                tags.append("O")
                continue
            kind = slot.group(1)
            article, name = _entity(kind, rng)
            label = "DATE" if kind in ("DAY", "PERIOD") else kind
            if article and tokens and tokens[-1].lower() in ("de", "a") and article[0] == "el":
                tokens[-1] = "del" if tokens[-1].lower() == "de" else "al"
                article = []
            if article and not tokens:
                article = [article[0].capitalize()]
            tokens += article
            tags += ["O"] * len(article)
            tokens += name
            tags += [f"B-{label}"] + [f"I-{label}"] * (len(name) - 1)
        out.append(TaggedSentence(tuple(tokens), tuple(tags)))
    return out
