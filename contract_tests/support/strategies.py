"""Hypothesis strategies for submit bodies, derived from ``openapi/wan-video.yaml``.

Nothing here restates a constraint of the API; everything is read from the spec (as plain YAML,
not through the mock's loader):

- the request schemas, field by field (``$ref``, ``allOf`` and ``anyOf``/``oneOf``-with-null
  wrappers flattened): ``type``, ``enum``, ``const``, ``minimum``/``maximum``,
  ``minItems``/``maxItems``, ``minLength``, ``pattern``, ``required``, ``examples``;
- ``x-wan-models``/``x-wan-tiers``: the paths each model is accepted on and the sizes,
  resolutions, durations and templates it offers;
- ``x-wan-rules``: which cross-field rules exist, their stage, code and message, the lengths that
  must match (``same_length``), the lengths that are cut (``truncate_*``) and the capabilities
  (``capability``);
- the subschemas tagged ``x-rule``, whose *shape* says what an in-schema rule demands. Three
  shapes are recognised: a conditional (``if`` one field is present ``then`` fields are
  required or forbidden, ``else`` required), "at least one of" (``not`` of every field absent)
  and "at most N items equal to X" (``contains``/``maxContains``, or ``not``/``minContains``).
  A shape the walker does not know fails loudly instead of being guessed.

Public strategies: ``valid_bodies(schema_name=None, model=None)`` draws a ``ValidBody``;
``invalid_bodies(violation=None, schema_name=None)`` draws an ``InvalidBody`` that breaks exactly
one rule (``VIOLATIONS`` lists the kinds) and carries the ``Expected`` outcome read from the spec;
``mock_scenarios()`` draws ``X-Mock-Scenario`` headers for the lifecycle tests.

Every drawn body is checked against the request schema with an independent JSON Schema validator:
valid bodies and task-stage violations must pass it, submit-stage violations must fail it. A
strategy that drifts from the spec therefore fails at once, showing the body.
"""

from __future__ import annotations

import copy
import functools
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final, Literal

import jsonschema_rs
from hypothesis import strategies as st

from contract_tests.support.mock import API
from contract_tests.support.spec_data import all_of_parts, spec_document
from wan_mock._spec._documents import Rule, load_spec

