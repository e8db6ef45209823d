"""``WanMockServer``: a real ``wan-mock serve`` on a free loopback port, for any process and any
HTTP stack (the official SDK, the generated client, curl).

::

    with WanMockServer(api_keys=["sk-test"]) as server:
        server.base_url  # "http://127.0.0.1:<port>/api/v1"
        server.api_key   # "sk-test"

The server is a child process in its own session, bound to 127.0.0.1 only, with its store and
data in a private temporary folder. It is stopped (SIGTERM, then SIGKILL) when the ``with`` block
ends, however it ends, and as a last resort when the interpreter exits or the object is
collected: no process is left behind.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import weakref
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Self

import httpx

from .._service._options import SERVER, chosen, serve_arguments
from .._spec._base_paths import API_PREFIX
from ._control_client import MockControls

__all__ = ["DEFAULT_API_KEY", "ServerStartError", "WanMockServer"]

#: The key ``WanMockServer.api_key`` gives when no keys are configured (any key is accepted).
DEFAULT_API_KEY = "sk-wan-mock"
_BANNER = re.compile(
    r"serving the Wan video API at (http://127\.0\.0\.1:(\d+))" + re.escape(API_PREFIX)
)
_STOP_SECONDS = 15.0


class ServerStartError(RuntimeError):
    """``wan-mock serve`` did not come up; the message carries what it printed."""


def _command() -> list[str]:
    script = Path(sys.executable).with_name("wan-mock")
    return [str(script)] if script.exists() else [sys.executable, "-m", "wan_mock"]


def _terminate(process: subprocess.Popen[bytes]) -> None:
    """Stop the server's whole process group: SIGTERM, then SIGKILL if it lingers."""
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=_STOP_SECONDS)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=_STOP_SECONDS)


