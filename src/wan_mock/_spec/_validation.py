"""Request validation, driven by the specs.

Submits: the request schema is chosen first — by the submit path, the model (``x-wan-models``)
and, for Wan-VACE, ``input.function`` — and then one compiled JSON Schema validator
(jsonschema-rs, built once per app from ``components/schemas``) checks the body. Every other
operation of either spec (the task list, the upload policy, the control plane) has its query
parameters and JSON body checked by an :class:`OperationValidator` built from its definition.

A failure inside a subschema tagged ``x-rule: <id>`` is reported with that rule's code and
message; inside one tagged ``x-parser: <name>``, with the message of that named parser (the
scenario grammar explains itself better than its pattern can); any other failure names the field
path and the broken constraint. There are no hand-written checks of individual fields here.

A JSON ``null`` on an optional field means "not given" (the official SDK sends ``None`` as
``null``): :func:`without_nulls` drops every null-valued property before anything reads a submit
body, so a null optional field is never checked and a null required field is reported missing.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import jsonschema_rs

from ._documents import ApiSpec, ModelInfo, Operation, pointer, resolve_in
from ._errors import ApiError, EmptyInput, EmptyModel, IllegalInput, InvalidParameter
from ._field_paths import field_path

__all__ = [
    "OperationValidator",
    "RequestValidator",
    "Selection",
    "schema_registry",
    "without_nulls",
]

_MAX_DETAIL = 160

#: Where a spec's ``components`` sit in its schema registry: every compiled validator refers
#: to them there (``#/components/…`` is rewritten to ``<this>#/components/…``).
_DOCUMENT_URI = "urn:wan-mock:spec"
#: A parser named by ``x-parser``: raises ``ValueError`` with its own message for a bad value.
Parser = Callable[[Any], object]


def without_nulls(body: Mapping[str, Any]) -> dict[str, Any]:
    """The body without its null-valued properties, at every level of objects (array items are
    left as they are: a null item is a value, not an omitted field)."""
    return {
        key: without_nulls(value) if isinstance(value, Mapping) else value
        for key, value in body.items()
        if value is not None
    }


class _Same:
    """A document compared by identity (``load_spec`` keeps one per file), to key a cache."""

    __slots__ = ("document",)

    def __init__(self, document: Mapping[str, Any]) -> None:
        self.document = document

    def __hash__(self) -> int:
        return id(self.document)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Same) and other.document is self.document


@functools.lru_cache(maxsize=8)
def _registry(same: _Same) -> Any:
    """A document's ``components``, held once by jsonschema-rs for every validator compiled
    from the document: compiling each validator with its own copy of them cost ~1 MB apiece."""
    components = {"components": same.document["components"]}
    return jsonschema_rs.Registry([(_DOCUMENT_URI, components)], draft=jsonschema_rs.Draft202012)


def schema_registry(document: Mapping[str, Any]) -> Any:
    """The schema registry of ``document``, built on first use (``app.preload`` builds it
    before the server's workers fork, so that they share it)."""
    return _registry(_Same(document))


def _rebased(schema: Any) -> Any:
    """``schema`` with each of its document-local references pointing into the registry."""
    if isinstance(schema, Mapping):
        return {
            key: _DOCUMENT_URI + value
            if key == "$ref" and isinstance(value, str) and value.startswith("#")
            else _rebased(value)
            for key, value in schema.items()
        }
    if isinstance(schema, list):
        return [_rebased(item) for item in schema]
    return schema


class _Explainer:
    """Turns a jsonschema-rs error into the documented ``ApiError`` for one document."""

    def __init__(
        self,
        document: Mapping[str, Any],
        rule_error: Callable[[str, str], ApiError] | None = None,
        parsers: Mapping[str, Parser] | None = None,
    ) -> None:
        self.document = document
        self._rule_error = rule_error
        self._parsers = dict(parsers or {})
        self._registry = schema_registry(document)
        self._branches: dict[tuple[str | int, ...], Any] = {}

    def compile(self, schema: Mapping[str, Any]) -> Any:
        return jsonschema_rs.Draft202012Validator(_rebased(schema), registry=self._registry)

    def error_for(self, error: Any, prefix: Sequence[str | int] = ()) -> ApiError:
        location = [*prefix, *error.instance_path]
        schema_path = list(error.schema_path)
        where = field_path(location)
        tagged = self._tagged(schema_path)
        if tagged is not None:
            kind, name = tagged
            if kind == "x-parser":
                try:
                    self._parsers[name](error.instance)
                except ValueError as refused:
                    return InvalidParameter(str(refused))
            elif self._rule_error is not None:
                return self._rule_error(name, where)
        inner = self._branch_error(schema_path, error.instance)
        if inner is not None:
            return self.error_for(inner, location)
        return InvalidParameter(_describe(error, location, self._node(schema_path[:-1])))

    def _node(self, schema_path: Sequence[str | int]) -> Any:
        node: Any = self.document
        for part in schema_path:
            try:
                node = node[part]
            except (KeyError, IndexError, TypeError):
                return None
        return node

    def _branch_error(self, schema_path: Sequence[str | int], instance: Any) -> Any:
        """For a failed ``oneOf``/``anyOf`` with one branch besides ``null`` (a nullable field,
        e.g. ``oneOf: [ImageUrl, null]``), the first error of that branch: what the value broke
        in the schema it was meant for."""
        if not schema_path or schema_path[-1] not in ("oneOf", "anyOf"):
            return None
        node = self._node(schema_path)
        if not isinstance(node, list):
            return None
        branches = [
            (index, branch)
            for index, branch in enumerate(node)
            if resolve_in(self.document, branch).get("type") != "null"
        ]
        if len(branches) != 1:
            return None
        index, branch = branches[0]
        key = (*schema_path, index)
        validator = self._branches.get(key)
        if validator is None:
            validator = self._branches[key] = self.compile(branch)
        errors = list(validator.iter_errors(instance))
        # an enum's own error lists the allowed values: clearer than the type it also breaks
        enum = [e for e in errors if type(e.kind).__name__ == "Enum"]
        return (enum or errors or [None])[0]

    def _tagged(self, schema_path: Sequence[str | int]) -> tuple[str, str] | None:
        """The innermost ``x-parser`` or ``x-rule`` whose subschema contains the failing
        keyword (``x-rule-keywords`` narrows an ``x-rule`` to some of its own keywords)."""
        node: Any = self.document
        found: tuple[str, str] | None = None
        for index, part in enumerate(schema_path):
            if isinstance(node, Mapping):
                if "x-parser" in node and part == "pattern":  # the parser explains its grammar
                    found = ("x-parser", str(node["x-parser"]))
                elif "x-rule" in node:
                    keywords = node.get("x-rule-keywords")
                    if keywords is None or part in keywords:
                        found = ("x-rule", str(node["x-rule"]))
            try:
                node = node[part]
            except (KeyError, IndexError, TypeError):
                return found
            last = index == len(schema_path) - 1
            if last and isinstance(node, Mapping) and "x-rule" in node:
                found = ("x-rule", str(node["x-rule"]))
        return found


@dataclass(frozen=True)
class Selection:
    """The model and request schema a submit body is checked against."""

    model: ModelInfo
    schema_name: str


class RequestValidator:
    """Chooses the request schema for a submit and validates the body against it."""

    def __init__(self, spec: ApiSpec) -> None:
        self.spec = spec
        self._explainer = _Explainer(spec.document, rule_error=self._rule_error)
        self._validators = {
            name: self._explainer.compile({"$ref": f"#/components/schemas/{name}"})
            for name in spec.request_schemas
        }

    def _rule_error(self, rule_id: str, where: str) -> ApiError:
        rule = self.spec.rule(rule_id)
        message = f"{rule.message} ({where})" if where else rule.message
        return ApiError(message, code=rule.code)

    def select(self, kind: str, body: Mapping[str, Any]) -> Selection:
        """Pick the model and request schema, refusing what cannot be routed."""
        model_name = body.get("model")
        if model_name is None or model_name == "":
            raise EmptyModel()
        if not isinstance(model_name, str):
            raise InvalidParameter("Parameter model is invalid: it must be a string.")
        model = self.spec.models.get(model_name)
        if model is None or kind not in model.paths:
            raise InvalidParameter("Model not exist.")
        if "input" not in body or body["input"] is None:
            raise EmptyInput()
        payload = body["input"]
        if not isinstance(payload, Mapping):
            raise InvalidParameter("Parameter input is invalid: it must be an object.")
        if len(model.requests) == 1:
            return Selection(model, model.requests[0])
        functions = {self.spec.function_of(name): name for name in model.requests}
        function = payload.get("function")
        if isinstance(function, str) and function in functions:
            return Selection(model, functions[function])
        allowed = ", ".join(sorted(f for f in functions if f))
        raise InvalidParameter(
            f"Parameter input.function is invalid: {function!r} is not one of {allowed} "
            f"for model {model.name}."
        )

    def validate(self, selection: Selection, body: Mapping[str, Any]) -> None:
        """Raise the documented error for the first schema violation, if any."""
        validator = self._validators[selection.schema_name]
        if validator.is_valid(body):
            return
        raise self._explainer.error_for(next(iter(validator.iter_errors(body))))


@dataclass(frozen=True)
class _Parameter:
    name: str
    required: bool
    kind: str
    default: Any
    validator: Any


class OperationValidator:
    """An operation's query parameters and JSON body, checked against its definition.

    Query values arrive as text: each is converted to its schema's type (integer, number) and
    validated with the same compiled validators and messages as bodies. Both checks return the
    typed values that were given, with the documented defaults of those that were not.
    """

    def __init__(
        self,
        document: Mapping[str, Any],
        operation: Operation,
        *,
        parsers: Mapping[str, Parser] | None = None,
    ) -> None:
        self.operation = operation
        self._explainer = _Explainer(document, parsers=parsers)
        self._query: list[_Parameter] = []
        for raw in (*operation.path_parameters, *operation.definition.get("parameters", ())):
            param = pointer(document, raw["$ref"]) if "$ref" in raw else raw
            if param.get("in") != "query":
                continue
            schema = param["schema"]
            resolved = resolve_in(document, schema)
            self._query.append(
                _Parameter(
                    name=str(param["name"]),
                    required=bool(param.get("required")),
                    kind=str(resolved.get("type", "string")),
                    default=resolved.get("default", schema.get("default")),
                    validator=self._explainer.compile(schema),
                )
            )
        content = operation.definition.get("requestBody", {}).get("content", {})
        body_schema = content.get("application/json", {}).get("schema")
        self._body = None if body_schema is None else self._explainer.compile(body_schema)
        self._body_defaults = (
            {}
            if body_schema is None
            else {
                str(name): prop["default"]
                for name, prop in resolve_in(document, body_schema).get("properties", {}).items()
                if "default" in prop
            }
        )

    def query(self, args: Mapping[str, str]) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for param in self._query:
            if param.name not in args:
                if param.required:
                    raise InvalidParameter(f"Required parameter {param.name} is missing.")
                if param.default is not None:
                    values[param.name] = param.default
                continue
            value = _typed(param.name, param.kind, args[param.name])
            for error in param.validator.iter_errors(value):
                raise self._explainer.error_for(error, [param.name])
            values[param.name] = value
        return values

    def body(self, raw: bytes) -> dict[str, Any]:
        """The JSON body as an object (an empty body is ``{}``), checked when the operation
        describes one; ``BadRequest.IllegalInput`` when it is not a JSON object."""
        if not raw.strip():
            value: Any = {}
        else:
            try:  # NaN and Infinity parse, and fail the schema's bounds naming the field
                value = json.loads(raw)
            except (ValueError, RecursionError):
                raise IllegalInput() from None
        if not isinstance(value, dict):
            raise IllegalInput()
        if self._body is not None:
            for error in self._body.iter_errors(value):
                raise self._explainer.error_for(error)
        return {**self._body_defaults, **value}


#: How a boolean query parameter may be written.
_BOOLEANS = {"true": True, "1": True, "false": False, "0": False}


def _typed(name: str, kind: str, text: str) -> Any:
    if kind == "boolean":
        if text.lower() not in _BOOLEANS:
            message = f"Parameter {name} is invalid: {_short(text)} is not true or false."
            raise InvalidParameter(message)
        return _BOOLEANS[text.lower()]
    if kind not in ("integer", "number"):
        return text
    try:
        number = int(text) if kind == "integer" else float(text)
    except ValueError:
        noun = "an integer" if kind == "integer" else "a number"
        message = f"Parameter {name} is invalid: {_short(text)} is not {noun}."
        raise InvalidParameter(message) from None
    if isinstance(number, float) and not math.isfinite(number):
        raise InvalidParameter(f"Parameter {name} is invalid: {_short(text)} is not a number.")
    return number


_NOUNS = {
    "integer": "an integer",
    "number": "a number",
    "string": "a string",
    "boolean": "a boolean",
    "object": "an object",
    "array": "an array",
    "null": "null",
}


def _describe(error: Any, location: list[str | int], node: Any) -> str:
    """A short message naming the field and the constraint it breaks (``node`` is the schema
    the failing keyword belongs to, for the bounds a range message names)."""
    kind = error.kind
    where = field_path(location)
    name = type(kind).__name__
    if name == "Required":
        missing = field_path([*location, str(kind.property)])
        return f"Required parameter {missing} is missing."
    if name == "Type":
        types = " or ".join(_NOUNS.get(str(t), str(t)) for t in kind.types)
        return f"Parameter {where} is invalid: it must be {types}."
    if name == "Enum":
        options = ", ".join(_short(o) for o in kind.options)
        return f"Parameter {where} is invalid: {_short(error.instance)} is not one of {options}."
    if name == "Constant":
        return f"Parameter {where} is invalid: it must be {_short(kind.expected_value)}."
    if name == "MinLength" and kind.limit == 1 and error.instance == "":
        return f"Parameter {where} is invalid: it must not be empty."
    if name in ("Minimum", "Maximum") and isinstance(node, Mapping):
        low, high = node.get("minimum"), node.get("maximum")
        if low is not None and high is not None:
            return f"Parameter {where} is invalid: it must be in [{low}, {high}]."
        bound = f">= {low}" if low is not None else f"<= {high}"
        return f"Parameter {where} is invalid: it must be {bound}."
    detail = str(error.message)
    if len(detail) > _MAX_DETAIL:
        detail = detail[:_MAX_DETAIL] + "…"
    return f"Parameter {where or 'body'} is invalid: {detail}"


def _short(value: Any) -> str:
    text = repr(value) if not isinstance(value, str) else f'"{value}"'
    return text if len(text) <= 60 else text[:60] + "…"
