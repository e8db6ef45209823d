"""The specs as plain data for the tests: the one loader and the one ``$ref`` resolver.

Tests that hold the spec (or the mock, or the client) to the documentation read
``openapi/wan-video.yaml`` and ``openapi/mock-control.yaml`` here, as plain YAML, never through
the mock's own loader (``wan_mock._spec._documents``): a bug in that loader must not hide a
bug in the spec.
Each file is parsed once per session and shared, so a test copies what it changes.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import yaml

from contract_tests.support.paths import CONTROL_SPEC_PATH, SPEC_PATH

__all__ = [
    "HTTP_METHODS",
    "control_document",
    "load_document",
    "operations",
    "parse_document",
    "pointer",
    "resolve_ref",
    "spec_document",
]

HTTP_METHODS = frozenset({"get", "put", "post", "delete", "patch", "head", "options"})
"""The keys of an OpenAPI path item that are operations."""


@functools.cache
def load_document(path: Path) -> dict[str, Any]:
    """A YAML file, parsed once per session (shared: copy before changing it)."""
    with path.open(encoding="utf-8") as handle:
        document = yaml.safe_load(handle)
    assert isinstance(document, dict), f"{path} is not a YAML mapping"
    return document


def parse_document(text: str | bytes) -> Any:
    """A YAML text (a document the mock serves, such as ``/openapi.yaml``), parsed as the
    spec files are."""
    return yaml.safe_load(text)


def spec_document() -> dict[str, Any]:
    """``openapi/wan-video.yaml``, the API spec."""
    return load_document(SPEC_PATH)


def control_document() -> dict[str, Any]:
    """``openapi/mock-control.yaml``, the spec of the mock's control plane."""
    return load_document(CONTROL_SPEC_PATH)


def pointer(ref: str, document: Mapping[str, Any] | None = None) -> Any:
    """What a local ``$ref`` (``#/components/...``) points at in ``document`` (the API spec
    unless another is given)."""
    assert ref.startswith("#/"), f"only local references are expected, got {ref!r}"
    node: Any = spec_document() if document is None else document
    for part in ref.removeprefix("#/").split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def resolve_ref(node: Any, document: Mapping[str, Any] | None = None) -> Any:
    """``node`` with its ``$ref`` followed until a concrete node is reached, in ``document``
    (the API spec unless another is given)."""
    while isinstance(node, dict) and "$ref" in node:
        node = pointer(str(node["$ref"]), document)
    return node


def operations(
    document: Mapping[str, Any] | None = None,
) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """``(path, method, operation)`` for every operation of ``document`` (the API spec unless
    another is given), in the document's order."""
    paths = (spec_document() if document is None else document)["paths"]
    for path, item in paths.items():
        for method, operation in item.items():
            if method in HTTP_METHODS:
                yield str(path), str(method), operation
