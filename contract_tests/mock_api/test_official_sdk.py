"""The official ``dashscope`` SDK (2.0.2) runs unchanged against ``wan-mock serve``.

The only changes user code needs are ``dashscope.base_http_api_url`` and ``dashscope.api_key``;
everything else is the SDK's own wire behaviour: ``VideoSynthesis`` over ``requests``,
``AioVideoSynthesis`` over ``aiohttp`` (trailing slashes, a JSON body on cancel), local files
uploaded through ``GET /uploads`` and a multipart POST, first/last-frame models routed to the
``image2video`` path. Outcomes are read from the SDK's own response objects.

One server serves the whole module; every test has its own API key, so scenarios queued for
it (``pending=0; running=0`` makes ``wait()`` return after its first poll) and the tasks it
lists are its own. No test sleeps: lifecycles are driven by the mock's shared clock.
"""

from __future__ import annotations

import io
import uuid
import wave
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import av
import httpx
import pytest
from dashscope.aigc.video_synthesis import AioVideoSynthesis, VideoSynthesis
from dashscope.api_entities.dashscope_response import VideoSynthesisResponse
from dashscope.common.error import InvalidTask
from PIL import Image

from contract_tests.support.sdk import (
    INSTANT,
    has_ftyp_box,
    run_async,
    sdk_connections_closed,
    sdk_pointed_at,
)
from wan_mock import WanMockServer

T2V = "wan2.5-t2v-preview"
I2V = "wan2.5-i2v-preview"
KF2V = "wan2.2-kf2v-flash"
VACE = "wan2.1-vace-plus"

MATERIAL = "http://wanx.alicdn.com/material/20250318/"
FIRST_FRAME = "https://wanx.alicdn.com/material/20250318/first_frame.png"
LAST_FRAME = "https://wanx.alicdn.com/material/20250318/last_frame.png"
PROMPT = "A kitten runs across a sunlit meadow, chasing a butterfly."

GOOD_KEY = "sk-sdk-good"
STAMP = "%Y%m%d%H%M%S"
CANCEL_REFUSED = "Failed to cancel the task, please confirm if the task is in PENDING status."
SAME_LENGTH = "ref_images_url and obj_or_bg must be the same length"

#: The five Wan-VACE functions as seed 003 calls them: ``extra_input`` carries the function
#: and its inputs, the parameters go in as keyword arguments.
VACE_CALLS: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    "image_reference": (
        {
            "function": "image_reference",
            "ref_images_url": [
                MATERIAL + "image_reference_2_5_16.png",
                MATERIAL + "image_reference_1_5_16.png",
            ],
        },
        {"obj_or_bg": ["obj", "bg"], "size": "1280*720"},
    ),
    "video_repainting": (
        {"function": "video_repainting", "video_url": MATERIAL + "video_repainting_1.mp4"},
        {"control_condition": "depth"},
    ),
    "video_edit": (
        {
            "function": "video_edit",
            "mask_image_url": MATERIAL + "video_edit_1_mask.png",
            "video_url": MATERIAL + "video_edit_2.mp4",
            "mask_frame_id": 1,
        },
        {"mask_type": "tracking", "expand_ratio": 0.05},
    ),
    "video_extension": (
        {"function": "video_extension", "first_clip_url": MATERIAL + "video_extension_1.mp4"},
        {},
    ),
    "video_outpainting": (
        {"function": "video_outpainting", "video_url": MATERIAL + "video_outpainting_1.mp4"},
        {"top_scale": 1.5, "bottom_scale": 1.5, "left_scale": 1.5, "right_scale": 1.5},
    ),
}


# ---------------------------------------------------------------------- fixtures
@pytest.fixture(scope="module")
def mock() -> Iterator[WanMockServer]:
    """One ``wan-mock serve`` for the module (fast profile, any non-empty key)."""
    with WanMockServer() as server, sdk_connections_closed():
        yield server


@pytest.fixture(scope="module")
def guarded_mock() -> Iterator[WanMockServer]:
    """A second server that accepts only ``GOOD_KEY``."""
    with WanMockServer(api_keys=[GOOD_KEY]) as server, sdk_connections_closed():
        yield server


