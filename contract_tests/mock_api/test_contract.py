"""The HTTP contract, the same for every target: the mock in process, a ``wan-mock serve``
process, or the live service (``--target``, see ``contract_tests/support/targets.py``).

Free checks run everywhere, the live service included, because none of them creates a task:
schema violations and a missing ``X-DashScope-Async`` are refused at submit, a bad or missing key
is refused, an unknown task id reads ``UNKNOWN``, and the task list answers. Should the live
service ever accept one of those submits, the task is canceled at once (PENDING tasks cost
nothing) and the test fails.

The lifecycle checks — one spec request example per request variant, submitted and polled to
SUCCEEDED — run where they cost nothing, on a mock whose clock the test moves, or on the live
service only when ``WAN_LIVE_BILLABLE=1``, with bounded real waiting.

Bodies are held to the spec's own response schemas (``openapi/wan-video.yaml``).
"""

from __future__ import annotations

import copy
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Final

import httpx
import pytest

from contract_tests.support.mock import DELETE, body_for, submit_examples
from contract_tests.support.spec_data import component_validator, spec_document
from contract_tests.support.targets import Target

VIDEO_GENERATION: Final = "/services/aigc/video-generation/video-synthesis"
IMAGE2VIDEO: Final = "/services/aigc/image2video/video-synthesis"
ASYNC: Final = {"X-DashScope-Async": "enable"}
TERMINAL: Final = frozenset({"SUCCEEDED", "FAILED", "CANCELED", "UNKNOWN"})

#: On a mock: how far one poll moves the clock, and how many polls at most.
MOCK_STEP_SECONDS: Final = 1.0
MOCK_MAX_POLLS: Final = 60
#: On the live service: the SDK's waits between polls (1, 1, 2, 2, 2, 4, …), capped; and the
#: longest a task may take (VACE runs 5-10 minutes).
LIVE_WAITS: Final = (1.0, 1.0, 2.0, 2.0, 2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 10.0)
LIVE_DEADLINE_SECONDS: Final = 15 * 60.0


# ---------------------------------------------------------------------- the spec as data
def assert_matches(schema_name: str, body: Any) -> None:
    errors = [str(error) for error in component_validator(schema_name).iter_errors(body)]
    assert not errors, f"not a {schema_name}: {errors}"


@dataclass(frozen=True)
class Variant:
    """One request variant (request schema) and the first spec example of it."""

    name: str
    example: str
    path: str
    body: dict[str, Any]


def _variants() -> list[Variant]:
    """The first request example of each variant: VACE variants by ``input.function``, the
    others by the model's one request schema (``x-wan-models``)."""
    models = spec_document()["x-wan-models"]
    seen: dict[str, Variant] = {}
    for example in submit_examples():
        function = example.body["input"].get("function")
        name = str(function or models[example.body["model"]]["requests"][0])
        path = example.path.removeprefix("/api/v1")
        seen.setdefault(name, Variant(name, example.name, path, example.body))
    return list(seen.values())


VARIANTS: Final = _variants()


# ---------------------------------------------------------------------- talking to the target
def body_of(response: httpx.Response) -> dict[str, Any]:
    assert response.headers.get("content-type", "").startswith("application/json"), (
        response.status_code,
        response.text[:300],
    )
    body = response.json()
    assert isinstance(body, dict)
    return body


def assert_refused(response: httpx.Response, status: int, code: str) -> str:
    """A DashScope error envelope with this status and code; returns the message."""
    assert response.status_code == status, (response.status_code, response.text[:500])
    body = body_of(response)
    assert_matches("ErrorResponse", body)
    assert body.get("code") == code, body
    assert isinstance(body.get("request_id"), str)
    assert body["request_id"]
    message = body.get("message")
    assert isinstance(message, str)
    assert message
    return message


def query(target: Target, task_id: str) -> dict[str, Any]:
    response = target.request("GET", f"/tasks/{task_id}")
    assert response.status_code == 200, response.text[:500]
    body = body_of(response)
    assert_matches("TaskQueryResponse", body)
    assert body["output"]["task_id"] == task_id
    return body


def submit_expecting_refusal(
    target: Target, body: Any, *, headers: dict[str, str] | None = None, **kwargs: Any
) -> httpx.Response:
    """Send a submit that must be refused; should it be accepted, cancel the task (a PENDING
    task costs nothing on the live service) and fail."""
    response = target.request(
        "POST", VIDEO_GENERATION, json=body, headers=ASYNC if headers is None else headers, **kwargs
    )
    if response.status_code == 200:
        output = response.json().get("output") or {}
        task_id = output.get("task_id")
        if task_id:
            target.request("POST", f"/tasks/{task_id}/cancel")
        pytest.fail(f"the submit was accepted (task {task_id}, canceled): {response.text[:300]}")
    return response


