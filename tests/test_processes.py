"""Nothing a lesson starts outlives it, nor the build: timeouts, failures, signals, SIGKILL.

Every test here has a lesson start a grandchild (``subprocess.Popen`` of a ``sleep``) and
write its pids to a marker file, then checks that the lesson process, the grandchild and
every other member of the lesson's process group are gone when they must be.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from coursebuild import processes

from . import projects

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="reads /proc and relies on Linux signals"
)

# A grandchild that ignores SIGTERM: only SIGKILL, after the grace, ends it. So a test that
# finds it gone at once also knows who ended it: the supervisor (GRACE_S seconds after the
# build died) or the build itself (after its own grace, before it exited).
STUBBORN = (
    "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN);"
    " print('ready', flush=True); time.sleep(600)"
)
PLAIN = "print('ready', flush=True); import time; time.sleep(600)"

# A lesson (for the unit tests: a plain script): starts a grandchild (argv[3]: "stubborn" or
# "plain"), writes "pid pgid grandchild-pid" to argv[1] atomically, then hangs ("hang") or
# exits ("exit") as argv[2] says.
LESSON_SCRIPT = f"""\
import os, subprocess, sys, time
code = {STUBBORN!r} if sys.argv[3] == "stubborn" else {PLAIN!r}
child = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE)
child.stdout.readline()  # its SIGTERM disposition is set
with open(sys.argv[1] + ".tmp", "w") as marker:
    marker.write(f"{{os.getpid()}} {{os.getpgid(0)}} {{child.pid}}")
os.replace(sys.argv[1] + ".tmp", sys.argv[1])
if sys.argv[2] == "hang":
    time.sleep(600)
"""

# A build that starts LESSONS lessons, each from a thread of its own (as run_lessons does
# from its pool), and waits. mode "previous": a SIGTERM handler was installed before ours.
BUILD_SCRIPT = """\
import os, signal, sys, threading, time
from coursebuild import processes

marker, mode = sys.argv[1], sys.argv[2]
processes.GRACE_S = 0.5  # the build's grace; the supervisors keep theirs (3 s)
if mode == "previous":
    def previous(signum, frame):
        print("previous handler ran", flush=True)
        sys.exit(7)
    signal.signal(signal.SIGTERM, previous)
processes.install_handlers()

def start(index):
    processes.start_lesson_process(
        [sys.executable, "-c", {lesson!r}, f"{{marker}}-{{index}}", "hang", "stubborn"],
        cwd=".",
        env=dict(os.environ),
    )

for index in range({lessons}):
    threading.Thread(target=start, args=(index,)).start()
try:
    time.sleep(600)
except KeyboardInterrupt:
    print("KeyboardInterrupt", flush=True)
    sys.exit(3)
"""


def alive(pid: int) -> bool:
    """True while ``pid`` runs (a zombie has ended: it only waits to be reaped)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2] not in "ZX"


def read_marker(path: Path, within: float, build: subprocess.Popen | None = None) -> list[int]:
    """The pids the lesson wrote (pid, pgid, grandchild), once it wrote them."""
    deadline = time.monotonic() + within
    while not path.exists():
        if build is not None and build.poll() is not None:
            pytest.fail(f"the build ended (status {build.returncode}) before the lesson started")
        if time.monotonic() > deadline:
            pytest.fail(f"the lesson did not start within {within} s")
        time.sleep(0.05)
    return [int(v) for v in path.read_text().split()]


def survivors(pid: int, pgid: int, grandchild: int, within: float = 0.0) -> list[int]:
    """What still runs of the lesson after ``within`` seconds at most (empty: all gone)."""
    deadline = time.monotonic() + within
    while True:
        left = sorted(
            {p for p in (pid, grandchild) if alive(p)} | set(processes.group_members(pgid))
        )
        if not left or time.monotonic() >= deadline:
            return left
        time.sleep(0.05)


def kill_leftovers(marker: Path) -> None:
    """Whatever a failing test left running must not outlive the test session."""
    if marker.exists():
        pid, pgid, grandchild = (int(v) for v in marker.read_text().split())
        for target in (pid, grandchild):
            with contextlib.suppress(OSError):
                os.kill(target, signal.SIGKILL)
        if pgid != os.getpgid(0):  # without a group of its own, the lesson shares the tests'
            with contextlib.suppress(OSError):
                os.killpg(pgid, signal.SIGKILL)


# -- processes.py on its own (fast: plain Python scripts, no lesson, no MkDocs) ---------------


