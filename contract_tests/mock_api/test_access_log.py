"""The access log (``wan_mock._http._access_log``, ``Settings.access_log``) in process: a line per
request served — API, control plane, files, pages — in both formats, without query strings or
keys, a traceback only with an answer that is the mock's own fault; none for library use. And what
``wan-mock serve`` says about itself without being started: the banner on a wildcard address, the
help of every option, a refusal of the control plane through a control command."""

from __future__ import annotations

import functools
import io
import json
import logging
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient

from wan_mock import WanMock
from wan_mock._cli import _control_commands, _serve
from wan_mock._cli import _main as cli
from wan_mock._domain._clock import ManualClock
from wan_mock._domain._lifecycle import FAST_PENDING, FAST_RUNNING, REALISTIC_PENDING
from wan_mock._http._access_log import AccessLog
from wan_mock._http._app import close_app, create_app, mock_state
from wan_mock._service._settings import Settings
from wan_mock._spec._documents import load_spec
from wan_mock._testing import _control_client as controls
from wan_mock._testing._server_process import _BANNER

KEY = "sk-access-log-0123456789abcdef"
AUTH = {"Authorization": f"Bearer {KEY}"}
SUBMIT = "/api/v1/services/aigc/video-generation/video-synthesis"
BODY = {"model": "wan2.2-t2v-plus", "input": {"prompt": "A lighthouse in a storm."}}
#: A text line: time, method, path, status, [code], [task=ID], duration.
TEXT_LINE = re.compile(
    r"^\d\d:\d\d:\d\d\.\d{3} (?P<method>[A-Z]+) (?P<path>\S+) (?P<status>\d{3})"
    r"(?: (?P<code>[A-Za-z][\w.]*))?(?: task=(?P<task>\S+))? \d+\.\dms$"
)

Logged = Callable[..., tuple[FlaskClient, io.StringIO]]


@pytest.fixture
def logged(clock: ManualClock, media_dir: Path) -> Iterator[Logged]:
    """``logged(form, **settings)``: a test client of a new app with the access log on, and the
    stream its lines go to."""
    apps: list[Flask] = []

    def start(form: str = "text", **settings: Any) -> tuple[FlaskClient, io.StringIO]:
        stream = io.StringIO()
        chosen = Settings(
            access_log=True,
            log_format=form,  # type: ignore[arg-type]
            data_dir=media_dir,
            prerender_videos=False,
            **settings,
        )
        app = create_app(chosen, clock=clock, log_stream=stream)
        apps.append(app)
        return app.test_client(), stream

    yield start
    for app in apps:
        close_app(app)


def _submit(client: FlaskClient, key: str = KEY) -> str:
    answer = client.post(
        SUBMIT,
        json=BODY,
        headers={"Authorization": f"Bearer {key}", "X-DashScope-Async": "enable"},
    )
    assert answer.status_code == 200, answer.get_json()
    task_id: str = answer.get_json()["output"]["task_id"]
    return task_id


def _traffic(client: FlaskClient) -> str:
    """One request of each kind; returns the task's id."""
    task_id = _submit(client)
    assert client.get(f"/api/v1/tasks/{task_id}?probe=1", headers=AUTH).status_code == 200
    assert client.get(f"/api/v1/tasks/{task_id}").status_code == 401  # no key
    assert client.post("/__mock/clock/advance", json={"seconds": 5}).status_code == 200
    signed = f"/results/{task_id}.mp4?Expires=1&Signature=forged"
    assert client.get(signed).status_code == 403
    assert client.get("/").status_code == 302
    assert client.get("/no/such/page").status_code == 404
    return task_id


def test_a_text_line_per_request_names_method_path_status_code_task_and_duration(
    logged: Logged,
) -> None:
    client, stream = logged("text")
    task_id = _traffic(client)

    lines = stream.getvalue().splitlines()
    parsed = [TEXT_LINE.match(line) for line in lines]
    assert all(parsed), lines
    seen = [(m["method"], m["path"], int(m["status"]), m["code"], m["task"]) for m in parsed if m]
    assert seen == [
        ("POST", SUBMIT, 200, None, task_id),
        ("GET", f"/api/v1/tasks/{task_id}", 200, None, task_id),
        ("GET", f"/api/v1/tasks/{task_id}", 401, "InvalidApiKey", task_id),
        ("POST", "/__mock/clock/advance", 200, None, None),
        ("GET", f"/results/{task_id}.mp4", 403, None, task_id),
        ("GET", "/", 302, None, None),
        ("GET", "/no/such/page", 404, "NotFound", None),
    ]
    assert "Signature" not in stream.getvalue()
    assert "probe" not in stream.getvalue()


