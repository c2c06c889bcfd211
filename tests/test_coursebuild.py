"""The build package's own pieces: languages from mkdocs.yml, taught code, the command line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from coursebuild.cache import package_root
from coursebuild.languages import LanguageConfigError, from_mkdocs_yml
from coursebuild.taught_code import TaughtCodeError, excerpt, expand

from .conftest import LANGUAGES, ROOT

MKDOCS_YML = """\
site_name: Test
site_url: !ENV [SITE_URL, "http://127.0.0.1:8000/"]
plugins:
  - search
  - i18n:
      languages:
        - {locale: en, name: English, build: true}
        - {locale: es, name: Español, default: true, build: true}
        - {locale: fr, name: Français, build: false}
"""


def test_languages_come_from_the_i18n_section(tmp_path: Path):
    assert LANGUAGES.default == "es" and LANGUAGES.others == ("en",)
    config = tmp_path / "mkdocs.yml"
    config.write_text(MKDOCS_YML)
    languages = from_mkdocs_yml(config)
    # The default first whatever the order in the file; a language not built is not a language.
    assert languages.codes == ("es", "en")
    config.write_text("site_name: Test\nplugins:\n  - search\n")
    with pytest.raises(LanguageConfigError, match=str(config)):
        from_mkdocs_yml(config)


def test_taught_code_is_the_library_source_with_its_real_lines():
    shown = excerpt("dlcourse.models.rnn.rnn_step", package_root())
    lines = (package_root() / shown.path).read_text(encoding="utf-8").splitlines()
    assert shown.path.as_posix() == "dlcourse/models/rnn.py"
    assert shown.code.startswith("def rnn_step(")
    assert shown.code.splitlines() == lines[shown.first - 1 : shown.last]
    assert f'linenums="{shown.first}"' in shown.markdown()
    method = excerpt("dlcourse.models.transformer.MultiHeadAttention.forward", package_root())
    assert method.code.lstrip().startswith("def forward(") and method.first > 1


def test_taught_code_directive_expands_only_on_its_own_line():
    prose = "Texto.\n\n{{ source: dlcourse.models.rnn.rnn_step }}\n\nMás `{{ source: x }}` texto."
    expanded = expand(prose, package_root())
    assert "def rnn_step(" in expanded and "{{ source: dlcourse" not in expanded
    assert "`{{ source: x }}`" in expanded  # inline mentions are prose, not directives
    with pytest.raises(TaughtCodeError, match="dlcourse.models.rnn.no_such_step"):
        excerpt("dlcourse.models.rnn.no_such_step", package_root())


LESSON = """\
# ---
# jupyter:
#   lesson:
#     title: {{es: Lección, en: Lesson}}
#     summary: {{es: Resumen, en: Summary}}
#     order: 1
#     budget_cpu_s: 10
# ---

# %% [markdown] lang="es"
# ## Paso
#
# {{{{ source: {target} }}}}

# %% [markdown] lang="en"
# ## Step
#
# {{{{ source: {target} }}}}

# %%
import matplotlib.pyplot as plt

