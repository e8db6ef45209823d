"""The control plane under ``/__mock/`` (``openapi/mock-control.yaml``): health, reset, the clock,
scenario queues, the task dump, the request journal, who may call it, and the in-process
``MockControl`` that offers the same operations.

Most tests run on a ``ManualClock``; the clock tests use an app made without a clock (its
``SharedClock`` is what the control plane moves over HTTP) with a fake wall clock patched into
``wan_mock._domain._clock``, so nothing sleeps.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openapi_spec_validator import validate
from werkzeug.test import TestResponse

from contract_tests.support.control import (
    OSS_PATH,
    FakeWallClock,
    control_operations,
    key_id_of,
    schema_errors,
    spec_response_errors,
    standalone_app,
)
from contract_tests.support.mock import (
    API,
    DONE,
    IMAGE2VIDEO,
    START,
    Api,
    assert_error,
    auth,
    body_for,
)
from contract_tests.support.paths import CONTROL_SPEC_PATH
from contract_tests.support.redocly import redocly_lint
from contract_tests.support.spec_data import control_document

SECRET_KEY = "sk-journal-secret-0123456789abcdef"
OTHER_KEY = "sk-another-key-fedcba9876543210"
T2V: dict[str, Any] = {
    "model": "wan2.2-t2v-plus",
    "input": {"prompt": "A red kite."},
    "parameters": {"size": "832*480"},
}
REMOTE = {"REMOTE_ADDR": "10.1.2.3"}


def _t2v() -> dict[str, Any]:
    return json.loads(json.dumps(T2V))  # type: ignore[no-any-return]


def _ok(response: TestResponse) -> Any:
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    return response.get_json()


# ---------------------------------------------------------------------- fixtures
@pytest.fixture
def wall(monkeypatch: pytest.MonkeyPatch) -> FakeWallClock:
    """The wall clock a ``SharedClock`` reads, standing still unless a test moves it."""
    fake = FakeWallClock(START)
    monkeypatch.setattr("wan_mock._domain._clock.time", fake)
    return fake


@pytest.fixture
def shared_app(wall: FakeWallClock, media_dir: Path) -> Iterator[Flask]:
    with standalone_app(data_dir=media_dir) as app:
        yield app


@pytest.fixture
def shared(shared_app: Flask) -> FlaskClient:
    return shared_app.test_client()


def _submit(client: FlaskClient, body: Any = None, key: str = SECRET_KEY, **headers: str) -> str:
    response = client.post(
        f"{API}/services/aigc/video-generation/video-synthesis",
        json=_t2v() if body is None else body,
        headers={**auth(key, submit=True), **headers},
    )
    return str(_ok(response)["output"]["task_id"])


def _status(client: FlaskClient, task_id: str, key: str = SECRET_KEY) -> str:
    body = _ok(client.get(f"{API}/tasks/{task_id}", headers=auth(key)))
    return str(body["output"]["task_status"])


# ---------------------------------------------------------------------- the spec itself
def test_the_control_spec_validates_as_openapi_3_1() -> None:
    spec = json.loads(json.dumps(control_document()))
    assert spec["openapi"].startswith("3.1")
    validate(spec)


@pytest.mark.slow
def test_redocly_recommended_rules_report_no_errors_for_the_control_spec() -> None:
    report = redocly_lint(CONTROL_SPEC_PATH)
    assert report["totals"]["errors"] == 0, report["problems"]


def test_the_info_description_documents_the_scenario_grammar() -> None:
    text = control_document()["info"]["description"]
    for directive in ("fail=<Code>", "reject=<Code>", "pending=<s>", "running=<s>"):
        assert directive in text
    assert "X-Mock-Scenario" in text


def _served_routes(app: Flask) -> set[tuple[str, str]]:
    """Every route but the API spec's (under ``/api/v1`` and ``/qwen/api/v1``)."""
    routes = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith((API + "/", "/qwen" + API + "/")):
            continue
        path = re.sub(r"<(\w+)>", r"{\1}", rule.rule)
        for method in rule.methods or ():
            if method not in ("HEAD", "OPTIONS"):
                routes.add((method, path))
    return routes


def test_every_control_route_is_in_the_spec_and_every_spec_operation_is_served(app: Flask) -> None:
    documented = {key for key in control_operations() if key[0] != "HEAD"}

    assert _served_routes(app) == documented


