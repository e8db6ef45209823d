"""The store in SQLite (``SqliteStore``): through the standard library, in memory for one
process or in a file shared by the workers of a server. It implements ``_interfaces.Store``;
``_opening.open_store`` opens it.

One table holds a task's schedule in indexed columns (what queries filter on) and the rest of its
record as JSON. Writes that depend on the current state (cancel) are single conditional UPDATEs,
so several worker processes on one file cannot race each other into an impossible state.

Durability is that of the processes, not of the machine: a committed task survives any kill of
the server (SQLite has handed it to the operating system), but writes are not flushed to the disk
(``synchronous=OFF``), which a mock does not need and which would cost a disk flush at every WAL
checkpoint. Writers of one file take an advisory lock (``<store>.lock``) before SQLite's own: a
waiting writer is woken the moment the lock is free, where SQLite's busy handler would sleep
for milliseconds.
"""

from __future__ import annotations

import mmap
import os
import secrets
import sqlite3
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .._domain import _lifecycle
from .._domain._lifecycle import NEVER, sql_status_is
from ._interfaces import Scheduler, StatusOf, TaskFilter
from ._records import ANY_KEY, COLUMNS, JOURNAL_FIELDS, Schedule, TaskRecord, journal_entry

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX: SQLite's busy handler serialises writers
    fcntl = None  # type: ignore[assignment]