def wait_for_end(target: Target, task_id: str) -> dict[str, Any]:
    """Poll until the task is terminal: on a mock by moving its clock, on the live service by
    waiting as the SDK does, within :data:`LIVE_DEADLINE_SECONDS`."""
    if target.can_control_time:
        for _ in range(MOCK_MAX_POLLS):
            body = query(target, task_id)
            if body["output"]["task_status"] in TERMINAL:
                return body
            target.advance(MOCK_STEP_SECONDS)
        pytest.fail(f"task {task_id} did not end after {MOCK_MAX_POLLS} clock steps")
    deadline = time.monotonic() + LIVE_DEADLINE_SECONDS
    waits: Iterator[float] = iter(LIVE_WAITS)
    while True:
        body = query(target, task_id)
        status = body["output"]["task_status"]
        if status in TERMINAL:
            return body
        if time.monotonic() > deadline:
            pytest.fail(f"task {task_id} is still {status} after {LIVE_DEADLINE_SECONDS:.0f} s")
        time.sleep(next(waits, LIVE_WAITS[-1]))


# ---------------------------------------------------------------------- free on every target
@pytest.mark.parametrize(
    ("variant", "changes", "field"),
    [
        pytest.param("t2v", {"parameters__seed": -1}, "seed", id="seed-below-minimum"),
        pytest.param(
            "t2v", {"parameters__prompt_extend": "yes"}, "prompt_extend", id="flag-not-boolean"
        ),
        pytest.param("t2v", {"input__prompt": DELETE}, "prompt", id="prompt-missing"),
        pytest.param("i2v", {"input__img_url": DELETE}, "img_url", id="first-frame-missing"),
    ],
)
def test_schema_violation_is_refused_naming_the_field(
    target: Target, variant: str, changes: dict[str, Any], field: str
) -> None:
    response = submit_expecting_refusal(target, body_for(variant, **changes))
    message = assert_refused(response, 400, "InvalidParameter")
    assert field in message, message


def test_submit_without_async_header_is_refused(target: Target) -> None:
    response = submit_expecting_refusal(target, body_for("t2v"), headers={})
    assert_refused(response, 403, "AccessDenied")


def test_wrong_key_is_refused(target: Target) -> None:
    response = target.request("GET", "/tasks", key=f"sk-wrong-{uuid.uuid4().hex}")
    assert_refused(response, 401, "InvalidApiKey")


def test_missing_key_is_refused(target: Target) -> None:
    response = target.request("GET", "/tasks", key=None)
    assert_refused(response, 401, "InvalidApiKey")


def test_unknown_task_id_reads_unknown(target: Target) -> None:
    task_id = str(uuid.uuid4())
    assert query(target, task_id)["output"]["task_status"] == "UNKNOWN"


def test_task_list_answers_with_a_page(target: Target) -> None:
    response = target.request("GET", "/tasks")
    assert response.status_code == 200, response.text[:500]
    body = body_of(response)
    assert_matches("TaskListResponse", body)
    assert (body["page_no"], body["page_size"]) == (1, 10)
    assert len(body["data"]) <= body["total"]


# ---------------------------------------------------------------------- tasks that run
@pytest.fixture
def runnable(target: Target) -> Target:
    """The target, when a task may run to the end on it: a mock whose clock the test moves, or
    the live service with ``WAN_LIVE_BILLABLE=1``."""
    if not (target.can_control_time or target.billable_allowed):
        pytest.skip(
            f"the {target.kind} target cannot finish tasks for free: set WAN_LIVE_BILLABLE=1 "
            "to run billable tasks on the live service"
        )
    return target


@pytest.mark.parametrize("variant", VARIANTS, ids=[variant.name for variant in VARIANTS])
def test_spec_example_runs_to_succeeded(runnable: Target, variant: Variant) -> None:
    response = runnable.request(
        "POST", variant.path, json=copy.deepcopy(variant.body), headers=ASYNC
    )
    assert response.status_code == 200, (variant.example, response.text[:500])
    submitted = body_of(response)
    assert_matches("TaskSubmitResponse", submitted)
    assert submitted["output"]["task_status"] == "PENDING"
    assert "code" not in submitted

    final = wait_for_end(runnable, submitted["output"]["task_id"])
    output = final["output"]
    assert output["task_status"] == "SUCCEEDED", output
    assert str(output["video_url"]).startswith(("http://", "https://"))
    assert output["submit_time"] <= output["end_time"]
    assert "usage" in final
