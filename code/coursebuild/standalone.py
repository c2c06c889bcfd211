"""Downloads that run where a student opens them: the setup cell, Jupyter Markdown, the script.

A lesson's notebook and script are read outside the site, in Jupyter, a hosted notebook
service or a terminal, by someone who has neither this repository nor the course package.
So each download starts with a setup step in the page's language: the notebook's first cell
installs the course package (:mod:`coursebuild.wheel`, published with the site) when it is
missing and keeps a torch that is already installed, which may be a CUDA build the student
chose; the script stops with the install command instead. Both end by printing the device the
lesson really used: CUDA when it put tensors on the GPU (lessons choose it through
:func:`dlcourse.runtime.pick_device`), the CPU otherwise, as the page's provenance says.

The prose is written for MkDocs: admonitions, folded blocks, glossary abbreviations, fenced
code with titles, and links between pages as ``../readings/x.md``. :func:`jupyter_markdown`
rewrites what Jupyter would show as raw text and leaves math and ordinary Markdown alone.
"""

from __future__ import annotations

import posixpath
import re
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coursebuild.cache import package_root, source_root
from coursebuild.languages import from_mkdocs_config
from coursebuild.wheel import PROJECT_FILE, LearnersProject


def learners_project(lessons_dir: Path) -> LearnersProject:
    """The learners' project of the package the lessons import: the checkout's ``code/``,
    or, for a project whose ``code/`` has a package but no project file of its own, the one
    this build imports ``dlcourse`` from."""
    own = source_root(lessons_dir)
    return LearnersProject.read(own if (own / PROJECT_FILE).is_file() else package_root())


TEXT = {
    "es": {
        "setup": "Preparación: instala el paquete del curso (dlcourse) si falta; si ya está "
        "instalado, no hace nada.",
        "keep_torch": "conserva el torch ya instalado (quizá una versión para CUDA)",
        "device_cell": "Dispositivo que ha usado esta lección",
        "device": "Dispositivo usado",
        "missing": "Falta el paquete del curso (dlcourse). Instálalo y vuelve a ejecutar "
        "este script:",
        "script": "Script de la lección «{title}». Necesita el paquete del curso:",
    },
    "en": {
        "setup": "Setup: installs the course package (dlcourse) when it is missing; where it "
        "is installed, it does nothing.",
        "keep_torch": "keeps the torch already installed (perhaps a CUDA build)",
        "device_cell": "The device this lesson used",
        "device": "Device used",
        "missing": "The course package (dlcourse) is missing. Install it and run this script "
        "again:",
        "script": "Script of the lesson “{title}”. It needs the course package:",
    },
}


@dataclass(frozen=True)
class Downloads:
    """Where the published site and its repository live: what downloads link and install.

    ``site_url`` (with its trailing slash) and ``repo_url`` come from ``mkdocs.yml``; without
    a site URL, links between pages stay relative and the install command names the wheel
    file that ``python -m coursebuild.wheel`` writes.
    """

    project: LearnersProject
    site_url: str | None = None
    repo_url: str | None = None
    default_language: str = "es"
    use_directory_urls: bool = True
    downloads_dir: str = "downloads"  # where the site publishes the wheel

    @classmethod
    def unpublished(cls, lessons_dir: Path) -> Downloads:
        """Downloads of a project rendered outside a site (``python -m coursebuild``)."""
        return cls(learners_project(lessons_dir))

    @classmethod
    def from_mkdocs(cls, config: Any, lessons_dir: Path) -> Downloads:
        """Downloads of the site that ``config`` (a loaded ``mkdocs.yml``) builds."""
        return cls(
            learners_project(lessons_dir),
            site_url=config.site_url or None,
            repo_url=config.repo_url or None,
            default_language=from_mkdocs_config(config).default,
            use_directory_urls=config.use_directory_urls,
        )

    @property
    def wheel_path(self) -> str:
        """The wheel's path inside the site."""
        return f"{self.downloads_dir}/{self.project.wheel_name}"

    @property
    def wheel_url(self) -> str:
        """The published wheel, or its file name when the site has no URL."""
        if self.site_url is None:
            return self.project.wheel_name
        return _with_slash(self.site_url) + self.wheel_path

    @property
    def git_url(self) -> str | None:
        """``git+<repository>#subdirectory=code``: the learners' project alone, from git."""
        if not self.repo_url:
            return None
        return f"git+{self.repo_url.rstrip('/')}#subdirectory={self.project.root.name}"

    def install_command(self) -> str:
        return f'pip install "{self.wheel_url}"'

    def page_url(self, target: str, source: str, lang: str) -> str | None:
        """The published URL of a site-relative link ``target`` written in page ``source``
        (``lessons/x.md``) of language ``lang``; ``None`` leaves the link as it is."""
        if self.site_url is None or re.match(r"^[a-z][a-z0-9+.-]*:|^[#/]", target):
            return None
        path, _, anchor = target.partition("#")
        if not path.endswith(".md"):
            return None
        resolved = posixpath.normpath(posixpath.join(posixpath.dirname(source), path))
        if resolved.startswith("../"):
            return None
        stem = resolved[: -len(".md")]
        if stem == "index" or stem.endswith("/index"):
            address = stem[: -len("index")]
        elif self.use_directory_urls:
            address = f"{stem}/"
        else:
            address = f"{stem}.html"
        prefix = "" if lang == self.default_language else f"{lang}/"
        return _with_slash(self.site_url) + prefix + address + (f"#{anchor}" if anchor else "")


