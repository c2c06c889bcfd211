"""Guard rails: what a build refuses to publish, and how a bad input is reported.

* a build that changes files of the project (``docs/`` or elsewhere) fails naming them;
* caches and dot-files under ``docs/`` are never published;
* printed ``inf``/``-inf`` fails like ``nan`` (unless the cell says ``# allow-inf``);
* everything taken from notebook metadata reaches the page as text;
* a bad lesson or glossary file is one error line naming the file (and line), no traceback;
* a lesson whose languages differ in structure fails the build naming it.
"""

from __future__ import annotations

import base64
import importlib.util
import re
import textwrap
import time
from pathlib import Path

import markdown
import nbformat
import pytest
import yaml
from coursebuild.executor import LessonRun, check_outputs
from coursebuild.lesson import LessonFormatError, load_lesson
from coursebuild.render import page_assets, render_lesson
from mkdocs.exceptions import PluginError

from .conftest import LANGUAGES, ROOT, run_mkdocs
from .projects import LESSON, serving, write_lesson

EVIL = "<script>alert(1)</script>"


def build(project: Path) -> tuple[int, str]:
    result = run_mkdocs(
        project / "mkdocs.yml", project / "site", {"DLCOURSE_CACHE": str(project / "cache")}
    )
    return result.returncode, result.stdout + result.stderr


def error_lines(log: str) -> list[str]:
    """The lines MkDocs logs at ERROR level."""
    return [line for line in log.splitlines() if line.startswith("ERROR")]


# -- 1. a build never changes the project ------------------------------------------------
WRITES_INTO_DOCS = """\
from pathlib import Path

(Path(__file__).parents[1] / "docs" / "leak.txt").write_text("leaked")
print("wrote")"""


@pytest.mark.pipeline
def test_lesson_writing_into_docs_fails_the_build_naming_the_file(project: Path):
    write_lesson(project, "leaky", WRITES_INTO_DOCS)
    code, log = build(project)
    assert code != 0, "a lesson wrote into docs/ and the build passed"
    assert "lessons/leaky.py: wrote into the project: docs/leak.txt" in log, log
    assert not (project / "site" / "leak.txt").exists(), "the leaked file was published"
    assert "Traceback" not in log

    # Its result is not served from the cache: the next build runs it again and fails again.
    (project / "docs" / "leak.txt").unlink()
    code, log = build(project)
    assert code != 0 and "FAILED lessons/leaky.py: wrote into the project: docs/leak.txt" in log, (
        log
    )


@pytest.mark.pipeline
def test_changes_anywhere_in_the_project_are_named_and_caches_are_not(project: Path):
    write_lesson(
        project,
        "scribbler",
        "from pathlib import Path\n\n"
        "root = Path(__file__).parents[1]\n"
        '(root / "notes.txt").write_text("x")\n'
        '(root / "docs" / "index.md").write_text("# Otro\\n")\n'
        '(root / "lessons" / "__pycache__").mkdir(exist_ok=True)\n'
        '(root / "lessons" / "__pycache__" / "x.pyc").write_bytes(b"")\n'
        'print("done")',
    )
    code, log = build(project)
    assert code != 0
    named = re.search(r"lessons/scribbler.py: wrote into the project: (.*?) \(a lesson", log)
    assert named, log
    assert named.group(1) == "docs/index.md, notes.txt", "caches are not the project"


@pytest.mark.pipeline
def test_serve_fails_loudly_and_does_not_loop(project: Path):
    """Under `mkdocs serve` the file a lesson wrote triggers a rebuild; that rebuild must show
    the lesson's error page instead of running it again (which would write again, forever)."""
    lesson = write_lesson(project, "leaky", 'print("fine")')
    with serving(project) as served:
        served.wait_for("lessons/leaky/", "fine")
        lesson.write_text(lesson.read_text().replace('print("fine")', WRITES_INTO_DOCS))
        served.wait_for("lessons/leaky/", "wrote into the project", timeout=120)
        assert "docs/leak.txt" in served.get("lessons/leaky/")
        time.sleep(10)  # long enough for two more rebuilds if it looped
    log_path = served.log_path
    log = log_path.read_text()
    errors = [line for line in error_lines(log) if "docs/leak.txt" in line]
    assert len(errors) == 1 and "lessons/leaky.py: wrote into the project" in errors[0], log
    runs = log.count("ran leaky.py") + log.count("FAILED lessons/leaky.py")
    assert runs == 2, f"the lesson ran again and again:\n{log}"


