"""The control plane's spec (``openapi/mock-control.yaml``): it validates as OpenAPI 3.1 and
passes Redocly's recommended rules, documents the scenario grammar, describes every operation,
and names exactly the routes the mock serves; what every operation answers, let in or refused,
matches it, and its schemas refuse what the mock must not answer.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openapi_spec_validator import validate
from werkzeug.test import TestResponse

from contract_tests.support.control import control_operations, schema_errors, spec_response_errors
from contract_tests.support.control_plane import (
    OTHER_KEY,
    REMOTE,
    SECRET_KEY,
    guarded_control_calls,
    ok_json,
    queue_scenario,
    submit_t2v,
    t2v_body,
)
from contract_tests.support.mock import API, IMAGE2VIDEO, Api, auth, body_for
from contract_tests.support.paths import CONTROL_SPEC_PATH
from contract_tests.support.redocly import redocly_lint
from contract_tests.support.spec_data import control_document


# ---------------------------------------------------------------------- the spec itself
def test_the_control_spec_validates_as_openapi_3_1() -> None:
    spec = json.loads(json.dumps(control_document()))
    assert spec["openapi"].startswith("3.1")
    validate(spec)


@pytest.mark.slow
def test_redocly_recommended_rules_report_no_errors_for_the_control_spec() -> None:
    report = redocly_lint(CONTROL_SPEC_PATH)
    assert report["totals"]["errors"] == 0, report["problems"]


def test_the_info_description_documents_the_scenario_grammar() -> None:
    text = control_document()["info"]["description"]
    for directive in ("fail=<Code>", "reject=<Code>", "pending=<s>", "running=<s>"):
        assert directive in text
    assert "X-Mock-Scenario" in text


def _served_routes(app: Flask) -> set[tuple[str, str]]:
    """Every route but the API spec's (under ``/api/v1`` and ``/qwen/api/v1``)."""
    routes = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith((API + "/", "/qwen" + API + "/")):
            continue
        path = re.sub(r"<(\w+)>", r"{\1}", rule.rule)
        for method in rule.methods or ():
            if method not in ("HEAD", "OPTIONS"):
                routes.add((method, path))
    return routes


def test_every_control_route_is_in_the_spec_and_every_spec_operation_is_served(app: Flask) -> None:
    documented = {key for key in control_operations() if key[0] != "HEAD"}

    assert _served_routes(app) == documented


def test_every_control_operation_has_an_operation_id_tag_summary_and_description() -> None:
    tags = {tag["name"] for tag in control_document()["tags"]}
    ids = []
    for (method, path), operation in control_operations().items():
        assert operation.get("summary"), (method, path)
        assert operation.get("description"), (method, path)
        assert set(operation.get("tags", [])) <= tags
        assert operation.get("tags"), (method, path)
        ids.append(operation["operationId"])
    assert len(ids) == len(set(ids))


def test_the_server_is_the_local_mock() -> None:
    assert control_document()["servers"][0]["url"] == "http://127.0.0.1:8000"


# ---------------------------------------------------------------------- answers match the spec
def _prepare(client: FlaskClient) -> str:
    task_id = submit_t2v(client)
    client.get(f"{API}/tasks/{task_id}", headers=auth(SECRET_KEY))
    _submit_any(client, {"model": "wan2.2-t2v-plus", "input": {}})
    queue_scenario(client, "fail=InternalError")
    return task_id


def _first_task(client: FlaskClient) -> str:
    task_id = ok_json(client.get("/__mock/tasks"))["tasks"][0]["task_id"]
    assert isinstance(task_id, str)
    return task_id


def _submit_any(client: FlaskClient, body: Any) -> TestResponse:
    return client.post(
        f"{API}/services/aigc/video-generation/video-synthesis",
        json=body,
        headers=auth(SECRET_KEY, submit=True),
    )


