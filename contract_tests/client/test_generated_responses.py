"""Every response example of the spec, and the shapes of API_FACTS §4, parse into typed models.

Parsing is exercised twice: directly through the models' ``from_dict`` and through the real
endpoint functions, whose ``.parsed`` is chosen by the HTTP status code of a canned response.
"""

from __future__ import annotations

from collections.abc import Callable
from http import HTTPStatus
from typing import Any

import pytest

from contract_tests.support.client import (
    RecordingTransport,
    ResponseExample,
    assert_same_json,
    documented_statuses,
    make_client,
    request_example,
    response_example,
    response_examples,
)
from contract_tests.support.spec_data import control_document, resolve_ref, spec_document
from wan_video_client import AuthenticatedClient, errors
from wan_video_client.api.tasks import cancel_task, get_task, list_tasks
from wan_video_client.api.uploads import get_upload_policy
from wan_video_client.api.video_synthesis import (
    create_keyframe_video_task,
    create_video_synthesis_task,
)
from wan_video_client.models import (
    CancelResponse,
    ErrorResponse,
    GetUploadPolicyAction,
    KeyframeToVideoRequest,
    TaskListItem,
    TaskListResponse,
    TaskOutput,
    TaskQueryResponse,
    TaskStatus,
    TaskSubmitOutput,
    TaskSubmitResponse,
    TextToVideoRequest,
    UploadPolicyResponse,
    Usage,
)
from wan_video_client.types import Response, Unset

TASK_ID = "86ecf553-d340-4e21-af6e-a0c6a421c010"

SUCCESS_MODEL: dict[str, type[Any]] = {
    "create_video_synthesis_task": TaskSubmitResponse,
    "create_keyframe_video_task": TaskSubmitResponse,
    "get_task": TaskQueryResponse,
    "cancel_task": CancelResponse,
    "list_tasks": TaskListResponse,
    "get_upload_policy": UploadPolicyResponse,
}
"""What each operation's 200 body parses into; every other documented status is an error."""

EXAMPLES = response_examples()
EXAMPLE_IDS = [example.id for example in EXAMPLES]
ERROR_EXAMPLES = [example for example in EXAMPLES if example.status != 200]


def call_endpoint(operation_id: str, client: AuthenticatedClient) -> Response[Any]:
    """Call one operation's ``sync_detailed`` with valid arguments."""
    calls: dict[str, Callable[[], Response[Any]]] = {
        "create_video_synthesis_task": lambda: create_video_synthesis_task.sync_detailed(
            client=client,
            body=TextToVideoRequest.from_dict(request_example("TextToVideoWan25").value),
        ),
        "create_keyframe_video_task": lambda: create_keyframe_video_task.sync_detailed(
            client=client,
            body=KeyframeToVideoRequest.from_dict(request_example("KeyframeToVideo").value),
        ),
        "get_task": lambda: get_task.sync_detailed(TASK_ID, client=client),
        "cancel_task": lambda: cancel_task.sync_detailed(TASK_ID, client=client),
        "list_tasks": lambda: list_tasks.sync_detailed(client=client),
        "get_upload_policy": lambda: get_upload_policy.sync_detailed(
            client=client, action=GetUploadPolicyAction.GETPOLICY, model="wan2.2-kf2v-flash"
        ),
    }
    return calls[operation_id]()


def serve(
    operation_id: str, status: int, body: object, *, raise_on_unexpected_status: bool = False
) -> Response[Any]:
    """Call an operation against a transport that answers ``status`` with ``body``."""
    recorder = RecordingTransport(status=status, body=body)
    with make_client(recorder, raise_on_unexpected_status=raise_on_unexpected_status) as client:
        response = call_endpoint(operation_id, client)
    assert len(recorder.requests) == 1
    return response


def query(body: dict[str, Any]) -> TaskQueryResponse:
    parsed = TaskQueryResponse.from_dict(body)
    assert_same_json(parsed.to_dict(), body)
    return parsed


# ------------------------------------------------------------------ every example of the spec


def test_spec_documents_a_success_example_for_every_task_operation() -> None:
    """``get_upload_policy`` has none yet; its shape is checked with ``UPLOAD_POLICY`` below."""
    with_success = {example.operation_id for example in EXAMPLES if example.status == 200}
    assert with_success >= set(SUCCESS_MODEL) - {"get_upload_policy"}


