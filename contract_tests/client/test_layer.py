"""``wan_video``, the typed layer over the generated client, against the mock in process.

Every behaviour test runs twice: on ``WanClient`` and on ``AsyncWanClient`` (driven by
``Blocking``, on one event loop per test). Lifecycles move on the mock's clock: the clients get
``wan_mock.advance`` as their sleep, so no test waits.
"""

from __future__ import annotations

import math
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from PIL import Image

from contract_tests.support.paths import ROOT
from contract_tests.support.wan_video import KINDS, RETRY, Clients, Flaky
from wan_mock import WanMock
from wan_video import (
    PollSchedule,
    RetryPolicy,
    SucceededTask,
    Task,
    UnknownModelWarning,
    WanClient,
    errors,
)
from wan_video._http import ClientTransport
from wan_video._spec import SPEC
from wan_video_client.models import (
    TextToVideoInput,
    TextToVideoParameters,
    TextToVideoRequest,
    TextToVideoRequestModel,
    VideoSize,
)

IMAGE = "https://example.com/frame.png"
VIDEO = "https://example.com/clip.mp4"
SUBMIT = "create_video_synthesis_task"
KEYFRAME = "create_keyframe_video_task"

#: variant -> (the call, the operation it is submitted by, the input.function sent)
VARIANTS: dict[str, tuple[Callable[[WanClient], Task], str, str | None]] = {
    "text_to_video": (
        lambda c: c.text_to_video("A kitten runs", size="1280*720", duration=5),
        SUBMIT,
        None,
    ),
    "image_to_video": (
        lambda c: c.image_to_video(IMAGE, "A kitten runs", resolution="720P"),
        SUBMIT,
        None,
    ),
    "first_last_frame": (lambda c: c.first_last_frame(IMAGE, IMAGE, "A kitten"), KEYFRAME, None),
    "image_reference": (
        lambda c: c.image_reference("A kitten", [IMAGE, IMAGE], obj_or_bg=["obj", "bg"]),
        SUBMIT,
        "image_reference",
    ),
    "video_repainting": (
        lambda c: c.video_repainting("A kitten", VIDEO, "depth", strength=0.5),
        SUBMIT,
        "video_repainting",
    ),
    "video_edit": (
        lambda c: c.video_edit("A kitten", VIDEO, mask_image_url=IMAGE, mask_type="fixed"),
        SUBMIT,
        "video_edit",
    ),
    "video_extension": (
        lambda c: c.video_extension("A kitten", first_clip_url=VIDEO),
        SUBMIT,
        "video_extension",
    ),
    "video_outpainting": (
        lambda c: c.video_outpainting("A kitten", VIDEO, top_scale=1.5, seed=7),
        SUBMIT,
        "video_outpainting",
    ),
}


@pytest.fixture(params=KINDS)
def clients(request: pytest.FixtureRequest) -> Iterator[Clients]:
    made = Clients(str(request.param))
    yield made
    made.close()


@pytest.fixture
def client(clients: Clients, wan_mock: WanMock) -> WanClient:
    return clients.on_mock(wan_mock)


def _refused(client: WanClient, call: Callable[[WanClient], object]) -> errors.APIError:
    with pytest.raises(errors.APIError) as raised:
        call(client)
    return raised.value


def _done(client: WanClient, wan_mock: WanMock, scenario: str | None = None) -> SucceededTask:
    if scenario:
        wan_mock.queue_scenario(scenario)
    return client.wait(client.text_to_video("A kitten", size="832*480"), timeout=600)


# ---------------------------------------------------------------------- every variant
@pytest.mark.parametrize("variant", VARIANTS)
def test_every_variant_submits_waits_and_downloads(
    client: WanClient, wan_mock: WanMock, variant: str, tmp_path: Path
) -> None:
    call, operation, function = VARIANTS[variant]

    task = call(client)
    done = client.wait(task.task_id, timeout=600)
    path = client.download(done.video_url, tmp_path / "clip.mp4")

    assert task.status == "PENDING"
    assert isinstance(done, SucceededTask)
    assert isinstance(done.video_url, str)
    assert (done.task_id, done.status) == (task.task_id, "SUCCEEDED")
    assert path == tmp_path / "clip.mp4"
    assert path.read_bytes()[4:8] == b"ftyp"
    [sent] = wan_mock.tasks()
    assert sent["request"]["input"].get("function") == function
    wan_mock.assert_called(operation, times=1)
    wan_mock.assert_no_invalid_requests()


