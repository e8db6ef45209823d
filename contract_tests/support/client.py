"""Shared helpers for the generated-client tests (``client/test_generated_*.py``).

The spec is the source of truth: request and response examples are read from
``openapi/wan-video.yaml`` (with ``$ref`` resolved), never copied into the tests. HTTP traffic is
captured in process with ``httpx.MockTransport`` passed through ``httpx_args`` (not
``set_httpx_client``, which would drop the bearer token).
"""

from __future__ import annotations

import copy
import inspect
import json
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeAlias, get_args

import httpx

from contract_tests.support.paths import ROOT
from contract_tests.support.spec_data import component_name, operations, resolve_ref
from wan_video_client import AuthenticatedClient, models
from wan_video_client.api.video_synthesis import create_video_synthesis_task
from wan_video_client.models import (
    ImageReferenceRequest,
    ImageToVideoRequest,
    KeyframeToVideoRequest,
    TextToVideoRequest,
    VideoEditRequest,
    VideoExtensionRequest,
    VideoOutpaintingRequest,
    VideoRepaintingRequest,
)

CODEGEN_DIR = ROOT / "codegen"
PACKAGE_DIR = ROOT / "src" / "wan_video_client"
REGEN_SCRIPT = ROOT / "tools" / "regen_client.py"
_VENV_PYTHON = ROOT / ".venv" / "bin" / "python"
PROJECT_PYTHON = str(_VENV_PYTHON) if _VENV_PYTHON.exists() else sys.executable

BASE_URL = "https://dashscope-intl.aliyuncs.com/api/v1"
TOKEN = "sk-test-0123456789abcdef"

SUBMIT_OPERATION = "create_video_synthesis_task"
KEYFRAME_OPERATION = "create_keyframe_video_task"

SubmitBody: TypeAlias = (
    ImageReferenceRequest
    | VideoRepaintingRequest
    | VideoEditRequest
    | VideoExtensionRequest
    | VideoOutpaintingRequest
    | KeyframeToVideoRequest
    | ImageToVideoRequest
    | TextToVideoRequest
)
"""Every body the video-generation submit accepts (the endpoint's ``body`` union)."""

# What the generated union parsers catch when a variant's ``from_dict`` refuses a payload.
PARSE_ERRORS = (TypeError, ValueError, AttributeError, KeyError)


# ------------------------------------------------------------------ the spec as data


def _example_component(node: Mapping[str, Any]) -> str | None:
    """The name of the example component a request example refers to (None when inline)."""
    return component_name(node) if "$ref" in node else None


def operation(operation_id: str) -> tuple[str, str, dict[str, Any]]:
    """``(method, path, operation)`` of one operation."""
    for path, method, op in operations():
        if op["operationId"] == operation_id:
            return method, path, op
    raise LookupError(operation_id)


@dataclass(frozen=True)
class RequestExample:
    """One request-body example of a submit operation."""

    operation_id: str
    name: str
    component: str
    value: dict[str, Any] = field(hash=False)

    @property
    def id(self) -> str:
        return self.component


@dataclass(frozen=True)
class ResponseExample:
    """One JSON response example: the operation, the status code it is documented for, the body."""

    operation_id: str
    status: int
    name: str
    value: dict[str, Any] = field(hash=False)

    @property
    def id(self) -> str:
        return f"{self.operation_id}-{self.status}-{self.name}"


def request_examples() -> list[RequestExample]:
    """Every request example referenced from an operation's JSON request body, in spec order."""
    out: list[RequestExample] = []
    for _path, _method, op in operations():
        op_id = op["operationId"]
        body = resolve_ref(op.get("requestBody", {}))
        content = body.get("content", {}).get("application/json", {}) if body else {}
        for name, ref in content.get("examples", {}).items():
            example = resolve_ref(ref)
            out.append(
                RequestExample(op_id, name, _example_component(ref) or name, example["value"])
            )
    return out


def request_example(component: str) -> RequestExample:
    """The request example defined as ``components/examples/<component>``."""
    for example in request_examples():
        if example.component == component:
            return example
    raise LookupError(component)


