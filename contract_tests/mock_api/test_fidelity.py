"""What black-box probes of the mock found (issue 11), one documented rule at a time.

- No value of any type in any parameter is a server error: every integer and number field of
  every variant (and every field of the *other* variants, which is an unknown parameter here),
  the list's paging, the control plane's numbers and the headers, at int64 and float extremes.
- "The URL cannot contain Chinese characters" (seed 003) means every character of the Han
  script, in every field the spec gives the rule; an ``oss://`` key may hold any name.
- Inline images may be 10 MB each (seeds 001/004): the body limit leaves room for both frames of
  a first/last-frame request.
- A required text field refuses the empty string, naming the field.
- A JSON ``null`` on an optional field is the field not given, in every variant.
"""

from __future__ import annotations

import base64
import io
import json
import re
import unicodedata
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from PIL import Image

from contract_tests.support.mock import (
    API,
    DELETE,
    IMAGE2VIDEO,
    VARIANTS,
    VIDEO_GENERATION,
    Api,
    assert_error,
    auth,
    body_for,
    set_path,
    spec_rule,
)
from contract_tests.support.spec_data import operations, spec_document
from wan_mock._domain._clock import ManualClock
from wan_mock._spec._documents import load_spec

#: Each ``body_for`` variant's request schema.
SCHEMAS = {
    "t2v": "TextToVideoRequest",
    "i2v": "ImageToVideoRequest",
    "kf2v": "KeyframeToVideoRequest",
    "image_reference": "ImageReferenceRequest",
    "video_repainting": "VideoRepaintingRequest",
    "video_edit": "VideoEditRequest",
    "video_extension": "VideoExtensionRequest",
    "video_outpainting": "VideoOutpaintingRequest",
}
URL_ERROR = spec_rule("media.url-syntax")["message"]


def _path(variant: str) -> str:
    return IMAGE2VIDEO if variant == "kf2v" else VIDEO_GENERATION


def _fields(schema_name: str) -> dict[str, bool]:
    """``input.x`` / ``parameters.y`` / top-level fields of a request schema → required?"""
    spec = load_spec()
    top = spec.resolve(spec.schemas[schema_name])
    out: dict[str, bool] = {}
    for name, prop in top.get("properties", {}).items():
        out[name] = name in top.get("required", ())
        inner = spec.resolve(prop)
        for child in inner.get("properties", {}):
            out[f"{name}.{child}"] = child in inner.get("required", ())
    return out


@pytest.fixture
def quiet_api(make_app: Callable[..., Flask], clock: ManualClock) -> Api:
    """An API whose app renders no videos (these tests read answers, not MP4s)."""
    from wan_mock._service._settings import Settings

    return Api(make_app(Settings(prerender_videos=False)).test_client(), clock)


def _assert_envelope(response: Any, what: object) -> None:
    """Not a server error; an error is the DashScope JSON envelope with a code."""
    assert response.status_code < 500, (what, response.get_data(as_text=True)[:300])
    if response.status_code >= 400 and response.mimetype == "application/json":
        body = response.get_json()
        assert set(body) == {"request_id", "code", "message"}, (what, body)
    response.close()


# ---------------------------------------------------------------------- extreme values
EXTREMES: tuple[Any, ...] = (
    2**31,
    2**53,
    2**63 - 1,
    2**63,
    2**64,
    10**18,
    10**30,
    -(2**63),
    -(2**64),
    1e308,
    -1e308,
    5e-324,
    1.7976931348623157e308,
    -1,
    0.5,
    "9" * 400,
    True,
    [2**64],
    {"x": 2**64},
)
#: Every field of every request schema: in another variant it is an unknown parameter.
ALL_FIELDS = sorted({f for schema in SCHEMAS.values() for f in _fields(schema) if "." in f})


