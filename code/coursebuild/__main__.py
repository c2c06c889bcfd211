"""Command line of the lesson pipeline: run lessons without building the site.

    python -m coursebuild lesson single-neuron          # run one lesson, check, render
    python -m coursebuild lesson tensors sgd --cached   # reuse valid cache entries
    python -m coursebuild render --out /tmp/pages       # every lesson, as the build would
    python -m coursebuild style                         # the style check of all the prose

Each lesson goes through the same runner, cache and output checks as ``mkdocs build``;
the rendered Markdown and figures of every language are written under ``--out`` (outside
``docs/``), and the command exits non-zero when a lesson fails, naming its file and line.
``style`` runs no lesson: it prints each style finding (:mod:`coursebuild.style`) as
``file:line: message`` and exits 1 when there is any.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from dlcourse.bilingual import resolve

from coursebuild.glossary import GlossaryError
from coursebuild.languages import from_mkdocs_yml
from coursebuild.lesson import LessonFormatError
from coursebuild.pipeline import Pipeline
from coursebuild.style import check_project, rule_counts

DEFAULT_OUT = Path(tempfile.gettempdir()) / "coursebuild" / "pages"


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m coursebuild", description=__doc__.split("\n")[0]
    )
    parser.add_argument(
        "--config", type=Path, default=Path("mkdocs.yml"), help="site config (languages)"
    )
    parser.add_argument("--lessons", type=Path, default=Path("lessons"), help="lessons folder")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where pages are written")
    commands = parser.add_subparsers(dest="command", required=True)
    one = commands.add_parser("lesson", help="run the named lessons (re-executed unless --cached)")
    one.add_argument("names", nargs="+", help="lesson slugs, e.g. single-neuron")
    one.add_argument("--cached", action="store_true", help="serve valid cache entries")
    commands.add_parser("render", help="bring every lesson up to date and render it")
    style = commands.add_parser("style", help="check terms and number typography of the prose")
    style.add_argument("--counts", action="store_true", help="also print the count per rule")
    return parser.parse_args(argv)


def _style(config: Path, counts: bool) -> int:
    """The style check of the project whose site config is ``config``."""
    root = config.resolve().parent
    try:
        findings = check_project(root, from_mkdocs_yml(config))
    except (GlossaryError, LessonFormatError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for finding in findings:
        print(finding)
    if counts:
        for rule, count in sorted(rule_counts(findings).items()):
            print(f"{rule}: {count}", file=sys.stderr)
    return 1 if findings else 0


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    if args.command == "style":
        return _style(args.config, args.counts)
    pipeline = Pipeline(args.lessons, from_mkdocs_yml(args.config), progress=print)
    started = time.perf_counter()
    try:
        pipeline.discover(args.names if args.command == "lesson" else None)
    except (LessonFormatError, FileNotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    force = args.command == "lesson" and not args.cached
    pipeline.execute(force=force)
    pages = pipeline.write(args.out)
    elapsed = time.perf_counter() - started
    for run in pipeline.runs.values():
        if run.failure:
            print(f"FAILED {run.failure}", file=sys.stderr)
            if run.failure.detail:
                print(run.failure.detail, file=sys.stderr)
            continue
        assert run.notebook is not None  # a run without a failure has its executed notebook
        execution = run.notebook.metadata["execution"]
        source = "from the cache" if run.from_cache else "executed"
        figures = sorted(
            p.name
            for p in (args.out / pipeline.languages.default / run.lesson.id).glob("fig-*.png")
        )
        print(
            f"{run.lesson.id}: {source}, {execution['duration_s']:.1f} s in the lesson process, "
            f"{len(figures)} figure(s), on {resolve(execution['device']['name'], 'en')}"
        )
    for page in pages:
        print(f"  {page}")
    print(f"done in {elapsed:.1f} s; pages under {args.out}")
    return 1 if pipeline.failures() else 0


if __name__ == "__main__":
    sys.exit(main())
