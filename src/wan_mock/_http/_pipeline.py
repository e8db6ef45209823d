"""The one way every request goes through the mock: routing, request id, error envelope and
access-log line, whatever the method or the root the app is mounted below.

``Pipeline`` is the WSGI app a mock serves (``create_app`` makes it Flask's ``wsgi_app``). For
each request it makes an ``Exchange`` — the request as its environ has it, a new request id, the
time it came in, and what its access-log line will say — and routes it by path, then method:

- a path of an operation of ``openapi/wan-video.yaml`` asked with that operation's method (HEAD
  as GET, the body left out) is answered by the API (``_api_operations.Api.answer``) without a Flask
  request context;
- the same path asked with another method is answered here as Werkzeug's routing would answer
  it: OPTIONS with the methods it allows, anything else 405 ``MethodNotAllowed`` with ``Allow``;
- everything else — the control plane, pages, files, an unknown path — goes to Flask, whose
  ``before_request`` notes the operation and task it routed to on the same exchange and whose one
  error handler renders a refusal with the same ``error_answer``.

Whoever answered, the pipeline then adds the ``X-Request-ID`` header and writes the request's
access-log line (``_access_log.AccessLog``), or, without an access log, hands a fault of the
mock's own to the ``wan_mock`` logger. The request is read the way Werkzeug reads it (the method
upper-cased, the path decoded and with one leading slash; ``SCRIPT_NAME`` is the mount, never
part of the path), so both sides see the same method and path.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable, Collection, Iterable, Mapping
from typing import TYPE_CHECKING, Protocol

from werkzeug.exceptions import HTTPException
from werkzeug.exceptions import MethodNotAllowed as HttpMethodNotAllowed
from werkzeug.http import HTTP_STATUS_CODES
from werkzeug.wsgi import get_host

from .._spec._codec import dumps
from .._spec._errors import (
    ApiError,
    ErrorTable,
    IllegalInput,
    InternalError,
    MethodNotAllowed,
    NotFound,
    Rendered,
    TooLarge,
)
from .._storage._opening import store_unavailable
from ._access_log import AccessLog

if TYPE_CHECKING:
    from _typeshed import OptExcInfo
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

__all__ = [
    "EXCHANGE",
    "JSON",
    "Answer",
    "Exchange",
    "Operations",
    "Pipeline",
    "error_answer",
    "origin",
    "refusal_of",
]

_log = logging.getLogger("wan_mock")

#: An answer as WSGI sends it: status, headers, body.
Answer = tuple[int, list[tuple[str, str]], bytes]
#: Where a request handed to Flask carries its ``Exchange`` (its WSGI environ).
EXCHANGE = "wan_mock.exchange"
#: The header every answer carries its request id in (a JSON answer's ``request_id`` too).
_REQUEST_ID = "X-Request-ID"
#: The content type of every JSON answer.
JSON = ("Content-Type", "application/json")
#: Each status as Werkzeug's responses (Flask's) write it: ``405 METHOD NOT ALLOWED``.
_STATUS_LINES = {
    status: f"{status} {reason.upper()}" for status, reason in HTTP_STATUS_CODES.items()
}
#: Werkzeug's answer to OPTIONS (an empty ``Response``): its content type.
_OPTIONS_TYPE = ("Content-Type", "text/html; charset=utf-8")


class Exchange:
    """One request from its arrival to its access-log line: the method and path as Werkzeug
    reads them, its request id and arrival time, and what whoever answers it notes for the
    line (the operation, the task, the key id, the error code, a fault of the mock's own)."""

    __slots__ = (
        "code",
        "environ",
        "fault",
        "key_id",
        "method",
        "operation",
        "path",
        "request_id",
        "started",
        "task_id",
    )

    def __init__(self, environ: WSGIEnvironment) -> None:
        self.started = time.perf_counter()
        self.environ = environ
        self.method: str = environ.get("REQUEST_METHOD", "GET").upper()
        path: str = environ.get("PATH_INFO") or ""
        if not path.isascii():  # WSGI's latin-1 string of the URL's bytes: read as UTF-8
            path = path.encode("latin-1").decode("utf-8", "replace")
        self.path = "/" + path.lstrip("/")
        self.request_id = str(uuid.uuid4())
        self.operation: str | None = None
        self.task_id: str | None = None
        self.key_id: str | None = None
        self.code: str | None = None
        self.fault: BaseException | None = None


def origin(environ: WSGIEnvironment) -> str:
    """``scheme://host[:port]`` of a request, as the client addressed the mock."""
    return f"{environ['wsgi.url_scheme']}://{get_host(environ)}"


# ---------------------------------------------------------------------- refusals
def refusal_of(error: BaseException, exchange: Exchange) -> ApiError:
    """What an exception raised while answering a request means to the caller; a fault of the
    mock's own (a traceback worth logging) is kept on the exchange for its log line."""
    if isinstance(error, ApiError):
        return error
    method, path = exchange.method, exchange.path
    if isinstance(error, HTTPException):
        known: dict[int, ApiError] = {
            404: NotFound(f"The requested URL {path} was not found."),
            405: MethodNotAllowed(f"The method {method} is not allowed for {path}."),
            413: TooLarge(),
            400: IllegalInput(),
        }
        return known.get(error.code or 500, InternalError())
    if store_unavailable(error):  # a Redis store down or too slow: not the mock's fault
        _log.warning("store unavailable on %s %s: %s", method, path, error)
        return ApiError(code="StoreUnavailable")
    exchange.fault = error
    return InternalError()


def error_answer(
    errors: ErrorTable,
    error: ApiError,
    exchange: Exchange,
    allowed: Collection[str] | None = None,
) -> tuple[Answer, Rendered]:
    """An ``ApiError`` as answered — the DashScope envelope with its status, ``Retry-After``,
    and ``Allow`` for a method a path does not allow — and how the specs' error table rendered
    it; its code is kept on the exchange for the log line."""
    rendered = errors.render(error)
    exchange.code = rendered.code
    headers = [JSON]
    if rendered.retry_after is not None:
        headers.append(("Retry-After", str(rendered.retry_after)))
    if allowed:
        headers.append(_allow(allowed))
    return (rendered.http_status, headers, dumps(rendered.envelope(exchange.request_id))), rendered


# ---------------------------------------------------------------------- the pipeline
class Operations(Protocol):
    """What the pipeline needs of the API (``_api_operations.Api``): the operations at a path,
    and the answer to one of them."""

    def match(self, path: str) -> tuple[Mapping[str, str], Mapping[str, str]] | None:
        """The operation ids at ``path`` by method, and its path parameters; None when no
        operation has this path."""

    def answer(self, exchange: Exchange, operation: str, path_args: Mapping[str, str]) -> Answer:
        """The answer to one operation, its journal row written and its latency waited."""


class Pipeline:
    """The WSGI app of one mock: the API's operations answered here, the rest by ``fallback``
    (the Flask app), every request with its request id and access-log line."""

    def __init__(
        self,
        api: Operations,
        errors: ErrorTable,
        fallback: WSGIApplication,
        access_log: AccessLog | None,
    ) -> None:
        self.api = api
        self.errors = errors
        self.fallback = fallback
        self.access_log = access_log

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        exchange = Exchange(environ)
        found = self.api.match(exchange.path)
        if found is None:
            return self._handed_on(exchange, start_response)
        operations, path_args = found
        method = exchange.method
        operation = operations.get(method)
        if operation is None and method == "HEAD":
            operation = operations.get("GET")
        if operation is not None:
            exchange.operation, exchange.task_id = operation, path_args.get("task_id")
            status, headers, body = self.api.answer(exchange, operation, path_args)
        elif method == "OPTIONS":  # routed to the path's first operation, as by Werkzeug
            exchange.operation = next(iter(operations.values()))
            exchange.task_id = path_args.get("task_id")
            status, headers, body = 200, [_OPTIONS_TYPE, _allow(_allowed(operations))], b""
        else:  # no route: no operation, no task (Werkzeug's routing has none either)
            refusal = refusal_of(HttpMethodNotAllowed(), exchange)
            allowed = _allowed(operations)
            (status, headers, body), _ = error_answer(self.errors, refusal, exchange, allowed)
        headers.append((_REQUEST_ID, exchange.request_id))
        headers.append(("Content-Length", str(len(body))))
        start_response(_STATUS_LINES.get(status) or f"{status} UNKNOWN", headers)
        self._finish(exchange, status)
        return [] if method == "HEAD" else [body]

    def _handed_on(self, exchange: Exchange, start_response: StartResponse) -> Iterable[bytes]:
        """Flask's answer, with the request id; Flask notes on the exchange what it routed to
        and how it refused."""
        exchange.environ[EXCHANGE] = exchange
        status = 0

        def start(
            line: str, headers: list[tuple[str, str]], exc_info: OptExcInfo | None = None, /
        ) -> Callable[[bytes], object]:
            nonlocal status
            status = int(line[:3])
            headers.append((_REQUEST_ID, exchange.request_id))
            return start_response(line, headers, exc_info)

        body = self.fallback(exchange.environ, start)
        self._finish(exchange, status)
        return body

    def _finish(self, exchange: Exchange, status: int) -> None:
        """The request's access-log line; without an access log, a fault's traceback goes to
        the ``wan_mock`` logger instead."""
        if self.access_log is None:
            if exchange.fault is not None:
                method, path = exchange.method, exchange.path
                _log.error("unhandled error on %s %s", method, path, exc_info=exchange.fault)
            return
        log = self.access_log
        try:
            line = log.line(
                exchange.method,
                exchange.path,
                status,
                (time.perf_counter() - exchange.started) * 1000,
                code=exchange.code,
                task_id=exchange.task_id,
                operation=exchange.operation,
                request_id=exchange.request_id,
                key_id=exchange.key_id,
                remote=exchange.environ.get("REMOTE_ADDR"),
                fault=exchange.fault,
            )
            log.write(line)
        except Exception:  # the log must never break an answer
            _log.exception("could not write the access log")


def _allowed(operations: Mapping[str, str]) -> set[str]:
    """The methods a path allows, as Werkzeug's routing counts them: its operations', HEAD with
    GET, and OPTIONS."""
    allowed = {"OPTIONS", *operations}
    if "GET" in allowed:
        allowed.add("HEAD")
    return allowed


def _allow(methods: Iterable[str]) -> tuple[str, str]:
    """The ``Allow`` header naming ``methods``."""
    return ("Allow", ", ".join(sorted(methods)))