def test_every_control_operation_has_an_operation_id_tag_summary_and_description() -> None:
    tags = {tag["name"] for tag in control_document()["tags"]}
    ids = []
    for (method, path), operation in control_operations().items():
        assert operation.get("summary"), (method, path)
        assert operation.get("description"), (method, path)
        assert set(operation.get("tags", [])) <= tags
        assert operation.get("tags"), (method, path)
        ids.append(operation["operationId"])
    assert len(ids) == len(set(ids))


def test_the_server_is_the_local_mock() -> None:
    assert control_document()["servers"][0]["url"] == "http://127.0.0.1:8000"


# ---------------------------------------------------------------------- health and reset
def test_health_reports_profile_rate_limits_store_and_now(client: FlaskClient) -> None:
    body = _ok(client.get("/__mock/health"))

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

    body = _ok(app.test_client().get("/__mock/health"))

    assert (body["profile"], body["rate_limits"]) == ("realistic", True)


def test_reset_forgets_tasks_scenarios_and_journal(api: Api) -> None:
    api.submit_ok(_t2v(), key=SECRET_KEY)
    _ok(api.client.post("/__mock/scenarios", json={"api_key": SECRET_KEY, "scenario": "pending=1"}))
    assert _ok(api.client.get("/__mock/tasks"))["tasks"]
    assert _ok(api.client.get("/__mock/journal"))["entries"]

    assert _ok(api.client.post("/__mock/reset")) == {"reset": True}

    assert _ok(api.client.get("/__mock/tasks")) == {"tasks": []}
    assert _ok(api.client.get("/__mock/scenarios")) == {"scenarios": []}
    assert _ok(api.client.get("/__mock/journal")) == {"entries": []}


def test_after_a_reset_the_old_task_reads_unknown(api: Api) -> None:
    task_id = api.submit_ok(_t2v())
    _ok(api.client.post("/__mock/reset"))

    assert api.status(task_id) == "UNKNOWN"


def test_reset_puts_a_shared_clock_back_to_real_time(
    shared: FlaskClient, wall: FakeWallClock
) -> None:
    _ok(shared.post("/__mock/clock/advance", json={"seconds": 3600}))
    _ok(shared.post("/__mock/clock/freeze"))

    _ok(shared.post("/__mock/reset"))

    assert _ok(shared.get("/__mock/clock")) == {"now": wall.now, "frozen": False}


# ---------------------------------------------------------------------- the clock over HTTP
def test_the_clock_reads_the_shared_time(shared: FlaskClient, wall: FakeWallClock) -> None:
    assert _ok(shared.get("/__mock/clock")) == {"now": START, "frozen": False}
    wall.advance(2.5)
    assert _ok(shared.get("/__mock/clock")) == {"now": START + 2.5, "frozen": False}


def test_advancing_the_clock_moves_a_task_through_its_lifecycle(shared: FlaskClient) -> None:
    task_id = _submit(shared)
    assert _status(shared, task_id) == "PENDING"

    moved = _ok(shared.post("/__mock/clock/advance", json={"seconds": 0.6}))
    assert moved == {"now": START + 0.6, "frozen": False}
    assert _status(shared, task_id) == "RUNNING"

    _ok(shared.post("/__mock/clock/advance", json={"seconds": 1}))
    assert _status(shared, task_id) == "SUCCEEDED"


def test_advance_takes_seconds_only_from_the_json_body(shared: FlaskClient) -> None:
    refused = shared.post("/__mock/clock/advance", query_string={"seconds": "30"})

    assert refused.status_code == 400
    assert "seconds" in refused.get_json()["message"]
    assert _ok(shared.get("/__mock/clock"))["now"] == START


def test_a_frozen_clock_does_not_move_with_real_time(
    shared: FlaskClient, wall: FakeWallClock
) -> None:
    task_id = _submit(shared)
    assert _ok(shared.post("/__mock/clock/freeze")) == {"now": START, "frozen": True}

    wall.advance(100)

    assert _ok(shared.get("/__mock/clock")) == {"now": START, "frozen": True}
    assert _status(shared, task_id) == "PENDING"


def test_a_frozen_clock_still_moves_when_advanced(shared: FlaskClient, wall: FakeWallClock) -> None:
    task_id = _submit(shared)
    _ok(shared.post("/__mock/clock/freeze"))
    wall.advance(100)

    moved = _ok(shared.post("/__mock/clock/advance", json={"seconds": 0.6}))

    assert moved == {"now": START + 0.6, "frozen": True}
    assert _status(shared, task_id) == "RUNNING"