def test_the_vace_model_and_the_base_url_follow_the_region() -> None:
    beijing = WanClient("sk-test", region="cn")
    singapore = WanClient("sk-test", region="intl")

    assert beijing.vace_model == "wanx2.1-vace-plus"
    assert singapore.vace_model == "wan2.1-vace-plus"
    assert (beijing.base_url, singapore.base_url) == (SPEC.servers["cn"], SPEC.servers["intl"])


def test_the_sent_body_holds_the_given_values_and_leaves_none_out(
    client: WanClient, wan_mock: WanMock
) -> None:
    client.text_to_video(
        "A kitten", size=VideoSize.S1280X720, duration=5, seed=7, negative_prompt=None
    )

    [task] = wan_mock.tasks()
    assert task["request"] == {
        "model": "wan2.5-t2v-preview",
        "input": {"prompt": "A kitten"},
        "parameters": {"size": "1280*720", "duration": 5, "seed": 7},
    }


def test_a_generated_request_model_is_submitted_as_it_is(
    client: WanClient, wan_mock: WanMock
) -> None:
    request = TextToVideoRequest(
        model=TextToVideoRequestModel.WAN2_2_T2V_PLUS,
        input_=TextToVideoInput(prompt="A kitten"),
        parameters=TextToVideoParameters(size=VideoSize.S832X480),
    )

    task = client.submit(request)

    assert task.status == "PENDING"
    assert wan_mock.tasks()[0]["request"] == request.to_dict()


def test_a_model_the_enum_does_not_know_is_sent_with_a_warning(
    client: WanClient, wan_mock: WanMock
) -> None:
    with pytest.warns(UnknownModelWarning, match="'wan9-t2v' is not a text_to_video model"):
        refused = _refused(client, lambda c: c.text_to_video("A kitten", model="wan9-t2v"))

    assert isinstance(refused, errors.InvalidParameterError)
    assert (refused.status, refused.code, refused.message) == (
        400,
        "InvalidParameter",
        "Model not exist.",
    )
    assert wan_mock.journal()[0]["operation"] == SUBMIT


def test_a_value_the_enum_does_not_hold_is_sent_and_the_service_answers(
    client: WanClient, wan_mock: WanMock
) -> None:
    refused = _refused(client, lambda c: c.text_to_video("A kitten", size="1000*1000"))

    assert isinstance(refused, errors.InvalidParameterError)
    assert "parameters.size" in refused.message
    assert refused.request_id


def test_a_size_the_model_does_not_offer_fails_the_task_with_its_code(
    client: WanClient, wan_mock: WanMock
) -> None:
    task = client.text_to_video("A kitten", model="wan2.2-t2v-plus", size="1280*720")

    with pytest.raises(errors.TaskFailed) as failed:
        client.wait(task)

    assert failed.value.code == "InvalidParameter"
    assert failed.value.message is not None
    assert failed.value.message.startswith("The size is not match")


# ---------------------------------------------------------------------- local files
def _png(path: Path, size: tuple[int, int]) -> Path:
    Image.new("RGB", size, (200, 30, 30)).save(path)
    return path


def test_a_local_image_is_sent_inline(client: WanClient, wan_mock: WanMock, tmp_path: Path) -> None:
    frame = _png(tmp_path / "frame.png", (640, 480))

    task = client.image_to_video(frame, "A kitten")
    keyframes = client.first_last_frame(str(frame), frame)

    sent = [t["request"]["input"] for t in wan_mock.tasks()]
    assert sent[0]["img_url"].startswith("data:image/png;base64,iVBOR")
    assert sent[1]["first_frame_url"] == sent[1]["last_frame_url"] == sent[0]["img_url"]
    assert client.wait(task).status == client.wait(keyframes).status == "SUCCEEDED"
    wan_mock.assert_no_invalid_requests()


