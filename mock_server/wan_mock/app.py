"""The HTTP layer: the Flask app factory, the views and the one error handler.

Only this module imports Flask. The routes are the two specs' operations: each operation of
``openapi/wan-video.yaml`` under every API prefix (with and without a trailing slash), each of
``openapi/mock-control.yaml`` at its path. A view parses the request (headers, path, query, body),
calls the backend or the control plane, and renders what comes back; every refusal is an
``ApiError`` rendered by :func:`_render_error` from the error table of the specs. Every API
request is written to the bounded journal (key ids only, never keys), from the backend's
:class:`~wan_mock.backend.Outcome`. With ``Settings(access_log=True)`` every request served —
API, control plane, files and pages — also writes a line of the access log (``accesslog.py``).
"""

from __future__ import annotations

import json
import logging
import sys
import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from flask import Flask, Response, current_app, g, redirect, request, send_file
from werkzeug.exceptions import HTTPException, RequestedRangeNotSatisfiable

from . import console, docs
from .accesslog import AccessLog, Stream
from .backend import Caller, Outcome, SubmitRequest
from .clock import Clock
from .control import OPERATIONS, MockControl
from .errors import (
    ApiError,
    IllegalInput,
    InternalError,
    InvalidParameter,
    MethodNotAllowed,
    NotFound,
    TooLarge,
)
from .media import VideoShape
from .scenarios import BrokenDownload, DroppedConnection
from .settings import Settings
from .spec import Operation
from .state import EXTENSION, MockState, build_state, mock_state
from .stores import store_unavailable
from .uploads import UploadRejected
from .validation import OperationValidator

__all__ = [
    "API_PREFIX",
    "API_PREFIXES",
    "CONTROL_PREFIX",
    "MockState",
    "close_app",
    "create_app",
    "mock_state",
]

API_PREFIX = "/api/v1"
#: Where the API is served: the service's own base path, and the ``/qwen/api/v1`` that the seed
#: documents' curl commands use (``{{BASE_URL}}/qwen/api/v1/...``). Same views, same journal.
API_PREFIXES = (API_PREFIX, "/qwen" + API_PREFIX)
CONTROL_PREFIX = "/__mock"
_log = logging.getLogger("wan_mock")
#: Where an app made with ``Settings(access_log=True)`` keeps its ``AccessLog``.
_ACCESS_LOG = "wan_mock.access_log"


def close_app(app: Flask) -> None:
    """Close an app's state (its store, journal and background renders)."""
    mock_state(app).close()


def _state() -> MockState:
    return mock_state(current_app)


# ---------------------------------------------------------------------- request parsing
#: The deepest nesting a request body may have (the deepest documented body has 4 levels).
_MAX_BODY_DEPTH = 32


def _json_body(limit: int) -> Any:
    """The request body as JSON, refusing what is too large, not JSON (NaN, Infinity, numbers
    that overflow to infinity, invalid UTF-8 or lone surrogates included) or nested deeper than
    ``_MAX_BODY_DEPTH``."""
    length = request.content_length
    if length is not None and length > limit:
        raise TooLarge()
    raw = request.stream.read(limit + 1)
    if len(raw) > limit:
        raise TooLarge()
    try:
        body = json.loads(
            raw.decode("utf-8"), parse_constant=_reject_constant, parse_float=_finite_float
        )
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


def _now() -> float:
    """The request's time: the clock is read once per request (a SharedClock read is a store
    query), and the backend and the journal use the same value."""
    now: float | None = getattr(g, "now", None)
    if now is None:
        now = g.now = _state().clock.now()
    return now


def _origin() -> str:
    """``scheme://host[:port]`` of this request, as the client addressed the mock."""
    return f"{request.scheme}://{request.host}"


def _caller() -> Caller:
    caller = _state().backend.authenticate(request.headers.get("Authorization"), g.request_id)
    g.key_id = caller.key_id
    return caller


def _json(body: Any, status: int = 200) -> Response:
    return Response(
        json.dumps(body, ensure_ascii=False, separators=(",", ":")),
        status=status,
        mimetype="application/json",
    )


def _answer(outcome: Outcome) -> Response:
    g.outcome = outcome
    return _json(outcome.body)


