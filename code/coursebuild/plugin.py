"""MkDocs plugin ``course-lessons``: a thin adapter between MkDocs and :class:`Pipeline`.

A lesson page in ``docs/`` is a short file whose front matter names the lesson
(``lesson: single-neuron``); this plugin replaces its content with the lesson rendered in
the page's language. Lessons run before the pages are rendered, once for all languages,
and only when their cache entry is stale (see :mod:`coursebuild.cache`). The languages are
those of the ``i18n`` plugin.

Under ``mkdocs build`` a failing lesson stops the build with the lesson's file, line, cell
and error. Under ``mkdocs serve`` the page shows that error instead (a lesson file that does
not parse too) and the server keeps going; there rebuilds are partial and stale lessons run
in the background (:mod:`coursebuild.serve`). Site-only customizations (glossary,
per-language search index, benchmark table) are MkDocs hooks in ``hooks/``, not part of this
plugin.

A build never changes the project. A lesson that writes into it fails (the executor sees
its writes, see :mod:`coursebuild.recording`); as a safety net for everything else (a hook,
a shell command), ``mkdocs build`` also compares a snapshot of the project's files taken
before the lessons ran with one taken at the end (:mod:`coursebuild.guard`) and fails
naming any file that appeared, changed or vanished. Under ``mkdocs serve`` edits during a
rebuild are the author's, so there it is only a warning.
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

from mkdocs.config import config_options as opt
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.utils import meta as front_matter

from coursebuild.cache import default_cache_dir
from coursebuild.glue import QuoteError
from coursebuild.guard import FileState, ProjectGuard, listing
from coursebuild.languages import from_mkdocs_config
from coursebuild.lesson import LessonFormatError
from coursebuild.pipeline import Pipeline
from coursebuild.rendered import RenderedCache
from coursebuild.serve import BackgroundRuns, ServeSession
from coursebuild.standalone import Downloads

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
        self.root = Path.cwd()
        # The project guard of the build in progress. The i18n plugin builds the other
        # languages inside the default one's post_build, so a build is the outermost one.
        self._depth = 0
        self._guard: ProjectGuard | None = None
        self._before: dict[str, FileState] = {}
        self.session: ServeSession | None = None  # under mkdocs serve
        self.rendered = RenderedCache(default_cache_dir() / "rendered")

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.serving = command == "serve"
        self.session = ServeSession() if self.serving else None

    def on_serve(self, server, *, config, builder):
        """From now on rebuilds go through the session: partial ones where they can be,
        stale lessons in the background (the first build, before this, ran them)."""
        assert self.session is not None
        docs = Path(config.docs_dir).resolve()
        lessons = (self.root / self.config.lessons_dir).resolve()

        def page_source(shown: str) -> bool:
            path = (self.root / shown).resolve()
            if path.suffix == ".md":
                return path.is_relative_to(docs)
            return path.suffix == ".py" and path.parent == lessons

        guard = ProjectGuard(
            self.root, skip=[Path(config.site_dir), default_cache_dir()], extra_roots=[docs]
        )
        self.session.attach(server, builder, guard, page_source)
        # A lesson file, or the course package it imports, is a source of the site too.
        for folder in (lessons, self._pipeline().source_root() / "dlcourse"):
            if folder.is_dir() and folder.is_relative_to(self.root):
                server.watch(str(folder))
        self.session.background = BackgroundRuns(self._pipeline().run_now, self.session.wake)
        server.builder = self.session.rebuild
        return server

    def on_shutdown(self) -> None:
        if self.session is not None:
            self.session.close()

    def on_config(self, config):
        root = Path(config.config_file_path).resolve().parent
        self.root = root
        languages = from_mkdocs_config(config)
        if self.pipeline is None:  # kept across serve rebuilds and language builds
            self.pipeline = Pipeline(
                root / self.config.lessons_dir,
                languages,
                jobs=self.config.jobs or None,
                progress=log.info,
                error=log.error,
            )
        # The site's addresses for the downloads (serve rewrites site_url on each rebuild).
        self.pipeline.downloads = Downloads.from_mkdocs(config, root / self.config.lessons_dir)
        return config

    def _pipeline(self) -> Pipeline:
        assert self.pipeline is not None, "on_config runs before any other event"
        return self.pipeline

    def on_pre_build(self, *, config) -> None:
        self._depth += 1
        if self._depth == 1:  # the outermost build: take the project's snapshot
            self._guard = ProjectGuard(
                self.root,
                skip=[Path(config.site_dir), default_cache_dir()],
                extra_roots=[Path(config.docs_dir)],
            )
            self._before = self._guard.snapshot()
            if self.session is not None:
                self.session.begin(self._before)
        pipeline = self._pipeline()
        try:
            pipeline.discover(tolerant=self.serving)
        except LessonFormatError as exc:
            raise PluginError(f"lesson format error: {exc}") from None
        background = self.session.background if self.session else None
        if background is not None and self._depth == 1:
            pipeline.adopt(background.take())
        fresh = pipeline.execute(  # depth > 1: i18n's other language, same runs
            same_build=self._depth > 1, defer=background.submit if background else None
        )
        pipeline.report(fresh)
        if self.serving:
            for lesson_id, error in pipeline.format_errors.items():
                log.error(f"lesson format error ({lesson_id}): {error}")
        failures = pipeline.failures()
        if failures and not self.serving:
            summary = "; ".join(str(f) for f in failures)
            raise PluginError(f"{len(failures)} lesson(s) failed, nothing published: {summary}")
        self._check_project("while the lessons ran")

    def _check_project(self, when: str) -> None:
        """Fail the build (warn under serve) if a file of the project changed since it began."""
        if self._guard is None:
            return
        changes = self._guard.changes(self._before, self._guard.snapshot())
        if not changes:
            return
        message = (
            f"files of the project changed {when}: {listing(changes)}. A build writes only "
            "to the site and the cache; if you did not edit these files, a lesson or a hook did"
        )
        if self.serving:
            log.warning(message)
            self._before = self._guard.snapshot()
            return
        raise PluginError(f"{message}; nothing published")

    def _on_post_build_check(self, *, config) -> None:
        """After this language's pages were written (before i18n builds the next one)."""
        self._check_project("while the pages were built")

    @event_priority(-200)  # after the i18n plugin's, which builds the other languages
    def _on_post_build_end(self, *, config) -> None:
        try:
            self._check_project("while the pages were built")
        finally:
            self._depth -= 1
            if self._depth <= 0:
                self._end_build()
                if self.session is not None:
                    self.session.end()

    @event_priority(-300)  # after the search hook wrote one index per language
    def _on_post_build_search(self, *, config) -> None:
        if self.session is None or self._depth > 0:
            return
        site = Path(config.site_dir)
        languages = self._pipeline().languages
        self.session.search_indexes(
            [site / "search" / "search_index.json"]
            + [site / lang / "search" / "search_index.json" for lang in languages.others]
        )

    on_post_build = CombinedEvent(_on_post_build_check, _on_post_build_end, _on_post_build_search)

    def on_build_error(self, *, error: Exception) -> None:
        self._end_build()
        if self.session is not None:
            self.session.failed()

    def _end_build(self) -> None:
        if self._guard is not None:  # the outermost build ended
            log.info(f"reused from earlier builds: {self.rendered.count()}")
            self.rendered.prune()
        self._depth = 0
        self._guard = None
        self._before = {}

    def on_files(self, files, *, config):
        pipeline = self._pipeline()
        pages = {f.src_uri for f in files}
        names = pipeline.page_ids() or [p.stem for p in pipeline.lessons_dir.glob("*.py")]
        for lesson_id in names:
            for lang in pipeline.languages:
                suffix = ".md" if lang == pipeline.languages.default else f".{lang}.md"
                mount = f"lessons/{lesson_id}{suffix}"
                if mount not in pages:
                    raise PluginError(f"lesson lessons/{lesson_id}.py has no page docs/{mount}")
        return files

    def _language(self, page) -> str:
        return getattr(page.file, "locale", None) or self._pipeline().languages.default

    @event_priority(-200)  # after static-i18n has set each page's language and titles
    def on_nav(self, nav, *, config, files):
        """Before the pages are rendered: reuse what earlier builds rendered, and under
        ``mkdocs serve`` note what each page is built from, so that a partial rebuild writes
        only the pages whose input changed, the others keeping their titles."""
        # API blocks and search entries whose inputs are unchanged are not rendered again
        # (installed here: MkDocs renders the pages' Markdown between on_nav and on_env).
        self.rendered.install(config, files, self._pipeline().distributions())
        session = self.session
        if session is None:
            return nav
        for file in files.documentation_pages():
            lang = getattr(file, "locale", None) or self._pipeline().languages.default
            digest = self._input_digest(file.content_string, lang, file.src_uri)
            file.course_input = digest
            if not session.partial:
                continue
            modified = session.modified(lang, file.src_uri, digest)
            file.is_modified = lambda modified=modified: modified
            title = session.title(lang, file.src_uri)
            if not modified and file.page is not None and title is not None:
                file.page.title = title
        return nav

    def on_env(self, env, *, config, files):
        if self.session is not None:
            env.bytecode_cache = self.session.templates
        partial = self.session is not None and self.session.partial
        self.rendered.pages_rendered(complete=not partial)
        return env

    def _input_digest(self, source: str, lang: str, src_uri: str) -> str:
        """What a page is made from: its file and the Markdown this plugin hands MkDocs
        for it (a quote that does not resolve counts by its error)."""
        markdown, meta = front_matter.get_data(source)
        lesson_id = meta.get("lesson")
        if lesson_id not in self._pipeline().page_ids():
            lesson_id = None
        try:
            made = self._made(markdown, lesson_id, lang, src_uri)
        except QuoteError as exc:
            made = str(exc)
        return hashlib.sha256(f"{source}\0{made}".encode()).hexdigest()

    def _made(
        self, markdown: str, lesson_id: str | None, lang: str, src_uri: str, first_line: int = 1
    ) -> str:
        """A page's Markdown as MkDocs gets it: its lesson rendered, or its own text with
        its quotes of lesson results filled in (raises :class:`QuoteError`), and the
        lesson catalogue where the marker stands."""
        pipeline = self._pipeline()
        if lesson_id:
            markdown = pipeline.page_markdown(lesson_id, lang)
        else:  # a page outside the lessons may quote their results
            markdown = pipeline.quotes(markdown, lang, f"docs/{src_uri}", first_line=first_line)
        if CATALOGUE_MARKER in markdown:
            markdown = markdown.replace(CATALOGUE_MARKER, pipeline.catalogue(lang))
        return markdown

    def on_page_markdown(self, markdown: str, *, page, config, files) -> str:
        lesson_id = page.meta.get("lesson")
        if lesson_id and lesson_id not in self._pipeline().page_ids():
            raise PluginError(
                f"{page.file.src_uri}: no lesson named '{lesson_id}' in {self.config.lessons_dir}/"
            )
        first_line = 1 if lesson_id else _first_body_line(page.file.content_string, markdown)
        try:
            return self._made(
                markdown, lesson_id, self._language(page), page.file.src_uri, first_line
            )
        except QuoteError as exc:
            raise PluginError(str(exc)) from None

    def on_post_page(self, output: str, *, page, config) -> str:
        if self.session is not None:
            digest = getattr(page.file, "course_input", "")
            self.session.wrote(self._language(page), page.file.src_uri, digest, page.title)
        lesson_id = page.meta.get("lesson")
        if lesson_id:
            folder = Path(page.file.abs_dest_path).parent
            folder.mkdir(parents=True, exist_ok=True)
            for name, content in (
                self._pipeline().page_assets(lesson_id, self._language(page)).items()
            ):
                (folder / name).write_bytes(content)
        return output


def _first_body_line(source: str, markdown: str) -> int:
    """The line of the page's file where its Markdown starts, after the front matter (so
    that a quote's error names the line an author sees)."""
    start = source.find(markdown) if markdown else -1
    return (source.count("\n", 0, start) if start > 0 else 0) + 1
