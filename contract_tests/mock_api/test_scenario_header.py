"""The ``X-Mock-Scenario`` header on a submit: ``fail=<Code>``, ``reject=<Code>``,
``pending=<s>``, ``running=<s>`` (grammar in ``openapi/mock-control.yaml``).

Codes and messages come from the spec's ``x-wan-errors``; timings are checked at exact points of
a ``ManualClock``.
"""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from contract_tests.support.mock import START, Api, assert_error
from contract_tests.support.spec_data import spec_document

SCENARIO = "X-Mock-Scenario"
TIMEOUT_SECONDS = float(spec_document()["x-wan-service"]["task_timeout_seconds"])


def _body() -> dict[str, Any]:
    return {
        "model": "wan2.2-t2v-plus",
        "input": {"prompt": "A lighthouse at dusk."},
        "parameters": {"size": "832*480"},
    }


def _errors() -> dict[str, dict[str, Any]]:
    errors: dict[str, dict[str, Any]] = spec_document()["x-wan-errors"]
    return errors


TASK_CODES = sorted(code for code, entry in _errors().items() if "task" in entry["stages"])
ALL_CODES = sorted(_errors())


def _with(api: Api, scenario: str, body: Any = None) -> TestResponse:
    return api.submit(_body() if body is None else body, headers={SCENARIO: scenario})


def _accepted(api: Api, scenario: str) -> str:
    response = _with(api, scenario)
    assert response.status_code == 200, response.get_data(as_text=True)
    task_id = response.get_json()["output"]["task_id"]
    assert isinstance(task_id, str)
    return task_id


def _tasks(client: FlaskClient) -> list[dict[str, Any]]:
    tasks = client.get("/__mock/tasks").get_json()["tasks"]
    assert isinstance(tasks, list)
    return tasks


# ---------------------------------------------------------------------- fail=<Code>
def test_the_task_stage_codes_include_the_moderation_and_timeout_codes() -> None:
    assert {"DataInspectionFailed", "InternalError.Timeout", "InvalidParameter"} <= set(TASK_CODES)


@pytest.mark.parametrize("code", TASK_CODES)
def test_fail_ends_the_task_failed_with_the_code_and_its_task_message(api: Api, code: str) -> None:
    entry = _errors()[code]
    task_id = _accepted(api, f"fail={code}")

    assert api.status(task_id) == "PENDING"
    api.finish()
    body = api.query(task_id)

    output = body["output"]
    assert output["task_status"] == "FAILED"
    assert output["code"] == code
    assert output["message"] == entry.get("task_message", entry["message"])
    assert "video_url" not in output
    assert "usage" not in body


def test_fail_with_data_inspection_reports_the_output_message(api: Api) -> None:
    task_id = _accepted(api, "fail=DataInspectionFailed")
    api.finish()

    output = api.query(task_id)["output"]

    assert output["message"] == "Output data may contain inappropriate content."


def test_a_failing_task_runs_before_it_fails(api: Api) -> None:
    task_id = _accepted(api, "fail=InternalError")

    api.clock.set(START + 0.5)
    assert api.status(task_id) == "RUNNING"
    api.clock.set(START + 1.5)
    assert api.status(task_id) == "FAILED"


# ---------------------------------------------------------------------- reject=<Code>
@pytest.mark.parametrize("code", ALL_CODES)
def test_reject_answers_the_submit_with_the_codes_status_and_envelope(api: Api, code: str) -> None:
    entry = _errors()[code]

    response = _with(api, f"reject={code}")

    assert_error(response, entry["http_status"], code, entry["message"])
    if entry["http_status"] == 429:
        assert int(response.headers["Retry-After"]) >= 1
    else:
        assert "Retry-After" not in response.headers
    assert _tasks(api.client) == []


def test_reject_applies_even_to_a_body_that_would_be_refused(api: Api) -> None:
    response = _with(api, "reject=ModelUnavailable", body={"model": "no-such-model"})

    assert_error(response, 503, "ModelUnavailable", "Model is unavailable, please try again later.")


def test_reject_wins_over_the_other_directives(api: Api) -> None:
    response = _with(api, "pending=5; fail=InternalError; reject=Throttling.RateQuota")

    assert_error(
        response,
        429,
        "Throttling.RateQuota",
        "Requests rate limit exceeded, please try again later.",
    )
    assert response.headers["Retry-After"] == "1"


# ---------------------------------------------------------------------- pending= / running=
def test_pending_and_running_set_the_tasks_timing(api: Api) -> None:
    task_id = _accepted(api, "pending=3; running=4")

    expected = [
        (0.0, "PENDING"),
        (2.999, "PENDING"),
        (3.0, "RUNNING"),
        (6.999, "RUNNING"),
        (7.0, "SUCCEEDED"),
    ]
    seen = []
    for offset, _ in expected:
        api.clock.set(START + offset)
        seen.append((offset, api.status(task_id)))
    assert seen == expected


def test_pending_alone_keeps_the_profiles_running_time(api: Api) -> None:
    task_id = _accepted(api, "pending=10")

    api.clock.set(START + 9.999)
    assert api.status(task_id) == "PENDING"
    api.clock.set(START + 10.5)
    assert api.status(task_id) == "RUNNING"
    api.clock.set(START + 11)
    assert api.status(task_id) == "SUCCEEDED"


