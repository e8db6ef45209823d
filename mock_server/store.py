"""Task storage: SQLite through the standard library, in memory or in a file shared by workers.

One table holds a task's schedule in indexed columns (what queries filter on) and the rest of its
record as JSON. Writes that depend on the current state (cancel) are single conditional UPDATEs,
so several worker processes on one file cannot race each other into an impossible state.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["TaskRecord", "TaskStore"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS tasks (
    task_id TEXT PRIMARY KEY,
    key_id TEXT NOT NULL,
    model TEXT NOT NULL,
    submitted_at REAL NOT NULL,
    start_at REAL NOT NULL,
    end_at REAL NOT NULL,
    canceled_at REAL,
    record TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS tasks_by_key_time ON tasks (key_id, submitted_at);
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


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

    _COLUMNS = ("task_id", "key_id", "model", "submitted_at", "start_at", "end_at", "canceled_at")

    def to_row(self) -> tuple[Any, ...]:
        data = asdict(self)
        rest = {k: v for k, v in data.items() if k not in self._COLUMNS}
        columns = tuple(data[k] for k in self._COLUMNS)
        return (*columns, json.dumps(rest, separators=(",", ":")))

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> TaskRecord:
        rest = json.loads(row["record"])
        if rest.get("video") is not None:
            rest["video"] = tuple(rest["video"])
        return cls(**{k: row[k] for k in cls._COLUMNS}, **rest)


class TaskStore:
    """Tasks in SQLite (WAL when on a file). Thread-safe; one instance per app."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        target = ":memory:" if path is None else str(path)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        self._db = sqlite3.connect(
            target, check_same_thread=False, isolation_level=None, timeout=30.0
        )
        self._db.row_factory = sqlite3.Row
        with self._lock:
            if path is not None:
                self._db.execute("PRAGMA journal_mode=WAL")
                self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute("PRAGMA busy_timeout=30000")
            self._db.executescript(_SCHEMA)

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            else:
                self._db.execute("COMMIT")

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def insert(self, record: TaskRecord) -> None:
        with self._transaction() as db:
            db.execute("INSERT INTO tasks VALUES (?, ?, ?, ?, ?, ?, ?, ?)", record.to_row())

    def get(self, task_id: str) -> TaskRecord | None:
        with self._lock:
            row = self._db.execute("SELECT * FROM tasks WHERE task_id = ?", (task_id,)).fetchone()
        return None if row is None else TaskRecord.from_row(row)

    def cancel_if_pending(self, task_id: str, key_id: str, now: float) -> bool:
        """Mark the task canceled at ``now`` if it belongs to the key and has not started."""
        with self._transaction() as db:
            cursor = db.execute(
                "UPDATE tasks SET canceled_at = ? WHERE task_id = ? AND key_id = ? "
                "AND canceled_at IS NULL AND start_at > ?",
                (now, task_id, key_id, now),
            )
            return cursor.rowcount == 1

    def find(
        self,
        key_id: str,
        *,
        since: float,
        until: float,
        model: str | None = None,
        task_id: str | None = None,
    ) -> list[TaskRecord]:
        """The key's tasks submitted in [since, until], newest first."""
        sql = "SELECT * FROM tasks WHERE key_id = ? AND submitted_at >= ? AND submitted_at <= ?"
        args: list[Any] = [key_id, since, until]
        if model is not None:
            sql += " AND model = ?"
            args.append(model)
        if task_id is not None:
            sql += " AND task_id = ?"
            args.append(task_id)
        sql += " ORDER BY submitted_at DESC, task_id"
        with self._lock:
            rows = self._db.execute(sql, args).fetchall()
        return [TaskRecord.from_row(row) for row in rows]

    def active(self, key_id: str, model: str, at: float) -> list[tuple[float, float]]:
        """(start_at, end_at) of the key's live tasks of a model unfinished at ``at``."""
        with self._lock:
            rows = self._db.execute(
                "SELECT start_at, end_at FROM tasks WHERE key_id = ? AND model = ? "
                "AND canceled_at IS NULL AND end_at > ?",
                (key_id, model, at),
            ).fetchall()
        return [(float(r["start_at"]), float(r["end_at"])) for r in rows]

    def secret(self) -> str:
        """A per-store secret (shared by every worker on the same file) for signing URLs."""
        with self._transaction() as db:
            row = db.execute("SELECT value FROM meta WHERE name = 'secret'").fetchone()
            if row is not None:
                return str(row["value"])
            value = secrets.token_hex(32)
            db.execute("INSERT INTO meta (name, value) VALUES ('secret', ?)", (value,))
            return value

    def clear(self) -> None:
        with self._transaction() as db:
            db.execute("DELETE FROM tasks")
