"""Hardening: bad input never gets a 5xx or a traceback, and the defaults are safe.

Every entry of the bad-input corpus must get a JSON 4xx with a DashScope code (never 5xx, never
HTML), and the mock must keep serving afterwards. The security defaults: the mock binds
127.0.0.1 unless told otherwise, user-supplied URLs are never fetched, and API keys never appear
in logs, the journal, the task dump or the store file.
"""

from __future__ import annotations

import json
import socket
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient

from wan_mock import WanMockServer
from wan_mock._cli import _main as cli
from wan_mock._cli import _serve
from wan_mock._http._app import close_app, create_app
from wan_mock._service._control import MockControl
from wan_mock._service._settings import Settings

SUBMIT = "/api/v1/services/aigc/video-generation/video-synthesis"
KEY = "sk-hardening-secret-0123456789"
HEADERS = {
    "Authorization": f"Bearer {KEY}",
    "X-DashScope-Async": "enable",
    "Content-Type": "application/json",
}
VALID = b'{"model":"wan2.5-t2v-preview","input":{"prompt":"a cat"}}'


def _nested(depth: int) -> bytes:
    return b'{"model":"wan2.5-t2v-preview","input":' + b"[" * depth + b"]" * depth + b"}"


#: (name, body, extra headers) — each must be refused with a JSON 4xx.
CORPUS: list[tuple[str, bytes, dict[str, str]]] = [
    ("not-json", b"{model: wan}", {}),
    ("json-array", b"[1, 2, 3]", {}),
    ("json-string", b'"a body"', {}),
    ("json-number", b"42", {}),
    ("json-null", b"null", {}),
    ("empty-body", b"", {}),
    ("form-body", b"model=wan2.5-t2v-preview&input=x", {"Content-Type": "text/plain"}),
    ("invalid-utf8", b'{"model":"wan2.5-t2v-preview","input":{"prompt":"\xff\xfe"}}', {}),
    ("utf8-bom", b"\xef\xbb\xbf" + VALID, {}),
    ("raw-nul", b'{"model":"wan2.5-t2v-preview","input":{"prompt":"a\x00"}}', {}),
    ("lone-surrogate", b'{"model":"wan2.5-t2v-preview","input":{"prompt":"\\ud800"}}', {}),
    ("nesting-5000", _nested(5000), {}),
    ("nesting-900", _nested(900), {}),
    (
        "int-10e400",
        b'{"model":"wan2.5-t2v-preview","input":{"prompt":"x"},"parameters":'
        b'{"seed":1' + b"0" * 400 + b"}}",
        {},
    ),
    ("model-10e400", b'{"model":1' + b"0" * 400 + b',"input":{"prompt":"x"}}', {}),
    (
        "float-1e400",
        b'{"model":"wan2.5-t2v-preview","input":{"prompt":"x"},"parameters":{"seed":1e400}}',
        {},
    ),
    ("nan", b'{"model":"wan2.5-t2v-preview","input":{"prompt":"x"},"parameters":{"seed":NaN}}', {}),
    (
        "infinity",
        b'{"model":"wan2.5-t2v-preview","input":{"prompt":"x"},"parameters":{"seed":-Infinity}}',
        {},
    ),
    ("model-list", b'{"model":["wan2.5-t2v-preview"],"input":{"prompt":"x"}}', {}),
    ("model-object", b'{"model":{},"input":{"prompt":"x"}}', {}),
    ("input-string", b'{"model":"wan2.5-t2v-preview","input":"a cat"}', {}),
    ("input-list", b'{"model":"wan2.5-t2v-preview","input":["a cat"]}', {}),
    (
        "parameters-list",
        b'{"model":"wan2.5-t2v-preview","input":{"prompt":"x"},"parameters":[]}',
        {},
    ),
    (
        "parameters-string",
        b'{"model":"wan2.5-t2v-preview","input":{"prompt":"x"},"parameters":"5"}',
        {},
    ),
    ("prompt-number", b'{"model":"wan2.5-t2v-preview","input":{"prompt":5}}', {}),
    ("function-number", b'{"model":"wan2.1-vace-plus","input":{"function":1,"prompt":"x"}}', {}),
    (
        "over-the-body-limit",
        b'{"model":"wan2.5-t2v-preview","input":{"prompt":"' + b"a" * (28 << 20) + b'"}}',
        {},
    ),
]


