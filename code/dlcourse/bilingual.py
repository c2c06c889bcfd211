"""Text in the reader's language, values published to the page, and claims the run checks.

The site is in Spanish and English, but each lesson runs **once** for both. A label is
therefore written once per language, ``tr(es="pérdida", en="loss")``, and what the lesson
prints or draws with it carries both texts until the page of each language is made:

* run as a plain script, ``tr`` gives one language: Spanish, or English when
  ``DLCOURSE_LANG=en`` (or, without that variable, a locale such as ``LANG=en_GB.UTF-8``);
* run by the site build (``DLCOURSE_LANG=all``), ``tr`` gives both texts inside invisible
  marks, and the build keeps the one of each page (:func:`resolve`), in printed output, in
  every text of a figure and in alt text.

:func:`number` writes a number the way each language does (``0,25`` / ``0.25``).
:func:`publish` hands a result to the prose of the page (``{{ value: name }}``) and
:func:`claim` checks a sentence of the prose against the run (``{{ claim: name }}``): the
build fails when a claim does not hold. Introduced in lesson "A single neuron"; used by every
lesson.
"""

from __future__ import annotations

import json
import math
import os
import re
import sys
from numbers import Real
from typing import Any

LANGUAGES = ("es", "en")  # the course's languages, in the order marks carry them
DEFAULT_LANGUAGE = "es"
BOTH = "all"  # DLCOURSE_LANG value under which tr() keeps every language (the site build)
LANGUAGE_VARIABLE = "DLCOURSE_LANG"
PUBLISH_VARIABLE = "DLCOURSE_PUBLISH"  # file the build reads published values and claims from

# Private-use characters: they never occur in the course's text or data.
OPEN, SEPARATOR, CLOSE = "\ue000", "\ue001", "\ue002"
_MARKS = OPEN + SEPARATOR + CLOSE
_INNERMOST = re.compile(f"{OPEN}([^{_MARKS}]*){SEPARATOR}([^{_MARKS}]*){CLOSE}")
NAME = re.compile(r"^[a-z][a-z0-9_]*$")


def output_language() -> str:
    """The language printed output is written in: ``es``, ``en``, or ``all`` (both, marked)."""
    chosen = os.environ.get(LANGUAGE_VARIABLE, "").strip().lower()
    if chosen:
        if chosen not in (*LANGUAGES, BOTH):
            raise ValueError(f"{LANGUAGE_VARIABLE}={chosen!r}: use one of {LANGUAGES} or {BOTH!r}")
        return chosen
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable, "")
        if value:
            return "en" if value.lower().startswith("en") else DEFAULT_LANGUAGE
    return DEFAULT_LANGUAGE


def tr(*, es: str, en: str) -> str:
    """One human-readable text in both languages; see the module docstring for what it gives.

    A text missing in one language is an error here, when the lesson runs, not a page that
    silently shows the other language.
    """
    for language, text in (("es", es), ("en", en)):
        if not isinstance(text, str) or not text.strip():
            raise ValueError(f"tr(): the {language!r} text is missing or empty: {text!r}")
    language = output_language()
    if language == BOTH:
        return es if es == en else f"{OPEN}{es}{SEPARATOR}{en}{CLOSE}"
    return es if language == "es" else en


def resolve(text: str, language: str) -> str:
    """``text`` as the page of ``language`` shows it: each pair of marked texts reduced to that
    language's (innermost first, so a ``tr`` inside another resolves too)."""
    if OPEN not in text and SEPARATOR not in text and CLOSE not in text:
        return text
    index = LANGUAGES.index(language) + 1
    while True:
        reduced = _INNERMOST.sub(lambda match: match.group(index), text)
        if reduced == text:
            break
        text = reduced
    if any(mark in text for mark in _MARKS):
        raise ValueError(f"unbalanced bilingual marks in {text!r}")
    return text


def is_bilingual(text: str) -> bool:
    """Whether ``text`` carries marked texts (the build resolves it per language)."""
    return OPEN in text


def align(text: str, width: int, side: str = ">") -> str:
    """``text`` padded to ``width`` characters in each language, for a printed table.

    A text from :func:`tr` carries both languages until the page is made, so padding it
    whole (``f"{text:>12}"``) would count both; each language's text is padded on its own
    (``side`` as in :func:`format`: ``">"`` right, ``"<"`` left, ``"^"`` center).
    Introduced in lesson "Sequence classification with LSTM and GRU".
    """
    if not is_bilingual(text):
        return format(text, f"{side}{width}")
    es, en = (format(resolve(text, language), f"{side}{width}") for language in LANGUAGES)
    return f"{OPEN}{es}{SEPARATOR}{en}{CLOSE}"


