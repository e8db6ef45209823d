"""The request schemas and the rule table as the strategies need them, read from the spec as plain
YAML: each schema's fields two levels deep with their wrappers flattened (``body_fields``), the
rules of ``x-wan-rules`` (``rules_for``), the shapes of the in-schema rules (``rule_shapes``), the
models' capabilities, the documented error entries, and a validator to check each drawn body
against its schema."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final, Literal

from contract_tests.support.mock import API
from contract_tests.support.spec_data import all_of_parts, component_validator, spec_document

__all__ = [
    "ABSENT",
    "REQUEST_SCHEMAS",
    "AtLeastOne",
    "AtMost",
    "BodyField",
    "Conditional",
    "Rule",
    "Shape",
    "Stage",
    "assert_spec_accepts",
    "assert_spec_refuses",
    "at_most_shapes",
    "bad_request_example",
    "body_fields",
    "error_entry",
    "json_type",
    "model_capability",
    "presence_sensitive_fields",
    "request_paths",
    "rule_by_id",
    "rule_shapes",
    "rules_for",
    "schema_error_code",
    "schema_model_pairs",
    "spec_models",
]


Stage = Literal["submit", "task"]


class _Absent:
    """A field that is not in the body at all (unlike ``None``, which is sent as ``null``)."""

    def __repr__(self) -> str:
        return "ABSENT"


ABSENT: Final = _Absent()


# ---------------------------------------------------------------------- the spec as data
def _join(location: str, name: str) -> str:
    return f"{location}.{name}" if location else name


@dataclass(frozen=True)
class Rule:
    """One entry of ``x-wan-rules``, as the spec writes it."""

    id: str
    applies_to: tuple[str, ...]
    fields: tuple[str, ...]
    stage: str
    code: str
    message: str
    check: Mapping[str, Any]


@functools.cache
def _rules() -> tuple[Rule, ...]:
    """The spec's rule table (``x-wan-rules``)."""
    return tuple(
        Rule(
            id=str(raw["id"]),
            applies_to=tuple(raw["applies_to"]),
            fields=tuple(raw["fields"]),
            stage=str(raw["stage"]),
            code=str(raw["code"]),
            message=str(raw["message"]),
            check=dict(raw["check"]),
        )
        for raw in spec_document()["x-wan-rules"]
    )


def rule_by_id(rule_id: str) -> Rule:
    for rule in _rules():
        if rule.id == rule_id:
            return rule
    raise LookupError(f"x-wan-rules has no rule {rule_id!r}")


def rules_for(schema_name: str, check: str) -> list[Rule]:
    return [r for r in _rules() if schema_name in r.applies_to and check in r.check]


def spec_models() -> Mapping[str, Mapping[str, Any]]:
    models = spec_document()["x-wan-models"]
    assert isinstance(models, Mapping)
    return models


def model_capability(model: str, name: str) -> tuple[Any, ...] | None:
    """A model's capability list by its rule name (``sizes``, ``resolutions``, ``durations``,
    ``templates``). ``sizes`` are the sizes of the model's tiers (``x-wan-tiers``)."""
    raw = spec_models()[model]
    if name == "sizes":
        tiers = spec_document()["x-wan-tiers"]
        return tuple(size for tier in raw.get("resolutions", ()) for size in tiers[tier])
    value = raw.get(name)
    return tuple(value) if value is not None else None


def error_entry(code: str) -> Mapping[str, Any]:
    entry = spec_document()["x-wan-errors"][code]
    assert isinstance(entry, Mapping)
    return entry


def bad_request_example(name: str) -> Mapping[str, Any]:
    """One documented 400 answer (``components/responses/BadRequest`` examples)."""
    examples = spec_document()["components"]["responses"]["BadRequest"]["content"][
        "application/json"
    ]
    value = examples["examples"][name]["value"]
    assert isinstance(value, Mapping)
    return value


def schema_error_code() -> str:
    """The code of a plain schema violation: the documented generic ``invalid_parameter``."""
    return str(bad_request_example("invalid_parameter")["code"])


def request_paths() -> Mapping[str, str]:
    """Submit path kind (``video-generation``, ``image2video``) → path under ``/api/v1``."""
    paths = spec_document()["x-wan-service"]["paths"]
    return {str(kind): API + str(path) for kind, path in paths.items()}


def _request_schemas() -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for raw in spec_models().values():
        for name in raw["requests"]:
            seen.setdefault(str(name), None)
    return tuple(seen)


REQUEST_SCHEMAS: Final[tuple[str, ...]] = _request_schemas()
"""Every request schema some model accepts, in the order ``x-wan-models`` first names them."""


