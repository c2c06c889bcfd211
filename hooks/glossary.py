"""MkDocs hook: the glossary table and the term tooltips, from ``docs/_data/glossary.yml``.

The glossary page holds a ``<!-- glossary-table -->`` marker, replaced by the table in
the page's language. Every other page gets the glossary terms as abbreviation
definitions, so a term shows its translation and definition on hover; a page where a
term is used in its everyday sense turns them off with ``glossary_tooltips: false`` in
its front matter. A site customisation, not part of the lesson pipeline.
"""

from __future__ import annotations

import functools
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


def tooltips(entries: list[dict[str, str]], lang: str, other: str) -> str:
    """Abbreviation definitions: each glossary term shows its definition on hover."""
    lines = []
    for entry in entries:
        term = entry[lang]
        if len(term) < 4 or "*" in term or "]" in term:
            continue
        hint = f"{entry[other]} — {entry['def_' + lang]}".replace("\n", " ")
        lines.append(f"*[{term}]: {hint}")
    return "\n".join(lines)


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
        return markdown.replace(MARKER, glossary_table(entries, lang, other))
    if page.meta.get("glossary_tooltips", True):
        return markdown + "\n\n" + tooltips(entries, lang, other)
    return markdown
