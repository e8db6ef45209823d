"""What the generated client puts on the wire: methods, URLs, headers and JSON bodies.

Requests are captured in process with ``httpx.MockTransport`` (see ``RecordingTransport``).
"""

from __future__ import annotations

import asyncio
import json
from typing import TypedDict, Unpack

import httpx
import pytest

from contract_tests.support.client import (
    BASE_URL,
    KEYFRAME_OPERATION,
    SUBMIT_OPERATION,
    TOKEN,
    RecordingTransport,
    RequestExample,
    make_client,
    operation,
    parse_submit_body,
    request_example,
    request_examples,
    response_example,
)
from contract_tests.support.spec_data import spec_document
from wan_video_client.api.tasks import cancel_task, get_task, list_tasks
from wan_video_client.api.uploads import get_upload_policy
from wan_video_client.api.video_synthesis import (
    create_keyframe_video_task,
    create_video_synthesis_task,
)
from wan_video_client.models import (
    CreateKeyframeVideoTaskXDashScopeAsync,
    CreateVideoSynthesisTaskXDashScopeAsync,
    GetUploadPolicyAction,
    KeyframeToVideoRequest,
    OssResourceResolve,
    TaskStatus,
    TaskSubmitResponse,
    TextToVideoRequest,
)

TASK_ID = "0385dc79-5ff8-4d82-bcb6-xxxxxx"
SUBMITTED = {"output": {"task_status": "PENDING", "task_id": TASK_ID}, "request_id": "r-1"}
VIDEO_GENERATION_URL = f"{BASE_URL}/services/aigc/video-generation/video-synthesis"
IMAGE2VIDEO_URL = f"{BASE_URL}/services/aigc/image2video/video-synthesis"


def text_to_video() -> TextToVideoRequest:
    return TextToVideoRequest.from_dict(request_example("TextToVideoWan25").value)


def keyframe() -> KeyframeToVideoRequest:
    return KeyframeToVideoRequest.from_dict(request_example("KeyframeToVideo").value)


class SubmitHeaders(TypedDict, total=False):
    x_dash_scope_async: CreateVideoSynthesisTaskXDashScopeAsync
    x_dash_scope_oss_resource_resolve: OssResourceResolve
    x_dash_scope_work_space: str


class KeyframeHeaders(TypedDict, total=False):
    x_dash_scope_async: CreateKeyframeVideoTaskXDashScopeAsync
    x_dash_scope_oss_resource_resolve: OssResourceResolve
    x_dash_scope_work_space: str


def submit(recorder: RecordingTransport, **headers: Unpack[SubmitHeaders]) -> httpx.Request:
    """Send the text-to-video example through ``create_video_synthesis_task``."""
    with make_client(recorder) as client:
        create_video_synthesis_task.sync_detailed(client=client, body=text_to_video(), **headers)
    return recorder.last


def submit_keyframe(
    recorder: RecordingTransport, **headers: Unpack[KeyframeHeaders]
) -> httpx.Request:
    """Send the first/last-frame example through ``create_keyframe_video_task``."""
    with make_client(recorder) as client:
        create_keyframe_video_task.sync_detailed(client=client, body=keyframe(), **headers)
    return recorder.last


@pytest.fixture
def recorder() -> RecordingTransport:
    return RecordingTransport(status=200, body=SUBMITTED)


# ------------------------------------------------------------------ submit: where and how


def test_submit_posts_to_the_video_generation_path(recorder: RecordingTransport) -> None:
    request = submit(recorder)
    assert request.method == "POST"
    assert str(request.url) == VIDEO_GENERATION_URL


def test_keyframe_submit_posts_to_the_image2video_path(recorder: RecordingTransport) -> None:
    request = submit_keyframe(recorder)
    assert request.method == "POST"
    assert str(request.url) == IMAGE2VIDEO_URL


@pytest.mark.parametrize("operation_id", [SUBMIT_OPERATION, KEYFRAME_OPERATION])
def test_submit_url_is_the_spec_path_under_the_base_url(
    recorder: RecordingTransport, operation_id: str
) -> None:
    method, path, _op = operation(operation_id)
    request = submit(recorder) if operation_id == SUBMIT_OPERATION else submit_keyframe(recorder)
    assert (request.method, str(request.url)) == (method.upper(), BASE_URL + path)


