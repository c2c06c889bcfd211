"""Lesson downloads run where a student opens them: the learners' wheel, the setup cell, the
Markdown Jupyter shows, and a real run of downloaded notebooks and a script in a fresh
environment outside the repository, with no network."""

from __future__ import annotations

import ast
import json
import re
import shutil
import subprocess
import sys
import zipfile
from importlib import metadata
from pathlib import Path
from urllib.parse import urlsplit

import nbformat
import pytest
from coursebuild.fresh_env import dependency_closure, wheel_requirements
from coursebuild.standalone import Downloads, jupyter_markdown, setup_cell
from coursebuild.wheel import LearnersProject, read_requirements, write_wheel

from .conftest import LANGUAGES, LESSONS, ROOT, network_isolation

CODE = ROOT / "code"
PROJECT = LearnersProject.read(CODE)


# -- the learners' wheel -------------------------------------------------------------------
def test_the_wheel_is_the_learners_package_alone_and_the_same_bytes_twice(tmp_path: Path):
    first = write_wheel(PROJECT, tmp_path / "a")
    second = write_wheel(PROJECT, tmp_path / "b")
    assert first.name == f"dlcourse-{PROJECT.version}-py3-none-any.whl"
    assert first.read_bytes() == second.read_bytes()
    names = zipfile.ZipFile(first).namelist()
    assert "dlcourse/runtime.py" in names and "dlcourse/py.typed" in names
    assert all(n.startswith(("dlcourse/", f"dlcourse-{PROJECT.version}.dist-info/")) for n in names)
    assert not any("coursebuild" in n or n.endswith(".pyc") for n in names)
    packaged = {n for n in names if n.startswith("dlcourse/")}
    on_disk = {p.relative_to(CODE).as_posix() for p in PROJECT.package_files()}
    assert packaged == on_disk
    requirements = wheel_requirements(first)
    assert requirements == list(read_requirements(CODE / "requirements-lessons.txt"))
    assert all(re.fullmatch(r"[A-Za-z0-9_.-]+==[0-9][^ ]*", r) for r in requirements), requirements
    assert not any(r.lower().startswith(("mkdocs", "jupytext")) for r in requirements)


def _imported_roots(paths: list[Path]) -> set[str]:
    roots = set()
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                roots |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                roots.add(node.module.split(".")[0])
    return roots - set(sys.stdlib_module_names) - {"dlcourse", "__future__"}


def test_the_wheel_pins_what_lessons_import_and_nothing_of_the_site():
    imported = _imported_roots([*LESSONS.glob("*.py"), *(CODE / "dlcourse").rglob("*.py")])
    providers = metadata.packages_distributions()
    pinned = {r.split("==")[0].lower() for r in PROJECT.requirements}
    closure = set(dependency_closure(PROJECT.requirements))
    for module in sorted(imported):
        owners = {name.lower() for name in providers.get(module, [])}
        assert owners & closure, f"lessons import {module}, which the wheel does not bring"
    # Every pin is imported by a lesson or the package (directly or as what they import).
    direct = {name.lower() for m in imported for name in providers.get(m, [])}
    assert pinned <= direct | {"tensorboard"}, pinned - direct
    assert not {"mkdocs", "mkdocs-material", "jupytext", "nbformat"} & closure


@pytest.mark.pipeline
def test_the_git_subdirectory_builds_the_same_package_offline(tmp_path: Path):
    """``pip install "git+<repository>#subdirectory=code"`` builds the learners' project."""
    source = tmp_path / "code"
    shutil.copytree(CODE, source, ignore=shutil.ignore_patterns("coursebuild", "__pycache__"))
    built = subprocess.run(
        [
            *network_isolation(),
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "-q",
            "-w",
            str(tmp_path / "out"),
            str(source),
        ],
        capture_output=True,
        text=True,
    )
    assert built.returncode == 0, built.stderr[-3000:]
    (wheel,) = (tmp_path / "out").glob("*.whl")
    ours = write_wheel(PROJECT, tmp_path / "ours")
    assert wheel.name == ours.name

    def package(path: Path) -> set[str]:
        return {n for n in zipfile.ZipFile(path).namelist() if not n.endswith("/")} - {
            n for n in zipfile.ZipFile(path).namelist() if ".dist-info/" in n
        }

    assert package(wheel) == package(ours)
    assert wheel_requirements(wheel) == wheel_requirements(ours)


