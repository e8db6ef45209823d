"""The specs as data: ``openapi/wan-video.yaml`` (the API) and ``openapi/mock-control.yaml``
(the control plane), with their vendor extensions.

Everything the mock knows about models, cross-field rules, error codes, service limits, routes and
parameters is read from here, never hard-coded in views: ``x-wan-models``, ``x-wan-rules``,
``x-wan-errors`` (and the control plane's ``x-mock-errors``), ``x-wan-service``, ``x-wan-tiers``
and each document's ``paths``.

A loaded spec is immutable: every lookup the request path needs (field defaults, image limits,
the body limit) is computed once at load, so the one parsed spec that apps in a process share
holds no state that changes.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ._field_paths import field_parts, field_path

__all__ = [
    "ApiSpec",
    "ControlSpec",
    "ErrorInfo",
    "ModelInfo",
    "Operation",
    "Rule",
    "Service",
    "default_control_spec_path",
    "default_spec_path",
    "load_control_spec",
    "load_spec",
    "pointer",
    "resolve_in",
]

_HERE = Path(__file__).resolve().parent
_PACKAGED = _HERE.parent / "_openapi"
_SOURCE = _HERE.parents[2] / "openapi"
_METHODS = ("get", "put", "post", "delete", "patch", "head", "options")


def _spec_file(name: str) -> Path:
    """A spec shipped in the wheel, or the one in the source tree (editable installs)."""
    packaged = _PACKAGED / name
    return packaged if packaged.exists() else _SOURCE / name


def default_spec_path() -> Path:
    return _spec_file("wan-video.yaml")


def default_control_spec_path() -> Path:
    return _spec_file("mock-control.yaml")


def _read(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        # libyaml's parser when PyYAML has it (its wheels do): a third of start-up otherwise
        document = yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    if not isinstance(document, dict):
        raise ValueError(f"{path} is not an OpenAPI document")
    return document


# ---------------------------------------------------------------------- typed parts
@dataclass(frozen=True)
class ModelInfo:
    """One entry of ``x-wan-models``."""

    name: str
    family: str
    requests: tuple[str, ...]
    paths: tuple[str, ...]
    resolutions: tuple[str, ...]
    durations: tuple[int, ...]
    default_duration: int
    prompt_max_length: int
    audio: bool
    rps: float
    concurrent_tasks: int
    processing_seconds: tuple[float, float]
    usage_video_ratio: str
    sizes: tuple[str, ...]
    default_size: str | None = None
    default_resolution: str | None = None
    templates: tuple[str, ...] | None = None

    def capability(self, name: str) -> tuple[Any, ...] | None:
        """A capability list by its rule name (``sizes``, ``resolutions``, ``durations``…)."""
        value = getattr(self, name, None)
        return tuple(value) if value is not None else None


@dataclass(frozen=True)
class Rule:
    """One entry of ``x-wan-rules``."""

    id: str
    applies_to: tuple[str, ...]
    fields: tuple[str, ...]
    stage: str
    code: str
    message: str
    check: Mapping[str, Any]


@dataclass(frozen=True)
class ErrorInfo:
    """One documented error code: its HTTP status, its message, the message a FAILED task
    shows (``task_message`` when it differs) and where it appears."""

    code: str
    http_status: int
    message: str
    task_message: str
    stages: tuple[str, ...]


@dataclass(frozen=True)
class Service:
    """``x-wan-service``: the service-wide limits, read once. ``raw`` keeps the whole mapping
    for the rule table's named lookups (``truncate_length: {service: …}``)."""

    task_ttl_seconds: float
    task_timeout_seconds: float
    upload_ttl_seconds: float
    upload_max_file_size_mb: int
    task_endpoints_qps: float
    list_window_seconds: float
    list_default_page_size: int
    fps: int
    body_allowance_bytes: int
    paths: Mapping[str, str]
    image_limits: Mapping[str, Mapping[str, Any]]
    raw: Mapping[str, Any]

    @property
    def upload_max_bytes(self) -> int:
        return self.upload_max_file_size_mb * 1024 * 1024

    @classmethod
    def from_mapping(cls, raw: Mapping[str, Any]) -> Service:
        return cls(
            task_ttl_seconds=float(raw["task_ttl_seconds"]),
            task_timeout_seconds=float(raw["task_timeout_seconds"]),
            upload_ttl_seconds=float(raw["upload_ttl_seconds"]),
            upload_max_file_size_mb=int(raw["upload_max_file_size_mb"]),
            task_endpoints_qps=float(raw["task_endpoints_qps"]),
            list_window_seconds=float(raw["list_window_seconds"]),
            list_default_page_size=int(raw["list_default_page_size"]),
            fps=int(raw["output_video"]["fps"]),
            body_allowance_bytes=int(raw["body_allowance_bytes"]),
            paths={str(kind): str(path) for kind, path in raw["paths"].items()},
            image_limits={
                str(name): value
                for name, value in raw.items()
                if isinstance(value, Mapping) and {"formats", "max_bytes"} <= set(value)
            },
            raw=raw,
        )


