"""Execute one lesson in the current process and write the executed notebook.

Run as ``python -m coursebuild.runner LESSON.py OUT.ipynb PROGRESS LANGUAGES`` by the executor,
one process per lesson, so lessons cannot leak state into each other. The runner is
deliberately not a Jupyter kernel: cells are compiled and run in one namespace, their
stdout and figures are captured, and the result is a plain nbformat notebook that both
languages share.

Each cell is compiled under the lesson's own file name, padded so that its first line has
its real line number in the ``.py`` file (as sphinx-gallery does): a traceback points at
``lessons/<lesson>.py`` line by line, not at "cell 3, line 2".
"""

from __future__ import annotations

import ast
import base64
import contextlib
import datetime as dt
import importlib
import io
import json
import os
import platform
import resource
import sys
import tempfile
import time
import traceback
import warnings
from importlib import metadata
from pathlib import Path
from types import ModuleType

import nbformat

from coursebuild.languages import Languages
from coursebuild.lesson import Cell, Lesson, load_lesson


def _bilingual() -> ModuleType | None:
    """``dlcourse.bilingual`` of the course package the lesson runs with; None for a package
    without it (its lessons cannot write bilingual texts: there is nothing to resolve)."""
    try:
        return importlib.import_module("dlcourse.bilingual")
    except ImportError:
        return None


def resolve(text: str, language: str) -> str:
    module = _bilingual()
    return text if module is None else module.resolve(text, language)


def localize(number_text: str, language: str) -> str:
    """A tick label as ``language`` writes numbers (``dlcourse.formatting.localize`` of the
    lesson's course package; unchanged for a package without it)."""
    try:
        module = importlib.import_module("dlcourse.formatting")
    except ImportError:
        return number_text
    return module.localize(number_text, language)


def is_bilingual(text: str) -> bool:
    module = _bilingual()
    return module is not None and module.is_bilingual(text)


def tr(*, es: str, en: str) -> str:
    module = _bilingual()
    return en if module is None else module.tr(es=es, en=en)


PUBLISH_VARIABLE = "DLCOURSE_PUBLISH"  # read by dlcourse.bilingual.publish and claim


TRACKED_LIBRARIES = (
    "torch",
    "pytorch-lightning",
    "torchmetrics",
    "numpy",
    "scikit-learn",
    "matplotlib",
)


def library_versions() -> dict[str, str]:
    """Versions of the libraries whose behavior shows in lesson outputs."""
    versions = {"python": platform.python_version()}
    for name in TRACKED_LIBRARIES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "absent"
    return versions


def _describe_device() -> dict[str, str]:
    import torch

    # The device that produced the outputs, not merely the one present: a lesson that keeps
    # its tensors on the CPU of a GPU machine says so.
    used_gpu = torch.cuda.is_available() and torch.cuda.is_initialized()
    if used_gpu and torch.cuda.max_memory_allocated() > 0:
        return {"kind": "cuda", "name": torch.cuda.get_device_name(0)}
    cpu = platform.processor() or platform.machine()
    count, threads = os.cpu_count() or 1, torch.get_num_threads()
    cores = tr(es=f"{count} núcleo{'s' * (count != 1)}", en=f"{count} core{'s' * (count != 1)}")
    used = tr(
        es=f"{threads} hilo{'s' * (threads != 1)}", en=f"{threads} thread{'s' * (threads != 1)}"
    )
    return {"kind": "cpu", "name": f"CPU ({cpu}, {cores}, {used})"}


def _figure_alt(fig) -> dict[str, str]:
    """Alt text of a figure: set by dlcourse.plotting, or composed from its titles and labels."""
    explicit = getattr(fig, "course_alt", None)
    if explicit:
        return dict(explicit)
    parts = []
    if fig._suptitle is not None and fig._suptitle.get_text():
        parts.append(fig._suptitle.get_text())
    for ax in fig.axes:
        bits = [t for t in (ax.get_title(), ax.get_xlabel(), ax.get_ylabel()) if t]
        if bits:
            parts.append(" · ".join(bits))
    text = "; ".join(parts) or "figure"
    return {"es": f"Figura: {text}", "en": f"Figure: {text}"}  # resolved per language later


