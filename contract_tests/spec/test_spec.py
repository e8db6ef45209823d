"""The spec is valid, linted, complete and faithful to the seed documents (issue 2).

- it validates as OpenAPI 3.1 and Redocly's recommended rules report no error;
- every documented field is in it with the documented type, enum, range, default and
  requiredness (``seed_table.DOCUMENTED_FIELDS``), and every field it has is documented;
- ``x-wan-models`` / ``x-wan-tiers`` / ``x-wan-errors`` / ``x-wan-service`` agree with
  API_FACTS and the seeds, and with the schemas they describe;
- every example validates, each request example against exactly one ``oneOf`` branch, and every
  curl body of the seeds is one of the spec's examples;
- the constraints bite: out-of-range, unknown and malformed values are refused, each
  cross-field rule by the subschema tagged with its ``x-rule`` id, and what the official SDK
  sends (nulls, ``function: "video-synthesis"``, ``extend_prompt``, ``parameters: {}``) passes.

The generator drift check (openapi-python-client ``--fail-on-warning``) lives elsewhere.
"""

from __future__ import annotations

import copy
import functools
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Final

import jsonschema_rs
import pytest
from openapi_spec_validator import validate

from contract_tests.support.paths import ROOT, SPEC_PATH
from contract_tests.support.redocly import REDOCLY_DIR, redocly_lint
from contract_tests.support.seed_table import (
    DOCUMENTED_ERRORS,
    DOCUMENTED_FIELDS,
    DOCUMENTED_MODELS,
    DOCUMENTED_OPERATIONS,
    DOCUMENTED_RULE_OUTCOMES,
    DOCUMENTED_SERVERS,
    DOCUMENTED_SERVICE_LIMITS,
    DOCUMENTED_TIERS,
    SEED_MAX,
    TASK_STATUSES,
    UNCHECKED,
    DocumentedError,
    DocumentedField,
    DocumentedModel,
)
from contract_tests.support.seeds import seed_texts
from contract_tests.support.spec_data import (
    all_of_parts,
    component_name,
    control_document,
    load_document,
    operations,
    pointer,
    resolve_ref,
    schema_path_nodes,
    spec_document,
)

Json = Any
JsonObject = dict[str, Any]

# Where the spec departs from the documentation (test id → why). Each test keeps asserting the
# documented truth and is marked xfail(strict): once the spec is fixed it XPASSes, which fails
# the run, and the entry must go.
SPEC_GAPS: Final[dict[str, str]] = {}


def _gap(key: str) -> tuple[pytest.MarkDecorator, ...]:
    reason = SPEC_GAPS.get(key)
    return () if reason is None else (pytest.mark.xfail(strict=True, reason=reason),)


# ---------------------------------------------------------------------------- operations


def submit_operations() -> list[JsonObject]:
    return [operation for _, _, operation in operations() if "requestBody" in operation]


def request_body_schema(operation: JsonObject) -> JsonObject:
    schema = operation["requestBody"]["content"]["application/json"]["schema"]
    assert isinstance(schema, dict)
    return schema


def branch_names(schema: JsonObject) -> list[str]:
    """The component names a request body schema offers: its ``oneOf`` branches, or its ``$ref``."""
    branches = schema.get("oneOf", [schema])
    return [component_name(branch) for branch in branches]


def request_schema_names() -> list[str]:
    names: list[str] = []
    for operation in submit_operations():
        names += [n for n in branch_names(request_body_schema(operation)) if n not in names]
    return names


def video_generation_operation() -> JsonObject:
    operation = spec_document()["paths"]["/services/aigc/video-generation/video-synthesis"]["post"]
    assert isinstance(operation, dict)
    return operation


# ---------------------------------------------------------------------------- resolver


@dataclass(frozen=True)
class SchemaView:
    """The effective constraints of a schema once ``$ref``, ``allOf`` and nullable wrappers are
    merged. ``None`` / ``UNCHECKED`` mean "not constrained". Conditional keywords (``if``,
    ``not``) are left out: the negative tests check those by validation."""

    types: frozenset[str] | None = None
    enum: tuple[Json, ...] | None = None
    const: Json = UNCHECKED
    minimum: float | None = None
    maximum: float | None = None
    default: Json = UNCHECKED
    properties: Mapping[str, Json] = field(default_factory=dict)
    required: frozenset[str] = frozenset()
    items: Json = None
    min_items: int | None = None
    max_items: int | None = None

    @property
    def value_types(self) -> frozenset[str] | None:
        return None if self.types is None else self.types - {"null"}

    @property
    def values(self) -> frozenset[Json] | None:
        return None if self.enum is None else frozenset(v for v in self.enum if v is not None)


def _tighter(a: float | None, b: float | None, pick: Any) -> Any:
    return b if a is None else a if b is None else pick(a, b)


def _both(base: SchemaView, top: SchemaView) -> SchemaView:
    """What an instance must satisfy to pass both (``allOf``); ``top``'s annotations win."""
    types = top.types if base.types is None else base.types if top.types is None else None
    if base.types is not None and top.types is not None:
        types = base.types & top.types
    enum = top.enum if base.enum is None else base.enum
    if base.enum is not None and top.enum is not None:
        enum = tuple(v for v in base.enum if v in top.enum)
    return SchemaView(
        types=types,
        enum=enum,
        const=base.const if top.const is UNCHECKED else top.const,
        minimum=_tighter(base.minimum, top.minimum, max),
        maximum=_tighter(base.maximum, top.maximum, min),
        default=base.default if top.default is UNCHECKED else top.default,
        properties={**base.properties, **top.properties},
        required=base.required | top.required,
        items=base.items if top.items is None else top.items,
        min_items=_tighter(base.min_items, top.min_items, max),
        max_items=_tighter(base.max_items, top.max_items, min),
    )


