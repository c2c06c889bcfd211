"""Shared fixtures: paths of the repository and a once-per-session strict build of the site."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from coursebuild.fresh_env import network_isolation
from coursebuild.languages import from_mkdocs_yml

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
LESSONS = ROOT / "lessons"
# The site's languages, from the i18n section of mkdocs.yml (the one place they are set).
LANGUAGES = from_mkdocs_yml(ROOT / "mkdocs.yml")


def run_mkdocs(
    config: Path,
    site_dir: Path,
    env_overrides: dict[str, str] | None = None,
    offline: bool = False,
) -> subprocess.CompletedProcess:
    """Run ``mkdocs build --strict`` in a subprocess, as an instructor would.

    ``offline`` runs it with no network interface at all when the kernel allows it.
    """
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", **(env_overrides or {}))
    prefix = network_isolation() if offline else []
    return subprocess.run(
        [
            *prefix,
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            "-f",
            str(config),
            "-d",
            str(site_dir),
        ],
        cwd=config.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=3600,
    )


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The real site, built once with --strict (lessons come from the execution cache when valid).

    COURSE_SITE_DIR points the site tests at an already built site instead (for iterating on
    the tests themselves; CI always builds).
    """
    if os.environ.get("COURSE_SITE_DIR"):
        return Path(os.environ["COURSE_SITE_DIR"])
    site = tmp_path_factory.mktemp("site")
    before = subprocess.run(
        ["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True
    ).stdout
    # Built with no network at all where the kernel allows it: the course must build offline.
    result = run_mkdocs(ROOT / "mkdocs.yml", site, offline=True)
    if result.returncode != 0:
        pytest.fail(
            f"mkdocs build --strict failed:\n{result.stdout[-4000:]}\n{result.stderr[-8000:]}"
        )
    after = subprocess.run(
        ["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True
    ).stdout
    assert before == after, f"the build wrote into the repository:\n{after}"
    (site / "_build.log").write_text(result.stderr)
    return site


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A throwaway two-language course project (see tests/projects.py)."""
    from .projects import make_project

    return make_project(tmp_path)
