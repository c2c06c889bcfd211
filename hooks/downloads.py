"""MkDocs hook: publish the learners' wheel with the site and say how to install it.

Every lesson's downloads install the course package from ``downloads/<wheel>`` of the site
(see :mod:`coursebuild.standalone`); this hook writes that wheel once per build, after every
language is built, and replaces the ``<!-- install-course -->`` marker of a page with the
install commands in the page's language: the published wheel and, where ``mkdocs.yml`` names
the repository, the learners' project straight from git. A site customisation: the addresses
come from the ``course-lessons`` plugin, which uses the same ones in the downloads.
"""

from __future__ import annotations

from pathlib import Path

from coursebuild.languages import from_mkdocs_config
from coursebuild.standalone import Downloads
from coursebuild.wheel import write_wheel
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

MARKER = "<!-- install-course -->"
TEXT = {
    "es": {
        "wheel": "Desde el sitio publicado (el paquete del curso con sus dependencias fijadas):",
        "git": "O directamente desde el repositorio:",
    },
    "en": {
        "wheel": "From the published site (the course package with its pinned dependencies):",
        "git": "Or straight from the repository:",
    },
}


def _downloads(config) -> Downloads:
    plugin = config.plugins.get("course-lessons")
    downloads = getattr(getattr(plugin, "pipeline", None), "downloads", None)
    if downloads is None:
        raise PluginError("hooks/downloads.py needs the course-lessons plugin")
    return downloads


def install_commands(downloads: Downloads, lang: str) -> str:
    """The install commands as Markdown for the page of ``lang``."""
    t = TEXT[lang]
    parts = [t["wheel"], "", "```bash", downloads.install_command(), "```"]
    if downloads.git_url:
        parts += ["", t["git"], "", "```bash", f'pip install "{downloads.git_url}"', "```"]
    return "\n".join(parts)


def on_page_markdown(markdown: str, *, page, config, files) -> str:
    if MARKER not in markdown:
        return markdown
    lang = getattr(page.file, "locale", None) or from_mkdocs_config(config).default
    if lang not in TEXT:
        raise PluginError(f"hooks/downloads.py has no texts in '{lang}'")
    return markdown.replace(MARKER, install_commands(_downloads(config), lang))


@event_priority(-200)  # after static-i18n has built every language into the site
def on_post_build(*, config) -> None:
    i18n = config.plugins.get("i18n")
    if i18n is not None and getattr(i18n, "building", False):
        return  # a nested per-language build: the site root is written by the outer one
    downloads = _downloads(config)
    write_wheel(downloads.project, Path(config.site_dir) / downloads.downloads_dir)
