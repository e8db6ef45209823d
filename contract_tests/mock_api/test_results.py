"""The MP4 behind a SUCCEEDED task's ``video_url``:
``GET /results/{task_id}.mp4?Expires=&Signature=`` (``openapi/mock-control.yaml``).

Videos are decoded with PyAV and held to the spec's ``x-wan-service.output_video`` (H.264 in MP4,
30 fps) and to the task's output size and duration.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from werkzeug.test import TestResponse

from contract_tests.support.control import (
    control_operations,
    data_image,
    probe_mp4,
    relative_url,
)
from contract_tests.support.mock import DAY, START, Api, body_for
from contract_tests.support.spec_data import spec_document

OUTPUT = spec_document()["x-wan-service"]["output_video"]
FPS = int(OUTPUT["fps"])
TIERS: dict[str, list[str]] = spec_document()["x-wan-tiers"]


def _t2v(size: str = "832*480", duration: int = 5) -> dict[str, Any]:
    return {
        "model": "wan2.5-t2v-preview",
        "input": {"prompt": "Waves on a pebble beach."},
        "parameters": {"size": size, "duration": duration},
    }


def _get(api: Api, url: str, headers: dict[str, str] | None = None) -> TestResponse:
    """GET, reading the body at once so the served file is closed (``send_file`` streams)."""
    return api.client.get(url, headers=headers or {}, buffered=True)


def _head(api: Api, url: str) -> TestResponse:
    return api.client.head(url, buffered=True)


def _video_url(api: Api, body: dict[str, Any]) -> str:
    final = api.run(body)
    output = final["output"]
    assert output["task_status"] == "SUCCEEDED", output
    url = output["video_url"]
    assert isinstance(url, str)
    return url


def _download(api: Api, body: dict[str, Any]) -> TestResponse:
    response = _get(api, relative_url(_video_url(api, body)))
    assert response.status_code == 200, response.get_data(as_text=True)
    return response


def _xml_denied(response: TestResponse) -> None:
    assert response.status_code == 403
    assert response.mimetype == "application/xml"
    text = response.get_data(as_text=True)
    assert "<Code>AccessDenied</Code>" in text
    assert "<Message>Request has expired or the signature is invalid.</Message>" in text


# ---------------------------------------------------------------------- the URL
def test_video_url_is_a_signed_results_url_on_the_mock(api: Api) -> None:
    final = api.run(_t2v())
    task_id = final["output"]["task_id"]

    parts = urlsplit(final["output"]["video_url"])
    query = parse_qs(parts.query)

    assert parts.scheme == "http"
    assert parts.path == f"/results/{task_id}.mp4"
    assert set(query) == {"Expires", "Signature"}
    assert int(query["Expires"][0]) == int(START + DAY)
    assert query["Signature"][0]


def test_the_results_operation_is_documented_for_get_and_head() -> None:
    operations = control_operations()

    assert ("GET", "/results/{task_id}.mp4") in operations
    assert ("HEAD", "/results/{task_id}.mp4") in operations
    documented = operations[("GET", "/results/{task_id}.mp4")]["responses"]
    assert {"200", "206", "304", "403"} <= set(documented)


# ---------------------------------------------------------------------- the video
@pytest.mark.parametrize(
    ("body", "size", "seconds"),
    [
        (_t2v("832*480", 5), (832, 480), 5),
        (_t2v("832*480", 10), (832, 480), 10),
        (body_for("video_repainting"), (1280, 720), 5),
        (body_for("i2v", parameters__resolution="480P"), (832, 480), 5),
    ],
    ids=["t2v-5s", "t2v-10s", "vace-default-720p", "i2v-480p-http-image"],
)
def test_the_video_is_h264_of_the_output_size_30_fps_and_the_duration(
    api: Api, body: dict[str, Any], size: tuple[int, int], seconds: int
) -> None:
    response = _download(api, body)

    probe = probe_mp4(response.data)

    assert OUTPUT["container"] in probe.container.split(",")
    assert probe.codec == OUTPUT["codec"] == "h264"
    assert (probe.width, probe.height) == size
    assert probe.fps == FPS == 30
    assert probe.frames == seconds * FPS
    assert probe.keyframes >= seconds


def test_an_inline_image_sets_the_aspect_of_an_image_to_video_result(api: Api) -> None:
    body = body_for("i2v", input__img_url=data_image((600, 800)), parameters__resolution="720P")

    probe = probe_mp4(_download(api, body).data)

    assert f"{probe.width}*{probe.height}" in TIERS["720P"]
    assert Fraction(probe.width, probe.height) / Fraction(600, 800) == pytest.approx(1, abs=0.03)
    assert (probe.width, probe.height) == (832, 1088)
    assert probe.frames == 5 * FPS


def test_the_usage_ratio_and_the_video_agree_for_text_to_video(api: Api) -> None:
    final = api.run(_t2v("480*832"))

    probe = probe_mp4(_get(api, relative_url(final["output"]["video_url"])).data)

    assert final["usage"]["video_ratio"] == "480*832"
    assert (probe.width, probe.height) == (480, 832)


# ---------------------------------------------------------------------- HTTP semantics
def test_the_answer_has_type_length_etag_and_accepts_ranges(api: Api) -> None:
    response = _download(api, _t2v())

    assert response.mimetype == "video/mp4"
    assert int(response.headers["Content-Length"]) == len(response.data) > 1000
    etag = response.headers["ETag"]
    assert etag.startswith('"')
    assert etag.endswith('"')
    assert len(etag) > 2
    assert response.headers["Accept-Ranges"] == "bytes"


def test_the_same_shape_has_the_same_etag_and_bytes(api: Api) -> None:
    first = _download(api, _t2v())
    second = _download(api, _t2v())

    assert first.headers["ETag"] == second.headers["ETag"]
    assert first.data == second.data


def test_a_byte_range_gets_206_with_content_range(api: Api) -> None:
    url = relative_url(_video_url(api, _t2v()))
    whole = _get(api, url).data

    partial = _get(api, url, headers={"Range": "bytes=0-99"})

    assert partial.status_code == 206
    assert partial.headers["Content-Range"] == f"bytes 0-99/{len(whole)}"
    assert int(partial.headers["Content-Length"]) == 100
    assert partial.data == whole[:100]
    assert partial.mimetype == "video/mp4"


def test_a_suffix_range_gets_the_end_of_the_file(api: Api) -> None:
    url = relative_url(_video_url(api, _t2v()))
    whole = _get(api, url).data

    tail = _get(api, url, headers={"Range": "bytes=-10"})

    assert tail.status_code == 206
    assert tail.data == whole[-10:]
    assert tail.headers["Content-Range"] == f"bytes {len(whole) - 10}-{len(whole) - 1}/{len(whole)}"


def test_a_range_beyond_the_file_is_416(api: Api) -> None:
    url = relative_url(_video_url(api, _t2v()))
    size = len(_get(api, url).data)

    response = _get(api, url, headers={"Range": f"bytes={size + 10}-"})

    assert response.status_code == 416, response.get_data(as_text=True)
    assert response.headers["Content-Range"] == f"bytes */{size}"


def test_if_none_match_with_the_etag_is_304_without_a_body(api: Api) -> None:
    url = relative_url(_video_url(api, _t2v()))
    etag = _get(api, url).headers["ETag"]

    response = _get(api, url, headers={"If-None-Match": etag})

    assert response.status_code == 304
    assert response.data == b""
    assert response.headers["ETag"] == etag


def test_if_none_match_with_another_etag_gets_the_video(api: Api) -> None:
    url = relative_url(_video_url(api, _t2v()))

    response = _get(api, url, headers={"If-None-Match": '"something-else"'})

    assert response.status_code == 200
    assert response.mimetype == "video/mp4"


def test_head_gives_the_headers_without_the_body(api: Api) -> None:
    url = relative_url(_video_url(api, _t2v()))
    whole = _get(api, url)

    head = _head(api, url)

    assert head.status_code == 200
    assert head.data == b""
    assert head.mimetype == "video/mp4"
    assert head.headers["Content-Length"] == str(len(whole.data))
    assert head.headers["ETag"] == whole.headers["ETag"]


# ---------------------------------------------------------------------- refusals
def _tampered(url: str, name: str, value: str) -> str:
    parts = urlsplit(url)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    query[name] = value
    return parts.path + "?" + "&".join(f"{k}={v}" for k, v in query.items())


def test_a_tampered_signature_is_403(api: Api) -> None:
    url = _video_url(api, _t2v())
    signature = parse_qs(urlsplit(url).query)["Signature"][0]
    flipped = ("0" if signature[0] != "0" else "1") + signature[1:]

    _xml_denied(_get(api, _tampered(url, "Signature", flipped)))


def test_a_longer_expiry_with_the_old_signature_is_403(api: Api) -> None:
    url = _video_url(api, _t2v())

    _xml_denied(_get(api, _tampered(url, "Expires", str(int(START + 10 * DAY)))))


def test_a_url_without_its_query_is_403(api: Api) -> None:
    url = _video_url(api, _t2v())

    _xml_denied(_get(api, urlsplit(url).path))


def test_another_tasks_id_with_this_signature_is_403(api: Api) -> None:
    url = _video_url(api, _t2v())
    other = _video_url(api, _t2v())
    other_id = urlsplit(other).path.rsplit("/", 1)[-1]
    parts = urlsplit(url)

    _xml_denied(_get(api, f"/results/{other_id}?{parts.query}"))


def test_an_unknown_task_is_403(api: Api) -> None:
    _xml_denied(_get(api, "/results/no-such-task.mp4?Expires=9999999999&Signature=abc"))


def test_the_url_is_refused_after_24_hours(api: Api) -> None:
    url = relative_url(_video_url(api, _t2v()))
    api.clock.set(START + DAY - 1)
    assert _get(api, url).status_code == 200

    api.clock.set(START + DAY)

    _xml_denied(_get(api, url))
    assert _head(api, url).status_code == 403


def test_a_failed_task_has_no_video_url(api: Api) -> None:
    task_id = api.submit_ok(_t2v())
    failed = api.submit(_t2v(), headers={"X-Mock-Scenario": "fail=InternalError"})
    api.finish()

    assert "video_url" not in api.query(failed.get_json()["output"]["task_id"])["output"]
    assert "video_url" in api.query(task_id)["output"]