# ---------------------------------------------------------------------- API views
def _submit(kind: str) -> Callable[[], Response]:
    def view() -> Response:
        state = _state()
        submitted = SubmitRequest(
            kind=kind,
            read_body=lambda: _json_body(state.spec.max_body_bytes),
            async_header=request.headers.get("X-DashScope-Async"),
            oss_resolve_header=request.headers.get("X-DashScope-OssResourceResolve"),
            scenario_header=request.headers.get("X-Mock-Scenario"),
        )
        return _answer(state.backend.submit(_caller(), submitted, now=_now()))

    return view


def _get_task(task_id: str) -> Response:
    g.task_id = task_id
    base = _origin() + "/results"
    return _answer(_state().backend.query(_caller(), task_id, result_base=base, now=_now()))


def _cancel_task(task_id: str) -> Response:
    g.task_id = task_id
    return _answer(_state().backend.cancel(_caller(), task_id, now=_now()))


def _list_tasks() -> Response:
    return _answer(_state().backend.list(_caller(), dict(request.args.items()), now=_now()))


def _upload_policy() -> Response:
    host = _origin() + CONTROL_PREFIX + "/oss"
    args = dict(request.args.items())
    return _answer(_state().backend.upload_policy(_caller(), args, host, now=_now()))


def _api_views(state: MockState) -> dict[str, Callable[..., Response]]:
    """The view of each operation of the API spec."""
    views: dict[str, Callable[..., Response]] = {
        "get_task": _get_task,
        "cancel_task": _cancel_task,
        "list_tasks": _list_tasks,
        "get_upload_policy": _upload_policy,
    }
    by_path = {path: kind for kind, path in state.spec.service.paths.items()}
    for operation in state.spec.operations.values():
        if operation.path in by_path:
            views[operation.operation_id] = _submit(by_path[operation.path])
    return views


# ---------------------------------------------------------------------- files
def _oss_upload() -> Response:
    """The multipart upload the SDK sends to the policy's ``upload_host``."""
    state = _state()
    upload = request.files.get("file")
    key = request.form.get("key", "")
    if upload is None or not key:
        return _oss_error(400, "InvalidArgument", "The form needs the fields key and file.")
    signature = request.form.get("Signature", "")
    try:
        state.backend.save_upload(key, signature, upload.read(), now=state.clock.now())
    except UploadRejected as rejected:
        return _oss_error(rejected.status, rejected.code, str(rejected))
    status = request.form.get("success_action_status", "204")
    return Response(b"", status=int(status) if status in ("200", "201", "204") else 204)


def _oss_error(status: int, code: str, message: str) -> Response:
    body = f"<Error><Code>{code}</Code><Message>{message}</Message></Error>"
    return Response(body, status=status, mimetype="application/xml")


def _result(task_id: str) -> Response:
    """The MP4 behind a signed ``video_url`` (Range, ETag and HEAD supported)."""
    state = _state()
    try:
        record = state.backend.result(
            task_id, request.args.get("Expires"), request.args.get("Signature")
        )
    except PermissionError:
        return _oss_error(403, "AccessDenied", "Request has expired or the signature is invalid.")
    assert record.video is not None
    path = state.videos.get(VideoShape(*record.video))
    response = send_file(
        path,
        mimetype="video/mp4",
        conditional=True,
        etag=state.videos.etag(path).strip('"'),
        max_age=86400,
    )
    response.headers["Accept-Ranges"] = "bytes"
    if request.method == "GET" and response.status_code in (200, 206):
        broken = state.backend.broken_download(record)
        if broken is not None:
            _break(response, broken)
    return response


def _break(response: Response, broken: BrokenDownload) -> None:
    """Break a result download after ``broken.after`` bytes of its body."""
    response.direct_passthrough = False
    body = response.get_data()
    if broken.after >= len(body):
        return
    if broken.mode == "truncate":  # a short body, announced as such
        response.set_data(body[: broken.after])
        first = response.content_range.start if response.content_range else None
        if first is not None and response.content_range is not None:
            total = response.content_range.length
            response.content_range.set(first, first + broken.after, total)
        return
    head = body[: broken.after]

    def dropped() -> Iterator[bytes]:
        yield head
        raise DroppedConnection(f"dropped after {broken.after} bytes (download=drop)")

    response.response = dropped()  # the full Content-Length stays: the body ends early