def test_running_alone_keeps_the_profiles_pending_time(api: Api) -> None:
    task_id = _accepted(api, "running=60")

    api.clock.set(START + 0.499)
    assert api.status(task_id) == "PENDING"
    api.clock.set(START + 60.499)
    assert api.status(task_id) == "RUNNING"
    api.clock.set(START + 60.5)
    assert api.status(task_id) == "SUCCEEDED"


def test_zero_pending_and_running_finish_the_task_at_once(api: Api) -> None:
    task_id = _accepted(api, "pending=0; running=0")

    assert api.status(task_id) == "SUCCEEDED"


def test_fractional_seconds_are_honoured(api: Api) -> None:
    task_id = _accepted(api, "pending=0.25;running=0.5")

    api.clock.set(START + 0.2)
    assert api.status(task_id) == "PENDING"
    api.clock.set(START + 0.25)
    assert api.status(task_id) == "RUNNING"
    api.clock.set(START + 0.75)
    assert api.status(task_id) == "SUCCEEDED"


def test_the_scheduled_and_end_times_follow_the_scenario(api: Api) -> None:
    task_id = _accepted(api, "pending=60; running=120")
    api.clock.set(START + 180)

    output = api.query(task_id)["output"]

    assert output["submit_time"] == "2025-05-15 16:14:44.723"
    assert output["scheduled_time"] == "2025-05-15 16:15:44.723"
    assert output["end_time"] == "2025-05-15 16:17:44.723"


def test_a_task_running_past_three_hours_fails_with_the_timeout(api: Api) -> None:
    entry = _errors()["InternalError.Timeout"]
    task_id = _accepted(api, "pending=0; running=20000")

    api.clock.set(START + TIMEOUT_SECONDS - 0.001)
    assert api.status(task_id) == "RUNNING"
    api.clock.set(START + TIMEOUT_SECONDS)
    output = api.query(task_id)["output"]

    assert (output["task_status"], output["code"]) == ("FAILED", "InternalError.Timeout")
    assert output["message"] == entry["message"]


# ---------------------------------------------------------------------- combined
def test_fail_pending_and_running_combine(api: Api) -> None:
    task_id = _accepted(api, "fail=IPInfringementSuspect; pending=10; running=20")

    api.clock.set(START + 9.999)
    assert api.status(task_id) == "PENDING"
    api.clock.set(START + 10)
    assert api.status(task_id) == "RUNNING"
    api.clock.set(START + 30)
    output = api.query(task_id)["output"]
    assert (output["task_status"], output["code"]) == ("FAILED", "IPInfringementSuspect")


def test_spaces_and_empty_directives_are_ignored(api: Api) -> None:
    task_id = _accepted(api, " ; pending = 2 ;; running=1 ; fail = InvalidURL ;")

    api.clock.set(START + 1.999)
    assert api.status(task_id) == "PENDING"
    api.clock.set(START + 3)
    assert api.query(task_id)["output"]["code"] == "InvalidURL"


def test_a_later_directive_of_the_same_name_wins(api: Api) -> None:
    task_id = _accepted(api, "pending=1; pending=5; fail=InvalidURL; fail=InternalError")

    api.clock.set(START + 4.999)
    assert api.status(task_id) == "PENDING"
    api.clock.set(START + 6)
    assert api.query(task_id)["output"]["code"] == "InternalError"


def test_an_empty_header_changes_nothing(api: Api) -> None:
    task_id = _accepted(api, "")
    api.finish()

    assert api.status(task_id) == "SUCCEEDED"


# ---------------------------------------------------------------------- refused scenarios
@pytest.mark.parametrize(
    ("scenario", "message"),
    [
        ("explode=1", "X-Mock-Scenario: unknown directive 'explode'"),
        ("pending=1; delay=3", "X-Mock-Scenario: unknown directive 'delay'"),
        ("FAIL=InternalError", "X-Mock-Scenario: unknown directive 'FAIL'"),
        ("fail=Nope", "X-Mock-Scenario fail: unknown error code 'Nope'"),
        ("reject=Teapot", "X-Mock-Scenario reject: unknown error code 'Teapot'"),
        ("fail=internalerror", "X-Mock-Scenario fail: unknown error code 'internalerror'"),
        ("pending=soon", "X-Mock-Scenario pending: 'soon' is not a number of seconds"),
        ("running=1s", "X-Mock-Scenario running: '1s' is not a number of seconds"),
        ("pending=-1", "X-Mock-Scenario pending: '-1' must be >= 0"),
        ("running=inf", "X-Mock-Scenario running: 'inf' must be >= 0"),
        ("pending=nan", "X-Mock-Scenario pending: 'nan' must be >= 0"),
        ("fail", "X-Mock-Scenario directive 'fail' needs a value"),
        ("pending=", "X-Mock-Scenario directive 'pending=' needs a value"),
    ],
)
def test_a_scenario_that_cannot_be_understood_is_refused_naming_it(
    api: Api, scenario: str, message: str
) -> None:
    response = _with(api, scenario)

    assert_error(response, 400, "InvalidParameter", message)
    assert _tasks(api.client) == []


def test_a_refused_scenario_is_journaled_with_its_message(api: Api) -> None:
    _with(api, "explode=1")

    (entry,) = api.client.get("/__mock/journal").get_json()["entries"]

    assert (entry["status"], entry["code"]) == (400, "InvalidParameter")
    assert entry["message"] == "X-Mock-Scenario: unknown directive 'explode'"