@pytest.fixture
def key(mock: WanMockServer) -> Iterator[str]:
    """A fresh API key, set as ``dashscope.api_key`` with the SDK pointed at the mock."""
    api_key = f"sk-sdk-{uuid.uuid4().hex}"
    with sdk_pointed_at(mock.base_url, api_key):
        yield api_key


def _png(path: Path, color: tuple[int, int, int]) -> Path:
    Image.new("RGB", (640, 480), color).save(path, format="PNG")
    return path


@pytest.fixture
def first_png(tmp_path: Path) -> Path:
    return _png(tmp_path / "first.png", (200, 40, 40))


@pytest.fixture
def last_png(tmp_path: Path) -> Path:
    return _png(tmp_path / "last.png", (40, 40, 200))


# ---------------------------------------------------------------------- assertions
def dumped_task(mock: WanMockServer, task_id: str) -> dict[str, Any]:
    """One task as the control plane dumps it (request body as stored, key id, timing)."""
    found = [task for task in mock.tasks() if task["task_id"] == task_id]
    assert len(found) == 1, f"the mock holds no task {task_id}"
    return found[0]


def download(url: str) -> bytes:
    """The bytes behind a ``video_url``."""
    response = httpx.get(url, timeout=30.0, trust_env=False)
    assert response.status_code == 200, (response.status_code, response.text[:200])
    return response.content


def assert_succeeded(mock: WanMockServer, result: VideoSynthesisResponse) -> bytes:
    """A SUCCEEDED task as the SDK reports it, with a downloadable MP4; returns the bytes."""
    assert isinstance(result, VideoSynthesisResponse)
    assert result.status_code == 200, (result.code, result.message)
    assert result.output.task_status == "SUCCEEDED", result.output
    assert result.output.video_url.startswith(mock.root + "/")
    assert result.usage is not None
    assert result.usage.video_count == 1
    assert result.usage.video_duration > 0
    data = download(result.output.video_url)
    assert has_ftyp_box(data), data[:12]
    return data


def assert_refused(result: Any, status: int, code: str, message: str | None = None) -> None:
    """An error answer as the SDK reports it: status, code, message, and no output."""
    assert result.status_code == status, result
    assert result.code == code, result
    if message is not None:
        assert result.message == message, result
    assert result.output is None


def assert_failed(result: VideoSynthesisResponse, code: str, message: str) -> None:
    """A task that ended FAILED: HTTP 200, the code and message inside ``output``."""
    assert isinstance(result, VideoSynthesisResponse)
    assert result.status_code == 200
    assert result.output.task_status == "FAILED"
    assert result.output.code == code
    assert result.output.message == message
    assert result.output.video_url == ""
    assert without_usage(result)


def without_usage(result: VideoSynthesisResponse) -> bool:
    """The SDK annotates ``usage`` as always set; it is None until a task has SUCCEEDED."""
    usage: object = result.usage
    return usage is None


def key_id_of(mock: WanMockServer, task_id: str) -> str:
    key_id = dumped_task(mock, task_id)["key_id"]
    assert isinstance(key_id, str)
    return key_id


def upload_policy_calls(mock: WanMockServer, key_id: str) -> list[Any]:
    return [e for e in mock.journal(operation="get_upload_policy") if e["key_id"] == key_id]


# ---------------------------------------------------------------------- text-to-video
def test_t2v_async_call_fetch_and_wait_follow_the_lifecycle(mock: WanMockServer, key: str) -> None:
    mock.queue_scenario("pending=30; running=60", api_key=key)
    submitted = VideoSynthesis.async_call(model=T2V, prompt=PROMPT, size="832*480", duration=10)
    assert submitted.status_code == 200
    assert submitted.output.task_status == "PENDING"
    task_id = submitted.output.task_id
    assert task_id

    pending = VideoSynthesis.fetch(submitted)
    assert pending.status_code == 200
    assert (pending.output.task_id, pending.output.task_status) == (task_id, "PENDING")
    assert pending.output.video_url == ""
    assert without_usage(pending)

    mock.advance(30)
    running = VideoSynthesis.fetch(task_id)
    assert running.output.task_status == "RUNNING"
    assert "scheduled_time" in running.output

    mock.advance(60)
    done = VideoSynthesis.wait(submitted)
    data = assert_succeeded(mock, done)
    assert done.output.task_id == task_id
    assert done.output.orig_prompt == PROMPT
    assert done.usage.video_duration == 10
    assert done.usage.video_ratio == "832*480"

    with av.open(io.BytesIO(data), mode="r") as container:
        stream = container.streams.video[0]
        assert (stream.codec_context.width, stream.codec_context.height) == (832, 480)
        assert container.duration is not None
        assert container.duration / av.time_base == pytest.approx(10, abs=0.1)


