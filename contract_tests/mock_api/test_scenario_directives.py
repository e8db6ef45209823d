"""The scenarios tests need that the real service cannot give (issue 13), through the public
``wan_mock.WanMock`` (in process) and ``wan_mock.WanMockServer`` (a served mock):

progress by polls (``pending_polls``/``running_polls``, ``--progress polls:N,M``), transient
failures of the task endpoint (``query_fail``), latency (``latency``, ``seed``, ``--latency``)
and broken downloads (``download``); scenarios queued for any key; ``finish``.
"""

from __future__ import annotations

import itertools
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from contract_tests.support.mock import body_for
from wan_mock import ControlError, WanMock, WanMockServer
from wan_mock._spec._documents import load_control_spec, load_spec

SUBMIT = "/services/aigc/video-generation/video-synthesis"
ASYNC = {"X-DashScope-Async": "enable"}


@pytest.fixture
def mock() -> Iterator[WanMock]:
    with WanMock() as mock:
        yield mock


def _submit(mock: WanMock | WanMockServer, scenario: str | None = None, **headers: str) -> str:
    sent = {**ASYNC, **headers}
    if scenario is not None:
        sent["X-Mock-Scenario"] = scenario
    if isinstance(mock, WanMock):
        response = mock.http.post(SUBMIT, json=body_for("t2v"), headers=sent)
    else:
        sent["Authorization"] = f"Bearer {mock.api_key}"
        response = httpx.post(mock.base_url + SUBMIT, json=body_for("t2v"), headers=sent)
    assert response.status_code == 200, response.text
    task_id = response.json()["output"]["task_id"]
    assert isinstance(task_id, str)
    return task_id


def _query(mock: WanMock, task_id: str) -> httpx.Response:
    return mock.http.get(f"/tasks/{task_id}")


def _status(mock: WanMock, task_id: str) -> str:
    response = _query(mock, task_id)
    assert response.status_code == 200, response.text
    return str(response.json()["output"]["task_status"])


def _video_url(mock: WanMock, task_id: str) -> str:
    mock.finish()
    output = _query(mock, task_id).json()["output"]
    assert output["task_status"] == "SUCCEEDED"
    return str(output["video_url"])


# ---------------------------------------------------------------------- progress by polls
@pytest.mark.parametrize(("pending", "running"), [(0, 0), (2, 0), (0, 3), (2, 3)])
def test_a_task_moves_by_its_queries_whatever_the_clock_says(
    mock: WanMock, pending: int, running: int
) -> None:
    task_id = _submit(mock, f"pending_polls={pending}; running_polls={running}")
    mock.advance(86_000)  # a day of clock changes nothing

    seen = [_status(mock, task_id) for _ in range(pending + running + 2)]

    assert seen == ["PENDING"] * pending + ["RUNNING"] * running + ["SUCCEEDED"] * 2
    assert mock.polls(task_id) == pending + running + 2


def test_either_polls_directive_alone_sets_the_other_to_zero(mock: WanMock) -> None:
    running_only = _submit(mock, "running_polls=1")
    pending_only = _submit(mock, "pending_polls=1")

    assert [_status(mock, running_only) for _ in range(2)] == ["RUNNING", "SUCCEEDED"]
    assert [_status(mock, pending_only) for _ in range(2)] == ["PENDING", "SUCCEEDED"]


def test_a_task_waiting_for_polls_keeps_its_outcome_and_may_be_canceled(mock: WanMock) -> None:
    failing = _submit(mock, "pending_polls=0; fail=DataInspectionFailed")
    waiting = _submit(mock, "pending_polls=5")

    output = _query(mock, failing).json()["output"]
    canceled = mock.http.post(f"/tasks/{waiting}/cancel")

    assert (output["task_status"], output["code"]) == ("FAILED", "DataInspectionFailed")
    assert canceled.status_code == 200
    assert _status(mock, waiting) == "CANCELED"


def test_the_dump_shows_no_times_for_a_task_waiting_for_polls(mock: WanMock) -> None:
    task_id = _submit(mock, "pending_polls=1; running_polls=1")
    (before,) = mock.tasks()
    _status(mock, task_id)
    _status(mock, task_id)
    (running,) = mock.tasks()

    assert (before["start_at"], before["end_at"], before["polls"]) == (None, None, 0)
    assert running["start_at"] == mock.clock()["now"]
    assert (running["end_at"], running["status"], running["polls"]) == (None, "RUNNING", 2)


def test_finish_leaves_tasks_progressing_by_polls_to_their_queries(mock: WanMock) -> None:
    by_clock = _submit(mock, "pending=30; running=60")
    by_polls = _submit(mock, "pending_polls=1")
    before = mock.clock()["now"]

    finished = mock.finish()

    assert finished["now"] == before + 90
    assert finished["waiting_for_polls"] == [by_polls]
    assert _status(mock, by_clock) == "SUCCEEDED"
    assert _status(mock, by_polls) == "PENDING"