_FILE_VIEWS: dict[str, Callable[..., Response]] = {
    "mock_oss_upload": _oss_upload,
    "mock_get_result": _result,
    "mock_head_result": _result,
}


# ---------------------------------------------------------------------- pages
def _html(text: str) -> Response:
    return Response(text, mimetype="text/html")


def _to_console() -> Response:
    """``/`` and ``/__mock/`` lead to the console."""
    if request.path.startswith(CONTROL_PREFIX):
        _allow()
    return redirect(CONTROL_PREFIX + "/console", 302)  # type: ignore[return-value]


#: The console's pages: each renders from the control plane and the page's validated query
#: (and path) parameters.
_CONSOLE_PAGES: dict[str, Callable[[MockControl, dict[str, Any]], str]] = {
    "mock_console": console.tasks_page,
    "mock_console_task": lambda control, args: console.task_page(
        control, str(args["task_id"]), origin=_origin()
    ),
    "mock_console_journal": console.journal_page,
}


def _console(operation_id: str, validator: OperationValidator) -> Callable[..., Response]:
    page = _CONSOLE_PAGES[operation_id]

    def view(**path: str) -> Response:
        control = _allow()
        return _html(page(control, {**validator.query(dict(request.args.items())), **path}))

    return view


# The references: the specs as served (this mock first in ``servers``) and the Swagger UI pages
# over them (``docs.py``); the API's are public, the control plane's guarded like it.
def _reference(control: bool) -> tuple[docs.ServedSpec, str]:
    """The API spec as served and this mock's API server as this request reached it; the
    control spec and this mock's root, for a caller the control plane admits."""
    reference = _state().reference
    if control:
        _allow()
        return reference.control, _origin()
    return reference.api, _origin() + API_PREFIX


def _reference_page(control: bool) -> Callable[[], Response]:
    base = CONTROL_PREFIX if control else ""

    def view() -> Response:
        served, _ = _reference(control)
        token = request.headers.get("X-Mock-Control-Token") if control else None
        page = served.page(
            base + "/openapi.json", yaml_url=base + "/openapi.yaml", control_token=token or None
        )
        response = _html(page)
        response.headers["Content-Security-Policy"] = docs.PAGE_POLICY
        if token:  # the page holds the caller's token: keep it out of every cache
            response.cache_control.no_store = True
        return response

    return view


def _spec_document(control: bool, form: str) -> Callable[[], Response]:
    def view() -> Response:
        served, server = _reference(control)
        return _file(served.json(server) if form == "json" else served.yaml(server))

    return view


def _asset(name: str) -> Response:
    return _file(docs.asset(name))


def _file(document: docs.Document) -> Response:
    """A spec document or a static file, revalidated by its ETag (304 when ``If-None-Match``
    names it)."""
    response = Response(document.body, content_type=document.content_type)
    response.set_etag(document.etag)
    response.cache_control.no_cache = True
    response.make_conditional(request)
    return response


#: The HTML pages and spec documents of ``mock-control.yaml`` (tag ``pages``), by operation id.
_PAGE_VIEWS: dict[str, Callable[..., Response]] = {
    "mock_root": _to_console,
    "mock_index": _to_console,
    "mock_api_reference": _reference_page(control=False),
    "mock_api_spec_yaml": _spec_document(control=False, form="yaml"),
    "mock_api_spec_json": _spec_document(control=False, form="json"),
    "mock_control_reference": _reference_page(control=True),
    "mock_control_spec_yaml": _spec_document(control=True, form="yaml"),
    "mock_control_spec_json": _spec_document(control=True, form="json"),
    "mock_asset": _asset,
}

#: Operations of ``mock-control.yaml`` that are not control operations: files and pages.
_OWN_VIEWS: dict[str, Callable[..., Response]] = {**_FILE_VIEWS, **_PAGE_VIEWS}


# ---------------------------------------------------------------------- control plane
def _allow() -> MockControl:
    """The control plane, for a caller it admits (loopback, or the control token): every
    control operation and every page under ``/__mock/``."""
    control = MockControl(_state())
    control.allow(request.remote_addr, request.headers.get("X-Mock-Control-Token"))
    return control


