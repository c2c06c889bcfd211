"""Build benchmark: how long each kind of rebuild takes and how many lessons it executes.

Run from the repository root::

    python -m coursebuild.benchmark            # prints the table
    python -m coursebuild.benchmark --record   # also writes docs/_data/benchmark.json
    python -m coursebuild.benchmark --notebooks-only SITE [--record]   # only the downloads

Everything happens in a temporary copy of the repository with its own execution cache, so
the edits the scenarios make never touch the real tree. Torch threads are pinned to one per
lesson process (``DLCOURSE_THREADS=1``) so that the serial and the parallel cold builds
must print identical numbers, which the benchmark checks for every lesson.

Scenarios, in order: cold parallel build (empty cache), warm rebuild (no change), under
``mkdocs serve`` the time until an edit of a docs page and of a lesson's prose shows on the
served page (the median of three edits each, polled over HTTP), rebuild after a prose-only edit, after editing one lesson's code, after editing a package module,
the floor (a plain MkDocs + Material build of the same pages with every lesson page
replaced by its already rendered HTML, and the course plugin and every site hook removed), a
cold parallel build without the fork server (``DLCOURSE_POOL=0``: every lesson starts its own
interpreter), and a cold serial build. The printed numbers of the three cold builds must be
the same; the report also gives the sum of the lessons' own run times and how close the cold
build comes to it: cold / (sum / cores + warm rebuild).

After the cold build, every lesson's downloaded notebook (languages alternating) runs as a
student would run it, in a fresh environment outside the repository with no network
(:mod:`coursebuild.fresh_env`); one notebook that fails fails the benchmark. The count and
each notebook's time are recorded with the build timings.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import nbformat
from dlcourse.bilingual import resolve

from coursebuild.cache import BENCHMARK_RECORD
from coursebuild.fresh_env import network_isolation
from coursebuild.languages import Languages, from_mkdocs_yml

RAN = re.compile(r"ran (\S+)\.py in")
PROSE_EDIT = (
    "lessons/single-neuron.py",
    "## La idea\n#\n",
    "## La idea\n#\n# (Edición de prueba del benchmark.)\n#\n",
)
CODE_EDIT = (
    "lessons/single-neuron.py",
    "print(f\"{tr(es='dispositivo', en='device')}: {device.type}\")",
    "print(f\"{tr(es='dispositivo', en='device')}: {device.type} \")",
)
PACKAGE_EDIT = "code/dlcourse/models/__init__.py"
FLOOR = "floor (plain MkDocs + Material)"
# Under mkdocs serve: a page of docs/ and a lesson's prose, each edited three times.
SERVE_EDITS = (
    ("serve: docs page edit shown", "docs/concepts/embeddings.md", "concepts/embeddings/"),
    ("serve: lesson prose edit shown", "lessons/single-neuron.py", "lessons/single-neuron/"),
)
SERVE_MARK = "## La idea\n#\n"


def copy_repository(root: Path, target: Path) -> None:
    """Copy tracked and untracked-but-not-ignored files: what a fresh checkout would hold."""
    listed = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard"],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    for name in listed:
        source = root / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)


def build(
    repo: Path, env: dict[str, str], site: Path, config: str = "mkdocs.yml"
) -> tuple[float, int]:
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", config, "-d", str(site)],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
    )
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"build failed in {repo}:\n{result.stderr[-4000:]}")
    return elapsed, len(RAN.findall(result.stderr + result.stdout))


def _fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=120) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def _wait_for(url: str, text: str, limit: float) -> float:
    started = time.perf_counter()
    while time.perf_counter() - started < limit:
        if text in _fetch(url):
            return time.perf_counter() - started
        time.sleep(0.05)
    raise SystemExit(f"benchmark: {text!r} did not show on {url} within {limit:.0f} s")


def serve_latency(repo: Path, env: dict[str, str]) -> list[tuple[str, float, int]]:
    """Seconds from saving an edit to the served page showing it, under ``mkdocs serve``
    (warm cache): the median of three edits of each kind, and the lessons that ran."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log_path = repo.parent / "serve.log"
    rows = []
    with open(log_path, "w", encoding="utf-8") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
            cwd=repo,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            served = _served_at(log_path, limit=900)
            _wait_for(served, "<html", limit=60)
            time.sleep(1.5)  # the watcher's first poll
            started_runs = len(RAN.findall(log_path.read_text(encoding="utf-8")))
            for name, relative, page in SERVE_EDITS:
                path = repo / relative
                original = path.read_text(encoding="utf-8")
                seconds = []
                for attempt in range(3):
                    mark = f"Benchmark{attempt}{relative.count('/')}Mark"
                    if path.suffix == ".md":
                        changed = original + f"\n{mark}\n"
                    else:
                        changed = original.replace(SERVE_MARK, f"{SERVE_MARK}# {mark}\n#\n", 1)
                    path.write_text(changed, encoding="utf-8")
                    seconds.append(_wait_for(served + page, mark, limit=120))
                    time.sleep(1)
                path.write_text(original, encoding="utf-8")
                time.sleep(3)
                ran = len(RAN.findall(log_path.read_text(encoding="utf-8"))) - started_runs
                rows.append((name, statistics.median(seconds), ran))
        finally:
            server.terminate()
            server.wait(timeout=60)
    return rows


