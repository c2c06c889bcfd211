"""MkDocs hook: the recorded build benchmark as tables on the Build page.

``python -m coursebuild.benchmark --record`` writes ``docs/_data/benchmark.json``; the Build
page holds a ``<!-- build-benchmark -->`` marker that this hook replaces with the tables in
the page's language. A site customisation, not part of the lesson pipeline.
"""

from __future__ import annotations

import json
from pathlib import Path

from coursebuild.cache import BENCHMARK_RECORD
from coursebuild.languages import from_mkdocs_config
from dlcourse.formatting import format_number
from mkdocs.exceptions import PluginError

MARKER = "<!-- build-benchmark -->"
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
        "compute": "Suma de los tiempos propios de las lecciones: **{compute} s** en {cores} núcleos · "
        "compilación en frío / (suma / núcleos + recompilación sin cambios): **{ideal}** · "
        "aceleración que da el servidor de procesos precargado: **{pool}×**.",
        "repro_ok": "Las tres compilaciones en frío (en paralelo, sin el servidor de procesos y en serie) imprimieron exactamente los mismos números en todas las lecciones, salvo las medidas de tiempo.",
        "repro_bad": "Las compilaciones en frío difieren en: {lessons}.",
        "missing": "Todavía no se ha registrado ninguna medición.",
        "notebooks": "Cuadernos descargados ejecutados de principio a fin como lo haría un "
        "estudiante, con un núcleo de Jupyter en un entorno nuevo fuera del repositorio{offline}: "
        "**{count} de {lessons}** ({date}). La celda de preparación del primero {setup} "
        "en {seconds} s.",
        "offline": " y sin red",
        "installed": "instaló el paquete del curso desde el sitio",
        "present": "encontró el paquete del curso ya instalado",
        "notebook": "Cuaderno (s)",
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
        "compute": "Sum of the lessons' own run times: **{compute} s** on {cores} cores · "
        "cold build / (sum / cores + warm rebuild): **{ideal}** · "
        "speed-up from the pre-warmed fork server: **{pool}×**.",
        "repro_ok": "The three cold builds (parallel, without the fork server, and serial) printed exactly the same numbers in every lesson, timings aside.",
        "repro_bad": "The cold builds differ in: {lessons}.",
        "missing": "No measurement has been recorded yet.",
        "notebooks": "Downloaded notebooks run from start to end as a student would run them, "
        "with a Jupyter kernel in a fresh environment outside the repository{offline}: "
        "**{count} of {lessons}** ({date}). The first one's setup cell {setup} in {seconds} s.",
        "offline": " and no network",
        "installed": "installed the course package from the site",
        "present": "found the course package already installed",
        "notebook": "Notebook (s)",
    },
}
SCENARIO_NAMES_ES = {
    "cold build, parallel": "compilación en frío, en paralelo",
    "warm rebuild (no change)": "recompilación sin cambios",
    "serve: docs page edit shown": "`mkdocs serve`: una página de docs editada, visible",
    "serve: lesson prose edit shown": "`mkdocs serve`: la prosa de una lección editada, visible",
    "prose edit (one lesson)": "tras editar prosa (una lección)",
    "code edit (one lesson)": "tras editar código (una lección)",
    "package edit (models.py)": "tras editar el paquete (models.py)",
    "comment edit (models)": "tras editar un comentario del paquete (models)",
    "package edit (models)": "tras editar el paquete (models)",
    "floor (no lesson machinery)": "suelo (sin maquinaria de lecciones)",
    "floor (plain MkDocs + Material)": "suelo (MkDocs y Material sin nada del curso)",
    "cold build, serial": "compilación en frío, en serie",
    "cold build, parallel, no fork server": "compilación en frío, en paralelo, sin servidor de procesos",
}


def benchmark_tables(path: Path, lang: str) -> str:
    """The recorded benchmark (see dlcourse.build.benchmark) as tables in the page's language."""
    t = BENCHMARK_TEXT[lang]
    if not path.exists():
        return t["missing"]
    report = json.loads(path.read_text(encoding="utf-8"))
    name = (lambda n: SCENARIO_NAMES_ES.get(n, n)) if lang == "es" else (lambda n: n)

    def num(value: float, spec: str = ".1f") -> str:  # "," alone: as recorded, grouped
        return format_number(value, spec, lang)

    lines = [f"**{t['machine']}:** {report['machine']} · {t['date']} {report['date']}", ""]
    lines += [f"| {t['scenario']} | {t['seconds']} | {t['executed']} |", "|---|---:|---:|"]
    lines += [
        f"| {name(r['name'])} | {num(r['seconds'])} | {r['executed']} |"
        for r in report["scenarios"]
    ]
    lines += [
        "",
        t["ratios"].format(
            warm=num(report["warm_over_floor"], ","),
            prose=num(report["prose_over_floor"], ","),
            speedup=num(report["parallel_speedup"], ","),
        ),
        "",
    ]
    if "compute_s" in report:
        lines += [
            t["compute"].format(
                compute=num(report["compute_s"]),
                cores=report["cores"],
                ideal=num(report["cold_over_ideal"], ","),
                pool=num(report["pool_speedup"], ","),
            ),
            "",
        ]
    notebooks = report.get("notebooks")
    if notebooks:
        lines += [
            t["notebooks"].format(
                offline=t["offline"] if notebooks["offline"] else "",
                count=notebooks["count"],
                lessons=len(report["lessons"]),
                date=notebooks.get("date", report["date"]),
                setup=t["installed"] if notebooks["installed_by_setup_cell"] else t["present"],
                seconds=num(notebooks["setup_s"], ".2f"),
            ),
            "",
        ]
    notebook_s = {r["lesson"]: r["seconds"] for r in (notebooks or {}).get("lessons", [])}
    extra = f" {t['notebook']} |" if notebook_s else ""
    lines += [f"| {t['lesson']} | {t['seconds']} | {t['peak']} |{extra}", "|---|---:|---:|"]
    lines[-1] += "---:|" if notebook_s else ""
    lines += [
        f"| [`{r['lesson']}`](lessons/{r['lesson']}.md) | {num(r['seconds'])} | {num(r['peak_mb'], ',')} |"
        + (
            f" {num(notebook_s[r['lesson']])} |"
            if r["lesson"] in notebook_s
            else (" — |" if notebook_s else "")
        )
        for r in report["lessons"]
    ]
    w = report["weights"]
    lines += [
        "",
        t["weights"].format(
            lesson=w["heaviest_lesson"],
            html=num(w["html_kb"], ","),
            images=num(w["with_images_kb"], ","),
            es=num(w["search_index_kb"]["es"], ","),
            en=num(w["search_index_kb"]["en"], ","),
        ),
        "",
    ]
    verdict = (
        t["repro_ok"]
        if report["reproducible"]
        else t["repro_bad"].format(lessons=", ".join(report["differing_lessons"]))
    )
    return "\n".join(lines + [verdict])


def on_page_markdown(markdown: str, *, page, config, files) -> str:
    if MARKER not in markdown:
        return markdown
    languages = from_mkdocs_config(config)
    lang = getattr(page.file, "locale", None) or languages.default
    if lang not in BENCHMARK_TEXT:
        raise PluginError(f"hooks/benchmark_table.py has no texts in '{lang}'")
    path = Path(config.config_file_path).resolve().parent / BENCHMARK_RECORD
    return markdown.replace(MARKER, benchmark_tables(path, lang))
