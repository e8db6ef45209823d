"""The task lifecycle on the injected clock (fast profile: 0.5 s PENDING, 1 s RUNNING):
PENDING → RUNNING → SUCCEEDED with the documented fields at each step, service time strings in
Beijing time, usage, UNKNOWN for unknown and expired ids, and no step backwards.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING

import pytest
from flask import Flask

from contract_tests.support.mock import (
    DAY,
    IMAGE2VIDEO,
    PENDING_SECONDS,
    RUNNING_SECONDS,
    SERVICE_TIME,
    START,
    START_BEIJING,
    VIDEO_GENERATION,
    Api,
    body_for,
)
from wan_video_client import AuthenticatedClient
from wan_video_client.api.tasks import get_task
from wan_video_client.api.video_synthesis import create_video_synthesis_task
from wan_video_client.models import (
    ImageToVideoRequest,
    TaskQueryResponse,
    TaskStatus,
    TaskSubmitResponse,
    TextToVideoRequest,
    Usage,
)
from wan_video_client.types import Unset

if TYPE_CHECKING:
    from wan_mock._domain._clock import ManualClock

ORDER = {"PENDING": 0, "RUNNING": 1, "SUCCEEDED": 2, "FAILED": 2, "CANCELED": 2}
BEIJING = timezone(timedelta(hours=8))


def _service_time(text: str) -> datetime:
    assert SERVICE_TIME.match(text), text
    return datetime.strptime(text, "%Y-%m-%d %H:%M:%S.%f").replace(tzinfo=BEIJING)


# ---------------------------------------------------------------------- the three steps
def test_a_new_task_is_pending_with_only_its_submit_time(api: Api) -> None:
    task_id = api.submit_ok(body_for("t2v"))

    body = api.query(task_id)

    assert body["output"] == {
        "task_id": task_id,
        "task_status": "PENDING",
        "submit_time": START_BEIJING,
    }
    assert "usage" not in body
    assert "code" not in body


def test_a_task_runs_once_its_pending_time_has_passed(api: Api) -> None:
    task_id = api.submit_ok(body_for("t2v"))

    api.clock.advance(PENDING_SECONDS - 0.01)
    assert api.status(task_id) == "PENDING"
    api.clock.advance(0.02)
    body = api.query(task_id)

    assert body["output"] == {
        "task_id": task_id,
        "task_status": "RUNNING",
        "submit_time": START_BEIJING,
        "scheduled_time": "2025-05-15 16:14:45.223",
    }
    assert "usage" not in body


def test_a_task_succeeds_once_its_running_time_has_passed(api: Api) -> None:
    task_id = api.submit_ok(
        body_for("t2v", input__prompt="A cat.", parameters__prompt_extend=False)
    )

    api.clock.advance(PENDING_SECONDS + RUNNING_SECONDS - 0.01)
    assert api.status(task_id) == "RUNNING"
    api.clock.advance(0.02)
    body = api.query(task_id)
    output = body["output"]

    assert output["task_status"] == "SUCCEEDED"
    assert output["submit_time"] == START_BEIJING
    assert output["scheduled_time"] == "2025-05-15 16:14:45.223"
    assert output["end_time"] == "2025-05-15 16:14:46.223"
    assert output["orig_prompt"] == "A cat."
    assert "actual_prompt" not in output
    assert "code" not in output
    assert "message" not in output
    assert set(output) == {
        "task_id",
        "task_status",
        "submit_time",
        "scheduled_time",
        "end_time",
        "video_url",
        "orig_prompt",
    }


def test_the_video_url_points_at_the_mock_itself(api: Api) -> None:
    output = api.run(body_for("t2v"))["output"]

    assert output["video_url"].startswith("http://localhost/results/")
    assert output["task_id"] in output["video_url"]


def test_the_video_url_can_be_downloaded(api: Api) -> None:
    url = api.run(body_for("t2v", parameters__size="832*480"))["output"]["video_url"]

    with api.client.get(url.removeprefix("http://localhost")) as response:
        assert response.status_code == 200
        assert response.mimetype == "video/mp4"
        assert response.get_data()[4:8] == b"ftyp"


def test_service_times_are_formatted_and_ordered(api: Api) -> None:
    task_id = api.submit_ok(body_for("i2v"))
    api.clock.advance(123.456)

    output = api.query(task_id)["output"]

    submitted = _service_time(output["submit_time"])
    scheduled = _service_time(output["scheduled_time"])
    ended = _service_time(output["end_time"])
    assert submitted.timestamp() == pytest.approx(START, abs=0.001)
    assert submitted <= scheduled <= ended
    assert scheduled - submitted == timedelta(seconds=PENDING_SECONDS)
    assert ended - scheduled == timedelta(seconds=RUNNING_SECONDS)


def test_service_times_are_in_the_configured_zone(
    make_app: Callable[..., Flask], clock: ManualClock
) -> None:
    from wan_mock._service._settings import Settings

    utc = Api(make_app(Settings(utc_offset_hours=0)).test_client(), clock)

    task_id = utc.submit_ok(body_for("t2v"))

    assert utc.query(task_id)["output"]["submit_time"] == "2025-05-15 08:14:44.723"


# ---------------------------------------------------------------------- usage
@pytest.mark.parametrize(
    ("variant", "changes", "usage"),
    [
        (
            "t2v",
            {
                "model": "wan2.5-t2v-preview",
                "parameters__size": "832*480",
                "parameters__duration": 10,
            },
            {"video_duration": 10, "video_count": 1, "video_ratio": "832*480"},
        ),
        (
            "t2v",
            {"model": "wan2.5-t2v-preview"},
            {"video_duration": 5, "video_count": 1, "video_ratio": "1920*1080"},
        ),
        (
            "t2v",
            {"model": "wanx2.1-t2v-turbo"},
            {"video_duration": 5, "video_count": 1, "video_ratio": "1280*720"},
        ),
        (
            "t2v",
            {"model": "wan2.2-t2v-plus", "parameters__size": "480*832"},
            {"video_duration": 5, "video_count": 1, "video_ratio": "480*832"},
        ),
        (
            "i2v",
            {"model": "wan2.5-i2v-preview", "parameters__duration": 10},
            {"video_duration": 10, "video_count": 1, "video_ratio": "standard"},
        ),
        (
            "i2v",
            {"model": "wanx2.1-i2v-turbo", "parameters__duration": 4},
            {"video_duration": 4, "video_count": 1, "video_ratio": "standard"},
        ),
        ("kf2v", {}, {"video_duration": 5, "video_count": 1, "video_ratio": "standard"}),
        (
            "image_reference",
            {"parameters__size": "960*960"},
            {"video_duration": 5, "video_count": 1, "video_ratio": "standard"},
        ),
        ("video_edit", {}, {"video_duration": 5, "video_count": 1, "video_ratio": "standard"}),
    ],
    ids=[
        "t2v-size-and-duration",
        "t2v-wan25-defaults",
        "t2v-turbo-default-size",
        "t2v-portrait",
        "i2v-10s",
        "i2v-turbo-4s",
        "kf2v",
        "vace-size",
        "vace-edit",
    ],
)
def test_usage_reports_duration_count_and_ratio(
    api: Api, variant: str, changes: dict[str, object], usage: dict[str, object]
) -> None:
    path = IMAGE2VIDEO if variant == "kf2v" else VIDEO_GENERATION

    body = api.run(body_for(variant, **changes), path=path)

    assert body["output"]["task_status"] == "SUCCEEDED"
    assert body["usage"] == usage


# ---------------------------------------------------------------------- unknown and expired
@pytest.mark.parametrize("task_id", ["86ecf553-d340-4e21-xxxxxxxxx", "x", "0" * 36])
def test_an_unknown_task_id_is_http_200_unknown(api: Api, task_id: str) -> None:
    body = api.query(task_id)

    assert body["output"] == {"task_id": task_id, "task_status": "UNKNOWN"}
    assert "usage" not in body


@pytest.mark.parametrize("variant", ["t2v", "video_outpainting"])
def test_a_task_reads_unknown_after_24_hours(api: Api, variant: str) -> None:
    task_id = api.submit_ok(body_for(variant))

    api.clock.advance(DAY - 1)
    assert api.status(task_id) == "SUCCEEDED"
    api.clock.advance(1)

    assert api.query(task_id)["output"] == {"task_id": task_id, "task_status": "UNKNOWN"}


def test_a_canceled_task_reads_unknown_after_24_hours(api: Api) -> None:
    task_id = api.submit_ok(body_for("t2v"))
    assert api.cancel(task_id).status_code == 200

    api.clock.advance(DAY)

    assert api.status(task_id) == "UNKNOWN"


# ---------------------------------------------------------------------- monotonic
@pytest.mark.parametrize("step", [0.05, 0.13, 0.5])
def test_the_status_never_moves_backwards_while_polling(api: Api, step: float) -> None:
    task_ids = [api.submit_ok(body_for("t2v")) for _ in range(2)]
    task_ids.append(
        api.submit_ok(body_for("t2v", model="wan2.2-t2v-plus", parameters__size="1280*720"))
    )
    seen: dict[str, list[str]] = {task_id: [] for task_id in task_ids}

    for _ in range(int(3 / step)):
        for task_id in task_ids:
            seen[task_id].append(api.status(task_id))
            seen[task_id].append(api.status(task_id))
        api.clock.advance(step)

    for statuses in seen.values():
        ranks = [ORDER[status] for status in statuses]
        assert ranks == sorted(ranks), statuses
        assert statuses[0] == "PENDING"
        assert len(set(statuses[-2:])) == 1
    assert seen[task_ids[0]][-1] == "SUCCEEDED"
    assert seen[task_ids[2]][-1] == "FAILED"
    if step < PENDING_SECONDS:
        assert "RUNNING" in seen[task_ids[0]]


def test_a_finished_task_stays_finished(api: Api) -> None:
    task_id = api.submit_ok(body_for("t2v"))
    api.finish()
    first = api.query(task_id)["output"]

    for _ in range(5):
        api.clock.advance(3600)
        later = api.query(task_id)["output"]
        assert later == first


# ---------------------------------------------------------------------- generated client
def test_the_lifecycle_through_the_generated_client(
    api: Api, wan_client: AuthenticatedClient
) -> None:
    request = TextToVideoRequest.from_dict(
        body_for("t2v", parameters__size="832*480", parameters__duration=10)
    )
    submitted = create_video_synthesis_task.sync(client=wan_client, body=request)
    assert isinstance(submitted, TaskSubmitResponse)
    assert submitted.output.task_status == TaskStatus.PENDING
    task_id = submitted.output.task_id

    statuses = []
    for _ in range(4):
        answer = get_task.sync(task_id, client=wan_client)
        assert isinstance(answer, TaskQueryResponse)
        statuses.append(answer.output.task_status)
        api.clock.advance(0.5)

    assert statuses == [
        TaskStatus.PENDING,
        TaskStatus.RUNNING,
        TaskStatus.RUNNING,
        TaskStatus.SUCCEEDED,
    ]
    final = get_task.sync(task_id, client=wan_client)
    assert isinstance(final, TaskQueryResponse)
    assert final.output.submit_time == START_BEIJING
    assert isinstance(final.output.video_url, str)
    assert final.output.video_url.startswith("http://mock/results/")
    assert final.output.orig_prompt == request.input_.prompt
    assert isinstance(final.usage, Usage)
    assert final.usage.video_duration == 10
    assert final.usage.video_count == 1
    assert final.usage.video_ratio == "832*480"


def test_an_image_to_video_task_through_the_generated_client(
    api: Api, wan_client: AuthenticatedClient
) -> None:
    request = ImageToVideoRequest.from_dict(body_for("i2v", parameters__prompt_extend=False))
    submitted = create_video_synthesis_task.sync(client=wan_client, body=request)
    assert isinstance(submitted, TaskSubmitResponse)
    api.finish()

    final = get_task.sync(submitted.output.task_id, client=wan_client)

    assert isinstance(final, TaskQueryResponse)
    assert final.output.task_status == TaskStatus.SUCCEEDED
    assert isinstance(final.output.actual_prompt, Unset)
    assert isinstance(final.usage, Usage)
    assert final.usage.video_ratio == "standard"


def test_an_unknown_task_through_the_generated_client(wan_client: AuthenticatedClient) -> None:
    answer = get_task.sync_detailed("no-such-task", client=wan_client)

    assert answer.status_code == 200
    assert isinstance(answer.parsed, TaskQueryResponse)
    assert answer.parsed.output.task_status == TaskStatus.UNKNOWN
    assert answer.parsed.request_id == answer.headers["X-Request-ID"]
