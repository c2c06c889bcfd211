"""API blocks and search entries reused between builds: the same site as a fresh render,
and never once an input changed or a render warned (see coursebuild.rendered)."""

from __future__ import annotations

import json
import re
import zlib
from pathlib import Path

import pytest

from .projects import MKDOCS_YML, build, make_project

pytestmark = pytest.mark.pipeline

CONFIG = MKDOCS_YML.replace(
    "plugins:\n",
    "plugins:\n  - search\n",
) + (
    "  - mkdocstrings:\n"
    "      handlers:\n"
    "        python:\n"
    "          paths: [code]\n"
    "          options: {show_source: true, show_root_heading: true, heading_level: 2}\n"
)

AREA = '''\
"""Areas of plane figures."""


def square(side: float) -> float:
    """The area of a square of side ``side``."""
    # one side times the other
    return side * side


def circle(radius: float) -> float:
    """The area of a circle of radius ``radius``."""
    return 3.14159 * radius * radius
'''

REPORT = '''\
"""A report on a figure; it imports what it uses from shapes.area."""

from shapes.area import square


def floor_report(side: float) -> str:
    """How much floor a square room of side ``side`` has."""
    return f"{square(side):.1f} m²"
'''

REUSED = re.compile(
    r"reused from earlier builds: (\d+) of (\d+) API blocks and the search "
    r"entries of (\d+) of (\d+) pages"
)


def api_project(tmp_path: Path) -> Path:
    project = make_project(tmp_path)
    (project / "mkdocs.yml").write_text(CONFIG)
    package = project / "code" / "shapes"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text('"""Plane figures."""\n')
    (package / "area.py").write_text(AREA)
    (package / "report.py").write_text(REPORT)
    for suffix, title in ((".md", "Áreas"), (".en.md", "Areas")):
        (project / "docs" / f"api{suffix}").write_text(
            f"# {title}\n\n::: shapes.report\n\n::: shapes.area\n"
        )
    return project


def reused(log: str) -> tuple[int, int, int, int]:
    match = REUSED.search(log)
    assert match, log[-3000:]
    api_reused, api_total, pages_reused, pages_total = map(int, match.groups())
    return api_reused, api_total, pages_reused, pages_total


def site_files(site: Path) -> dict[str, bytes]:
    return {str(p.relative_to(site)): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def test_a_warm_build_reuses_every_block_and_entry_and_writes_the_same_site(tmp_path: Path):
    project = api_project(tmp_path)
    code, _, log = build(project)
    assert code == 0, log[-3000:]
    assert reused(log)[0] == 0
    fresh = site_files(project / "site")
    code, _, log = build(project)
    assert code == 0, log[-3000:]
    api_reused, api_total, pages_reused, pages_total = reused(log)
    assert api_reused == api_total == 4  # two blocks on each language's page
    assert pages_reused == pages_total > 0
    again = site_files(project / "site")
    assert again.keys() == fresh.keys()
    differing = [name for name in fresh if fresh[name] != again[name]]
    assert not differing  # pages, search indexes and objects.inv alike
    # The name shapes.report imports is in the inventory, as an alias of the function.
    assert re.search(r"^shapes\.report\.square py:function 2 ", inventory(project / "site"), re.M)


def inventory(site: Path) -> str:
    """The lines of the site's objects.inv (Sphinx's format: four header lines, then zlib)."""
    data = (site / "objects.inv").read_bytes()
    start = 0
    for _ in range(4):  # the four header lines
        start = data.index(b"\n", start) + 1
    return zlib.decompress(data[start:]).decode()


def test_replayed_blocks_are_the_recorded_ones(tmp_path: Path):
    project = api_project(tmp_path)
    assert build(project)[0] == 0
    records = list((project / "cache" / "rendered" / "api").glob("*.json"))
    assert len(records) == 2  # one per language
    for record in records:
        text = record.read_text(encoding="utf-8")
        record.write_text(text.replace("The area of a square", "Recorded area of a square"))
    code, _, log = build(project)
    assert code == 0, log[-3000:]
    page = (project / "site" / "en" / "api" / "index.html").read_text(encoding="utf-8")
    assert "Recorded area of a square" in page


def test_a_comment_edit_shows_in_the_source_listing(tmp_path: Path):
    project = api_project(tmp_path)
    assert build(project)[0] == 0
    area = project / "code" / "shapes" / "area.py"
    area.write_text(AREA.replace("one side times the other", "the side squared"))
    code, _, log = build(project)
    assert code == 0, log[-3000:]
    assert reused(log)[0] == 0
    for page in ("api/index.html", "en/api/index.html"):
        html = (project / "site" / page).read_text(encoding="utf-8")
        assert "the side squared" in html and "one side times the other" not in html


def test_a_prose_edit_reuses_the_blocks_and_indexes_the_new_text(tmp_path: Path):
    project = api_project(tmp_path)
    assert build(project)[0] == 0
    page = project / "docs" / "api.en.md"
    page.write_text("# Areas\n\nHow big a figure is.\n\n::: shapes.report\n\n::: shapes.area\n")
    code, _, log = build(project)
    assert code == 0, log[-3000:]
    api_reused, api_total, pages_reused, pages_total = reused(log)
    assert api_reused == api_total == 4
    assert pages_reused == pages_total - 1  # the edited page's entries are made again
    index = json.loads((project / "site" / "search" / "search_index.json").read_text())
    assert any(
        doc["location"].startswith("en/api/") and "How big a figure is" in doc["text"]
        for doc in index["docs"]
    )


def test_a_render_that_warned_fails_the_next_strict_build_too(tmp_path: Path):
    project = api_project(tmp_path)
    area = project / "code" / "shapes" / "area.py"
    area.write_text(AREA.replace("of side ``side``.", "of side ``side`` (see [units](units.md))."))
    for _ in range(2):
        code, _, log = build(project)
        assert code != 0
        assert "units.md" in log, log[-3000:]


def test_unreadable_entries_are_rendered_again(tmp_path: Path):
    project = api_project(tmp_path)
    assert build(project)[0] == 0
    fresh = site_files(project / "site")
    entries = list((project / "cache" / "rendered").rglob("*.json"))
    assert entries
    for number, entry in enumerate(entries):  # cut short, or valid JSON of another shape
        entry.write_text('{"html": ' if number % 2 else "[1, 2]")
    code, _, log = build(project)
    assert code == 0, log[-3000:]
    assert reused(log)[0] == 0 and reused(log)[2] == 0
    again = site_files(project / "site")
    assert [name for name in fresh if fresh[name] != again.get(name)] == []
