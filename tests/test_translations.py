"""Both languages complete and in step: every page has its counterpart with the same structure."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from coursebuild.lesson import (
    discover_lessons,
    heading_levels,
    load_lesson,
    structure_mismatches,
)

from .conftest import DOCS, LANGUAGES, LESSONS, ROOT

MOJIBAKE = re.compile(r"Ã|â€|Â|[\uac00-\ud7a3]")
SPANISH_WORDS = {
    "el",
    "la",
    "de",
    "que",
    "los",
    "las",
    "una",
    "para",
    "con",
    "por",
    "del",
    "se",
    "es",
}
ENGLISH_WORDS = {"the", "and", "of", "to", "is", "that", "with", "for", "it", "are", "this", "on"}


def spanish_pages() -> list[Path]:
    return sorted(
        p for p in DOCS.rglob("*.md") if not p.name.endswith(".en.md") and "_data" not in p.parts
    )


def english_pages() -> list[Path]:
    return sorted(DOCS.rglob("*.en.md"))


def counterpart(page: Path) -> Path:
    if page.name.endswith(".en.md"):
        return page.with_name(page.name[: -len(".en.md")] + ".md")
    return page.with_name(page.stem + ".en.md")


def prose_only(markdown: str) -> str:
    """Text without code blocks, inline code, math, links' targets and HTML comments."""
    text = re.sub(r"```.*?```", " ", markdown, flags=re.DOTALL)
    text = re.sub(
        r"\$\$.*?\$\$|\$[^$\n]+\$|`[^`\n]+`|<!--.*?-->|\]\([^)]*\)", " ", text, flags=re.DOTALL
    )
    return text


def word_counts(text: str, vocabulary: set[str]) -> int:
    return sum(1 for word in re.findall(r"[a-záéíóúñü]+", text.lower()) if word in vocabulary)


def code_fences(markdown: str) -> int:
    return sum(1 for line in markdown.splitlines() if line.lstrip().startswith("```")) // 2


def test_docs_has_both_languages():
    assert len(spanish_pages()) >= 10
    assert len(spanish_pages()) == len(english_pages())


@pytest.mark.parametrize(
    "page", spanish_pages() + english_pages(), ids=lambda p: str(p.relative_to(DOCS))
)
def test_every_page_has_its_counterpart(page: Path):
    assert counterpart(page).exists(), (
        f"{page.relative_to(ROOT)} has no counterpart {counterpart(page).name}"
    )


@pytest.mark.parametrize("page", spanish_pages(), ids=lambda p: str(p.relative_to(DOCS)))
def test_counterparts_share_structure(page: Path):
    es = page.read_text(encoding="utf-8")
    en = counterpart(page).read_text(encoding="utf-8")
    assert heading_levels(es) == heading_levels(en), (
        "headings differ between the Spanish and English versions"
    )
    assert code_fences(es) == code_fences(en), "number of code blocks differs between languages"


FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.DOTALL)
# A mkdocstrings directive and the indented options under it: rendered from the docstrings.
API_DIRECTIVE = re.compile(r"^:::[^\n]*\n?(?:[ \t]+[^\n]*\n?|[ \t]*\n)*", re.MULTILINE)


def page_language(page: Path) -> str:
    """The language a page is written in, from its suffix (``x.en.md``) or the default."""
    parts = page.name.split(".")
    return parts[-2] if len(parts) >= 3 and parts[-2] in LANGUAGES.others else LANGUAGES.default


def written_prose(page: Path) -> str:
    """The prose of a page as readers get it, from the files that hold it.

    A lesson mount page (front matter ``lesson: <slug>``) is filled at build time with that
    lesson's prose cells in the page's language, so those cells are its prose; on an API page the
    ``::: module`` directives are rendered from the (English) docstrings, so only the text around
    them is the page's own.
    """
    text = page.read_text(encoding="utf-8")
    front = FRONT_MATTER.match(text)
    meta = (yaml.safe_load(front.group(1)) or {}) if front else {}
    body = text[front.end() :] if front else text
    if "lesson" in meta:
        lesson = load_lesson(LESSONS / f"{meta['lesson']}.py", LANGUAGES)
        body += "\n\n" + "\n\n".join(cell.source for cell in lesson.prose(page_language(page)))
    if "api" in page.relative_to(DOCS).parts:
        body = API_DIRECTIVE.sub("\n", body)
    return prose_only(body)


def pages_with_prose() -> list[Path]:
    """Spanish pages where at least one language version has prose to judge."""
    return [
        page
        for page in spanish_pages()
        if written_prose(page).split() or written_prose(counterpart(page)).split()
    ]


@pytest.mark.parametrize("page", pages_with_prose(), ids=lambda p: str(p.relative_to(DOCS)))
def test_each_version_is_in_its_own_language(page: Path):
    es = written_prose(page)
    en = written_prose(counterpart(page))
    assert word_counts(es, SPANISH_WORDS) > 2 * word_counts(es, ENGLISH_WORDS), (
        "the Spanish page reads as English"
    )
    assert word_counts(en, ENGLISH_WORDS) > 2 * word_counts(en, SPANISH_WORDS), (
        "the English page reads as Spanish"
    )


def test_written_prose_reads_lesson_cells_and_api_intros():
    """The sources the language check judges: a mount page's lesson cells, an API intro."""
    mount = DOCS / "lessons" / "siamese.md"
    lesson = load_lesson(LESSONS / "siamese.py", LANGUAGES)
    for page, lang in ((mount, "es"), (counterpart(mount), "en")):
        assert page_language(page) == lang
        prose = written_prose(page)
        first_words = prose_only(lesson.prose(lang)[0].source).split()[:8]
        assert " ".join(first_words) in " ".join(prose.split())
    api = written_prose(DOCS / "api" / "models.en.md").split()
    assert "dlcourse.models" not in api and ":::" not in api
    assert "multilayer" in api


