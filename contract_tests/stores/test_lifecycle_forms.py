"""The lifecycle's rule in each store's language: ``status_at`` (Python), ``sql_status_is`` (run
in SQLite) and ``lua_status_is`` (run in the suite's real Valkey) say the same for every status,
for today's cancelable set and for others (another ``TRANSITIONS``), and each store's cancel
follows whatever ``CANCELABLE`` is when it is made — so a changed state machine cannot leave one
store silently disagreeing."""

from __future__ import annotations

import itertools
import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest

from contract_tests.support.valkey import SharedStore
from wan_mock._domain import _lifecycle
from wan_mock._domain._lifecycle import (
    CANCELABLE,
    NEVER,
    TRANSITIONS,
    cancelable_in,
    lua_status_is,
    sql_status_is,
    status_at,
)

if TYPE_CHECKING:
    from wan_mock._storage._interfaces import Store

#: The statuses a condition can be written for: those that do not depend on the outcome.
SCHEDULED = ("CANCELED", "PENDING", "RUNNING")
#: Another state machine: a running task may be canceled too.
CANCEL_WHILE_RUNNING = TRANSITIONS | {("RUNNING", "CANCELED")}
#: Every set a store may be asked to change a task from: today's, another machine's, and each
#: non-empty set of the statuses with a form.
STATUS_SETS = {
    "CANCELABLE": CANCELABLE,
    "cancelable-while-running": cancelable_in(CANCEL_WHILE_RUNNING),
    **{
        "+".join(chosen): frozenset(chosen)
        for size in range(1, len(SCHEDULED) + 1)
        for chosen in itertools.combinations(SCHEDULED, size)
    },
}

#: Schedules around the moments 1, 2 and 3 (NEVER: a task waiting for polls), with the edges.
STARTS_ENDS = [(1.0, 2.0), (1.0, 3.0), (1.0, NEVER), (2.0, 2.0), (2.0, 3.0), (2.0, NEVER)]
STARTS_ENDS.append((NEVER, NEVER))
CANCELS = (None, 0.5, 1.0, 2.0, 2.5, 3.0)
NOWS = (0.0, 1.0, 1.5, 2.0, 2.5, 3.0, 4.0)
OUTCOMES = ("SUCCEEDED", "FAILED")
#: (now, start_at, end_at, canceled_at, outcome)
CASES = [
    (now, start, end, canceled, outcome)
    for now in NOWS
    for start, end in STARTS_ENDS
    for canceled in CANCELS
    for outcome in OUTCOMES
]


def _status(case: tuple[float, float, float, float | None, str]) -> str:
    now, start, end, canceled, outcome = case
    return status_at(now, start_at=start, end_at=end, outcome=outcome, canceled_at=canceled)


def _in_sqlite(statuses: frozenset[str]) -> list[bool]:
    """Whether each case's task holds ``sql_status_is(statuses)``, asked of SQLite."""
    db = sqlite3.connect(":memory:")
    db.execute(
        "CREATE TABLE tasks (id INTEGER, at REAL, start_at REAL, end_at REAL, canceled_at REAL)"
    )
    db.executemany(
        "INSERT INTO tasks VALUES (?, ?, ?, ?, ?)",
        [(n, now, start, end, canceled) for n, (now, start, end, canceled, _) in enumerate(CASES)],
    )
    held: set[int] = set()
    for now in NOWS:
        rows = db.execute(
            f"SELECT id FROM tasks WHERE at = :now AND ({sql_status_is(statuses)})", {"now": now}
        )
        held |= {int(row[0]) for row in rows}
    db.close()
    return [n in held for n in range(len(CASES))]


#: Runs a condition over the locals ``lua_status_is`` names, for each case in ARGV (four apiece:
#: now, start, end, canceled or ''), as the store's scripts set them.
_LUA_CASES = """
local held = {}
for i = 1, #ARGV, 4 do
  local now = tonumber(ARGV[i])
  local start_at, end_at = tonumber(ARGV[i + 1]), tonumber(ARGV[i + 2])
  local canceled_at = tonumber(ARGV[i + 3])
  if (CONDITION) then held[#held + 1] = 1 else held[#held + 1] = 0 end
end
return held
"""


def _in_lua(redis_url: str, statuses: frozenset[str]) -> list[bool]:
    """Whether each case's task holds ``lua_status_is(statuses)``, asked of Valkey."""
    import redis

    script = _LUA_CASES.replace("CONDITION", lua_status_is(statuses))
    args: list[str] = []
    for now, start, end, canceled, _ in CASES:
        args += [repr(now), repr(start), repr(end), "" if canceled is None else repr(canceled)]
    with redis.Redis.from_url(redis_url) as server:
        held = server.eval(script, 0, *args)
    return [bool(flag) for flag in held]