@pytest.mark.parametrize(
    "mode, grandchild_kind",
    [("hang", "plain"), ("exit", "plain"), ("hang", "stubborn")],
    ids=["hung", "finished-leaving-a-child", "hung-child-ignores-SIGTERM"],
)
def test_end_group_ends_the_lesson_and_what_it_started(
    tmp_path: Path, mode: str, grandchild_kind: str
):
    """A hung lesson and its grandchild; a finished lesson's forgotten grandchild; and a
    grandchild that ignores SIGTERM (ended by SIGKILL once the grace is over)."""
    marker = tmp_path / "pids"
    process = processes.start_lesson_process(
        [sys.executable, "-c", LESSON_SCRIPT, str(marker), mode, grandchild_kind],
        cwd=tmp_path,
        env=dict(os.environ),
    )
    try:
        pid, pgid, grandchild = read_marker(marker, within=30)
        assert pgid == process.pgid != os.getpgid(0), "the lesson has a process group of its own"
        if mode == "exit":
            assert process.wait(timeout=30) == 0
        assert alive(grandchild) and pgid in processes.live_groups()
        started = time.monotonic()
        processes.end_group(process, grace=1.0)
        elapsed = time.monotonic() - started
        assert survivors(pid, pgid, grandchild) == []
        if grandchild_kind == "plain":
            assert elapsed < 1.0, "SIGTERM sufficed: no grace spent"
        else:
            assert elapsed >= 1.0, "the grandchild ignored SIGTERM until the grace was over"
        assert pgid not in processes.live_groups()
        processes.end_group(process)  # ending it again is harmless
    finally:
        kill_leftovers(marker)


LESSONS = 3  # lessons the build script runs at once


