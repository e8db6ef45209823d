"""Checks on input images: inline ``data:`` images and files uploaded for ``oss://`` inputs.

The real service rejects an unusable input image at submit time, and clients rely on that
(a bad crop or an RGBA screenshot should fail fast, not after minutes of "RUNNING"). The mock
can check the images it holds the bytes of: inline ``data:`` images (:func:`check_data_image`)
and files the SDK uploaded before submitting ``oss://`` URLs (:func:`check_image_bytes`).
http(s) URLs are never fetched, so their images are not checked.

What is checked, with limits passed in by the caller from the spec (``x-wan-service``'s
``image_input`` and ``vace_image_input``, read by :meth:`ImageLimits.from_mapping`), in this
order so the cheapest check fails first:

1. the value is ``data:{MIME_type};base64,{base64_data}`` and the data is valid base64;
2. the decoded size is at most ``max_bytes`` (computed *before* decoding, so a huge payload
   costs no memory);
3. the bytes are an image in one of ``formats`` — judged from the bytes, not the declared
   MIME type, which clients often get wrong;
4. a PNG has no alpha channel or transparency (the docs: "transparent channels are not
   supported");
5. width and height are each within ``[min_side, max_side]``.

Only the image header is read (Pillow opens lazily), so even a 10 MB image is checked in
microseconds and a forged header claiming 100000x100000 pixels costs nothing.

Failures raise :class:`ImageRejected`; the backend answers it with 400 ``InvalidParameter``
and :attr:`ImageRejected.message`, which names the field, e.g.
``"input.img_url: image width 200 is outside [360, 2000]"``.
"""

from __future__ import annotations

import base64
import binascii
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from PIL import Image, UnidentifiedImageError

__all__ = [
    "ImageLimits",
    "ImageRejected",
    "check_data_image",
    "check_image_bytes",
    "is_data_url",
]

_DATA_URL_RE = re.compile(r"\Adata:([^,;]*)((?:;[^,;]*)*),", re.IGNORECASE | re.DOTALL)
_WHITESPACE = re.compile(rb"\s+")

# Pillow names some formats differently from the API: MPO is a JPEG with extra pictures
# appended (what many phone cameras write), so it is a JPEG to the service.
_FORMAT_ALIASES = {"jpg": "jpeg", "mpo": "jpeg"}


class ImageRejected(ValueError):
    """An inline image the service would refuse: which request field, and why.

    ``str(exc)`` and :attr:`message` are ``"<field>: <reason>"``, ready for the
    ``message`` of a 400 ``InvalidParameter`` answer.
    """

    def __init__(self, field: str, reason: str) -> None:
        self.field = field
        self.reason = reason
        super().__init__(f"{field}: {reason}")

    @property
    def message(self) -> str:
        """The error message for the client: the field, then the reason."""
        return f"{self.field}: {self.reason}"


@dataclass(frozen=True)
class ImageLimits:
    """What an input image may be: formats (lower-case names), side bounds in pixels, and
    the largest decoded size in bytes. Built by the caller from the spec, never read here,
    so the spec stays the one source of these numbers."""

    formats: frozenset[str]
    min_side: int
    max_side: int
    max_bytes: int

    @classmethod
    def from_mapping(cls, data: Mapping[str, object]) -> ImageLimits:
        """Build limits from the spec's ``x-wan-service.image_input`` (or
        ``vace_image_input``) mapping: ``formats``, ``min_side``, ``max_side``, ``max_bytes``.
        """
        formats = data["formats"]
        if isinstance(formats, str) or not isinstance(formats, Iterable):
            raise TypeError("image_input.formats must be a list of format names")
        return cls(
            formats=frozenset(str(name).lower() for name in formats),
            min_side=_as_int(data, "min_side"),
            max_side=_as_int(data, "max_side"),
            max_bytes=_as_int(data, "max_bytes"),
        )

    def allows(self, pillow_format: str) -> bool:
        """Whether a format name (Pillow's or the API's, any case) is in :attr:`formats`,
        treating jpg/jpeg/mpo as one format."""
        wanted = _canonical(pillow_format)
        return any(_canonical(name) == wanted for name in self.formats)