def test_finish_with_nothing_unfinished_leaves_the_clock_alone(mock: WanMock) -> None:
    before = mock.clock()["now"]
    assert mock.finish() == {"now": before, "frozen": True, "waiting_for_polls": []}


def test_a_server_wide_progress_by_polls_applies_to_tasks_without_their_own() -> None:
    with WanMock(progress="polls:1,1") as mock:
        default = _submit(mock)
        own_polls = _submit(mock, "pending_polls=0")
        own_time = _submit(mock, "pending=0; running=0")

        assert [_status(mock, default) for _ in range(3)] == ["PENDING", "RUNNING", "SUCCEEDED"]
        assert _status(mock, own_polls) == "SUCCEEDED"
        assert _status(mock, own_time) == "SUCCEEDED"


def test_tasks_progressing_by_polls_are_not_queued_behind_each_other() -> None:
    with WanMock(profile="realistic", rate_limits=True) as mock:
        tasks = [_submit(mock, "pending_polls=0") for _ in range(3)]

        assert [_status(mock, task_id) for task_id in tasks] == ["SUCCEEDED"] * 3


@pytest.mark.parametrize("progress", ["polls", "polls:1", "polls:a,b", "clock", "polls:-1,0"])
def test_a_malformed_progress_is_refused(progress: str) -> None:
    with pytest.raises(ValueError, match=r"progress|polls"):
        WanMock(progress=progress)


# ---------------------------------------------------------------------- transient failures
@pytest.mark.parametrize(
    ("code", "status"),
    [
        ("ModelUnavailable", 503),
        ("GatewayTimeout", 504),
        ("InternalError", 500),
        ("Throttling", 429),
        ("Throttling.RateQuota", 429),
    ],
)
def test_query_fail_answers_the_next_queries_with_a_transient_error(
    mock: WanMock, code: str, status: int
) -> None:
    task_id = _submit(mock, f"query_fail={code}*2; pending_polls=0")
    errors = {**load_spec().errors, **load_control_spec().errors}

    failed = [_query(mock, task_id) for _ in range(2)]

    for response in failed:
        assert response.status_code == status
        body = response.json()
        assert (body["code"], body["message"]) == (code, errors[code].message)
        assert body["request_id"] == response.headers["X-Request-ID"]
    assert _status(mock, task_id) == "SUCCEEDED"  # failures do not count as progress
    assert mock.polls(task_id) == 3


def test_query_fail_without_a_count_fails_one_query(mock: WanMock) -> None:
    task_id = _submit(mock, "query_fail=InternalError")

    assert _query(mock, task_id).status_code == 500
    assert _status(mock, task_id) == "PENDING"


def test_an_injected_failure_is_journaled_as_injected(mock: WanMock) -> None:
    task_id = _submit(mock, "query_fail=ModelUnavailable")
    _query(mock, task_id)

    (entry,) = mock.journal("get_task")

    assert (entry["status"], entry["code"], entry["injected"]) == (503, "ModelUnavailable", True)
    mock.assert_no_invalid_requests()


@pytest.mark.parametrize(
    ("scenario", "message"),
    [
        ("query_fail=InvalidParameter", "'InvalidParameter' is not a transient error"),
        ("query_fail=InternalError.Timeout", "'InternalError.Timeout' is not a transient error"),
        ("query_fail=Teapot", "query_fail: unknown error code 'Teapot'"),
        ("query_fail=InternalError*0", "query_fail: '0' must be in [1, 1000]"),
        ("query_fail=InternalError*x", "query_fail: 'x' is not a whole number"),
        ("pending_polls=-1", "pending_polls: '-1' is not a whole number"),
        ("running_polls=1.5", "running_polls: '1.5' is not a whole number"),
        ("latency=soon", "latency: 'soon' is not a number of seconds"),
        ("latency=301", "latency: '301' must be at most 300"),
        ("seed=x", "seed: 'x' is not a whole number"),
        ("download=explode:10", "download: 'explode' is not drop or truncate"),
        ("download=drop:ten", "download: 'ten' is not a whole number"),
        ("download=drop:10:twice", "download: 'twice' is not once"),
    ],
)
def test_a_malformed_new_directive_is_a_400_naming_it(
    mock: WanMock, scenario: str, message: str
) -> None:
    response = mock.http.post(
        SUBMIT, json=body_for("t2v"), headers={**ASYNC, "X-Mock-Scenario": scenario}
    )

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "InvalidParameter"
    assert body["message"].startswith("X-Mock-Scenario ")
    assert message in body["message"]
    assert mock.tasks() == []


