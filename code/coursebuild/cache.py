"""Content-addressed cache of executed lessons.

An entry is valid when all of these are unchanged since it was executed:

* the lesson's code cells (prose is not part of the key, so a prose edit runs nothing);
* the environment: tracked library versions, the device kind and the runner itself;
* every module of the course package that the lesson imported (recorded at run time), so
  editing ``dlcourse/models.py`` re-runs exactly the lessons that imported it.

Entries live outside the repository (``~/.cache/dlcourse`` by default, or
``$DLCOURSE_CACHE``), so a build never writes into ``docs/`` or the source tree.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat

from coursebuild.lesson import Lesson

RUNNER_FILES = ("runner.py", "cache.py")


def default_cache_dir() -> Path:
    """Where executed lessons are kept between builds."""
    explicit = os.environ.get("DLCOURSE_CACHE")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "dlcourse"


def package_root() -> Path:
    """The folder that holds the ``dlcourse`` package the lessons will import."""
    import dlcourse

    return Path(dlcourse.__file__).resolve().parent.parent


def device_kind() -> str:
    """'cuda' when a usable NVIDIA GPU is present, else 'cpu'; cheap when there is none.

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


def environment_key(kind: str) -> str:
    """Hash of everything outside the lesson that can change its outputs."""
    from coursebuild.runner import library_versions

    here = Path(__file__).parent
    digest = hashlib.sha256(json.dumps(library_versions(), sort_keys=True).encode())
    digest.update(kind.encode())
    for name in RUNNER_FILES:
        digest.update((here / name).read_bytes())
    return digest.hexdigest()


def module_path(module: str, package_root: Path) -> Path:
    """The source file of a course module, e.g. dlcourse.models -> code/dlcourse/models/__init__.py."""
    relative = Path(*module.split("."))
    candidate = package_root / relative.with_suffix(".py")
    return candidate if candidate.exists() else package_root / relative / "__init__.py"


@dataclass(frozen=True)
class Lookup:
    """The outcome of looking a lesson up in the cache."""

    notebook: nbformat.NotebookNode | None  # the cached executed notebook, if valid
    reason: str  # why the lesson must run (or "unchanged")


class ExecutionCache:
    """Executed notebooks keyed by lesson code + environment, validated by module hashes."""

    def __init__(self, root: Path, package_root: Path, kind: str) -> None:
        self.root = root
        self.package_root = package_root  # the folder that holds the dlcourse package
        self.kind = kind
        self.env_key = environment_key(kind)

    def _entry(self, lesson: Lesson) -> Path:
        key = hashlib.sha256(f"{lesson.code_hash()}:{self.env_key}".encode()).hexdigest()[:24]
        return self.root / "lessons" / lesson.id / f"{key}.ipynb"

    def _last(self, lesson: Lesson) -> Path:
        return self.root / "lessons" / lesson.id / "last.json"

    def changed_modules(self, notebook: nbformat.NotebookNode) -> list[str]:
        """Course modules imported by a cached run whose source changed since."""
        changed = []
        for module, digest in notebook.metadata["execution"]["modules"].items():
            path = module_path(module, self.package_root)
            if not path.exists() or hashlib.sha256(path.read_bytes()).hexdigest() != digest:
                changed.append(module)
        return changed

    def lookup(self, lesson: Lesson) -> Lookup:
        entry = self._entry(lesson)
        if entry.exists():
            notebook = nbformat.read(entry, as_version=4)
            changed = self.changed_modules(notebook)
            if not changed:
                return Lookup(notebook, "unchanged")
            return Lookup(None, "changed package code: " + ", ".join(changed))
        last = self._last(lesson)
        if not last.exists():
            return Lookup(None, "never executed")
        previous = json.loads(last.read_text())
        if previous.get("code") != lesson.code_hash():
            return Lookup(None, "code cells changed")
        if previous.get("kind") != self.kind:
            return Lookup(None, f"device changed ({previous.get('kind')} -> {self.kind})")
        return Lookup(None, "library versions or build machinery changed")

    def entry_path(self, lesson: Lesson) -> Path:
        """Where the runner should write a fresh execution of this lesson."""
        path = self._entry(lesson)
        path.parent.mkdir(parents=True, exist_ok=True)
        return path

    def record(self, lesson: Lesson) -> None:
        """Remember the key of the latest successful run, to explain the next miss."""
        payload = {"code": lesson.code_hash(), "env": self.env_key, "kind": self.kind}
        self._last(lesson).write_text(json.dumps(payload))

    def forget(self, lesson: Lesson) -> None:
        """Drop a failed run so it is never served from the cache."""
        self._entry(lesson).unlink(missing_ok=True)

    # Recorded run times decide the order of parallel execution (longest first).
    def timings(self) -> dict[str, float]:
        path = self.root / "timings.json"
        return json.loads(path.read_text()) if path.exists() else {}

    def save_timings(self, measured: dict[str, float]) -> None:
        timings = {**self.timings(), **measured}
        path = self.root / "timings.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(timings, indent=1, sort_keys=True))
        tmp.replace(path)


def python_executable() -> str:
    """The interpreter that runs lessons: the one running the build."""
    return sys.executable