def _with_slash(url: str) -> str:
    return url if url.endswith("/") else url + "/"


# -- the setup step --------------------------------------------------------------------------


def _keep_torch_pins(project: LearnersProject) -> list[str]:
    return [r for r in project.requirements if not re.match(r"^torch\s*[=<>!~]", r)]


def setup_cell(downloads: Downloads, lang: str) -> str:
    """The notebook's first cell: install what is missing, never torch over a working torch.

    ``%pip`` installs into the kernel's own environment, the way Jupyter and hosted notebook
    services expect. With torch present, the wheel goes in without its dependencies and the
    other pins are installed next to ``torch==<the installed version>``, so pip may add what
    is missing but never replace torch.
    """
    t = TEXT[lang]
    others = " ".join(_keep_torch_pins(downloads.project))
    return textwrap.dedent(
        f"""\
        # {t["setup"]}
        import importlib
        import importlib.metadata
        import importlib.util
        import os

        os.environ.setdefault("DLCOURSE_LANG", "{lang}")
        if importlib.util.find_spec("dlcourse") is None:
            WHEEL = "{downloads.wheel_url}"
            if importlib.util.find_spec("torch") is None:
                %pip install -q {{WHEEL}}
            else:  # {t["keep_torch"]}
                TORCH = "torch==" + importlib.metadata.version("torch")
                %pip install -q --no-deps {{WHEEL}}
                %pip install -q {{TORCH}} {others}
            importlib.invalidate_caches()"""
    )


def device_cell(lang: str) -> str:
    """The last cell of a download: the device the lesson really used (the GPU only if it
    allocated memory there, as the build's provenance decides)."""
    t = TEXT[lang]
    return textwrap.dedent(
        f"""\
        # {t["device_cell"]}
        import torch

        if torch.cuda.is_initialized() and torch.cuda.max_memory_allocated() > 0:
            print("{t["device"]}: cuda,", torch.cuda.get_device_name())
        else:
            print("{t["device"]}: cpu")"""
    )


def script_preamble(downloads: Downloads, lang: str) -> str:
    """The script's first code cell: stop with the install command when the package is
    missing."""
    t = TEXT[lang]
    message = f"{t['missing']}\n    {downloads.install_command()}"
    return textwrap.dedent(
        f"""\
        import importlib.util
        import os
        import sys

        os.environ.setdefault("DLCOURSE_LANG", "{lang}")
        if importlib.util.find_spec("dlcourse") is None:
            sys.exit({message!r})"""
    )


def script_heading(downloads: Downloads, lang: str, title: str) -> str:
    """The comment that opens the downloaded script."""
    return f"{TEXT[lang]['script'].format(title=title)}\n\n    {downloads.install_command()}"