def _served_at(log_path: Path, limit: float) -> str:
    """The address ``mkdocs serve`` says it serves on, once its first build is done."""
    started = time.perf_counter()
    while time.perf_counter() - started < limit:
        found = re.search(r"Serving on (http://\S+/)", log_path.read_text(encoding="utf-8"))
        if found:
            return found.group(1)
        time.sleep(0.2)
    raise SystemExit(f"benchmark: mkdocs serve did not start within {limit:.0f} s")


def edit(repo: Path, relative: str, old: str, new: str) -> None:
    path = repo / relative
    text = path.read_text(encoding="utf-8")
    if old not in text:
        raise SystemExit(f"benchmark edit target not found in {relative}: {old!r}")
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# Wall-clock measurements (a duration, or a speed-up ratio) are the only printed numbers
# allowed to differ between runs; lessons that time something print them with their unit.
# Leading blanks are part of the match: a right-aligned column pads "9.1 ms" and "12.3 ms"
# differently, and that padding is as much a wall-clock artefact as the digits.
WALL_CLOCK = re.compile(r" *\b\d+(?:[.,]\d+)?\s?(?:ms|µs|s|×|GFLOP/s)(?![\w])")


def printed_numbers(cache: Path) -> dict[str, list[str]]:
    """Every lesson's printed output (stdout streams), timings masked, from an execution cache."""
    outputs = {}
    for entry in sorted((cache / "lessons").glob("*/*.ipynb")):
        notebook = nbformat.read(entry, as_version=4)
        outputs[entry.parent.name] = [
            WALL_CLOCK.sub(" <time>", resolve(o.text, "en"))
            for c in notebook.cells
            for o in c.outputs
            if o.output_type == "stream"
        ]
    return outputs


def lesson_stats(cache: Path) -> list[dict]:
    rows = []
    for entry in sorted((cache / "lessons").glob("*/*.ipynb")):
        execution = nbformat.read(entry, as_version=4).metadata["execution"]
        rows.append(
            {
                "lesson": entry.parent.name,
                "seconds": execution["duration_s"],
                "peak_mb": execution.get("peak_rss_mb"),
                "device": resolve(execution["device"]["name"], "en"),
            }
        )
    return sorted(rows, key=lambda row: -row["seconds"])


