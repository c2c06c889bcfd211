"""MkDocs hook: the glossary table and the term tooltips, from ``docs/_data/glossary.yml``.

The glossary page holds a ``<!-- glossary-table -->`` marker, replaced by the table in
the page's language. On every other page, the first use of each glossary term in prose
(not in headings, code, math or links) becomes an ``<abbr>`` that shows its translation and
definition on hover. It is done once per page over the rendered HTML, with one pattern of
all terms, instead of appending ``*[term]: ...`` abbreviation lines that Python-Markdown
would re-test line by line. A page where a term is used in its everyday sense turns the
tooltips off with ``glossary_tooltips: false`` in its front matter. A site customisation,
not part of the lesson pipeline.
"""

from __future__ import annotations

import functools
import html
import re
import unicodedata
from pathlib import Path

from coursebuild.glossary import GlossaryError, avoided, load_entries
from coursebuild.languages import Languages, from_mkdocs_config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

GLOSSARY = "docs/_data/glossary.yml"
MARKER = "<!-- glossary-table -->"
TERMS_MARKER = "<!-- style-terms -->"  # the style guide's table of preferred terms
HEADINGS = {
    "es": ("Español", "English", "Definición"),
    "en": ("English", "Español", "Definition"),
}


def load_glossary(
    path: Path, languages: Languages, name: str | None = None
) -> list[dict[str, str]]:
    """The glossary entries (read and validated by :func:`coursebuild.glossary.load_entries`:
    terms, definitions and ``avoid_<lang>`` variant lists); a problem stops the build with
    its one line ``<file>:<line>: <reason>``."""
    try:
        return load_entries(path, languages, name=name)
    except GlossaryError as exc:
        raise PluginError(str(exc)) from None