# -- Markdown for Jupyter ------------------------------------------------------------------
SITE = Downloads(PROJECT, site_url="https://example.org/course/", repo_url=None)


def _link(downloads: Downloads, lang: str):
    return lambda target: downloads.page_url(target, "lessons/single-neuron.md", lang)


def test_admonitions_folds_and_abbreviations_become_what_jupyter_renders():
    text = "\n".join(
        [
            '!!! abstract "Objetivos"',
            "    - Escribir $\\hat y = f(\\mathbf{w}^\\top \\mathbf{x} + b)$.",
            "",
            "    - Ajustar los pesos.",
            "",
            "Texto.",
            '??? success "Solución 1"',
            "    La respuesta: $$a_{ij}$$",
            "",
            "*[RNN]: Red neuronal recurrente",
            "## Título { #la-idea }",
        ]
    )
    converted = jupyter_markdown(text, _link(SITE, "es"))
    assert converted.startswith("> **Objetivos**\n>\n> - Escribir $\\hat y")
    assert "> - Ajustar los pesos." in converted and "!!!" not in converted
    assert "<details>\n<summary>Solución 1</summary>\n\nLa respuesta: $$a_{ij}$$" in converted
    assert "\nTexto.\n" in converted and "*[RNN]" not in converted
    assert "## Título" in converted and "{ #la-idea }" not in converted


def test_site_links_become_published_pages_in_the_notebooks_language():
    text = (
        "[resumen](../readings/single-neuron.md), [anatomía](lightning-anatomy.md#idea), "
        "[API](../api/index.md), [fuera](https://arxiv.org/abs/1), `[x](y.md)`, "
        "[`dlcourse.models`](../api/models.md)"
    )
    spanish = jupyter_markdown(text, _link(SITE, "es"))
    assert "(https://example.org/course/readings/single-neuron/)" in spanish
    assert "(https://example.org/course/lessons/lightning-anatomy/#idea)" in spanish
    assert "(https://example.org/course/api/)" in spanish
    assert "(https://arxiv.org/abs/1)" in spanish and "`[x](y.md)`" in spanish
    assert "[`dlcourse.models`](https://example.org/course/api/models/)" in spanish
    english = jupyter_markdown(text, _link(SITE, "en"))
    assert "(https://example.org/course/en/readings/single-neuron/)" in english
    unpublished = Downloads(PROJECT)
    assert jupyter_markdown(text, _link(unpublished, "es")) == text


def test_code_titles_become_a_line_and_code_stays_code():
    text = (
        '```python linenums="12" title="dlcourse/models/rnn.py · 12–20"\n!!! not an admonition\n```'
    )
    converted = jupyter_markdown(text, _link(SITE, "es"))
    assert converted == "*dlcourse/models/rnn.py · 12–20*\n\n```python\n!!! not an admonition\n```"


def test_the_setup_cell_installs_the_published_wheel_and_keeps_a_working_torch():
    cell = setup_cell(SITE, "en")
    wheel = f"https://example.org/course/downloads/{PROJECT.wheel_name}"
    assert f'WHEEL = "{wheel}"' in cell
    lines = cell.splitlines()
    keep = lines.index(next(line for line in lines if "--no-deps" in line))
    others = lines[keep + 1]
    assert others.strip().startswith("%pip install -q {TORCH}")
    assert "torch==" not in others.replace("{TORCH}", "")  # torch only as it is installed
    assert os_lang(cell) == "en"
    with_repository = Downloads(PROJECT, site_url=None, repo_url="https://github.com/o/course/")
    assert with_repository.git_url == "git+https://github.com/o/course#subdirectory=code"
    assert with_repository.install_command() == f'pip install "{PROJECT.wheel_name}"'


def os_lang(cell: str) -> str:
    match = re.search(r'os\.environ\.setdefault\("DLCOURSE_LANG", "(\w+)"\)', cell)
    assert match, cell
    return match.group(1)


# -- the downloads of the built site, run as a student would ---------------------------------
def _wheel_url(notebook: Path) -> str:
    setup = nbformat.read(notebook, as_version=4).cells[0].source
    match = re.search(r'WHEEL = "([^"]+)"', setup)
    assert match, setup
    return match.group(1)


