"""The spec's vendor data (``x-wan-rules``, ``x-wan-models``, ``x-wan-errors``) agrees with the
schemas and operations it describes, and the operations are the documented ones (issue 2,
part 6).

Rules have unique ids, every ``x-rule`` tag names a rule and every in-schema rule is tagged; a
rule applies to request schemas that hold its fields and has its documented outcome; model
entries and the request schemas' model enums name each other; every error example uses a known
code with its status and message, and every submit or cancel error has one. The operations and
servers are the documented ones, each operation described, with a unique id, needing a bearer
key, the submits the async header; the task status fields use the documented open enum, and an
error response requires no field.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from contract_tests.support.seed_table import (
    DOCUMENTED_OPERATIONS,
    DOCUMENTED_RULE_OUTCOMES,
    DOCUMENTED_SERVERS,
    TASK_STATUSES,
)
from contract_tests.support.spec_data import (
    component_name,
    control_document,
    operations,
    resolve_ref,
    spec_document,
)
from contract_tests.support.spec_schemas import (
    Json,
    JsonObject,
    example_value,
    gap_marks,
    has_field,
    lookup,
    request_schema_names,
    submit_operations,
    view_of,
)

# ============================================================================ 6. vendor data


def _walk(node: Json, path: str = "#") -> Iterator[tuple[str, Json]]:
    yield path, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _walk(value, f"{path}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _walk(value, f"{path}/{index}")


def rule_tags() -> dict[str, list[str]]:
    """``x-rule`` id → where it is tagged (outside the root ``x-wan-*`` data)."""
    spec = spec_document()
    tags: dict[str, list[str]] = {}
    for key in ("paths", "components"):
        for path, node in _walk(spec[key], f"#/{key}"):
            if isinstance(node, dict) and "x-rule" in node:
                tags.setdefault(node["x-rule"], []).append(path)
    return tags


def rules() -> dict[str, JsonObject]:
    return {rule["id"]: rule for rule in spec_document()["x-wan-rules"]}


def test_rule_ids_are_unique() -> None:
    ids = [rule["id"] for rule in spec_document()["x-wan-rules"]]
    assert len(ids) == len(set(ids))


def test_every_x_rule_tag_names_a_rule() -> None:
    assert set(rule_tags()) <= set(rules())


def test_every_in_schema_rule_is_tagged_on_a_subschema() -> None:
    in_schema = {rid for rid, rule in rules().items() if rule["check"].get("in_schema") is True}
    assert in_schema, "no rule is enforced in the schema"
    assert in_schema <= set(rule_tags())
    assert set(rule_tags()) <= in_schema, "a tagged rule must say check: {in_schema: true}"


@pytest.mark.parametrize("rule_id", sorted(rules()))
def test_rule_applies_to_request_schemas_holding_its_fields(rule_id: str) -> None:
    rule = rules()[rule_id]
    requests = set(request_schema_names())
    assert rule["applies_to"], "applies_to is empty"
    assert set(rule["applies_to"]) <= requests
    assert rule["stage"] in {"submit", "task", "ignore"}
    assert rule["code"] in spec_document()["x-wan-errors"]
    missing = [f for f in rule["fields"] if not any(has_field(s, f) for s in rule["applies_to"])]
    assert not missing, f"fields no applies_to schema has: {missing}"


def test_every_model_entry_names_existing_requests_whose_model_enum_lists_it() -> None:
    spec = spec_document()
    problems = []
    for model, entry in spec["x-wan-models"].items():
        for request in entry["requests"]:
            if request not in request_schema_names():
                problems.append(f"{model}: {request} is not a request schema")
            elif model not in (lookup(request, "model").view.values or ()):
                problems.append(f"{model} is not in {request}.model's enum")
        for path in entry["paths"]:
            assert path in spec["x-wan-service"]["paths"], f"{model}: unknown path {path}"
    assert not problems


def test_every_model_in_a_request_enum_has_an_entry_listing_that_request() -> None:
    models = spec_document()["x-wan-models"]
    problems = [
        f"{model} ({request})"
        for request in request_schema_names()
        for model in lookup(request, "model").view.values or ()
        if request not in models.get(model, {}).get("requests", ())
    ]
    assert not problems


def response_statuses() -> dict[str, set[int]]:
    """components/responses name → the HTTP statuses operations use it for."""
    statuses: dict[str, set[int]] = {}
    for _, _, operation in operations():
        for status, response in operation["responses"].items():
            if "$ref" in response:
                statuses.setdefault(component_name(response), set()).add(int(status))
    return statuses


def error_response_examples() -> list[tuple[str, str, JsonObject]]:
    """(response name, example name, value) for every example under components/responses
    whose body carries an error ``code``."""
    return [
        (response_name, example_name, example_value(example))
        for response_name, response in spec_document()["components"]["responses"].items()
        for example_name, example in response["content"]["application/json"]
        .get("examples", {})
        .items()
        if "code" in example_value(example)
    ]


@pytest.mark.parametrize(
    ("response_name", "example_name", "value"),
    [
        pytest.param(r, e, v, id=f"{r}/{e}", marks=gap_marks(f"{r}/{e}"))
        for r, e, v in error_response_examples()
    ],
)
def test_error_example_uses_a_known_code_with_its_status_and_message(
    response_name: str, example_name: str, value: JsonObject
) -> None:
    # the API's codes, and the mock's own (GatewayTimeout: answered only when a test asks)
    known = {**spec_document()["x-wan-errors"], **control_document()["x-mock-errors"]}
    entry = known.get(value["code"])
    assert entry is not None, f"{value['code']} is not in x-wan-errors (nor x-mock-errors)"
    assert response_statuses()[response_name] == {entry["http_status"]}
    messages = {entry["message"], entry.get("task_message"), *entry.get("other_messages", ())}
    messages |= {
        rule["message"]
        for rule in rules().values()
        if rule["code"] == value["code"] and rule["stage"] == "submit"
    }
    assert value["message"] in messages


def test_every_submit_or_cancel_error_code_has_an_example_of_its_status() -> None:
    statuses = response_statuses()
    exemplified = {
        (value["code"], status)
        for response_name, _, value in error_response_examples()
        for status in statuses.get(response_name, ())
    }
    missing = [
        code
        for code, entry in spec_document()["x-wan-errors"].items()
        if {"submit", "cancel"} & set(entry["stages"])
        and (code, entry["http_status"]) not in exemplified
    ]
    assert not missing


@pytest.mark.parametrize(
    ("path", "method", "operation"),
    list(operations()),
    ids=[f"{method.upper()} {path}" for path, method, _ in operations()],
)
def test_operation_is_described_and_needs_a_bearer_key(
    path: str, method: str, operation: JsonObject
) -> None:
    spec = spec_document()
    for key in ("operationId", "summary", "description"):
        assert str(operation.get(key, "")).strip(), f"{method} {path} has no {key}"
    declared_tags = {tag["name"] for tag in spec["tags"]}
    assert operation.get("tags"), f"{method} {path} has no tags"
    assert set(operation["tags"]) <= declared_tags
    security = operation.get("security", spec.get("security"))
    assert security, f"{method} {path} has no security"
    for requirement in security:
        for scheme_name in requirement:
            scheme = spec["components"]["securitySchemes"][scheme_name]
            assert (scheme["type"], scheme["scheme"].lower()) == ("http", "bearer")


def test_the_operations_are_the_documented_endpoints() -> None:
    assert {(method, path) for path, method, _ in operations()} == DOCUMENTED_OPERATIONS


@pytest.mark.parametrize(
    ("rule_id", "stage", "code", "message", "source"),
    DOCUMENTED_RULE_OUTCOMES,
    ids=[outcome[0] for outcome in DOCUMENTED_RULE_OUTCOMES],
)
def test_rule_has_the_documented_outcome(
    rule_id: str, stage: str, code: str, message: str | None, source: str
) -> None:
    rule = rules().get(rule_id)
    assert rule is not None, f"x-wan-rules has no {rule_id} ({source})"
    assert (rule["stage"], rule["code"]) == (stage, code), source
    if message is not None:
        assert rule["message"].startswith(message), source


def test_operation_ids_are_unique() -> None:
    ids = [operation["operationId"] for _, _, operation in operations()]
    assert len(ids) == len(set(ids))


def test_servers_are_exactly_the_documented_ones() -> None:
    urls = [server["url"] for server in spec_document()["servers"]]
    assert len(urls) == len(DOCUMENTED_SERVERS)
    assert set(urls) == DOCUMENTED_SERVERS


@pytest.mark.parametrize(
    "operation",
    submit_operations(),
    ids=[op.get("operationId", "<no operationId>") for op in submit_operations()],
)
def test_submit_requires_the_async_header_set_to_enable(operation: JsonObject) -> None:
    headers = {
        p["name"].lower(): p
        for p in (resolve_ref(p) for p in operation.get("parameters", ()))
        if p["in"] == "header"
    }
    header = headers.get("x-dashscope-async")
    assert header is not None, "no X-DashScope-Async header"
    assert header["required"] is True
    assert header["schema"]["enum"] == ["enable"]
    assert header["schema"]["default"] == "enable"
    assert operation["requestBody"]["required"] is True
    assert list(operation["requestBody"]["content"]) == ["application/json"]


@pytest.mark.parametrize(
    ("schema_name", "field_name"),
    [
        ("TaskSubmitOutput", "task_status"),
        ("TaskOutput", "task_status"),
        ("TaskListItem", "status"),
    ],
)
def test_response_status_fields_use_the_open_task_status_enum(
    schema_name: str, field_name: str
) -> None:
    node = resolve_ref(
        spec_document()["components"]["schemas"][schema_name]["properties"][field_name]
    )
    branches = node.get("anyOf")
    assert branches is not None, f"{schema_name}.{field_name} is not an open enum"
    assert len(branches) == 2
    closed = [b for b in branches if "$ref" in b]
    assert len(closed) == 1
    assert view_of(closed[0]).enum == TASK_STATUSES
    assert {"type": "string"} in branches


def test_task_status_enum_is_the_documented_one() -> None:
    assert tuple(spec_document()["components"]["schemas"]["TaskStatus"]["enum"]) == TASK_STATUSES


def test_error_response_requires_no_field() -> None:
    schema = spec_document()["components"]["schemas"]["ErrorResponse"]
    assert not schema.get("required")
    assert not view_of(schema).required
    assert set(schema["properties"]) == {"request_id", "code", "message"}