def test_an_unfrozen_clock_runs_on_from_where_it_stopped(
    shared: FlaskClient, wall: FakeWallClock
) -> None:
    task_id = _submit(shared)
    _ok(shared.post("/__mock/clock/freeze"))
    wall.advance(100)

    assert _ok(shared.post("/__mock/clock/unfreeze")) == {"now": START, "frozen": False}
    wall.advance(DONE)

    assert _ok(shared.get("/__mock/clock"))["now"] == pytest.approx(START + DONE)
    assert _status(shared, task_id) == "SUCCEEDED"


def test_freezing_twice_and_unfreezing_a_running_clock_change_nothing(
    shared: FlaskClient, wall: FakeWallClock
) -> None:
    _ok(shared.post("/__mock/clock/unfreeze"))
    assert _ok(shared.get("/__mock/clock")) == {"now": START, "frozen": False}
    _ok(shared.post("/__mock/clock/freeze"))
    wall.advance(5)

    assert _ok(shared.post("/__mock/clock/freeze")) == {"now": START, "frozen": True}


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
    shared: FlaskClient, seconds: Any, message: str
) -> None:
    response = shared.post("/__mock/clock/advance", json={"seconds": seconds})

    assert_error(response, 400, "InvalidParameter", message)
    assert _ok(shared.get("/__mock/clock"))["now"] == START


def test_advance_without_seconds_is_refused(shared: FlaskClient) -> None:
    assert_error(
        shared.post("/__mock/clock/advance"),
        400,
        "InvalidParameter",
        "Required parameter seconds is missing.",
    )


@pytest.mark.parametrize("raw", ["Infinity", "NaN"])
def test_advance_refuses_infinite_and_nan_seconds(shared: FlaskClient, raw: str) -> None:
    response = shared.post(
        "/__mock/clock/advance",
        data='{"seconds": ' + raw + "}",
        content_type="application/json",
    )

    assert_error(response, 400, "InvalidParameter", mentions=("seconds",))
    assert _ok(shared.get("/__mock/clock"))["now"] == START


@pytest.mark.parametrize("raw", ["not json", "[1, 2]", '"seconds"'])
def test_a_control_body_that_is_not_a_json_object_is_illegal_input(
    shared: FlaskClient, raw: str
) -> None:
    response = shared.post("/__mock/clock/advance", data=raw, content_type="application/json")

    assert_error(
        response, 400, "BadRequest.IllegalInput", "The input parameter requires json format."
    )


def test_a_manual_clock_can_be_advanced_over_http_and_is_always_frozen(
    api: Api,
) -> None:
    task_id = api.submit_ok(_t2v())

    moved = _ok(api.client.post("/__mock/clock/advance", json={"seconds": DONE}))

    assert moved == {"now": START + DONE, "frozen": True}
    assert api.clock.now() == START + DONE
    assert api.status(task_id) == "SUCCEEDED"
    assert _ok(api.client.post("/__mock/clock/unfreeze")) == {"now": START + DONE, "frozen": True}


def test_a_clock_that_cannot_be_moved_is_reported_as_invalid(media_dir: Path) -> None:
    from wan_mock._domain._clock import SystemClock

    with standalone_app(data_dir=media_dir, clock=SystemClock()) as app:
        client = app.test_client()
        for path, body in (("advance", {"seconds": 1}), ("freeze", None), ("unfreeze", None)):
            response = client.post(f"/__mock/clock/{path}", json=body)
            assert_error(
                response, 400, "InvalidParameter", "this mock's clock cannot be controlled"
            )
        assert _ok(client.get("/__mock/clock"))["frozen"] is False


# ---------------------------------------------------------------------- scenario queues
def _queue(client: FlaskClient, scenario: str, count: int = 1, key: str = SECRET_KEY) -> Any:
    return _ok(
        client.post(
            "/__mock/scenarios", json={"api_key": key, "scenario": scenario, "count": count}
        )
    )


def test_a_queued_scenario_applies_to_the_next_n_submits_of_that_key_only(api: Api) -> None:
    assert _queue(api.client, "fail=InternalError", count=2) == {"queued": 2}

    other = api.submit_ok(_t2v(), key=OTHER_KEY)
    first = api.submit_ok(_t2v(), key=SECRET_KEY)
    second = api.submit_ok(_t2v(), key=SECRET_KEY)
    third = api.submit_ok(_t2v(), key=SECRET_KEY)
    api.finish()

    assert api.status(other, key=OTHER_KEY) == "SUCCEEDED"
    for task_id in (first, second):
        output = api.query(task_id, key=SECRET_KEY)["output"]
        assert (output["task_status"], output["code"]) == ("FAILED", "InternalError")
    assert api.status(third, key=SECRET_KEY) == "SUCCEEDED"
    assert _ok(api.client.get("/__mock/scenarios")) == {"scenarios": []}


