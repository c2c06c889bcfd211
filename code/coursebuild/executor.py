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

from coursebuild import recording
from coursebuild.cache import ExecutionCache, lesson_environment
from coursebuild.forkserver import ForkServer
from coursebuild.forkserver import enabled as pool_enabled
from coursebuild.guard import ProjectGuard, listing
from coursebuild.languages import Languages
from coursebuild.lesson import Lesson
from coursebuild.processes import (
    BuildStopping,
    end_group,
    install_handlers,
    start_forked,
    start_lesson_process,
)

# Signal handlers can only be installed from the main thread, and run_lessons starts lessons
# from pool threads: install them (once) when the executor is imported. See processes.py.
install_handlers()

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
    # False when running the same code again would only repeat the fault (and, under
    # mkdocs serve, loop: the files it wrote trigger the next rebuild).
    retry: bool = True

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
    """Refuse results that must not be published: errors, NaN or infinity in printed output,
    no figure.

    Printed ``nan`` fails ("printed NaN"), and so does printed ``inf``, ``-inf`` or
    ``Infinity`` ("printed inf"): both usually mean a diverged computation. Words that merely
    contain the letters (``info``, ``inference``, ``infinite``) do not count. A code cell
    that means to show infinity (an attention mask filled with ``-inf``, say) says so with a
    ``# allow-inf`` comment in the cell; that cell may then print ``inf``, but never ``nan``.
    """
    inf = re.compile(r"(?<![\w.])[-+]?inf(?:inity)?(?![\w])", re.IGNORECASE)
    allow_inf = re.compile(r"#\s*allow-inf\b")
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
        inf_allowed = bool(allow_inf.search(str(cell.get("source", ""))))
        for output in cell.outputs:
            text = output.get("text") or output.get("data", {}).get("text/plain", "")
            text = text if isinstance(text, str) else "".join(map(str, text))
            printed = output.get("output_type") != "display_data"
            if printed and NAN.search(text):
                return LessonFailure(
                    lesson, "printed NaN", cell=index, line=cell.metadata.get("line")
                )
            if printed and not inf_allowed and inf.search(text):
                return LessonFailure(
                    lesson,
                    "printed inf (mark the cell with '# allow-inf' if infinity is meant)",
                    cell=index,
                    line=cell.metadata.get("line"),
                )
            if "image/png" in output.get("data", {}):
                figures += 1
                nonfinite = output.get("metadata", {}).get("nonfinite")
                if nonfinite:
                    return LessonFailure(
                        lesson,
                        f"figure {figures} plots NaN or infinite values: {', '.join(nonfinite)}",
                        cell=index,
                        line=cell.metadata.get("line"),
                    )
    if figures == 0:
        return LessonFailure(lesson, "drew no figure (every lesson must show at least one)")
    return None


