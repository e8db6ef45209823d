"""The API's requests, answered without Flask's request machinery.

Every operation of ``openapi/wan-video.yaml`` is answered here: ``Api.answer`` parses the
request (``ApiRequest``: the WSGI environ read as Werkzeug reads it), calls the backend, renders the
outcome or the refusal, writes the journal row, holds the answer for its latency and writes the
access-log line. ``Api.wsgi`` puts it in front of the Flask app: a request whose method and path
are an API operation's is answered at once, anything else (the control plane, pages, files, an
unknown path, HEAD/OPTIONS, a wrong method) goes to Flask, whose API routes call the same
``Api.answer`` — one place answers the API, whichever way a request comes in.

Routes are matched as Werkzeug matches them (the decoded path, a ``{param}`` is one non-empty
segment, every API prefix, with and without a trailing slash) by one precompiled regular
expression per method.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from werkzeug.exceptions import HTTPException
from werkzeug.http import HTTP_STATUS_CODES
from werkzeug.wrappers import Request
from werkzeug.wsgi import get_content_length, get_host, get_input_stream

from .._service._backend import Caller, Outcome, SubmitRequest
from .._service._state import MockState
from .._spec._base_paths import API_PREFIX, API_PREFIXES, CONTROL_PREFIX
from .._spec._codec import dumps
from .._spec._errors import (
    ApiError,
    IllegalInput,
    InternalError,
    InvalidParameter,
    MethodNotAllowed,
    NotFound,
    Rendered,
    TooLarge,
)
from .._storage._opening import store_unavailable
from ._access_log import AccessLog

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

__all__ = [
    "API_PREFIX",
    "API_PREFIXES",
    "CONTROL_PREFIX",
    "Answer",
    "Api",
    "ApiRequest",
    "Call",
    "api_error_of",
    "error_answer",
    "origin",
]

_log = logging.getLogger("wan_mock")

#: An answer as WSGI sends it: status, headers, body.
Answer = tuple[int, list[tuple[str, str]], bytes]


# ---------------------------------------------------------------------- JSON
#: The deepest nesting a request body may have (the deepest documented body has 4 levels).
_MAX_BODY_DEPTH = 32


def _json_body(request: ApiRequest, limit: int) -> Any:
    """The request body as JSON, refusing what is too large, not JSON (NaN, Infinity, numbers
    that overflow to infinity, invalid UTF-8 or lone surrogates included) or nested deeper than
    ``_MAX_BODY_DEPTH``."""
    length = get_content_length(request.environ)
    if length is not None and length > limit:
        raise TooLarge()
    raw = get_input_stream(request.environ).read(limit + 1)
    if len(raw) > limit:
        raise TooLarge()
    try:
        body = _BODY_DECODER.decode(raw.decode("utf-8"))
        # fewer opening brackets than the limit cannot nest deeper than it
        brackets = raw.count(b"{") + raw.count(b"[")
        if brackets > _MAX_BODY_DEPTH and _depth_exceeds(body, _MAX_BODY_DEPTH):
            raise InvalidParameter(
                f"Parameter body is invalid: it is nested deeper than {_MAX_BODY_DEPTH} levels."
            )
        if b"\\u" in raw:  # only a \u escape can make a lone surrogate (UnicodeError)
            json.dumps(body, ensure_ascii=False).encode("utf-8")
    except (UnicodeError, ValueError, RecursionError):
        raise IllegalInput() from None
    return body


def _finite_float(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise ValueError(f"{text} is not a finite number")
    return value


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


#: What ``json.loads(text, parse_constant=…, parse_float=…)`` would build on every call.
_BODY_DECODER = json.JSONDecoder(parse_constant=_reject_constant, parse_float=_finite_float)


def _depth_exceeds(value: Any, limit: int) -> bool:
    """Whether containers nest deeper than ``limit`` (iteratively: no recursion)."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict | list):
            if depth > limit:
                return True
            children = node.values() if isinstance(node, dict) else node
            stack.extend((child, depth + 1) for child in children)
    return False


