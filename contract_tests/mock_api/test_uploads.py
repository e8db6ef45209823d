"""Input images the mock can check offline (inline ``data:`` images), http(s) URLs it must never
fetch, and the SDK's local-file path: upload policy → multipart POST to ``upload_host``
(``/__mock/oss``) → submit with ``oss://<key>`` and ``X-DashScope-OssResourceResolve: enable``.

Limits come from the spec's ``x-wan-service`` (``image_input``, ``upload_ttl_seconds``).
"""

from __future__ import annotations

import base64
import io
import socket
from typing import Any
from urllib.parse import urlsplit

import pytest
from flask.testing import FlaskClient
from PIL import Image

from contract_tests.support.control import (
    OSS_PATH,
    data_image,
    image_bytes,
    probe_mp4,
    relative_url,
    upload_file,
)
from contract_tests.support.mock import (
    API,
    IMAGE2VIDEO,
    KEY,
    START,
    Api,
    assert_error,
    auth,
    body_for,
)
from contract_tests.support.spec_data import spec_document

SERVICE = spec_document()["x-wan-service"]
LIMITS = SERVICE["image_input"]
UPLOAD_TTL = float(SERVICE["upload_ttl_seconds"])
RESOLVE = {"X-DashScope-OssResourceResolve": "enable"}
URL_ERROR = "url error, please check url!"

#: (variant, path, field) of every first-frame image a submit can carry.
IMAGE_FIELDS = [
    ("i2v", None, "img_url"),
    ("kf2v", IMAGE2VIDEO, "first_frame_url"),
    ("kf2v", IMAGE2VIDEO, "last_frame_url"),
]
FIELD_IDS = [f"{variant}-{field}" for variant, _, field in IMAGE_FIELDS]


def _with_image(variant: str, field: str, value: str) -> dict[str, Any]:
    body = body_for(variant)
    body["input"][field] = value
    return body


def _submit(api: Api, body: dict[str, Any], path: str | None, **headers: str) -> Any:
    kwargs: dict[str, Any] = {"headers": headers}
    if path is not None:
        kwargs["path"] = path
    return api.submit(body, **kwargs)


# ---------------------------------------------------------------------- data: images
def test_the_spec_limits_are_the_documented_ones() -> None:
    assert (LIMITS["min_side"], LIMITS["max_side"]) == (360, 2000)
    assert "gif" not in LIMITS["formats"]
    assert UPLOAD_TTL == 48 * 3600


@pytest.mark.parametrize(
    "image",
    [
        data_image((600, 800)),
        data_image((1280, 720), fmt="JPEG"),
        data_image((360, 2000), fmt="JPEG", mime="image/jpg"),
        data_image((2000, 360)),
    ],
    ids=["png", "jpeg", "jpeg-at-the-limits", "png-at-the-limits"],
)
@pytest.mark.parametrize(("variant", "path", "field"), IMAGE_FIELDS, ids=FIELD_IDS)
def test_a_valid_inline_image_is_accepted_and_the_task_succeeds(
    api: Api, variant: str, path: str | None, field: str, image: str
) -> None:
    response = _submit(api, _with_image(variant, field, image), path)

    assert response.status_code == 200, response.get_data(as_text=True)
    task_id = response.get_json()["output"]["task_id"]
    api.finish()
    assert api.status(task_id) == "SUCCEEDED"


def _alpha_png() -> str:
    return data_image((600, 600), mode="RGBA")


def _gif() -> str:
    return data_image((600, 600), mode="P", fmt="GIF")


@pytest.mark.parametrize(
    ("image", "reason"),
    [
        (data_image((200, 200)), "image width 200 is outside [360, 2000]"),
        (data_image((600, 200)), "image height 200 is outside [360, 2000]"),
        (data_image((2100, 600)), "image width 2100 is outside [360, 2000]"),
        (data_image((600, 2100), fmt="JPEG"), "image height 2100 is outside [360, 2000]"),
        (_alpha_png(), "PNG images with an alpha channel are not supported"),
        (_gif(), "image format gif is not supported"),
        (
            "data:image/png;base64," + base64.b64encode(b"not an image at all").decode(),
            "data is not a readable image",
        ),
    ],
    ids=[
        "too-narrow",
        "too-low",
        "too-wide",
        "too-tall",
        "alpha-png",
        "gif",
        "not-an-image",
    ],
)
@pytest.mark.parametrize(("variant", "path", "field"), IMAGE_FIELDS, ids=FIELD_IDS)
def test_an_unusable_inline_image_is_refused_naming_the_field(
    api: Api, variant: str, path: str | None, field: str, image: str, reason: str
) -> None:
    response = _submit(api, _with_image(variant, field, image), path)

    message = assert_error(response, 400, "InvalidParameter")
    assert message.startswith(f"input.{field}: {reason}"), message
    assert api.client.get("/__mock/tasks").get_json() == {"tasks": []}


