"""The style check (coursebuild.style): glossary terms and number typography per language,
over the sources, the lessons' prose and the built pages; and the number formatting that the
build's generated text shares with the lessons."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest
from coursebuild.glossary import load_entries
from coursebuild.render import seconds, untrusted
from coursebuild.style import Checker, check_html, check_project, prose_of, visible_text
from dlcourse.bilingual import number, percent, resolve
from dlcourse.formatting import format_number, localize

from .conftest import LANGUAGES, ROOT
from .projects import lesson_text, make_project, write_lesson_text

NB, THIN = "\u00a0", "\u202f"
ENTRIES = [
    {"es": "compuerta", "en": "gate", "avoid_es": ["puerta", {"puertas": "compuertas"}]},
    {"es": "incrustación", "en": "embedding", "avoid_es": ["embedding", {"embeddings": "incrustaciones"}]},
    {"es": "LSTM", "en": "LSTM", "avoid_es": [{"el LSTM": "la LSTM"}]},
    {"es": "ajuste fino", "en": "fine-tuning", "avoid_es": [{"ajust* finamente": "ajustar"}]},
    {"es": "lote", "en": "batch", "avoid_en": ["batches of one"]},
]  # fmt: skip


@pytest.fixture
def checker() -> Checker:
    return Checker(ENTRIES, LANGUAGES)


def messages(checker: Checker, text: str, lang: str = "es", path: str = "page.md") -> list[str]:
    return [str(f) for f in checker.check_markdown(text, lang, path)]


def hook(name: str):
    spec = importlib.util.spec_from_file_location(f"{name}_hook", ROOT / "hooks" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --- terms ----------------------------------------------------------------------------


def test_a_variant_names_the_file_the_line_and_the_preferred_term(checker):
    text = "\n" * 41 + "La puerta de olvido decide qué se borra.\n"
    assert messages(checker, text, path="docs/papers/lstm.md") == [
        "docs/papers/lstm.md:42: «puerta»: use «compuerta» (glossary: gate)"
    ]


def test_variants_match_whole_words_any_case_phrases_and_endings(checker):
    found = messages(
        checker,
        "Puertas y más puertas.\nEl LSTM lee.\nlos pesos se ajustan finamente\n"
        "La compuerta, las compuertas y la LSTM están bien; el LSTMx no es nada.",
    )
    assert found == [
        "page.md:1: «Puertas»: use «Compuertas» (glossary: gate)",
        "page.md:1: «puertas»: use «compuertas» (glossary: gate)",
        "page.md:2: «El LSTM»: use «La LSTM» (glossary: LSTM)",
        "page.md:3: «ajustan finamente»: use «ajustar» (glossary: fine-tuning)",
    ]


def test_the_borrowed_term_may_follow_once_in_parentheses(checker):
    text = "Una incrustación (*embedding*) es un vector.\nOtra (embedding) ya no.\nY embeddings tampoco."
    assert messages(checker, text) == [
        "page.md:2: «embedding»: use «incrustación» (glossary: embedding)",
        "page.md:3: «embeddings»: use «incrustaciones» (glossary: embedding)",
    ]


def test_each_language_has_its_own_variants(checker):
    assert messages(checker, "The gate (puerta) and batches of one.", "en") == [
        "page.md:1: «batches of one»: use «batch» (glossary: batch)"
    ]
    assert messages(checker, "Lotes: batches of one.", "es") == []


# --- what is prose --------------------------------------------------------------------


def test_only_prose_is_checked(checker):
    page = (
        "---\ntitle: puerta 0.5\n---\n"
        "Texto con `nn.Embedding(0.5)` y $p = 0.5$ y \\(x = 0.5\\) y \\[y = 2.5\\].\n"
        "$$\nz = 0.25\n$$\n"
        "```python\nembedding = 0.5  # puerta\n```\n"
        '<figure class="puerta" data-x="0.5"><img alt="x" src="a.png"></figure>\n'
        "Véase [la lección](../lessons/embeddings.md) y {{ value: puerta_0_5 }}.\n"
        "Hochreiter, S. (1997). Long short-term memory gates. *Neural Computation*.\n"
        "[ref]: https://example.org/embedding/0.5\n"
        "::: dlcourse.lessons.embeddings\n"
    )
    assert messages(checker, page) == []
    assert prose_of("a `b` c").startswith("a ") and "b" not in prose_of("a `b` c")
    assert prose_of(page).count("\n") == page.count("\n"), "lines are kept for the line numbers"


# --- numbers --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Con Python 3.11 y torch 2.13.0 en MkDocs 1.6.",
        "Versión 1.6 del paquete, o v2.1.",
        "Véase [arXiv:1706.03762] y doi:10.1007/BF02551274.",
        "Como dice la sección 3.2 (y las secs. 5.5 y 6.2 del libro).",
        "Un 28,4 BLEU, 0,25, 8192 tokens, 30\u202f000 pasos y un 25\u00a0%.",
        "Desde 127.0.0.1 hasta el año 2026.",
    ],
)
def test_spanish_numbers_that_are_right(checker, text):
    assert messages(checker, text) == []


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("alcanzó 28.4 BLEU", "«28.4»: write «28,4» (decimal comma)"),
        ("la puntuación GLUE de 80.5", "«80.5»: write «80,5» (decimal comma)"),
        ("de 512 a 8.192 posiciones", "«8.192»: write «8192» (no '.' between thousands)"),
        ("unos 161.000 ejemplos", f"«161.000»: write «161{THIN}000» (no '.' between thousands)"),
        (
            "1,000,000 de pasos",
            f"«1,000,000»: write «1{THIN}000{THIN}000» (no ',' between thousands)",
        ),
        ("30 000 pasos", f"«30 000»: write «30{THIN}000»"),
        (f"8{THIN}192 tokens", "«8\u202f192»: write «8192»"),
        ("un 25% de los tokens", f"«25%»: write «25{NB}%»"),
        ("un 25 % de los tokens", f"«25 %»: write «25{NB}%»"),
    ],
)
def test_spanish_numbers_that_are_wrong(checker, text, rule):
    found = messages(checker, text)
    assert len(found) == 1 and rule in found[0], found


def test_english_percent_spelling_and_decimals(checker):
    text = (
        "About 25 % of runs normalise the inputs; Regularisation and its behaviour.\n"
        "25% is fine, as are 0.25, 30,000, analyses and the organism.\n"
        "A decimal comma 0,25 is not."
    )
    assert messages(checker, text, "en") == [
        "page.md:1: «25 %»: write «25%» (no space before «%»)",
        "page.md:1: «normalise»: write «normalize» (US spelling)",
        "page.md:1: «Regularisation»: write «Regularization» (US spelling)",
        "page.md:1: «behaviour»: write «behavior» (US spelling)",
        "page.md:3: «0,25»: write «0.25» (decimal point)",
    ]


# --- lessons, glossary, command line --------------------------------------------------


def test_a_lesson_is_checked_cell_by_cell_in_its_language_at_the_file_line(tmp_path, checker):
    project = make_project(tmp_path)
    cells = (
        '# %% [markdown] lang="es"\n# ## Hola\n#\n# La puerta de 0.5.\n\n'
        '# %% [markdown] lang="en"\n# ## Hello\n#\n# We normalise 0.5.\n\n'
        "# %%\nprint(0.5)  # puerta\n"
    )
    path = write_lesson_text(project, "demo", lesson_text("demo", cells))
    lines = path.read_text().splitlines()
    found = [str(f) for f in checker.check_lesson(path, project)]
    es_line = lines.index("# La puerta de 0.5.") + 1
    en_line = lines.index("# We normalise 0.5.") + 1
    assert found == [
        f"lessons/demo.py:{es_line}: «puerta»: use «compuerta» (glossary: gate)",
        f"lessons/demo.py:{es_line}: «0.5»: write «0,5» (decimal comma)",
        f"lessons/demo.py:{en_line}: «normalise»: write «normalize» (US spelling)",
    ]


def test_the_command_prints_findings_and_exits_1(tmp_path):
    project = make_project(tmp_path)
    data = project / "docs" / "_data"
    data.mkdir()
    (data / "glossary.yml").write_text(
        '- es: "compuerta"\n  en: "gate"\n  def_es: "Una compuerta."\n  def_en: "A gate."\n'
        '  avoid_es: ["puerta"]\n',
        encoding="utf-8",
    )
    page = project / "docs" / "lstm.md"
    page.write_text("# LSTM\n\nUna compuerta.\n", encoding="utf-8")
    command = [sys.executable, "-m", "coursebuild", "--config", "mkdocs.yml", "style"]
    clean = subprocess.run(command, cwd=project, capture_output=True, text=True)
    assert clean.returncode == 0 and clean.stdout == "", clean.stderr
    page.write_text("# LSTM\n\nUna puerta.\n", encoding="utf-8")
    dirty = subprocess.run(command, cwd=project, capture_output=True, text=True)
    assert dirty.returncode == 1
    assert dirty.stdout == "docs/lstm.md:3: «puerta»: use «compuerta» (glossary: gate)\n"


def test_the_course_glossary_lists_variants_for_the_decisions_on_terms():
    entries = load_entries(ROOT / "docs" / "_data" / "glossary.yml", LANGUAGES)
    checker = Checker(entries, LANGUAGES)
    wrong = {
        "la puerta de olvido": "compuerta",
        "un embedding": "incrustación",
        "el LSTM": "la LSTM",
        "el GRU": "la GRU",
        "SGD con momento": "con momentum",
        "la capa feed-forward": "red prealimentada",
        "el broadcasting": "difusión",
        "la corrupción de fragmentos": "corrupción de tramos",
        "el mismo cubo": "cubeta",
        "clases desbalanceadas": "desequilibradas",
        "la desviación estándar": "desviación típica",
        "los autores reportan": "informar de",
        "se ajustan finamente": "ajustar",
    }
    for text, preferred in wrong.items():
        found = messages(checker, text)
        assert len(found) == 1 and preferred in found[0], (text, found)
    assert (
        messages(checker, "el primer momento de Adam; en este momento; la LSTM y el Transformer")
        == []
    )


def test_the_course_prose_follows_the_style():
    """Every page of docs/, every lesson's prose and the glossary: no finding."""
    findings = check_project(ROOT, LANGUAGES)
    assert not findings, f"{len(findings)} findings:\n" + "\n".join(map(str, findings[:60]))