def test_a_json_line_per_request_is_one_object_with_the_operation_and_request_id(
    logged: Logged,
) -> None:
    client, stream = logged("json")
    task_id = _submit(client)
    query = client.get(f"/api/v1/tasks/{task_id}?probe=1", headers=AUTH)
    client.post("/__mock/scenarios", json={"scenario": "explode"})

    submitted, queried, refused = (json.loads(line) for line in stream.getvalue().splitlines())
    assert submitted["operation"] == "create_video_synthesis_task"
    assert (submitted["method"], submitted["path"], submitted["status"]) == ("POST", SUBMIT, 200)
    assert submitted["task_id"] == task_id
    assert submitted["key_id"] is not None
    assert queried["path"] == f"/api/v1/tasks/{task_id}"
    assert queried["request_id"] == query.headers["X-Request-ID"]
    assert queried["code"] is None
    assert (refused["operation"], refused["status"]) == ("mock_queue_scenario", 400)
    assert refused["code"] == "InvalidParameter"
    for entry in (submitted, queried, refused):
        assert isinstance(entry["ms"], float)
        assert entry["ms"] >= 0
        assert isinstance(entry["time"], float)
        assert "traceback" not in entry


@pytest.mark.parametrize("form", ["text", "json"])
def test_the_key_never_reaches_the_log(logged: Logged, form: str) -> None:
    client, stream = logged(form, api_keys=frozenset({KEY}))
    _traffic(client)
    wrong = {"Authorization": f"Bearer {KEY}-wrong"}
    assert client.get("/api/v1/tasks", headers=wrong).status_code == 401

    assert stream.getvalue().count("\n") == 8
    assert KEY not in stream.getvalue()
    assert KEY[3:15] not in stream.getvalue()


def test_an_odd_path_stays_one_field_of_one_line(logged: Logged) -> None:
    client, stream = logged("text")
    client.get("/api/v1/tasks/a%0A12:00:00.000%20GET%20/forged%20200%201.0ms")
    client.get("/api/v1/tasks/caf%C3%A9%20x", headers=AUTH)

    forged, accented = stream.getvalue().splitlines()
    assert (match := TEXT_LINE.match(forged))
    assert match["status"] == "404"
    assert match["path"] == "/api/v1/tasks/a%0A12:00:00.000%20GET%20/forged%20200%201.0ms"
    assert (match := TEXT_LINE.match(accented))
    assert match["path"] == "/api/v1/tasks/caf%C3%A9%20x"


def test_every_method_and_mount_gets_one_line_with_the_answers_request_id(
    logged: Logged,
) -> None:
    client, stream = logged("json")
    task_id = _submit(client)
    mounted = "http://localhost/prefix"  # SCRIPT_NAME=/prefix
    answers = [
        client.head(f"/api/v1/tasks/{task_id}", headers=AUTH),
        client.get(f"/api/v1/tasks/{task_id}", headers=AUTH, base_url=mounted),
        client.head(f"/api/v1/tasks/{task_id}"),
        client.delete(f"/api/v1/tasks/{task_id}", headers=AUTH),
        client.options(f"/api/v1/tasks/{task_id}"),
        client.get("/api/v1/tasks//cancel", base_url=mounted),
        client.get("/__mock/health", base_url=mounted),
    ]

    lines = [json.loads(line) for line in stream.getvalue().splitlines()][1:]
    seen = [
        (e["method"], e["path"], e["status"], e["code"], e["operation"], e["task_id"])
        for e in lines
    ]
    task = f"/api/v1/tasks/{task_id}"
    assert seen == [
        ("HEAD", task, 200, None, "get_task", task_id),
        ("GET", task, 200, None, "get_task", task_id),
        ("HEAD", task, 401, "InvalidApiKey", "get_task", task_id),
        ("DELETE", task, 405, "MethodNotAllowed", None, None),
        ("OPTIONS", task, 200, None, "get_task", task_id),
        ("GET", "/api/v1/tasks//cancel", 404, "NotFound", None, None),
        ("GET", "/__mock/health", 200, None, "mock_health", None),
    ]
    assert [e["request_id"] for e in lines] == [a.headers["X-Request-ID"] for a in answers]
    assert [e["key_id"] is not None for e in lines] == [True, True] + [False] * 5