def test_the_cases_reach_every_status() -> None:
    assert {_status(case) for case in CASES} == {*SCHEDULED, *OUTCOMES}


def test_the_cancelable_statuses_are_those_the_transitions_lead_to_canceled_from() -> None:
    assert cancelable_in(TRANSITIONS) == CANCELABLE == {"PENDING"}
    assert cancelable_in(CANCEL_WHILE_RUNNING) == {"PENDING", "RUNNING"}


@pytest.mark.parametrize("name", STATUS_SETS)
def test_status_at_the_sql_form_and_the_lua_form_agree(name: str, redis_url: str) -> None:
    statuses = STATUS_SETS[name]
    expected = [_status(case) in statuses for case in CASES]
    assert any(expected)
    assert not all(expected)
    assert _in_sqlite(statuses) == expected
    assert _in_lua(redis_url, statuses) == expected


@pytest.mark.parametrize("form", [sql_status_is, lua_status_is])
def test_a_status_the_schedule_alone_does_not_decide_has_no_form(
    form: Callable[[frozenset[str]], str],
) -> None:
    """SUCCEEDED and FAILED depend on the outcome, which no store's condition reads: a state
    machine that let a task change from one fails at once, not silently."""
    with pytest.raises(ValueError, match="SUCCEEDED"):
        form(frozenset({"PENDING", "SUCCEEDED"}))


NOW = 1_800_000_000.0
MODEL = "wan2.5-t2v-preview"


def _tasks(store: Store) -> list[str]:
    """Tasks whose statuses at NOW are every status, their schedules as submitted and as moved
    by polls (the Redis store keeps those in the task's state)."""
    from wan_mock._storage._records import TaskRecord

    def task(task_id: str, start: float, end: float, **more: object) -> None:
        record = TaskRecord(task_id, "key", MODEL, "t2v", "r", NOW - 20, start, end, "SUCCEEDED")
        for name, value in more.items():
            setattr(record, name, value)
        store.insert(record)

    task("pending", NOW + 5, NOW + 15)
    task("starts-now", NOW, NOW + 10)
    task("running", NOW - 5, NOW + 5)
    task("ends-now", NOW - 10, NOW)
    task("succeeded", NOW - 10, NOW - 5)
    task("failed", NOW - 10, NOW - 5, outcome="FAILED")
    task("canceled", NOW + 5, NOW + 15, canceled_at=NOW - 1)
    task("canceled-later", NOW + 5, NOW + 15, canceled_at=NOW + 1)
    task("waiting-for-polls", NEVER, NEVER)
    task("started-by-polls", NEVER, NEVER)
    store.progress("started-by-polls", start_at=NOW - 5, end_at=None)
    task("moved-by-polls", NEVER, NEVER)
    store.progress("moved-by-polls", start_at=NOW - 5, end_at=NOW + 5)
    task("ended-by-polls", NEVER, NEVER)
    store.progress("ended-by-polls", start_at=NOW - 10, end_at=NOW - 1)
    return [record.task_id for record in store.all_tasks()]


@pytest.mark.parametrize(
    "name", ["CANCELABLE", "cancelable-while-running", "RUNNING", "CANCELED+PENDING+RUNNING"]
)
def test_a_store_cancels_exactly_the_tasks_whose_status_may_move_to_canceled(
    name: str, shared_store: SharedStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On SQLite and on Valkey, a cancel at NOW wins for a task of every status exactly when
    its status at NOW is one of ``CANCELABLE`` — today's, or another a changed state machine
    would make."""
    cancelable = STATUS_SETS[name]
    monkeypatch.setattr(_lifecycle, "CANCELABLE", cancelable)
    store = shared_store.open()
    try:
        ids = _tasks(store)
        seen: set[str] = set()
        for task_id in ids:
            before = store.get(task_id)
            assert before is not None
            status = status_at(
                NOW,
                start_at=before.start_at,
                end_at=before.end_at,
                outcome=before.outcome,
                canceled_at=before.canceled_at,
            )
            seen.add(status)
            won = store.cancel(task_id, "key", NOW)
            assert won is (status in cancelable), (task_id, status)
            after = store.get(task_id)
            assert after is not None
            assert after.canceled_at == (NOW if won else before.canceled_at), task_id
            assert not store.cancel(task_id, "someone else", NOW)
    finally:
        store.close()
    assert seen == {*SCHEDULED, *OUTCOMES}
