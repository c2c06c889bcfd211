"""``mkdocs serve`` that shows a prose edit in about a second and never waits for a lesson.

MkDocs rebuilds the whole site, every language, on each save, and serves no page while it
builds: about 17 s for this course, and as long as a lesson runs when one is stale. A
:class:`ServeSession` (set up by the plugin's ``on_serve``) changes two things:

* **Partial rebuilds.** When the files changed since the last build are only pages of
  ``docs/`` or lesson files, the rebuild is a MkDocs *dirty* build, in every language, in
  which a page is written again only if its input changed: its Markdown as the plugin
  hands it to MkDocs (a lesson page rendered from its run, a page with its quotes filled
  in, the catalogue). The other pages stay as written, their navigation titles are the
  ones recorded when they were last built, and the search index keeps their entries.
  Anything else (``mkdocs.yml``, hooks, the course package, the glossary, assets, a new or
  removed file) rebuilds everything, as does a rebuild after a title changed (so every
  page's navigation shows it).
* **Lessons in the background.** A lesson that must run again is handed to
  :class:`BackgroundRuns`: the rebuild shows its previous run under a notice, the server
  keeps answering, and when the run ends a rebuild is asked for that shows its result.

Only ``mkdocs serve`` does this; ``mkdocs build`` builds everything and runs every stale
lesson before it writes a page.
"""

from __future__ import annotations

import contextlib
import json
import logging
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from coursebuild.cache import write_atomically
from coursebuild.guard import FileState, ProjectGuard

log = logging.getLogger("mkdocs.plugins.course-lessons")

# What MkDocs says of every dirty build: navigation may be wrong (a partial rebuild restores
# the titles), and the site folder holds files of the last build (that is the point).
DIRTY_NOTES = ("A 'dirty' build is being performed", "The directory contains stale files")


class BackgroundRuns:
    """Lessons run in one thread at a time while the server keeps serving; ``wake`` asks for
    a rebuild when they end. Lessons submitted while a run is going are not queued: the
    rebuild after it looks again at what is stale."""

    def __init__(
        self, run: Callable[[list[Any]], dict[str, Any]], wake: Callable[[], None]
    ) -> None:
        self._run = run
        self._wake = wake
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._done: dict[str, Any] = {}

    def submit(self, lessons: list[Any]) -> None:
        with self._lock:
            if self._thread is not None and self._thread.is_alive():
                return
            names = ", ".join(lesson.id for lesson in lessons)
            log.info(f"running in the background, the site keeps serving: {names}")
            self._thread = threading.Thread(
                target=self._work, args=(lessons,), name="course-lessons", daemon=True
            )
            self._thread.start()

    def _work(self, lessons: list[Any]) -> None:
        try:
            runs = self._run(lessons)
        except Exception:  # noqa: BLE001 - the server must outlive a broken run
            log.exception("the background lesson run failed")
            runs = {}
        with self._lock:
            self._done.update(runs)
        self._wake()

    def take(self) -> dict[str, Any]:
        """The runs finished since the last call."""
        with self._lock:
            done, self._done = self._done, {}
        return done

    def busy(self) -> bool:
        with self._lock:
            return self._thread is not None and self._thread.is_alive()


class TemplateCache(jinja2.BytecodeCache):
    """Compiled theme templates kept in memory across rebuilds: MkDocs makes a new Jinja
    environment for every build, which compiles Material's templates again (about half a
    second each language). Jinja checks each template's source before it uses its code."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


@dataclass
class PageRecord:
    """A page as last written: the digest of its input and its title."""

    digest: str
    title: str | None


class _DropDirtyNotes(logging.Filter):
    """MkDocs' notes on dirty builds do not apply to a partial rebuild, and under
    ``--strict`` its warning would abort it."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith(DIRTY_NOTES)


@contextlib.contextmanager
def dirty_builds() -> Iterator[None]:
    """Every MkDocs build started inside is a dirty one: the serve command's and the ones
    static-i18n starts for the other languages (it builds dirty only under ``--dirty``)."""
    import mkdocs.commands.build as build_module
    import mkdocs.commands.serve as serve_module

    real = build_module.build

    def dirty_build(config: Any, **kwargs: Any) -> None:
        real(config, **{**kwargs, "dirty": True})

    modules: list[Any] = [serve_module]
    with contextlib.suppress(ImportError):
        import mkdocs_static_i18n.plugin as i18n_module

        modules.append(i18n_module)
    patched = [module for module in modules if getattr(module, "build", None) is real]
    warning = _DropDirtyNotes()
    logging.getLogger("mkdocs.commands.build").addFilter(warning)
    for module in patched:
        module.build = dirty_build
    try:
        yield
    finally:
        for module in patched:
            module.build = real
        logging.getLogger("mkdocs.commands.build").removeFilter(warning)


