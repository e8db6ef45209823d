"""What ``wait()`` decides, without doing any I/O, so the sync and async clients share it.

A wait polls at once, then pauses on its :class:`~wan_video.PollSchedule`. Each polled task goes
to ``on_update``; a terminal one ends the wait (a video, or the matching
:class:`~wan_video.errors.TaskError`). A poll that failed for a reason worth retrying (a
retryable status, a lost connection) after the client's own retries is a poll without news: the
wait goes on, as the official SDK's does. Time is the longer of the wall clock and the pauses
taken (retries' included), so a test that passes the mock's ``advance`` as the sleep sees a
timeout in mock time.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypedDict

from ._policy import PollSchedule, RetryPolicy, idempotent
from ._tasks import SucceededTask, Task, TaskStatus
from .errors import MalformedResponse, TaskCanceled, TaskFailed, TaskUnknown, WaitTimeout, WanError

__all__ = ["WaitOptions", "Waiting", "video_of"]


class WaitOptions(TypedDict, total=False):
    """What ``wait()`` takes besides the task (both clients' ``wait``)."""

    #: Give up with :class:`~wan_video.errors.WaitTimeout` after this many seconds (``None``,
    #: the default: no limit).
    timeout: float | None
    #: Called with every polled task.
    on_update: Callable[[Task], object] | None
    #: The polls' schedule, instead of the client's ``poll``.
    poll: PollSchedule | None


def video_of(task: Task) -> SucceededTask | None:
    """A task's video when it succeeded, ``None`` while it is not done, else the
    :class:`~wan_video.errors.TaskError` of how it ended."""
    if isinstance(task, SucceededTask):
        return task
    if task.status == TaskStatus.FAILED:
        raise TaskFailed(task)
    if task.status == TaskStatus.CANCELED:
        raise TaskCanceled(task)
    if task.status == TaskStatus.UNKNOWN:
        raise TaskUnknown(task)
    if task.status == TaskStatus.SUCCEEDED:
        raise MalformedResponse(f"task {task.task_id} SUCCEEDED without a video_url", status=200)
    return None


class Waiting:
    def __init__(
        self,
        task_id: str,
        *,
        timeout: float | None,
        schedule: PollSchedule,
        retry: RetryPolicy,
        on_update: Callable[[Task], object] | None,
    ) -> None:
        self.task_id = task_id
        self.timeout = timeout
        self.retry = retry
        self.on_update = on_update
        self.last: Task | None = None
        self._intervals = schedule.intervals()
        self._started = time.monotonic()
        self._paused = 0.0
        self._retry_after = 0.0

    def charge(self, seconds: float) -> float:
        """Count a pause (a poll's or a retry's) towards the timeout; returns it."""
        self._paused += seconds
        return seconds

    def seen(self, task: Task) -> SucceededTask | None:
        """A polled task: the video when it succeeded, ``None`` while it is not done."""
        self.last = task
        self._retry_after = 0.0
        if self.on_update is not None:
            self.on_update(task)
        return video_of(task)

    def failed(self, error: WanError) -> None:
        """A poll that failed: re-raised unless it is worth polling again."""
        if not idempotent(self.retry, error):
            raise error
        self._retry_after = float(getattr(error, "retry_after", None) or 0.0)

    def pause(self) -> float:
        """The pause before the next poll, charged; :class:`WaitTimeout` once time is up."""
        pause = max(next(self._intervals), self._retry_after)
        if self.timeout is not None:
            elapsed = max(time.monotonic() - self._started, self._paused)
            left = self.timeout - elapsed
            if left <= 0:
                raise WaitTimeout(self.task_id, self.timeout, self.last)
            pause = min(pause, left)
        return self.charge(pause)
