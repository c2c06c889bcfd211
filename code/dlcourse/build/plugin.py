"""MkDocs plugin ``course-lessons``: executed lessons, lesson catalogue and glossary.

A lesson page in ``docs/`` is a short file whose front matter names the lesson
(``lesson: single-neuron``); this plugin replaces its content with the lesson rendered in
the page's language. Lessons run before the pages are rendered, once for both languages,
and only when their cache entry is stale (see ``dlcourse.build.cache``).

Under ``mkdocs build`` a failing lesson stops the build with the lesson's file, cell and
error. Under ``mkdocs serve`` the page shows that error instead and the server keeps going.

Glossary terms (``docs/_data/glossary.yml``) become hover tooltips on every page; a page
where a term is used in its everyday sense turns them off with ``glossary_tooltips: false``
in its front matter.
"""

from __future__ import annotations

import json
import logging
import os
import posixpath
import re
import unicodedata
from pathlib import Path

import yaml
from mkdocs.config import config_options as opt
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority

from dlcourse.build.cache import ExecutionCache, default_cache_dir, device_kind
from dlcourse.build.executor import LessonRun, run_lessons
from dlcourse.build.lesson import Lesson, LessonFormatError, discover_lessons
from dlcourse.build.render import page_assets, render_failure, render_lesson

log = logging.getLogger("mkdocs.plugins.course-lessons")

HEAD_ALTERNATE = re.compile(r'<link rel="alternate" href="[^"]*" hreflang="[a-z]{2}">\n?')
CONFIG_BASE = re.compile(r'("base": ")([^"]*)(")')
GLOSSARY_MARKER = "<!-- glossary-table -->"
BENCHMARK_MARKER = "<!-- build-benchmark -->"
BENCHMARK_TEXT = {
    "es": {
        "machine": "Máquina",
        "date": "fecha",
        "scenario": "Escenario",
        "seconds": "Tiempo (s)",
        "executed": "Lecciones ejecutadas",
        "lesson": "Lección",
        "peak": "Memoria máxima (MB)",
        "ratios": "Recompilación sin cambios / suelo: **{warm}** · tras editar prosa / suelo: **{prose}** · "
        "aceleración de la compilación en frío en paralelo: **{speedup}×**.",
        "weights": "Página de lección más pesada: `{lesson}`, {html} KB de HTML y {images} KB con figuras. "
        "Índice de búsqueda: {es} KB en español, {en} KB en inglés.",
        "repro_ok": "Las dos compilaciones en frío (en serie y en paralelo) imprimieron exactamente los mismos números en todas las lecciones.",
        "repro_bad": "Las compilaciones en serie y en paralelo difieren en: {lessons}.",
        "missing": "Todavía no se ha registrado ninguna medición.",
    },
    "en": {
        "machine": "Machine",
        "date": "date",
        "scenario": "Scenario",
        "seconds": "Wall time (s)",
        "executed": "Lessons executed",
        "lesson": "Lesson",
        "peak": "Peak memory (MB)",
        "ratios": "Warm rebuild / floor: **{warm}** · prose-edit rebuild / floor: **{prose}** · "
        "parallel cold-build speed-up: **{speedup}×**.",
        "weights": "Heaviest lesson page: `{lesson}`, {html} KB of HTML and {images} KB with figures. "
        "Search index: {es} KB in Spanish, {en} KB in English.",
        "repro_ok": "The two cold builds (serial and parallel) printed exactly the same numbers in every lesson.",
        "repro_bad": "The serial and parallel builds differ in: {lessons}.",
        "missing": "No measurement has been recorded yet.",
    },
}
SCENARIO_NAMES_ES = {
    "cold build, parallel": "compilación en frío, en paralelo",
    "warm rebuild (no change)": "recompilación sin cambios",
    "prose edit (one lesson)": "tras editar prosa (una lección)",
    "code edit (one lesson)": "tras editar código (una lección)",
    "package edit (models.py)": "tras editar el paquete (models.py)",
    "floor (no lesson machinery)": "suelo (sin maquinaria de lecciones)",
    "cold build, serial": "compilación en frío, en serie",
}
CATALOGUE_MARKER = "<!-- lesson-catalogue -->"
CATALOGUE_TEXT = {
    "es": ("Lección", "De qué trata", "Presupuesto (CPU)", "Última ejecución"),
    "en": ("Lesson", "What it covers", "Budget (CPU)", "Last run"),
}


