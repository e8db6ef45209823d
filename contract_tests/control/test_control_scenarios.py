"""Scenario queues (``/__mock/scenarios``): a queued ``X-Mock-Scenario`` applies to the next
submits of its key only, oldest first; a submit that is refused, or carries the header itself,
leaves the queue alone (a queued ``reject`` is consumed by the submit it refuses); what cannot be
used is refused.
"""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from contract_tests.support.control import key_id_of
from contract_tests.support.control_plane import (
    OTHER_KEY,
    SECRET_KEY,
    ok_json,
    queue_scenario,
    t2v_body,
)
from contract_tests.support.mock import API, Api, assert_error, auth

# ---------------------------------------------------------------------- scenario queues


def test_a_queued_scenario_applies_to_the_next_n_submits_of_that_key_only(api: Api) -> None:
    assert queue_scenario(api.client, "fail=InternalError", count=2) == {"queued": 2}

    other = api.submit_ok(t2v_body(), key=OTHER_KEY)
    first = api.submit_ok(t2v_body(), key=SECRET_KEY)
    second = api.submit_ok(t2v_body(), key=SECRET_KEY)
    third = api.submit_ok(t2v_body(), key=SECRET_KEY)
    api.finish()

    assert api.status(other, key=OTHER_KEY) == "SUCCEEDED"
    for task_id in (first, second):
        output = api.query(task_id, key=SECRET_KEY)["output"]
        assert (output["task_status"], output["code"]) == ("FAILED", "InternalError")
    assert api.status(third, key=SECRET_KEY) == "SUCCEEDED"
    assert ok_json(api.client.get("/__mock/scenarios")) == {"scenarios": []}


def test_queued_scenarios_are_listed_by_key_id_oldest_first(api: Api) -> None:
    queue_scenario(api.client, "pending=5")
    assert queue_scenario(api.client, "fail=InvalidURL", count=2) == {"queued": 3}
    queue_scenario(api.client, "running=9", key=OTHER_KEY)
    mine, theirs = key_id_of(SECRET_KEY), key_id_of(OTHER_KEY)

    everything = ok_json(api.client.get("/__mock/scenarios"))["scenarios"]
    only_mine = ok_json(api.client.get("/__mock/scenarios", query_string={"api_key": SECRET_KEY}))

    assert everything == [
        {"key_id": mine, "scenario": "pending=5"},
        {"key_id": mine, "scenario": "fail=InvalidURL"},
        {"key_id": mine, "scenario": "fail=InvalidURL"},
        {"key_id": theirs, "scenario": "running=9"},
    ]
    assert only_mine == {"scenarios": everything[:3]}


def test_queued_scenarios_are_taken_oldest_first(api: Api) -> None:
    queue_scenario(api.client, "fail=InvalidURL")
    queue_scenario(api.client, "fail=DataInspectionFailed")

    first = api.submit_ok(t2v_body(), key=SECRET_KEY)
    second = api.submit_ok(t2v_body(), key=SECRET_KEY)
    api.finish()

    assert api.query(first, key=SECRET_KEY)["output"]["code"] == "InvalidURL"
    assert api.query(second, key=SECRET_KEY)["output"]["code"] == "DataInspectionFailed"


def test_an_invalid_submit_does_not_consume_a_queued_scenario(api: Api) -> None:
    queue_scenario(api.client, "fail=IPInfringementSuspect")
    broken = t2v_body()
    del broken["input"]["prompt"]

    refused = api.submit(broken, key=SECRET_KEY)

    assert_error(refused, 400, "InvalidParameter", "Required parameter input.prompt is missing.")
    assert len(ok_json(api.client.get("/__mock/scenarios"))["scenarios"]) == 1
    task_id = api.submit_ok(t2v_body(), key=SECRET_KEY)
    api.finish()
    assert api.query(task_id, key=SECRET_KEY)["output"]["code"] == "IPInfringementSuspect"
    assert ok_json(api.client.get("/__mock/scenarios")) == {"scenarios": []}