def _either(views: Sequence[SchemaView]) -> SchemaView:
    """What an instance passing any one of ``views`` can be (a real ``anyOf``)."""
    types: frozenset[str] | None = frozenset()
    enum: tuple[Json, ...] | None = ()
    for view in views:
        types = None if types is None or view.types is None else types | view.types
        enum = None if enum is None or view.enum is None else enum + view.enum
    return SchemaView(types=types, enum=enum)


def _own(node: JsonObject) -> SchemaView:
    declared = node.get("type")
    types = (
        None
        if declared is None
        else frozenset([declared] if isinstance(declared, str) else declared)
    )
    return SchemaView(
        types=types,
        enum=tuple(node["enum"]) if "enum" in node else None,
        const=node.get("const", UNCHECKED),
        minimum=node.get("minimum"),
        maximum=node.get("maximum"),
        default=node.get("default", UNCHECKED),
        properties=node.get("properties", {}),
        required=frozenset(node.get("required", ())),
        items=node.get("items"),
        min_items=node.get("minItems"),
        max_items=node.get("maxItems"),
    )


def view_of(node: Json) -> SchemaView:
    """Merge ``$ref``, ``allOf`` and ``anyOf``/``oneOf`` (``[X, {type: 'null'}]`` counts as a
    nullable X) into one ``SchemaView``."""
    assert isinstance(node, dict), f"not a schema: {node!r}"
    view = SchemaView()
    for part in all_of_parts(node):
        for keyword in ("anyOf", "oneOf"):
            if keyword not in part:
                continue
            branches = part[keyword]
            others = [b for b in branches if b != {"type": "null"}]
            alternative = (
                view_of(others[0]) if len(others) == 1 else _either([view_of(b) for b in others])
            )
            if len(others) < len(branches) and alternative.types is not None:
                alternative = replace(alternative, types=alternative.types | {"null"})
            view = _both(view, alternative)
        view = _both(view, _own(part))
    return view


@dataclass(frozen=True)
class FieldLookup:
    view: SchemaView
    required: bool


def lookup(schema_name: str, path: str) -> FieldLookup:
    """The effective schema of ``path`` (dot-separated) inside component ``schema_name``, and
    whether its last segment is required in its parent."""
    view = view_of(spec_document()["components"]["schemas"][schema_name])
    required = True
    for segment in path.split("."):
        if segment not in view.properties:
            raise LookupError(f"{schema_name} has no field {path!r} (no {segment!r})")
        required = segment in view.required
        view = view_of(view.properties[segment])
    return FieldLookup(view, required)


def has_field(schema_name: str, path: str) -> bool:
    try:
        lookup(schema_name, path)
    except LookupError:
        return False
    return True


# ---------------------------------------------------------------------------- validators


@functools.cache
def _validator_from_text(schema_text: str) -> Any:
    schema = json.loads(schema_text)
    return jsonschema_rs.Draft202012Validator(
        {**schema, "components": spec_document()["components"]}
    )


def validator_for(schema: JsonObject) -> Any:
    """A Draft 2020-12 validator for ``schema`` with the spec's components reachable."""
    return _validator_from_text(json.dumps(schema, sort_keys=True))


def component_validator(name: str) -> Any:
    return validator_for({"$ref": f"#/components/schemas/{name}"})


def matching_branches(schema: JsonObject, body: Json) -> list[str]:
    return [name for name in branch_names(schema) if component_validator(name).is_valid(body)]


def error_report(validator: Any, body: Json) -> str:
    return "; ".join(
        f"{'/'.join(map(str, e.instance_path))}: {e.message}" for e in validator.iter_errors(body)
    )


def instance_at(instance: Json, path: Sequence[str | int]) -> Json:
    for segment in path:
        instance = instance[segment] if isinstance(instance, dict) else instance[int(segment)]
    return instance


def rules_refusing(schema: JsonObject, instance: Json, depth: int = 0) -> set[str]:
    """The ``x-rule`` tags of the subschemas on the schema paths of the errors ``instance``
    gets against ``schema``. jsonschema-rs reports a failed ``oneOf``/``anyOf`` at the keyword
    itself, so the branches of such a keyword are validated one by one."""
    root = {**schema, "components": spec_document()["components"]}
    tags: set[str] = set()
    for error in validator_for(schema).iter_errors(instance):
        passed = schema_path_nodes(root, list(error.schema_path))
        tags |= {node["x-rule"] for node in passed if isinstance(node, dict) and "x-rule" in node}
        if depth < 4 and list(error.schema_path)[-1:] in (["oneOf"], ["anyOf"]):
            fragment = instance_at(instance, list(error.instance_path))
            for branch in passed[-1]:
                if "$ref" in branch:
                    tags |= rules_refusing(branch, fragment, depth + 1)
    return tags


def _same_value(actual: Json, expected: Json) -> bool:
    if isinstance(actual, bool) or isinstance(expected, bool):
        return type(actual) is type(expected) and actual == expected
    return bool(actual == expected)


def example_value(example: JsonObject) -> Json:
    return resolve_ref(example)["value"]


# ============================================================================ 1-2. valid, linted


def test_spec_validates_as_openapi_3_1() -> None:
    spec = copy.deepcopy(spec_document())
    assert spec["openapi"].startswith("3.1")
    validate(spec)


def test_redocly_config_is_the_recommended_ruleset_with_nothing_switched_off() -> None:
    config = load_document(ROOT / "redocly.yaml")
    assert config.get("extends") == ["recommended"]
    assert "off" not in (config.get("rules") or {}).values()


