"""JSON out, one way for the whole mock: every JSON answer and every stored task record.

``dumps`` encodes with orjson (compact, UTF-8, several times faster than the standard library)
and falls back to the standard library, ASCII-escaped, for what orjson refuses (an integer
beyond 64 bits, a lone surrogate), so nothing a client sent is ever refused or changed here.
Reading stays with the standard library: it keeps such integers exact (orjson would read them
as floats) and its refusals are the ones the API's body checks document.
"""

from __future__ import annotations

import json
from typing import Any

import orjson

__all__ = ["dumps"]


def dumps(value: Any) -> bytes:
    """``value`` as compact JSON bytes."""
    try:
        return orjson.dumps(value)
    except TypeError:  # orjson.JSONEncodeError: a value orjson does not encode
        return json.dumps(value, separators=(",", ":")).encode("ascii")
