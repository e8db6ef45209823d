"""Helpers for the tests of the mock's test-only surface: the control plane (``/__mock/``), the
``X-Mock-Scenario`` header, result videos, uploads and rate limits.

Expected shapes come from ``openapi/mock-control.yaml`` and expected codes and limits from
``openapi/wan-video.yaml``, both as plain data from ``contract_tests.support.spec_data``.
Nothing here sleeps: task time moves with a ``ManualClock`` (or, for a ``SharedClock``, a fake
wall clock), request rates with a :class:`FakeMonotonic` given to the backend's ``RateLimiter``.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import av
from flask import Flask
from flask.testing import FlaskClient
from PIL import Image
from werkzeug.test import TestResponse

from contract_tests.support.mock import API, auth
from contract_tests.support.spec_data import (
    component_validator,
    control_document,
    operations,
    resolve_ref,
    spec_document,
    validator_for,
)

__all__ = [
    "OSS_PATH",
    "FakeMonotonic",
    "FakeWallClock",
    "Probe",
    "Upload",
    "control_operations",
    "data_image",
    "image_bytes",
    "key_id_of",
    "model_limits",
    "probe_mp4",
    "relative_url",
    "schema_errors",
    "spec_response_errors",
    "standalone_app",
    "upload_file",
]

OSS_PATH = "/__mock/oss"


# ---------------------------------------------------------------------- the control spec


def control_operations() -> dict[tuple[str, str], dict[str, Any]]:
    """Every operation of the control spec by (upper-case method, path)."""
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for path, method, operation in operations(control_document()):
        out[(method.upper(), path)] = operation
    return out


def schema_errors(name: str, instance: Any) -> list[str]:
    """Why ``instance`` does not match ``components/schemas/<name>`` (empty when it does)."""
    validator = component_validator(name, control=True)
    return [f"{list(e.instance_path)}: {e.message}" for e in validator.iter_errors(instance)]


def spec_response_errors(method: str, path: str, response: TestResponse) -> list[str]:
    """Check a JSON answer against the schema the control spec gives for its status.

    Fails (as a list entry) when the spec documents no JSON answer for that status; an answer
    of another content type the spec documents for it (a page, a YAML document) passes
    unread, and so does a redirect the spec documents without a body, if it has a Location.
    """
    operation = control_operations()[(method, path)]
    documented = operation["responses"].get(str(response.status_code))
    if documented is None:
        return [f"{method} {path} documents no {response.status_code} answer"]
    content = resolve_ref(documented, control_document()).get("content", {})
    if not content and 300 <= response.status_code < 400:  # a redirect: its Location matters
        return [] if response.headers.get("Location") else [f"{method} {path}: no Location"]
    if response.mimetype != "application/json" and response.mimetype in content:
        return []
    if "application/json" not in content:
        return [f"{method} {path} {response.status_code} documents no JSON body"]
    if response.mimetype != "application/json":
        return [f"answer is {response.mimetype}, not application/json"]
    schema = content["application/json"]["schema"]
    validator = validator_for(schema, control=True)
    body = response.get_json()
    return [f"{list(e.instance_path)}: {e.message}" for e in validator.iter_errors(body)]


# ---------------------------------------------------------------------- apps and clocks
@contextmanager
def standalone_app(settings: Any = None, *, data_dir: Path, clock: Any = None) -> Iterator[Flask]:
    """An app closed afterwards. Without ``clock`` it is made *without* a clock argument, so
    it runs on its store's ``SharedClock`` (real time the control plane can advance and
    freeze)."""
    from wan_mock._http._app import close_app, create_app
    from wan_mock._service._settings import Settings

    settings = settings or Settings()
    if settings.data_dir is None:
        settings = dataclasses.replace(settings, data_dir=data_dir)
    app = create_app(settings) if clock is None else create_app(settings, clock=clock)
    try:
        yield app
    finally:
        close_app(app)


class FakeWallClock:
    """Stands in for the ``time`` module inside ``wan_mock._domain._clock``: a wall clock that
    only moves when told to, so a ``SharedClock`` can be tested without sleeping."""

    def __init__(self, start: float) -> None:
        self.now = start

    def time(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class FakeMonotonic:
    """A clock for rate limits (``create_app(rate_clock=...)``) that moves only when told to."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def key_id_of(api_key: str) -> str:
    """The key id the mock shows for a key, computed here independently of the mock."""
    return hashlib.sha256(api_key.encode()).hexdigest()[:16]