# --- numbers the build writes ---------------------------------------------------------


def test_one_formatter_writes_numbers_for_every_language(monkeypatch):
    monkeypatch.setenv("DLCOURSE_LANG", "all")  # tr() keeps both languages, as in the build
    assert format_number(12345.67, ",.1f", "es") == f"12{THIN}345,7"
    assert format_number(12345.67, ",.1f", "en") == "12,345.7"
    assert format_number(8192, ",d", "es") == "8192", "four digits stay together"
    assert format_number(8192, "8,d", "es") == "    8192", "a padded column keeps its width"
    assert localize("0.25", "es") == "0,25" and localize("0.25", "en") == "0.25"
    assert resolve(number(1234567, ",d"), "es") == f"1{THIN}234{THIN}567"
    assert resolve(percent(0.253, 1), "es") == f"25,3{NB}%"
    assert resolve(percent(0.253, 1), "en") == "25.3%"


def test_run_times_are_written_in_the_pages_language():
    assert seconds(1.73, "es") == "1,7 s" and seconds(1.73, "en") == "1.7 s"


def test_notebook_text_keeps_the_no_break_spaces_of_numbers():
    shown = untrusted(f"12{THIN}345 pasos,\n  un 25{NB}%  ")
    assert shown == f"12{THIN}345 pasos, un 25{NB}%"