def schema_model_pairs(
    schema_name: str | None = None, model: str | None = None
) -> list[tuple[str, str]]:
    """(schema, model) pairs: each model with each request schema it accepts."""
    return [
        (str(schema), name)
        for name, raw in spec_models().items()
        for schema in raw["requests"]
        if (schema_name is None or schema == schema_name) and (model is None or name == model)
    ]


# ---------------------------------------------------------------------- flattening schemas
def _flatten(node: Mapping[str, Any]) -> dict[str, Any]:
    """One flat schema for a field: ``$ref`` and ``allOf`` merged, ``anyOf``/``oneOf`` with a
    ``null`` branch turned into ``nullable``, ``type: [x, 'null']`` likewise. Several non-null
    branches of one type (``ImageUrl``: a public URL or an inline image) are kept as
    ``branches``: a value must match one of them. Keys of the outer node win over the
    referenced ones."""
    out: dict[str, Any] = {}

    def merge(extra: Mapping[str, Any]) -> None:
        for key, value in extra.items():
            out[key] = (out.get(key, False) or value) if key == "nullable" else value

    for rest in all_of_parts(node):
        for key in ("anyOf", "oneOf"):
            if key not in rest:
                continue
            branches = [_flatten(branch) for branch in rest.pop(key)]
            real = [b for b in branches if b.get("type") != "null"]
            kinds = {b.get("type") for b in real}
            if len(real) > 1 and len(kinds) == 1:
                merge({"type": kinds.pop(), "branches": real})
            elif len(real) == 1:
                merge(real[0])
            else:
                raise ValueError(f"unsupported {key} with {len(real)} non-null branches: {node}")
            if len(real) < len(branches):
                out["nullable"] = True
        kind = rest.pop("type", None)
        if isinstance(kind, list):
            if "null" in kind:
                out["nullable"] = True
            others = [k for k in kind if k != "null"]
            if len(others) != 1:
                raise ValueError(f"unsupported type list {kind}")
            kind = others[0]
        if kind is not None:
            out["type"] = kind
        merge(rest)
    return out


@dataclass(frozen=True)
class BodyField:
    """A field of a request body: ``model``, ``input``, ``parameters``, ``input.x``…"""

    path: str
    schema: Mapping[str, Any]
    required: bool

    @property
    def container(self) -> bool:
        return self.schema.get("type") == "object"

    @property
    def nullable(self) -> bool:
        return bool(self.schema.get("nullable", False))

    @property
    def types(self) -> tuple[str, ...]:
        kind = self.schema.get("type")
        if kind is None:
            if "const" in self.schema:
                return (json_type(self.schema["const"]),)
            if "enum" in self.schema:
                return tuple(sorted({json_type(v) for v in self.schema["enum"]}))
            raise ValueError(f"{self.path}: no type in {dict(self.schema)}")
        return (str(kind),)

    def items(self) -> BodyField:
        return BodyField(self.path, _flatten(self.schema["items"]), True)


def json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


@functools.cache
def body_fields(schema_name: str) -> dict[str, BodyField]:
    """Every field of a request schema, two levels deep (``input.*``, ``parameters.*``)."""
    top = _flatten(spec_document()["components"]["schemas"][schema_name])
    out: dict[str, BodyField] = {}
    for name, prop in top.get("properties", {}).items():
        flat = _flatten(prop)
        out[name] = BodyField(name, flat, name in top.get("required", ()))
        if flat.get("type") == "object":
            for child, child_prop in flat.get("properties", {}).items():
                path = _join(name, child)
                out[path] = BodyField(path, _flatten(child_prop), child in flat.get("required", ()))
    return out


def _schema_errors(schema_name: str, body: Any) -> list[str]:
    return [
        f"{'/'.join(str(p) for p in e.instance_path)}: {e.message}"
        for e in component_validator(schema_name).iter_errors(body)
    ]


def assert_spec_accepts(schema_name: str, body: Any) -> None:
    errors = _schema_errors(schema_name, body)
    assert not errors, f"strategy bug: {schema_name} refuses the drawn body {body!r}: {errors}"


def assert_spec_refuses(schema_name: str, body: Any) -> None:
    assert _schema_errors(schema_name, body), (
        f"strategy bug: {schema_name} accepts the body meant to break it: {body!r}"
    )


# ---------------------------------------------------------------------- rule shapes
@dataclass(frozen=True)
class Conditional:
    """``if`` ``trigger`` is present, ``then_required`` must be (satisfying ``then_schemas``) and
    ``then_forbidden`` must not be; otherwise ``else_required`` must be."""

    rule: str
    trigger: str
    then_required: tuple[str, ...]
    then_forbidden: tuple[str, ...]
    else_required: tuple[str, ...]
    then_schemas: Mapping[str, Mapping[str, Any]]


@dataclass(frozen=True)
class AtLeastOne:
    rule: str
    fields: tuple[str, ...]


