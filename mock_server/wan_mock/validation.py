"""Submit validation, driven by the spec.

The request schema is chosen first — by the submit path, the model (``x-wan-models``) and, for
Wan-VACE, ``input.function`` — and then one compiled JSON Schema validator (jsonschema-rs, built
once per app from ``components/schemas``) checks the body. A failure inside a subschema tagged
``x-rule: <id>`` is reported with that rule's code and message; any other failure names the field
path and the broken constraint. There are no hand-written checks of individual fields here.

A JSON ``null`` on an optional field means "not given" (the official SDK sends ``None`` as
``null``): :func:`without_nulls` drops every null-valued property before anything reads the body,
so a null optional field is never checked and a null required field is reported missing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import jsonschema_rs

from .errors import ApiError, EmptyInput, EmptyModel, InvalidParameter, error_class
from .spec import ApiSpec, ModelInfo

__all__ = ["QueryValidator", "RequestValidator", "Selection", "field_path", "without_nulls"]

_MAX_DETAIL = 160


def field_path(parts: Sequence[str | int]) -> str:
    """``["input", "ref_images_url", 0]`` → ``input.ref_images_url[0]``."""
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def without_nulls(body: Mapping[str, Any]) -> dict[str, Any]:
    """The body without its null-valued properties, at every level of objects (array items are
    left as they are: a null item is a value, not an omitted field)."""
    return {
        key: without_nulls(value) if isinstance(value, Mapping) else value
        for key, value in body.items()
        if value is not None
    }


@dataclass(frozen=True)
class Selection:
    """The model and request schema a submit body is checked against."""

    model: ModelInfo
    schema_name: str


class RequestValidator:
    """Chooses the request schema for a submit and validates the body against it."""

    def __init__(self, spec: ApiSpec) -> None:
        self.spec = spec
        components = {"components": spec.document["components"]}
        names = {name for model in spec.models.values() for name in model.requests}
        self._validators = {
            name: jsonschema_rs.Draft202012Validator(
                {"$ref": f"#/components/schemas/{name}", **components}
            )
            for name in sorted(names)
        }
        self._branches: dict[tuple[str | int, ...], Any] = {}

    # ------------------------------------------------------------------ selection
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

    # ------------------------------------------------------------------ schema
    def validate(self, selection: Selection, body: Mapping[str, Any]) -> None:
        """Raise the documented error for the first schema violation, if any."""
        validator = self._validators[selection.schema_name]
        if validator.is_valid(body):
            return
        errors = list(validator.iter_errors(body))
        raise self._error_for(errors[0])

    def _error_for(self, error: Any, prefix: Sequence[str | int] = ()) -> ApiError:
        location = [*prefix, *error.instance_path]
        schema_path = list(error.schema_path)
        rule_id = self._rule_at(schema_path)
        if rule_id is not None:
            rule = self.spec.rule(rule_id)
            where = field_path(location)
            message = f"{rule.message} ({where})" if where else rule.message
            return error_class(rule.code)(message)
        inner = self._branch_error(schema_path, error.instance)
        if inner is not None:
            return self._error_for(inner, location)
        return InvalidParameter(_describe(error, location))

    def _branch_error(self, schema_path: Sequence[str | int], instance: Any) -> Any:
        """For a failed ``oneOf``/``anyOf`` with one branch besides ``null`` (a nullable field,
        e.g. ``oneOf: [ImageUrl, null]``), the first error of that branch: what the value broke
        in the schema it was meant for."""
        if not schema_path or schema_path[-1] not in ("oneOf", "anyOf"):
            return None
        node: Any = self.spec.document
        for part in schema_path:
            node = node[part]
        branches = [
            (index, branch)
            for index, branch in enumerate(node)
            if self.spec.resolve(branch).get("type") != "null"
        ]
        if len(branches) != 1:
            return None
        index, branch = branches[0]
        key = (*schema_path, index)
        validator = self._branches.get(key)
        if validator is None:
            components = {"components": self.spec.document["components"]}
            validator = jsonschema_rs.Draft202012Validator({**branch, **components})
            self._branches[key] = validator
        errors = list(validator.iter_errors(instance))
        # an enum's own error lists the allowed values: clearer than the type it also breaks
        enum = [e for e in errors if type(e.kind).__name__ == "Enum"]
        return (enum or errors or [None])[0]

    def _rule_at(self, schema_path: Sequence[str | int]) -> str | None:
        """The ``x-rule`` whose subschema contains the failing keyword, if any."""
        node: Any = self.spec.document
        found: str | None = None
        for index, part in enumerate(schema_path):
            if isinstance(node, Mapping) and "x-rule" in node:
                keywords = node.get("x-rule-keywords")
                if keywords is None or part in keywords:
                    found = str(node["x-rule"])
            try:
                node = node[part]
            except (KeyError, IndexError, TypeError):
                return found
            if index == len(schema_path) - 1 and isinstance(node, Mapping) and "x-rule" in node:
                found = str(node["x-rule"])
        return found


class QueryValidator:
    """Checks an operation's query parameters against their schemas in the spec.

    Query values arrive as text: each is converted to its schema's type (integer, number) and
    validated with the same compiled validators and messages as bodies. Returns the typed
    values of the parameters that were given.
    """

    def __init__(self, spec: ApiSpec, operation_id: str) -> None:
        self.spec = spec
        components = {"components": spec.document["components"]}
        self._params: list[tuple[str, bool, str, Any]] = []
        for item in spec.document["paths"].values():
            for operation in item.values():
                if not isinstance(operation, Mapping):
                    continue
                if operation.get("operationId") != operation_id:
                    continue
                for param in operation.get("parameters", ()):
                    param = spec.resolve(param)
                    if param.get("in") != "query":
                        continue
                    schema = param["schema"]
                    kind = str(spec.resolve(schema).get("type", "string"))
                    validator = jsonschema_rs.Draft202012Validator({**schema, **components})
                    self._params.append(
                        (str(param["name"]), bool(param.get("required")), kind, validator)
                    )
        if not self._params:
            raise KeyError(f"no query parameters for operation {operation_id}")

    def check(self, args: Mapping[str, str]) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for name, required, kind, validator in self._params:
            if name not in args:
                if required:
                    raise InvalidParameter(f"Required parameter {name} is missing.")
                continue
            text = args[name]
            value: Any = text
            if kind in ("integer", "number"):
                try:
                    value = int(text) if kind == "integer" else float(text)
                except ValueError:
                    raise InvalidParameter(
                        f"Parameter {name} is invalid: {_short(text)} is not an {kind}."
                        if kind == "integer"
                        else f"Parameter {name} is invalid: {_short(text)} is not a number."
                    ) from None
            for error in validator.iter_errors(value):
                raise InvalidParameter(_describe(error, [name]))
            values[name] = value
        return values


def _describe(error: Any, location: list[str | int]) -> str:
    """A short message naming the field and the constraint it breaks."""
    kind = error.kind
    where = field_path(location)
    name = type(kind).__name__
    if name == "Required":
        missing = field_path([*location, str(kind.property)])
        return f"Required parameter {missing} is missing."
    if name == "Type":
        types = " or ".join(str(t) for t in kind.types)
        return f"Parameter {where} is invalid: it must be of type {types}."
    if name == "Enum":
        options = ", ".join(_short(o) for o in kind.options)
        return f"Parameter {where} is invalid: {_short(error.instance)} is not one of {options}."
    if name == "Constant":
        return f"Parameter {where} is invalid: it must be {_short(kind.expected_value)}."
    if name == "MinLength" and kind.limit == 1 and error.instance == "":
        return f"Parameter {where} is invalid: it must not be empty."
    detail = str(error.message)
    if len(detail) > _MAX_DETAIL:
        detail = detail[:_MAX_DETAIL] + "…"
    return f"Parameter {where or 'body'} is invalid: {detail}"


def _short(value: Any) -> str:
    text = repr(value) if not isinstance(value, str) else f'"{value}"'
    return text if len(text) <= 60 else text[:60] + "…"