def test_every_operation_has_a_success_model() -> None:
    assert {example.operation_id for example in EXAMPLES} == set(SUCCESS_MODEL)


@pytest.mark.parametrize("example", EXAMPLES, ids=EXAMPLE_IDS)
def test_response_example_parses_through_its_endpoint(example: ResponseExample) -> None:
    response = serve(example.operation_id, example.status, example.value)
    assert response.status_code == HTTPStatus(example.status)
    expected = SUCCESS_MODEL[example.operation_id] if example.status == 200 else ErrorResponse
    assert type(response.parsed) is expected
    assert_same_json(response.parsed.to_dict(), example.value)


@pytest.mark.parametrize("example", ERROR_EXAMPLES, ids=[e.id for e in ERROR_EXAMPLES])
def test_error_example_carries_a_documented_code_for_its_status(example: ResponseExample) -> None:
    parsed = ErrorResponse.from_dict(example.value)
    assert parsed.request_id == example.value["request_id"]
    assert parsed.message == example.value["message"]
    assert isinstance(parsed.code, str)
    # the API's codes, and the mock's own (GatewayTimeout: only ever answered when a test asks)
    codes = {**spec_document()["x-wan-errors"], **control_document()["x-mock-errors"]}
    assert codes[parsed.code]["http_status"] == example.status


def test_every_component_error_response_example_is_an_error_response() -> None:
    responses = spec_document()["components"]["responses"]
    parsed = 0
    for name, response in responses.items():
        if response["content"]["application/json"]["schema"] != {
            "$ref": "#/components/schemas/ErrorResponse"
        }:
            continue
        for example in response["content"]["application/json"]["examples"].values():
            value = resolve_ref(example)["value"]
            error = ErrorResponse.from_dict(value)
            assert (error.code, error.message) == (value["code"], value["message"]), name
            parsed += 1
    assert parsed > 0


# ------------------------------------------------------------------ task statuses


def test_submit_example_is_a_pending_task() -> None:
    parsed = TaskSubmitResponse.from_dict(
        response_example("create_video_synthesis_task", 200, "pending")
    )
    assert parsed.output.task_status == TaskStatus.PENDING
    assert parsed.output.task_id == "0385dc79-5ff8-4d82-bcb6-xxxxxx"
    assert parsed.request_id == "4909100c-7b5a-9f92-bfe5-xxxxxx"


def test_pending_task_has_a_submit_time_and_no_result() -> None:
    parsed = query(response_example("get_task", 200, "pending"))
    assert parsed.output.task_status == TaskStatus.PENDING
    assert parsed.output.submit_time == "2025-05-15 16:14:44.723"
    assert isinstance(parsed.output.scheduled_time, Unset)
    assert isinstance(parsed.output.video_url, Unset)
    assert isinstance(parsed.usage, Unset)


def test_running_task_has_a_scheduled_time() -> None:
    parsed = query(response_example("get_task", 200, "running"))
    assert parsed.output.task_status == TaskStatus.RUNNING
    assert parsed.output.scheduled_time == "2025-05-15 16:14:44.750"
    assert isinstance(parsed.output.end_time, Unset)


def test_succeeded_task_has_a_video_and_usage() -> None:
    parsed = query(response_example("get_task", 200, "succeeded"))
    assert parsed.output.task_status == TaskStatus.SUCCEEDED
    assert isinstance(parsed.output.task_status, TaskStatus)
    assert parsed.output.end_time == "2025-05-15 16:20:09.389"
    assert isinstance(parsed.output.video_url, str)
    assert parsed.output.video_url.startswith("https://")
    assert isinstance(parsed.output.actual_prompt, str)
    assert parsed.output.orig_prompt != parsed.output.actual_prompt
    assert isinstance(parsed.usage, Usage)
    assert parsed.usage.video_duration == 5
    assert parsed.usage.video_count == 1
    assert parsed.usage.video_ratio == "standard"


def test_succeeded_text_to_video_task_has_no_actual_prompt() -> None:
    parsed = query(response_example("get_task", 200, "succeeded_text_to_video"))
    assert parsed.output.task_status == TaskStatus.SUCCEEDED
    assert isinstance(parsed.output.actual_prompt, Unset)
    assert parsed.output.orig_prompt == "A kitten running in the moonlight."
    assert isinstance(parsed.usage, Usage)
    assert (parsed.usage.video_duration, parsed.usage.video_ratio) == (10, "832*480")


