"""Dotted field paths (``input.prompt``, ``parameters.size``): how the specs name a field of a
request body (``x-wan-rules`` fields, defaults, image limits) and how an error names where a
value is wrong. One reading of them for every layer: a body's value at a path, dropped or set
there, a request schema's field (``_documents``), a validation error's location as a path."""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from typing import Any

__all__ = ["drop_path", "field_parts", "field_path", "get_path", "set_path"]


@functools.lru_cache(maxsize=256)
def field_parts(dotted: str) -> tuple[str, ...]:
    """``input.prompt`` → ``("input", "prompt")`` (cached: the rule table's paths recur)."""
    return tuple(dotted.split("."))


def get_path(body: Mapping[str, Any], dotted: str) -> Any:
    """The value at ``input.x`` / ``parameters.y``; ``None`` when absent or null."""
    node: Any = body
    for part in field_parts(dotted):
        # a parsed body holds plain dicts: test for them first (an ABC check is slower)
        if not (type(node) is dict or isinstance(node, Mapping)) or part not in node:
            return None
        node = node[part]
    return node


def drop_path(body: dict[str, Any], dotted: str) -> bool:
    """Remove the field at ``dotted``; whether it was there."""
    *parents, leaf = field_parts(dotted)
    node: Any = body
    for part in parents:
        if not isinstance(node, dict) or part not in node:
            return False
        node = node[part]
    if isinstance(node, dict) and leaf in node:
        del node[leaf]
        return True
    return False


def set_path(body: dict[str, Any], dotted: str, value: Any) -> None:
    """Put ``value`` at ``dotted``, making the objects on the way."""
    *parents, leaf = field_parts(dotted)
    node: Any = body
    for part in parents:
        node = node.setdefault(part, {})
    node[leaf] = value


def field_path(parts: Sequence[str | int]) -> str:
    """``["input", "ref_images_url", 0]`` → ``input.ref_images_url[0]``."""
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out
