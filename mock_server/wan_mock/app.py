"""The HTTP layer: the Flask app factory, routes and the one error handler.

Only this module imports Flask. Views pull what they need from the request, call the backend (or
the control plane) and render; every refusal is an ``ApiError`` rendered by ``_render_error`` as
the DashScope envelope. API routes come from the spec's paths; each also answers with a trailing
slash. Every API request is written to the bounded journal (key ids only, never keys).
"""

from __future__ import annotations

import ipaddress
import json
import logging
import tempfile
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import Flask, Response, current_app, g, request, send_file
from werkzeug.exceptions import HTTPException, RequestedRangeNotSatisfiable

from .backend import Backend, Caller, key_id
from .clock import Clock, SharedClock
from .control import ClockNotControllable, MockControl
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
from .journal import Journal
from .media import VideoCache, VideoShape, etag
from .scenarios import Scenario, ScenarioError, parse_scenario
from .settings import Settings
from .spec import ApiSpec, load_spec
from .store import TaskStore
from .uploads import UploadRejected, UploadStore

__all__ = ["API_PREFIX", "API_PREFIXES", "CONTROL_PREFIX", "MockState", "create_app", "mock_state"]

API_PREFIX = "/api/v1"
#: Where the API is served: the service's own base path, and the ``/qwen/api/v1`` that the seed
#: documents' curl commands use (``{{BASE_URL}}/qwen/api/v1/...``). Same views, same journal.
API_PREFIXES = (API_PREFIX, "/qwen" + API_PREFIX)
RESULTS_PREFIX = "/results"
CONTROL_PREFIX = "/__mock"
EXTENSION = "wan_mock"
_log = logging.getLogger("wan_mock")


@dataclass
class MockState:
    """Everything one app instance owns (kept in ``app.extensions``, never in globals)."""

    settings: Settings
    spec: ApiSpec
    store: TaskStore
    clock: Clock
    backend: Backend
    videos: VideoCache
    journal: Journal
    keep: list[Any] = field(default_factory=list)
    #: Flask endpoint -> the spec's operationId, for the journal.
    operations: dict[str, str] = field(default_factory=dict)


def mock_state(app: Flask) -> MockState:
    state = app.extensions[EXTENSION]
    assert isinstance(state, MockState)
    return state


def _state() -> MockState:
    return mock_state(current_app)


# ---------------------------------------------------------------------- request helpers
def _caller() -> Caller:
    """Authenticate the request: 401 InvalidApiKey without an acceptable bearer key."""
    header = request.headers.get("Authorization", "").strip()
    if not header:
        raise InvalidApiKey("No API-key provided.")
    scheme, _, token = header.partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer":
        raise InvalidApiKey("Invalid API-key provided.")
    if not token:
        raise InvalidApiKey("No API-key provided.")
    allowed = _state().settings.api_keys
    if allowed and token not in allowed:
        raise InvalidApiKey("Invalid API-key provided.")
    caller = Caller(key_id=key_id(token), request_id=g.request_id)
    g.key_id = caller.key_id
    return caller


#: The deepest nesting a request body may have (the deepest documented body has 4 levels).
MAX_BODY_DEPTH = 32