def _control(operation_id: str, validator: OperationValidator) -> Callable[[], Response]:
    handler = OPERATIONS[operation_id]

    def view() -> Response:
        control = _allow()
        args = validator.query(dict(request.args.items()))
        if request.method == "POST":
            args.update(validator.body(request.get_data()))
        try:
            return _json(handler(control, args))
        except ValueError as refused:  # what the spec's schemas could not say
            raise InvalidParameter(str(refused)) from None

    return view


# ---------------------------------------------------------------------- errors and journal
def _render_error(error: Exception) -> Response:
    if isinstance(error, RequestedRangeNotSatisfiable):
        response = _oss_error(416, "InvalidRange", "The requested range is not satisfiable.")
        if error.length is not None:
            response.headers["Content-Range"] = f"bytes */{error.length}"
        return response
    if isinstance(error, ApiError):
        api_error = error
    elif isinstance(error, HTTPException):
        known: dict[int, ApiError] = {
            404: NotFound(f"The requested URL {request.path} was not found."),
            405: MethodNotAllowed(
                f"The method {request.method} is not allowed for {request.path}."
            ),
            413: TooLarge(),
            400: IllegalInput(),
        }
        api_error = known.get(error.code or 500, InternalError())
    elif store_unavailable(error):  # a Redis store down or too slow: not the mock's fault
        _log.warning("store unavailable on %s %s: %s", request.method, request.path, error)
        api_error = ApiError(code="StoreUnavailable")
    else:  # the mock's own fault: its traceback goes with the request's access-log line
        g.fault = error
        if _ACCESS_LOG not in current_app.extensions:
            _log.exception("unhandled error on %s %s", request.method, request.path)
        api_error = InternalError()
    rendered = _state().errors.render(api_error)
    g.error = rendered
    g.injected, g.delay = api_error.injected, api_error.delay
    request_id = getattr(g, "request_id", None) or str(uuid.uuid4())
    response = _json(rendered.envelope(request_id), rendered.http_status)
    allowed = getattr(error, "valid_methods", None)
    if rendered.http_status == 405 and allowed:
        response.headers["Allow"] = ", ".join(sorted(allowed))
    if rendered.retry_after is not None:
        response.headers["Retry-After"] = str(rendered.retry_after)
    return response


def _delay() -> None:
    """Hold an API answer as long as the scenario's or the server's latency says."""
    state = _state()
    outcome: Outcome | None = getattr(g, "outcome", None)
    own = outcome.delay if outcome is not None else getattr(g, "delay", None)
    seconds = state.backend.delay(own)
    if seconds > 0:
        state.pause(seconds)


def _journal(response: Response) -> None:
    """One bounded journal row per API request (key ids only, never keys or bodies)."""
    here = g._get_current_object()  # one proxy lookup for the many attributes below
    operation = getattr(here, "operation", None)
    if operation is None:
        return
    error = getattr(here, "error", None)
    outcome: Outcome | None = getattr(here, "outcome", None)
    try:
        at = _now()
    except Exception as lost:
        if store_unavailable(lost):  # no clock, no journal: the store is away
            return
        raise
    entry = {
        "at": at,
        "operation": operation,
        "key_id": getattr(here, "key_id", None),
        "status": response.status_code,
        "code": None if error is None else error.code,
        "message": None if error is None else error.message,
        "task_id": outcome.task_id if outcome is not None else getattr(here, "task_id", None),
        "task_status": None if outcome is None else outcome.task_status,
        "injected": getattr(here, "injected", False),
    }
    try:
        _state().journal.add(entry)
    except Exception as lost:  # the journal must never break an answer
        if store_unavailable(lost):
            _log.warning("could not write the journal: %s", lost)
        else:
            _log.exception("could not write the journal")


