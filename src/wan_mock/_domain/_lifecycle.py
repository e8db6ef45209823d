"""The task lifecycle, declared as data, and the timing that drives it.

A task's status is never stored as a moving value: the store keeps when it was submitted, when it
starts and ends, and whether it was canceled; the status at any moment is computed from those
times against the injected clock (:func:`status_at`). That makes the lifecycle exact under a
manual clock, identical across worker processes, and impossible to move backwards.

:data:`TRANSITIONS` is the state machine: the only change a caller can make is to cancel, and
only from the statuses that lead to CANCELED (:data:`CANCELABLE`: PENDING). A store changes a
task only in one conditional write whose condition is the status at the moment of the write,
in the store's own language: :func:`sql_status_is` (SQLite) and :func:`lua_status_is` (the Redis
store's scripts), both written from one table of :func:`status_at`'s tests (``_TESTS``). A test
(``contract_tests/stores/test_lifecycle_forms.py``) holds the three to each other for every
status, and for other cancelable sets than today's.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final, Literal, NamedTuple, cast

if TYPE_CHECKING:
    from .._spec._documents import ModelInfo

__all__ = [
    "CANCELABLE",
    "CANCELED",
    "FAILED",
    "FAST_PENDING",
    "FAST_RUNNING",
    "NEVER",
    "ORDER",
    "PENDING",
    "PROFILES",
    "REALISTIC_PENDING",
    "RUNNING",
    "STATUSES",
    "SUCCEEDED",
    "TERMINAL",
    "TRANSITIONS",
    "UNKNOWN",
    "Profile",
    "Status",
    "Timing",
    "cancelable_in",
    "lua_status_is",
    "queued_start",
    "sql_status_is",
    "status_at",
    "timing_for",
]

#: How long a task spends PENDING and RUNNING: seconds (``fast``) or minutes (``realistic``).
Profile = Literal["fast", "realistic"]
PROFILES: tuple[Profile, ...] = ("fast", "realistic")

#: The status of a stored task: the mock's vocabulary of statuses, defined here once (the control
#: plane's ``TaskStatus``; the API's adds :data:`UNKNOWN`; a test holds both specs to it).
Status = Literal["PENDING", "RUNNING", "SUCCEEDED", "FAILED", "CANCELED"]
PENDING: Final = "PENDING"
RUNNING: Final = "RUNNING"
SUCCEEDED: Final = "SUCCEEDED"
FAILED: Final = "FAILED"
CANCELED: Final = "CANCELED"
#: Every :data:`Status`, in lifecycle order (mypy checks each is one).
STATUSES: tuple[Status, ...] = (PENDING, RUNNING, SUCCEEDED, FAILED, CANCELED)
#: What the API answers for a task it does not know (another key's, or past its time to live):
#: never the status of a stored task.
UNKNOWN: Final = "UNKNOWN"

TRANSITIONS: frozenset[tuple[str | None, str]] = frozenset(
    {
        (None, PENDING),
        (PENDING, RUNNING),
        (PENDING, CANCELED),
        (RUNNING, SUCCEEDED),
        (RUNNING, FAILED),
    }
)
#: The statuses a task never leaves: those with no transition out.
TERMINAL: frozenset[str] = frozenset(after for _, after in TRANSITIONS) - frozenset(
    before for before, _ in TRANSITIONS
)


def cancelable_in(transitions: Iterable[tuple[str | None, str]]) -> frozenset[str]:
    """The statuses a task can be canceled from in a state machine: those with a transition to
    CANCELED."""
    return frozenset(
        before for before, after in transitions if after == CANCELED and before is not None
    )


#: The statuses a task can be canceled from (in :data:`TRANSITIONS`).
CANCELABLE: frozenset[str] = cancelable_in(TRANSITIONS)
#: How far along each status is; a task's status never goes to a lower number.
ORDER: dict[str, int] = {PENDING: 0, RUNNING: 1, **dict.fromkeys(TERMINAL, 2)}

#: A moment that never comes: the start and end of a task that progresses by polls until its
#: queries move it (``Backend.query``).
NEVER = 2.0**62

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
) -> Status:
    """The status of a task at ``now`` from its schedule. (``_TESTS`` below are these tests
    as data, which the stores' forms are written from.)"""
    if canceled_at is not None and now >= canceled_at:
        return CANCELED
    if now < start_at:
        return PENDING
    if now < end_at:
        return RUNNING
    return cast(Status, outcome)


#: :func:`status_at`'s tests in its order: a task has the first status whose test holds at
#: ``now`` (its outcome when none does). Each test compares two of ``now``, ``start_at``,
#: ``end_at`` and ``canceled_at`` (which holds only when the task has one). The one source of
#: the SQL and Lua forms; a test holds it to :func:`status_at`.
_TESTS: tuple[tuple[str, tuple[str, str, str]], ...] = (
    (CANCELED, ("canceled_at", "<=", "now")),
    (PENDING, ("now", "<", "start_at")),
    (RUNNING, ("now", "<", "end_at")),
)
#: The moment a task may not have (None in a record, NULL in SQL, nil in Lua).
_OPTIONAL = "canceled_at"


class _Language(NamedTuple):
    """How a condition is written in a store's language."""

    now: str
    is_set: str
    and_: str
    or_: str
    not_: str


_SQL = _Language(now=":now", is_set="{} IS NOT NULL", and_=" AND ", or_=" OR ", not_="NOT ")
_LUA = _Language(now="now", is_set="{} ~= nil", and_=" and ", or_=" or ", not_="not ")


def _status_is(language: _Language, statuses: frozenset[str]) -> str:
    """The condition that a task's status at ``now`` is one of ``statuses``: for each, the tests
    before its own fail and its own holds."""
    forms = dict(_TESTS)
    if not statuses <= forms.keys():
        raise ValueError(f"no form of status_at for {sorted(statuses - forms.keys())}")

    def written(test: tuple[str, str, str]) -> str:
        text = " ".join(language.now if name == "now" else name for name in test)
        if _OPTIONAL in test:
            text = language.is_set.format(_OPTIONAL) + language.and_ + text
        return f"({text})"

    conditions = []
    for status in sorted(statuses):
        parts = []
        for earlier, test in _TESTS:
            if earlier == status:
                parts.append(written(test))
                break
            parts.append(language.not_ + written(test))
        conditions.append("(" + language.and_.join(parts) + ")")
    return language.or_.join(conditions)


def sql_status_is(statuses: frozenset[str]) -> str:
    """A SQL condition: the task's status at ``:now``, from its columns ``start_at``, ``end_at``
    and ``canceled_at`` (NULL when not canceled), is one of ``statuses`` (the statuses a change
    is allowed from, e.g. :data:`CANCELABLE`)."""
    return _status_is(_SQL, statuses)


def lua_status_is(statuses: frozenset[str]) -> str:
    """A Lua condition: the task's status at ``now``, from the locals ``start_at``, ``end_at``
    and ``canceled_at`` (numbers; ``canceled_at`` nil when not canceled), is one of ``statuses``
    (the statuses a change is allowed from, e.g. :data:`CANCELABLE`)."""
    return _status_is(_LUA, statuses)


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
