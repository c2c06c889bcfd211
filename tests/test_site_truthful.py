"""On the built site: lessons in the full format speak the page's language, quote the run
and show executed solutions; no bilingual mark ever reaches a page or a download."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from .conftest import LESSONS

pytestmark = pytest.mark.site

# Every lesson: its outputs, figures, quoted values, claims and solutions all come from the run.
FULL_FORMAT = tuple(sorted(path.stem for path in LESSONS.glob("*.py")))

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
        "40": "the share of reviews given a clause of the other polarity, set in the corpus generator",
        "1000": "the training reviews per class, set in the code",
        "10": "the padding columns added in the padding check, set in the code",
        "500": "test reviews per class, set in the code",
    },
    "tensors": {
        "10": "the output width of exercise 3's MLP (64 → 128 → 10), set in the code",
        "128": "the hidden width of exercise 3's MLP, set in the code",
        "256": "the batch size of exercise 3, set in the code",
    },
    "lsh": {
        "30": "an angle exercise 1 asks about",
        "90": "an angle exercise 1 asks about",
        "16": "a chunk size exercise 3 asks about",
        "256": "a chunk size exercise 3 asks about",
    },
    "tokenization": {
        "256": "the number of possible byte values",
        "1000": "the BPE merges, set in the code and named by exercise 1",
    },
    "embeddings": {
        "10": "the training epochs, set in the code",
        "32": "the vector dimension, set in the code",
        "512": "the batch size of exercise 1, set in the code",
    },
    "contextual-embeddings": {
        "10": "the epochs, set in the code",
        "32": "the embedding dimension, set in the code",
        "64": "the LSTM units per direction, set in the code",
        "600": "the everyday sentences added to the corpus, set in the code",
        "0.5": "a backward weight w that exercise 3 lists, set in the code",
    },
    "lightning-anatomy": {
        "25": "the 75 % / 25 % split, set in the code",
        "32": "the batch size exercise 1 asks about, set in the code",
        "40": "max_epochs of the callbacks run, set in the code",
        "64": "the batch size and hidden width, set in the code; a float's 64 bits",
    },
    "optimizers": {
        "10": "the first SGD steps the prose splits the path at, set in the code",
        "12": "the training epochs, set in the code",
        "100": "the steps of the decay experiment, set in the code",
        "500": "the Rosenbrock steps, set in the code",
    },
    "tuning-playbook": {
        "100": "the range test's steps, set in the code",
        "16": "a batch size, set in the code",
        "64": "a batch size, set in the code",
        "256": "a batch size, set in the code",
        "32": "a hidden width, set in the code",
        "128": "a hidden width, set in the code",
    },
    "rnn-by-hand": {
        "0.5": "a spectral radius, set in the code",
        "0.9": "a spectral radius, set in the code",
        "1.5": "a spectral radius, set in the code",
        "30": "the sequence length, set in the code",
        "64": "the number of sequences, set in the code",
    },
    "attention": {
        "16": "the number of keys in the saturation test, set in the code",
    },
    "seq2seq-attention": {
        "1950": "the first training year, set in the code",
        "1961": "the year of the example date that presents the task",
        "03": "the example date «2021-03-03» that presents the task",
        "1000": "the number of test dates, set in the code",
        "2060": "the first unseen year, set in the code",
        "2099": "the last unseen year, set in the code",
    },
    "linear-regression": {
        "11": "the bowl's dimensions: ten features and the bias",
        "60": "the steps of the four-rate comparison and of solution 1, set in the code",
        "100": "the step checkpoint the ten-feature table prints, set in the code",
    },
    "sgd": {
        "0.02": "the distance to the optimum the epoch count is measured at, set in the code",
        "30": "the epochs, set in the code",
        "32": "the mini-batch size, set in the code",
        "100": "the mini-batch size of exercise 1, set in the code",
        "0.1": "a rate of exercise 3, set in the code",
        "0.15": "a rate of exercise 3, set in the code",
        "0.2": "a rate of exercise 3, set in the code",
        "0.25": "a rate of exercise 3, set in the code",
    },
    "loss-functions": {
        "10": "an accuracy checkpoint (steps), set in the code",
        "50": "an accuracy checkpoint (steps), set in the code",
        "300": "an accuracy checkpoint (steps), set in the code",
    },
    "lr-schedules": {
        "10": "the epochs, and the warm-up steps of exercise 2's schedule, set in the code",
    },
    "vanishing-gradients": {
        "10": "a sequence length, set in the code",
        "20": "a sequence length, set in the code",
        "40": "a sequence length, set in the code",
        "60": "the longest sequence length T, set in the code",
        "59": "the T − 1 steps exercise 1 asks about",
        "150": "the training steps, set in the code",
        "16": "the number of noise tokens, set in the code",
        "19": "the highest noise-token id («4 to 19»), set in the code",
    },
    "ner-bilstm": {
        "12": "the sentence templates of the corpus generator",
        "2500": "the training sentences, set in the code (exercise 3 reuses them)",
        "0.1": "a word-dropout probability, set in the code",
        "0.3": "a word-dropout probability of exercise 2",
        "0.5": "a word-dropout probability of exercise 2",
        "2020": "a year inside a hand-written input sentence",
        "2030": "a year inside a hand-written input sentence",
    },
    "multi-device": {
        "32": "the batch size per process, set in the code",
        "64": "the effective batch, 2 × 32, set in the code",
        "16": "the per-process batch exercise 3 asks about",
        "1345": "exercise 1's odd number of training images (a hypothetical count to split over two processes)",
    },
    "experiment-tracking": {
        "16": "a hidden width, set in the code (also in a run's name)",
        "64": "a hidden width and the batch size, set in the code",
        "256": "a hidden width, set in the code (also in a run's name)",
    },
    "mixture-of-experts": {
        "0.01": "a balancing weight α, set in the code (the paper's value)",
        "0.1": "a balancing weight α, set in the code",
        "1.25": "a capacity factor, set in the code",
        "16": "the expert count of the parameter comparison, set in the code",
    },
    "hidden-layers": {
        "32": "the widest width of the circles sweep, set in the code",
    },
    "overfitting": {
        "20": "the epochs of solution 1, set in the code",
        "32": "a network width and the mini-batch size, set in the code",
        "128": "a network width, set in the code",
        "512": "a network width, set in the code",
        "200": "the training images, set in the code",
        "60": "the epochs, set in the code",
    },
    "dropout-batchnorm": {
        "32": "the mini-batch size, set in the code",
        "40": "the training epochs, set in the code",
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
            self._in_article = max(0, self._in_article - 1)  # 0 already after provenance

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
    # The same values in both languages (each language may order its sentences its own way).
    assert spanish.glued and sorted(spanish.glued) == sorted(english.glued)
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


@pytest.mark.parametrize("lang", ["es", "en"])
def test_paper_notes_quote_lesson_results_from_the_run(built_site, lang):
    """A note outside the lessons quotes a lesson's result through the run, never by hand."""
    prefix = "" if lang == "es" else "en/"
    page = (built_site / prefix / "papers" / "bert" / "index.html").read_text()
    lesson = (built_site / prefix / "lessons" / "pretraining" / "index.html").read_text()
    quoted = re.search(r'data-glue="pretraining/n_tokens">([^<]+)<', page)
    shown = re.search(r'data-glue="n_tokens">([^<]+)<', lesson)
    assert quoted and shown, "the BERT note quotes the pretraining lesson's token count"
    assert quoted.group(1) == shown.group(1), "the note shows what the lesson's run shows"
    assert 'data-claim="pretraining/recipe_holds"' in page