__all__ = ["SqliteStore"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS tasks (
    task_id TEXT PRIMARY KEY,
    key_id TEXT NOT NULL,
    model TEXT NOT NULL,
    submitted_at REAL NOT NULL,
    start_at REAL NOT NULL,
    end_at REAL NOT NULL,
    canceled_at REAL,
    record TEXT NOT NULL,
    polls INTEGER NOT NULL DEFAULT 0,
    downloads INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS tasks_by_key_time ON tasks (key_id, submitted_at);
CREATE INDEX IF NOT EXISTS tasks_by_key_model_end ON tasks (key_id, model, end_at);
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS rate_hits (bucket TEXT NOT NULL, at REAL NOT NULL);
CREATE INDEX IF NOT EXISTS rate_hits_by_bucket ON rate_hits (bucket, at);
CREATE TABLE IF NOT EXISTS scenarios (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    key_id TEXT NOT NULL,
    scenario TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS journal (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at REAL NOT NULL,
    operation TEXT NOT NULL,
    key_id TEXT,
    status INTEGER NOT NULL,
    code TEXT,
    message TEXT,
    task_id TEXT,
    task_status TEXT,
    injected INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS journal_by_task ON journal (task_id);
"""
_INSERT = (
    f"INSERT INTO tasks ({', '.join(COLUMNS)}, record) "
    f"VALUES ({', '.join('?' for _ in COLUMNS)}, ?)"
)
#: Columns later versions added: a store file written before them gains them.
_ADDED_COLUMNS = {
    ("tasks", "polls"): "INTEGER NOT NULL DEFAULT 0",
    ("tasks", "downloads"): "INTEGER NOT NULL DEFAULT 0",
    ("journal", "injected"): "INTEGER NOT NULL DEFAULT 0",
}


def _equal(**columns: Any) -> tuple[str, list[Any]]:
    """`` AND <column> = ?`` for each column given a value (None: any), and those values."""
    given = {name: value for name, value in columns.items() if value is not None}
    return "".join(f" AND {name} = ?" for name in given), list(given.values())


def _row_of(record: TaskRecord) -> tuple[Any, ...]:
    """A task as ``_INSERT`` writes it: its :data:`COLUMNS`, then the rest as JSON text."""
    return (*(getattr(record, name) for name in COLUMNS), record.rest_text())


def _record_of(row: sqlite3.Row) -> TaskRecord:
    """The task of a row of ``tasks``."""
    return TaskRecord(**{name: row[name] for name in COLUMNS}, **TaskRecord.rest_of(row["record"]))


class _ChangeCounter:
    """How many times the control state (meta rows such as the clock, queued scenarios) has
    changed, as every process on one store sees it, so each can keep what it read until the next
    change instead of querying on every request.

    In memory it is a number; on a file, 8 bytes of the store's lock file mapped into memory
    (read without a system call). ``value`` None means there is no counter: read every time.
    """

    def __init__(self, lock_fd: int | None, *, shared: bool) -> None:
        self._map: mmap.mmap | None = None
        self._local: int | None = None if shared else 0
        if shared and lock_fd is not None:
            if os.fstat(lock_fd).st_size < 8:
                os.ftruncate(lock_fd, 8)
            self._map = mmap.mmap(lock_fd, 8)

    def value(self) -> int | None:
        if self._map is not None:
            return int.from_bytes(self._map[:8], "little")
        return self._local

    def bump(self) -> None:
        """Count a committed change (called by the writer, under the store's write lock)."""
        if self._map is not None:
            following = (int.from_bytes(self._map[:8], "little") + 1) % 2**64
            self._map[:8] = following.to_bytes(8, "little")
        elif self._local is not None:
            self._local += 1

    def close(self) -> None:
        if self._map is not None:
            self._map.close()
            self._map = None


class SqliteStore:
    """Tasks in SQLite (WAL when on a file). Thread-safe; one instance per app."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        #: The lifecycle's cancel rule (``_lifecycle.CANCELABLE`` when the store is made).
        self._cancel = (
            "UPDATE tasks SET canceled_at = :now WHERE task_id = :task_id AND key_id = :key_id "
            f"AND ({sql_status_is(_lifecycle.CANCELABLE)})"
        )
        #: Several processes share a file store (their rate limits count in it).
        self.shared = path is not None
        self.location = ":memory:" if path is None else str(path)
        target = ":memory:" if path is None else str(path)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        self._db = sqlite3.connect(
            target, check_same_thread=False, isolation_level=None, timeout=30.0
        )
        self._db.row_factory = sqlite3.Row
        self._writer_lock: int | None = None
        if path is not None and fcntl is not None:
            self._writer_lock = os.open(f"{path}.lock", os.O_RDWR | os.O_CREAT, 0o600)
        self._changes = _ChangeCounter(self._writer_lock, shared=path is not None)
        #: name -> (change count when read, value); the table was empty at this change count.
        self._meta: dict[str, tuple[int, str | None]] = {}
        self._no_scenarios_at: int | None = None
        with self._lock:
            self._db.execute("PRAGMA busy_timeout=30000")
            if path is not None:
                self._db.execute("PRAGMA synchronous=OFF")
            # Workers starting together on a new file would race to switch it to WAL (which
            # SQLite refuses with "database is locked" rather than waiting): one at a time.
            if self._writer_lock is not None:
                fcntl.flock(self._writer_lock, fcntl.LOCK_EX)
            try:
                if path is not None:
                    self._db.execute("PRAGMA journal_mode=WAL")
                self._db.executescript(_SCHEMA)
                for (table, column), kind in _ADDED_COLUMNS.items():
                    present = self._db.execute(f"PRAGMA table_info({table})").fetchall()
                    if column not in {row["name"] for row in present}:
                        self._db.execute(f"ALTER TABLE {table} ADD COLUMN {column} {kind}")
            finally:
                if self._writer_lock is not None:
                    fcntl.flock(self._writer_lock, fcntl.LOCK_UN)

    @contextmanager
    def _transaction(
        self, *, control: bool = False, single: bool = False
    ) -> Iterator[sqlite3.Connection]:
        """A write transaction; ``control`` when it changes meta rows or scenarios (the change
        is counted after the commit, so whoever sees the new count reads the new state);
        ``single`` for one statement that changes no control state."""
        with self._lock:
            if self._writer_lock is not None:
                fcntl.flock(self._writer_lock, fcntl.LOCK_EX)
            try:
                if single:  # one statement is a transaction of its own (autocommit)
                    yield self._db
                    return
                self._db.execute("BEGIN IMMEDIATE")
                try:
                    yield self._db
                except BaseException:
                    self._db.execute("ROLLBACK")
                    raise
                else:
                    self._db.execute("COMMIT")
                    if control:
                        self._changes.bump()
            finally:
                if self._writer_lock is not None:
                    fcntl.flock(self._writer_lock, fcntl.LOCK_UN)

    def close(self) -> None:
        with self._lock:
            self._db.close()
            self._changes.close()
            if self._writer_lock is not None:
                os.close(self._writer_lock)
                self._writer_lock = None

    def insert(
        self, record: TaskRecord, schedule: Scheduler | None = None, *, with_busy: bool = True
    ) -> None:
        """Store a new task. ``schedule``, when given, sees the (start, end) of the same key's
        unfinished tasks of that model (or nothing, without ``with_busy``) and may move the
        record's times before it is written — in the same transaction, so concurrent workers
        queue tasks consistently."""
        if schedule is None or not with_busy:
            if schedule is not None:
                schedule([])
            with self._transaction(single=True) as db:
                db.execute(_INSERT, _row_of(record))
            return
        with self._transaction() as db:
            rows = db.execute(
                "SELECT start_at, end_at FROM tasks WHERE key_id = ? AND model = ? "
                "AND canceled_at IS NULL AND end_at > ? AND end_at < ?",
                (record.key_id, record.model, record.submitted_at, NEVER),
            ).fetchall()
            schedule([(float(r["start_at"]), float(r["end_at"])) for r in rows])
            db.execute(_INSERT, _row_of(record))

    def get(self, task_id: str) -> TaskRecord | None:
        with self._lock:
            row = self._db.execute("SELECT * FROM tasks WHERE task_id = ?", (task_id,)).fetchone()
        return None if row is None else _record_of(row)

    def peek(self, task_id: str) -> TaskRecord | None:
        return self.get(task_id)  # a read here costs what it costs with the counts

    def query(self, task_id: str, key_id: str) -> TaskRecord | None:
        """The key's task, counted as one more query of it at once (one statement: the count of
        workers querying together is exact), for a task whose answers depend on it."""
        with self._transaction(single=True) as db:
            row = db.execute(
                "UPDATE tasks SET polls = polls + 1 WHERE task_id = ? AND key_id = ? RETURNING *",
                (task_id, key_id),
            ).fetchone()
        return None if row is None else _record_of(row)

    def progress(self, task_id: str, *, start_at: float, end_at: float | None) -> None:
        """Move a task that waits for polls: it starts at ``start_at`` (unless it has started)
        and, with ``end_at``, ends then (unless it has ended); never backwards."""
        with self._transaction(single=True) as db:
            db.execute(
                "UPDATE tasks SET "
                "start_at = CASE WHEN start_at >= :never THEN :start ELSE start_at END, "
                "end_at = CASE WHEN :end IS NOT NULL AND end_at >= :never THEN :end "
                "ELSE end_at END WHERE task_id = :task_id",
                {"never": NEVER, "start": start_at, "end": end_at, "task_id": task_id},
            )

    def count_download(self, task_id: str) -> int:
        """Count a download of the task's result; how many there were before this one."""
        with self._transaction(single=True) as db:
            row = db.execute(
                "UPDATE tasks SET downloads = downloads + 1 WHERE task_id = ? RETURNING downloads",
                (task_id,),
            ).fetchone()
        return 0 if row is None else int(row[0]) - 1

    def cancel(self, task_id: str, key_id: str, now: float) -> bool:
        """Mark the task canceled at ``now`` if it belongs to the key and its status at ``now``
        may move to CANCELED (``lifecycle.CANCELABLE``), in one conditional write: two workers
        racing on it cannot both win, nor cancel a task that has moved on meanwhile."""
        with self._transaction(single=True) as db:
            cursor = db.execute(self._cancel, {"now": now, "task_id": task_id, "key_id": key_id})
            return cursor.rowcount == 1

    def find_page(
        self, wanted: TaskFilter, status_of: StatusOf
    ) -> tuple[int, list[tuple[TaskRecord, str]]]:
        """The page of the tasks ``wanted``, newest first, each with its status, and how many
        tasks match in all.

        Without ``wanted.status`` the index counts and pages; with it, each task's status is
        computed from its schedule columns. Either way only the page's records are read whole,
        so a list costs memory for one page however many tasks the key has.
        """
        equal, values = _equal(key_id=wanted.key_id, model=wanted.model, task_id=wanted.task_id)
        where = "WHERE submitted_at >= ? AND submitted_at <= ?" + equal
        args: list[Any] = [wanted.since, wanted.until, *values]
        order = " ORDER BY submitted_at DESC, task_id"
        offset, limit, status = wanted.offset, wanted.limit, wanted.status
        with self._lock:
            if status is None:  # every task in the window counts: the index answers
                total = int(
                    self._db.execute(f"SELECT COUNT(*) FROM tasks {where}", args).fetchone()[0]
                )
                rows = self._db.execute(
                    f"SELECT * FROM tasks {where}{order} LIMIT ? OFFSET ?", [*args, limit, offset]
                ).fetchall()
                records = [_record_of(row) for row in rows]
                return total, [(record, status_of(record)) for record in records]
            return self._filtered_page(where + order, args, status_of, status, offset, limit)

    def _filtered_page(
        self,
        clauses: str,
        args: list[Any],
        status_of: StatusOf,
        status: str,
        offset: int,
        limit: int,
    ) -> tuple[int, list[tuple[TaskRecord, str]]]:
        """A page of the tasks with one status: computed for each task from its schedule
        columns, and only the page's records read whole (the caller holds the lock)."""
        cursor = self._db.cursor()
        cursor.row_factory = None
        sql = (
            "SELECT task_id, submitted_at, start_at, end_at, canceled_at, "
            f"json_extract(record, '$.outcome') FROM tasks {clauses}"
        )
        total = 0
        wanted: list[str] = []
        for found, *schedule in cursor.execute(sql, args):
            if status_of(Schedule(*schedule)) != status:
                continue
            if offset <= total < offset + limit:
                wanted.append(found)
            total += 1
        records: dict[str, TaskRecord] = {}
        if wanted:
            marks = ", ".join("?" for _ in wanted)
            rows = self._db.execute(
                f"SELECT * FROM tasks WHERE task_id IN ({marks})", wanted
            ).fetchall()
            records = {row["task_id"]: _record_of(row) for row in rows}
        return total, [(records[found], status) for found in wanted]

    def secret(self) -> str:
        """A per-store secret (shared by every worker on the same file) for signing URLs."""
        with self._transaction(control=True) as db:
            row = db.execute("SELECT value FROM meta WHERE name = 'secret'").fetchone()
            if row is not None:
                return str(row["value"])
            value = secrets.token_hex(32)
            db.execute("INSERT INTO meta (name, value) VALUES ('secret', ?)", (value,))
            return value

    def all_tasks(self) -> list[TaskRecord]:
        with self._lock:
            rows = self._db.execute("SELECT * FROM tasks ORDER BY submitted_at").fetchall()
        return [_record_of(row) for row in rows]

    # ------------------------------------------------------------------ meta
    def get_meta(self, name: str) -> str | None:
        """A meta value, read from the store only when the control state has changed since."""
        version = self._changes.value()
        known = self._meta.get(name)
        if known is not None and version is not None and known[0] == version:
            return known[1]
        with self._lock:
            row = self._db.execute("SELECT value FROM meta WHERE name = ?", (name,)).fetchone()
        value = None if row is None else str(row["value"])
        if version is not None:
            self._meta[name] = (version, value)
        return value

    def set_meta(self, name: str, value: str | None) -> None:
        with self._transaction(control=True) as db:
            if value is None:
                db.execute("DELETE FROM meta WHERE name = ?", (name,))
            else:
                db.execute(
                    "INSERT INTO meta (name, value) VALUES (?, ?) "
                    "ON CONFLICT(name) DO UPDATE SET value = excluded.value",
                    (name, value),
                )

    # ------------------------------------------------------------------ rate limits
    def rate_hit(self, bucket: str, now: float, window: float, limit: int) -> float | None:
        """Count a request of ``bucket`` at ``now`` unless ``limit`` were counted in the
        ``window`` before it; ``None`` when counted, else seconds until one would be. Every
        process on the file counts in the same table, in one transaction per request."""
        with self._transaction() as db:
            db.execute("DELETE FROM rate_hits WHERE bucket = ? AND at <= ?", (bucket, now - window))
            count, oldest = db.execute(
                "SELECT COUNT(*), MIN(at) FROM rate_hits WHERE bucket = ?", (bucket,)
            ).fetchone()
            if count >= limit:
                return max(0.0, float(oldest) + window - now)
            db.execute("INSERT INTO rate_hits (bucket, at) VALUES (?, ?)", (bucket, now))
            return None

    def rate_clear(self) -> None:
        with self._transaction(single=True) as db:
            db.execute("DELETE FROM rate_hits")

    # ------------------------------------------------------------------ scenarios
    def push_scenario(self, key_id: str, scenario: str) -> None:
        with self._transaction(control=True) as db:
            db.execute("INSERT INTO scenarios (key_id, scenario) VALUES (?, ?)", (key_id, scenario))

    def next_scenario(self, key_id: str) -> tuple[int, str] | None:
        """The oldest scenario queued for a key or for any key (:data:`ANY_KEY`) as (id,
        directives), left in the queue. While no
        key has any queued, the store is not asked again until the control state changes."""
        version = self._changes.value()
        if version is not None and version == self._no_scenarios_at:
            return None
        with self._lock:
            row = self._db.execute(
                "SELECT id, scenario FROM scenarios WHERE key_id IN (?, ?) ORDER BY id LIMIT 1",
                (key_id, ANY_KEY),
            ).fetchone()
            empty = (
                row is None
                and version is not None
                and self._db.execute("SELECT 1 FROM scenarios LIMIT 1").fetchone() is None
            )
            if empty:
                self._no_scenarios_at = version
        return None if row is None else (int(row["id"]), str(row["scenario"]))

    def consume_scenario(self, scenario_id: int) -> None:
        with self._transaction(control=True) as db:
            db.execute("DELETE FROM scenarios WHERE id = ?", (scenario_id,))

    def scenarios(self, key_id: str | None = None) -> list[tuple[str, str]]:
        sql = "SELECT key_id, scenario FROM scenarios"
        args: tuple[Any, ...] = ()
        if key_id is not None:
            sql += " WHERE key_id = ?"
            args = (key_id,)
        with self._lock:
            rows = self._db.execute(sql + " ORDER BY id", args).fetchall()
        return [(str(r["key_id"]), str(r["scenario"])) for r in rows]

    # ------------------------------------------------------------------ journal
    def journal_add_many(
        self, entries: list[dict[str, Any]], limit: int, *, polls: Mapping[str, int] | None = None
    ) -> None:
        """Append journal entries in one transaction, keeping only the newest ``limit``, and
        add ``polls`` (task id -> queries) to the tasks' counts."""
        rows = [tuple(journal_entry(entry).values()) for entry in entries]
        with self._transaction() as db:
            db.executemany(
                f"INSERT INTO journal ({', '.join(JOURNAL_FIELDS)}) "
                f"VALUES ({', '.join('?' for _ in JOURNAL_FIELDS)})",
                rows,
            )
            newest = db.execute("SELECT MAX(id) FROM journal").fetchone()[0] or 0
            db.execute("DELETE FROM journal WHERE id <= ?", (newest - limit,))
            if polls:
                db.executemany(
                    "UPDATE tasks SET polls = polls + ? WHERE task_id = ?",
                    [(count, task_id) for task_id, count in polls.items()],
                )

    def journal(
        self, *, operation: str | None, task_id: str | None, limit: int, max_entries: int | None
    ) -> list[dict[str, Any]]:
        """At most ``limit`` journal entries, newest first, of the newest ``max_entries`` (all
        for None), by operation id and task id when given."""
        sql = f"SELECT id, {', '.join(JOURNAL_FIELDS)} FROM journal WHERE 1 = 1"
        args: list[Any] = []
        if max_entries is not None:
            sql += " AND id > (SELECT COALESCE(MAX(id), 0) FROM journal) - ?"
            args.append(max_entries)
        equal, values = _equal(operation=operation, task_id=task_id)
        sql += equal + " ORDER BY id DESC LIMIT ?"
        args += [*values, limit]
        with self._lock:
            rows = self._db.execute(sql, args).fetchall()
        return [journal_entry(dict(row)) for row in rows]

    def clear(self) -> None:
        """Forget every task, queued scenario and journal entry (the secret stays)."""
        with self._transaction(control=True) as db:
            db.execute("DELETE FROM tasks")
            db.execute("DELETE FROM scenarios")
            db.execute("DELETE FROM journal")