def test_queued_scenarios_are_listed_by_key_id_oldest_first(api: Api) -> None:
    _queue(api.client, "pending=5")
    assert _queue(api.client, "fail=InvalidURL", count=2) == {"queued": 3}
    _queue(api.client, "running=9", key=OTHER_KEY)
    mine, theirs = key_id_of(SECRET_KEY), key_id_of(OTHER_KEY)

    everything = _ok(api.client.get("/__mock/scenarios"))["scenarios"]
    only_mine = _ok(api.client.get("/__mock/scenarios", query_string={"api_key": SECRET_KEY}))

    assert everything == [
        {"key_id": mine, "scenario": "pending=5"},
        {"key_id": mine, "scenario": "fail=InvalidURL"},
        {"key_id": mine, "scenario": "fail=InvalidURL"},
        {"key_id": theirs, "scenario": "running=9"},
    ]
    assert only_mine == {"scenarios": everything[:3]}


def test_queued_scenarios_are_taken_oldest_first(api: Api) -> None:
    _queue(api.client, "fail=InvalidURL")
    _queue(api.client, "fail=DataInspectionFailed")

    first = api.submit_ok(_t2v(), key=SECRET_KEY)
    second = api.submit_ok(_t2v(), key=SECRET_KEY)
    api.finish()

    assert api.query(first, key=SECRET_KEY)["output"]["code"] == "InvalidURL"
    assert api.query(second, key=SECRET_KEY)["output"]["code"] == "DataInspectionFailed"


def test_an_invalid_submit_does_not_consume_a_queued_scenario(api: Api) -> None:
    _queue(api.client, "fail=IPInfringementSuspect")
    broken = _t2v()
    del broken["input"]["prompt"]

    refused = api.submit(broken, key=SECRET_KEY)

    assert_error(refused, 400, "InvalidParameter", "Required parameter input.prompt is missing.")
    assert len(_ok(api.client.get("/__mock/scenarios"))["scenarios"]) == 1
    task_id = api.submit_ok(_t2v(), key=SECRET_KEY)
    api.finish()
    assert api.query(task_id, key=SECRET_KEY)["output"]["code"] == "IPInfringementSuspect"
    assert _ok(api.client.get("/__mock/scenarios")) == {"scenarios": []}


def test_a_submit_without_the_async_header_does_not_consume_a_queued_scenario(api: Api) -> None:
    _queue(api.client, "pending=7")

    refused = api.client.post(
        f"{API}/services/aigc/video-generation/video-synthesis",
        json=_t2v(),
        headers=auth(SECRET_KEY),
    )

    assert_error(refused, 403, "AccessDenied")
    assert len(_ok(api.client.get("/__mock/scenarios"))["scenarios"]) == 1


def test_a_queued_reject_is_consumed_by_the_submit_it_refuses(api: Api) -> None:
    _queue(api.client, "reject=ModelUnavailable")

    refused = api.submit(_t2v(), key=SECRET_KEY)

    assert_error(refused, 503, "ModelUnavailable", "Model is unavailable, please try again later.")
    assert _ok(api.client.get("/__mock/scenarios")) == {"scenarios": []}
    api.submit_ok(_t2v(), key=SECRET_KEY)


def test_a_submit_with_the_header_leaves_the_queue_alone(api: Api) -> None:
    _queue(api.client, "fail=InternalError")

    response = api.submit(_t2v(), key=SECRET_KEY, headers={"X-Mock-Scenario": "pending=0"})

    task_id = _ok(response)["output"]["task_id"]
    api.clock.advance(1.0)  # no waiting, then the fast profile's 1 s of running
    assert api.status(task_id, key=SECRET_KEY) == "SUCCEEDED"
    assert len(_ok(api.client.get("/__mock/scenarios"))["scenarios"]) == 1


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
    assert _ok(client.get("/__mock/scenarios")) == {"scenarios": []}