@pytest.mark.parametrize("server", [server["url"] for server in spec_document()["servers"]])
def test_submit_keeps_the_path_of_every_spec_server(server: str) -> None:
    recorder = RecordingTransport(body=SUBMITTED)
    for base_url in (server, server + "/"):
        with make_client(recorder, base_url=base_url) as client:
            create_video_synthesis_task.sync_detailed(client=client, body=text_to_video())
        assert str(recorder.last.url) == f"{server}/services/aigc/video-generation/video-synthesis"


# ------------------------------------------------------------------ submit: headers


def test_submit_sends_the_async_header_by_default(recorder: RecordingTransport) -> None:
    assert submit(recorder).headers["X-DashScope-Async"] == "enable"


def test_submit_sends_the_async_header_when_given(recorder: RecordingTransport) -> None:
    request = submit(recorder, x_dash_scope_async=CreateVideoSynthesisTaskXDashScopeAsync.ENABLE)
    assert request.headers.get_list("X-DashScope-Async") == ["enable"]


def test_keyframe_submit_sends_the_async_header_by_default(recorder: RecordingTransport) -> None:
    assert submit_keyframe(recorder).headers["X-DashScope-Async"] == "enable"


def test_keyframe_submit_sends_the_async_header_when_given(recorder: RecordingTransport) -> None:
    request = submit_keyframe(
        recorder, x_dash_scope_async=CreateKeyframeVideoTaskXDashScopeAsync.ENABLE
    )
    assert request.headers.get_list("X-DashScope-Async") == ["enable"]


def test_authenticated_client_sends_the_bearer_token(recorder: RecordingTransport) -> None:
    assert submit(recorder).headers["Authorization"] == f"Bearer {TOKEN}"


def test_submit_body_is_declared_as_json(recorder: RecordingTransport) -> None:
    assert submit(recorder).headers["Content-Type"] == "application/json"


def test_oss_resource_resolve_header_is_not_sent_by_default(recorder: RecordingTransport) -> None:
    assert "X-DashScope-OssResourceResolve" not in submit(recorder).headers
    assert "X-DashScope-OssResourceResolve" not in submit_keyframe(recorder).headers


def test_oss_resource_resolve_header_is_sent_when_given(recorder: RecordingTransport) -> None:
    request = submit(
        recorder,
        x_dash_scope_oss_resource_resolve=OssResourceResolve.ENABLE,
    )
    assert request.headers["X-DashScope-OssResourceResolve"] == "enable"


def test_keyframe_oss_resource_resolve_header_is_sent_when_given(
    recorder: RecordingTransport,
) -> None:
    request = submit_keyframe(
        recorder,
        x_dash_scope_oss_resource_resolve=OssResourceResolve.ENABLE,
    )
    assert request.headers["X-DashScope-OssResourceResolve"] == "enable"


def test_workspace_header_is_sent_only_when_given(recorder: RecordingTransport) -> None:
    assert "X-DashScope-WorkSpace" not in submit(recorder).headers
    request = submit(recorder, x_dash_scope_work_space="ws-123")
    assert request.headers["X-DashScope-WorkSpace"] == "ws-123"


# ------------------------------------------------------------------ submit: body


@pytest.mark.parametrize("example", request_examples(), ids=lambda example: example.id)
def test_body_on_the_wire_is_to_dict(recorder: RecordingTransport, example: RequestExample) -> None:
    body = parse_submit_body(example.value)
    with make_client(recorder) as client:
        if example.operation_id == KEYFRAME_OPERATION:
            assert isinstance(body, KeyframeToVideoRequest)
            create_keyframe_video_task.sync_detailed(client=client, body=body)
        else:
            create_video_synthesis_task.sync_detailed(client=client, body=body)
    sent = recorder.last_json()
    assert sent == body.to_dict()
    assert sent == example.value


def test_keyframe_body_is_also_accepted_on_the_video_generation_path(
    recorder: RecordingTransport,
) -> None:
    with make_client(recorder) as client:
        create_video_synthesis_task.sync_detailed(client=client, body=keyframe())
    assert str(recorder.last.url) == VIDEO_GENERATION_URL
    assert recorder.last_json() == request_example("KeyframeToVideo").value


