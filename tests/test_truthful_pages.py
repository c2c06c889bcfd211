"""Pages that cannot lie: output in the page's language, values and claims from the run,
executed solutions, seed shifts. Throwaway projects (see tests/projects.py)."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from .projects import build, lesson_text, write_lesson_text

pytestmark = pytest.mark.pipeline

FIGURE = """\
fig, ax = new_figure()
ax.plot([0, 1, 2], [0.5, 1.5, 2.5], label=tr(es="subida", en="rise"))
ax.set(title=tr(es="Una recta", en="A line"), xlabel=tr(es="paso", en="step"))
ax.legend()
set_alt(fig, es=f"Recta hasta {number(2.5, '.1f')}", en=f"Line up to {number(2.5, '.1f')}")
"""

GOOD = f"""\
# %% [markdown] lang="es"
# ## La media
#
# La media vale {{{{ value: mean }}}} y es positiva {{{{ claim: positive }}}}.

# %% [markdown] lang="en"
# ## The mean
#
# The mean is {{{{ value: mean }}}} and it is positive {{{{ claim: positive }}}}.

# %%
from dlcourse.bilingual import claim, number, publish, tr
from dlcourse.plotting import new_figure, set_alt

values = [0.25, 0.5, 1.0]
mean = sum(values) / len(values)
print(tr(es="media", en="mean"), number(mean, ".4f"))
publish("mean", mean, ".2f")
claim("positive", mean > 0, es="la media es positiva", en="the mean is positive")
{FIGURE}
# %% [markdown] lang="es"
# ## Ejercicios
#
# 1. Calcula el máximo.

# %% [markdown] lang="en"
# ## Exercises
#
# 1. Compute the maximum.

# %% [markdown] lang="es" solution="1"
# El máximo es {{{{ value: largest }}}}.

# %% [markdown] lang="en" solution="1"
# The maximum is {{{{ value: largest }}}}.

# %% solution="1"
largest = max(values)
print(tr(es="máximo", en="maximum"), number(largest, ".2f"))
publish("largest", largest, ".2f")
"""


def _page(project: Path, lang: str, name: str) -> str:
    prefix = "" if lang == "es" else "en/"
    return (project / "site" / prefix / "lessons" / name / "index.html").read_text()


def test_one_run_gives_each_page_its_language_values_claims_and_solutions(project: Path):
    write_lesson_text(project, "good", lesson_text("good", GOOD))
    code, ran, log = build(project)
    assert code == 0, log
    assert ran == {"good"}, "both languages come from one execution"

    spanish, english = _page(project, "es", "good"), _page(project, "en", "good")
    assert "media 0,5833" in spanish and "mean 0.5833" in english
    assert "mean 0.5833" not in spanish and "media 0" not in english
    assert '<span class="glued" data-glue="mean">0,58</span>' in spanish
    assert '<span class="glued" data-glue="mean">0.58</span>' in english
    assert 'data-claim="positive"' in spanish and "la media es positiva" in spanish
    assert "the mean is positive" in english
    # The solution ran after the lesson, and its output sits inside its fold.
    for page, title, printed in (
        (spanish, "Solución 1", "máximo 1,00"),
        (english, "Solution 1", "maximum 1.00"),
    ):
        fold = re.search(r'<details class="success">(.*?)</details>', page, re.S)
        assert fold is not None, page
        assert title in fold.group(1) and printed in fold.group(1)
        assert 'data-glue="largest"' in fold.group(1)
    assert "Recta hasta 2,5" in spanish and "Line up to 2.5" in english
    for page in (spanish, english):
        assert not re.search("[\ue000-\ue002]", page), "bilingual marks reached the page"

    # Each language's figure and notebook are its own.
    figures = {
        lang: (project / "site" / prefix / "lessons" / "good" / "fig-01-1.png").read_bytes()
        for lang, prefix in (("es", ""), ("en", "en/"))
    }
    assert figures["es"] != figures["en"]
    for lang, prefix, word in (("es", "", "media 0,5833"), ("en", "en/", "mean 0.5833")):
        notebook = nbformat.reads(
            (project / "site" / prefix / "lessons" / "good" / "good.ipynb").read_text(), 4
        )
        text = nbformat.writes(notebook)
        assert word in text and not re.search("[\ue000-\ue002]", text)
        assert ("Solución 1" if lang == "es" else "Solution 1") in text


def test_seed_shift_is_part_of_the_key_and_shifts_every_seed(project: Path):
    import os
    import subprocess
    import sys

    cells = """\
# %% [markdown] lang="es"
# ## Azar

# %% [markdown] lang="en"
# ## Chance

# %%
import torch
from dlcourse.plotting import new_figure
from dlcourse.runtime import seed_all, seeded_generator

