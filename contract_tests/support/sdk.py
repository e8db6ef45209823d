"""Helpers for driving the official ``dashscope`` SDK against a live ``wan-mock serve`` process.

The SDK talks HTTP through ``requests`` and ``aiohttp``, so it needs a real server: one
``wan-mock serve`` subprocess per test module (:func:`serve_mock`), bound to loopback on a free
port, with its store in a temporary folder. The SDK itself is only pointed at it — the two
module attributes user code would set (:func:`sdk_pointed_at`) — and never patched.

Tests steer the mock through its control plane (:class:`MockServer`: queued scenarios, the
shared clock, the journal, the task dump) rather than by sleeping: a task queued with
:data:`INSTANT` has finished by the SDK's first poll, so ``wait()`` returns at once.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Coroutine, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import dashscope
import httpx
from dashscope.api_entities.aio_session import close_shared_aio_session
from dashscope.api_entities.http_request import close_shared_sync_session

from wan_mock._testing._server import ServerStartError, WanMockServer

__all__ = [
    "INSTANT",
    "MockServer",
    "MockStartError",
    "has_ftyp_box",
    "run_async",
    "sdk_pointed_at",
    "serve_mock",
]

T = TypeVar("T")

INSTANT = "pending=0; running=0"
"""A scenario whose task has SUCCEEDED (or FAILED) by the first poll."""


class MockStartError(RuntimeError):
    """``wan-mock serve`` did not come up; the message carries its log."""


@dataclass(frozen=True)
class MockServer:
    """A running ``wan-mock serve``: its addresses and a client for its control plane."""

    root: str
    store: Path
    http: httpx.Client

    @property
    def api_url(self) -> str:
        """What ``dashscope.base_http_api_url`` must be set to."""
        return self.root + "/api/v1"

    def _control(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self.http.request(method, self.root + "/__mock/" + path, **kwargs)
        response.raise_for_status()
        return response.json()

    def queue(self, api_key: str, scenario: str, count: int = 1) -> None:
        """Queue ``scenario`` for the next ``count`` submits made with ``api_key``."""
        self._control(
            "POST", "scenarios", json={"api_key": api_key, "scenario": scenario, "count": count}
        )

    def advance(self, seconds: float) -> None:
        """Move the mock's shared clock forward."""
        self._control("POST", "clock/advance", json={"seconds": seconds})

    def journal(self, operation: str | None = None, task_id: str | None = None) -> list[Any]:
        """Recorded API requests, newest first, optionally filtered."""
        params = {"limit": "1000"}
        if operation is not None:
            params["operation"] = operation
        if task_id is not None:
            params["task_id"] = task_id
        entries = self._control("GET", "journal", params=params)["entries"]
        assert isinstance(entries, list)
        return entries

    def task(self, task_id: str) -> dict[str, Any]:
        """One task as the control plane dumps it (request body as stored, key id, timing)."""
        tasks = self._control("GET", "tasks")["tasks"]
        found = [task for task in tasks if task["task_id"] == task_id]
        assert len(found) == 1, f"the mock holds no task {task_id}"
        task = found[0]
        assert isinstance(task, dict)
        return task

    def download(self, url: str) -> bytes:
        """The bytes behind a ``video_url``."""
        response = self.http.get(url)
        assert response.status_code == 200, (response.status_code, response.text[:200])
        return response.content


def has_ftyp_box(data: bytes) -> bool:
    """An ISO-BMFF (MP4) file opens with an ``ftyp`` box: size (4 bytes), then the type."""
    return b"ftyp" in data[:12]


@contextlib.contextmanager
def serve_mock(directory: Path, *options: str) -> Iterator[MockServer]:
    """Run ``wan-mock serve`` (``wan_mock.WanMockServer``) on a free loopback port with its
    store in ``directory``; ``options`` are more ``serve`` arguments.

    The process is always stopped; on the way out the SDK's pooled connections to it are
    dropped too.
    """
    server = WanMockServer(directory=directory, options=options)
    try:
        server.start()
    except ServerStartError as error:
        raise MockStartError(str(error)) from None
    with httpx.Client(timeout=30.0, trust_env=False) as http:
        try:
            yield MockServer(root=server.root, store=Path(server.store), http=http)
        finally:
            close_shared_sync_session()
            server.stop()


@contextlib.contextmanager
def sdk_pointed_at(api_url: str, api_key: str) -> Iterator[None]:
    """Set ``dashscope.base_http_api_url`` and ``dashscope.api_key``; restore them after."""
    saved = dashscope.base_http_api_url, dashscope.api_key
    dashscope.base_http_api_url, dashscope.api_key = api_url, api_key
    try:
        yield
    finally:
        dashscope.base_http_api_url, dashscope.api_key = saved


def run_async(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run SDK coroutines in a fresh event loop.

    The async SDK keeps one shared ``aiohttp`` session per event loop and closes it only when
    asked (or at interpreter exit, by which time ``asyncio.run`` has closed the loop and the
    session leaks with a ResourceWarning), so it is closed here, inside the loop.
    """

    async def main() -> T:
        try:
            return await coroutine
        finally:
            await close_shared_aio_session()

    return asyncio.run(main())