@pytest.mark.parametrize(
    "value",
    [
        "data:image/png;base64,@@@!",
        "data:image/png;base64,abc",
        "data:image/png;base64,QQ=",
        "data:image/png;base64,Q===",
        "data:image/png;base64,",
        "data:text/plain;base64,QUJD",
        "data:image/png,QUJD",
    ],
    ids=["alphabet", "unpadded", "short-padding", "over-padded", "empty", "not-image", "no-base64"],
)
@pytest.mark.parametrize(("variant", "path", "field"), IMAGE_FIELDS, ids=FIELD_IDS)
def test_a_data_uri_the_spec_pattern_refuses_is_a_url_error(
    api: Api, variant: str, path: str | None, field: str, value: str
) -> None:
    """The spec's ``InlineImage`` pattern says what a ``data:`` URI is (an image media type, a
    padded base64 payload): whatever it refuses is the documented URL error."""
    response = _submit(api, _with_image(variant, field, value), path)

    assert_error(response, 400, "InvalidParameter", f"{URL_ERROR} (input.{field})")


def test_the_first_bad_image_of_a_keyframe_task_is_named(api: Api) -> None:
    body = body_for(
        "kf2v", input__first_frame_url=data_image((600, 600)), input__last_frame_url=_gif()
    )

    response = api.submit(body, path=IMAGE2VIDEO)

    assert_error(response, 400, "InvalidParameter", mentions=("input.last_frame_url",))


