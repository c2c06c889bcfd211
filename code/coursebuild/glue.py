"""Results of the run in a lesson's prose: ``{{ value: name }}`` and ``{{ claim: name }}``.

A lesson publishes a value with :func:`dlcourse.bilingual.publish` and checks a sentence of
its prose with :func:`dlcourse.bilingual.claim`; the executed notebook keeps both (metadata
``execution.values`` and ``execution.claims``). Here they meet the prose:

* ``{{ value: name }}`` becomes the value, formatted for the page's language, inside
  ``<span class="glued" data-glue="name">``, so readers (and tests) can tell it comes from
  the run;
* ``{{ claim: name }}`` becomes a check mark whose label repeats the claim the run checked.

A reference to something the run did not publish, and a claim the run checked that the prose
of some language does not mark, fail the lesson: see :func:`check_references`.

A page outside the lessons (a paper note, a concept note, a reading summary, the home page)
that quotes a lesson's result names the lesson: ``{{ value: ner-bilstm/unseen_recall }}``,
``{{ claim: vanishing-gradients/lstm_remembers }}``. :func:`fill_quotes` replaces them from
that lesson's run; a lesson or a name that does not exist fails the build with the page and
line, so no page outside the lessons can go on quoting a result the run no longer gives.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from dlcourse.bilingual import resolve

from coursebuild.languages import Languages
from coursebuild.lesson import Lesson

REFERENCE = re.compile(r"\{\{\s*(value|claim)\s*:\s*([A-Za-z0-9_.-]+)\s*\}\}")

CHECKED = {
    "es": "Afirmación comprobada en esta ejecución",
    "en": "Claim checked by this run",
}
QUOTE = re.compile(r"\{\{\s*(value|claim)\s*:\s*([a-z0-9][a-z0-9-]*)/([A-Za-z0-9_.-]+)\s*\}\}")
CODE = re.compile(r"^(```|~~~).*?^\1|`[^`\n]+`", re.MULTILINE | re.DOTALL)
CHECKED_IN = {
    "es": "Afirmación comprobada por la ejecución de la lección «{title}»",
    "en": "Claim checked by the run of the lesson “{title}”",
}


class QuoteError(ValueError):
    """A page outside the lessons quotes a lesson or a result that does not exist."""


def _value_span(name: str, shown: str) -> str:
    """A value from the run, marked so readers (and tests) can tell it comes from the run."""
    return f'<span class="glued" data-glue="{name}">{shown}</span>'


def _claim_span(name: str, label: str) -> str:
    """The check mark of a claim the run checked; ``label`` is already escaped."""
    return (
        f'<span class="claim-checked" data-claim="{name}" role="img" '
        f'aria-label="{label}" title="{label}">✓</span>'
    )


def references(text: str) -> list[tuple[str, str]]:
    """The ``(kind, name)`` of each reference in ``text``, in order."""
    return [(match.group(1), match.group(2)) for match in REFERENCE.finditer(text)]


def fill(
    text: str,
    values: Mapping[str, str],
    claims: Mapping[str, Mapping],
    lang: str,
    *,
    escape,
    html: bool = True,
) -> str:
    """``text`` with its references replaced for the page of ``lang`` (``html=False``: plain
    text, for the downloadable notebook). ``escape`` makes run text inert in Markdown."""

    def replace(match: re.Match) -> str:
        kind, name = match.group(1), match.group(2)
        if kind == "value":
            shown = escape(resolve(values[name], lang))
            return _value_span(name, shown) if html else shown
        words = escape(claims[name][lang])
        return _claim_span(name, f"{CHECKED[lang]}: {words}") if html else "✓"

    return REFERENCE.sub(replace, text)


def check_references(
    lesson: Lesson,
    values: Mapping[str, str],
    claims: Mapping[str, Mapping],
    languages: Languages,
) -> tuple[str, int] | None:
    """The first problem with the lesson's references, with its line: a name the run did not
    publish, or a claim the run checked that the prose of some language never marks."""
    marked: dict[str, set[str]] = {lang: set() for lang in languages}
    for number, cell in enumerate(lesson.cells, start=1):
        if cell.kind != "markdown":
            continue
        for offset, line in enumerate(cell.source.splitlines(), start=1):
            for kind, name in references(line):
                published = values if kind == "value" else claims
                if name not in published:
                    what = "published no value" if kind == "value" else "checked no claim"
                    return (
                        f"markdown cell {number} ({cell.lang}) refers to {{{{ {kind}: {name} }}}}, "
                        f"but the run {what} named {name!r}",
                        cell.line + offset,
                    )
                if kind == "claim" and cell.lang is not None:
                    marked[cell.lang].add(name)
    for lang in languages:
        unmarked = sorted(set(claims) - marked[lang])
        if unmarked:
            return (
                f"the run checks claim {unmarked[0]!r} but no {lang} prose marks it with "
                f"{{{{ claim: {unmarked[0]} }}}}",
                claims[unmarked[0]].get("line") or lesson.cells[0].line,
            )
    return None


@dataclass(frozen=True)
class QuotedRun:
    """What a page outside the lessons may quote of one lesson's run."""

    title: Mapping[str, str]  # per language
    values: Mapping[str, str]
    claims: Mapping[str, Mapping]


def fill_quotes(
    text: str,
    runs: Mapping[str, QuotedRun | None],
    lang: str,
    *,
    page: str,
    escape,
    first_line: int = 1,
) -> str:
    """``text`` (a page outside the lessons) with each ``{{ value: lesson/name }}`` and
    ``{{ claim: lesson/name }}`` taken from that lesson's run. ``runs`` maps every lesson to
    its run, ``None`` while it is broken (only under ``mkdocs serve``): the quote then shows
    an ellipsis marked unavailable. Raises :class:`QuoteError` naming ``page`` and the line
    (``first_line``: the file's line where ``text`` begins, after its front matter)."""

    def replace(match: re.Match) -> str:
        kind, lesson, name = match.groups()
        line = text.count("\n", 0, match.start()) + first_line
        if lesson not in runs:
            raise QuoteError(
                f"{page}:{line}: quotes {match.group()} but there is no lesson {lesson!r}"
            )
        run = runs[lesson]
        if run is None:
            return f'<span class="glued unavailable" data-glue="{lesson}/{name}">…</span>'
        published = run.values if kind == "value" else run.claims
        if name not in published:
            what = "published no value" if kind == "value" else "checked no claim"
            raise QuoteError(
                f"{page}:{line}: quotes {match.group()} but the run of lesson {lesson!r} "
                f"{what} named {name!r}"
            )
        if kind == "value":
            return _value_span(f"{lesson}/{name}", escape(resolve(run.values[name], lang)))
        title = run.title.get(lang) or lesson
        label = escape(f"{CHECKED_IN[lang].format(title=title)}: {run.claims[name][lang]}")
        return _claim_span(f"{lesson}/{name}", label)

    code = [match.span() for match in CODE.finditer(text)]  # examples of the syntax stay

    def outside_code(match: re.Match) -> str:
        if any(start <= match.start() < end for start, end in code):
            return match.group()
        return replace(match)

    return QUOTE.sub(outside_code, text)
