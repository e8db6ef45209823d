"""The plugin's fixtures used in this suite itself, as a user's test would (the child-process
runs of ``test_plugin.py`` cover sessions, xdist and restoring the SDK)."""

from __future__ import annotations

import os

import dashscope
import pytest
from dashscope import VideoSynthesis

from wan_mock import WanMock, WanMockServer


def test_the_in_process_fixture_is_a_running_wan_mock(wan_mock: WanMock) -> None:
    answer = wan_mock.http.get("/tasks/unknown")

    assert answer.json()["output"]["task_status"] == "UNKNOWN"
    wan_mock.assert_called("get_task", times=1)


@pytest.mark.wan_mock(api_keys=["sk-marked"], progress="polls:1,0")
def test_the_marker_configures_the_in_process_fixture(wan_mock: WanMock) -> None:
    assert wan_mock.api_key == "sk-marked"
    assert wan_mock.progress is not None
    assert (wan_mock.progress.pending, wan_mock.progress.running) == (1, 0)


@pytest.mark.wan_mock(progress="polls:0,0")
def test_the_server_fixture_points_the_sdk_at_a_reset_server(
    wan_mock_server: WanMockServer,
) -> None:
    assert dashscope.base_http_api_url == wan_mock_server.base_url
    assert os.environ["DASHSCOPE_HTTP_BASE_URL"] == wan_mock_server.base_url
    assert wan_mock_server.tasks() == []

    submitted = VideoSynthesis.async_call(model="wan2.2-t2v-plus", prompt="a cat")
    done = VideoSynthesis.wait(submitted)

    assert done.output.task_status == "SUCCEEDED"
    assert wan_mock_server.polls(submitted.output.task_id) == 1


@pytest.mark.wan_mock(colour="red")
def test_an_unknown_marker_option_is_a_usage_error(request: pytest.FixtureRequest) -> None:
    with pytest.raises(pytest.UsageError, match="unknown option"):
        request.getfixturevalue("wan_mock")
