"""What a host of the Redis store reads through its one tracking connection (``TrackedReads``),
and how commands are written on it (``packed``).

The control values (the ``meta`` hash and the scenario queue), which nearly every request reads
and almost no request writes, and the tasks a host has read (a client polls one task many times
while it changes a few times) are kept on each host: server-assisted client-side caching
(``CLIENT TRACKING`` over one RESP3 connection) of the values that change (the meta hash, the
queue, the tasks' states), and the records, which do not, kept until their TTL on the server or
a ``clear``. So a request reads the clock, the queue and a polled task without a round trip
until some host changes them. The store's scripts run over the same connection
(``TrackedReads.changing``).
"""

from __future__ import annotations

import math
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import redis

__all__ = ["TrackedReads", "packed"]


def _hiredis_packer() -> Callable[[tuple[Any, ...]], bytes] | None:
    """hiredis' command packer (the ``[redis]`` extra brings it), or None: redis-py's own."""
    try:
        from hiredis import pack_command
    except ImportError:  # pragma: no cover - the extra installs hiredis
        return None
    return pack_command


_PACK = _hiredis_packer()


def packed(connection: Any, command: tuple[Any, ...]) -> Any:
    """``command`` as sent on ``connection``: packed by hiredis in one call rather than argument
    by argument through redis-py's encoder and command layers (~40 µs less of the host's CPU
    per submit)."""
    return connection.pack_command(*command) if _PACK is None else _PACK(command)


#: How often a host with no request to serve reads what the server pushed it.
_DRAIN_SECONDS = 0.5


