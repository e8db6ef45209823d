"""Media fields: a local file (a ``pathlib.Path``, or a path string that names an existing
file) becomes a ``data:`` URI where the spec lets that field take an inline image, after the
checks of its ``x-image-limits`` (format, size in bytes, sides in pixels, read from the image's
header). URLs pass through as given; the service judges them."""

from __future__ import annotations

import base64
import os
import struct
from collections.abc import Sequence
from pathlib import Path

from ._spec import SPEC, ImageLimits, MediaField
from .errors import InvalidLocalFile

__all__ = ["MediaValue", "image_format", "image_size", "media_value"]

#: What a media field takes: a URL string, a local path, or (list fields) a sequence of them.
MediaValue = str | os.PathLike[str] | Sequence[str | os.PathLike[str]]

_MEDIA_TYPES = {"jpeg": "jpeg", "png": "png", "bmp": "bmp", "webp": "webp", "tiff": "tiff"}


def image_format(head: bytes) -> str | None:
    """The image format of a file from its first bytes (its name may lie)."""
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"BM"):
        return "bmp"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "tiff"
    return None


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    at = 2
    while at + 9 < len(data):
        if data[at] != 0xFF:
            return None
        marker = data[at + 1]
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", data[at + 5 : at + 9])
            return width, height
        at += 2 + struct.unpack(">H", data[at + 2 : at + 4])[0]
    return None


def _webp_size(data: bytes) -> tuple[int, int] | None:
    chunk = data[12:16]
    if chunk == b"VP8 " and len(data) >= 30:
        width, height = struct.unpack("<HH", data[26:30])
        return width & 0x3FFF, height & 0x3FFF
    if chunk == b"VP8L" and len(data) >= 25:
        bits = int.from_bytes(data[21:25], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    if chunk == b"VP8X" and len(data) >= 30:
        return int.from_bytes(data[24:27], "little") + 1, int.from_bytes(data[27:30], "little") + 1
    return None


def image_size(data: bytes, kind: str) -> tuple[int, int] | None:
    """(width, height) from the image's header, ``None`` when it cannot be read."""
    if kind == "png" and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        return width, height
    if kind == "bmp" and len(data) >= 26:
        width, height = struct.unpack("<ii", data[18:26])
        return abs(width), abs(height)
    if kind == "jpeg":
        return _jpeg_size(data)
    if kind == "webp":
        return _webp_size(data)
    return None


def _checked(path: Path, field: str, limits: ImageLimits) -> tuple[str, bytes]:
    size = path.stat().st_size
    if size > limits.max_bytes:
        raise InvalidLocalFile(f"{field}: {path} has {size} bytes, more than {limits.max_bytes}")
    data = path.read_bytes()
    kind = image_format(data[:16])
    if kind is None or kind not in limits.formats:
        allowed = ", ".join(sorted(limits.formats))
        raise InvalidLocalFile(f"{field}: {path} is not an image in one of {allowed}")
    sides = image_size(data, kind)
    if sides is not None and not all(limits.min_side <= side <= limits.max_side for side in sides):
        raise InvalidLocalFile(
            f"{field}: {path} is {sides[0]}x{sides[1]} pixels; each side must be in "
            f"[{limits.min_side}, {limits.max_side}]"
        )
    return kind, data


def _local(value: str | os.PathLike[str]) -> Path | None:
    """The file a value names, or ``None`` for a URL (or a string that names no file)."""
    if isinstance(value, os.PathLike):
        return Path(value)
    if "://" in value or value.startswith("data:"):
        return None
    path = Path(value)
    return path if path.is_file() else None


def _one(value: str | os.PathLike[str], field: str, shape: MediaField) -> str:
    path = _local(value)
    if path is None:
        return str(value)
    if shape.inline is None:
        raise InvalidLocalFile(
            f"{field}: the API takes a URL here (http(s) or oss://), not a local file: {path}"
        )
    if not path.is_file():
        raise InvalidLocalFile(f"{field}: no such file: {path}")
    kind, data = _checked(path, field, SPEC.image_limits[shape.inline])
    return f"data:image/{_MEDIA_TYPES[kind]};base64,{base64.b64encode(data).decode('ascii')}"


def media_value(value: MediaValue, field: str, shape: MediaField) -> str | list[str]:
    """What to send for a media field: URLs as they are, local files as ``data:`` URIs."""
    if shape.many:
        if isinstance(value, str | os.PathLike):
            value = [value]
        return [_one(item, f"{field}[{i}]", shape) for i, item in enumerate(value)]
    if not isinstance(value, str | os.PathLike):
        raise InvalidLocalFile(f"{field}: takes one URL or file, not a list")
    return _one(value, field, shape)
