"""Turn an executed lesson into the Markdown of its page in one language.

Figures are not inlined as base64: they are written as PNG files next to the page (see
``page_assets``), which keeps a lesson page's HTML small. The page also links a download
of the script and of the executed notebook in the page's language, both made to run outside
the site (see :mod:`coursebuild.standalone`).

Everything taken from the executed notebook's metadata (device, versions, date, duration,
figure alt text and size, error text) is treated as untrusted text: it reaches the page
HTML-escaped, on one line, with the characters Markdown would act on written as character
references, so a device named ``<script>...`` or ``[x](javascript:...)`` shows as text.
"""

from __future__ import annotations

import base64
import html
import re

import nbformat
from dlcourse.bilingual import resolve
from dlcourse.formatting import format_number

from coursebuild.cache import source_root
from coursebuild.executor import LessonFailure, LessonRun
from coursebuild.glue import fill
from coursebuild.lesson import Cell, Lesson
from coursebuild.standalone import (
    Downloads,
    device_cell,
    jupyter_markdown,
    script_heading,
    script_preamble,
    setup_cell,
)
from coursebuild.taught_code import expand

TEXT = {
    "es": {
        "ran_on": "Ejecutada en",
        "cached": "resultado en caché de una ejecución del",
        "fresh": "ejecutada en esta compilación, el",
        "download": "Descargar",
        "script": "el script",
        "notebook": "el cuaderno ejecutado",
        "script_says": "un programa de Python con los textos en español, que se ejecuta con "
        "`python {script}` después de instalar el paquete del curso con `{install}`",
        "notebook_says": "con sus salidas, para abrirlo en Jupyter o en un servicio de cuadernos "
        "alojado; su primera celda instala el paquete del curso si falta",
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
        "solution": "Solución",
        "running_title": "Esta lección se está ejecutando",
        "running_body": "Su código cambió; la página se actualizará sola cuando termine.",
        "running_previous": "Mientras tanto se muestran los resultados de la ejecución anterior.",
    },
    "en": {
        "ran_on": "Executed on",
        "cached": "cached result of a run on",
        "fresh": "executed in this build, on",
        "download": "Download",
        "script": "the script",
        "notebook": "the executed notebook",
        "script_says": "a plain Python program with its texts in English, which runs with "
        "`python {script}` once the course package is installed with `{install}`",
        "notebook_says": "with its outputs, to open in Jupyter or on a hosted notebook service; "
        "its first cell installs the course package when it is missing",
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
        "solution": "Solution",
        "running_title": "This lesson is running",
        "running_body": "Its code changed; the page updates itself when the run ends.",
        "running_previous": "Meanwhile, the results of the previous run are shown.",
    },
}


# Characters that Markdown and its extensions here (tables, attr_list, arithmatex) act on in
# the middle of a line; ``<``, ``>``, ``&`` and quotes are left to html.escape.
_MARKDOWN_ACTIVE = {ord(c): f"&#{ord(c)};" for c in "\\`*_[]{}|$"}


# Runs of whitespace that may break a line; the no-break spaces of numbers (U+00A0 before
# «%», U+202F between thousands) are kept.
_BREAKING_SPACE = re.compile(r"[^\S\u00a0\u202f]+")


def untrusted(value: object) -> str:
    """A value from notebook metadata as inert page text: one line, HTML-escaped (quotes too),
    Markdown syntax neutralised. Safe in Markdown text, table cells, admonition titles and
    HTML attribute values."""
    text = _BREAKING_SPACE.sub(" ", str(value)).strip()
    return html.escape(text, quote=True).translate(_MARKDOWN_ACTIVE)


def seconds(value: float, lang: str) -> str:
    """A run time as the page's language writes it: ``1,7 s`` in Spanish, ``1.7 s`` in English."""
    return f"{format_number(value, '.1f', lang)} s"


def _seconds(value: object, lang: str) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return seconds(value, lang)
    return untrusted(value)