def run_build_script(tmp_path: Path, mode: str) -> tuple[subprocess.Popen, list[Path]]:
    script = tmp_path / "build.py"
    script.write_text(BUILD_SCRIPT.format(lesson=LESSON_SCRIPT, lessons=LESSONS))
    build = subprocess.Popen(
        [sys.executable, str(script), str(tmp_path / "pids"), mode],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    return build, [tmp_path / f"pids-{index}" for index in range(LESSONS)]


def test_the_lesson_groups_end_when_the_build_is_sigkilled(tmp_path: Path):
    build, markers = run_build_script(tmp_path, "plain")
    try:
        lessons = [read_marker(marker, within=30, build=build) for marker in markers]
        assert len({pgid for _, pgid, _ in lessons}) == LESSONS, "one group per lesson"
        for pid, _, grandchild in lessons:
            assert alive(pid) and alive(grandchild), "its starting thread ended; it runs on"
        build.kill()
        build.wait(timeout=30)
        for pid, pgid, grandchild in lessons:
            assert survivors(pid, pgid, grandchild, within=5) == []
    finally:
        build.kill()
        for marker in markers:
            kill_leftovers(marker)


@pytest.mark.parametrize(
    "signum, mode, status, printed",
    [
        (signal.SIGTERM, "plain", -signal.SIGTERM, ""),  # still terminates, by that signal
        (signal.SIGINT, "plain", 3, "KeyboardInterrupt"),  # still raises KeyboardInterrupt
        (signal.SIGHUP, "plain", -signal.SIGHUP, ""),
        (signal.SIGTERM, "previous", 7, "previous handler ran"),  # a handler set before ours
    ],
    ids=["SIGTERM", "SIGINT", "SIGHUP", "SIGTERM-with-earlier-handler"],
)
def test_signals_end_the_lessons_then_keep_their_meaning(
    tmp_path: Path, signum: int, mode: str, status: int, printed: str
):
    build, markers = run_build_script(tmp_path, mode)
    try:
        lessons = [read_marker(marker, within=30, build=build) for marker in markers]
        build.send_signal(signum)
        output, _ = build.communicate(timeout=30)
        # Ended by the build itself before it exited, not later by the supervisors.
        for pid, pgid, grandchild in lessons:
            assert survivors(pid, pgid, grandchild) == []
        assert build.returncode == status, output
        assert printed in output
    finally:
        build.kill()
        for marker in markers:
            kill_leftovers(marker)


STOPPING_SCRIPT = """\
import os, signal, sys, threading, time
from coursebuild import processes

processes.install_handlers()
go, results = threading.Event(), []

def start():
    go.wait()
    try:
        process = processes.start_lesson_process([sys.executable, "-c", "pass"], cwd=".", env={})
    except processes.BuildStopping:
        results.append("refused")
        return
    process.wait()
    processes.end_group(process)
    results.append("started")

worker = threading.Thread(target=start)  # a pool thread, idle when the signal comes
worker.start()
try:
    os.kill(os.getpid(), signal.SIGINT)
    time.sleep(30)
except KeyboardInterrupt:
    results.append("KeyboardInterrupt")
go.set()
worker.join()
later = threading.Thread(target=start)  # a thread of a later build in the same process
later.start()
later.join()
print(" ".join(results))
"""


def test_threads_of_a_stopping_build_start_no_new_lesson(tmp_path: Path):
    """After Ctrl-C, a pool thread that picks the next lesson does not start it (the build
    would otherwise wait for it); a build started later in the same process runs again."""
    result = subprocess.run(
        [sys.executable, "-c", STOPPING_SCRIPT],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.split() == ["KeyboardInterrupt", "refused", "started"], result.stderr


def test_handlers_are_installed_from_the_main_thread_only():
    script = (
        "import signal, threading\n"
        "from coursebuild import processes\n"
        "done = []\n"
        "thread = threading.Thread(target=lambda: done.append(processes.install_handlers()))\n"
        "thread.start(); thread.join()\n"
        "ours = lambda: signal.getsignal(signal.SIGTERM) is processes._on_signal\n"
        "print(done[0], ours(), processes.install_handlers(), ours())\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60
    )
    assert result.stdout.split() == ["False", "False", "True", "True"], result.stderr


# -- through MkDocs: a real build, real lessons (slow) ----------------------------------------

SPAWNER = """\
import os
import subprocess
import sys
import time

child = subprocess.Popen([sys.executable, "-c", {stubborn!r}], stdout=subprocess.PIPE)
child.stdout.readline()
with open({marker!r} + ".tmp", "w") as marker:
    marker.write(f"{{os.getpid()}} {{os.getpgid(0)}} {{child.pid}}")
os.replace({marker!r} + ".tmp", {marker!r})
{then}"""


def make_project(root: Path, then: str, timeout: int = 600) -> Path:
    """A one-lesson project whose lesson starts a grandchild, writes the marker, then ``then``."""
    marker = root / "pids"
    projects.make_project(root)
    code = SPAWNER.format(marker=str(marker), then=then, stubborn=STUBBORN)
    projects.write_lesson(root, "spawner", code, timeout=timeout)
    return marker


@pytest.mark.pipeline
@pytest.mark.parametrize(
    "then, timeout, reported",
    [
        ("time.sleep(600)", 10, "hung: still running after 10 s"),
        ("1 / 0", 120, "ZeroDivisionError: division by zero"),
    ],
    ids=["hangs", "raises"],
)
def test_a_failing_lesson_leaves_nothing_running(
    tmp_path: Path, then: str, timeout: int, reported: str
):
    """(a) The build fails, and neither the lesson process nor its grandchild runs on."""
    from .conftest import run_mkdocs

    marker = make_project(tmp_path, then, timeout)
    try:
        result = run_mkdocs(
            tmp_path / "mkdocs.yml", tmp_path / "site", {"DLCOURSE_CACHE": str(tmp_path / "c")}
        )
        log = result.stdout + result.stderr
        assert result.returncode != 0, log
        assert reported in log, log
        pid, pgid, grandchild = read_marker(marker, within=0)
        assert survivors(pid, pgid, grandchild) == []
    finally:
        kill_leftovers(marker)


def start_build(root: Path) -> subprocess.Popen:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", DLCOURSE_CACHE=str(root / "c"))
    command = ["mkdocs", "build", "--strict", "-f", str(root / "mkdocs.yml"), "-d", "site"]
    with open(root / "build.log", "w") as log:
        return subprocess.Popen(
            [sys.executable, "-m", *command],
            cwd=root,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )


@pytest.mark.pipeline
def test_sigkill_of_mkdocs_leaves_no_lesson_process(tmp_path: Path):
    """(b) SIGKILL to the build alone: within seconds nothing of the lesson runs."""
    marker = make_project(tmp_path, "time.sleep(600)")
    build = start_build(tmp_path)
    try:
        pid, pgid, grandchild = read_marker(marker, within=180, build=build)
        os.kill(build.pid, signal.SIGKILL)
        build.wait(timeout=30)
        assert survivors(pid, pgid, grandchild, within=5) == []
    finally:
        build.kill()
        kill_leftovers(marker)


@pytest.mark.pipeline
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_sigterm_or_sigint_to_mkdocs_ends_the_lesson_and_fails_the_build(
    tmp_path: Path, signum: int
):
    """(c) The build ends the lesson's group itself, then exits non-zero."""
    marker = make_project(tmp_path, "time.sleep(600)")
    build = start_build(tmp_path)
    try:
        pid, pgid, grandchild = read_marker(marker, within=180, build=build)
        os.kill(build.pid, signum)
        try:
            status = build.wait(timeout=30)
        except subprocess.TimeoutExpired:
            pytest.fail(f"the build still runs 30 s after {signal.Signals(signum).name}")
        assert status != 0, (tmp_path / "build.log").read_text()
        assert survivors(pid, pgid, grandchild) == []
    finally:
        build.kill()
        kill_leftovers(marker)


@pytest.mark.pipeline
def test_lessons_fork_from_the_warm_server_unless_it_is_turned_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """With the fork server a lesson starts with the libraries already imported, as the
    leader of a process group of its own; DLCOURSE_POOL=0 starts a new interpreter."""
    code = (
        "import os, sys\n"
        "print('warm', 'pytorch_lightning' in sys.modules, 'leader', os.getpgid(0) == os.getpid())"
    )
    seen = {}
    for pool in ("1", "0"):
        project = projects.make_project(tmp_path / f"pool-{pool}")
        projects.write_lesson(project, "warm", code)
        monkeypatch.setenv("DLCOURSE_POOL", pool)
        status, ran, log = projects.build(project)
        assert status == 0 and ran == {"warm"}, log
        page = (project / "site" / "en" / "lessons" / "warm" / "index.html").read_text()
        seen[pool] = ("warm True leader True" in page, "warm False leader False" in page)
    assert seen["1"] == (True, False), "the pooled lesson did not start warm in its own group"
    assert seen["0"] == (False, True), "DLCOURSE_POOL=0 must start a new interpreter"
