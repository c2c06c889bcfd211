"""What a lesson run actually read: files (its modules among them) and environment variables.

Installed at interpreter start in the lesson process and in every Python process it starts
(the executor puts a ``sitecustomize`` on their ``PYTHONPATH``; forked workers inherit the
hook), it appends one JSON line per event to ``$DLCOURSE_RECORD/<pid>.jsonl``:

* ``{"open": path}`` for every file opened for reading outside the Python installation and
  the scratch folders (an audit hook on the ``open`` event, so ``import`` of a course module,
  ``open()``, ``numpy.load`` and ``torch.load`` are all seen), and ``{"write": path}`` for
  every file opened for writing: what a run wrote itself (a temporary file read back) is
  an output, not an input;
* ``{"env": name}`` for every environment variable read by the lesson itself or by code
  outside the Python installation (library internals are covered by their versions).

The parent turns those lines into the inputs of the cache entry (:func:`collect`); it hashes
the files itself, after the run, so the child never decides what is valid.
"""

from __future__ import annotations

import json
import os
import sys
import sysconfig
from pathlib import Path

RECORD_VARIABLE = "DLCOURSE_RECORD"  # folder of the per-process logs
SITECUSTOMIZE = """\
# Written by coursebuild.executor: records what this process reads (coursebuild.recording).
import os

if os.environ.get("DLCOURSE_RECORD"):
    from coursebuild.recording import install

    install(os.environ["DLCOURSE_RECORD"])
"""


def _system_prefixes() -> tuple[str, ...]:
    """Folders whose files are covered by the interpreter and distribution versions."""
    paths = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix}
    for name in ("stdlib", "platstdlib", "purelib", "platlib"):
        path = sysconfig.get_paths().get(name)
        if path:
            paths.add(path)
    paths.update(p for p in sys.path if "site-packages" in p or "dist-packages" in p)
    volatile = {"/proc", "/sys", "/dev"}
    home_cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    volatile.add(home_cache)  # matplotlib's font list and the like: derived, not inputs
    for name in ("DLCOURSE_WORKDIR", RECORD_VARIABLE):  # the run's own scratch folders
        if os.environ.get(name):
            volatile.add(os.environ[name])
    return tuple(sorted({os.path.realpath(p) + os.sep for p in paths | volatile}))


def _is_read(mode: object, flags: object) -> bool:
    if isinstance(mode, str):
        return "r" in mode and "+" not in mode
    if isinstance(flags, int):
        return flags & (os.O_WRONLY | os.O_RDWR) == 0
    return mode is None


def install(folder: str) -> None:
    """Start recording this process's reads into ``folder`` (idempotent per process)."""
    if getattr(sys, "_coursebuild_recording", None) == folder:
        return
    sys._coursebuild_recording = folder  # type: ignore[attr-defined]
    skip = _system_prefixes()
    log_path = os.path.join(folder, f"{os.getpid()}.jsonl")
    descriptor = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    seen: set[tuple[str, str]] = set()
    writing = False

    def emit(kind: str, value: str) -> None:
        nonlocal writing
        if (kind, value) in seen or writing:
            return
        seen.add((kind, value))
        writing = True
        try:
            os.write(descriptor, (json.dumps({kind: value}) + "\n").encode())
        finally:
            writing = False

    def hook(event: str, args: tuple) -> None:
        if event != "open" or writing:
            return
        path, mode, flags = (list(args) + [None, None, None])[:3]
        if isinstance(path, int) or path is None:
            return
        absolute = os.path.realpath(os.fsdecode(path))
        if absolute.startswith(skip) or os.path.isdir(absolute):
            return
        emit("open" if _is_read(mode, flags) else "write", absolute)

    sys.addaudithook(hook)
    # Modules imported before the hook: this one, and in a process forked from the fork
    # server the course's modules the server had loaded (its libraries are system files).
    for module in list(sys.modules.values()):
        loaded = getattr(module, "__file__", None)
        if isinstance(loaded, str) and os.path.exists(loaded):
            absolute = os.path.realpath(loaded)
            if not absolute.startswith(skip):
                emit("open", absolute)
    _record_environment_reads(lambda name: emit("env", name), skip)


def _record_environment_reads(emit, skip: tuple[str, ...]) -> None:
    """Wrap ``os.environ`` reads: note a name when the reader is not the Python installation."""
    environ_type = type(os.environ)
    original = environ_type.__getitem__
    library_files = {os.__file__, getattr(sys.modules.get("_collections_abc"), "__file__", "")}

    def getitem(self, key):
        frame = sys._getframe(1)
        while frame is not None and (
            frame.f_code.co_filename in library_files
            or frame.f_code.co_filename.startswith("<frozen")
        ):
            frame = frame.f_back  # os.environ.get and os.getenv: look at their caller
        if frame is not None:
            filename = frame.f_code.co_filename
            if not filename.startswith("<") and not os.path.realpath(filename).startswith(skip):
                emit(os.fsdecode(key) if isinstance(key, bytes) else str(key))
        return original(self, key)

    environ_type.__getitem__ = getitem  # type: ignore[method-assign]


def prepare(folder: Path, package_root: Path) -> dict[str, str]:
    """Make ``folder`` a recording target; return the variables a lesson process needs.

    ``package_root`` goes first on the lesson's ``PYTHONPATH``, so the lesson imports the
    course package of the checkout being built, whatever the environment has installed.
    """
    folder.mkdir(parents=True, exist_ok=True)
    hook_dir = folder / "site"
    hook_dir.mkdir(exist_ok=True)
    (hook_dir / "sitecustomize.py").write_text(SITECUSTOMIZE, encoding="utf-8")
    entries = (str(hook_dir), str(package_root), os.environ.get("PYTHONPATH", ""))
    return {RECORD_VARIABLE: str(folder), "PYTHONPATH": os.pathsep.join(e for e in entries if e)}


def collect(folder: Path) -> tuple[set[Path], set[Path], set[str]]:
    """Files read (and not written by the run), files written, and environment variables
    read, over every process that logged."""
    files: set[Path] = set()
    written: set[Path] = set()
    names: set[str] = set()
    for log in folder.glob("*.jsonl"):
        for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
            try:
                event = json.loads(line)
            except json.JSONDecodeError:
                continue  # a line cut short by a killed process
            if "open" in event:
                files.add(Path(event["open"]))
            elif "write" in event:
                written.add(Path(event["write"]))
            elif "env" in event:
                names.add(event["env"])
    return files - written, written, names