def _json_body(limit: int) -> Any:
    """The request body as JSON, refusing what is too large, not JSON (NaN, Infinity, numbers
    that overflow to infinity, invalid UTF-8 or lone surrogates included) or nested deeper than
    ``MAX_BODY_DEPTH``."""
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
        if brackets > MAX_BODY_DEPTH and _depth_exceeds(body, MAX_BODY_DEPTH):
            raise InvalidParameter(
                f"Parameter body is invalid: it is nested deeper than {MAX_BODY_DEPTH} levels."
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


def _oss_resolve() -> bool:
    """Whether the submit asks for ``oss://`` inputs to be resolved (the header is ``enable``
    or absent; any other value is refused like any parameter outside its enum)."""
    value = request.headers.get("X-DashScope-OssResourceResolve")
    if value is None:
        return False
    if value.strip().lower() != "enable":
        raise InvalidParameter(
            f"Parameter X-DashScope-OssResourceResolve is invalid: {value!r} is not enable."
        )
    return True


def _origin() -> str:
    """``scheme://host[:port]`` of this request, as the client addressed the mock."""
    return f"{request.scheme}://{request.host}"


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _json(body: Any, status: int = 200) -> Response:
    return Response(
        json.dumps(body, ensure_ascii=False, separators=(",", ":")),
        status=status,
        mimetype="application/json",
    )


def _scenario(state: MockState, caller: Caller) -> tuple[Scenario, int | None]:
    """This submit's scenario: the header, else the next one queued for the key (with its
    queue id, consumed only once it takes effect)."""
    text = request.headers.get("X-Mock-Scenario")
    queued_id = None
    if text is None:
        queued = state.store.next_scenario(caller.key_id)
        if queued is not None:
            queued_id, text = queued
    if not text:
        return Scenario(), queued_id
    try:
        return parse_scenario(text, state.spec.errors), queued_id
    except ScenarioError as error:
        raise InvalidParameter(str(error)) from None


# ---------------------------------------------------------------------- API views
def _submit(kind: str) -> Callable[[], Response]:
    def view() -> Response:
        state = _state()
        caller = _caller()
        if request.headers.get("X-DashScope-Async", "").strip().lower() != "enable":
            raise AccessDenied()
        scenario, queued_id = _scenario(state, caller)
        if scenario.reject is not None and queued_id is not None:
            state.store.consume_scenario(queued_id)
        body = _json_body(state.spec.max_body_bytes)
        if not isinstance(body, dict):
            raise IllegalInput()
        resolve = _oss_resolve()
        answer = state.backend.submit(
            caller, kind, body, oss_resolve=resolve, scenario=scenario, now=_now()
        )
        if queued_id is not None:
            state.store.consume_scenario(queued_id)
        g.task_id, g.task_status = answer["output"]["task_id"], "PENDING"
        return _json(answer)

    view.__name__ = f"submit_{kind.replace('-', '_')}"
    return view


def _get_task(task_id: str) -> Response:
    g.task_id = task_id
    caller = _caller()
    backend = _state().backend
    backend.limit_task_endpoints(caller)
    base = _origin() + RESULTS_PREFIX
    answer = backend.query(caller, task_id, result_base=base, now=_now())
    g.task_status = answer["output"]["task_status"]
    return _json(answer)


def _cancel_task(task_id: str) -> Response:
    g.task_id = task_id
    caller = _caller()
    backend = _state().backend
    backend.limit_task_endpoints(caller)
    answer = backend.cancel(caller, task_id, now=_now())
    g.task_status = "CANCELED"
    return _json(answer)


def _list_tasks() -> Response:
    caller = _caller()
    backend = _state().backend
    backend.limit_task_endpoints(caller)
    return _json(backend.list(caller, dict(request.args.items()), now=_now()))


def _upload_policy() -> Response:
    caller = _caller()
    host = _origin() + CONTROL_PREFIX + "/oss"
    return _json(_state().backend.upload_policy(caller, dict(request.args.items()), host))


# ---------------------------------------------------------------------- files
def _oss_upload() -> Response:
    """The multipart upload the SDK sends to the policy's ``upload_host``."""
    state = _state()
    upload = request.files.get("file")
    key = request.form.get("key", "")
    if upload is None or not key:
        return _oss_error(400, "InvalidArgument", "The form needs the fields key and file.")
    try:
        state.backend.uploads.save(
            key, request.form.get("Signature", ""), upload.read(), state.clock.now()
        )
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
        path, mimetype="video/mp4", conditional=True, etag=etag(path).strip('"'), max_age=86400
    )
    response.headers["Accept-Ranges"] = "bytes"
    return response


# ---------------------------------------------------------------------- control plane
def _control_allowed() -> None:
    """Loopback callers may always control the mock; others need the control token."""
    settings = _state().settings
    token = settings.control_token
    given = request.headers.get("X-Mock-Control-Token") or ""
    if token is not None and given == token:
        return
    try:
        loopback = ipaddress.ip_address(request.remote_addr or "").is_loopback
    except ValueError:
        loopback = False
    if loopback:
        return
    raise AccessDenied("The control plane needs X-Mock-Control-Token from this address.")


def _control_json() -> dict[str, Any]:
    if not request.get_data():
        return {}
    try:
        body = json.loads(request.get_data())
    except ValueError:
        raise IllegalInput() from None
    if not isinstance(body, dict):
        raise IllegalInput()
    return body


#: The largest clock step the control plane takes (a hundred years), as in mock-control.yaml.
MAX_ADVANCE_SECONDS = 3_153_600_000
#: The most scenarios one call may queue, as in mock-control.yaml.
MAX_SCENARIO_COUNT = 1000


