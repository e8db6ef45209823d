"""Bodies that break exactly one rule (``invalid_bodies``), each drawn from a valid body and
carrying the outcome the spec documents for that rule (``Expected``); and which rules of
``x-wan-rules`` the strategies know how to break (``violated_rules``)."""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

import jsonschema_rs
from hypothesis import strategies as st

from contract_tests.support.spec_data import spec_document
from contract_tests.support.strategies._request_schemas import (
    ABSENT,
    REQUEST_SCHEMAS,
    AtLeastOne,
    AtMost,
    BodyField,
    Conditional,
    Rule,
    Stage,
    assert_spec_accepts,
    assert_spec_refuses,
    bad_request_example,
    body_fields,
    error_entry,
    model_capability,
    presence_sensitive_fields,
    request_paths,
    rule_by_id,
    rule_shapes,
    rules_for,
    schema_error_code,
    schema_model_pairs,
    spec_models,
)
from contract_tests.support.strategies._valid_bodies import (
    ValidBody,
    field_values,
    is_present,
    item_limit,
    list_bounds,
    matches_text,
    put_value,
    valid_arrays,
    valid_bodies,
    valid_urls,
    value_at,
)

__all__ = [
    "VIOLATIONS",
    "Expected",
    "InvalidBody",
    "invalid_bodies",
    "violated_rules",
]


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
    code = schema_error_code()
    return Expected("submit", code, int(error_entry(code)["http_status"]), (path,), "schema")


def _rule_violation(rule: Rule, *mentions: str) -> Expected:
    stage: Stage = "task" if rule.stage == "task" else "submit"
    status = 200 if stage == "task" else int(error_entry(rule.code)["http_status"])
    return Expected(stage, rule.code, status, mentions or (rule.message,), rule.id)


def _base(draw: st.DrawFn, schema_name: str | None) -> tuple[ValidBody, dict[str, Any]]:
    base = draw(valid_bodies(schema_name))
    return base, copy.deepcopy(base.body)


def _invalid(
    base: ValidBody, body: dict[str, Any], violation: str, target: str, expected: Expected
) -> InvalidBody:
    if expected.stage == "task":
        assert_spec_accepts(base.schema_name, body)
    else:
        assert_spec_refuses(base.schema_name, body)
    return InvalidBody(body, base.kind, base.schema_name, base.model, violation, target, expected)


def _targets(base: ValidBody, fields: Sequence[BodyField]) -> list[BodyField]:
    """Fields that may be changed without touching a presence rule: those already present,
    and those whose presence no in-schema rule looks at. Nested fields come first (Hypothesis
    favours the first choices; ``model`` and ``input`` are a small part of a body)."""
    sensitive = presence_sensitive_fields(base.schema_name)
    found = [
        f for f in fields if f.path not in sensitive or is_present(value_at(base.body, f.path))
    ]
    return sorted(found, key=lambda f: "." not in f.path)


_SAMPLES: Mapping[str, Any] = {
    "string": "wrong-type",
    "integer": 7,
    "number": 1.5,
    "boolean": True,
    "array": ["wrong-type"],
    "object": {"wrong": "type"},
}


def _wrong_values(fld: BodyField, *, top_level: bool) -> list[Any]:
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
    fields = list(body_fields(base.schema_name).values())
    fld = draw(st.sampled_from(_targets(base, fields)))
    top_level = "." not in fld.path and fld.path != "parameters"
    value = draw(st.sampled_from(_wrong_values(fld, top_level=top_level)))
    put_value(body, fld.path, value)
    return _invalid(base, body, "wrong_type", fld.path, _schema_violation(fld.path))


def _other_consts(base: ValidBody, path: str) -> set[Any]:
    """Every const/enum value the field has in any request schema of the model (a different
    VACE ``function`` would select a different schema instead of breaking this one)."""
    out: set[Any] = set()
    for schema in spec_models()[base.model]["requests"]:
        fld = body_fields(str(schema)).get(path)
        if fld is not None:
            out.update(fld.schema.get("enum", ()))
            if "const" in fld.schema:
                out.add(fld.schema["const"])
    return out


