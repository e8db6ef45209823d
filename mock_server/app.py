"""The HTTP layer: the Flask app factory, routes and the one error handler.

Only this module imports Flask. Views pull what they need from the request, call the backend and
render; every refusal is an ``ApiError`` rendered by ``_render_error`` as the DashScope envelope.
Routes come from the spec's operations; each also answers with a trailing slash.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Flask, Response, g, request
from werkzeug.exceptions import HTTPException

from .backend import Backend, Caller, key_id
from .clock import Clock, SystemClock
from .errors import (
    AccessDenied,
    ApiError,
    IllegalInput,
    InternalError,
    InvalidApiKey,
    InvalidParameter,
    MethodNotAllowed,
    NotFound,
    TooLarge,
)
from .settings import Settings
from .spec import ApiSpec, load_spec
from .store import TaskStore

__all__ = ["API_PREFIX", "MockState", "create_app", "mock_state"]

API_PREFIX = "/api/v1"
RESULTS_PREFIX = "/results"
EXTENSION = "wan_mock"
_log = logging.getLogger("mock_server")


@dataclass
class MockState:
    """Everything one app instance owns (kept in ``app.extensions``, never in globals)."""

    settings: Settings
    spec: ApiSpec
    store: TaskStore
    clock: Clock
    backend: Backend


def mock_state(app: Flask) -> MockState:
    state = app.extensions[EXTENSION]
    assert isinstance(state, MockState)
    return state


def _state() -> MockState:
    from flask import current_app

    return mock_state(current_app)


# ---------------------------------------------------------------------- request helpers
def _caller() -> Caller:
    """Authenticate the request: 401 InvalidApiKey without an acceptable bearer key."""
    header = request.headers.get("Authorization", "").strip()
    scheme, _, token = header.partition(" ")
    token = token.strip() if scheme.lower() == "bearer" else header
    if not token:
        raise InvalidApiKey("No API-key provided.")
    allowed = _state().settings.api_keys
    if allowed and token not in allowed:
        raise InvalidApiKey("Invalid API-key provided.")
    return Caller(key_id=key_id(token), request_id=g.request_id)


def _json_body(limit: int) -> Any:
    """The request body as JSON, refusing what is too large or not JSON."""
    length = request.content_length
    if length is not None and length > limit:
        raise TooLarge()
    raw = request.stream.read(limit + 1)
    if len(raw) > limit:
        raise TooLarge()
    try:
        text = raw.decode("utf-8")
        return json.loads(text, parse_constant=_reject_constant)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise IllegalInput() from None


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _json(body: Any, status: int = 200) -> Response:
    return Response(
        json.dumps(body, ensure_ascii=False, separators=(",", ":")),
        status=status,
        mimetype="application/json",
    )


# ---------------------------------------------------------------------- views
def _submit(kind: str) -> Callable[[], Response]:
    def view() -> Response:
        state = _state()
        caller = _caller()
        if request.headers.get("X-DashScope-Async", "").strip().lower() != "enable":
            raise AccessDenied()
        body = _json_body(int(state.spec.service["max_body_bytes"]))
        if not isinstance(body, dict):
            raise IllegalInput()
        return _json(state.backend.submit(caller, kind, body))

    view.__name__ = f"submit_{kind.replace('-', '_')}"
    return view


def _get_task(task_id: str) -> Response:
    caller = _caller()
    base = request.host_url.rstrip("/") + RESULTS_PREFIX
    return _json(_state().backend.query(caller, task_id, result_base=base))


def _cancel_task(task_id: str) -> Response:
    caller = _caller()
    return _json(_state().backend.cancel(caller, task_id))


def _list_tasks() -> Response:
    caller = _caller()
    query = dict(request.args.items())
    return _json(_state().backend.list(caller, query))


def _upload_policy() -> Response:
    caller = _caller()
    if request.args.get("action") != "getPolicy":
        raise InvalidParameter("Parameter action is invalid: it must be getPolicy.")
    model = request.args.get("model", "")
    if not model:
        raise InvalidParameter("Required parameter model is missing.")
    host = request.host_url.rstrip("/") + "/__mock/oss"
    return _json(_state().backend.upload_policy(caller, model, host))


def _result(task_id: str) -> Response:
    backend = _state().backend
    try:
        record = backend.result(task_id, request.args.get("Expires"), request.args.get("Signature"))
    except PermissionError:
        return Response(
            "<Error><Code>AccessDenied</Code><Message>Request has expired or the signature "
            "does not match.</Message></Error>",
            status=403,
            mimetype="application/xml",
        )
    assert record.video is not None
    width, height, seconds = record.video
    return _json({"task_id": record.task_id, "width": width, "height": height, "seconds": seconds})


# ---------------------------------------------------------------------- errors
def _render_error(error: Exception) -> Response:
    if isinstance(error, ApiError):
        api_error = error
    elif isinstance(error, HTTPException):
        api_error = {
            404: NotFound(f"The requested URL {request.path} was not found."),
            405: MethodNotAllowed(
                f"The method {request.method} is not allowed for {request.path}."
            ),
            413: TooLarge(),
        }.get(error.code or 500, IllegalInput() if error.code == 400 else InternalError())
    else:
        _log.exception("unhandled error on %s %s", request.method, request.path)
        api_error = InternalError()
    request_id = getattr(g, "request_id", None) or str(uuid.uuid4())
    response = _json(api_error.envelope(request_id), api_error.http_status)
    if api_error.retry_after is not None:
        response.headers["Retry-After"] = str(api_error.retry_after)
    return response


# ---------------------------------------------------------------------- factory
def _route(app: Flask, path: str, view: Callable[..., Response], methods: list[str]) -> None:
    """Register ``path`` and ``path/`` for one view."""
    name = view.__name__
    app.add_url_rule(path, name, view, methods=methods, strict_slashes=True)
    app.add_url_rule(path + "/", name + "_slash", view, methods=methods, strict_slashes=True)


def create_app(
    settings: Settings | None = None,
    *,
    clock: Clock | None = None,
) -> Flask:
    """A new mock with its own store, clock and backend."""
    settings = settings or Settings()
    spec = load_spec(settings.spec_path)
    store = TaskStore(settings.store_path)
    clock = clock or SystemClock()
    backend = Backend(spec, store, clock, settings)
    app = Flask("mock_server")
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    app.extensions[EXTENSION] = MockState(settings, spec, store, clock, backend)

    for kind in spec.service["paths"]:
        _route(app, API_PREFIX + spec.service_path(kind), _submit(kind), ["POST"])
    _route(app, API_PREFIX + "/tasks/<task_id>/cancel", _cancel_task, ["POST"])
    _route(app, API_PREFIX + "/tasks/<task_id>", _get_task, ["GET"])
    _route(app, API_PREFIX + "/tasks", _list_tasks, ["GET"])
    _route(app, API_PREFIX + "/uploads", _upload_policy, ["GET"])
    app.add_url_rule(RESULTS_PREFIX + "/<task_id>.mp4", "result", _result, methods=["GET", "HEAD"])

    @app.before_request
    def _request_id() -> None:
        g.request_id = str(uuid.uuid4())

    @app.after_request
    def _request_id_header(response: Response) -> Response:
        response.headers["X-Request-ID"] = getattr(g, "request_id", "")
        return response

    app.register_error_handler(Exception, _render_error)
    return app
