"""Helpers for driving the official ``dashscope`` SDK against a real ``wan-mock serve``.

The SDK talks HTTP through ``requests`` and ``aiohttp``, so it needs a real server: a
``wan_mock.WanMockServer`` (``wan-mock serve`` on a free loopback port). The SDK itself is only
pointed at it — the two module attributes user code would set (:func:`sdk_pointed_at`) — and
never patched; :func:`sdk_connections_closed` drops its pooled connections before the server
they lead to stops.

Tests steer the mock through its control plane (``WanMockServer``'s control methods: queued
scenarios, the clock, the journal, the task dump) rather than by sleeping: a task queued with
:data:`INSTANT` has finished by the SDK's first poll, so ``wait()`` returns at once.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Coroutine, Iterator
from typing import Any, TypeVar

import dashscope
from dashscope.api_entities.aio_session import close_shared_aio_session
from dashscope.api_entities.http_request import close_shared_sync_session

__all__ = [
    "INSTANT",
    "has_ftyp_box",
    "run_async",
    "sdk_connections_closed",
    "sdk_pointed_at",
]

T = TypeVar("T")

INSTANT = "pending=0; running=0"
"""A scenario whose task has SUCCEEDED (or FAILED) by the first poll."""


def has_ftyp_box(data: bytes) -> bool:
    """An ISO-BMFF (MP4) file opens with an ``ftyp`` box: size (4 bytes), then the type."""
    return b"ftyp" in data[:12]


@contextlib.contextmanager
def sdk_connections_closed() -> Iterator[None]:
    """On the way out, close the SDK's shared ``requests`` session (its pooled connections):
    enter it inside the server's ``with`` so that it runs before the server stops."""
    try:
        yield
    finally:
        close_shared_sync_session()


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