# ---------------------------------------------------------------------- errors
def api_error_of(error: BaseException, method: str, path: str) -> tuple[ApiError, bool]:
    """What an exception raised while answering ``method path`` means to the caller, and
    whether it is the mock's own fault (a traceback worth logging)."""
    if isinstance(error, ApiError):
        return error, False
    if isinstance(error, HTTPException):
        known: dict[int, ApiError] = {
            404: NotFound(f"The requested URL {path} was not found."),
            405: MethodNotAllowed(f"The method {method} is not allowed for {path}."),
            413: TooLarge(),
            400: IllegalInput(),
        }
        return known.get(error.code or 500, InternalError()), False
    if store_unavailable(error):  # a Redis store down or too slow: not the mock's fault
        _log.warning("store unavailable on %s %s: %s", method, path, error)
        return ApiError(code="StoreUnavailable"), False
    return InternalError(), True


def error_answer(state: MockState, error: ApiError, request_id: str) -> tuple[Answer, Rendered]:
    """An ``ApiError`` as answered (the DashScope envelope with its status and
    ``Retry-After``), and how the specs' error table rendered it."""
    rendered = state.errors.render(error)
    headers = _headers(request_id)
    if rendered.retry_after is not None:
        headers.append(("Retry-After", str(rendered.retry_after)))
    return (rendered.http_status, headers, dumps(rendered.envelope(request_id))), rendered


def _headers(request_id: str) -> list[tuple[str, str]]:
    return [("Content-Type", "application/json"), ("X-Request-ID", request_id)]


# ---------------------------------------------------------------------- one request
class ApiRequest:
    """An API request as its WSGI environ has it, read the way Werkzeug's ``Request`` reads it
    (the method upper-cased, the path decoded and with one leading slash, headers from their
    ``HTTP_`` keys), without building one for the few fields a request of the API needs."""

    __slots__ = ("environ", "method", "path")

    def __init__(self, environ: WSGIEnvironment) -> None:
        self.environ = environ
        self.method: str = environ.get("REQUEST_METHOD", "GET").upper()
        path: str = environ.get("PATH_INFO") or ""
        if not path.isascii():  # WSGI's latin-1 string of the URL's bytes: read as UTF-8
            path = path.encode("latin-1").decode("utf-8", "replace")
        self.path = "/" + path.lstrip("/")

    def header(self, name: str) -> str | None:
        value: str | None = self.environ.get(_ENVIRON_KEYS[name])
        return value

    @property
    def remote_addr(self) -> str | None:
        address: str | None = self.environ.get("REMOTE_ADDR")
        return address

    def origin(self) -> str:
        return origin(self.environ)

    def args(self) -> dict[str, str]:
        """The query parameters (the first value of each)."""
        return dict(Request(self.environ).args.items())


def origin(environ: WSGIEnvironment) -> str:
    """``scheme://host[:port]`` of a request, as the client addressed the mock."""
    return f"{environ['wsgi.url_scheme']}://{get_host(environ)}"


#: The environ key of each header an API view reads.
_ENVIRON_KEYS = {
    name: "HTTP_" + name.upper().replace("-", "_")
    for name in (
        "Authorization",
        "X-DashScope-Async",
        "X-DashScope-OssResourceResolve",
        "X-Mock-Scenario",
    )
}


@dataclass(slots=True)
class Call:
    """One API request while it is answered: what the views, the journal and the access log
    share (the clock is read once per request: a SharedClock read may be a store query)."""

    state: MockState
    request: ApiRequest
    operation: str
    path_args: dict[str, str]
    request_id: str
    started: float
    _now: float | None = None
    key_id: str | None = None
    task_id: str | None = None

    def now(self) -> float:
        if self._now is None:
            self._now = self.state.clock.now()
        return self._now

    def caller(self) -> Caller:
        header = self.request.header("Authorization")
        caller = self.state.backend.authenticate(header, self.request_id)
        self.key_id = caller.key_id
        return caller


View = Callable[[Call], Outcome]


