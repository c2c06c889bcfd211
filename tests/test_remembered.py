"""What the build remembers between builds to be fast must never hide a change."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from coursebuild import cache as cache_module
from coursebuild.cache import FileDigests, InstalledDistributions, file_digest
from coursebuild.pipeline import Pipeline

from .conftest import LANGUAGES
from .projects import make_project, write_lesson


def test_saved_digests_see_an_edit_that_keeps_the_size_and_the_time(tmp_path: Path):
    data = tmp_path / "table.csv"
    data.write_text("a,b\n1,2\n")
    digests = FileDigests()
    before = digests(data)
    digests.save(tmp_path / "digests.json")
    status = data.stat()
    data.write_text("a,b\n3,4\n")  # same size
    os.utime(data, ns=(status.st_atime_ns, status.st_mtime_ns))  # same modification time
    later = FileDigests()  # a new build, from what the last one saved
    later.load(tmp_path / "digests.json")
    assert later(data) == file_digest(data) != before


def test_saved_digests_are_served_while_the_file_is_unchanged(tmp_path: Path, monkeypatch):
    data = tmp_path / "table.csv"
    data.write_text("a,b\n1,2\n")
    digests = FileDigests()
    digests(data)
    digests.save(tmp_path / "digests.json")
    read = []
    monkeypatch.setattr(cache_module, "file_digest", lambda path: read.append(path) or "x")
    later = FileDigests()
    later.load(tmp_path / "digests.json")
    assert later(data) != "x" and read == []


def test_installed_distributions_are_read_again_when_a_path_folder_changes(
    tmp_path: Path, monkeypatch
):
    reads = []
    monkeypatch.setattr(cache_module, "distributions", lambda: reads.append(1) or {"a": "1"})
    monkeypatch.setattr(sys, "path", [str(tmp_path)])
    installed = InstalledDistributions()
    installed()
    installed()
    assert len(reads) == 1
    (tmp_path / "b-2.0.dist-info").mkdir()  # what pip does for an install
    os.utime(tmp_path, ns=(0, tmp_path.stat().st_mtime_ns + 1))
    installed()
    assert len(reads) == 2


def test_a_parsed_lesson_is_reused_only_for_the_same_content(tmp_path: Path, monkeypatch):
    project = make_project(tmp_path / "project")
    monkeypatch.setenv("DLCOURSE_CACHE", str(tmp_path / "cache"))
    lesson = write_lesson(project, "one", 'print("value", 1)')

    def title() -> str:
        pipeline = Pipeline(project / "lessons", LANGUAGES, progress=lambda _: None)
        return pipeline.discover()[0].meta.title["es"]

    assert title() == "Lección one"
    assert title() == "Lección one"  # a new process: the stored parse
    lesson.write_text(lesson.read_text().replace("es: Lección one", "es: Lección nueva"))
    assert title() == "Lección nueva"
    assert len(list((tmp_path / "cache" / "parsed").glob("*.json"))) == 2