@pytest.mark.slow
def test_redocly_recommended_rules_report_no_errors() -> None:
    report = redocly_lint(SPEC_PATH)
    pinned = json.loads((REDOCLY_DIR / "package.json").read_text())["devDependencies"][
        "@redocly/cli"
    ]
    assert report["version"] == pinned
    problems = "\n".join(
        f"  [{p['severity']}] {p['ruleId']} at {p['location'][0]['pointer']}: {p['message']}"
        for p in report["problems"]
    )
    print(f"redocly lint: {report['totals']}\n{problems}")
    assert report["totals"]["errors"] == 0, f"redocly lint found errors:\n{problems}"


# ============================================================================ 4. documented fields


@pytest.mark.parametrize(
    "row", [pytest.param(row, id=row.id, marks=_gap(row.id)) for row in DOCUMENTED_FIELDS]
)
def test_documented_field_is_in_the_spec_with_its_documented_constraints(
    row: DocumentedField,
) -> None:
    try:
        found = lookup(row.schema, row.path)
    except LookupError as missing:
        pytest.fail(f"{missing} — documented in {row.source}")
    view = found.view
    problems: list[str] = []
    if view.value_types != frozenset({row.type}):
        problems.append(f"type is {sorted(view.value_types or ['<any>'])}, documented {row.type}")
    if row.required is not None and found.required != row.required:
        problems.append(f"required is {found.required}, documented {row.required}")
    enum = row.enum
    if row.capability is not None:  # every value documented for some model (see DocumentedField)
        enum = frozenset().union(
            *(r.enum for r in DOCUMENTED_FIELDS if r.capability == row.capability and r.enum)
        )
    if enum is not None and view.values != enum:
        problems.append(f"enum is {view.enum}, documented {sorted(map(str, enum))}")
    if row.const is not UNCHECKED and not _same_value(view.const, row.const):
        problems.append(f"const is {view.const!r}, documented {row.const!r}")
    if row.minimum is not None and view.minimum != row.minimum:
        problems.append(f"minimum is {view.minimum}, documented {row.minimum}")
    if row.maximum is not None and view.maximum != row.maximum:
        problems.append(f"maximum is {view.maximum}, documented {row.maximum}")
    if row.default is not UNCHECKED and not _same_value(view.default, row.default):
        problems.append(f"default is {view.default!r}, documented {row.default!r}")
    if row.item_type is not None or row.item_enum is not None:
        items = view_of(view.items) if view.items is not None else SchemaView()
        if row.item_type is not None and items.value_types != frozenset({row.item_type}):
            problems.append(f"items are {items.value_types}, documented {row.item_type}")
        if row.item_enum is not None and items.values != row.item_enum:
            problems.append(f"items enum is {items.enum}, documented {sorted(row.item_enum)}")
    if row.min_items is not None and view.min_items != row.min_items:
        problems.append(f"minItems is {view.min_items}, documented {row.min_items}")
    if row.max_items is not None and view.max_items != row.max_items:
        problems.append(f"maxItems is {view.max_items}, documented {row.max_items}")
    assert not problems, f"{row.id} ({row.source}): " + "; ".join(problems)


def test_every_request_field_of_the_spec_has_a_documented_row() -> None:
    documented = {(row.schema, row.path) for row in DOCUMENTED_FIELDS}
    undocumented = []
    for name in request_schema_names():
        for top, node in view_of(spec_document()["components"]["schemas"][name]).properties.items():
            paths = [top] + [f"{top}.{sub}" for sub in view_of(node).properties]
            undocumented += [f"{name}:{p}" for p in paths if (name, p) not in documented]
    assert not undocumented, f"fields in the spec that no seed row documents: {undocumented}"


def test_the_request_variants_are_the_documented_ones() -> None:
    documented = {row.schema for row in DOCUMENTED_FIELDS if row.schema.endswith("Request")}
    assert set(request_schema_names()) == documented
    assert set(branch_names(request_body_schema(video_generation_operation()))) == documented


def test_tiers_hold_the_documented_sizes_and_the_size_enums_follow_them() -> None:
    spec = spec_document()
    tiers = spec["x-wan-tiers"]
    assert {tier: set(sizes) for tier, sizes in tiers.items()} == {
        tier: set(sizes) for tier, sizes in DOCUMENTED_TIERS.items()
    }
    schemas = spec["components"]["schemas"]
    assert set(schemas["VideoSize"]["enum"]) == {s for sizes in tiers.values() for s in sizes}
    assert set(schemas["Resolution"]["enum"]) == set(tiers)


# ============================================================================ 4b. models


@pytest.mark.parametrize("documented", DOCUMENTED_MODELS, ids=lambda m: m.model)
def test_model_capabilities_match_the_documentation(documented: DocumentedModel) -> None:
    entry = spec_document()["x-wan-models"].get(documented.model)
    assert entry is not None, f"x-wan-models has no entry for {documented.model}"
    expected: dict[str, Json] = {
        "family": documented.family,
        "requests": set(documented.requests),
        "paths": set(documented.paths),
        "resolutions": set(documented.tiers),
        "durations": set(documented.durations),
        "audio": documented.audio,
        "rps": documented.rps,
        "concurrent_tasks": documented.concurrent_tasks,
        "processing_seconds": documented.processing_seconds,
    }
    actual: dict[str, Json] = {
        "family": entry.get("family"),
        "requests": set(entry.get("requests", ())),
        "paths": set(entry.get("paths", ())),
        "resolutions": set(entry.get("resolutions", ())),
        "durations": set(entry.get("durations", ())),
        "audio": entry.get("audio"),
        "rps": entry.get("rate_limit", {}).get("rps"),
        "concurrent_tasks": entry.get("rate_limit", {}).get("concurrent_tasks"),
        "processing_seconds": (
            entry.get("processing_seconds", {}).get("min"),
            entry.get("processing_seconds", {}).get("max"),
        ),
    }
    optional = {
        "default_size": documented.default_size,
        "default_resolution": documented.default_resolution,
        "prompt_max_length": documented.prompt_max_length,
    }
    for key, value in optional.items():
        if value is not None:
            expected[key], actual[key] = value, entry.get(key)
    if documented.templates is not None:
        expected["templates"] = set(documented.templates)
        actual["templates"] = set(entry.get("templates", ()))
    assert actual == expected


