"""MkDocs hook: the API pages' labels (Parameters, Returns, Source code in...) in the
language of the build.

mkdocstrings takes its locale from the theme's language when its own ``on_config`` runs,
but static-i18n sets the theme's language for each language's build in its ``on_config``,
which runs later; every language would get the default language's labels. This hook names
the language being built to mkdocstrings first. The Spanish labels themselves are in
``overrides/mkdocstrings/python/material/languages/es.html.jinja``. A site customisation.
"""

from __future__ import annotations

from coursebuild.languages import from_mkdocs_config
from mkdocs.plugins import event_priority


@event_priority(50)  # before mkdocstrings' on_config (0) reads the locale
def on_config(config):
    i18n = config.plugins.get("i18n")
    mkdocstrings = config.plugins.get("mkdocstrings")
    if mkdocstrings is None:
        return config
    # static-i18n sets the language it is about to build before each build's on_config.
    language = getattr(i18n, "current_language", None) or from_mkdocs_config(config).default
    mkdocstrings.config.locale = language
    return config
