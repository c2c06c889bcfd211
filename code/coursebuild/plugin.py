"""MkDocs plugin ``course-lessons``: a thin adapter between MkDocs and :class:`Pipeline`.

A lesson page in ``docs/`` is a short file whose front matter names the lesson
(``lesson: single-neuron``); this plugin replaces its content with the lesson rendered in
the page's language. Lessons run before the pages are rendered, once for all languages,
and only when their cache entry is stale (see :mod:`coursebuild.cache`). The languages are
those of the ``i18n`` plugin.

Under ``mkdocs build`` a failing lesson stops the build with the lesson's file, line, cell
and error. Under ``mkdocs serve`` the page shows that error instead and the server keeps
going. Site-only customisations (glossary, per-language search index, benchmark table)
are MkDocs hooks in ``hooks/``, not part of this plugin.
"""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.config import config_options as opt
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin

from coursebuild.languages import from_mkdocs_config
from coursebuild.lesson import LessonFormatError
from coursebuild.pipeline import Pipeline

log = logging.getLogger("mkdocs.plugins.course-lessons")

CATALOGUE_MARKER = "<!-- lesson-catalogue -->"


class LessonsPluginConfig(Config):
    lessons_dir = opt.Type(str, default="lessons")
    jobs = opt.Type(int, default=0)  # parallel lesson processes; 0 = one per core


class LessonsPlugin(BasePlugin[LessonsPluginConfig]):
    """Runs the lessons and puts their outputs on the lesson pages of every language."""

    def __init__(self) -> None:
        self.serving = False
        self.pipeline: Pipeline | None = None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.serving = command == "serve"

    def on_config(self, config):
        root = Path(config.config_file_path).resolve().parent
        languages = from_mkdocs_config(config)
        if self.pipeline is None:  # kept across serve rebuilds and language builds
            self.pipeline = Pipeline(
                root / self.config.lessons_dir,
                languages,
                jobs=self.config.jobs or None,
                progress=log.info,
            )
        return config

    def _pipeline(self) -> Pipeline:
        assert self.pipeline is not None, "on_config runs before any other event"
        return self.pipeline

    def on_pre_build(self, *, config) -> None:
        pipeline = self._pipeline()
        try:
            pipeline.discover()
        except LessonFormatError as exc:
            raise PluginError(f"lesson format error: {exc}") from exc
        fresh = pipeline.execute()
        pipeline.report(fresh)
        failures = pipeline.failures()
        if failures and not self.serving:
            summary = "; ".join(str(f) for f in failures)
            raise PluginError(f"{len(failures)} lesson(s) failed, nothing published: {summary}")

    def on_files(self, files, *, config):
        pipeline = self._pipeline()
        pages = {f.src_uri for f in files}
        names = pipeline.lessons or {p.stem: None for p in pipeline.lessons_dir.glob("*.py")}
        for lesson_id in names:
            for lang in pipeline.languages:
                suffix = ".md" if lang == pipeline.languages.default else f".{lang}.md"
                mount = f"lessons/{lesson_id}{suffix}"
                if mount not in pages:
                    raise PluginError(f"lesson lessons/{lesson_id}.py has no page docs/{mount}")
        return files

    def _language(self, page) -> str:
        return getattr(page.file, "locale", None) or self._pipeline().languages.default

    def on_page_markdown(self, markdown: str, *, page, config, files) -> str:
        pipeline = self._pipeline()
        lang = self._language(page)
        lesson_id = page.meta.get("lesson")
        if lesson_id:
            if lesson_id not in pipeline.runs:
                raise PluginError(
                    f"{page.file.src_uri}: no lesson named '{lesson_id}' in "
                    f"{self.config.lessons_dir}/"
                )
            markdown = pipeline.page_markdown(lesson_id, lang)
        if CATALOGUE_MARKER in markdown:
            markdown = markdown.replace(CATALOGUE_MARKER, pipeline.catalogue(lang))
        return markdown

    def on_post_page(self, output: str, *, page, config) -> str:
        lesson_id = page.meta.get("lesson")
        if lesson_id:
            folder = Path(page.file.abs_dest_path).parent
            folder.mkdir(parents=True, exist_ok=True)
            for name, content in (
                self._pipeline().page_assets(lesson_id, self._language(page)).items()
            ):
                (folder / name).write_bytes(content)
        return output