def test_every_model_in_the_spec_is_documented() -> None:
    assert set(spec_document()["x-wan-models"]) == {m.model for m in DOCUMENTED_MODELS}


@pytest.mark.parametrize("model", sorted(spec_document()["x-wan-models"]))
def test_model_defaults_are_among_its_own_capabilities(model: str) -> None:
    spec = spec_document()
    entry = spec["x-wan-models"][model]
    sizes = {size for tier in entry["resolutions"] for size in spec["x-wan-tiers"][tier]}
    assert entry["default_duration"] in entry["durations"]
    assert "default_size" in entry or "default_resolution" in entry
    if "default_size" in entry:
        assert entry["default_size"] in sizes
    if "default_resolution" in entry:
        assert entry["default_resolution"] in entry["resolutions"]
    for request in entry["requests"]:
        durations = lookup(request, "parameters.duration").view.values
        assert durations is not None, request
        assert set(entry["durations"]) <= durations, request


# ============================================================================ 4c. errors, service


@pytest.mark.parametrize("documented", DOCUMENTED_ERRORS, ids=lambda e: e.code)
def test_error_code_has_the_documented_status_and_message(documented: DocumentedError) -> None:
    entry = spec_document()["x-wan-errors"].get(documented.code)
    assert entry is not None, f"x-wan-errors has no {documented.code}"
    assert entry["http_status"] == documented.http_status
    if documented.messages:
        assert entry["message"] in documented.messages


def test_every_error_code_in_the_spec_is_documented() -> None:
    assert set(spec_document()["x-wan-errors"]) == {e.code for e in DOCUMENTED_ERRORS}


@pytest.mark.parametrize(
    ("key", "documented", "source"),
    DOCUMENTED_SERVICE_LIMITS,
    ids=[k for k, _, _ in DOCUMENTED_SERVICE_LIMITS],
)
def test_service_limit_matches_the_documentation(key: str, documented: Json, source: str) -> None:
    value: Json = spec_document()["x-wan-service"]
    for part in key.split("."):
        value = value[part]
    if isinstance(documented, frozenset):
        value = frozenset(value)
    assert value == documented, f"x-wan-service.{key} (documented in {source})"


# ============================================================================ 5. examples


def request_examples() -> list[tuple[str, str, JsonObject]]:
    """(operationId, example name, operation) for every request example."""
    return [
        (operation.get("operationId", "<no operationId>"), name, operation)
        for operation in submit_operations()
        for name in operation["requestBody"]["content"]["application/json"].get("examples", {})
    ]


def expected_request_schema(body: JsonObject) -> str:
    """The variant ``x-wan-models`` says a body is: the model's request, or for VACE the one
    whose ``input.function`` const is the body's function."""
    requests: list[str] = spec_document()["x-wan-models"][body["model"]]["requests"]
    if len(requests) == 1:
        return requests[0]
    function = body["input"].get("function")
    return next(n for n in requests if lookup(n, "input.function").view.const == function)


@pytest.mark.parametrize(
    ("operation_id", "name", "operation"),
    request_examples(),
    ids=[f"{op}/{name}" for op, name, _ in request_examples()],
)
def test_request_example_matches_exactly_its_own_variant(
    operation_id: str, name: str, operation: JsonObject
) -> None:
    example = operation["requestBody"]["content"]["application/json"]["examples"][name]
    body = example_value(example)
    schema = request_body_schema(operation)
    validator = validator_for(schema)
    assert validator.is_valid(body), error_report(validator, body)
    expected = expected_request_schema(body)
    assert matching_branches(schema, body) == [expected]
    submit = request_body_schema(video_generation_operation())
    assert matching_branches(submit, body) == [expected]


def response_examples() -> list[tuple[str, JsonObject, Json]]:
    """(label, schema, example value) for every response example, each response once."""
    found: dict[str, tuple[str, JsonObject, Json]] = {}
    for _, _, operation in operations():
        for status, response in operation["responses"].items():
            owner = component_name(response) if "$ref" in response else None
            content = resolve_ref(response).get("content", {}).get("application/json", {})
            for name, example in content.get("examples", {}).items():
                label = f"{owner or operation.get('operationId', '?') + '/' + status}/{name}"
                found[label] = (label, content["schema"], example_value(example))
    return sorted(found.values(), key=lambda item: item[0])


@pytest.mark.parametrize(
    ("label", "schema", "value"), response_examples(), ids=[r[0] for r in response_examples()]
)
def test_response_example_validates_against_its_response_schema(
    label: str, schema: JsonObject, value: Json
) -> None:
    validator = validator_for(schema)
    assert validator.is_valid(value), f"{label}: {error_report(validator, value)}"


def test_every_submit_operation_carries_request_examples() -> None:
    for operation in submit_operations():
        examples = operation["requestBody"]["content"]["application/json"].get("examples")
        assert examples, f"{operation.get('operationId')} has no request example"


# ---------------------------------------------------------------------------- seed curl bodies

_CURL_BODY: Final = re.compile(r"--data(?:-raw)?\s+'(\{.*?\})'", re.DOTALL)


def seed_request_bodies() -> list[tuple[str, JsonObject]]:
    """Every curl ``--data``/``--data-raw`` body of the seeds that is valid JSON."""
    bodies = []
    for name, text in seed_texts():
        for number, match in enumerate(_CURL_BODY.finditer(text), start=1):
            try:
                body = json.loads(match.group(1))
            except json.JSONDecodeError:
                continue  # mangled seed text
            bodies.append((f"{name}#{number}", body))
    return bodies