def quote(text: str) -> str:
    """A text of the data (a review, a word, a sentence of the corpus) quoted as each language
    quotes: «…» in Spanish, “…” in English. The quotes tell the reader, and the site's tests,
    that it is data shown as it is, not a label to translate. Introduced in lesson
    "Pretraining and transfer learning"."""
    return tr(es=f"«{text}»", en=f"“{text}”")


def number(value: float, spec: str = ".3f") -> str:
    """A number as each language writes it: ``number(0.256, ".2f")`` is ``0,26`` in Spanish
    and ``0.26`` in English; thousands (``spec=",.0f"``) are grouped with a thin space in
    Spanish (``12 345``) and a comma in English (``12,345``)."""
    english = format(value, spec)
    spanish = english.replace(",", "\u202f").replace(".", ",")
    return tr(es=spanish, en=english)


def percent(fraction: float, digits: int = 0) -> str:
    """A fraction as a percentage: ``73 %`` in Spanish (a no-break space before the sign),
    ``73%`` in English."""
    english = f"{100 * fraction:.{digits}f}"
    return tr(es=english.replace(".", ",") + "\u00a0%", en=english + "%")


def _lesson_line() -> int | None:
    """The line of the lesson script that called into this module: the innermost frame of the
    script itself (``__main__``), so a claim made inside a library function is reported
    where the lesson called it."""
    frame = sys._getframe(2)
    while frame is not None:
        if frame.f_globals.get("__name__") == "__main__":
            return frame.f_lineno
        frame = frame.f_back  # type: ignore[assignment]
    return None


def _record(entry: dict[str, Any]) -> None:
    sink = os.environ.get(PUBLISH_VARIABLE)
    if sink:
        with open(sink, "a", encoding="utf-8") as stream:
            stream.write(json.dumps(entry, ensure_ascii=False) + "\n")


def _check_name(name: str) -> None:
    if not NAME.match(name):
        raise ValueError(f"{name!r}: a published name is lower-case letters, digits and '_'")


def as_text(value: object, spec: str | None = None) -> str:
    """How a published value reads in prose: text as it is, numbers through :func:`number`
    (``spec`` defaults to ``.3f`` for floats and ``d`` for integers)."""
    if hasattr(value, "item") and callable(value.item):  # a one-element tensor or array
        value = value.item()
    if isinstance(value, str):
        if spec is not None:
            raise TypeError("a text value takes no format spec")
        return value
    if isinstance(value, bool) or not isinstance(value, Real):
        raise TypeError(f"publish a number or a text, not {type(value).__name__}")
    if not math.isfinite(float(value)):
        raise ValueError(f"cannot publish {value!r}: not a finite number")
    if spec is None:
        spec = "d" if isinstance(value, int) else ".3f"
    return number(float(value) if not isinstance(value, int) else value, spec)


def publish(name: str, value: object, spec: str | None = None) -> None:
    """Make ``value`` available to the lesson's prose as ``{{ value: name }}``.

    The page shows it formatted for its language (``spec`` as in :func:`format`), marked as
    a value from the run. Run by hand, publishing does nothing visible.
    """
    _check_name(name)
    _record({"kind": "value", "name": name, "text": as_text(value, spec), "line": _lesson_line()})


def claim(name: str, holds: object, *, es: str, en: str) -> None:
    """Check a sentence of the prose against this run; the prose marks it ``{{ claim: name }}``.

    ``holds`` is the claim's test (a bool, or a one-element tensor). In a site build a claim
    that does not hold fails the lesson with these words, its file and line; every claim of
    the lesson is checked before the build reports, so a seed-shifted build names them all.
    Run by hand, a claim that does not hold prints a warning line and the lesson goes on.
    """
    _check_name(name)
    tr(es=es, en=en)  # both texts are required
    if hasattr(holds, "item") and callable(holds.item):
        holds = holds.item()
    verdict = bool(holds)
    entry = {"kind": "claim", "name": name, "holds": verdict, "es": es, "en": en}
    _record({**entry, "line": _lesson_line()})
    if not verdict and not os.environ.get(PUBLISH_VARIABLE):
        warning = tr(es="afirmación no sostenida", en="claim not supported")
        print(f"!! {warning}: {tr(es=es, en=en)}", file=sys.stderr)