@pytest.mark.parametrize("variant", VARIANTS)
def test_no_value_in_any_body_field_is_a_server_error(quiet_api: Api, variant: str) -> None:
    for dotted in ALL_FIELDS:
        for value in EXTREMES:
            body = set_path(body_for(variant), dotted, value)
            response = quiet_api.submit(body, path=_path(variant))
            _assert_envelope(response, (dotted, value))
            if response.status_code == 200:
                task_id = response.get_json()["output"]["task_id"]
                _assert_envelope(
                    quiet_api.client.get(f"{API}/tasks/{task_id}", headers=auth()), task_id
                )
    quiet_api.finish()
    for page in range(1, 100):
        listed = quiet_api.list_ok(page_size=100, page_no=page)
        for item in listed["data"]:
            assert quiet_api.query(item["task_id"])["output"]["task_status"] in (
                "SUCCEEDED",
                "FAILED",
            )
        if page >= listed["total_page"]:
            break
    _assert_envelope(quiet_api.client.get("/__mock/tasks"), "tasks")


TEXT_EXTREMES = (
    "9223372036854775807",
    "9223372036854775808",
    "18446744073709551616",
    "1000000000000000000",
    "100000000000000000000000000000",
    "-9223372036854775809",
    "1e308",
    "1e400",
    "-0",
    "0x10",
    "\uff11\uff12",  # full-width digits
    "٣",  # an Arabic-Indic digit
    "NaN",
    "inf",
    "",
)


def _query_parameters(operation_id: str) -> list[str]:
    for _, _, operation in operations():
        if operation.get("operationId") == operation_id:
            return [p["name"] for p in operation.get("parameters", []) if p["in"] == "query"]
    raise LookupError(operation_id)


@pytest.mark.parametrize("operation_id", ["list_tasks", "get_upload_policy"])
def test_no_value_in_any_query_parameter_is_a_server_error(
    client: FlaskClient, operation_id: str
) -> None:
    path = {"list_tasks": f"{API}/tasks", "get_upload_policy": f"{API}/uploads"}[operation_id]
    for name in _query_parameters(operation_id):
        for text in TEXT_EXTREMES:
            query = {"action": "getPolicy", "model": "wan2.2-kf2v-flash", name: text}
            response = client.get(path, headers=auth(), query_string=query)
            _assert_envelope(response, (name, text))


@pytest.mark.parametrize("page_no", [10**18, 2**63, 2**63 - 1, 2**31])
def test_a_page_number_beyond_a_32_bit_integer_is_refused_naming_it(
    client: FlaskClient, page_no: int
) -> None:
    response = client.get(f"{API}/tasks", headers=auth(), query_string={"page_no": page_no})

    assert_error(response, 400, "InvalidParameter", mentions=("page_no",))


def test_the_last_32_bit_page_number_is_an_empty_page(client: FlaskClient) -> None:
    response = client.get(f"{API}/tasks", headers=auth(), query_string={"page_no": 2**31 - 1})

    assert response.status_code == 200
    assert response.get_json()["data"] == []


def test_no_value_in_the_control_plane_is_a_server_error(client: FlaskClient) -> None:
    for value in EXTREMES:
        for path, body in (
            ("/__mock/clock/advance", {"seconds": value}),
            (
                "/__mock/scenarios",
                {"api_key": "k", "scenario": "fail=InternalError", "count": value},
            ),
            ("/__mock/scenarios", {"api_key": value, "scenario": "fail=InternalError"}),
        ):
            _assert_envelope(client.post(path, json=body), (path, value))
    for text in TEXT_EXTREMES:
        _assert_envelope(client.get("/__mock/journal", query_string={"limit": text}), text)
        for directive in ("pending", "running"):
            headers = {**auth(submit=True), "X-Mock-Scenario": f"{directive}={text}"}
            response = client.post(VIDEO_GENERATION, json=body_for("t2v"), headers=headers)
            _assert_envelope(response, (directive, text))


def test_no_header_value_is_a_server_error(quiet_api: Api) -> None:
    task_id = quiet_api.submit_ok(body_for("t2v"))
    quiet_api.finish()
    video_url = quiet_api.query(task_id)["output"]["video_url"]
    result = video_url.split("://", 1)[1].split("/", 1)[1]
    for value in (*TEXT_EXTREMES, "bytes=0-18446744073709551616", "bytes=99999999999999999999-"):
        for header in ("Range", "If-Range", "If-None-Match", "If-Modified-Since", "Content-Length"):
            response = quiet_api.client.get("/" + result, headers={header: value})
            _assert_envelope(response, (header, value))
        for header in ("X-DashScope-Async", "X-DashScope-OssResourceResolve", "Authorization"):
            headers = {**auth(submit=True), header: value}
            response = quiet_api.client.post(
                VIDEO_GENERATION, json=body_for("t2v"), headers=headers
            )
            _assert_envelope(response, (header, value))