# ---------------------------------------------------------------------- latency
def test_latency_delays_every_answer_about_the_task_on_the_manual_clock(mock: WanMock) -> None:
    start = mock.clock()["now"]
    task_id = _submit(mock, "latency=2; pending_polls=0")
    after_submit = mock.clock()["now"]
    _status(mock, task_id)
    after_query = mock.clock()["now"]
    _submit(mock)  # another task: no latency of its own, none on the server

    assert (after_submit - start, after_query - after_submit) == (2.0, 2.0)
    assert mock.clock()["now"] == after_query


def test_a_latency_range_is_drawn_from_its_seed_the_same_on_every_run() -> None:
    def delays(seed: int) -> list[float]:
        with WanMock() as mock:
            task_id = _submit(mock, f"latency=1-3; seed={seed}; pending_polls=0")
            moments = [mock.clock()["now"]]
            for _ in range(5):
                _query(mock, task_id)
                moments.append(mock.clock()["now"])
            return [after - before for before, after in itertools.pairwise(moments)]

    first, again, other = delays(7), delays(7), delays(8)

    assert first == again
    assert first != other
    assert all(1 <= delay <= 3 for delay in first)
    assert len(set(first)) > 1


def test_a_server_wide_latency_delays_every_api_answer_without_its_own() -> None:
    with WanMock(latency="0.5") as mock:
        start = mock.clock()["now"]
        task_id = _submit(mock)
        mock.http.get("/tasks/unknown-task")
        _submit(mock, "latency=3")
        refused = mock.http.get(f"/tasks/{task_id}", headers={"Authorization": ""})

        assert refused.status_code == 401
        assert mock.clock()["now"] - start == 0.5 + 0.5 + 3 + 0.5


def test_a_served_latency_holds_the_answer_past_a_client_timeout() -> None:
    with WanMockServer(latency="2") as server, httpx.Client(timeout=0.2) as http:
        with pytest.raises(httpx.ReadTimeout):
            http.get(
                server.base_url + "/tasks/any",
                headers={"Authorization": f"Bearer {server.api_key}"},
            )
        server.assert_called("get_task", times=1)


# ---------------------------------------------------------------------- broken downloads
def test_a_dropped_download_breaks_once_then_resumes_with_range(mock: WanMock) -> None:
    url = _video_url(mock, _submit(mock, "download=drop:1000:once"))

    with pytest.raises(httpx.RemoteProtocolError):
        mock.http.get(url)
    rest = mock.http.get(url, headers={"Range": "bytes=1000-"})
    whole = mock.http.get(url)

    assert rest.status_code == 206
    assert len(rest.content) == len(whole.content) - 1000
    assert whole.content.endswith(rest.content)
    assert (mock.tasks()[0]["downloads"], whole.content[4:8]) == (3, b"ftyp")


