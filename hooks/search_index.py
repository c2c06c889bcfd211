"""MkDocs hook: one search index per language, and no head alternates that 404.

static-i18n merges every language into one index at the site root, and Material loads it
from ``__config.base``. Pages of a non-default language get a base at their language root
instead (``en/``), where :func:`on_post_build` writes an index of that language alone.
Material also fetches ``sitemap.xml`` next to every ``<link rel="alternate">`` to keep the
reader on the same page when switching; static-i18n's per-page links already do that, so
the head links would only cause 404s. A site customisation, not part of the pipeline.
"""

from __future__ import annotations

import json
import posixpath
import re
from pathlib import Path

from coursebuild.languages import from_mkdocs_config
from mkdocs.plugins import event_priority

HEAD_ALTERNATE = re.compile(r'<link rel="alternate" href="[^"]*" hreflang="[a-z]{2}">\n?')
CONFIG_BASE = re.compile(r'("base": ")([^"]*)(")')


def on_post_page(output: str, *, page, config) -> str:
    output = HEAD_ALTERNATE.sub("", output)
    languages = from_mkdocs_config(config)
    lang = getattr(page.file, "locale", None) or languages.default
    if lang == languages.default:
        return output
    directory = page.url if page.url.endswith("/") else posixpath.dirname(page.url) + "/"
    language_root = posixpath.relpath(lang, directory.rstrip("/") or ".")
    return CONFIG_BASE.sub(lambda m: f"{m.group(1)}{language_root}{m.group(3)}", output, count=1)


@event_priority(-200)  # after static-i18n has built every language and merged the index
def on_post_build(*, config) -> None:
    i18n = config.plugins.get("i18n")
    if i18n is None or getattr(i18n, "building", False):
        return  # a nested per-language build: the merged index does not exist yet
    site = Path(config.site_dir)
    index_path = site / "search" / "search_index.json"
    if not index_path.exists():
        return
    languages = from_mkdocs_config(config)
    merged = json.loads(index_path.read_text(encoding="utf-8"))
    others = [lang for lang in languages.others if (site / lang).is_dir()]
    other_prefixes = tuple(f"{o}/" for o in others)
    for lang in [languages.default, *others]:
        prefix = "" if lang == languages.default else f"{lang}/"
        docs = [
            {**doc, "location": doc["location"][len(prefix) :]}
            for doc in merged["docs"]
            if (
                doc["location"].startswith(prefix)
                if prefix
                else not doc["location"].startswith(other_prefixes)
            )
        ]
        target = site / prefix / "search" / "search_index.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        payload = {**merged, "config": {**merged["config"], "lang": [lang]}, "docs": docs}
        target.write_text(
            json.dumps(payload, ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
        )
