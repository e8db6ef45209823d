"""Tests of ``clips.py`` against a real ``wan-mock serve``, through the official SDK.

The ``wan_mock_server`` fixture (from the ``wan-video-kit`` pytest plugin) starts one server per
marker configuration for the session, resets it before each test and points the SDK at it. The
SDK's ``wait()`` sleeps real seconds between polls (1, 1, 2, …), so these tests make tasks
progress by polls: ``progress="polls:0,0"`` ends every task on its first query, and a test that
wants to see PENDING and RUNNING queues its own ``pending_polls=``/``running_polls=``.
"""

from __future__ import annotations

import asyncio

import httpx
import pytest
from clips import ClipError, clip_status, finish_clip, make_clip, make_clips, start_clip

from wan_mock import WanMockServer

pytestmark = pytest.mark.wan_mock(progress="polls:0,0")


def test_a_clip_is_a_real_mp4(wan_mock_server: WanMockServer) -> None:
    url = make_clip("A kitten runs in the moonlight")

    assert url.startswith(wan_mock_server.base_url.removesuffix("/api/v1") + "/results/")
    video = httpx.get(url, timeout=30)
    assert video.headers["content-type"] == "video/mp4"
    assert video.content[4:8] == b"ftyp"
    wan_mock_server.assert_called("create_video_synthesis_task", times=1)
    wan_mock_server.assert_called("get_task", times=1)
    wan_mock_server.assert_no_invalid_requests()


def test_a_failed_task_raises_its_code(wan_mock_server: WanMockServer) -> None:
    wan_mock_server.fail_next("DataInspectionFailed")

    with pytest.raises(ClipError) as failed:
        make_clip("A kitten runs in the moonlight")

    assert failed.value.code == "DataInspectionFailed"
    assert failed.value.message == "Output data may contain inappropriate content."
    [task] = wan_mock_server.tasks()
    assert task["status"] == "FAILED"


def test_a_refused_submit_raises_and_makes_no_task(wan_mock_server: WanMockServer) -> None:
    wan_mock_server.reject_next("Throttling.RateQuota")

    with pytest.raises(ClipError) as refused:
        make_clip("A kitten runs in the moonlight")

    assert refused.value.code == "Throttling.RateQuota"
    assert wan_mock_server.tasks() == []
    wan_mock_server.assert_called("get_task", times=0)
    # a refusal the test asked for is not the app's fault
    wan_mock_server.assert_no_invalid_requests()


@pytest.mark.parametrize(
    ("scenario", "statuses"),
    [
        ("query_fail=ModelUnavailable*2", [503, 503, 200]),
        ("query_fail=GatewayTimeout", [504, 200]),
    ],
)
def test_wait_survives_transient_query_failures(
    wan_mock_server: WanMockServer, scenario: str, statuses: list[int]
) -> None:
    wan_mock_server.queue_scenario(scenario)

    url = make_clip("A kitten runs in the moonlight")

    assert url
    queries = wan_mock_server.journal(operation="get_task")  # newest first
    assert [entry["status"] for entry in reversed(queries)] == statuses
    wan_mock_server.assert_no_invalid_requests()


def test_wait_follows_the_task_through_its_lifecycle(wan_mock_server: WanMockServer) -> None:
    # PENDING for one query, RUNNING for one more, SUCCEEDED from the third on
    wan_mock_server.queue_scenario("pending_polls=1; running_polls=1")

    task_id = start_clip("A kitten runs in the moonlight")
    url = finish_clip(task_id)

    assert url
    assert wan_mock_server.polls(task_id) == 3
    queries = wan_mock_server.journal(operation="get_task", task_id=task_id)
    assert [entry["task_status"] for entry in reversed(queries)] == [
        "PENDING",
        "RUNNING",
        "SUCCEEDED",
    ]


def test_a_status_check_follows_the_mock_clock(wan_mock_server: WanMockServer) -> None:
    # this task's own timing, in seconds of the mock's clock (not by polls)
    wan_mock_server.queue_scenario("pending=30; running=120")
    wan_mock_server.freeze()  # the server's clock stands still until advanced
    try:
        task_id = start_clip("A kitten runs in the moonlight")
        assert clip_status(task_id).status == "PENDING"

        wan_mock_server.advance(30)
        assert clip_status(task_id).status == "RUNNING"

        wan_mock_server.finish()  # on to the end of every clock-driven task
        done = clip_status(task_id)
    finally:
        wan_mock_server.unfreeze()
    assert done.status == "SUCCEEDED"
    assert done.video_url is not None


@pytest.mark.wan_mock(api_keys=["sk-app"], progress="polls:0,0")
def test_only_the_configured_key_is_accepted(wan_mock_server: WanMockServer) -> None:
    assert wan_mock_server.api_key == "sk-app"
    assert make_clip("A kitten", api_key="sk-app")

    with pytest.raises(ClipError) as refused:
        make_clip("A kitten", api_key="sk-someone-else")

    assert refused.value.code == "InvalidApiKey"
    with pytest.raises(AssertionError, match="refused as invalid"):
        wan_mock_server.assert_no_invalid_requests()


def test_the_async_variant_renders_clips_concurrently(wan_mock_server: WanMockServer) -> None:
    urls = asyncio.run(make_clips(["A kitten", "A puppy", "A duckling"]))

    assert len(set(urls)) == 3
    wan_mock_server.assert_called("create_video_synthesis_task", times=3)
    assert [task["status"] for task in wan_mock_server.tasks()] == ["SUCCEEDED"] * 3
    wan_mock_server.assert_no_invalid_requests()
