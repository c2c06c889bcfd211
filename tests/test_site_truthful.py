"""On the built site: lessons in the full format speak the page's language, quote the run
and show executed solutions; no bilingual mark ever reaches a page or a download."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

pytestmark = pytest.mark.site

# Lessons whose outputs, figures, quoted values, claims and solutions all come from the run.
FULL_FORMAT = (
    "single-neuron",
    "binary-classification",
    "transformer",
    "pretraining",
    "sentiment-lstm",
)

# Numbers that the prose of a lesson may write by hand although they also appear in its
# printed output: inputs the prose names, not results. Each with its reason.
NAMED_INPUTS: dict[str, dict[str, str]] = {
    "single-neuron": {
        "10": "the steps of the lr=1.0 run in solution 1, set in the code",
        "60": "the steps of the one-input fit, set in the code",
        "200": "the steps of the ten-input fit, set in the code",
        "5000": "the steps of the long run of solution 2, set in the code",
    },
    "transformer": {
        "03": "the example date «2021-03-03» that presents the task",
        "2021": "the year of that example date",
        "2020": "the year of a citation (Xiong et al., 2020)",
        "64": "the batch size, set in the code",
    },
    "pretraining": {
        "10": "BERT's masking recipe: 10 % random words, 10 % unchanged",
        "15": "BERT's masking recipe: 15 % of the tokens are chosen",
        "80": "BERT's masking recipe: 80 % of the chosen become [MASK]",
        "16": "reviews per class of the smallest fine-tuning set, set in the code",
        "64": "reviews per class of a fine-tuning set, set in the code",
        "256": "reviews per class of the largest fine-tuning set, set in the code",
        "50": "the fine-tuning steps, set in the code",
        "200": "the step of the snapshot exercise 3 compares, set in the code",
        "800": "the pretraining steps, set in the code",
        "2000": "the batch size exercise 1 asks about",
    },
    "sentiment-lstm": {
        "10": "the padding columns added in the padding check, set in the code",
        "500": "test reviews per class, set in the code",
    },
}

# Words that give a language away in printed output: function words and the course's most
# frequent labels (data is left out: quoted strings are removed before looking).
GIVEAWAYS = {
    "es": {"el", "los", "las", "del", "con", "para", "entrenamiento", "validación",
           "pérdida", "época", "pasos", "pesos", "exactitud", "aprendido", "prueba"},
    "en": {"the", "and", "with", "for", "training", "train", "validation", "loss",
           "epoch", "steps", "weights", "accuracy", "learned", "test"},
}  # fmt: skip
QUOTED = re.compile(r"'[^'\n]*'|\"[^\"\n]*\"|«[^»]*»|“[^”]*”")  # data, quoted
NUMBER = re.compile(r"(?<![\w.,])[-+−]?\d+(?:[.,]\d+)?(?![\w])")
MARKS = re.compile("[\ue000-\ue002]")


class LessonPage(HTMLParser):
    """The prose, printed outputs, alt texts and marked values of a lesson page's article."""

    SKIP = {"pre", "code", "script", "style", "figure", "summary"}

    def __init__(self) -> None:
        super().__init__()
        self.prose: list[str] = []
        self.outputs: list[str] = []
        self.alts: list[str] = []
        self.glued: list[str] = []
        self.claims: list[str] = []
        self.folds_with_output = 0
        self._stack: list[tuple[str, bool]] = []  # (tag, skipped)
        self._in_article = 0
        self._output: list[str] | None = None
        self._fold_depth: int | None = None
        self._fold_has_output = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        classes = set((attributes.get("class") or "").split())
        if tag == "article":
            self._in_article += 1
        if attributes.get("id") == "provenance":  # the run's device, versions and date
            self._in_article = 0
        skipped = (
            tag in self.SKIP
            or bool(classes & {"glued", "claim-checked", "arithmatex", "lesson-provenance"})
            or (tag == "div" and {"admonition", "info"} <= classes)
            or (bool(self._stack) and self._stack[-1][1])
        )
        if tag == "pre" and "lesson-output" in classes:
            self._output = []
            self._fold_has_output = self._fold_has_output or self._fold_depth is not None
        if tag == "img" and self._in_article:
            self.alts.append(attributes.get("alt") or "")
            self._fold_has_output = self._fold_has_output or self._fold_depth is not None
        if "glued" in classes:
            self.glued.append(attributes.get("data-glue") or "")
        if "claim-checked" in classes:
            self.claims.append(attributes.get("data-claim") or "")
        if tag == "details" and "success" in classes:
            self._fold_depth, self._fold_has_output = len(self._stack), False
        if tag not in ("img", "br", "hr", "input", "meta", "link"):
            self._stack.append((tag, skipped))

    def handle_endtag(self, tag):
        while self._stack:
            open_tag, _ = self._stack.pop()
            if open_tag == tag:
                break
        if tag == "pre" and self._output is not None:
            self.outputs.append("".join(self._output))
            self._output = None
        if (
            tag == "details"
            and self._fold_depth is not None
            and len(self._stack) <= self._fold_depth
        ):
            self.folds_with_output += self._fold_has_output
            self._fold_depth = None
        if tag == "article":
            self._in_article -= 1

    def handle_data(self, data):
        if self._output is not None:
            self._output.append(data)
        elif self._in_article and not (self._stack and self._stack[-1][1]):
            self.prose.append(data)


