"""What MkDocs would render again identically, kept between builds: API blocks and search
entries.

Most of a warm build used to go into work whose inputs had not changed: mkdocstrings
rendering every documented object (its Jinja templates, one Markdown conversion per
docstring, Pygments for every source listing), and Material's search plugin parsing every
page's HTML into sections. Both are functions of what they are given, so their results are
stored in the cache folder under a digest of all of it, and served while it matches.

* **An API block** (``::: dlcourse.training``): the object's path and its options, the
  page and the language it is rendered for, the bytes of every Python file under the
  handler's source folders (a comment shows in the source listing, so not the syntax
  tree), the installed distributions (mkdocstrings, griffe, Pygments, Markdown and the
  extensions), the Markdown configuration, and the list of the site's files (a relative
  link in a docstring is checked against it). The headings the render registers, for the
  table of contents, autorefs and the inventory, are stored with it and registered again
  on a hit. The object is still collected every time (griffe reports its problems there).
* **A page's search entries**: the page's final HTML, its address, title, metadata and
  table of contents, as Material's search plugin reads them, with the installed
  distributions and the plugin's configuration.

A render that logged a warning is never stored, so a ``--strict`` build fails the same way
every time, and an entry that cannot be read is simply rendered again. Both are installed
on the plugins' objects of each build (the handler's ``render``, the search index's
``add_entry_from_context``), the only change made to them. Entries unused for
:data:`UNUSED_DAYS` are removed at the end of a build.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

from coursebuild.cache import write_atomically

UNUSED_DAYS = 30
MEMORY_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")
SKIPPED_FOLDERS = ("__pycache__",)


def stable_repr(value: Any) -> str:
    """``repr`` without memory addresses, so that the same configuration gives the same
    text in every process (an object without a readable repr is named by its class)."""
    return MEMORY_ADDRESS.sub("", repr(value))


def digest(*parts: object) -> str:
    text = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=stable_repr)
    return hashlib.sha256(text.encode()).hexdigest()


def python_sources(folders: Iterable[Path]) -> list[tuple[str, str]]:
    """Each ``.py``/``.pyi`` file under the folders with the digest of its bytes."""
    found = []
    for folder in folders:
        for path in sorted(folder.rglob("*.py*")):
            if path.suffix not in (".py", ".pyi") or any(
                part in SKIPPED_FOLDERS or part.endswith(".egg-info") for part in path.parts
            ):
                continue
            found.append((str(path), hashlib.sha256(path.read_bytes()).hexdigest()))
    return found


def every_file(folder: Path) -> list[tuple[str, str]]:
    """Each file under the folder (custom templates) with the digest of its bytes."""
    return [
        (str(path), hashlib.sha256(path.read_bytes()).hexdigest())
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    ]


class WarningCount(logging.Handler):
    """Counts the warnings and errors logged while it is attached (to the root logger and
    to MkDocs', which does not propagate to it)."""

    LOGGERS = ("", "mkdocs")

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.seen: set[int] = set()

    def emit(self, record: logging.LogRecord) -> None:
        self.seen.add(id(record))

    def __enter__(self) -> WarningCount:
        for name in self.LOGGERS:
            logging.getLogger(name).addHandler(self)
        return self

    def __exit__(self, *exc: object) -> None:
        for name in self.LOGGERS:
            logging.getLogger(name).removeHandler(self)


class RenderedStore:
    """One folder of JSON entries by key; a read that fails is a miss."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _path(self, key: str) -> Path:
        return self.folder / f"{key[:40]}.json"

    def get(self, key: str, valid: Callable[[Any], bool]) -> Any | None:
        """The entry stored under ``key`` if there is one and ``valid`` accepts it."""
        path = self._path(key)
        try:
            value = json.loads(path.read_text(encoding="utf-8"))
            os.utime(path)  # in use: kept by prune()
        except (OSError, ValueError):
            return None
        return value if valid(value) else None

    def put(self, key: str, value: Any) -> None:
        write_atomically(self._path(key), json.dumps(value, ensure_ascii=False))

    def prune(self, days: float = UNUSED_DAYS) -> None:
        cutoff = time.time() - days * 86400
        for path in self.folder.glob("*.json"):
            try:
                if path.stat().st_mtime < cutoff:
                    path.unlink()
            except OSError:
                continue


def _heading_record(heading: Element) -> list:
    return [heading.tag, dict(heading.attrib), heading.text]


def _heading(record: list) -> Element:
    tag, attributes, text = record
    element = Element(tag, attributes)
    element.text = text
    return element


class ApiBlocks:
    """Renders of mkdocstrings' Python handler, by everything they depend on.

    Rendering also advances griffe's lazy resolution of imported names, and the aliases an
    object gets in the inventory and in autorefs depend on what was resolved before it. So
    one language's renders are kept together, under a digest that includes every ``:::``
    block of the site in rendering order, and are served all together or not at all: a
    build either renders every block afresh (and records them, aliases included) or
    replays a recorded build whose inputs were the same.
    """

    def __init__(self, store: RenderedStore) -> None:
        self.store = store
        self.current: ApiRenders | None = None
        self.replayed = 0  # blocks, since the last count()
        self.made = 0

    def install(self, config, files, distributions: dict[str, str]) -> None:
        """Wrap this build's Python handler; without configured source folders (the
        handler would import from anywhere on ``sys.path``) or with backlinks (computed
        from the whole build's state) nothing is cached."""
        self.current = None
        plugin = config.plugins.get("mkdocstrings")
        if plugin is None or not plugin.config.enabled:
            return
        handler_config = plugin.config.handlers.get("python", {})
        root = Path(config.config_file_path).resolve().parent
        folders = [root / p for p in handler_config.get("paths", [])]
        if not folders or handler_config.get("options", {}).get("backlinks"):
            return
        handler = plugin.handlers.get_handler("python")
        blocks = [
            (file.src_uri, API_BLOCK.findall(file.content_string))
            for file in files.documentation_pages()
        ]
        templates = plugin.config.custom_templates
        environment = digest(
            python_sources(folders),
            every_file(root / templates) if templates else [],
            distributions,
            [e if isinstance(e, str) else type(e).__qualname__ for e in config.markdown_extensions],
            config.mdx_configs,
            dict(plugin.config),
            config.theme.name,
            config.theme.get("language"),
            dict(config.validation),
            config.use_directory_urls,
            sys.version,
            sorted(f.src_uri for f in files),
            [entry for entry in blocks if entry[1]],
        )
        autorefs = config.plugins.get("autorefs")
        self.current = ApiRenders(self.store, environment, handler, autorefs)

    def finish(self, *, complete: bool) -> None:
        """After the pages' Markdown was rendered (MkDocs' ``on_env``): record this build's
        renders if it rendered them all, afresh and without a warning."""
        if self.current is not None:
            self.current.save(complete=complete)
            self.replayed += self.current.replayed
            self.made += len(self.current.rendered)
        self.current = None


API_BLOCK = re.compile(r"^(?:#{1,6} *)?::: *\S.*(?:\n[ \t]+\S.*)*", re.MULTILINE)


def _is_record(value: Any) -> bool:
    return isinstance(value, dict) and all(
        isinstance(entry, dict)
        and isinstance(entry.get("html"), str)
        and isinstance(entry.get("headings"), list)
        and all(isinstance(h, list) and len(h) == 3 for h in entry["headings"])
        and isinstance(entry.get("aliases"), dict)
        for entry in value.values()
    )


def _are_entries(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(entry, dict) for entry in value)


class ApiRenders:
    """One language build's API blocks: replayed from a record, or rendered and recorded."""

    def __init__(self, store: RenderedStore, environment: str, handler, autorefs) -> None:
        self.store = store
        self.environment = environment
        self.handler = handler
        self.autorefs = autorefs
        self.record: dict[str, dict] | None = store.get(environment, _is_record)
        self.rendered: dict[str, dict] = {}
        self.replayed = 0
        self.clean = True
        # The aliases of the headings of the block replayed last: mkdocstrings asks for
        # them right after the render, to register them in autorefs and the inventory.
        self.aliases: dict[str, tuple[str, ...]] = {}
        self._render = handler.render
        self._get_aliases = handler.get_aliases
        handler.render = self.render
        handler.get_aliases = self.get_aliases

    def render(self, data, options, locale: str | None = None) -> str:
        self.aliases = {}
        if not self.handler.outer_layer:  # an object nested in a docstring: in its block
            return self._render(data, options, locale=locale)
        page = getattr(self.autorefs, "current_page", None)
        where = (page.file.src_uri, page.url) if page is not None else None
        key = digest(where, data.path, stable_repr(options), locale)
        if self.record is not None and key in self.record and not self.rendered:
            entry = self.record[key]
            self.handler._headings.extend(_heading(h) for h in entry["headings"])
            self.aliases = {name: tuple(found) for name, found in entry["aliases"].items()}
            self.replayed += 1
            return entry["html"]
        if self.replayed:  # a block the record lacks: this build is not a replay
            self.clean = False
        before = len(self.handler._headings)
        with WarningCount() as warnings:
            html = self._render(data, options, locale=locale)
        headings = self.handler._headings[before:]
        self.clean = self.clean and not warnings.seen
        self.rendered[key] = {
            "html": html,
            "headings": [_heading_record(h) for h in headings],
            "aliases": {
                h.attrib["id"]: list(self._get_aliases(h.attrib["id"]))
                for h in headings
                if "id" in h.attrib
            },
        }
        return html

    def get_aliases(self, identifier: str) -> tuple[str, ...]:
        if identifier in self.aliases:
            return self.aliases[identifier]
        return self._get_aliases(identifier)

    def save(self, *, complete: bool) -> None:
        if complete and self.clean and self.rendered and not self.replayed:
            self.store.put(self.environment, self.rendered)


def _toc_record(toc) -> list:
    return [[item.id, item.url, item.title, item.level, _toc_record(item.children)] for item in toc]


class SearchEntries:
    """The search plugin's entries for a page, by what it reads of the page."""

    def __init__(self, store: RenderedStore) -> None:
        self.store = store
        self.reused = 0  # pages, since the last count()
        self.made = 0

    def install(self, config, distributions: dict[str, str]) -> None:
        plugin = config.plugins.get("material/search") or config.plugins.get("search")
        index = getattr(plugin, "search_index", None)
        if index is None or getattr(index.add_entry_from_context, "remembered", False):
            return
        # The parser is Material's, and an installed jieba would segment Chinese text.
        environment = digest(distributions, sys.version, dict(plugin.config))
        original = index.add_entry_from_context
        store = self.store

        def remembered_entries(page) -> None:
            key = digest(
                environment, page.content, page.url, page.title, page.meta, _toc_record(page.toc)
            )
            stored = store.get(key, _are_entries)
            if stored is not None:
                index.entries.extend(stored)
                self.reused += 1
                return
            before = len(index.entries)
            with WarningCount() as warnings:
                original(page)
            self.made += 1
            if not warnings.seen:
                store.put(key, index.entries[before:])

        remembered_entries.remembered = True  # type: ignore[attr-defined]
        index.add_entry_from_context = remembered_entries


class RenderedCache:
    """Both kinds, under one folder of the cache."""

    def __init__(self, folder: Path) -> None:
        self.api = ApiBlocks(RenderedStore(folder / "api"))
        self.search = SearchEntries(RenderedStore(folder / "search"))

    def install(self, config, files, distributions: dict[str, str]) -> None:
        self.api.install(config, files, distributions)
        self.search.install(config, distributions)

    def pages_rendered(self, *, complete: bool) -> None:
        """Every page's Markdown of this build was rendered (``on_env``)."""
        self.api.finish(complete=complete)

    def count(self) -> str:
        """What was reused and what was rendered since the last count."""
        api, search = self.api, self.search
        text = (
            f"{api.replayed} of {api.replayed + api.made} API blocks and the search entries "
            f"of {search.reused} of {search.reused + search.made} pages"
        )
        api.replayed = api.made = search.reused = search.made = 0
        return text

    def prune(self) -> None:
        self.api.store.prune()
        self.search.store.prune()
