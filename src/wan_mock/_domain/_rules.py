"""The rule table (``x-wan-rules``) applied to a body that passed schema validation.

Each rule names its fields, its ``stage`` (``task``: the task is accepted and ends FAILED;
``ignore``: the fields are dropped or cut; ``submit`` rules live in the schema and are enforced by
``validation``) and one ``check`` from a small vocabulary implemented here once, generically.
Adding a rule of a known kind to the spec needs no code.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .._spec._documents import ApiSpec, ModelInfo, Rule
from .._spec._field_paths import drop_path, get_path, set_path

__all__ = ["Failure", "RuleOutcome", "apply_rules", "copy_json"]


def copy_json(value: Any) -> Any:
    """A deep copy of parsed JSON (dicts, lists and immutable scalars): what ``copy.deepcopy``
    gives, without its bookkeeping for shared and recursive objects."""
    if type(value) is dict:
        return {key: copy_json(item) for key, item in value.items()}
    if type(value) is list:
        return [copy_json(item) for item in value]
    if isinstance(value, Mapping | list):
        return copy.deepcopy(value)
    return value


@dataclass(frozen=True)
class Failure:
    """A task-stage rule the request breaks: the task will end FAILED with this."""

    rule_id: str
    code: str
    message: str


@dataclass
class RuleOutcome:
    """The body as the model will use it, the first task failure, and what was ignored."""

    body: dict[str, Any]
    failure: Failure | None = None
    notes: list[str] = field(default_factory=list)


def _message(rule: Rule, model: ModelInfo, value: Any, allowed: Any, where: str) -> str:
    allowed_text = ", ".join(str(a) for a in allowed) if isinstance(allowed, tuple) else allowed
    return rule.message.format(model=model.name, value=value, allowed=allowed_text, field=where)


def _same_length(ctx: _Context, rule: Rule) -> str | None:
    first, second = rule.check["same_length"]
    a, b = get_path(ctx.body, first), get_path(ctx.body, second)
    if a is None:
        return None
    if b is None:
        omit_ok = rule.check.get("may_omit_second_when_first_has")
        if omit_ok is not None and len(a) == int(omit_ok):
            return None
        return _message(rule, ctx.model, None, None, second)
    if len(a) != len(b):
        return _message(rule, ctx.model, len(b), len(a), second)
    return None


def _capability(ctx: _Context, rule: Rule) -> str | None:
    allowed = ctx.model.capability(str(rule.check["capability"]))
    if allowed is None:
        return None
    for where in rule.fields:
        value = get_path(ctx.body, where)
        if value is not None and value not in allowed:
            return _message(rule, ctx.model, value, allowed, where)
    return None


def _truncate_items(ctx: _Context, rule: Rule) -> None:
    _truncate(ctx, rule, int(rule.check["truncate_items"]["max_items"]), list, "items")


def _truncate_length(ctx: _Context, rule: Rule) -> None:
    spec_limit = rule.check["truncate_length"]
    if "capability" in spec_limit:
        limit = int(getattr(ctx.model, str(spec_limit["capability"])))
    else:
        limit = int(ctx.spec.service.raw[str(spec_limit["service"])])
    _truncate(ctx, rule, limit, str, "characters")


def _truncate(ctx: _Context, rule: Rule, limit: int, kind: type[Any], unit: str) -> None:
    """Cut each of the rule's fields that holds a ``kind`` longer than ``limit`` to its first
    ``limit`` items or characters, noting it."""
    for where in rule.fields:
        value = get_path(ctx.body, where)
        if isinstance(value, kind) and len(value) > limit:
            set_path(ctx.body, where, value[:limit])
            ctx.notes.append(f"{rule.id}: {where} cut to {limit} {unit}")


def _drop_fields(ctx: _Context, rule: Rule) -> None:
    for where in rule.fields:
        if drop_path(ctx.body, where):
            ctx.notes.append(f"{rule.id}: {where} ignored")


def _only_with(ctx: _Context, rule: Rule) -> None:
    if get_path(ctx.body, str(rule.check["only_with"])) is None:
        _drop_fields(ctx, rule)


def _only_when(ctx: _Context, rule: Rule) -> None:
    condition = rule.check["only_when"]
    value = get_path(ctx.body, str(condition["field"]))
    if value is None:
        value = condition.get("default")
    if value != condition["equals"]:
        _drop_fields(ctx, rule)


def _ignored_with(ctx: _Context, rule: Rule) -> None:
    if get_path(ctx.body, str(rule.check["ignored_with"])) is not None:
        _drop_fields(ctx, rule)


def _capability_flag(ctx: _Context, rule: Rule) -> None:
    if not getattr(ctx.model, str(rule.check["capability_flag"]), False):
        _drop_fields(ctx, rule)


@dataclass
class _Context:
    spec: ApiSpec
    model: ModelInfo
    body: dict[str, Any]
    notes: list[str]


_FAILING: dict[str, Callable[[_Context, Rule], str | None]] = {
    "same_length": _same_length,
    "capability": _capability,
}
_ADJUSTING: dict[str, Callable[[_Context, Rule], None]] = {
    "truncate_items": _truncate_items,
    "truncate_length": _truncate_length,
    "only_with": _only_with,
    "only_when": _only_when,
    "ignored_with": _ignored_with,
    "capability_flag": _capability_flag,
}


def apply_rules(
    spec: ApiSpec, model: ModelInfo, schema_name: str, body: Mapping[str, Any]
) -> RuleOutcome:
    """Check task-stage rules against the body as sent, then apply the ``ignore`` rules.

    Rules are taken in spec order; the first task-stage rule broken decides the failure.
    """
    ctx = _Context(spec, model, copy_json(dict(body)), [])
    failure: Failure | None = None
    for rule in spec.rules_for(schema_name):
        if rule.check.get("in_schema"):
            continue
        kinds = [k for k in rule.check if k in _FAILING or k in _ADJUSTING]
        if not kinds:
            raise ValueError(f"rule {rule.id}: unknown check {dict(rule.check)}")
        kind = kinds[0]
        if kind in _FAILING:
            if failure is None:
                text = _FAILING[kind](ctx, rule)
                if text is not None:
                    failure = Failure(rule.id, rule.code, text)
        else:
            _ADJUSTING[kind](ctx, rule)
    return RuleOutcome(body=ctx.body, failure=failure, notes=ctx.notes)
