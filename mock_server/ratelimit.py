"""Request-rate limits (``x-wan-models`` rate_limit.rps, ``x-wan-service`` task_endpoints_qps).

Counted per process over a sliding one-second window of real (monotonic) time — the mock's task
clock can be frozen or advanced, request rates cannot. With several workers each counts its own
requests, so the effective limit is per worker.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Hashable

__all__ = ["RateLimiter"]


class RateLimiter:
    """Sliding-window request counters."""

    def __init__(self, now: Callable[[], float] = time.monotonic, window: float = 1.0) -> None:
        self._now = now
        self._window = window
        self._hits: dict[Hashable, deque[float]] = {}
        self._lock = threading.Lock()

    def hit(self, bucket: Hashable, per_window: float) -> float | None:
        """Count a request; ``None`` when allowed, else seconds until one would be."""
        limit = max(1, int(per_window))
        now = self._now()
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
