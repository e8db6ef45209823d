"""Which calls a rate limit refuses: submits per key and model (the model's RPS), and the task
endpoints per key — query, list and cancel share one rate, as on the real service. A refusal is
429 ``RateQuota`` with the seconds to wait as ``Retry-After``."""

from __future__ import annotations

import math
from collections.abc import Callable

from .._domain._rate_limits import RateLimiter
from .._spec._documents import ApiSpec
from .._spec._errors import RateQuota
from .._storage._interfaces import ApiStore
from ._calls import Caller
from ._settings import Settings

__all__ = ["Quotas"]


class Quotas:
    """The rate limits of one mock, counted in its store when other processes or hosts share
    it (they then count their requests together), else in this process."""

    def __init__(
        self,
        spec: ApiSpec,
        store: ApiStore,
        settings: Settings,
        *,
        rate_clock: Callable[[], float] | None = None,
    ) -> None:
        """``rate_clock`` replaces the real time rate limits are counted in (tests)."""
        self._settings = settings
        self._task_endpoints_qps = spec.service.task_endpoints_qps
        self.limiter = RateLimiter(now=rate_clock, shared=store if store.shared else None)

    def submit(self, model: str, per_second: float, key: str = "") -> None:
        """A submit of ``model`` by the key, at the model's rate."""
        self._limit(("submit", model), per_second, key)

    def task_endpoints(self, caller: Caller) -> None:
        """A query, list or cancel by the caller's key (20 QPS on the real service)."""
        self._limit(("tasks", ""), self._task_endpoints_qps, caller.key_id)

    def _limit(self, bucket: tuple[str, str], per_second: float, key: str) -> None:
        if not self._settings.rate_limits_enabled:
            return
        wait = self.limiter.hit((key, *bucket), per_second)
        if wait is not None:
            raise RateQuota(retry_after=max(1, math.ceil(wait)))