@pytest.mark.parametrize(
    ("size", "message"),
    [
        ((200, 480), r"is 200x480 pixels; each side must be in \[360, 2000\]"),
        ((2100, 400), "2100x400"),
    ],
)
def test_a_local_image_outside_the_limits_is_refused_before_sending(
    client: WanClient, wan_mock: WanMock, tmp_path: Path, size: tuple[int, int], message: str
) -> None:
    frame = _png(tmp_path / "frame.png", size)

    with pytest.raises(errors.InvalidLocalFile, match=message) as refused:
        client.image_to_video(frame)

    assert str(refused.value).startswith("input.img_url: ")
    assert wan_mock.journal() == []


def test_a_local_file_that_is_no_image_of_the_formats_is_refused(
    client: WanClient, tmp_path: Path
) -> None:
    gif = tmp_path / "frame.gif"
    Image.new("RGB", (640, 480)).save(gif)

    with pytest.raises(errors.InvalidLocalFile, match="not an image in one of bmp, jpeg, jpg"):
        client.first_last_frame(gif)


def test_a_local_file_where_the_api_takes_only_urls_is_refused(
    client: WanClient, tmp_path: Path
) -> None:
    frame = _png(tmp_path / "frame.png", (640, 480))

    with pytest.raises(errors.InvalidLocalFile, match=r"input.ref_images_url\[0\]: the API takes"):
        client.image_reference("A kitten", [str(frame)])


@pytest.mark.parametrize("kind", ["jpeg", "bmp", "webp"])
def test_the_image_header_gives_the_format_and_sides(tmp_path: Path, kind: str) -> None:
    from wan_video._media import image_format, image_size

    path = tmp_path / f"frame.{kind}"
    Image.new("RGB", (641, 479)).save(path)
    data = path.read_bytes()

    assert image_format(data[:16]) == kind
    assert image_size(data, kind) == (641, 479)


# ---------------------------------------------------------------------- errors
FAMILIES: dict[str, type[errors.APIError]] = {
    "invalid_parameter": errors.InvalidParameterError,
    "moderation": errors.ContentModerationError,
    "unsupported_operation": errors.UnsupportedOperationError,
    "authentication": errors.AuthenticationError,
    "access_denied": errors.AccessDeniedError,
    "not_found": errors.NotFoundError,
    "rate_limit": errors.RateLimitError,
    "server": errors.ServerError,
}
SUBMIT_CODES = sorted(
    code
    for code, entry in SPEC.errors.items()
    if entry.family != "unsupported_operation" and code != "InternalError.Timeout"
)


def test_there_is_one_class_per_family_of_the_spec() -> None:
    assert {entry.family for entry in SPEC.errors.values()} == set(FAMILIES)
    for family, cls in FAMILIES.items():
        assert cls.family == family
        assert issubclass(cls, errors.APIError)


@pytest.mark.parametrize("code", SUBMIT_CODES)
def test_each_error_code_a_submit_answers_raises_its_familys_class(
    clients: Clients, wan_mock: WanMock, code: str
) -> None:
    entry = SPEC.errors[code]
    wan_mock.reject_next(code)
    client = clients.on_mock(wan_mock, retry=None)

    refused = _refused(client, lambda c: c.text_to_video("A kitten"))

    assert type(refused) is FAMILIES[entry.family]
    assert (refused.status, refused.code, refused.message) == (
        entry.http_status,
        code,
        entry.message,
    )
    assert refused.request_id
    assert (
        str(refused)
        == f"{code}: {entry.message} (HTTP {entry.http_status}, request {refused.request_id})"
    )
    assert wan_mock.tasks() == []


def test_a_key_the_service_refuses_is_an_authentication_error() -> None:
    with WanMock(api_keys=["sk-good"]) as guarded:
        bad = WanClient(
            "sk-bad", base_url=guarded.base_url, transport=ClientTransport(guarded.http)
        )

        with pytest.raises(errors.AuthenticationError) as refused:
            bad.get("any-task")

    assert refused.value.code == "InvalidApiKey"
    assert refused.value.status == 401


def test_canceling_a_running_task_is_an_unsupported_operation(
    client: WanClient, wan_mock: WanMock
) -> None:
    task = client.text_to_video("A kitten")
    wan_mock.advance(1)  # RUNNING

    with pytest.raises(errors.UnsupportedOperationError) as refused:
        client.cancel(task)

    assert refused.value.code == "UnsupportedOperation"


