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

import yaml
from coursebuild.languages import Languages, from_mkdocs_config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

GLOSSARY = "docs/_data/glossary.yml"
MARKER = "<!-- glossary-table -->"
HEADINGS = {
    "es": ("Español", "English", "Definición"),
    "en": ("English", "Español", "Definition"),
}


def _invalid(name: str, line: int | None, reason: str) -> PluginError:
    where = f"{name}:{line}" if line is not None else name
    return PluginError(f"{where}: {' '.join(reason.split())}")


def load_glossary(
    path: Path, languages: Languages, name: str | None = None
) -> list[dict[str, str]]:
    """The glossary entries; a file that is not valid YAML, or an entry lacking a term or a
    definition in a language, fails with one line ``<file>:<line>: <reason>`` (``name`` is
    how the file is shown, by default its path)."""
    shown = name or str(path)
    text = path.read_text(encoding="utf-8")
    loader = yaml.SafeLoader(text)  # parsed once: the values, and the node of each entry
    try:
        nodes = loader.get_single_node()
        entries = (loader.construct_document(nodes) if nodes is not None else None) or []
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        raise _invalid(shown, line, f"not valid YAML: {exc.problem or exc.context}") from None
    except yaml.YAMLError as exc:
        raise _invalid(shown, None, f"not valid YAML: {exc}") from None
    finally:
        loader.dispose()
    if not isinstance(entries, list):
        raise _invalid(shown, 1, "the glossary must be a list of entries")
    lines = [node.start_mark.line + 1 for node in getattr(nodes, "value", [])]
    for number, entry in enumerate(entries, start=1):
        line = lines[number - 1] if number <= len(lines) else None
        if not isinstance(entry, dict):
            raise _invalid(shown, line, f"entry {number} is not a mapping of {languages.codes}")
        term = next((str(entry[lang]) for lang in languages if entry.get(lang)), "no term")
        missing = [key for lang in languages for key in (lang, f"def_{lang}") if not entry.get(key)]
        if missing:
            raise _invalid(shown, line, f"entry {number} ({term!r}) lacks {', '.join(missing)}")
    return entries


def sort_key(term: str) -> str:
    """Dictionary order: accents ignored, so "época" sorts among the e's."""
    decomposed = unicodedata.normalize("NFD", term.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def glossary_table(entries: list[dict[str, str]], lang: str, other: str) -> str:
    head = HEADINGS[lang]
    rows = [f"| {' | '.join(head)} |", "|---|---|---|"]
    ordered = sorted(entries, key=lambda e: sort_key(e[lang]))
    rows += [f"| **{e[lang]}** | {e[other]} | {e['def_' + lang]} |" for e in ordered]
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