# ---------------------------------------------------------------------- Chinese characters
#: One character of each block of the Han script, the three the probes found among them.
HAN_SAMPLES = {
    "CJK Unified Ideographs": "\u4e2d",
    "Extension A": "\u3400",
    "Extension B": "\U00020000",
    "Extension C": "\U0002a700",
    "Extension D": "\U0002b740",
    "Extension E": "\U0002b820",
    "Extension F": "\U0002ceb0",
    "Extension G": "\U00030000",
    "Extension H": "\U00031350",
    "Extension I": "\U0002ebf0",
    "Compatibility Ideographs": "\uf900",
    "Compatibility Ideographs Supplement": "\U0002f800",
    "Kangxi Radicals": "\u2f00",
    "CJK Radicals Supplement": "\u2e80",
    "Ideographic number zero": "\u3007",
}


def _url_fields(variant: str) -> list[str]:
    fields = _fields(SCHEMAS[variant])
    return [f for f in spec_rule("media.url-syntax")["fields"] if f in fields]


def _with_url(variant: str, dotted: str, url: str) -> dict[str, Any]:
    body = body_for(variant)
    if dotted.endswith("ref_images_url"):
        url_value: Any = [url]
        if variant == "image_reference":
            body["parameters"]["obj_or_bg"] = ["obj"]
    else:
        url_value = url
    if dotted == "input.mask_video_url":
        body["input"].pop("mask_image_url", None)
    if dotted == "input.video_url" and variant == "video_extension":
        body.setdefault("parameters", {})["control_condition"] = "depth"
    return set_path(body, dotted, url_value)


URL_CASES = [
    pytest.param(variant, dotted, id=f"{variant}-{dotted.split('.')[-1]}")
    for variant in VARIANTS
    for dotted in _url_fields(variant)
]


@pytest.mark.parametrize(("variant", "dotted"), URL_CASES)
def test_a_url_with_a_han_character_of_any_block_is_a_url_error(
    quiet_api: Api, variant: str, dotted: str
) -> None:
    for block, char in HAN_SAMPLES.items():
        body = _with_url(variant, dotted, f"https://example.com/{char}.png")
        response = quiet_api.submit(body, path=_path(variant))
        message = assert_error(response, 400, "InvalidParameter", mentions=(URL_ERROR,))
        assert dotted in message, (block, message)


@pytest.mark.parametrize(("variant", "dotted"), URL_CASES)
def test_the_same_url_without_the_character_is_accepted(
    quiet_api: Api, variant: str, dotted: str
) -> None:
    body = _with_url(variant, dotted, "https://example.com/plain.png")
    response = quiet_api.submit(body, path=_path(variant))
    assert response.status_code == 200, response.get_data(as_text=True)


def _public_url_pattern() -> re.Pattern[str]:
    return re.compile(spec_document()["components"]["schemas"]["PublicUrl"]["pattern"])


def test_the_url_rule_refuses_every_han_ideograph_and_radical_of_unicode() -> None:
    """Every code point Unicode names a CJK ideograph or radical, in every plane."""
    pattern = _public_url_pattern()
    missed = []
    for code in range(0x2E80, 0x40000):
        name = unicodedata.name(chr(code), "")
        ideograph = name.startswith(("CJK UNIFIED IDEOGRAPH", "CJK COMPATIBILITY IDEOGRAPH"))
        radical = "RADICAL" in name and name.startswith(("KANGXI", "CJK"))
        if (ideograph or radical) and pattern.fullmatch(f"https://example.com/{chr(code)}"):
            missed.append(f"U+{code:04X} {name}")
    assert not missed, missed[:20]


def test_the_url_rule_still_admits_other_scripts_and_percent_encoding() -> None:
    pattern = _public_url_pattern()
    for path in ("caf%C3%A9.png", "ひらがな.png", "한국어.png", "é.png", "%E4%B8%AD.png"):
        assert pattern.fullmatch(f"https://example.com/{path}"), path


