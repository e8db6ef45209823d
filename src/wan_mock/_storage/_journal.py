"""The request journal, written in batches, and the polls of each task counted with it.

Every API request gets a journal row, but a write transaction per request would make the workers
of one store queue behind each other's writes. The same holds for counting a task's queries
(``polls``): they are added up in memory and written with the journal's rows. Rows are
buffered in memory and written in one transaction when the buffer fills, when anyone reads the
journal, and at least every ``flush_interval`` seconds (a daemon thread flushes idle workers),
so a row reaches the store within that interval. ``close()`` (called by ``MockState.close``)
writes what is left.
"""

from __future__ import annotations

import threading
import weakref
from typing import Any

from ._interfaces import JournalRows
from ._opening import store_unavailable

__all__ = ["Journal"]


class Journal:
    """A bounded, batched journal on a store's journal rows."""

    def __init__(
        self,
        store: JournalRows,
        size: int,
        *,
        batch: int = 64,
        flush_interval: float = 0.2,
    ) -> None:
        self._store = store
        self.size = size
        self._batch = batch
        self._interval = flush_interval
        self._buffer: list[dict[str, Any]] = []
        self._polls: dict[str, int] = {}
        self._lock = threading.Lock()
        self._flusher: threading.Thread | None = None
        self._stop = threading.Event()

    def add(self, entry: dict[str, Any]) -> None:
        with self._lock:
            self._buffer.append(entry)
            full = len(self._buffer) >= self._batch
            if self._flusher is None:
                self._flusher = threading.Thread(
                    target=_flush_periodically,
                    args=(weakref.ref(self), self._stop, self._interval),
                    name="wan-journal",
                    daemon=True,
                )
                self._flusher.start()
        if full:
            self.flush()

    def count_poll(self, task_id: str) -> None:
        """One more query of a task, written with the next batch."""
        with self._lock:
            self._polls[task_id] = self._polls.get(task_id, 0) + 1

    def flush(self) -> None:
        with self._lock:
            pending, self._buffer = self._buffer, []
            polls, self._polls = self._polls, {}
        if pending or polls:
            self._store.journal_add_many(pending, self.size, polls=polls)

    def entries(
        self, *, operation: str | None = None, task_id: str | None = None, limit: int = 100
    ) -> list[dict[str, Any]]:
        """The newest entries (this process's buffer flushed first)."""
        self.flush()
        return self._store.journal(
            operation=operation,
            task_id=task_id,
            limit=max(1, min(limit, self.size)),
            max_entries=self.size,
        )

    def clear(self) -> None:
        with self._lock:
            self._buffer.clear()
            self._polls.clear()

    def close(self) -> None:
        self._stop.set()
        self.flush()


def _flush_periodically(ref: weakref.ref[Journal], stop: threading.Event, interval: float) -> None:
    """Flush every ``interval`` until stopped or the journal (its app) is gone; holds no
    strong reference between flushes, so an app can be garbage-collected."""
    while not stop.wait(interval):
        journal = ref()
        if journal is None:
            return
        try:
            journal.flush()
        except Exception as error:  # a closed store: nothing left to keep
            if not store_unavailable(error):  # a store server away for now: try again later
                return
        del journal
