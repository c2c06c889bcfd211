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
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from dlcourse.bilingual import resolve

from coursebuild.languages import Languages
from coursebuild.lesson import Lesson

REFERENCE = re.compile(r"\{\{\s*(value|claim)\s*:\s*([A-Za-z0-9_.-]+)\s*\}\}")

CHECKED = {
    "es": "Afirmación comprobada en esta ejecución",
    "en": "Claim checked by this run",
}


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
            if not html:
                return shown
            return f'<span class="glued" data-glue="{name}">{shown}</span>'
        words = escape(claims[name][lang])
        label = f"{CHECKED[lang]}: {words}"
        if not html:
            return "✓"
        return (
            f'<span class="claim-checked" data-claim="{name}" role="img" '
            f'aria-label="{label}" title="{label}">✓</span>'
        )

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