def make_floor(repo: Path, site: Path) -> str:
    """A copy of the site sources where lesson pages are plain Markdown; returns its config."""
    floor_docs = repo / "docs"
    for mount in sorted(floor_docs.glob("lessons/*.md")):
        text = mount.read_text(encoding="utf-8")
        match = re.search(r"^lesson:\s*(\S+)", text, re.MULTILINE)
        if not match:
            continue
        lang_dir = (
            site / ("en" if mount.name.endswith(".en.md") else "") / "lessons" / match.group(1)
        )
        built = (lang_dir / "index.html").read_text(encoding="utf-8")
        article = built[built.index("<article") : built.index("</article>") + len("</article>")]
        mount.write_text(f'<div markdown="0">\n{article}\n</div>\n', encoding="utf-8")
    config = (repo / "mkdocs.yml").read_text(encoding="utf-8")
    floor = without_course_machinery(config)
    (repo / "mkdocs-floor.yml").write_text(floor, encoding="utf-8")
    return "mkdocs-floor.yml"


def without_course_machinery(config: str) -> str:
    """``mkdocs.yml`` with the course's plugin and every site hook removed: what MkDocs,
    Material and the third-party plugins cost on their own."""
    if "  - course-lessons\n" not in config or "\nhooks:\n" not in config:
        raise SystemExit("benchmark: mkdocs.yml no longer has the course plugin and hooks")
    config = config.replace("  - course-lessons\n", "")
    return re.sub(r"\nhooks:\n(?:  - .*\n)+", "\n", config)


def weights(site: Path, languages: Languages) -> dict:
    lessons = {}
    for page in site.glob("lessons/*/index.html"):
        images = sum(p.stat().st_size for p in page.parent.glob("fig-*.png"))
        lessons[page.parent.name] = (page.stat().st_size, page.stat().st_size + images)
    heaviest = max(lessons, key=lambda k: lessons[k][1])
    return {
        "heaviest_lesson": heaviest,
        "html_kb": round(lessons[heaviest][0] / 1024, 1),
        "with_images_kb": round(lessons[heaviest][1] / 1024, 1),
        "max_html_kb": round(max(v[0] for v in lessons.values()) / 1024, 1),
        "search_index_kb": {
            lang: round((site / prefix / "search" / "search_index.json").stat().st_size / 1024, 1)
            for lang, prefix in (
                (code, "" if code == languages.default else code) for code in languages
            )
        },
    }


def run_notebooks(site: Path, languages: Languages, jobs: int = 2) -> dict:
    """Run every downloaded notebook of ``site`` in a fresh environment, offline; exits
    naming the notebooks that failed."""
    notebook = next(site.glob("lessons/*/*.ipynb"))
    setup = nbformat.read(notebook, as_version=4).cells[0].source
    wheel_url = re.search(r'WHEEL = "([^"]+)"', setup)
    if wheel_url is None:
        raise SystemExit(f"{notebook}: no setup cell naming the course wheel")
    with tempfile.TemporaryDirectory(prefix="dlcourse-student-") as work:
        done = subprocess.run(
            [
                *network_isolation(),
                sys.executable,
                "-m",
                "coursebuild.fresh_env",
                "--site",
                str(site),
                "--work",
                work,
                "--all",
                "--languages",
                ",".join(languages.codes),
                "--wheel-url",
                wheel_url.group(1),
                "--jobs",
                str(jobs),
                "--threads",
                "1",
            ],
            cwd=work,
            capture_output=True,
            text=True,
        )
    lines = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    head, runs = (lines[0], lines[1:]) if lines else ({}, [])
    for run in runs:
        state = "ok" if run["error"] is None else f"FAILED: {run['error'][-300:]}"
        print(f"  notebook {run['lang']}:{run['lesson']:<24} {run['seconds']:7.1f} s   {state}")
    failed = [f"{r['lang']}:{r['lesson']}" for r in runs if r["error"] is not None]
    expected = len(list(site.glob("lessons/*/*.ipynb")))
    print(f"  downloaded notebooks run: {len(runs) - len(failed)} of {expected}", flush=True)
    if done.returncode != 0 or failed or len(runs) != expected:
        raise SystemExit(
            f"downloaded notebooks failed: {failed or 'see below'}\n{done.stderr[-4000:]}"
        )
    return {
        "count": len(runs),
        "offline": bool(network_isolation()),
        "installed_by_setup_cell": head.get("installed_by_setup_cell", False),
        "setup_s": runs[0]["setup_seconds"],
        "lessons": [
            {"lesson": r["lesson"], "lang": r["lang"], "seconds": r["seconds"]} for r in runs
        ],
    }


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        import torch

        if torch.cuda.is_available():
            return f"{torch.cuda.get_device_name(0)} + {os.cpu_count()} CPU cores"
    except ImportError:
        pass
    return f"{cpu}, {os.cpu_count()} CPU cores, Python {platform.python_version()}"


