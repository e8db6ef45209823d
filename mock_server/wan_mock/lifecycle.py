"""The task lifecycle, declared as data, and the timing that drives it.

A task's status is never stored as a moving value: the store keeps when it was submitted, when it
starts and ends, and whether it was canceled; the status at any moment is computed from those
times against the injected clock. That makes the lifecycle exact under a manual clock, identical
across worker processes, and impossible to move backwards.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from .settings import Profile
from .spec import ModelInfo

__all__ = [
    "ORDER",
    "TERMINAL",
    "TRANSITIONS",
    "Timing",
    "queued_start",
    "status_at",
    "timing_for",
]

Status = Literal["PENDING", "RUNNING", "SUCCEEDED", "FAILED", "CANCELED"]

TRANSITIONS: frozenset[tuple[str | None, str]] = frozenset(
    {
        (None, "PENDING"),
        ("PENDING", "RUNNING"),
        ("PENDING", "CANCELED"),
        ("RUNNING", "SUCCEEDED"),
        ("RUNNING", "FAILED"),
    }
)
TERMINAL: frozenset[str] = frozenset({"SUCCEEDED", "FAILED", "CANCELED"})
#: How far along each status is; a task's status never goes to a lower number.
ORDER: dict[str, int] = {"PENDING": 0, "RUNNING": 1, "SUCCEEDED": 2, "FAILED": 2, "CANCELED": 2}

#: Seconds a task waits and runs in the ``fast`` profile.
FAST_PENDING = 0.5
FAST_RUNNING = 1.0
#: Queueing time range (seconds) in the ``realistic`` profile.
REALISTIC_PENDING = (2.0, 10.0)


@dataclass(frozen=True)
class Timing:
    pending: float
    running: float


def _fraction(task_id: str, salt: str) -> float:
    """A stable number in [0, 1) from the task id, so timings are reproducible."""
    digest = hashlib.sha256(f"{salt}:{task_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def timing_for(profile: Profile, model: ModelInfo, task_id: str) -> Timing:
    """How long a task of this model waits and runs under a profile."""
    if profile == "fast":
        return Timing(FAST_PENDING, FAST_RUNNING)
    low, high = REALISTIC_PENDING
    pending = low + (high - low) * _fraction(task_id, "pending")
    low, high = model.processing_seconds
    running = low + (high - low) * _fraction(task_id, "running")
    return Timing(pending, running)


def status_at(
    now: float,
    *,
    start_at: float,
    end_at: float,
    outcome: str,
    canceled_at: float | None,
) -> str:
    """The status of a task at ``now`` from its schedule."""
    if canceled_at is not None and now >= canceled_at:
        return "CANCELED"
    if now < start_at:
        return "PENDING"
    if now < end_at:
        return "RUNNING"
    return outcome


def queued_start(
    desired: float, running: float, busy: Sequence[tuple[float, float]], limit: int
) -> float:
    """The earliest start at or after ``desired`` that keeps at most ``limit`` tasks running.

    ``busy`` holds the (start, end) of the tasks already scheduled for the same key and model.
    A task that has to wait for a slot simply stays PENDING longer, as the real service queues
    work beyond its concurrency limit.
    """

    def running_at(moment: float) -> int:
        return sum(1 for start, end in busy if start <= moment < end)

    def fits(start: float) -> bool:
        points = [start] + [s for s, _ in busy if start < s < start + running]
        return all(running_at(point) < limit for point in points)

    candidates = sorted({desired, *(end for _, end in busy if end > desired)})
    for candidate in candidates:
        if fits(candidate):
            return candidate
    return max(end for _, end in busy)
