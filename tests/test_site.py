"""Assertions on the real site, built once with --strict: lessons executed, both languages complete."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from coursebuild.lesson import discover_lessons

from .conftest import DOCS, LANGUAGES, LESSONS

pytestmark = pytest.mark.site

LESSON_IDS = [lesson.id for lesson in discover_lessons(LESSONS, LANGUAGES)]
LANG_PREFIX = {"es": "", "en": "en/"}
MOJIBAKE = re.compile(r"Ã|â€|Â|[\uac00-\ud7a3]")


class PageParser(HTMLParser):
    """Collects images, links and the language switcher of a built page."""

    def __init__(self) -> None:
        super().__init__()
        self.images: list[dict[str, str]] = []
        self.alternates: dict[str, str] = {}
        self.lang = ""

    def handle_starttag(self, tag, attrs):
        attributes = {k: v or "" for k, v in attrs}
        if tag == "html":
            self.lang = attributes.get("lang", "")
        if tag == "img":
            self.images.append(attributes)
        if tag == "a" and "hreflang" in attributes:
            self.alternates[attributes["hreflang"]] = attributes["href"]


def parse(path: Path) -> tuple[str, PageParser]:
    html = path.read_text(encoding="utf-8")
    parser = PageParser()
    parser.feed(html)
    return html, parser


def page_path(site: Path, lang: str, page: str) -> Path:
    return site / LANG_PREFIX[lang] / page / "index.html"


@pytest.mark.parametrize("lang", ["es", "en"])
@pytest.mark.parametrize("lesson_id", LESSON_IDS)
def test_lesson_page_shows_executed_outputs_and_figures(built_site, lesson_id, lang):
    path = page_path(built_site, lang, f"lessons/{lesson_id}")
    html, parser = parse(path)
    assert parser.lang == lang
    assert 'class="lesson-output"' in html, "no printed output on the page"
    figures = [img for img in parser.images if img["src"].startswith("fig-")]
    assert figures, "no figure on the page"
    for img in figures:
        assert (path.parent / img["src"]).stat().st_size > 1000, (
            f"figure {img['src']} missing or empty"
        )
        assert len(img.get("alt", "")) > 20, f"figure {img['src']} has no real alt text"
    assert "# %%" not in html, "raw lesson source was published"
    assert "Traceback" not in html and "admonition failure" not in html, "an error was published"
    assert "\x1b[" not in html, "ANSI escape codes in the page"
    assert re.search(r'id="provenance"', html), "provenance section missing"
    assert "torch 2." in html and "pytorch-lightning 2." in html
    assert (path.parent / f"{lesson_id}.py").exists() and (
        path.parent / f"{lesson_id}.ipynb"
    ).exists()
    notebook = json.loads((path.parent / f"{lesson_id}.ipynb").read_text())
    markdown = "".join(
        "".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "markdown"
    )
    assert ("Objetivos" in markdown) == (lang == "es"), (
        "the downloaded notebook is not in the page's language"
    )
    assert any(
        o.get("output_type") == "display_data"
        for c in notebook["cells"]
        if c["cell_type"] == "code"
        for o in c["outputs"]
    )


def test_every_source_page_is_built_in_both_languages(built_site):
    for source in DOCS.rglob("*.md"):
        if source.name.endswith(".en.md") or "_data" in source.parts:
            continue
        relative = source.relative_to(DOCS).with_suffix("")
        page = (
            ""
            if relative.name == "index" and relative.parent == Path(".")
            else str(relative.parent if relative.name == "index" else relative)
        )
        for lang in ("es", "en"):
            target = (
                built_site / LANG_PREFIX[lang] / page / "index.html"
                if page
                else built_site / LANG_PREFIX[lang] / "index.html"
            )
            assert target.exists(), f"{source.relative_to(DOCS)} was not built for {lang}"


@pytest.mark.parametrize(
    "page", ["lessons/single-neuron", "readings/single-neuron", "papers/transformer", "api/models"]
)
def test_language_switcher_keeps_the_reader_on_the_same_page(built_site, page):
    for lang, other in (("es", "en"), ("en", "es")):
        path = page_path(built_site, lang, page)
        _, parser = parse(path)
        assert other in parser.alternates, f"no switcher link to {other} on {path}"
        target = (path.parent / parser.alternates[other]).resolve() / "index.html"
        assert target == page_path(built_site, other, page).resolve(), (
            f"switcher on {lang} {page} points to {target}"
        )


def test_api_pages_document_the_package_in_both_languages(built_site):
    for lang in ("es", "en"):
        html = page_path(built_site, lang, "api/training/lightning").read_text()
        assert "make_trainer" in html, (
            f"{lang} API page of dlcourse.training.lightning lacks make_trainer"
        )
        assert 'class="doc doc-heading"' in html, f"{lang} API page has no mkdocstrings headings"


def test_api_labels_are_in_the_page_language(built_site):
    """mkdocstrings' own labels around the docstrings follow the page's language."""
    label = {"es": "Código fuente en", "en": "Source code in"}
    for lang, other in (("es", "en"), ("en", "es")):
        html = page_path(built_site, lang, "api/training").read_text()
        assert label[lang] in html and label[other] not in html, f"{lang} API page labels"


def test_search_index_per_language(built_site):
    for lang in ("es", "en"):
        index = json.loads(
            (built_site / LANG_PREFIX[lang] / "search" / "search_index.json").read_text()
        )
        locations = [doc["location"] for doc in index["docs"]]
        assert any(loc.startswith("lessons/single-neuron") for loc in locations)
        text = " ".join(doc["text"] for doc in index["docs"])
        word = "neurona" if lang == "es" else "neuron"
        assert word in text


def test_search_finds_every_api_member_in_both_languages(built_site):
    """The docstrings are the same in both languages; each language's index has them all."""
    members = {}
    for lang in ("es", "en"):
        index = json.loads(
            (built_site / LANG_PREFIX[lang] / "search" / "search_index.json").read_text()
        )
        members[lang] = {
            doc["location"] for doc in index["docs"] if "#dlcourse." in doc["location"]
        }
    assert len(members["es"]) > 100, "the API pages have no member entries"
    assert members["es"] == members["en"], sorted(members["es"] ^ members["en"])[:10]


