"""The API spec's schemas as the spec tests read them (``spec/test_spec_*.py``).

- the submit operations, their request schemas and the variants (``oneOf`` branches) they offer;
- what a field of a schema demands once ``$ref``, ``allOf`` and nullable wrappers are merged
  (``view_of``, ``lookup``): its effective type, enum, const, range, default, requiredness;
- validators with the spec's components reachable, which variants a body matches, and which
  ``x-rule``-tagged subschemas refuse it (``rules_refusing``);
- ``SPEC_GAPS``: where the spec departs from the documentation, as ``xfail(strict)`` marks.

Everything is read from ``openapi/wan-video.yaml`` as plain YAML (``spec_data``), whose
``all_of_parts`` and ``schema_path_nodes`` follow the ``$ref``s.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Final

import pytest

from contract_tests.support.seed_table import UNCHECKED
from contract_tests.support.spec_data import (
    all_of_parts,
    component_name,
    component_validator,
    operations,
    resolve_ref,
    schema_path_nodes,
    spec_document,
    validator_for,
)

__all__ = [
    "SPEC_GAPS",
    "FieldLookup",
    "Json",
    "JsonObject",
    "SchemaView",
    "branch_names",
    "error_report",
    "example_value",
    "gap_marks",
    "has_field",
    "lookup",
    "matching_branches",
    "request_body_schema",
    "request_schema_names",
    "rules_refusing",
    "submit_operations",
    "video_generation_operation",
    "view_of",
]

Json = Any
JsonObject = dict[str, Any]

# Where the spec departs from the documentation (test id → why). Each test keeps asserting the
# documented truth and is marked xfail(strict): once the spec is fixed it XPASSes, which fails
# the run, and the entry must go.
SPEC_GAPS: Final[dict[str, str]] = {}


def gap_marks(key: str) -> tuple[pytest.MarkDecorator, ...]:
    """The marks of a test (or a parametrized case) with this id: ``xfail(strict)`` if it is a
    known gap, else none."""
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


def matching_branches(schema: JsonObject, body: Json) -> list[str]:
    return [name for name in branch_names(schema) if component_validator(name).is_valid(body)]


def error_report(validator: Any, body: Json) -> str:
    return "; ".join(
        f"{'/'.join(map(str, e.instance_path))}: {e.message}" for e in validator.iter_errors(body)
    )


def _instance_at(instance: Json, path: Sequence[str | int]) -> Json:
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
            fragment = _instance_at(instance, list(error.instance_path))
            for branch in passed[-1]:
                if "$ref" in branch:
                    tags |= rules_refusing(branch, fragment, depth + 1)
    return tags


def example_value(example: JsonObject) -> Json:
    """An example object's ``value``, the example component it refers to read when it is one."""
    return resolve_ref(example)["value"]
