"""The spec data the layer reads at run time, typed: ``_spec.json``, which
``tools/wan_video_data.py`` writes from ``openapi/wan-video.yaml`` (never by hand; a test keeps
the two in step). Loaded once, on import; everything here is read-only."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any
from urllib.parse import urlsplit

__all__ = ["SPEC", "ErrorEntry", "ImageLimits", "MediaField", "Operation", "RequestShape", "Spec"]


@dataclass(frozen=True)
class Operation:
    method: str
    path: str


@dataclass(frozen=True)
class MediaField:
    """An input field that holds a URL (or a list of them); ``inline`` names the image limits
    under which a local file may be sent as a ``data:`` URI, ``None`` when it may not."""

    many: bool
    inline: str | None


@dataclass(frozen=True)
class RequestShape:
    """What the layer needs of one request schema: where it is submitted, its media fields."""

    operation: str
    media: Mapping[str, MediaField]


@dataclass(frozen=True)
class ImageLimits:
    formats: frozenset[str]
    min_side: int
    max_side: int
    max_bytes: int


@dataclass(frozen=True)
class ErrorEntry:
    """One row of ``x-wan-errors``."""

    http_status: int
    family: str
    message: str


@dataclass(frozen=True)
class Spec:
    source: str
    servers: Mapping[str, str]
    operations: Mapping[str, Operation]
    requests: Mapping[str, RequestShape]
    image_limits: Mapping[str, ImageLimits]
    errors: Mapping[str, ErrorEntry]

    @property
    def base_path(self) -> str:
        """The API's base path, which every server of the spec has (``/api/v1``): the layer's
        one source for it (a bare host is given it)."""
        [path] = {urlsplit(url).path for url in self.servers.values()}
        return path

    def family_of_status(self, status: int) -> str | None:
        """The family of an HTTP status whose documented codes all share one, so that a code
        the table does not know still lands in the right family (401, 429…); else ``None``."""
        families = {e.family for e in self.errors.values() if e.http_status == status}
        return families.pop() if len(families) == 1 else None

    @classmethod
    def from_mapping(cls, raw: Mapping[str, Any]) -> Spec:
        return cls(
            source=str(raw["source"]),
            servers={str(k): str(v) for k, v in raw["servers"].items()},
            operations={str(k): Operation(**v) for k, v in raw["operations"].items()},
            requests={
                str(name): RequestShape(
                    operation=str(shape["operation"]),
                    media={str(f): MediaField(**m) for f, m in shape["media"].items()},
                )
                for name, shape in raw["requests"].items()
            },
            image_limits={
                str(name): ImageLimits(
                    formats=frozenset(limits["formats"]),
                    min_side=int(limits["min_side"]),
                    max_side=int(limits["max_side"]),
                    max_bytes=int(limits["max_bytes"]),
                )
                for name, limits in raw["image_limits"].items()
            },
            errors={str(code): ErrorEntry(**entry) for code, entry in raw["errors"].items()},
        )


def _load() -> Spec:
    text = resources.files(__package__).joinpath("_spec.json").read_text(encoding="utf-8")
    return Spec.from_mapping(json.loads(text))


SPEC = _load()
