"""dlcourse.bilingual and the seed shift: texts per language, published values, claims."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from dlcourse import bilingual
from dlcourse.bilingual import claim, number, percent, publish, resolve, tr

from .conftest import LANGUAGES, LESSONS, ROOT


@pytest.fixture
def both(monkeypatch):
    monkeypatch.setenv("DLCOURSE_LANG", "all")


def test_a_plain_run_speaks_spanish_unless_asked_for_english(monkeypatch):
    for name in ("DLCOURSE_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    assert tr(es="pérdida", en="loss") == "pérdida"
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    assert tr(es="pérdida", en="loss") == "loss", "an English locale gives English"
    monkeypatch.setenv("DLCOURSE_LANG", "es")
    assert tr(es="pérdida", en="loss") == "pérdida", "the variable wins over the locale"
    monkeypatch.setenv("DLCOURSE_LANG", "fr")
    with pytest.raises(ValueError, match="DLCOURSE_LANG='fr'"):
        tr(es="pérdida", en="loss")


def test_a_text_in_one_language_only_is_an_error(both):
    with pytest.raises(TypeError, match="'en'"):
        tr(es="pérdida")  # type: ignore[call-arg]
    with pytest.raises(ValueError, match="'es' text is missing"):
        tr(es=" ", en="loss")


def test_the_build_keeps_both_texts_and_each_page_its_own(both):
    inner = tr(es=f"pérdida {number(0.25, '.2f')}", en=f"loss {number(0.25, '.2f')}")
    line = f"{tr(es='época', en='epoch')} 3: {inner}"
    assert resolve(line, "es") == "época 3: pérdida 0,25"
    assert resolve(line, "en") == "epoch 3: loss 0.25"
    assert tr(es="MSE", en="MSE") == "MSE", "a text the same in both needs no marks"
    with pytest.raises(ValueError, match="unbalanced"):
        resolve(line[:-1], "es")


def test_table_columns_are_padded_in_each_language(both):
    from dlcourse.bilingual import align

    header = align(tr(es="época", en="epoch"), 8) + align("MSE", 6)
    assert resolve(header, "es") == "   época   MSE"
    assert resolve(header, "en") == "   epoch   MSE"
    assert resolve(align(tr(es="partición", en="split"), 10, "<"), "en") == "split     "


def test_numbers_are_written_as_each_language_writes_them(both):
    assert resolve(number(12345.678, ",.1f"), "es") == "12\u202f345,7"
    assert resolve(number(12345.678, ",.1f"), "en") == "12,345.7"
    assert resolve(number(-0.5, "+.2f"), "es") == "-0,50"
    assert resolve(percent(0.734), "es") == "73\u00a0%" and resolve(percent(0.734), "en") == "73%"
    assert resolve(percent(0.7345, 1), "es") == "73,5\u00a0%"


def test_publish_and_claim_record_their_line(both, tmp_path, monkeypatch):
    sink = tmp_path / "published.jsonl"
    monkeypatch.setenv(bilingual.PUBLISH_VARIABLE, str(sink))
    namespace = {"__name__": "__main__", "publish": publish, "claim": claim}
    code = 'x = 0.5\npublish("half", x, ".1f")\nclaim("small", x < 1, es="es pequeño", en="small")'
    exec(compile(code, "lesson.py", "exec"), namespace)
    entries = [json.loads(line) for line in sink.read_text().splitlines()]
    assert [(e["kind"], e["name"], e["line"]) for e in entries] == [
        ("value", "half", 2),
        ("claim", "small", 3),
    ]
    assert resolve(entries[0]["text"], "es") == "0,5" and entries[1]["holds"] is True
    with pytest.raises(ValueError, match="lower-case"):
        publish("Half", 0.5)
    with pytest.raises(ValueError, match="finite"):
        publish("broken", float("nan"))
    with pytest.raises(TypeError, match="a number or a text"):
        publish("listed", [1, 2])


def test_every_seed_goes_through_the_runtime(monkeypatch):
    """DLCOURSE_SEED_SHIFT only stands in for other numerics if nothing seeds around it."""
    import torch
    from dlcourse.runtime import seed_all, seeded_generator, shifted

    direct = re.compile(
        r"torch\.manual_seed\(|Generator\(\)\.manual_seed\(|np\.random\.seed\("
        r"|(?<![\w.])random\.seed\(|(?:random_state=|default_rng\(|seed_everything\("
        r"|Random\()(?!shifted\()"
    )
    offenders = []
    for path in [*ROOT.joinpath("code", "dlcourse").rglob("*.py"), *LESSONS.glob("*.py")]:
        if path.name == "runtime.py":
            continue
        for number_, line in enumerate(path.read_text().splitlines(), start=1):
            code = line.split("#", 1)[0] if path.parent != LESSONS else line
            if path.parent == LESSONS and line.startswith("#"):
                continue  # prose and folded solutions of lessons are comments
            if direct.search(code):
                offenders.append(f"{path.relative_to(ROOT)}:{number_}: {line.strip()}")
    assert not offenders, "seeding around dlcourse.runtime:\n" + "\n".join(offenders)

    monkeypatch.delenv("DLCOURSE_SEED_SHIFT", raising=False)
    seed_all(0)
    base = torch.rand(1).item(), torch.rand(1, generator=seeded_generator(3)).item()
    monkeypatch.setenv("DLCOURSE_SEED_SHIFT", "2")
    assert shifted(3) == 5
    seed_all(0)
    moved = torch.rand(1).item(), torch.rand(1, generator=seeded_generator(3)).item()
    assert base[0] != moved[0] and base[1] != moved[1]
    monkeypatch.setenv("DLCOURSE_SEED_SHIFT", "one")
    with pytest.raises(ValueError, match="not an integer"):
        shifted(0)


def test_seed_shift_changes_the_cache_key(tmp_path, monkeypatch):
    from coursebuild.cache import ExecutionCache
    from coursebuild.lesson import load_lesson

    lesson = load_lesson(LESSONS / "single-neuron.py", LANGUAGES)
    monkeypatch.delenv("DLCOURSE_SEED_SHIFT", raising=False)
    base = ExecutionCache(tmp_path, tmp_path / "code", "cpu", threads=1).static_key(lesson)
    monkeypatch.setenv("DLCOURSE_SEED_SHIFT", "1")
    assert base != ExecutionCache(tmp_path, tmp_path / "code", "cpu", threads=1).static_key(lesson)


def test_solutions_come_after_the_lessons_code(tmp_path: Path):
    from coursebuild.lesson import LessonFormatError, load_lesson

    text = (LESSONS / "single-neuron.py").read_text()
    first_solution = text.index('# %% solution="1"')
    path = tmp_path / "late.py"
    path.write_text(text[:first_solution] + '# %% solution="1"\nx = 1\n\n# %%\ny = 2\n')
    with pytest.raises(LessonFormatError, match="must come before the solutions"):
        load_lesson(path, LANGUAGES)
    lesson = load_lesson(LESSONS / "single-neuron.py", LANGUAGES)
    solutions = [cell.solution for cell in lesson.code_cells if cell.solution]
    assert solutions == sorted(solutions) and solutions, "single-neuron runs its solutions last"


@pytest.mark.parametrize("path", sorted(LESSONS.glob("*.py")), ids=lambda p: p.stem)
def test_lesson_code_fits_the_content_column(path: Path):
    """The code a lesson shows needs no horizontal scrolling on a laptop screen."""
    from coursebuild.lesson import load_lesson

    lesson = load_lesson(path, LANGUAGES)
    long = [
        f"{path.name}:{cell.line + offset}"
        for cell in lesson.cells
        if cell.kind == "code"
        for offset, line in enumerate(cell.source.splitlines(), start=1)
        if len(line) > 80
    ]
    assert not long, f"lesson code lines over 80 characters: {long}"