@pytest.fixture
def app(tmp_path: Path) -> Iterator[Flask]:
    app = create_app(Settings(store_path=tmp_path / "tasks.db"))
    yield app
    close_app(app)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.mark.parametrize(("name", "body", "extra"), CORPUS, ids=[c[0] for c in CORPUS])
def test_bad_input_gets_a_json_4xx_with_a_dashscope_code(
    client: FlaskClient, name: str, body: bytes, extra: dict[str, str]
) -> None:
    response = client.post(SUBMIT, data=body, headers={**HEADERS, **extra})

    assert 400 <= response.status_code < 500, (name, response.status_code, response.data[:200])
    assert response.mimetype == "application/json"
    envelope = json.loads(response.data)
    assert set(envelope) == {"request_id", "code", "message"}
    assert envelope["code"] in {
        "BadRequest.IllegalInput",
        "BadRequest.EmptyModel",
        "BadRequest.EmptyInput",
        "BadRequest.TooLarge",
        "InvalidParameter",
    }
    assert "Traceback" not in envelope["message"]


@pytest.mark.parametrize(
    "task_id",
    ["x" * 10_000, "中文", "a b", "..", "%00", "'; DROP TABLE tasks; --", "\u200b", "%252F"],
    ids=["10k-chars", "chinese", "space", "dots", "nul", "sql", "zero-width", "double-encoded"],
)
def test_odd_task_ids_read_unknown(client: FlaskClient, task_id: str) -> None:
    response = client.get(f"/api/v1/tasks/{task_id}", headers=HEADERS)

    assert response.status_code == 200
    assert response.get_json()["output"]["task_status"] == "UNKNOWN"


@pytest.mark.parametrize("task_id", ["%2F..%2F", "a%2Fb", "a/b"])
def test_task_ids_with_slashes_are_a_json_404_not_a_redirect(
    client: FlaskClient, task_id: str
) -> None:
    response = client.get(f"/api/v1/tasks/{task_id}", headers=HEADERS)

    assert response.status_code == 404
    assert response.get_json()["code"] == "NotFound"


def test_the_mock_keeps_serving_after_the_whole_corpus(client: FlaskClient) -> None:
    for _, body, extra in CORPUS:
        client.post(SUBMIT, data=body, headers={**HEADERS, **extra})

    response = client.post(SUBMIT, data=VALID, headers=HEADERS)

    assert response.status_code == 200
    assert response.get_json()["output"]["task_status"] == "PENDING"


@pytest.mark.slow
def test_a_server_process_answers_the_corpus_without_5xx_and_keeps_serving(
    tmp_path: Path,
) -> None:
    with (
        WanMockServer(directory=tmp_path) as server,
        httpx.Client(base_url=server.base_url, timeout=30) as http,
    ):
        for name, body, extra in CORPUS:
            response = http.post(
                "/services/aigc/video-generation/video-synthesis",
                content=body,
                headers={**HEADERS, **extra},
            )
            assert response.status_code < 500, (name, response.status_code)
            assert response.headers["content-type"].startswith("application/json"), name
        final = http.post(
            "/services/aigc/video-generation/video-synthesis", content=VALID, headers=HEADERS
        )
        assert final.status_code == 200


# ---------------------------------------------------------------------- security defaults
def test_the_default_settings_bind_loopback_only() -> None:
    assert Settings().host == "127.0.0.1"


