"""The lesson pipeline without MkDocs: discover, execute (through the cache), check, render.

:class:`Pipeline` is what both front ends drive. The MkDocs plugin
(:mod:`coursebuild.plugin`) asks it for each lesson page's Markdown; the command line
(``python -m coursebuild``) runs one lesson or all of them and writes the rendered pages
and their figures into a folder outside ``docs/``, so a lesson can be checked without
building the site (and the site generator could be replaced without touching lessons).
"""

from __future__ import annotations

import dataclasses
import logging
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from coursebuild.cache import (
    ExecutionCache,
    default_cache_dir,
    device_kind,
    package_root,
    source_root,
)
from coursebuild.executor import LessonFailure, LessonRun, run_lessons, threads_per_lesson
from coursebuild.glue import QuotedRun, check_references, fill_quotes
from coursebuild.languages import Languages
from coursebuild.lesson import Lesson, discover_lessons, load_lesson, structure_mismatches
from coursebuild.render import page_assets, render_failure, render_lesson, untrusted
from coursebuild.standalone import Downloads
from coursebuild.taught_code import TaughtCodeError, excerpt, targets

log = logging.getLogger("coursebuild")

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

    def source_root(self) -> Path:
        """The course package's folder for this project (see :func:`cache.source_root`)."""
        return source_root(self.lessons_dir)

    def discard(self, runs: Iterable[LessonRun], reason: str) -> None:
        """Drop the cache entries of runs found unpublishable after they were stored."""
        cache = self._cache()
        for run in runs:
            cache.discard(run.lesson, reason)

    def _cache(self) -> ExecutionCache:
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
        )

    def discover(self, only: Iterable[str] | None = None) -> list[Lesson]:
        """Parse the lesson files (all of them, or the named ones); raises LessonFormatError."""
        if only is None:
            lessons = discover_lessons(self.lessons_dir, self.languages)
        else:
            lessons = [
                load_lesson(self.lessons_dir / f"{name}.py", self.languages) for name in only
            ]
        self.lessons = {lesson.id: lesson for lesson in lessons}
        return lessons

    def execute(self, *, force: bool = False, same_build: bool = False) -> dict[str, LessonRun]:
        """Bring every discovered lesson up to date; returns the runs done or looked up now.

        A run kept from an earlier call (the other language's build, or a ``mkdocs serve``
        rebuild after a prose edit) is reused when neither its key nor anything its run
        read changed, with the lesson as parsed now, so edited prose and titles show. A
        failed run is reused within the same build (``same_build``: the other language), so
        a broken lesson runs once per build, and across rebuilds when running it again
        would only repeat its fault. Everything else goes through the cache.
        """
        cache = self._cache()

        def keeps(run: LessonRun) -> bool:
            if cache.static_key(run.lesson) != cache.static_key(self.lessons[run.lesson.id]):
                return False
            if run.notebook is not None:
                return run.failure is None and not cache.changed_inputs(run.notebook)
            return run.failure is not None and (same_build or not run.failure.retry)

        reusable = {
            lesson_id: dataclasses.replace(run, lesson=self.lessons[lesson_id])
            for lesson_id, run in self.runs.items()
            if lesson_id in self.lessons and keeps(run)
        }
        if force:
            reusable = {}
        todo = [lesson for lesson in self.lessons.values() if lesson.id not in reusable]
        fresh = (
            run_lessons(
                todo,
                cache,
                self.languages,
                jobs=jobs_from_environment() or self.jobs,
                force=force,
                log=self.progress,
            )
            if todo
            else {}
        )
        self.runs = {
            lesson_id: reusable.get(lesson_id) or fresh[lesson_id] for lesson_id in self.lessons
        }
        self._check_prose()
        return fresh

    def _check_prose(self) -> None:
        """A lesson whose languages differ in structure, or whose prose shows library code
        that does not exist, cannot be published either."""
        root = self.source_root()
        for run in self.runs.values():
            if run.failure is not None:
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
        """The Markdown of a lesson page in ``lang`` (its error page while it is broken)."""
        run = self.runs[lesson_id]
        if run.failure:
            return render_failure(run.failure, lang)
        return render_lesson(run, lang, self.downloads)

    def page_assets(self, lesson_id: str, lang: str) -> dict[str, bytes]:
        """Figures, script and executed notebook written next to the page."""
        run = self.runs[lesson_id]
        return {} if run.failure else page_assets(run, lang, self.downloads)

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
            last = f"{duration:.1f} s" if duration is not None else "—"
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