def test_no_garbled_text_in_sources():
    offenders = []
    for path in [*DOCS.rglob("*.md"), *DOCS.rglob("*.yml"), *LESSONS.glob("*.py")]:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if MOJIBAKE.search(line):
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()[:80]}")
    assert not offenders, "garbled text:\n" + "\n".join(offenders)


def _nav_paths(node) -> list[str]:
    if isinstance(node, str):
        return [node] if node.endswith(".md") else []
    if isinstance(node, list):
        return [p for item in node for p in _nav_paths(item)]
    if isinstance(node, dict):
        return [p for value in node.values() for p in _nav_paths(value)]
    return []


def load_mkdocs_config() -> dict:
    class Loader(yaml.SafeLoader):
        pass

    Loader.add_constructor("!ENV", lambda loader, node: None)
    return yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=Loader)


def test_nav_entries_exist_in_both_languages():
    paths = _nav_paths(load_mkdocs_config()["nav"])
    missing = [p for p in paths if not (DOCS / p).exists() or not counterpart(DOCS / p).exists()]
    assert not missing, f"nav entries without both language versions: {missing}"


def test_every_page_is_in_the_nav():
    in_nav = set(_nav_paths(load_mkdocs_config()["nav"]))
    pages = {str(p.relative_to(DOCS)) for p in spanish_pages()}
    assert pages - in_nav == set(), "pages missing from the nav"


@pytest.mark.parametrize(
    "lesson", discover_lessons(LESSONS, LANGUAGES), ids=lambda lesson: lesson.id
)
def test_lesson_prose_is_parallel(lesson):
    assert structure_mismatches(lesson, LANGUAGES) == []
    for lang in ("es", "en"):
        assert (DOCS / "lessons" / f"{lesson.id}{'.en' if lang == 'en' else ''}.md").exists()


def test_glossary_entries_are_complete():
    entries = yaml.safe_load((DOCS / "_data" / "glossary.yml").read_text(encoding="utf-8"))
    assert len(entries) >= 50
    for entry in entries:
        required = {"es", "en", "def_es", "def_en"}
        assert required <= set(entry) <= required | {"avoid_es", "avoid_en"}, entry
        assert all(str(entry[key]).strip() for key in required), entry
    spanish_terms = [e["es"].casefold() for e in entries]
    assert len(spanish_terms) == len(set(spanish_terms)), (
        "a Spanish term appears twice in the glossary"
    )


def _modules_that_need_a_page() -> list[str]:
    """Every module of the learners' library that defines something (empty __init__ files and
    re-exporting packages aside)."""
    package = ROOT / "code" / "dlcourse"
    modules = []
    for path in sorted(package.rglob("*.py")):
        parts = path.relative_to(package.parent).with_suffix("").parts
        if path.name == "__init__.py":
            parts = parts[:-1]
            text = path.read_text(encoding="utf-8")
            if "\ndef " not in text and "\nclass " not in text:
                continue
        if parts == ("dlcourse",):
            continue
        modules.append(".".join(parts))
    return modules


def test_every_package_module_has_an_api_page_listed_in_the_api_index():
    """A module added to `dlcourse` is documented in every language and reachable from the index;
    the build machinery (coursebuild) is documented for authors, not on the learners' API pages."""
    modules = _modules_that_need_a_page()
    assert "dlcourse.models.rnn" in modules and "dlcourse.training" in modules
    for lang in LANGUAGES:
        suffix = ".md" if lang == LANGUAGES.default else f".{lang}.md"
        api = DOCS / "api"
        pages = {
            page: page.read_text(encoding="utf-8")
            for page in api.rglob(f"*{suffix}")
            if suffix == f".{lang}.md"
            or not page.name.endswith(tuple(f".{o}.md" for o in LANGUAGES.others))
        }
        index = pages[api / f"index{suffix}"]
        for module in modules:
            holders = [p for p, text in pages.items() if f"::: {module}\n" in text + "\n"]
            assert holders, f"no {lang} API page documents {module}"
            link = holders[0].relative_to(api).as_posix().replace(suffix, ".md")
            assert f"]({link})" in index, f"api/index{suffix} does not link {link} ({module})"
        assert not any("::: coursebuild" in text for text in pages.values()), (
            "the build machinery belongs on the authors' page, not in the learners' API"
        )


def test_the_api_labels_have_every_spanish_translation():
    """Each label mkdocstrings' Python handler can show (its English file lists them) has a
    Spanish translation in overrides/, so no Spanish API page falls back to English."""
    import mkdocstrings_handlers.python

    templates = Path(mkdocstrings_handlers.python.__file__).parent / "templates" / "material"
    label = re.compile(r'^\s*"([^"]+)"\s*:\s*"([^"]*)"', re.MULTILINE)
    english = dict(label.findall((templates / "_base" / "languages" / "en.html.jinja").read_text()))
    ours = ROOT / "overrides" / "mkdocstrings" / "python" / "material" / "languages"
    spanish = dict(label.findall((ours / "es.html.jinja").read_text(encoding="utf-8")))
    assert len(english) > 40
    assert sorted(set(english) - set(spanish)) == []
    assert sorted(set(spanish) - set(english)) == []
    untranslated = [key for key in english if spanish[key] == english[key]]
    assert untranslated == []