seed_all(0)
print("global", torch.rand(1).item())
print("own", torch.rand(1, generator=seeded_generator(5)).item())
fig, ax = new_figure()
ax.plot([0, 1], [0, 1])
"""
    write_lesson_text(project, "chance", lesson_text("chance", cells))
    printed = {}
    for number, shift in enumerate(("0", "1", "0")):
        out = project.parent / f"pages-{number}"
        env = dict(os.environ, DLCOURSE_CACHE=str(project / "cache"), DLCOURSE_SEED_SHIFT=shift)
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "coursebuild",
                "--out",
                str(out),
                "lesson",
                "chance",
                "--cached",
            ],
            cwd=project,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        page = (out / "es" / "chance" / "index.md").read_text()
        printed.setdefault(shift, []).append(
            (re.findall(r"(global|own) ([\d.]+)", page), "ran chance.py in" in result.stdout)
        )
    (first, ran_first), (again, ran_again) = printed["0"]
    (shifted, ran_shifted) = printed["1"][0]
    assert first == again and ran_first and not ran_again, "shift 0 again comes from the cache"
    assert ran_shifted, "a shifted build must not reuse the unshifted result"
    assert dict(first)["global"] != dict(shifted)["global"]
    assert dict(first)["own"] != dict(shifted)["own"]


BROKEN = {
    # name: (code of its cell, prose of its Spanish cell, expected message)
    "one_language": ('print(tr(es="hola"))', "", "missing 1 required keyword-only argument: 'en'"),
    "unpublished": (
        'publish("mean", 1.0)',
        "Vale {{ value: median }}.",
        "refers to {{ value: median }}, but the run published no value named 'median'",
    ),
    "false_claim": (
        'claim("big", 1 > 2, es="uno supera a dos", en="one beats two")',
        "Uno supera a dos {{ claim: big }}.",
        "claim 'big' does not hold in this run (cell 1, line 25)",
    ),
    "unmarked_claim": (
        'claim("fine", True, es="vale", en="fine")',
        "",
        "the run checks claim 'fine' but no es prose marks it",
    ),
}


def _broken(code: str, prose: str) -> str:
    english = prose.replace("Vale", "Is").replace("Uno supera a dos", "One beats two")
    return f"""\
# %% [markdown] lang="es"
# ## Una lección
#
# {prose}

# %% [markdown] lang="en"
# ## A lesson
#
# {english}

# %%
from dlcourse.bilingual import claim, publish, tr
from dlcourse.plotting import new_figure

{code}
fig, ax = new_figure()
ax.plot([0, 1], [0, 1])
"""


def test_untranslated_text_unbacked_values_and_false_claims_fail_the_build(project: Path):
    for order, (name, (code, prose, _)) in enumerate(BROKEN.items(), start=1):
        write_lesson_text(project, name, lesson_text(name, _broken(code, prose), order=order))
    solution = GOOD.replace("largest = max(values)", "largest = max(values) / 0")
    path = write_lesson_text(project, "bad_solution", lesson_text("bad_solution", solution, 9))
    code, _, log = build(project)
    assert code != 0, log
    for name, (_, _, message) in BROKEN.items():
        assert re.search(rf"lessons/{name}\.py:\d+\b.*{re.escape(message)}", log), (name, log)
    assert "one beats two" in log, "a failing claim is reported in its own words"
    line = path.read_text().splitlines().index("largest = max(values) / 0") + 1
    assert (
        f"lessons/bad_solution.py:{line} (cell 2): ZeroDivisionError: float division by zero "
        "(in the solution of exercise 1)" in log
    ), log


def test_pages_outside_the_lessons_quote_the_run_or_fail(project: Path):
    write_lesson_text(project, "good", lesson_text("good", GOOD))
    quoting = {
        "index.md": "# Inicio\n\nLa media de la lección: {{ value: good/mean }} "
        "{{ claim: good/positive }}. Sintaxis: `{{ value: good/nothing }}`.\n",
        "index.en.md": "# Home\n\nThe lesson's mean: {{ value: good/mean }} "
        "{{ claim: good/positive }}.\n",
    }
    for name, text in quoting.items():
        (project / "docs" / name).write_text(text)
    code, _, log = build(project)
    assert code == 0, log
    spanish = (project / "site" / "index.html").read_text()
    english = (project / "site" / "en" / "index.html").read_text()
    assert '<span class="glued" data-glue="good/mean">0,58</span>' in spanish
    assert '<span class="glued" data-glue="good/mean">0.58</span>' in english
    assert "la media es positiva" in spanish and "the mean is positive" in english
    assert "{{ value: good/nothing }}" in spanish, "code showing the syntax stays as written"

    (project / "docs" / "index.en.md").write_text(
        "---\ntitle: Home\n---\n\n# Home\n\nThe lesson's median: {{ value: good/median }}.\n"
    )
    code, _, log = build(project)
    assert code != 0, log
    assert "docs/index.en.md:7: quotes {{ value: good/median }}" in log, log
    assert "published no value named 'median'" in log, log
    (project / "docs" / "index.en.md").write_text("# Home\n\n{{ claim: gone/positive }}\n")
    code, _, log = build(project)
    assert code != 0 and "there is no lesson 'gone'" in log, log