def _pixels(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None


def figure_name(cell_index: int, figure_index: int) -> str:
    return f"fig-{cell_index:02d}-{figure_index}.png"


def _text_output(text: str, lang: str) -> str:
    shown = html.escape(resolve(text, lang).rstrip())
    return f'<pre class="lesson-output"><code>{shown}</code></pre>'


def figure_png(output: nbformat.NotebookNode, lang: str) -> bytes:
    """The image of a figure output in ``lang`` (one image serves every language whose
    texts are the same as the default's)."""
    images = output.metadata.get("images") or {}
    return base64.b64decode(images.get(lang) or output.data["image/png"])


def _figure(name: str, output: nbformat.NotebookNode, lang: str) -> str:
    alt = output.metadata.get("alt", {})
    alt = resolve(alt.get(lang, ""), lang) if isinstance(alt, dict) else ""
    width, height = _pixels(output.metadata.get("width")), _pixels(output.metadata.get("height"))
    size = f' width="{width}" height="{height}"' if width and height else ""
    return (
        f'<figure class="lesson-figure"><img src="{name}" alt="{untrusted(alt)}"{size} '
        f'loading="lazy"></figure>'
    )


def _executed_cells(run: LessonRun) -> dict[int, nbformat.NotebookNode]:
    """The executed code cells by the line where each starts in the lesson as parsed now.

    Matched by position, not by the line the run saw: a prose edit moves the code's lines
    without running it again, and the code cells (solutions last) are in the run's order.
    """
    cells = _executed(run).cells
    code = run.lesson.code_cells
    assert len(cells) == len(code), f"{run.lesson.id}: the run has {len(cells)} code cells"
    return {cell.line: executed for cell, executed in zip(code, cells, strict=True)}


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
            f"{untrusted(resolve(device['name'], lang))} (<code>{untrusted(device['kind'])}</code>)",
        ),
        (t["versions"], version_text),
        (t["time"], _seconds(execution["duration_s"], lang)),
        (t["date"], untrusted(execution["date"])),
        (t["from_cache"], t["yes"] if run.from_cache else t["no"]),
    ]
    table = "\n".join(f"| {key} | {value} |" for key, value in rows)
    return f"\n\n## {t['provenance']} {{ #provenance .lesson-provenance }}\n\n| | |\n|---|---|\n{table}\n"


def _downloads(run: LessonRun, downloads: Downloads | None) -> Downloads:
    """Where downloads install from; without a site (the standalone pipeline), the wheel file."""
    return downloads or Downloads.unpublished(run.lesson.path.parent)


def _header(lesson: Lesson, run: LessonRun, lang: str, downloads: Downloads) -> str:
    t = TEXT[lang]
    execution = _executed(run).metadata["execution"]
    when = t["cached"] if run.from_cache else t["fresh"]
    script_says = t["script_says"].format(
        script=f"{lesson.id}.py", install=downloads.install_command()
    )
    return (
        f'!!! info "{t["ran_on"]}: {untrusted(resolve(execution["device"]["name"], lang))}"\n'
        f"    {when.capitalize()} {untrusted(execution['date'])} · "
        f"{_seconds(execution['duration_s'], lang)} · "
        f"{t['budget'].format(s=lesson.meta.budget_cpu_s)}.\n\n"
        f"    {t['download']}:\n\n"
        f'    - <a href="{lesson.id}.py" download>{t["script"]}</a>: {script_says}.\n'
        f'    - <a href="{lesson.id}.ipynb" download>{t["notebook"]}</a>: '
        f"{t['notebook_says']}.\n\n"
    )


def _groups(lesson: Lesson) -> list[tuple[str | None, list[Cell]]]:
    """The lesson's cells in page order, each solution's cells gathered under its exercise."""
    groups: list[tuple[str | None, list[Cell]]] = []
    for cell in lesson.cells:
        if cell.solution is not None and groups and groups[-1][0] == cell.solution:
            groups[-1][1].append(cell)
        else:
            groups.append((cell.solution, [cell]))
    return groups