def _is_plot_object(value: object) -> bool:
    """True for matplotlib objects (a figure, axes, a legend, a list of lines...).

    A cell ending in ``ax.legend()`` or ``set_alt(fig, ...)`` returns such an object; its
    repr (``<Figure size ...>``, or an address that changes every run) says nothing the
    figure itself does not show, so it is not published.
    """
    if isinstance(value, (list, tuple)) and value:
        return all(_is_plot_object(item) for item in value)
    return type(value).__module__.split(".")[0] == "matplotlib"


def _nonfinite_artists(fig) -> list[str]:
    """What in a figure holds NaN or infinite data: matplotlib silently leaves such points
    out, so a figure would look fine while showing less than the run computed."""
    import numpy as np

    found = []
    for number, ax in enumerate(fig.axes, start=1):
        for line in ax.get_lines():
            if not np.isfinite(np.asarray(line.get_xydata(), dtype=float)).all():
                found.append(f"a line of axes {number} ({line.get_label()})")
        for collection in ax.collections:
            offsets = np.asarray(collection.get_offsets(), dtype=float)
            if offsets.size and not np.isfinite(offsets).all():
                found.append(f"points of axes {number} ({collection.get_label()})")
        for image in ax.get_images():
            values: np.ndarray = np.ma.filled(np.ma.asarray(image.get_array(), dtype=float), 0.0)
            if not np.isfinite(values).all():
                found.append(f"an image of axes {number}")
    return found


def _resolving_formatter(inner, language: str):
    """A tick formatter that gives the labels of ``inner`` in one language: categorical
    labels such as ``tr(es="gato", en="cat")`` are only formatted when the figure is drawn,
    and numeric axes take the language's decimal mark."""
    from matplotlib.ticker import Formatter, ScalarFormatter

    numeric = isinstance(inner, ScalarFormatter)

    def shown(text: object) -> str:
        text = resolve(str(text), language)
        return localize(text, language) if numeric else text

    class Resolving(Formatter):
        def __call__(self, x, pos=None):
            return shown(inner(x, pos))

        def format_ticks(self, values):
            return [shown(text) for text in inner.format_ticks(values)]

        def get_offset(self):
            return resolve(str(inner.get_offset()), language)

        def set_locs(self, locs):
            inner.set_locs(locs)

        def format_data(self, value):
            return inner.format_data(value)

        def format_data_short(self, value):
            return inner.format_data_short(value)

    return Resolving()


@contextlib.contextmanager
def _figure_in(fig, language: str):
    """Every text of ``fig`` (titles, labels, legends, annotations, tick labels) in one
    language while the block draws it; restored afterwards."""
    from matplotlib.text import Text

    texts = [(text, text.get_text()) for text in fig.findobj(Text)]
    axes = [axis for ax in fig.axes for axis in ax._axis_map.values()]
    formatters = [(axis, axis.get_major_formatter(), axis.get_minor_formatter()) for axis in axes]
    try:
        for text, content in texts:
            text.set_text(resolve(content, language))
        for axis, major, minor in formatters:
            axis.set_major_formatter(_resolving_formatter(major, language))
            axis.set_minor_formatter(_resolving_formatter(minor, language))
        yield
    finally:
        for text, content in texts:
            text.set_text(content)
        for axis, major, minor in formatters:
            axis.set_major_formatter(major)
            axis.set_minor_formatter(minor)


def _differs_by_language(fig) -> bool:
    """Whether ``fig`` looks different in some language: a bilingual text or tick label, or
    a decimal point on a numeric axis (else one image serves every language)."""
    from matplotlib.text import Text
    from matplotlib.ticker import ScalarFormatter

    fig.draw_without_rendering()  # tick labels exist only once laid out; no pixels needed
    if any(is_bilingual(text.get_text()) for text in fig.findobj(Text)):
        return True
    return any(
        "." in label.get_text()
        for ax in fig.axes
        for axis in ax._axis_map.values()
        if isinstance(axis.get_major_formatter(), ScalarFormatter)
        for label in axis.get_ticklabels()
    )


def _png(fig) -> str:
    buffer = io.BytesIO()
    # No Software/date metadata so that identical figures give identical bytes.
    fig.savefig(buffer, format="png", dpi=110, bbox_inches="tight", metadata={"Software": None})
    return base64.b64encode(buffer.getvalue()).decode()


