"""What the rest of the mock asks of a store, in the parts its users need: the tasks
(:class:`Tasks`), the scenario queue (:class:`ScenarioQueue`), the journal's rows
(:class:`JournalRows`), the rate counters (``_domain._rate_limits.SharedCounts``) and the meta
values (``_domain._clock.MetaValues``) — those two are declared where their users live, in the
layer below, which cannot import this one. :class:`ApiStore` is what the API's operations use,
:class:`Store` all of it. ``SqliteStore`` and ``RedisStore`` implement :class:`Store`;
``open_store`` picks one.

Every write that depends on the current state is one atomic operation of the store (in
SQLite a conditional statement or one transaction; on Redis a Lua script, or a ``WATCH``
transaction), so workers and hosts sharing a store cannot race a task into a state the
lifecycle does not have.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol, TypeAlias

from .._domain._clock import MetaValues
from .._domain._rate_limits import SharedCounts
from ._records import Schedule, TaskRecord

__all__ = [
    "ApiStore",
    "JournalRows",
    "ScenarioQueue",
    "Scheduler",
    "StatusOf",
    "Store",
    "TaskFilter",
    "Tasks",
]

#: What may move a new task's times before it is written, seeing the (start, end) of the key's
#: unfinished tasks of its model (``Tasks.insert``).
Scheduler: TypeAlias = Callable[[list[tuple[float, float]]], None]
#: A task's status, from its schedule (a whole record has one too).
StatusOf: TypeAlias = Callable[[Schedule | TaskRecord], str]


@dataclass(frozen=True)
class TaskFilter:
    """Which tasks a list asks for (``Tasks.find_page``): the key's (every key's for None)
    submitted in [since, until], only those with ``status``, ``model`` and ``task_id`` when
    given; the page of ``limit`` from ``offset``, newest first."""

    key_id: str | None
    since: float = float("-inf")
    until: float = float("inf")
    status: str | None = None
    model: str | None = None
    task_id: str | None = None
    offset: int = 0
    limit: int = 10


class Tasks(Protocol):
    """The tasks: each written once at its submit, then changed only by the conditional
    writes below (a cancel, the poll-driven start and end, the counts)."""

    def insert(
        self, record: TaskRecord, schedule: Scheduler | None = None, *, with_busy: bool = True
    ) -> None:
        """Store a new task. ``schedule``, when given, sees the (start, end) of the same key's
        unfinished tasks of that model (or nothing, without ``with_busy``) and may move the
        record's times before it is written, atomically with the write, so that workers and
        hosts queueing together never overbook."""
        ...

    def get(self, task_id: str) -> TaskRecord | None: ...

    def peek(self, task_id: str) -> TaskRecord | None:
        """The task as ``get`` has it, except that its counts of polls and downloads may be
        left out (0): for answers that do not depend on them, where a store can answer
        without a round trip."""
        ...

    def query(self, task_id: str, key_id: str) -> TaskRecord | None:
        """The key's task, counted at once as one more query of it (for a task whose answers
        depend on the count)."""
        ...

    def progress(self, task_id: str, *, start_at: float, end_at: float | None) -> None:
        """Move a task that waits for polls: it starts at ``start_at`` (unless it has started)
        and, with ``end_at``, ends then (unless it has ended); never backwards."""
        ...

    def count_download(self, task_id: str) -> int:
        """Count a download of the task's result; how many there were before this one."""
        ...

    def cancel(self, task_id: str, key_id: str, now: float) -> bool:
        """Mark the key's task canceled at ``now`` if its status at ``now`` may move to
        CANCELED (``lifecycle.CANCELABLE``), in one conditional write; whether it did."""
        ...

    def find_page(
        self, wanted: TaskFilter, status_of: StatusOf
    ) -> tuple[int, list[tuple[TaskRecord, str]]]:
        """The page of the tasks ``wanted`` (newest first, ties by id), each with its status
        (``status_of``), and how many match in all."""
        ...

    def all_tasks(self) -> list[TaskRecord]: ...


class ScenarioQueue(Protocol):
    """Scenarios queued through the control plane for the next submits of a key (or of any
    key: ``ANY_KEY``), oldest first."""

    def push_scenario(self, key_id: str, scenario: str) -> None: ...

    def next_scenario(self, key_id: str) -> tuple[int, str] | None:
        """The oldest scenario queued for the key or for any key, as (id, directives), left in
        the queue."""
        ...

    def consume_scenario(self, scenario_id: int) -> None: ...

    def scenarios(self, key_id: str | None = None) -> list[tuple[str, str]]: ...


class JournalRows(Protocol):
    """The journal's rows (``JOURNAL_FIELDS``), newest kept, and the polls written with them."""

    def journal_add_many(
        self, entries: list[dict[str, Any]], limit: int, *, polls: Mapping[str, int] | None = None
    ) -> None:
        """Append entries keeping only the newest ``limit``, and add ``polls`` (task id ->
        queries) to the counts of the tasks still stored, in one write."""
        ...

    def journal(
        self, *, operation: str | None, task_id: str | None, limit: int, max_entries: int | None
    ) -> list[dict[str, Any]]:
        """At most ``limit`` journal entries, newest first, of the newest ``max_entries`` (all
        for None), by operation id and task id when given."""
        ...


class ApiStore(Tasks, ScenarioQueue, SharedCounts, Protocol):
    """What the API's operations use: the tasks, the scenario queue, the rate counters
    (counted in the store when ``shared``) and the URL-signing secret."""

    @property
    def shared(self) -> bool:
        """Whether other processes or hosts use the same store (their rate limits then count
        together in it)."""
        ...

    def secret(self) -> str:
        """The secret result URLs are signed with, the same for every worker and host on the
        store (made by whoever asks first)."""
        ...


class Store(ApiStore, MetaValues, JournalRows, Protocol):
    """All a store keeps: what the API uses, the meta values (the clock's state, the secret),
    the journal; named for people by ``location`` (health, the banner)."""

    @property
    def location(self) -> str: ...

    def clear(self) -> None:
        """Forget every task, queued scenario and journal entry (the meta values stay)."""
        ...

    def close(self) -> None: ...
