"""Paper notes and the lessons that implement their idea link to each other, in both languages."""

from __future__ import annotations

import re

import pytest
from coursebuild.lesson import load_lesson

from .conftest import DOCS, LANGUAGES, LESSONS

# Paper note -> lessons whose code implements (part of) the paper's idea.
IMPLEMENTED_BY = {
    "lstm": ["vanishing-gradients", "sentiment-lstm", "ner-bilstm", "seq2seq-attention"],
    "bahdanau-attention": ["attention", "seq2seq-attention"],
    "transformer": ["attention", "transformer"],
    "elmo": ["contextual-embeddings"],
    "bert": ["pretraining"],
    "t5": ["pretraining", "transformer"],
    "reformer": ["lsh"],
    "switch-transformers": ["mixture-of-experts"],
}
PAIRS = [(paper, lesson) for paper, lessons in IMPLEMENTED_BY.items() for lesson in lessons]
LESSONS_HEADING = {"es": "## Lecciones del curso", "en": "## Course lessons"}


def lessons_section(paper: str, lang: str) -> str:
    path = DOCS / "papers" / (f"{paper}.md" if lang == "es" else f"{paper}.en.md")
    text = path.read_text(encoding="utf-8")
    start = text.index(LESSONS_HEADING[lang])
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else None]


@pytest.mark.parametrize("lang", ["es", "en"])
@pytest.mark.parametrize(("paper", "lesson"), PAIRS)
def test_paper_note_links_the_lessons_that_implement_it(paper, lesson, lang):
    assert f"](../lessons/{lesson}.md)" in lessons_section(paper, lang)


@pytest.mark.parametrize("lang", ["es", "en"])
@pytest.mark.parametrize(("paper", "lesson"), PAIRS)
def test_lesson_links_back_to_the_paper_note(paper, lesson, lang):
    prose = "\n".join(
        cell.source for cell in load_lesson(LESSONS / f"{lesson}.py", LANGUAGES).prose(lang)
    )
    assert f"](../papers/{paper}.md" in prose


@pytest.mark.parametrize("lang", ["es", "en"])
def test_paper_notes_link_only_existing_lessons(lang):
    for paper in IMPLEMENTED_BY:
        for slug in re.findall(r"\]\(\.\./lessons/([\w-]+)\.md\)", lessons_section(paper, lang)):
            assert (LESSONS / f"{slug}.py").exists(), f"{paper} links missing lesson {slug}"