def test_a_submit_without_the_async_header_does_not_consume_a_queued_scenario(api: Api) -> None:
    queue_scenario(api.client, "pending=7")

    refused = api.client.post(
        f"{API}/services/aigc/video-generation/video-synthesis",
        json=t2v_body(),
        headers=auth(SECRET_KEY),
    )

    assert_error(refused, 403, "AccessDenied")
    assert len(ok_json(api.client.get("/__mock/scenarios"))["scenarios"]) == 1


def test_a_queued_reject_is_consumed_by_the_submit_it_refuses(api: Api) -> None:
    queue_scenario(api.client, "reject=ModelUnavailable")

    refused = api.submit(t2v_body(), key=SECRET_KEY)

    assert_error(refused, 503, "ModelUnavailable", "Model is unavailable, please try again later.")
    assert ok_json(api.client.get("/__mock/scenarios")) == {"scenarios": []}
    api.submit_ok(t2v_body(), key=SECRET_KEY)


def test_a_submit_with_the_header_leaves_the_queue_alone(api: Api) -> None:
    queue_scenario(api.client, "fail=InternalError")

    response = api.submit(t2v_body(), key=SECRET_KEY, headers={"X-Mock-Scenario": "pending=0"})

    task_id = ok_json(response)["output"]["task_id"]
    api.clock.advance(1.0)  # no waiting, then the fast profile's 1 s of running
    assert api.status(task_id, key=SECRET_KEY) == "SUCCEEDED"
    assert len(ok_json(api.client.get("/__mock/scenarios"))["scenarios"]) == 1


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            {"api_key": "", "scenario": "pending=1"},
            "Parameter api_key is invalid: it must not be empty.",
        ),
        (
            {"api_key": 5, "scenario": "pending=1"},
            "Parameter api_key is invalid: it must be a string.",
        ),
        ({"api_key": SECRET_KEY}, "Required parameter scenario is missing."),
        (
            {"api_key": SECRET_KEY, "scenario": 3},
            "Parameter scenario is invalid: it must be a string.",
        ),
        (
            {"api_key": SECRET_KEY, "scenario": "pending=1", "count": "2"},
            "Parameter count is invalid: it must be an integer.",
        ),
        (
            {"api_key": SECRET_KEY, "scenario": "pending=1", "count": True},
            "Parameter count is invalid: it must be an integer.",
        ),
        (
            {"api_key": SECRET_KEY, "scenario": "pending=1", "count": 0},
            "Parameter count is invalid: it must be in [1, 1000].",
        ),
        (
            {"api_key": SECRET_KEY, "scenario": "pending=1", "count": 1001},
            "Parameter count is invalid: it must be in [1, 1000].",
        ),
        (
            {"api_key": SECRET_KEY, "scenario": "explode=1"},
            "X-Mock-Scenario: unknown directive 'explode'",
        ),
        (
            {"api_key": SECRET_KEY, "scenario": "fail=Nope"},
            "X-Mock-Scenario fail: unknown error code 'Nope'",
        ),
        (
            {"api_key": SECRET_KEY, "scenario": "running=soon"},
            "X-Mock-Scenario running: 'soon' is not a number of seconds",
        ),
    ],
    ids=[
        "empty-key",
        "number-key",
        "no-scenario",
        "number-scenario",
        "text-count",
        "boolean-count",
        "zero-count",
        "count-over-1000",
        "unknown-directive",
        "unknown-code",
        "bad-number",
    ],
)
def test_queueing_refuses_what_it_cannot_use(
    client: FlaskClient, body: dict[str, Any], message: str
) -> None:
    response = client.post("/__mock/scenarios", json=body)

    assert_error(response, 400, "InvalidParameter", message)
    assert ok_json(client.get("/__mock/scenarios")) == {"scenarios": []}