def test_a_fault_of_an_api_operation_logs_its_traceback_once_whatever_the_method(
    logged: Logged, monkeypatch: pytest.MonkeyPatch
) -> None:
    client, stream = logged("json")
    assert client.application is not None

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the query broke")

    monkeypatch.setattr(mock_state(client.application).backend, "query", broken)

    answer = client.head("/api/v1/tasks/some-id", headers=AUTH)

    assert answer.status_code == 500
    [fault] = (json.loads(line) for line in stream.getvalue().splitlines())
    assert (fault["method"], fault["status"], fault["code"]) == ("HEAD", 500, "InternalError")
    assert (fault["operation"], fault["task_id"]) == ("get_task", "some-id")
    assert fault["request_id"] == answer.headers["X-Request-ID"]
    assert fault["traceback"].count("RuntimeError: the query broke") == 1


def _break_the_store(client: FlaskClient) -> None:
    """A genuine fault of the mock: its store is gone under it."""
    assert client.application is not None
    mock_state(client.application).store.close()


def test_a_fault_logs_its_traceback_with_its_line_and_a_refusal_never_does(
    logged: Logged, caplog: pytest.LogCaptureFixture
) -> None:
    client, stream = logged("text")
    client.get("/api/v1/tasks/nobody")  # 401
    client.post("/__mock/clock/advance", json={"seconds": -1})  # 400
    _break_the_store(client)
    assert client.get("/__mock/tasks").status_code == 500

    first, second, fault, *traceback = stream.getvalue().splitlines()
    assert TEXT_LINE.match(first)
    assert TEXT_LINE.match(second)
    assert (match := TEXT_LINE.match(fault))
    assert match["status"] == "500"
    assert match["code"] == "InternalError"
    assert traceback[0] == "Traceback (most recent call last):"
    assert traceback[-1].startswith("sqlite3.ProgrammingError")
    assert stream.getvalue().count("Traceback") == 1
    assert not [record for record in caplog.records if record.exc_info]  # not twice


def test_a_json_fault_carries_its_traceback_in_its_one_object(logged: Logged) -> None:
    client, stream = logged("json")
    client.get("/api/v1/tasks/nobody")
    _break_the_store(client)
    client.get("/__mock/tasks")

    refused, fault = (json.loads(line) for line in stream.getvalue().splitlines())
    assert "traceback" not in refused
    assert (fault["status"], fault["code"]) == (500, "InternalError")
    assert fault["traceback"].startswith("Traceback (most recent call last):")
    assert "sqlite3.ProgrammingError" in fault["traceback"]