def model_limits(model: str) -> tuple[int, int]:
    """(submit requests per second, concurrently running tasks) of a model, from the spec."""
    rate = spec_document()["x-wan-models"][model]["rate_limit"]
    return int(rate["rps"]), int(rate["concurrent_tasks"])


# ---------------------------------------------------------------------- images and videos
def data_image(
    size: tuple[int, int], *, mode: str = "RGB", fmt: str = "PNG", mime: str | None = None
) -> str:
    """An image made with Pillow, as ``data:{mime};base64,…``."""
    colour: int | tuple[int, ...] = {"RGB": (200, 80, 40), "RGBA": (200, 80, 40, 128)}.get(
        mode, 100
    )
    buffer = io.BytesIO()
    Image.new(mode, size, colour).save(buffer, format=fmt)
    encoded = base64.b64encode(buffer.getvalue()).decode("ascii")
    return f"data:{mime or 'image/' + fmt.lower()};base64,{encoded}"


def image_bytes(size: tuple[int, int], fmt: str = "PNG") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (20, 120, 220)).save(buffer, format=fmt)
    return buffer.getvalue()


def relative_url(url: str) -> str:
    """Path and query of an absolute URL, for Flask's test client."""
    parts = urlsplit(url)
    return parts.path + ("?" + parts.query if parts.query else "")


@dataclass(frozen=True)
class Probe:
    """What a client would read from a downloaded video, decoded with PyAV."""

    container: str
    codec: str
    width: int
    height: int
    fps: Fraction
    frames: int
    keyframes: int


def probe_mp4(data: bytes) -> Probe:
    """Decode every frame of an MP4 held in memory."""
    with av.open(io.BytesIO(data), mode="r") as container:
        stream = container.streams.video[0]
        rate = stream.average_rate
        assert rate is not None
        frames = keyframes = 0
        for frame in container.decode(stream):
            frames += 1
            keyframes += int(frame.key_frame)
        return Probe(
            container=str(container.format.name),
            codec=str(stream.codec_context.name),
            width=int(stream.codec_context.width),
            height=int(stream.codec_context.height),
            fps=Fraction(rate),
            frames=frames,
            keyframes=keyframes,
        )


# ---------------------------------------------------------------------- uploads
@dataclass(frozen=True)
class Upload:
    """An upload made the way the official SDK makes it."""

    policy: dict[str, Any]
    key: str
    response: TestResponse

    @property
    def oss_url(self) -> str:
        return f"oss://{self.key}"


def upload_file(
    client: FlaskClient,
    *,
    model: str = "wan2.2-i2v-flash",
    name: str = "frame.png",
    data: bytes | None = None,
    api_key: str = "sk-test",
    signature: str | None = None,
    key: str | None = None,
) -> Upload:
    """``GET /uploads?action=getPolicy`` then the SDK's multipart POST to ``upload_host``."""
    answer = client.get(
        f"{API}/uploads",
        headers=auth(api_key),
        query_string={"action": "getPolicy", "model": model},
    )
    assert answer.status_code == 200, answer.get_data(as_text=True)
    policy = answer.get_json()["data"]
    target = urlsplit(policy["upload_host"])
    assert target.path == OSS_PATH, policy["upload_host"]
    object_key = key if key is not None else f"{policy['upload_dir']}/{name}"
    form = {
        "OSSAccessKeyId": policy["oss_access_key_id"],
        "Signature": policy["signature"] if signature is None else signature,
        "policy": policy["policy"],
        "key": object_key,
        "x-oss-object-acl": policy["x_oss_object_acl"],
        "x-oss-forbid-overwrite": policy["x_oss_forbid_overwrite"],
        "success_action_status": "200",
        "x-oss-content-type": "image/png",
        "file": (io.BytesIO(data if data is not None else image_bytes((600, 800))), name),
    }
    response = client.post(target.path, data=form, content_type="multipart/form-data")
    return Upload(policy=policy, key=object_key, response=response)
