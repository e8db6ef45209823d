"""The wire, shared by both clients and free of I/O: where each operation goes (the paths are the
spec's, from the data file), which key and base URL a client uses, how an answer becomes a
generated model or the error of its family, and how an httpx failure becomes an
:class:`~wan_video.errors.APIConnectionError`.

Requests go through the generated client's httpx client (``AuthenticatedClient``: base URL,
``Authorization``, timeout, transport) with the JSON body the layer built, so a model name the
generated enums do not know can still be sent; answers are read by the generated models.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any, Protocol, Self, TypeVar
from urllib.parse import urlsplit

import httpx

from wan_video_client.models import CreateVideoSynthesisTaskXDashScopeAsync, ErrorResponse
from wan_video_client.types import Unset

from ._policy import retry_after
from ._spec import SPEC
from .errors import APIConnectionError, MalformedResponse, MissingApiKeyError, api_error

__all__ = [
    "AsyncClientTransport",
    "ClientTransport",
    "M",
    "Settings",
    "connection_error",
    "parse",
    "request_args",
]


class _FromDict(Protocol):
    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self: ...


M = TypeVar("M", bound=_FromDict)

#: Errors raised before any byte of the request left: a retry cannot make a second task.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
_ASYNC = {"X-DashScope-Async": str(CreateVideoSynthesisTaskXDashScopeAsync.ENABLE)}


class Settings:
    """The key, base URL and region of a client, from its arguments and the environment:
    ``api_key`` or ``DASHSCOPE_API_KEY``; ``base_url`` (``/api/v1`` added to a bare host), else
    ``region`` (``intl`` or ``cn``, the spec's servers), else ``DASHSCOPE_HTTP_BASE_URL`` (what
    the official SDK reads, and what the ``wan_mock_server`` fixture sets), else ``intl``."""

    def __init__(self, api_key: str | None, region: str | None, base_url: str | None) -> None:
        key = api_key if api_key is not None else os.environ.get("DASHSCOPE_API_KEY", "")
        key = key.strip()
        if not key:
            raise MissingApiKeyError("no API key: pass api_key=… or set DASHSCOPE_API_KEY")
        if not (key.isascii() and key.isprintable()):
            raise MissingApiKeyError("the API key holds characters an HTTP header cannot carry")
        if base_url is not None and region is not None:
            raise ValueError("give region= or base_url=, not both")
        environment = os.environ.get("DASHSCOPE_HTTP_BASE_URL")
        if base_url is None and region is None and environment:
            base_url = environment
        if base_url is None:
            region = region or "intl"
            if region not in SPEC.servers:
                raise ValueError(f"region must be one of {', '.join(SPEC.servers)}: {region!r}")
            base_url = SPEC.servers[region]
        self.api_key = key
        self.region = region
        self.base_url = api_root(base_url)


def api_root(url: str) -> str:
    """A base URL as given, or ``…/api/v1`` under a bare host (``http://127.0.0.1:8000``, as
    ``wan-mock serve`` prints it): every operation of the API lives under a path."""
    url = url.rstrip("/")
    return url + SPEC.base_path if urlsplit(url).path == "" else url


def request_args(
    operation: str,
    *,
    task_id: str | None = None,
    body: Mapping[str, Any] | None = None,
    params: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """``build_request`` arguments for an operation of the spec."""
    where = SPEC.operations[operation]
    path = where.path.format(task_id=task_id) if task_id is not None else where.path
    args: dict[str, Any] = {"method": where.method.upper(), "url": path}
    if body is not None:
        args.update(json=body, headers=_ASYNC)
    if params:
        args["params"] = {k: v for k, v in params.items() if v is not None}
    return args


def _text(value: str | Unset) -> str | None:
    return value if isinstance(value, str) and value else None


def parse(response: httpx.Response, model: type[M]) -> M:
    """A 2xx answer as a generated model; any other as the exception of its family."""
    try:
        content: Any = response.json()
    except ValueError:
        content = None
    if not response.is_success:
        error = ErrorResponse.from_dict(content) if isinstance(content, dict) else ErrorResponse()
        message = _text(error.message) or (None if content else response.text[:200] or None)
        raise api_error(
            response.status_code,
            _text(error.code),
            message,
            request_id=_text(error.request_id),
            retry_after=retry_after(response.headers),
        )
    try:
        return model.from_dict(content)
    except (TypeError, ValueError, KeyError, AttributeError) as unreadable:
        raise MalformedResponse(
            f"a {model.__name__} was expected: {unreadable!r} in {response.text[:200]!r}",
            status=response.status_code,
        ) from unreadable


def connection_error(error: httpx.TransportError) -> APIConnectionError:
    sent = not isinstance(error, _NOT_SENT)
    return APIConnectionError(f"{type(error).__name__}: {error}", sent=sent)


class ClientTransport(httpx.BaseTransport):
    """Sends through a caller's ``httpx.Client`` (its transport, mounts and proxies), without
    its default headers: the layer sets its own, and result downloads must carry no key."""

    def __init__(self, client: httpx.Client) -> None:
        self._client = client

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return self._client.send(request, stream=True)


class AsyncClientTransport(httpx.AsyncBaseTransport):
    """:class:`ClientTransport` for an ``httpx.AsyncClient``."""

    def __init__(self, client: httpx.AsyncClient) -> None:
        self._client = client

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return await self._client.send(request, stream=True)
