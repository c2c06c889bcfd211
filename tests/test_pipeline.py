"""The lesson pipeline on a small temporary project: what runs, when, and how failures surface."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import nbformat
import pytest
from coursebuild.cache import ExecutionCache, file_digest
from dlcourse.bilingual import resolve

from .conftest import LANGUAGES, LESSONS, run_mkdocs
from .projects import LESSON, build, serving, write_lesson

pytestmark = pytest.mark.pipeline


def test_cache_runs_only_what_changed(project: Path):
    one = write_lesson(project, "one", 'print("value", 1)', order=1)
    write_lesson(project, "two", 'print("value", 2)', order=2)

    code, ran, log = build(project)
    assert code == 0, log
    assert ran == {"one", "two"}, "a cold build executes every lesson once (not once per language)"
    page_es = (project / "site" / "lessons" / "one" / "index.html").read_text()
    page_en = (project / "site" / "en" / "lessons" / "one" / "index.html").read_text()
    assert "Hola desde one" in page_es and "value 1" in page_es
    assert "Hello from one" in page_en and "value 1" in page_en
    assert (project / "site" / "lessons" / "one" / "fig-01-1.png").exists()
    # The cell ends in plt.title(...): a matplotlib object whose repr is not published.
    assert "Text(0.5" not in page_es and "&lt;matplotlib" not in page_es

    code, ran, log = build(project)
    assert code == 0 and ran == set(), f"a rebuild without changes executed {ran}"

    one.write_text(one.read_text().replace("Hola desde one", "Saludos desde one"))
    code, ran, log = build(project)
    assert code == 0 and ran == set(), f"a prose edit executed {ran}"
    assert "Saludos desde one" in (project / "site" / "lessons" / "one" / "index.html").read_text()

    one.write_text(one.read_text().replace('print("value", 1)', 'print("value", 10)'))
    code, ran, log = build(project)
    assert code == 0 and ran == {"one"}, f"a code edit in one lesson executed {ran}"
    assert "value 10" in (project / "site" / "en" / "lessons" / "one" / "index.html").read_text()


def test_broken_lessons_fail_the_build_with_file_cell_and_error(project: Path):
    raises = write_lesson(
        project, "raises", "def ratio(a, b):\n    return a / b\n\n\nx = ratio(1, 0)", order=1
    )
    write_lesson(project, "nan", 'print(float("nan"))', order=2)
    write_lesson(project, "hangs", "import time\ntime.sleep(600)", order=3, timeout=20)
    code, _, log = build(project)
    assert code != 0, "a build with broken lessons must fail"
    # The reported line is the real line of the lesson file where the error was raised
    # (inside the function the cell defines), not a line counted from the cell's start.
    lines = raises.read_text().splitlines()
    raising_line = lines.index("    return a / b") + 1
    assert (
        f"lessons/raises.py:{raising_line} (cell 1): ZeroDivisionError: division by zero" in log
    ), log
    assert re.search(r"lessons/nan\.py:\d+ \(cell 1\): printed NaN", log), log
    assert re.search(r"lessons/hangs\.py:\d+ \(cell 1\): hung", log), log
    assert not (project / "site" / "lessons" / "raises" / "index.html").exists()


def test_lesson_without_figure_fails(project: Path):
    path = write_lesson(project, "blank", 'print("no plot")')
    path.write_text(path.read_text().replace('plt.plot([0, 1], [0, 1])\nplt.title("line")\n', ""))
    code, _, log = build(project)
    assert code != 0 and "lessons/blank.py: drew no figure" in log


def test_lesson_without_page_fails(project: Path):
    write_lesson(project, "orphan", 'print("x")')
    (project / "docs" / "lessons" / "orphan.en.md").unlink()
    code, _, log = build(project)
    assert code != 0 and "docs/lessons/orphan.en.md" in log


def test_an_edit_invalidates_only_runs_that_read_the_file_and_comments_change_nothing(
    tmp_path: Path,
):
    package_root = tmp_path / "code"
    (package_root / "dlcourse").mkdir(parents=True)
    used = package_root / "dlcourse" / "used.py"
    unused = package_root / "dlcourse" / "unused.py"
    used.write_text("A = 1\n")
    unused.write_text("B = 1\n")
    cache = ExecutionCache(tmp_path / "cache", package_root, "cpu")
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["execution"] = {
        "inputs": {"files": {str(used): file_digest(used)}, "env": {}}
    }

    assert cache.changed_inputs(notebook) == []
    unused.write_text("B = 2\n")
    assert cache.changed_inputs(notebook) == []
    used.write_text("# a comment, and formatting\nA  =  1\n")
    assert cache.changed_inputs(notebook) == [], "a comment or formatting edit is no change"
    used.write_text("A = 2\n")
    assert cache.changed_inputs(notebook) == [str(used)]
    used.unlink()
    assert cache.changed_inputs(notebook) == [str(used)]


def test_static_key_depends_on_device_threads_header_and_checkout(tmp_path: Path):
    from coursebuild.lesson import load_lesson

    lesson = load_lesson(LESSONS / "single-neuron.py", LANGUAGES)
    base = ExecutionCache(tmp_path, tmp_path / "code", "cpu", threads=1).static_key(lesson)
    assert base == ExecutionCache(tmp_path, tmp_path / "code", "cpu", threads=1).static_key(lesson)
    assert base != ExecutionCache(tmp_path, tmp_path / "code", "cuda", threads=1).static_key(lesson)
    assert base != ExecutionCache(tmp_path, tmp_path / "code", "cpu", threads=2).static_key(lesson)
    assert base != ExecutionCache(tmp_path, tmp_path / "other", "cpu", threads=1).static_key(lesson)


def test_lesson_markers_are_enforced(tmp_path: Path):
    from coursebuild.lesson import LessonFormatError, load_lesson

    path = tmp_path / "bad.py"
    path.write_text(
        textwrap.dedent(LESSON.format(name="bad", order=1, code="", timeout=60)).replace(
            'lang="en"', ""
        )
    )
    with pytest.raises(LessonFormatError, match="bad.py"):
        load_lesson(path, LANGUAGES)


def test_build_works_without_any_network(project: Path):
    from .conftest import network_isolation

    if not network_isolation():
        pytest.skip("this kernel does not allow an unprivileged network namespace")
    probe = (
        "import socket\n"
        "print(socket.gethostbyname('localhost'))\n"
        "try:\n"
        "    socket.create_connection(('1.1.1.1', 53), 2)\n"
        "    print('network', 'reachable')\n"
        "except OSError:\n"
        "    print('no route', 'out')\n"
    )
    write_lesson(project, "offline", probe)
    result = run_mkdocs(
        project / "mkdocs.yml",
        project / "site",
        {"DLCOURSE_CACHE": str(project / "cache")},
        offline=True,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    page = (project / "site" / "lessons" / "offline" / "index.html").read_text()
    assert "127.0.0.1" in page
    assert "no route out" in page and "network reachable" not in page


def test_two_cold_runs_print_the_same_numbers(tmp_path: Path):
    """Reproducibility on a real lesson: two runs in fresh processes print identical output."""
    from coursebuild.cache import ExecutionCache
    from coursebuild.executor import run_lessons
    from coursebuild.lesson import load_lesson

    from .conftest import ROOT

    lesson = load_lesson(LESSONS / "single-neuron.py", LANGUAGES)
    printed = []
    for attempt in range(2):
        cache = ExecutionCache(tmp_path / f"cache{attempt}", ROOT / "code", "cpu")
        run = run_lessons([lesson], cache, LANGUAGES, jobs=1, log=lambda _: None)[lesson.id]
        assert run.failure is None and not run.from_cache
        printed.append(
            [
                o.get("text")
                for cell in run.notebook.cells
                for o in cell.outputs
                if o.output_type == "stream"
            ]
        )
    assert printed[0] == printed[1]
    assert any("R² validation" in resolve(text, "en") for text in printed[0])


def test_serve_shows_the_error_and_keeps_serving(project: Path):
    """Under `mkdocs serve` a broken lesson becomes an error page; the other pages still work."""
    write_lesson(project, "good", 'print("fine")', order=1)
    write_lesson(project, "raises", "1 / 0", order=2)
    with serving(project, livereload=False) as served:
        good, raises = served.get("lessons/good/"), served.get("lessons/raises/")
        log = served.log()
    assert "fine" in good
    assert "no se pudo ejecutar" in raises
    assert "lessons/raises.py" in raises and "ZeroDivisionError" in raises
    assert "Traceback" not in raises
    # Both languages are built, but the broken lesson ran once, not once per language.
    assert log.count("FAILED lessons/raises.py") == 1, log


def test_a_kept_run_shows_edited_prose_and_title_without_running(project: Path, monkeypatch):
    """What ``mkdocs serve`` does on a rebuild: the same Pipeline, the lesson parsed again."""
    from coursebuild.pipeline import Pipeline

    monkeypatch.setenv("DLCOURSE_CACHE", str(project / "cache"))
    lesson = write_lesson(project, "prose", 'print("value", 1)')
    pipeline = Pipeline(project / "lessons", LANGUAGES, progress=lambda _: None)
    pipeline.discover()
    assert {run.from_cache for run in pipeline.execute().values()} == {False}
    lesson.write_text(
        lesson.read_text()
        .replace("## Hola desde prose", "## Saludos desde prose\n#\n# Dos líneas más.")
        .replace("es: Lección prose", "es: Lección retitulada")
    )
    pipeline.discover()
    assert pipeline.execute() == {}, "a prose or title edit executes nothing"
    page = pipeline.page_markdown("prose", "es")
    assert "## Saludos desde prose" in page and page.startswith("# Lección retitulada")
    # The code moved two lines down without running again: its outputs still show.
    assert "value 1" in page and 'src="fig-01-1.png"' in page
