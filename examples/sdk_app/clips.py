"""An imaginary app that turns a prompt into a video clip with the official ``dashscope`` SDK.

Nothing here knows about the mock: the SDK reads its endpoint and key from
``dashscope.base_http_api_url`` / ``DASHSCOPE_HTTP_BASE_URL`` and ``DASHSCOPE_API_KEY`` as it
does in production, and the tests (``test_clips.py``) point them at ``wan-mock serve``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from dashscope import VideoSynthesis
from dashscope.aigc.video_synthesis import AioVideoSynthesis
from dashscope.api_entities.aio_session import close_shared_aio_session

MODEL = "wan2.2-t2v-plus"
SIZE = "832*480"


class ClipError(RuntimeError):
    """The service refused the request or the task failed; ``code`` is DashScope's code."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


@dataclass(frozen=True)
class ClipStatus:
    task_id: str
    status: str  # PENDING, RUNNING, SUCCEEDED (FAILED and the others raise ClipError)
    video_url: str | None


def _checked(response: Any) -> Any:
    """The response's ``output`` once the HTTP answer and the task are both fine."""
    if response.status_code != HTTPStatus.OK:
        raise ClipError(str(response.code), str(response.message))
    output = response.output
    if output.task_status in ("FAILED", "CANCELED", "UNKNOWN"):
        raise ClipError(str(output.code or output.task_status), str(output.message or ""))
    return output


def start_clip(prompt: str, *, api_key: str | None = None) -> str:
    """Submit a render and return its task id at once."""
    response = VideoSynthesis.async_call(model=MODEL, prompt=prompt, size=SIZE, api_key=api_key)
    return str(_checked(response).task_id)


def clip_status(task_id: str, *, api_key: str | None = None) -> ClipStatus:
    """One look at a render (for a progress bar): no waiting."""
    output = _checked(VideoSynthesis.fetch(task_id, api_key=api_key))
    return ClipStatus(task_id, str(output.task_status), output.video_url)


def finish_clip(task_id: str, *, api_key: str | None = None) -> str:
    """Wait for a render (the SDK polls, and retries 503 and 504 answers); its video URL."""
    output = _checked(VideoSynthesis.wait(task_id, api_key=api_key))
    return str(output.video_url)


def make_clip(prompt: str, *, api_key: str | None = None) -> str:
    """Submit, wait, and return the URL of the finished MP4."""
    return finish_clip(start_clip(prompt, api_key=api_key), api_key=api_key)


async def make_clip_async(prompt: str, *, api_key: str | None = None) -> str:
    """``make_clip`` for asyncio code (``AioVideoSynthesis.call`` submits and waits)."""
    response = await AioVideoSynthesis.call(
        model=MODEL,
        prompt=prompt,
        size=SIZE,
        api_key=api_key,  # type: ignore[arg-type]  # None (its default) is missing in the hint
    )
    output = _checked(response)
    return str(output.video_url)


async def make_clips(prompts: Iterable[str], *, api_key: str | None = None) -> list[str]:
    """Render several prompts concurrently; closes the SDK's shared aiohttp session after."""
    try:
        return list(await asyncio.gather(*(make_clip_async(p, api_key=api_key) for p in prompts)))
    finally:
        await close_shared_aio_session()