def lesson_page(site: Path, lang: str, lesson: str) -> LessonPage:
    prefix = "" if lang == "es" else "en/"
    parser = LessonPage()
    parser.feed((site / prefix / "lessons" / lesson / "index.html").read_text())
    return parser


def numbers(text: str) -> set[str]:
    """The numbers of two or more characters in ``text``, written with a decimal point."""
    found = set()
    for match in NUMBER.finditer(text.replace("\u202f", "").replace("\u00a0", " ")):
        token = match.group().lstrip("+-−").replace(",", ".")
        if len(token) >= 2:
            found.add(token)
    return found


@pytest.mark.parametrize("lang", ["es", "en"])
@pytest.mark.parametrize("lesson", FULL_FORMAT)
def test_outputs_and_figure_texts_are_in_the_pages_language(built_site, lesson, lang):
    page = lesson_page(built_site, lang, lesson)
    other = "en" if lang == "es" else "es"
    words = set()
    for text in [*page.outputs, *page.alts]:
        words |= set(re.findall(r"[a-záéíóúñü]+", QUOTED.sub(" ", text).lower()))
    assert page.outputs, "a lesson page shows printed output"
    leaked = sorted(words & GIVEAWAYS[other])
    assert not leaked, f"{lesson} ({lang}) shows {other} words in outputs or alt text: {leaked}"


@pytest.mark.parametrize("lang", ["es", "en"])
@pytest.mark.parametrize("lesson", FULL_FORMAT)
def test_prose_quotes_no_result_of_the_run_by_hand(built_site, lesson, lang):
    page = lesson_page(built_site, lang, lesson)
    printed = set().union(*(numbers(text) for text in page.outputs))
    typed = numbers(" ".join(page.prose)) & printed
    allowed = set(NAMED_INPUTS.get(lesson, {}))
    assert not typed - allowed, (
        f"{lesson} ({lang}): numbers typed in prose that the run prints: "
        f"{sorted(typed - allowed)} (publish them and write {{{{ value: name }}}})"
    )


@pytest.mark.parametrize("lesson", FULL_FORMAT)
def test_values_claims_and_solutions_from_the_run(built_site, lesson):
    pages = {lang: lesson_page(built_site, lang, lesson) for lang in ("es", "en")}
    spanish, english = pages["es"], pages["en"]
    assert spanish.glued and spanish.glued == english.glued, "the same values in both languages"
    assert spanish.claims and sorted(set(spanish.claims)) == sorted(set(english.claims))
    assert spanish.folds_with_output >= 1, "executed solutions show their output in the fold"
    assert spanish.folds_with_output == english.folds_with_output
    assert not any(re.search(r"\{\{\s*(value|claim)", text) for text in spanish.prose)


def test_no_bilingual_mark_reaches_a_page_or_a_download(built_site):
    offenders = [
        str(path.relative_to(built_site))
        for pattern in ("**/*.html", "**/*.ipynb", "search/*.json")
        for path in built_site.glob(pattern)
        if MARKS.search(path.read_text(encoding="utf-8"))
    ]
    assert not offenders, offenders


@pytest.mark.parametrize("lesson", FULL_FORMAT)
def test_each_languages_notebook_carries_its_own_outputs(built_site, lesson):
    for lang, prefix in (("es", ""), ("en", "en/")):
        notebook = json.loads(
            (built_site / prefix / "lessons" / lesson / f"{lesson}.ipynb").read_text()
        )
        printed = "".join(
            "".join(output.get("text", ""))
            for cell in notebook["cells"]
            if cell["cell_type"] == "code"
            for output in cell["outputs"]
        )
        page_output = lesson_page(built_site, lang, lesson).outputs[0].strip()
        assert page_output.splitlines()[0] in printed
        markdown = "".join(
            "".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "markdown"
        )
        assert "{{" not in markdown, "values are filled into the notebook's prose"
