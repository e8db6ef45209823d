"""Who may call, and the request-level refusals of a submit: API keys, task ownership, the
``X-DashScope-Async`` header, JSON bodies, the model and input fields, the body size limit.

Texts are those of API_FACTS §5 and the spec's ``x-wan-errors``.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from contract_tests.support.mock import (
    API,
    IMAGE2VIDEO,
    VIDEO_GENERATION,
    Api,
    assert_error,
    auth,
    body_for,
    make_wan_client,
)
from contract_tests.support.spec_data import spec_document
from wan_mock._spec._documents import load_spec
from wan_video_client import AuthenticatedClient
from wan_video_client.api.tasks import cancel_task, get_task, list_tasks
from wan_video_client.api.video_synthesis import create_video_synthesis_task
from wan_video_client.models import ErrorResponse, TaskQueryResponse, TextToVideoRequest

NO_KEY = "No API-key provided."
BAD_KEY = "Invalid API-key provided."
# seed 003: 'the error message "current user api does not support synchronous calls" is returned'
SYNC_REFUSED = "current user api does not support synchronous calls"
NOT_JSON = "The input parameter requires json format."
CANCEL_REFUSED = "Failed to cancel the task, please confirm if the task is in PENDING status."

Request = Callable[[FlaskClient, dict[str, str]], TestResponse]

ALL_OPERATIONS: dict[str, Request] = {
    "create_video_synthesis_task": lambda c, h: c.post(
        VIDEO_GENERATION, headers={**h, "X-DashScope-Async": "enable"}, json=body_for("t2v")
    ),
    "create_keyframe_video_task": lambda c, h: c.post(
        IMAGE2VIDEO, headers={**h, "X-DashScope-Async": "enable"}, json=body_for("kf2v")
    ),
    "get_task": lambda c, h: c.get(f"{API}/tasks/some-task", headers=h),
    "cancel_task": lambda c, h: c.post(f"{API}/tasks/some-task/cancel", headers=h),
    "list_tasks": lambda c, h: c.get(f"{API}/tasks", headers=h),
    "get_upload_policy": lambda c, h: c.get(
        f"{API}/uploads",
        headers=h,
        query_string={"action": "getPolicy", "model": "wan2.2-i2v-flash"},
    ),
}


def test_the_error_texts_used_here_are_the_documented_ones() -> None:
    errors = spec_document()["x-wan-errors"]
    assert errors["InvalidApiKey"]["message"] == BAD_KEY
    assert errors["AccessDenied"]["message"] == SYNC_REFUSED
    assert errors["BadRequest.IllegalInput"]["message"] == NOT_JSON
    assert errors["UnsupportedOperation"]["message"] == CANCEL_REFUSED


# ---------------------------------------------------------------------- API keys
@pytest.mark.parametrize("operation_id", sorted(ALL_OPERATIONS))
def test_every_operation_needs_an_api_key(client: FlaskClient, operation_id: str) -> None:
    response = ALL_OPERATIONS[operation_id](client, {})

    assert_error(response, 401, "InvalidApiKey", NO_KEY)


@pytest.mark.parametrize("header", ["Bearer", "Bearer ", "  "])
def test_an_empty_bearer_token_is_no_api_key(client: FlaskClient, header: str) -> None:
    response = client.get(f"{API}/tasks", headers={"Authorization": header})

    assert_error(response, 401, "InvalidApiKey", NO_KEY)


@pytest.mark.parametrize("operation_id", sorted(ALL_OPERATIONS))
def test_with_configured_keys_another_key_is_refused(
    make_app: Callable[..., Flask], operation_id: str
) -> None:
    from wan_mock._service._settings import Settings

    client = make_app(Settings(api_keys=frozenset({"k1"}))).test_client()

    response = ALL_OPERATIONS[operation_id](client, auth("k2"))

    assert_error(response, 401, "InvalidApiKey", BAD_KEY)


@pytest.mark.parametrize("operation_id", sorted(ALL_OPERATIONS))
def test_with_configured_keys_a_configured_key_is_accepted(
    make_app: Callable[..., Flask], operation_id: str
) -> None:
    from wan_mock._service._settings import Settings

    client = make_app(Settings(api_keys=frozenset({"k1", "k3"}))).test_client()

    response = ALL_OPERATIONS[operation_id](client, auth("k1"))

    assert response.status_code != 401
    if operation_id == "cancel_task":  # the key is accepted; "some-task" is no PENDING task of it
        assert_error(response, 400, "UnsupportedOperation", CANCEL_REFUSED)
    else:
        assert response.status_code == 200, response.get_data(as_text=True)


@pytest.mark.parametrize("key", ["sk-anything", "x", "sk-" + "9" * 64])
def test_without_configured_keys_any_non_empty_key_is_accepted(api: Api, key: str) -> None:
    task_id = api.submit_ok(body_for("t2v"), key=key)

    assert api.status(task_id, key=key) == "PENDING"


def test_the_generated_client_sees_a_refused_key_as_an_error_response(
    make_app: Callable[..., Flask],
) -> None:
    from wan_mock._service._settings import Settings

    app = make_app(Settings(api_keys=frozenset({"k1"})))
    with make_wan_client(app, token="k2") as generated:
        response = list_tasks.sync_detailed(client=generated)

    assert response.status_code == 401
    assert isinstance(response.parsed, ErrorResponse)
    assert response.parsed.code == "InvalidApiKey"
    assert response.parsed.message == BAD_KEY
    assert response.parsed.request_id == response.headers["X-Request-ID"]


# ---------------------------------------------------------------------- tasks belong to a key
def test_another_key_reads_a_task_as_unknown(api: Api) -> None:
    task_id = api.submit_ok(body_for("t2v"), key="sk-owner")
    api.finish()

    body = api.query(task_id, key="sk-other")

    assert body["output"] == {"task_id": task_id, "task_status": "UNKNOWN"}
    assert "usage" not in body
    assert api.status(task_id, key="sk-owner") == "SUCCEEDED"


def test_another_key_does_not_list_a_task(api: Api) -> None:
    task_id = api.submit_ok(body_for("t2v"), key="sk-owner")

    assert api.list_ok(key="sk-other")["total"] == 0
    assert api.list_ok(key="sk-other", task_id=task_id)["data"] == []
    assert [item["task_id"] for item in api.list_ok(key="sk-owner")["data"]] == [task_id]


def test_another_key_cannot_cancel_a_task(api: Api) -> None:
    task_id = api.submit_ok(body_for("t2v"), key="sk-owner")

    response = api.cancel(task_id, key="sk-other")

    assert_error(response, 400, "UnsupportedOperation", CANCEL_REFUSED)
    assert api.status(task_id, key="sk-owner") == "PENDING"
    assert api.cancel(task_id, key="sk-owner").status_code == 200


def test_tasks_belong_to_their_key_through_the_generated_client(
    app: Flask, wan_client: AuthenticatedClient
) -> None:
    submitted = create_video_synthesis_task.sync(
        client=wan_client, body=TextToVideoRequest.from_dict(body_for("t2v"))
    )
    assert submitted is not None
    assert not isinstance(submitted, ErrorResponse)
    task_id = submitted.output.task_id

    with make_wan_client(app, token="sk-other") as other:
        seen = get_task.sync(task_id, client=other)
        refused = cancel_task.sync_detailed(task_id, client=other)

    assert isinstance(seen, TaskQueryResponse)
    assert seen.output.task_status == "UNKNOWN"
    assert refused.status_code == 400
    assert isinstance(refused.parsed, ErrorResponse)
    assert refused.parsed.code == "UnsupportedOperation"
    assert refused.parsed.message == CANCEL_REFUSED


# ---------------------------------------------------------------------- submit headers and body
@pytest.mark.parametrize("path", [VIDEO_GENERATION, IMAGE2VIDEO])
@pytest.mark.parametrize("value", [None, "", "disable", "true"])
def test_a_submit_without_async_enable_is_access_denied(
    client: FlaskClient, path: str, value: str | None
) -> None:
    headers = auth()
    if value is not None:
        headers["X-DashScope-Async"] = value
    body = body_for("kf2v" if path == IMAGE2VIDEO else "t2v")

    response = client.post(path, headers=headers, json=body)

    assert_error(response, 403, "AccessDenied", SYNC_REFUSED)


def test_the_generated_client_always_sends_the_async_header(
    wan_client: AuthenticatedClient,
) -> None:
    response = create_video_synthesis_task.sync_detailed(
        client=wan_client, body=TextToVideoRequest.from_dict(body_for("t2v"))
    )

    assert response.status_code == 200


@pytest.mark.parametrize(
    "raw",
    [b"not json", b"", b'{"model": "wan2.5-t2v-preview",', b"\xff\xfe{}", b'{"a": NaN}'],
    ids=["text", "empty", "truncated", "not-utf8", "nan"],
)
def test_a_body_that_is_not_json_is_illegal_input(client: FlaskClient, raw: bytes) -> None:
    response = client.post(
        VIDEO_GENERATION,
        headers={**auth(submit=True), "Content-Type": "application/json"},
        data=raw,
    )

    assert_error(response, 400, "BadRequest.IllegalInput", NOT_JSON)


@pytest.mark.parametrize("document", [[body_for("t2v")], "text", 42, None])
def test_a_json_body_that_is_not_an_object_is_illegal_input(api: Api, document: object) -> None:
    response = api.submit(document)

    assert_error(response, 400, "BadRequest.IllegalInput", NOT_JSON)


@pytest.mark.parametrize("model", ["<missing>", None, ""])
def test_a_submit_without_model_is_empty_model(api: Api, model: str | None) -> None:
    body = body_for("t2v")
    if model == "<missing>":
        del body["model"]
    else:
        body["model"] = model

    response = api.submit(body)

    assert_error(
        response, 400, "BadRequest.EmptyModel", 'Required parameter "model" missing from request.'
    )


@pytest.mark.parametrize("model", ["wan9-t2v-ultra", "WAN2.5-T2V-PREVIEW", "qwen-vl-max"])
def test_an_unknown_model_does_not_exist(api: Api, model: str) -> None:
    response = api.submit(body_for("t2v", model=model))

    assert_error(response, 400, "InvalidParameter", "Model not exist.")


@pytest.mark.parametrize("variant", ["t2v", "i2v", "image_reference", "video_edit"])
def test_a_model_that_is_not_a_keyframe_model_does_not_exist_on_image2video(
    api: Api, variant: str
) -> None:
    response = api.submit(body_for(variant), path=IMAGE2VIDEO)

    assert_error(response, 400, "InvalidParameter", "Model not exist.")


@pytest.mark.parametrize("value", ["<missing>", None])
def test_a_submit_without_input_is_empty_input(api: Api, value: str | None) -> None:
    body = body_for("t2v")
    if value == "<missing>":
        del body["input"]
    else:
        body["input"] = value

    response = api.submit(body)

    assert_error(
        response, 400, "BadRequest.EmptyInput", "Required input parameter missing from request."
    )


def _body_of_size(size: int) -> bytes:
    head = b'{"model":"wan2.2-t2v-plus","input":{"prompt":"'
    tail = b'"},"parameters":{"prompt_extend":false}}'
    return head + b"a" * (size - len(head) - len(tail)) + tail


#: The largest body the API can need (seeds 001/004: inline images of up to 10 MB): the two
#: frames of a first/last-frame request at 10 MB each, base64-encoded, plus 1 MiB for the rest.
BODY_LIMIT = 2 * (4 * math.ceil(10 * 1024 * 1024 / 3)) + 1024 * 1024


def test_the_body_limit_is_sized_from_the_documented_image_limits() -> None:
    service = spec_document()["x-wan-service"]
    assert service["image_input"]["max_bytes"] == 10 * 1024 * 1024
    assert service["body_allowance_bytes"] == 1024 * 1024
    assert load_spec().max_body_bytes == BODY_LIMIT


def test_a_body_over_the_limit_is_too_large(client: FlaskClient) -> None:
    limit = BODY_LIMIT

    response = client.post(
        VIDEO_GENERATION,
        headers={**auth(submit=True), "Content-Type": "application/json"},
        data=_body_of_size(limit + 1),
    )

    assert_error(response, 413, "BadRequest.TooLarge", "Payload Too Large.")


def test_a_body_of_exactly_the_limit_is_accepted(client: FlaskClient) -> None:
    limit = BODY_LIMIT

    response = client.post(
        VIDEO_GENERATION,
        headers={**auth(submit=True), "Content-Type": "application/json"},
        data=_body_of_size(limit),
    )

    assert response.status_code == 200
    assert response.get_json()["output"]["task_status"] == "PENDING"