def _run_in_subprocess(
    lesson: Lesson,
    out_path: Path,
    threads: int,
    languages: Languages,
    extra_env: dict[str, str] | None = None,
    server: ForkServer | None = None,
) -> LessonFailure | None:
    """Run one lesson in a fresh Python process with a timeout; report crashes and hangs.

    With a ``server`` the process is forked from it (libraries already imported, see
    :mod:`coursebuild.forkserver`); without, it is a new interpreter under a supervisor.

    The lesson runs in a process group of its own, under a supervisor that ends the group if
    the build dies (:mod:`coursebuild.processes`). The whole group is ended before this
    returns, whether the lesson finished, failed or hung, so nothing it started runs on or
    writes into its work folder afterwards. stdout and stderr go to unnamed temporary files,
    not pipes: a leftover child holding a pipe would keep the executor waiting for its end.
    """
    with (
        tempfile.TemporaryDirectory(prefix=f"dlcourse-{lesson.id}-") as workdir,
        tempfile.TemporaryFile() as stdout,
        tempfile.TemporaryFile() as stderr,
    ):
        progress = Path(workdir) / "progress"
        env = {**os.environ, **lesson_environment(threads), **(extra_env or {})}
        # Logs and checkpoints go here, never into the repository.
        env["DLCOURSE_WORKDIR"] = workdir
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
            if server is not None:
                process = start_forked(
                    server, command[3:], cwd=workdir, env=env, stdout=stdout, stderr=stderr
                )
            else:
                process = start_lesson_process(
                    command, cwd=workdir, env=env, stdout=stdout, stderr=stderr
                )
        except BuildStopping:
            return LessonFailure(lesson, "not run: the build is stopping")
        returncode: int | None = None
        try:
            returncode = process.wait(timeout=lesson.meta.timeout_s)
        except subprocess.TimeoutExpired:
            pass
        finally:
            end_group(process)  # a hung lesson, and whatever a finished one left running
        if returncode is None:
            cell, line = (
                (int(v) for v in progress.read_text().split())
                if progress.exists()
                else (None, None)
            )
            return LessonFailure(
                lesson, f"hung: still running after {lesson.meta.timeout_s} s", cell=cell, line=line
            )
        if returncode != 0 or not out_path.exists():
            cell, line = (
                (int(v) for v in progress.read_text().split())
                if progress.exists()
                else (None, None)
            )
            stderr.seek(0)
            errors = stderr.read().decode(errors="replace")
            last = (errors.strip().splitlines() or ["no output"])[-1]
            what = (
                "the lesson process exited without writing its results (os._exit or sys.exit?)"
                if returncode == 0
                else f"the lesson process crashed ({last})"
            )
            return LessonFailure(
                lesson,
                what,
                cell=cell,
                line=line,
                detail=errors[-3000:],
            )
    return None


