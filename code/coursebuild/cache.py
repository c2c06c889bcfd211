"""Content-addressed cache of executed lessons: one key, decided here and nowhere else.

An entry is found by its **static key**, everything known before the lesson runs:

* the lesson's code cells and the header fields that change how it runs (``timeout_s``,
  ``gpu_helps``); prose, titles and summaries are not part of it, so a prose edit runs nothing;
* the Python version and every installed distribution with its version;
* the device kind, the torch thread count, the variables the executor sets for a lesson;
* the folder the course package is imported from (this checkout's ``code/``).

It is then **validated against what the run read**, recorded while it ran in every process
it started (:mod:`coursebuild.recording`): each file (course modules, helper modules next to
the lessons, data files, the build package's own runner) must still have the digest it had,
Python sources compared by their syntax tree (a comment or formatting edit changes nothing),
and each environment variable the lesson or the course code read must still have its value.

Entries are written by the parent only after the output checks passed, under a temporary
name and moved into place atomically; a hit is checked again before it is served (see
:func:`coursebuild.executor.run_lessons`). Entries live outside the repository
(``~/.cache/dlcourse`` by default, or ``$DLCOURSE_CACHE``).
"""

from __future__ import annotations

import ast
import contextlib
import fcntl
import hashlib
import json
import logging
import os
import platform
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import nbformat

from coursebuild.lesson import Lesson

log = logging.getLogger("coursebuild")

FORMAT = 3  # bumped when the entry layout changes
# Set by the executor for every lesson process (part of the key: changing one re-runs all).
LESSON_ENVIRONMENT = {
    "MPLBACKEND": "Agg",
    "TQDM_DISABLE": "1",
    "PYTHONHASHSEED": "0",
    "PYTHONWARNINGS": "ignore",
    # One run serves every language: dlcourse.bilingual.tr keeps all texts, marked.
    "DLCOURSE_LANG": "all",
}
SEED_SHIFT_VARIABLE = "DLCOURSE_SEED_SHIFT"  # read by dlcourse.runtime; part of every key
# Per-run paths: never inputs (each run has its own).
PER_RUN_VARIABLES = ("DLCOURSE_WORKDIR", "DLCOURSE_RECORD", "PYTHONPATH")
OWN_DISTRIBUTION = "dlcourse"  # this project, editable: its code is validated file by file
# Written by ``python -m coursebuild.benchmark --record``; its lesson times order a build
# whose cache has none yet (a fresh clone, CI).
BENCHMARK_RECORD = Path("docs") / "_data" / "benchmark.json"


def seed_shift() -> int:
    """The build's seed shift (see :func:`dlcourse.runtime.seed_shift`), read without torch."""
    value = os.environ.get(SEED_SHIFT_VARIABLE, "").strip()
    try:
        return int(value) if value else 0
    except ValueError:
        raise ValueError(f"{SEED_SHIFT_VARIABLE}={value!r} is not an integer") from None


def default_cache_dir() -> Path:
    """Where executed lessons are kept between builds."""
    explicit = os.environ.get("DLCOURSE_CACHE")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "dlcourse"


def package_root() -> Path:
    """The folder that holds the ``dlcourse`` package this process imports."""
    import dlcourse

    return Path(dlcourse.__file__).resolve().parent.parent


def source_root(lessons_dir: Path) -> Path:
    """The folder holding the course package that the lessons of a project import: the
    checkout's own ``code/`` when it has one (lessons are started with it first on their
    path, and library code shown on pages is read from it), otherwise wherever
    ``dlcourse`` is installed."""
    own = lessons_dir.resolve().parent / "code"
    return own if (own / "dlcourse").is_dir() else package_root()


def device_kind() -> str:
    """'cuda' when a usable NVIDIA GPU is present, else 'cpu'; cheap when there is none.

    ``DLCOURSE_DEVICE`` forces it (and :func:`dlcourse.runtime.pick_device` obeys it too).
    torch is only imported when the machine shows an NVIDIA device node, so a warm
    rebuild on a CPU machine does not pay for importing torch.
    """
    forced = os.environ.get("DLCOURSE_DEVICE")
    if forced:
        return forced
    if not any(Path("/dev").glob("nvidia[0-9]*")):
        return "cpu"
    import torch

    return "cuda" if torch.cuda.is_available() else "cpu"