# ---------------------------------------------------------------------- the task dump
def test_the_task_dump_shows_every_task_with_its_current_status(api: Api) -> None:
    ok = api.submit_ok(_t2v(), key=SECRET_KEY)
    failing = _ok(
        api.submit(_t2v(), key=SECRET_KEY, headers={"X-Mock-Scenario": "fail=InvalidURL"})
    )["output"]["task_id"]
    canceled = api.submit_ok(_t2v(), key=OTHER_KEY)
    assert api.cancel(canceled, key=OTHER_KEY).status_code == 200

    before = {t["task_id"]: t for t in _ok(api.client.get("/__mock/tasks"))["tasks"]}
    api.finish()
    after = {t["task_id"]: t for t in _ok(api.client.get("/__mock/tasks"))["tasks"]}

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
    task_id = api.submit_ok(_t2v())
    for step in (0.0, 0.6, 1.0):
        api.clock.advance(step)
        (dumped,) = _ok(api.client.get("/__mock/tasks"))["tasks"]
        assert dumped["status"] == api.status(task_id)


# ---------------------------------------------------------------------- the journal
def _journal(client: FlaskClient, **query: Any) -> list[dict[str, Any]]:
    entries = _ok(client.get("/__mock/journal", query_string=query))["entries"]
    assert isinstance(entries, list)
    return entries


def test_the_journal_records_each_api_request_newest_first(api: Api) -> None:
    mine = key_id_of(SECRET_KEY)
    task_id = api.submit_ok(_t2v(), key=SECRET_KEY)
    broken = _t2v()
    broken["parameters"]["duration"] = "five"
    assert api.submit(broken, key=SECRET_KEY).status_code == 400
    api.clock.advance(0.6)
    api.query(task_id, key=SECRET_KEY)
    assert api.cancel(task_id, key=SECRET_KEY).status_code == 400
    api.list_ok(key=SECRET_KEY)
    assert api.client.get(f"{API}/tasks/{task_id}").status_code == 401

    entries = _journal(api.client)

    assert entries == [
        {
            "at": START + 0.6,
            "operation": "get_task",
            "key_id": None,
            "status": 401,
            "code": "InvalidApiKey",
            "message": "No API-key provided.",
            "task_id": task_id,
            "task_status": None,
            "injected": False,
        },
        {
            "at": START + 0.6,
            "operation": "list_tasks",
            "key_id": mine,
            "status": 200,
            "code": None,
            "message": None,
            "task_id": None,
            "task_status": None,
            "injected": False,
        },
        {
            "at": START + 0.6,
            "operation": "cancel_task",
            "key_id": mine,
            "status": 400,
            "code": "UnsupportedOperation",
            "message": (
                "Failed to cancel the task, please confirm if the task is in PENDING status."
            ),
            "task_id": task_id,
            "task_status": None,
            "injected": False,
        },
        {
            "at": START + 0.6,
            "operation": "get_task",
            "key_id": mine,
            "status": 200,
            "code": None,
            "message": None,
            "task_id": task_id,
            "task_status": "RUNNING",
            "injected": False,
        },
        {
            "at": START,
            "operation": "create_video_synthesis_task",
            "key_id": mine,
            "status": 400,
            "code": "InvalidParameter",
            "message": (
                'Parameter parameters.duration is invalid: "five" is not one of 3, 4, 5, 10.'
            ),
            "task_id": None,
            "task_status": None,
            "injected": False,
        },
        {
            "at": START,
            "operation": "create_video_synthesis_task",
            "key_id": mine,
            "status": 200,
            "code": None,
            "message": None,
            "task_id": task_id,
            "task_status": "PENDING",
            "injected": False,
        },
    ]


def test_the_journal_names_the_keyframe_and_upload_operations(api: Api) -> None:
    api.submit_ok(body_for("kf2v"), path=IMAGE2VIDEO)
    api.client.get(
        f"{API}/uploads",
        headers=auth(),
        query_string={"action": "getPolicy", "model": "wan2.2-kf2v-flash"},
    )

    operations = [entry["operation"] for entry in _journal(api.client)]

    assert operations == ["get_upload_policy", "create_keyframe_video_task"]


def test_the_journal_and_task_dump_never_show_the_key_itself(api: Api) -> None:
    task_id = api.submit_ok(_t2v(), key=SECRET_KEY)
    api.submit(_t2v() | {"model": "nope"}, key=SECRET_KEY)
    api.query(task_id, key=SECRET_KEY)
    _queue(api.client, "pending=1")

    dumped = [
        api.client.get(path).get_data(as_text=True)
        for path in ("/__mock/journal", "/__mock/tasks", "/__mock/scenarios", "/__mock/health")
    ]

    for text in dumped:
        assert SECRET_KEY not in text
        assert SECRET_KEY[3:] not in text
    assert key_id_of(SECRET_KEY) in dumped[0]
    assert key_id_of(SECRET_KEY) in dumped[1]


