"""Run downloaded lessons as a student would: a fresh environment, a Jupyter kernel, no network.

:class:`FreshEnvironment` is a new virtual environment outside the repository that holds
the learners' wheel (or nothing of the course yet, for the setup cell to install) and the
pinned dependency closure of that wheel, plus ``ipykernel`` (the kernel) and ``pip``. The
closure is not downloaded or copied: it is taken from the environment running this module,
as a folder of symbolic links to exactly those distributions' files (found with
:mod:`importlib.metadata`) named by a ``.pth`` file. Nothing else of this environment is
visible there: not MkDocs, not ``coursebuild``, not the repository's ``code/``.

:func:`run_notebook` executes a downloaded notebook in that environment with ``nbclient``
from a working folder of its own. ``python -m coursebuild.fresh_env`` does it for lessons of
a built site and prints one JSON line per notebook; the download test and the benchmark run
it inside a network namespace with only loopback (:func:`network_isolation`), where it also
serves the site on its loopback address so that the setup cell installs the published wheel.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import os
import subprocess
import sys
import threading
import time
import zipfile
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import datetime
from importlib import metadata
from pathlib import Path
from typing import cast
from urllib.parse import urlsplit

from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

KERNEL_NAME = "dlcourse-fresh"
# What a student's environment has besides the course: a Jupyter kernel and pip (``%pip``).
# The environment is made without its own pip so that nothing else comes with it: Python
# 3.11's ensurepip also brings an old setuptools, which would shadow the one torch needs.
TOOL_REQUIREMENTS = ("ipykernel", "pip")
# Variables of this process that would leak the repository or the build into a student's run.
LEAKING = ("PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "VIRTUAL_ENV", "JUPYTER_PATH")


# Inside the namespace only loopback exists (brought up so that local process groups, such as
# distributed training on CPU processes, can still talk to each other).
_LOOPBACK_ONLY = 'ip link set lo up 2>/dev/null; exec "$@"'


@functools.cache
def network_isolation() -> list[str]:
    """Command prefix that runs a program in a new network namespace without outside interfaces.

    Empty when the kernel refuses unprivileged user namespaces (some containers do); callers
    that must prove offline behavior check for that.
    """
    prefix = ["unshare", "--user", "--map-root-user", "--net", "sh", "-c", _LOOPBACK_ONLY, "sh"]
    try:
        probe = subprocess.run(
            [*prefix, sys.executable, "-c", _PROBE], capture_output=True, timeout=30
        )
    except (OSError, subprocess.TimeoutExpired):
        return []
    return prefix if probe.returncode == 0 and probe.stdout.strip() == b"isolated" else []


# Loopback must work (a listening socket accepts), the outside must not (no route).
_PROBE = """
import socket
server = socket.create_server(("127.0.0.1", 0))
socket.create_connection(server.getsockname(), 2).close()
try:
    socket.create_connection(("1.1.1.1", 53), 2)
except OSError:
    print("isolated")
"""


def wheel_requirements(wheel: Path) -> list[str]:
    """The ``Requires-Dist`` lines of a wheel's METADATA."""
    with zipfile.ZipFile(wheel) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        text = archive.read(name).decode()
    return [
        line.split(":", 1)[1].strip()
        for line in text.splitlines()
        if line.startswith("Requires-Dist:")
    ]


def dependency_closure(requirements: Iterable[str]) -> dict[str, metadata.Distribution]:
    """Every installed distribution that ``requirements`` need, recursively (markers
    evaluated here, extras followed); an unmet or unsatisfied requirement is an error."""
    found: dict[str, metadata.Distribution] = {}
    pending = [(Requirement(r), "") for r in requirements]
    seen: set[tuple[str, str]] = set()
    while pending:
        requirement, extra = pending.pop()
        marker_environment = cast(dict[str, str], dict(default_environment()))
        if requirement.marker and not requirement.marker.evaluate(
            {**marker_environment, "extra": extra}
        ):
            continue
        name = canonicalize_name(requirement.name)
        try:
            dist = metadata.distribution(requirement.name)
        except metadata.PackageNotFoundError:
            raise RuntimeError(f"{requirement} is not installed here") from None
        if not requirement.specifier.contains(dist.version, prereleases=True):
            raise RuntimeError(f"{requirement} is needed but {dist.version} is installed")
        found[name] = dist
        for wanted in ["", *sorted(requirement.extras)]:
            if (name, wanted) in seen:
                continue
            seen.add((name, wanted))
            pending += [(Requirement(r), wanted) for r in dist.requires or []]
    return found