def sort_key(term: str) -> str:
    """Dictionary order: accents ignored, so "época" sorts among the e's."""
    decomposed = unicodedata.normalize("NFD", term.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _in(lang: str, text: str) -> str:
    """Text in another language than the page's, marked as such (for readers, screen readers
    and the style check, which holds it to that language's rules)."""
    return f'<span lang="{lang}">{html.escape(text)}</span>'


def glossary_table(entries: list[dict[str, str]], lang: str, other: str) -> str:
    head = HEADINGS[lang]
    rows = [f"| {' | '.join(head)} |", "|---|---|---|"]
    ordered = sorted(entries, key=lambda e: sort_key(e[lang]))
    rows += [f"| **{e[lang]}** | {_in(other, e[other])} | {e['def_' + lang]} |" for e in ordered]
    return "\n".join(rows)


TERMS_HEADINGS = {
    "es": ("Concepto (inglés)", "Término preferido", "En lugar de"),
    "en": ("Concept (English)", "Spanish term", "Not in Spanish prose"),
}


def _avoided_mark(text: str) -> str:
    """A variant shown as what not to write: marked so the style check does not count it."""
    return f'<span class="avoided">{html.escape(text)}</span>'


def terms_table(entries: list[dict], lang: str, default: str, other: str) -> str:
    """The preferred term of every concept whose glossary entry lists variants that the
    prose of ``default`` (Spanish) avoids, next to its name in ``other`` and the variants:
    the style guide's table, made from the glossary so it never drifts from the check."""
    head = TERMS_HEADINGS.get(lang, TERMS_HEADINGS["en"])
    rows = [f"| {' | '.join(head)} |", "|---|---|---|"]
    listed = [e for e in entries if avoided(e, default)]
    for entry in sorted(listed, key=lambda e: sort_key(e[other])):
        variants = " · ".join(
            _avoided_mark(variant) + ("" if preferred == entry[default] else f" → {preferred}")
            for variant, preferred in avoided(entry, default)
        )
        term = _in(default, entry[default])
        rows.append(f"| {_in(other, entry[other])} | **{term}** | {variants} |")
    return "\n".join(rows)


# Elements whose text never gets a tooltip: headings (and so the page title and the table
# of contents), code, math, links, existing abbreviations, and what is not prose.
SKIPPED_ELEMENTS = frozenset(
    {"h1", "h2", "h3", "h4", "h5", "h6", "code", "pre", "kbd", "a", "abbr", "script",
     "style", "svg", "button", "label", "textarea", "title", "figcaption", "summary"}
)  # fmt: skip
TAG = re.compile(r"<(/?)([a-zA-Z][\w-]*)([^>]*)>")
VOID_ELEMENTS = frozenset({"br", "hr", "img", "input", "meta", "link", "source", "wbr"})


class Tooltips:
    """Every glossary term of one language as one pattern, with the hint each one shows.

    (A plain class: MkDocs hooks are loaded from their file, where dataclasses may not be.)
    """

    def __init__(self, pattern: re.Pattern[str], hints: dict[str, str]) -> None:
        self.pattern = pattern
        self.hints = hints  # term -> "other-language term — definition"

    @classmethod
    def build(cls, entries: list[dict[str, str]], lang: str, other: str) -> Tooltips:
        hints = {}
        for entry in entries:
            term = entry[lang]
            if len(term) >= 4:  # shorter terms are mostly everyday words
                hints[term] = f"{entry[other]} — {entry['def_' + lang]}".replace("\n", " ")
        alternatives = "|".join(re.escape(term) for term in sorted(hints, key=len, reverse=True))
        return cls(re.compile(rf"(?<!\w)({alternatives})(?!\w)"), hints)

    def apply(self, page_html: str) -> str:
        """Wrap the first use of each term in prose in ``<abbr>``, in one pass over the HTML."""
        used: set[str] = set()
        skipping: list[str] = []  # open elements whose text is left alone
        parts: list[str] = []
        position = 0

        def mark(match: re.Match[str]) -> str:
            term = match.group(1)
            if term in used:
                return term
            used.add(term)
            return f'<abbr title="{html.escape(self.hints[term], quote=True)}">{term}</abbr>'

        for tag in TAG.finditer(page_html):
            text = page_html[position : tag.start()]
            parts.append(text if skipping or not text.strip() else self.pattern.sub(mark, text))
            parts.append(tag.group(0))
            position = tag.end()
            closing, name, attributes = tag.group(1), tag.group(2).lower(), tag.group(3)
            if name in VOID_ELEMENTS or attributes.rstrip().endswith("/"):
                continue
            if skipping:  # inside a skipped element: only its own nesting matters
                if name == skipping[0]:
                    skipping.pop() if closing else skipping.append(name)
            elif not closing and (name in SKIPPED_ELEMENTS or "arithmatex" in attributes):
                skipping.append(name)
        tail = page_html[position:]
        parts.append(tail if skipping else self.pattern.sub(mark, tail))
        return "".join(parts)


@functools.lru_cache(maxsize=8)
def _tooltips(path: str, mtime_ns: int, languages: Languages, lang: str, other: str) -> Tooltips:
    entries = _cached_glossary(path, mtime_ns, languages)
    return Tooltips.build(entries, lang, other)


@functools.lru_cache(maxsize=4)
def _cached_glossary(path: str, mtime_ns: int, languages: Languages) -> list[dict[str, str]]:
    """Parsed once per build (and again only when the file changes under ``mkdocs serve``)."""
    return load_glossary(Path(path), languages, name=GLOSSARY)


def _glossary(config) -> tuple[list[dict[str, str]], Languages] | None:
    languages = from_mkdocs_config(config)
    path = Path(config.config_file_path).resolve().parent / GLOSSARY
    if not path.exists():
        return None
    return _cached_glossary(str(path), path.stat().st_mtime_ns, languages), languages


@event_priority(100)  # before the lessons run: a broken glossary fails at once
def on_pre_build(*, config) -> None:
    """Read the glossary before any page, so that a broken one stops the build with its own
    error line (raised while rendering a page, MkDocs would add one about that page)."""
    _glossary(config)


def on_page_markdown(markdown: str, *, page, config, files) -> str:
    found = _glossary(config)
    if found is None:
        return markdown
    entries, languages = found
    lang = getattr(page.file, "locale", None) or languages.default
    # The other language shown next to each term: the default one, or the first other.
    other = languages.others[0] if lang == languages.default else languages.default
    if MARKER in markdown:
        page.meta["glossary_tooltips"] = False  # the glossary itself: no tooltips on it
        return markdown.replace(MARKER, glossary_table(entries, lang, other))
    if TERMS_MARKER in markdown:
        page.meta["glossary_tooltips"] = False  # a page about the terms: no tooltips on it
        table = terms_table(entries, lang, languages.default, languages.others[0])
        return markdown.replace(TERMS_MARKER, table)
    return markdown


def on_page_content(content: str, *, page, config, files) -> str:
    """Tooltips on the first use of each term, in the rendered HTML of the page."""
    if not page.meta.get("glossary_tooltips", True):
        return content
    languages = from_mkdocs_config(config)
    path = Path(config.config_file_path).resolve().parent / GLOSSARY
    if not path.exists():
        return content
    lang = getattr(page.file, "locale", None) or languages.default
    other = languages.others[0] if lang == languages.default else languages.default
    return _tooltips(str(path), path.stat().st_mtime_ns, languages, lang, other).apply(content)
