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

GLOSSARY = "docs/_data/glossary.yml"
MARKER = "<!-- glossary-table -->"
HEADINGS = {
    "es": ("Español", "English", "Definición"),
    "en": ("English", "Español", "Definition"),
}


def load_glossary(path: Path, languages: Languages) -> list[dict[str, str]]:
    """The glossary entries; an entry lacking a term or a definition in a language fails."""
    entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    for number, entry in enumerate(entries, start=1):
        missing = [key for lang in languages for key in (lang, f"def_{lang}") if not entry.get(key)]
        if missing:
            raise PluginError(f"{path}: entry {number} ({entry}) lacks {', '.join(missing)}")
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
    return load_glossary(Path(path), languages)


def on_page_markdown(markdown: str, *, page, config, files) -> str:
    languages = from_mkdocs_config(config)
    path = Path(config.config_file_path).resolve().parent / GLOSSARY
    if not path.exists():
        return markdown
    entries = _cached_glossary(str(path), path.stat().st_mtime_ns, languages)
    lang = getattr(page.file, "locale", None) or languages.default
    # The other language shown next to each term: the default one, or the first other.
    other = languages.others[0] if lang == languages.default else languages.default
    if MARKER in markdown:
        return markdown.replace(MARKER, glossary_table(entries, lang, other))
    if page.meta.get("glossary_tooltips", True):
        return markdown + "\n\n" + tooltips(entries, lang, other)
    return markdown