def threads_per_lesson(jobs: int | None) -> int:
    """Torch threads each lesson gets: ``DLCOURSE_THREADS``, or the cores shared out among the
    configured parallel jobs. Never the number of lessons that happen to be stale, so a
    lesson prints (and is cached under) the same thread count in every build."""
    cores = os.cpu_count() or 1
    return int(os.environ.get("DLCOURSE_THREADS") or max(1, cores // (jobs or cores)))


def run_lessons(
    lessons: Iterable[Lesson],
    cache: ExecutionCache,
    languages: Languages,
    *,
    jobs: int | None = None,
    force: bool = False,
    log: Callable[[str], None] = print,
    lookup_only: bool = False,
) -> dict[str, LessonRun]:
    """Serve each lesson from the cache or execute it; independent lessons run in parallel.

    A cache hit is checked with the current output checks before it is served (an entry
    that fails them is run again). A lesson that must run holds its lock in the cache (a
    concurrent build waits, then finds the fresh entry), has its old entry removed, writes
    into a unique temporary file, and is stored only after its outputs passed the checks.
    Lessons are started longest first (by their last recorded time, else the benchmark
    record's, else their CPU budget). ``force`` executes
    every lesson whatever the cache holds (the result is still stored). ``lookup_only``
    returns the lessons the cache serves and runs nothing (``mkdocs serve`` runs the rest
    in the background).
    """
    runs: dict[str, LessonRun] = {}
    pending: list[tuple[Lesson, str]] = []
    for lesson in lessons:
        served = None if force else _served_from_cache(lesson, cache)
        if isinstance(served, LessonRun):
            runs[lesson.id] = served
        else:
            pending.append((lesson, served or "asked to run"))
    if not pending or lookup_only:
        return runs

    expected = cache.expected_durations()
    pending.sort(key=lambda item: -expected.get(item[0].id, float(item[0].meta.budget_cpu_s)))
    workers = max(1, min(jobs or os.cpu_count() or 1, len(pending)))
    log(
        f"executing {len(pending)} lesson(s) with {workers} process(es) x {cache.threads} thread(s)"
    )

    server = _start_server(cache, log)

    def execute(item: tuple[Lesson, str]) -> LessonRun:
        lesson, reason = item
        with cache.lock(lesson):
            served = None if force else _served_from_cache(lesson, cache)
            if isinstance(served, LessonRun):  # a concurrent build ran it meanwhile
                return served
            return _execute_and_store(lesson, reason, cache, languages, log, server)

    try:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            for run in pool.map(execute, pending):
                runs[run.lesson.id] = run
    finally:
        if server is not None:
            server.close()
    cache.save_timings(
        {
            run.lesson.id: run.notebook.metadata["execution"]["duration_s"]
            for run in runs.values()
            if run.notebook and not run.from_cache and not run.failure
        }
    )
    return runs


def _start_server(cache: ExecutionCache, log: Callable[[str], None]) -> ForkServer | None:
    """A fork server for this batch of lessons, or None (turned off, or it cannot start:
    then every lesson starts its own interpreter, as it would without the server)."""
    if not pool_enabled():
        return None
    path = os.environ.get("PYTHONPATH", "")
    env = {
        **os.environ,
        **lesson_environment(cache.threads),
        "PYTHONPATH": os.pathsep.join(p for p in (str(cache.package_root), path) if p),
    }
    try:
        return ForkServer(env)
    except (OSError, RuntimeError) as exc:
        log(f"note: lessons start without the fork server ({exc})")
        return None


def _served_from_cache(lesson: Lesson, cache: ExecutionCache) -> LessonRun | str:
    """The cached run when it is valid and passes today's checks, else why it must run."""
    lookup = cache.lookup(lesson)
    if lookup.notebook is None:
        return lookup.reason
    failure = check_outputs(lesson, lookup.notebook)
    if failure is not None:
        return f"the cached result fails the current checks ({failure.message})"
    return LessonRun(lesson, lookup.notebook, from_cache=True, reason=lookup.reason)


def _execute_and_store(
    lesson: Lesson,
    reason: str,
    cache: ExecutionCache,
    languages: Languages,
    log: Callable[[str], None],
    server: ForkServer | None = None,
) -> LessonRun:
    """Run the lesson into a temporary file, check it, record its inputs, store it."""
    started = time.perf_counter()
    incoming = cache.begin(lesson)
    notebook = None
    try:
        with tempfile.TemporaryDirectory(prefix=f"dlcourse-record-{lesson.id}-") as record:
            recording_env = recording.prepare(Path(record), cache.package_root)
            failure = _run_in_subprocess(
                lesson, incoming, cache.threads, languages, recording_env, server
            )
            if failure is None:
                notebook, failure = _read_result(lesson, incoming)
            if failure is None and notebook is not None:
                failure = check_outputs(lesson, notebook)
            if failure is None and notebook is not None:
                files, written, names = recording.collect(Path(record))
                failure = _writes_into_project(lesson, written, cache)
                if failure is None:
                    cache.store(lesson, notebook, cache.describe_inputs(lesson, files, names))
    finally:
        incoming.unlink(missing_ok=True)
    elapsed = time.perf_counter() - started
    if failure is None:
        log(f"  ran {lesson.path.name} in {elapsed:.1f} s ({reason})")
    else:
        notebook = None
        log(f"  FAILED {failure}")
    return LessonRun(lesson, notebook, from_cache=False, reason=reason, failure=failure)


def _writes_into_project(
    lesson: Lesson, written: set[Path], cache: ExecutionCache
) -> LessonFailure | None:
    """A lesson may write only into its scratch folder, never into the project it is part of."""
    guard = ProjectGuard(lesson.path.resolve().parent.parent, skip=[cache.root])
    inside = sorted(guard.shown(path) for path in written if guard.covers(path))
    if not inside:
        return None
    return LessonFailure(
        lesson,
        f"wrote into the project: {listing(inside)} (a lesson writes only under "
        "DLCOURSE_WORKDIR; delete these files and fix the lesson)",
        retry=False,
    )


def _read_result(
    lesson: Lesson, path: Path
) -> tuple[nbformat.NotebookNode | None, LessonFailure | None]:
    """The notebook the lesson process wrote, if it wrote a complete one."""
    if not path.exists():
        return None, LessonFailure(lesson, "the lesson process exited without writing its results")
    try:
        notebook = nbformat.read(path, as_version=4)
        complete = notebook.metadata["execution"].get("complete")
    except Exception as exc:  # noqa: BLE001 - a truncated result is a failure, not a crash
        return None, LessonFailure(lesson, f"the lesson process wrote an unreadable result ({exc})")
    if not complete:
        return None, LessonFailure(lesson, "the lesson process wrote an incomplete result")
    return notebook, None
