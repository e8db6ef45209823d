"""The pytest plugin, as a user's suite meets it: each file here is run by pytest in a child
process (``pytester``) with only the installed entry point — no conftest of ours.

Covered: both fixtures, the marker (and its refusals), one server per configuration per session
reset before each test, the official SDK pointed at the server and restored, a user's own key
kept, servers gone after the session (a failing test included), pytest-xdist workers with a
server each, and the SDK's async path.
"""

from __future__ import annotations

import json
import os
import textwrap
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


def _run(pytester: pytest.Pytester, source: str, *args: str) -> pytest.RunResult:
    pytester.makepyfile(test_user=textwrap.dedent(source))
    return pytester.runpytest_subprocess("-p", "no:cacheprovider", "-q", *args, timeout=300)


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def test_the_in_process_fixture_is_a_fresh_wan_mock_per_test(pytester: pytest.Pytester) -> None:
    result = _run(
        pytester,
        """
        import pytest
        from wan_mock import WanMock
        from wan_video_client.api.tasks import get_task

        SUBMIT = "/services/aigc/video-generation/video-synthesis"
        BODY = {"model": "wan2.2-t2v-plus", "input": {"prompt": "a cat"}}

        def test_first(wan_mock):
            assert isinstance(wan_mock, WanMock)
            answer = wan_mock.http.post(SUBMIT, json=BODY, headers={"X-DashScope-Async": "enable"})
            task_id = answer.json()["output"]["task_id"]
            wan_mock.finish()
            parsed = get_task.sync(task_id, client=wan_mock.client)
            assert parsed.output.task_status == "SUCCEEDED"
            wan_mock.assert_called("create_video_synthesis_task", times=1)

        def test_second_sees_nothing_of_the_first(wan_mock):
            assert wan_mock.tasks() == [] and wan_mock.journal() == []

        @pytest.mark.wan_mock(api_keys=["sk-only"])
        def test_the_marker_configures_it(wan_mock):
            assert wan_mock.api_key == "sk-only"
            refused = wan_mock.http.get("/tasks/x", headers={"Authorization": "Bearer sk-other"})
            assert refused.status_code == 401
        """,
    )
    result.assert_outcomes(passed=3)


_SERVER_SUITE = """
import json, os, time
import pytest
import dashscope
from dashscope import VideoSynthesis

ORIGINAL = dashscope.base_http_api_url
SEEN = []

def _record(server):
    SEEN.append(server.pid)
    with open(os.environ["RECORD"], "w") as out:
        json.dump({"pids": SEEN, "original": ORIGINAL}, out)

def test_one_leaves_things_behind(wan_mock_server):
    _record(wan_mock_server)
    assert dashscope.base_http_api_url == wan_mock_server.base_url
    assert os.environ["DASHSCOPE_HTTP_BASE_URL"] == wan_mock_server.base_url
    wan_mock_server.queue_scenario("pending_polls=1; running_polls=1")
    wan_mock_server.fail_next("InternalError", count=5)
    wan_mock_server.advance(3600)
    rsp = VideoSynthesis.async_call(model="wan2.2-t2v-plus", prompt="a cat")
    assert rsp.status_code == 200, rsp

def test_two_starts_clean_on_the_same_server(wan_mock_server):
    _record(wan_mock_server)
    assert wan_mock_server.tasks() == [] and wan_mock_server.journal() == []
    clock = wan_mock_server.clock()  # back to real time: the hour advanced is forgotten
    assert abs(clock["now"] - time.time()) < 600 and not clock["frozen"]
    rsp = VideoSynthesis.async_call(model="wan2.2-t2v-plus", prompt="a cat")
    wan_mock_server.finish()
    done = VideoSynthesis.fetch(rsp)
    assert done.output.task_status == "SUCCEEDED", done  # the queued failures were forgotten

def test_three_without_the_fixture_sees_the_sdk_restored():
    assert dashscope.base_http_api_url == ORIGINAL
    assert "DASHSCOPE_HTTP_BASE_URL" not in os.environ

@pytest.mark.wan_mock(api_keys=["sk-marked"], progress="polls:0,1")
def test_four_another_configuration_another_server(wan_mock_server):
    _record(wan_mock_server)
    assert wan_mock_server.api_key == "sk-marked"
    assert dashscope.api_key == os.environ["DASHSCOPE_API_KEY"] == "sk-marked"
    rsp = VideoSynthesis.async_call(model="wan2.2-t2v-plus", prompt="a cat")
    done = VideoSynthesis.wait(rsp)  # RUNNING once, then SUCCEEDED: two polls, one pause
    assert done.output.task_status == "SUCCEEDED"
    assert wan_mock_server.polls(rsp.output.task_id) == 2

def test_five_fails_and_still_leaves_no_process(wan_mock_server):
    _record(wan_mock_server)
    assert False, "a failing test"
"""


