"""The store on a Redis-protocol server (Valkey or Redis), shared by every host started on it.

Keys (all under one prefix, ``wan:`` by default, in the URL's database):

``record:<id>``
    the task as submitted, never changed: a string of two lines, a JSON array of the
    columns (``_HEAD``: id, key id, model and the schedule) and the rest of the record as JSON.
    It expires on the server at the documented task TTL (``x-wan-service``), counted from the
    submit. What a task's progress changes lives beside it:
``state:<id>``
    a hash of what changed since the submit (``canceled_at``; ``start_at`` and ``end_at`` of a
    task that progresses by polls), made by the first change and expiring with the record. So
    a new task is one ``SET`` under a key no host tracks, and tells no host anything.
``count:<id>``
    the task's counters, ``polls`` and ``downloads`` (a hash made by the first count, expiring
    with the task): apart from its state, so that counting a poll, which nearly every
    journal batch does, does not make every host read the task again.
``tasks:<key id>``
    a sorted set of the key's task ids by submit time, which list pages read; a new task's
    insert drops the members submitted more than the TTL before it, and a read drops those
    whose task it finds gone.
``keys``
    a set of the key ids with an index, which a list of every key's tasks reads (and drops
    those whose index has expired).
``busy:<key id>:<model>``
    the key's tasks of the model that have not ended (score: their end), which the concurrency
    scheduler queues a new task behind; read and written under WATCH, so two hosts queueing
    together retry rather than overbook.
``meta``
    a hash of control values: the clock state, the URL-signing secret, and ``cleared``, the
    number of ``clear`` calls (which changes it, so that every host forgets its records).
``scenarios``, ``scenario_ids``
    the queued scenarios, a list of JSON ``[id, key id, directives]`` in queue order (the
    ids from a counter).
``rate:<bucket>``
    a sorted set of request times, counted and trimmed by one Lua script.
``journal``
    the journal, newest first, capped by LTRIM in the script that appends to it.
``upload:<object key>``
    an upload's bytes (``data``) and when it was made (``at``), expiring on the server at the
    upload TTL; the size limit is checked before (``_uploads.UploadStore``).

The control values (the ``meta`` hash and the scenario queue), which nearly every request
reads and almost no request writes, and the tasks a host has read (a client polls one task
many times while it changes a few times) are kept on each host by ``TrackedReads``
(``_tracked_reads``): the values that change (the meta hash, the queue, the tasks' states) until
the server says some host changed them, and the records, which do not, until their TTL on the
server or a ``clear``.

Every write that depends on what is stored is one Lua script (``_redis_scripts``: a new task,
cancel, progress, a count, a rate hit, the journal), called through ``RedisStore._run`` (a new
task queued behind the key's others: in a ``WATCH`` transaction), so hosts racing on a task
cannot both win nor move it backwards. A task's status is computed from its schedule, here as in
``lifecycle.status_at``.

Connection errors (the server down, a timeout) propagate as redis-py's ``ConnectionError`` /
``TimeoutError``; ``_opening.store_unavailable`` recognises them and the app answers 503
``StoreUnavailable``. Nothing is retried: a write that timed out may have been applied (a
counted poll, a cancel), and a retry would count it twice or answer a won cancel as refused;
the client retries the 503 instead.
"""

from __future__ import annotations

import copy
import json
import secrets
from collections.abc import Mapping
from typing import Any

import redis

from .._domain import _lifecycle
from .._domain._lifecycle import NEVER
from .._spec._codec import dumps
from ._interfaces import Scheduler, StatusOf, TaskFilter
from ._locations import public_location
from ._records import ANY_KEY, TaskRecord, journal_entry
from ._redis_scripts import (
    CONSUME,
    DOWNLOAD,
    INSERT,
    JOURNAL_ADD,
    KEYS_LIVE,
    PROGRESS,
    QUERY,
    RATE_HIT,
    cancel_script,
)
from ._tracked_reads import TrackedReads, packed

__all__ = ["RedisStore"]


#: A stored record's first line: these columns of the task, as a JSON array.
_HEAD = ("task_id", "key_id", "model", "submitted_at", "start_at", "end_at", "canceled_at")
#: What a task's state may hold: the columns a task's progress changes.
_CHANGED = ("start_at", "end_at", "canceled_at")

#: How many values a host keeps in its ``TrackedReads``: the control values and the tasks
#: most recently read (a task is its record, one or two KB, and its state).
_TRACKED_READS = 2048


