"""The control plane (``/__mock/``) through Flask's test client, as the ``control/test_control*``
modules use it: two API keys, a small text-to-video body, submitting and reading a task, queueing
a scenario, reading the journal, and which operations are guarded.

Its fixtures (registered for the whole folder by ``conftest.py``) make an app on its store's
``SharedClock`` instead of a ``ManualClock`` — the clock the control plane moves and freezes over
HTTP — with a fake wall clock patched into ``wan_mock._domain._clock``, so nothing sleeps.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from contract_tests.support.control import FakeWallClock, control_operations, standalone_app
from contract_tests.support.mock import API, START, auth

__all__ = [
    "OTHER_KEY",
    "REMOTE",
    "SECRET_KEY",
    "guarded_control_calls",
    "journal_entries",
    "ok_json",
    "queue_scenario",
    "shared_app",
    "shared_client",
    "submit_t2v",
    "t2v_body",
    "task_status",
    "wall_clock",
]

SECRET_KEY = "sk-journal-secret-0123456789abcdef"
"""The key most control tests submit with (the journal and the dumps must never show it)."""
OTHER_KEY = "sk-another-key-fedcba9876543210"
"""A second key, whose tasks and scenarios are not the first one's."""
REMOTE = {"REMOTE_ADDR": "10.1.2.3"}
"""The environ of a caller that is not on loopback."""

_T2V: dict[str, Any] = {
    "model": "wan2.2-t2v-plus",
    "input": {"prompt": "A red kite."},
    "parameters": {"size": "832*480"},
}


def t2v_body() -> dict[str, Any]:
    """A fresh copy of a valid text-to-video body (``wan2.2-t2v-plus``, 832*480)."""
    return json.loads(json.dumps(_T2V))  # type: ignore[no-any-return]


def ok_json(response: TestResponse) -> Any:
    """The JSON body of a 200 answer (failing, with the body, on any other)."""
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    return response.get_json()


def submit_t2v(client: FlaskClient, body: Any = None, key: str = SECRET_KEY, **headers: str) -> str:
    """Submit ``body`` (default: ``t2v_body()``) to video-synthesis; the new task's id."""
    response = client.post(
        f"{API}/services/aigc/video-generation/video-synthesis",
        json=t2v_body() if body is None else body,
        headers={**auth(key, submit=True), **headers},
    )
    return str(ok_json(response)["output"]["task_id"])


def task_status(client: FlaskClient, task_id: str, key: str = SECRET_KEY) -> str:
    """A task's status as ``GET /tasks/{task_id}`` answers it."""
    body = ok_json(client.get(f"{API}/tasks/{task_id}", headers=auth(key)))
    return str(body["output"]["task_status"])


def queue_scenario(
    client: FlaskClient, scenario: str, count: int = 1, key: str = SECRET_KEY
) -> Any:
    """``POST /__mock/scenarios``: ``scenario`` for the next ``count`` submits of ``key``."""
    return ok_json(
        client.post(
            "/__mock/scenarios", json={"api_key": key, "scenario": scenario, "count": count}
        )
    )


def journal_entries(client: FlaskClient, **query: Any) -> list[dict[str, Any]]:
    """``GET /__mock/journal`` with ``query``: its entries, newest first."""
    entries = ok_json(client.get("/__mock/journal", query_string=query))["entries"]
    assert isinstance(entries, list)
    return entries


def guarded_control_calls() -> list[tuple[str, str]]:
    """The guarded operations: those under ``/__mock/`` that the spec does not declare public
    (``security: []``: the upload target, the pages' static files)."""
    return sorted(
        (method, path)
        for (method, path), operation in control_operations().items()
        if path.startswith("/__mock/") and operation.get("security") != []
    )


# ---------------------------------------------------------------------- fixtures
@pytest.fixture
def wall_clock(monkeypatch: pytest.MonkeyPatch) -> FakeWallClock:
    """The wall clock a ``SharedClock`` reads, standing still unless a test moves it."""
    fake = FakeWallClock(START)
    monkeypatch.setattr("wan_mock._domain._clock.time", fake)
    return fake


@pytest.fixture
def shared_app(wall_clock: FakeWallClock, media_dir: Path) -> Iterator[Flask]:
    """An app on its store's ``SharedClock`` (over ``wall_clock``), closed afterwards."""
    with standalone_app(data_dir=media_dir) as app:
        yield app


@pytest.fixture
def shared_client(shared_app: Flask) -> FlaskClient:
    """A test client of ``shared_app``."""
    return shared_app.test_client()
