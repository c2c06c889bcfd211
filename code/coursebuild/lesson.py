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

An exercise's solution is made of cells marked ``solution="<exercise>"`` (code and prose in
each language), after all of the lesson's own code::

    # %% [markdown] lang="es" solution="2"
    # Con la solución exacta ...

    # %% solution="2"
    exact = torch.linalg.lstsq(...)

The build runs solution code after the lesson's code, and the page folds each solution,
outputs and figures included, under "Solución 2" / "Solution 2".

Header fields: ``title`` and ``summary`` (a text per language), ``order`` (an integer),
``budget_cpu_s`` (a positive integer); optional ``timeout_s`` (a positive integer, default
``max(120, 5 * budget_cpu_s)``) and ``gpu_helps`` (true or false). Any other key is an error,
so a misspelt field does not pass unnoticed. A file that does not follow this format raises
:class:`LessonFormatError` with one line ``<file>:<line>: <reason>`` (the line where there is
one): invalid UTF-8, a YAML error in the header, a missing or mistyped field, a cell without
its marker or language.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import jupytext
import nbformat
import yaml

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
    solution: str | None = None  # the exercise this cell solves, if it is part of a solution


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
        """Every code cell, in the order the build runs them (solutions come last)."""
        return [c for c in self.cells if c.kind == "code"]

    def prose(self, lang: str) -> list[Cell]:
        return [c for c in self.cells if c.kind == "markdown" and c.lang == lang]

    def code_hash(self) -> str:
        """Hash of what gets executed: the code cells only, so prose edits change nothing."""
        digest = hashlib.sha256()
        for cell in self.code_cells:
            digest.update(cell.source.strip().encode())
            digest.update(f"\0{cell.solution or ''}\0".encode())
        return digest.hexdigest()


HEADER_KEYS = ("title", "summary", "order", "budget_cpu_s", "timeout_s", "gpu_helps")


def _where(path: Path, line: int | None) -> str:
    """The file as its author knows it (relative to where the build started), and the line."""
    try:
        shown = str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        shown = str(path)
    return f"{shown}:{line}" if line is not None else shown


def _fail(path: Path, line: int | None, reason: str) -> LessonFormatError:
    """The error for one problem of a lesson file: ``<file>:<line>: <reason>``, on one line."""
    return LessonFormatError(f"{_where(path, line)}: {' '.join(reason.split())}")


def _require(condition: bool, path: Path, message: str, line: int | None = None) -> None:
    if not condition:
        raise _fail(path, line, message)


class _Header:
    """Where the fields of a lesson's jupytext header are, to point errors at their line."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        markers = [i for i, text in enumerate(lines) if text.strip() == "# ---"]
        self.end = markers[1] if len(markers) > 1 else 0  # 0-based index of the closing marker
        self.lesson = self.find("lesson")

    def find(self, key: str, after: int | None = None) -> int | None:
        """1-based line of ``key:`` in the header (below line ``after`` when given)."""
        pattern = re.compile(rf"^#\s*{re.escape(key)}\s*:")
        for index in range(after or 0, self.end):
            if pattern.match(self.lines[index]):
                return index + 1
        return None

    def field(self, key: str) -> int | None:
        """The line of ``lesson.<key>``, or of ``lesson:`` itself when the key is absent."""
        return self.find(key, after=self.lesson) or self.lesson

    def yaml_line(self, yaml_line: int) -> int | None:
        """The file line of a 0-based line of the YAML that jupytext parsed (which starts at
        ``jupyter:``)."""
        start = self.find("jupyter")
        return None if start is None else start + yaml_line


def _integer(raw: dict, key: str, path: Path, header: _Header, *, positive: bool) -> int:
    value = raw[key]
    ok = isinstance(value, int) and not isinstance(value, bool) and (value > 0 or not positive)
    kind = "a positive integer" if positive else "an integer"
    _require(ok, path, f"lesson.{key} must be {kind}, not {value!r}", header.field(key))
    return int(value)


def _parse_meta(raw: object, path: Path, languages: Languages, header: _Header) -> LessonMeta:
    _require(
        isinstance(raw, dict),
        path,
        "missing 'lesson:' block in the jupytext header",
        header.lesson or (1 if header.end else None),
    )
    assert isinstance(raw, dict)
    for key in raw:
        _require(
            key in HEADER_KEYS,
            path,
            f"unknown field lesson.{key} (known: {', '.join(HEADER_KEYS)})",
            header.field(str(key)),
        )
    for key in ("title", "summary"):
        value = raw.get(key)
        _require(
            isinstance(value, dict) and all(value.get(lang) for lang in languages),
            path,
            f"lesson.{key} needs a text for each language {languages.codes}",
            header.field(key),
        )
    for key in ("order", "budget_cpu_s"):
        _require(key in raw, path, f"lesson.{key} is missing (an integer)", header.lesson)
    order = _integer(raw, "order", path, header, positive=False)
    budget = _integer(raw, "budget_cpu_s", path, header, positive=True)
    timeout = (
        _integer(raw, "timeout_s", path, header, positive=True)
        if "timeout_s" in raw
        else max(120, 5 * budget)
    )
    gpu_helps = raw.get("gpu_helps", False)
    _require(
        isinstance(gpu_helps, bool),
        path,
        f"lesson.gpu_helps must be true or false, not {gpu_helps!r}",
        header.field("gpu_helps"),
    )
    return LessonMeta(
        title={lang: str(raw["title"][lang]) for lang in languages},
        summary={lang: str(raw["summary"][lang]) for lang in languages},
        order=order,
        budget_cpu_s=budget,
        gpu_helps=gpu_helps,
        timeout_s=timeout,
    )


def _read_text(path: Path) -> str:
    """The file as UTF-8; invalid bytes are reported with their line."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise _fail(path, line, f"not valid UTF-8 ({exc.reason} at byte {exc.start})") from None