{code}
plt.plot([0, 1], [0, 1])
"""


def _project(tmp_path: Path, lessons: dict[str, tuple[str, str]]) -> Path:
    (tmp_path / "lessons").mkdir()
    (tmp_path / "mkdocs.yml").write_text(MKDOCS_YML)
    for name, (target, code) in lessons.items():
        (tmp_path / "lessons" / f"{name}.py").write_text(LESSON.format(target=target, code=code))
    return tmp_path


def _cli(project: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, DLCOURSE_CACHE=str(project / "cache"))
    return subprocess.run(
        [sys.executable, "-m", "coursebuild", "--out", str(project / "out"), *args],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.pipeline
def test_one_lesson_runs_without_the_site_and_says_where_its_pages_are(tmp_path: Path):
    project = _project(
        tmp_path,
        {
            "good": ("dlcourse.models.rnn.rnn_step", 'print("value", 41 + 1)'),
            "bad": (
                "dlcourse.models.rnn.rnn_step",
                "def ratio(a, b):\n    return a / b\n\n\nratio(1, 0)",
            ),
            "unknown": ("dlcourse.models.rnn.no_such_step", 'print("fine")'),
        },
    )
    result = _cli(project, "lesson", "good")
    assert result.returncode == 0, result.stderr
    page = project / "out" / "es" / "good" / "index.md"
    assert str(page) in result.stdout and "good: executed" in result.stdout
    text = page.read_text(encoding="utf-8")
    assert "value 42" in text and "def rnn_step(" in text and "dlcourse/models/rnn.py" in text
    assert (project / "out" / "en" / "good" / "fig-01-1.png").exists()
    assert not (ROOT / "docs" / "good").exists()

    result = _cli(project, "lesson", "bad")
    lines = (project / "lessons" / "bad.py").read_text().splitlines()
    assert result.returncode == 1
    raising = lines.index("    return a / b") + 1
    assert f"lessons/bad.py:{raising} (cell 1): ZeroDivisionError" in result.stderr

    result = _cli(project, "lesson", "unknown")
    lines = (project / "lessons" / "unknown.py").read_text().splitlines()
    directive = lines.index("# {{ source: dlcourse.models.rnn.no_such_step }}") + 1
    assert result.returncode == 1
    assert f"lessons/unknown.py:{directive}: " in result.stderr, result.stderr
    assert "no_such_step" in result.stderr


def test_benchmark_floor_is_mkdocs_without_any_course_machinery():
    from coursebuild.benchmark import without_course_machinery

    floor = without_course_machinery((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    assert "course-lessons" not in floor and "hooks/glossary.py" not in floor
    for kept in ("- i18n:", "- search", "- mkdocstrings:", "theme:"):
        assert kept in floor, f"the floor must still build the same site ({kept})"


def _hook(name: str):
    import importlib.util

    spec = importlib.util.spec_from_file_location(f"{name}_hook", ROOT / "hooks" / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_glossary_tooltips_mark_the_first_use_in_prose_only():
    glossary = _hook("glossary")
    entries = [
        {"es": "época", "en": "epoch", "def_es": "Una pasada.", "def_en": "One pass."},
        {"es": "tasa de aprendizaje", "en": "learning rate", "def_es": "Paso", "def_en": "Step"},
        {"es": "tasa", "en": "rate", "def_es": "Razón", "def_en": "Ratio"},
    ]
    tooltips = glossary.Tooltips.build(entries, "es", "en")
    page = (
        "<h2>La época</h2><p>Una época y otra época; la tasa de aprendizaje.</p>"
        '<pre><code>época</code></pre><p><span class="arithmatex">\\(época\\)</span>'
        ' <a href="#">tasa</a> <em>épocas</em> tasa</p>'
    )
    marked = tooltips.apply(page)
    assert marked.count("<abbr") == 3, marked
    assert "<h2>La época</h2>" in marked, "never in headings"
    assert '<abbr title="epoch — Una pasada.">época</abbr> y otra época' in marked
    assert '<abbr title="learning rate — Paso">tasa de aprendizaje</abbr>' in marked
    assert "<code>época</code>" in marked and "\\(época\\)" in marked and ">tasa</a>" in marked
    assert "<em>épocas</em>" in marked, "a longer word is not the term"
    assert marked.endswith('<abbr title="rate — Razón">tasa</abbr></p>')


def test_a_figure_with_nan_or_inf_data_is_refused():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import nbformat
    from coursebuild.executor import check_outputs
    from coursebuild.lesson import load_lesson
    from coursebuild.runner import _nonfinite_artists

    fig, (left, right) = plt.subplots(1, 2)
    left.plot([0, 1, 2], [0.0, 1.0, 4.0], label="finite")
    assert _nonfinite_artists(fig) == []
    right.plot([0, 1, 2], [0.0, float("nan"), 4.0], label="loss")
    right.scatter([0.0, float("inf")], [1.0, 2.0])
    found = _nonfinite_artists(fig)
    plt.close(fig)
    assert found[0] == "a line of axes 2 (loss)" and found[1].startswith("points of axes 2")

    lesson = load_lesson(ROOT / "lessons" / "single-neuron.py", LANGUAGES)
    notebook = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("plot()")
    cell.metadata["line"] = 12
    image = {"image/png": "", "text/plain": "<Figure>"}
    cell.outputs = [
        nbformat.v4.new_output("display_data", data=image, metadata={"nonfinite": found})
    ]
    notebook.cells = [cell]
    notebook.metadata["execution"] = {"error": None}
    failure = check_outputs(lesson, notebook)
    assert failure is not None and "figure 1 plots NaN or infinite values" in failure.message
    assert failure.line == 12
