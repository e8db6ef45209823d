"""The control plane's health, reset and task dump (``/__mock/health``, ``/__mock/reset``,
``/__mock/tasks``), and ``MockControl``, which offers the control operations in process and
does what HTTP does (``openapi/mock-control.yaml``).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from contract_tests.support.control import FakeWallClock, key_id_of
from contract_tests.support.control_plane import (
    OTHER_KEY,
    SECRET_KEY,
    journal_entries,
    ok_json,
    t2v_body,
)
from contract_tests.support.mock import START, Api


# ---------------------------------------------------------------------- health and reset
def test_health_reports_profile_rate_limits_store_and_now(client: FlaskClient) -> None:
    body = ok_json(client.get("/__mock/health"))

    assert body == {
        "status": "ok",
        "profile": "fast",
        "rate_limits": False,
        "store": ":memory:",
        "now": START,
    }


def test_health_shows_the_realistic_profile_and_its_rate_limits(
    make_app: Callable[..., Flask],
) -> None:
    from wan_mock._service._settings import Settings

    app = make_app(Settings(profile="realistic"))

    body = ok_json(app.test_client().get("/__mock/health"))

    assert (body["profile"], body["rate_limits"]) == ("realistic", True)


def test_reset_forgets_tasks_scenarios_and_journal(api: Api) -> None:
    api.submit_ok(t2v_body(), key=SECRET_KEY)
    ok_json(
        api.client.post("/__mock/scenarios", json={"api_key": SECRET_KEY, "scenario": "pending=1"})
    )
    assert ok_json(api.client.get("/__mock/tasks"))["tasks"]
    assert ok_json(api.client.get("/__mock/journal"))["entries"]

    assert ok_json(api.client.post("/__mock/reset")) == {"reset": True}

    assert ok_json(api.client.get("/__mock/tasks")) == {"tasks": []}
    assert ok_json(api.client.get("/__mock/scenarios")) == {"scenarios": []}
    assert ok_json(api.client.get("/__mock/journal")) == {"entries": []}


def test_after_a_reset_the_old_task_reads_unknown(api: Api) -> None:
    task_id = api.submit_ok(t2v_body())
    ok_json(api.client.post("/__mock/reset"))

    assert api.status(task_id) == "UNKNOWN"


def test_reset_puts_a_shared_clock_back_to_real_time(
    shared_client: FlaskClient, wall_clock: FakeWallClock
) -> None:
    ok_json(shared_client.post("/__mock/clock/advance", json={"seconds": 3600}))
    ok_json(shared_client.post("/__mock/clock/freeze"))

    ok_json(shared_client.post("/__mock/reset"))

    assert ok_json(shared_client.get("/__mock/clock")) == {"now": wall_clock.now, "frozen": False}


# ---------------------------------------------------------------------- the task dump
def test_the_task_dump_shows_every_task_with_its_current_status(api: Api) -> None:
    ok = api.submit_ok(t2v_body(), key=SECRET_KEY)
    failing = ok_json(
        api.submit(t2v_body(), key=SECRET_KEY, headers={"X-Mock-Scenario": "fail=InvalidURL"})
    )["output"]["task_id"]
    canceled = api.submit_ok(t2v_body(), key=OTHER_KEY)
    assert api.cancel(canceled, key=OTHER_KEY).status_code == 200

    before = {t["task_id"]: t for t in ok_json(api.client.get("/__mock/tasks"))["tasks"]}
    api.finish()
    after = {t["task_id"]: t for t in ok_json(api.client.get("/__mock/tasks"))["tasks"]}

    assert {k: (t["status"], t["terminal"]) for k, t in before.items()} == {
        ok: ("PENDING", False),
        failing: ("PENDING", False),
        canceled: ("CANCELED", True),
    }
    assert {k: (t["status"], t["terminal"], t["code"]) for k, t in after.items()} == {
        ok: ("SUCCEEDED", True, None),
        failing: ("FAILED", True, "InvalidURL"),
        canceled: ("CANCELED", True, None),
    }
    assert after[failing]["message"] == "Invalid URL provided in your request."
    assert after[ok]["key_id"] == key_id_of(SECRET_KEY)
    assert after[canceled]["key_id"] == key_id_of(OTHER_KEY)
    assert after[ok]["model"] == "wan2.2-t2v-plus"
    assert after[ok]["submitted_at"] == START
    assert after[ok]["request"]["parameters"] == {"size": "832*480"}
    assert after[canceled]["canceled_at"] == START


def test_the_task_dump_status_agrees_with_the_api_at_each_moment(api: Api) -> None:
    task_id = api.submit_ok(t2v_body())
    for step in (0.0, 0.6, 1.0):
        api.clock.advance(step)
        (dumped,) = ok_json(api.client.get("/__mock/tasks"))["tasks"]
        assert dumped["status"] == api.status(task_id)


# ---------------------------------------------------------------------- in process
def test_mock_control_in_process_does_what_http_does(api: Api, app: Flask) -> None:
    from wan_mock._service._control import MockControl

    control = MockControl.of(app)
    task_id = api.submit_ok(t2v_body(), key=SECRET_KEY)
    api.query(task_id, key=SECRET_KEY)

    assert control.health() == ok_json(api.client.get("/__mock/health"))
    assert control.clock() == ok_json(api.client.get("/__mock/clock"))
    assert control.tasks() == ok_json(api.client.get("/__mock/tasks"))["tasks"]
    assert control.journal() == journal_entries(api.client)
    assert control.journal(operation="get_task", task_id=task_id, limit=5) == journal_entries(
        api.client, operation="get_task", task_id=task_id, limit=5
    )
    assert control.queue_scenario(SECRET_KEY, "fail=InternalError", 2) == {"queued": 2}
    assert (
        control.scenarios(SECRET_KEY)
        == ok_json(api.client.get("/__mock/scenarios", query_string={"api_key": SECRET_KEY}))[
            "scenarios"
        ]
    )
    assert control.scenarios() == ok_json(api.client.get("/__mock/scenarios"))["scenarios"]

    assert control.advance(0.6) == {"now": START + 0.6, "frozen": True}
    assert api.status(task_id, key=SECRET_KEY) == "RUNNING"
    assert control.freeze() == control.unfreeze() == {"now": START + 0.6, "frozen": True}

    assert control.reset() == {"reset": True}
    assert control.tasks() == []
    assert control.scenarios() == []
    assert control.journal() == []


def test_mock_control_refuses_what_http_refuses(app: Flask) -> None:
    from wan_mock._domain._scenarios import ScenarioError
    from wan_mock._service._control import MockControl

    control = MockControl.of(app)

    with pytest.raises(ValueError, match="seconds"):
        control.advance(-1)
    with pytest.raises(ScenarioError, match="unknown directive 'explode'"):
        control.queue_scenario(SECRET_KEY, "explode=1")
    with pytest.raises(ScenarioError, match="count must be at least 1"):
        control.queue_scenario(SECRET_KEY, "pending=1", 0)
    assert control.scenarios() == []
