"""Write ``src/wan_video/_spec.json``: the spec data the ``wan_video`` layer needs at
run time, taken from ``openapi/wan-video.yaml``.

The base install ships no YAML spec and no YAML parser, so the layer reads this small JSON file
instead: the servers by region, each operation's method and path, the operation and media fields
of each request schema, the image limits of inline images and the error table (``x-wan-errors``:
HTTP status, family, message). Nothing in it is written by hand. ``--check`` changes nothing and
exits 1 when the committed file is not what the spec gives (the test suite runs it).
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from typing import Any

from spec_data_file import ROOT, write_or_check

SPEC = ROOT / "openapi" / "wan-video.yaml"
TARGET = ROOT / "src" / "wan_video" / "_spec.json"

sys.path.insert(0, str(ROOT / "src"))
from wan_mock._spec._documents import ApiSpec, load_spec  # noqa: E402


def _body_schemas(spec: ApiSpec, operation_id: str) -> list[str]:
    """The request schemas an operation's JSON body accepts (its ``oneOf`` or one ``$ref``)."""
    body = spec.operations[operation_id].definition.get("requestBody")
    if body is None:
        return []
    schema = body["content"]["application/json"]["schema"]
    refs = [branch["$ref"] for branch in schema.get("oneOf", [schema])]
    return [str(ref).rsplit("/", 1)[-1] for ref in refs]


def _request(spec: ApiSpec, name: str, url_fields: tuple[str, ...]) -> dict[str, Any]:
    """A request schema's home operation (the most specific one that accepts it: a
    first/last-frame body is accepted on two paths, its own first) and its media fields: for
    each, whether it holds a list and the image limits that allow it inline, if any."""
    accepting = [op for op in spec.operations if name in _body_schemas(spec, op)]
    operation = min(accepting, key=lambda op: len(_body_schemas(spec, op)))
    media: dict[str, Any] = {}
    for dotted in url_fields:
        schema = spec.field_schema(name, dotted)
        if schema is None:
            continue
        limits = spec.image_limits.get((name, dotted))
        inline = limits if limits and spec.service.image_limits[limits].get("inline") else None
        many = "array" in str(spec.resolve(schema).get("type"))
        media[dotted.removeprefix("input.")] = {"many": many, "inline": inline}
    return {"operation": operation, "media": media}


def build(spec: ApiSpec) -> dict[str, Any]:
    document: Mapping[str, Any] = spec.document
    url_fields = spec.rule("media.url-syntax").fields
    inline = {
        name: {key: limits[key] for key in ("formats", "min_side", "max_side", "max_bytes")}
        for name, limits in spec.service.image_limits.items()
        if limits.get("inline")
    }
    return {
        "source": f"openapi/wan-video.yaml {document['info']['version']}",
        "servers": {
            str(server["x-region"]): str(server["url"])
            for server in document["servers"]
            if "x-region" in server
        },
        "operations": {
            op.operation_id: {"method": op.method, "path": op.path}
            for op in spec.operations.values()
        },
        "requests": {name: _request(spec, name, url_fields) for name in spec.request_schemas},
        "image_limits": inline,
        "errors": {
            str(code): {
                "http_status": int(entry["http_status"]),
                "family": str(entry["family"]),
                "message": str(entry["message"]),
            }
            for code, entry in document["x-wan-errors"].items()
        },
    }


def main(argv: list[str] | None = None) -> int:
    return write_or_check(
        __doc__.splitlines()[0],
        TARGET,
        SPEC,
        lambda: build(load_spec(SPEC)),
        "make layer-data",
        argv,
    )


if __name__ == "__main__":
    raise SystemExit(main())
