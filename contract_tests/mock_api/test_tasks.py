"""Cancel, list and the upload policy.

Cancel works only while a task is PENDING (API_FACTS §4). The list answers the key's tasks in a
window of at most 24 hours (``start_time``/``end_time`` as ``YYYYMMDDhhmmss``, read in the
service's zone — ``Settings.utc_offset_hours``, UTC+8 by default), newest first, with
``status`` and epoch-millisecond times.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from contract_tests.support.mock import (
    API,
    DAY,
    IMAGE2VIDEO,
    KEY,
    PENDING_SECONDS,
    RUNNING_SECONDS,
    START,
    Api,
    assert_error,
    assert_request_id,
    auth,
    body_for,
)
from wan_video_client import AuthenticatedClient
from wan_video_client.api.tasks import cancel_task, get_task, list_tasks
from wan_video_client.api.uploads import get_upload_policy
from wan_video_client.models import (
    CancelResponse,
    ErrorResponse,
    GetUploadPolicyAction,
    TaskListResponse,
    TaskQueryResponse,
    TaskStatus,
    UploadPolicyResponse,
)

CANCEL_REFUSED = "Failed to cancel the task, please confirm if the task is in PENDING status."
START_MS = round(START * 1000)
BEIJING = timezone(timedelta(hours=8))


# ---------------------------------------------------------------------- cancel
def test_cancel_of_a_pending_task_answers_only_a_request_id(api: Api) -> None:
    task_id = api.submit_ok(body_for("t2v"))

    response = api.cancel(task_id)

    assert response.status_code == 200
    assert set(response.get_json()) == {"request_id"}
    assert_request_id(response)


def test_a_canceled_task_reads_canceled_and_stays_canceled(api: Api) -> None:
    task_id = api.submit_ok(body_for("t2v"))
    api.clock.advance(0.2)
    assert api.cancel(task_id).status_code == 200

    output = api.query(task_id)["output"]
    assert output["task_status"] == "CANCELED"
    assert output["end_time"] == "2025-05-15 16:14:44.923"
    assert "video_url" not in output
    for _ in range(3):
        api.clock.advance(PENDING_SECONDS + RUNNING_SECONDS)
        assert api.status(task_id) == "CANCELED"


@pytest.mark.parametrize("when", ["RUNNING", "SUCCEEDED", "FAILED"])
def test_a_task_that_is_no_longer_pending_cannot_be_canceled(api: Api, when: str) -> None:
    if when == "FAILED":
        body = body_for("t2v", model="wan2.2-t2v-plus", parameters__duration=10)
    else:
        body = body_for("t2v")
    task_id = api.submit_ok(body)
    api.clock.advance(PENDING_SECONDS + 0.1 if when == "RUNNING" else PENDING_SECONDS + 1.1)
    assert api.status(task_id) == when

    response = api.cancel(task_id)

    assert_error(response, 400, "UnsupportedOperation", CANCEL_REFUSED)
    assert api.status(task_id) == when


def test_a_canceled_task_cannot_be_canceled_again(api: Api) -> None:
    task_id = api.submit_ok(body_for("t2v"))
    assert api.cancel(task_id).status_code == 200

    assert_error(api.cancel(task_id), 400, "UnsupportedOperation", CANCEL_REFUSED)


@pytest.mark.parametrize("task_id", ["no-such-task", "86ecf553-d340-4e21-af6e-a0c6a421c010"])
def test_an_unknown_task_cannot_be_canceled(api: Api, task_id: str) -> None:
    assert_error(api.cancel(task_id), 400, "UnsupportedOperation", CANCEL_REFUSED)


def test_an_expired_task_cannot_be_canceled(api: Api) -> None:
    task_id = api.submit_ok(body_for("video_edit"))
    api.clock.advance(DAY)

    assert_error(api.cancel(task_id), 400, "UnsupportedOperation", CANCEL_REFUSED)


def test_cancel_through_the_generated_client(api: Api, wan_client: AuthenticatedClient) -> None:
    running = api.submit_ok(body_for("i2v"))
    api.clock.advance(0.3)
    pending = api.submit_ok(body_for("t2v"))
    api.clock.advance(0.3)

    canceled = cancel_task.sync_detailed(pending, client=wan_client)
    refused = cancel_task.sync_detailed(running, client=wan_client)

    assert canceled.status_code == 200
    assert isinstance(canceled.parsed, CancelResponse)
    assert canceled.parsed.request_id == canceled.headers["X-Request-ID"]
    assert refused.status_code == 400
    assert isinstance(refused.parsed, ErrorResponse)
    assert refused.parsed.code == "UnsupportedOperation"
    assert refused.parsed.message == CANCEL_REFUSED
    seen = get_task.sync(pending, client=wan_client)
    assert isinstance(seen, TaskQueryResponse)
    assert seen.output.task_status == TaskStatus.CANCELED
    api.finish()
    still = get_task.sync(pending, client=wan_client)
    assert isinstance(still, TaskQueryResponse)
    assert still.output.task_status == TaskStatus.CANCELED


# ---------------------------------------------------------------------- list: items
def test_a_list_item_has_status_and_epoch_millisecond_times(api: Api) -> None:
    task_id = api.submit_ok(body_for("t2v"))

    pending = api.list_ok()["data"][0]
    api.clock.advance(PENDING_SECONDS + 0.1)
    running = api.list_ok()["data"][0]
    api.clock.advance(RUNNING_SECONDS)
    done = api.list_ok()["data"][0]

    assert pending["task_id"] == task_id
    assert pending["status"] == "PENDING"
    assert "task_status" not in pending
    assert pending["gmt_create"] == START_MS
    assert "start_time" not in pending
    assert "end_time" not in pending
    assert running["status"] == "RUNNING"
    assert running["start_time"] == START_MS + 500
    assert "end_time" not in running
    assert done["status"] == "SUCCEEDED"
    assert done["start_time"] == START_MS + 500
    assert done["end_time"] == START_MS + 1500


def test_list_times_and_task_time_strings_name_the_same_millisecond(api: Api) -> None:
    api.clock.set(START + 0.0006)  # a clock between two milliseconds, as a real one is
    task_id = api.submit_ok(body_for("t2v"))
    api.finish()

    output = api.query(task_id)["output"]
    (item,) = api.list_ok()["data"]

    for millis, text in (
        (item["gmt_create"], output["submit_time"]),
        (item["start_time"], output["scheduled_time"]),
        (item["end_time"], output["end_time"]),
    ):
        as_text = datetime.fromtimestamp(millis / 1000, tz=BEIJING)
        assert as_text.strftime("%Y-%m-%d %H:%M:%S.%f")[:-3] == text


def test_a_list_item_names_the_model_and_the_api_unique_key(api: Api) -> None:
    api.submit_ok(body_for("t2v", model="wan2.2-t2v-plus", parameters__size="832*480"))

    (item,) = api.list_ok()["data"]

    assert item["model_name"] == "wan2.2-t2v-plus"
    assert item["user_api_unique_key"] == (
        "apikey:v1:aigc:video-generation:video-synthesis:wan2.2-t2v-plus"
    )
    assert isinstance(item["request_id"], str)
    assert item["request_id"]
    assert isinstance(item["api_key_id"], str)
    assert item["region"] == "ap-southeast-1"
    assert KEY not in item["api_key_id"]


def test_a_keyframe_task_is_listed_under_image2video(api: Api) -> None:
    api.submit_ok(body_for("kf2v"), path=IMAGE2VIDEO)

    (item,) = api.list_ok()["data"]

    assert item["user_api_unique_key"] == (
        "apikey:v1:aigc:image2video:video-synthesis:wan2.2-kf2v-flash"
    )


def test_a_canceled_and_a_failed_task_are_listed_with_their_status(api: Api) -> None:
    canceled = api.submit_ok(body_for("t2v"))
    failed = api.submit_ok(body_for("t2v", model="wan2.2-t2v-plus", parameters__duration=10))
    assert api.cancel(canceled).status_code == 200
    api.finish()

    statuses = {item["task_id"]: item["status"] for item in api.list_ok()["data"]}

    assert statuses == {canceled: "CANCELED", failed: "FAILED"}


# ---------------------------------------------------------------------- list: filters
def _submit_spaced(api: Api, bodies: list[dict[str, Any]], gap: float = 1.0) -> list[str]:
    task_ids = []
    for body in bodies:
        task_ids.append(api.submit_ok(body))
        api.clock.advance(gap)
    return task_ids


def test_the_list_is_newest_first(api: Api) -> None:
    task_ids = _submit_spaced(api, [body_for("t2v") for _ in range(4)])

    listed = [item["task_id"] for item in api.list_ok()["data"]]

    assert listed == task_ids[::-1]


def test_the_list_filters_by_task_id(api: Api) -> None:
    task_ids = _submit_spaced(api, [body_for("t2v") for _ in range(3)])

    body = api.list_ok(task_id=task_ids[1])

    assert [item["task_id"] for item in body["data"]] == [task_ids[1]]
    assert body["total"] == 1


def test_the_list_filters_by_model_name(api: Api) -> None:
    task_ids = _submit_spaced(
        api, [body_for("t2v"), body_for("i2v"), body_for("t2v"), body_for("video_edit")]
    )

    body = api.list_ok(model_name="wan2.5-t2v-preview")

    assert [item["task_id"] for item in body["data"]] == [task_ids[2], task_ids[0]]
    assert {item["model_name"] for item in body["data"]} == {"wan2.5-t2v-preview"}


def test_the_list_filters_by_status(api: Api) -> None:
    old = api.submit_ok(body_for("t2v"))
    api.finish()
    new = api.submit_ok(body_for("t2v"))

    succeeded = api.list_ok(status="SUCCEEDED")
    pending = api.list_ok(status="PENDING")

    assert [item["task_id"] for item in succeeded["data"]] == [old]
    assert succeeded["total"] == 1
    assert [item["task_id"] for item in pending["data"]] == [new]
    assert api.list_ok(status="RUNNING")["total"] == 0


def test_an_unknown_status_filter_is_invalid(api: Api) -> None:
    assert_error(api.list(status="DONE"), 400, "InvalidParameter", mentions=("status",))


def test_the_list_reads_times_in_the_service_zone(api: Api) -> None:
    task_id = api.submit_ok(body_for("t2v"))  # 2025-05-15 16:14:44.723 in Beijing

    beijing = api.list_ok(start_time="20250515161444", end_time="20250515161444")
    before = api.list_ok(start_time="20250515000000", end_time="20250515161443")
    after = api.list_ok(start_time="20250515161445", end_time="20250516000000")
    as_utc = api.list_ok(start_time="20250515081400", end_time="20250515081500")

    assert [item["task_id"] for item in beijing["data"]] == [task_id]
    assert before["total"] == 0
    assert after["total"] == 0
    assert as_utc["total"] == 0


def test_the_default_window_is_the_last_24_hours(api: Api) -> None:
    _old = api.submit_ok(body_for("t2v"))
    api.clock.advance(23 * 3600)
    recent = api.submit_ok(body_for("t2v"))
    api.clock.advance(2 * 3600)

    body = api.list_ok()

    assert [item["task_id"] for item in body["data"]] == [recent]
    assert body["total"] == 1


def test_start_time_alone_opens_a_24_hour_window(api: Api) -> None:
    first = api.submit_ok(body_for("t2v"))
    api.clock.advance(20 * 3600)
    second = api.submit_ok(body_for("t2v"))

    body = api.list_ok(start_time="20250515160000")

    assert [item["task_id"] for item in body["data"]] == [second, first]


def test_a_window_of_exactly_24_hours_is_allowed(api: Api) -> None:
    task_id = api.submit_ok(body_for("t2v"))

    body = api.list_ok(start_time="20250515000000", end_time="20250516000000")

    assert [item["task_id"] for item in body["data"]] == [task_id]


@pytest.mark.parametrize(
    ("start", "end"),
    [("20250515000000", "20250516000001"), ("20250501000000", "20250515000000")],
)
def test_a_window_over_24_hours_is_invalid(api: Api, start: str, end: str) -> None:
    response = api.list(start_time=start, end_time=end)

    assert_error(response, 400, "InvalidParameter", mentions=("24 hours",))


def test_a_window_that_ends_before_it_starts_is_invalid(api: Api) -> None:
    response = api.list(start_time="20250515120000", end_time="20250515110000")

    assert_error(response, 400, "InvalidParameter", mentions=("end_time",))


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("start_time", "2025-05-15 00:00:00"),
        ("start_time", "20250515"),
        ("end_time", "20251315000000"),
        ("end_time", "yesterday"),
    ],
)
def test_a_time_not_as_yyyymmddhhmmss_is_invalid_naming_the_field(
    api: Api, field: str, value: str
) -> None:
    query = {"start_time": "20250515000000", "end_time": "20250515120000", field: value}

    response = api.list(**query)

    assert_error(response, 400, "InvalidParameter", mentions=(field,))


# ---------------------------------------------------------------------- list: paging
def test_the_list_pages_with_total_and_total_page(api: Api) -> None:
    task_ids = _submit_spaced(api, [body_for("t2v") for _ in range(5)])
    newest_first = task_ids[::-1]

    pages = [api.list_ok(page_no=n, page_size=2) for n in (1, 2, 3, 4)]

    for page_no, page in enumerate(pages, start=1):
        assert page["total"] == 5
        assert page["total_page"] == 3
        assert page["page_no"] == page_no
        assert page["page_size"] == 2
    assert [[item["task_id"] for item in page["data"]] for page in pages] == [
        newest_first[0:2],
        newest_first[2:4],
        newest_first[4:5],
        [],
    ]


def test_the_list_pages_default_to_1_and_10(api: Api) -> None:
    _submit_spaced(api, [body_for("t2v") for _ in range(12)], gap=0.1)

    body = api.list_ok()

    assert (body["page_no"], body["page_size"], body["total"], body["total_page"]) == (1, 10, 12, 2)
    assert len(body["data"]) == 10


def test_an_empty_list_has_no_pages(api: Api) -> None:
    body = api.list_ok()

    assert body["data"] == []
    assert body["total"] == 0
    assert body["total_page"] == 0


@pytest.mark.parametrize(
    ("field", "value"),
    [("page_no", "0"), ("page_no", "first"), ("page_size", "0"), ("page_size", "101")],
)
def test_bad_paging_is_invalid_naming_the_field(api: Api, field: str, value: str) -> None:
    assert_error(api.list(**{field: value}), 400, "InvalidParameter", mentions=(field,))


def test_the_sdk_extra_list_parameters_are_ignored(api: Api) -> None:
    task_id = api.submit_ok(body_for("t2v"))

    body = api.list_ok(api_key_id="123", region="cn-beijing")

    assert [item["task_id"] for item in body["data"]] == [task_id]


def test_list_through_the_generated_client(api: Api, wan_client: AuthenticatedClient) -> None:
    done = api.submit_ok(body_for("t2v"))
    api.finish()
    waiting = api.submit_ok(body_for("i2v"))

    everything = list_tasks.sync(client=wan_client)
    succeeded = list_tasks.sync(client=wan_client, status=TaskStatus.SUCCEEDED, page_size=5)

    assert isinstance(everything, TaskListResponse)
    assert everything.total == 2
    assert [item.task_id for item in everything.data] == [waiting, done]
    assert [item.status for item in everything.data] == [TaskStatus.PENDING, TaskStatus.SUCCEEDED]
    assert everything.data[1].gmt_create == START_MS
    assert isinstance(succeeded, TaskListResponse)
    assert [item.task_id for item in succeeded.data] == [done]
    assert succeeded.page_size == 5


def test_a_list_error_through_the_generated_client(wan_client: AuthenticatedClient) -> None:
    answer = list_tasks.sync_detailed(
        client=wan_client, start_time="20250501000000", end_time="20250505000000"
    )

    assert answer.status_code == 400
    assert isinstance(answer.parsed, ErrorResponse)
    assert answer.parsed.code == "InvalidParameter"


# ---------------------------------------------------------------------- uploads
def test_the_upload_policy_points_at_an_upload_host(api: Api) -> None:
    response = api.client.get(
        f"{API}/uploads",
        headers=auth(),
        query_string={"action": "getPolicy", "model": "wan2.2-kf2v-flash"},
    )

    assert response.status_code == 200
    assert_request_id(response)
    data = response.get_json()["data"]
    for name in ("upload_host", "upload_dir", "policy", "signature"):
        assert isinstance(data[name], str)
        assert data[name], name
    assert set(data) >= {
        "expire_in_seconds",
        "max_file_size_mb",
        "capacity_limit_mb",
        "oss_access_key_id",
        "x_oss_object_acl",
        "x_oss_forbid_overwrite",
    }
    assert data["upload_host"].startswith("http://localhost/")


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"model": "wan2.2-kf2v-flash"}, "action"),
        ({"action": "putObject", "model": "wan2.2-kf2v-flash"}, "action"),
        ({"action": "getPolicy"}, "model"),
    ],
)
def test_an_upload_policy_request_without_action_or_model_is_invalid(
    api: Api, query: dict[str, str], field: str
) -> None:
    response = api.client.get(f"{API}/uploads", headers=auth(), query_string=query)

    assert_error(response, 400, "InvalidParameter", mentions=(field,))


def test_the_upload_policy_through_the_generated_client(wan_client: AuthenticatedClient) -> None:
    policy = get_upload_policy.sync(
        client=wan_client, action=GetUploadPolicyAction.GETPOLICY, model="wan2.2-i2v-flash"
    )

    assert isinstance(policy, UploadPolicyResponse)
    assert policy.data.upload_host.startswith("http://mock/")
    assert policy.data.upload_dir
    assert policy.data.policy
    assert policy.data.signature