@dataclass(frozen=True)
class Operation:
    """One operation of a document's ``paths``: where it is, its method and its definition."""

    operation_id: str
    path: str
    method: str
    definition: Mapping[str, Any]
    #: The path item's own parameters (shared by its operations) come first.
    path_parameters: tuple[Mapping[str, Any], ...] = ()


def _operations(document: Mapping[str, Any]) -> dict[str, Operation]:
    found: dict[str, Operation] = {}
    for path, item in document["paths"].items():
        shared = tuple(item.get("parameters", ()))
        for method in _METHODS:
            definition = item.get(method)
            if isinstance(definition, Mapping):
                operation_id = str(definition["operationId"])
                found[operation_id] = Operation(operation_id, str(path), method, definition, shared)
    return found


def _errors(table: Mapping[str, Mapping[str, Any]]) -> dict[str, ErrorInfo]:
    return {
        str(code): ErrorInfo(
            code=str(code),
            http_status=int(entry["http_status"]),
            message=str(entry["message"]),
            task_message=str(entry.get("task_message", entry["message"])),
            stages=tuple(entry.get("stages", ())),
        )
        for code, entry in table.items()
    }


# ---------------------------------------------------------------------- schema walking
def pointer(document: Mapping[str, Any], ref: str) -> Any:
    """What a local ``$ref`` (``#/components/…``) points at."""
    node: Any = document
    for part in ref.removeprefix("#/").split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def resolve_in(document: Mapping[str, Any], schema: Mapping[str, Any]) -> Mapping[str, Any]:
    """Follow ``$ref``, a single-branch ``allOf`` and a nullable ``anyOf``/``oneOf`` (one branch
    besides ``null``) to the schema that carries the data."""
    for _ in range(32):
        if "$ref" in schema:
            schema = pointer(document, str(schema["$ref"]))
        elif "allOf" in schema and len(schema["allOf"]) == 1 and "default" not in schema:
            schema = schema["allOf"][0]
        elif (branch := _non_null_branch(schema)) is not None:
            schema = branch
        else:
            return schema
    raise ValueError("reference loop in the spec")


