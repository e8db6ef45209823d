"""A tour of ``wan_mock``'s public API, one name at a time, with plain ``httpx``.

``sdk_app`` and ``client_app`` show the mock as a real app's tests use it; this file is the
reference: ``WanMock`` and ``WanMockServer`` as context managers, every option and control
method, ``ControlError``, both fixtures and every option of ``@pytest.mark.wan_mock``.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from wan_mock import ControlError, WanMock, WanMockServer

SUBMIT = "services/aigc/video-generation/video-synthesis"
ASYNC = {"X-DashScope-Async": "enable"}  # what every submit needs
T2V: dict[str, Any] = {
    "model": "wan2.2-t2v-plus",
    "input": {"prompt": "A kitten runs in the moonlight"},
    "parameters": {"size": "832*480"},
}


def submit(http: httpx.Client, scenario: str | None = None) -> str:
    """A text-to-video task; ``scenario`` goes in the ``X-Mock-Scenario`` header."""
    headers = ASYNC if scenario is None else {**ASYNC, "X-Mock-Scenario": scenario}
    answer = http.post(SUBMIT, json=T2V, headers=headers)
    assert answer.status_code == 200, answer.text
    return str(answer.json()["output"]["task_id"])


def status(http: httpx.Client, task_id: str) -> str:
    return str(http.get(f"tasks/{task_id}").json()["output"]["task_status"])


def test_wan_mock_in_process() -> None:
    with WanMock(api_keys=["sk-tour"]) as mock:
        assert mock.api_key == "sk-tour"  # what mock.http and mock.client send
        assert mock.base_url.endswith("/api/v1")
        assert mock.clock()["frozen"]  # a manual clock: it moves when told to
        mock.freeze()  # (no-ops in process, for code shared with a server)
        mock.unfreeze()

        task_id = submit(mock.http)
        assert status(mock.http, task_id) == "PENDING"
        before = mock.clock()["now"]
        mock.advance(0.5)  # the fast profile: 0.5 s PENDING, then 1 s RUNNING
        assert mock.clock()["now"] == before + 0.5
        assert status(mock.http, task_id) == "RUNNING"
        assert mock.finish()["waiting_for_polls"] == []
        assert status(mock.http, task_id) == "SUCCEEDED"
        assert mock.polls(task_id) == 3

        mock.fail_next("InternalError")
        mock.reject_next("Throttling", api_key="sk-tour")  # only this key's next submit
        failed = submit(mock.http)  # the scenarios queue in order: this one fails
        assert mock.http.post(SUBMIT, json=T2V, headers=ASYNC).status_code == 429
        mock.finish()
        assert mock.http.get(f"tasks/{failed}").json()["output"]["code"] == "InternalError"

        assert [task["status"] for task in mock.tasks()] == ["SUCCEEDED", "FAILED"]
        mock.assert_called("create_video_synthesis_task", times=3)
        with pytest.raises(AssertionError, match="expected cancel_task to be called"):
            mock.assert_called("cancel_task")
        newest = mock.journal(operation="create_video_synthesis_task")[0]  # newest first
        assert (newest["status"], newest["code"], newest["injected"]) == (429, "Throttling", True)
        assert len(mock.journal(task_id=task_id)) == 4  # its submit and three queries
        mock.assert_no_invalid_requests()  # what a scenario injected is not the client's fault

        with pytest.raises(ControlError, match="unknown error code 'Nope'"):
            mock.fail_next("Nope")
        mock.reset()
        assert mock.tasks() == mock.journal() == []


def test_wan_mock_options() -> None:
    with WanMock(progress="polls:1,0", latency="0.25") as mock:
        task_id = submit(mock.http)
        assert mock.clock()["now"] - mock.tasks()[0]["submitted_at"] == 0.25
        assert status(mock.http, task_id) == "PENDING"  # one query PENDING…
        assert status(mock.http, task_id) == "SUCCEEDED"  # …then done, whatever the clock
        assert mock.finish()["waiting_for_polls"] == []
    with WanMock(rate_limits=True) as mock:  # wan2.2 models: 2 submits a second
        submit(mock.http)
        submit(mock.http)
        assert mock.http.post(SUBMIT, json=T2V, headers=ASYNC).status_code == 429
        mock.assert_no_invalid_requests()  # a rate limit is not an invalid request
    with WanMock(profile="realistic") as mock:  # minutes of queueing and running
        task_id = submit(mock.http)
        mock.finish()
        assert mock.clock()["now"] - mock.tasks()[0]["submitted_at"] > 60


def test_wan_mock_server_over_loopback() -> None:
    with WanMockServer(api_keys=["sk-tour"], progress="polls:0,1", latency="0.01") as server:
        assert server.base_url.startswith("http://127.0.0.1:")
        headers = {"Authorization": f"Bearer {server.api_key}"}
        with httpx.Client(base_url=server.base_url + "/", headers=headers) as http:
            task_id = submit(http)
            assert status(http, task_id) == "RUNNING"
            assert status(http, task_id) == "SUCCEEDED"
            assert server.polls(task_id) == 2

            server.freeze()  # the server's clock follows real time until frozen
            now = server.clock()["now"]
            timed = submit(http, "pending=1; running=1")  # its own timing: by the clock
            assert status(http, timed) == "PENDING"
            server.advance(1)
            assert server.clock()["now"] == now + 1
            assert status(http, timed) == "RUNNING"
            assert server.finish()["waiting_for_polls"] == []
            assert status(http, timed) == "SUCCEEDED"
            server.unfreeze()
            assert not server.clock()["frozen"]

            server.queue_scenario("query_fail=InternalError")
            flaky = submit(http)
            assert http.get(f"tasks/{flaky}").status_code == 500
            server.assert_called("get_task", times=6)
            server.assert_no_invalid_requests()
            server.reset()
            assert server.tasks() == []


@pytest.mark.wan_mock(profile="realistic", rate_limits=False, progress="time", latency="0")
def test_the_marker_configures_the_in_process_fixture(wan_mock: WanMock) -> None:
    for _ in range(5):  # more than the RPS limit, which is off
        submit(wan_mock.http)
    wan_mock.finish()
    assert {task["status"] for task in wan_mock.tasks()} == {"SUCCEEDED"}


@pytest.mark.wan_mock(api_keys=["sk-tour"], progress="polls:0,0")
def test_the_marker_configures_the_server_fixture(wan_mock_server: WanMockServer) -> None:
    headers = {"Authorization": f"Bearer {wan_mock_server.api_key}"}
    with httpx.Client(base_url=wan_mock_server.base_url + "/", headers=headers) as http:
        task_id = submit(http)
        assert status(http, task_id) == "SUCCEEDED"
    wan_mock_server.assert_called("get_task", times=1)
