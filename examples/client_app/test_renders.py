"""Tests of ``renders.py`` against the mock in process, through the generated client.

The ``wan_mock`` fixture (from the ``wan-video-kit`` pytest plugin) is a fresh
``wan_mock.WanMock`` per test: no socket, and a clock that moves only when the test moves it
(``advance``, ``finish``) — so a lifecycle of minutes takes no time at all.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from renders import RenderError, check, download, submit, wait

from wan_mock import WanMock


def test_finish_ends_every_task(wan_mock: WanMock) -> None:
    first = submit(wan_mock.client, "A kitten runs in the moonlight")
    second = submit(wan_mock.client, "A puppy chases its tail")
    assert check(wan_mock.client, first).status == "PENDING"

    finished = wan_mock.finish()

    assert finished["waiting_for_polls"] == []
    assert check(wan_mock.client, first).done
    assert check(wan_mock.client, second).done
    wan_mock.assert_called("create_video_synthesis_task", times=2)
    wan_mock.assert_called("get_task", times=3)
    wan_mock.assert_no_invalid_requests()


def test_advance_moves_a_task_through_its_lifecycle(wan_mock: WanMock) -> None:
    wan_mock.queue_scenario("pending=30; running=120")  # this task's own timing, in seconds
    task_id = submit(wan_mock.client, "A kitten runs in the moonlight")

    assert check(wan_mock.client, task_id).status == "PENDING"
    wan_mock.advance(30)
    assert check(wan_mock.client, task_id).status == "RUNNING"
    wan_mock.advance(119)
    assert check(wan_mock.client, task_id).status == "RUNNING"
    wan_mock.advance(1)
    render = check(wan_mock.client, task_id)

    assert render.done
    assert render.video_url is not None
    statuses = [entry["task_status"] for entry in wan_mock.journal(task_id=task_id)]
    assert statuses[::-1] == ["PENDING", "PENDING", "RUNNING", "RUNNING", "SUCCEEDED"]


def test_wait_polls_on_the_mock_clock_and_retries_transient_answers(wan_mock: WanMock) -> None:
    wan_mock.queue_scenario("pending=10; running=20; query_fail=Throttling*2")
    task_id = submit(wan_mock.client, "A kitten runs in the moonlight")

    render = wait(wan_mock.client, task_id, interval=5, sleep=wan_mock.advance)

    assert render.done
    # queries at 0 and 5 s (throttled), 10, 15, 20, 25 s (RUNNING) and 30 s (SUCCEEDED)
    assert wan_mock.polls(task_id) == 7
    assert wan_mock.clock()["now"] - wan_mock.tasks()[0]["submitted_at"] == 30
    wan_mock.assert_no_invalid_requests()


def test_a_failed_render_raises_its_code(wan_mock: WanMock) -> None:
    wan_mock.fail_next("InternalError")
    task_id = submit(wan_mock.client, "A kitten runs in the moonlight")
    wan_mock.finish()

    with pytest.raises(RenderError) as failed:
        check(wan_mock.client, task_id)

    assert failed.value.code == "InternalError"


def test_a_refused_submit_raises(wan_mock: WanMock) -> None:
    wan_mock.reject_next("DataInspectionFailed")

    with pytest.raises(RenderError) as refused:
        submit(wan_mock.client, "A kitten runs in the moonlight")

    assert refused.value.code == "DataInspectionFailed"
    assert wan_mock.tasks() == []


@pytest.mark.parametrize("scenario", ["download=drop:10000:once", "download=drop:10000"])
def test_a_broken_download_is_resumed(wan_mock: WanMock, tmp_path: Path, scenario: str) -> None:
    # the connection closes after 10,000 bytes of the body: of the first download only, or of
    # every download (so the app gets the file in pieces)
    wan_mock.queue_scenario(scenario)
    task_id = submit(wan_mock.client, "A kitten runs in the moonlight")
    wan_mock.finish()
    url = check(wan_mock.client, task_id).video_url
    assert url is not None

    size = download(wan_mock.http, url, tmp_path / "clip.mp4")

    video = (tmp_path / "clip.mp4").read_bytes()
    assert size == len(video) == int(wan_mock.http.head(url).headers["Content-Length"])
    assert video[4:8] == b"ftyp"
    [task] = wan_mock.tasks()
    assert task["downloads"] == (2 if scenario.endswith(":once") else -(-size // 10_000))


@pytest.mark.wan_mock(latency="0.5")
def test_latency_is_spent_on_the_mock_clock(wan_mock: WanMock) -> None:
    start = wan_mock.clock()["now"]

    task_id = submit(wan_mock.client, "A kitten runs in the moonlight")
    assert wan_mock.clock()["now"] == start + 0.5  # the answer took 0.5 s of mock time
    wait(wan_mock.client, task_id, interval=1, sleep=wan_mock.advance)

    polls = wan_mock.polls(task_id)
    # 0.5 s for every answer (the submit's and each query's) and 1 s between queries
    assert wan_mock.clock()["now"] - start == 0.5 * (1 + polls) + 1 * (polls - 1)
    wan_mock.assert_called("get_task", times=polls)


@pytest.mark.wan_mock(api_keys=["sk-app"])
def test_only_the_configured_key_is_accepted(wan_mock: WanMock) -> None:
    assert wan_mock.api_key == "sk-app"  # the key wan_mock.client and wan_mock.http send
    assert submit(wan_mock.client, "A kitten runs in the moonlight")

    refused = wan_mock.http.get("tasks", headers={"Authorization": "Bearer sk-someone-else"})

    assert refused.status_code == 401
    assert refused.json()["code"] == "InvalidApiKey"
    with pytest.raises(AssertionError, match="refused as invalid"):
        wan_mock.assert_no_invalid_requests()
