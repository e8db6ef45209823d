"""The mock's HTTP surface: the six operations (each with and without a trailing slash), JSON
envelopes for unknown paths and wrong methods, and request ids. (Every code of the spec's
``x-wan-errors`` table, its status and envelope, is answered in ``test_scenarios.py`` through
``reject=<Code>``.)"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from werkzeug.test import TestResponse

from contract_tests.support.mock import (
    API,
    IMAGE2VIDEO,
    VIDEO_GENERATION,
    Api,
    assert_error,
    assert_request_id,
    auth,
    body_for,
)
from contract_tests.support.spec_data import operations

Call = Callable[[Api, str], TestResponse]


def _submit(api: Api, slash: str) -> TestResponse:
    return api.submit(body_for("t2v"), path=VIDEO_GENERATION + slash)


def _submit_keyframes(api: Api, slash: str) -> TestResponse:
    return api.submit(body_for("kf2v"), path=IMAGE2VIDEO + slash)


def _get_task(api: Api, slash: str) -> TestResponse:
    task_id = api.submit_ok(body_for("t2v"))
    return api.client.get(f"{API}/tasks/{task_id}{slash}", headers=auth())


def _cancel(api: Api, slash: str) -> TestResponse:
    task_id = api.submit_ok(body_for("t2v"))
    return api.client.post(f"{API}/tasks/{task_id}/cancel{slash}", headers=auth())


def _list(api: Api, slash: str) -> TestResponse:
    return api.client.get(f"{API}/tasks{slash}", headers=auth())


def _uploads(api: Api, slash: str) -> TestResponse:
    return api.client.get(
        f"{API}/uploads{slash}",
        headers=auth(),
        query_string={"action": "getPolicy", "model": "wan2.2-kf2v-flash"},
    )


OPERATIONS: dict[str, Call] = {
    "create_video_synthesis_task": _submit,
    "create_keyframe_video_task": _submit_keyframes,
    "get_task": _get_task,
    "cancel_task": _cancel,
    "list_tasks": _list,
    "get_upload_policy": _uploads,
}


def test_the_route_table_covers_every_operation_of_the_spec() -> None:
    operation_ids = {operation["operationId"] for _, _, operation in operations()}
    assert operation_ids == set(OPERATIONS)


@pytest.mark.parametrize("slash", ["", "/"], ids=["bare", "trailing-slash"])
@pytest.mark.parametrize("operation_id", sorted(OPERATIONS))
def test_every_operation_answers_with_and_without_trailing_slash(
    api: Api, operation_id: str, slash: str
) -> None:
    response = OPERATIONS[operation_id](api, slash)

    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    assert_request_id(response)


def test_cancel_with_trailing_slash_ignores_the_json_body_the_async_sdk_sends(api: Api) -> None:
    task_id = api.submit_ok(body_for("t2v"))

    response = api.client.post(
        f"{API}/tasks/{task_id}/cancel/", headers=auth(), json={"task_id": task_id}
    )

    assert response.status_code == 200
    assert api.status(task_id) == "CANCELED"


@pytest.mark.parametrize(
    "path",
    [
        "/nothing-here",
        f"{API}/nothing-here",
        "/api/v2/tasks",
        f"{API}/services/aigc/text2image/image-synthesis",
        f"{API}/tasks/some-id/cancel/extra",
    ],
)
def test_an_unknown_path_is_a_404_json_envelope(api: Api, path: str) -> None:
    response = api.client.get(path, headers=auth())

    assert_error(response, 404, "NotFound", mentions=(path,))


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", VIDEO_GENERATION),
        ("PUT", IMAGE2VIDEO + "/"),
        ("DELETE", f"{API}/tasks/some-id"),
        ("GET", f"{API}/tasks/some-id/cancel"),
        ("POST", f"{API}/tasks"),
        ("POST", f"{API}/uploads/"),
    ],
)
def test_a_wrong_method_is_a_405_json_envelope(api: Api, method: str, path: str) -> None:
    response = api.client.open(path, method=method, headers=auth(submit=True), json={})

    assert_error(response, 405, "MethodNotAllowed", mentions=(method, path))


def test_each_response_has_its_own_request_id(api: Api) -> None:
    first = api.client.get(f"{API}/tasks/x", headers=auth())
    second = api.client.get(f"{API}/tasks/x", headers=auth())

    assert assert_request_id(first) != assert_request_id(second)


def test_the_submit_request_id_is_the_one_listed_for_the_task(api: Api) -> None:
    response = api.submit(body_for("t2v"))
    request_id = assert_request_id(response)

    (item,) = api.list_ok()["data"]

    assert item["request_id"] == request_id


# Every request goes through one pipeline (``_http._pipeline.Pipeline``): the API's operations
# are answered there whatever the method (HEAD as GET) or the root the app is mounted below
# (``SCRIPT_NAME``), a path of the API asked with another method too (OPTIONS, 405).
def test_head_of_a_task_answers_the_get_headers_without_a_body_and_is_journaled_once(
    api: Api,
) -> None:
    task_id = api.submit_ok(body_for("t2v"))
    got = api.client.get(f"{API}/tasks/{task_id}", headers=auth())
    before = len(api.client.get("/__mock/journal").get_json()["entries"])

    head = api.client.head(f"{API}/tasks/{task_id}", headers=auth())

    assert head.status_code == got.status_code == 200
    assert head.get_data() == b""
    assert head.headers["Content-Type"] == got.headers["Content-Type"] == "application/json"
    assert head.headers["Content-Length"] == got.headers["Content-Length"]
    assert head.headers["X-Request-ID"] not in ("", assert_request_id(got))
    entries = api.client.get("/__mock/journal").get_json()["entries"]
    assert len(entries) == before + 1
    assert entries[0]["operation"] == "get_task"
    assert entries[0]["task_id"] == task_id


def test_an_app_mounted_below_a_root_answers_the_api_the_same_way(api: Api) -> None:
    mounted = "http://localhost/mounted"  # SCRIPT_NAME=/mounted, PATH_INFO the API's path
    task_id = api.submit_ok(body_for("t2v"))

    answer = api.client.get(f"{API}/tasks/{task_id}", headers=auth(), base_url=mounted)
    refused = api.client.get(f"{API}/tasks/{task_id}", base_url=mounted)

    assert answer.status_code == 200
    assert answer.get_json()["output"]["task_id"] == task_id
    assert_request_id(answer)
    assert_error(refused, 401, "InvalidApiKey")
    operations = [e["operation"] for e in api.client.get("/__mock/journal").get_json()["entries"]]
    assert operations[:2] == ["get_task", "get_task"]


def test_a_refused_head_has_the_envelope_headers_of_its_get_without_the_body(api: Api) -> None:
    got = api.client.get(f"{API}/tasks/some-id")
    head = api.client.head(f"{API}/tasks/some-id")

    assert_error(got, 401, "InvalidApiKey")
    assert head.status_code == 401
    assert head.get_data() == b""
    assert head.headers["Content-Type"] == "application/json"
    assert head.headers["Content-Length"] == got.headers["Content-Length"]
    assert head.headers["X-Request-ID"] not in ("", got.headers["X-Request-ID"])


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("DELETE", f"{API}/tasks/some-id", "GET, HEAD, OPTIONS"),
        ("GET", f"{API}/tasks/some-id/cancel/", "OPTIONS, POST"),
        ("HEAD", VIDEO_GENERATION, "OPTIONS, POST"),
        ("DELETE", "/__mock/health", "GET, HEAD, OPTIONS"),
    ],
)
def test_a_wrong_method_names_the_allowed_ones_and_is_not_journaled(
    api: Api, method: str, path: str, allowed: str
) -> None:
    response = api.client.open(path, method=method, headers=auth())

    assert response.status_code == 405
    assert response.headers["Allow"] == allowed
    assert response.headers["Content-Type"] == "application/json"
    assert response.headers["X-Request-ID"]
    if method != "HEAD":
        assert_error(response, 405, "MethodNotAllowed", mentions=(method, path))
    assert api.client.get("/__mock/journal").get_json()["entries"] == []


@pytest.mark.parametrize(
    ("path", "allowed"),
    [
        (f"{API}/tasks/some-id", {"GET", "HEAD", "OPTIONS"}),
        (f"/qwen{API}/tasks", {"GET", "HEAD", "OPTIONS"}),
        (IMAGE2VIDEO + "/", {"POST", "OPTIONS"}),
        ("/__mock/health", {"GET", "HEAD", "OPTIONS"}),
    ],
)
def test_options_names_the_allowed_methods_without_a_body(
    api: Api, path: str, allowed: set[str]
) -> None:
    response = api.client.options(path)

    assert response.status_code == 200
    assert set(response.headers["Allow"].split(", ")) == allowed
    assert response.get_data() == b""
    assert response.headers["X-Request-ID"]
    assert api.client.get("/__mock/journal").get_json()["entries"] == []


@pytest.mark.parametrize("method", ["GET", "HEAD", "OPTIONS"])
def test_an_unknown_api_path_is_a_404_whatever_the_method(api: Api, method: str) -> None:
    response = api.client.open(f"{API}/tasks//cancel", method=method, headers=auth())

    assert response.status_code == 404
    assert response.headers["X-Request-ID"]
    if method != "HEAD":
        assert_error(response, 404, "NotFound", mentions=(f"{API}/tasks//cancel",))


def test_below_a_root_every_kind_of_answer_is_the_same(api: Api) -> None:
    mounted = "http://localhost/prefix"
    task_id = api.submit_ok(body_for("t2v"))

    head = api.client.head(f"{API}/tasks/{task_id}", headers=auth(), base_url=mounted)
    wrong = api.client.delete(f"{API}/tasks/{task_id}", headers=auth(), base_url=mounted)
    unknown = api.client.get(f"{API}/nothing-here", base_url=mounted)
    control = api.client.get("/__mock/journal", base_url=mounted)

    assert head.status_code == 200
    assert head.get_data() == b""
    assert_error(wrong, 405, "MethodNotAllowed", mentions=(f"{API}/tasks/{task_id}",))
    assert "/prefix" not in wrong.get_json()["message"]  # the path below the mount
    assert wrong.headers["Allow"] == "GET, HEAD, OPTIONS"
    assert_error(unknown, 404, "NotFound", mentions=(f"{API}/nothing-here",))
    assert control.status_code == 200
    assert control.headers["X-Request-ID"]
    [queried, submitted] = control.get_json()["entries"]
    assert (queried["operation"], queried["task_id"]) == ("get_task", task_id)
    assert submitted["operation"] == "create_video_synthesis_task"