def test_a_download_that_always_drops_still_arrives_piece_by_piece(mock: WanMock) -> None:
    url = _video_url(mock, _submit(mock, "download=drop:40000"))
    received = b""
    attempts = 0
    while True:
        attempts += 1
        try:
            with mock.http.stream(
                "GET", url, headers={"Range": f"bytes={len(received)}-"}
            ) as answer:
                assert answer.status_code == 206
                total = int(answer.headers["Content-Range"].rsplit("/", 1)[1])
                for chunk in answer.iter_bytes():
                    received += chunk
        except httpx.RemoteProtocolError:
            continue
        break

    assert len(received) == total
    assert attempts == -(-total // 40000)
    assert received[4:8] == b"ftyp"


def test_a_truncated_download_is_short_and_says_so_consistently(mock: WanMock) -> None:
    url = _video_url(mock, _submit(mock, "download=truncate:500"))

    short = mock.http.get(url)
    ranged = mock.http.get(url, headers={"Range": "bytes=100-"})

    assert (short.status_code, len(short.content), short.headers["Content-Length"]) == (
        200,
        500,
        "500",
    )
    assert ranged.status_code == 206
    total = ranged.headers["Content-Range"].rsplit("/", 1)[1]
    assert ranged.headers["Content-Range"] == f"bytes 100-599/{total}"
    assert len(ranged.content) == 500


def test_a_head_request_neither_breaks_nor_counts_as_a_download(mock: WanMock) -> None:
    url = _video_url(mock, _submit(mock, "download=truncate:10:once"))

    head = mock.http.head(url)
    first = mock.http.get(url)
    second = mock.http.get(url)

    assert head.status_code == 200
    assert len(first.content) == 10
    assert len(second.content) == int(head.headers["Content-Length"])


def test_a_served_download_drop_closes_the_connection_mid_body() -> None:
    with WanMockServer() as server, httpx.Client() as http:
        task_id = _submit(server, "download=drop:2000:once; pending_polls=0")
        key = {"Authorization": f"Bearer {server.api_key}"}
        url = http.get(f"{server.base_url}/tasks/{task_id}", headers=key).json()["output"][
            "video_url"
        ]

        with pytest.raises(httpx.RemoteProtocolError):
            http.get(url)
        whole = http.get(url)

        assert whole.status_code == 200
        assert len(whole.content) == int(whole.headers["Content-Length"]) > 2000


# ---------------------------------------------------------------------- queued for any key
def _other_key(mock: WanMock, key: str) -> dict[str, Any]:
    response = mock.http.post(
        SUBMIT, json=body_for("t2v"), headers={**ASYNC, "Authorization": f"Bearer {key}"}
    )
    return dict(response.json())


def test_fail_next_without_a_key_applies_to_the_next_submit_of_any_key(mock: WanMock) -> None:
    mock.fail_next("InternalError")
    first = _other_key(mock, "sk-someone")["output"]["task_id"]
    second = _other_key(mock, "sk-someone")["output"]["task_id"]
    mock.finish()

    outcomes = {task["task_id"]: task["outcome"] for task in mock.tasks()}
    assert (outcomes[first], outcomes[second]) == ("FAILED", "SUCCEEDED")


def test_reject_next_for_a_key_leaves_other_keys_alone(mock: WanMock) -> None:
    mock.reject_next("Throttling", count=2, api_key="sk-mine")

    theirs = _other_key(mock, "sk-theirs")
    mine = [_other_key(mock, "sk-mine") for _ in range(3)]

    assert "output" in theirs
    assert [answer.get("code") for answer in mine] == ["Throttling", "Throttling", None]


def test_a_keys_own_queue_and_the_any_key_queue_are_taken_oldest_first(mock: WanMock) -> None:
    mock.fail_next("InternalError")
    mock.fail_next("DataInspectionFailed", api_key="sk-mine")
    first = _other_key(mock, "sk-mine")["output"]["task_id"]
    second = _other_key(mock, "sk-mine")["output"]["task_id"]
    mock.finish()

    codes = {task["task_id"]: task["code"] for task in mock.tasks()}
    assert (codes[first], codes[second]) == ("InternalError", "DataInspectionFailed")


def test_the_any_key_queue_is_listed_under_a_star(mock: WanMock) -> None:
    mock.queue_scenario("pending_polls=1", count=2)

    listed = mock.http.get(mock.base_url.replace("/api/v1", "/__mock/scenarios")).json()

    assert listed == {"scenarios": [{"key_id": "*", "scenario": "pending_polls=1"}] * 2}


def test_a_control_refusal_is_a_control_error_naming_the_value(mock: WanMock) -> None:
    with pytest.raises(ControlError, match="unknown error code 'Nope'"):
        mock.fail_next("Nope")
    with pytest.raises(ControlError, match="seconds"):
        mock.advance(-1)


# ---------------------------------------------------------------------- polls of any task
def test_the_polls_of_a_task_following_the_clock_are_counted_too(mock: WanMock) -> None:
    task_id = _submit(mock)
    other = _submit(mock)
    for _ in range(3):
        _status(mock, task_id)
    mock.http.get(f"/tasks/{task_id}", headers={"Authorization": "Bearer sk-someone-else"})

    assert (mock.polls(task_id), mock.polls(other)) == (3, 0)


def test_a_served_mock_counts_polls_as_they_happen() -> None:
    with WanMockServer() as server, httpx.Client() as http:
        task_id = _submit(server)
        key = {"Authorization": f"Bearer {server.api_key}"}
        counts = []
        for _ in range(3):
            http.get(f"{server.base_url}/tasks/{task_id}", headers=key)
            counts.append(server.polls(task_id))

        assert counts == [1, 2, 3]


# ---------------------------------------------------------------------- wan-mock serve's flags
def test_served_progress_by_polls_is_every_tasks_default() -> None:
    with WanMockServer(progress="polls:1,0") as server, httpx.Client() as http:
        task_id = _submit(server)
        key = {"Authorization": f"Bearer {server.api_key}"}
        seen = [
            http.get(f"{server.base_url}/tasks/{task_id}", headers=key).json()["output"][
                "task_status"
            ]
            for _ in range(2)
        ]

        assert seen == ["PENDING", "SUCCEEDED"]


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--progress", "polls:x"], "Invalid value for '--progress': progress 'polls:x' is not"),
        (["--latency", "5-a"], "Invalid value for '--latency': 'a' is not a number of seconds"),
        (["--latency", "400"], "Invalid value for '--latency': '400' must be at most 300"),
    ],
)
def test_serve_refuses_a_progress_or_latency_it_cannot_use(flags: list[str], message: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "wan_mock", "serve", "--port", "0", *flags],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert done.returncode == 2
    assert message in done.stderr
    assert "Traceback" not in done.stderr