def test_without_the_access_log_a_fault_goes_to_the_wan_mock_logger_and_nothing_is_written(
    clock: ManualClock, media_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    stream = io.StringIO()
    settings = Settings(data_dir=media_dir, prerender_videos=False)
    app = create_app(settings, clock=clock, log_stream=stream)
    try:
        client = app.test_client()
        _traffic(client)
        _break_the_store(client)
        with caplog.at_level(logging.ERROR, logger="wan_mock"):
            assert client.get("/__mock/tasks").status_code == 500
    finally:
        close_app(app)

    assert stream.getvalue() == ""
    [record] = [record for record in caplog.records if record.exc_info]
    assert record.name == "wan_mock"


def test_without_the_access_log_an_api_fault_goes_to_the_wan_mock_logger_once(
    clock: ManualClock,
    media_dir: Path,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    stream = io.StringIO()
    app = create_app(
        Settings(data_dir=media_dir, prerender_videos=False), clock=clock, log_stream=stream
    )

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the list broke")

    monkeypatch.setattr(mock_state(app).backend, "list", broken)
    try:
        with caplog.at_level(logging.ERROR, logger="wan_mock"):
            assert app.test_client().head("/api/v1/tasks", headers=AUTH).status_code == 500
    finally:
        close_app(app)

    assert stream.getvalue() == ""
    [record] = [record for record in caplog.records if record.exc_info]
    assert record.name == "wan_mock"
    assert record.getMessage() == "unhandled error on HEAD /api/v1/tasks"
    assert record.exc_info is not None
    assert str(record.exc_info[1]) == "the list broke"


def test_library_use_prints_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    with WanMock() as mock:
        mock.http.get("/tasks/anything")
        mock.advance(1)

    assert capsys.readouterr().out == ""


def test_the_settings_refuse_an_unknown_log_format() -> None:
    with pytest.raises(ValueError, match="log_format"):
        Settings(log_format="xml")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="log format"):
        AccessLog(io.StringIO(), "xml")  # type: ignore[arg-type]


def test_each_line_is_one_write_then_a_flush() -> None:
    class Recorder:
        def __init__(self) -> None:
            self.calls: list[str] = []

        def write(self, text: str) -> None:
            self.calls.append(text)

        def flush(self) -> None:
            self.calls.append("<flush>")

    recorder = Recorder()
    log = AccessLog(recorder, "text")
    try:
        raise RuntimeError("boom")
    except RuntimeError as error:
        log.write(log.line("GET", "/x", 500, 1.0, code="InternalError", fault=error))
    log.write(log.line("GET", "/y", 200, 1.0))

    fault, flushed, plain, flushed_again = recorder.calls
    assert fault.count("\n") > 2
    assert "RuntimeError: boom" in fault
    assert plain.endswith(" GET /y 200 1.0ms\n")
    assert plain.count("\n") == 1
    assert flushed == flushed_again == "<flush>"


# ---------------------------------------------------------------------- wan-mock serve, unstarted
HOSTS = """\
127.0.0.1   localhost
127.0.1.1   box.example box
10.1.2.3    box      # the LAN
fe80::1     box
2001:db8::5 box.example
192.0.2.9   other
"""


def test_on_a_wildcard_address_the_banner_gives_urls_a_client_can_use(tmp_path: Path) -> None:
    hosts = tmp_path / "hosts"
    hosts.write_text(HOSTS)
    banner = functools.partial(_serve._banner, port=8123, hostname="box.example", hosts_file=hosts)

    every_ipv4 = banner(Settings(host="0.0.0.0", access_log=True))
    assert every_ipv4.startswith(
        "wan-mock serving the Wan video API at http://127.0.0.1:8123/api/v1"
    )
    assert "http://box.example:8123/api/v1" in every_ipv4
    assert "http://10.1.2.3:8123/api/v1" in every_ipv4
    for absent in ("0.0.0.0", "127.0.1.1", "192.0.2.9", "2001:db8", "fe80"):
        assert absent not in every_ipv4
    assert "http://127.0.0.1:8123/ " in every_ipv4  # the console
    assert "http://127.0.0.1:8123/docs" in every_ipv4
    assert "--control-token" in every_ipv4  # other machines cannot reach /__mock/ without it
    assert "text on stdout" in every_ipv4
    found = _BANNER.search(every_ipv4)  # what WanMockServer waits for
    assert found is not None
    assert found.group(2) == "8123"

    every_ipv6 = banner(Settings(host="::", control_token="secret"))
    assert every_ipv6.startswith("wan-mock serving the Wan video API at http://[::1]:8123/api/v1")
    assert "http://[2001:db8::5]:8123/api/v1" in every_ipv6
    assert "http://10.1.2.3:8123/api/v1" in every_ipv6
    assert "http://[::]" not in every_ipv6
    assert "fe80" not in every_ipv6
    assert "--control-token" not in every_ipv6
    assert "off (--quiet)" in every_ipv6


def test_on_one_address_the_banner_gives_that_address_only(tmp_path: Path) -> None:
    hosts = tmp_path / "hosts"
    hosts.write_text(HOSTS)

    loopback = _serve._banner(Settings(), 8000, hostname="box.example", hosts_file=hosts)
    assert "box.example" not in loopback
    assert "10.1.2.3" not in loopback
    assert loopback.startswith("wan-mock serving the Wan video API at http://127.0.0.1:8000/api/v1")
    ipv6 = _serve._banner(Settings(host="::1"), 8000, hostname="box", hosts_file=hosts)
    assert ipv6.startswith("wan-mock serving the Wan video API at http://[::1]:8000/api/v1")

    nameless = _serve._banner(Settings(host="0.0.0.0"), 80, hostname="localhost", hosts_file=hosts)
    assert "localhost:80" not in nameless
    assert "this host's address:80" in nameless


def test_every_serve_option_has_help_and_the_profile_says_its_timings() -> None:
    options = {param.name: param for param in _serve.serve.params if param.name != "help"}
    helps = {name: getattr(option, "help", None) or "" for name, option in options.items()}

    assert {"log_format", "quiet", "profile", "port"} <= set(helps)
    assert [name for name, text in helps.items() if not text.strip()] == []
    assert "0 picks a free one" in helps["port"]
    assert "banner" in helps["port"]
    low, high = REALISTIC_PENDING
    expected = [f"PENDING {FAST_PENDING:g} s", f"RUNNING {FAST_RUNNING:g} s", f"{low:g}-{high:g} s"]
    ranges = {model.processing_seconds for model in load_spec().models.values()}
    expected += [f"{start / 60:g}-{end / 60:g} min" for start, end in ranges]
    assert [text for text in expected if text not in helps["profile"]] == []
    assert "rate limits on" in helps["profile"]


def test_the_help_of_serve_shows_every_option_with_its_text() -> None:
    shown = CliRunner().invoke(cli.main, ["serve", "--help"], terminal_width=200)

    assert shown.exit_code == 0
    assert "--log-format [text|json]" in shown.output
    assert "No access log (the banner and errors still print)." in shown.output


# ---------------------------------------------------------------------- a refusal, in process
def test_a_control_command_refused_for_its_token_says_why_and_exits_1(
    clock: ManualClock, media_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """From an address that is not loopback (a WSGI transport's), the control plane wants the
    token the mock was started with."""
    app = create_app(Settings(control_token="right", data_dir=media_dir), clock=clock)
    transport = httpx.WSGITransport(app=app, remote_addr="203.0.113.7")
    monkeypatch.setattr(
        _control_commands,
        "RunningMock",
        functools.partial(controls.RunningMock, transport=transport),
    )
    runner = CliRunner()
    try:
        refused = runner.invoke(cli.main, ["health", "--url", "http://mock.example"])
        wrong = runner.invoke(
            cli.main, ["clock", "advance", "5", "--control-token", "wrong", "--json"]
        )
        allowed = runner.invoke(
            cli.main, ["clock", "advance", "5"], env={"WAN_MOCK_CONTROL_TOKEN": "right"}
        )
    finally:
        close_app(app)

    assert refused.exit_code == 1
    assert refused.stderr == (
        "error: http://mock.example refused: 403 AccessDenied: The control plane needs "
        "X-Mock-Control-Token from this address.\n"
    )
    assert refused.stdout == ""
    assert wrong.exit_code == 1
    assert json.loads(wrong.stdout) == {
        "error": "ControlError",
        "status": 403,
        "code": "AccessDenied",
        "message": "The control plane needs X-Mock-Control-Token from this address.",
    }
    assert allowed.exit_code == 0, allowed.output
    assert allowed.stdout.startswith("now: ")
    assert "Traceback" not in refused.output + wrong.output + allowed.output


def test_the_control_methods_the_commands_add_work_in_process_too() -> None:
    """``health``, ``scenarios``, ``tasks(status)`` and ``journal(limit=)`` live in
    ``MockControls``: ``WanMock`` has them as ``RunningMock`` does."""
    with WanMock(api_key=KEY) as mock:
        mock.queue_scenario("fail=DataInspectionFailed", api_key=KEY)
        mock.queue_scenario("pending_polls=1", count=2)
        queued = mock.scenarios()
        mine = mock.scenarios(KEY)
        path = SUBMIT.removeprefix("/api/v1")
        assert mock.http.post(path, json=BODY, headers={"X-DashScope-Async": "enable"}).is_success
        mock.http.get("/tasks/nothing")
        mock.finish()

        assert mock.health()["status"] == "ok"
        assert [entry["key_id"] for entry in queued][1:] == ["*", "*"]
        assert [entry["scenario"] for entry in mine] == ["fail=DataInspectionFailed"]
        assert [task["code"] for task in mock.tasks("FAILED")] == ["DataInspectionFailed"]
        assert mock.tasks("SUCCEEDED") == []
        assert [entry["operation"] for entry in mock.journal(limit=1)] == ["get_task"]
        assert len(mock.journal()) == 2
        assert mock.reset() == {"reset": True}