def test_failed_task_carries_the_error_code_and_message() -> None:
    parsed = query(response_example("get_task", 200, "failed"))
    assert parsed.output.task_status == TaskStatus.FAILED
    assert parsed.output.code == "InvalidParameter"
    assert parsed.output.message == "The size is not match xxxxxx"
    assert isinstance(parsed.usage, Unset)
    assert isinstance(parsed.output.video_url, Unset)


def test_canceled_task_has_an_end_time() -> None:
    parsed = query(response_example("get_task", 200, "canceled"))
    assert parsed.output.task_status == TaskStatus.CANCELED
    assert parsed.output.end_time == "2025-05-15 16:14:50.002"


def test_unknown_task_is_a_successful_query_with_status_unknown() -> None:
    parsed = query(response_example("get_task", 200, "unknown"))
    assert parsed.output.task_status == TaskStatus.UNKNOWN
    assert parsed.output.task_id == "86ecf553-d340-4e21-xxxxxxxxx"
    assert isinstance(parsed.output.submit_time, Unset)


def test_every_task_status_has_a_query_example() -> None:
    statuses = {
        TaskQueryResponse.from_dict(example.value).output.task_status
        for example in EXAMPLES
        if (example.operation_id, example.status) == ("get_task", 200)
    }
    assert statuses == set(TaskStatus)


def test_list_page_uses_status_and_epoch_milliseconds() -> None:
    body = response_example("list_tasks", 200, "one_page")
    parsed = TaskListResponse.from_dict(body)
    assert (parsed.total, parsed.total_page, parsed.page_no, parsed.page_size) == (2, 1, 1, 10)
    finished, running = parsed.data
    assert isinstance(finished, TaskListItem)
    assert finished.status == TaskStatus.SUCCEEDED
    assert finished.gmt_create == 1747296884723
    assert finished.end_time == 1747297209389
    assert running.status == TaskStatus.RUNNING
    assert isinstance(running.end_time, Unset)
    assert running.user_api_unique_key == (
        "apikey:v1:aigc:image2video:video-synthesis:wan2.2-kf2v-flash"
    )
    assert_same_json(parsed.to_dict(), body)


def test_cancel_example_is_only_a_request_id() -> None:
    body = response_example("cancel_task", 200, "canceled")
    parsed = CancelResponse.from_dict(body)
    assert parsed.request_id == "6a7bd1a9-6a2e-9e4b-b2a1-3f6f1c2d7e11"
    assert parsed.additional_properties == {}


# ------------------------------------------------------------------ API_FACTS §4 shapes


def test_facts_submit_shape_parses() -> None:
    body = {"output": {"task_status": "PENDING", "task_id": "t-1"}, "request_id": "r-1"}
    parsed = TaskSubmitResponse.from_dict(body)
    assert isinstance(parsed.output, TaskSubmitOutput)
    assert parsed.output.task_status == TaskStatus.PENDING
    assert parsed.output.task_id == "t-1"
    assert_same_json(parsed.to_dict(), body)


def test_facts_running_shape_parses() -> None:
    body = {
        "request_id": "r-2",
        "output": {
            "task_id": "t-1",
            "task_status": "RUNNING",
            "submit_time": "2025-05-15 16:14:44.723",
            "scheduled_time": "2025-05-15 16:14:45.001",
        },
    }
    parsed = query(body)
    assert parsed.output.task_status == TaskStatus.RUNNING
    assert parsed.output.scheduled_time == "2025-05-15 16:14:45.001"


def test_facts_succeeded_shape_with_newer_usage_keys_parses() -> None:
    body = {
        "request_id": "r-3",
        "output": {
            "task_id": "t-1",
            "task_status": "SUCCEEDED",
            "submit_time": "2025-05-15 16:14:44.723",
            "scheduled_time": "2025-05-15 16:14:45.001",
            "end_time": "2025-05-15 16:16:02.500",
            "video_url": "https://example.com/result.mp4",
            "orig_prompt": "a cat",
            "actual_prompt": "a fluffy cat on a sofa",
        },
        "usage": {
            "duration": 5.0,
            "size": "1280*720",
            "SR": 720,
            "input_video_duration": 0,
            "output_video_duration": 5,
        },
    }
    parsed = query(body)
    assert isinstance(parsed.usage, Usage)
    assert parsed.usage.sr == 720
    assert parsed.usage.size == "1280*720"
    assert parsed.usage.duration == 5.0
    assert parsed.usage.output_video_duration == 5
    assert isinstance(parsed.usage.video_duration, Unset)
    assert parsed.usage.additional_properties == {}