@dataclass(frozen=True)
class AtMost:
    """At most ``count`` items of the array ``field`` equal ``value``."""

    rule: str
    field: str
    value: Any
    count: int


Shape = Conditional | AtLeastOne | AtMost
_CONDITION_KEYS = {"properties", "required", "not", "x-rule", "x-rule-keywords", "description"}


def _required_paths(node: Mapping[str, Any], location: str) -> tuple[str, ...]:
    """The dotted paths a subschema requires (``required`` at any depth of ``properties``)."""
    found = [_join(location, str(name)) for name in node.get("required", ())]
    for name, prop in node.get("properties", {}).items():
        found.extend(_required_paths(prop, _join(location, str(name))))
    return tuple(found)


def _leaf_constraints(node: Mapping[str, Any], location: str) -> dict[str, Mapping[str, Any]]:
    found: dict[str, Mapping[str, Any]] = {}
    for name, prop in node.get("properties", {}).items():
        path = _join(location, str(name))
        own = {k: v for k, v in prop.items() if k not in ("properties", "required")}
        if own:
            found[path] = own
        found.update(_leaf_constraints(prop, path))
    return found


def _conditional(node: Mapping[str, Any], location: str) -> Conditional:
    then, otherwise = node.get("then", {}), node.get("else", {})
    for part in (then, otherwise):
        unknown = set(part) - _CONDITION_KEYS
        if unknown:
            raise ValueError(f"{location}: unsupported keywords {unknown} in a conditional")
    rule = then.get("x-rule") or otherwise.get("x-rule")
    if rule is None:
        raise ValueError(f"{location}: a conditional without x-rule (which rule is it?)")
    triggers = _required_paths(node["if"], location)
    if len(triggers) != 1:
        raise ValueError(f"{location}: a conditional on {triggers}; one field expected")
    return Conditional(
        rule=str(rule),
        trigger=triggers[0],
        then_required=_required_paths(then, location),
        then_forbidden=_required_paths(then["not"], location) if "not" in then else (),
        else_required=_required_paths(otherwise, location),
        then_schemas=_leaf_constraints(then, location),
    )


def _negation(node: Mapping[str, Any], location: str) -> Shape:
    negated = node["not"]
    rule = str(node["x-rule"])
    if "contains" in negated:
        contains = negated["contains"]
        if set(contains) != {"const"}:
            raise ValueError(f"{location}: unsupported contains {contains}")
        return AtMost(rule, location, contains["const"], int(negated.get("minContains", 1)) - 1)
    props = negated.get("properties", {})
    absent = {"type": "null"}  # absent or null: a null field counts as not given
    if props and all(p == absent for p in props.values()) and set(negated) == {"properties"}:
        return AtLeastOne(rule, tuple(_join(location, str(name)) for name in props))
    raise ValueError(f"{location}: unsupported x-rule negation {negated}")


def _bounded_contains(node: Mapping[str, Any], location: str) -> Shape:
    """``contains: {const: X}, maxContains: N``: at most N items equal to X."""
    contains = node["contains"]
    if set(contains) != {"const"} or "maxContains" not in node:
        raise ValueError(f"{location}: unsupported contains {contains}")
    return AtMost(str(node["x-rule"]), location, contains["const"], int(node["maxContains"]))


@functools.cache
def rule_shapes(schema_name: str) -> tuple[Shape, ...]:
    """The in-schema rules of a request schema, recognised by the shape of their subschema."""
    shapes: list[Shape] = []

    def visit(node: Mapping[str, Any], location: str) -> None:
        for part in all_of_parts(node):
            for key in ("anyOf", "oneOf"):
                for branch in part.get(key, ()):
                    visit(branch, location)
            if "if" in part:
                shapes.append(_conditional(part, location))
            if "contains" in part and "x-rule" in part:
                shapes.append(_bounded_contains(part, location))
            if "not" in part and "x-rule" in part:
                shapes.append(_negation(part, location))
            elif "not" in part:
                raise ValueError(f"{location}: a `not` without x-rule")
            for name, prop in part.get("properties", {}).items():
                visit(prop, _join(location, str(name)))

    visit(spec_document()["components"]["schemas"][schema_name], "")
    return tuple(shapes)


def presence_sensitive_fields(schema_name: str) -> set[str]:
    """Fields whose mere presence decides an in-schema rule (adding one may break it)."""
    out: set[str] = set()
    for shape in rule_shapes(schema_name):
        if isinstance(shape, Conditional):
            out |= {shape.trigger, *shape.then_forbidden, *shape.else_required}
        elif isinstance(shape, AtLeastOne):
            out |= set(shape.fields)
    return out


def at_most_shapes(schema_name: str, path: str) -> list[AtMost]:
    return [s for s in rule_shapes(schema_name) if isinstance(s, AtMost) and s.field == path]
