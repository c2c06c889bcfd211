"""A build never changes the project: a cheap snapshot of its files, before and after.

The plugin (:mod:`coursebuild.plugin`) takes a snapshot of every file of the project tree
before the lessons run, by path, size and modification time (no reads: a few milliseconds
for a few hundred files), and compares it after they ran and after the pages were written.
Not guarded: the site, the execution cache, version control, environments, Python and tool
caches, and whatever ``.gitignore`` ignores.
"""

from __future__ import annotations

import os
from pathlib import Path

import pathspec

# Folders that are never sources, wherever they are: version control, environments, caches.
IGNORED_FOLDERS = frozenset(
    {
        ".git",
        ".hg",
        ".venv",
        "venv",
        "node_modules",
        "__pycache__",
        ".cache",
        ".pytest_cache",
        ".ruff_cache",
        ".mypy_cache",
        ".ipynb_checkpoints",
    }
)
SHOWN_CHANGES = 10  # files named in the error; the rest are counted

FileState = tuple[int, int]  # size, mtime_ns


class ProjectGuard:
    """The files of a project that a build must not touch, and a cheap way to tell if it did.

    A snapshot stats every file (no reads): a few milliseconds for a few hundred files.
    """

    def __init__(self, root: Path, skip: list[Path], extra_roots: list[Path] | None = None):
        self.root = root.resolve()
        self.skip = {path.resolve() for path in skip}
        self.roots = [self.root] + [
            path.resolve()
            for path in extra_roots or []
            if not path.resolve().is_relative_to(self.root)
        ]
        gitignore = self.root / ".gitignore"
        lines = gitignore.read_text(encoding="utf-8").splitlines() if gitignore.is_file() else []
        self.ignored = pathspec.GitIgnoreSpec.from_lines(lines)
        # The build's own log, when redirected into a file of the project (``> build.log``).
        self.own_output: set[tuple[int, int]] = set()
        for stream in (1, 2):
            try:
                stat = os.fstat(stream)
            except OSError:
                continue
            self.own_output.add((stat.st_dev, stat.st_ino))

    def shown(self, path: str | Path) -> str:
        """``path`` relative to the project when it is inside it."""
        try:
            return Path(path).relative_to(self.root).as_posix()
        except ValueError:
            return str(path)

    def _skipped(self, path: str, folder: bool) -> bool:
        name = os.path.basename(path)
        if folder and (name in IGNORED_FOLDERS or name.endswith(".egg-info")):
            return True
        if not folder and name.endswith(".pyc"):
            return True
        if folder and Path(path) in self.skip:
            return True
        shown = self.shown(path)
        return shown != path and self.ignored.match_file(shown + ("/" if folder else ""))

    def covers(self, path: Path) -> bool:
        """Whether a file at ``path`` belongs to the guarded project (a write there is a fault)."""
        resolved = path.resolve()
        root = next((r for r in self.roots if resolved.is_relative_to(r)), None)
        if root is None:
            return False
        folder = root
        for part in resolved.relative_to(root).parts[:-1]:
            folder = folder / part
            if self._skipped(str(folder), folder=True):
                return False
        return not self._skipped(str(resolved), folder=False)

    def snapshot(self) -> dict[str, FileState]:
        """Path (relative to the project) -> (size, mtime_ns) of every guarded file."""
        state: dict[str, FileState] = {}
        pending = [str(root) for root in self.roots if root.is_dir()]
        while pending:
            folder = pending.pop()
            try:
                entries = list(os.scandir(folder))
            except OSError:
                continue  # removed meanwhile: its files show as removed
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    if not self._skipped(entry.path, folder=True):
                        pending.append(entry.path)
                elif not self._skipped(entry.path, folder=False):
                    try:
                        stat = entry.stat(follow_symlinks=False)
                    except OSError:
                        continue
                    if (stat.st_dev, stat.st_ino) not in self.own_output:
                        state[self.shown(entry.path)] = (stat.st_size, stat.st_mtime_ns)
        return state

    @staticmethod
    def changes(before: dict[str, FileState], after: dict[str, FileState]) -> list[str]:
        """Each file created, changed or removed between two snapshots, with what happened."""
        found = [f"{path} (new)" for path in after.keys() - before.keys()]
        found += [f"{path} (removed)" for path in before.keys() - after.keys()]
        found += [
            f"{path} (changed)"
            for path in before.keys() & after.keys()
            if before[path] != after[path]
        ]
        return sorted(found)


def listing(changes: list[str]) -> str:
    shown = ", ".join(changes[:SHOWN_CHANGES])
    more = len(changes) - SHOWN_CHANGES
    return shown + (f" and {more} more" if more > 0 else "")
