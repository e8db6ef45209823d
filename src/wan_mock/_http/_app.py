"""The HTTP layer: the Flask app factory, the views and the one error handler.

Only this module imports Flask. Its routes are the operations of ``openapi/mock-control.yaml``,
each at its path: the control plane, the files, the pages. A view parses the request (headers,
path, query, body), calls the backend or the control plane, and renders what comes back; every
refusal is an ``ApiError`` rendered by :func:`_render_error` through the pipeline's
``error_answer``. The app is served through ``_pipeline.Pipeline`` (its ``wsgi_app``), which
answers the API's operations itself and hands everything else to Flask with the request's
``Exchange``: Flask notes there what it routed to, and the pipeline adds the request id and
writes the access-log line (``Settings(access_log=True)``) of every request alike.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from flask import Flask, Response, current_app, redirect, request, send_file
from werkzeug.exceptions import RequestedRangeNotSatisfiable

from .._domain._clock import Clock
from .._domain._media import VideoShape, load_codecs
from .._domain._scenarios import BrokenDownload, DroppedConnection
from .._service._control import OPERATIONS, MockControl
from .._service._settings import Settings
from .._service._state import EXTENSION, MockState, build_state, mock_state
from .._spec._codec import dumps
from .._spec._documents import load_control_spec, load_spec
from .._spec._errors import InvalidParameter
from .._spec._validation import OperationValidator, schema_registry
from .._storage._uploads import UploadRejected
from . import _references
from ._access_log import AccessLog, Stream
from ._api_operations import API_PREFIX, API_PREFIXES, CONTROL_PREFIX, Api
from ._console import journal_page, task_page, tasks_page
from ._pipeline import EXCHANGE, Exchange, Pipeline, error_answer, origin, refusal_of

__all__ = [
    "API_PREFIX",
    "API_PREFIXES",
    "CONTROL_PREFIX",
    "MockState",
    "close_app",
    "create_app",
    "mock_state",
    "preload",
]

_REFERENCE = "wan_mock.reference"


def preload(settings: Settings) -> None:
    """Do once, in a server's main process before its workers fork, what every worker's
    ``create_app`` would otherwise do for itself: import this module (Flask, Werkzeug and the
    mock), parse both specs, build their schema registries and, when several workers
    prerender videos (each then renders), load PyAV. The workers share these pages instead of
    holding a copy each; ``gc.freeze()`` keeps their collectors from writing to them (which
    would copy them). A single worker loads PyAV on its first render, as a library user's app
    does, so that it answers sooner after start. Nothing that changes is made here: each
    worker opens its own store, clock and journal."""
    for document in (load_spec(settings.spec_path).document, load_control_spec().document):
        schema_registry(document)
    if settings.prerender_videos and settings.workers > 1:
        load_codecs()
    gc.freeze()


def close_app(app: Flask) -> None:
    """Close an app's state (its store, journal and background renders)."""
    mock_state(app).close()


def _state() -> MockState:
    return mock_state(current_app)


def _origin() -> str:
    return origin(request.environ)


def _exchange() -> Exchange:
    """This request's ``Exchange``, made by the pipeline that handed it to Flask."""
    exchange: Exchange = request.environ[EXCHANGE]
    return exchange


def _json(body: Any, status: int = 200) -> Response:
    return Response(dumps(body), status=status, mimetype="application/json")


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
    "mock_console": tasks_page,
    "mock_console_task": lambda control, args: task_page(
        control, str(args["task_id"]), origin=_origin()
    ),
    "mock_console_journal": journal_page,
}


def _console(operation_id: str, validator: OperationValidator) -> Callable[..., Response]:
    page = _CONSOLE_PAGES[operation_id]

    def view(**path: str) -> Response:
        control = _allow()
        return _html(page(control, {**validator.query(dict(request.args.items())), **path}))

    return view


# The references: the specs as served (this mock first in ``servers``) and the Swagger UI pages
# over them (``docs.py``); the API's are public, the control plane's guarded like it.
def _references_of(app: Flask) -> _references.Reference:
    """Both specs as the reference pages serve them, made on the app's first use."""
    reference = app.extensions.get(_REFERENCE)
    if reference is None:
        state = _state()
        reference = app.extensions[_REFERENCE] = _references.Reference.of(
            state.spec, state.control_spec
        )
    return reference


def _reference(control: bool) -> tuple[_references.ServedSpec, str]:
    """The API spec as served and this mock's API server as this request reached it; the
    control spec and this mock's root, for a caller the control plane admits."""
    reference = _references_of(current_app)
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
        response.headers["Content-Security-Policy"] = _references.PAGE_POLICY
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
    return _file(_references.asset(name))


def _file(document: _references.Document) -> Response:
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


# ---------------------------------------------------------------------- errors
def _render_error(error: Exception) -> Response:
    if isinstance(error, RequestedRangeNotSatisfiable):
        response = _oss_error(416, "InvalidRange", "The requested range is not satisfiable.")
        if error.length is not None:
            response.headers["Content-Range"] = f"bytes */{error.length}"
        return response
    exchange = _exchange()
    allowed = getattr(error, "valid_methods", None)  # a path asked with another method
    refusal = refusal_of(error, exchange)
    (status, headers, body), _ = error_answer(_state().errors, refusal, exchange, allowed)
    return Response(body, status=status, headers=headers)


# ---------------------------------------------------------------------- factory
def _flask_path(path: str) -> str:
    return path.replace("{", "<").replace("}", ">")


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
    app.url_map.merge_slashes = False  # a doubled slash is a 404, never a redirect
    app.extensions[EXTENSION] = state

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
            operation_id,
            view,
            methods=[operation.method.upper()],
        )

    @app.before_request
    def _routed() -> None:
        """What Flask routed the request to, for its access-log line."""
        exchange = _exchange()
        exchange.operation = request.endpoint
        exchange.task_id = (request.view_args or {}).get("task_id")

    app.register_error_handler(Exception, _render_error)
    access_log: AccessLog | None = None
    if state.settings.access_log:
        stream = log_stream if log_stream is not None else sys.stdout
        access_log = AccessLog(stream, state.settings.log_format)
    pipeline = Pipeline(Api(state), state.errors, app.wsgi_app, access_log)
    app.wsgi_app = pipeline  # type: ignore[method-assign]
    return app
