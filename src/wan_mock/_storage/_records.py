"""What a store keeps, whichever store it is: a task's record (``TaskRecord``), the schedule its
status is computed from (``Schedule``), the fields of a journal entry and the key id of scenarios
queued for any key. Both stores (``_sqlite``, ``_redis``) write and read these same shapes, so
that the rest of the mock never knows which one it has.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any, NamedTuple

from .._spec._codec import dumps

__all__ = [
    "ANY_KEY",
    "COLUMNS",
    "JOURNAL_FIELDS",
    "Schedule",
    "TaskRecord",
    "journal_entry",
]

#: The key id of scenarios queued for the next submits of any key.
ANY_KEY = "*"

JOURNAL_FIELDS = (
    "at",
    "operation",
    "key_id",
    "status",
    "code",
    "message",
    "task_id",
    "task_status",
    "injected",
)


def journal_entry(entry: Mapping[str, Any]) -> dict[str, Any]:
    """A journal entry as a store keeps and returns it: every field of :data:`JOURNAL_FIELDS`
    (None when not given) and ``injected`` a bool (SQLite keeps it as 0 or 1)."""
    return {
        name: bool(entry.get(name)) if name == "injected" else entry.get(name)
        for name in JOURNAL_FIELDS
    }


class Schedule(NamedTuple):
    """What a task's status at any moment is computed from (``lifecycle.status_at``)."""

    submitted_at: float
    start_at: float
    end_at: float
    canceled_at: float | None
    outcome: str


@dataclass
class TaskRecord:
    """Everything the mock keeps about one task."""

    task_id: str
    key_id: str
    model: str
    kind: str
    request_id: str
    submitted_at: float
    start_at: float
    end_at: float
    outcome: str
    code: str | None = None
    message: str | None = None
    canceled_at: float | None = None
    orig_prompt: str | None = None
    actual_prompt: str | None = None
    usage: dict[str, Any] | None = None
    video: tuple[int, int, int] | None = None
    request: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    #: What the task's scenario asks after the submit (``Scenario.task_fields``).
    scenario: dict[str, Any] = field(default_factory=dict)
    #: The request schema the body was validated against (e.g. ``TextToVideoRequest``).
    variant: str = ""
    #: The scenario's directives as written, when the task had one.
    scenario_text: str | None = None
    #: The body as the client sent it, when it differs from ``request`` (the body the task
    #: used: nulls dropped, the rule table's ignored and cut fields applied).
    received: dict[str, Any] | None = None
    #: How many times its owner queried it, and how many times its result was downloaded.
    polls: int = 0
    downloads: int = 0

    def rest_text(self) -> str:
        """The fields that are not :data:`COLUMNS`, as the JSON text a store keeps them in."""
        return dumps({name: getattr(self, name) for name in _REST}).decode("utf-8")

    @staticmethod
    def rest_of(text: str) -> dict[str, Any]:
        """The fields ``rest_text`` wrote, as ``TaskRecord`` takes them."""
        rest: dict[str, Any] = json.loads(text)
        if rest.get("video") is not None:
            rest["video"] = tuple(rest["video"])
        return rest


#: The fields a store keeps each on its own, apart from the record's JSON text: who the task is
#: and whose, its schedule (what lists filter on and progress changes) and its counts (SQLite's
#: columns; the Redis record's first line, state and counters).
COLUMNS = (
    "task_id",
    "key_id",
    "model",
    "submitted_at",
    "start_at",
    "end_at",
    "canceled_at",
    "polls",
    "downloads",
)
_REST = tuple(f.name for f in fields(TaskRecord) if f.name not in COLUMNS and f.init)
