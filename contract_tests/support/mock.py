"""Shared fixtures and helpers for the tests of the mock in process (``mock_api/`` and others).

Every test gets its own app (``create_app``), hence its own in-memory store, on a
``ManualClock`` fixed at ``START``: a lifecycle is driven by advancing the clock, never by
sleeping. Requests go through Flask's test client (``client``, or the ``api`` helper around it)
or through the generated client over ``httpx.WSGITransport`` (``wan_client``).

Expected values come from the spec (``openapi/wan-video.yaml`` as plain data from
``contract_tests.support.spec_data``, not through the mock's own loader) or from ``API_FACTS.md``;
request bodies are small valid bodies per request variant that a test then breaks one field at
a time.

The fixtures are registered for the whole ``contract_tests`` folder by ``conftest.py``
(``pytest_plugins``); ``wan_mock`` is imported only inside them, so a broken mock fails the
mock tests, not the collection of every other test module.
"""

from __future__ import annotations

import copy
import dataclasses
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from contract_tests.support.spec_data import (
    component_name,
    operations,
    resolve_ref,
    spec_document,
)
from wan_video_client import AuthenticatedClient

if TYPE_CHECKING:
    from wan_mock._domain._clock import ManualClock
    from wan_mock._service._settings import Settings

__all__ = [
    "API",
    "BASE_URL",
    "DAY",
    "DELETE",
    "DONE",
    "IMAGE2VIDEO",
    "KEY",
    "PENDING_SECONDS",
    "RUNNING_SECONDS",
    "SERVICE_TIME",
    "START",
    "START_BEIJING",
    "VARIANTS",
    "VIDEO_GENERATION",
    "Api",
    "SubmitExample",
    "api",
    "app",
    "assert_error",
    "assert_request_id",
    "auth",
    "body_for",
    "client",
    "clock",
    "make_app",
    "make_wan_client",
    "media_dir",
    "set_path",
    "spec_rule",
    "submit_examples",
    "wan_client",
]

# 2025-05-15 08:14:44.723 UTC is 16:14:44.723 in Beijing (UTC+8): the spec's own example times.
START = datetime(2025, 5, 15, 8, 14, 44, 723000, tzinfo=UTC).timestamp()
START_BEIJING = "2025-05-15 16:14:44.723"
#: The ``fast`` profile: a task waits 0.5 s, then runs 1 s.
PENDING_SECONDS = 0.5
RUNNING_SECONDS = 1.0
DONE = PENDING_SECONDS + RUNNING_SECONDS
DAY = 86400.0

KEY = "sk-test"
API = "/api/v1"
VIDEO_GENERATION = API + "/services/aigc/video-generation/video-synthesis"
IMAGE2VIDEO = API + "/services/aigc/image2video/video-synthesis"
BASE_URL = "http://mock/api/v1"

SERVICE_TIME = re.compile(r"\A\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}\Z")

_OPERATION_PATHS = {
    "create_video_synthesis_task": VIDEO_GENERATION,
    "create_keyframe_video_task": IMAGE2VIDEO,
}


# ---------------------------------------------------------------------- the spec as data
def spec_rule(rule_id: str) -> dict[str, Any]:
    """One entry of ``x-wan-rules``."""
    for rule in spec_document()["x-wan-rules"]:
        if rule["id"] == rule_id:
            assert isinstance(rule, dict)
            return rule
    raise LookupError(rule_id)


@dataclass(frozen=True)
class SubmitExample:
    """A request example of a submit operation and the mock path it is sent to."""

    name: str
    path: str
    body: dict[str, Any] = field(hash=False)


def submit_examples() -> list[SubmitExample]:
    """Every request-body example of every submit operation in the spec."""
    out: list[SubmitExample] = []
    for _, _, operation in operations():
        if "requestBody" not in operation:
            continue
        path = _OPERATION_PATHS[operation["operationId"]]
        content = resolve_ref(operation["requestBody"])["content"]["application/json"]
        for ref in content.get("examples", {}).values():
            name = component_name(ref)
            body = copy.deepcopy(resolve_ref(ref)["value"])
            out.append(SubmitExample(name, path, body))
    return out


# ---------------------------------------------------------------------- request bodies
_IMG = "https://wanx.alicdn.com/material/20250318/first_frame.png"
_IMG2 = "https://wanx.alicdn.com/material/20250318/last_frame.png"
_VIDEO = "http://wanx.alicdn.com/material/20250318/video_repainting_1.mp4"

