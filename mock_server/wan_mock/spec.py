"""The API spec as data: ``openapi/wan-video.yaml`` and its vendor extensions.

Everything the mock knows about models, cross-field rules, error codes and service limits is
read from here, never hard-coded in views (``x-wan-models``, ``x-wan-rules``, ``x-wan-errors``,
``x-wan-service``, ``x-wan-tiers``).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

__all__ = [
    "ApiSpec",
    "ModelInfo",
    "Rule",
    "default_spec_path",
    "load_spec",
]

_PACKAGED = Path(__file__).resolve().parent / "_openapi" / "wan-video.yaml"
_SOURCE = Path(__file__).resolve().parents[2] / "openapi" / "wan-video.yaml"


def default_spec_path() -> Path:
    """The spec shipped in the wheel, or the one in the source tree (editable installs)."""
    return _PACKAGED if _PACKAGED.exists() else _SOURCE


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
class ApiSpec:
    """The parsed spec and the data the mock reads from it."""

    path: Path
    document: Mapping[str, Any]
    models: Mapping[str, ModelInfo]
    rules: tuple[Rule, ...]
    errors: Mapping[str, Mapping[str, Any]]
    service: Mapping[str, Any]
    tiers: Mapping[str, tuple[str, ...]]
    _defaults: dict[tuple[str, str], Any] = field(default_factory=dict, compare=False)

    @property
    def schemas(self) -> Mapping[str, Any]:
        return self.document["components"]["schemas"]  # type: ignore[no-any-return]

    def rules_for(self, schema_name: str) -> Iterator[Rule]:
        return (rule for rule in self.rules if schema_name in rule.applies_to)

    def rule(self, rule_id: str) -> Rule:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)

    def service_path(self, kind: str) -> str:
        return str(self.service["paths"][kind])

    def resolve(self, schema: Mapping[str, Any]) -> Mapping[str, Any]:
        """Follow ``$ref``, a single-branch ``allOf`` and a nullable ``anyOf``/``oneOf`` (one
        branch besides ``null``) to the schema that carries the data."""
        seen = 0
        while True:
            seen += 1
            if seen > 32:
                raise ValueError("reference loop in the spec")
            if "$ref" in schema:
                name = str(schema["$ref"]).rsplit("/", 1)[-1]
                schema = self.schemas[name]
            elif "allOf" in schema and len(schema["allOf"]) == 1 and "default" not in schema:
                schema = schema["allOf"][0]
            elif (branch := self._non_null_branch(schema)) is not None:
                schema = branch
            else:
                return schema

    def _non_null_branch(self, schema: Mapping[str, Any]) -> Mapping[str, Any] | None:
        """The one branch of ``anyOf: [X, {type: 'null'}]`` (or ``oneOf``) that is not null."""
        for combination in ("anyOf", "oneOf"):
            branches = schema.get(combination)
            if not branches:
                continue
            others = [b for b in branches if b != {"type": "null"}]
            if len(others) == 1 and len(branches) == 2:
                return others[0]  # type: ignore[no-any-return]
        return None

    def field_schema(self, schema_name: str, dotted: str) -> Mapping[str, Any] | None:
        """The schema of ``input.x`` / ``parameters.y`` inside a request schema."""
        schema: Mapping[str, Any] | None = self.schemas[schema_name]
        for part in dotted.split("."):
            if schema is None:
                return None
            schema = self.resolve(schema)
            props = schema.get("properties", {})
            schema = props.get(part)
        return None if schema is None else schema

    def default(self, schema_name: str, dotted: str) -> Any:
        """The documented default of a request field (``None`` when there is none)."""
        key = (schema_name, dotted)
        if key not in self._defaults:
            found: Any = None
            schema = self.field_schema(schema_name, dotted)
            while schema is not None:
                if "default" in schema:
                    found = schema["default"]
                    break
                if "$ref" in schema:
                    schema = self.schemas[str(schema["$ref"]).rsplit("/", 1)[-1]]
                elif "allOf" in schema and len(schema["allOf"]) == 1:
                    schema = schema["allOf"][0]
                else:
                    break
            self._defaults[key] = found
        return self._defaults[key]

    def annotation(self, schema_name: str, dotted: str, key: str) -> Any:
        """A vendor annotation (e.g. ``x-image-limits``) on a request field's schema, looked
        up through references, compositions and array items."""
        cache_key = (schema_name, f"{dotted}#{key}")
        if cache_key not in self._defaults:
            found: Any = None
            stack: list[Any] = [self.field_schema(schema_name, dotted)]
            seen = 0
            while stack and seen < 64:
                seen += 1
                node = stack.pop()
                if not isinstance(node, Mapping):
                    continue
                if key in node:
                    found = node[key]
                    break
                if "$ref" in node:
                    stack.append(self.schemas[str(node["$ref"]).rsplit("/", 1)[-1]])
                for combination in ("allOf", "anyOf", "oneOf"):
                    stack.extend(node.get(combination, ()))
                if "items" in node:
                    stack.append(node["items"])
            self._defaults[cache_key] = found
        return self._defaults[cache_key]

    @functools.cached_property
    def max_body_bytes(self) -> int:
        """The largest request body the API can need: every inline image field (one whose
        ``x-image-limits`` allow ``inline`` ``data:`` images) of the request schema with the most
        of them, at its image limit and base64-encoded, plus ``body_allowance_bytes``."""
        fields = self.rule("media.url-syntax").fields
        largest = 0
        for name in {request for model in self.models.values() for request in model.requests}:
            total = 0
            for dotted in fields:
                schema = self.field_schema(name, dotted)
                limits = self.annotation(name, dotted, "x-image-limits")
                if schema is None or limits is None or not self.service[str(limits)].get("inline"):
                    continue
                if "array" in str(self.resolve(schema).get("type")):
                    raise ValueError(f"{name}.{dotted}: inline images in an array are unbounded")
                total += 4 * math.ceil(int(self.service[str(limits)]["max_bytes"]) / 3)
            largest = max(largest, total)
        return largest + int(self.service["body_allowance_bytes"])

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


@functools.lru_cache(maxsize=8)
def _load(path: Path) -> ApiSpec:
    with path.open(encoding="utf-8") as handle:
        # libyaml's parser when PyYAML has it (its wheels do): a third of start-up otherwise
        document = yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
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
    return ApiSpec(
        path=path,
        document=document,
        models=models,
        rules=rules,
        errors=document["x-wan-errors"],
        service=document["x-wan-service"],
        tiers=tiers,
    )


def load_spec(path: Path | None = None) -> ApiSpec:
    """Load (once per path; the result is read-only) the API spec."""
    return _load((path or default_spec_path()).resolve())