def test_body_is_utf8_json_that_keeps_non_ascii_text(recorder: RecordingTransport) -> None:
    body = text_to_video()
    body.input_.prompt = "一只小猫在月光下奔跑"
    with make_client(recorder) as client:
        create_video_synthesis_task.sync_detailed(client=client, body=body)
    assert json.loads(recorder.last.content.decode("utf-8"))["input"]["prompt"] == (
        "一只小猫在月光下奔跑"
    )


# ------------------------------------------------------------------ task and upload endpoints


def test_get_task_gets_the_task_path_without_submit_headers() -> None:
    recorder = RecordingTransport(body=response_example("get_task", 200, "running"))
    with make_client(recorder) as client:
        get_task.sync_detailed(TASK_ID, client=client)
    request = recorder.last
    assert (request.method, str(request.url)) == ("GET", f"{BASE_URL}/tasks/{TASK_ID}")
    assert request.headers["Authorization"] == f"Bearer {TOKEN}"
    assert "X-DashScope-Async" not in request.headers
    assert request.content == b""


def test_get_task_escapes_the_task_id() -> None:
    recorder = RecordingTransport(body=response_example("get_task", 200, "unknown"))
    with make_client(recorder) as client:
        get_task.sync_detailed("a/b c", client=client)
    assert recorder.last.url.raw_path == b"/api/v1/tasks/a%2Fb%20c"


def test_cancel_task_posts_to_the_cancel_path() -> None:
    recorder = RecordingTransport(body={"request_id": "r-2"})
    with make_client(recorder) as client:
        cancel_task.sync_detailed(TASK_ID, client=client)
    request = recorder.last
    assert (request.method, str(request.url)) == ("POST", f"{BASE_URL}/tasks/{TASK_ID}/cancel")
    assert request.headers["Authorization"] == f"Bearer {TOKEN}"


def test_list_tasks_sends_the_default_page() -> None:
    recorder = RecordingTransport(body=response_example("list_tasks", 200, "one_page"))
    with make_client(recorder) as client:
        list_tasks.sync_detailed(client=client)
    request = recorder.last
    assert (request.method, request.url.path) == ("GET", "/api/v1/tasks")
    assert dict(request.url.params) == {"page_no": "1", "page_size": "10"}


def test_list_tasks_sends_its_filters() -> None:
    recorder = RecordingTransport(body=response_example("list_tasks", 200, "one_page"))
    with make_client(recorder) as client:
        list_tasks.sync_detailed(
            client=client,
            status=TaskStatus.RUNNING,
            model_name="wan2.2-kf2v-flash",
            start_time="20250515000000",
            end_time="20250515235959",
            page_no=2,
            page_size=50,
        )
    assert dict(recorder.last.url.params) == {
        "status": "RUNNING",
        "model_name": "wan2.2-kf2v-flash",
        "start_time": "20250515000000",
        "end_time": "20250515235959",
        "page_no": "2",
        "page_size": "50",
    }


def test_get_upload_policy_asks_for_a_policy_for_the_model() -> None:
    recorder = RecordingTransport(status=401, body={"code": "InvalidApiKey"})
    with make_client(recorder) as client:
        get_upload_policy.sync_detailed(
            client=client, action=GetUploadPolicyAction.GETPOLICY, model="wan2.2-kf2v-flash"
        )
    request = recorder.last
    assert (request.method, request.url.path) == ("GET", "/api/v1/uploads")
    assert dict(request.url.params) == {"action": "getPolicy", "model": "wan2.2-kf2v-flash"}
    assert request.headers["Authorization"] == f"Bearer {TOKEN}"


# ------------------------------------------------------------------ async


def test_async_submit_sends_the_same_request_and_parses_the_answer(
    recorder: RecordingTransport,
) -> None:
    async def run() -> TaskSubmitResponse | None:
        async with make_client(recorder) as client:
            response = await create_video_synthesis_task.asyncio_detailed(
                client=client, body=text_to_video()
            )
        assert isinstance(response.parsed, TaskSubmitResponse)
        return response.parsed

    parsed = asyncio.run(run())
    request = recorder.last
    assert (request.method, str(request.url)) == ("POST", VIDEO_GENERATION_URL)
    assert request.headers["X-DashScope-Async"] == "enable"
    assert request.headers["Authorization"] == f"Bearer {TOKEN}"
    assert recorder.last_json() == request_example("TextToVideoWan25").value
    assert parsed is not None
    assert parsed.output.task_status == TaskStatus.PENDING
    assert parsed.output.task_id == TASK_ID