def seed_response_examples() -> list[tuple[str, JsonObject]]:
    """Every complete JSON object in the seeds that carries a ``request_id`` (a response)."""
    decoder = json.JSONDecoder()
    found = []
    for name, text in seed_texts():
        index = text.find("{")
        while index != -1:
            try:
                value, end = decoder.raw_decode(text, index)
            except json.JSONDecodeError:
                index = text.find("{", index + 1)
                continue
            if isinstance(value, dict) and "request_id" in value:
                found.append((name, value))
            index = text.find("{", end)
    return found


def all_request_example_values() -> list[Json]:
    return [
        example_value(example)
        for operation in submit_operations()
        for example in operation["requestBody"]["content"]["application/json"]["examples"].values()
    ]


def test_seed_documents_yield_at_least_ten_curl_bodies() -> None:
    assert len(seed_request_bodies()) >= 10


@pytest.mark.slow
@pytest.mark.parametrize(("ci", "outcome"), [("true", "1 failed"), (None, "1 skipped")])
def test_missing_seed_documents_fail_the_run_under_ci_and_skip_elsewhere(
    tmp_path: Path, ci: str | None, outcome: str
) -> None:
    environment = {k: v for k, v in os.environ.items() if k != "CI"}
    environment["WAN_SEEDS_DIR"] = str(tmp_path / "no-seeds-here")
    if ci is not None:
        environment["CI"] = ci
    test = f"{Path(__file__).name}::test_seed_documents_yield_at_least_ten_curl_bodies"
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "--no-cov", "-p", "no:cacheprovider", "-q", "-rsf", test],
        cwd=Path(__file__).parent,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert outcome in done.stdout, done.stdout[-2000:]
    assert "seed documents not found" in done.stdout
    assert (done.returncode != 0) == (ci is not None)


def test_every_seed_curl_body_is_one_of_the_spec_request_examples() -> None:
    examples = all_request_example_values()
    missing = [label for label, body in seed_request_bodies() if body not in examples]
    assert not missing, f"seed bodies the spec does not carry as examples: {missing}"


def test_every_seed_curl_body_matches_exactly_one_variant() -> None:
    submit = request_body_schema(video_generation_operation())
    wrong = {
        label: matching_branches(submit, body)
        for label, body in seed_request_bodies()
        if matching_branches(submit, body) != [expected_request_schema(body)]
    }
    assert not wrong


def test_every_seed_response_example_is_one_of_the_spec_response_examples() -> None:
    seeds = seed_response_examples()
    assert len(seeds) >= 4
    examples = [value for _, _, value in response_examples()]
    missing = [
        f"{name}: {json.dumps(value)[:80]}" for name, value in seeds if value not in examples
    ]
    assert not missing


def _spec_messages() -> list[tuple[str, str]]:
    """``(where, text)`` of every message the spec gives: the error table's and the rules'."""
    spec = spec_document()
    found = []
    for code, entry in spec["x-wan-errors"].items():
        for key in ("message", "task_message"):
            if key in entry:
                found.append((f"x-wan-errors.{code}.{key}", str(entry[key])))
        found += [(f"x-wan-errors.{code}.other", str(m)) for m in entry.get("other_messages", ())]
    found += [(f"x-wan-rules.{rule['id']}", str(rule["message"])) for rule in spec["x-wan-rules"]]
    return found


def test_every_message_the_seeds_quote_is_the_seed_text_character_for_character() -> None:
    """Where a seed gives a message, the spec carries it exactly: a seed that quotes it without
    a final period (seed 003's "ref_images_url and obj_or_bg must be the same length", "current
    user api does not support synchronous calls") wins over API_FACTS's period."""
    texts = [text for _, text in seed_texts()]
    quoted = 0
    wrong = []
    for where, message in _spec_messages():
        core = message.rstrip(".")
        endings = {
            text[match.end() : match.end() + 1]
            for text in texts
            for match in re.finditer(re.escape(core), text)
        }
        if not endings:
            continue
        quoted += 1
        if message.endswith(".") and "." not in endings:
            wrong.append(f"{where}: {message!r} (the seeds end it without a period)")
        if not message.endswith(".") and endings == {"."}:
            wrong.append(f"{where}: {message!r} (the seeds end it with a period)")
    assert not wrong, wrong
    assert quoted >= 5


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
        pytest.param(r, e, v, id=f"{r}/{e}", marks=_gap(f"{r}/{e}"))
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


# ============================================================================ 7. constraints bite

IMAGE: Final = "https://wanx.alicdn.com/material/20250318/first_frame.png"
VIDEO: Final = "http://wanx.alicdn.com/material/20250318/video_edit_2.mp4"
CLIP: Final = "http://wanx.alicdn.com/material/20250318/video_extension_1.mp4"
CHINESE_IMAGE: Final = "https://wanx.alicdn.com/material/图片/first_frame.png"
CHINESE_VIDEO: Final = "http://wanx.alicdn.com/material/视频/video_edit_2.mp4"
DELETE: Final = object()


def _vace(function: str, **inputs: Json) -> JsonObject:
    return {
        "model": "wan2.1-vace-plus",
        "input": {"function": function, "prompt": "A dog on a skateboard.", **inputs},
        "parameters": {},
    }