def _submit(kind: str) -> View:
    def view(call: Call) -> Outcome:
        state, request = call.state, call.request
        submitted = SubmitRequest(
            kind=kind,
            read_body=lambda: _json_body(request, state.spec.max_body_bytes),
            async_header=request.header("X-DashScope-Async"),
            oss_resolve_header=request.header("X-DashScope-OssResourceResolve"),
            scenario_header=request.header("X-Mock-Scenario"),
        )
        return state.backend.submit(call.caller(), submitted, now=call.now())

    return view


def _get_task(call: Call) -> Outcome:
    task_id = call.task_id = call.path_args["task_id"]
    base = call.request.origin() + "/results"
    return call.state.backend.query(call.caller(), task_id, result_base=base, now=call.now())


def _cancel_task(call: Call) -> Outcome:
    task_id = call.task_id = call.path_args["task_id"]
    return call.state.backend.cancel(call.caller(), task_id, now=call.now())


def _list_tasks(call: Call) -> Outcome:
    return call.state.backend.list(call.caller(), call.request.args(), now=call.now())


def _upload_policy(call: Call) -> Outcome:
    host = call.request.origin() + CONTROL_PREFIX + "/oss"
    args = call.request.args()
    return call.state.backend.upload_policy(call.caller(), args, host, now=call.now())


_PARAM = re.compile(r"\{(\w+)\}")
#: An operation matched by a method's expression: its id, and (parameter, group) pairs.
_Route = tuple[str, list[tuple[str, str]]]