def _seconds(body: dict[str, Any]) -> float:
    """``seconds`` from the JSON body: a JSON number in [0, MAX_ADVANCE_SECONDS]."""
    value = body.get("seconds")
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidParameter("Parameter seconds is invalid: it must be a number.")
    if not 0 <= value <= MAX_ADVANCE_SECONDS:
        raise InvalidParameter(
            f"Parameter seconds is invalid: it must be in [0, {MAX_ADVANCE_SECONDS}]."
        )
    return float(value)


def _count(body: dict[str, Any]) -> int:
    """``count`` from the JSON body: an integer (2.0 counts) in [1, MAX_SCENARIO_COUNT]."""
    value = body.get("count", 1)
    if isinstance(value, bool) or not isinstance(value, int | float) or value != int(value):
        raise InvalidParameter("Parameter count is invalid: it must be an integer.")
    if not 1 <= value <= MAX_SCENARIO_COUNT:
        raise InvalidParameter(
            f"Parameter count is invalid: it must be in [1, {MAX_SCENARIO_COUNT}]."
        )
    return int(value)


def _journal_query() -> tuple[str | None, str | None, int]:
    operation = request.args.get("operation")
    if operation is not None and operation not in _state().operations.values():
        raise InvalidParameter(
            f"Parameter operation is invalid: {operation!r} is not an operation id of the API."
        )
    limit_text = request.args.get("limit")
    limit = 100
    if limit_text is not None:
        if not limit_text.isdigit() or int(limit_text) < 1:
            raise InvalidParameter("Parameter limit is invalid: it must be an integer >= 1.")
        limit = int(limit_text)
    return operation, request.args.get("task_id"), limit


def _control_view(name: str) -> Response:
    _control_allowed()
    control = MockControl(_state())
    body = _control_json() if request.method == "POST" else {}
    try:
        if name == "health":
            return _json(control.health())
        if name == "reset":
            return _json(control.reset())
        if name == "clock":
            return _json(control.clock())
        if name == "advance":
            return _json(control.advance(_seconds(body)))
        if name == "freeze":
            return _json(control.freeze())
        if name == "unfreeze":
            return _json(control.unfreeze())
        if name == "tasks":
            return _json({"tasks": control.tasks()})
        if name == "journal":
            operation, task_id, limit = _journal_query()
            entries = control.journal(operation=operation, task_id=task_id, limit=limit)
            return _json({"entries": entries})
        if name == "scenarios" and request.method == "POST":
            api_key, scenario = body.get("api_key"), body.get("scenario")
            if not isinstance(api_key, str) or not api_key:
                raise InvalidParameter("Required parameter api_key is missing.")
            if not isinstance(scenario, str):
                raise InvalidParameter("Required parameter scenario is missing.")
            return _json(control.queue_scenario(api_key, scenario, _count(body)))
        if name == "scenarios":
            return _json({"scenarios": control.scenarios(request.args.get("api_key"))})
    except ScenarioError as error:
        raise InvalidParameter(str(error)) from None
    except ClockNotControllable as error:
        raise InvalidParameter(str(error)) from None
    raise NotFound()


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
    else:
        _log.exception("unhandled error on %s %s", request.method, request.path)
        api_error = InternalError()
    g.error = api_error
    request_id = getattr(g, "request_id", None) or str(uuid.uuid4())
    response = _json(api_error.envelope(request_id), api_error.http_status)
    allowed = getattr(error, "valid_methods", None)
    if api_error.http_status == 405 and allowed:
        response.headers["Allow"] = ", ".join(sorted(allowed))
    if api_error.retry_after is not None:
        response.headers["Retry-After"] = str(api_error.retry_after)
    return response


def _journal(response: Response) -> None:
    """One bounded journal row per API request (key ids only, never keys or bodies)."""
    here = g._get_current_object()  # one proxy lookup for the many attributes below
    operation = getattr(here, "operation", None)
    if operation is None:
        return
    state = _state()
    error = getattr(here, "error", None)
    entry = {
        "at": _now(),
        "operation": operation,
        "key_id": getattr(here, "key_id", None),
        "status": response.status_code,
        "code": error.code if isinstance(error, ApiError) else None,
        "message": error.message if isinstance(error, ApiError) else None,
        "task_id": getattr(here, "task_id", None),
        "task_status": getattr(here, "task_status", None) if error is None else None,
    }
    try:
        state.journal.add(entry)
    except Exception:  # the journal must never break an answer
        _log.exception("could not write the journal")