class RedisStore:
    """Tasks and the mock's shared state on a Valkey/Redis server (``redis://`` or
    ``rediss://`` URL, password and database in it). Thread-safe (redis-py's pool; one lock
    for the tracking connection)."""

    shared = True

    def __init__(
        self,
        url: str,
        *,
        task_ttl_seconds: float = 86400.0,
        prefix: str = "wan:",
        timeout: float = 5.0,
    ) -> None:
        self.url = url
        self.location = public_location(url)
        self._ttl = max(1, int(task_ttl_seconds))
        self._p = prefix
        self._timeout = timeout
        self._redis: redis.Redis = redis.Redis.from_url(
            url,
            decode_responses=True,
            socket_timeout=timeout,
            socket_connect_timeout=timeout,
            health_check_interval=30,
        )
        try:
            self._redis.ping()  # a server that cannot be reached fails here, not at a request
        except BaseException:
            self._redis.close()
            raise
        #: The meta hash, the scenario queue and tasks, as each host last read them (above).
        pool = self._redis.connection_pool  # the same server and settings, in RESP3
        self._reads = TrackedReads(
            redis.ConnectionPool(
                connection_class=pool.connection_class, **{**pool.connection_kwargs, "protocol": 3}
            ),
            (f"{prefix}meta", f"{prefix}scenarios", f"{prefix}state:"),
            f"{prefix}meta",
            _TRACKED_READS,
        )
        #: The same server without decoding, for uploads' bytes (made on first use).
        self._bytes: redis.Redis | None = None
        self._insert = self._redis.register_script(INSERT)
        # the lifecycle's cancel rule, as it is when the store is made
        self._cancel = self._redis.register_script(cancel_script(_lifecycle.CANCELABLE))
        self._query = self._redis.register_script(QUERY)
        self._progress = self._redis.register_script(PROGRESS)
        self._download = self._redis.register_script(DOWNLOAD)
        self._rate_hit = self._redis.register_script(RATE_HIT)
        self._journal_add = self._redis.register_script(JOURNAL_ADD)
        self._consume = self._redis.register_script(CONSUME)
        self._keys_live = self._redis.register_script(KEYS_LIVE)

    def _run(self, script: Any, keys: list[str], args: list[Any]) -> Any:
        """``script`` run on the server (``EVALSHA``; loaded first if the server lacks it),
        through the host's tracking connection (``TrackedReads.changing``), packed by
        ``packed``. Not retried, as every call here (see above)."""
        command = ("EVALSHA", script.sha, len(keys), *keys, *args)
        with self._reads.changing(keys) as connection:
            try:
                return self._ask(connection, command)
            except redis.exceptions.NoScriptError:  # a restarted or flushed server
                self._ask(connection, ("SCRIPT", "LOAD", script.script))
                return self._ask(connection, command)

    @staticmethod
    def _ask(connection: Any, command: tuple[Any, ...]) -> Any:
        connection.send_packed_command([packed(connection, command)])
        return connection.read_response()

    # ------------------------------------------------------------------ keys
    def _record(self, task_id: str) -> str:
        return f"{self._p}record:{task_id}"

    def _state(self, task_id: str) -> str:
        return f"{self._p}state:{task_id}"

    def _counts(self, task_id: str) -> str:
        return f"{self._p}count:{task_id}"

    def _index(self, key_id: str) -> str:
        return f"{self._p}tasks:{key_id}"

    def _busy(self, key_id: str, model: str) -> str:
        return f"{self._p}busy:{key_id}:{model}"

    def close(self) -> None:
        self._redis.close()
        self._reads.close()
        if self._bytes is not None:
            self._bytes.close()

    # ------------------------------------------------------------------ uploads
    def _binary(self) -> redis.Redis:
        if self._bytes is None:
            self._bytes = redis.Redis.from_url(
                self.url, socket_timeout=self._timeout, socket_connect_timeout=self._timeout
            )
        return self._bytes

    def put_upload(self, key: str, data: bytes, at: float, ttl_seconds: float) -> None:
        """Keep an upload's bytes on the server, expiring at its TTL."""
        name = f"{self._p}upload:{key}"
        with self._binary().pipeline(transaction=True) as pipe:
            pipe.hset(name, mapping={"data": data, "at": repr(at)})
            pipe.expire(name, max(1, int(ttl_seconds)))
            pipe.execute()

    def get_upload(self, key: str) -> tuple[bytes, float] | None:
        data, at = self._binary().hmget(f"{self._p}upload:{key}", ["data", "at"])
        if not isinstance(data, bytes) or at is None:
            return None
        return data, float(at)

    # ------------------------------------------------------------------ records
    @staticmethod
    def _text(record: TaskRecord) -> bytes:
        """A task's record as stored: its columns (``_HEAD``) and the rest, a line each."""
        head = dumps([getattr(record, name) for name in _HEAD])
        return head + b"\n" + record.rest_text().encode("utf-8")

    @staticmethod
    def _parsed(text: str, state: Mapping[str, str], counts: Mapping[str, str]) -> TaskRecord:
        """The task of a stored record, its state (what changed since) and its counters."""
        head, _, rest = text.partition("\n")
        columns = dict(zip(_HEAD, json.loads(head), strict=True))
        record = TaskRecord(**columns, **TaskRecord.rest_of(rest))
        return RedisStore._as_now(record, state, counts)

    @staticmethod
    def _as_now(
        record: TaskRecord, state: Mapping[str, str], counts: Mapping[str, str]
    ) -> TaskRecord:
        """``record`` (as submitted) with its state and counters."""
        for name in _CHANGED:
            if name in state:
                setattr(record, name, float(state[name]))
        record.polls = int(counts.get("polls", 0))
        record.downloads = int(counts.get("downloads", 0))
        return record

    def insert(
        self, record: TaskRecord, schedule: Scheduler | None = None, *, with_busy: bool = True
    ) -> None:
        """Store a new task; ``schedule`` sees the (start, end) of the key's unfinished tasks of
        the model (read under WATCH of their set: hosts queueing together retry, never
        overbook) and may move the record's times before it is written."""
        if schedule is None or not with_busy:
            if schedule is not None:
                schedule([])
            self._write(self._redis, record)
            return
        busy = self._busy(record.key_id, record.model)
        as_submitted = copy.copy(record)  # what a retry schedules again from
        with self._redis.pipeline(transaction=True) as pipe:
            while True:
                try:
                    pipe.watch(busy)  # type: ignore[no-untyped-call]
                    ids = pipe.zrangebyscore(busy, f"({record.submitted_at!r}", f"({NEVER!r}")
                    spans: list[tuple[float, float]] = []
                    for found in map(str, ids):
                        text: Any = pipe.get(self._record(found))
                        state: Any = pipe.hgetall(self._state(found))
                        if text is not None:
                            queued = self._parsed(text, state, {})
                            if queued.canceled_at is None:
                                spans.append((queued.start_at, queued.end_at))
                    schedule(spans)
                    pipe.multi()
                    pipe.zremrangebyscore(busy, "-inf", record.submitted_at)
                    self._write(pipe, record)
                    if record.end_at < NEVER:
                        pipe.zadd(busy, {record.task_id: record.end_at})
                        pipe.expire(busy, self._ttl)
                    pipe.execute()
                    return
                except redis.WatchError:  # another host queued or canceled meanwhile: again
                    for name in TaskRecord.__dataclass_fields__:
                        setattr(record, name, getattr(as_submitted, name))

    def _write(self, client: Any, record: TaskRecord) -> None:
        """Write a new task with one script, on ``client`` (the store's, or a transaction's)."""
        task_id = record.task_id
        keys = [self._record(task_id), self._counts(task_id), self._index(record.key_id)]
        keys.append(f"{self._p}keys")
        expired = f"({record.submitted_at - self._ttl!r}"
        args: list[Any] = [self._ttl, task_id, repr(record.submitted_at), expired]
        args += [str(record.polls), str(record.downloads), self._text(record), record.key_id]
        if client is self._redis:
            self._run(self._insert, keys, args)
        else:
            self._insert(keys=keys, args=args, client=client)

    def get(self, task_id: str) -> TaskRecord | None:
        found = self._peeked(task_id)
        if found is None:
            return None
        counts: dict[str, str] = self._redis.hgetall(self._counts(task_id))  # type: ignore[assignment]
        return self._parsed(*found, counts)

    def peek(self, task_id: str) -> TaskRecord | None:
        """The task as the host's cache has it (no round trip until some host changes it),
        without its counts of polls and downloads (0)."""
        found = self._peeked(task_id)
        return None if found is None else self._parsed(*found, {})

    def _peeked(self, task_id: str) -> tuple[str, dict[str, str]] | None:
        """The task's record and state, as the host's cache has them."""
        text, state = self._reads.read_many(
            [("GET", self._record(task_id)), ("HGETALL", self._state(task_id))]
        )
        return None if text is None else (text, state)

    def _owned(self, task_id: str, key_id: str) -> TaskRecord | None:
        """The key's task as the host's cache has it (records never change: whose task it is
        and its schedule as submitted are known without asking)."""
        record = self.peek(task_id)
        return record if record is not None and record.key_id == key_id else None

    def query(self, task_id: str, key_id: str) -> TaskRecord | None:
        record = self._owned(task_id, key_id)
        if record is None:
            return None
        keys = [self._record(task_id), self._state(task_id), self._counts(task_id)]
        flat = self._run(self._query, keys, [])
        if not flat:
            return None
        fields = dict(zip(flat[::2], flat[1::2], strict=True))
        return self._as_now(record, fields, fields)

    def progress(self, task_id: str, *, start_at: float, end_at: float | None) -> None:
        record = self.peek(task_id)
        if record is None:
            return
        end = "" if end_at is None else repr(float(end_at))
        keys = [self._record(task_id), self._state(task_id)]
        args = [repr(NEVER), repr(start_at), end, repr(record.start_at), repr(record.end_at)]
        self._run(self._progress, keys, args)

    def count_download(self, task_id: str) -> int:
        count = int(self._run(self._download, [self._record(task_id), self._counts(task_id)], []))
        return max(0, count - 1)

    def cancel(self, task_id: str, key_id: str, now: float) -> bool:
        """Cancel the key's task if its status at ``now`` may move to CANCELED (the lifecycle's
        rule when the store was made): one script, so two hosts racing on it (or a cancel racing
        the task's start) cannot both win."""
        record = self._owned(task_id, key_id)
        if record is None:
            return False
        canceled = "" if record.canceled_at is None else repr(record.canceled_at)
        won = self._run(
            self._cancel,
            [self._record(task_id), self._state(task_id), self._busy(key_id, record.model)],
            [repr(now), task_id, repr(record.start_at), canceled, repr(record.end_at)],
        )
        return int(won) == 1

    # ------------------------------------------------------------------ lists
    def _listed(
        self, key_id: str | None, low: str = "-inf", high: str = "+inf"
    ) -> list[tuple[str, str]]:
        """The index and id of each of the key's tasks (every key's, for None) submitted in
        [low, high] (scores as the server reads them)."""
        if key_id is not None:
            indexes = [self._index(key_id)]
        else:
            live = self._run(self._keys_live, [f"{self._p}keys"], [self._index("")])
            indexes = [self._index(str(found)) for found in live]
        with self._redis.pipeline(transaction=False) as pipe:
            for index in indexes:
                pipe.zrangebyscore(index, low, high)
            answers: list[list[str]] = pipe.execute()
        pairs = zip(indexes, answers, strict=True)
        return [(index, found) for index, ids in pairs for found in ids]

    def _live(self, listed: list[tuple[str, str]]) -> list[TaskRecord]:
        """The tasks ``listed`` (index, id) still stored, with their counters; expired ones
        leave their index now."""
        with self._redis.pipeline(transaction=False) as pipe:
            for _, found in listed:
                pipe.get(self._record(found))
                pipe.hgetall(self._state(found))
                pipe.hgetall(self._counts(found))
            answers: list[Any] = pipe.execute()
        stored = zip(answers[::3], answers[1::3], answers[2::3], strict=True)
        records = [None if text is None else self._parsed(text, *rest) for text, *rest in stored]
        gone: dict[str, list[str]] = {}
        for (index, found), record in zip(listed, records, strict=True):
            if record is None:
                gone.setdefault(index, []).append(found)
        for index, ids in gone.items():
            self._redis.zrem(index, *ids)
        return [record for record in records if record is not None]

    def find_page(
        self, wanted: TaskFilter, status_of: StatusOf
    ) -> tuple[int, list[tuple[TaskRecord, str]]]:
        """The page of the tasks ``wanted``, newest first (ties by id), with their statuses,
        and how many match in all."""
        since, until = wanted.since, wanted.until
        low = "-inf" if since == float("-inf") else repr(since)
        high = "+inf" if until == float("inf") else repr(until)
        listed = self._listed(wanted.key_id, low, high)
        if wanted.task_id is not None:
            listed = [(index, found) for index, found in listed if found == wanted.task_id]
        matches: list[tuple[TaskRecord, str]] = []
        for record in self._live(listed):
            if wanted.model is not None and record.model != wanted.model:
                continue
            found_status = status_of(record)
            if wanted.status is not None and found_status != wanted.status:
                continue
            matches.append((record, found_status))
        matches.sort(key=lambda match: (-match[0].submitted_at, match[0].task_id))
        return len(matches), matches[wanted.offset : wanted.offset + wanted.limit]

    def all_tasks(self) -> list[TaskRecord]:
        return sorted(self._live(self._listed(None)), key=lambda record: record.submitted_at)

    # ------------------------------------------------------------------ meta
    def secret(self) -> str:
        """The URL-signing secret every host on the server shares (set once, by whoever comes
        first)."""
        meta = f"{self._p}meta"
        self._redis.hsetnx(meta, "secret", secrets.token_hex(32))
        return str(self._redis.hget(meta, "secret"))

    def get_meta(self, name: str) -> str | None:
        """A meta value, as the host's cache has it (a round trip only after a change)."""
        value = self._reads.read("HGET", f"{self._p}meta", name)
        return None if value is None else str(value)

    def set_meta(self, name: str, value: str | None) -> None:
        if value is None:
            self._redis.hdel(f"{self._p}meta", name)
        else:
            self._redis.hset(f"{self._p}meta", name, value)

    # ------------------------------------------------------------------ rate limits
    def rate_hit(self, bucket: str, now: float, window: float, limit: int) -> float | None:
        member = f"{now!r}:{secrets.token_hex(4)}"
        wait = self._run(
            self._rate_hit, [f"{self._p}rate:{bucket}"], [repr(now), repr(window), limit, member]
        )
        return None if wait is None else float(wait)

    def rate_clear(self) -> None:
        self._unlink(f"{self._p}rate:*")

    def _unlink(self, pattern: str) -> None:
        batch: list[str] = []
        for found in self._redis.scan_iter(match=pattern, count=500):
            batch.append(found)
            if len(batch) >= 500:
                self._redis.unlink(*batch)
                batch = []
        if batch:
            self._redis.unlink(*batch)

    # ------------------------------------------------------------------ scenarios
    def push_scenario(self, key_id: str, scenario: str) -> None:
        scenario_id = int(self._redis.incr(f"{self._p}scenario_ids"))
        entry = json.dumps([scenario_id, key_id, scenario], separators=(",", ":"))
        self._redis.rpush(f"{self._p}scenarios", entry)

    def _queued(self) -> list[tuple[int, str, str]]:
        entries: list[str] = self._reads.read("LRANGE", f"{self._p}scenarios", "0", "-1")
        return [(int(i), str(k), str(s)) for i, k, s in map(json.loads, entries)]

    def next_scenario(self, key_id: str) -> tuple[int, str] | None:
        for scenario_id, owner, scenario in self._queued():
            if owner in (key_id, ANY_KEY):
                return scenario_id, scenario
        return None

    def consume_scenario(self, scenario_id: int) -> None:
        self._run(self._consume, [f"{self._p}scenarios"], [scenario_id])

    def scenarios(self, key_id: str | None = None) -> list[tuple[str, str]]:
        return [
            (owner, scenario)
            for _, owner, scenario in self._queued()
            if key_id is None or owner == key_id
        ]

    # ------------------------------------------------------------------ journal
    def journal_add_many(
        self, entries: list[dict[str, Any]], limit: int, *, polls: Mapping[str, int] | None = None
    ) -> None:
        """Append entries (newest first in the list) keeping the newest ``limit``, and add
        ``polls`` to the tasks still stored, in one script."""
        rows = [dumps(journal_entry(entry)) for entry in entries]
        counted = dict(polls or {})
        keys = [f"{self._p}journal"]
        for task_id in counted:
            keys += [self._record(task_id), self._counts(task_id)]
        self._run(self._journal_add, keys, [max(0, limit), len(rows), *rows, *counted.values()])

    def journal(
        self, *, operation: str | None, task_id: str | None, limit: int, max_entries: int | None
    ) -> list[dict[str, Any]]:
        last = -1 if max_entries is None else max_entries - 1
        if operation is None and task_id is None:
            last = limit - 1 if last < 0 else min(last, limit - 1)
        rows: list[str] = self._redis.lrange(f"{self._p}journal", 0, last)  # type: ignore[assignment]
        found: list[dict[str, Any]] = []
        for row in rows:
            entry = json.loads(row)
            if operation is not None and entry["operation"] != operation:
                continue
            if task_id is not None and entry["task_id"] != task_id:
                continue
            found.append(entry)
            if len(found) >= limit:
                break
        return found

    def clear(self) -> None:
        """Forget every task, queued scenario and journal entry (the meta values and the
        uploads stay, as a file store's do)."""
        for pattern in ("record:*", "state:*", "count:*", "keys", "tasks:*", "busy:*"):
            self._unlink(self._p + pattern)
        self._redis.unlink(f"{self._p}scenarios", f"{self._p}journal")
        self._redis.hincrby(f"{self._p}meta", "cleared", 1)  # every host forgets its records
