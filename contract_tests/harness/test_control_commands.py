"""``wan-mock`` through its entry point (the console script beside this Python): the control
commands against a running ``wan-mock serve`` (the ``wan_mock_server`` fixture; lifecycles moved
by the mock's clock, never by waiting) with their effect on it, their output with no terminal, on
a terminal and with ``--json``, and their errors; the access log a served mock writes (text,
JSON from two workers, ``--quiet``); ``--version``."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import httpx
import pytest

import wan_mock
from contract_tests.support.terminal import run_command
from wan_mock import WanMockServer

pytestmark = pytest.mark.slow

WAN_MOCK = Path(sys.executable).with_name("wan-mock")
KEY = "sk-cli-test-5f3a9c"
SUBMIT = "/services/aigc/video-generation/video-synthesis"
BODY = {"model": "wan2.2-t2v-plus", "input": {"prompt": "A lighthouse in a storm."}}
TEXT_LINE = re.compile(
    r"^\d\d:\d\d:\d\d\.\d{3} (?P<method>[A-Z]+) (?P<path>\S+) (?P<status>\d{3})"
    r"(?: (?P<code>[A-Za-z][\w.]*))?(?: task=(?P<task>\S+))? \d+\.\dms$"
)


def run(
    *args: str,
    server: WanMockServer | None = None,
    env: Mapping[str, str] | None = None,
    tty: bool = False,
) -> subprocess.CompletedProcess[str]:
    """``wan-mock ARGS`` in a child process, with ``WAN_MOCK_URL`` set to ``server``'s root;
    stdout on a pipe, or on a pseudo-terminal."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("WAN_MOCK_")}
    if server is not None:
        environment["WAN_MOCK_URL"] = server.root
    environment.update(env or {})
    return run_command(
        [os.fspath(WAN_MOCK), *args],
        env=environment,
        terminal="stdout" if tty else None,
        columns=160,
        timeout=60,
    )


def answer(result: subprocess.CompletedProcess[str]) -> Any:
    """The one JSON document ``--json`` printed, of a command that succeeded."""
    assert result.returncode == 0, result.stderr
    [line] = result.stdout.splitlines()
    return json.loads(line)


def submit(server: WanMockServer, key: str = KEY) -> httpx.Response:
    headers = {"Authorization": f"Bearer {key}", "X-DashScope-Async": "enable"}
    return httpx.post(server.base_url + SUBMIT, json=BODY, headers=headers, timeout=30)


def submitted(server: WanMockServer, key: str = KEY) -> str:
    response = submit(server, key)
    assert response.status_code == 200, response.text
    task_id: str = response.json()["output"]["task_id"]
    return task_id


def query(server: WanMockServer, task_id: str, key: str = KEY) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {key}"}
    response = httpx.get(f"{server.base_url}/tasks/{task_id}", headers=headers, timeout=30)
    output: dict[str, Any] = response.json()["output"]
    return output


