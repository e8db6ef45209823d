"""The specs as plain data for the tests: parsed once, with one ``$ref`` resolver."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import yaml

__all__ = ["load_document", "resolve_ref"]


@functools.cache
def load_document(path: Path) -> dict[str, Any]:
    """A YAML spec, parsed once per session (shared: copy before changing it)."""
    with path.open(encoding="utf-8") as handle:
        document = yaml.safe_load(handle)
    assert isinstance(document, dict)
    return document


def resolve_ref(document: dict[str, Any], node: Any) -> Any:
    """Follow local ``$ref`` pointers (``#/components/...``) until a concrete node is reached."""
    while isinstance(node, dict) and "$ref" in node:
        target: Any = document
        for part in str(node["$ref"]).removeprefix("#/").split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node = target
    return node
