"""The learners' wheel: the ``dlcourse`` package alone, with its pinned runtime dependencies.

A student who downloads a lesson installs this wheel and nothing of the site: no MkDocs, no
``coursebuild``. The build writes it with :mod:`zipfile` from the package's files instead of
calling a build backend, so it needs no network (no build isolation) and writes nothing into
the checkout; fixed timestamps, permissions and file order give the same bytes on every
build, so its URL always names the same file.

Its name, version and dependencies come from the learners' project, ``code/pyproject.toml``
and ``code/requirements-lessons.txt``, the same files ``pip install
"git+<repository>#subdirectory=code"`` builds from, so both ways install the same thing.

    python -m coursebuild.wheel DIR      # writes DIR/dlcourse-<version>-py3-none-any.whl
"""

from __future__ import annotations

import base64
import hashlib
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import tomllib

PACKAGE = "dlcourse"
PROJECT_FILE = "pyproject.toml"
# The lesson's runtime pins, one per line: what lessons and the course package import.
REQUIREMENTS_FILE = "requirements-lessons.txt"
# 1980-01-01, the earliest time a zip entry can hold: a date that says "not a build time".
FIXED_TIME = (1980, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class LearnersProject:
    """The learners' distribution as ``code/pyproject.toml`` declares it."""

    root: Path  # the folder holding pyproject.toml and the package (``code/``)
    name: str
    version: str
    summary: str
    requires_python: str
    requirements: tuple[str, ...]  # pinned, e.g. "torch==2.13.0"

    @classmethod
    def read(cls, root: Path) -> LearnersProject:
        project = tomllib.loads((root / PROJECT_FILE).read_text(encoding="utf-8"))["project"]
        return cls(
            root=root,
            name=project["name"],
            version=project["version"],
            summary=project.get("description", ""),
            requires_python=project.get("requires-python", ""),
            requirements=read_requirements(root / REQUIREMENTS_FILE),
        )

    @property
    def wheel_name(self) -> str:
        return f"{self.name}-{self.version}-py3-none-any.whl"

    @property
    def dist_info(self) -> str:
        return f"{self.name}-{self.version}.dist-info"

    def package_files(self) -> list[Path]:
        """The package's files, sorted (caches and compiled files left out)."""
        return sorted(
            path
            for path in (self.root / PACKAGE).rglob("*")
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"
        )


def read_requirements(path: Path) -> tuple[str, ...]:
    """The requirement lines of a requirements file (comments and blank lines dropped)."""
    lines = (
        line.split("#", 1)[0].strip() for line in path.read_text(encoding="utf-8").splitlines()
    )
    return tuple(line for line in lines if line)


def _metadata(project: LearnersProject) -> str:
    lines = [
        "Metadata-Version: 2.1",
        f"Name: {project.name}",
        f"Version: {project.version}",
        f"Summary: {project.summary}",
        "License: MIT",
    ]
    if project.requires_python:
        lines.append(f"Requires-Python: {project.requires_python}")
    lines += [f"Requires-Dist: {requirement}" for requirement in project.requirements]
    return "\n".join(lines) + "\n"


WHEEL_FILE = (
    "Wheel-Version: 1.0\nGenerator: coursebuild.wheel\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
)


def _record_line(name: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}"


def wheel_entries(project: LearnersProject) -> list[tuple[str, bytes]]:
    """The wheel's members in order: the package, then METADATA, WHEEL and RECORD."""
    entries = [
        (path.relative_to(project.root).as_posix(), path.read_bytes())
        for path in project.package_files()
    ]
    entries += [
        (f"{project.dist_info}/METADATA", _metadata(project).encode()),
        (f"{project.dist_info}/WHEEL", WHEEL_FILE.encode()),
    ]
    record = [_record_line(name, data) for name, data in entries]
    record.append(f"{project.dist_info}/RECORD,,")
    return [*entries, (f"{project.dist_info}/RECORD", ("\n".join(record) + "\n").encode())]


def write_wheel(project: LearnersProject, out_dir: Path) -> Path:
    """Write the learners' wheel into ``out_dir``; the same files give the same bytes."""
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / project.wheel_name
    with zipfile.ZipFile(target, "w") as archive:
        for name, data in wheel_entries(project):
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data, compresslevel=9)
    return target


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print(__doc__.strip().splitlines()[-1].strip(), file=sys.stderr)
        return 2
    from coursebuild.cache import source_root

    project = LearnersProject.read(source_root(Path("lessons")))
    print(write_wheel(project, Path(args[0])))
    return 0


if __name__ == "__main__":
    sys.exit(main())
