"""The schemathesis tables stay true, and what schemathesis found stays fixed.

The entries of ``contract_tests/support/schemathesis.py`` name real operations and checks, and
the behaviour each ``DOCUMENTED`` entry excuses is asserted directly; every finding of the first
run (mock and spec bugs) is a plain regression test here. A new finding is pinned with
``@finding("<id>")`` (``xfail(strict=True)``) until it is fixed.
"""

from __future__ import annotations

import io
import json
import math

import pytest
from flask.testing import FlaskClient

from contract_tests.support.mock import API, IMAGE2VIDEO, KEY, VIDEO_GENERATION, auth, body_for
from contract_tests.support.schemathesis import CHECKS, DOCUMENTED, FINDINGS, Waiver, all_operations
from contract_tests.support.spec_data import control_document

_EMPTY_AS_ABSENT = ("start_time", "end_time", "page_no", "page_size", "status")


# ---------------------------------------------------------------------- the tables stay true
def test_every_entry_names_spec_operations_and_a_check() -> None:
    operations = all_operations()
    names = {check.__name__ for check in CHECKS}
    for entry in (*DOCUMENTED, *FINDINGS):
        assert entry.operations <= operations, entry.id
        if isinstance(entry, Waiver):
            assert entry.check in names, entry.id


def test_cancel_of_an_unknown_id_is_refused_as_documented(client: FlaskClient) -> None:
    response = client.post(f"{API}/tasks/no-such-task/cancel", headers=auth())
    assert response.status_code == 400
    assert response.get_json()["code"] == "UnsupportedOperation"


def test_list_window_over_24_hours_is_refused_as_documented(client: FlaskClient) -> None:
    query = {"start_time": "20250515000000", "end_time": "20250516000001"}
    response = client.get(f"{API}/tasks", headers=auth(), query_string=query)
    assert response.status_code == 400
    assert response.get_json()["message"].startswith("Parameter end_time is invalid")


def test_oss_input_never_uploaded_is_refused_as_documented(client: FlaskClient) -> None:
    body = body_for("kf2v", input__first_frame_url="oss://nowhere/first.png")
    headers = {**auth(submit=True), "X-DashScope-OssResourceResolve": "enable"}
    response = client.post(IMAGE2VIDEO, json=body, headers=headers)
    assert response.status_code == 400
    assert "input.first_frame_url" in response.get_json()["message"]


def test_unknown_query_parameters_are_ignored_as_documented(client: FlaskClient) -> None:
    response = client.get(f"{API}/tasks", headers=auth(), query_string={"no_such": "1"})
    assert response.status_code == 200


# ---------------------------------------------------------------------- findings, pinned
@pytest.mark.parametrize("path", [VIDEO_GENERATION, IMAGE2VIDEO])
def test_oss_resolve_header_other_than_enable_is_refused(client: FlaskClient, path: str) -> None:
    headers = {**auth(submit=True), "X-DashScope-OssResourceResolve": "yes"}
    response = client.post(path, json=body_for("kf2v"), headers=headers)
    assert response.status_code == 400


def test_authorization_without_the_bearer_scheme_is_refused(client: FlaskClient) -> None:
    response = client.get(f"{API}/tasks", headers={"Authorization": KEY})
    assert response.status_code == 401
    assert response.get_json()["code"] == "InvalidApiKey"


@pytest.mark.parametrize("name", _EMPTY_AS_ABSENT)
def test_list_refuses_an_empty_parameter(client: FlaskClient, name: str) -> None:
    response = client.get(f"{API}/tasks", headers=auth(), query_string={name: ""})
    assert response.status_code == 400


def test_list_accepts_any_page_number(client: FlaskClient) -> None:
    response = client.get(f"{API}/tasks", headers=auth(), query_string={"page_no": 1_000_001})
    assert response.status_code == 200


def test_advance_takes_seconds_from_one_required_source(client: FlaskClient) -> None:
    operation = control_document()["paths"]["/__mock/clock/advance"]["post"]
    assert operation.get("requestBody", {}).get("required") is True
    assert not any(p.get("name") == "seconds" for p in operation.get("parameters", []))
    before = client.get("/__mock/clock").get_json()["now"]
    response = client.post("/__mock/clock/advance?seconds=-1", json={"seconds": 60})
    assert response.status_code == 200
    assert response.get_json()["now"] >= before + 60
    assert client.post("/__mock/clock/advance?seconds=60").status_code == 400


def test_advancing_the_clock_keeps_it_a_json_number(client: FlaskClient) -> None:
    for _ in range(2):
        response = client.post("/__mock/clock/advance", json={"seconds": 1e308})
        if response.status_code == 200:
            assert math.isfinite(json.loads(response.get_data())["now"])
        else:
            assert response.status_code == 400


@pytest.mark.parametrize(
    "query", [{"operation": "no_such_operation"}, {"limit": "0.5"}, {"limit": ""}]
)
def test_journal_refuses_a_query_outside_its_schema(
    client: FlaskClient, query: dict[str, str]
) -> None:
    response = client.get("/__mock/journal", query_string=query)
    assert response.status_code == 400


def test_spec_describes_the_scenario_grammar() -> None:
    scenario = control_document()["components"]["schemas"]["ScenarioRequest"]["properties"]
    assert "pattern" in scenario["scenario"]


def test_scenario_count_may_be_an_integral_float(client: FlaskClient) -> None:
    body = {"api_key": KEY, "scenario": "fail=InternalError", "count": 2.0}
    response = client.post("/__mock/scenarios", json=body)
    assert response.status_code == 200


def test_spec_bounds_the_scenario_count() -> None:
    count = control_document()["components"]["schemas"]["ScenarioRequest"]["properties"]
    assert "maximum" in count["count"]


def test_upload_with_a_non_ascii_signature_is_refused_as_a_wrong_signature(
    client: FlaskClient,
) -> None:
    form = {"key": "dir/file.png", "Signature": "\u00e9", "file": (io.BytesIO(b"x"), "file.png")}
    response = client.post("/__mock/oss", data=form, content_type="multipart/form-data")
    assert response.status_code == 403


def test_spec_requires_a_non_empty_upload_key() -> None:
    form = control_document()["components"]["schemas"]["OssUploadForm"]
    assert form["properties"]["key"].get("minLength", 0) >= 1