class ServeSession:
    """The state ``mkdocs serve`` keeps between builds (see the module docstring).

    Created when the server starts; the plugin reports each build to it (:meth:`begin`,
    :meth:`wrote`, :meth:`end` or :meth:`failed`), and from the server's ``on_serve``
    (:meth:`attach`) on, :meth:`rebuild` is the server's builder.
    """

    def __init__(self) -> None:
        self.records: dict[tuple[str, str], PageRecord] = {}  # (language, page) -> as written
        self.partial = False  # the build in progress is a partial one
        self.written: list[tuple[str, str]] = []  # pages written by the build in progress
        self.background: BackgroundRuns | None = None
        self.templates = TemplateCache()
        self.trigger: Path | None = None  # a watched folder: writing into it asks for a rebuild
        self._builder: Callable[[], None] | None = None
        self._guard: ProjectGuard | None = None
        self._page_source: Callable[[str], bool] = lambda _: False
        self._sources: dict[str, FileState] | None = None  # project files at the last build
        self._pending: dict[str, FileState] | None = None  # ... at the build in progress
        self._full_wanted = True
        self._retitled = False
        self._search: dict[str, dict] = {}  # index file -> its content after the last build

    def attach(
        self,
        server: Any,
        builder: Callable[[], None],
        guard: ProjectGuard,
        page_source: Callable[[str], bool],
    ) -> None:
        """``page_source(path)``: whether a changed project file (path as the guard shows
        it) is one a partial rebuild can follow (a page of ``docs/``, a lesson file)."""
        self._builder, self._guard, self._page_source = builder, guard, page_source
        self.trigger = Path(tempfile.mkdtemp(prefix="dlcourse-serve-"))
        server.watch(str(self.trigger))

    def wake(self) -> None:
        """Ask the server for a rebuild (it watches the trigger folder)."""
        if self.trigger is not None:
            (self.trigger / "wake").write_text(str(time.time()), encoding="utf-8")

    def close(self) -> None:
        if self.trigger is not None:
            shutil.rmtree(self.trigger, ignore_errors=True)

    def _can_be_partial(self, now: dict[str, FileState]) -> bool:
        """Whether the next rebuild can be partial, from what changed since the last one."""
        if self._full_wanted or self._sources is None:
            return False
        suffix = " (changed)"
        return all(
            change.endswith(suffix) and self._page_source(change[: -len(suffix)])
            for change in ProjectGuard.changes(self._sources, now)
        )

    def rebuild(self) -> None:
        """What the server calls on each change, instead of MkDocs' own builder."""
        assert self._builder is not None and self._guard is not None, "attach() first"
        now = self._guard.snapshot()
        self.partial = self._can_be_partial(now)
        self._pending = now
        started = time.monotonic()
        if self.partial:
            with dirty_builds():
                self._builder()
        else:
            self._builder()
        kind = "partial" if self.partial else "full"
        log.info(
            f"{kind} rebuild: {len(self.written)} page(s) written in "
            f"{time.monotonic() - started:.1f} s"
        )

    # -- what the plugin reports while a build runs ------------------------------------
    def begin(self, snapshot: dict[str, FileState]) -> None:
        """A build starts (the outermost one, before any language's pages)."""
        if self._pending is None:  # the first build: not started by rebuild()
            self._pending = snapshot
        self.written = []
        self._retitled = False

    def end(self) -> None:
        """The build ended well: the next rebuild compares with what it was made from."""
        self._sources, self._pending = self._pending, None
        self._full_wanted = self._retitled
        if self._retitled:
            self.wake()

    def failed(self) -> None:
        """The build failed: the next rebuild is a full one."""
        self._pending = None
        self._full_wanted = True

    def modified(self, lang: str, src_uri: str, digest: str) -> bool:
        """Whether a partial build writes this page again."""
        record = self.records.get((lang, src_uri))
        return record is None or record.digest != digest

    def title(self, lang: str, src_uri: str) -> str | None:
        record = self.records.get((lang, src_uri))
        return record.title if record else None

    def wrote(self, lang: str, src_uri: str, digest: str, title: str | None) -> None:
        """A page was written; in a partial build a changed title makes every other page's
        navigation stale, so a full rebuild follows."""
        before = self.records.get((lang, src_uri))
        if self.partial and before is not None and before.title != title:
            log.info(f"the title of {src_uri} changed: a full rebuild follows")
            self._retitled = True
        self.records[(lang, src_uri)] = PageRecord(digest, title)
        self.written.append((lang, src_uri))

    def search_indexes(self, paths: list[Path]) -> None:
        """After a build: a partial one wrote search entries only for the pages it wrote, so
        the entries of every other page come back from the index of the build before."""
        for path in paths:
            if not path.is_file():
                continue
            index = json.loads(path.read_text(encoding="utf-8"))
            previous = self._search.get(str(path))
            if self.partial and previous is not None:
                index = {**index, "docs": _merged(previous["docs"], index["docs"])}
                # Atomically: the server keeps answering requests for it meanwhile.
                write_atomically(path, json.dumps(index, ensure_ascii=False, separators=(",", ":")))
            self._search[str(path)] = index


def _page(location: str) -> str:
    return location.split("#", 1)[0]


def _merged(previous: list[dict], written: list[dict]) -> list[dict]:
    """The previous entries, those of each written page replaced where they stood."""
    new: dict[str, list[dict]] = {}
    for doc in written:
        new.setdefault(_page(doc["location"]), []).append(doc)
    docs: list[dict] = []
    for doc in previous:
        page = _page(doc["location"])
        if page not in new:
            docs.append(doc)
        elif new[page]:
            docs.extend(new.pop(page))
            new[page] = []
    for rest in new.values():
        docs.extend(rest)
    return docs
