"""Lesson files: one jupytext percent-format script per lesson, prose in both languages.

A lesson file looks like this::

    # ---
    # jupyter:
    #   lesson:
    #     title: {es: Una neurona, en: A single neuron}
    #     summary: {es: ..., en: ...}
    #     order: 1
    #     budget_cpu_s: 60
    #     gpu_helps: false
    # ---

    # %% [markdown] lang="es"
    # ## Objetivos ...

    # %% [markdown] lang="en"
    # ## Objectives ...

    # %%
    print("code cells are shared by both languages")

Markdown cells carry the language they are written in (``lang="es"``, ``lang="en"``: the
site's languages, from :mod:`coursebuild.languages`); code cells carry no language and are
executed once for all languages. The script also runs as plain Python, because the prose is
comments.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import jupytext

from coursebuild.languages import Languages

CELL_MARKER = re.compile(r"^# %%")
HEADING = re.compile(r"^(#{1,6})\s+\S", re.MULTILINE)


class LessonFormatError(ValueError):
    """A lesson file that does not follow the lesson format; the message names the file."""


@dataclass(frozen=True)
class LessonMeta:
    """What the site needs to know about a lesson before running it."""

    title: dict[str, str]  # language -> title
    summary: dict[str, str]  # language -> one-sentence description for the catalogue
    order: int  # position in the lesson catalogue
    budget_cpu_s: int  # promised wall time on 2 CPU cores
    gpu_helps: bool  # whether a CUDA device makes the lesson meaningfully faster or bigger
    timeout_s: int  # a lesson still running after this long is considered hung; fails the build


@dataclass(frozen=True)
class Cell:
    """One cell of a lesson; ``lang`` is None for code cells (shared by both languages)."""

    kind: str  # "code" or "markdown"
    source: str
    lang: str | None
    line: int  # 1-based line of the cell marker in the .py file


@dataclass(frozen=True)
class Lesson:
    """A parsed lesson file."""

    path: Path
    meta: LessonMeta
    cells: tuple[Cell, ...] = field(repr=False)

    @property
    def id(self) -> str:
        """The lesson's slug: the file name without extension (also its page name)."""
        return self.path.stem

    @property
    def code_cells(self) -> list[Cell]:
        return [c for c in self.cells if c.kind == "code"]

    def prose(self, lang: str) -> list[Cell]:
        return [c for c in self.cells if c.kind == "markdown" and c.lang == lang]

    def code_hash(self) -> str:
        """Hash of what gets executed: the code cells only, so prose edits change nothing."""
        digest = hashlib.sha256()
        for cell in self.code_cells:
            digest.update(cell.source.strip().encode())
            digest.update(b"\0")
        return digest.hexdigest()


def _require(condition: bool, path: Path, message: str) -> None:
    if not condition:
        raise LessonFormatError(f"{path}: {message}")


def _parse_meta(raw: object, path: Path, languages: Languages) -> LessonMeta:
    _require(isinstance(raw, dict), path, "missing 'lesson:' block in the jupytext header")
    assert isinstance(raw, dict)
    for key in ("title", "summary"):
        value = raw.get(key)
        _require(
            isinstance(value, dict) and all(value.get(lang) for lang in languages),
            path,
            f"lesson.{key} needs a text for each language {languages.codes}",
        )
    for key in ("order", "budget_cpu_s"):
        _require(isinstance(raw.get(key), int), path, f"lesson.{key} must be an integer")
    return LessonMeta(
        title={lang: str(raw["title"][lang]) for lang in languages},
        summary={lang: str(raw["summary"][lang]) for lang in languages},
        order=int(raw["order"]),
        budget_cpu_s=int(raw["budget_cpu_s"]),
        gpu_helps=bool(raw.get("gpu_helps", False)),
        timeout_s=int(raw.get("timeout_s", max(120, 5 * int(raw["budget_cpu_s"])))),
    )


def load_lesson(path: Path, languages: Languages) -> Lesson:
    """Parse and validate a lesson file; raise LessonFormatError naming the file."""
    text = path.read_text(encoding="utf-8")
    notebook = jupytext.reads(text, fmt="py:percent")
    meta = _parse_meta(notebook.metadata.get("lesson"), path, languages)

    marker_lines = [i + 1 for i, line in enumerate(text.splitlines()) if CELL_MARKER.match(line)]
    _require(
        len(marker_lines) == len(notebook.cells),
        path,
        "every cell must start with a '# %%' marker (found text outside cells)",
    )
    cells = []
    for nb_cell, line in zip(notebook.cells, marker_lines, strict=True):
        lang = nb_cell.metadata.get("lang")
        if nb_cell.cell_type == "markdown":
            _require(
                lang in languages,
                path,
                f"markdown cell at line {line} needs lang= one of {languages.codes}",
            )
        elif nb_cell.cell_type == "code":
            _require(lang is None, path, f"code cell at line {line} must not have a language")
        else:
            raise LessonFormatError(f"{path}: unsupported {nb_cell.cell_type} cell at line {line}")
        cells.append(Cell(kind=nb_cell.cell_type, source=nb_cell.source, lang=lang, line=line))
    _require(any(c.kind == "code" for c in cells), path, "a lesson needs at least one code cell")
    return Lesson(path=path, meta=meta, cells=tuple(cells))


def discover_lessons(lessons_dir: Path, languages: Languages) -> list[Lesson]:
    """All lessons of a folder, in catalogue order."""
    lessons = [
        load_lesson(p, languages)
        for p in sorted(lessons_dir.glob("*.py"))
        if not p.name.startswith("_")
    ]
    return sorted(lessons, key=lambda lesson: (lesson.meta.order, lesson.id))


def heading_levels(markdown: str) -> list[int]:
    """Heading levels of a Markdown text, ignoring fenced code blocks."""
    levels: list[int] = []
    in_fence = False
    for line in markdown.splitlines():
        if line.lstrip().startswith(("```", "~~~")):
            in_fence = not in_fence
            continue
        match = HEADING.match(line)
        if match and not in_fence:
            levels.append(len(match.group(1)))
    return levels


def structure_mismatches(lesson: Lesson, languages: Languages) -> list[str]:
    """Differences between the prose of the default language and each other one (empty when
    parallel): the default language is the source of structure, the others mirror it."""
    source = lesson.prose(languages.default)
    source_levels = [heading_levels(c.source) for c in source]
    problems = []
    for other in languages.others:
        mirror = lesson.prose(other)
        if len(source) != len(mirror):
            problems.append(
                f"{len(source)} markdown cells in {languages.default} but {len(mirror)} in {other}"
            )
        mirror_levels = [heading_levels(c.source) for c in mirror]
        for index, (a, b) in enumerate(zip(source_levels, mirror_levels, strict=False)):
            if a != b:
                problems.append(
                    f"markdown cell pair {index + 1}: headings {a} ({languages.default}) "
                    f"vs {b} ({other})"
                )
    return problems
