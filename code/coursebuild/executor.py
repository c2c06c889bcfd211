"""Decide which lessons must run, run them in parallel processes, and check their outputs."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import nbformat

from coursebuild.cache import ExecutionCache
from coursebuild.languages import Languages
from coursebuild.lesson import Lesson

NAN = re.compile(r"(?<![A-Za-z])nan(?![A-Za-z])", re.IGNORECASE)


def display_path(path: Path) -> str:
    """A lesson's path as the author knows it (relative to where the build was started)."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


@dataclass
class LessonFailure:
    """Why a lesson cannot be published: file, cell and error, ready for a log line."""

    lesson: Lesson
    message: str
    cell: int | None = None
    line: int | None = None
    detail: str = ""  # traceback or stderr, for the build log only (never published)

    def __str__(self) -> str:
        where = display_path(self.lesson.path)
        if self.line is not None:
            where += f":{self.line}"
        if self.cell is not None:
            where += f" (cell {self.cell})"
        return f"{where}: {self.message}"


@dataclass
class LessonRun:
    """The executed notebook of a lesson and how it was obtained."""

    lesson: Lesson
    notebook: nbformat.NotebookNode | None
    from_cache: bool
    reason: str
    failure: LessonFailure | None = None


def check_outputs(lesson: Lesson, notebook: nbformat.NotebookNode) -> LessonFailure | None:
    """Refuse results that must not be published: errors, NaN in printed output, no figure."""
    error = notebook.metadata["execution"].get("error")
    if error:
        return LessonFailure(
            lesson,
            f"{error['ename']}: {error['evalue']}",
            cell=error["cell"],
            line=error["line"],
            detail=error["traceback"],
        )
    figures = 0
    for index, cell in enumerate(notebook.cells, start=1):
        for output in cell.outputs:
            text = output.get("text") or output.get("data", {}).get("text/plain", "")
            if output.get("output_type") != "display_data" and NAN.search(text):
                return LessonFailure(
                    lesson, "printed NaN", cell=index, line=cell.metadata.get("line")
                )
            if "image/png" in output.get("data", {}):
                figures += 1
    if figures == 0:
        return LessonFailure(lesson, "drew no figure (every lesson must show at least one)")
    return None


def _run_in_subprocess(
    lesson: Lesson, out_path: Path, threads: int, languages: Languages
) -> LessonFailure | None:
    """Run one lesson in a fresh Python process with a timeout; report crashes and hangs."""
    with tempfile.TemporaryDirectory(prefix=f"dlcourse-{lesson.id}-") as workdir:
        progress = Path(workdir) / "progress"
        env = dict(os.environ)
        env.update(
            DLCOURSE_THREADS=str(threads),  # read by the runner
            DLCOURSE_WORKDIR=workdir,  # logs and checkpoints go here, never into the repo
            MPLBACKEND="Agg",
            TQDM_DISABLE="1",
            PYTHONHASHSEED="0",
            PYTHONWARNINGS="ignore",
        )
        command = [
            sys.executable,
            "-m",
            "coursebuild.runner",
            str(lesson.path.resolve()),
            str(out_path),
            str(progress),
            ",".join(languages),
        ]
        try:
            result = subprocess.run(
                command,
                cwd=workdir,
                env=env,
                capture_output=True,
                text=True,
                timeout=lesson.meta.timeout_s,
            )
        except subprocess.TimeoutExpired:
            cell, line = (
                (int(v) for v in progress.read_text().split())
                if progress.exists()
                else (None, None)
            )
            return LessonFailure(
                lesson, f"hung: still running after {lesson.meta.timeout_s} s", cell=cell, line=line
            )
        if result.returncode != 0 or not out_path.exists():
            cell, line = (
                (int(v) for v in progress.read_text().split())
                if progress.exists()
                else (None, None)
            )
            last = (result.stderr.strip().splitlines() or ["no output"])[-1]
            return LessonFailure(
                lesson,
                f"the lesson process crashed ({last})",
                cell=cell,
                line=line,
                detail=result.stderr[-3000:],
            )
    return None


def run_lessons(
    lessons: Iterable[Lesson],
    cache: ExecutionCache,
    languages: Languages,
    *,
    jobs: int | None = None,
    force: bool = False,
    log: Callable[[str], None] = print,
) -> dict[str, LessonRun]:
    """Serve each lesson from the cache or execute it; independent lessons run in parallel.

    Lessons that must run are started longest first (by their last recorded time) so that
    the slowest one does not start last. Each gets ``cores // parallel jobs`` torch threads.
    ``force`` executes every lesson whatever the cache holds (the result is still stored).
    """
    runs: dict[str, LessonRun] = {}
    pending: list[tuple[Lesson, str]] = []
    for lesson in lessons:
        if force:
            pending.append((lesson, "asked to run"))
            continue
        lookup = cache.lookup(lesson)
        if lookup.notebook is not None:
            runs[lesson.id] = LessonRun(
                lesson, lookup.notebook, from_cache=True, reason=lookup.reason
            )
        else:
            pending.append((lesson, lookup.reason))
    if not pending:
        return runs

    timings = cache.timings()
    pending.sort(key=lambda item: -timings.get(item[0].id, float(item[0].meta.budget_cpu_s)))
    cores = os.cpu_count() or 1
    workers = max(1, min(jobs or cores, len(pending)))
    # DLCOURSE_THREADS pins torch threads per lesson (the benchmark compares serial and
    # parallel builds number for number); otherwise the cores are shared out.
    threads = int(os.environ.get("DLCOURSE_THREADS") or max(1, cores // workers))
    log(f"executing {len(pending)} lesson(s) with {workers} process(es) x {threads} thread(s)")

    def execute(item: tuple[Lesson, str]) -> LessonRun:
        lesson, reason = item
        out_path = cache.entry_path(lesson)
        started = time.perf_counter()
        failure = _run_in_subprocess(lesson, out_path, threads, languages)
        notebook = None
        if failure is None:
            notebook = nbformat.read(out_path, as_version=4)
            failure = check_outputs(lesson, notebook)
        elapsed = time.perf_counter() - started
        if failure is None:
            cache.record(lesson)
            log(f"  ran {lesson.path.name} in {elapsed:.1f} s ({reason})")
        else:
            cache.forget(lesson)
            log(f"  FAILED {failure}")
        return LessonRun(lesson, notebook, from_cache=False, reason=reason, failure=failure)

    with ThreadPoolExecutor(max_workers=workers) as pool:
        for run in pool.map(execute, pending):
            runs[run.lesson.id] = run
    cache.save_timings(
        {
            run.lesson.id: run.notebook.metadata["execution"]["duration_s"]
            for run in runs.values()
            if run.notebook and not run.from_cache and not run.failure
        }
    )
    return runs