def test_t2v_call_returns_the_finished_task(mock: WanMockServer, key: str) -> None:
    mock.queue_scenario(INSTANT, api_key=key)
    result = VideoSynthesis.call(
        model=T2V,
        prompt=PROMPT,
        negative_prompt="blurry",
        size="832*480",
        duration=10,
        seed=42,
        prompt_extend=False,
        watermark=True,
    )
    assert_succeeded(mock, result)
    assert result.usage.video_duration == 10
    assert result.usage.video_ratio == "832*480"
    assert result.output.orig_prompt == PROMPT
    assert "actual_prompt" not in result.output  # prompt_extend=False: nothing rewritten
    sent = dumped_task(mock, result.output.task_id)["request"]
    assert sent["parameters"] == {
        "size": "832*480",
        "duration": 10,
        "seed": 42,
        "prompt_extend": False,
        "watermark": True,
    }
    assert sent["input"]["negative_prompt"] == "blurry"


# ---------------------------------------------------------------------- image-to-video
def test_i2v_with_an_http_image(mock: WanMockServer, key: str) -> None:
    mock.queue_scenario(INSTANT, api_key=key)
    result = VideoSynthesis.call(model=I2V, prompt=PROMPT, img_url=FIRST_FRAME)
    assert_succeeded(mock, result)
    assert dumped_task(mock, result.output.task_id)["request"]["input"]["img_url"] == FIRST_FRAME


def test_i2v_with_a_template(mock: WanMockServer, key: str) -> None:
    mock.queue_scenario(INSTANT, api_key=key)
    result = VideoSynthesis.call(model=I2V, img_url=FIRST_FRAME, template="flying")
    assert_succeeded(mock, result)
    assert dumped_task(mock, result.output.task_id)["request"]["input"]["template"] == "flying"


@pytest.mark.parametrize("form", ["file-uri", "plain-path"])
def test_i2v_with_a_local_file_uploads_it_first(
    mock: WanMockServer, key: str, first_png: Path, form: str
) -> None:
    """``file://`` URIs and plain paths of existing files are both uploaded by the SDK."""
    mock.queue_scenario(INSTANT, api_key=key)
    local = first_png.as_uri() if form == "file-uri" else str(first_png)
    result = VideoSynthesis.call(model=I2V, prompt=PROMPT, img_url=local)
    assert_succeeded(mock, result)
    task_id = result.output.task_id
    img_url = dumped_task(mock, task_id)["request"]["input"]["img_url"]
    assert img_url.startswith("oss://")
    assert img_url.endswith("/first.png")
    policies = upload_policy_calls(mock, key_id_of(mock, task_id))
    assert policies
    assert all(entry["status"] == 200 for entry in policies)


def test_an_uploaded_image_is_held_to_the_image_limits(
    mock: WanMockServer, key: str, tmp_path: Path
) -> None:
    """Images must have each side in [360, 2000] px however they arrive (API_FACTS §6). The
    mock holds an uploaded file's bytes, as it holds an inline ``data:`` image's, so a 100 x 100
    PNG must not produce a video: refused at submit, or a FAILED task."""
    tiny = tmp_path / "tiny.png"
    Image.new("RGB", (100, 100), (10, 10, 10)).save(tiny, format="PNG")
    mock.queue_scenario(INSTANT, api_key=key)
    submitted = VideoSynthesis.async_call(model=I2V, prompt=PROMPT, img_url=tiny.as_uri())
    if submitted.status_code == 200:
        outcome = VideoSynthesis.wait(submitted)
        assert outcome.output.task_status == "FAILED", outcome.output
        assert outcome.output.code == "InvalidParameter"
    else:
        assert_refused(submitted, 400, "InvalidParameter")
        assert "img_url" in submitted.message


