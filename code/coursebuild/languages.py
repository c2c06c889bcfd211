"""The site's languages, read from one place: the ``i18n`` plugin section of ``mkdocs.yml``.

Lesson files, the runner, the renderer and the site hooks all ask this module which
languages exist and which one is the default, so adding a language is a change to
``mkdocs.yml`` (plus the texts in that language), never to the code.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml


class LanguageConfigError(ValueError):
    """``mkdocs.yml`` has no usable i18n language list; the message names the file."""


@dataclass(frozen=True)
class Languages:
    """The locales the site is built in, the default one first."""

    codes: tuple[str, ...]  # e.g. ("es", "en"); codes[0] is the default language

    @property
    def default(self) -> str:
        return self.codes[0]

    @property
    def others(self) -> tuple[str, ...]:
        """Languages published under their own prefix (``/en/``)."""
        return self.codes[1:]

    def __iter__(self):
        return iter(self.codes)

    def __contains__(self, code: object) -> bool:
        return code in self.codes


def _from_entries(entries: list[Any], source: str) -> Languages:
    """Languages from i18n ``languages`` entries (dicts or the plugin's config objects)."""

    def field(entry: Any, name: str) -> Any:
        return entry.get(name) if isinstance(entry, dict) else getattr(entry, name, None)

    codes = [str(field(e, "locale")) for e in entries if field(e, "build") is not False]
    defaults = [str(field(e, "locale")) for e in entries if field(e, "default")]
    if not codes or len(defaults) != 1:
        raise LanguageConfigError(
            f"{source}: the i18n plugin must list its languages with exactly one default"
        )
    return Languages((defaults[0], *[c for c in codes if c != defaults[0]]))


def from_mkdocs_config(config: Any) -> Languages:
    """Languages of a loaded MkDocs config (inside the plugin or a hook)."""
    i18n = config.plugins.get("i18n")
    if i18n is None:
        raise LanguageConfigError(f"{config.config_file_path}: the i18n plugin is not enabled")
    return _from_entries(list(i18n.config.languages), str(config.config_file_path))


class _TolerantLoader(yaml.SafeLoader):
    """Reads mkdocs.yml without MkDocs: ``!ENV`` and ``!!python/name`` tags become None."""


_TolerantLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def from_mkdocs_yml(path: Path) -> Languages:
    """Languages of the ``mkdocs.yml`` at ``path`` (for the standalone pipeline and tests)."""
    config = yaml.load(path.read_text(encoding="utf-8"), Loader=_TolerantLoader) or {}
    for plugin in config.get("plugins") or []:
        if isinstance(plugin, dict) and "i18n" in plugin:
            return _from_entries((plugin["i18n"] or {}).get("languages") or [], str(path))
    raise LanguageConfigError(f"{path}: the i18n plugin is not enabled")