def _top_entries(dist: metadata.Distribution) -> set[str]:
    """First path parts of a distribution's files inside its site-packages folder."""
    return {f.parts[0] for f in dist.files or [] if f.parts and f.parts[0] != ".."}


def link_distributions(dists: Iterable[metadata.Distribution], folder: Path) -> int:
    """Fill ``folder`` with symbolic links to exactly the files of ``dists``.

    A top-level package or module that only these distributions own is linked whole; one
    shared with a distribution left out (a namespace package) is made a real folder holding
    links to these distributions' files only. Returns the number of links.
    """
    chosen = list(dists)
    chosen_names = {canonicalize_name(d.metadata["Name"]) for d in chosen}
    owners: dict[str, set[str]] = {}
    for dist in metadata.distributions():
        for entry in _top_entries(dist):
            owners.setdefault(entry, set()).add(canonicalize_name(dist.metadata["Name"] or ""))
    folder.mkdir(parents=True, exist_ok=True)
    links = 0
    for dist in chosen:
        base = Path(str(dist.locate_file("")))
        for entry in sorted(_top_entries(dist)):
            target = folder / entry
            if owners[entry] <= chosen_names:
                if not target.exists():
                    target.symlink_to(base / entry)
                    links += 1
                continue
            for file in dist.files or []:
                if file.parts and file.parts[0] == entry and (base / file).is_file():
                    link = folder / file
                    link.parent.mkdir(parents=True, exist_ok=True)
                    if not link.exists():
                        link.symlink_to(base / file)
                        links += 1
    return links


