"""Helpers of the ``wan_video`` tests: the layer's two clients wired to the in-process mock, and
the async client driven from sync tests so that one test checks both.

The in-process mock (``WanMock``) answers through a WSGI transport, which httpx only has for sync
clients; :class:`AsyncOverSync` carries the async client's requests through a sync transport
(a body cut short by ``download=drop`` still breaks mid-stream). :class:`Blocking` runs every
awaited method of an ``AsyncWanClient`` on one event loop kept for the test.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import AsyncIterator, Callable
from typing import Any, cast

import httpx

from wan_mock import WanMock, WanMockServer
from wan_video import AsyncWanClient, RetryPolicy, WanClient
from wan_video._http import ClientTransport

__all__ = [
    "KINDS",
    "RETRY",
    "AsyncOverSync",
    "Blocking",
    "Clients",
    "Flaky",
]

#: Retries without jitter, so the mock's clock moves by exact amounts.
RETRY = RetryPolicy(jitter=0)
#: Both clients: every behaviour test runs once on each.
KINDS = ("sync", "async")


class _AsyncBody(httpx.AsyncByteStream):
    def __init__(self, response: httpx.Response) -> None:
        self._response = response

    async def __aiter__(self) -> AsyncIterator[bytes]:
        if self._response.is_stream_consumed:  # a response made from bytes reads itself
            yield self._response.content
            return
        for chunk in self._response.iter_raw():
            yield chunk

    async def aclose(self) -> None:
        self._response.close()


class AsyncOverSync(httpx.AsyncBaseTransport):
    """An async transport that sends through a sync one (the in-process mock's)."""

    def __init__(self, transport: httpx.BaseTransport) -> None:
        self._transport = transport

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        body = await request.aread()
        sync = httpx.Request(
            request.method,
            request.url,
            headers=request.headers,
            content=body,
            extensions=request.extensions,
        )
        response = self._transport.handle_request(sync)
        return httpx.Response(
            response.status_code, headers=response.headers, stream=_AsyncBody(response)
        )


class Flaky(httpx.BaseTransport):
    """A transport that raises the given errors on the first requests, then passes through."""

    def __init__(self, transport: httpx.BaseTransport, *failures: httpx.TransportError) -> None:
        self._transport = transport
        self.failures = list(failures)
        self.requests: list[httpx.Request] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self.failures:
            raise self.failures.pop(0)
        return self._transport.handle_request(request)


class Blocking:
    """An ``AsyncWanClient`` whose coroutine methods run to completion on one event loop, so a
    sync test can drive it like a ``WanClient``."""

    def __init__(self, client: AsyncWanClient) -> None:
        self._client = client
        self._loop = asyncio.new_event_loop()

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._client, name)
        if not callable(value):
            return value

        def call(*args: Any, **kwargs: Any) -> Any:
            result = value(*args, **kwargs)
            return self._loop.run_until_complete(result) if inspect.isawaitable(result) else result

        return call

    def close(self) -> None:
        self._loop.run_until_complete(self._client.close())
        self._loop.close()


def _async_sleep(sleep: Callable[[float], object]) -> Callable[[float], Any]:
    async def pause(seconds: float) -> None:
        sleep(seconds)

    return pause


class Clients:
    """The layer's clients of one ``kind`` (``sync`` or ``async``) for a test, closed after it.
    An async one stands behind :class:`Blocking`, typed as the sync client it stands for."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._made: list[WanClient | Blocking] = []

    def _make(
        self,
        api_key: str,
        base_url: str,
        transport: httpx.BaseTransport | None,
        sleep: Callable[[float], object],
        options: dict[str, Any],
    ) -> WanClient:
        options.setdefault("retry", RETRY)
        made: WanClient | Blocking
        if self.kind == "sync":
            made = WanClient(
                api_key, base_url=base_url, transport=transport, sleep=sleep, **options
            )
        else:
            made = Blocking(
                AsyncWanClient(
                    api_key,
                    base_url=base_url,
                    transport=AsyncOverSync(transport) if transport is not None else None,
                    sleep=_async_sleep(sleep),
                    **options,
                )
            )
        self._made.append(made)
        return cast(WanClient, made)

    def on_mock(
        self,
        mock: WanMock,
        *,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], object] | None = None,
        **options: Any,
    ) -> WanClient:
        """A client on the in-process mock, pausing on its clock (or with ``sleep``)."""
        transport = transport or ClientTransport(mock.http)
        return self._make(mock.api_key, mock.base_url, transport, sleep or mock.advance, options)

    def on_server(self, server: WanMockServer, **options: Any) -> WanClient:
        """A client on a served mock over a real socket; its pauses advance the mock's clock."""
        return self._make(server.api_key, server.base_url, None, server.advance, options)

    def close(self) -> None:
        for made in self._made:
            made.close()
