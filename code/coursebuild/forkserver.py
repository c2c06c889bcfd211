"""A warm parent for lesson processes: the heavy libraries are imported once per build.

Every lesson runs in a fresh process of its own, but importing torch, Lightning, matplotlib
and scikit-learn costs each of them about four seconds of CPU before its first cell, more
than many lessons take to run. The fork server imports them once (:data:`PRELOAD`) and then
forks one child per lesson: a copy-on-write copy of an interpreter that has imported the
libraries and nothing of the course. Each child is still its own process, in its own
session (process group), with the lesson's environment, working folder and seeds, and it
runs :func:`coursebuild.runner.main` exactly as ``python -m coursebuild.runner`` would.

The server is started by the executor (:class:`ForkServer`), listens on a Unix socket, and
per request (one connection per lesson: the runner's arguments, the environment, the
working folder, and the lesson's stdout and stderr as file descriptors) answers the child's
pid, then, once the child has been reaped, its exit status. It never outlives the build:
it checks every :data:`~coursebuild.processes.POLL_S` seconds that its parent is still the
build and otherwise ends every child's group and exits. Each child gets
``PR_SET_PDEATHSIG(SIGKILL)`` with the single-threaded server as its parent.

What differs from a fresh interpreter, and why it does not matter: the libraries in
:data:`PRELOAD` are already imported (their versions are in the cache key; nothing of
``dlcourse`` or of the lessons is), and ``PYTHONHASHSEED``/``PYTHONWARNINGS`` are those the
server started with, which are the lesson environment's. The recording of what a lesson
reads (:mod:`coursebuild.recording`) is installed in the child, and also notes the course's
own modules that the server had loaded. ``DLCOURSE_POOL=0`` turns the server off (every
lesson then starts its own interpreter), for comparison.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import selectors
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import IO

from coursebuild.processes import LessonProcess

PRELOAD = (
    "numpy",
    "torch",
    "torch.nn",
    "pytorch_lightning",
    "matplotlib",
    "matplotlib.pyplot",
    "sklearn.datasets",
    "sklearn.model_selection",
    "nbformat",
    "jupytext",
    "yaml",
)
POOL_VARIABLE = "DLCOURSE_POOL"
GRACE_S = 3.0
POLL_S = 0.1
PR_SET_PDEATHSIG = 1


def enabled() -> bool:
    """Whether lessons start from the fork server (Linux only; ``DLCOURSE_POOL=0`` turns it
    off)."""
    return sys.platform.startswith("linux") and os.environ.get(POOL_VARIABLE, "1") != "0"


# -- the build's side ----------------------------------------------------------------------


class ForkedLesson(LessonProcess):
    """A lesson process forked by the server, leader of its own process group; waited for
    through the server, which is its parent."""

    def __init__(self, connection: socket.socket, pid: int) -> None:  # noqa: D107
        self.connection = connection
        self.pgid = pid  # the child starts a session of its own
        self._returncode: int | None = None
        self._buffer = b""

    @property
    def returncode(self) -> int | None:
        return self._returncode

    def wait(self, timeout: float | None = None) -> int:
        """The lesson's exit status (128 + N if signal N ended it); raises
        ``subprocess.TimeoutExpired`` if it still runs after ``timeout`` seconds."""
        if self._returncode is not None:
            return self._returncode
        deadline = None if timeout is None else time.monotonic() + timeout
        while b"\n" not in self._buffer:
            left = None if deadline is None else deadline - time.monotonic()
            if left is not None and left <= 0:
                raise subprocess.TimeoutExpired("lesson", timeout or 0)
            self.connection.settimeout(left)
            try:
                chunk = self.connection.recv(4096)
            except TimeoutError:
                raise subprocess.TimeoutExpired("lesson", timeout or 0) from None
            if not chunk:  # the server is gone: so is the child (parent-death signal)
                self._returncode = 128 + signal.SIGKILL
                return self._returncode
            self._buffer += chunk
        self._returncode = int(json.loads(self._buffer.split(b"\n", 1)[0])["status"])
        self.connection.close()
        return self._returncode

    def poll(self) -> int | None:
        with contextlib.suppress(subprocess.TimeoutExpired):
            return self.wait(0.001)
        return None


class ForkServer:
    """A running fork server; :meth:`start` forks a lesson from it, :meth:`close` ends it."""

    def __init__(self, env: dict[str, str]) -> None:
        self._folder = tempfile.TemporaryDirectory(prefix="dlcourse-forkserver-")
        self.address = str(Path(self._folder.name) / "socket")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "coursebuild.forkserver", str(os.getpid()), self.address],
            cwd=self._folder.name,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            start_new_session=True,
        )
        assert self.process.stdout is not None
        ready = self.process.stdout.readline()  # written once the libraries are imported
        if ready.strip() != b"ready":
            self.close()
            raise RuntimeError("the fork server did not start")

    def start(
        self, argv: list[str], *, env: dict[str, str], cwd: str | Path, stdout: IO, stderr: IO
    ) -> ForkedLesson:
        """Fork a child that runs ``coursebuild.runner.main(argv)``."""
        connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        connection.connect(self.address)
        request = json.dumps({"argv": argv, "env": env, "cwd": str(cwd)}).encode() + b"\n"
        socket.send_fds(connection, [request], [stdout.fileno(), stderr.fileno()])
        answer = b""
        while b"\n" not in answer:
            chunk = connection.recv(4096)
            if not chunk:
                raise RuntimeError("the fork server closed the connection")
            answer += chunk
        line, rest = answer.split(b"\n", 1)
        lesson = ForkedLesson(connection, int(json.loads(line)["pid"]))
        lesson._buffer = rest
        return lesson

    def close(self) -> None:
        """End the server (it ends any child still running) and reap it."""
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(GRACE_S * 2)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        if self.process.stdout is not None:
            self.process.stdout.close()
        self._folder.cleanup()


# -- the server's side -----------------------------------------------------------------------


def _child(request: dict, fds: list[int], inherited: list[socket.socket]) -> None:
    """In the forked child: become the lesson process, run the runner, never return."""
    code = 1
    try:
        os.setsid()
        if sys.platform.startswith("linux"):
            import ctypes

            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGCHLD):
            signal.signal(signum, signal.SIG_DFL)
        for other in inherited:  # the server's sockets: not the lesson's to hold
            other.close()
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)
        os.dup2(fds[0], 1)
        os.dup2(fds[1], 2)
        for fd in (devnull, *fds):
            os.close(fd)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        # The path a fresh ``python -m`` would have: its folder, then PYTHONPATH, then ours.
        extra = [p for p in request["env"].get("PYTHONPATH", "").split(os.pathsep) if p]
        sys.path[:] = [request["cwd"], *extra, *(p for p in sys.path[1:] if p not in extra)]
        importlib.invalidate_caches()
        if os.environ.get("DLCOURSE_RECORD"):
            from coursebuild.recording import install

            install(os.environ["DLCOURSE_RECORD"])
        from coursebuild import runner

        code = runner.main(["coursebuild.runner", *request["argv"]])
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    except BaseException:  # noqa: BLE001 - reported on the lesson's stderr, like a crash
        import traceback

        traceback.print_exc()
    finally:
        with contextlib.suppress(Exception):
            sys.stdout.flush()
            sys.stderr.flush()
        os._exit(code)


def _end_children(children: dict[int, socket.socket], groups: set[int]) -> None:
    """End the group of every lesson forked (a lesson that exited may have left processes
    in its group): SIGTERM, up to GRACE_S seconds, SIGKILL."""
    from coursebuild.processes import group_members

    for pgid in groups:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pgid, signal.SIGTERM)
    deadline = time.monotonic() + GRACE_S
    while time.monotonic() < deadline:
        _reap(children)
        groups = {pgid for pgid in groups if group_members(pgid)}
        if not groups:
            return
        time.sleep(0.02)
    for pgid in groups:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pgid, signal.SIGKILL)
    _reap(children)


def _reap(children: dict[int, socket.socket]) -> None:
    """Collect exited children and send each one's status on its connection."""
    while children:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        connection = children.pop(pid, None)
        if connection is None:
            continue
        code = os.waitstatus_to_exitcode(status)
        with contextlib.suppress(OSError):
            connection.sendall(json.dumps({"status": code if code >= 0 else 128 - code}).encode())
            connection.sendall(b"\n")
        connection.close()