# ---------------------------------------------------------------------- http(s) never fetched
@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record (instead of making) every connection or name lookup attempted."""
    attempts: list[str] = []

    def create_connection(address: Any, *args: Any, **kwargs: Any) -> Any:
        attempts.append(f"create_connection {address}")
        raise OSError("network disabled by the test")

    def connect(self: socket.socket, address: Any) -> None:
        attempts.append(f"connect {address}")
        raise OSError("network disabled by the test")

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        attempts.append(f"getaddrinfo {host}")
        raise OSError("network disabled by the test")

    monkeypatch.setattr(socket, "create_connection", create_connection)
    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return attempts


@pytest.mark.parametrize(("variant", "path", "field"), IMAGE_FIELDS, ids=FIELD_IDS)
def test_an_http_image_is_accepted_without_being_fetched(
    api: Api, no_network: list[str], variant: str, path: str | None, field: str
) -> None:
    response = _submit(api, _with_image(variant, field, "http://127.0.0.1:9/x.png"), path)

    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json()["output"]["task_status"] == "PENDING"
    task_id = response.get_json()["output"]["task_id"]
    api.finish()
    assert api.status(task_id) == "SUCCEEDED"
    assert no_network == []


def test_vace_media_urls_are_not_fetched_either(api: Api, no_network: list[str]) -> None:
    body = body_for("video_edit")
    body["input"]["video_url"] = "https://127.0.0.1:9/clip.mp4"
    body["input"]["mask_image_url"] = "http://127.0.0.1:9/mask.png"

    api.run(body)

    assert no_network == []


# ---------------------------------------------------------------------- the upload policy
def test_the_upload_policy_points_at_the_mocks_oss_endpoint(client: FlaskClient) -> None:
    response = client.get(
        f"{API}/uploads",
        headers=auth(),
        query_string={"action": "getPolicy", "model": "wan2.2-i2v-flash"},
    )

    data = response.get_json()["data"]
    assert set(data) == {
        "policy",
        "signature",
        "upload_dir",
        "upload_host",
        "expire_in_seconds",
        "max_file_size_mb",
        "capacity_limit_mb",
        "oss_access_key_id",
        "x_oss_object_acl",
        "x_oss_forbid_overwrite",
    }
    assert urlsplit(data["upload_host"]).path == OSS_PATH
    assert data["max_file_size_mb"] == SERVICE["upload_max_file_size_mb"]


# ---------------------------------------------------------------------- the multipart upload
def test_an_upload_with_the_policys_fields_is_stored(client: FlaskClient) -> None:
    upload = upload_file(client)

    assert upload.response.status_code == 200
    assert upload.response.data == b""
    assert upload.key.startswith(upload.policy["upload_dir"] + "/")


@pytest.mark.parametrize(("status", "expected"), [("201", 201), ("204", 204), ("302", 204)])
def test_success_action_status_sets_the_answer(
    client: FlaskClient, status: str, expected: int
) -> None:
    policy = upload_file(client).policy

    response = client.post(
        OSS_PATH,
        data={
            "key": f"{policy['upload_dir']}/other.png",
            "Signature": policy["signature"],
            "success_action_status": status,
            "file": (io.BytesIO(image_bytes((400, 400))), "other.png"),
        },
        content_type="multipart/form-data",
    )

    assert response.status_code == expected


def _oss_error(response: Any, status: int, code: str) -> str:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/xml"
    text: str = response.get_data(as_text=True)
    assert text.startswith("<Error>")
    assert f"<Code>{code}</Code>" in text
    return text


def test_an_upload_with_a_wrong_signature_is_403(client: FlaskClient) -> None:
    upload = upload_file(client, signature="0" * 28)

    text = _oss_error(upload.response, 403, "AccessDenied")
    assert "signature" in text


def test_an_upload_outside_the_policys_folder_is_403(client: FlaskClient) -> None:
    upload = upload_file(client, key="dashscope-instant/someone-else/x.png")

    _oss_error(upload.response, 403, "AccessDenied")


def test_an_upload_without_a_file_is_400(client: FlaskClient) -> None:
    response = client.post(OSS_PATH, data={"key": "a/b.png"}, content_type="multipart/form-data")

    text = _oss_error(response, 400, "InvalidArgument")
    assert "key and file" in text


# ---------------------------------------------------------------------- submitting oss:// keys
def _i2v_with(url: str) -> dict[str, Any]:
    return body_for("i2v", input__img_url=url)


def test_an_uploaded_image_can_be_submitted_with_the_resolve_header(api: Api) -> None:
    upload = upload_file(api.client)

    response = api.submit(_i2v_with(upload.oss_url), headers=RESOLVE)

    assert response.status_code == 200, response.get_data(as_text=True)
    task_id = response.get_json()["output"]["task_id"]
    api.finish()
    assert api.status(task_id) == "SUCCEEDED"


def test_uploaded_first_and_last_frames_can_be_submitted(api: Api) -> None:
    first = upload_file(api.client, model="wan2.2-kf2v-flash", name="first.png")
    last = upload_file(api.client, model="wan2.2-kf2v-flash", name="last.jpg")
    body = body_for(
        "kf2v", input__first_frame_url=first.oss_url, input__last_frame_url=last.oss_url
    )

    response = api.submit(body, path=IMAGE2VIDEO, headers=RESOLVE)

    assert response.status_code == 200, response.get_data(as_text=True)
    api.finish()
    assert api.status(response.get_json()["output"]["task_id"]) == "SUCCEEDED"


def test_an_uploaded_image_is_held_to_the_image_limits(api: Api) -> None:
    upload = upload_file(api.client, data=image_bytes((200, 600)))

    response = api.submit(_i2v_with(upload.oss_url), headers=RESOLVE)

    assert_error(
        response, 400, "InvalidParameter", "input.img_url: image width 200 is outside [360, 2000]"
    )


def test_an_uploaded_image_sets_the_aspect_of_the_output(api: Api) -> None:
    upload = upload_file(api.client, data=image_bytes((600, 800)))
    body = body_for("i2v", input__img_url=upload.oss_url, parameters__resolution="720P")

    response = api.submit(body, headers=RESOLVE)

    assert response.status_code == 200, response.get_data(as_text=True)
    api.finish()
    url = api.query(response.get_json()["output"]["task_id"])["output"]["video_url"]
    video = api.client.get(relative_url(url), buffered=True)
    probe = probe_mp4(video.data)
    assert (probe.width, probe.height) == (832, 1088)


def test_an_oss_url_without_the_resolve_header_is_refused_naming_the_field(api: Api) -> None:
    upload = upload_file(api.client)

    response = api.submit(_i2v_with(upload.oss_url))

    assert_error(
        response,
        400,
        "InvalidParameter",
        f"{URL_ERROR} (input.img_url: an oss:// URL needs the header "
        "X-DashScope-OssResourceResolve: enable)",
    )


def test_an_oss_key_never_uploaded_is_refused(api: Api) -> None:
    policy = upload_file(api.client).policy
    missing = f"oss://{policy['upload_dir']}/never-uploaded.png"

    response = api.submit(_i2v_with(missing), headers=RESOLVE)

    assert_error(
        response,
        400,
        "InvalidParameter",
        f"{URL_ERROR} (input.img_url: {missing} was not uploaded or has expired)",
    )


def test_a_refused_upload_cannot_be_submitted(api: Api) -> None:
    upload = upload_file(api.client, signature="bad")

    response = api.submit(_i2v_with(upload.oss_url), headers=RESOLVE)

    assert_error(response, 400, "InvalidParameter", mentions=("was not uploaded",))


def test_an_upload_lives_48_hours_on_the_clock(api: Api) -> None:
    upload = upload_file(api.client)

    api.clock.set(START + UPLOAD_TTL - 1)
    assert api.submit(_i2v_with(upload.oss_url), headers=RESOLVE).status_code == 200

    api.clock.set(START + UPLOAD_TTL)
    response = api.submit(_i2v_with(upload.oss_url), headers=RESOLVE)

    assert_error(response, 400, "InvalidParameter", mentions=("has expired", "input.img_url"))


def test_the_upload_is_stored_byte_for_byte(api: Api) -> None:
    from wan_mock._http._app import mock_state

    raw = image_bytes((512, 512), "JPEG")
    upload = upload_file(api.client, name="photo.jpg", data=raw)

    stored = mock_state(api.client.application).backend.uploads.root / upload.key

    assert stored.read_bytes() == raw
    with Image.open(io.BytesIO(stored.read_bytes())) as image:
        assert image.size == (512, 512)


def test_an_upload_policy_needs_a_key(client: FlaskClient) -> None:
    response = client.get(
        f"{API}/uploads", query_string={"action": "getPolicy", "model": "wan2.2-i2v-flash"}
    )

    assert_error(response, 401, "InvalidApiKey", "No API-key provided.")
    assert KEY not in response.get_data(as_text=True)