def _capture_figures(languages: Languages) -> list[nbformat.NotebookNode]:
    """The open figures as PNG outputs, one image per language when their texts differ."""
    import matplotlib.pyplot as plt

    outputs = []
    for number in plt.get_fignums():
        fig = plt.figure(number)
        images = {}
        if _differs_by_language(fig):
            for language in languages:
                with _figure_in(fig, language):
                    images[language] = _png(fig)
        else:
            images[languages.default] = _png(fig)
        width, height = (int(v) for v in fig.get_size_inches() * 110)
        alt = _figure_alt(fig)
        outputs.append(
            nbformat.v4.new_output(
                "display_data",
                data={"image/png": images[languages.default], "text/plain": "<Figure>"},
                metadata={
                    "alt": {language: resolve(alt[language], language) for language in languages},
                    # the other languages' images, where their texts differ
                    "images": {k: v for k, v in images.items() if k != languages.default},
                    "width": width,
                    "height": height,
                    "nonfinite": _nonfinite_artists(fig),
                },
            )
        )
        plt.close(fig)
    return outputs


def _run_cell(cell: Cell, namespace: dict, filename: str) -> object:
    """Run a cell like Jupyter does: the value of a final bare expression is returned.

    The source is padded with the blank lines above it, so line numbers in tracebacks and
    in ``warnings`` are those of the lesson file (the cell's code starts after its marker).
    """
    tree = ast.parse("\n" * cell.line + cell.source, filename=filename)
    last_expr = None
    if tree.body and isinstance(final := tree.body[-1], ast.Expr):
        tree.body.pop()
        last_expr = ast.Expression(final.value)
    exec(compile(tree, filename, "exec"), namespace)
    if last_expr is not None:
        return eval(compile(last_expr, filename, "eval"), namespace)
    return None


def _peak_memory_mb() -> float:
    """Peak resident memory of this process and of any workers it started (Linux reports KiB)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def _lesson_line(exc: BaseException, filename: str) -> int | None:
    """The line of the lesson file where ``exc`` was raised (innermost frame in the lesson)."""
    line = None
    for frame, lineno in traceback.walk_tb(exc.__traceback__):
        if frame.f_code.co_filename == filename:
            line = lineno
    return line


def _read_published(sink: Path) -> list[dict]:
    """What the lesson published and claimed (:mod:`dlcourse.bilingual`), in order."""
    if not sink.exists():
        return []
    return [json.loads(line) for line in sink.read_text(encoding="utf-8").splitlines() if line]


def _cell_of(line: int | None, cells: list[Cell]) -> int | None:
    """The 1-based number of the code cell holding ``line`` (cells in file order)."""
    found = None
    for number, cell in enumerate(cells, start=1):
        if line is not None and cell.line <= line:
            found = number
    return found


def _published(entries: list[dict], cells: list[Cell]) -> tuple[dict, dict, list[dict]]:
    """Values and claims from the published entries, and the problems that fail the lesson
    (a name published twice, a claim that does not hold), each with its cell and line."""
    values: dict[str, dict] = {}
    claims: dict[str, dict] = {}
    problems = []
    for entry in entries:
        table = values if entry["kind"] == "value" else claims
        record = {k: v for k, v in entry.items() if k not in ("kind", "name")}
        record["cell"] = _cell_of(entry.get("line"), cells)
        where = {"cell": record["cell"], "line": entry.get("line")}
        if entry["name"] in table:
            message = f"{entry['kind']} {entry['name']!r} published twice"
            problems.append({**where, "ename": "PublishError", "message": message})
        table[entry["name"]] = record
        if entry["kind"] == "claim" and not entry["holds"]:
            message = (
                f"claim {entry['name']!r} does not hold in this run (cell {record['cell']}, "
                f'line {entry.get("line")}): "{entry["en"]}"'
            )
            problems.append({**where, "ename": "ClaimNotSupported", "message": message})
    return values, claims, problems


def execute_lesson(
    lesson: Lesson, languages: Languages, progress_path: Path | None = None
) -> nbformat.NotebookNode:
    """Execute the code cells of a lesson (the lesson's, then its solutions'); return a
    notebook with outputs, published values, checked claims and provenance."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.show = lambda *args, **kwargs: None  # figures are captured after each cell instead
    namespace: dict = {"__name__": "__main__", "__file__": str(lesson.path)}
    notebook = nbformat.v4.new_notebook()
    caught_warnings: list[str] = []
    error = None
    started = time.perf_counter()
    sink = Path(os.environ.get("DLCOURSE_WORKDIR") or tempfile.mkdtemp()) / "published.jsonl"
    sink.unlink(missing_ok=True)
    os.environ[PUBLISH_VARIABLE] = str(sink)

    def keep_warning(message, category, filename, lineno, file=None, line=None):
        caught_warnings.append(f"{category.__name__}: {message} ({Path(filename).name}:{lineno})")

    warnings.showwarning = keep_warning
    filename = str(lesson.path)
    cells = lesson.code_cells  # file order: the solutions' cells come last
    for index, cell in enumerate(cells):
        if progress_path is not None:
            progress_path.write_text(f"{index + 1} {cell.line}")
        stdout, stderr = io.StringIO(), io.StringIO()
        nb_cell = nbformat.v4.new_code_cell(cell.source)
        nb_cell.metadata["line"] = cell.line
        if cell.solution is not None:
            nb_cell.metadata["solution"] = cell.solution
        try:
            with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
                value = _run_cell(cell, namespace, filename)
        except BaseException as exc:  # noqa: BLE001 - any failure must be reported, not raised
            frames = traceback.format_exception(type(exc), exc, exc.__traceback__)
            solution = f" (in the solution of exercise {cell.solution})" if cell.solution else ""
            error = {
                "cell": index + 1,
                "line": _lesson_line(exc, filename) or cell.line,
                "ename": type(exc).__name__,
                "evalue": f"{exc}{solution}",
                "traceback": "".join(frames[-6:]),
            }
            value = None
        if stdout.getvalue():
            nb_cell.outputs.append(
                nbformat.v4.new_output("stream", name="stdout", text=stdout.getvalue())
            )
        if value is not None and not _is_plot_object(value):
            nb_cell.outputs.append(
                nbformat.v4.new_output(
                    "execute_result", data={"text/plain": repr(value)}, execution_count=index + 1
                )
            )
        nb_cell.outputs.extend(_capture_figures(languages))
        nb_cell.execution_count = index + 1
        if stderr.getvalue().strip():
            caught_warnings.append(f"cell {index + 1} stderr: {stderr.getvalue().strip()[:500]}")
        notebook.cells.append(nb_cell)
        if error is not None:
            break

    values, claims, problems = _published(_read_published(sink), cells)
    if error is None and problems:  # every failing claim is named, not just the first
        error = {
            "cell": problems[0]["cell"],
            "line": problems[0]["line"],
            "ename": problems[0]["ename"],
            "evalue": "; ".join(problem["message"] for problem in problems),
            "traceback": "\n".join(problem["message"] for problem in problems),
        }
    notebook.metadata["execution"] = {
        "duration_s": round(time.perf_counter() - started, 2),
        "date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "device": _describe_device(),
        "versions": library_versions(),
        "peak_rss_mb": round(_peak_memory_mb(), 1),
        "warnings": caught_warnings,
        "values": {name: record["text"] for name, record in values.items()},
        "claims": claims,
        "error": error,
        "complete": True,  # written last: a result without it was cut short
    }
    return notebook


