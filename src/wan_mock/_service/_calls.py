"""A call of the API as the backend sees it: who makes it, what it sent, what it is answered and
how long the answer waits.

These are what the views and the backend pass each other (``_http._api_operations`` reads a
request into a :class:`Caller` and a :class:`SubmitRequest`, and renders the :class:`Outcome`), so
they live below every operation of the backend.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any

from .._domain._scenarios import Latency, Scenario
from .._spec._errors import InvalidApiKey

__all__ = [
    "AnswerDelays",
    "Caller",
    "Outcome",
    "SubmitRequest",
    "authenticate",
    "key_id",
    "task_delay",
]


@functools.lru_cache(maxsize=1024)
def key_id(api_key: str) -> str:
    """A stable, non-reversible id for an API key: keys themselves are never stored."""
    return hashlib.sha256(api_key.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Caller:
    """Who is calling: the key's id (never the key) and the request id of this call."""

    key_id: str
    request_id: str


def authenticate(authorization: str | None, request_id: str, api_keys: Collection[str]) -> Caller:
    """The caller of a request: 401 InvalidApiKey without an acceptable bearer key (any
    non-empty key when ``api_keys`` is empty)."""
    header = (authorization or "").strip()
    if not header:
        raise InvalidApiKey("No API-key provided.")
    scheme, _, token = header.partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer":
        raise InvalidApiKey("Invalid API-key provided.")
    if not token:
        raise InvalidApiKey("No API-key provided.")
    if api_keys and token not in api_keys:
        raise InvalidApiKey("Invalid API-key provided.")
    return Caller(key_id=key_id(token), request_id=request_id)


@dataclass(frozen=True)
class SubmitRequest:
    """What a submit sent, as the view read it: the submit path's kind, the three headers the
    service reads, and the body — read only when it is needed (a ``reject=`` scenario answers
    before the body is looked at)."""

    kind: str
    read_body: Callable[[], Any]
    async_header: str | None = "enable"
    oss_resolve_header: str | None = None
    scenario_header: str | None = None


@dataclass(frozen=True)
class Outcome:
    """An answer of the API: its JSON body, the task and status the journal records, and how
    long the answer is delayed (a ``latency=`` scenario; None: the server's latency)."""

    body: dict[str, Any]
    task_id: str | None = None
    task_status: str | None = None
    delay: float | None = None


def task_delay(scenario: Scenario, *call: object) -> float | None:
    """A task's delay for one call (``"submit"``, ``"cancel"``, or a query by its number): the
    same on every run with the same seed; None when its scenario sets no ``latency=``."""
    latency = scenario.latency
    return None if latency is None else latency.delay(*call)


class AnswerDelays:
    """How long each answer of one mock waits: its own, else the server's ``latency`` (drawn
    for the answer's number, so a range gives the same delays on every run)."""

    def __init__(self, latency: Latency | None) -> None:
        self._latency = latency
        self._answers = itertools.count()

    def delay(self, own: float | None) -> float:
        """How long an answer waits: its own (a task's ``latency=``), else the server's."""
        if own is not None:
            return own
        latency = self._latency
        return 0.0 if latency is None else latency.delay(next(self._answers))