HOOK_WRITING_LATE = """\
from pathlib import Path


def on_page_markdown(markdown, page, config, files):
    (Path(config.docs_dir) / "late.txt").write_text("late")
    return markdown
"""


@pytest.mark.pipeline
def test_a_file_written_while_the_pages_are_built_fails_too(project: Path):
    (project / "late_hook.py").write_text(HOOK_WRITING_LATE)
    config = project / "mkdocs.yml"
    config.write_text(config.read_text() + "hooks:\n  - late_hook.py\n")
    write_lesson(project, "fine", 'print("fine")')
    code, log = build(project)
    assert code != 0
    assert "changed while the pages were built: docs/late.txt (new)" in log, log


# -- 2. only sources under docs/ are published ------------------------------------------
def _site_exclude_docs() -> str:
    """The exclude_docs of the course's own mkdocs.yml (its !ENV tags read as nothing)."""

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
    return yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader)["exclude_docs"]


@pytest.mark.pipeline
def test_caches_and_dot_files_under_docs_are_not_published(project: Path):
    exclude = textwrap.indent(_site_exclude_docs(), "  ")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text() + f"exclude_docs: |\n{exclude}")
    docs = project / "docs"
    (docs / "__pycache__").mkdir()
    (docs / "__pycache__" / "x.pyc").write_bytes(b"\0")
    (docs / "stray.pyc").write_bytes(b"\0")
    (docs / ".hidden").write_text("secret")
    (docs / "_data").mkdir()
    (docs / "_data" / "table.json").write_text("{}")
    (docs / "notes.txt").write_text("a source file")
    code, log = build(project)
    assert code == 0, log
    published = {p.relative_to(project / "site").as_posix() for p in (project / "site").rglob("*")}
    assert "notes.txt" in published, "the check would pass on an empty site"
    leaked = [p for p in published if "__pycache__" in p or p.endswith((".pyc", ".hidden"))]
    assert not leaked and not any(p.startswith("_data") for p in published), leaked


# -- 3. printed infinity -------------------------------------------------------------------
def _notebook(source: str, printed: str) -> nbformat.NotebookNode:
    notebook = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell(source)
    cell.metadata["line"] = 17
    cell.outputs = [
        nbformat.v4.new_output("stream", name="stdout", text=printed),
        nbformat.v4.new_output(
            "display_data", data={"image/png": "", "text/plain": "<Figure>"}, metadata={}
        ),
    ]
    notebook.cells = [cell]
    notebook.metadata["execution"] = {"error": None}
    return notebook


@pytest.fixture
def any_lesson(tmp_path: Path):
    path = tmp_path / "shown.py"
    path.write_text(LESSON.format(name="shown", order=1, code='print("x")', timeout=60))
    return load_lesson(path, LANGUAGES)


@pytest.mark.parametrize(
    "printed",
    ["inf\n", "-inf\n", "tensor([0., -inf, 2.])\n", "loss=Infinity\n", "x INF y\n"],
)
def test_printed_infinity_fails(any_lesson, printed: str):
    failure = check_outputs(any_lesson, _notebook("print(x)", printed))
    assert failure is not None and failure.message.startswith("printed inf"), failure
    assert (failure.cell, failure.line) == (1, 17)


@pytest.mark.parametrize(
    "printed", ["info: inference on an infinite stream\n", "sys.float_info\n", "x_inf 3\n"]
)
def test_words_containing_inf_pass(any_lesson, printed: str):
    assert check_outputs(any_lesson, _notebook("print(x)", printed)) is None


def test_a_cell_that_allows_inf_may_print_it_but_not_nan(any_lesson):
    allowed = "print(mask)  # allow-inf"
    assert check_outputs(any_lesson, _notebook(allowed, "tensor([0., -inf])\n")) is None
    failure = check_outputs(any_lesson, _notebook(allowed, "tensor([nan, -inf])\n"))
    assert failure is not None and failure.message == "printed NaN"