def test_t2v_with_a_local_audio_file(mock: WanMockServer, key: str, tmp_path: Path) -> None:
    voice = tmp_path / "voice.wav"
    with wave.open(str(voice), "wb") as sink:
        sink.setnchannels(1)
        sink.setsampwidth(2)
        sink.setframerate(8000)
        sink.writeframes(b"\0\0" * 8000 * 4)
    mock.queue_scenario(INSTANT, api_key=key)
    result = VideoSynthesis.call(model=T2V, prompt=PROMPT, audio_url=voice.as_uri())
    assert_succeeded(mock, result)
    audio_url = dumped_task(mock, result.output.task_id)["request"]["input"]["audio_url"]
    assert audio_url.startswith("oss://")
    assert audio_url.endswith("/voice.wav")


# ---------------------------------------------------------------------- first/last frame
def test_kf2v_is_routed_to_the_image2video_path(mock: WanMockServer, key: str) -> None:
    mock.queue_scenario(INSTANT, api_key=key)
    result = VideoSynthesis.call(
        model=KF2V, prompt=PROMPT, first_frame_url=FIRST_FRAME, last_frame_url=LAST_FRAME
    )
    assert_succeeded(mock, result)
    task_id = result.output.task_id
    submits = mock.journal(operation="create_keyframe_video_task", task_id=task_id)
    assert [entry["status"] for entry in submits] == [200]
    assert mock.journal(operation="create_video_synthesis_task", task_id=task_id) == []
    sent = dumped_task(mock, task_id)["request"]["input"]
    assert (sent["first_frame_url"], sent["last_frame_url"]) == (FIRST_FRAME, LAST_FRAME)


def test_kf2v_with_local_files_for_both_frames(
    mock: WanMockServer, key: str, first_png: Path, last_png: Path
) -> None:
    mock.queue_scenario(INSTANT, api_key=key)
    result = VideoSynthesis.call(
        model=KF2V,
        prompt=PROMPT,
        first_frame_url=first_png.as_uri(),
        last_frame_url=last_png.as_uri(),
    )
    assert_succeeded(mock, result)
    task_id = result.output.task_id
    assert len(mock.journal(operation="create_keyframe_video_task", task_id=task_id)) == 1
    sent = dumped_task(mock, task_id)["request"]["input"]
    assert sent["first_frame_url"].startswith("oss://")
    assert sent["first_frame_url"].endswith("/first.png")
    assert sent["last_frame_url"].startswith("oss://")
    assert sent["last_frame_url"].endswith("/last.png")
    assert upload_policy_calls(mock, key_id_of(mock, task_id))


# ---------------------------------------------------------------------- Wan-VACE
@pytest.mark.parametrize("function", sorted(VACE_CALLS))
def test_vace_function_succeeds(mock: WanMockServer, key: str, function: str) -> None:
    extra_input, parameters = VACE_CALLS[function]
    mock.queue_scenario(INSTANT, api_key=key)
    result = VideoSynthesis.call(model=VACE, prompt=PROMPT, extra_input=extra_input, **parameters)
    assert_succeeded(mock, result)
    sent = dumped_task(mock, result.output.task_id)["request"]
    # extra_input overrides the SDK's own input.function ("video-synthesis")
    assert sent["input"]["function"] == function
    assert sent["parameters"] == parameters


# ---------------------------------------------------------------------- cancel
def test_cancel_a_pending_task(mock: WanMockServer, key: str) -> None:
    mock.queue_scenario("pending=60", api_key=key)
    submitted = VideoSynthesis.async_call(model=T2V, prompt=PROMPT)
    assert submitted.output.task_status == "PENDING"

    canceled = VideoSynthesis.cancel(submitted)
    assert canceled.status_code == 200, canceled
    assert canceled.request_id

    fetched = VideoSynthesis.fetch(submitted)
    assert fetched.output.task_status == "CANCELED"
    assert fetched.output.video_url == ""
    assert VideoSynthesis.wait(submitted).output.task_status == "CANCELED"

    again = VideoSynthesis.cancel(submitted)
    assert_refused(again, 400, "UnsupportedOperation", CANCEL_REFUSED)