MINIMAL_BODIES: Final[dict[str, JsonObject]] = {
    "TextToVideoRequest": {
        "model": "wan2.5-t2v-preview",
        "input": {"prompt": "A kitten in golden armour."},
        "parameters": {},
    },
    "ImageToVideoRequest": {
        "model": "wan2.2-i2v-flash",
        "input": {"img_url": IMAGE},
        "parameters": {},
    },
    "KeyframeToVideoRequest": {
        "model": "wan2.2-kf2v-flash",
        "input": {"first_frame_url": IMAGE},
        "parameters": {},
    },
    "ImageReferenceRequest": _vace("image_reference", ref_images_url=[IMAGE, IMAGE]),
    "VideoRepaintingRequest": {
        **_vace("video_repainting", video_url=VIDEO),
        "parameters": {"control_condition": "depth"},
    },
    "VideoEditRequest": _vace("video_edit", video_url=VIDEO, mask_image_url=IMAGE),
    "VideoExtensionRequest": _vace("video_extension", first_clip_url=CLIP),
    "VideoOutpaintingRequest": _vace("video_outpainting", video_url=VIDEO),
}


def body_of(schema_name: str, changes: Mapping[str, Json] | None = None) -> JsonObject:
    """A copy of the variant's minimal valid body with ``changes`` (dotted path → value, or
    ``DELETE``) applied."""
    body = copy.deepcopy(MINIMAL_BODIES[schema_name])
    for path, value in (changes or {}).items():
        *parents, last = path.split(".")
        node = body
        for part in parents:
            node = node.setdefault(part, {})
        if value is DELETE:
            node.pop(last, None)
        else:
            node[last] = value
    return body


@dataclass(frozen=True)
class Case:
    schema: str
    changes: Mapping[str, Json]
    why: str
    rule: str | None = None

    @property
    def id(self) -> str:
        return f"{self.schema.removesuffix('Request')}: {self.why}"


REJECTED: Final[tuple[Case, ...]] = (
    # ranges
    *(
        Case(
            "VideoOutpaintingRequest", {f"parameters.{side}_scale": value}, f"{side}_scale {value}"
        )
        for side in ("top", "bottom", "left", "right")
        for value in (2.001, 0.999)
    ),
    *(
        Case(name, {"parameters.seed": value}, f"seed {value}")
        for name in MINIMAL_BODIES
        for value in (-1, SEED_MAX + 1)
    ),
    Case("VideoRepaintingRequest", {"parameters.strength": 1.01}, "strength 1.01"),
    Case("VideoRepaintingRequest", {"parameters.strength": -0.01}, "strength -0.01"),
    Case("VideoEditRequest", {"parameters.expand_ratio": 1.01}, "expand_ratio 1.01"),
    Case("VideoEditRequest", {"parameters.expand_ratio": -0.01}, "expand_ratio -0.01"),
    Case("VideoEditRequest", {"input.mask_frame_id": 0}, "mask_frame_id 0"),
    # cross-field rules, each refused by the subschema tagged with its id
    Case(
        "ImageReferenceRequest",
        {"parameters.obj_or_bg": ["bg", "bg"]},
        "two backgrounds",
        "image_reference.single-background",
    ),
    Case(
        "VideoEditRequest",
        {"input.mask_video_url": VIDEO},
        "both mask_image_url and mask_video_url",
        "video_edit.one-mask",
    ),
    Case("VideoEditRequest", {"input.mask_image_url": DELETE}, "no mask", "video_edit.one-mask"),
    Case(
        "VideoExtensionRequest",
        {"input.video_url": VIDEO},
        "video_url without control_condition",
        "video_extension.control-condition-with-video",
    ),
    Case(
        "VideoExtensionRequest",
        {"input.video_url": VIDEO, "parameters.control_condition": ""},
        "video_url with empty control_condition",
        "video_extension.control-condition-with-video",
    ),
    Case(
        "VideoExtensionRequest",
        {"input.video_url": VIDEO, "parameters": DELETE},
        "video_url without parameters",
        "video_extension.control-condition-with-video",
    ),
    Case(
        "VideoExtensionRequest",
        {"input.first_clip_url": DELETE},
        "no frame and no clip",
        "video_extension.needs-anchor",
    ),
    Case(
        "VideoExtensionRequest",
        {
            "input.first_clip_url": DELETE,
            "input.video_url": VIDEO,
            "parameters.control_condition": "depth",
        },
        "only a reference video",
        "video_extension.needs-anchor",
    ),
    # URLs with Chinese characters
    Case(
        "ImageToVideoRequest",
        {"input.img_url": CHINESE_IMAGE},
        "Chinese img_url",
        "media.url-syntax",
    ),
    *(
        Case(
            "KeyframeToVideoRequest",
            {f"input.{f}": CHINESE_IMAGE},
            f"Chinese {f}",
            "media.url-syntax",
        )
        for f in ("first_frame_url", "last_frame_url")
    ),
    Case(
        "ImageReferenceRequest",
        {"input.ref_images_url": [IMAGE, CHINESE_IMAGE]},
        "Chinese ref_images_url item",
        "media.url-syntax",
    ),
    *(
        Case(name, {"input.video_url": CHINESE_VIDEO}, "Chinese video_url", "media.url-syntax")
        for name in ("VideoRepaintingRequest", "VideoEditRequest", "VideoOutpaintingRequest")
    ),
    Case(
        "VideoEditRequest",
        {"input.mask_image_url": CHINESE_IMAGE},
        "Chinese mask",
        "media.url-syntax",
    ),
    *(
        Case(
            "VideoExtensionRequest",
            {f"input.{f}": CHINESE_IMAGE},
            f"Chinese {f}",
            "media.url-syntax",
        )
        for f in ("first_frame_url", "last_frame_url", "first_clip_url", "last_clip_url")
    ),
    Case(
        "ImageToVideoRequest",
        {"input.img_url": "ftp://example.com/a.png"},
        "ftp img_url",
        "media.url-syntax",
    ),
    # unknown enum values
    Case(
        "ImageReferenceRequest",
        {"input.ref_images_url": ["data:image/png;base64,GDU7MtCZzEbTbmRZ"]},
        "base64 reference image",
        "media.url-syntax",
    ),
    Case("TextToVideoRequest", {"model": "wan9-t2v-ultra"}, "unknown model"),
    Case("TextToVideoRequest", {"parameters.size": "1024*1024"}, "unknown size"),
    Case("TextToVideoRequest", {"parameters.duration": 7}, "duration 7"),
    Case("ImageToVideoRequest", {"parameters.resolution": "2K"}, "unknown resolution"),
    Case("ImageToVideoRequest", {"parameters.duration": 6}, "duration 6"),
    Case("KeyframeToVideoRequest", {"parameters.resolution": "4K"}, "unknown resolution"),
    Case("KeyframeToVideoRequest", {"parameters.duration": 7}, "duration 7"),
    Case("ImageReferenceRequest", {"parameters.size": "1000*1000"}, "an undocumented size"),
    Case("ImageReferenceRequest", {"parameters.obj_or_bg": ["obj", "fg"]}, "obj_or_bg fg"),
    Case("ImageReferenceRequest", {"parameters.duration": 7}, "duration 7"),
    Case("VideoRepaintingRequest", {"parameters.control_condition": "canny"}, "unknown control"),
    Case(
        "VideoEditRequest", {"parameters.control_condition": "posebody"}, "repainting-only control"
    ),
    Case(
        "VideoExtensionRequest",
        {"parameters.control_condition": "scribble"},
        "repainting-only control",
    ),
    Case("VideoEditRequest", {"parameters.mask_type": "moving"}, "unknown mask_type"),
    Case("VideoEditRequest", {"parameters.expand_mode": "circle"}, "unknown expand_mode"),
    Case("VideoEditRequest", {"parameters.size": "832x480"}, "a size without *"),
    Case("TextToVideoRequest", {"input.prompt": ""}, "an empty prompt"),
    Case("TextToVideoRequest", {"input.prompt": None}, "a null prompt"),
    Case(
        "VideoEditRequest",
        {"input.mask_image_url": None, "input.mask_video_url": None},
        "both masks null",
    ),
    Case(
        "VideoExtensionRequest",
        {"input.first_clip_url": None, "input.first_frame_url": None},
        "every anchor null",
    ),
    Case("ImageReferenceRequest", {"input.function": "video-synthesis"}, "SDK function on VACE"),
    Case("VideoOutpaintingRequest", {"input.function": "outpainting"}, "unknown function"),
    # wrong types
    Case("TextToVideoRequest", {"parameters.seed": "42"}, "seed as a string"),
    Case("TextToVideoRequest", {"parameters.watermark": "yes"}, "watermark as a string"),
    Case(
        "VideoOutpaintingRequest",
        {"parameters.prompt_extend": "false"},
        "prompt_extend as a string",
    ),
    Case("TextToVideoRequest", {"parameters.seed": 1.5}, "fractional seed"),
    # required fields
    Case("TextToVideoRequest", {"input.prompt": DELETE}, "no prompt"),
    Case("TextToVideoRequest", {"input": DELETE}, "no input"),
    Case("TextToVideoRequest", {"model": DELETE}, "no model"),
    Case("ImageToVideoRequest", {"input.img_url": DELETE}, "no img_url"),
    Case("KeyframeToVideoRequest", {"input.first_frame_url": DELETE}, "no first_frame_url"),
    Case("ImageReferenceRequest", {"input.ref_images_url": DELETE}, "no ref_images_url"),
    Case("ImageReferenceRequest", {"input.ref_images_url": []}, "empty ref_images_url"),
    Case("ImageReferenceRequest", {"input.prompt": DELETE}, "no prompt"),
    Case("VideoRepaintingRequest", {"parameters": DELETE}, "no parameters"),
    Case(
        "VideoRepaintingRequest", {"parameters.control_condition": DELETE}, "no control_condition"
    ),
    Case(
        "VideoRepaintingRequest", {"input.ref_images_url": [IMAGE, IMAGE]}, "two reference images"
    ),
    Case("VideoEditRequest", {"input.video_url": DELETE}, "no video_url"),
    Case("VideoEditRequest", {"input.ref_images_url": [IMAGE, IMAGE]}, "two reference images"),
    Case("VideoOutpaintingRequest", {"input.video_url": DELETE}, "no video_url"),
)


