"""Valid submit bodies (``valid_bodies``): a value for every field the model offers (an enum
value, a capability, a URL its pattern accepts, text around the length the spec cuts at, a number
in range, an array within its bounds), optional fields left out, sent as ``null`` or set; then the
in-schema rules and the ``same_length`` rules made to hold. Also the field-level strategies and
body accessors the invalid bodies start from."""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import jsonschema_rs
from hypothesis import strategies as st

from contract_tests.support.mock import set_path
from contract_tests.support.spec_data import spec_document
from contract_tests.support.strategies._request_schemas import (
    ABSENT,
    REQUEST_SCHEMAS,
    AtLeastOne,
    BodyField,
    Conditional,
    Rule,
    assert_spec_accepts,
    at_most_shapes,
    body_fields,
    json_type,
    model_capability,
    request_paths,
    rule_shapes,
    rules_for,
    schema_model_pairs,
    spec_models,
)

__all__ = [
    "ValidBody",
    "field_values",
    "is_present",
    "item_limit",
    "list_bounds",
    "matches_text",
    "put_value",
    "valid_arrays",
    "valid_bodies",
    "valid_urls",
    "value_at",
]


# ---------------------------------------------------------------------- field values
def _capability_rule(schema_name: str, path: str) -> Rule | None:
    for rule in rules_for(schema_name, "capability"):
        if path in rule.fields:
            return rule
    return None


def _capability_values(schema_name: str, model: str, path: str) -> tuple[Any, ...] | None:
    rule = _capability_rule(schema_name, path)
    if rule is None:
        return None
    return model_capability(model, str(rule.check["capability"]))


def _truncate_limit(schema_name: str, model: str, path: str) -> int | None:
    for rule in rules_for(schema_name, "truncate_length"):
        if path in rule.fields:
            limit = rule.check["truncate_length"]
            if "capability" in limit:
                return int(spec_models()[model][str(limit["capability"])])
            return int(spec_document()["x-wan-service"][str(limit["service"])])
    return None


def item_limit(schema_name: str, path: str) -> int | None:
    for rule in rules_for(schema_name, "truncate_items"):
        if path in rule.fields:
            return int(rule.check["truncate_items"]["max_items"])
    return None


def matches_text(schema: Mapping[str, Any], text: str) -> bool:
    if "branches" in schema:
        return any(matches_text(branch, text) for branch in schema["branches"])
    if len(text) < int(schema.get("minLength", 0)):
        return False
    pattern = schema.get("pattern")
    return pattern is None or re.fullmatch(str(pattern), text) is not None


_LABEL = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=10)
_HOSTS = st.builds("{}.{}".format, _LABEL, st.sampled_from(["com", "cn", "aliyuncs.com"]))
_URL_PATHS = st.lists(
    st.text(alphabet="ABCabcxyz0123456789_~%.-", min_size=1, max_size=12), min_size=1, max_size=3
).map("/".join)


def valid_urls(schema: Mapping[str, Any]) -> st.SearchStrategy[str]:
    """http(s) URLs matching the field's ``pattern``: its ``examples``, or built ones."""
    built = st.builds(
        "{}://{}/{}".format, st.sampled_from(["https", "http"]), _HOSTS, _URL_PATHS
    ).filter(lambda url: matches_text(schema, url))
    examples = [
        e for e in schema.get("examples", ()) if isinstance(e, str) and matches_text(schema, e)
    ]
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


def field_values(schema_name: str, model: str, fld: BodyField) -> st.SearchStrategy[Any]:
    """Valid values of one field of the schema for one model (never ``null``; see
    ``_optional``). Built once per field and model."""
    return _cached_value(schema_name, model, fld.path)


@functools.cache
def _cached_value(schema_name: str, model: str, path: str) -> st.SearchStrategy[Any]:
    if path.endswith("[]"):
        return _value_of(schema_name, model, body_fields(schema_name)[path[:-2]].items())
    return _value_of(schema_name, model, body_fields(schema_name)[path])


def _item_value(schema_name: str, model: str, fld: BodyField) -> st.SearchStrategy[Any]:
    return _cached_value(schema_name, model, fld.path + "[]")


def _value_of(schema_name: str, model: str, fld: BodyField) -> st.SearchStrategy[Any]:
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
        options = [v for v in allowed if json_type(v) in fld.types]
        if fld.types == ("string",):
            options = [v for v in options if matches_text(schema, str(v))]
        return st.sampled_from(options) if options else st.nothing()
    kind = fld.types[0]
    if kind == "string":
        if "pattern" in schema or "branches" in schema:
            return valid_urls(schema)
        limit = _truncate_limit(schema_name, model, fld.path)
        return _texts(int(schema.get("minLength", 0)), limit)
    if kind == "integer":
        return _integers(schema)
    if kind == "number":
        return _numbers(schema)
    if kind == "boolean":
        return st.booleans()
    if kind == "array":
        return valid_arrays(schema_name, model, fld)
    raise ValueError(f"{schema_name}.{fld.path}: no strategy for {dict(schema)}")


def list_bounds(schema_name: str, fld: BodyField) -> tuple[int, int]:
    low = int(fld.schema.get("minItems", 0))
    high = fld.schema.get("maxItems")
    if high is None:
        cut = item_limit(schema_name, fld.path)
        high = (cut + 1) if cut is not None else low + 3
    return low, int(high)