def test_cancel_a_running_task_is_refused(mock: WanMockServer, key: str) -> None:
    mock.queue_scenario("pending=0; running=600", api_key=key)
    submitted = VideoSynthesis.async_call(model=T2V, prompt=PROMPT)
    assert VideoSynthesis.fetch(submitted).output.task_status == "RUNNING"
    assert_refused(VideoSynthesis.cancel(submitted), 400, "UnsupportedOperation", CANCEL_REFUSED)
    assert VideoSynthesis.fetch(submitted).output.task_status == "RUNNING"


def test_cancel_a_finished_task_is_refused(mock: WanMockServer, key: str) -> None:
    mock.queue_scenario(INSTANT, api_key=key)
    done = VideoSynthesis.call(model=T2V, prompt=PROMPT)
    assert done.output.task_status == "SUCCEEDED"
    refused = VideoSynthesis.cancel(done.output.task_id)
    assert_refused(refused, 400, "UnsupportedOperation", CANCEL_REFUSED)
    assert VideoSynthesis.fetch(done.output.task_id).output.task_status == "SUCCEEDED"


# ---------------------------------------------------------------------- list
def _ids(listing: Any) -> set[str]:
    return {item["task_id"] for item in listing.output["data"]}


def test_list_shows_the_keys_tasks_with_filters(mock: WanMockServer, key: str) -> None:
    mock.queue_scenario(INSTANT, 2, api_key=key)
    t2v = VideoSynthesis.call(model=T2V, prompt=PROMPT).output.task_id
    kf2v = VideoSynthesis.call(model=KF2V, first_frame_url=FIRST_FRAME).output.task_id
    mock.queue_scenario("pending=600", api_key=key)
    waiting = VideoSynthesis.async_call(model=T2V, prompt=PROMPT).output.task_id

    everything = VideoSynthesis.list()
    assert everything.status_code == 200
    assert everything.request_id
    assert everything.output["total"] == 3
    assert everything.output["page_no"] == 1
    assert everything.output["page_size"] == 10
    assert _ids(everything) == {t2v, kf2v, waiting}
    statuses = {item["task_id"]: item["status"] for item in everything.output["data"]}
    assert statuses == {t2v: "SUCCEEDED", kf2v: "SUCCEEDED", waiting: "PENDING"}
    models = {item["task_id"]: item["model_name"] for item in everything.output["data"]}
    assert models == {t2v: T2V, kf2v: KF2V, waiting: T2V}

    assert _ids(VideoSynthesis.list(status="SUCCEEDED")) == {t2v, kf2v}
    assert _ids(VideoSynthesis.list(status="PENDING")) == {waiting}
    assert _ids(VideoSynthesis.list(model_name=KF2V)) == {kf2v}
    assert _ids(VideoSynthesis.list(model_name=T2V, status="SUCCEEDED")) == {t2v}

    # start_time/end_time are YYYYMMDDhhmmss in the service's zone, like submit_time
    submitted_at = datetime.strptime(
        VideoSynthesis.fetch(t2v).output.submit_time, "%Y-%m-%d %H:%M:%S.%f"
    ).replace(microsecond=0)
    minute_later = submitted_at + timedelta(minutes=1)
    in_window = VideoSynthesis.list(
        start_time=submitted_at.strftime(STAMP), end_time=minute_later.strftime(STAMP)
    )
    assert _ids(in_window) == {t2v, kf2v, waiting}
    before = VideoSynthesis.list(
        start_time=(submitted_at - timedelta(hours=2)).strftime(STAMP),
        end_time=(submitted_at - timedelta(hours=1)).strftime(STAMP),
    )
    assert before.status_code == 200
    assert before.output["total"] == 0

    pages = [VideoSynthesis.list(page_size=2, page_no=n) for n in (1, 2)]
    assert [len(page.output["data"]) for page in pages] == [2, 1]
    assert all(page.output["total"] == 3 for page in pages)
    assert all(page.output["total_page"] == 2 for page in pages)
    assert _ids(pages[0]) | _ids(pages[1]) == {t2v, kf2v, waiting}