@pytest.mark.site
def test_the_site_publishes_the_wheel_the_downloads_install(built_site: Path, tmp_path: Path):
    notebook = built_site / "lessons" / "single-neuron" / "single-neuron.ipynb"
    url = _wheel_url(notebook)
    published = built_site / "downloads" / PROJECT.wheel_name
    assert url.endswith(f"/downloads/{PROJECT.wheel_name}")
    assert published.read_bytes() == write_wheel(PROJECT, tmp_path).read_bytes()
    for lang, prefix, words in (("es", "", "instala el paquete"), ("en", "en/", "installs")):
        page = (built_site / prefix / "lessons" / "single-neuron" / "index.html").read_text()
        assert words in page and url in page, f"the {lang} download box lacks the command"
        home = (built_site / prefix / "index.html").read_text()
        assert url in home, f"the {lang} home page lacks the install command"


@pytest.mark.site
def test_downloaded_notebooks_and_a_script_run_in_a_fresh_environment_offline(
    built_site: Path, tmp_path: Path
):
    work = tmp_path / "student"
    assert not work.resolve().is_relative_to(ROOT.resolve())
    url = _wheel_url(built_site / "lessons" / "single-neuron" / "single-neuron.ipynb")
    isolation = network_isolation()
    result = subprocess.run(
        [
            *isolation,
            sys.executable,
            "-m",
            "coursebuild.fresh_env",
            "--site",
            str(built_site),
            "--work",
            str(work),
            "--wheel-url",
            url,
            "--languages",
            ",".join(LANGUAGES.codes),
            "--run",
            "es:lightning-anatomy",
            "--run",
            "en:rnn-by-hand",
            "--script",
            "es:tokenization",
            "--threads",
            "1",  # as the build runs lessons: two cores shared by everything
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=900,
    )
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    head, *rest = lines
    served = head["installed_by_setup_cell"]
    importable = set(head["importable_before"])
    assert not importable & {"coursebuild", "mkdocs", "material", "jupytext"}, importable
    # Nothing of the repository is on the student's path (its code/ least of all).
    assert not [p for p in head["path"] if p and Path(p).resolve().is_relative_to(ROOT)]
    assert ("dlcourse" in importable) != served  # only the setup cell brings the package
    # A site built for a loopback address is served there, so the setup cell installs the
    # wheel as a student's would; one built for its public address (CI) cannot be reached
    # offline, and the environment gets the wheel beforehand (the setup cell's no-op path).
    assert served == (urlsplit(url).hostname in ("127.0.0.1", "localhost")), url
    scripts = {r["script"]: r for r in rest if "script" in r}
    notebooks = [r for r in rest if "script" not in r]
    assert [(r["lang"], r["lesson"]) for r in notebooks] == [
        ("es", "lightning-anatomy"),
        ("en", "rnn-by-hand"),
    ]
    assert all(r["error"] is None for r in notebooks), notebooks
    if served:
        before = scripts["before"]
        assert before["returncode"] != 0 and f'pip install "{url}"' in before["output"]
    assert scripts["after"]["returncode"] == 0, scripts["after"]["output"]
    assert re.search(r"^Dispositivo usado: (cpu|cuda)", scripts["after"]["output"], re.M)
    for lang, lesson, device in (
        ("es", "lightning-anatomy", "Dispositivo usado"),
        ("en", "rnn-by-hand", "Device used"),
    ):
        executed = nbformat.read(work / "runs" / f"{lang}-{lesson}" / f"{lesson}.ipynb", 4)
        setup = "".join(o.get("text", "") for o in executed.cells[0].outputs)
        assert "ERROR" not in setup and "rror:" not in setup, setup
        if lang == "en":  # the second notebook: the package is there, the setup is silent
            assert not setup, setup
        printed = "".join(o.get("text", "") for o in executed.cells[-1].outputs)
        assert re.fullmatch(rf"{device}: (cpu|cuda, .+)\n", printed), printed
        assert all(c.get("execution_count") for c in executed.cells if c.cell_type == "code")


@pytest.mark.site
def test_the_build_page_records_a_run_of_every_downloaded_notebook(built_site: Path):
    lessons = sorted(p.stem for p in LESSONS.glob("*.py"))
    for prefix, words in (("", "de"), ("en/", "of")):
        page = (built_site / prefix / "build" / "index.html").read_text()
        match = re.search(rf"<strong>(\d+) {words} (\d+)</strong>", page)
        assert match, f"the {prefix or 'es'} Build page does not record the notebook run"
        assert match.group(1) == match.group(2) == str(len(lessons)), match.group(0)