@pytest.mark.pipeline
def test_lessons_printing_infinity_fail_the_build(project: Path):
    write_lesson(project, "plus", 'print(float("inf"))', order=1)
    write_lesson(project, "minus", 'print(-float("inf"))', order=2)
    write_lesson(project, "words", 'print("inference of an infinite stream, info")', order=3)
    write_lesson(project, "meant", 'print(float("-inf"))  # allow-inf', order=4)
    code, log = build(project)
    assert code != 0
    assert re.search(r"lessons/plus\.py:\d+ \(cell 1\): printed inf", log), log
    assert re.search(r"lessons/minus\.py:\d+ \(cell 1\): printed inf", log), log
    summary = next(line for line in error_lines(log) if "lesson(s) failed" in line)
    assert summary.count("printed inf") == 2, summary
    assert "words.py" not in summary and "meant.py" not in summary, summary


# -- 4. notebook metadata reaches the page as text ----------------------------------------
def _tampered_run(lesson) -> LessonRun:
    notebook = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell('print("x")')
    cell.execution_count = "../../evil"  # figure files are named by position, not by this
    cell.metadata["line"] = lesson.code_cells[0].line
    cell.outputs = [
        nbformat.v4.new_output("stream", name="stdout", text="x\n"),
        nbformat.v4.new_output(
            "display_data",
            data={"image/png": base64.b64encode(b"png").decode(), "text/plain": "<Figure>"},
            metadata={
                "alt": {"es": f'"><img src=x onerror=alert(2)>{EVIL}', "en": EVIL},
                "width": '1" onload="alert(3)',
                "height": 10,
            },
        ),
    ]
    notebook.cells = [cell]
    notebook.metadata["execution"] = {
        "device": {"name": f"{EVIL} [click](javascript:alert(4)) | *", "kind": f"`{EVIL}"},
        "versions": {"torch": EVIL, "python": "3.11"},
        "duration_s": EVIL,
        "date": f"{EVIL}\n\n!!! danger",
        "warnings": [],
        "error": None,
    }
    return LessonRun(lesson, notebook, from_cache=True, reason="unchanged")


@pytest.mark.parametrize("lang", LANGUAGES.codes)
def test_tampered_notebook_metadata_renders_as_text(any_lesson, lang: str):
    page = render_lesson(_tampered_run(any_lesson), lang)
    html = markdown.markdown(
        page, extensions=["admonition", "attr_list", "md_in_html", "tables", "toc"]
    )
    assert "<script" not in html and "<img src=x" not in html, html
    assert "onload=" not in html and 'href="javascript' not in html, html
    assert html.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 5  # name x2, kind, torch, date
    assert '<div class="admonition danger">' not in html
    assert 'src="fig-01-1.png"' in html
    assert set(page_assets(_tampered_run(any_lesson), lang)) == {
        "shown.py",
        "shown.ipynb",
        "fig-01-1.png",
    }


# -- 5. one error line for each bad input --------------------------------------------------
def _lesson_text(**changes: str) -> str:
    text = LESSON.format(name="bad", order=1, code='print("x")', timeout=60)
    for old, new in changes.items():
        assert old in text
        text = text.replace(old, new)
    return text


BAD_LESSONS = {
    # name: (file contents, line reported, reason)
    "invalid UTF-8": (
        _lesson_text().encode().replace(b"Hola desde", b"Hola \xff desde"),
        12,
        "not valid UTF-8",
    ),
    "YAML error": (
        _lesson_text(**{"order: 1": "order: [1"}).encode(),
        7,
        "YAML error in the header: expected ',' or ']'",
    ),
    "timeout_s not an integer": (
        _lesson_text(**{"timeout_s: 60": "timeout_s: soon"}).encode(),
        8,
        "lesson.timeout_s must be a positive integer, not 'soon'",
    ),
    "budget_cpu_s missing": (
        _lesson_text(**{"#     budget_cpu_s: 10\n": ""}).encode(),
        3,
        "lesson.budget_cpu_s is missing",
    ),
    "order not an integer": (
        _lesson_text(**{"order: 1": "order: first"}).encode(),
        6,
        "lesson.order must be an integer, not 'first'",
    ),
    "misspelt field": (
        _lesson_text(**{"timeout_s: 60": "timeout: 60"}).encode(),
        8,
        "unknown field lesson.timeout",
    ),
}


@pytest.mark.parametrize("case", BAD_LESSONS)
def test_bad_lesson_is_one_line_with_file_and_line(tmp_path: Path, case: str):
    data, line, reason = BAD_LESSONS[case]
    path = tmp_path / "bad.py"
    path.write_bytes(data)
    with pytest.raises(LessonFormatError) as raised:
        load_lesson(path, LANGUAGES)
    message = str(raised.value)
    assert "\n" not in message
    assert re.match(rf"(.*/)?bad\.py:{line}: ", message), message
    assert reason in message, message