# ---------------------------------------------------------------------- errors
def test_two_backgrounds_are_refused_at_submit(mock: WanMockServer, key: str) -> None:
    extra_input, _ = VACE_CALLS["image_reference"]
    refused = VideoSynthesis.async_call(
        model=VACE, prompt=PROMPT, extra_input=extra_input, obj_or_bg=["bg", "bg"]
    )
    assert_refused(refused, 400, "InvalidParameter")
    assert "obj_or_bg" in refused.message


def test_out_of_range_top_scale_is_refused_at_submit(mock: WanMockServer, key: str) -> None:
    extra_input, _ = VACE_CALLS["video_outpainting"]
    refused = VideoSynthesis.async_call(
        model=VACE, prompt=PROMPT, extra_input=extra_input, top_scale=2.5
    )
    assert_refused(refused, 400, "InvalidParameter")
    assert "top_scale" in refused.message


def test_unknown_model(mock: WanMockServer, key: str) -> None:
    refused = VideoSynthesis.async_call(model="wan9.9-t2v-nonexistent", prompt=PROMPT)
    assert_refused(refused, 400, "InvalidParameter", "Model not exist.")


def test_call_raises_when_the_submit_is_refused(mock: WanMockServer, key: str) -> None:
    """``call()`` hands a refused submit to ``wait()``, which raises instead of returning it."""
    with pytest.raises(InvalidTask, match="Model not exist"):
        VideoSynthesis.call(model="wan9.9-t2v-nonexistent", prompt=PROMPT)


def test_mismatched_obj_or_bg_ends_as_a_failed_task(mock: WanMockServer, key: str) -> None:
    extra_input, _ = VACE_CALLS["image_reference"]
    mock.queue_scenario(INSTANT, api_key=key)
    submitted = VideoSynthesis.async_call(
        model=VACE, prompt=PROMPT, extra_input=extra_input, obj_or_bg=["obj"]
    )
    assert submitted.status_code == 200
    assert submitted.output.task_status == "PENDING"
    assert_failed(VideoSynthesis.wait(submitted), "InvalidParameter", SAME_LENGTH)


def test_data_inspection_failure_scenario(mock: WanMockServer, key: str) -> None:
    mock.queue_scenario("fail=DataInspectionFailed; " + INSTANT, api_key=key)
    result = VideoSynthesis.call(model=T2V, prompt=PROMPT)
    assert_failed(result, "DataInspectionFailed", "Output data may contain inappropriate content.")


def test_rate_quota_rejection(mock: WanMockServer, key: str) -> None:
    mock.queue_scenario("reject=Throttling.RateQuota", api_key=key)
    refused = VideoSynthesis.async_call(model=T2V, prompt=PROMPT)
    assert_refused(
        refused,
        429,
        "Throttling.RateQuota",
        "Requests rate limit exceeded, please try again later.",
    )
    assert {name.lower(): value for name, value in refused.headers.items()}["retry-after"] == "1"
    # the queued rejection applied to one submit only
    assert VideoSynthesis.async_call(model=T2V, prompt=PROMPT).status_code == 200


def test_fetching_an_unknown_task_reads_unknown(mock: WanMockServer, key: str) -> None:
    task_id = str(uuid.uuid4())
    result = VideoSynthesis.fetch(task_id)
    assert result.status_code == 200
    assert (result.output.task_id, result.output.task_status) == (task_id, "UNKNOWN")
    assert VideoSynthesis.wait(task_id).output.task_status == "UNKNOWN"


def test_a_wrong_key_is_refused(guarded_mock: WanMockServer) -> None:
    with sdk_pointed_at(guarded_mock.base_url, "sk-sdk-wrong"):
        message = "Invalid API-key provided."
        assert_refused(
            VideoSynthesis.async_call(model=T2V, prompt=PROMPT), 401, "InvalidApiKey", message
        )
        assert_refused(VideoSynthesis.fetch(str(uuid.uuid4())), 401, "InvalidApiKey", message)
        assert_refused(VideoSynthesis.list(), 401, "InvalidApiKey", message)
    with sdk_pointed_at(guarded_mock.base_url, GOOD_KEY):
        accepted = VideoSynthesis.async_call(model=T2V, prompt=PROMPT)
        assert accepted.status_code == 200
        assert accepted.output.task_status == "PENDING"


