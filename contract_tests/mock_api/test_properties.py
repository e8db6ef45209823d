"""Property-based contract tests: the mock against bodies drawn from the spec.

- Every valid body (every request variant with every model that accepts it, optional fields
  left out, ``null`` or set, the SDK's extras included) is accepted as PENDING and SUCCEEDS with
  a ``video_url``, the duration asked for (or the model's default) and the prompt as sent.
- Every body that breaks exactly one rule gets the outcome the spec documents for that rule: an
  HTTP error with the rule's code and a message naming the field or the rule, or a task that is
  accepted and then FAILS with the rule's code and message.
- A body built with the generated client's models survives model → wire → mock → parsed model.

Each test function gets one mock (``make_app``) and runs its Hypothesis examples against it;
every example uses a fresh API key, so no example sees another's tasks. Time moves only by
advancing the ``ManualClock`` past the spec's task timeout.
"""

from __future__ import annotations

import copy
import itertools
import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import given

from contract_tests.support.mock import API, auth, make_wan_client
from contract_tests.support.spec_data import spec_document
from contract_tests.support.strategies import (
    ABSENT,
    REQUEST_SCHEMAS,
    VIOLATIONS,
    InvalidBody,
    ValidBody,
    invalid_bodies,
    valid_bodies,
    violated_rules,
)
from wan_mock._domain._clock import ManualClock
from wan_video_client import models
from wan_video_client.api.tasks import get_task
from wan_video_client.api.video_synthesis import (
    create_keyframe_video_task,
    create_video_synthesis_task,
)
from wan_video_client.models import TaskQueryResponse, TaskSubmitResponse

SERVICE = spec_document()["x-wan-service"]
#: Every task has an outcome by then (``InternalError.Timeout`` at the latest), and is still
#: readable (``task_ttl_seconds`` is longer).
PAST_TIMEOUT = float(SERVICE["task_timeout_seconds"]) + 1.0


def _keys(prefix: str) -> Iterator[str]:
    return (f"sk-{prefix}-{n}" for n in itertools.count())


def _query(client: FlaskClient, task_id: str, key: str) -> dict[str, Any]:
    response = client.get(f"{API}/tasks/{task_id}", headers=auth(key))
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert isinstance(body, dict)
    return body


def _submit_ok(client: FlaskClient, path: str, body: Any, key: str, what: str) -> str:
    response = client.post(path, json=body, headers=auth(key, submit=True))
    assert response.status_code == 200, (
        f"[schema] {what}: the submit should be accepted, got {response.status_code} "
        f"{response.get_data(as_text=True)}"
    )
    answer = response.get_json()
    assert answer["output"]["task_status"] == "PENDING", f"{what}: {answer}"
    assert "code" not in answer, f"{what}: a successful submit has no top-level code: {answer}"
    task_id = answer["output"]["task_id"]
    assert isinstance(task_id, str)
    assert task_id
    return task_id


# ---------------------------------------------------------------------- valid bodies
@pytest.mark.parametrize("schema_name", REQUEST_SCHEMAS)
def test_valid_bodies_are_accepted_and_succeed(
    schema_name: str, make_app: Callable[..., Flask], clock: ManualClock
) -> None:
    client = make_app().test_client()
    keys = _keys("valid")
    usage_ratio = {
        m: spec["usage_video_ratio"] for m, spec in spec_document()["x-wan-models"].items()
    }

    @given(case=valid_bodies(schema_name))
    def check(case: ValidBody) -> None:
        key = next(keys)
        what = f"{case.schema_name} with {case.model} on {case.kind}"
        task_id = _submit_ok(client, case.path, case.body, key, what)
        first = _query(client, task_id, key)["output"]
        assert first["task_status"] == "PENDING", (
            f"[lifecycle] {what}: a new task is PENDING: {first}"
        )

        clock.advance(PAST_TIMEOUT)
        answer = _query(client, task_id, key)
        output = answer["output"]
        assert output["task_status"] == "SUCCEEDED", f"[lifecycle] {what}: should succeed: {output}"
        assert isinstance(output.get("video_url"), str), f"[video_url] {what}: SUCCEEDED, no URL"
        assert output["video_url"]
        assert "code" not in output, f"{what}: a SUCCEEDED task carries no error code"
        usage = answer.get("usage")
        assert isinstance(usage, dict), f"{what}: SUCCEEDED without usage: {answer}"
        assert usage.get("video_duration") == case.duration, (
            f"[model.duration] {what}: usage.video_duration {usage.get('video_duration')} is not "
            f"the requested or default duration {case.duration}"
        )
        if isinstance(case.prompt, str):
            assert output.get("orig_prompt") == case.prompt, (
                f"{what}: orig_prompt must be the prompt as sent (truncation only affects what "
                "the model uses)"
            )
        ratio = usage_ratio[case.model]
        expected_ratio = case.size if ratio == "size" else ratio
        if expected_ratio is not ABSENT:
            assert usage.get("video_ratio") == expected_ratio, (
                f"{what}: usage.video_ratio should be {expected_ratio!r} (x-wan-models "
                f"usage_video_ratio {ratio!r}), got {usage.get('video_ratio')!r}"
            )

    check()