def test_an_oss_key_may_hold_chinese_characters() -> None:
    pattern = _public_url_pattern()
    assert pattern.fullmatch("oss://dashscope-instant/abc/视频\U00020000.png")


# ---------------------------------------------------------------------- inline images
def _bmp(width: int, height: int) -> bytes:
    """An uncompressed 24-bit BMP: its file size is ~3 bytes a pixel, whatever it shows."""
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 120, 40)).save(out, format="BMP")
    return out.getvalue()


def _data_uri(raw: bytes) -> str:
    return "data:image/bmp;base64," + base64.b64encode(raw).decode("ascii")


@pytest.fixture(scope="module")
def eight_mb_image() -> str:
    raw = _bmp(1700, 1640)
    assert 8_000_000 < len(raw) <= 10 * 1024 * 1024
    encoded = _data_uri(raw)
    assert len(encoded) > 10 * 1024 * 1024  # more than the old 10 MiB body limit
    return encoded


def test_an_eight_mb_inline_image_is_accepted(quiet_api: Api, eight_mb_image: str) -> None:
    final = quiet_api.run(body_for("i2v", input__img_url=eight_mb_image))

    assert final["output"]["task_status"] == "SUCCEEDED"


def test_a_first_and_last_frame_of_eight_mb_each_are_accepted(
    quiet_api: Api, eight_mb_image: str
) -> None:
    body = body_for(
        "kf2v", input__first_frame_url=eight_mb_image, input__last_frame_url=eight_mb_image
    )

    final = quiet_api.run(body, path=IMAGE2VIDEO)

    assert final["output"]["task_status"] == "SUCCEEDED"


def test_an_inline_image_over_10_mb_is_refused_by_the_image_rule_not_the_body_limit(
    quiet_api: Api,
) -> None:
    raw = _bmp(2000, 1748)
    assert len(raw) > 10 * 1024 * 1024

    response = quiet_api.submit(body_for("i2v", input__img_url=_data_uri(raw)))

    message = assert_error(response, 400, "InvalidParameter", mentions=("input.img_url",))
    assert "more than the 10485760 allowed" in message


# ---------------------------------------------------------------------- required text
def _get(body: dict[str, Any], dotted: str) -> Any:
    node: Any = body
    for part in dotted.split("."):
        node = node.get(part) if isinstance(node, dict) else None
    return node


def _required_text_fields(variant: str) -> list[str]:
    """The required fields of the variant's schema that hold text in a valid body."""
    body = body_for(variant)
    required = [dotted for dotted, needed in _fields(SCHEMAS[variant]).items() if needed]
    return [dotted for dotted in required if isinstance(_get(body, dotted), str)]


TEXT_CASES = [
    pytest.param(variant, dotted, id=f"{variant}-{dotted}")
    for variant in VARIANTS
    for dotted in _required_text_fields(variant)
]


def test_the_required_text_fields_include_every_prompt_and_main_input() -> None:
    found = {(str(p.values[0]), str(p.values[1])) for p in TEXT_CASES}
    assert ("t2v", "input.prompt") in found
    assert ("i2v", "input.img_url") in found
    assert ("kf2v", "input.first_frame_url") in found
    for variant in ("image_reference", "video_repainting", "video_edit", "video_extension"):
        assert (variant, "input.prompt") in found


@pytest.mark.parametrize(("variant", "dotted"), TEXT_CASES)
def test_a_required_text_field_refuses_the_empty_string_naming_it(
    quiet_api: Api, variant: str, dotted: str
) -> None:
    response = quiet_api.submit(set_path(body_for(variant), dotted, ""), path=_path(variant))

    code = "BadRequest.EmptyModel" if dotted == "model" else "InvalidParameter"  # its own code
    assert_error(response, 400, code, mentions=(dotted,))


def test_an_empty_text_to_video_prompt_says_it_must_not_be_empty(quiet_api: Api) -> None:
    response = quiet_api.submit(body_for("t2v", input__prompt=""))

    assert_error(
        response,
        400,
        "InvalidParameter",
        "Parameter input.prompt is invalid: it must not be empty.",
    )