def test_facts_failed_shape_parses() -> None:
    body = {
        "request_id": "r-4",
        "output": {
            "task_id": "t-1",
            "task_status": "FAILED",
            "code": "InvalidParameter",
            "message": "The size is not match xxxxxx",
        },
    }
    parsed = query(body)
    assert parsed.output.task_status == TaskStatus.FAILED
    assert (parsed.output.code, parsed.output.message) == (
        "InvalidParameter",
        "The size is not match xxxxxx",
    )


def test_facts_unknown_task_shape_parses() -> None:
    body = {"request_id": "r-5", "output": {"task_id": "expired", "task_status": "UNKNOWN"}}
    assert query(body).output.task_status == TaskStatus.UNKNOWN


def test_facts_cancel_shapes_parse() -> None:
    assert CancelResponse.from_dict({"request_id": "r-6"}).request_id == "r-6"
    refused = ErrorResponse.from_dict(
        {
            "request_id": "r-7",
            "code": "UnsupportedOperation",
            "message": (
                "Failed to cancel the task, please confirm if the task is in PENDING status."
            ),
        }
    )
    assert refused.code == "UnsupportedOperation"


def test_facts_list_shape_parses() -> None:
    body = {
        "total": 1,
        "data": [
            {
                "task_id": "t-1",
                "status": "PENDING",
                "model_name": "wan2.5-t2v-preview",
                "request_id": "r-0",
                "gmt_create": 1747296884723,
                "start_time": 1747296884750,
                "api_key_id": "1234567",
                "region": "cn-beijing",
                "user_api_unique_key": (
                    "apikey:v1:aigc:video-generation:video-synthesis:wan2.5-t2v-preview"
                ),
            }
        ],
        "total_page": 1,
        "page_no": 1,
        "page_size": 10,
        "request_id": "r-8",
    }
    parsed = TaskListResponse.from_dict(body)
    assert parsed.data[0].status == TaskStatus.PENDING
    assert parsed.data[0].start_time == 1747296884750
    assert_same_json(parsed.to_dict(), body)


UPLOAD_POLICY: dict[str, Any] = {
    "data": {
        "policy": "eyJleHBpcmF0aW9uIjoiMjAyNS0wNS0xNVQxNzoxNDo0NC43MjNaIn0=",
        "signature": "c2lnbmF0dXJl",
        "upload_dir": "dashscope-instant/abc123/2025-05-15/def456",
        "upload_host": "https://dashscope-file-mgr.oss-cn-beijing.aliyuncs.com",
        "expire_in_seconds": 300,
        "max_file_size_mb": 100,
        "capacity_limit_mb": 999999999,
        "oss_access_key_id": "LTAI-test",
        "x_oss_object_acl": "private",
        "x_oss_forbid_overwrite": "true",
    },
    "request_id": "r-9",
}
"""API_FACTS §2: the answer to ``GET /uploads?action=getPolicy`` (the spec has no example)."""


def test_facts_upload_policy_shape_parses() -> None:
    parsed = UploadPolicyResponse.from_dict(UPLOAD_POLICY)
    assert parsed.data.upload_host == "https://dashscope-file-mgr.oss-cn-beijing.aliyuncs.com"
    assert parsed.data.upload_dir == "dashscope-instant/abc123/2025-05-15/def456"
    assert parsed.data.expire_in_seconds == 300
    assert parsed.data.x_oss_forbid_overwrite == "true"
    assert_same_json(parsed.to_dict(), UPLOAD_POLICY)


# ------------------------------------------------------------------ tolerance


def test_unknown_future_task_status_is_kept_as_a_string() -> None:
    body = {"request_id": "r", "output": {"task_id": "t", "task_status": "ARCHIVED"}}
    parsed = query(body)
    assert parsed.output.task_status == "ARCHIVED"
    assert not isinstance(parsed.output.task_status, TaskStatus)


