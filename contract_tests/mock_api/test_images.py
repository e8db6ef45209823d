"""Inline ``data:`` input images are checked as the service documents, naming the field.

Limits come from the spec's ``x-wan-service.image_input`` (JPEG, JPG, PNG without alpha, BMP,
WEBP; each side in [360, 2000] px; at most 10 MB). Test images are made in memory with Pillow.
"""

from __future__ import annotations

import base64
import io
import struct
import zlib
from dataclasses import replace

import pytest
from PIL import Image

from contract_tests.support.spec_data import spec_document
from wan_mock._domain._images import ImageLimits, ImageRejected, check_data_image, is_data_url

FIELD = "input.img_url"


@pytest.fixture(scope="module")
def service() -> dict[str, object]:
    result: dict[str, object] = spec_document()["x-wan-service"]
    return result


@pytest.fixture(scope="module")
def limits(service: dict[str, object]) -> ImageLimits:
    image_input = service["image_input"]
    assert isinstance(image_input, dict)
    return ImageLimits.from_mapping(image_input)


def encode_image(image: Image.Image, fmt: str, **save: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **save)
    return buffer.getvalue()


def data_url(raw: bytes, mime: str = "image/png") -> str:
    return f"data:{mime};base64,{base64.b64encode(raw).decode('ascii')}"


def picture(size: tuple[int, int], mode: str = "RGB", fmt: str = "PNG", **save: object) -> str:
    colour: int | tuple[int, ...] = {"RGB": (200, 80, 40), "RGBA": (200, 80, 40, 128)}.get(
        mode, 100
    )
    raw = encode_image(Image.new(mode, size, colour), fmt, **save)
    return data_url(raw, f"image/{fmt.lower()}")


def rejection(value: str, limits: ImageLimits, field: str = FIELD) -> str:
    with pytest.raises(ImageRejected) as caught:
        check_data_image(field, value, limits)
    assert caught.value.field == field
    assert str(caught.value) == caught.value.message
    assert caught.value.message.startswith(f"{field}: ")
    return caught.value.message