def _non_null_branch(schema: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The one branch of ``anyOf: [X, {type: 'null'}]`` (or ``oneOf``) that is not null."""
    for combination in ("anyOf", "oneOf"):
        branches = schema.get(combination)
        if branches and len(branches) == 2:
            others = [b for b in branches if b != {"type": "null"}]
            if len(others) == 1:
                return others[0]  # type: ignore[no-any-return]
    return None


def _field_schema(
    document: Mapping[str, Any], schema_name: str, dotted: str
) -> Mapping[str, Any] | None:
    schema: Mapping[str, Any] | None = document["components"]["schemas"][schema_name]
    for part in field_parts(dotted):
        if schema is None:
            return None
        schema = resolve_in(document, schema).get("properties", {}).get(part)
    return schema


def _default(document: Mapping[str, Any], schema: Mapping[str, Any] | None) -> Any:
    schemas = document["components"]["schemas"]
    while schema is not None:
        if "default" in schema:
            return schema["default"]
        if "$ref" in schema:
            schema = schemas[str(schema["$ref"]).rsplit("/", 1)[-1]]
        elif "allOf" in schema and len(schema["allOf"]) == 1:
            schema = schema["allOf"][0]
        else:
            return None
    return None


def _annotation(document: Mapping[str, Any], schema: Mapping[str, Any] | None, key: str) -> Any:
    """A vendor annotation on a schema, looked up through references, compositions and
    array items."""
    schemas = document["components"]["schemas"]
    stack: list[Any] = [schema]
    for _ in range(64):
        if not stack:
            return None
        node = stack.pop()
        if not isinstance(node, Mapping):
            continue
        if key in node:
            return node[key]
        if "$ref" in node:
            stack.append(schemas[str(node["$ref"]).rsplit("/", 1)[-1]])
        for combination in ("allOf", "anyOf", "oneOf"):
            stack.extend(node.get(combination, ()))
        if "items" in node:
            stack.append(node["items"])
    return None


def _request_fields(document: Mapping[str, Any], schema_name: str) -> Iterator[str]:
    """``model``, ``input``, ``input.x``, ``parameters.y``…: two levels of a request schema."""
    top = resolve_in(document, document["components"]["schemas"][schema_name])
    for name, prop in top.get("properties", {}).items():
        yield str(name)
        for child in resolve_in(document, prop).get("properties", {}):
            yield field_path([str(name), str(child)])


# ---------------------------------------------------------------------- the API spec
@dataclass(frozen=True)
class ApiSpec:
    """The parsed API spec and the data the mock reads from it."""

    path: Path
    document: Mapping[str, Any]
    models: Mapping[str, ModelInfo]
    rules: tuple[Rule, ...]
    errors: Mapping[str, ErrorInfo]
    service: Service
    tiers: Mapping[str, tuple[str, ...]]
    operations: Mapping[str, Operation]
    #: (request schema, dotted field) -> its documented default (fields that have one).
    defaults: Mapping[tuple[str, str], Any]
    #: (request schema, dotted field) -> the ``x-image-limits`` entry naming its image limits.
    image_limits: Mapping[tuple[str, str], str]
    #: The largest request body the API can need (see :func:`_max_body_bytes`).
    max_body_bytes: int
    #: What ``field_schema`` and ``rules_for`` found, by their arguments (the document never
    #: changes: each is walked once per request schema).
    _found: dict[tuple[str, ...], Any] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    @property
    def schemas(self) -> Mapping[str, Any]:
        return self.document["components"]["schemas"]  # type: ignore[no-any-return]

    @property
    def request_schemas(self) -> tuple[str, ...]:
        """Every request schema some model accepts."""
        return tuple(sorted({name for model in self.models.values() for name in model.requests}))

    def rules_for(self, schema_name: str) -> Iterator[Rule]:
        key = ("rules", schema_name)
        if key not in self._found:
            self._found[key] = tuple(rule for rule in self.rules if schema_name in rule.applies_to)
        return iter(self._found[key])

    def rule(self, rule_id: str) -> Rule:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)

    def resolve(self, schema: Mapping[str, Any]) -> Mapping[str, Any]:
        return resolve_in(self.document, schema)

    def field_schema(self, schema_name: str, dotted: str) -> Mapping[str, Any] | None:
        """The schema of ``input.x`` / ``parameters.y`` inside a request schema."""
        key = ("field", schema_name, dotted)
        if key not in self._found:
            self._found[key] = _field_schema(self.document, schema_name, dotted)
        return self._found[key]  # type: ignore[no-any-return]

    def default(self, schema_name: str, dotted: str) -> Any:
        """The documented default of a request field (``None`` when there is none)."""
        return self.defaults.get((schema_name, dotted))

    def image_limits_of(self, schema_name: str, dotted: str) -> Mapping[str, Any] | None:
        """The image limits (``x-wan-service`` entry) a request field's images must meet."""
        name = self.image_limits.get((schema_name, dotted))
        return None if name is None else self.service.image_limits[name]

    def function_of(self, schema_name: str) -> str | None:
        """The ``input.function`` const pinned by a Wan-VACE request schema."""
        function = self.field_schema(schema_name, "input.function")
        if function is None:
            return None
        const = self.resolve(function).get("const")
        return None if const in (None, "video-synthesis") else str(const)


def _model(name: str, raw: Mapping[str, Any], tiers: Mapping[str, tuple[str, ...]]) -> ModelInfo:
    resolutions = tuple(raw.get("resolutions", ()))
    sizes = tuple(size for tier in resolutions for size in tiers.get(tier, ()))
    rate = raw.get("rate_limit", {})
    processing = raw.get("processing_seconds", {"min": 60, "max": 300})
    templates = raw.get("templates")
    return ModelInfo(
        name=name,
        family=str(raw["family"]),
        requests=tuple(raw["requests"]),
        paths=tuple(raw["paths"]),
        resolutions=resolutions,
        durations=tuple(int(d) for d in raw["durations"]),
        default_duration=int(raw["default_duration"]),
        prompt_max_length=int(raw["prompt_max_length"]),
        audio=bool(raw.get("audio", False)),
        rps=float(rate.get("rps", 2)),
        concurrent_tasks=int(rate.get("concurrent_tasks", 2)),
        processing_seconds=(float(processing["min"]), float(processing["max"])),
        usage_video_ratio=str(raw.get("usage_video_ratio", "standard")),
        sizes=sizes,
        default_size=raw.get("default_size"),
        default_resolution=raw.get("default_resolution"),
        templates=tuple(templates) if templates is not None else None,
    )


def _max_body_bytes(
    document: Mapping[str, Any],
    service: Service,
    image_limits: Mapping[tuple[str, str], str],
    url_fields: tuple[str, ...],
    request_schemas: set[str],
) -> int:
    """The largest request body the API can need: every inline image field (one whose image
    limits allow ``inline`` ``data:`` images) of the request schema with the most of them, at
    its image limit and base64-encoded, plus ``body_allowance_bytes``."""
    largest = 0
    for name in request_schemas:
        total = 0
        for dotted in url_fields:
            limits_name = image_limits.get((name, dotted))
            limits = service.image_limits.get(limits_name or "")
            schema = _field_schema(document, name, dotted)
            if schema is None or limits is None or not limits.get("inline"):
                continue
            if "array" in str(resolve_in(document, schema).get("type")):
                raise ValueError(f"{name}.{dotted}: inline images in an array are unbounded")
            total += 4 * math.ceil(int(limits["max_bytes"]) / 3)
        largest = max(largest, total)
    return largest + service.body_allowance_bytes


@functools.lru_cache(maxsize=8)
def _load(path: Path) -> ApiSpec:
    document = _read(path)
    tiers = {k: tuple(v) for k, v in document["x-wan-tiers"].items()}
    models = {name: _model(name, raw, tiers) for name, raw in document["x-wan-models"].items()}
    rules = tuple(
        Rule(
            id=str(raw["id"]),
            applies_to=tuple(raw["applies_to"]),
            fields=tuple(raw["fields"]),
            stage=str(raw["stage"]),
            code=str(raw["code"]),
            message=str(raw["message"]),
            check=dict(raw["check"]),
        )
        for raw in document["x-wan-rules"]
    )
    service = Service.from_mapping(document["x-wan-service"])
    requests = {name for model in models.values() for name in model.requests}
    defaults: dict[tuple[str, str], Any] = {}
    image_limits: dict[tuple[str, str], str] = {}
    for name in requests:
        for dotted in _request_fields(document, name):
            schema = _field_schema(document, name, dotted)
            default = _default(document, schema)
            if default is not None:
                defaults[(name, dotted)] = default
            limits = _annotation(document, schema, "x-image-limits")
            if limits is not None:
                image_limits[(name, dotted)] = str(limits)
    url_fields = next(r.fields for r in rules if r.id == "media.url-syntax")
    return ApiSpec(
        path=path,
        document=document,
        models=models,
        rules=rules,
        errors=_errors(document["x-wan-errors"]),
        service=service,
        tiers=tiers,
        operations=_operations(document),
        defaults=defaults,
        image_limits=image_limits,
        max_body_bytes=_max_body_bytes(document, service, image_limits, url_fields, requests),
    )


def load_spec(path: Path | None = None) -> ApiSpec:
    """Load (once per path; the result is read-only) the API spec."""
    return _load((path or default_spec_path()).resolve())


# ---------------------------------------------------------------------- the control spec
@dataclass(frozen=True)
class ControlSpec:
    """The parsed control-plane spec: its operations and the mock's own error codes
    (``x-mock-errors``: what the mock answers for an unknown path or method)."""

    path: Path
    document: Mapping[str, Any]
    operations: Mapping[str, Operation]
    errors: Mapping[str, ErrorInfo]


@functools.lru_cache(maxsize=8)
def _load_control(path: Path) -> ControlSpec:
    document = _read(path)
    return ControlSpec(
        path=path,
        document=document,
        operations=_operations(document),
        errors=_errors(document["x-mock-errors"]),
    )


def load_control_spec(path: Path | None = None) -> ControlSpec:
    """Load (once per path; the result is read-only) the control-plane spec."""
    return _load_control((path or default_control_spec_path()).resolve())