def _as_int(data: Mapping[str, object], key: str) -> int:
    value = data[key]
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"image_input.{key} must be an int, got {value!r}")
    return value


def _canonical(name: str) -> str:
    lowered = name.lower()
    return _FORMAT_ALIASES.get(lowered, lowered)


def is_data_url(value: str) -> bool:
    """Whether an image field holds an inline ``data:`` URL (the only kind checked here)."""
    return value[:5].lower() == "data:"


def check_data_image(field: str, value: str, limits: ImageLimits) -> tuple[int, int]:
    """Check an inline ``data:`` image against ``limits``; return its (width, height).

    ``field`` is the request path of the value (``input.img_url``, ``input.first_frame_url``,
    ...), used in the error message. The size goes to ``media.output_size`` so the output
    video keeps the image's aspect ratio. Raises :class:`ImageRejected` for any problem,
    including a value that is not a ``data:`` URL at all (callers test
    :func:`is_data_url` first).
    """
    return check_image_bytes(field, _decode_data_url(field, value, limits.max_bytes), limits)


def check_image_bytes(field: str, raw: bytes, limits: ImageLimits) -> tuple[int, int]:
    """Check an image's bytes (inline or uploaded) against ``limits``; return (width, height).

    Raises :class:`ImageRejected` naming ``field`` for a file that is too large, unreadable,
    of a format not in the limits, a PNG with transparency, or with a side out of range.
    """
    if len(raw) > limits.max_bytes:
        raise ImageRejected(
            field, f"image is {len(raw)} bytes, more than the {limits.max_bytes} allowed"
        )
    try:
        image = Image.open(io.BytesIO(raw))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        # Pillow refuses (or, with warnings as errors, warns about) headers claiming
        # over ~89 million pixels before we can look at the sides; such an image has a side
        # far above any allowed maximum.
        raise ImageRejected(
            field,
            f"image dimensions are too large; each side must be in "
            f"[{limits.min_side}, {limits.max_side}]",
        ) from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise ImageRejected(field, "data is not a readable image") from None
    with image:
        fmt = (image.format or "unknown").lower()
        if not limits.allows(fmt):
            allowed = ", ".join(sorted(limits.formats))
            raise ImageRejected(
                field, f"image format {fmt} is not supported (supported: {allowed})"
            )
        if _canonical(fmt) == "png" and _has_transparency(image):
            raise ImageRejected(field, "PNG images with an alpha channel are not supported")
        width, height = image.size
    for side_name, side in (("width", width), ("height", height)):
        if not limits.min_side <= side <= limits.max_side:
            raise ImageRejected(
                field,
                f"image {side_name} {side} is outside [{limits.min_side}, {limits.max_side}]",
            )
    return width, height


def _decode_data_url(field: str, value: str, max_bytes: int) -> bytes:
    """The decoded bytes of ``data:{MIME};base64,{data}``, refusing oversize payloads
    before decoding them. ASCII whitespace inside the data (line-wrapped base64) is
    tolerated, anything else outside the base64 alphabet is not."""
    match = _DATA_URL_RE.match(value)
    if match is None or not is_data_url(value):
        raise ImageRejected(
            field, "inline image must be of the form data:{MIME_type};base64,{base64_data}"
        )
    params = [p.strip().lower() for p in match.group(2).split(";") if p.strip()]
    if "base64" not in params:
        raise ImageRejected(field, "inline image data must be base64 encoded (;base64,)")
    try:
        encoded = value[match.end() :].encode("ascii")
    except UnicodeEncodeError:
        raise ImageRejected(field, "image data is not valid base64") from None
    encoded = _WHITESPACE.sub(b"", encoded)
    if not encoded:
        raise ImageRejected(field, "image data is empty")
    decoded_size = len(encoded) // 4 * 3 - encoded[-2:].count(b"=")
    if decoded_size > max_bytes:
        raise ImageRejected(
            field, f"image is {decoded_size} bytes, more than the {max_bytes} allowed"
        )
    try:
        return base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise ImageRejected(field, "image data is not valid base64") from None


def _has_transparency(image: Image.Image) -> bool:
    """An alpha band (RGBA, LA, PA) or a ``tRNS`` transparency chunk (palette/RGB/grey)."""
    return "A" in image.getbands() or "transparency" in image.info