def test_wan_mock_serve_binds_loopback_unless_told_otherwise(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[Settings] = []
    monkeypatch.setattr(_serve, "serve_forever", lambda settings, **_: seen.append(settings))

    assert CliRunner().invoke(cli.main, ["serve"]).exit_code == 0
    assert CliRunner().invoke(cli.main, ["serve", "--host", "0.0.0.0"]).exit_code == 0

    assert [s.host for s in seen] == ["127.0.0.1", "0.0.0.0"]


def test_user_urls_are_never_fetched(
    client: FlaskClient, app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    attempts: list[Any] = []

    def refuse(*args: Any, **kwargs: Any) -> socket.socket:
        attempts.append(args)
        raise AssertionError("the mock tried to open a connection")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    bodies: list[dict[str, Any]] = [
        {
            "model": "wan2.2-i2v-flash",
            "input": {"img_url": "http://198.51.100.7/frame.png", "prompt": "x"},
        },
        {
            "model": "wan2.2-kf2v-flash",
            "input": {
                "first_frame_url": "https://198.51.100.7/a.png",
                "last_frame_url": "https://198.51.100.7/b.png",
            },
            "parameters": {},
        },
        {
            "model": "wan2.1-vace-plus",
            "input": {
                "function": "video_edit",
                "prompt": "x",
                "video_url": "http://198.51.100.7/v.mp4",
                "mask_video_url": "http://198.51.100.7/m.mp4",
            },
        },
    ]
    for body in bodies:
        response = client.post(SUBMIT, json=body, headers=HEADERS)
        assert response.status_code == 200, response.get_json()
    MockControl.of(app).advance(10)
    for task in MockControl.of(app).tasks():
        assert task["status"] == "SUCCEEDED"

    assert attempts == []


def _drive(client: FlaskClient) -> None:
    """Requests of every kind, good and bad, with the secret key."""
    task_id = client.post(SUBMIT, data=VALID, headers=HEADERS).get_json()["output"]["task_id"]
    client.post(SUBMIT, data=b"{bad", headers=HEADERS)
    client.post(SUBMIT, json={"model": "nope", "input": {}}, headers=HEADERS)
    client.get(f"/api/v1/tasks/{task_id}", headers=HEADERS)
    client.post(f"/api/v1/tasks/{task_id}/cancel", headers=HEADERS)
    client.get("/api/v1/tasks", headers=HEADERS)
    client.post("/__mock/scenarios", json={"api_key": KEY, "scenario": "fail=InternalError"})


def test_keys_never_reach_the_journal_the_task_dump_or_the_store_file(
    client: FlaskClient, app: Flask, tmp_path: Path
) -> None:
    _drive(client)
    control = MockControl.of(app)

    assert KEY not in json.dumps(control.journal(limit=1000))
    assert KEY not in json.dumps(control.tasks())
    assert KEY not in json.dumps(control.scenarios())
    assert KEY not in json.dumps(control.health())
    close_app(app)
    database = tmp_path / "tasks.db"
    for path in [database, *tmp_path.glob("tasks.db-*")]:
        assert KEY.encode() not in path.read_bytes(), path
    with sqlite3.connect(database) as db:
        rows = db.execute("SELECT * FROM journal").fetchall()
    assert rows, "the journal recorded the requests"


@pytest.mark.slow
def test_keys_never_reach_the_server_log(tmp_path: Path) -> None:
    with (
        WanMockServer(directory=tmp_path) as server,
        httpx.Client(base_url=server.base_url, timeout=30) as http,
    ):
        http.post("/services/aigc/video-generation/video-synthesis", content=VALID, headers=HEADERS)
        http.post("/services/aigc/video-generation/video-synthesis", content=b"{", headers=HEADERS)
        http.get("/tasks/unknown", headers=HEADERS)
        http.get("/tasks", headers={"Authorization": "Bearer " + KEY + "-wrong"})
    log_text = (tmp_path / "wan-mock.log").read_text()

    assert "wan-mock serving" in log_text
    assert KEY not in log_text


def test_logs_never_show_a_traceback_for_bad_input(
    client: FlaskClient, caplog: pytest.LogCaptureFixture
) -> None:
    for _, body, extra in CORPUS:
        client.post(SUBMIT, data=body, headers={**HEADERS, **extra})

    assert not [r for r in caplog.records if r.exc_info], caplog.text


def test_what_the_fast_json_codec_cannot_encode_is_kept_exactly(client: FlaskClient) -> None:
    """An integer beyond 64 bits in a parameter the API ignores, and non-ASCII text: the task
    is stored and shown as sent (``codec.dumps`` falls back to the standard library)."""
    huge = 123456789012345678901234567890
    prompt = "中文 prompt 🌊"
    body = {"model": "wan2.5-t2v-preview", "input": {"prompt": prompt}, "parameters": {"x": huge}}

    submitted = client.post(SUBMIT, data=json.dumps(body), headers=HEADERS)

    assert submitted.status_code == 200, submitted.get_json()
    task_id = submitted.get_json()["output"]["task_id"]
    dump = client.get("/__mock/tasks")
    (task,) = [t for t in dump.get_json()["tasks"] if t["task_id"] == task_id]
    assert task["received"]["parameters"]["x"] == huge
    assert task["received"]["input"]["prompt"] == prompt
    assert task["request"]["input"]["prompt"] == prompt
    assert str(huge).encode() in dump.data
