"""The request journal (``/__mock/journal``): one entry per API request, newest first, with
its operation, key id (never the key), status, code, message and task; filters, a limit, a
bounded size; control and file requests are not journaled.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from contract_tests.support.control import OSS_PATH, key_id_of
from contract_tests.support.control_plane import (
    SECRET_KEY,
    journal_entries,
    queue_scenario,
    submit_t2v,
    t2v_body,
)
from contract_tests.support.mock import API, IMAGE2VIDEO, START, Api, assert_error, auth, body_for

# ---------------------------------------------------------------------- the journal


def test_the_journal_records_each_api_request_newest_first(api: Api) -> None:
    mine = key_id_of(SECRET_KEY)
    task_id = api.submit_ok(t2v_body(), key=SECRET_KEY)
    broken = t2v_body()
    broken["parameters"]["duration"] = "five"
    assert api.submit(broken, key=SECRET_KEY).status_code == 400
    api.clock.advance(0.6)
    api.query(task_id, key=SECRET_KEY)
    assert api.cancel(task_id, key=SECRET_KEY).status_code == 400
    api.list_ok(key=SECRET_KEY)
    assert api.client.get(f"{API}/tasks/{task_id}").status_code == 401

    entries = journal_entries(api.client)

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

    operations = [entry["operation"] for entry in journal_entries(api.client)]

    assert operations == ["get_upload_policy", "create_keyframe_video_task"]


def test_the_journal_and_task_dump_never_show_the_key_itself(api: Api) -> None:
    task_id = api.submit_ok(t2v_body(), key=SECRET_KEY)
    api.submit(t2v_body() | {"model": "nope"}, key=SECRET_KEY)
    api.query(task_id, key=SECRET_KEY)
    queue_scenario(api.client, "pending=1")

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
    first = api.submit_ok(t2v_body())
    second = api.submit_ok(t2v_body())
    api.query(first)
    api.query(second)
    api.query(second)

    by_operation = journal_entries(api.client, operation="get_task")
    by_task = journal_entries(api.client, task_id=second)
    both = journal_entries(api.client, operation="create_video_synthesis_task", task_id=second)

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
    assert journal_entries(api.client, task_id="no-such-task") == []


def test_the_journal_limit_returns_the_newest_entries(api: Api) -> None:
    ids = [api.submit_ok(t2v_body()) for _ in range(4)]

    assert [e["task_id"] for e in journal_entries(api.client, limit=2)] == ids[:1:-1]


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
    ids = [submit_t2v(client) for _ in range(8)]

    default = journal_entries(client)
    asked_for_more = journal_entries(client, limit=100)

    assert [e["task_id"] for e in default] == ids[:2:-1]
    assert asked_for_more == default


def test_control_and_file_requests_are_not_journaled(api: Api) -> None:
    api.client.get("/__mock/health")
    api.client.get("/__mock/tasks")
    api.client.post(OSS_PATH, data={})
    api.client.get("/results/nothing.mp4")

    assert journal_entries(api.client) == []
