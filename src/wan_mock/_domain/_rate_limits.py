"""Request-rate limits (``x-wan-models`` rate_limit.rps, ``x-wan-service`` task_endpoints_qps).

Counted over a sliding one-second window of real time — the mock's task clock can be frozen or
advanced, request rates cannot. A single process counts in memory (monotonic time); worker
processes on one store file count together in the store (wall-clock time, which every process
and every restart agrees on), so a limit holds for the server as a whole, as on the real service.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Hashable
from typing import Protocol

__all__ = ["RateLimiter", "SharedCounts"]


class SharedCounts(Protocol):
    """Where several processes count their requests together: the store's rate counters
    (declared here, where they are used; ``_storage``'s stores have them)."""

    def rate_hit(self, bucket: str, now: float, window: float, limit: int) -> float | None: ...

    def rate_clear(self) -> None: ...


class RateLimiter:
    """Sliding-window request counters."""

    def __init__(
        self,
        now: Callable[[], float] | None = None,
        window: float = 1.0,
        *,
        shared: SharedCounts | None = None,
    ) -> None:
        self._now = now or (time.time if shared is not None else time.monotonic)
        self._window = window
        self._shared = shared
        self._hits: dict[Hashable, deque[float]] = {}
        self._lock = threading.Lock()

    def hit(self, bucket: Hashable, per_window: float) -> float | None:
        """Count a request; ``None`` when allowed, else seconds until one would be."""
        limit = max(1, int(per_window))
        now = self._now()
        if self._shared is not None:
            name = (
                "\x1f".join(str(part) for part in bucket)
                if isinstance(bucket, tuple)
                else str(bucket)
            )
            return self._shared.rate_hit(name, now, self._window, limit)
        with self._lock:
            hits = self._hits.setdefault(bucket, deque())
            while hits and hits[0] <= now - self._window:
                hits.popleft()
            if len(hits) >= limit:
                return max(0.0, hits[0] + self._window - now)
            hits.append(now)
            return None

    def clear(self) -> None:
        with self._lock:
            self._hits.clear()
        if self._shared is not None:
            self._shared.rate_clear()
