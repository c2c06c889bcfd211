"""The style check: one term per concept and one number typography per language.

The glossary (``docs/_data/glossary.yml``) is the source of the terms: an entry may list the
variants that must not appear in the prose of a language (``avoid_es``, ``avoid_en``), each
a word or phrase matched whole and case-insensitively (a trailing ``*`` on a word lets it
take any ending: ``desbalancead*``), or a one-key mapping ``{variant: preferred}`` when the
fix is not the entry's own term. A variant alone in parentheses, the first time on a page,
is the allowed gloss of a borrowed term: «incrustación (embedding)».

The typography rules are fixed here, per language: Spanish prose has no decimal point in a
number and no period or comma between thousands (``8192``, ``30 000`` with U+202F) and
writes «25 %» with U+00A0; English prose writes «25%» and US spellings (-ize, -yze, -or).

"Prose" is what a reader reads: Markdown outside front matter, code (fences, inline, HTML
``<code>``/``<pre>``), math (``$...$``, ``$$...$$``, ``\\(...\\)``, ``\\[...\\]``), HTML
tags and comments, link targets, URLs and ``{{ ... }}`` marks; in a lesson, the markdown
cells of each language. The same rules run over the visible text of the built pages (see
``tests/test_style.py``), so text the build generates is held to them too.

``python -m coursebuild style`` prints one ``file:line: message`` per finding and exits 1
when there is any.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from coursebuild.glossary import avoided, load_entries
from coursebuild.languages import Languages
from coursebuild.lesson import load_lesson

GLOSSARY = Path("docs/_data/glossary.yml")

# Spellings of British English the course writes the US way: the stems of -ise/-ize verbs
# (every form: -ise, -ised, -ises, -ising, -isation, -iser...), then whole words.
IZE_STEMS = (
    "normal", "optim", "regular", "recogn", "summar", "minim", "maxim", "util", "real",
    "organ", "general", "initial", "parameter", "parametr", "visual", "token", "standard",
    "random", "categor", "emphas", "priorit", "memor", "special", "character", "vector",
    "serial", "quant", "stabil", "central", "author", "synchron", "custom",
)  # fmt: skip
US_WORDS = {
    "analyse": "analyze", "analysed": "analyzed", "analysing": "analyzing",
    "behaviour": "behavior", "behaviours": "behaviors", "neighbour": "neighbor",
    "neighbours": "neighbors", "neighbouring": "neighboring", "colour": "color",
    "colours": "colors", "coloured": "colored", "favour": "favor", "favourite": "favorite",
    "modelling": "modeling", "modelled": "modeled", "labelled": "labeled",
    "labelling": "labeling", "centre": "center", "centred": "centered",
}  # fmt: skip

# Text that is right as it is although a rule would flag it: (file, the phrase, why); "*"
# is every file and page. The phrase is taken out of the prose before the rules run. At
# most ten.
EXCEPTIONS: tuple[tuple[str, str, str], ...] = (
    ("*", "CC BY-SA 4.0", "the license's name, in the footer of every page"),
    ("*", "Embeddings from Language Models", "ELMo's name, spelled out"),
    ("*", "Train Catalog Item Embeddings", "the title of a cited post"),
    ("docs/papers/reformer.md", "abrió la puerta", "the idiom (opened the door), not a gate"),
    ("lessons/embeddings.py", "la puerta del", "a door in the corpus templates, not a gate"),
)


@dataclass(frozen=True)
class Finding:
    """One breach of the style: where, and what to write instead."""

    path: str
    line: int
    rule: str  # "term", "decimal", "thousands", "percent", "spelling"
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass(frozen=True)
class Variant:
    """A way of writing a concept that the course does not use in one language."""

    text: str  # as listed in the glossary
    preferred: str  # what to write instead
    concept: str  # the entry's English term, to name it in the message
    pattern: re.Pattern[str]


def variant_pattern(text: str) -> re.Pattern[str]:
    """Whole words, case-insensitive, any whitespace between words; ``word*`` takes endings."""
    words = []
    for word in text.split():
        stem = word.endswith("*") and len(word) > 1
        words.append(re.escape(word.rstrip("*")) + (r"\w*" if stem else ""))
    # Not inside an identifier: lessons.embeddings and embeddings.py are names, not prose.
    return re.compile(r"(?<![\w.-])" + r"\s+".join(words) + r"(?![\w-]|\.\w)", re.IGNORECASE)


def glossary_variants(entries: Iterable[dict], lang: str) -> list[Variant]:
    """Every variant to avoid in ``lang``, longest first (a phrase wins over its words)."""
    found = [
        Variant(text, preferred, str(entry.get("en", entry.get(lang))), variant_pattern(text))
        for entry in entries
        for text, preferred in avoided(entry, lang)
    ]
    return sorted(found, key=lambda v: len(v.text), reverse=True)


# ---------------------------------------------------------------------------------------
# What is prose in a Markdown text: everything else is blanked out, keeping lines and columns.

# What is not prose in any text, Markdown or a page's visible text: addresses, DOIs, and the
# titles of cited works, which keep their own words and spelling.
_TEXT_MASKS = [
    re.compile(r"https?://\S+|\bwww\.\S+"),
    re.compile(r"\b(?:doi:\s*)?10\.\d{4,9}/\S+", re.IGNORECASE),  # DOIs
    # The title of a cited work keeps its own words and spelling: in a reference,
    # "Author, A. (2016). Title of the work. Venue", what follows the year up to the period.
    re.compile(r"(?<=\(\d{4}\)\. )[^*\[\n]+?(?=[.?!](?:\s|$)|\s\*|\s\[)"),
    re.compile(r"(?<=\(\d{4}[a-z]\)\. )[^*\[\n]+?(?=[.?!](?:\s|$)|\s\*|\s\[)"),
    re.compile(r"(?<=\(\d{4}\)\. )\*[^*\n]+\*"),  # the same title, in italics
    re.compile(r"(?<=\(\d{4}[a-z]\)\. )\*[^*\n]+\*"),
]
_MASKS = [
    re.compile(r"\A---\n.*?\n---[ \t]*$", re.DOTALL | re.MULTILINE),  # front matter
    re.compile(r"^([ \t]*)(`{3,}|~{3,}).*?^\1\2[ \t]*$", re.DOTALL | re.MULTILINE),  # fences
    re.compile(r"<!--.*?-->", re.DOTALL),
    re.compile(r'<span class="avoided">.*?</span>', re.DOTALL),  # a variant named as such
    re.compile(r"<(pre|code|script|style|kbd)\b[^>]*>.*?</\1\s*>", re.DOTALL | re.IGNORECASE),
    re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)", re.DOTALL),  # inline code
    re.compile(r"\{\{.*?\}\}", re.DOTALL),  # value, claim, quote and source marks
    re.compile(r"\$\$.*?\$\$", re.DOTALL),
    re.compile(r"\\\[.*?\\\]", re.DOTALL),
    re.compile(r"\\\(.*?\\\)", re.DOTALL),
    re.compile(r"(?<![\\$\w])\$(?=\S)[^$\n]+?(?<=\S)\$(?![\w$])"),  # inline $...$
    re.compile(r"</?[A-Za-z][^>\n]*>"),  # HTML tags with their attributes, autolinks
    re.compile(r"(?<=\])\([^)\s]*(?:\s+\"[^\"]*\")?\)"),  # link targets
    re.compile(r"^[ \t]*\[[^\]\n]+\]:[ \t]*\S+.*$", re.MULTILINE),  # link definitions
    re.compile(r"^:::.*$", re.MULTILINE),  # mkdocstrings: the object documented
    re.compile(r"\{[ \t]*[:#.][^}\n]*\}"),  # attribute lists
    *_TEXT_MASKS,
]


def _blank(match: re.Match[str]) -> str:
    return re.sub(r"[^\n]", " ", match.group(0))


def prose_of(markdown: str, masks: list[re.Pattern[str]] = _MASKS) -> str:
    """``markdown`` with everything that is not prose replaced by spaces (newlines kept, so
    a finding's line is the source line)."""
    for mask in masks:
        markdown = mask.sub(_blank, markdown)
    return markdown


# ---------------------------------------------------------------------------------------
# The rules, over prose text.

# A number with a decimal point and nothing dotted around it (2.13.0 is a version, 127.0.0.1
# an address, lr-0.01 a name); arXiv identifiers (1706.03762) are four digits, a point and
# four or five.
_POINT_NUMBER = re.compile(r"(?<![\w.,])(?<!\w-)(\d+)\.(\d+)(?![\w]|\.\d)")
_ARXIV = re.compile(r"\d{4}\.\d{4,5}")
# A version follows the name of what it versions: a capitalized word that is not an acronym
# and does not start the sentence (con Python 3.11, en MkDocs 1.6), or v (v1.6); or the
# word version/versión.
_NAME_BEFORE = re.compile(
    r"(?:(?<=[^\W\d_])[ \t]+|(?<=[,(|])[ \t]*)(?=\w*[a-z])[A-Z][\w-]*[ \t]+$|\bv$"
)
_VERSION_WORD = re.compile(r"\bversi[oó]n(?:es)?[ \t]+$", re.IGNORECASE)
# Numbered parts of a text are not decimals: «sección 3.2», «Table 2.1».
_NUMBERING = re.compile(
    r"\b(?:secci[oó]n|secciones|secs?|apartados?|cap[ií]tulos?|caps?|figuras?|figs?|tablas?|"
    r"ecuaci[oó]n|ecuaciones|eqs?|section|sections|chapters?|figures?|tables?|equations?|§)"
    r"\.?[ \t]*(?:\d+(?:\.\d+)*[ \t]*(?:,|y|e|o|and|or|-|–)[ \t]*)*$",
    re.IGNORECASE,
)
_SPANISH_THOUSANDS = re.compile(r"(?<![\w.,])\d{1,3}(?:([.,])\d{3})+(?![\w]|[.,]\d)")
_SPACED_THOUSANDS = re.compile(
    r"(?<![\w.,\u202f \u00a0])(\d{1,3})((?:[ \u00a0\u202f]\d{3})+)(?![\w]|[.,]\d)"
)
_PERCENT_NUMBER = r"(?<![\w.,])\d+(?:[.,]\d+)*"
_SPANISH_PERCENT = re.compile(_PERCENT_NUMBER + r"(?:%|[ \u202f]+%)")
_ENGLISH_PERCENT = re.compile(_PERCENT_NUMBER + r"[ \u00a0\u202f]+%")
# (not a pair of coordinates: «(0,1)»)
_ENGLISH_DECIMAL_COMMA = re.compile(r"(?<![\w.,(\[])\d+,(?:\d{1,2}|\d{4,})(?![\w,)\]])")
_IZE = re.compile(
    r"\b(" + "|".join(IZE_STEMS) + r")is(e|ed|es|ing|ation|ations|er|ers|able)\b", re.IGNORECASE
)
_US_WORDS = re.compile(r"\b(" + "|".join(US_WORDS) + r")\b", re.IGNORECASE)


def _decimal_exempt(line: str, start: int, text: str) -> bool:
    """Whether the point number ``text`` at ``start`` is a version, an identifier or a
    numbering rather than a decimal."""
    before = line[:start]
    return bool(
        _ARXIV.fullmatch(text)
        or _NAME_BEFORE.search(before)
        or _VERSION_WORD.search(before)
        or _NUMBERING.search(before)
        or before.endswith(("arXiv:", "arXiv: "))
    )


def _same_case(word: str, model: str) -> str:
    """``word`` with a capital when ``model`` starts with one (a sentence start)."""
    return word[:1].upper() + word[1:] if model[:1].isupper() else word


def number_findings(line: str, lang: str) -> Iterator[tuple[str, str]]:
    """(rule, message) for each number typography breach in one line of prose."""
    if lang == "es":
        for match in _SPANISH_THOUSANDS.finditer(line):
            separator, digits = match.group(1), match.group(0).replace(match.group(1), "")
            leading = match.group(0).split(separator)[0]
            if separator == "," and match.group(0).count(",") == 1:
                continue  # 8,192 reads as a decimal comma: nothing to say
            if separator == "." and (
                leading == "0" or _decimal_exempt(line, match.start(), match.group(0))
            ):
                continue
            shown = digits if len(digits) == 4 else _group(digits)
            yield (
                "thousands",
                f"«{match.group(0)}»: write «{shown}» (no {separator!r} between thousands)",
            )
        for match in _POINT_NUMBER.finditer(line):
            text = match.group(0)
            if _SPANISH_THOUSANDS.fullmatch(text) and not text.startswith("0."):
                continue  # reported above as thousands
            if _decimal_exempt(line, match.start(), text):
                continue
            yield "decimal", f"«{text}»: write «{text.replace('.', ',')}» (decimal comma)"
        for match in _SPACED_THOUSANDS.finditer(line):
            digits = match.group(1) + re.sub(r"\D", "", match.group(2))
            wanted = digits if len(digits) == 4 else _group(digits)
            if match.group(0) != wanted:
                yield (
                    "thousands",
                    f"«{match.group(0)}»: write «{wanted}» (U+202F between thousands; four digits together)",
                )
        for match in _SPANISH_PERCENT.finditer(line):
            shown = match.group(0).rstrip("% \u202f")
            yield "percent", f"«{match.group(0)}»: write «{shown}\u00a0%» (U+00A0 before «%»)"
    else:
        for match in _ENGLISH_PERCENT.finditer(line):
            shown = match.group(0).rstrip("% \u00a0\u202f")
            yield "percent", f"«{match.group(0)}»: write «{shown}%» (no space before «%»)"
        for match in _ENGLISH_DECIMAL_COMMA.finditer(line):
            yield (
                "decimal",
                f"«{match.group(0)}»: write «{match.group(0).replace(',', '.')}» (decimal point)",
            )
        for match in _SPACED_THOUSANDS.finditer(line):
            digits = match.group(1) + re.sub(r"\D", "", match.group(2))
            yield (
                "thousands",
                f"«{match.group(0)}»: write «{int(digits):,}» (comma between thousands)",
            )
        for match in _IZE.finditer(line):
            word = match.group(0)
            fixed = match.group(1) + "iz" + match.group(2)
            yield "ise", f"«{word}»: write «{_same_case(fixed.lower(), word)}» (US spelling)"
        for match in _US_WORDS.finditer(line):
            word = match.group(0)
            yield (
                "spelling",
                f"«{word}»: write «{_same_case(US_WORDS[word.lower()], word)}» (US spelling)",
            )


def _group(digits: str) -> str:
    """Digits grouped in threes with U+202F, as Spanish writes five or more."""
    return f"{int(digits):,}".replace(",", "\u202f")


class Checker:
    """The rules of every language, built once from the glossary."""

    def __init__(self, entries: list[dict], languages: Languages) -> None:
        self.languages = languages
        self.variants = {lang: glossary_variants(entries, lang) for lang in languages}

    def check_text(
        self,
        prose: str,
        lang: str,
        path: str,
        first_line: int = 1,
        sources: Iterable[str] = (),
        gloss_once: bool = True,
    ) -> list[Finding]:
        """Findings in prose text (already stripped of what is not prose), line by line;
        the exceptions of ``path`` apply, and those of the ``sources`` it was built from.

        A variant wrapped alone in parentheses is the gloss of a borrowed term: allowed the
        first time on the page (``path``), once per concept; with ``gloss_once`` false,
        every time (a built page repeats its title in the header, navigation and heading)."""
        findings = []
        glossed: set[str] = set()
        files = {path, "*", *sources}
        for _, phrase, _ in (e for e in EXCEPTIONS if e[0] in files):
            prose = prose.replace(phrase, " " * len(phrase))
        for offset, line in enumerate(prose.splitlines()):
            number = first_line + offset
            taken: list[tuple[int, int]] = []  # spans already reported by a longer variant
            for variant in self.variants.get(lang, []):
                for match in variant.pattern.finditer(line):
                    if any(a < match.end() and match.start() < b for a, b in taken):
                        continue
                    taken.append(match.span())
                    if _is_gloss(line, match) and variant.concept not in glossed:
                        if gloss_once:
                            glossed.add(variant.concept)
                        continue
                    message = (
                        f"«{match.group(0)}»: use «{_same_case(variant.preferred, match.group(0))}» "
                        f"(glossary: {variant.concept})"
                    )
                    findings.append(Finding(path, number, "term", message))
            for rule, message in number_findings(line, lang):
                findings.append(Finding(path, number, rule, message))
        return findings

    def check_markdown(
        self, markdown: str, lang: str, path: str, first_line: int = 1
    ) -> list[Finding]:
        return self.check_text(prose_of(markdown), lang, path, first_line)

    def check_page(self, path: Path, root: Path) -> list[Finding]:
        """A ``docs/`` page: its language from its suffix (``page.en.md``)."""
        lang = _page_language(path, self.languages)
        shown = path.relative_to(root).as_posix()
        return self.check_markdown(path.read_text(encoding="utf-8"), lang, shown)

    def check_lesson(self, path: Path, root: Path) -> list[Finding]:
        """The markdown cells of a lesson, each in its language, at their lines in the file."""
        lesson = load_lesson(path, self.languages)
        lines = path.read_text(encoding="utf-8").splitlines()
        shown = path.relative_to(root).as_posix()
        findings: list[Finding] = []
        for lang in self.languages:  # the title and summary the catalogue shows
            for text in (lesson.meta.title[lang], lesson.meta.summary[lang]):
                findings += self.check_markdown(text, lang, shown, _header_line(text, lines))
        for lang in self.languages:
            for cell in lesson.prose(lang):
                findings += self.check_markdown(cell.source, lang, shown, _first_line(cell, lines))
        return findings

    def check_glossary(self, path: Path, root: Path) -> list[Finding]:
        """The glossary's own terms and definitions, each in its language."""
        shown = path.relative_to(root).as_posix()
        findings: list[Finding] = []
        field = re.compile(r"^\s*(?:-\s*)?(?:def_)?([a-z]{2}):\s*(.*)$")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            match = field.match(line)
            if match and match.group(1) in self.languages:
                text = " " * match.start(2) + match.group(2)
                findings += self.check_markdown(text, match.group(1), shown, number)
        return findings


def _is_gloss(line: str, match: re.Match[str]) -> bool:
    """Whether the match is alone in parentheses, maybe in italics or quotes: «(embedding)»."""
    before = line[: match.start()].rstrip("*_\"'«“ ")
    after = line[match.end() :].lstrip("*_\"'»” ")
    return before.endswith("(") and after.startswith(")")


def _page_language(path: Path, languages: Languages) -> str:
    suffixes = path.name.split(".")
    return suffixes[-2] if len(suffixes) > 2 and suffixes[-2] in languages else languages.default


def _header_line(text: str, lines: list[str]) -> int:
    """The line of the lesson header where a title or summary starts (1 if not found)."""
    start = " ".join(text.split()[:4])
    for number, line in enumerate(lines, start=1):
        if start and start in " ".join(line.split()):
            return number
        if line.startswith("# %%"):
            break
    return 1


def _first_line(cell, lines: list[str]) -> int:
    """The file line of a markdown cell's first source line: jupytext drops the ``# ``
    comment prefix and the blank lines at the cell's edges."""
    first = cell.source.splitlines()[0] if cell.source.strip() else ""
    for number in range(cell.line + 1, len(lines) + 1):
        text = lines[number - 1]
        if text.startswith("# %%"):
            break
        if text[2:] == first or (text == "#" and first == ""):
            return number
    return cell.line + 1


def check_project(root: Path, languages: Languages) -> list[Finding]:
    """Every page of ``docs/``, every lesson's prose and the glossary itself."""
    glossary = root / GLOSSARY
    entries = load_entries(glossary, languages, name=GLOSSARY.as_posix())
    checker = Checker(entries, languages)
    findings = checker.check_glossary(glossary, root)
    for page in sorted((root / "docs").rglob("*.md")):
        findings += checker.check_page(page, root)
    for lesson in sorted((root / "lessons").glob("*.py")):
        if not lesson.name.startswith("_"):
            findings += checker.check_lesson(lesson, root)
    return findings


def rule_counts(findings: Iterable[Finding]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for finding in findings:
        counts[finding.rule] = counts.get(finding.rule, 0) + 1
    return counts


# ---------------------------------------------------------------------------------------
# The built site: the same rules over what a reader sees on a page.

# Elements whose text is not prose: code, printed output, math, scripts, the page head.
NOT_PROSE_TAGS = frozenset(
    {"head", "script", "style", "code", "pre", "kbd", "samp", "math", "svg", "textarea"}
)
# ``avoided``: a variant shown as what not to write (the style guide's table).
NOT_PROSE_CLASSES = frozenset({"arithmatex", "katex", "katex-display", "lesson-output", "avoided"})
API_CLASSES = frozenset({"doc-contents", "doc-signature", "doc-heading"})  # docstrings: English
_VOID = frozenset(
    {"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
)


class VisibleText(HTMLParser):
    """The text of a page outside ``skip_tags`` and elements of ``skip_classes``, line by
    line of the HTML file, by the language it is written in: the page's (``None``), that of
    an element's ``lang`` attribute, or English for the API reference (elements of
    ``code_classes`` and links to an API object's anchor: docstrings and identifiers are
    written in English, like the code)."""

    def __init__(
        self,
        skip_tags: frozenset[str] = NOT_PROSE_TAGS,
        skip_classes: frozenset[str] = NOT_PROSE_CLASSES,
        code_classes: frozenset[str] = API_CLASSES,
    ) -> None:
        super().__init__(convert_charrefs=True)
        self.skip_tags, self.skip_classes, self.code_classes = (
            skip_tags,
            skip_classes,
            code_classes,
        )
        self.stack: list[tuple[str, bool, str | None]] = []  # (tag, skipped, language)
        self.lines: dict[str | None, dict[int, list[str]]] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            return
        attributes = {key: value or "" for key, value in attrs}
        classes = set(attributes.get("class", "").split())
        parent_skipped, parent_lang = self.stack[-1][1:] if self.stack else (False, None)
        skipped = parent_skipped or tag in self.skip_tags or bool(classes & self.skip_classes)
        lang = attributes.get("lang") or parent_lang
        if classes & self.code_classes or (
            tag == "a" and _API_ANCHOR.match(attributes.get("href", ""))
        ):
            lang = "en"
        self.stack.append((tag, skipped, lang))

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.stack) - 1, -1, -1):  # tolerate unclosed elements
            if self.stack[index][0] == tag:
                del self.stack[index:]
                return

    def handle_data(self, data: str) -> None:
        skipped, lang = self.stack[-1][1:] if self.stack else (False, None)
        if skipped:
            return
        target = self.lines.setdefault(lang, {})
        line = self.getpos()[0]
        for offset, text in enumerate(data.split("\n")):
            if text.strip():
                target.setdefault(line + offset, []).append(text)

    def text(self, lang: str | None = None) -> dict[int, str]:
        """Line of the HTML file -> the visible text on it in ``lang`` (None: the page's)."""
        lines = self.lines.get(lang, {})
        return {number: " ".join(parts) for number, parts in sorted(lines.items())}

    def languages(self) -> list[str | None]:
        return list(self.lines)


# A link to the anchor of a documented object (``#coursebuild.pipeline.Pipeline.report``).
_API_ANCHOR = re.compile(r"#[A-Za-z_]\w*(?:\.\w+)+$")


def visible_text(html: str, **kwargs: frozenset[str]) -> VisibleText:
    parser = VisibleText(**kwargs)
    parser.feed(html)
    parser.close()
    return parser


def page_sources(page: str) -> tuple[str, ...]:
    """The source files a built page (``papers/lstm/index.html``, ``en/...``) may come
    from, for their exceptions: its Markdown page and, for a lesson, the lesson file."""
    parts = page.split("/")[:-1]
    if parts[:1] == ["en"]:
        parts = parts[1:]
    stem = "/".join(parts) or "index"
    found: tuple[str, ...] = (f"docs/{stem}.md", f"docs/{stem}.en.md", f"docs/{stem}/index.md")
    if len(parts) == 2 and parts[0] == "lessons":
        found += (f"lessons/{parts[1]}.py",)
    return found


def check_html(checker: Checker, html: str, lang: str, path: str) -> list[Finding]:
    """Findings in the visible text of a built page of ``lang`` (``path`` as in the site),
    each passage held to the rules of the language it is marked as (see
    :class:`VisibleText`)."""
    parsed = visible_text(html)
    findings = []
    for marked in parsed.languages():
        lines = parsed.text(marked)
        if lines:  # one text, line for line with the HTML file, so a gloss counts once a page
            dense = "\n".join(lines.get(n, "") for n in range(1, max(lines) + 1))
            dense = prose_of(dense, _TEXT_MASKS)
            text_lang = marked if marked is not None and marked in checker.languages else lang
            sources = page_sources(path)
            findings += checker.check_text(
                dense, text_lang, path, sources=sources, gloss_once=False
            )
    return findings