def test_the_journal_filters_by_operation_and_task_id(api: Api) -> None:
    first = api.submit_ok(_t2v())
    second = api.submit_ok(_t2v())
    api.query(first)
    api.query(second)
    api.query(second)

    by_operation = _journal(api.client, operation="get_task")
    by_task = _journal(api.client, task_id=second)
    both = _journal(api.client, operation="create_video_synthesis_task", task_id=second)

    assert [e["task_id"] for e in by_operation] == [second, second, first]
    assert {e["operation"] for e in by_operation} == {"get_task"}
    assert [e["operation"] for e in by_task] == [
        "get_task",
        "get_task",
        "create_video_synthesis_task",
    ]
    assert [(e["operation"], e["task_id"]) for e in both] == [
        ("create_video_synthesis_task", second)
    ]
    assert _journal(api.client, task_id="no-such-task") == []


def test_the_journal_limit_returns_the_newest_entries(api: Api) -> None:
    ids = [api.submit_ok(_t2v()) for _ in range(4)]

    assert [e["task_id"] for e in _journal(api.client, limit=2)] == ids[:1:-1]


@pytest.mark.parametrize("limit", ["-1", "many"])
def test_the_journal_refuses_a_bad_limit(client: FlaskClient, limit: str) -> None:
    response = client.get("/__mock/journal", query_string={"limit": limit})

    assert_error(response, 400, "InvalidParameter", mentions=("limit",))


def test_the_journal_keeps_no_more_than_journal_size_entries(
    make_app: Callable[..., Flask],
) -> None:
    from wan_mock._service._settings import Settings

    app = make_app(Settings(journal_size=5))
    client = app.test_client()
    ids = [_submit(client) for _ in range(8)]

    default = _journal(client)
    asked_for_more = _journal(client, limit=100)

    assert [e["task_id"] for e in default] == ids[:2:-1]
    assert asked_for_more == default


def test_control_and_file_requests_are_not_journaled(api: Api) -> None:
    api.client.get("/__mock/health")
    api.client.get("/__mock/tasks")
    api.client.post(OSS_PATH, data={})
    api.client.get("/results/nothing.mp4")

    assert _journal(api.client) == []


# ---------------------------------------------------------------------- who may call it
def _control_calls() -> list[tuple[str, str]]:
    """The guarded operations: those under ``/__mock/`` that the spec does not declare public
    (``security: []``: the upload target, the pages' static files)."""
    return sorted(
        (method, path)
        for (method, path), operation in control_operations().items()
        if path.startswith("/__mock/") and operation.get("security") != []
    )


@pytest.mark.parametrize(("method", "path"), _control_calls())
def test_a_non_loopback_caller_is_refused(client: FlaskClient, method: str, path: str) -> None:
    response = client.open(path, method=method, environ_base=REMOTE, json={"seconds": 1})

    assert_error(
        response,
        403,
        "AccessDenied",
        "The control plane needs X-Mock-Control-Token from this address.",
    )


def test_a_refused_reset_changes_nothing(api: Api) -> None:
    api.submit_ok(_t2v())

    assert api.client.post("/__mock/reset", environ_base=REMOTE).status_code == 403

    assert len(_ok(api.client.get("/__mock/tasks"))["tasks"]) == 1


def test_an_ipv6_loopback_caller_is_allowed(client: FlaskClient) -> None:
    assert _ok(client.get("/__mock/health", environ_base={"REMOTE_ADDR": "::1"}))["status"] == "ok"


@pytest.fixture
def guarded(make_app: Callable[..., Flask]) -> FlaskClient:
    from wan_mock._service._settings import Settings

    return make_app(Settings(control_token="t")).test_client()


@pytest.mark.parametrize(("method", "path"), _control_calls())
def test_the_control_token_unlocks_the_control_plane_from_another_address(
    guarded: FlaskClient, method: str, path: str
) -> None:
    response = guarded.open(
        path,
        method=method,
        environ_base=REMOTE,
        headers={"X-Mock-Control-Token": "t"},
        json={"seconds": 1, "api_key": "k", "scenario": "pending=1"},
    )

    # let in: answered as for a loopback caller (a redirect to the console, or, for a path's
    # literal {task_id}, the page's NotFound)
    expected = 302 if path == "/__mock/" else 404 if "{" in path else 200
    assert response.status_code == expected, response.get_data(as_text=True)