_BODIES: dict[str, dict[str, Any]] = {
    "t2v": {
        "model": "wan2.5-t2v-preview",
        "input": {"prompt": "A kitten running in the moonlight."},
        "parameters": {},
    },
    "i2v": {
        "model": "wan2.2-i2v-flash",
        "input": {"prompt": "A cat runs across the grass.", "img_url": _IMG},
        "parameters": {},
    },
    "kf2v": {
        "model": "wan2.2-kf2v-flash",
        "input": {
            "prompt": "A flower opens.",
            "first_frame_url": _IMG,
            "last_frame_url": _IMG2,
        },
        "parameters": {},
    },
    "image_reference": {
        "model": "wan2.1-vace-plus",
        "input": {
            "function": "image_reference",
            "prompt": "A girl walks out of an ancient forest.",
            "ref_images_url": [_IMG, _IMG2],
        },
        "parameters": {"obj_or_bg": ["obj", "bg"]},
    },
    "video_repainting": {
        "model": "wan2.1-vace-plus",
        "input": {
            "function": "video_repainting",
            "prompt": "A steampunk car driven by a gentleman.",
            "video_url": _VIDEO,
        },
        "parameters": {"control_condition": "depth"},
    },
    "video_edit": {
        "model": "wan2.1-vace-plus",
        "input": {
            "function": "video_edit",
            "prompt": "A lion in a suit sips coffee.",
            "video_url": _VIDEO,
            "mask_image_url": _IMG,
        },
        "parameters": {},
    },
    "video_extension": {
        "model": "wan2.1-vace-plus",
        "input": {
            "function": "video_extension",
            "prompt": "A dog in sunglasses skateboards down the street.",
            "first_clip_url": _VIDEO,
        },
        "parameters": {},
    },
    "video_outpainting": {
        "model": "wan2.1-vace-plus",
        "input": {
            "function": "video_outpainting",
            "prompt": "A lady plays the violin before an orchestra.",
            "video_url": _VIDEO,
        },
        "parameters": {},
    },
}

#: The request variants ``body_for`` knows, one per request schema.
VARIANTS = tuple(_BODIES)


def body_for(variant: str, **changes: Any) -> dict[str, Any]:
    """A fresh valid submit body of a variant; ``changes`` map dotted paths (``__`` for ``.``)
    to new values, e.g. ``body_for("t2v", parameters__seed=1)``."""
    body = copy.deepcopy(_BODIES[variant])
    for dotted, value in changes.items():
        set_path(body, dotted.replace("__", "."), value)
    return body


DELETE: Any = object()
"""Pass as a value to ``body_for``/``set_path`` to remove the field."""


def set_path(
    body: dict[str, Any], dotted: str, value: Any, *, removed: object = DELETE
) -> dict[str, Any]:
    """Set (or, with ``removed``: ``DELETE`` unless said, remove) ``input.x`` /
    ``parameters.y`` in place: the tests' one writer of a dotted path in a body."""
    *parents, leaf = dotted.split(".")
    node: Any = body
    for part in parents:
        node = node.setdefault(part, {})
    if value is removed:
        node.pop(leaf, None)
    else:
        node[leaf] = value
    return body


# ---------------------------------------------------------------------- assertions
def auth(key: str = KEY, *, submit: bool = False) -> dict[str, str]:
    """Headers of an authenticated call (plus ``X-DashScope-Async`` for a submit)."""
    headers = {"Authorization": f"Bearer {key}"}
    if submit:
        headers["X-DashScope-Async"] = "enable"
    return headers


def assert_request_id(response: TestResponse) -> str:
    """The body's ``request_id`` is a non-empty string equal to the ``X-Request-ID`` header."""
    body = response.get_json()
    assert isinstance(body, dict)
    request_id = body.get("request_id")
    assert isinstance(request_id, str)
    assert request_id
    assert response.headers.get("X-Request-ID") == request_id
    return request_id


def assert_error(
    response: TestResponse,
    status: int,
    code: str,
    message: str | None = None,
    *,
    mentions: tuple[str, ...] = (),
) -> str:
    """A DashScope error envelope: status, JSON content type, code, message, request id.

    ``message`` is compared exactly; each of ``mentions`` must appear in it. Returns the message.
    """
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert isinstance(body, dict)
    assert body.get("code") == code, body
    text = body.get("message")
    assert isinstance(text, str)
    assert text
    if message is not None:
        assert text == message
    for word in mentions:
        assert word in text, f"{word!r} not in {text!r}"
    assert "output" not in body
    assert_request_id(response)
    return text