class LessonsPluginConfig(Config):
    lessons_dir = opt.Type(str, default="lessons")
    glossary = opt.Type(str, default="docs/_data/glossary.yml")
    benchmark = opt.Type(
        str, default="docs/_data/benchmark.json"
    )  # written by dlcourse.build.benchmark
    default_language = opt.Type(str, default="es")
    jobs = opt.Type(int, default=0)  # parallel lesson processes; 0 = one per core
    tooltips = opt.Type(bool, default=True)  # glossary terms as hover tooltips (abbr)


class LessonsPlugin(BasePlugin[LessonsPluginConfig]):
    """Runs the lessons and puts their outputs on the lesson pages of both languages."""

    def __init__(self) -> None:
        self.serving = False
        self.lessons: dict[str, Lesson] = {}
        self.runs: dict[str, LessonRun] = {}
        self.glossary: list[dict[str, str]] = []

    # -- configuration -------------------------------------------------------------
    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.serving = command == "serve"

    def on_config(self, config):
        self.root = Path(config.config_file_path).resolve().parent
        self.lessons_dir = self.root / self.config.lessons_dir
        glossary_path = self.root / self.config.glossary
        self.glossary = (
            yaml.safe_load(glossary_path.read_text(encoding="utf-8"))
            if glossary_path.exists()
            else []
        )
        return config

    # -- execution -----------------------------------------------------------------
    def on_pre_build(self, *, config) -> None:
        try:
            lessons = discover_lessons(self.lessons_dir)
        except LessonFormatError as exc:
            raise PluginError(f"lesson format error: {exc}") from exc
        self.lessons = {lesson.id: lesson for lesson in lessons}
        import dlcourse

        package_root = Path(dlcourse.__file__).resolve().parent.parent
        cache = ExecutionCache(default_cache_dir(), package_root, device_kind())
        # A second language build (or a serve rebuild after a prose edit) reuses this
        # process's runs; anything whose code or imported modules changed is looked up again.
        reusable = {
            lesson_id: run
            for lesson_id, run in self.runs.items()
            if lesson_id in self.lessons
            and run.notebook is not None
            and run.failure is None
            and run.lesson.code_hash() == self.lessons[lesson_id].code_hash()
            and not cache.changed_modules(run.notebook)
        }
        todo = [lesson for lesson in lessons if lesson.id not in reusable]
        fresh = (
            run_lessons(
                todo, cache, jobs=jobs_from_environment() or self.config.jobs or None, log=log.info
            )
            if todo
            else {}
        )
        self.runs = {
            lesson_id: reusable.get(lesson_id) or fresh[lesson_id] for lesson_id in self.lessons
        }
        self._report(fresh)

    def _report(self, fresh: dict[str, LessonRun]) -> None:
        if not fresh:
            return
        executed = [run for run in fresh.values() if not run.from_cache]
        log.info(f"lessons: {len(executed)} executed, {len(fresh) - len(executed)} from the cache")
        for run in fresh.values():
            status = "executed" if not run.from_cache else "cached"
            log.info(f"  {run.lesson.path.name}: {status} ({run.reason})")
            warnings = run.notebook.metadata["execution"]["warnings"] if run.notebook else []
            for message in warnings:
                log.info(f"    {run.lesson.path.name} emitted (not published): {message[:300]}")
        failures = [run.failure for run in fresh.values() if run.failure]
        for failure in failures:
            log.error(f"lesson failed: {failure}")
            if failure.detail:
                log.info(failure.detail)
        if failures and not self.serving:
            summary = "; ".join(str(f) for f in failures)
            raise PluginError(f"{len(failures)} lesson(s) failed, nothing published: {summary}")

    # -- pages ---------------------------------------------------------------------
    def on_files(self, files, *, config):
        pages = {f.src_uri for f in files}
        for lesson_id in self.lessons or {p.stem: None for p in self.lessons_dir.glob("*.py")}:
            for suffix in (".md", ".en.md"):
                mount = f"lessons/{lesson_id}{suffix}"
                if mount not in pages:
                    raise PluginError(f"lesson lessons/{lesson_id}.py has no page docs/{mount}")
        return files

    def _language(self, page) -> str:
        return getattr(page.file, "locale", None) or self.config.default_language

    def on_page_markdown(self, markdown: str, *, page, config, files) -> str:
        lang = self._language(page)
        lesson_id = page.meta.get("lesson")
        if lesson_id:
            if lesson_id not in self.runs:
                raise PluginError(
                    f"{page.file.src_uri}: no lesson named '{lesson_id}' in {self.config.lessons_dir}/"
                )
            run = self.runs[lesson_id]
            markdown = (
                render_failure(run.failure, lang)
                if run.failure
                else render_lesson(run.lesson, run, lang)
            )
        if CATALOGUE_MARKER in markdown:
            markdown = markdown.replace(CATALOGUE_MARKER, self._catalogue(lang))
        if BENCHMARK_MARKER in markdown:
            markdown = markdown.replace(BENCHMARK_MARKER, self._benchmark(lang))
        if GLOSSARY_MARKER in markdown:
            markdown = markdown.replace(GLOSSARY_MARKER, self._glossary_table(lang))
        elif self.config.tooltips and self.glossary and page.meta.get("glossary_tooltips", True):
            markdown += "\n\n" + self._tooltips(lang)
        return markdown

    def on_post_page(self, output: str, *, page, config) -> str:
        output = self._one_search_per_language(output, page)
        lesson_id = page.meta.get("lesson")
        run = self.runs.get(lesson_id) if lesson_id else None
        if run and not run.failure:
            folder = Path(page.file.abs_dest_path).parent
            folder.mkdir(parents=True, exist_ok=True)
            for name, content in page_assets(run.lesson, run, self._language(page)).items():
                (folder / name).write_bytes(content)
        return output

    # -- one search index per language --------------------------------------------
    def _one_search_per_language(self, output: str, page) -> str:
        """Point each page at its own language's search index and drop head alternates.

        static-i18n merges both languages into one index at the site root and Material
        loads it from ``__config.base``. Pages of a non-default language get a base at
        their language root instead (``en/``), where :meth:`on_post_build` writes an
        index with that language only. Material also fetches ``sitemap.xml`` next to
        every ``<link rel="alternate">`` to keep the reader on the same page when
        switching; static-i18n's per-page links already do that, so the head links
        would only cause 404s.
        """
        output = HEAD_ALTERNATE.sub("", output)
        lang = self._language(page)
        if lang == self.config.default_language:
            return output
        directory = page.url if page.url.endswith("/") else posixpath.dirname(page.url) + "/"
        language_root = posixpath.relpath(lang, directory.rstrip("/") or ".")
        return CONFIG_BASE.sub(
            lambda m: f"{m.group(1)}{language_root}{m.group(3)}", output, count=1
        )

    @event_priority(-200)  # after static-i18n has built every language and merged the index
    def on_post_build(self, *, config) -> None:
        i18n = config.plugins.get("i18n")
        if i18n is None or getattr(i18n, "building", False):
            return  # a nested per-language build: the merged index does not exist yet
        index_path = Path(config.site_dir) / "search" / "search_index.json"
        if not index_path.exists():
            return
        merged = json.loads(index_path.read_text(encoding="utf-8"))
        others = [lang for lang in ("en",) if (Path(config.site_dir) / lang).is_dir()]
        for lang in [self.config.default_language, *others]:
            prefix = "" if lang == self.config.default_language else f"{lang}/"
            docs = [
                {**doc, "location": doc["location"][len(prefix) :]}
                for doc in merged["docs"]
                if (
                    doc["location"].startswith(prefix)
                    if prefix
                    else not doc["location"].startswith(tuple(f"{o}/" for o in others))
                )
            ]
            target = Path(config.site_dir) / prefix / "search" / "search_index.json"
            target.parent.mkdir(parents=True, exist_ok=True)
            payload = {**merged, "config": {**merged["config"], "lang": [lang]}, "docs": docs}
            target.write_text(
                json.dumps(payload, ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
            )

    # -- generated content ---------------------------------------------------------
    def _catalogue(self, lang: str) -> str:
        head = CATALOGUE_TEXT[lang]
        rows = [f"| {' | '.join(head)} |", "|---|---|---|---|"]
        for lesson_id, run in self.runs.items():
            meta = run.lesson.meta
            duration = run.notebook.metadata["execution"]["duration_s"] if run.notebook else None
            last = f"{duration:.1f} s" if duration is not None else "—"
            rows.append(
                f"| [{meta.title[lang]}]({lesson_id}.md) | {meta.summary[lang]} | {meta.budget_cpu_s} s | {last} |"
            )
        return "\n".join(rows)

    def _benchmark(self, lang: str) -> str:
        """The recorded benchmark (see dlcourse.build.benchmark) as tables in the page's language."""
        t = BENCHMARK_TEXT[lang]
        path = self.root / self.config.benchmark
        if not path.exists():
            return t["missing"]
        report = json.loads(path.read_text(encoding="utf-8"))
        name = (lambda n: SCENARIO_NAMES_ES.get(n, n)) if lang == "es" else (lambda n: n)
        lines = [f"**{t['machine']}:** {report['machine']} · {t['date']} {report['date']}", ""]
        lines += [f"| {t['scenario']} | {t['seconds']} | {t['executed']} |", "|---|---:|---:|"]
        lines += [
            f"| {name(r['name'])} | {r['seconds']:.1f} | {r['executed']} |"
            for r in report["scenarios"]
        ]
        lines += [
            "",
            t["ratios"].format(
                warm=report["warm_over_floor"],
                prose=report["prose_over_floor"],
                speedup=report["parallel_speedup"],
            ),
            "",
        ]
        lines += [f"| {t['lesson']} | {t['seconds']} | {t['peak']} |", "|---|---:|---:|"]
        lines += [
            f"| [{r['lesson']}](lessons/{r['lesson']}.md) | {r['seconds']:.1f} | {r['peak_mb']} |"
            for r in report["lessons"]
        ]
        w = report["weights"]
        lines += [
            "",
            t["weights"].format(
                lesson=w["heaviest_lesson"],
                html=w["html_kb"],
                images=w["with_images_kb"],
                es=w["search_index_kb"]["es"],
                en=w["search_index_kb"]["en"],
            ),
            "",
        ]
        verdict = (
            t["repro_ok"]
            if report["reproducible"]
            else t["repro_bad"].format(lessons=", ".join(report["differing_lessons"]))
        )
        return "\n".join(lines + [verdict])

    def _glossary_table(self, lang: str) -> str:
        other = "en" if lang == "es" else "es"
        head = (
            ("Español", "English", "Definición")
            if lang == "es"
            else ("English", "Español", "Definition")
        )
        entries = sorted(self.glossary, key=lambda e: sort_key(e[lang]))
        rows = [f"| {' | '.join(head)} |", "|---|---|---|"]
        rows += [f"| **{e[lang]}** | {e[other]} | {e['def_' + lang]} |" for e in entries]
        return "\n".join(rows)

    def _tooltips(self, lang: str) -> str:
        """Abbreviation definitions: each glossary term shows its definition on hover."""
        other = "en" if lang == "es" else "es"
        lines = []
        for entry in self.glossary:
            term = entry[lang]
            if len(term) < 4 or "*" in term or "]" in term:
                continue
            hint = f"{entry[other]} — {entry['def_' + lang]}".replace("\n", " ")
            lines.append(f"*[{term}]: {hint}")
        return "\n".join(lines)


def sort_key(term: str) -> str:
    """Dictionary order: accents ignored, so "época" sorts among the e's."""
    decomposed = unicodedata.normalize("NFD", term.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def jobs_from_environment() -> int | None:
    """DLCOURSE_JOBS overrides the number of parallel lesson processes."""
    value = os.environ.get("DLCOURSE_JOBS")
    return int(value) if value else None