def run(root: Path) -> dict:
    work = Path(tempfile.mkdtemp(prefix="dlcourse-bench-"))
    repo, site = work / "repo", work / "site"
    copy_repository(root, repo)
    env = dict(
        os.environ,
        PYTHONPATH=str(repo / "code"),  # the copy's package, so package edits count
        DLCOURSE_CACHE=str(work / "cache"),
        DLCOURSE_THREADS="1",
        NO_MKDOCS_2_WARNING="1",
    )
    env.pop("DLCOURSE_JOBS", None)
    scenarios: list[tuple[str, float, int]] = []

    def measure(name: str, **extra: str) -> None:
        elapsed, ran = build(repo, {**env, **extra}, site)
        scenarios.append((name, elapsed, ran))
        print(f"  {name:<28} {elapsed:7.1f} s   {ran:3d} lessons executed", flush=True)

    print(f"benchmark in {work} on {machine()}")
    measure("cold build, parallel")
    parallel_cache = work / "cache-parallel"
    shutil.copytree(work / "cache", parallel_cache)
    page_weights = weights(site, from_mkdocs_yml(repo / "mkdocs.yml"))
    notebooks = run_notebooks(site, from_mkdocs_yml(repo / "mkdocs.yml"))
    measure("warm rebuild (no change)")
    for name, seconds, ran in serve_latency(repo, env):
        scenarios.append((name, seconds, ran))
        print(f"  {name:<28} {seconds:7.1f} s   {ran:3d} lessons executed", flush=True)
    edit(repo, *PROSE_EDIT)
    measure("prose edit (one lesson)")
    edit(repo, *CODE_EDIT)
    measure("code edit (one lesson)")
    with (repo / PACKAGE_EDIT).open("a", encoding="utf-8") as handle:
        handle.write("\n# benchmark edit: a comment changes no syntax tree\n")
    measure("comment edit (models)")
    with (repo / PACKAGE_EDIT).open("a", encoding="utf-8") as handle:
        handle.write("\nBENCHMARK_EDIT = 1\n")
    measure("package edit (models)")
    floor_config = make_floor(repo, site)
    started = time.perf_counter()
    build(repo, env, work / "site-floor", floor_config)
    floor = time.perf_counter() - started
    scenarios.append((FLOOR, floor, 0))
    print(f"  {FLOOR:<28} {floor:7.1f} s", flush=True)
    (repo / floor_config).unlink()

    shutil.rmtree(work / "cache")
    copy_repository(root, repo)  # undo the edits
    measure("cold build, parallel, no fork server", DLCOURSE_POOL="0")
    unpooled_out = printed_numbers(work / "cache")
    shutil.rmtree(work / "cache")
    measure("cold build, serial", DLCOURSE_JOBS="1")
    serial_cache = work / "cache"

    parallel_out, serial_out = printed_numbers(parallel_cache), printed_numbers(serial_cache)
    differing = sorted(
        k
        for k in parallel_out
        if parallel_out[k] != serial_out.get(k) or parallel_out[k] != unpooled_out.get(k)
    )
    times = dict((name, seconds) for name, seconds, _ in scenarios)
    compute = sum(row["seconds"] for row in lesson_stats(parallel_cache))
    cores = os.cpu_count() or 1
    ideal = compute / cores + times["warm rebuild (no change)"]
    report = {
        "date": dt.date.today().isoformat(),
        "machine": machine(),
        "scenarios": [{"name": n, "seconds": round(s, 1), "executed": r} for n, s, r in scenarios],
        "warm_over_floor": round(times["warm rebuild (no change)"] / floor, 2),
        "prose_over_floor": round(times["prose edit (one lesson)"] / floor, 2),
        "parallel_speedup": round(times["cold build, serial"] / times["cold build, parallel"], 2),
        "compute_s": round(compute, 1),
        "cores": cores,
        "cold_over_ideal": round(times["cold build, parallel"] / ideal, 2),
        "pool_speedup": round(
            times["cold build, parallel, no fork server"] / times["cold build, parallel"], 2
        ),
        "lessons": lesson_stats(serial_cache),
        "weights": page_weights,
        "notebooks": notebooks,
        "reproducible": not differing,
        "differing_lessons": differing,
    }
    shutil.rmtree(work)
    return report