# ---------------------------------------------------------------------- one rule broken
def _describe(case: InvalidBody) -> str:
    return (
        f"[{case.expected.rule}] {case.violation} at {case.target} "
        f"({case.schema_name}, {case.model}, {case.kind})"
    )


def _assert_refused(client: FlaskClient, case: InvalidBody, key: str) -> None:
    expected, what = case.expected, _describe(case)
    response = client.post(case.path, json=case.body, headers=auth(key, submit=True))
    answer = response.get_json()
    assert response.status_code == expected.http_status, (
        f"{what}: expected HTTP {expected.http_status} {expected.code}, got "
        f"{response.status_code} {answer}"
    )
    assert isinstance(answer, dict)
    assert answer.get("code") == expected.code, f"{what}: expected code {expected.code}: {answer}"
    message = answer.get("message")
    assert isinstance(message, str)
    for fragment in expected.mentions:
        assert fragment in message, f"{what}: the message {message!r} should contain {fragment!r}"
    assert "output" not in answer, f"{what}: a refused submit creates no task: {answer}"
    listed = client.get(f"{API}/tasks", headers=auth(key)).get_json()
    assert listed["total"] == 0, f"{what}: a refused submit must not create a task: {listed}"


def _assert_fails_on_the_task(client: FlaskClient, clock: Any, case: InvalidBody, key: str) -> None:
    expected, what = case.expected, _describe(case)
    task_id = _submit_ok(client, case.path, case.body, key, what)
    clock.advance(PAST_TIMEOUT)
    answer = _query(client, task_id, key)
    output = answer["output"]
    assert output["task_status"] == "FAILED", f"{what}: the task should FAIL: {output}"
    assert output.get("code") == expected.code, f"{what}: expected code {expected.code}: {output}"
    message = output.get("message")
    assert isinstance(message, str)
    for fragment in expected.mentions:
        assert fragment in message, f"{what}: the message {message!r} should contain {fragment!r}"
    assert "video_url" not in output, f"{what}: a FAILED task has no video_url"
    assert "usage" not in answer, f"{what}: a FAILED task is not billed (no usage)"


@pytest.mark.parametrize("violation", VIOLATIONS)
def test_a_single_rule_violation_gets_the_documented_outcome(
    violation: str, make_app: Callable[..., Flask], clock: ManualClock
) -> None:
    client = make_app().test_client()
    keys = _keys(violation)

    @given(case=invalid_bodies(violation))
    def check(case: InvalidBody) -> None:
        if case.expected.stage == "submit":
            _assert_refused(client, case, next(keys))
        else:
            _assert_fails_on_the_task(client, clock, case, next(keys))

    check()


def test_every_submit_and_task_rule_has_a_violation_strategy() -> None:
    """A rule added to ``x-wan-rules`` that the strategies cannot break fails here."""
    covered = violated_rules()
    for rule in spec_document()["x-wan-rules"]:
        if rule["stage"] in ("submit", "task"):
            assert rule["id"] in covered, f"[{rule['id']}] no strategy breaks this rule"


# ---------------------------------------------------------------------- generated client
def test_generated_models_survive_the_round_trip_through_the_mock(
    make_app: Callable[..., Flask], clock: ManualClock
) -> None:
    app = make_app()

    with make_wan_client(app) as client:

        @given(case=valid_bodies())
        def check(case: ValidBody) -> None:
            what = f"{case.schema_name} with {case.model} on {case.kind}"
            request_class = getattr(models, case.schema_name)
            request = request_class.from_dict(copy.deepcopy(case.body))
            assert request.to_dict() == case.body, (
                f"{what}: {case.schema_name}.to_dict(from_dict(body)) changes the body"
            )
            if case.kind == "image2video":
                sent = create_keyframe_video_task.sync_detailed(client=client, body=request)
            else:
                sent = create_video_synthesis_task.sync_detailed(client=client, body=request)
            assert sent.status_code == 200, f"{what}: {sent.status_code} {sent.content!r}"
            assert isinstance(sent.parsed, TaskSubmitResponse), f"{what}: {sent.parsed!r}"
            assert sent.parsed.to_dict() == json.loads(sent.content), (
                f"{what}: the parsed TaskSubmitResponse differs from the wire"
            )
            task_id = sent.parsed.output.task_id
            statuses = []
            for step in (0.0, PAST_TIMEOUT):
                clock.advance(step)
                got = get_task.sync_detailed(task_id, client=client)
                assert got.status_code == 200, f"{what}: {got.status_code} {got.content!r}"
                parsed = got.parsed
                assert isinstance(parsed, TaskQueryResponse), f"{what}: {parsed!r}"
                assert parsed.to_dict() == json.loads(got.content), (
                    f"{what}: the parsed TaskQueryResponse differs from the wire"
                )
                statuses.append(str(parsed.output.task_status))
            assert statuses == ["PENDING", "SUCCEEDED"], f"{what}: {statuses}"

        check()