def _log_request(log: AccessLog, response: Response) -> None:
    """The request's access-log line (``accesslog.py``): path without its query, the error
    code, the task, the time since the request came in; a fault's traceback with it."""
    # what this request set on ``g``, read from its dict: a missing attribute of ``g`` raises
    # inside getattr, which costs more than the whole line
    seen = vars(g._get_current_object())
    asked = request._get_current_object()  # type: ignore[attr-defined]
    error = seen.get("error")
    outcome: Outcome | None = seen.get("outcome")
    task_id = outcome.task_id if outcome is not None else None
    if task_id is None:
        task_id = seen.get("task_id") or (asked.view_args or {}).get("task_id")
    endpoint = asked.endpoint
    started = seen.get("started")
    try:
        log.request(
            asked.method,
            asked.path,
            response.status_code,
            0.0 if started is None else (time.perf_counter() - started) * 1000,
            code=None if error is None else error.code,
            task_id=task_id,
            operation=endpoint.split(":")[1] if endpoint else None,
            request_id=seen.get("request_id"),
            key_id=seen.get("key_id"),
            remote=asked.remote_addr,
            fault=seen.get("fault"),
        )
    except Exception:  # the log must never break an answer
        _log.exception("could not write the access log")


# ---------------------------------------------------------------------- factory
def _flask_path(path: str) -> str:
    return path.replace("{", "<").replace("}", ">")


def _route_api(app: Flask, operation: Operation, view: Callable[..., Response]) -> None:
    """An API operation at its path and ``path/`` under every prefix; the endpoint names the
    operation (``api:<operationId>:<n>``), which is what the journal records."""
    path = _flask_path(operation.path)
    methods = [operation.method.upper()]
    for number, prefix in enumerate(API_PREFIXES):
        for suffix, rule in ((f"{number}", prefix + path), (f"{number}/", prefix + path + "/")):
            endpoint = f"api:{operation.operation_id}:{suffix}"
            app.add_url_rule(rule, endpoint, view, methods=methods, strict_slashes=True)


def create_app(
    settings: Settings | None = None,
    *,
    clock: Clock | None = None,
    rate_clock: Callable[[], float] | None = None,
    pause: Callable[[float], object] | None = None,
    log_stream: Stream | None = None,
) -> Flask:
    """A new mock with its own store, clock, journal and backend (``state.build_state``);
    ``close_app(app)`` closes them. With ``Settings(access_log=True)`` every request served
    writes a line to ``log_stream`` (default: stdout)."""
    state = build_state(settings, clock=clock, rate_clock=rate_clock, pause=pause)
    app = Flask("wan_mock", static_folder=None)  # files are served by /__mock/assets/ only
    app.url_map.merge_slashes = False  # an odd task id is UNKNOWN or 404, never a redirect
    app.extensions[EXTENSION] = state

    views = _api_views(state)
    for operation_id, operation in state.spec.operations.items():
        _route_api(app, operation, views[operation_id])
    routed = {*OPERATIONS, *_OWN_VIEWS, *_CONSOLE_PAGES}
    unrouted = set(state.control_spec.operations) - routed
    if unrouted:
        raise ValueError(f"mock-control.yaml operations without a view: {sorted(unrouted)}")
    parsers: Mapping[str, Callable[[Any], object]] = {
        "scenario": lambda text: state.backend.parse_scenario(str(text))
    }
    for operation_id, operation in state.control_spec.operations.items():
        if operation_id in _OWN_VIEWS:
            view = _OWN_VIEWS[operation_id]
        else:
            validator = OperationValidator(state.control_spec.document, operation, parsers=parsers)
            make = _console if operation_id in _CONSOLE_PAGES else _control
            view = make(operation_id, validator)
        app.add_url_rule(
            _flask_path(operation.path),
            f"mock:{operation_id}",
            view,
            methods=[operation.method.upper()],
        )

    access_log: AccessLog | None = None
    if state.settings.access_log:
        stream = log_stream if log_stream is not None else sys.stdout
        access_log = app.extensions[_ACCESS_LOG] = AccessLog(stream, state.settings.log_format)

    @app.before_request
    def _request_id() -> None:
        g.started = time.perf_counter()
        g.request_id = str(uuid.uuid4())
        endpoint = request.endpoint or ""
        g.operation = endpoint.split(":")[1] if endpoint.startswith("api:") else None

    @app.after_request
    def _finish(response: Response) -> Response:
        response.headers["X-Request-ID"] = getattr(g, "request_id", "")
        _journal(response)
        if getattr(g, "operation", None) is not None:
            _delay()
        if access_log is not None:
            _log_request(access_log, response)
        return response

    app.register_error_handler(Exception, _render_error)
    return app