class WanMockServer(MockControls):
    """``wan-mock serve`` in a child process on ``127.0.0.1`` and a free port.

    Its keyword arguments are the options ``_service._options`` gives ``WanMockServer``,
    described in the README's table ("Testing your code with the mock"): those of ``wan-mock
    serve`` are passed on as its arguments (``store`` by default a SQLite file in its folder);
    ``directory`` is where it keeps its store, data and log (default: a private temporary
    folder, removed when it stops). The control methods (``advance``, ``fail_next``,
    ``assert_called``…) are those of :class:`~wan_mock.MockControls`, the same as
    ``WanMock``'s.
    """

    def __init__(
        self,
        *,
        api_keys: Iterable[str] = (),
        profile: str = "fast",
        rate_limits: bool | None = None,
        progress: str = "time",
        latency: str | float | None = None,
        latency_seed: int = 0,
        workers: int = 1,
        store: str | os.PathLike[str] | None = None,
        directory: str | os.PathLike[str] | None = None,
        options: Sequence[str] = (),
        startup_timeout: float = 30.0,
    ) -> None:
        api_keys = tuple(api_keys)  # an iterator is read once
        self._chosen = chosen(SERVER, locals())
        self.api_keys = api_keys
        self.profile = profile
        self.rate_limits = rate_limits
        self.progress = progress
        self.latency = latency
        self.latency_seed = latency_seed
        self.workers = workers
        self._store = os.fspath(store) if store is not None else None
        self._directory = Path(directory) if directory is not None else None
        self.options = tuple(options)
        self.startup_timeout = startup_timeout
        self._process: subprocess.Popen[bytes] | None = None
        self._folder: Path | None = None
        self._root: str | None = None
        self._finalizer: weakref.finalize[[subprocess.Popen[bytes]], WanMockServer] | None = None

    # ------------------------------------------------------------------ addresses
    @property
    def root(self) -> str:
        """``http://127.0.0.1:<port>``: the control plane lives under ``/__mock/`` here."""
        if self._root is None:
            raise RuntimeError("the server is not running: use `with WanMockServer() as s:`")
        return self._root

    @property
    def base_url(self) -> str:
        """The API root, what ``dashscope.base_http_api_url`` and the client's base_url take."""
        return self.root + API_PREFIX

    @property
    def port(self) -> int:
        return int(self.root.rsplit(":", 1)[1])

    @property
    def api_key(self) -> str:
        """The first configured key, or :data:`DEFAULT_API_KEY` when any key is accepted."""
        return self.api_keys[0] if self.api_keys else DEFAULT_API_KEY

    @property
    def running(self) -> bool:
        """Whether the server process is up (it may have been stopped or killed)."""
        return self._process is not None and self._process.poll() is None

    @property
    def pid(self) -> int | None:
        return None if self._process is None else self._process.pid

    @property
    def store(self) -> str:
        """Where the server keeps its tasks (``--store``)."""
        if self._store is not None:
            return self._store
        if self._folder is None:
            raise RuntimeError("the server is not running")
        return str(self._folder / "tasks.db")

    @property
    def log(self) -> Path:
        """What the server printed: its banner, its access log (a line per request) and any
        error."""
        if self._folder is None:
            raise RuntimeError("the server is not running")
        return self._folder / "wan-mock.log"

    # ------------------------------------------------------------------ life
    def _arguments(self) -> list[str]:
        """``serve`` on loopback and a free port, with its data in its folder, the options it
        was given (``serve_arguments``), then ``options``."""
        where = ["--host", "127.0.0.1", "--port", "0", "--data-dir", str(self.log.parent / "data")]
        given = serve_arguments({**self._chosen, "store": self.store})
        return ["serve", *where, *given, *self.options]

    def start(self) -> Self:
        """Start the server and wait until it answers (``ServerStartError`` if it cannot)."""
        if self._process is not None:
            raise RuntimeError("the server is already running")
        if self._directory is not None:
            self._directory.mkdir(parents=True, exist_ok=True)
            self._folder = self._directory
        else:
            self._folder = Path(tempfile.mkdtemp(prefix="wan-mock-server-"))
        with self.log.open("wb") as sink:
            process = subprocess.Popen(
                [*_command(), *self._arguments()],
                stdin=subprocess.DEVNULL,
                stdout=sink,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: stopped as one
            )
        self._process = process
        self._finalizer = weakref.finalize(self, _terminate, process)
        try:
            self._root = self._wait_ready(process)
        except BaseException:
            self.stop()
            raise
        self._controller = httpx.Client(base_url=self._root, timeout=30.0, trust_env=False)
        return self

    def _wait_ready(self, process: subprocess.Popen[bytes]) -> str:
        deadline = time.monotonic() + self.startup_timeout
        root: str | None = None
        with httpx.Client(timeout=2.0, trust_env=False) as http:
            while time.monotonic() < deadline:
                if process.poll() is not None:
                    raise ServerStartError(
                        f"wan-mock serve exited with {process.returncode}:\n{self._printed()}"
                    )
                if root is None:
                    found = _BANNER.search(self._printed())
                    root = found.group(1) if found else None
                if root is not None:
                    with contextlib.suppress(httpx.TransportError):
                        if http.get(root + "/__mock/health").status_code == 200:
                            return root
                with contextlib.suppress(subprocess.TimeoutExpired):
                    process.wait(timeout=0.05)
        raise ServerStartError(f"wan-mock serve did not answer in time:\n{self._printed()}")

    def _printed(self) -> str:
        try:
            return self.log.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""

    def kill(self) -> None:
        """SIGKILL the whole server at once (main process and workers), as a crash would;
        what it had committed stays in its store. ``stop()`` still cleans up after it."""
        if self._process is not None and self._process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self._process.pid, signal.SIGKILL)
            self._process.wait(timeout=_STOP_SECONDS)

    def stop(self) -> None:
        """Stop the server (idempotent) and remove its private folder (not a ``directory``
        it was given)."""
        process, self._process = self._process, None
        if self._controller is not None:
            self._controller.close()
            self._controller = None
        if process is not None:
            _terminate(process)
        if self._finalizer is not None:
            self._finalizer.detach()
            self._finalizer = None
        if self._folder is not None and self._directory is None:
            shutil.rmtree(self._folder, ignore_errors=True)
        self._folder = None
        self._root = None

    def __repr__(self) -> str:
        where = self._root or "not running"
        return f"<WanMockServer {where} pid={self.pid}>"
