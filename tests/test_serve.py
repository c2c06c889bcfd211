"""``mkdocs serve`` on a throwaway project, polled over HTTP as a browser would.

A prose edit shows without running anything, in a partial rebuild; a lesson whose code
changed runs in the background while every page keeps answering; a lesson that fails
there runs once; a lesson file that does not parse shows its error page.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from .projects import lesson_text, write_lesson, write_lesson_text

pytestmark = pytest.mark.pipeline


class Served:
    """A running ``mkdocs serve`` of a project and its log."""

    def __init__(self, port: int, log: Path) -> None:
        self.base = f"http://127.0.0.1:{port}/course/"
        self.log_path = log

    def log(self) -> str:
        return self.log_path.read_text()

    def get(self, path: str, timeout: float = 5) -> str:
        with urllib.request.urlopen(self.base + path, timeout=timeout) as response:
            return response.read().decode()

    def wait_for(self, path: str, text: str, timeout: float = 60) -> float:
        """Seconds until the page at ``path`` contains ``text`` (fails after ``timeout``)."""
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            try:
                if text in self.get(path, timeout=timeout):
                    return time.monotonic() - started
            except OSError:
                pass
            time.sleep(0.05)
        raise AssertionError(f"{text!r} not on {path} after {timeout} s:\n{self.log()}")


@contextmanager
def serving(project: Path) -> Iterator[Served]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = dict(os.environ, DLCOURSE_CACHE=str(project / "cache"), NO_MKDOCS_2_WARNING="1")
    log_path = project.parent / "serve.log"  # outside the project: the build must not change it
    with open(log_path, "w") as log_file:
        server = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
            cwd=project,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
        served = Served(port, log_path)
        try:
            served.wait_for("", "Inicio", timeout=180)
            # The watcher starts after the first build; give it its first poll.
            time.sleep(1)
            yield served
            assert server.poll() is None, f"mkdocs serve stopped:\n{served.log()}"
        finally:
            server.terminate()
            server.wait(timeout=30)


def ran(log: str, name: str) -> int:
    return len(re.findall(rf"ran {name}\.py in", log))


def test_prose_edits_show_in_a_partial_rebuild_without_running_anything(project: Path):
    lesson = write_lesson(project, "prose", 'print("value", 1)')
    page = project / "docs" / "index.md"
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace("plugins:\n", "plugins:\n  - search\n"))
    with serving(project) as served:
        assert ran(served.log(), "prose") == 1
        page.write_text(page.read_text() + "\nUna frase nueva.\n")
        served.wait_for("", "Una frase nueva.")
        lesson.write_text(lesson.read_text().replace("## Hola desde prose", "## Saludos"))
        served.wait_for("lessons/prose/", "Saludos")
        # The English page is the same run: its prose did not change, its output is there.
        assert "value 1" in served.get("en/lessons/prose/")
        log = served.log()
        assert ran(log, "prose") == 1, "a prose edit executed the lesson"
        # Each edit wrote its page (one language), not the whole site.
        assert log.count("partial rebuild: 1 page(s) written") >= 2, log
        # The other pages are still there, with their navigation and search entries.
        assert "Lección prose" in served.get("")
        index = served.get("search/search_index.json")
        assert "Una frase nueva." in index and "Saludos" in index and "Hola." in index


def test_the_site_answers_while_an_edited_lesson_runs_or_hangs(project: Path):
    write_lesson(project, "steady", 'print("steady")', order=1)
    edited = write_lesson(project, "edited", 'print("first")', order=2, timeout=120)
    with serving(project) as served:
        edited.write_text(edited.read_text().replace('print("first")', "while True: pass"))
        # The edited lesson shows its last good outputs under a notice while it runs...
        served.wait_for("lessons/edited/", "se está ejecutando", timeout=30)
        assert "first" in served.get("lessons/edited/")
        # ... and every page keeps answering at once.
        started = time.monotonic()
        assert "steady" in served.get("lessons/steady/", timeout=5)
        assert "Inicio" in served.get("", timeout=5)
        assert time.monotonic() - started < 5
        # A prose edit elsewhere still shows, though the lesson has not finished.
        page = project / "docs" / "index.md"
        page.write_text(page.read_text() + "\nOtra frase.\n")
        served.wait_for("", "Otra frase.", timeout=30)
        # A lesson file that no longer parses shows its error, with file and line.
        steady = project / "lessons" / "steady.py"
        steady.write_text(steady.read_text().replace("#     order: 1", "#     order: [1"))
        error = served.wait_for("lessons/steady/", "no se pudo ejecutar", timeout=30)
        assert error < 30
        assert "lessons/steady.py:" in served.get("lessons/steady/")
        assert "Inicio" in served.get("", timeout=5)


def test_a_lesson_that_fails_in_the_background_runs_once(project: Path):
    lesson = write_lesson_text(
        project,
        "breaks",
        lesson_text(
            "breaks",
            '# %% [markdown] lang="es"\n# ## Hola\n\n# %% [markdown] lang="en"\n# ## Hello\n\n'
            '# %%\nimport matplotlib.pyplot as plt\nplt.plot([0, 1])\nprint("ok")\n',
        ),
    )
    with serving(project) as served:
        lesson.write_text(lesson.read_text().replace('print("ok")', "1 / 0"))
        served.wait_for("lessons/breaks/", "ZeroDivisionError")
        served.wait_for("en/lessons/breaks/", "ZeroDivisionError")
        time.sleep(3)  # the rebuild that showed the failure must not start it again
        log = served.log()
        assert log.count("FAILED lessons/breaks.py") == 1, log
        assert ran(log, "breaks") == 1  # the first, good run
