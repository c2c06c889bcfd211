"""Template sentences whose slots come from fixed word categories (days, family, food...).

Words of one category share their contexts, the distributional signal that word vectors
feed on, in a controlled dose. Introduced in lesson "Word embeddings".
"""

from __future__ import annotations

import random
import re

from dlcourse.runtime import shifted

WORD_CATEGORIES: dict[str, tuple[str, ...]] = {
    "familia": ("madre", "padre", "hermana", "hermano", "abuela", "abuelo", "tía", "tío"),
    "días": ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"),
    "comida": ("pan", "queso", "arroz", "pescado", "fruta", "chocolate", "jamón", "miel"),
    "lugares": ("mercado", "parque", "museo", "hospital", "colegio", "puerto", "teatro", "cine"),
    "animales": ("perro", "gato", "caballo", "conejo", "pájaro", "zorro", "burro", "pato"),
    "colores": ("rojo", "azul", "verde", "amarillo", "blanco", "negro", "gris", "naranja"),
    "números": ("dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve"),
    "meses": ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "octubre"),
}
"""Spanish words grouped by meaning; :func:`everyday_sentences` draws its slots from them."""

_EVERYDAY_TEMPLATES: tuple[str, ...] = (
    "el {días} mi {familia} compró {comida} en el {lugares} .",
    "mi {familia} siempre lleva {comida} al {lugares} el {días} .",
    "el {animales} de mi {familia} duerme cerca del {lugares} .",
    "en {meses} mi {familia} visita el {lugares} con el {animales} .",
    "compramos {números} kilos de {comida} el {días} por la mañana .",
    "mi {familia} tiene un {animales} {colores} y otro {colores} .",
    "el {días} de {meses} pintamos la puerta del {lugares} de color {colores} .",
    "en el {lugares} vimos {números} perros y un {animales} {colores} .",
    "a mi {familia} le gusta comer {comida} con {comida} .",
    "el {animales} come {comida} los {días} y descansa en {meses} .",
    "hay {números} sillas de color {colores} en el {lugares} .",
    "mi {familia} y mi {familia} cocinan {comida} cada {días} .",
)


def everyday_sentences(n: int, *, seed: int = 0) -> list[str]:
    """``n`` simple Spanish sentences, lowercase and with punctuation split off by spaces.

    Each slot ``{category}`` is filled with a random word of :data:`WORD_CATEGORIES`, so words
    of the same category share their contexts: the distributional signal that word-vector
    methods feed on, in a controlled dose. Deterministic for a given ``seed``.
    """
    rng = random.Random(shifted(seed))
    out = []
    for _ in range(n):
        template = rng.choice(_EVERYDAY_TEMPLATES)
        sentence = re.sub(r"\{(\w+)\}", lambda m: rng.choice(WORD_CATEGORIES[m.group(1)]), template)
        out.append(sentence)
    return out