def test_the_server_fixture_is_shared_reset_and_points_the_sdk(
    pytester: pytest.Pytester, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    record = tmp_path / "record.json"
    monkeypatch.setenv("RECORD", str(record))
    monkeypatch.delenv("DASHSCOPE_API_KEY", raising=False)
    monkeypatch.delenv("DASHSCOPE_HTTP_BASE_URL", raising=False)

    result = _run(pytester, _SERVER_SUITE)

    result.assert_outcomes(passed=4, failed=1)
    pids = json.loads(record.read_text())["pids"]
    assert pids[0] == pids[1] == pids[3]  # one server for the default configuration
    assert pids[2] != pids[0]  # the marked configuration has its own
    assert all(_gone(pid) for pid in pids)


def test_a_key_the_user_set_is_kept(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DASHSCOPE_API_KEY", "sk-users-own")
    result = _run(
        pytester,
        """
        import os
        import dashscope

        def test_key(wan_mock_server):
            assert os.environ["DASHSCOPE_API_KEY"] == "sk-users-own"
            assert dashscope.api_key == "sk-users-own"
            assert dashscope.base_http_api_url == wan_mock_server.base_url
        """,
    )
    result.assert_outcomes(passed=1)


@pytest.mark.parametrize(
    ("marker", "message"),
    [
        ("@pytest.mark.wan_mock(colour='red')", "unknown option(s) colour"),
        ("@pytest.mark.wan_mock('fast')", "takes keyword arguments only"),
    ],
)
def test_a_marker_it_cannot_use_is_a_usage_error(
    pytester: pytest.Pytester, marker: str, message: str
) -> None:
    result = _run(
        pytester,
        f"""
        import pytest

        {marker}
        def test_marked(wan_mock):
            pass
        """,
    )
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines([f"*{message}*"])


def test_the_marker_is_registered(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest_subprocess("--markers")
    result.stdout.fnmatch_lines(["@pytest.mark.wan_mock(*configure the wan_mock*"])


def test_each_xdist_worker_has_its_own_server(
    pytester: pytest.Pytester, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RECORD_DIR", str(tmp_path))
    result = _run(
        pytester,
        """
        import os
        import pytest

        @pytest.mark.parametrize("n", range(6))
        def test_pid(wan_mock_server, n, worker_id):
            path = os.path.join(os.environ["RECORD_DIR"], worker_id)
            with open(path, "a") as out:
                out.write(f"{wan_mock_server.pid}\\n")
            assert wan_mock_server.tasks() == []
        """,
        "-n",
        "2",
    )
    result.assert_outcomes(passed=6)
    by_worker = {
        path.name: set(path.read_text().split()) for path in tmp_path.iterdir() if path.is_file()
    }
    assert sorted(by_worker) == ["gw0", "gw1"]
    assert all(len(pids) == 1 for pids in by_worker.values())
    assert by_worker["gw0"] != by_worker["gw1"]
    assert all(_gone(int(pid)) for pids in by_worker.values() for pid in pids)


def test_the_sdks_async_path_reaches_the_server(pytester: pytest.Pytester) -> None:
    result = _run(
        pytester,
        """
        import asyncio
        import pytest
        from dashscope.aigc.video_synthesis import AioVideoSynthesis

        @pytest.mark.wan_mock(progress="polls:0,0")
        def test_async(wan_mock_server):
            rsp = asyncio.run(AioVideoSynthesis.call(model="wan2.2-t2v-plus", prompt="a cat"))
            assert rsp.output.task_status == "SUCCEEDED", rsp
            wan_mock_server.assert_called("create_video_synthesis_task", times=1)
            wan_mock_server.assert_called("get_task", times=1)
            wan_mock_server.assert_no_invalid_requests()
        """,
        "-W",
        "ignore::ResourceWarning",
    )
    result.assert_outcomes(passed=1)