def test_built_pages_are_checked_by_the_language_of_each_passage(checker):
    page = (
        "<html><head><title>0.5</title></head><body>\n"
        '<p>Dura 1.7 s y la <span lang="en">gate</span> no es una puerta.</p>\n'
        '<pre><code>0.5 puerta</code></pre><span class="arithmatex">\\(0.5\\)</span>\n'
        '<div class="doc-contents"><p>We normalise 0.25.</p></div>\n'
        '<a href="#dlcourse.bilingual.report">report</a><p lang="en">25 %</p>\n'
        "</body></html>"
    )
    assert [str(f) for f in check_html(checker, page, "es", "es/page.html")] == [
        "es/page.html:2: «puerta»: use «compuerta» (glossary: gate)",
        "es/page.html:2: «1.7»: write «1,7» (decimal comma)",
        "es/page.html:4: «normalise»: write «normalize» (US spelling)",
        "es/page.html:5: «25 %»: write «25%» (no space before «%»)",
    ]


def test_build_page_tables_follow_each_languages_typography(checker):
    tables = hook("benchmark_table").benchmark_tables
    path = ROOT / "docs" / "_data" / "benchmark.json"
    spanish, english = tables(path, "es"), tables(path, "en")
    assert re.search(r"\| \d+,\d \|", spanish) and not re.search(r"\| \d+\.\d \|", spanish)
    assert re.search(r"\| \d+\.\d \|", english)
    assert messages(checker, spanish, "es") == [] and messages(checker, english, "en") == []