@pytest.mark.parametrize("token", ["wrong", "", "T", "t "])
def test_a_wrong_control_token_is_refused(guarded: FlaskClient, token: str) -> None:
    response = guarded.get(
        "/__mock/health", environ_base=REMOTE, headers={"X-Mock-Control-Token": token}
    )

    assert_error(response, 403, "AccessDenied")


def test_without_a_configured_token_any_token_is_refused_from_another_address(
    client: FlaskClient,
) -> None:
    response = client.get(
        "/__mock/health", environ_base=REMOTE, headers={"X-Mock-Control-Token": ""}
    )

    assert_error(response, 403, "AccessDenied")


def test_a_loopback_caller_needs_no_token_even_when_one_is_configured(
    guarded: FlaskClient,
) -> None:
    """Documented in ``_control_allowed``, the README and ``--control-token``'s help: the token
    unlocks the control plane for *non-loopback* callers; loopback callers may always use it."""
    response = guarded.get("/__mock/health")

    assert response.status_code == 200, response.get_data(as_text=True)


def test_the_file_endpoints_do_not_follow_the_control_rule(client: FlaskClient) -> None:
    upload = client.post(OSS_PATH, data={}, environ_base=REMOTE)
    result = client.get("/results/x.mp4", environ_base=REMOTE)

    assert (upload.status_code, upload.mimetype) == (400, "application/xml")
    assert (result.status_code, result.mimetype) == (403, "application/xml")


def test_an_unknown_control_path_is_a_404_envelope(client: FlaskClient) -> None:
    assert_error(client.get("/__mock/nothing"), 404, "NotFound", mentions=("/__mock/nothing",))


@pytest.mark.parametrize(("method", "path"), [("GET", "/__mock/reset"), ("POST", "/__mock/tasks")])
def test_a_wrong_control_method_is_a_405_envelope(
    client: FlaskClient, method: str, path: str
) -> None:
    assert_error(client.open(path, method=method), 405, "MethodNotAllowed", mentions=(path,))


# ---------------------------------------------------------------------- in process
def test_mock_control_in_process_does_what_http_does(api: Api, app: Flask) -> None:
    from wan_mock._service._control import MockControl

    control = MockControl.of(app)
    task_id = api.submit_ok(_t2v(), key=SECRET_KEY)
    api.query(task_id, key=SECRET_KEY)

    assert control.health() == _ok(api.client.get("/__mock/health"))
    assert control.clock() == _ok(api.client.get("/__mock/clock"))
    assert control.tasks() == _ok(api.client.get("/__mock/tasks"))["tasks"]
    assert control.journal() == _journal(api.client)
    assert control.journal(operation="get_task", task_id=task_id, limit=5) == _journal(
        api.client, operation="get_task", task_id=task_id, limit=5
    )
    assert control.queue_scenario(SECRET_KEY, "fail=InternalError", 2) == {"queued": 2}
    assert (
        control.scenarios(SECRET_KEY)
        == _ok(api.client.get("/__mock/scenarios", query_string={"api_key": SECRET_KEY}))[
            "scenarios"
        ]
    )
    assert control.scenarios() == _ok(api.client.get("/__mock/scenarios"))["scenarios"]

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


# ---------------------------------------------------------------------- answers match the spec
def _prepare(client: FlaskClient) -> str:
    task_id = _submit(client)
    client.get(f"{API}/tasks/{task_id}", headers=auth(SECRET_KEY))
    _submit_any(client, {"model": "wan2.2-t2v-plus", "input": {}})
    _queue(client, "fail=InternalError")
    return task_id


def _first_task(client: FlaskClient) -> str:
    task_id = _ok(client.get("/__mock/tasks"))["tasks"][0]["task_id"]
    assert isinstance(task_id, str)
    return task_id


def _submit_any(client: FlaskClient, body: Any) -> TestResponse:
    return client.post(
        f"{API}/services/aigc/video-generation/video-synthesis",
        json=body,
        headers=auth(SECRET_KEY, submit=True),
    )