@st.composite
def valid_arrays(
    draw: st.DrawFn, schema_name: str, model: str, fld: BodyField, length: int | None = None
) -> list[Any]:
    """A valid array for the field, honouring any "at most N items equal X" rule."""
    low, high = list_bounds(schema_name, fld)
    size = length if length is not None else draw(st.integers(low, high))
    item_field = fld.items()
    items = draw(st.lists(_item_value(schema_name, model, fld), min_size=size, max_size=size))
    for limit in at_most_shapes(schema_name, fld.path):
        others = [v for v in item_field.schema.get("enum", ()) if v != limit.value]
        over = [i for i, v in enumerate(items) if v == limit.value][limit.count :]
        for index in over:
            items[index] = draw(st.sampled_from(others))
    return items


def _optional(fld: BodyField, values: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """An optional field: left out, sent as ``null`` (as the SDK does) when allowed, or a value."""
    choices: list[st.SearchStrategy[Any]] = [st.just(ABSENT)]
    if fld.nullable:
        choices.append(st.none())
    choices.append(values)
    return st.one_of(choices)


# ---------------------------------------------------------------------- bodies
def value_at(body: Mapping[str, Any], path: str) -> Any:
    node: Any = body
    for part in path.split("."):
        if not isinstance(node, Mapping) or part not in node:
            return ABSENT
        node = node[part]
    return node


def put_value(body: dict[str, Any], path: str, value: Any) -> None:
    """:func:`set_path`, with ``ABSENT`` as the mark of a field left out."""
    set_path(body, path, value, removed=ABSENT)


def is_present(value: Any) -> bool:
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
        value = value_at(self.body, "parameters.duration")
        return (
            int(value) if is_present(value) else int(spec_models()[self.model]["default_duration"])
        )

    @property
    def prompt(self) -> Any:
        """``input.prompt`` as sent (``ABSENT`` when left out)."""
        return value_at(self.body, "input.prompt")

    @property
    def size(self) -> Any:
        """``parameters.size`` as sent, or the model's ``default_size`` (``ABSENT`` if none)."""
        value = value_at(self.body, "parameters.size")
        return value if is_present(value) else spec_models()[self.model].get("default_size", ABSENT)


class _Draft:
    """The field choices of one body while it is being drawn."""

    def __init__(self, draw: st.DrawFn, schema_name: str, model: str) -> None:
        self.draw = draw
        self.schema_name = schema_name
        self.model = model
        self.fields = body_fields(schema_name)
        self.choices: dict[str, Any] = {}
        self.forced: set[str] = set()

    def ensure(self, path: str, constraint: Mapping[str, Any] | None = None) -> None:
        """Make the field present (and valid under ``constraint``, if any)."""
        fld = self.fields.get(path)
        if fld is None or fld.container:
            self.forced.add(path)
            return
        current = self.choices.get(path, ABSENT)
        if is_present(current) and (
            constraint is None or jsonschema_rs.is_valid(dict(constraint), current)
        ):
            return
        values = field_values(self.schema_name, self.model, fld)
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
        values = field_values(schema_name, model, fld)
        draft.choices[path] = draw(values if fld.required else _optional(fld, values))
    for shape in rule_shapes(schema_name):
        if isinstance(shape, Conditional):
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
        elif isinstance(shape, AtLeastOne) and not any(
            is_present(draft.choices.get(p, ABSENT)) for p in shape.fields
        ):
            draft.ensure(draw(st.sampled_from(shape.fields)))
    for rule in rules_for(schema_name, "same_length"):
        first, second = rule.check["same_length"]
        if first not in draft.fields or second not in draft.fields:
            continue
        lead, follow = draft.choices.get(first, ABSENT), draft.choices.get(second, ABSENT)
        if not isinstance(lead, list):
            continue
        may_omit = rule.check.get("may_omit_second_when_first_has")
        if not is_present(follow) and may_omit is not None and len(lead) == int(may_omit):
            continue
        if not isinstance(follow, list) or len(follow) != len(lead):
            fld = draft.fields[second]
            draft.choices[second] = draw(valid_arrays(schema_name, model, fld, len(lead)))
    return draft


@st.composite
def _valid_body(draw: st.DrawFn, schema_name: str, model: str) -> ValidBody:
    body = _draft(draw, schema_name, model).assemble()
    assert_spec_accepts(schema_name, body)
    kind = draw(st.sampled_from(tuple(spec_models()[model]["paths"])))
    return ValidBody(body, str(kind), schema_name, model)


def valid_bodies(
    schema_name: str | None = None, model: str | None = None
) -> st.SearchStrategy[ValidBody]:
    """Valid submit bodies: every model with every request schema it accepts (or only the
    given ones), on every path the model is accepted on. Optional fields are left out, sent
    as ``null`` where the schema allows it, or given a value the model offers; the SDK's
    extras (``input.function: "video-synthesis"``, ``input.extend_prompt``) come from the
    schema like any other optional field."""
    pairs = schema_model_pairs(schema_name, model)
    if not pairs:
        raise ValueError(f"no model accepts {schema_name!r} (model={model!r})")
    schemas = sorted({name for name, _ in pairs}, key=REQUEST_SCHEMAS.index)

    def models_for(name: str) -> st.SearchStrategy[ValidBody]:
        accepting = [m for n, m in pairs if n == name]
        return st.sampled_from(accepting).flatmap(lambda m: _valid_body(name, m))

    return st.sampled_from(schemas).flatmap(models_for)