def png_header(width: int, height: int) -> bytes:
    """A PNG signature, IHDR and an empty IDAT: enough for a header reader, no pixels."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", b"") + chunk(b"IEND", b"")


# --- accepted --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("size", "mode", "fmt"),
    [
        ((640, 360), "RGB", "PNG"),
        ((360, 2000), "L", "PNG"),
        ((1000, 800), "P", "PNG"),
        ((2000, 360), "RGB", "JPEG"),
        ((800, 600), "RGB", "WEBP"),
        ((400, 500), "RGB", "BMP"),
        ((500, 400), "RGBA", "WEBP"),
    ],
)
def test_documented_formats_within_limits_pass_and_give_their_size(
    limits: ImageLimits, size: tuple[int, int], mode: str, fmt: str
) -> None:
    assert check_data_image(FIELD, picture(size, mode, fmt), limits) == size


def test_format_is_read_from_the_bytes_not_the_declared_mime_type(limits: ImageLimits) -> None:
    raw = encode_image(Image.new("RGB", (400, 400)), "JPEG")

    assert check_data_image(FIELD, data_url(raw, "image/png"), limits) == (400, 400)


def test_jpg_in_the_limits_stands_for_jpeg(limits: ImageLimits) -> None:
    only_jpg = replace(limits, formats=frozenset({"jpg"}))

    assert check_data_image(FIELD, picture((400, 400), fmt="JPEG"), only_jpg) == (400, 400)


def test_line_wrapped_base64_is_accepted(limits: ImageLimits) -> None:
    value = picture((400, 400))
    head, body = value.split(",", 1)
    wrapped = "\n".join(body[i : i + 76] for i in range(0, len(body), 76))

    assert check_data_image(FIELD, f"{head},{wrapped}", limits) == (400, 400)


def test_only_data_urls_are_this_modules_business() -> None:
    assert is_data_url("data:image/png;base64,AAAA")
    assert is_data_url("DATA:image/png;base64,AAAA")
    assert not is_data_url("https://example.com/a.png")
    assert not is_data_url("oss://bucket/a.png")


def test_vace_limits_accept_tiff(service: dict[str, object], limits: ImageLimits) -> None:
    vace_input = service["vace_image_input"]
    assert isinstance(vace_input, dict)
    tiff = picture((400, 400), fmt="TIFF")

    vace_limits = ImageLimits.from_mapping(vace_input)

    assert check_data_image("input.ref_images_url[0]", tiff, vace_limits) == (400, 400)
    assert "image format tiff is not supported" in rejection(tiff, limits)


# --- rejected --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("size", "message"),
    [
        ((200, 400), "input.img_url: image width 200 is outside [360, 2000]"),
        ((400, 359), "input.img_url: image height 359 is outside [360, 2000]"),
        ((2001, 400), "input.img_url: image width 2001 is outside [360, 2000]"),
        ((400, 2400), "input.img_url: image height 2400 is outside [360, 2000]"),
    ],
)
def test_sides_outside_the_limits_are_rejected(
    limits: ImageLimits, size: tuple[int, int], message: str
) -> None:
    assert rejection(picture(size), limits) == message


@pytest.mark.parametrize(
    "image",
    [
        Image.new("RGBA", (400, 400), (1, 2, 3, 4)),
        Image.new("LA", (400, 400), (1, 2)),
        Image.new("P", (400, 400), 0),
    ],
    ids=["RGBA", "LA", "palette-with-transparency"],
)
def test_png_with_alpha_or_transparency_is_rejected(
    limits: ImageLimits, image: Image.Image
) -> None:
    save: dict[str, object] = {"transparency": 0} if image.mode == "P" else {}
    value = data_url(encode_image(image, "PNG", **save))

    assert rejection(value, limits, "input.first_frame_url") == (
        "input.first_frame_url: PNG images with an alpha channel are not supported"
    )


def test_unsupported_format_is_rejected_with_its_name(limits: ImageLimits) -> None:
    message = rejection(picture((400, 400), fmt="GIF"), limits, "input.last_frame_url")

    assert message == (
        "input.last_frame_url: image format gif is not supported "
        "(supported: bmp, jpeg, jpg, png, webp)"
    )


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("data:image/png;base64,@@@@", "image data is not valid base64"),
        ("data:image/png;base64,AAAAA", "image data is not valid base64"),
        ("data:image/png;base64,é", "image data is not valid base64"),
        ("data:image/png;base64,", "image data is empty"),
        ("data:image/png,iVBORw0KGgo=", "inline image data must be base64 encoded"),
        ("data:image/png;base64", "must be of the form data:{MIME_type};base64,{base64_data}"),
        ("https://example.com/a.png", "must be of the form data:{MIME_type};base64"),
    ],
)
def test_malformed_data_urls_are_rejected(limits: ImageLimits, value: str, reason: str) -> None:
    assert reason in rejection(value, limits)


def test_bytes_that_are_no_image_are_rejected(limits: ImageLimits) -> None:
    assert rejection(data_url(b"not a picture at all"), limits) == (
        "input.img_url: data is not a readable image"
    )
    assert rejection(data_url(b"\x89PNG\r\n\x1a\n"), limits) == (
        "input.img_url: data is not a readable image"
    )


def test_payload_over_the_byte_limit_is_rejected_before_decoding(limits: ImageLimits) -> None:
    groups = limits.max_bytes // 3 + 1  # each 4 base64 characters decode to 3 bytes
    over = groups * 3
    value = "data:image/png;base64," + "AAAA" * groups

    assert rejection(value, limits) == (
        f"input.img_url: image is {over} bytes, more than the {limits.max_bytes} allowed"
    )


def test_real_image_over_a_byte_limit_is_rejected(limits: ImageLimits) -> None:
    value = picture((400, 400), fmt="BMP")  # 480 054 bytes uncompressed
    small = replace(limits, max_bytes=100_000)

    assert rejection(value, small) == (
        "input.img_url: image is 480054 bytes, more than the 100000 allowed"
    )


def test_forged_giant_header_is_rejected_without_decoding_pixels(limits: ImageLimits) -> None:
    message = rejection(data_url(png_header(100_000, 100_000)), limits)

    assert message == (
        "input.img_url: image dimensions are too large; each side must be in [360, 2000]"
    )


def test_header_only_image_is_judged_by_its_header(limits: ImageLimits) -> None:
    """Only the header is read: a PNG with no pixel data still reports its size."""
    assert check_data_image(FIELD, data_url(png_header(800, 450)), limits) == (800, 450)
    assert rejection(data_url(png_header(3000, 450)), limits) == (
        "input.img_url: image width 3000 is outside [360, 2000]"
    )


def test_limits_are_built_from_the_spec(limits: ImageLimits) -> None:
    assert limits == ImageLimits(
        formats=frozenset({"jpeg", "jpg", "png", "bmp", "webp"}),
        min_side=360,
        max_side=2000,
        max_bytes=10 * 1024 * 1024,
    )


@pytest.mark.parametrize(
    "mapping",
    [
        {"formats": "png", "min_side": 1, "max_side": 2, "max_bytes": 3},
        {"formats": ["png"], "min_side": "1", "max_side": 2, "max_bytes": 3},
        {"formats": ["png"], "min_side": 1, "max_side": True, "max_bytes": 3},
    ],
)
def test_malformed_limits_are_refused(mapping: dict[str, object]) -> None:
    with pytest.raises(TypeError):
        ImageLimits.from_mapping(mapping)