class TrackedReads:
    """Values read through one connection that the server tells of every change to them, and
    values that never change until they are gone.

    The connection (RESP3) asks for ``CLIENT TRACKING ON BCAST`` of the cached keys'
    prefixes: from then on the server pushes an ``invalidate`` message on it whenever any
    client changes (or deletes, or expires) such a key. It queues broadcast pushes after the
    command that made the change and writes them out before that command's answer (the
    clients it writes to are taken newest first), so a push leaves the server before the
    answer to the change does. (The default mode, which tracks only the keys read, queues its
    push during the command, and so writes it after the answer: a read right after a change
    through another connection was seen to be stale about once in a thousand.)

    A read first drains what the server has pushed (dropping those keys), then answers from
    the cache or asks over the same connection, whose answer and later pushes arrive in the
    server's order. The host's scripts run over the same connection (``changing``), with
    ``NOLOOP``: the server does not push a host its own changes, which it drops itself. So a
    change made through any host, once answered, is what the next read on every host sees.
    A key outside the tracked prefixes holds a value written once (a task's record): the
    server pushes nothing for it, not even when it is made, so a host is told nothing of the
    tasks other hosts create. Such a value, once read, is kept until its TTL on the server (read
    with it: ``PTTL``, counted from before the read was sent) or a change of the ``anchor`` key
    (tracked), which ``clear`` makes; a key found missing is not kept (its value may come).
    At most ``size`` values are kept (the least recently read go first; the server's later
    push for one is then ignored). A connection error forgets everything and propagates (a
    503); the next read connects again. While no request reads, a thread drains the pushes
    every ``_DRAIN_SECONDS``: a host that serves nothing would otherwise leave the other
    hosts' changes queued for it on the server.
    """

    def __init__(
        self, pool: redis.ConnectionPool, prefixes: tuple[str, ...], anchor: str, size: int
    ) -> None:
        self._pool = pool
        self._prefixes = prefixes
        self._anchor = anchor
        self._size = size
        self._lock = threading.Lock()
        self._connection: Any = None
        self._pid = 0
        #: command -> (its answer, the monotonic moment it is kept until, the tracked key
        #: whose change drops it)
        self._values: OrderedDict[tuple[str, ...], tuple[Any, float, str]] = OrderedDict()
        self._by_key: dict[str, set[tuple[str, ...]]] = {}
        self._stopped = threading.Event()
        self._drainer: threading.Thread | None = None
        #: What the kept values' moments are read from.
        self.clock: Callable[[], float] = time.monotonic

    def _invalidated(self, push: list[Any]) -> None:
        keys = push[1] if len(push) > 1 else None
        if keys is None:  # the server flushed, or lost track: forget everything
            self._values.clear()
            self._by_key.clear()
            return
        for key in keys:
            name = key.decode() if isinstance(key, bytes) else str(key)
            for command in self._by_key.pop(name, ()):
                self._values.pop(command, None)

    def _connected(self) -> Any:
        if self._connection is not None and self._pid == os.getpid():
            return self._connection
        self._values.clear()  # a new connection (or a forked process) tracks from now on
        self._by_key.clear()
        connection: Any = self._pool.make_connection()
        try:
            connection.connect()
            connection._parser.set_invalidation_push_handler(self._invalidated)
            prefixes = [part for prefix in self._prefixes for part in ("PREFIX", prefix)]
            connection.send_command("CLIENT", "TRACKING", "ON", "BCAST", "NOLOOP", *prefixes)
            connection.read_response()
        except BaseException:
            connection.disconnect()
            raise
        self._connection, self._pid = connection, os.getpid()
        if self._drainer is None or not self._drainer.is_alive():
            self._drainer = threading.Thread(
                target=self._drain_while_idle, name="wan-store-pushes", daemon=True
            )
            self._drainer.start()
        return connection

    def _drain(self, connection: Any) -> None:
        while connection.can_read():
            connection.read_response(push_request=True)

    def _drain_while_idle(self) -> None:
        while not self._stopped.wait(_DRAIN_SECONDS):
            with self._lock:
                if self._connection is None or self._pid != os.getpid():
                    continue
                try:
                    self._drain(self._connection)
                except Exception:  # the next read connects again (or answers the error)
                    self._forget()

    @contextmanager
    def _using(self) -> Iterator[Any]:
        """The connection, for one caller at a time; an error other than the server's answer
        (a lost or timed-out connection) forgets everything."""
        with self._lock:
            try:
                yield self._connected()
            except redis.ResponseError:
                raise  # the server answered: the connection is fine
            except BaseException:
                self._forget()
                raise

    def read(self, *command: str) -> Any:
        """``command``'s answer (its second word is the key), cached as above."""
        return self.read_many([command])[0]

    def read_many(self, commands: list[tuple[str, ...]]) -> list[Any]:
        """The answers of ``commands`` (each one's second word is its key): those kept, and
        the others asked in one round trip."""
        with self._using() as connection:
            self._drain(connection)
            now = self.clock()
            answers: dict[tuple[str, ...], Any] = {}
            for command in commands:
                kept = self._values.get(command)
                if kept is not None and kept[1] > now:
                    self._values.move_to_end(command)
                    answers[command] = kept[0]
            asked = [command for command in commands if command not in answers]
            if asked:
                answers.update(self._fetched(connection, asked))
            return [answers[command] for command in commands]

    def _fetched(
        self, connection: Any, commands: list[tuple[str, ...]]
    ) -> dict[tuple[str, ...], Any]:
        """The answers of ``commands`` asked in one round trip, kept as the class says."""
        sent: list[tuple[str, ...]] = []
        for command in commands:
            sent.append(command)
            if not command[1].startswith(self._prefixes):
                sent.append(("PTTL", command[1]))
        at = self.clock()
        connection.send_packed_command([packed(connection, command) for command in sent])
        replies: list[Any] = []
        failed: redis.ResponseError | None = None
        for _ in sent:  # every reply is read, even after an error one
            try:
                replies.append(connection.read_response())
            except redis.ResponseError as error:
                failed = failed or error
                replies.append(None)
        if failed is not None:
            raise failed
        answers: dict[tuple[str, ...], Any] = {}
        for command in commands:
            value = answers[command] = replies.pop(0)
            if command[1].startswith(self._prefixes):
                self._keep(command, value, math.inf, command[1])
            else:
                left = replies.pop(0)
                if value is not None and left != -2:
                    until = math.inf if left < 0 else at + left / 1000
                    self._keep(command, value, until, self._anchor)
        return answers

    @contextmanager
    def changing(self, keys: list[str]) -> Iterator[Any]:
        """The connection, to change ``keys`` through. The server pushes nothing back to it
        for its own changes (``NOLOOP``: one push less per change, to every host's share),
        so the values of ``keys`` kept here are dropped here. What the server pushed
        meanwhile waits for the next read."""
        with self._using() as connection:
            try:
                yield connection
            finally:
                for key in keys:
                    self._invalidated(["invalidate", [key]])

    def _keep(self, command: tuple[str, ...], value: Any, until: float, key: str) -> None:
        self._values[command] = (value, until, key)
        self._by_key.setdefault(key, set()).add(command)
        while len(self._values) > self._size:
            dropped, (_, _, under) = self._values.popitem(last=False)
            commands = self._by_key.get(under)
            if commands is not None:
                commands.discard(dropped)
                if not commands:
                    del self._by_key[under]

    def _forget(self) -> None:
        self._values.clear()
        self._by_key.clear()
        if self._connection is not None:
            self._connection.disconnect()
        self._connection = None

    def close(self) -> None:
        self._stopped.set()
        with self._lock:
            self._forget()