Call = Callable[[FlaskClient], TestResponse]
_CALLS: dict[tuple[str, str], list[Call]] = {
    ("GET", "/__mock/health"): [lambda c: c.get("/__mock/health")],
    ("POST", "/__mock/reset"): [
        lambda c: c.post("/__mock/reset"),
        lambda c: c.post("/__mock/reset", data="x", content_type="application/json"),
    ],
    ("GET", "/__mock/clock"): [lambda c: c.get("/__mock/clock")],
    ("POST", "/__mock/clock/advance"): [
        lambda c: c.post("/__mock/clock/advance", json={"seconds": 2}),
        lambda c: c.post("/__mock/clock/advance", json={"seconds": -2}),
    ],
    ("POST", "/__mock/clock/freeze"): [lambda c: c.post("/__mock/clock/freeze")],
    ("POST", "/__mock/clock/unfreeze"): [lambda c: c.post("/__mock/clock/unfreeze")],
    ("GET", "/__mock/scenarios"): [
        lambda c: c.get("/__mock/scenarios"),
        lambda c: c.get("/__mock/scenarios", query_string={"api_key": SECRET_KEY}),
    ],
    ("POST", "/__mock/scenarios"): [
        lambda c: c.post(
            "/__mock/scenarios", json={"api_key": OTHER_KEY, "scenario": "pending=1", "count": 3}
        ),
        lambda c: c.post("/__mock/scenarios", json={"api_key": OTHER_KEY}),
    ],
    ("GET", "/__mock/tasks"): [lambda c: c.get("/__mock/tasks")],
    ("POST", "/__mock/finish"): [lambda c: c.post("/__mock/finish")],
    ("GET", "/__mock/journal"): [
        lambda c: c.get("/__mock/journal"),
        lambda c: c.get("/__mock/journal", query_string={"operation": "get_task", "limit": 1}),
        lambda c: c.get("/__mock/journal", query_string={"limit": "x"}),
    ],
    ("GET", "/__mock/"): [lambda c: c.get("/__mock/")],
    ("GET", "/__mock/console"): [
        lambda c: c.get("/__mock/console"),
        lambda c: c.get("/__mock/console", query_string={"status": "PENDING", "page": 2}),
        lambda c: c.get("/__mock/console", query_string={"status": "DONE"}),
    ],
    ("GET", "/__mock/console/tasks/{task_id}"): [
        lambda c: c.get(f"/__mock/console/tasks/{_first_task(c)}"),
        lambda c: c.get("/__mock/console/tasks/nope"),
    ],
    ("GET", "/__mock/console/journal"): [
        lambda c: c.get("/__mock/console/journal", query_string={"status_class": "4xx"}),
        lambda c: c.get("/__mock/console/journal", query_string={"operation": "nope"}),
    ],
    ("GET", "/__mock/docs"): [lambda c: c.get("/__mock/docs")],
    ("GET", "/__mock/openapi.yaml"): [lambda c: c.get("/__mock/openapi.yaml")],
    ("GET", "/__mock/openapi.json"): [lambda c: c.get("/__mock/openapi.json")],
}


def test_the_schema_check_covers_every_control_operation() -> None:
    assert set(_CALLS) == set(_control_calls())


@pytest.mark.parametrize(("method", "path"), sorted(_CALLS))
def test_each_control_operation_answers_as_the_control_spec_says(
    shared: FlaskClient, method: str, path: str
) -> None:
    _prepare(shared)
    for call in _CALLS[(method, path)]:
        response = call(shared)
        assert spec_response_errors(method, path, response) == []
        refused = shared.open(path, method=method, environ_base=REMOTE)
        assert spec_response_errors(method, path, refused) == []


def test_the_task_dump_of_every_kind_of_task_matches_its_schema(api: Api) -> None:
    api.submit_ok(_t2v())
    api.submit_ok(body_for("kf2v"), path=IMAGE2VIDEO)
    api.submit(_t2v(), headers={"X-Mock-Scenario": "fail=InternalError"})
    canceled = api.submit_ok(_t2v())
    api.cancel(canceled)
    api.clock.advance(0.6)

    tasks = _ok(api.client.get("/__mock/tasks"))

    assert len(tasks["tasks"]) == 4
    assert schema_errors("TaskDump", tasks) == []


def test_the_schemas_refuse_what_the_mock_must_not_answer() -> None:
    assert schema_errors("ClockState", {"now": 1.0}) != []
    assert schema_errors("Error", {"request_id": "r", "code": "c", "message": "m", "x": 1}) != []
    assert schema_errors("JournalEntry", {"at": 1.0}) != []
    assert schema_errors("QueuedScenario", {"key_id": SECRET_KEY, "scenario": "x"}) != []
