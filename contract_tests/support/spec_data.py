"""The specs as plain data for the tests: where they are parsed as YAML, and where a ``$ref`` in
them is followed.

Tests that hold the spec (or the mock, or the client) to the documentation read
``openapi/wan-video.yaml`` and ``openapi/mock-control.yaml`` here, as plain YAML, never through
the mock's own loader (``wan_mock._spec._documents``): a bug in that loader must not hide a
bug in the spec. (Tests of what the mock made of the spec read that loader on purpose.) Each
file is parsed once per session and shared, so a test copies what it changes.

Only this module reads the value of a ``$ref``: ``pointer`` and ``resolve_ref`` follow one,
``all_of_parts`` opens ``$ref`` and ``allOf`` into the schemas an instance must satisfy together,
``schema_path_nodes`` walks a validation error's schema path across them, and
``component_name`` names what one points at. Elsewhere a test may ask whether a node has a
``$ref`` or build a schema with one (for a validator to follow), and nothing more
(``project/test_architecture.py`` checks).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import jsonschema_rs
import yaml

from contract_tests.support.paths import CONTROL_SPEC_PATH, SPEC_PATH

__all__ = [
    "HTTP_METHODS",
    "all_of_parts",
    "component_name",
    "component_validator",
    "control_document",
    "load_document",
    "operations",
    "parse_document",
    "pointer",
    "resolve_ref",
    "schema_path_nodes",
    "spec_document",
    "validator_for",
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


def all_of_parts(
    node: Mapping[str, Any], document: Mapping[str, Any] | None = None
) -> list[dict[str, Any]]:
    """The schemas an instance of ``node`` must satisfy together, with its ``$ref`` followed and
    its ``allOf`` opened, recursively: the referenced schema's parts, then each ``allOf``
    member's, then the node's own keywords (without ``$ref`` and ``allOf``). A caller that merges
    them lets the later ones win, so the node's own keywords override what it refers to.
    ``anyOf``/``oneOf`` are left in the parts that hold them: what an alternative means is the
    caller's to say."""
    parts: list[dict[str, Any]] = []
    if "$ref" in node:
        parts += all_of_parts(pointer(str(node["$ref"]), document), document)
    for member in node.get("allOf", ()):
        parts += all_of_parts(member, document)
    parts.append({key: value for key, value in node.items() if key not in ("$ref", "allOf")})
    return parts


def schema_path_nodes(
    root: Mapping[str, Any],
    schema_path: Sequence[str | int],
    document: Mapping[str, Any] | None = None,
) -> list[Any]:
    """Every subschema a validation error's ``schema_path`` passes through from ``root``, in
    order. The path does not name the ``$ref``s it crosses: where a segment is not in a node
    that has a ``$ref``, the reference is followed (in ``document``, the API spec unless another
    is given) and its target is on the list too."""
    node: Any = root
    passed = [node]
    for segment in schema_path:
        while isinstance(node, dict) and "$ref" in node and segment not in node:
            node = pointer(str(node["$ref"]), document)
            passed.append(node)
        node = node[segment] if isinstance(node, dict) else node[int(segment)]
        passed.append(node)
    return passed


def component_name(node: Mapping[str, Any]) -> str:
    """The name of the component a ``$ref`` node points at (``TaskStatus`` for
    ``{"$ref": "#/components/schemas/TaskStatus"}``): to name what is referenced, not to read
    it. A node without a ``$ref`` is a ``KeyError``."""
    return str(node["$ref"]).rsplit("/", 1)[-1]


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


# ---------------------------------------------------------------------- validators
@functools.cache
def _validator_from_text(schema_text: str, control: bool) -> jsonschema_rs.Validator:
    document = control_document() if control else spec_document()
    return jsonschema_rs.Draft202012Validator(
        {**json.loads(schema_text), "components": document["components"]}
    )


def validator_for(schema: Mapping[str, Any], *, control: bool = False) -> jsonschema_rs.Validator:
    """A Draft 2020-12 validator for ``schema`` with the components of the API spec (or, with
    ``control``, the control spec) reachable: the tests' one way of building one."""
    return _validator_from_text(json.dumps(schema, sort_keys=True), control)


def component_validator(name: str, *, control: bool = False) -> jsonschema_rs.Validator:
    """A validator for ``components/schemas/<name>`` of the API spec (or the control spec)."""
    return validator_for({"$ref": f"#/components/schemas/{name}"}, control=control)
