"""Turn an executed lesson into the Markdown of its page in one language.

Figures are not inlined as base64: they are written as PNG files next to the page (see
``page_assets``), which keeps a lesson page's HTML small. The page also links a download
of the script and of the executed notebook in the page's language.

Everything taken from the executed notebook's metadata (device, versions, date, duration,
figure alt text and size, error text) is treated as untrusted text: it reaches the page
HTML-escaped, on one line, with the characters Markdown would act on written as character
references, so a device named ``<script>...`` or ``[x](javascript:...)`` shows as text.
"""

from __future__ import annotations

import base64
import html

import nbformat

from coursebuild.cache import source_root
from coursebuild.executor import LessonFailure, LessonRun
from coursebuild.lesson import Lesson
from coursebuild.taught_code import expand

TEXT = {
    "es": {
        "ran_on": "Ejecutada en",
        "cached": "resultado en caché de una ejecución del",
        "fresh": "ejecutada en esta compilación, el",
        "download": "Descargar",
        "script": "el script",
        "notebook": "el cuaderno ejecutado",
        "budget": "Presupuesto: {s} s en 2 núcleos de CPU",
        "provenance": "Procedencia de los resultados",
        "device": "Dispositivo",
        "versions": "Versiones",
        "time": "Tiempo de ejecución",
        "date": "Fecha",
        "from_cache": "Desde la caché",
        "yes": "sí",
        "no": "no",
        "failed_title": "Esta lección no se pudo ejecutar",
        "failed_body": "La compilación se detendría aquí. Corrige el error y guarda el archivo:",
    },
    "en": {
        "ran_on": "Executed on",
        "cached": "cached result of a run on",
        "fresh": "executed in this build, on",
        "download": "Download",
        "script": "the script",
        "notebook": "the executed notebook",
        "budget": "Budget: {s} s on 2 CPU cores",
        "provenance": "Provenance of the results",
        "device": "Device",
        "versions": "Versions",
        "time": "Execution time",
        "date": "Date",
        "from_cache": "From the cache",
        "yes": "yes",
        "no": "no",
        "failed_title": "This lesson could not be executed",
        "failed_body": "A build would stop here. Fix the error and save the file:",
    },
}


# Characters that Markdown and its extensions here (tables, attr_list, arithmatex) act on in
# the middle of a line; ``<``, ``>``, ``&`` and quotes are left to html.escape.
_MARKDOWN_ACTIVE = {ord(c): f"&#{ord(c)};" for c in "\\`*_[]{}|$"}


def untrusted(value: object) -> str:
    """A value from notebook metadata as inert page text: one line, HTML-escaped (quotes too),
    Markdown syntax neutralised. Safe in Markdown text, table cells, admonition titles and
    HTML attribute values."""
    text = " ".join(str(value).split())
    return html.escape(text, quote=True).translate(_MARKDOWN_ACTIVE)


def _seconds(value: object) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"{value:.1f} s"
    return untrusted(value)