def response_examples() -> list[ResponseExample]:
    """Every JSON response example of every operation and documented status code."""
    out: list[ResponseExample] = []
    for _path, _method, op in operations():
        op_id = op["operationId"]
        for status, ref in op.get("responses", {}).items():
            response = resolve_ref(ref)
            content = response.get("content", {}).get("application/json", {})
            for name, example_ref in content.get("examples", {}).items():
                value = resolve_ref(example_ref)["value"]
                out.append(ResponseExample(op_id, int(status), name, value))
    return out


def response_example(operation_id: str, status: int, name: str) -> dict[str, Any]:
    """The body of one response example, as a fresh copy the caller may mutate."""
    for example in response_examples():
        if (example.operation_id, example.status, example.name) == (operation_id, status, name):
            return copy.deepcopy(example.value)
    raise LookupError((operation_id, status, name))


def documented_statuses(operation_id: str) -> set[int]:
    """The status codes an operation documents."""
    return {int(status) for status in operation(operation_id)[2]["responses"]}


def submit_body_variants() -> list[str]:
    """Schema names of the video-generation submit body's ``oneOf``, in spec order."""
    _method, _path, op = operation(SUBMIT_OPERATION)
    schema = op["requestBody"]["content"]["application/json"]["schema"]
    return [component_name(variant) for variant in schema["oneOf"]]


def endpoint_body_types(function: Callable[..., object]) -> set[type]:
    """The classes an endpoint function accepts as ``body`` (its annotation's union members)."""
    annotation = inspect.signature(function).parameters["body"].annotation
    members = get_args(annotation) or (annotation,)
    return {member for member in members if isinstance(member, type)}


def parse_submit_body(data: Mapping[str, Any]) -> SubmitBody:
    """Parse a submit body as the generated union parsers do: variants in spec order, first wins.

    Raises ``ValueError`` when no variant accepts the payload.
    """
    allowed = endpoint_body_types(create_video_synthesis_task.sync_detailed)
    for name in submit_body_variants():
        model = getattr(models, name)
        assert model in allowed, f"{name} is not in the endpoint's body union"
        try:
            parsed = model.from_dict(data)
        except PARSE_ERRORS:
            continue
        assert isinstance(parsed, SubmitBody)
        return parsed
    raise ValueError(f"no submit body variant accepts {dict(data)!r}")


def accepting_variants(data: Mapping[str, Any]) -> list[str]:
    """Names of every submit body variant whose ``from_dict`` accepts the payload."""
    out = []
    for name in submit_body_variants():
        try:
            getattr(models, name).from_dict(data)
        except PARSE_ERRORS:
            continue
        out.append(name)
    return out


def canonical_json(value: object) -> str:
    """JSON text with sorted keys: equal only when the JSON documents are equal.

    Stricter than ``==`` on dicts, which treats ``True == 1`` and ``5 == 5.0`` as equal.
    """
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def assert_same_json(actual: object, expected: object) -> None:
    """Assert two JSON-compatible values are the same JSON document."""
    assert actual == expected
    assert canonical_json(actual) == canonical_json(expected)


# ------------------------------------------------------------------ in-process HTTP


@dataclass
class RecordingTransport:
    """A ``MockTransport`` that answers every request with one canned response and keeps them all.

    Works for both the sync and the async httpx clients.
    """

    status: int = 200
    body: object = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    requests: list[httpx.Request] = field(default_factory=list)

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return httpx.Response(self.status, json=self.body, headers=self.headers)

    @property
    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)

    @property
    def last(self) -> httpx.Request:
        assert self.requests, "no request was sent"
        return self.requests[-1]

    def last_json(self) -> Any:
        return json.loads(self.last.content)


def make_client(
    recorder: RecordingTransport,
    *,
    base_url: str = BASE_URL,
    token: str = TOKEN,
    raise_on_unexpected_status: bool = False,
) -> AuthenticatedClient:
    """An ``AuthenticatedClient`` whose sync and async traffic goes to ``recorder``."""
    return AuthenticatedClient(
        base_url=base_url,
        token=token,
        raise_on_unexpected_status=raise_on_unexpected_status,
        httpx_args={"transport": recorder.transport},
    )