# ---------------------------------------------------------------------- factory
def _route(app: Flask, spec_path: str, view: Callable[..., Response], method: str) -> None:
    """Register an operation of the spec at ``spec_path`` and ``spec_path/`` under every API
    prefix, remembering its operation id (for the journal) under each endpoint."""
    state = mock_state(app)
    operation = state.spec.document["paths"][spec_path][method.lower()]["operationId"]
    for number, prefix in enumerate(API_PREFIXES):
        path = prefix + spec_path.replace("{", "<").replace("}", ">")
        name = view.__name__ if number == 0 else f"{view.__name__}_{number}"
        for endpoint, rule in ((name, path), (name + "_slash", path + "/")):
            app.add_url_rule(rule, endpoint, view, methods=[method], strict_slashes=True)
            state.operations[endpoint] = str(operation)


def _data_dir(settings: Settings, keep: list[Any]) -> Path:
    """Where uploads and rendered videos live: beside the store file, or a private temp dir
    removed with the app."""
    if settings.data_dir is not None:
        return settings.data_dir
    if settings.store_path is not None:
        return settings.store_path.with_name(settings.store_path.name + ".data")
    temporary = tempfile.TemporaryDirectory(prefix="wan-mock-")
    keep.append(temporary)
    return Path(temporary.name)


_CONTROL_ROUTES = {
    "health": ["GET"],
    "reset": ["POST"],
    "clock": ["GET"],
    "clock/advance": ["POST"],
    "clock/freeze": ["POST"],
    "clock/unfreeze": ["POST"],
    "scenarios": ["GET", "POST"],
    "tasks": ["GET"],
    "journal": ["GET"],
}


def create_app(settings: Settings | None = None, *, clock: Clock | None = None) -> Flask:
    """A new mock with its own store, clock, journal and backend.

    Without ``clock`` the app runs on a ``SharedClock``: real time that the control plane can
    advance or freeze, the same for every worker on one store file.
    """
    settings = settings or Settings()
    spec = load_spec(settings.spec_path)
    store = TaskStore(settings.store_path)
    clock = clock or SharedClock(store)
    keep: list[Any] = []
    data_dir = _data_dir(settings, keep)
    uploads = UploadStore(
        data_dir / "uploads",
        store.secret().encode(),
        max_bytes=int(spec.service["upload_max_file_size_mb"]) * 1024 * 1024,
        ttl_seconds=float(spec.service["upload_ttl_seconds"]),
    )
    backend = Backend(spec, store, clock, settings, uploads)
    videos = VideoCache(data_dir / "videos")
    prepared: set[tuple[int, int, int]] = set()

    def prepare(shape: tuple[int, int, int]) -> None:
        if shape not in prepared:
            prepared.add(shape)
            videos.ensure_async(VideoShape(*shape))

    backend.prepare_video = prepare
    app = Flask("wan_mock")
    app.url_map.merge_slashes = False  # an odd task id is UNKNOWN or 404, never a redirect
    journal = Journal(store, settings.journal_size)
    app.extensions[EXTENSION] = MockState(
        settings, spec, store, clock, backend, videos, journal, keep
    )

    for kind in spec.service["paths"]:
        _route(app, spec.service_path(kind), _submit(kind), "POST")
    _route(app, "/tasks/{task_id}/cancel", _cancel_task, "POST")
    _route(app, "/tasks/{task_id}", _get_task, "GET")
    _route(app, "/tasks", _list_tasks, "GET")
    _route(app, "/uploads", _upload_policy, "GET")
    app.add_url_rule(RESULTS_PREFIX + "/<task_id>.mp4", "result", _result, methods=["GET", "HEAD"])
    app.add_url_rule(CONTROL_PREFIX + "/oss", "oss_upload", _oss_upload, methods=["POST"])
    for route, methods in _CONTROL_ROUTES.items():
        name = route.rsplit("/", 1)[-1]

        def control(name: str = name) -> Response:
            return _control_view(name)

        app.add_url_rule(f"{CONTROL_PREFIX}/{route}", f"control_{name}", control, methods=methods)

    @app.before_request
    def _request_id() -> None:
        g.request_id = str(uuid.uuid4())
        g.operation = mock_state(app).operations.get(request.endpoint or "")

    @app.after_request
    def _finish(response: Response) -> Response:
        response.headers["X-Request-ID"] = getattr(g, "request_id", "")
        _journal(response)
        return response

    app.register_error_handler(Exception, _render_error)
    return app