def _glossary_module():
    spec = importlib.util.spec_from_file_location("glossary_hook", ROOT / "hooks" / "glossary.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


GOOD_ENTRY = '- es: "época"\n  en: "epoch"\n  def_es: "Una pasada."\n  def_en: "One pass."\n'
BAD_GLOSSARIES = {
    "entry without def_es": (
        GOOD_ENTRY + '- es: "lote"\n  en: "batch"\n  def_en: "A group of examples."\n',
        r"docs/_data/glossary\.yml:5: entry 2 \('lote'\) lacks def_es$",
    ),
    "not valid YAML": (
        GOOD_ENTRY + '- es: "lote"\n  en: [batch\n',
        r"docs/_data/glossary\.yml:7: not valid YAML: ",
    ),
    "not a list": ("es: lote\n", r"docs/_data/glossary\.yml:1: the glossary must be a list"),
    "variants not a list": (
        GOOD_ENTRY + '  avoid_es: "época"\n',
        r"docs/_data/glossary\.yml:5: entry 1 \('época'\): avoid_es must be a list of words or "
        r"phrases, not str$",
    ),
    "an empty variant": (
        GOOD_ENTRY + '  avoid_en: ["epochs", " "]\n',
        r"docs/_data/glossary\.yml:5: entry 1 \('época'\): avoid_en items must be non-empty",
    ),
    "a variant mapping of two": (
        GOOD_ENTRY + '  avoid_es: [{"épocas": "x", "epocas": "y"}]\n',
        r"docs/_data/glossary\.yml:5: entry 1 \('época'\): avoid_es a mapping item must be one",
    ),
    "variants of no language": (
        GOOD_ENTRY + '  avoid_fr: ["époque"]\n',
        r"docs/_data/glossary\.yml:5: entry 1 \('época'\): avoid_fr names no language",
    ),
}


@pytest.mark.parametrize("case", BAD_GLOSSARIES)
def test_bad_glossary_is_one_line_with_file_entry_and_term(tmp_path: Path, case: str):
    text, expected = BAD_GLOSSARIES[case]
    path = tmp_path / "glossary.yml"
    path.write_text(text, encoding="utf-8")
    glossary = _glossary_module()
    with pytest.raises(PluginError) as raised:
        glossary.load_glossary(path, LANGUAGES, name=glossary.GLOSSARY)
    message = str(raised.value)
    assert "\n" not in message and re.match(expected, message), message


@pytest.mark.pipeline
@pytest.mark.parametrize("broken", ["lesson header", "glossary"])
def test_bad_input_stops_the_build_with_one_error_line(project: Path, broken: str):
    path = write_lesson(project, "bad", 'print("x")')
    if broken == "lesson header":
        path.write_text(path.read_text().replace("timeout_s: 60", "timeout_s: soon"))
        expected = "lessons/bad.py:8: lesson.timeout_s must be a positive integer, not 'soon'"
    else:
        (project / "docs" / "_data").mkdir()
        (project / "docs" / "_data" / "glossary.yml").write_text(
            '- es: "lote"\n  en: "batch"\n  def_en: "A group."\n', encoding="utf-8"
        )
        config = project / "mkdocs.yml"
        hook = (ROOT / "hooks" / "glossary.py").as_posix()
        config.write_text(config.read_text() + f"exclude_docs: _data/\nhooks:\n  - {hook}\n")
        expected = "docs/_data/glossary.yml:1: entry 1 ('lote') lacks def_es"
    code, log = build(project)
    assert code != 0
    errors = error_lines(log)
    assert len(errors) == 1 and expected in errors[0], log
    assert "Traceback" not in log, log
    assert "ran bad.py" not in log, "the bad input must stop the build before lessons run"


# -- 6. languages out of step ------------------------------------------------------------
@pytest.mark.pipeline
def test_lesson_whose_languages_differ_in_headings_fails_the_build(project: Path):
    path = write_lesson(project, "uneven", 'print("x")')
    path.write_text(path.read_text().replace("# ## Hello from uneven", "# ### Hello from uneven"))
    code, log = build(project)
    assert code != 0
    assert re.search(
        r"lessons/uneven\.py: languages out of step: markdown cell pair 1: "
        r"headings \[2\] \(es\) vs \[3\] \(en\)",
        log,
    ), log
    assert not (project / "site" / "en" / "lessons" / "uneven" / "index.html").exists()