def distributions() -> dict[str, str]:
    """Every installed distribution and its version (the course's own package aside)."""
    found = {}
    for dist in metadata.distributions():
        name = (dist.metadata["Name"] or "").lower()
        if name and name != OWN_DISTRIBUTION:
            found[name] = dist.version
    return dict(sorted(found.items()))


def benchmarked_seconds(record_path: Path) -> dict[str, float]:
    """Each lesson's run time in a benchmark record (see :data:`BENCHMARK_RECORD`), if there
    is one: only an order for a first build (longest first), never part of a result."""
    try:
        record = json.loads(record_path.read_text(encoding="utf-8"))
        return {row["lesson"]: float(row["seconds"]) for row in record["lessons"]}
    except (OSError, ValueError, TypeError, KeyError):
        return {}


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` under a unique temporary name, then move it into place: a
    reader (another build, another thread) sees the old file or the new one, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex}")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(path)


class InstalledDistributions:
    """:func:`distributions`, read again only when a folder of ``sys.path`` changed (pip
    adds and removes a ``*.dist-info`` folder for every install, upgrade or removal), so a
    ``mkdocs serve`` rebuild does not parse some 600 metadata files each time."""

    def __init__(self) -> None:
        self._known: tuple[tuple[tuple[str, int], ...], dict[str, str]] | None = None

    def __call__(self) -> dict[str, str]:
        stamp = tuple(
            (folder, os.stat(folder).st_mtime_ns) for folder in sys.path if os.path.isdir(folder)
        )
        if self._known is None or self._known[0] != stamp:
            self._known = (stamp, distributions())
        return dict(self._known[1])


def file_digest(path: Path) -> str:
    """Digest of an input file: Python by its syntax tree, anything else by its bytes."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return "absent"
    except OSError as exc:
        return f"unreadable: {exc.strerror}"
    if path.suffix == ".py":
        try:
            tree = ast.parse(data, filename=str(path))
            data = ast.dump(tree, include_attributes=False).encode()
        except (SyntaxError, ValueError):
            pass  # not parseable: compare the bytes
    return hashlib.sha256(data).hexdigest()


class FileDigests:
    """:func:`file_digest`, remembered while a file's size, times and inode are unchanged.

    Validating the cache reads about a thousand files (every module a lesson imported); a
    ``mkdocs serve`` session, and the second language of a build, check the same files
    again. The change time cannot be set back by a program, so an edit is never missed.
    """

    def __init__(self) -> None:
        self._known: dict[str, tuple[tuple[int, int, int, int], str]] = {}
        self._changed = False

    def load(self, path: Path) -> None:
        """Take the digests a build before this one saved (a new process starts warm)."""
        try:
            saved = json.loads(path.read_text(encoding="utf-8"))
            for name, (size, mtime, ctime, inode, digest) in saved.items():
                self._known.setdefault(name, ((size, mtime, ctime, inode), digest))
        except (OSError, ValueError, TypeError):
            return  # none yet, or unreadable: digests are computed again

    def save(self, path: Path) -> None:
        if not self._changed:
            return
        data = {name: [*stamp, digest] for name, (stamp, digest) in self._known.items()}
        write_atomically(path, json.dumps(data))
        self._changed = False

    def __call__(self, path: Path) -> str:
        try:
            status = path.stat()
        except OSError:
            return file_digest(path)  # absent or unreadable: said by file_digest
        stamp = (status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino)
        known = self._known.get(str(path))
        if known is not None and known[0] == stamp:
            return known[1]
        digest = file_digest(path)
        self._known[str(path)] = (stamp, digest)
        self._changed = True
        return digest


def source_of(path: Path) -> Path:
    """A compiled module's source: ``pkg/__pycache__/mod.cpython-311.pyc`` -> ``pkg/mod.py``."""
    if path.suffix == ".pyc" and path.parent.name == "__pycache__":
        return path.parent.parent / (path.name.split(".")[0] + ".py")
    return path


def lesson_environment(threads: int) -> dict[str, str]:
    """The variables every lesson process gets on top of the build's environment."""
    return {**LESSON_ENVIRONMENT, "DLCOURSE_THREADS": str(threads)}


@dataclass(frozen=True)
class Lookup:
    """The outcome of looking a lesson up in the cache."""

    notebook: nbformat.NotebookNode | None  # the cached executed notebook, if valid
    reason: str  # why the lesson must run (or "unchanged")


class ExecutionCache:
    """Executed notebooks under their static key, validated by the inputs their run read."""

    def __init__(
        self,
        root: Path,
        package_root: Path,
        kind: str,
        *,
        threads: int = 1,
        report: Callable[[str], None] = log.warning,
        digest: Callable[[Path], str] = file_digest,
        installed: Callable[[], dict[str, str]] | None = None,
        benchmark_record: Path | None = None,
    ) -> None:
        self.root = root
        self.benchmark_record = benchmark_record  # see expected_durations()
        self.digest = digest  # file_digest, or a FileDigests shared across builds
        self.report = report  # where "this entry is unusable, re-running" is said
        self.package_root = package_root  # the folder that holds the dlcourse package
        self.kind = kind
        self.threads = threads
        self._environment = {
            "format": FORMAT,
            "python": f"{platform.python_implementation()} {platform.python_version()}",
            "distributions": (installed or distributions)(),
            "device": kind,
            "threads": threads,
            "lesson_environment": lesson_environment(threads),
            "package_root": str(package_root.resolve()),
            "seed_shift": seed_shift(),
        }

    # -- keys ----------------------------------------------------------------------
    def static_key(self, lesson: Lesson) -> str:
        header = {"timeout_s": lesson.meta.timeout_s, "gpu_helps": lesson.meta.gpu_helps}
        payload = {"code": lesson.code_hash(), "header": header, **self._environment}
        return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:24]

    def _folder(self, lesson: Lesson) -> Path:
        return self.root / "lessons" / lesson.id

    def _entry(self, lesson: Lesson) -> Path:
        return self._folder(lesson) / f"{self.static_key(lesson)}.ipynb"

    def _last(self, lesson: Lesson) -> Path:
        return self._folder(lesson) / "last.json"

    # -- validation ----------------------------------------------------------------
    def child_environment(self) -> dict[str, str]:
        """The environment a lesson process starts with (without its per-run paths)."""
        return {**os.environ, **lesson_environment(self.threads)}

    def changed_inputs(self, notebook: nbformat.NotebookNode) -> list[str]:
        """Inputs recorded by a cached run (files, variables) that differ now."""
        inputs = notebook.metadata.get("execution", {}).get("inputs")
        if not isinstance(inputs, dict):
            return ["no record of its inputs"]
        changed = []
        for name, digest in inputs.get("files", {}).items():
            if self.digest(Path(name)) != digest:
                changed.append(name)
        environment = self.child_environment()
        for name, value in inputs.get("env", {}).items():
            if environment.get(name) != value:
                changed.append(f"${name}")
        return changed

    def describe_inputs(self, lesson: Lesson, files: set[Path], names: set[str]) -> dict:
        """The inputs to store with an entry: digests of files read, values of variables read."""
        lesson_file = lesson.path.resolve()
        sources = {source_of(p) for p in files} - {lesson_file}  # its code is in the key
        environment = self.child_environment()
        return {
            "files": {str(p): self.digest(p) for p in sorted(sources)},
            "env": {
                name: environment.get(name)
                for name in sorted(names)
                if name not in PER_RUN_VARIABLES
            },
        }

    def _read(self, path: Path) -> nbformat.NotebookNode | None:
        """An entry, or None (with a log line naming the file) when it cannot be used."""
        try:
            notebook = nbformat.read(path, as_version=4)
            execution = notebook.metadata["execution"]
            if not execution.get("complete") or "inputs" not in execution:
                raise ValueError("incomplete entry")
            return notebook
        except FileNotFoundError:
            return None
        except Exception as exc:  # noqa: BLE001 - a broken entry is a miss, never a crash
            self.report(
                f"cache entry {path} is unreadable ({type(exc).__name__}: {exc}); re-running"
            )
            return None

    def lookup(self, lesson: Lesson) -> Lookup:
        entry = self._entry(lesson)
        notebook = self._read(entry) if entry.exists() else None
        if notebook is not None:
            changed = self.changed_inputs(notebook)
            if not changed:
                return Lookup(notebook, "unchanged")
            shown = ", ".join(changed[:5]) + (
                f" and {len(changed) - 5} more" if len(changed) > 5 else ""
            )
            return Lookup(None, f"changed inputs: {shown}")
        if entry.exists():
            return Lookup(None, f"unusable cache entry {entry.name}")
        previous = self._read_json(self._last(lesson))
        if not previous:
            return Lookup(None, "never executed")
        if previous.get("discarded"):
            return Lookup(None, str(previous["discarded"]))
        if previous.get("code") != lesson.code_hash():
            return Lookup(None, "code cells changed")
        if previous.get("kind") != self.kind:
            return Lookup(None, f"device changed ({previous.get('kind')} -> {self.kind})")
        return Lookup(None, "environment changed (libraries, threads, header or checkout)")

    # -- writing -------------------------------------------------------------------
    @contextlib.contextmanager
    def lock(self, lesson: Lesson) -> Iterator[None]:
        """Hold the lesson's lock: concurrent builds on one cache run a lesson one at a time."""
        folder = self._folder(lesson)
        folder.mkdir(parents=True, exist_ok=True)
        with open(folder / ".lock", "w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def discard(self, lesson: Lesson, reason: str) -> None:
        """Remove the lesson's entry (its run turned out unpublishable); the next lookup says why."""
        self._entry(lesson).unlink(missing_ok=True)
        self._write_json(
            self._last(lesson),
            {"code": lesson.code_hash(), "kind": self.kind, "discarded": f"discarded: {reason}"},
        )

    def begin(self, lesson: Lesson) -> Path:
        """Drop the entry under the lesson's key and return a fresh, unique temporary path
        for the lesson process to write into (never the entry itself)."""
        self._entry(lesson).unlink(missing_ok=True)
        scratch = self.root / "incoming"
        scratch.mkdir(parents=True, exist_ok=True)
        for stale in scratch.glob("*.ipynb"):  # left by a build that was killed a day ago
            with contextlib.suppress(OSError):
                if stale.stat().st_mtime < time.time() - 86_400:
                    stale.unlink()
        return scratch / f"{lesson.id}.{os.getpid()}.{uuid.uuid4().hex}.ipynb"

    def store(self, lesson: Lesson, notebook: nbformat.NotebookNode, inputs: dict) -> None:
        """Put a checked run in place: written beside the entry, then renamed over it."""
        notebook.metadata["execution"]["inputs"] = inputs
        entry = self._entry(lesson)
        temporary = entry.with_name(f".{entry.name}.{os.getpid()}.{uuid.uuid4().hex}")
        nbformat.write(notebook, temporary)
        temporary.replace(entry)
        self._write_json(
            self._last(lesson), {"code": lesson.code_hash(), "kind": self.kind, "key": entry.stem}
        )

    # -- small JSON files ------------------------------------------------------------
    def _read_json(self, path: Path) -> dict:
        try:
            value = json.loads(path.read_text(encoding="utf-8"))
            return value if isinstance(value, dict) else {}
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            self.report(f"ignoring unreadable {path} ({exc})")
            return {}

    def _write_json(self, path: Path, value: dict) -> None:
        write_atomically(path, json.dumps(value, indent=1, sort_keys=True))

    # Recorded run times decide the order of parallel execution (longest first).
    def timings(self) -> dict[str, float]:
        return self._read_json(self.root / "timings.json")

    def expected_durations(self) -> dict[str, float]:
        """How long each lesson is expected to run: its last run with this cache, else its
        time in the benchmark record (a first build needs the longest started first too)."""
        record = self.benchmark_record
        return {**(benchmarked_seconds(record) if record else {}), **self.timings()}

    def save_timings(self, measured: dict[str, float]) -> None:
        self._write_json(self.root / "timings.json", {**self.timings(), **measured})
