"""An imaginary app that renders videos with the generated client (``wan_video_client``) and
downloads them with ``httpx``, resuming a broken download with ``Range``.

The app takes its clients as arguments — ``AuthenticatedClient(base_url=…, token=…)`` and an
``httpx.Client`` in production — and its ``sleep`` too, so the tests (``test_renders.py``) hand
it the in-process mock's ``client`` and ``http``, and ``wan_mock.advance`` as the sleep: the
mock's clock moves, the test never waits.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx

from wan_video_client import AuthenticatedClient
from wan_video_client.api.tasks import get_task
from wan_video_client.api.video_synthesis import create_video_synthesis_task
from wan_video_client.models import (
    ErrorResponse,
    TaskQueryResponse,
    TaskSubmitResponse,
    TextToVideoInput,
    TextToVideoParameters,
    TextToVideoRequest,
    TextToVideoRequestModel,
    VideoSize,
)
from wan_video_client.types import Unset

#: HTTP statuses a query may answer for a while (rate limits, a busy or unavailable service).
TRANSIENT = frozenset({429, 500, 502, 503, 504})


class RenderError(RuntimeError):
    """The service refused a request, or the task ended without a video."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


class TransientError(RenderError):
    """An answer worth retrying (``TRANSIENT``)."""


@dataclass(frozen=True)
class Render:
    task_id: str
    status: str  # PENDING, RUNNING or SUCCEEDED
    video_url: str | None = None

    @property
    def done(self) -> bool:
        return self.status == "SUCCEEDED"


def _error(status: int, parsed: object) -> RenderError:
    code = message = ""
    if isinstance(parsed, ErrorResponse):
        code = parsed.code if isinstance(parsed.code, str) else ""
        message = parsed.message if isinstance(parsed.message, str) else ""
    kind = TransientError if status in TRANSIENT else RenderError
    return kind(code or f"HTTP {status}", message)


def submit(client: AuthenticatedClient, prompt: str) -> str:
    """Start a render; its task id."""
    response = create_video_synthesis_task.sync_detailed(
        client=client,
        body=TextToVideoRequest(
            model=TextToVideoRequestModel.WAN2_2_T2V_PLUS,
            input_=TextToVideoInput(prompt=prompt),
            parameters=TextToVideoParameters(size=VideoSize.S832X480),
        ),
    )
    if not isinstance(response.parsed, TaskSubmitResponse):
        raise _error(response.status_code, response.parsed)
    return response.parsed.output.task_id


def check(client: AuthenticatedClient, task_id: str) -> Render:
    """One query of a render (``TransientError`` for an answer worth retrying)."""
    response = get_task.sync_detailed(task_id, client=client)
    if not isinstance(response.parsed, TaskQueryResponse):
        raise _error(response.status_code, response.parsed)
    output = response.parsed.output
    status = str(output.task_status)
    if status in ("PENDING", "RUNNING"):
        return Render(task_id, status)
    if status == "SUCCEEDED" and isinstance(output.video_url, str):
        return Render(task_id, status, output.video_url)
    code = output.code if not isinstance(output.code, Unset) else status
    raise RenderError(code, output.message if isinstance(output.message, str) else "")


def wait(
    client: AuthenticatedClient,
    task_id: str,
    *,
    interval: float = 5.0,
    max_polls: int = 200,
    sleep: Callable[[float], object] = time.sleep,
) -> Render:
    """Query every ``interval`` seconds until the render is done, retrying transient answers."""
    for _ in range(max_polls):
        try:
            render = check(client, task_id)
        except TransientError:
            pass
        else:
            if render.done:
                return render
        sleep(interval)
    raise RenderError("Timeout", f"task {task_id} was not done after {max_polls} polls")


def download(http: httpx.Client, url: str, dest: Path, *, max_failures: int = 3) -> int:
    """Save the video at ``url`` to ``dest``; a connection that breaks mid-body is resumed
    where it stopped (``Range``, with ``If-Range`` so the pieces are of one file). Gives up
    after ``max_failures`` attempts in a row that brought no byte. The number of bytes."""
    failures = 0
    etag: str | None = None
    with dest.open("wb") as out:
        while True:
            have = out.tell()
            headers = {"Range": f"bytes={have}-", "If-Range": etag} if have and etag else {}
            try:
                with http.stream("GET", url, headers=headers) as response:
                    response.raise_for_status()
                    if response.status_code == 200 and have:  # the file changed: start over
                        out.seek(0)
                        out.truncate()
                    etag = response.headers.get("ETag")
                    for chunk in response.iter_bytes():
                        out.write(chunk)
                return out.tell()
            except httpx.TransportError:
                failures = 0 if out.tell() > have else failures + 1
                if failures >= max_failures:
                    raise
