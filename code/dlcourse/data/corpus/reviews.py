"""A balanced set of generated Spanish product and restaurant reviews with sentiment labels.

Held-out phrasings make the test split harder than the training one. Introduced in lesson
"Sequence classification with LSTM and GRU".
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass

from dlcourse.runtime import shifted

SENTIMENT_LABELS = ("negativa", "positiva")
"""Class names of :func:`reviews`, by label index (0 negative, 1 positive)."""


@dataclass(frozen=True)
class Review:
    """A short Spanish review and its sentiment (0 negative, 1 positive)."""

    text: str
    label: int
    domain: str


@dataclass(frozen=True)
class _Domain:
    openings: tuple[str, ...]
    aspects: tuple[tuple[str, bool, bool], ...]  # (noun phrase, feminine, plural)


_DOMAINS: dict[str, _Domain] = {
    "restaurante": _Domain(
        (
            "Fuimos a cenar el sábado con unos amigos.",
            "Comimos aquí durante un viaje de trabajo.",
            "Reservamos mesa para celebrar un cumpleaños.",
            "Pasamos por este restaurante un domingo al mediodía.",
        ),
        (
            ("la comida", True, False), ("el servicio", False, False),
            ("los postres", False, True), ("el local", False, False),
            ("la carta", True, False), ("el ambiente", False, False),
            ("los camareros", False, True), ("las raciones", True, True),
        ),
    ),
    "hotel": _Domain(
        (
            "Nos alojamos tres noches en este hotel.",
            "Pasé aquí un fin de semana por trabajo.",
            "Elegimos este hotel para las vacaciones de verano.",
        ),
        (
            ("la habitación", True, False), ("el desayuno", False, False),
            ("la limpieza", True, False), ("el personal", False, False),
            ("la piscina", True, False), ("las camas", True, True),
            ("la recepción", True, False), ("los baños", False, True),
        ),
    ),
    "película": _Domain(
        (
            "Vi esta película el domingo en el cine.",
            "La vimos en casa con toda la familia.",
            "Fui a verla con mucha curiosidad.",
        ),
        (
            ("el guion", False, False), ("los actores", False, True),
            ("la música", True, False), ("el final", False, False),
            ("la fotografía", True, False), ("los diálogos", False, True),
            ("la historia", True, False), ("el ritmo", False, False),
        ),
    ),
    "teléfono": _Domain(
        (
            "Compré este teléfono hace un mes.",
            "Lo uso a diario desde hace unas semanas.",
            "Me lo regalaron por mi cumpleaños.",
        ),
        (
            ("la batería", True, False), ("la pantalla", True, False),
            ("la cámara", True, False), ("el sonido", False, False),
            ("el envío", False, False), ("el diseño", False, False),
            ("los altavoces", False, True), ("las fotos", True, True),
        ),
    ),
    "libro": _Domain(
        (
            "Leí este libro durante las vacaciones.",
            "Lo terminé en dos tardes.",
            "Me lo recomendó una amiga.",
        ),
        (
            ("la historia", True, False), ("los personajes", False, True),
            ("el estilo", False, False), ("el final", False, False),
            ("la traducción", True, False), ("la portada", True, False),
            ("los diálogos", False, True), ("las descripciones", True, True),
        ),
    ),
}  # fmt: skip

# Adjectives in masculine singular; the second tuple of each pair is only used in held-out text.
_ADJECTIVES = {
    1: (
        ("excelente", "estupendo", "magnífico", "maravilloso", "genial", "perfecto",
         "impecable", "agradable", "fantástico", "buenísimo", "bueno"),
        ("sobresaliente", "espléndido", "formidable", "encantador"),
    ),
    0: (
        ("horrible", "pésimo", "terrible", "decepcionante", "mediocre", "desastroso",
         "malísimo", "deficiente", "penoso", "flojo", "malo", "desagradable"),
        ("lamentable", "nefasto", "catastrófico", "espantoso"),
    ),
}  # fmt: skip
_GRADABLE = {"agradable", "bueno", "flojo", "malo", "desagradable", "decepcionante", "mediocre"}
_GRADABLE |= {"deficiente", "encantador"}

# Clauses: "{A}" is the aspect, "{ADJ}" an adjective of the clause's polarity, "{I}" an
# optional intensifier and "{x|y}" a verb in singular|plural agreeing with the aspect.
_ADJ_CLAUSES = (
    (
        "{A} {estaba|estaban} {I}{ADJ}",
        "{A} {era|eran} {I}{ADJ}",
        "{A} me {pareció|parecieron} {I}{ADJ}",
        "{A} {fue|fueron} {I}{ADJ}",
    ),
    (
        "{A} {resultó|resultaron} {I}{ADJ}",
        "encontramos {A} {I}{ADJ}",
        "{A} {estuvo|estuvieron} {I}{ADJ}",
    ),
)
_FIXED_CLAUSES = {  # polarity -> (training phrasings, held-out phrasings)
    1: (
        (
            "me {encantó|encantaron} {A}",
            "no tengo ninguna queja de {A}",
            "{A} no {estaba|estaban} nada mal",
        ),
        (
            "disfruté mucho de {A}",
            "{A} no {decepcionó|decepcionaron} en absoluto",
            "no hubo ningún problema con {A}",
        ),
    ),
    0: (
        (
            "no me {gustó|gustaron} {A}",
            "me {molestó|molestaron} {A}",
            "{A} no {estaba|estaban} a la altura",
        ),
        (
            "{A} {dejó|dejaron} mucho que desear",
            "no me {convenció|convencieron} {A}",
            "{A} no {cumplió|cumplieron} lo prometido",
        ),
    ),
}
_VERDICTS = {
    1: (
        (
            "Lo recomiendo sin dudarlo.",
            "Volvería a elegirlo.",
            "Merece la pena.",
            "Cinco estrellas.",
            "Repetiría sin pensarlo.",
        ),
        (
            "Una experiencia para repetir.",
            "No me arrepiento en absoluto.",
            "Totalmente recomendable.",
        ),
    ),
    0: (
        (
            "No lo recomiendo.",
            "No volvería a elegirlo.",
            "No merece la pena.",
            "Una estrella, y es mucho.",
            "Fue una pérdida de tiempo y de dinero.",
        ),
        ("Me arrepiento de haberlo elegido.", "Nunca más.", "Mejor buscar otra opción."),
    ),
}


def inflect(adjective: str, *, feminine: bool, plural: bool) -> str:
    """Spanish adjective agreement: ``inflect("bueno", feminine=True, plural=True) == "buenas"``."""
    if adjective.endswith("o"):
        word = adjective[:-1] + ("a" if feminine else "o")
    elif adjective.endswith("or"):
        word = adjective + ("a" if feminine else "")
    else:
        word = adjective
    if not plural:
        return word
    return word + ("s" if word[-1] in "aeiou" else "es")


def adjective_forms() -> dict[str, tuple[int, bool]]:
    """Every form of the review generator's adjectives: word -> (polarity, plural).

    Introduced in lesson "Pretraining and transfer learning".

    Polarity is 1 for a positive adjective and 0 for a negative one, as the review labels;
    each adjective appears in masculine and feminine, singular and plural ("bueno",
    "buena", "buenos", "buenas"). What a model proposes for a blank, or puts next to a
    word, can then be read by sentiment and by number.
    """
    forms = {}
    for polarity, groups in _ADJECTIVES.items():
        for adjective in (word for group in groups for word in group):
            for feminine in (False, True):
                for plural in (False, True):
                    word = inflect(adjective, feminine=feminine, plural=plural)
                    forms[word] = (polarity, plural)
    return forms


def _fill(template: str, aspect: tuple[str, bool, bool], adjective: str, intensifier: str) -> str:
    noun, feminine, plural = aspect
    text = re.sub(r"\{([^{}|]+)\|([^{}|]+)\}", lambda m: m.group(2 if plural else 1), template)
    text = text.replace("{A}", noun).replace("{I}", intensifier)
    if "{ADJ}" in text:
        text = text.replace("{ADJ}", inflect(adjective, feminine=feminine, plural=plural))
    return re.sub(r"\b(de|a) el\b", lambda m: "del" if m.group(1) == "de" else "al", text)


def _clause(
    polarity: int, aspect: tuple[str, bool, bool], rng: random.Random, held_out: bool
) -> str:
    part = 1 if held_out else 0
    if rng.random() < 0.3:
        return _fill(rng.choice(_FIXED_CLAUSES[polarity][part]), aspect, "", "")
    train_adjectives, new_adjectives = _ADJECTIVES[polarity]
    pool = new_adjectives if held_out and rng.random() < 0.5 else train_adjectives
    adjective = rng.choice(pool)
    options = (
        ("", "muy ", "bastante ", "realmente ") if adjective in _GRADABLE else ("", "realmente ")
    )
    return _fill(rng.choice(_ADJ_CLAUSES[part]), aspect, adjective, rng.choice(options))


def _sentence(clause: str) -> str:
    return clause[0].upper() + clause[1:] + "."


def _review(label: int, rng: random.Random, held_out: bool) -> Review:
    name = rng.choice(sorted(_DOMAINS))
    domain = _DOMAINS[name]
    n_main = rng.choice((2, 3))
    aspects = rng.sample(domain.aspects, n_main + 1)
    main = [_clause(label, aspect, rng, held_out) for aspect in aspects[:n_main]]
    if rng.random() < 0.4:  # one clause of the opposite polarity, joined to a main clause
        contrast = _clause(1 - label, aspects[-1], rng, held_out)
        position = rng.randrange(n_main)
        main[position] += f", {rng.choice(('aunque', 'pero'))} {contrast}"
    parts = [rng.choice(domain.openings)] if rng.random() < 0.8 else []
    parts += [_sentence(clause) for clause in main]
    if rng.random() < 0.7:
        parts.append(rng.choice(_VERDICTS[label][1 if held_out else 0]))
    return Review(" ".join(parts), label, name)


def reviews(n_per_class: int, *, held_out: bool = False, seed: int = 0) -> list[Review]:
    """A balanced, shuffled list of ``2 * n_per_class`` distinct Spanish reviews.

    Each review has two or three clauses of its own polarity (sometimes one of the opposite
    polarity after "aunque"/"pero") and often a final verdict. With ``held_out=True`` the
    clauses, verdicts and half of the adjectives come from phrasings that never appear with
    ``held_out=False``: a test of generalization to new wording, not just to new samples.
    Deterministic for a given ``seed``.
    """
    rng = random.Random(shifted(seed))
    seen: set[str] = set()
    out: list[Review] = []
    for label in (0, 1):
        count = 0
        while count < n_per_class:
            review = _review(label, rng, held_out)
            if review.text not in seen:
                seen.add(review.text)
                out.append(review)
                count += 1
    rng.shuffle(out)
    return out


def review_texts(items: Sequence[Review]) -> list[str]:
    """The texts of a list of reviews (convenience for tokenizers)."""
    return [item.text for item in items]