__all__ = [
    "ABSENT",
    "REQUEST_SCHEMAS",
    "VIOLATIONS",
    "Expected",
    "InvalidBody",
    "Scenario",
    "ValidBody",
    "invalid_bodies",
    "mock_scenarios",
    "model_capability",
    "request_paths",
    "valid_bodies",
    "violated_rules",
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


def _rules() -> tuple[Rule, ...]:
    """The spec's rule table, read by the same loader as the mock
    (``wan_mock._spec._documents``)."""
    return load_spec().rules


def _rule(rule_id: str) -> Rule:
    for rule in _rules():
        if rule.id == rule_id:
            return rule
    raise LookupError(f"x-wan-rules has no rule {rule_id!r}")


def _rules_for(schema_name: str, check: str) -> list[Rule]:
    return [r for r in _rules() if schema_name in r.applies_to and check in r.check]


def _models() -> Mapping[str, Mapping[str, Any]]:
    models = spec_document()["x-wan-models"]
    assert isinstance(models, Mapping)
    return models


def model_capability(model: str, name: str) -> tuple[Any, ...] | None:
    """A model's capability list by its rule name (``sizes``, ``resolutions``, ``durations``,
    ``templates``). ``sizes`` are the sizes of the model's tiers (``x-wan-tiers``)."""
    raw = _models()[model]
    if name == "sizes":
        tiers = spec_document()["x-wan-tiers"]
        return tuple(size for tier in raw.get("resolutions", ()) for size in tiers[tier])
    value = raw.get(name)
    return tuple(value) if value is not None else None


def _error(code: str) -> Mapping[str, Any]:
    entry = spec_document()["x-wan-errors"][code]
    assert isinstance(entry, Mapping)
    return entry


def _bad_request_example(name: str) -> Mapping[str, Any]:
    """One documented 400 answer (``components/responses/BadRequest`` examples)."""
    examples = spec_document()["components"]["responses"]["BadRequest"]["content"][
        "application/json"
    ]
    value = examples["examples"][name]["value"]
    assert isinstance(value, Mapping)
    return value


def _schema_code() -> str:
    """The code of a plain schema violation: the documented generic ``invalid_parameter``."""
    return str(_bad_request_example("invalid_parameter")["code"])


def request_paths() -> Mapping[str, str]:
    """Submit path kind (``video-generation``, ``image2video``) → path under ``/api/v1``."""
    paths = spec_document()["x-wan-service"]["paths"]
    return {str(kind): API + str(path) for kind, path in paths.items()}


def _request_schemas() -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for raw in _models().values():
        for name in raw["requests"]:
            seen.setdefault(str(name), None)
    return tuple(seen)


REQUEST_SCHEMAS: Final[tuple[str, ...]] = _request_schemas()
"""Every request schema some model accepts, in the order ``x-wan-models`` first names them."""


def _pairs(schema_name: str | None = None, model: str | None = None) -> list[tuple[str, str]]:
    """(schema, model) pairs: each model with each request schema it accepts."""
    return [
        (str(schema), name)
        for name, raw in _models().items()
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
class _Field:
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
                return (_json_type(self.schema["const"]),)
            if "enum" in self.schema:
                return tuple(sorted({_json_type(v) for v in self.schema["enum"]}))
            raise ValueError(f"{self.path}: no type in {dict(self.schema)}")
        return (str(kind),)

    def items(self) -> _Field:
        return _Field(self.path, _flatten(self.schema["items"]), True)


def _json_type(value: Any) -> str:
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
def _fields(schema_name: str) -> dict[str, _Field]:
    """Every field of a request schema, two levels deep (``input.*``, ``parameters.*``)."""
    top = _flatten(spec_document()["components"]["schemas"][schema_name])
    out: dict[str, _Field] = {}
    for name, prop in top.get("properties", {}).items():
        flat = _flatten(prop)
        out[name] = _Field(name, flat, name in top.get("required", ()))
        if flat.get("type") == "object":
            for child, child_prop in flat.get("properties", {}).items():
                path = _join(name, child)
                out[path] = _Field(path, _flatten(child_prop), child in flat.get("required", ()))
    return out


@functools.cache
def _validator(schema_name: str) -> jsonschema_rs.Validator:
    components = {"components": spec_document()["components"]}
    return jsonschema_rs.Draft202012Validator(
        {"$ref": f"#/components/schemas/{schema_name}", **components}
    )


def _schema_errors(schema_name: str, body: Any) -> list[str]:
    return [
        f"{'/'.join(str(p) for p in e.instance_path)}: {e.message}"
        for e in _validator(schema_name).iter_errors(body)
    ]


def _assert_spec_accepts(schema_name: str, body: Any) -> None:
    errors = _schema_errors(schema_name, body)
    assert not errors, f"strategy bug: {schema_name} refuses the drawn body {body!r}: {errors}"


def _assert_spec_refuses(schema_name: str, body: Any) -> None:
    assert _schema_errors(schema_name, body), (
        f"strategy bug: {schema_name} accepts the body meant to break it: {body!r}"
    )


# ---------------------------------------------------------------------- rule shapes
@dataclass(frozen=True)
class _Conditional:
    """``if`` ``trigger`` is present, ``then_required`` must be (satisfying ``then_schemas``) and
    ``then_forbidden`` must not be; otherwise ``else_required`` must be."""

    rule: str
    trigger: str
    then_required: tuple[str, ...]
    then_forbidden: tuple[str, ...]
    else_required: tuple[str, ...]
    then_schemas: Mapping[str, Mapping[str, Any]]


@dataclass(frozen=True)
class _AtLeastOne:
    rule: str
    fields: tuple[str, ...]


@dataclass(frozen=True)
class _AtMost:
    """At most ``count`` items of the array ``field`` equal ``value``."""

    rule: str
    field: str
    value: Any
    count: int


_Shape = _Conditional | _AtLeastOne | _AtMost
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


def _conditional(node: Mapping[str, Any], location: str) -> _Conditional:
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
    return _Conditional(
        rule=str(rule),
        trigger=triggers[0],
        then_required=_required_paths(then, location),
        then_forbidden=_required_paths(then["not"], location) if "not" in then else (),
        else_required=_required_paths(otherwise, location),
        then_schemas=_leaf_constraints(then, location),
    )


def _negation(node: Mapping[str, Any], location: str) -> _Shape:
    negated = node["not"]
    rule = str(node["x-rule"])
    if "contains" in negated:
        contains = negated["contains"]
        if set(contains) != {"const"}:
            raise ValueError(f"{location}: unsupported contains {contains}")
        return _AtMost(rule, location, contains["const"], int(negated.get("minContains", 1)) - 1)
    props = negated.get("properties", {})
    absent = {"type": "null"}  # absent or null: a null field counts as not given
    if props and all(p == absent for p in props.values()) and set(negated) == {"properties"}:
        return _AtLeastOne(rule, tuple(_join(location, str(name)) for name in props))
    raise ValueError(f"{location}: unsupported x-rule negation {negated}")


def _bounded_contains(node: Mapping[str, Any], location: str) -> _Shape:
    """``contains: {const: X}, maxContains: N``: at most N items equal to X."""
    contains = node["contains"]
    if set(contains) != {"const"} or "maxContains" not in node:
        raise ValueError(f"{location}: unsupported contains {contains}")
    return _AtMost(str(node["x-rule"]), location, contains["const"], int(node["maxContains"]))


@functools.cache
def _shapes(schema_name: str) -> tuple[_Shape, ...]:
    """The in-schema rules of a request schema, recognised by the shape of their subschema."""
    shapes: list[_Shape] = []

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


def _presence_sensitive(schema_name: str) -> set[str]:
    """Fields whose mere presence decides an in-schema rule (adding one may break it)."""
    out: set[str] = set()
    for shape in _shapes(schema_name):
        if isinstance(shape, _Conditional):
            out |= {shape.trigger, *shape.then_forbidden, *shape.else_required}
        elif isinstance(shape, _AtLeastOne):
            out |= set(shape.fields)
    return out


def _at_most(schema_name: str, path: str) -> list[_AtMost]:
    return [s for s in _shapes(schema_name) if isinstance(s, _AtMost) and s.field == path]


# ---------------------------------------------------------------------- field values
def _capability_rule(schema_name: str, path: str) -> Rule | None:
    for rule in _rules_for(schema_name, "capability"):
        if path in rule.fields:
            return rule
    return None


def _capability_values(schema_name: str, model: str, path: str) -> tuple[Any, ...] | None:
    rule = _capability_rule(schema_name, path)
    if rule is None:
        return None
    return model_capability(model, str(rule.check["capability"]))


def _truncate_limit(schema_name: str, model: str, path: str) -> int | None:
    for rule in _rules_for(schema_name, "truncate_length"):
        if path in rule.fields:
            limit = rule.check["truncate_length"]
            if "capability" in limit:
                return int(_models()[model][str(limit["capability"])])
            return int(spec_document()["x-wan-service"][str(limit["service"])])
    return None


def _item_limit(schema_name: str, path: str) -> int | None:
    for rule in _rules_for(schema_name, "truncate_items"):
        if path in rule.fields:
            return int(rule.check["truncate_items"]["max_items"])
    return None


def _matches(schema: Mapping[str, Any], text: str) -> bool:
    if "branches" in schema:
        return any(_matches(branch, text) for branch in schema["branches"])
    if len(text) < int(schema.get("minLength", 0)):
        return False
    pattern = schema.get("pattern")
    return pattern is None or re.fullmatch(str(pattern), text) is not None


_LABEL = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=10)
_HOSTS = st.builds("{}.{}".format, _LABEL, st.sampled_from(["com", "cn", "aliyuncs.com"]))
_URL_PATHS = st.lists(
    st.text(alphabet="ABCabcxyz0123456789_~%.-", min_size=1, max_size=12), min_size=1, max_size=3
).map("/".join)


def _urls(schema: Mapping[str, Any]) -> st.SearchStrategy[str]:
    """http(s) URLs matching the field's ``pattern``: its ``examples``, or built ones."""
    built = st.builds(
        "{}://{}/{}".format, st.sampled_from(["https", "http"]), _HOSTS, _URL_PATHS
    ).filter(lambda url: _matches(schema, url))
    examples = [e for e in schema.get("examples", ()) if isinstance(e, str) and _matches(schema, e)]
    return st.one_of(st.sampled_from(examples), built) if examples else built


def _texts(min_size: int, limit: int | None) -> st.SearchStrategy[str]:
    """Free text; around and beyond ``limit`` too, when the spec cuts longer text."""
    short = st.text(min_size=min_size, max_size=40)
    if limit is None:
        return short
    around = st.tuples(st.text(min_size=1, max_size=4), st.integers(limit - 2, limit + 30)).map(
        lambda t: (t[0] * (t[1] // len(t[0]) + 1))[: t[1]]
    )
    return st.one_of(short, around)


def _integers(schema: Mapping[str, Any]) -> st.SearchStrategy[int]:
    low, high = schema.get("minimum"), schema.get("maximum")
    low_i = int(low) if low is not None else -1000
    high_i = int(high) if high is not None else low_i + 100_000
    edges = [v for v in (low, high) if v is not None]
    return st.one_of(
        st.sampled_from([int(v) for v in edges or [low_i]]), st.integers(low_i, high_i)
    )


def _numbers(schema: Mapping[str, Any]) -> st.SearchStrategy[float | int]:
    """Numbers in range: the edges, any float, and the whole numbers (sent as JSON integers)."""
    low = float(schema.get("minimum", -1e6))
    high = float(schema.get("maximum", 1e6))
    parts: list[st.SearchStrategy[float | int]] = [
        st.sampled_from([low, high]),
        st.floats(low, high, allow_nan=False, allow_infinity=False),
    ]
    if math.ceil(low) <= math.floor(high):
        parts.append(st.integers(math.ceil(low), math.floor(high)))
    return st.one_of(parts)


def _value(schema_name: str, model: str, fld: _Field) -> st.SearchStrategy[Any]:
    """Valid values of one field of the schema for one model (never ``null``; see
    ``_optional``). Built once per field and model."""
    return _cached_value(schema_name, model, fld.path)


@functools.cache
def _cached_value(schema_name: str, model: str, path: str) -> st.SearchStrategy[Any]:
    if path.endswith("[]"):
        return _value_of(schema_name, model, _fields(schema_name)[path[:-2]].items())
    return _value_of(schema_name, model, _fields(schema_name)[path])


def _item_value(schema_name: str, model: str, fld: _Field) -> st.SearchStrategy[Any]:
    return _cached_value(schema_name, model, fld.path + "[]")


def _value_of(schema_name: str, model: str, fld: _Field) -> st.SearchStrategy[Any]:
    schema = fld.schema
    allowed = _capability_values(schema_name, model, fld.path)
    if fld.path == "model":
        return st.just(model)
    if "const" in schema:
        return st.just(schema["const"])
    if "enum" in schema:
        options = [v for v in schema["enum"] if allowed is None or v in allowed]
        return st.sampled_from(options) if options else st.nothing()
    if allowed is not None:
        options = [v for v in allowed if _json_type(v) in fld.types]
        if fld.types == ("string",):
            options = [v for v in options if _matches(schema, str(v))]
        return st.sampled_from(options) if options else st.nothing()
    kind = fld.types[0]
    if kind == "string":
        if "pattern" in schema or "branches" in schema:
            return _urls(schema)
        limit = _truncate_limit(schema_name, model, fld.path)
        return _texts(int(schema.get("minLength", 0)), limit)
    if kind == "integer":
        return _integers(schema)
    if kind == "number":
        return _numbers(schema)
    if kind == "boolean":
        return st.booleans()
    if kind == "array":
        return _arrays(schema_name, model, fld)
    raise ValueError(f"{schema_name}.{fld.path}: no strategy for {dict(schema)}")


def _list_bounds(schema_name: str, fld: _Field) -> tuple[int, int]:
    low = int(fld.schema.get("minItems", 0))
    high = fld.schema.get("maxItems")
    if high is None:
        cut = _item_limit(schema_name, fld.path)
        high = (cut + 1) if cut is not None else low + 3
    return low, int(high)


@st.composite
def _arrays(
    draw: st.DrawFn, schema_name: str, model: str, fld: _Field, length: int | None = None
) -> list[Any]:
    """A valid array for the field, honouring any "at most N items equal X" rule."""
    low, high = _list_bounds(schema_name, fld)
    size = length if length is not None else draw(st.integers(low, high))
    item_field = fld.items()
    items = draw(st.lists(_item_value(schema_name, model, fld), min_size=size, max_size=size))
    for limit in _at_most(schema_name, fld.path):
        others = [v for v in item_field.schema.get("enum", ()) if v != limit.value]
        over = [i for i, v in enumerate(items) if v == limit.value][limit.count :]
        for index in over:
            items[index] = draw(st.sampled_from(others))
    return items


def _optional(fld: _Field, values: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """An optional field: left out, sent as ``null`` (as the SDK does) when allowed, or a value."""
    choices: list[st.SearchStrategy[Any]] = [st.just(ABSENT)]
    if fld.nullable:
        choices.append(st.none())
    choices.append(values)
    return st.one_of(choices)


# ---------------------------------------------------------------------- bodies
def _get(body: Mapping[str, Any], path: str) -> Any:
    node: Any = body
    for part in path.split("."):
        if not isinstance(node, Mapping) or part not in node:
            return ABSENT
        node = node[part]
    return node


def _put(body: dict[str, Any], path: str, value: Any) -> None:
    *parents, leaf = path.split(".")
    node = body
    for part in parents:
        node = node.setdefault(part, {})
    if value is ABSENT:
        node.pop(leaf, None)
    else:
        node[leaf] = value


def _present(value: Any) -> bool:
    return value is not ABSENT and value is not None


@dataclass(frozen=True)
class ValidBody:
    """A body the spec accepts for ``model`` on the submit path ``kind``."""

    body: dict[str, Any] = field(hash=False)
    kind: str
    schema_name: str
    model: str

    @property
    def path(self) -> str:
        return request_paths()[self.kind]

    @property
    def duration(self) -> int:
        """The requested duration, or the model's default (``x-wan-models``)."""
        value = _get(self.body, "parameters.duration")
        return int(value) if _present(value) else int(_models()[self.model]["default_duration"])

    @property
    def prompt(self) -> Any:
        """``input.prompt`` as sent (``ABSENT`` when left out)."""
        return _get(self.body, "input.prompt")

    @property
    def size(self) -> Any:
        """``parameters.size`` as sent, or the model's ``default_size`` (``ABSENT`` if none)."""
        value = _get(self.body, "parameters.size")
        return value if _present(value) else _models()[self.model].get("default_size", ABSENT)


class _Draft:
    """The field choices of one body while it is being drawn."""

    def __init__(self, draw: st.DrawFn, schema_name: str, model: str) -> None:
        self.draw = draw
        self.schema_name = schema_name
        self.model = model
        self.fields = _fields(schema_name)
        self.choices: dict[str, Any] = {}
        self.forced: set[str] = set()

    def ensure(self, path: str, constraint: Mapping[str, Any] | None = None) -> None:
        """Make the field present (and valid under ``constraint``, if any)."""
        fld = self.fields.get(path)
        if fld is None or fld.container:
            self.forced.add(path)
            return
        current = self.choices.get(path, ABSENT)
        if _present(current) and (
            constraint is None or jsonschema_rs.is_valid(dict(constraint), current)
        ):
            return
        values = _value(self.schema_name, self.model, fld)
        if constraint is not None:
            values = values.filter(lambda v: jsonschema_rs.is_valid(dict(constraint), v))
        self.choices[path] = self.draw(values)

    def remove(self, path: str) -> None:
        if self.fields[path].required:
            raise ValueError(f"{self.schema_name}: a rule forbids the required field {path}")
        self.choices[path] = ABSENT

    def assemble(self) -> dict[str, Any]:
        body: dict[str, Any] = {}
        for path, fld in self.fields.items():
            if "." in path:
                continue
            if fld.container:
                children = {
                    sub.rsplit(".", 1)[1]: value
                    for sub, value in self.choices.items()
                    if sub.startswith(path + ".") and value is not ABSENT
                }
                keep = fld.required or bool(children) or path in self.forced
                if keep or self.draw(st.booleans()):
                    body[path] = children
            elif self.choices.get(path, ABSENT) is not ABSENT:
                body[path] = self.choices[path]
        return body


def _draft(draw: st.DrawFn, schema_name: str, model: str) -> _Draft:
    """Every field drawn on its own, then the in-schema and task rules made to hold."""
    draft = _Draft(draw, schema_name, model)
    for path, fld in draft.fields.items():
        if fld.container:
            continue
        values = _value(schema_name, model, fld)
        draft.choices[path] = draw(values if fld.required else _optional(fld, values))
    for shape in _shapes(schema_name):
        if isinstance(shape, _Conditional):
            if draw(st.booleans()):
                draft.ensure(shape.trigger)
                for path in shape.then_required:
                    draft.ensure(path, shape.then_schemas.get(path))
                for path in shape.then_forbidden:
                    draft.remove(path)
            else:
                draft.remove(shape.trigger)
                for path in shape.else_required:
                    draft.ensure(path)
        elif isinstance(shape, _AtLeastOne) and not any(
            _present(draft.choices.get(p, ABSENT)) for p in shape.fields
        ):
            draft.ensure(draw(st.sampled_from(shape.fields)))
    for rule in _rules_for(schema_name, "same_length"):
        first, second = rule.check["same_length"]
        if first not in draft.fields or second not in draft.fields:
            continue
        lead, follow = draft.choices.get(first, ABSENT), draft.choices.get(second, ABSENT)
        if not isinstance(lead, list):
            continue
        may_omit = rule.check.get("may_omit_second_when_first_has")
        if not _present(follow) and may_omit is not None and len(lead) == int(may_omit):
            continue
        if not isinstance(follow, list) or len(follow) != len(lead):
            fld = draft.fields[second]
            draft.choices[second] = draw(_arrays(schema_name, model, fld, len(lead)))
    return draft


@st.composite
def _valid_body(draw: st.DrawFn, schema_name: str, model: str) -> ValidBody:
    body = _draft(draw, schema_name, model).assemble()
    _assert_spec_accepts(schema_name, body)
    kind = draw(st.sampled_from(tuple(_models()[model]["paths"])))
    return ValidBody(body, str(kind), schema_name, model)


def valid_bodies(
    schema_name: str | None = None, model: str | None = None
) -> st.SearchStrategy[ValidBody]:
    """Valid submit bodies: every model with every request schema it accepts (or only the
    given ones), on every path the model is accepted on. Optional fields are left out, sent
    as ``null`` where the schema allows it, or given a value the model offers; the SDK's
    extras (``input.function: "video-synthesis"``, ``input.extend_prompt``) come from the
    schema like any other optional field."""
    pairs = _pairs(schema_name, model)
    if not pairs:
        raise ValueError(f"no model accepts {schema_name!r} (model={model!r})")
    schemas = sorted({name for name, _ in pairs}, key=REQUEST_SCHEMAS.index)

    def models_for(name: str) -> st.SearchStrategy[ValidBody]:
        accepting = [m for n, m in pairs if n == name]
        return st.sampled_from(accepting).flatmap(lambda m: _valid_body(name, m))

    return st.sampled_from(schemas).flatmap(models_for)


# ---------------------------------------------------------------------- invalid bodies
@dataclass(frozen=True)
class Expected:
    """The documented outcome of a body that breaks one rule.

    ``submit``: the submit answers ``http_status`` with ``code`` and a message containing every
    one of ``mentions``; ``task``: the submit answers 200 and the task ends FAILED with ``code``
    and such a message. ``rule`` names what is broken (a rule id, or ``schema`` for a field's own
    constraint) so failures say which rule they are about.
    """

    stage: Stage
    code: str
    http_status: int
    mentions: tuple[str, ...]
    rule: str

    @property
    def outcome(self) -> tuple[Stage, str, str]:
        """``(stage, code, message fragment)``."""
        return self.stage, self.code, self.mentions[0]


@dataclass(frozen=True)
class InvalidBody:
    """A body that breaks exactly one rule, and what the spec says happens then."""

    body: dict[str, Any] = field(hash=False)
    kind: str
    schema_name: str
    model: str
    violation: str
    target: str
    expected: Expected

    @property
    def path(self) -> str:
        return request_paths()[self.kind]


def _schema_violation(path: str) -> Expected:
    code = _schema_code()
    return Expected("submit", code, int(_error(code)["http_status"]), (path,), "schema")


def _rule_violation(rule: Rule, *mentions: str) -> Expected:
    stage: Stage = "task" if rule.stage == "task" else "submit"
    status = 200 if stage == "task" else int(_error(rule.code)["http_status"])
    return Expected(stage, rule.code, status, mentions or (rule.message,), rule.id)


def _base(draw: st.DrawFn, schema_name: str | None) -> tuple[ValidBody, dict[str, Any]]:
    base = draw(valid_bodies(schema_name))
    return base, copy.deepcopy(base.body)


def _invalid(
    base: ValidBody, body: dict[str, Any], violation: str, target: str, expected: Expected
) -> InvalidBody:
    if expected.stage == "task":
        _assert_spec_accepts(base.schema_name, body)
    else:
        _assert_spec_refuses(base.schema_name, body)
    return InvalidBody(body, base.kind, base.schema_name, base.model, violation, target, expected)


def _targets(base: ValidBody, fields: Sequence[_Field]) -> list[_Field]:
    """Fields that may be changed without touching a presence rule: those already present,
    and those whose presence no in-schema rule looks at. Nested fields come first (Hypothesis
    favours the first choices; ``model`` and ``input`` are a small part of a body)."""
    sensitive = _presence_sensitive(base.schema_name)
    found = [f for f in fields if f.path not in sensitive or _present(_get(base.body, f.path))]
    return sorted(found, key=lambda f: "." not in f.path)


_SAMPLES: Mapping[str, Any] = {
    "string": "wrong-type",
    "integer": 7,
    "number": 1.5,
    "boolean": True,
    "array": ["wrong-type"],
    "object": {"wrong": "type"},
}


def _wrong_values(fld: _Field, *, top_level: bool) -> list[Any]:
    allowed = set(fld.types)
    if "number" in allowed:
        allowed.add("integer")
    out = [v for kind, v in _SAMPLES.items() if kind not in allowed]
    if not fld.nullable and not top_level:
        out.append(None)
    return out


@st.composite
def _wrong_type(draw: st.DrawFn, schema_name: str | None) -> InvalidBody:
    base, body = _base(draw, schema_name)
    fields = list(_fields(base.schema_name).values())
    fld = draw(st.sampled_from(_targets(base, fields)))
    top_level = "." not in fld.path and fld.path != "parameters"
    value = draw(st.sampled_from(_wrong_values(fld, top_level=top_level)))
    _put(body, fld.path, value)
    return _invalid(base, body, "wrong_type", fld.path, _schema_violation(fld.path))


def _other_consts(base: ValidBody, path: str) -> set[Any]:
    """Every const/enum value the field has in any request schema of the model (a different
    VACE ``function`` would select a different schema instead of breaking this one)."""
    out: set[Any] = set()
    for schema in _models()[base.model]["requests"]:
        fld = _fields(str(schema)).get(path)
        if fld is not None:
            out.update(fld.schema.get("enum", ()))
            if "const" in fld.schema:
                out.add(fld.schema["const"])
    return out


def _outside(fld: _Field, taken: set[Any]) -> st.SearchStrategy[Any]:
    if fld.types == ("integer",):
        return st.integers(-100, 1000).filter(lambda v: v not in taken)
    if fld.types == ("string",):
        return st.text(min_size=1, max_size=12).filter(lambda v: v not in taken)
    raise ValueError(f"{fld.path}: no out-of-enum strategy for {fld.types}")


@st.composite
def _enum(draw: st.DrawFn, schema_name: str | None) -> InvalidBody:
    base, body = _base(draw, schema_name)
    fields = [
        f
        for f in _fields(base.schema_name).values()
        if f.path != "model" and ("enum" in f.schema or "const" in f.schema)
    ]
    arrays = [
        f
        for f in _fields(base.schema_name).values()
        if f.schema.get("type") == "array"
        and "enum" in f.items().schema
        and isinstance(_get(body, f.path), list)
        and _get(body, f.path)
    ]
    fld = draw(st.sampled_from(_targets(base, fields) + arrays))
    if fld in arrays:
        items = _get(body, fld.path)
        index = draw(st.integers(0, len(items) - 1))
        items[index] = draw(_outside(fld.items(), set(fld.items().schema["enum"])))
    else:
        _put(body, fld.path, draw(_outside(fld, _other_consts(base, fld.path))))
    return _invalid(base, body, "enum", fld.path, _schema_violation(fld.path))


def _beyond(schema: Mapping[str, Any], integer: bool) -> st.SearchStrategy[float | int]:
    """Values just and well outside ``[minimum, maximum]``."""
    parts: list[st.SearchStrategy[float | int]] = []
    steps: st.SearchStrategy[float | int]
    if integer:
        steps = st.one_of(st.just(1), st.integers(2, 1000))
    else:
        steps = st.one_of(st.sampled_from([0.001, 0.01]), st.floats(1e-6, 10.0))
    if "minimum" in schema:
        low = schema["minimum"]
        parts.append(steps.map(lambda d: low - d).filter(lambda v: v < low))
    if "maximum" in schema:
        high = schema["maximum"]
        parts.append(steps.map(lambda d: high + d).filter(lambda v: v > high))
    return st.one_of(parts)


@st.composite
def _range(draw: st.DrawFn, schema_name: str | None) -> InvalidBody:
    base, body = _base(draw, schema_name)
    fields = [
        f
        for f in _fields(base.schema_name).values()
        if "minimum" in f.schema or "maximum" in f.schema
    ]
    fld = draw(st.sampled_from(_targets(base, fields)))
    _put(body, fld.path, draw(_beyond(fld.schema, fld.types == ("integer",))))
    return _invalid(base, body, "range", fld.path, _schema_violation(fld.path))


def _missing_expected(path: str) -> Expected:
    """A missing top-level field with its own documented code (``BadRequest.EmptyModel`` for
    ``model``), else the generic schema violation naming the field."""
    code = f"BadRequest.Empty{path[:1].upper()}{path[1:]}"
    errors = spec_document()["x-wan-errors"]
    if "." not in path and code in errors:
        entry = errors[code]
        return Expected("submit", code, int(entry["http_status"]), (str(entry["message"]),), code)
    return _schema_violation(path)


@st.composite
def _missing(draw: st.DrawFn, schema_name: str | None) -> InvalidBody:
    base, body = _base(draw, schema_name)
    required = [f for f in _fields(base.schema_name).values() if f.required]
    fld = draw(st.sampled_from(_targets(base, required)))
    _put(body, fld.path, ABSENT)
    return _invalid(base, body, "missing", fld.path, _missing_expected(fld.path))


def _url_rule_fields(schema_name: str) -> list[tuple[_Field, Rule]]:
    """URL fields (and URL arrays) whose own subschema carries an ``x-rule``."""
    out = []
    for fld in _fields(schema_name).values():
        own = fld.items() if fld.schema.get("type") == "array" else fld
        if ("pattern" in own.schema or "branches" in own.schema) and "x-rule" in own.schema:
            out.append((fld, _rule(str(own.schema["x-rule"]))))
    return out


def _broken_urls(schema: Mapping[str, Any], url: str) -> list[str]:
    """Ways to spoil a good URL (Chinese characters of several CJK blocks, a space, another
    scheme, nothing) that the field's pattern and minLength refuse."""
    scheme, _, rest = url.partition("://")
    candidates = [
        f"{scheme}://{rest}/视频素材.png",
        f"{scheme}://{rest.replace('/', '/中文', 1)}",
        f"{scheme}://{rest}/\u3400.png",  # CJK Extension A
        f"{scheme}://{rest}/\uf900.png",  # CJK Compatibility Ideographs
        f"{scheme}://{rest}/\U00020000.png",  # CJK Extension B
        f"{scheme}://{rest} with space",
        f"ftp://{rest}",
        "",
    ]
    return [c for c in candidates if not _matches(schema, c)]


@st.composite
def _url(draw: st.DrawFn, schema_name: str | None) -> InvalidBody:
    base, body = _base(draw, schema_name)
    candidates = {f.path: (f, rule) for f, rule in _url_rule_fields(base.schema_name)}
    fields = [f for f, _ in candidates.values()]
    fld, rule = candidates[draw(st.sampled_from([f.path for f in _targets(base, fields)]))]
    own = fld.items() if fld.schema.get("type") == "array" else fld
    good = draw(_urls(own.schema))
    bad = draw(st.sampled_from(_broken_urls(own.schema, good)))
    if fld.schema.get("type") == "array":
        items = _get(body, fld.path)
        if not isinstance(items, list) or not items:
            items = [good]
        items[draw(st.integers(0, len(items) - 1))] = bad
        _put(body, fld.path, items)
    else:
        _put(body, fld.path, bad)
    return _invalid(base, body, "url", fld.path, _rule_violation(rule))


def _with(
    draw: st.DrawFn, base: ValidBody, changes: Mapping[str, Any], forced: Sequence[str] = ()
) -> dict[str, Any]:
    """The base body with the ``forced`` fields made present, then ``changes`` applied
    (``ABSENT`` removes a field)."""
    body = copy.deepcopy(base.body)
    fields = _fields(base.schema_name)
    for path in forced:
        if not _present(_get(body, path)):
            _put(body, path, draw(_value(base.schema_name, base.model, fields[path])))
    for path, value in changes.items():
        _put(body, path, value)
    return body


@st.composite
def _cross_field(draw: st.DrawFn, schema_name: str | None) -> InvalidBody:
    names = [schema_name] if schema_name else list(REQUEST_SCHEMAS)
    names = [n for n in names if _shapes(n)]
    base = draw(valid_bodies(draw(st.sampled_from(names))))
    shape = draw(st.sampled_from(_shapes(base.schema_name)))
    rule = _rule(shape.rule)
    fields = _fields(base.schema_name)
    if isinstance(shape, _Conditional):
        options: list[tuple[str, dict[str, Any], list[str]]] = []
        on = [shape.trigger]
        clear = dict.fromkeys(shape.then_forbidden, ABSENT)
        for path in shape.then_required:
            constraint = shape.then_schemas.get(path)
            fld = fields.get(path)
            if fld is not None and fld.required:
                continue
            options.append((f"{shape.trigger} without {path}", {**clear, path: ABSENT}, on))
            if fld is None or fld.container:
                continue
            for value in [None, *fld.schema.get("enum", ())]:
                if constraint is not None and not jsonschema_rs.is_valid(dict(constraint), value):
                    label = f"{shape.trigger} with {path}={value!r}"
                    options.append((label, {**clear, path: value}, on))
        for path in shape.then_forbidden:
            options.append((f"{shape.trigger} with {path}", {}, [shape.trigger, path]))
        for path in shape.else_required:
            label = f"neither {shape.trigger} nor {path}"
            options.append((label, {shape.trigger: ABSENT, path: ABSENT}, []))
        target, changes, forced = draw(st.sampled_from(options))
        body = _with(draw, base, changes, forced)
    elif isinstance(shape, _AtLeastOne):
        target = ",".join(shape.fields)
        body = _with(draw, base, dict.fromkeys(shape.fields, ABSENT))
    else:
        target = shape.field
        body = _too_many(draw, base, shape)
    return _invalid(base, body, "cross_field", target, _rule_violation(rule))


def _too_many(draw: st.DrawFn, base: ValidBody, shape: _AtMost) -> dict[str, Any]:
    """An array with one item too many equal to the limited value; any array that must be as
    long (``same_length``) is lengthened to match."""
    body = copy.deepcopy(base.body)
    fields = _fields(base.schema_name)
    partners = [
        (first, second)
        for rule in _rules_for(base.schema_name, "same_length")
        for first, second in [rule.check["same_length"]]
        if shape.field in (first, second)
    ]
    size = shape.count + 1
    for first, _second in partners:
        current = _get(body, first)
        size = max(size, len(current) if isinstance(current, list) else 0)
    items = draw(_arrays(base.schema_name, base.model, fields[shape.field], size))
    positions = draw(st.permutations(range(size)))[: shape.count + 1]
    for index in positions:
        items[index] = shape.value
    _put(body, shape.field, items)
    for first, second in partners:
        other = first if second == shape.field else second
        current = _get(body, other)
        if not isinstance(current, list) or len(current) != size:
            more = draw(_arrays(base.schema_name, base.model, fields[other], size))
            kept = current if isinstance(current, list) else []
            _put(body, other, (kept + more)[:size])
    return body


def _same_length_rules(schema_name: str | None) -> list[tuple[str, Rule]]:
    names = [schema_name] if schema_name else list(REQUEST_SCHEMAS)
    return [(n, r) for n in names for r in _rules_for(n, "same_length")]


@st.composite
def _task_rule(draw: st.DrawFn, schema_name: str | None) -> InvalidBody:
    """Arrays of different lengths where a ``same_length`` rule (reported on the task) wants
    them equal; both kept within the spec's truncation limit, so what is sent is what counts."""
    name, rule = draw(st.sampled_from(_same_length_rules(schema_name)))
    base = draw(valid_bodies(name))
    first, second = rule.check["same_length"]
    fields = _fields(name)
    cap = min(
        _list_bounds(name, fields[first])[1],
        _item_limit(name, first) or 10**6,
        _item_limit(name, second) or 10**6,
    )
    low = max(1, _list_bounds(name, fields[first])[0])
    lead_size = draw(st.integers(low, cap))
    lead = draw(_arrays(name, base.model, fields[first], lead_size))
    may_omit = rule.check.get("may_omit_second_when_first_has")
    choices: list[Any] = [
        n for n in range(_list_bounds(name, fields[second])[0], cap + 1) if n != lead_size
    ]
    if may_omit is None or lead_size != int(may_omit):
        choices += [ABSENT, None] if fields[second].nullable else [ABSENT]
    follow_size = draw(st.sampled_from(choices))
    follow = (
        draw(_arrays(name, base.model, fields[second], follow_size))
        if isinstance(follow_size, int)
        else follow_size
    )
    body = _with(draw, base, {first: lead, second: follow})
    return _invalid(base, body, "task_rule", f"{first},{second}", _rule_violation(rule))


def _capability_cases(schema_name: str | None) -> list[tuple[str, str, Rule, str, list[Any]]]:
    """(schema, model, rule, field, values the schema accepts but the model does not offer)."""
    out = []
    for schema, model in _pairs(schema_name):
        for rule in _rules_for(schema, "capability"):
            name = str(rule.check["capability"])
            offered = model_capability(model, name)
            if offered is None:
                continue
            for path in rule.fields:
                fld = _fields(schema).get(path)
                if fld is None:
                    continue
                if "enum" in fld.schema:
                    pool = list(fld.schema["enum"])
                else:
                    pool = sorted(
                        {v for m in _models() for v in (model_capability(m, name) or ())},
                        key=str,
                    )
                others = [v for v in pool if v not in offered]
                if others:
                    out.append((schema, model, rule, path, others))
    return out


@st.composite
def _capability(draw: st.DrawFn, schema_name: str | None) -> InvalidBody:
    schema, model, rule, path, others = draw(st.sampled_from(_capability_cases(schema_name)))
    base = draw(valid_bodies(schema, model))
    value = draw(st.sampled_from(others))
    body = _with(draw, base, {path: value})
    offered = model_capability(model, str(rule.check["capability"])) or ()
    prefix = rule.message.format(model=model, value=value, allowed="\0", field=path)
    mentions = (prefix.split("\0", 1)[0], *(str(v) for v in offered))
    return _invalid(base, body, "capability", path, _rule_violation(rule, *mentions))


@st.composite
def _unknown_model(draw: st.DrawFn, schema_name: str | None) -> InvalidBody:
    """A model name ``x-wan-models`` does not know, or a known model on a submit path it is not
    accepted on: the documented ``model_not_exist`` answer."""
    base, body = _base(draw, schema_name)
    documented = _bad_request_example("model_not_exist")
    code = str(documented["code"])
    expected = Expected(
        "submit", code, int(_error(code)["http_status"]), (str(documented["message"]),), "model"
    )
    wrong_paths = [k for k in request_paths() if k not in _models()[base.model]["paths"]]
    on_wrong_path = draw(st.booleans())
    if wrong_paths and on_wrong_path:
        kind = draw(st.sampled_from(wrong_paths))
        return InvalidBody(
            body, kind, base.schema_name, base.model, "unknown_model", "path", expected
        )
    name = draw(st.text(min_size=1, max_size=24).filter(lambda n: n not in _models()))
    body["model"] = name
    return _invalid(base, body, "unknown_model", "model", expected)


_VIOLATIONS = {
    "wrong_type": _wrong_type,
    "enum": _enum,
    "range": _range,
    "missing": _missing,
    "url": _url,
    "cross_field": _cross_field,
    "task_rule": _task_rule,
    "capability": _capability,
    "unknown_model": _unknown_model,
}
VIOLATIONS: Final[tuple[str, ...]] = tuple(_VIOLATIONS)
"""The kinds of single-rule violation ``invalid_bodies`` draws."""


def _applicable(violation: str, schema_name: str | None) -> bool:
    names = [schema_name] if schema_name else list(REQUEST_SCHEMAS)
    if violation == "cross_field":
        return any(_shapes(n) for n in names)
    if violation == "task_rule":
        return bool(_same_length_rules(schema_name))
    if violation == "capability":
        return bool(_capability_cases(schema_name))
    if violation == "url":
        return any(_url_rule_fields(n) for n in names)
    if violation == "range":
        return any(
            "minimum" in f.schema or "maximum" in f.schema
            for n in names
            for f in _fields(n).values()
        )
    return True


def invalid_bodies(
    violation: str | None = None, schema_name: str | None = None
) -> st.SearchStrategy[InvalidBody]:
    """Bodies that break exactly one rule, each with the outcome the spec documents.

    ``violation`` (one of ``VIOLATIONS``) and ``schema_name`` narrow what is drawn:

    - ``wrong_type``: a field of another JSON type (or ``null`` where not nullable);
    - ``enum``: a value outside an ``enum``/``const`` (also one item of an enum array);
    - ``range``: a number just or well outside ``minimum``/``maximum``;
    - ``missing``: a ``required`` field left out (``model``/``input``: their own codes);
    - ``url``: a URL the field's ``pattern`` refuses (Chinese characters, spaces, …);
    - ``cross_field``: an in-schema ``x-rule`` broken (masks, anchors, control_condition, "bg");
    - ``task_rule``: a ``same_length`` rule broken (accepted, the task FAILS);
    - ``capability``: a value the schema allows but the model does not offer (task FAILS);
    - ``unknown_model``: a model ``x-wan-models`` does not list, or a path it is not on.
    """
    kinds = [violation] if violation is not None else list(VIOLATIONS)
    strategies = [_VIOLATIONS[k](schema_name) for k in kinds if _applicable(k, schema_name)]
    if not strategies:
        raise ValueError(f"no {violation!r} violation applies to {schema_name!r}")
    return st.one_of(strategies)


# ---------------------------------------------------------------------- mock scenarios
@dataclass(frozen=True)
class Scenario:
    """An ``X-Mock-Scenario`` header and what it should do to the task."""

    header: str | None
    pending: float | None = None
    running: float | None = None
    fail: tuple[str, str] | None = None
    reject: str | None = None


def _task_failures() -> list[tuple[str, str]]:
    """(code, message on the task) of every code the spec documents on a FAILED task."""
    out = []
    for code, entry in spec_document()["x-wan-errors"].items():
        if "task" in entry.get("stages", ()):
            out.append((str(code), str(entry.get("task_message", entry["message"]))))
    return out


def _submit_errors() -> list[str]:
    return [
        str(c)
        for c, e in spec_document()["x-wan-errors"].items()
        if "submit" in e.get("stages", ())
    ]


_SECONDS = st.one_of(
    st.integers(0, 5),
    st.sampled_from([0.25, 0.5, 1.5, 59.5, 600, 3600, 7200, 10799, 10800, 10801, 20000]),
)


@st.composite
def _scenario(draw: st.DrawFn, reject: bool) -> Scenario:
    if reject:
        code = draw(st.sampled_from(_submit_errors()))
        return Scenario(f"reject={code}", reject=code)
    parts: list[str] = []
    fail = draw(st.none() | st.sampled_from(_task_failures()))
    pending = draw(st.none() | _SECONDS)
    running = draw(st.none() | _SECONDS)
    if fail is not None:
        parts.append(f"fail={fail[0]}")
    if pending is not None:
        parts.append(f"pending={pending}")
    if running is not None:
        parts.append(f"running={running}")
    header = "; ".join(parts) if parts else None
    return Scenario(
        header,
        None if pending is None else float(pending),
        None if running is None else float(running),
        fail,
    )


def mock_scenarios(*, reject: bool = False) -> st.SearchStrategy[Scenario]:
    """``X-Mock-Scenario`` headers: none, ``fail=<code>`` (codes the spec documents on a
    FAILED task), ``pending=<s>``/``running=<s>`` (short, and long enough to pass the 3-hour
    timeout) — or, with ``reject``, ``reject=<code>`` for codes documented on a submit."""
    return _scenario(reject)


def violated_rules() -> dict[str, str]:
    """Every ``x-wan-rules`` id that ``invalid_bodies`` knows how to break → the violation kind
    that breaks it (a test checks that no submit- or task-stage rule is missing)."""
    out: dict[str, str] = {}
    for name in REQUEST_SCHEMAS:
        for shape in _shapes(name):
            out[shape.rule] = "cross_field"
        for _fld, rule in _url_rule_fields(name):
            out[rule.id] = "url"
    for _name, rule in _same_length_rules(None):
        out[rule.id] = "task_rule"
    for _schema, _model, rule, _path, _values in _capability_cases(None):
        out[rule.id] = "capability"
    return out