@dataclass(frozen=True)
class FreshEnvironment:
    """A virtual environment with the closure of ``requirements`` linked in."""

    root: Path
    # Torch threads of each student process (OMP_NUM_THREADS); None leaves torch's default.
    # One thread, as the build runs lessons, keeps parallel runs on a busy machine from
    # fighting over cores.
    threads: int | None = None

    @property
    def python(self) -> Path:
        return self.root / "bin" / "python"

    @classmethod
    def create(
        cls,
        root: Path,
        requirements: Iterable[str],
        *,
        wheel: Path | None = None,
        threads: int | None = None,
    ) -> FreshEnvironment:
        """A new environment at ``root``; ``wheel`` is installed into it with no index and
        no dependencies (these are the linked closure)."""
        subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(root)], check=True)
        env = cls(root, threads)
        site = Path(env.query("import sysconfig; print(sysconfig.get_paths()['purelib'])"))
        closure = dependency_closure([*requirements, *TOOL_REQUIREMENTS])
        link_distributions(closure.values(), root / "linked")
        (site / "course-dependencies.pth").write_text(f"{root / 'linked'}\n", encoding="utf-8")
        if wheel is not None:
            env.pip("install", "--no-index", "--no-deps", "-q", str(wheel))
        return env

    def environ(self, work: Path) -> dict[str, str]:
        """Variables for a student's process: this environment first on ``PATH``, nothing
        that points into the repository, scratch files under ``work``."""
        env = {
            k: v
            for k, v in os.environ.items()
            if k not in LEAKING and not k.startswith("DLCOURSE_")
        }
        env.update(
            PATH=f"{self.root / 'bin'}{os.pathsep}{env.get('PATH', '')}",
            VIRTUAL_ENV=str(self.root),
            TMPDIR=str(work),
            MPLCONFIGDIR=str(work / "matplotlib"),
            MPLBACKEND="Agg",
            PIP_NO_INDEX="1",  # a stray download fails loudly instead of waiting on a network
            PIP_DISABLE_PIP_VERSION_CHECK="1",
            PYTHONNOUSERSITE="1",
        )
        if self.threads:
            env["OMP_NUM_THREADS"] = str(self.threads)
        return env

    def query(self, code: str, work: Path | None = None) -> str:
        scratch = work or self.root
        return subprocess.run(
            [str(self.python), "-c", code],
            cwd=scratch,
            env=self.environ(scratch),
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()

    def pip(self, *args: str) -> None:
        subprocess.run(
            [str(self.python), "-m", "pip", *args], env=self.environ(self.root), check=True
        )

    def kernelspec(self, jupyter_dir: Path) -> str:
        """Register a kernel running this environment's Python under ``jupyter_dir``."""
        spec = jupyter_dir / "kernels" / KERNEL_NAME
        spec.mkdir(parents=True, exist_ok=True)
        argv = [str(self.python), "-m", "ipykernel_launcher", "-f", "{connection_file}"]
        kernel = {"argv": argv, "display_name": "dlcourse (fresh)", "language": "python"}
        (spec / "kernel.json").write_text(json.dumps(kernel), encoding="utf-8")
        return KERNEL_NAME


@dataclass
class NotebookRun:
    """How one downloaded notebook ran."""

    lesson: str
    lang: str
    seconds: float
    setup_seconds: float  # the setup cell alone
    error: str | None = None


def run_notebook(
    notebook: Path, env: FreshEnvironment, work: Path, *, lesson: str, lang: str, timeout: int
) -> NotebookRun:
    """Execute ``notebook`` with nbclient in ``env``'s kernel from a folder under ``work``."""
    import nbclient
    import nbformat

    cwd = work / f"{lang}-{lesson}"
    cwd.mkdir(parents=True, exist_ok=True)
    nb = nbformat.read(notebook, as_version=4)
    client = nbclient.NotebookClient(
        nb,
        timeout=timeout,
        kernel_name=KERNEL_NAME,
        resources={"metadata": {"path": str(cwd)}},
        record_timing=True,
    )
    started = time.perf_counter()
    error = None
    try:
        client.execute(env=env.environ(cwd))
    except Exception as exc:  # noqa: BLE001 - the report names any failure of the notebook
        error = f"{type(exc).__name__}: {str(exc)[-2000:]}"
    seconds = time.perf_counter() - started
    # %pip reports a failed install as text and the cell goes on: that is a failure too.
    setup = "".join(output.get("text", "") for output in nb.cells[0].get("outputs", []))
    if error is None and "ERROR:" in setup:
        error = f"setup cell: {setup.strip()[-2000:]}"
    nbformat.write(nb, cwd / notebook.name)  # the executed copy, for whoever investigates
    return NotebookRun(lesson, lang, round(seconds, 2), round(_cell_seconds(nb.cells[0]), 2), error)


def _cell_seconds(cell) -> float:
    """A cell's run time from nbclient's timing metadata (NaN when it did not run)."""
    timing = cell.get("metadata", {}).get("execution", {})
    start, end = timing.get("iopub.execute_input"), timing.get("shell.execute_reply")
    if not (start and end):
        return float("nan")
    return (_instant(end) - _instant(start)).total_seconds()


def _instant(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00"))


def _ends(text: str, keep: int = 1500) -> str:
    """The beginning and the end of a long output (the device line and the last error)."""
    return text if len(text) <= 2 * keep else f"{text[:keep]}\n[...]\n{text[-keep:]}"


@dataclass
class ScriptRun:
    """How one downloaded script ran with the environment's ``python``."""

    lesson: str
    lang: str
    returncode: int
    seconds: float
    output: str  # what it printed (stdout and stderr), its middle cut when long


def run_script(
    script: Path, env: FreshEnvironment, work: Path, *, lesson: str, lang: str, timeout: int
) -> ScriptRun:
    """Run ``script`` as ``python <lesson>.py`` from a folder of its own under ``work``."""
    cwd = work / f"script-{lang}-{lesson}"
    cwd.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    done = subprocess.run(
        [str(env.python), str(script)],
        cwd=cwd,
        env=env.environ(cwd),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    seconds = round(time.perf_counter() - started, 2)
    return ScriptRun(lesson, lang, done.returncode, seconds, _ends(done.stdout + done.stderr))


@contextmanager
def serving(site: Path, url: str) -> Iterator[bool]:
    """Serve ``site`` at ``url`` when that is a loopback HTTP address; yields whether it does."""
    parts = urlsplit(url)
    if parts.scheme != "http" or parts.hostname not in ("127.0.0.1", "localhost"):
        yield False
        return
    prefix = parts.path.rstrip("/")

    class Handler(http.server.SimpleHTTPRequestHandler):
        def translate_path(self, path: str) -> str:
            if prefix and path.startswith(prefix):
                path = path[len(prefix) :] or "/"
            return super().translate_path(path)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

    server = http.server.ThreadingHTTPServer(
        (parts.hostname, parts.port or 80), functools.partial(Handler, directory=str(site))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield True
    finally:
        server.shutdown()
        server.server_close()


def site_wheel(site: Path) -> Path:
    (wheel,) = sorted((site / "downloads").glob("dlcourse-*.whl"))
    return wheel


def download(site: Path, lesson: str, lang: str, default: str, suffix: str) -> Path:
    """A lesson's download (``.ipynb`` or ``.py``) on the page of ``lang``."""
    prefix = site if lang == default else site / lang
    return prefix / "lessons" / lesson / f"{lesson}{suffix}"


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m coursebuild.fresh_env", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--site", type=Path, required=True, help="a built site")
    parser.add_argument(
        "--work", type=Path, required=True, help="a new folder outside the repository"
    )
    parser.add_argument("--run", action="append", default=[], help="LANG:LESSON, repeatable")
    parser.add_argument(
        "--script", help="LANG:LESSON: run its script before the notebooks and after them"
    )
    parser.add_argument(
        "--all", action="store_true", help="every lesson of the site, alternating languages"
    )
    parser.add_argument(
        "--languages", default="es,en", help="the site's languages, the default one first"
    )
    parser.add_argument(
        "--wheel-url", help="the URL the setup cells install from (served here when on loopback)"
    )
    parser.add_argument("--jobs", type=int, default=1, help="notebooks run at once")
    parser.add_argument("--threads", type=int, help="torch threads per notebook")
    parser.add_argument("--timeout", type=int, default=600, help="seconds per cell")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    site, work = args.site.resolve(), args.work.resolve()
    languages = args.languages.split(",")
    runs = [tuple(item.split(":", 1)) for item in args.run]
    if args.all:
        lessons = sorted(p.parent.name for p in site.glob("lessons/*/*.ipynb"))
        runs += [(languages[i % len(languages)], lesson) for i, lesson in enumerate(lessons)]
    wheel = site_wheel(site)
    url = args.wheel_url or ""
    site_root_url = url[: url.index("downloads/")] if "downloads/" in url else url
    with serving(site, site_root_url) as served:
        env = FreshEnvironment.create(
            work / "venv",
            wheel_requirements(wheel),
            wheel=None if served else wheel,
            threads=args.threads,
        )
        os.environ["JUPYTER_PATH"] = str(work / "jupyter")
        env.kernelspec(work / "jupyter")
        visible = env.query(
            "import importlib.util as u, json, sys; "
            "names = ('coursebuild', 'mkdocs', 'material', 'jupytext', 'dlcourse'); "
            "print(json.dumps([[m for m in names if u.find_spec(m)], sys.path]))",
            work,
        )
        importable, path = json.loads(visible)
        head = {"installed_by_setup_cell": served, "importable_before": importable, "path": path}
        print(json.dumps(head), flush=True)
        script = tuple(args.script.split(":", 1)) if args.script else None

        def script_run(when: str) -> None:
            if script is None:
                return
            lang, lesson = script
            path = download(site, lesson, lang, languages[0], ".py")
            result = run_script(path, env, work / when, lesson=lesson, lang=lang, timeout=600)
            print(json.dumps({"script": when, **asdict(result)}), flush=True)

        script_run("before")
        first, rest = runs[:1], runs[1:]  # the first installs the package; the rest reuse it

        def one(item: tuple[str, ...]) -> NotebookRun:
            lang, lesson = item
            result = run_notebook(
                download(site, lesson, lang, languages[0], ".ipynb"),
                env,
                work / "runs",
                lesson=lesson,
                lang=lang,
                timeout=args.timeout,
            )
            print(json.dumps(asdict(result)), flush=True)
            return result

        results = [one(item) for item in first]
        with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
            results += list(pool.map(one, rest))
        script_run("after")
    return 1 if any(r.error for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