def _pixels(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None


def figure_name(cell_index: int, figure_index: int) -> str:
    return f"fig-{cell_index:02d}-{figure_index}.png"


def _text_output(text: str) -> str:
    return f'<pre class="lesson-output"><code>{html.escape(text.rstrip())}</code></pre>'


def _figure(name: str, output: nbformat.NotebookNode, lang: str) -> str:
    alt = output.metadata.get("alt", {})
    alt = alt.get(lang, "") if isinstance(alt, dict) else ""
    width, height = _pixels(output.metadata.get("width")), _pixels(output.metadata.get("height"))
    size = f' width="{width}" height="{height}"' if width and height else ""
    return (
        f'<figure class="lesson-figure"><img src="{name}" alt="{untrusted(alt)}"{size} '
        f'loading="lazy"></figure>'
    )


def _executed(run: LessonRun) -> nbformat.NotebookNode:
    """The run's notebook: only a failed run has none, and failed runs are never rendered."""
    assert run.notebook is not None, f"{run.lesson.id} has no executed notebook"
    return run.notebook


def _provenance(run: LessonRun, lang: str) -> str:
    t = TEXT[lang]
    execution = _executed(run).metadata["execution"]
    versions = execution["versions"]
    version_text = ", ".join(
        f"{name} {untrusted(versions[name])}"
        for name in ("torch", "pytorch-lightning", "python")
        if name in versions
    )
    device = execution["device"]
    rows = [
        (
            t["device"],
            f"{untrusted(device['name'])} (<code>{untrusted(device['kind'])}</code>)",
        ),
        (t["versions"], version_text),
        (t["time"], _seconds(execution["duration_s"])),
        (t["date"], untrusted(execution["date"])),
        (t["from_cache"], t["yes"] if run.from_cache else t["no"]),
    ]
    table = "\n".join(f"| {key} | {value} |" for key, value in rows)
    return f"\n\n## {t['provenance']} {{ #provenance .lesson-provenance }}\n\n| | |\n|---|---|\n{table}\n"


def _header(lesson: Lesson, run: LessonRun, lang: str) -> str:
    t = TEXT[lang]
    execution = _executed(run).metadata["execution"]
    when = t["cached"] if run.from_cache else t["fresh"]
    return (
        f'!!! info "{t["ran_on"]}: {untrusted(execution["device"]["name"])}"\n'
        f"    {when.capitalize()} {untrusted(execution['date'])} · "
        f"{_seconds(execution['duration_s'])} · "
        f"{t['budget'].format(s=lesson.meta.budget_cpu_s)}.\n"
        f'    {t["download"]}: <a href="{lesson.id}.py" download>{t["script"]}</a> · '
        f'<a href="{lesson.id}.ipynb" download>{t["notebook"]}</a>\n\n'
    )


def render_lesson(run: LessonRun, lang: str) -> str:
    """Markdown of the lesson page: title, prose of ``lang``, code, outputs, provenance."""
    lesson = run.lesson
    parts = [f"# {lesson.meta.title[lang]}\n\n", _header(lesson, run, lang)]
    executed = iter(_executed(run).cells)
    root = source_root(lesson.path.parent)
    code_index = 0  # counted here, not read from the notebook: it names the figure files
    for cell in lesson.cells:
        if cell.kind == "markdown":
            if cell.lang == lang:
                parts.append(expand(cell.source.strip(), root) + "\n\n")
            continue
        nb_cell = next(executed)
        code_index += 1
        parts.append(f"```python\n{cell.source.strip()}\n```\n\n")
        figure_index = 0
        for output in nb_cell.outputs:
            if output.output_type == "stream":
                parts.append(_text_output(output.text) + "\n\n")
            elif "image/png" in output.get("data", {}):
                figure_index += 1
                parts.append(_figure(figure_name(code_index, figure_index), output, lang) + "\n\n")
            elif output.output_type == "execute_result":
                parts.append(_text_output(output.data["text/plain"]) + "\n\n")
    parts.append(_provenance(run, lang))
    return "".join(parts)


def render_failure(failure: LessonFailure, lang: str) -> str:
    """The page shown by ``mkdocs serve`` while a lesson is broken (never in a build)."""
    t = TEXT[lang]
    title = failure.lesson.meta.title[lang]
    return (
        f'# {title}\n\n!!! failure "{t["failed_title"]}"\n    {t["failed_body"]}\n\n'
        f"    <code>{untrusted(failure)}</code>\n"
    )


def executed_notebook(run: LessonRun, lang: str) -> nbformat.NotebookNode:
    """A downloadable notebook: this language's prose interleaved with the executed code cells."""
    lesson = run.lesson
    notebook = nbformat.v4.new_notebook()
    notebook.metadata.update(
        kernelspec={"name": "python3", "display_name": "Python 3", "language": "python"},
        language_info={"name": "python"},
    )
    executed = iter(_executed(run).cells)
    for index, cell in enumerate(lesson.cells):
        if cell.kind == "markdown" and cell.lang == lang:
            nb_cell = nbformat.v4.new_markdown_cell(
                expand(cell.source, source_root(lesson.path.parent))
            )
        elif cell.kind == "code":
            nb_cell = next(executed).copy()
            nb_cell.metadata = {}
        else:
            continue
        nb_cell.id = f"{lesson.id}-{index:03d}"  # stable ids: identical runs give identical files
        notebook.cells.append(nb_cell)
    return notebook


def page_assets(run: LessonRun, lang: str) -> dict[str, bytes]:
    """Files written next to the lesson page: figures, the script and the notebook."""
    lesson = run.lesson
    assets: dict[str, bytes] = {f"{lesson.id}.py": lesson.path.read_bytes()}
    for code_index, nb_cell in enumerate(_executed(run).cells, start=1):
        figure_index = 0
        for output in nb_cell.outputs:
            if "image/png" in output.get("data", {}):
                figure_index += 1
                name = figure_name(code_index, figure_index)
                assets[name] = base64.b64decode(output.data["image/png"])
    assets[f"{lesson.id}.ipynb"] = nbformat.writes(executed_notebook(run, lang)).encode()
    return assets