def _prose(cell: Cell, run: LessonRun, lang: str, *, html: bool = True) -> str:
    """A markdown cell as the page of ``lang`` shows it: taught code and values from the run."""
    execution = _executed(run).metadata["execution"]
    text = expand(cell.source.strip(), source_root(run.lesson.path.parent))
    return fill(
        text,
        execution.get("values", {}),
        execution.get("claims", {}),
        lang,
        escape=untrusted if html else str,
        html=html,
    )


def _outputs(nb_cell: nbformat.NotebookNode, code_index: int, lang: str) -> list[str]:
    parts = []
    figure_index = 0
    for output in nb_cell.outputs:
        if output.output_type == "stream":
            parts.append(_text_output(output.text, lang))
        elif "image/png" in output.get("data", {}):
            figure_index += 1
            parts.append(_figure(figure_name(code_index, figure_index), output, lang))
        elif output.output_type == "execute_result":
            parts.append(_text_output(output.data["text/plain"], lang))
    return parts


def render_lesson(run: LessonRun, lang: str, downloads: Downloads | None = None) -> str:
    """Markdown of the lesson page: title, prose of ``lang``, code, outputs (solutions folded
    under their exercise), provenance."""
    lesson = run.lesson
    t = TEXT[lang]
    parts = [
        f"# {lesson.meta.title[lang]}\n\n",
        _header(lesson, run, lang, _downloads(run, downloads)),
    ]
    executed = _executed_cells(run)
    code_index = 0  # counted here, not read from the notebook: it names the figure files
    for solution, cells in _groups(lesson):
        if solution is not None:
            parts.append(
                f'<details class="success" markdown="1">\n'
                f"<summary>{t['solution']} {untrusted(solution)}</summary>\n\n"
            )
        for cell in cells:
            if cell.kind == "markdown":
                if cell.lang == lang:
                    parts.append(_prose(cell, run, lang) + "\n\n")
                continue
            code_index += 1
            parts.append(f"```python\n{cell.source.strip()}\n```\n\n")
            parts.extend(part + "\n\n" for part in _outputs(executed[cell.line], code_index, lang))
        if solution is not None:
            parts.append("</details>\n\n")
    parts.append(_provenance(run, lang))
    return "".join(parts)


def render_failure(failure: LessonFailure, lang: str) -> str:
    """The page shown by ``mkdocs serve`` while a lesson is broken (never in a build)."""
    return render_error(failure.lesson.meta.title[lang], str(failure), lang)


def render_error(title: str, message: str, lang: str) -> str:
    """An error page: the lesson's title and the one-line error (file, line and reason)."""
    t = TEXT[lang]
    return (
        f'# {title}\n\n!!! failure "{t["failed_title"]}"\n    {t["failed_body"]}\n\n'
        f"    <code>{untrusted(message)}</code>\n"
    )


def render_running(lesson: Lesson, lang: str, *, previous: str | None) -> str:
    """Under ``mkdocs serve``, a lesson whose code changed while it runs again: a notice,
    then the page of its previous run if there is one (never in a build)."""
    t = TEXT[lang]
    body = t["running_body"] + (f" {t['running_previous']}" if previous else "")
    notice = f'!!! info "{t["running_title"]}"\n    {body}\n\n'
    if previous is None:
        return f"# {lesson.meta.title[lang]}\n\n{notice}"
    title, _, rest = previous.partition("\n")
    return f"{title}\n\n{notice}{rest.lstrip()}" if title.startswith("# ") else notice + previous


def _in_language(nb_cell: nbformat.NotebookNode, lang: str) -> nbformat.NotebookNode:
    """An executed code cell with its printed output and figures in ``lang``."""
    cell = nb_cell.copy()
    cell.metadata, cell.outputs = {}, []
    for output in nb_cell.outputs:
        output = output.copy()
        if output.output_type == "stream":
            output.text = resolve(output.text, lang)
        elif "image/png" in output.get("data", {}):
            output.data = {
                "image/png": base64.b64encode(figure_png(output, lang)).decode(),
                "text/plain": resolve(output.metadata.get("alt", {}).get(lang, ""), lang),
            }
            output.metadata = {}
        elif output.output_type == "execute_result":
            output.data = {"text/plain": resolve(output.data["text/plain"], lang)}
        cell.outputs.append(output)
    return cell