def test_no_garbled_text_in_the_built_site(built_site):
    offenders = []
    for page in built_site.rglob("*.html"):
        text = re.sub(
            r"<script.*?</script>|<style.*?</style>",
            "",
            page.read_text(encoding="utf-8"),
            flags=re.DOTALL,
        )
        for match in MOJIBAKE.finditer(text):
            offenders.append(
                f"{page.relative_to(built_site)}: …{text[max(0, match.start() - 30) : match.end() + 30]}…"
            )
    assert not offenders, "\n".join(offenders[:20])


def test_no_third_party_requests_in_pages(built_site):
    """Fonts, math and scripts are served by the site itself."""
    pattern = re.compile(r'<(?:script|link|img)[^>]+(?:src|href)="(https?://[^"]+)"')
    for page in built_site.rglob("*.html"):
        external = [
            url
            for url in pattern.findall(page.read_text(encoding="utf-8"))
            if not url.startswith("http://127.0.0.1")
        ]
        assert not external, f"{page.relative_to(built_site)} loads {external}"


def test_math_is_marked_up_for_local_katex(built_site):
    html = page_path(built_site, "es", "lessons/single-neuron").read_text()
    assert 'class="arithmatex"' in html
    assert (built_site / "assets" / "katex" / "katex.min.js").exists()
    assert "katex.min.js" in html


def test_glossary_table_and_tooltips(built_site):
    glossary = page_path(built_site, "es", "glossary").read_text()
    assert "<table>" in glossary and "<!-- glossary-table -->" not in glossary
    english = page_path(built_site, "en", "glossary").read_text()
    assert "<table>" in english
    lesson = page_path(built_site, "es", "lessons/binary-classification").read_text()
    assert "<abbr title=" in lesson


def test_lesson_catalogue_lists_every_lesson(built_site):
    for lang in ("es", "en"):
        html = page_path(built_site, lang, "lessons").read_text()
        for lesson_id in LESSON_IDS:
            assert f'href="{lesson_id}/"' in html


class LinkParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if "id" in attributes:
            self.ids.add(attributes["id"])
        for key in ("href", "src"):
            value = attributes.get(key)
            if value and tag in ("a", "img", "script", "link"):
                self.links.append(value)


def test_internal_links_and_anchors_resolve(built_site):
    """An HTML link checker over the whole built site (internal targets and #anchors)."""
    parsed: dict[Path, LinkParser] = {}

    def parsed_page(path: Path) -> LinkParser:
        if path not in parsed:
            parser = LinkParser()
            parser.feed(path.read_text(encoding="utf-8"))
            parsed[path] = parser
        return parsed[path]

    broken = []
    for page in built_site.rglob("*.html"):
        for link in parsed_page(page).links:
            if re.match(r"^[a-z]+:", link) or link.startswith("//"):
                continue  # external (checked nowhere at build time: no network) or mailto:
            target_part, _, anchor = link.partition("#")
            if target_part.startswith("/"):  # root-absolute (the 404 page): site_url's path is "/"
                target = built_site / target_part.lstrip("/")
            else:
                target = (page.parent / target_part).resolve() if target_part else page
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{page.relative_to(built_site)} -> {link}")
            elif anchor and target.suffix == ".html" and anchor not in parsed_page(target).ids:
                broken.append(f"{page.relative_to(built_site)} -> {link} (no such anchor)")
    assert not broken, "\n".join(sorted(set(broken))[:40])


def test_lesson_page_html_stays_small(built_site):
    for lesson_id in LESSON_IDS:
        size = page_path(built_site, "es", f"lessons/{lesson_id}").stat().st_size
        # Figures are files of their own; the HTML holds prose, the lesson's highlighted code
        # (its executed solutions' included) and printed output.
        assert size < 300_000, f"{lesson_id}: {size} bytes of HTML"