def serve(build: int, address: str) -> int:
    """Import the libraries, then fork a lesson per request until the build goes away."""
    for name in PRELOAD:
        with contextlib.suppress(ImportError):
            importlib.import_module(name)
    import matplotlib

    matplotlib.use("Agg")
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(address)
    listener.listen()
    children: dict[int, socket.socket] = {}
    groups: set[int] = set()  # every lesson's group, until the server ends
    stopping = False

    def stop(*_: object) -> None:
        nonlocal stopping
        stopping = True

    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(signum, stop)
    sys.stdout.write("ready\n")
    sys.stdout.flush()
    selector = selectors.DefaultSelector()
    selector.register(listener, selectors.EVENT_READ)
    while not stopping and os.getppid() == build:
        for _key, _ in selector.select(POLL_S):
            connection, _ = listener.accept()
            message, fds, _flags, _ = socket.recv_fds(connection, 1 << 20, 2)
            while not message.endswith(b"\n"):
                message += connection.recv(1 << 20)
            pid = os.fork()
            if pid == 0:
                _child(json.loads(message), fds, [listener, connection, *children.values()])
            for fd in fds:
                os.close(fd)
            connection.sendall(json.dumps({"pid": pid}).encode() + b"\n")
            children[pid] = connection
            groups.add(pid)
        _reap(children)
    _end_children(children, groups)
    listener.close()
    return 0


if __name__ == "__main__":
    sys.exit(serve(int(sys.argv[1]), sys.argv[2]))
