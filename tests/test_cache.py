"""The execution cache on throwaway projects: one complete key, nothing stale or unchecked served."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
from coursebuild import cache as cache_module
from coursebuild.cache import ExecutionCache
from coursebuild.lesson import load_lesson

from .conftest import LANGUAGES, LESSONS, run_mkdocs
from .projects import build, make_project, write_lesson

pytestmark = pytest.mark.pipeline


@pytest.fixture
def project(tmp_path: Path) -> Path:
    make_project(tmp_path)
    # A checkout of its own: lessons import its code/ first, whatever is installed.
    (tmp_path / "code" / "dlcourse").mkdir(parents=True)
    (tmp_path / "code" / "dlcourse" / "__init__.py").write_text('"""Test course."""\n')
    (tmp_path / "data").mkdir()
    return tmp_path


def _page(project: Path, lesson: str) -> str:
    return (project / "site" / "lessons" / lesson / "index.html").read_text(encoding="utf-8")


def test_every_input_reruns_exactly_the_lessons_that_read_it(project: Path, monkeypatch):
    monkeypatch.delenv("COURSE_TEST_NOISE", raising=False)
    data = project / "data" / "values.txt"
    data.write_text("7\n")
    helper = project / "code" / "course_helper.py"
    helper.write_text("VALUE = 3\n")
    child = project / "code" / "course_child.py"
    child.write_text("VALUE = 5\n")
    write_lesson(project, "reads_file", f'print("file", open({str(data)!r}).read().strip())', 1)
    write_lesson(
        project, "imports_helper", 'import course_helper\nprint("helper", course_helper.VALUE)', 2
    )
    write_lesson(
        project,
        "reads_env",
        'import os\nprint("noise", os.environ.get("COURSE_TEST_NOISE", "none"))',
        3,
    )
    spawn = (
        "import subprocess, sys\n"
        'out = subprocess.run([sys.executable, "-c", "import course_child; print(course_child.VALUE)"],'
        " capture_output=True, text=True, check=True).stdout\n"
        'print("child", out.strip())'
    )
    write_lesson(project, "child_imports", spawn, 4)
    header = write_lesson(project, "header", 'print("header")', 5, timeout=60)

    code, ran, log = build(project)
    assert code == 0, log
    assert ran == {"reads_file", "imports_helper", "reads_env", "child_imports", "header"}
    assert "child 5" in _page(project, "child_imports")

    assert build(project)[1] == set(), "nothing changed: nothing runs"

    data.write_text("8\n")
    code, ran, log = build(project)
    assert (code, ran) == (0, {"reads_file"}), log
    assert "file 8" in _page(project, "reads_file")

    helper.write_text("# a comment and other spacing\nVALUE  =  3\n")
    assert build(project)[1] == set(), "a comment or formatting edit runs nothing"
    helper.write_text("VALUE = 4\n")
    code, ran, log = build(project)
    assert (code, ran) == (0, {"imports_helper"}), log

    monkeypatch.setenv("COURSE_TEST_NOISE", "loud")  # inherited by the build
    code, ran, log = build(project)
    assert (code, ran) == (0, {"reads_env"}), log
    assert "noise loud" in _page(project, "reads_env")

    child.write_text("VALUE = 6\n")
    code, ran, log = build(project)
    assert (code, ran) == (0, {"child_imports"}), "a module imported only in a child process"
    assert "child 6" in _page(project, "child_imports")

    header.write_text(header.read_text().replace("timeout_s: 60", "timeout_s: 90"))
    code, ran, log = build(project)
    assert (code, ran) == (0, {"header"}), "the lesson header is part of the key"


def test_installed_distributions_and_threads_are_in_the_key(tmp_path: Path, monkeypatch):
    lesson = load_lesson(LESSONS / "single-neuron.py", LANGUAGES)
    before = ExecutionCache(tmp_path, tmp_path / "code", "cpu").static_key(lesson)
    real = cache_module.distributions()
    monkeypatch.setattr(cache_module, "distributions", lambda: {**real, "pillow": "0.0.1"})
    after = ExecutionCache(tmp_path, tmp_path / "code", "cpu").static_key(lesson)
    assert before != after, "any installed library (here Pillow) is part of the key"


def test_a_lesson_that_exits_early_is_not_served_its_old_outputs(project: Path):
    lesson = write_lesson(project, "quits", 'print("value", 1)')
    assert build(project)[0] == 0
    lesson.write_text(
        lesson.read_text().replace('print("value", 1)', 'print("value", 2)\nimport os\nos._exit(0)')
    )
    code, ran, log = build(project)
    assert code != 0, "os._exit(0) before the results were written is a failure"
    assert "exited without writing its results" in log


def test_tampered_and_broken_entries_are_rerun_not_served(project: Path):
    write_lesson(project, "steady", 'print("value", 1)')
    assert build(project)[0] == 0
    cache = project / "cache"
    (entry,) = (cache / "lessons" / "steady").glob("*.ipynb")
    notebook = nbformat.read(entry, as_version=4)
    for cell in notebook.cells:
        for output in cell.outputs:
            if output.output_type == "stream":
                output.text = output.text.replace("value 1", "value nan <b>bold</b>")
    nbformat.write(notebook, entry)
    code, ran, log = build(project)
    assert (code, ran) == (0, {"steady"}), log
    assert "fails the current checks" in log
    page = _page(project, "steady")
    assert "value 1" in page and not re.search(r"\bnan\b|<b>bold", page)

    (entry,) = (cache / "lessons" / "steady").glob("*.ipynb")
    entry.write_text(entry.read_text()[:200])  # truncated
    (cache / "timings.json").write_text("")
    code, ran, log = build(project)
    assert (code, ran) == (0, {"steady"}), log
    assert f"cache entry {entry} is unreadable" in log and "timings.json" in log, log
    assert "Traceback" not in log

    entry.unlink()  # now the miss is explained from last.json, which is cut short
    (cache / "lessons" / "steady" / "last.json").write_text('{"code": ')
    code, ran, log = build(project)
    assert (code, ran) == (0, {"steady"}), log
    assert "last.json" in log and "Traceback" not in log


def test_two_concurrent_builds_on_one_cache_both_succeed(project: Path, tmp_path_factory):
    sites = tmp_path_factory.mktemp("sites")  # outside the project: a build changes nothing in it
    big = 'print("value", 1)\nprint("x" * 20_000_000)'  # a 20 MB output takes a while to write
    write_lesson(project, "big", big)
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", DLCOURSE_CACHE=str(project / "cache"))
    builds = [
        subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(sites / f"site{i}")],
            cwd=project,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for i in range(2)
    ]
    logs = [b.communicate(timeout=600)[0] for b in builds]
    assert [b.returncode for b in builds] == [0, 0], logs
    for i in range(2):
        assert "value 1" in (sites / f"site{i}" / "lessons" / "big" / "index.html").read_text()
    assert len(list((project / "cache" / "lessons" / "big").glob("*.ipynb"))) == 1
    assert sum("ran big.py" in log for log in logs) == 1, "the second build waited, then reused it"


def test_a_killed_build_leaves_nothing_unchecked_for_the_next(project: Path):
    marker = project / "started"
    slow_nan = (
        f'open({str(marker)!r}, "w").close()\nimport time\ntime.sleep(4)\nprint(float("nan"))'
    )
    write_lesson(project, "slow_nan", slow_nan)
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", DLCOURSE_CACHE=str(project / "cache"))
    first = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "build", "--strict"],
        cwd=project,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.time() + 120
    while not marker.exists() and time.time() < deadline:
        time.sleep(0.2)
    assert marker.exists(), "the lesson never started"
    first.send_signal(signal.SIGKILL)
    first.wait()
    time.sleep(8)  # longer than the lesson would have needed to finish
    assert not list((project / "cache" / "lessons" / "slow_nan").glob("*.ipynb"))
    code, _, log = build(project)
    assert code != 0 and "printed NaN" in log, log


def test_lessons_import_this_checkouts_package_and_its_edits_count(project: Path):
    package = project / "code" / "dlcourse" / "__init__.py"
    package.write_text('MARK = "this checkout"\n')
    write_lesson(project, "which", "import dlcourse\nprint(dlcourse.MARK)")
    code, ran, log = build(project)
    assert code == 0 and "this checkout" in _page(project, "which"), log
    package.write_text('MARK = "edited checkout"\n')
    code, ran, log = build(project)
    assert (code, ran) == (0, {"which"}) and "edited checkout" in _page(project, "which")


def test_a_first_build_starts_the_longest_lessons_of_the_benchmark_record_first(project: Path):
    """With no run times in the cache yet, the benchmark's record orders the lessons."""
    for order, name in enumerate(("quick", "slow", "middle"), start=1):
        write_lesson(project, name, "x = 1", order=order)
    record = {
        "lessons": [{"lesson": "slow", "seconds": 50.0}, {"lesson": "middle", "seconds": 9.0}]
    }
    (project / cache_module.BENCHMARK_RECORD).parent.mkdir()
    (project / cache_module.BENCHMARK_RECORD).write_text(json.dumps(record))
    (project / "mkdocs.yml").write_text(
        (project / "mkdocs.yml").read_text() + "exclude_docs: |\n  _data/\n"
    )
    result = run_mkdocs(
        project / "mkdocs.yml",
        project / "site",
        {"DLCOURSE_CACHE": str(project / "cache"), "DLCOURSE_JOBS": "1"},
    )
    log = result.stdout + result.stderr
    assert result.returncode == 0, log[-3000:]
    # One process: lessons finish in the order they start. "quick" has no recorded time,
    # so its CPU budget (10 s) places it between the two.
    assert re.findall(r"ran (\S+)\.py in", log) == ["slow", "quick", "middle"]
    path = project / cache_module.BENCHMARK_RECORD
    assert cache_module.benchmarked_seconds(path) == {"slow": 50.0, "middle": 9.0}
    cache = ExecutionCache(project / "cache", project / "code", "cpu", benchmark_record=path)
    assert set(cache.timings()) == {"slow", "quick", "middle"}
    assert cache.expected_durations() == cache.timings()  # its own times come first now