def _outside(fld: BodyField, taken: set[Any]) -> st.SearchStrategy[Any]:
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
        for f in body_fields(base.schema_name).values()
        if f.path != "model" and ("enum" in f.schema or "const" in f.schema)
    ]
    arrays = [
        f
        for f in body_fields(base.schema_name).values()
        if f.schema.get("type") == "array"
        and "enum" in f.items().schema
        and isinstance(value_at(body, f.path), list)
        and value_at(body, f.path)
    ]
    fld = draw(st.sampled_from(_targets(base, fields) + arrays))
    if fld in arrays:
        items = value_at(body, fld.path)
        index = draw(st.integers(0, len(items) - 1))
        items[index] = draw(_outside(fld.items(), set(fld.items().schema["enum"])))
    else:
        put_value(body, fld.path, draw(_outside(fld, _other_consts(base, fld.path))))
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
        for f in body_fields(base.schema_name).values()
        if "minimum" in f.schema or "maximum" in f.schema
    ]
    fld = draw(st.sampled_from(_targets(base, fields)))
    put_value(body, fld.path, draw(_beyond(fld.schema, fld.types == ("integer",))))
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
    required = [f for f in body_fields(base.schema_name).values() if f.required]
    fld = draw(st.sampled_from(_targets(base, required)))
    put_value(body, fld.path, ABSENT)
    return _invalid(base, body, "missing", fld.path, _missing_expected(fld.path))


def _url_rule_fields(schema_name: str) -> list[tuple[BodyField, Rule]]:
    """URL fields (and URL arrays) whose own subschema carries an ``x-rule``."""
    out = []
    for fld in body_fields(schema_name).values():
        own = fld.items() if fld.schema.get("type") == "array" else fld
        if ("pattern" in own.schema or "branches" in own.schema) and "x-rule" in own.schema:
            out.append((fld, rule_by_id(str(own.schema["x-rule"]))))
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
    return [c for c in candidates if not matches_text(schema, c)]


@st.composite
def _url(draw: st.DrawFn, schema_name: str | None) -> InvalidBody:
    base, body = _base(draw, schema_name)
    candidates = {f.path: (f, rule) for f, rule in _url_rule_fields(base.schema_name)}
    fields = [f for f, _ in candidates.values()]
    fld, rule = candidates[draw(st.sampled_from([f.path for f in _targets(base, fields)]))]
    own = fld.items() if fld.schema.get("type") == "array" else fld
    good = draw(valid_urls(own.schema))
    bad = draw(st.sampled_from(_broken_urls(own.schema, good)))
    if fld.schema.get("type") == "array":
        items = value_at(body, fld.path)
        if not isinstance(items, list) or not items:
            items = [good]
        items[draw(st.integers(0, len(items) - 1))] = bad
        put_value(body, fld.path, items)
    else:
        put_value(body, fld.path, bad)
    return _invalid(base, body, "url", fld.path, _rule_violation(rule))


def _with(
    draw: st.DrawFn, base: ValidBody, changes: Mapping[str, Any], forced: Sequence[str] = ()
) -> dict[str, Any]:
    """The base body with the ``forced`` fields made present, then ``changes`` applied
    (``ABSENT`` removes a field)."""
    body = copy.deepcopy(base.body)
    fields = body_fields(base.schema_name)
    for path in forced:
        if not is_present(value_at(body, path)):
            put_value(body, path, draw(field_values(base.schema_name, base.model, fields[path])))
    for path, value in changes.items():
        put_value(body, path, value)
    return body


@st.composite
def _cross_field(draw: st.DrawFn, schema_name: str | None) -> InvalidBody:
    names = [schema_name] if schema_name else list(REQUEST_SCHEMAS)
    names = [n for n in names if rule_shapes(n)]
    base = draw(valid_bodies(draw(st.sampled_from(names))))
    shape = draw(st.sampled_from(rule_shapes(base.schema_name)))
    rule = rule_by_id(shape.rule)
    fields = body_fields(base.schema_name)
    if isinstance(shape, Conditional):
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
    elif isinstance(shape, AtLeastOne):
        target = ",".join(shape.fields)
        body = _with(draw, base, dict.fromkeys(shape.fields, ABSENT))
    else:
        target = shape.field
        body = _too_many(draw, base, shape)
    return _invalid(base, body, "cross_field", target, _rule_violation(rule))