def _read_notebook(text: str, path: Path, header: _Header) -> nbformat.NotebookNode:
    """The jupytext notebook of a lesson; a broken header is one error line, never a traceback."""
    try:
        return jupytext.reads(text, fmt="py:percent")
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = header.yaml_line(mark.line) if mark is not None else None
        reason = exc.problem or exc.context or "invalid YAML"
        if exc.problem and exc.context and exc.context_mark is not None:
            started = header.yaml_line(exc.context_mark.line)
            reason += f" ({exc.context}{f' at line {started}' if started else ''})"
        raise _fail(path, line, f"YAML error in the header: {reason}") from None
    except (yaml.YAMLError, ValueError, TypeError, KeyError, AttributeError) as exc:
        raise _fail(path, None, f"jupytext cannot read it ({type(exc).__name__}: {exc})") from None


def load_lesson(path: Path, languages: Languages) -> Lesson:
    """Parse and validate a lesson file; raise LessonFormatError ``<file>:<line>: <reason>``."""
    text = _read_text(path)
    lines = text.splitlines()
    header = _Header(lines)
    notebook = _read_notebook(text, path, header)
    meta = _parse_meta(notebook.metadata.get("lesson"), path, languages, header)

    marker_lines = [i + 1 for i, line in enumerate(lines) if CELL_MARKER.match(line)]
    _require(
        len(marker_lines) == len(notebook.cells),
        path,
        "every cell must start with a '# %%' marker (found text outside cells)",
    )
    cells = []
    solution_started = None
    for nb_cell, line in zip(notebook.cells, marker_lines, strict=True):
        lang = nb_cell.metadata.get("lang")
        solution = nb_cell.metadata.get("solution")
        _require(
            solution is None or (isinstance(solution, (str, int)) and bool(str(solution).strip())),
            path,
            f"solution= needs the exercise it solves, not {solution!r}",
            line,
        )
        solution = None if solution is None else str(solution).strip()
        if solution is not None and solution_started is None:
            solution_started = line
        if nb_cell.cell_type == "code" and solution is None and solution_started is not None:
            raise _fail(
                path,
                line,
                f"the lesson's code must come before the solutions (the first starts at line "
                f"{solution_started}): the build runs solutions last",
            )
        if nb_cell.cell_type == "markdown":
            _require(
                lang in languages,
                path,
                f"markdown cell needs lang= one of {languages.codes}",
                line,
            )
        elif nb_cell.cell_type == "code":
            _require(lang is None, path, "a code cell must not have a language", line)
        else:
            raise _fail(path, line, f"unsupported {nb_cell.cell_type} cell")
        cells.append(
            Cell(
                kind=nb_cell.cell_type,
                source=nb_cell.source,
                lang=lang,
                line=line,
                solution=solution,
            )
        )
    _require(
        any(c.kind == "code" and c.solution is None for c in cells),
        path,
        "a lesson needs at least one code cell",
    )
    return Lesson(path=path, meta=meta, cells=tuple(cells))


def lesson_record(lesson: Lesson) -> dict:
    """A parsed lesson as plain data (see :func:`lesson_from_record`)."""
    return {"meta": dataclasses.asdict(lesson.meta), "cells": [c.__dict__ for c in lesson.cells]}


def lesson_from_record(path: Path, record: dict) -> Lesson:
    """The lesson :func:`lesson_record` wrote, for the file at ``path``."""
    return Lesson(
        path=path,
        meta=LessonMeta(**record["meta"]),
        cells=tuple(Cell(**cell) for cell in record["cells"]),
    )


def lesson_files(lessons_dir: Path) -> list[Path]:
    """The lesson files of a folder (``_name.py`` files are helpers, not lessons)."""
    return [p for p in sorted(lessons_dir.glob("*.py")) if not p.name.startswith("_")]


def discover_lessons(lessons_dir: Path, languages: Languages) -> list[Lesson]:
    """All lessons of a folder, in catalogue order."""
    lessons = [load_lesson(p, languages) for p in lesson_files(lessons_dir)]
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
