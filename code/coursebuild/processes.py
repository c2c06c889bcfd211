"""Lesson processes that never outlive their lesson, nor the build that started them.

A lesson is a Python process that may start processes of its own (DDP workers, data
loader workers, a ``subprocess.Popen``). Killing only the lesson process on a timeout
would leave those running, still printing, still writing checkpoints into a work folder
that is being deleted. So every lesson runs in a **process group of its own** (a new
session), and it is always the whole group that is ended: SIGTERM, a short grace, then
SIGKILL (:func:`end_group`). The executor ends the group when the lesson finishes (so a
child it forgot dies with it), fails or hangs.

The build itself can stop in three ways, each covered here:

* it exits normally, or raises (e.g. KeyboardInterrupt): an ``atexit`` handler ends
  every lesson group still registered (:func:`end_all`);
* it receives SIGINT, SIGTERM or SIGHUP: a handler ends every group first, then does what
  the previous handler would have done (SIGINT still raises KeyboardInterrupt, SIGTERM still
  terminates the build with that signal), see :func:`install_handlers`;
* it is killed with SIGKILL, which nothing in the build can catch. For that case the
  lesson does not run directly under the build but under a **supervisor**: this module run
  as ``python -m coursebuild.processes BUILD_PID COMMAND...``. The supervisor is the leader
  of the lesson's group; it starts the lesson, waits for it, and checks every
  :data:`POLL_S` seconds that its parent is still the build. When the build is gone it ends
  its own group (SIGTERM, grace, SIGKILL, itself included).

Why a supervisor and not ``PR_SET_PDEATHSIG`` on the lesson process alone: the parent-death
signal reaches one process, not its children (a grandchild is reparented and runs on), and
it fires when the *thread* that forked the child exits, while the build starts lessons from
pool threads. The supervisor is single-threaded, so the death signal is sound *there*: the
lesson process gets ``PR_SET_PDEATHSIG(SIGKILL)`` with the supervisor as its parent, so it
cannot outlive the supervisor, whatever kills it (the OOM killer, a stray ``kill``). Nothing
has to run inside the lesson process (the runner is unchanged).

Limits: a process that leaves the lesson's group on purpose (``setsid()``,
``start_new_session=True``) is not ended. Off Linux there is no parent-death signal and no
``/proc``: groups are still ended as a whole and the supervisor still watches the build,
but a lesson whose supervisor alone is SIGKILLed runs on.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from types import FrameType
from typing import IO, Any

GRACE_S = 3.0  # between SIGTERM and SIGKILL: Python lessons die at once on SIGTERM anyway
POLL_S = 0.1  # how often the supervisor checks that the build is still its parent
PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
HANDLED_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)

Handler = Callable[[int, FrameType | None], Any] | int | None
File = int | IO[bytes] | None


class BuildStopping(RuntimeError):
    """Raised instead of starting a lesson once the build has been told to stop."""


class LessonProcess:
    """A lesson's supervisor process, leader of the lesson's process group."""

    def __init__(self, popen: subprocess.Popen[bytes]) -> None:
        self.popen = popen
        self.pgid = popen.pid  # a new session: its id is the supervisor's pid

    @property
    def returncode(self) -> int | None:
        return self.popen.returncode

    def wait(self, timeout: float | None = None) -> int:
        """The lesson's exit status (128 + N if signal N ended it), relayed by the supervisor.

        Raises ``subprocess.TimeoutExpired`` if the lesson still runs after ``timeout`` s.
        """
        return self.popen.wait(timeout)

    def poll(self) -> int | None:
        return self.popen.poll()

    def running(self) -> bool:
        """Whether any process of the group is still alive (zombies do not count)."""
        return bool(_running([self]))

    def signal(self, signum: int) -> None:
        """Send ``signum`` to the whole group, if the group can still be ours.

        While the supervisor is not reaped its pid, and so the group id, cannot be given to
        another process; after that, only a live member keeps the id from being reused.
        """
        if self.returncode is None or self.running():
            # Gone already, or a member became another user's (not ours to end).
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.pgid, signum)


_HAVE_PROC = Path("/proc/self/stat").exists()
_lock = threading.RLock()
_live: dict[int, LessonProcess] = {}  # pgid -> lesson group not yet ended
_previous: dict[int, Handler] = {}  # signal -> the handler ours replaced
_installed = False
_atexit_registered = False
_handling = False
# Threads that were running when the build was told to stop: pool workers that may still
# pick a queued lesson. They start none; threads created later (a new build) may.
_stopped_threads: set[threading.Thread] = set()


def _members(pgids: Iterable[int]) -> dict[int, list[int]]:
    """Pids of the live (non-zombie) processes of each group in ``pgids``, from one /proc scan."""
    wanted = set(pgids)
    members: dict[int, list[int]] = {pgid: [] for pgid in wanted}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_bytes()
        except OSError:
            continue  # exited while we looked
        # The command name (field 2) may hold spaces and parentheses: split after the last ")".
        state, _ppid, pgrp = stat[stat.rindex(b")") + 2 :].split()[:3]
        if int(pgrp) in wanted and state not in (b"Z", b"X"):
            members[int(pgrp)].append(int(entry.name))
    return members


def group_members(pgid: int) -> list[int]:
    """Pids of the live (non-zombie) processes of process group ``pgid`` (Linux, /proc)."""
    return _members([pgid])[pgid]


def _running(processes: Sequence[LessonProcess]) -> list[LessonProcess]:
    """Those of ``processes`` whose group still has a live process."""
    if _HAVE_PROC:
        members = _members(p.pgid for p in processes)
        return [p for p in processes if members[p.pgid]]
    # Without /proc a zombie counts as a member of its group: reap the supervisors first.
    for process in processes:
        process.poll()
    return [p for p in processes if _group_exists(p.pgid)]


def _group_exists(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def install_handlers() -> bool:
    """Install, once, the SIGINT/SIGTERM/SIGHUP handlers and the atexit hook; True if done.

    Python lets only the main thread install signal handlers, while lessons are started
    from pool threads: the executor calls this when it is imported (and every start calls
    it again, a no-op once installed). From another thread only the atexit hook is
    registered and False is returned. A signal the build ignores (SIG_IGN) stays ignored.
    """
    global _installed, _atexit_registered
    with _lock:
        if not _atexit_registered:
            atexit.register(end_all)
            _atexit_registered = True
        if _installed:
            return True
        if threading.current_thread() is not threading.main_thread():
            return False
        for signum in HANDLED_SIGNALS:
            previous = signal.getsignal(signum)
            if previous == signal.SIG_IGN:
                continue
            _previous[signum] = previous
            signal.signal(signum, _on_signal)
        _installed = True
        return True


def _on_signal(signum: int, frame: FrameType | None) -> None:
    """End every lesson group, then behave as the handler we replaced would have."""
    global _handling
    if _handling:
        return  # a second Ctrl-C during the cleanup must not cut the cleanup short
    _handling = True
    try:
        with _lock:
            main = threading.main_thread()
            _stopped_threads.update(t for t in threading.enumerate() if t is not main)
        end_all()
    finally:
        _handling = False
    previous = _previous.get(signum)
    if callable(previous):
        previous(signum, frame)  # default_int_handler raises KeyboardInterrupt here
        with _lock:
            _stopped_threads.clear()  # that handler chose to carry on: so may the build
        return
    # SIG_DFL (or a handler set outside Python): the signal's own action, e.g. terminate.
    signal.signal(signum, signal.SIG_DFL)
    os.kill(os.getpid(), signum)


def start_lesson_process(
    command: Sequence[str],
    *,
    cwd: str | Path,
    env: dict[str, str],
    stdout: File = None,
    stderr: File = None,
) -> LessonProcess:
    """Start ``command`` under a supervisor, in a new session (a process group of its own).

    The process is registered until :func:`end_group` ends its group, so a signal or the
    build's exit can end it. stdin is /dev/null: a lesson never reads the terminal.
    Raises :class:`BuildStopping` when called from a thread that was running when the
    build was told to stop.
    """
    install_handlers()
    supervisor = [sys.executable, "-m", "coursebuild.processes", str(os.getpid()), *command]
    with _lock:
        if threading.current_thread() in _stopped_threads:
            raise BuildStopping("the build is stopping: no new lesson starts")
        popen = subprocess.Popen(
            supervisor,
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=stdout,
            stderr=stderr,
            start_new_session=True,
        )
        process = LessonProcess(popen)
        _live[process.pgid] = process
    return process


def start_forked(
    server: Any, argv: list[str], *, cwd: str | Path, env: dict[str, str], stdout: IO, stderr: IO
) -> Any:
    """Like :func:`start_lesson_process`, but forked from a warm :mod:`coursebuild.forkserver`
    (``argv``: the runner's arguments). The child leads a process group of its own and is
    registered the same way, so signals and the build's exit end it too."""
    install_handlers()
    with _lock:
        if threading.current_thread() in _stopped_threads:
            raise BuildStopping("the build is stopping: no new lesson starts")
        process = server.start(argv, env=env, cwd=cwd, stdout=stdout, stderr=stderr)
        _live[process.pgid] = process
    return process


def end_groups(processes: Iterable[LessonProcess], grace: float | None = None) -> None:
    """End each group: SIGTERM to all, up to ``grace`` seconds (:data:`GRACE_S`), SIGKILL.

    Returns once no process of any of the groups runs (or, for a process that even SIGKILL
    does not end at once, e.g. one stuck in the kernel, after one more ``grace``), with
    every supervisor reaped and unregistered. Ending a group that already ended is harmless.
    """
    grace = GRACE_S if grace is None else grace
    processes = list(processes)
    for process in processes:
        process.signal(signal.SIGTERM)
    deadline = time.monotonic() + grace
    remaining = _running(processes)
    while remaining and time.monotonic() < deadline:
        time.sleep(0.02)
        remaining = _running(remaining)
    for process in remaining:
        process.signal(signal.SIGKILL)
    deadline = time.monotonic() + grace
    while remaining and time.monotonic() < deadline:
        time.sleep(0.02)
        remaining = _running(remaining)
    for process in processes:
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(grace)
        with _lock:
            if _live.get(process.pgid) is process:
                del _live[process.pgid]


def end_group(process: LessonProcess, grace: float | None = None) -> None:
    """End the lesson's whole process group (see :func:`end_groups`)."""
    end_groups([process], grace)


def end_all() -> None:
    """End every registered lesson group (on a signal, and at the build's exit)."""
    with _lock:
        live = list(_live.values())
    if live:
        end_groups(live)


def live_groups() -> list[int]:
    """The process group ids of the lessons started and not yet ended."""
    with _lock:
        return list(_live)


# -- the supervisor: runs in its own process, leader of the lesson's group ----------------


def _parent_death_signal() -> Callable[[], None] | None:
    """A function that makes the calling process get SIGKILL when its parent dies (Linux)."""
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    prctl = ctypes.CDLL(None, use_errno=True).prctl
    supervisor = os.getpid()

    def die_with_supervisor() -> None:  # runs in the lesson process, between fork and exec
        prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        if os.getppid() != supervisor:  # the supervisor died before prctl took effect
            os._exit(1)

    return die_with_supervisor


def _end_own_group(child: subprocess.Popen[bytes] | None) -> None:
    """The build is gone: SIGTERM the group, wait up to GRACE_S, SIGKILL it (and us)."""
    pgid = os.getpgid(0)
    os.killpg(pgid, signal.SIGTERM)  # our own SIGTERM handler does nothing
    deadline = time.monotonic() + GRACE_S
    if child is not None:
        with contextlib.suppress(subprocess.TimeoutExpired):
            child.wait(GRACE_S)
    me = os.getpid()
    while _HAVE_PROC and time.monotonic() < deadline:
        if not [pid for pid in group_members(pgid) if pid != me]:
            break
        time.sleep(0.02)
    os.killpg(pgid, signal.SIGKILL)


def _supervise(argv: list[str]) -> int:
    """Run ``argv[1:]``; end the group if the build (pid ``argv[0]``) goes away first.

    Exits with the lesson's status (128 + N when signal N ended it). SIGINT, SIGTERM and
    SIGHUP do not end the supervisor: the build sends them to the whole group, and the
    supervisor must outlive the lesson so that the group keeps a leader and an id that
    cannot be reused until the build has reaped it. (Python handlers, not SIG_IGN, so
    that the lesson starts with the default actions.)
    """
    build, command = int(argv[0]), argv[1:]
    for signum in HANDLED_SIGNALS:
        signal.signal(signum, lambda *_: None)
    if os.getppid() != build:
        _end_own_group(None)
        return 1
    child = subprocess.Popen(command, preexec_fn=_parent_death_signal())
    while True:
        try:
            status = child.wait(POLL_S)
        except subprocess.TimeoutExpired:
            if os.getppid() != build:  # reparented: the build died without ending us
                _end_own_group(child)
                return 1
            continue
        return status if status >= 0 else 128 - status


if __name__ == "__main__":
    sys.exit(_supervise(sys.argv[1:]))