def test_unknown_future_status_is_kept_in_submit_and_list_items() -> None:
    submitted = TaskSubmitOutput.from_dict({"task_id": "t", "task_status": "ARCHIVED"})
    listed = TaskListItem.from_dict({"task_id": "t", "status": "ARCHIVED"})
    assert submitted.task_status == "ARCHIVED"
    assert listed.status == "ARCHIVED"


def test_known_status_string_becomes_the_enum_member() -> None:
    output = TaskOutput.from_dict({"task_id": "t", "task_status": "SUCCEEDED"})
    assert output.task_status is TaskStatus.SUCCEEDED


def test_usage_keeps_unknown_keys() -> None:
    body = {"video_duration": 5, "video_count": 1, "billing_tier": "pro", "frames": 150}
    usage = Usage.from_dict(body)
    assert usage.video_duration == 5
    assert usage.additional_properties == {"billing_tier": "pro", "frames": 150}
    assert usage["billing_tier"] == "pro"
    assert_same_json(usage.to_dict(), body)


def test_task_output_keeps_unknown_keys() -> None:
    output = TaskOutput.from_dict({"task_id": "t", "task_status": "RUNNING", "progress": 40})
    assert output.additional_properties == {"progress": 40}


def test_empty_error_body_still_parses() -> None:
    parsed = ErrorResponse.from_dict({})
    assert isinstance(parsed.code, Unset)
    assert isinstance(parsed.message, Unset)


def test_task_query_without_task_status_is_refused() -> None:
    """The SDK crashes on a 200 body without ``output.task_status``; the client refuses it too."""
    with pytest.raises(KeyError, match="task_status"):
        TaskQueryResponse.from_dict({"request_id": "r", "output": {"task_id": "t"}})


# ------------------------------------------------------------------ through the endpoints


def test_get_task_parses_an_unknown_future_status() -> None:
    body = {"request_id": "r", "output": {"task_id": TASK_ID, "task_status": "ARCHIVED"}}
    response = serve("get_task", 200, body)
    assert response.status_code == HTTPStatus.OK
    assert isinstance(response.parsed, TaskQueryResponse)
    assert response.parsed.output.task_status == "ARCHIVED"


def test_get_task_failed_query_is_http_200_with_the_failure_in_output() -> None:
    response = serve("get_task", 200, response_example("get_task", 200, "failed"))
    assert response.status_code == HTTPStatus.OK
    assert isinstance(response.parsed, TaskQueryResponse)
    assert response.parsed.output.code == "InvalidParameter"


def test_get_upload_policy_parses_the_policy() -> None:
    response = serve("get_upload_policy", 200, UPLOAD_POLICY)
    assert response.status_code == HTTPStatus.OK
    assert isinstance(response.parsed, UploadPolicyResponse)
    assert response.parsed.data.upload_dir == UPLOAD_POLICY["data"]["upload_dir"]


def test_cancel_of_a_running_task_parses_as_unsupported_operation() -> None:
    body = response_example("cancel_task", 400, "unsupported_operation")
    response = serve("cancel_task", 400, body)
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert isinstance(response.parsed, ErrorResponse)
    assert response.parsed.code == "UnsupportedOperation"


def test_throttled_submit_keeps_the_retry_after_header() -> None:
    recorder = RecordingTransport(
        status=429,
        body=response_example("create_video_synthesis_task", 429, "rate_quota"),
        headers={"Retry-After": "2"},
    )
    with make_client(recorder) as client:
        response = call_endpoint("create_video_synthesis_task", client)
    assert isinstance(response.parsed, ErrorResponse)
    assert response.parsed.code == "Throttling.RateQuota"
    assert response.headers["Retry-After"] == "2"


@pytest.mark.parametrize("operation_id", sorted(SUCCESS_MODEL))
def test_undocumented_status_parses_to_none(operation_id: str) -> None:
    assert 502 not in documented_statuses(operation_id)
    response = serve(operation_id, 502, {"code": "BadGateway"})
    assert response.status_code == HTTPStatus.BAD_GATEWAY
    assert response.parsed is None


def test_undocumented_status_raises_when_asked_to() -> None:
    with pytest.raises(errors.UnexpectedStatus) as caught:
        serve("get_task", 404, {"code": "NotFound"}, raise_on_unexpected_status=True)
    assert caught.value.status_code == 404