@pytest.mark.parametrize(
    "case", [pytest.param(case, id=case.id, marks=_gap(case.id)) for case in REJECTED]
)
def test_invalid_request_is_rejected(case: Case) -> None:
    body = body_of(case.schema, case.changes)
    validator = component_validator(case.schema)
    errors = list(validator.iter_errors(body))
    assert errors, f"{case.schema} accepted {body}"
    submit = request_body_schema(video_generation_operation())
    assert not validator_for(submit).is_valid(body), f"the submit oneOf accepted {body}"
    if case.rule is not None:
        tags = rules_refusing({"$ref": f"#/components/schemas/{case.schema}"}, body)
        assert case.rule in tags, (
            f"no error passes through a subschema tagged {case.rule}; "
            f"errors: {[(list(e.schema_path), e.message) for e in errors]}"
        )


def _nulled_parameters(schema_name: str) -> JsonObject:
    parameters = view_of(pointer(f"#/components/schemas/{schema_name}")["properties"]["parameters"])
    return {
        f"parameters.{name}": None
        for name in parameters.properties
        if name not in parameters.required
    }


ACCEPTED: Final[tuple[Case, ...]] = (
    *(Case(name, {}, "minimal body") for name in MINIMAL_BODIES),
    *(
        Case(name, {"parameters": {}}, "empty parameters")
        for name in MINIMAL_BODIES
        if name != "VideoRepaintingRequest"
    ),
    Case("TextToVideoRequest", {"parameters": DELETE}, "no parameters"),
    *(Case(name, _nulled_parameters(name), "null optional parameters") for name in MINIMAL_BODIES),
    # what the official SDK adds (API_FACTS §2)
    *(
        Case(
            name,
            {
                "input.function": "video-synthesis",
                "input.extend_prompt": True,
                "input.prompt": None,
            },
            "SDK function, extend_prompt and null prompt",
        )
        for name in ("ImageToVideoRequest", "KeyframeToVideoRequest")
    ),
    Case(
        "TextToVideoRequest",
        {"input.function": "video-synthesis", "input.extend_prompt": True},
        "SDK function and extend_prompt",
    ),
    *(
        Case(name, {"input.extend_prompt": True}, "SDK extend_prompt")
        for name in MINIMAL_BODIES
        if name not in {"TextToVideoRequest", "ImageToVideoRequest", "KeyframeToVideoRequest"}
    ),
    Case(
        "ImageToVideoRequest",
        {"input.negative_prompt": None, "input.template": None, "input.audio_url": None},
        "null optional inputs",
    ),
    Case("KeyframeToVideoRequest", {"input.last_frame_url": None}, "null last_frame_url"),
    Case("ImageReferenceRequest", {"parameters.obj_or_bg": None}, "null obj_or_bg"),
    # boundaries
    *(
        Case(name, {"parameters.seed": value}, f"seed {value}")
        for name in MINIMAL_BODIES
        for value in (0, SEED_MAX)
    ),
    *(
        Case(
            "VideoOutpaintingRequest", {f"parameters.{side}_scale": value}, f"{side}_scale {value}"
        )
        for side in ("top", "bottom", "left", "right")
        for value in (1.0, 2.0, 1)
    ),
    *(
        Case("VideoRepaintingRequest", {"parameters.strength": v}, f"strength {v}")
        for v in (0, 1.0)
    ),
    *(
        Case("VideoEditRequest", {"parameters.expand_ratio": v}, f"expand_ratio {v}")
        for v in (0, 1)
    ),
    Case("VideoEditRequest", {"input.mask_frame_id": 1}, "mask_frame_id 1"),
    # documented alternatives
    Case(
        "VideoEditRequest",
        {"input.mask_image_url": DELETE, "input.mask_video_url": VIDEO},
        "mask video only",
    ),
    Case(
        "VideoExtensionRequest",
        {"input.video_url": VIDEO, "parameters.control_condition": "posebodyface"},
        "reference video with control_condition",
    ),
    Case(
        "VideoExtensionRequest",
        {"input.first_clip_url": DELETE, "input.last_frame_url": IMAGE},
        "last frame only",
    ),
    Case(
        "ImageReferenceRequest",
        {"input.ref_images_url": [IMAGE] * 3, "parameters.obj_or_bg": ["obj", "obj", "bg"]},
        "seed 003 obj_or_bg example",
    ),
    Case("ImageReferenceRequest", {"input.ref_images_url": [IMAGE] * 4}, "more than 3 images"),
    Case("ImageReferenceRequest", {"input.ref_images_url": [IMAGE]}, "one image, no obj_or_bg"),
    Case(
        "KeyframeToVideoRequest",
        {"input.first_frame_url": "data:image/png;base64,GDU7MtCZzEbTbmRZ"},
        "base64 first frame",
    ),
    Case(
        "ImageToVideoRequest", {"input.img_url": "oss://dashscope-instant/abc/cat.png"}, "oss URL"
    ),
    Case(
        "TextToVideoRequest",
        {
            "input.audio_url": "https://help-static-aliyun-doc.aliyuncs.com/file-manage-files/"
            "zh-CN/20250923/hbiayh/%E4%BB%8E%E5%86%9B%E8%A1%8C.mp3"
        },
        "seed 004 audio_url",
    ),
    Case(
        "TextToVideoRequest",
        {"parameters.size": "1632*1248", "parameters.duration": 10},
        "1080P 10 s",
    ),
    Case("ImageToVideoRequest", {"parameters.duration": 3}, "duration 3"),
    # documented for some model: the model decides, on the task (API_FACTS §8)
    Case("KeyframeToVideoRequest", {"parameters.duration": 10}, "duration 10"),
    Case("ImageReferenceRequest", {"parameters.size": "1920*1080"}, "a 1080P size"),
    Case("ImageReferenceRequest", {"parameters.duration": 10}, "duration 10"),
    Case("VideoEditRequest", {"parameters.size": "832*480"}, "a 480P size"),
    Case("TextToVideoRequest", {"parameters.duration": 3}, "duration 3"),
    # null is "not given"
    Case(
        "VideoEditRequest",
        {"input.mask_image_url": None, "input.mask_video_url": VIDEO},
        "null mask image with a mask video",
    ),
    Case("VideoEditRequest", {"input.ref_images_url": None}, "null reference images"),
    Case(
        "VideoExtensionRequest",
        {"input.first_frame_url": None, "input.video_url": None},
        "null frame and video",
    ),
    Case("TextToVideoRequest", {"parameters": None}, "null parameters"),
    Case("TextToVideoRequest", {"input.function": None}, "null SDK function"),
    *(
        Case(name, {"parameters.sdk_extra_kwarg": 1}, "unknown parameter from SDK kwargs")
        for name in MINIMAL_BODIES
    ),
    Case("VideoEditRequest", {"parameters.control_condition": ""}, "empty control_condition"),
)


@pytest.mark.parametrize(
    "case", [pytest.param(case, id=case.id, marks=_gap(case.id)) for case in ACCEPTED]
)
def test_valid_request_is_accepted_as_exactly_its_variant(case: Case) -> None:
    body = body_of(case.schema, case.changes)
    validator = component_validator(case.schema)
    assert validator.is_valid(body), error_report(validator, body)
    submit = request_body_schema(video_generation_operation())
    assert matching_branches(submit, body) == [case.schema]