def executed_notebook(
    run: LessonRun, lang: str, downloads: Downloads | None = None
) -> nbformat.NotebookNode:
    """A downloadable notebook in ``lang`` that runs as it is: a setup cell, its prose (values
    from the run filled in, in Markdown that Jupyter renders) and the executed code cells
    with their outputs and figures in that language."""
    lesson = run.lesson
    t = TEXT[lang]
    downloads = _downloads(run, downloads)
    notebook = nbformat.v4.new_notebook()
    notebook.metadata.update(
        kernelspec={"name": "python3", "display_name": "Python 3", "language": "python"},
        language_info={"name": "python"},
    )
    setup = nbformat.v4.new_code_cell(setup_cell(downloads, lang))
    setup.id = f"{lesson.id}-setup"
    notebook.cells.append(setup)
    source = f"lessons/{lesson.id}.md"  # links in the prose are relative to the lesson's page

    def jupyter(text: str) -> str:
        return jupyter_markdown(text, lambda target: downloads.page_url(target, source, lang))

    executed = _executed_cells(run)
    index = 0
    for solution, cells in _groups(lesson):
        folded = solution is not None and any(
            c.kind == "markdown" and c.lang == lang for c in cells
        )
        if solution is not None and not folded:
            heading = nbformat.v4.new_markdown_cell(f"**{t['solution']} {solution}**")
            heading.id = f"{lesson.id}-solution-{index:03d}"
            notebook.cells.append(heading)
        for cell in cells:
            index += 1
            if cell.kind == "markdown" and cell.lang == lang:
                text = jupyter(_prose(cell, run, lang, html=False))
                if folded:  # the exercise's answer, folded as on the page
                    summary = f"<summary><b>{t['solution']} {solution}</b></summary>"
                    text = f"<details>\n{summary}\n\n{text}\n\n</details>"
                    folded = False
                nb_cell = nbformat.v4.new_markdown_cell(text)
            elif cell.kind == "code":
                nb_cell = _in_language(executed[cell.line], lang)
            else:
                continue
            nb_cell.id = f"{lesson.id}-{index:03d}"  # stable ids: identical runs, identical files
            notebook.cells.append(nb_cell)
    device = nbformat.v4.new_code_cell(device_cell(lang))
    device.id = f"{lesson.id}-device"
    notebook.cells.append(device)
    return notebook


def lesson_script(run: LessonRun, lang: str, downloads: Downloads | None = None) -> str:
    """The downloadable script in ``lang``: the notebook's prose as comments and its code, in
    jupytext's percent format, opened by a preamble that names the install command when the
    course package is missing."""
    import jupytext

    downloads = _downloads(run, downloads)
    notebook = executed_notebook(run, lang, downloads)
    notebook.cells[0] = nbformat.v4.new_code_cell(script_preamble(downloads, lang))
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    title = run.lesson.meta.title[lang]
    heading = nbformat.v4.new_markdown_cell(script_heading(downloads, lang, title))
    notebook.cells.insert(0, heading)
    notebook.metadata["jupytext"] = {
        "notebook_metadata_filter": "-all",
        "cell_metadata_filter": "-all",
    }
    return jupytext.writes(notebook, fmt="py:percent")


def page_assets(run: LessonRun, lang: str, downloads: Downloads | None = None) -> dict[str, bytes]:
    """Files written next to the lesson page: figures, the script and the notebook, in
    ``lang``."""
    lesson = run.lesson
    assets: dict[str, bytes] = {f"{lesson.id}.py": lesson_script(run, lang, downloads).encode()}
    executed = _executed_cells(run)
    for code_index, cell in enumerate(lesson.code_cells, start=1):
        figure_index = 0
        for output in executed[cell.line].outputs if cell.line in executed else []:
            if "image/png" in output.get("data", {}):
                figure_index += 1
                assets[figure_name(code_index, figure_index)] = figure_png(output, lang)
    notebook = executed_notebook(run, lang, downloads)
    assets[f"{lesson.id}.ipynb"] = nbformat.writes(notebook).encode()
    return assets