@pytest.mark.parametrize("key", ["", "   "])
def test_no_api_key_is_a_clear_error_at_construction(
    key: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DASHSCOPE_API_KEY", raising=False)

    with pytest.raises(errors.MissingApiKeyError, match="no API key: pass api_key="):
        WanClient(key)
    with pytest.raises(ValueError, match="no API key"):
        WanClient()


def test_a_key_no_header_can_carry_is_refused_at_construction() -> None:
    with pytest.raises(errors.MissingApiKeyError, match="characters an HTTP header cannot"):
        WanClient("sk-\nsecond-line")


def test_the_key_and_base_url_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DASHSCOPE_API_KEY", "sk-from-env")
    monkeypatch.setenv("DASHSCOPE_HTTP_BASE_URL", "http://127.0.0.1:9/api/v1/")

    assert WanClient().base_url == "http://127.0.0.1:9/api/v1"
    assert WanClient(region="cn").base_url == SPEC.servers["cn"]
    with pytest.raises(ValueError, match="region= or base_url="):
        WanClient(region="cn", base_url="http://127.0.0.1:9")
    with pytest.raises(ValueError, match="region must be one of cn, intl"):
        WanClient(region="mars")


@pytest.mark.parametrize(
    ("given", "root"),
    [
        ("http://127.0.0.1:8000", "http://127.0.0.1:8000/api/v1"),
        ("http://127.0.0.1:8000/", "http://127.0.0.1:8000/api/v1"),
        ("http://127.0.0.1:8000/api/v1/", "http://127.0.0.1:8000/api/v1"),
        ("https://gateway.example/wan/api/v1", "https://gateway.example/wan/api/v1"),
    ],
)
def test_a_bare_host_as_base_url_is_the_api_root_under_it(given: str, root: str) -> None:
    assert WanClient("sk-test", base_url=given).base_url == root


# ---------------------------------------------------------------------- retries
def test_a_query_is_retried_through_transient_failures_with_backoff(
    client: WanClient, wan_mock: WanMock
) -> None:
    wan_mock.queue_scenario("query_fail=ModelUnavailable*2; pending_polls=0")
    task = client.text_to_video("A kitten")
    before = wan_mock.clock()["now"]

    seen = client.get(task.task_id)

    assert seen.status == "SUCCEEDED"
    assert wan_mock.polls(task.task_id) == 3
    assert wan_mock.clock()["now"] - before == RETRY.backoff + 2 * RETRY.backoff


def test_a_query_retried_past_its_attempts_raises_the_server_error(
    clients: Clients, wan_mock: WanMock
) -> None:
    wan_mock.queue_scenario("query_fail=ModelUnavailable*2")
    client = clients.on_mock(wan_mock, retry=RetryPolicy(attempts=2, jitter=0))
    task = client.text_to_video("A kitten")

    with pytest.raises(errors.ServerError) as failed:
        client.get(task)

    assert (failed.value.status, failed.value.code) == (503, "ModelUnavailable")
    assert wan_mock.polls(task.task_id) == 2


def test_a_throttled_submit_is_retried_and_makes_one_task(
    client: WanClient, wan_mock: WanMock
) -> None:
    wan_mock.queue_scenario("reject=Throttling", count=2)

    task = client.text_to_video("A kitten")

    [made] = wan_mock.tasks()
    assert made["task_id"] == task.task_id
    statuses = [entry["status"] for entry in wan_mock.journal(operation=SUBMIT)]
    assert statuses == [200, 429, 429]


@pytest.mark.parametrize("code", ["InternalError", "ModelUnavailable"])
def test_a_submit_answered_with_a_server_error_is_not_retried(
    client: WanClient, wan_mock: WanMock, code: str
) -> None:
    wan_mock.reject_next(code)

    with pytest.raises(errors.ServerError):
        client.text_to_video("A kitten")

    assert len(wan_mock.journal(operation=SUBMIT)) == 1


def test_a_submit_is_retried_when_the_connection_could_not_be_made(
    clients: Clients, wan_mock: WanMock
) -> None:
    flaky = Flaky(ClientTransport(wan_mock.http), httpx.ConnectError("refused"))
    client = clients.on_mock(wan_mock, transport=flaky)

    task = client.text_to_video("A kitten")

    assert [t["task_id"] for t in wan_mock.tasks()] == [task.task_id]
    assert len(flaky.requests) == 2


def test_a_submit_whose_connection_broke_after_sending_is_not_retried(
    clients: Clients, wan_mock: WanMock
) -> None:
    flaky = Flaky(ClientTransport(wan_mock.http), httpx.ReadError("reset"))
    client = clients.on_mock(wan_mock, transport=flaky)

    with pytest.raises(errors.APIConnectionError, match="ReadError: reset") as lost:
        client.text_to_video("A kitten")

    assert lost.value.sent is True
    assert len(flaky.requests) == 1


def test_a_query_is_retried_after_a_broken_connection(clients: Clients, wan_mock: WanMock) -> None:
    flaky = Flaky(ClientTransport(wan_mock.http))
    client = clients.on_mock(wan_mock, transport=flaky)
    task = client.text_to_video("A kitten")
    flaky.failures = [httpx.ReadError("reset"), httpx.ConnectTimeout("slow")]

    assert client.get(task).task_id == task.task_id
    assert len(flaky.requests) == 4


def _answers(*responses: httpx.Response) -> httpx.MockTransport:
    queue = list(responses)
    return httpx.MockTransport(lambda request: queue.pop(0))


def test_retry_after_is_waited_for_as_the_answer_says(clients: Clients, wan_mock: WanMock) -> None:
    slept: list[float] = []
    throttled = httpx.Response(429, headers={"Retry-After": "7"}, json={"code": "Throttling"})
    busy = httpx.Response(503, headers={"retry-after-ms": "1500"}, json={})
    answer = httpx.Response(
        200, json={"request_id": "r", "output": {"task_id": "t", "task_status": "RUNNING"}}
    )
    client = clients.on_mock(
        wan_mock, transport=_answers(throttled, busy, answer), sleep=slept.append
    )

    assert client.get("t").status == "RUNNING"
    assert slept == [7.0, 1.5]


def test_a_retry_after_longer_than_the_policy_allows_is_raised_at_once(
    clients: Clients, wan_mock: WanMock
) -> None:
    slept: list[float] = []
    throttled = httpx.Response(429, headers={"Retry-After": "3600"}, json={"code": "Throttling"})
    client = clients.on_mock(wan_mock, transport=_answers(throttled), sleep=slept.append)

    with pytest.raises(errors.RateLimitError) as refused:
        client.get("t")

    assert refused.value.retry_after == 3600
    assert refused.value.message == SPEC.errors["Throttling"].message
    assert slept == []


def test_an_answer_that_is_not_json_is_a_clear_error(clients: Clients, wan_mock: WanMock) -> None:
    gateway = httpx.Response(502, text="<html>Bad Gateway</html>")
    ok_but_odd = httpx.Response(200, text="not json")
    client = clients.on_mock(wan_mock, transport=_answers(gateway, ok_but_odd), retry=None)

    with pytest.raises(errors.ServerError, match="Bad Gateway") as bad:
        client.get("t")
    with pytest.raises(errors.MalformedResponse, match="TaskQueryResponse"):
        client.get("t")

    assert bad.value.status == 502


# ---------------------------------------------------------------------- wait
def test_wait_polls_on_the_sdk_schedule_and_reports_each_poll(
    clients: Clients, wan_mock: WanMock
) -> None:
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        wan_mock.advance(seconds)

    client = clients.on_mock(wan_mock, sleep=sleep)
    wan_mock.queue_scenario("pending_polls=5; running_polls=4")
    updates: list[Task] = []
    task = client.text_to_video("A kitten")

    done = client.wait(task, on_update=updates.append)

    assert slept == [1, 1, 2, 2, 2, 4, 4, 4, 5]
    assert [u.status for u in updates] == ["PENDING"] * 5 + ["RUNNING"] * 4 + ["SUCCEEDED"]
    assert updates[-1] == done
    assert wan_mock.polls(task.task_id) == 10


def test_wait_takes_another_schedule(client: WanClient, wan_mock: WanMock) -> None:
    wan_mock.queue_scenario("pending=30; running=30")
    task = client.text_to_video("A kitten")
    start = wan_mock.clock()["now"]

    client.wait(task, poll=PollSchedule(first=10, factor=1))

    assert wan_mock.clock()["now"] - start == 60
    assert wan_mock.polls(task.task_id) == 7


def test_wait_goes_on_through_transient_failures_its_retries_did_not_absorb(
    clients: Clients, wan_mock: WanMock
) -> None:
    wan_mock.queue_scenario("query_fail=GatewayTimeout*3; pending_polls=1")
    client = clients.on_mock(wan_mock, retry=None)
    updates: list[Task] = []

    done = client.wait(client.text_to_video("A kitten"), on_update=updates.append)

    assert done.status == "SUCCEEDED"
    assert [u.status for u in updates] == ["PENDING", "SUCCEEDED"]


def test_wait_raises_an_error_that_is_not_transient(clients: Clients, wan_mock: WanMock) -> None:
    refused = httpx.Response(401, json={"code": "InvalidApiKey", "request_id": "r"})
    client = clients.on_mock(wan_mock, transport=_answers(refused))

    with pytest.raises(errors.AuthenticationError, match="Invalid API-key provided"):
        client.wait("t")


def test_wait_times_out_on_the_mock_clock(client: WanClient, wan_mock: WanMock) -> None:
    wan_mock.queue_scenario("pending=1000")
    task = client.text_to_video("A kitten")
    start = wan_mock.clock()["now"]

    with pytest.raises(errors.WaitTimeout) as late:
        client.wait(task, timeout=10)

    assert wan_mock.clock()["now"] - start == 10
    assert late.value.task_id == task.task_id
    assert late.value.last is not None
    assert late.value.last.status == "PENDING"
    assert str(late.value) == f"task {task.task_id} not done after 10 s (last status: PENDING)"


def test_wait_raises_task_canceled(client: WanClient, wan_mock: WanMock) -> None:
    wan_mock.queue_scenario("pending=100")
    task = client.text_to_video("A kitten")
    client.cancel(task.task_id)

    with pytest.raises(errors.TaskCanceled) as canceled:
        client.wait(task)

    assert canceled.value.task.status == "CANCELED"


def test_wait_raises_task_unknown(client: WanClient) -> None:
    with pytest.raises(errors.TaskUnknown, match="no such task for this API key"):
        client.wait("no-such-task")


def test_wait_raises_task_failed_with_the_code_and_message(
    client: WanClient, wan_mock: WanMock
) -> None:
    wan_mock.fail_next("DataInspectionFailed")
    task = client.text_to_video("A kitten")

    with pytest.raises(errors.TaskFailed) as failed:
        client.wait(task)

    assert failed.value.code == "DataInspectionFailed"
    assert failed.value.message == "Output data may contain inappropriate content."
    assert failed.value.task_id == task.task_id


# ---------------------------------------------------------------------- download
@pytest.mark.parametrize("scenario", ["download=drop:10000:once", "download=drop:10000"])
def test_a_broken_download_is_resumed_with_range(
    client: WanClient, wan_mock: WanMock, tmp_path: Path, scenario: str
) -> None:
    done = _done(client, wan_mock, scenario)
    progress: list[tuple[int, int | None]] = []

    path = client.download(
        done.video_url, tmp_path / "clip.mp4", on_progress=lambda *p: progress.append(p)
    )

    size = int(wan_mock.http.head(done.video_url).headers["Content-Length"])
    assert path.stat().st_size == size
    assert path.read_bytes()[4:8] == b"ftyp"
    assert progress[-1] == (size, size)
    assert [p[0] for p in progress] == sorted(p[0] for p in progress)
    [task] = wan_mock.tasks()
    assert task["downloads"] == (2 if scenario.endswith(":once") else math.ceil(size / 10_000))
    assert not (tmp_path / "clip.mp4.part").exists()


@pytest.mark.parametrize("scenario", ["download=truncate:5000:once", "download=truncate:20000"])
def test_a_truncated_download_is_noticed_by_its_content_range_and_completed(
    client: WanClient, wan_mock: WanMock, tmp_path: Path, scenario: str
) -> None:
    done = _done(client, wan_mock, scenario)

    path = client.download(done.video_url, tmp_path / "clip.mp4")

    size = int(wan_mock.http.head(done.video_url).headers["Content-Length"])
    once = scenario.endswith(":once")
    [task] = wan_mock.tasks()
    assert task["downloads"] == (2 if once else math.ceil(size / int(scenario.split(":")[1])))
    assert path.stat().st_size == size
    assert path.read_bytes()[4:8] == b"ftyp"
    if once:  # the file is the one a whole download now gets
        assert path.read_bytes() == wan_mock.http.get(done.video_url).content


def test_a_body_shorter_than_its_content_length_is_an_incomplete_download(
    clients: Clients, wan_mock: WanMock, tmp_path: Path
) -> None:
    def short(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={"Content-Length": "1000"}, content=b"x" * 400)

    client = clients.on_mock(wan_mock, transport=httpx.MockTransport(short))

    with pytest.raises(errors.IncompleteDownload) as cut:
        client.download("http://results.example/clip.mp4", tmp_path / "clip.mp4")

    assert (cut.value.received, cut.value.expected) == (400, 1000)
    assert "the body ended at byte 400, not 1000" in str(cut.value)
    assert list(tmp_path.iterdir()) == []


def test_an_expired_result_url_is_refused_with_a_clear_error(
    client: WanClient, wan_mock: WanMock, tmp_path: Path
) -> None:
    done = _done(client, wan_mock)
    wan_mock.advance(86_400 + 1)

    with pytest.raises(errors.ResultExpired, match="valid for 24 hours") as expired:
        client.download(done.video_url, tmp_path / "clip.mp4")

    assert (expired.value.status, expired.value.code) == (403, "AccessDenied")
    assert expired.value.message == "Request has expired or the signature is invalid."
    assert wan_mock.tasks()[0]["downloads"] == 0
    assert list(tmp_path.iterdir()) == []


def test_the_api_key_is_not_sent_to_the_result_url(
    clients: Clients, wan_mock: WanMock, tmp_path: Path
) -> None:
    recorder = Flaky(ClientTransport(wan_mock.http))
    client = clients.on_mock(wan_mock, transport=recorder)
    done = _done(client, wan_mock)

    client.download(done.video_url, tmp_path / "clip.mp4")

    api, result = recorder.requests[0], recorder.requests[-1]
    assert api.headers["Authorization"] == f"Bearer {wan_mock.api_key}"
    assert str(result.url) == done.video_url
    assert "Authorization" not in result.headers


# ---------------------------------------------------------------------- the objects
def test_task_objects_have_a_readable_repr(client: WanClient, wan_mock: WanMock) -> None:
    task = client.text_to_video("A kitten")
    done = client.wait(task)

    assert repr(task) == (
        f"Task(task_id={task.task_id!r}, status='PENDING', request_id={task.request_id!r})"
    )
    assert repr(done).startswith(f"SucceededTask(task_id={task.task_id!r}, status='SUCCEEDED'")
    assert f"video_url={done.video_url!r}" in repr(done)
    assert "Unset" not in repr(done)
    assert "object at 0x" not in repr(done)


def test_list_tasks_pages_this_keys_tasks(client: WanClient, wan_mock: WanMock) -> None:
    first = client.text_to_video("A kitten")
    second = client.text_to_video("A puppy")

    page = client.list_tasks(page_size=1)
    rest = client.list_tasks(page_no=2, page_size=1)

    assert page.total == 2
    assert {page.tasks[0].task_id, rest.tasks[0].task_id} == {first.task_id, second.task_id}
    assert "TaskSummary(task_id=" in repr(page)


# ---------------------------------------------------------------------- the data file
def test_the_layers_spec_data_is_in_step_with_the_spec() -> None:
    done = subprocess.run(
        [sys.executable, "tools/wan_video_data.py", "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )

    assert done.returncode == 0, done.stdout + done.stderr


def test_the_data_file_holds_every_request_schema_of_the_generated_client() -> None:
    from wan_video._requests import VARIANTS as LAYER_VARIANTS

    assert {v.schema for v in LAYER_VARIANTS.values()} == set(SPEC.requests)
    assert set(LAYER_VARIANTS) == set(VARIANTS)
