"""Choosing the store: ``open_store`` opens the one a setting names (memory, a SQLite file, a
Redis-protocol server) behind the one interface, ``_interfaces.Store``; and what the store's own
errors mean to the rest of the mock (``store_unavailable``, ``store_error``). redis-py is
imported only when a ``redis://`` store is opened.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from ._interfaces import Store
from ._locations import is_redis_url
from ._sqlite import SqliteStore

__all__ = ["open_store", "store_error", "store_unavailable"]


def open_store(
    target: str | os.PathLike[str] | None, *, task_ttl_seconds: float = 86400.0
) -> Store:
    """The store at ``target``: None (or ``:memory:``) in memory for this process, a
    ``redis://``/``rediss://`` URL a Redis-protocol server (password and database in the URL),
    anything else a SQLite file. ``task_ttl_seconds`` is how long a server-side store keeps a
    task (a SQLite file keeps it until a reset; the backend answers it UNKNOWN after its TTL)."""
    if target is None or target == ":memory:":
        return SqliteStore(None)
    if is_redis_url(target):
        from ._redis import RedisStore

        assert isinstance(target, str)
        return RedisStore(target, task_ttl_seconds=task_ttl_seconds)
    return SqliteStore(Path(target))


def store_unavailable(error: BaseException) -> bool:
    """Whether ``error`` means the store cannot be reached (a Redis server down or too slow):
    the request answers 503 ``StoreUnavailable``, not a fault of the mock."""
    exceptions = sys.modules.get("redis.exceptions")
    if exceptions is None:
        return False
    lost = (exceptions.ConnectionError, exceptions.TimeoutError)
    return isinstance(error, lost)


def store_error(error: BaseException) -> bool:
    """Whether ``error`` comes from a Redis-protocol store (unreachable, refused the password,
    no such database): at start-up, a clean error rather than a traceback."""
    exceptions = sys.modules.get("redis.exceptions")
    return exceptions is not None and isinstance(error, exceptions.RedisError)