# ---------------------------------------------------------------------- the API, in process
@dataclass
class Api:
    """Flask's test client and the app's clock, with one-line calls for each operation."""

    client: FlaskClient
    clock: ManualClock

    def submit(
        self,
        body: Any,
        *,
        path: str = VIDEO_GENERATION,
        key: str = KEY,
        headers: Mapping[str, str] | None = None,
    ) -> TestResponse:
        all_headers = {**auth(key, submit=True), **(headers or {})}
        return self.client.post(path, json=body, headers=all_headers)

    def submit_ok(self, body: Any, *, path: str = VIDEO_GENERATION, key: str = KEY) -> str:
        """Submit and return the task id, asserting the documented 200 PENDING answer."""
        response = self.submit(body, path=path, key=key)
        assert response.status_code == 200, response.get_data(as_text=True)
        data = response.get_json()
        assert data["output"]["task_status"] == "PENDING"
        assert "code" not in data
        task_id = data["output"]["task_id"]
        assert isinstance(task_id, str)
        assert task_id
        return task_id

    def query(self, task_id: str, *, key: str = KEY) -> dict[str, Any]:
        """``GET /tasks/{id}``: always HTTP 200 with ``output.task_id`` and ``task_status``."""
        response = self.client.get(f"{API}/tasks/{task_id}", headers=auth(key))
        assert response.status_code == 200, response.get_data(as_text=True)
        body = response.get_json()
        assert isinstance(body, dict)
        assert body["output"]["task_id"] == task_id
        assert_request_id(response)
        return body

    def status(self, task_id: str, *, key: str = KEY) -> str:
        status = self.query(task_id, key=key)["output"]["task_status"]
        assert isinstance(status, str)
        return status

    def cancel(self, task_id: str, *, key: str = KEY) -> TestResponse:
        return self.client.post(f"{API}/tasks/{task_id}/cancel", headers=auth(key))

    def list(self, *, key: str = KEY, **query: str | int) -> TestResponse:
        return self.client.get(f"{API}/tasks", headers=auth(key), query_string=query)

    def list_ok(self, *, key: str = KEY, **query: str | int) -> dict[str, Any]:
        response = self.list(key=key, **query)
        assert response.status_code == 200, response.get_data(as_text=True)
        body = response.get_json()
        assert isinstance(body, dict)
        assert_request_id(response)
        return body

    def finish(self) -> None:
        """Move the clock past the end of every task submitted up to now."""
        self.clock.advance(DONE + 0.001)

    def run(self, body: Any, *, path: str = VIDEO_GENERATION, key: str = KEY) -> dict[str, Any]:
        """Submit, move the clock past the task's end, and return the final query body."""
        task_id = self.submit_ok(body, path=path, key=key)
        self.finish()
        return self.query(task_id, key=key)


# ---------------------------------------------------------------------- fixtures
@pytest.fixture
def clock() -> ManualClock:
    """A clock fixed at ``START``; tests move it with ``advance``."""
    from wan_mock._domain._clock import ManualClock

    return ManualClock(START)


@pytest.fixture(scope="session")
def media_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One data folder (uploads, rendered videos) for the session: each video shape is
    rendered once, not once per test."""
    return tmp_path_factory.mktemp("wan-mock-data")


@pytest.fixture
def make_app(clock: ManualClock, media_dir: Path) -> Iterator[Callable[..., Flask]]:
    """``make_app(settings=None, app_clock=None, rate_clock=None)``: a new app, on the test's
    clock by default (``rate_clock``: the time its rate limits are counted in).

    Settings without a ``data_dir`` get the session's ``media_dir``. At teardown every app is
    closed (``close_app``: renders finished, journal flushed, store closed).
    """
    from wan_mock._http._app import close_app, create_app
    from wan_mock._service._settings import Settings

    apps: list[Flask] = []

    def factory(
        settings: Settings | None = None,
        *,
        app_clock: ManualClock | None = None,
        rate_clock: Callable[[], float] | None = None,
    ) -> Flask:
        settings = settings or Settings()
        if settings.data_dir is None:
            settings = dataclasses.replace(settings, data_dir=media_dir)
        created = create_app(settings, clock=app_clock or clock, rate_clock=rate_clock)
        apps.append(created)
        return created

    yield factory
    for created in apps:
        close_app(created)


@pytest.fixture
def app(make_app: Callable[..., Flask]) -> Flask:
    """A fresh mock with default settings (fast profile, any key, in-memory store)."""
    return make_app()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def api(client: FlaskClient, clock: ManualClock) -> Api:
    return Api(client, clock)


def make_wan_client(app: Flask, token: str = KEY) -> AuthenticatedClient:
    """The generated client, talking to ``app`` in process over WSGI."""
    return AuthenticatedClient(
        base_url=BASE_URL,
        token=token,
        httpx_args={"transport": httpx.WSGITransport(app=app)},
    )


@pytest.fixture
def wan_client(app: Flask) -> Iterator[AuthenticatedClient]:
    """The generated client on the test's app, with key ``KEY``."""
    with make_wan_client(app) as generated:
        yield generated
