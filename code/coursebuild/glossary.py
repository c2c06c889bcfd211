"""Reading the glossary (``docs/_data/glossary.yml``): the terms per language, their
definitions and the variants each language avoids.

Shared by the glossary hook (table and tooltips) and the style check, so both read and
validate the file the same way. Every problem is one line ``<file>:<line>: <reason>``.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from coursebuild.languages import Languages


class GlossaryError(ValueError):
    """A glossary file the course cannot use; the message is ``<file>:<line>: <reason>``."""


def _invalid(name: str, line: int | None, reason: str) -> GlossaryError:
    where = f"{name}:{line}" if line is not None else name
    return GlossaryError(f"{where}: {' '.join(reason.split())}")


def avoid_problem(value: object) -> str | None:
    """Why an ``avoid_<lang>`` value is unusable, or None. It is a list whose items are
    words or phrases (a trailing ``*`` on a word takes any ending), or one-key mappings
    ``{variant: preferred}`` when the fix is not the entry's own term."""
    if not isinstance(value, list):
        return f"must be a list of words or phrases, not {type(value).__name__}"
    for item in value:
        if isinstance(item, dict):
            texts = [x for pair in item.items() for x in pair]
            if len(item) != 1 or not all(isinstance(x, str) and x.strip() for x in texts):
                return f"a mapping item must be one variant with its preferred form, not {item!r}"
        elif not isinstance(item, str) or not item.strip("* \t"):
            return f"items must be non-empty words or phrases, not {item!r}"
    return None


def load_entries(path: Path, languages: Languages, name: str | None = None) -> list[dict]:
    """The glossary entries; a file that is not valid YAML, an entry lacking a term or a
    definition in a language, or an ``avoid_<lang>`` field that is not a list of variants
    fails with :class:`GlossaryError` (``name`` is how the file is shown, by default its
    path)."""
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
    entry_nodes = list(getattr(nodes, "value", []))
    for number, entry in enumerate(entries, start=1):
        node = entry_nodes[number - 1] if number <= len(entry_nodes) else None
        line = node.start_mark.line + 1 if node is not None else None
        if not isinstance(entry, dict):
            raise _invalid(shown, line, f"entry {number} is not a mapping of {languages.codes}")
        term = next((str(entry[lang]) for lang in languages if entry.get(lang)), "no term")
        missing = [key for lang in languages for key in (lang, f"def_{lang}") if not entry.get(key)]
        if missing:
            raise _invalid(shown, line, f"entry {number} ({term!r}) lacks {', '.join(missing)}")
        key_lines = {key.value: key.start_mark.line + 1 for key, _ in getattr(node, "value", [])}
        for key, value in entry.items():
            if str(key).startswith("avoid_"):
                if key[len("avoid_") :] not in languages:
                    reason = f"entry {number} ({term!r}): {key} names no language of the site"
                    raise _invalid(shown, key_lines.get(key, line), reason)
                problem = avoid_problem(value)
                if problem:
                    reason = f"entry {number} ({term!r}): {key} {problem}"
                    raise _invalid(shown, key_lines.get(key, line), reason)
    return entries


def avoided(entry: dict, lang: str) -> list[tuple[str, str]]:
    """The (variant, preferred) pairs of a validated entry in ``lang``: a plain variant is
    to be replaced by the entry's own term."""
    pairs = []
    for item in entry.get(f"avoid_{lang}") or []:
        if isinstance(item, dict):
            ((variant, preferred),) = item.items()
            pairs.append((str(variant), str(preferred)))
        else:
            pairs.append((str(item), str(entry[lang])))
    return pairs