Call = Callable[[FlaskClient], TestResponse]
_CALLS: dict[tuple[str, str], list[Call]] = {
    ("GET", "/__mock/health"): [lambda c: c.get("/__mock/health")],
    ("POST", "/__mock/reset"): [
        lambda c: c.post("/__mock/reset"),
        lambda c: c.post("/__mock/reset", data="x", content_type="application/json"),
    ],
    ("GET", "/__mock/clock"): [lambda c: c.get("/__mock/clock")],
    ("POST", "/__mock/clock/advance"): [
        lambda c: c.post("/__mock/clock/advance", json={"seconds": 2}),
        lambda c: c.post("/__mock/clock/advance", json={"seconds": -2}),
    ],
    ("POST", "/__mock/clock/freeze"): [lambda c: c.post("/__mock/clock/freeze")],
    ("POST", "/__mock/clock/unfreeze"): [lambda c: c.post("/__mock/clock/unfreeze")],
    ("GET", "/__mock/scenarios"): [
        lambda c: c.get("/__mock/scenarios"),
        lambda c: c.get("/__mock/scenarios", query_string={"api_key": SECRET_KEY}),
    ],
    ("POST", "/__mock/scenarios"): [
        lambda c: c.post(
            "/__mock/scenarios", json={"api_key": OTHER_KEY, "scenario": "pending=1", "count": 3}
        ),
        lambda c: c.post("/__mock/scenarios", json={"api_key": OTHER_KEY}),
    ],
    ("GET", "/__mock/tasks"): [lambda c: c.get("/__mock/tasks")],
    ("POST", "/__mock/finish"): [lambda c: c.post("/__mock/finish")],
    ("GET", "/__mock/journal"): [
        lambda c: c.get("/__mock/journal"),
        lambda c: c.get("/__mock/journal", query_string={"operation": "get_task", "limit": 1}),
        lambda c: c.get("/__mock/journal", query_string={"limit": "x"}),
    ],
    ("GET", "/__mock/"): [lambda c: c.get("/__mock/")],
    ("GET", "/__mock/console"): [
        lambda c: c.get("/__mock/console"),
        lambda c: c.get("/__mock/console", query_string={"status": "PENDING", "page": 2}),
        lambda c: c.get("/__mock/console", query_string={"status": "DONE"}),
    ],
    ("GET", "/__mock/console/tasks/{task_id}"): [
        lambda c: c.get(f"/__mock/console/tasks/{_first_task(c)}"),
        lambda c: c.get("/__mock/console/tasks/nope"),
    ],
    ("GET", "/__mock/console/journal"): [
        lambda c: c.get("/__mock/console/journal", query_string={"status_class": "4xx"}),
        lambda c: c.get("/__mock/console/journal", query_string={"operation": "nope"}),
    ],
    ("GET", "/__mock/docs"): [lambda c: c.get("/__mock/docs")],
    ("GET", "/__mock/openapi.yaml"): [lambda c: c.get("/__mock/openapi.yaml")],
    ("GET", "/__mock/openapi.json"): [lambda c: c.get("/__mock/openapi.json")],
}


def test_the_schema_check_covers_every_control_operation() -> None:
    assert set(_CALLS) == set(guarded_control_calls())


@pytest.mark.parametrize(("method", "path"), sorted(_CALLS))
def test_each_control_operation_answers_as_the_control_spec_says(
    shared_client: FlaskClient, method: str, path: str
) -> None:
    _prepare(shared_client)
    for call in _CALLS[(method, path)]:
        response = call(shared_client)
        assert spec_response_errors(method, path, response) == []
        refused = shared_client.open(path, method=method, environ_base=REMOTE)
        assert spec_response_errors(method, path, refused) == []


def test_the_task_dump_of_every_kind_of_task_matches_its_schema(api: Api) -> None:
    api.submit_ok(t2v_body())
    api.submit_ok(body_for("kf2v"), path=IMAGE2VIDEO)
    api.submit(t2v_body(), headers={"X-Mock-Scenario": "fail=InternalError"})
    canceled = api.submit_ok(t2v_body())
    api.cancel(canceled)
    api.clock.advance(0.6)

    tasks = ok_json(api.client.get("/__mock/tasks"))

    assert len(tasks["tasks"]) == 4
    assert schema_errors("TaskDump", tasks) == []


def test_the_schemas_refuse_what_the_mock_must_not_answer() -> None:
    assert schema_errors("ClockState", {"now": 1.0}) != []
    assert schema_errors("Error", {"request_id": "r", "code": "c", "message": "m", "x": 1}) != []
    assert schema_errors("JournalEntry", {"at": 1.0}) != []
    assert schema_errors("QueuedScenario", {"key_id": SECRET_KEY, "scenario": "x"}) != []