def print_table(report: dict) -> None:
    print(f"\nMachine: {report['machine']} · {report['date']}\n")
    print("| Scenario | Wall time (s) | Lessons executed |\n|---|---:|---:|")
    for row in report["scenarios"]:
        print(f"| {row['name']} | {row['seconds']:.1f} | {row['executed']} |")
    print(
        f"\nwarm / floor = {report['warm_over_floor']} · prose edit / floor = {report['prose_over_floor']} · "
        f"parallel speed-up = {report['parallel_speedup']}x"
    )
    print(
        f"lesson compute {report['compute_s']} s on {report['cores']} cores · cold / "
        f"(compute / cores + warm) = {report['cold_over_ideal']} · fork server speed-up = "
        f"{report['pool_speedup']}x"
    )
    print("\n| Lesson | Time (s) | Peak memory (MB) |\n|---|---:|---:|")
    for row in report["lessons"]:
        print(f"| {row['lesson']} | {row['seconds']:.1f} | {row['peak_mb']} |")
    w = report["weights"]
    print(
        f"\nHeaviest lesson page: {w['heaviest_lesson']} — {w['html_kb']} KB HTML, {w['with_images_kb']} KB with images; "
        f"largest lesson HTML {w['max_html_kb']} KB; search index es {w['search_index_kb']['es']} KB, "
        f"en {w['search_index_kb']['en']} KB"
    )
    verdict = (
        "identical in every lesson (wall-clock timings aside)"
        if report["reproducible"]
        else f"DIFFER in {report['differing_lessons']}"
    )
    print(f"Printed numbers, the three cold builds: {verdict}")
    notebooks = report.get("notebooks")
    if notebooks:
        print(
            f"Downloaded notebooks run in a fresh environment: {notebooks['count']} · "
            f"setup cell {notebooks['setup_s']} s"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--record", action="store_true", help="write docs/_data/benchmark.json for the site"
    )
    parser.add_argument(
        "--notebooks-only",
        type=Path,
        metavar="SITE",
        help="only run the downloaded notebooks of a built site (with --record: update them)",
    )
    args = parser.parse_args(argv)
    root = Path.cwd()
    target = root / BENCHMARK_RECORD
    if args.notebooks_only:
        notebooks = run_notebooks(args.notebooks_only, from_mkdocs_yml(root / "mkdocs.yml"))
        if args.record:
            report = json.loads(target.read_text(encoding="utf-8"))
            report["notebooks"] = {"date": dt.date.today().isoformat(), **notebooks}
            target.write_text(
                json.dumps(report, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
            )
            print(f"\nrecorded in {target.relative_to(root)}")
        return 0
    report = run(root)
    print_table(report)
    if args.record:
        target.write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"\nrecorded in {target.relative_to(root)}")
    return 0 if report["reproducible"] else 1


if __name__ == "__main__":
    sys.exit(main())