# ---------------------------------------------------------------------- AioVideoSynthesis
AIO_CALLS: dict[str, dict[str, Any]] = {
    "t2v": {"model": T2V, "prompt": PROMPT, "size": "832*480", "duration": 10},
    "vace": {
        "model": VACE,
        "prompt": PROMPT,
        "extra_input": VACE_CALLS["video_repainting"][0],
        **VACE_CALLS["video_repainting"][1],
    },
}


@pytest.mark.parametrize("case", sorted(AIO_CALLS))
def test_aio_async_call_fetch_wait_and_cancel(mock: WanMockServer, key: str, case: str) -> None:
    arguments = AIO_CALLS[case]
    mock.queue_scenario(INSTANT, api_key=key)
    mock.queue_scenario("pending=60", api_key=key)

    async def scenario() -> tuple[Any, ...]:
        done = await AioVideoSynthesis.async_call(**arguments)
        fetched = await AioVideoSynthesis.fetch(done)
        waited = await AioVideoSynthesis.wait(done)
        refused = await AioVideoSynthesis.cancel(done)
        pending = await AioVideoSynthesis.async_call(**arguments)
        canceled = await AioVideoSynthesis.cancel(pending)
        after = await AioVideoSynthesis.fetch(pending)
        return done, fetched, waited, refused, pending, canceled, after

    done, fetched, waited, refused, pending, canceled, after = run_async(scenario())

    assert done.status_code == 200
    assert done.output.task_status == "PENDING"
    task_id = done.output.task_id
    assert fetched.output.task_id == task_id
    assert_succeeded(mock, fetched)
    assert_succeeded(mock, waited)
    assert waited.output.video_url == fetched.output.video_url
    assert_refused(refused, 400, "UnsupportedOperation", CANCEL_REFUSED)

    assert pending.output.task_status == "PENDING"
    assert canceled.status_code == 200, canceled
    assert after.output.task_status == "CANCELED"
    cancels = mock.journal(operation="cancel_task", task_id=pending.output.task_id)
    assert [entry["status"] for entry in cancels] == [200]

    if case == "t2v":
        assert waited.usage.video_duration == 10
        assert waited.usage.video_ratio == "832*480"
    else:
        sent = dumped_task(mock, task_id)["request"]
        assert sent["input"]["function"] == "video_repainting"
        assert sent["parameters"] == {"control_condition": "depth"}


def test_aio_call_kf2v_with_a_local_first_frame(
    mock: WanMockServer, key: str, first_png: Path
) -> None:
    mock.queue_scenario(INSTANT, api_key=key)
    result = run_async(
        AioVideoSynthesis.call(model=KF2V, prompt=PROMPT, first_frame_url=first_png.as_uri())
    )
    assert_succeeded(mock, result)
    task_id = result.output.task_id
    assert len(mock.journal(operation="create_keyframe_video_task", task_id=task_id)) == 1
    assert dumped_task(mock, task_id)["request"]["input"]["first_frame_url"].startswith("oss://")
    assert upload_policy_calls(mock, key_id_of(mock, task_id))


def test_aio_errors_and_list(mock: WanMockServer, key: str) -> None:
    mock.queue_scenario(INSTANT, api_key=key)

    async def scenario() -> tuple[Any, ...]:
        done = await AioVideoSynthesis.call(model=T2V, prompt=PROMPT)
        listing = await AioVideoSynthesis.list(status="SUCCEEDED")
        unknown = await AioVideoSynthesis.fetch(str(uuid.uuid4()))
        bad_model = await AioVideoSynthesis.async_call(model="wan9.9-t2v-nonexistent", prompt="x")
        return done, listing, unknown, bad_model

    done, listing, unknown, bad_model = run_async(scenario())
    assert done.output.task_status == "SUCCEEDED"
    assert listing.status_code == 200
    assert listing.output["total"] == 1
    assert _ids(listing) == {done.output.task_id}
    assert unknown.status_code == 200
    assert unknown.output.task_status == "UNKNOWN"
    assert_refused(bad_model, 400, "InvalidParameter", "Model not exist.")
