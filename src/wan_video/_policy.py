"""How often ``wait()`` polls and how requests are retried.

The retry rule (README, "Python client"):

- task queries, the task list and cancel are retried on HTTP 429, 500, 502, 503 and 504 and on
  any connection error: asking twice changes nothing (a cancel that went through answers
  ``UnsupportedOperation`` the second time);
- a submit is retried only where no task can have been made: on 429 (the service refused it
  before making a task) and on connection errors before the request was sent (the connection
  could not be made); never on a 5xx or a connection lost mid-request, which may have left a
  task running;
- every retry waits ``Retry-After`` when the answer has one (a longer one than
  ``max_retry_after`` ends the retries: the error is raised), else an exponential backoff with
  jitter; at most ``attempts`` tries in all.

The retries run on tenacity; the sleep is injected so tests can pass the mock's clock.
"""

from __future__ import annotations

import email.utils
import random
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import tenacity

from .errors import APIConnectionError, APIError, DownloadError, IncompleteDownload, RateLimitError

__all__ = [
    "PollSchedule",
    "RetryPolicy",
    "async_retrying",
    "idempotent",
    "retry_after",
    "retrying",
    "submit_safe",
]

#: The statuses worth asking again.
RETRYABLE_STATUSES = frozenset({429, 500, 502, 503, 504})


@dataclass(frozen=True)
class PollSchedule:
    """The pauses between polls of ``wait()``: ``first`` seconds, multiplied by ``factor``
    after every ``every`` polls, up to ``maximum``. The default is the official SDK's schedule:
    1, 1, 2, 2, 2, 4, 4, 4, 5, 5… seconds. ``PollSchedule(first=5, factor=1)`` polls every 5 s."""

    first: float = 1.0
    factor: float = 2.0
    every: int = 3
    maximum: float = 5.0

    def intervals(self) -> Iterator[float]:
        pause, step = self.first, 0
        while True:
            step += 1
            if step % self.every == 0 and pause < self.maximum:
                pause = min(pause * self.factor, self.maximum)
            yield pause


@dataclass(frozen=True)
class RetryPolicy:
    """Bounded retries: ``attempts`` tries in all (1: no retry); backoff ``backoff`` doubled per
    retry up to ``max_backoff`` seconds, plus up to ``jitter`` seconds at random; a
    ``Retry-After`` up to ``max_retry_after`` seconds is waited for as it says."""

    attempts: int = 4
    backoff: float = 0.5
    max_backoff: float = 8.0
    jitter: float = 0.5
    max_retry_after: float = 60.0
    statuses: frozenset[int] = RETRYABLE_STATUSES

    def __post_init__(self) -> None:
        if self.attempts < 1:
            raise ValueError("RetryPolicy.attempts counts the first try: at least 1")

    def pause(self, retry: int, retry_after: float | None = None) -> float:
        """The pause before retry number ``retry`` (1 for the first): ``Retry-After`` when the
        answer gave one, else the backoff."""
        if retry_after is not None:
            return retry_after
        backoff = min(self.backoff * 2.0 ** (retry - 1), self.max_backoff)
        return backoff + random.uniform(0, self.jitter)

    def _wait(self, state: tenacity.RetryCallState) -> float:
        error = state.outcome.exception() if state.outcome else None
        return self.pause(state.attempt_number, getattr(error, "retry_after", None))

    def _honours(self, error: BaseException) -> bool:
        after = getattr(error, "retry_after", None)
        return after is None or after <= self.max_retry_after

    def _arguments(self, retry_if: Callable[[RetryPolicy, BaseException], bool]) -> dict[str, Any]:
        return {
            "stop": tenacity.stop_after_attempt(self.attempts),
            "wait": self._wait,
            "retry": tenacity.retry_if_exception(
                lambda error: self._honours(error) and retry_if(self, error)
            ),
            "reraise": True,
        }


def idempotent(policy: RetryPolicy, error: BaseException) -> bool:
    """Queries, the list, cancel and downloads: a retryable status or any connection trouble."""
    if isinstance(error, APIConnectionError | IncompleteDownload | httpx.TransportError):
        return True
    return isinstance(error, APIError | DownloadError) and error.status in policy.statuses


def submit_safe(policy: RetryPolicy, error: BaseException) -> bool:
    """Submits: only what cannot have made a task (429; a request that was never sent)."""
    if isinstance(error, RateLimitError):
        return error.status in policy.statuses
    return isinstance(error, APIConnectionError) and not error.sent


def retrying(
    policy: RetryPolicy,
    retry_if: Callable[[RetryPolicy, BaseException], bool],
    sleep: Callable[[float], object],
) -> tenacity.Retrying:
    def pause(seconds: float) -> None:
        sleep(seconds)

    return tenacity.Retrying(sleep=pause, **policy._arguments(retry_if))


def async_retrying(
    policy: RetryPolicy,
    retry_if: Callable[[RetryPolicy, BaseException], bool],
    sleep: Callable[[float], Awaitable[object]],
) -> tenacity.AsyncRetrying:
    async def pause(seconds: float) -> None:
        await sleep(seconds)

    return tenacity.AsyncRetrying(sleep=pause, **policy._arguments(retry_if))


def retry_after(headers: httpx.Headers) -> float | None:
    """``retry-after-ms`` or ``Retry-After`` (seconds or an HTTP date) in seconds."""
    if (millis := headers.get("retry-after-ms")) is not None:
        try:
            return max(0.0, float(millis) / 1000)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())