def test_the_style_guide_table_comes_from_the_glossary():
    module = hook("glossary")
    entries = load_entries(ROOT / "docs" / "_data" / "glossary.yml", LANGUAGES)
    table = module.terms_table(entries, "es", "es", "en")
    listed = [e for e in entries if e.get("avoid_es")]
    assert len(table.splitlines()) == len(listed) + 2
    assert '| <span lang="en">gate</span> | **<span lang="es">compuerta</span>** |' in table
    assert '<span class="avoided">puerta</span>' in table


# --- the built site -------------------------------------------------------------------

RAW_TEX = re.compile(
    r"\\\(|\\\)|\\\[|\\\]|\$\$|\^\{|_\{"
    r"|\\(?:frac|sum|sqrt|left|right|mathbf|mathbb|hat|odot|cdot|begin|end|text|log|exp)\b"
)
# Where TeX is expected: code, printed output, scripts, and the math KaTeX renders.
TEX_ALLOWED_TAGS = frozenset({"script", "style", "code", "pre", "head", "textarea", "svg"})
TEX_ALLOWED_CLASSES = frozenset({"arithmatex", "katex", "katex-display"})


def _pages(site: Path) -> list[tuple[Path, str]]:
    english = site / "en"
    return [
        (page, "en" if english in page.parents else "es")
        for page in sorted(site.rglob("*.html"))
        if page.name == "index.html"
    ]


def raw_tex(html: str) -> list[tuple[int, str]]:
    """(line, text) of the visible text, in any language, that shows TeX source."""
    parsed = visible_text(
        html, skip_tags=TEX_ALLOWED_TAGS, skip_classes=TEX_ALLOWED_CLASSES, code_classes=frozenset()
    )
    return [
        (line, text.strip())
        for lang in parsed.languages()
        for line, text in parsed.text(lang).items()
        if RAW_TEX.search(text)
    ]


def test_raw_tex_is_found_outside_math_only():
    page = (
        '<nav><a class="md-nav__link">Why \\(\\sqrt{d_k}\\)</a></nav>\n'
        "<li>computes $$ y = f\\left(\\sum_{i=1}^{n} w_i x_i\\right) $$</li>\n"
        '<a class="md-nav__link">Why <span class="arithmatex">\\(\\sqrt{d_k}\\)</span></a>\n'
        "<pre><code>x_{t-1} = \\frac{1}{2}</code></pre>\n"
    )
    assert [line for line, _ in raw_tex(page)] == [1, 2]


