"""The lesson pipeline without MkDocs: discover, execute (through the cache), check, render.

:class:`Pipeline` is what both front ends drive. The MkDocs plugin
(:mod:`coursebuild.plugin`) asks it for each lesson page's Markdown; the command line
(``python -m coursebuild``) runs one lesson or all of them and writes the rendered pages
and their figures into a folder outside ``docs/``, so a lesson can be checked without
building the site (and the site generator could be replaced without touching lessons).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import jupytext

from coursebuild import lesson as lesson_module
from coursebuild.cache import (
    BENCHMARK_RECORD,
    ExecutionCache,
    FileDigests,
    InstalledDistributions,
    default_cache_dir,
    device_kind,
    file_digest,
    package_root,
    source_root,
    write_atomically,
)
from coursebuild.executor import LessonFailure, LessonRun, run_lessons, threads_per_lesson
from coursebuild.glue import QuotedRun, check_references, fill_quotes
from coursebuild.languages import Languages
from coursebuild.lesson import (
    Lesson,
    LessonFormatError,
    lesson_files,
    lesson_from_record,
    lesson_record,
    load_lesson,
    structure_mismatches,
)
from coursebuild.render import (
    page_assets,
    render_error,
    render_failure,
    render_lesson,
    render_running,
    seconds,
    untrusted,
)
from coursebuild.standalone import Downloads
from coursebuild.taught_code import TaughtCodeError, excerpt, targets

log = logging.getLogger("coursebuild")

# Kept in the cache folder between processes: the digests of input files by file status
# (:class:`FileDigests`), and parsed lessons under parsed/, by the file's content and the
# parser's own code (coursebuild/lesson.py, jupytext's version).
DIGESTS = "digests.json"

CATALOGUE_TEXT = {
    "es": ("Lección", "De qué trata", "Presupuesto (CPU)", "Última ejecución"),
    "en": ("Lesson", "What it covers", "Budget (CPU)", "Last run"),
}


def jobs_from_environment() -> int | None:
    """DLCOURSE_JOBS overrides the number of parallel lesson processes."""
    value = os.environ.get("DLCOURSE_JOBS")
    return int(value) if value else None


def _missing_taught_code(lesson: Lesson, root: Path) -> LessonFailure | None:
    """The first ``{{ source: ... }}`` line of the lesson that names nothing, with its line."""
    for cell in lesson.cells:
        if cell.kind != "markdown":
            continue
        for offset, text in enumerate(cell.source.splitlines(), start=1):
            for target in targets(text):
                try:
                    excerpt(target, root)
                except TaughtCodeError as exc:
                    return LessonFailure(lesson, str(exc), line=cell.line + offset)
    return None


def _unresolved_references(run: LessonRun, languages: Languages) -> LessonFailure | None:
    """A ``{{ value: ... }}`` or ``{{ claim: ... }}`` the run does not back (see glue)."""
    assert run.notebook is not None
    execution = run.notebook.metadata["execution"]
    problem = check_references(
        run.lesson,
        execution.get("values", {}),
        execution.get("claims", {}),
        languages,
    )
    if problem is None:
        return None
    message, line = problem
    return LessonFailure(run.lesson, message, line=line, retry=False)


@dataclass
class Pipeline:
    """Lessons of one project, executed at most once per change, rendered per language."""

    lessons_dir: Path
    languages: Languages
    jobs: int | None = None  # parallel lesson processes; None = one per core
    progress: Callable[[str], None] = log.info
    error: Callable[[str], None] = log.error
    lessons: dict[str, Lesson] = field(default_factory=dict)
    runs: dict[str, LessonRun] = field(default_factory=dict)
    # Where the downloads link and install from (the site's addresses); None: no site.
    downloads: Downloads | None = None
    # Lesson files that do not parse, under ``discover(tolerant=True)``: id -> the error.
    format_errors: dict[str, LessonFormatError] = field(default_factory=dict)
    # Lessons handed to ``execute(defer=...)`` whose run has not been adopted yet.
    running: set[str] = field(default_factory=set)
    # Kept between builds (both languages, every ``mkdocs serve`` rebuild): file digests
    # by file status, and each lesson file parsed, by its status.
    _digests: FileDigests = field(default_factory=FileDigests)
    _installed: InstalledDistributions = field(default_factory=InstalledDistributions)
    _parsed: dict[Path, tuple[tuple[int, int, int], Lesson]] = field(default_factory=dict)
    _adopted: set[str] = field(default_factory=set)
    _digests_loaded: bool = False
    _parser: str = ""

    def source_root(self) -> Path:
        """The course package's folder for this project (see :func:`cache.source_root`)."""
        return source_root(self.lessons_dir)

    def distributions(self) -> dict[str, str]:
        """The installed distributions and their versions, read again only after an
        install (see :class:`cache.InstalledDistributions`)."""
        return self._installed()

    def discard(self, runs: Iterable[LessonRun], reason: str) -> None:
        """Drop the cache entries of runs found unpublishable after they were stored."""
        cache = self._cache()
        for run in runs:
            cache.discard(run.lesson, reason)

    def _cache(self) -> ExecutionCache:
        if not self._digests_loaded:
            self._digests.load(default_cache_dir() / DIGESTS)
            self._digests_loaded = True
        root = self.source_root()
        if root != package_root():
            self.progress(
                f"note: this process imports dlcourse from {package_root()}; "
                f"lessons run with {root}"
            )
        jobs = jobs_from_environment() or self.jobs
        return ExecutionCache(
            default_cache_dir(),
            root,
            device_kind(),
            threads=threads_per_lesson(jobs),
            report=self.progress,
            digest=self._digests,
            installed=self._installed,
            benchmark_record=self.lessons_dir.resolve().parent / BENCHMARK_RECORD,
        )

    def _load(self, path: Path) -> Lesson:
        """A lesson file parsed, or as parsed before (in this process, or in the cache by
        the file's content) when it is unchanged."""
        status = path.stat()
        stamp = (status.st_size, status.st_mtime_ns, status.st_ctime_ns)
        known = self._parsed.get(path)
        if known is not None and known[0] == stamp:
            return known[1]
        data = path.read_bytes()
        if not self._parser:  # what else decides how a file parses: the parser's own code
            parser = [file_digest(Path(lesson_module.__file__)), jupytext.__version__]
            self._parser = json.dumps([*parser, self.languages.codes])
        key = hashlib.sha256(self._parser.encode() + data).hexdigest()[:32]
        stored = default_cache_dir() / "parsed" / f"{key}.json"
        try:
            lesson = lesson_from_record(path, json.loads(stored.read_text(encoding="utf-8")))
        except (OSError, ValueError, TypeError, KeyError):
            lesson = load_lesson(path, self.languages)
            write_atomically(stored, json.dumps(lesson_record(lesson)))
        self._parsed[path] = (stamp, lesson)
        return lesson

    def discover(
        self, only: Iterable[str] | None = None, *, tolerant: bool = False
    ) -> list[Lesson]:
        """Parse the lesson files (all of them, or the named ones), in catalogue order.

        A file that does not follow the lesson format raises LessonFormatError, or, with
        ``tolerant`` (``mkdocs serve``), is kept in :attr:`format_errors` and its page shows
        the error while the other lessons go on.
        """
        paths = (
            lesson_files(self.lessons_dir)
            if only is None
            else [self.lessons_dir / f"{name}.py" for name in only]
        )
        lessons, self.format_errors = [], {}
        for path in paths:
            try:
                lessons.append(self._load(path))
            except LessonFormatError as exc:
                if not tolerant:
                    raise
                self.format_errors[path.stem] = exc
        lessons.sort(key=lambda lesson: (lesson.meta.order, lesson.id))
        self.lessons = {lesson.id: lesson for lesson in lessons}
        return lessons

    def execute(
        self,
        *,
        force: bool = False,
        same_build: bool = False,
        defer: Callable[[list[Lesson]], None] | None = None,
    ) -> dict[str, LessonRun]:
        """Bring every discovered lesson up to date; returns the runs done or looked up now.

        A run kept from an earlier call (the other language's build, or a ``mkdocs serve``
        rebuild after a prose edit) is reused when neither its key nor anything its run
        read changed, with the lesson as parsed now, so edited prose and titles show. A
        failed run is reused within the same build (``same_build``: the other language), so
        a broken lesson runs once per build, and across rebuilds when running it again
        would only repeat its fault. Everything else goes through the cache.

        With ``defer`` (``mkdocs serve``), lessons the cache cannot serve are handed to it
        instead of being run here: they run elsewhere while their last good run (or a page
        saying they are running) is shown, and :meth:`adopt` takes their runs when done.
        """
        cache = self._cache()
        adopted, self._adopted = self._adopted, set()

        def keeps(run: LessonRun) -> bool:
            if cache.static_key(run.lesson) != cache.static_key(self.lessons[run.lesson.id]):
                return False
            if run.notebook is not None:
                return run.failure is None and not cache.changed_inputs(run.notebook)
            # A failure just adopted is not retried by the rebuild that shows it.
            again = same_build or not run.failure or not run.failure.retry
            return run.failure is not None and (again or run.lesson.id in adopted)

        reusable = {
            lesson_id: dataclasses.replace(run, lesson=self.lessons[lesson_id])
            for lesson_id, run in self.runs.items()
            if lesson_id in self.lessons and keeps(run)
        }
        if force:
            reusable = {}
        todo = [lesson for lesson in self.lessons.values() if lesson.id not in reusable]
        jobs = jobs_from_environment() or self.jobs
        deferred: list[Lesson] = []
        if todo and defer is not None and not force:
            fresh = run_lessons(
                todo, cache, self.languages, jobs=jobs, log=self.progress, lookup_only=True
            )
            deferred = [lesson for lesson in todo if lesson.id not in fresh]
        elif todo:
            fresh = run_lessons(
                todo, cache, self.languages, jobs=jobs, force=force, log=self.progress
            )
        else:
            fresh = {}
        previous = self.runs
        self.runs = {}
        for lesson_id, lesson in self.lessons.items():
            run = reusable.get(lesson_id) or fresh.get(lesson_id)
            if run is None:  # deferred: its last run (as it was) until the new one is adopted
                run = previous.get(lesson_id) or LessonRun(lesson, None, False, "running")
            self.runs[lesson_id] = run
        self.running = {lesson.id for lesson in deferred} | (self.running & set(self.lessons))
        self.running -= set(reusable) | set(fresh)
        self._check_prose()
        self._digests.save(default_cache_dir() / DIGESTS)
        if deferred and defer is not None:
            defer(deferred)
        return fresh

    def run_now(self, lessons: list[Lesson]) -> dict[str, LessonRun]:
        """Run lessons through the cache and report them, for :meth:`adopt` (the lessons
        ``execute`` deferred; called from ``mkdocs serve``'s background thread)."""
        fresh = run_lessons(
            lessons,
            self._cache(),
            self.languages,
            jobs=jobs_from_environment() or self.jobs,
            log=self.progress,
        )
        self.report(fresh)
        return fresh

    def adopt(self, runs: dict[str, LessonRun]) -> None:
        """Take runs done elsewhere for deferred lessons (see :meth:`execute`); the next
        :meth:`execute` checks them like any kept run, and does not retry a failure at once."""
        for lesson_id, run in runs.items():
            self.runs[lesson_id] = run
            self.running.discard(lesson_id)
            self._adopted.add(lesson_id)

    def _check_prose(self) -> None:
        """A lesson whose languages differ in structure, or whose prose shows library code
        that does not exist, cannot be published either."""
        root = self.source_root()
        for run in self.runs.values():
            if run.failure is not None or run.notebook is None:
                continue
            problems = structure_mismatches(run.lesson, self.languages)
            if problems:
                run.failure = LessonFailure(
                    run.lesson, "languages out of step: " + "; ".join(problems)
                )
                continue
            run.failure = _missing_taught_code(run.lesson, root) or _unresolved_references(
                run, self.languages
            )

    def failures(self) -> list[LessonFailure]:
        return [run.failure for run in self.runs.values() if run.failure]

    def page_ids(self) -> list[str]:
        """Every lesson that has a page: the parsed ones and those that do not parse."""
        return [*self.lessons, *sorted(self.format_errors)]

    def report(self, fresh: dict[str, LessonRun]) -> None:
        """Log what ran, what came from the cache, what warned and what failed."""
        if fresh:
            executed = [run for run in fresh.values() if not run.from_cache]
            self.progress(
                f"lessons: {len(executed)} executed, {len(fresh) - len(executed)} from the cache"
            )
        for run in fresh.values():
            status = "executed" if not run.from_cache else "cached"
            self.progress(f"  {run.lesson.path.name}: {status} ({run.reason})")
            warnings = run.notebook.metadata["execution"]["warnings"] if run.notebook else []
            for message in warnings:
                self.progress(
                    f"    {run.lesson.path.name} emitted (not published): {message[:300]}"
                )
        for run in fresh.values():  # a failure kept from an earlier rebuild was said then
            if run.failure:
                self.error(f"lesson failed: {run.failure}")
                if run.failure.detail:
                    self.progress(run.failure.detail)

    # -- pages ---------------------------------------------------------------------
    def page_markdown(self, lesson_id: str, lang: str) -> str:
        """The Markdown of a lesson page in ``lang``: its error page while it is broken, and
        under ``mkdocs serve`` a notice while it runs again (over its last good outputs)."""
        if lesson_id in self.format_errors:
            return render_error(lesson_id, str(self.format_errors[lesson_id]), lang)
        run = self.runs[lesson_id]
        if run.failure:
            return render_failure(run.failure, lang)
        if run.notebook is None:
            return render_running(run.lesson, lang, previous=None)
        page = render_lesson(run, lang, self.downloads)
        return (
            render_running(run.lesson, lang, previous=page) if lesson_id in self.running else page
        )

    def page_assets(self, lesson_id: str, lang: str) -> dict[str, bytes]:
        """Figures, script and executed notebook written next to the page."""
        run = self.runs.get(lesson_id)
        if run is None or run.failure or run.notebook is None:
            return {}
        return page_assets(run, lang, self.downloads)

    def quotes(self, markdown: str, lang: str, page: str, *, first_line: int = 1) -> str:
        """A page outside the lessons with its quotes of lesson results filled from the runs
        (see :func:`glue.fill_quotes`); raises :class:`glue.QuoteError` for a bad quote."""
        if "{{" not in markdown:
            return markdown
        runs: dict[str, QuotedRun | None] = {}
        for lesson_id, run in self.runs.items():
            execution = run.notebook.metadata["execution"] if run.notebook else None
            runs[lesson_id] = (
                None
                if run.failure or execution is None
                else QuotedRun(
                    title=run.lesson.meta.title,
                    values=execution.get("values", {}),
                    claims=execution.get("claims", {}),
                )
            )
        return fill_quotes(markdown, runs, lang, page=page, escape=untrusted, first_line=first_line)

    def catalogue(self, lang: str) -> str:
        """The lesson table of the lessons index page, in catalogue order."""
        head = CATALOGUE_TEXT[lang]
        rows = [f"| {' | '.join(head)} |", "|---|---|---|---|"]
        for lesson_id, run in self.runs.items():
            meta = run.lesson.meta
            duration = run.notebook.metadata["execution"]["duration_s"] if run.notebook else None
            last = seconds(duration, lang) if duration is not None else "—"
            rows.append(
                f"| [{meta.title[lang]}]({lesson_id}.md) | {meta.summary[lang]} | "
                f"{meta.budget_cpu_s} s | {last} |"
            )
        return "\n".join(rows)

    def write(self, out_dir: Path) -> list[Path]:
        """Write each lesson's page and assets as ``out_dir/<lang>/<lesson>/``; returns pages."""
        written = []
        for lesson_id, run in self.runs.items():
            if run.failure:
                continue
            for lang in self.languages:
                folder = out_dir / lang / lesson_id
                folder.mkdir(parents=True, exist_ok=True)
                page = folder / "index.md"
                page.write_text(self.page_markdown(lesson_id, lang), encoding="utf-8")
                for name, content in self.page_assets(lesson_id, lang).items():
                    (folder / name).write_bytes(content)
                written.append(page)
        return written
