"""The clock over HTTP (``/__mock/clock``, ``/advance``, ``/freeze``, ``/unfreeze``).

The tests use an app made without a clock: its ``SharedClock`` is what the control plane moves,
over a fake wall clock patched into ``wan_mock._domain._clock`` (the ``wall_clock`` and
``shared_client`` fixtures), so nothing sleeps. A ``ManualClock`` is always frozen, and a clock
that cannot be moved says so.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient

from contract_tests.support.control import FakeWallClock, standalone_app
from contract_tests.support.control_plane import ok_json, submit_t2v, t2v_body, task_status
from contract_tests.support.mock import DONE, START, Api, assert_error


# ---------------------------------------------------------------------- the clock over HTTP
def test_the_clock_reads_the_shared_time(
    shared_client: FlaskClient, wall_clock: FakeWallClock
) -> None:
    assert ok_json(shared_client.get("/__mock/clock")) == {"now": START, "frozen": False}
    wall_clock.advance(2.5)
    assert ok_json(shared_client.get("/__mock/clock")) == {"now": START + 2.5, "frozen": False}


def test_advancing_the_clock_moves_a_task_through_its_lifecycle(shared_client: FlaskClient) -> None:
    task_id = submit_t2v(shared_client)
    assert task_status(shared_client, task_id) == "PENDING"

    moved = ok_json(shared_client.post("/__mock/clock/advance", json={"seconds": 0.6}))
    assert moved == {"now": START + 0.6, "frozen": False}
    assert task_status(shared_client, task_id) == "RUNNING"

    ok_json(shared_client.post("/__mock/clock/advance", json={"seconds": 1}))
    assert task_status(shared_client, task_id) == "SUCCEEDED"


def test_advance_takes_seconds_only_from_the_json_body(shared_client: FlaskClient) -> None:
    refused = shared_client.post("/__mock/clock/advance", query_string={"seconds": "30"})

    assert refused.status_code == 400
    assert "seconds" in refused.get_json()["message"]
    assert ok_json(shared_client.get("/__mock/clock"))["now"] == START


def test_a_frozen_clock_does_not_move_with_real_time(
    shared_client: FlaskClient, wall_clock: FakeWallClock
) -> None:
    task_id = submit_t2v(shared_client)
    assert ok_json(shared_client.post("/__mock/clock/freeze")) == {"now": START, "frozen": True}

    wall_clock.advance(100)

    assert ok_json(shared_client.get("/__mock/clock")) == {"now": START, "frozen": True}
    assert task_status(shared_client, task_id) == "PENDING"


def test_a_frozen_clock_still_moves_when_advanced(
    shared_client: FlaskClient, wall_clock: FakeWallClock
) -> None:
    task_id = submit_t2v(shared_client)
    ok_json(shared_client.post("/__mock/clock/freeze"))
    wall_clock.advance(100)

    moved = ok_json(shared_client.post("/__mock/clock/advance", json={"seconds": 0.6}))

    assert moved == {"now": START + 0.6, "frozen": True}
    assert task_status(shared_client, task_id) == "RUNNING"


def test_an_unfrozen_clock_runs_on_from_where_it_stopped(
    shared_client: FlaskClient, wall_clock: FakeWallClock
) -> None:
    task_id = submit_t2v(shared_client)
    ok_json(shared_client.post("/__mock/clock/freeze"))
    wall_clock.advance(100)

    assert ok_json(shared_client.post("/__mock/clock/unfreeze")) == {"now": START, "frozen": False}
    wall_clock.advance(DONE)

    assert ok_json(shared_client.get("/__mock/clock"))["now"] == pytest.approx(START + DONE)
    assert task_status(shared_client, task_id) == "SUCCEEDED"


def test_freezing_twice_and_unfreezing_a_running_clock_change_nothing(
    shared_client: FlaskClient, wall_clock: FakeWallClock
) -> None:
    ok_json(shared_client.post("/__mock/clock/unfreeze"))
    assert ok_json(shared_client.get("/__mock/clock")) == {"now": START, "frozen": False}
    ok_json(shared_client.post("/__mock/clock/freeze"))
    wall_clock.advance(5)

    assert ok_json(shared_client.post("/__mock/clock/freeze")) == {"now": START, "frozen": True}


@pytest.mark.parametrize(
    ("seconds", "message"),
    [
        (-1, "Parameter seconds is invalid: it must be in [0, 3153600000]."),
        (-0.001, "Parameter seconds is invalid: it must be in [0, 3153600000]."),
        (3153600001, "Parameter seconds is invalid: it must be in [0, 3153600000]."),
        ("soon", "Parameter seconds is invalid: it must be a number."),
        (None, "Parameter seconds is invalid: it must be a number."),
        ([1], "Parameter seconds is invalid: it must be a number."),
        ({"s": 1}, "Parameter seconds is invalid: it must be a number."),
        (True, "Parameter seconds is invalid: it must be a number."),
    ],
    ids=[
        "negative",
        "slightly-negative",
        "past-a-century",
        "text",
        "null",
        "list",
        "object",
        "boolean",
    ],
)
def test_advance_refuses_what_is_not_a_number_at_least_zero(
    shared_client: FlaskClient, seconds: Any, message: str
) -> None:
    response = shared_client.post("/__mock/clock/advance", json={"seconds": seconds})

    assert_error(response, 400, "InvalidParameter", message)
    assert ok_json(shared_client.get("/__mock/clock"))["now"] == START


def test_advance_without_seconds_is_refused(shared_client: FlaskClient) -> None:
    assert_error(
        shared_client.post("/__mock/clock/advance"),
        400,
        "InvalidParameter",
        "Required parameter seconds is missing.",
    )


@pytest.mark.parametrize("raw", ["Infinity", "NaN"])
def test_advance_refuses_infinite_and_nan_seconds(shared_client: FlaskClient, raw: str) -> None:
    response = shared_client.post(
        "/__mock/clock/advance",
        data='{"seconds": ' + raw + "}",
        content_type="application/json",
    )

    assert_error(response, 400, "InvalidParameter", mentions=("seconds",))
    assert ok_json(shared_client.get("/__mock/clock"))["now"] == START


@pytest.mark.parametrize("raw", ["not json", "[1, 2]", '"seconds"'])
def test_a_control_body_that_is_not_a_json_object_is_illegal_input(
    shared_client: FlaskClient, raw: str
) -> None:
    response = shared_client.post(
        "/__mock/clock/advance", data=raw, content_type="application/json"
    )

    assert_error(
        response, 400, "BadRequest.IllegalInput", "The input parameter requires json format."
    )


def test_a_manual_clock_can_be_advanced_over_http_and_is_always_frozen(
    api: Api,
) -> None:
    task_id = api.submit_ok(t2v_body())

    moved = ok_json(api.client.post("/__mock/clock/advance", json={"seconds": DONE}))

    assert moved == {"now": START + DONE, "frozen": True}
    assert api.clock.now() == START + DONE
    assert api.status(task_id) == "SUCCEEDED"
    assert ok_json(api.client.post("/__mock/clock/unfreeze")) == {
        "now": START + DONE,
        "frozen": True,
    }


def test_a_clock_that_cannot_be_moved_is_reported_as_invalid(media_dir: Path) -> None:
    from wan_mock._domain._clock import SystemClock

    with standalone_app(data_dir=media_dir, clock=SystemClock()) as app:
        client = app.test_client()
        for path, body in (("advance", {"seconds": 1}), ("freeze", None), ("unfreeze", None)):
            response = client.post(f"/__mock/clock/{path}", json=body)
            assert_error(
                response, 400, "InvalidParameter", "this mock's clock cannot be controlled"
            )
        assert ok_json(client.get("/__mock/clock"))["frozen"] is False
