"""Time, injected: the system clock for serving, a manual clock for tests.

Task lifecycles are computed from timestamps against ``clock.now()``, so a test moves a task from
PENDING to SUCCEEDED by advancing a ``ManualClock`` — never by sleeping.
"""

from __future__ import annotations

import datetime
import threading
import time
from typing import Protocol, runtime_checkable

__all__ = [
    "Clock",
    "ControllableClock",
    "ManualClock",
    "MetaValues",
    "SharedClock",
    "SystemClock",
    "utc_text",
]


class Clock(Protocol):
    def now(self) -> float:
        """Seconds since the epoch."""
        ...


class SystemClock:
    """Wall-clock time."""

    def now(self) -> float:
        return time.time()


class ManualClock:
    """A clock that only moves when told to (``advance``/``set``)."""

    def __init__(self, start: float | None = None) -> None:
        self._now = time.time() if start is None else start
        self._lock = threading.Lock()

    def now(self) -> float:
        with self._lock:
            return self._now

    def advance(self, seconds: float) -> float:
        with self._lock:
            self._now += seconds
            return self._now

    def set(self, when: float) -> None:
        with self._lock:
            self._now = when

    def freeze(self) -> None:
        """A manual clock is always frozen."""

    def unfreeze(self) -> None:
        """A manual clock only moves when told to."""

    def frozen(self) -> bool:
        return True


@runtime_checkable
class ControllableClock(Protocol):
    """A clock the control plane can move: advance, freeze and unfreeze (``ManualClock``,
    ``SharedClock``; not ``SystemClock``)."""

    def now(self) -> float: ...

    def advance(self, seconds: float) -> float: ...

    def freeze(self) -> None: ...

    def unfreeze(self) -> None: ...

    def frozen(self) -> bool: ...


class MetaValues(Protocol):
    """Named values every process on a store reads alike (the store's meta values): where a
    ``SharedClock`` keeps its state. Declared here, where it is used; ``_storage``'s stores
    have them."""

    def get_meta(self, name: str) -> str | None: ...

    def set_meta(self, name: str, value: str | None) -> None: ...


class SharedClock:
    """Wall-clock time plus an offset, optionally frozen, kept in the store's meta table.

    Every worker process on the same store file reads the same state, so advancing the clock
    through the control plane moves every worker's tasks at once.
    """

    _KEY = "clock"

    def __init__(self, store: MetaValues) -> None:
        self._store = store

    def _state(self) -> tuple[float, float | None]:
        raw = self._store.get_meta(self._KEY)
        if raw is None:
            return 0.0, None
        offset, _, frozen = raw.partition(" ")
        return float(offset), (float(frozen) if frozen else None)

    def _save(self, offset: float, frozen_at: float | None) -> None:
        value = f"{offset!r}" + (f" {frozen_at!r}" if frozen_at is not None else "")
        self._store.set_meta(self._KEY, value)

    def now(self) -> float:
        offset, frozen_at = self._state()
        return frozen_at if frozen_at is not None else time.time() + offset

    def advance(self, seconds: float) -> float:
        offset, frozen_at = self._state()
        if frozen_at is not None:
            self._save(offset, frozen_at + seconds)
            return frozen_at + seconds
        self._save(offset + seconds, None)
        return time.time() + offset + seconds

    def freeze(self) -> None:
        offset, frozen_at = self._state()
        if frozen_at is None:
            self._save(offset, time.time() + offset)

    def unfreeze(self) -> None:
        _, frozen_at = self._state()
        if frozen_at is not None:
            self._save(frozen_at - time.time(), None)

    def frozen(self) -> bool:
        return self._state()[1] is not None

    def reset(self) -> None:
        self._store.set_meta(self._KEY, None)


def utc_text(epoch: float | None) -> str:
    """A moment of the mock's clock as people read it: UTC to the millisecond (``-`` for none),
    as the console and the ``wan-mock`` commands show it."""
    if epoch is None:
        return "-"
    moment = datetime.datetime.fromtimestamp(epoch, tz=datetime.UTC)
    return moment.strftime("%Y-%m-%d %H:%M:%S.") + f"{moment.microsecond // 1000:03d} UTC"