def free_port() -> int:
    """A loopback port nothing listens on (the kernel's, closed again)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# ---------------------------------------------------------------------- the commands
def test_version() -> None:
    result = run("--version")

    assert result.returncode == 0
    assert result.stdout == f"wan-mock {wan_mock.__version__} (wan-video-kit)\n"


def test_the_clock_is_shown_frozen_advanced_and_unfrozen(wan_mock_server: WanMockServer) -> None:
    assert answer(run("clock", "--json", server=wan_mock_server))["frozen"] is False
    frozen = answer(run("clock", "freeze", "--json", server=wan_mock_server))
    assert frozen["frozen"] is True

    advanced = answer(run("clock", "advance", "60", "--json", server=wan_mock_server))

    assert advanced["now"] == pytest.approx(frozen["now"] + 60, abs=1e-3)
    assert wan_mock_server.clock()["now"] == pytest.approx(frozen["now"] + 60, abs=1e-3)
    shown = run("clock", server=wan_mock_server)
    assert shown.returncode == 0
    now, stands = shown.stdout.splitlines()
    assert re.fullmatch(r"now: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} UTC \(\d+\.\d{3}\)", now)
    assert f"({advanced['now']:.3f})" in now
    assert stands == "frozen: yes"
    assert answer(run("clock", "unfreeze", "--json", server=wan_mock_server))["frozen"] is False
    assert wan_mock_server.clock()["frozen"] is False


def test_the_connection_options_work_on_the_command_and_on_its_group(
    wan_mock_server: WanMockServer,
) -> None:
    nowhere = {"WAN_MOCK_URL": f"http://127.0.0.1:{free_port()}"}
    wan_mock_server.freeze()
    start = wan_mock_server.clock()["now"]

    on_command = run("clock", "advance", "5", "--url", wan_mock_server.root, env=nowhere)
    on_group = run(
        "clock", "--url", wan_mock_server.base_url, "--json", "advance", "5", env=nowhere
    )
    from_environment = run("clock", "advance", "5", env=nowhere)

    assert on_command.returncode == 0, on_command.stderr
    assert answer(on_group)["now"] == pytest.approx(start + 10, abs=1e-3)  # /api/v1 dropped
    assert from_environment.returncode == 1
    assert wan_mock_server.clock()["now"] == pytest.approx(start + 10, abs=1e-3)


def test_a_queued_scenario_fails_the_next_submit_of_its_key_and_finish_ends_it(
    wan_mock_server: WanMockServer,
) -> None:
    queued = run(
        "scenario", "queue", "--key", KEY, "fail=DataInspectionFailed", server=wan_mock_server
    )
    assert queued.returncode == 0, queued.stderr
    assert queued.stdout.splitlines()[-1] == "waiting: 1"
    [entry] = answer(run("scenario", "list", "--json", server=wan_mock_server))["scenarios"]
    assert entry["scenario"] == "fail=DataInspectionFailed"
    assert entry["key_id"] != "*"
    assert KEY not in json.dumps(entry)

    other = submitted(wan_mock_server, key="sk-someone-else")
    failing = submitted(wan_mock_server)
    finished = answer(run("finish", "--json", server=wan_mock_server))

    assert finished["waiting_for_polls"] == []
    assert query(wan_mock_server, other, "sk-someone-else")["task_status"] == "SUCCEEDED"
    failed = query(wan_mock_server, failing)
    assert (failed["task_status"], failed["code"]) == ("FAILED", "DataInspectionFailed")
    [shown] = answer(run("tasks", "--status", "FAILED", "--json", server=wan_mock_server))["tasks"]
    assert (shown["task_id"], shown["code"]) == (failing, "DataInspectionFailed")
    assert answer(run("scenario", "list", "--json", server=wan_mock_server)) == {"scenarios": []}


def test_a_scenario_for_any_key_counts_its_submits(wan_mock_server: WanMockServer) -> None:
    queued = run("scenario", "queue", "--count", "2", "reject=Throttling", server=wan_mock_server)
    assert queued.returncode == 0, queued.stderr

    listed = run("scenario", "list", server=wan_mock_server)
    assert listed.stdout == "*\treject=Throttling\n" * 2
    assert [submit(wan_mock_server, key).status_code for key in ("sk-a", "sk-b", "sk-c")] == [
        429,
        429,
        200,
    ]


def test_tasks_and_the_journal_list_what_was_submitted_and_reset_empties_them(
    wan_mock_server: WanMockServer,
) -> None:
    first, second = submitted(wan_mock_server), submitted(wan_mock_server)
    query(wan_mock_server, first)

    tasks = run("tasks", server=wan_mock_server)
    assert tasks.returncode == 0, tasks.stderr
    rows = [line.split("\t") for line in tasks.stdout.splitlines()]
    assert [(row[0], row[2]) for row in rows] == [(first, BODY["model"]), (second, BODY["model"])]
    assert "\x1b[" not in tasks.stdout  # no terminal: no escape codes
    assert answer(run("tasks", "--status", "CANCELED", "--json", server=wan_mock_server)) == {
        "tasks": []
    }

    entries = answer(run("journal", "--json", server=wan_mock_server))["entries"]
    assert [entry["operation"] for entry in entries] == [
        "get_task",
        "create_video_synthesis_task",
        "create_video_synthesis_task",
    ]
    assert [e["task_id"] for e in entries] == [first, second, first]  # newest first
    of_first = answer(run("journal", "--task", first, "--json", server=wan_mock_server))
    assert {entry["task_id"] for entry in of_first["entries"]} == {first}
    assert len(of_first["entries"]) == 2
    queries = answer(run("journal", "--operation", "get_task", "--json", server=wan_mock_server))
    assert len(queries["entries"]) == 1
    assert (
        len(answer(run("journal", "--limit", "1", "--json", server=wan_mock_server))["entries"])
        == 1
    )
    plain = run("journal", server=wan_mock_server)
    assert [line.split("\t")[1:3] for line in plain.stdout.splitlines()] == [
        ["get_task", "200"],
        ["create_video_synthesis_task", "200"],
        ["create_video_synthesis_task", "200"],
    ]

    reset = run("reset", server=wan_mock_server)

    assert reset.returncode == 0, reset.stderr
    assert reset.stdout.startswith("reset: ")
    assert answer(run("tasks", "--json", server=wan_mock_server)) == {"tasks": []}
    assert wan_mock_server.journal() == []


def test_health_says_how_the_mock_is_configured(wan_mock_server: WanMockServer) -> None:
    document = answer(run("health", "--json", server=wan_mock_server))
    shown = run("health", server=wan_mock_server)

    assert (document["status"], document["profile"], document["rate_limits"]) == (
        "ok",
        "fast",
        False,
    )
    fields = dict(line.split(": ", 1) for line in shown.stdout.splitlines())
    assert fields["url"] == wan_mock_server.root
    assert (fields["status"], fields["profile"], fields["rate_limits"]) == ("ok", "fast", "off")


def test_on_a_terminal_the_lists_are_tables(wan_mock_server: WanMockServer) -> None:
    task_id = submitted(wan_mock_server)

    shown = run("tasks", server=wan_mock_server, tty=True)

    assert shown.returncode == 0, shown.stderr
    assert "task_id" in shown.stdout
    assert "submitted" in shown.stdout
    assert task_id in shown.stdout
    assert "━" in shown.stdout  # the table's rules
    assert "1 task(s), oldest first" in shown.stdout


def test_an_unreachable_mock_is_one_line_and_exit_code_1() -> None:
    url = f"http://127.0.0.1:{free_port()}"

    result = run("tasks", "--url", url)
    as_json = run("clock", "advance", "1", "--url", url, "--json")

    assert result.returncode == 1
    assert result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith(f"error: cannot reach the mock at {url}: ")
    assert as_json.returncode == 1
    assert json.loads(as_json.stdout)["url"] == url
    assert "Traceback" not in result.stderr + as_json.stderr


def test_a_refusal_of_the_control_plane_is_its_message_and_exit_code_1(
    wan_mock_server: WanMockServer,
) -> None:
    result = run("scenario", "queue", "explode", server=wan_mock_server)

    assert result.returncode == 1
    [line] = result.stderr.splitlines()
    assert line.startswith(f"error: {wan_mock_server.root} refused: 400 InvalidParameter: ")
    assert "'explode'" in line
    assert answer(run("scenario", "list", "--json", server=wan_mock_server)) == {"scenarios": []}


@pytest.mark.parametrize(
    "arguments",
    [
        ["clock", "advance", "soon"],
        ["clock", "advance"],
        ["scenario", "queue", "--count", "0", "fail=InternalError"],
        ["tasks", "--status", "DONE"],
        ["journal", "--limit", "0"],
    ],
)
def test_bad_usage_is_clicks_exit_code_2(
    wan_mock_server: WanMockServer, arguments: list[str]
) -> None:
    result = run(*arguments, server=wan_mock_server)

    assert result.returncode == 2
    assert "Usage: wan-mock" in result.stderr
    assert wan_mock_server.journal() == []


# ---------------------------------------------------------------------- the access log served
def _requests(server: WanMockServer) -> str:
    """A submit, a query with a query string, a refusal and a control call; the task id."""
    task_id = submitted(server)
    headers = {"Authorization": f"Bearer {KEY}"}
    httpx.get(f"{server.base_url}/tasks/{task_id}?probe=1", headers=headers, timeout=30)
    httpx.get(
        f"{server.base_url}/tasks/{task_id}", headers={"Authorization": "Basic nope"}, timeout=30
    )
    server.advance(1)
    return task_id


def test_the_served_mock_logs_a_text_line_per_request() -> None:
    with WanMockServer() as server:
        task_id = _requests(server)
        printed = server.log.read_text()

    assert printed.startswith("wan-mock serving the Wan video API at http://127.0.0.1:")
    lines = [m for m in map(TEXT_LINE.match, printed.splitlines()) if m]
    seen = [(m["method"], m["path"], m["status"], m["code"], m["task"]) for m in lines]
    assert ("POST", f"/api/v1{SUBMIT}", "200", None, task_id) in seen
    assert seen.count(("GET", f"/api/v1/tasks/{task_id}", "200", None, task_id)) == 1
    assert ("GET", f"/api/v1/tasks/{task_id}", "401", "InvalidApiKey", task_id) in seen
    assert ("POST", "/__mock/clock/advance", "200", None, None) in seen
    assert ("GET", "/__mock/health", "200", None, None) in seen  # the server's own readiness
    assert KEY not in printed
    assert "probe" not in printed
    assert "Traceback" not in printed


def test_the_json_log_of_two_workers_is_one_object_per_line() -> None:
    with WanMockServer(workers=2, options=["--log-format", "json"]) as server:
        task_id = _requests(server)
        for number in range(30):  # a connection each: spread over both workers
            httpx.get(
                f"{server.base_url}/tasks/probe-{number}",
                headers={"Authorization": f"Bearer {KEY}"},
                timeout=30,
            )
        printed = server.log.read_text()

    objects = [json.loads(line) for line in printed.splitlines() if line.startswith("{")]
    probes = sorted(o["path"] for o in objects if o["path"].startswith("/api/v1/tasks/probe-"))
    assert probes == sorted(f"/api/v1/tasks/probe-{number}" for number in range(30))
    [submitted_line] = [o for o in objects if o["operation"] == "create_video_synthesis_task"]
    assert (submitted_line["status"], submitted_line["task_id"]) == (200, task_id)
    refused = [o for o in objects if o["status"] == 401]
    assert [o["code"] for o in refused] == ["InvalidApiKey"]
    assert KEY not in printed
    assert "probe=1" not in printed


def test_quiet_leaves_the_banner_and_no_access_log() -> None:
    with WanMockServer(options=["--quiet"]) as server:
        _requests(server)
        printed = server.log.read_text()

    assert "wan-mock serving the Wan video API at http://127.0.0.1:" in printed
    assert "access log:       off (--quiet)" in printed
    assert [line for line in printed.splitlines() if TEXT_LINE.match(line)] == []
    assert "/__mock/clock/advance" not in printed
