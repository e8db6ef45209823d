"""The spec is complete and says what the documentation says (issue 2, part 4).

Every documented field is in it with the documented type, enum, range, default and requiredness
(``seed_table.DOCUMENTED_FIELDS``), and every request field it has is documented; the request
variants, the tiers and their sizes, each model's capabilities (``x-wan-models``), each error
code's status and message (``x-wan-errors``) and the service limits (``x-wan-service``) are the
documented ones, and nothing undocumented is added.
"""

from __future__ import annotations

import pytest

from contract_tests.support.seed_table import (
    DOCUMENTED_ERRORS,
    DOCUMENTED_FIELDS,
    DOCUMENTED_MODELS,
    DOCUMENTED_SERVICE_LIMITS,
    DOCUMENTED_TIERS,
    UNCHECKED,
    DocumentedError,
    DocumentedField,
    DocumentedModel,
)
from contract_tests.support.spec_data import spec_document
from contract_tests.support.spec_schemas import (
    Json,
    SchemaView,
    branch_names,
    gap_marks,
    lookup,
    request_body_schema,
    request_schema_names,
    video_generation_operation,
    view_of,
)


def _same_value(actual: Json, expected: Json) -> bool:
    if isinstance(actual, bool) or isinstance(expected, bool):
        return type(actual) is type(expected) and actual == expected
    return bool(actual == expected)


# ============================================================================ 4. documented fields


@pytest.mark.parametrize(
    "row", [pytest.param(row, id=row.id, marks=gap_marks(row.id)) for row in DOCUMENTED_FIELDS]
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