# -- MkDocs Markdown to Jupyter Markdown --------------------------------------------------------

ADMONITION = re.compile(
    r'^(?P<kind>!!!|\?\?\?\+?)\s+(?P<type>[\w-]+)(?:\s+"(?P<title>[^"]*)")?\s*$'
)
ABBREVIATION = re.compile(r"^\*\[[^\]]+\]:")
FENCE = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
TITLE = re.compile(r'\btitle="(?P<title>[^"]*)"')
HEADING_ATTRIBUTES = re.compile(r"\s*\{\s*[#.:][^{}]*\}\s*$")
# A code span, or a link (whose text may hold code spans): scanned left to right, so a link
# is rewritten whole and a code span outside links is left alone.
CODE_OR_LINK = re.compile(
    r"(?P<code>(`+)[^`].*?(?<!`)\2(?!`))|(?P<text>!?\[(?:[^\]`]|`[^`]*`)*\])\((?P<target>[^)\s]+)\)"
)


def jupyter_markdown(text: str, link: Callable[[str], str | None]) -> str:
    """``text`` as Jupyter renders it: admonitions as a blockquote under a bold title,
    folded blocks as ``<details>``, glossary abbreviations dropped, code titles as a line of
    their own, heading attributes removed and each relative link replaced by ``link(target)``
    when that gives an address. Math and code are left as they are."""
    return "\n".join(_convert(text.split("\n"), link))


def _convert(lines: list[str], link: Callable[[str], str | None]) -> list[str]:
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        fence = FENCE.match(line)
        if fence:
            end = _fence_end(lines, i, fence.group("fence"))
            title = TITLE.search(fence.group("info"))
            language = fence.group("info").split()[0] if fence.group("info").split() else ""
            if title:
                out += [f"{fence.group('indent')}*{title.group('title')}*", ""]
            out.append(f"{fence.group('indent')}{fence.group('fence')}{language}")
            out += lines[i + 1 : end + 1]
            i = end + 1
            continue
        admonition = ADMONITION.match(line)
        if admonition:
            body, i = _indented_block(lines, i + 1)
            out += _admonition(admonition, _convert(body, link))
            continue
        if not ABBREVIATION.match(line):
            if line.lstrip().startswith("#"):
                line = HEADING_ATTRIBUTES.sub("", line)
            out.append(_links(line, link))
        i += 1
    return out


def _fence_end(lines: list[str], start: int, fence: str) -> int:
    for j in range(start + 1, len(lines)):
        if lines[j].strip().startswith(fence[0] * len(fence)) and not lines[j].strip().strip(
            fence[0]
        ):
            return j
    return len(lines) - 1


def _indented_block(lines: list[str], start: int) -> tuple[list[str], int]:
    """The lines indented under an admonition (blank lines inside it kept), dedented."""
    body: list[str] = []
    i = start
    while i < len(lines) and (lines[i].startswith("    ") or not lines[i].strip()):
        if not lines[i].strip():
            following = next((x for x in lines[i:] if x.strip()), "")
            if not following.startswith("    "):
                break
        body.append(lines[i][4:])
        i += 1
    return body, i


def _admonition(match: re.Match[str], body: list[str]) -> list[str]:
    title = match.group("title")
    title = match.group("type").capitalize() if title is None else title
    if match.group("kind").startswith("???"):
        opening = "<details open>" if match.group("kind").endswith("+") else "<details>"
        return [opening, f"<summary>{title}</summary>", "", *body, "", "</details>"]
    quoted = [f"> {line}" if line.strip() else ">" for line in body]
    return ([f"> **{title}**", ">"] if title else []) + quoted


def _links(line: str, link: Callable[[str], str | None]) -> str:
    """``line`` with relative links rewritten, code spans untouched."""

    def rewrite(match: re.Match[str]) -> str:
        if match.group("code"):
            return match.group(0)
        return f"{match.group('text')}({link(match.group('target')) or match.group('target')})"

    return CODE_OR_LINK.sub(rewrite, line)