@pytest.mark.site
def test_no_raw_tex_in_the_visible_text_of_any_page(built_site):
    """Math is rendered everywhere a reader sees it: prose, table of contents, navigation."""
    offenders = [
        f"{page.relative_to(built_site)}:{line}: {text[:120]}"
        for page, _ in _pages(built_site)
        for line, text in raw_tex(page.read_text(encoding="utf-8"))
    ]
    assert not offenders, "\n".join(offenders[:40])


@pytest.mark.site
def test_headings_with_math_keep_it_in_the_table_of_contents(built_site):
    html = (built_site / "lessons" / "attention" / "index.html").read_text(encoding="utf-8")
    toc = html[html.index('class="md-nav md-nav--secondary"') :]
    assert re.search(r'md-nav__link.*?<span class="arithmatex">\\\(\\sqrt\{d_k\}\\\)', toc, re.S)


def _only(html: str, spans: list[tuple[int, int]]) -> str:
    """``html`` with everything outside ``spans`` blanked, lines kept (so findings give the
    line of the page's file)."""
    kept, position = [], 0
    for start, end in spans:
        kept += [re.sub(r"[^\n]", " ", html[position:start]), html[start:end]]
        position = end
    return "".join(kept)


def _article(html: str) -> list[tuple[int, int]]:
    """The page's own content (the navigation shows other pages' titles)."""
    found = re.search(r"<article\b.*?</article>", html, re.S)
    assert found, "a page without an article"
    return [found.span()]


def _generated_parts(page: Path, html: str) -> list[tuple[int, int]]:
    """What the build writes itself on a page: a lesson's header and provenance, the
    catalogue table of the lessons index."""
    spans = [m.span() for m in re.finditer(r'<div class="admonition info">.*?</div>', html, re.S)]
    spans = spans[:1] + [
        m.span() for m in re.finditer(r'<h2 id="provenance".*?</table>', html, re.S)
    ]
    if page.parent.name == "lessons":
        spans += [m.span() for m in re.finditer(r"<table>.*?</table>", html, re.S)][:1]
    return sorted(spans)


# Pages whose whole text this branch of the course's tooling owns: the home page, the
# glossary (made from glossary.yml), the build page (its tables are generated), the
# authors' page and the style guide.
WHOLE_PAGES = {"", "glossary", "build", "authors", "style"}


@pytest.mark.site
def test_generated_text_follows_the_style(built_site):
    entries = load_entries(ROOT / "docs" / "_data" / "glossary.yml", LANGUAGES)
    checker = Checker(entries, LANGUAGES)
    findings = []
    seen = 0
    for page, lang in _pages(built_site):
        html = page.read_text(encoding="utf-8")
        relative = page.parent.relative_to(built_site / ("en" if lang == "en" else "")).as_posix()
        shown = page.relative_to(built_site).as_posix()
        whole = relative.strip(".") in WHOLE_PAGES
        spans = _article(html) if whole else _generated_parts(page, html)
        if spans:
            seen += 1
            findings += check_html(checker, _only(html, spans), lang, shown)
    assert seen > 60, f"only {seen} pages had generated text"
    assert not findings, "\n".join(map(str, findings[:40]))
    catalogue = (built_site / "lessons" / "index.html").read_text(encoding="utf-8")
    assert re.search(r"<td>\d+,\d s</td>", catalogue), "run times with a decimal comma"


@pytest.mark.site
def test_the_visible_text_of_every_page_follows_the_style(built_site):
    entries = load_entries(ROOT / "docs" / "_data" / "glossary.yml", LANGUAGES)
    checker = Checker(entries, LANGUAGES)
    findings = []
    for page, lang in _pages(built_site):
        html = page.read_text(encoding="utf-8")
        findings += check_html(checker, html, lang, page.relative_to(built_site).as_posix())
    assert not findings, f"{len(findings)} findings:\n" + "\n".join(map(str, findings[:60]))