def _too_many(draw: st.DrawFn, base: ValidBody, shape: AtMost) -> dict[str, Any]:
    """An array with one item too many equal to the limited value; any array that must be as
    long (``same_length``) is lengthened to match."""
    body = copy.deepcopy(base.body)
    fields = body_fields(base.schema_name)
    partners = [
        (first, second)
        for rule in rules_for(base.schema_name, "same_length")
        for first, second in [rule.check["same_length"]]
        if shape.field in (first, second)
    ]
    size = shape.count + 1
    for first, _second in partners:
        current = value_at(body, first)
        size = max(size, len(current) if isinstance(current, list) else 0)
    items = draw(valid_arrays(base.schema_name, base.model, fields[shape.field], size))
    positions = draw(st.permutations(range(size)))[: shape.count + 1]
    for index in positions:
        items[index] = shape.value
    put_value(body, shape.field, items)
    for first, second in partners:
        other = first if second == shape.field else second
        current = value_at(body, other)
        if not isinstance(current, list) or len(current) != size:
            more = draw(valid_arrays(base.schema_name, base.model, fields[other], size))
            kept = current if isinstance(current, list) else []
            put_value(body, other, (kept + more)[:size])
    return body


def _same_length_rules(schema_name: str | None) -> list[tuple[str, Rule]]:
    names = [schema_name] if schema_name else list(REQUEST_SCHEMAS)
    return [(n, r) for n in names for r in rules_for(n, "same_length")]


@st.composite
def _task_rule(draw: st.DrawFn, schema_name: str | None) -> InvalidBody:
    """Arrays of different lengths where a ``same_length`` rule (reported on the task) wants
    them equal; both kept within the spec's truncation limit, so what is sent is what counts."""
    name, rule = draw(st.sampled_from(_same_length_rules(schema_name)))
    base = draw(valid_bodies(name))
    first, second = rule.check["same_length"]
    fields = body_fields(name)
    cap = min(
        list_bounds(name, fields[first])[1],
        item_limit(name, first) or 10**6,
        item_limit(name, second) or 10**6,
    )
    low = max(1, list_bounds(name, fields[first])[0])
    lead_size = draw(st.integers(low, cap))
    lead = draw(valid_arrays(name, base.model, fields[first], lead_size))
    may_omit = rule.check.get("may_omit_second_when_first_has")
    choices: list[Any] = [
        n for n in range(list_bounds(name, fields[second])[0], cap + 1) if n != lead_size
    ]
    if may_omit is None or lead_size != int(may_omit):
        choices += [ABSENT, None] if fields[second].nullable else [ABSENT]
    follow_size = draw(st.sampled_from(choices))
    follow = (
        draw(valid_arrays(name, base.model, fields[second], follow_size))
        if isinstance(follow_size, int)
        else follow_size
    )
    body = _with(draw, base, {first: lead, second: follow})
    return _invalid(base, body, "task_rule", f"{first},{second}", _rule_violation(rule))


def _capability_cases(schema_name: str | None) -> list[tuple[str, str, Rule, str, list[Any]]]:
    """(schema, model, rule, field, values the schema accepts but the model does not offer)."""
    out = []
    for schema, model in schema_model_pairs(schema_name):
        for rule in rules_for(schema, "capability"):
            name = str(rule.check["capability"])
            offered = model_capability(model, name)
            if offered is None:
                continue
            for path in rule.fields:
                fld = body_fields(schema).get(path)
                if fld is None:
                    continue
                if "enum" in fld.schema:
                    pool = list(fld.schema["enum"])
                else:
                    pool = sorted(
                        {v for m in spec_models() for v in (model_capability(m, name) or ())},
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
    documented = bad_request_example("model_not_exist")
    code = str(documented["code"])
    expected = Expected(
        "submit",
        code,
        int(error_entry(code)["http_status"]),
        (str(documented["message"]),),
        "model",
    )
    wrong_paths = [k for k in request_paths() if k not in spec_models()[base.model]["paths"]]
    on_wrong_path = draw(st.booleans())
    if wrong_paths and on_wrong_path:
        kind = draw(st.sampled_from(wrong_paths))
        return InvalidBody(
            body, kind, base.schema_name, base.model, "unknown_model", "path", expected
        )
    name = draw(st.text(min_size=1, max_size=24).filter(lambda n: n not in spec_models()))
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
        return any(rule_shapes(n) for n in names)
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
            for f in body_fields(n).values()
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


def violated_rules() -> dict[str, str]:
    """Every ``x-wan-rules`` id that ``invalid_bodies`` knows how to break → the violation kind
    that breaks it (a test checks that no submit- or task-stage rule is missing)."""
    out: dict[str, str] = {}
    for name in REQUEST_SCHEMAS:
        for shape in rule_shapes(name):
            out[shape.rule] = "cross_field"
        for _fld, rule in _url_rule_fields(name):
            out[rule.id] = "url"
    for _name, rule in _same_length_rules(None):
        out[rule.id] = "task_rule"
    for _schema, _model, rule, _path, _values in _capability_cases(None):
        out[rule.id] = "capability"
    return out