def _prepare_process() -> None:
    """Quiet, seeded process: no progress bars, and the same numbers on every run."""
    import random

    import numpy as np
    import torch

    os.environ.setdefault("TQDM_DISABLE", "1")
    os.environ.setdefault("MPLBACKEND", "Agg")
    threads = os.environ.get("DLCOURSE_THREADS")
    if threads:
        torch.set_num_threads(int(threads))
    # Deterministic kernels where PyTorch has them (GPU scatter/embedding backward would
    # otherwise use atomics and print different digits from one build to the next); an op
    # without one only warns, and warnings go to the notebook's metadata, not the page.
    os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")
    torch.use_deterministic_algorithms(True, warn_only=True)
    # Both languages in one run (DLCOURSE_LANG=all comes with the lesson environment); every
    # seed shifted by DLCOURSE_SEED_SHIFT, through the course's own seeding function.
    try:
        from dlcourse.runtime import seed_all
    except ImportError:  # a course package without one: the seeds it would have had
        random.seed(0)
        np.random.seed(0)
        torch.manual_seed(0)
    else:
        seed_all(0)


def main(argv: list[str]) -> int:
    lesson_path, out_path, progress_path = (Path(a) for a in argv[1:4])
    languages = Languages(tuple(argv[4].split(",")))
    _prepare_process()
    lesson = load_lesson(lesson_path, languages)
    notebook = execute_lesson(lesson, languages, progress_path)
    tmp = out_path.with_suffix(".tmp")
    nbformat.write(notebook, tmp)
    tmp.replace(out_path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