# ---------------------------------------------------------------------- null is "not given"
def _outcome(api: Api, variant: str, body: dict[str, Any]) -> tuple[Any, ...]:
    response = api.submit(body, path=_path(variant))
    if response.status_code != 200:
        answer = response.get_json()
        return response.status_code, answer["code"], answer["message"]
    task_id = response.get_json()["output"]["task_id"]
    api.finish()
    final = api.query(task_id)
    output = final["output"]
    return 200, output["task_status"], output.get("code"), final.get("usage")


NULL_CASES = [
    pytest.param(variant, dotted, id=f"{variant}-{dotted}")
    for variant in VARIANTS
    for dotted, required in _fields(SCHEMAS[variant]).items()
    if not required and dotted != "input"
]


@pytest.mark.parametrize(("variant", "dotted"), NULL_CASES)
def test_null_on_an_optional_field_is_the_field_not_given(
    quiet_api: Api, variant: str, dotted: str
) -> None:
    without = set_path(body_for(variant), dotted, DELETE)
    with_null = set_path(body_for(variant), dotted, None)

    assert _outcome(quiet_api, variant, with_null) == _outcome(quiet_api, variant, without)


def test_a_null_mask_image_with_a_mask_video_is_one_mask(quiet_api: Api) -> None:
    body = body_for(
        "video_edit",
        input__mask_image_url=None,
        input__mask_video_url="http://wanx.alicdn.com/material/20250318/mask.mp4",
    )

    final = quiet_api.run(body)

    assert final["output"]["task_status"] == "SUCCEEDED"


@pytest.mark.parametrize("variant", VARIANTS)
def test_a_null_required_field_is_reported_missing(quiet_api: Api, variant: str) -> None:
    for dotted, required in _fields(SCHEMAS[variant]).items():
        if not required or "." not in dotted or dotted.endswith(".function"):
            continue
        response = quiet_api.submit(set_path(body_for(variant), dotted, None), path=_path(variant))
        assert_error(response, 400, "InvalidParameter", f"Required parameter {dotted} is missing.")


def test_the_stored_request_of_a_null_field_has_no_null(quiet_api: Api) -> None:
    body = body_for("kf2v", input__last_frame_url=None, parameters__seed=None)
    task_id = quiet_api.submit_ok(body, path=IMAGE2VIDEO)

    (stored,) = quiet_api.client.get("/__mock/tasks").get_json()["tasks"]
    assert stored["task_id"] == task_id
    assert "last_frame_url" not in stored["request"]["input"]
    assert "seed" not in stored["request"]["parameters"]
    assert "null" not in json.dumps(stored["request"])


# ---------------------------------------------------------------------- /qwen/api/v1
QWEN = "/qwen" + API


def test_every_operation_is_served_under_the_seeds_qwen_prefix_too(quiet_api: Api) -> None:
    client = quiet_api.client
    submitted = client.post(
        QWEN + VIDEO_GENERATION.removeprefix(API), json=body_for("t2v"), headers=auth(submit=True)
    )
    assert submitted.status_code == 200
    task_id = submitted.get_json()["output"]["task_id"]
    keyframe = client.post(
        QWEN + IMAGE2VIDEO.removeprefix(API), json=body_for("kf2v"), headers=auth(submit=True)
    )
    assert keyframe.status_code == 200
    queried = client.get(f"{QWEN}/tasks/{task_id}/", headers=auth())
    assert queried.get_json()["output"]["task_status"] == "PENDING"
    listed = client.get(f"{QWEN}/tasks", headers=auth())
    assert listed.get_json()["total"] == 2
    policy = client.get(
        f"{QWEN}/uploads", headers=auth(), query_string={"action": "getPolicy", "model": "m"}
    )
    assert policy.status_code == 200
    canceled = client.post(f"{QWEN}/tasks/{task_id}/cancel", headers=auth())
    assert canceled.status_code == 200
    assert quiet_api.status(task_id) == "CANCELED"

    operations = [e["operation"] for e in client.get("/__mock/journal").get_json()["entries"]]
    assert operations == [
        "get_task",
        "cancel_task",
        "get_upload_policy",
        "list_tasks",
        "get_task",
        "create_keyframe_video_task",
        "create_video_synthesis_task",
    ]