class Api:
    """The API of one mock instance: its views by operation id, their routes, and the one
    way a request is answered."""

    def __init__(self, state: MockState, access_log: AccessLog | None) -> None:
        self.state = state
        self.access_log = access_log
        self.views: dict[str, View] = {
            "get_task": _get_task,
            "cancel_task": _cancel_task,
            "list_tasks": _list_tasks,
            "get_upload_policy": _upload_policy,
        }
        by_path = {path: kind for kind, path in state.spec.service.paths.items()}
        for operation in state.spec.operations.values():
            if operation.path in by_path:
                self.views[operation.operation_id] = _submit(by_path[operation.path])
        missing = set(state.spec.operations) - set(self.views)
        if missing:
            raise ValueError(f"wan-video.yaml operations without a view: {sorted(missing)}")
        self._routes = self._compile()

    def _compile(self) -> dict[str, tuple[re.Pattern[str], dict[str, _Route]]]:
        """Per method, one expression over every prefix and operation path (a trailing slash
        allowed): each operation is a group ``op_N`` (the last group a match closes), each of
        its path parameters a group ``pN_NAME``."""
        alternatives: dict[str, list[str]] = {}
        routes: dict[str, dict[str, _Route]] = {}
        prefixes = "|".join(re.escape(prefix) for prefix in API_PREFIXES)
        for index, operation in enumerate(self.state.spec.operations.values()):
            method = operation.method.upper()
            params = [(name, f"p{index}_{name}") for text, name in _pieces(operation.path) if name]
            pattern = "".join(
                f"(?P<p{index}_{name}>[^/]+)" if name else re.escape(text)
                for text, name in _pieces(operation.path)
            )
            alternatives.setdefault(method, []).append(f"(?P<op_{index}>{pattern}/?)")
            routes.setdefault(method, {})[f"op_{index}"] = (operation.operation_id, params)
        return {
            method: (re.compile(f"(?:{prefixes})(?:{'|'.join(parts)})"), routes[method])
            for method, parts in alternatives.items()
        }

    def match(self, method: str, path: str) -> tuple[str, dict[str, str]] | None:
        """The operation id and path parameters of an API request, or None."""
        compiled = self._routes.get(method)
        found = None if compiled is None else compiled[0].fullmatch(path)
        if compiled is None or found is None or found.lastgroup is None:
            return None
        operation_id, params = compiled[1][found.lastgroup]
        return operation_id, {name: found[group] for name, group in params}

    def wsgi(self, fallback: WSGIApplication) -> WSGIApplication:
        """A WSGI app that answers API operations here and hands the rest to ``fallback``."""

        def app(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
            if environ.get("SCRIPT_NAME"):  # mounted below a root: Flask knows the way
                return fallback(environ, start_response)
            request = ApiRequest(environ)
            found = self.match(request.method, request.path)
            if found is None:
                return fallback(environ, start_response)
            status, headers, body = self.answer(request, *found)
            headers.append(("Content-Length", str(len(body))))
            start_response(f"{status} {HTTP_STATUS_CODES.get(status, '')}", headers)
            return [body]

        return app

    def answer(self, request: ApiRequest, operation: str, path_args: dict[str, str]) -> Answer:
        """Answer one API request: the view's outcome or the refusal rendered, one journal
        row, the answer's latency, the access-log line."""
        started = time.perf_counter()
        call = Call(self.state, request, operation, path_args, str(uuid.uuid4()), started)
        outcome: Outcome | None = None
        rendered: Rendered | None = None
        fault: BaseException | None = None
        injected, delay = False, None
        try:
            outcome = self.views[operation](call)
            answer: Answer = (200, _headers(call.request_id), dumps(outcome.body))
            delay = outcome.delay
        except Exception as error:
            api_error, is_fault = api_error_of(error, request.method, request.path)
            if is_fault:
                fault = error
                if self.access_log is None:
                    _log.exception("unhandled error on %s %s", request.method, request.path)
            answer, rendered = error_answer(self.state, api_error, call.request_id)
            injected, delay = api_error.injected, api_error.delay
        self._journal(call, answer[0], outcome, rendered, injected)
        seconds = self.state.backend.delay(delay)
        if seconds > 0:
            self.state.pause(seconds)
        if self.access_log is not None:
            self._log(call, answer[0], outcome, rendered, fault)
        return answer

    def _journal(
        self,
        call: Call,
        status: int,
        outcome: Outcome | None,
        rendered: Rendered | None,
        injected: bool,
    ) -> None:
        """One bounded journal row per API request (key ids only, never keys or bodies)."""
        try:
            at = call.now()
        except Exception as lost:
            if store_unavailable(lost):  # no clock, no journal: the store is away
                return
            raise
        entry = {
            "at": at,
            "operation": call.operation,
            "key_id": call.key_id,
            "status": status,
            "code": None if rendered is None else rendered.code,
            "message": None if rendered is None else rendered.message,
            "task_id": outcome.task_id if outcome is not None else call.task_id,
            "task_status": None if outcome is None else outcome.task_status,
            "injected": injected,
        }
        try:
            self.state.journal.add(entry)
        except Exception as lost:  # the journal must never break an answer
            if store_unavailable(lost):
                _log.warning("could not write the journal: %s", lost)
            else:
                _log.exception("could not write the journal")

    def _log(
        self,
        call: Call,
        status: int,
        outcome: Outcome | None,
        rendered: Rendered | None,
        fault: BaseException | None,
    ) -> None:
        """The request's access-log line (``accesslog.py``)."""
        assert self.access_log is not None
        task_id = outcome.task_id if outcome is not None else None
        request = call.request
        try:
            self.access_log.request(
                request.method,
                request.path,
                status,
                (time.perf_counter() - call.started) * 1000,
                code=None if rendered is None else rendered.code,
                task_id=task_id or call.task_id or call.path_args.get("task_id"),
                operation=call.operation,
                request_id=call.request_id,
                key_id=call.key_id,
                remote=request.remote_addr,
                fault=fault,
            )
        except Exception:  # the log must never break an answer
            _log.exception("could not write the access log")


def _pieces(path: str) -> list[tuple[str, str]]:
    """A spec path as (text, "") and ("", parameter) pieces."""
    pieces: list[tuple[str, str]] = []
    at = 0
    for found in _PARAM.finditer(path):
        pieces.append((path[at : found.start()], ""))
        pieces.append(("", found.group(1)))
        at = found.end()
    pieces.append((path[at:], ""))
    return [piece for piece in pieces if piece != ("", "")]
