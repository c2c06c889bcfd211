"""Throwaway course projects for the pipeline tests: a config, lessons and a build."""

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

from .conftest import run_mkdocs

MKDOCS_YML = """\
site_name: Test course
site_url: https://example.org/course/
theme:
  name: material
  language: es
markdown_extensions: [admonition, attr_list, md_in_html]
plugins:
  - course-lessons
  - i18n:
      docs_structure: suffix
      fallback_to_default: false
      languages:
        - {locale: es, name: Español, default: true, build: true}
        - {locale: en, name: English, build: true}
"""

LESSON = """\
# ---
# jupyter:
#   lesson:
#     title: {{es: Lección {name}, en: Lesson {name}}}
#     summary: {{es: Resumen, en: Summary}}
#     order: {order}
#     budget_cpu_s: 10
#     timeout_s: {timeout}
# ---

# %% [markdown] lang="es"
# ## Hola desde {name}

# %% [markdown] lang="en"
# ## Hello from {name}

# %%
import matplotlib.pyplot as plt
{code}
plt.plot([0, 1], [0, 1])
plt.title("line")
"""

RAN = re.compile(r"ran (\S+)\.py in")


def write_lesson(project: Path, name: str, code: str, order: int = 1, timeout: int = 60) -> Path:
    """A lesson with one code cell (``code``, then a figure) and its two pages."""
    return write_lesson_text(
        project, name, LESSON.format(name=name, order=order, code=code, timeout=timeout)
    )


def write_lesson_text(project: Path, name: str, text: str) -> Path:
    """A lesson file with exactly ``text`` and its two pages."""
    path = project / "lessons" / f"{name}.py"
    path.write_text(text)
    for suffix in (".md", ".en.md"):
        (project / "docs" / "lessons" / f"{name}{suffix}").write_text(f"---\nlesson: {name}\n---\n")
    return path


def lesson_text(name: str, cells: str, order: int = 1) -> str:
    """A lesson's header followed by ``cells`` (markers and all), for lessons whose prose
    and code the test writes itself."""
    header = LESSON.split("# %% [markdown]")[0]
    return header.format(name=name, order=order, timeout=60) + cells


def make_project(tmp_path: Path) -> Path:
    """A two-language course project with no lesson yet (the ``project`` fixture)."""
    (tmp_path / "docs" / "lessons").mkdir(parents=True)
    (tmp_path / "lessons").mkdir()
    (tmp_path / "mkdocs.yml").write_text(MKDOCS_YML)
    (tmp_path / "docs" / "index.md").write_text("# Inicio\n\nHola.\n")
    (tmp_path / "docs" / "index.en.md").write_text("# Home\n\nHello.\n")
    return tmp_path


def build(project: Path) -> tuple[int, set[str], str]:
    """Build the project; return the exit code, the lessons executed and the log."""
    result = run_mkdocs(
        project / "mkdocs.yml", project / "site", {"DLCOURSE_CACHE": str(project / "cache")}
    )
    log = result.stdout + result.stderr
    return result.returncode, set(RAN.findall(log)), log


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
def serving(project: Path, *, livereload: bool = True) -> Iterator[Served]:
    """``mkdocs serve`` of the project (its cache in the project, its log beside it), up
    once its first build is served; stopped at the end."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = dict(os.environ, DLCOURSE_CACHE=str(project / "cache"), NO_MKDOCS_2_WARNING="1")
    log_path = project.parent / "serve.log"  # outside the project: the build must not change it
    with open(log_path, "w") as log_file:
        server = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"]
            + ([] if livereload else ["--no-livereload"]),
            cwd=project,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
        served = Served(port, log_path)
        try:
            served.wait_for("", "Inicio", timeout=180)
            time.sleep(1)  # the watcher starts after the first build: its first poll
            yield served
            assert server.poll() is None, f"mkdocs serve stopped:\n{served.log()}"
        finally:
            server.terminate()
            server.wait(timeout=30)
