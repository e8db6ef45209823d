"""Per-task scenarios: what the real service cannot be told to do.

``X-Mock-Scenario: <directive>[; <directive>…]`` on a submit (or queued through the control
plane for a key, or for any key) with directives:

- ``fail=<Code>``            the task ends FAILED with that code and its documented message;
- ``reject=<Code>``          the submit itself answers with that code's HTTP status and envelope;
- ``pending=<s>``            seconds this task waits before it runs;
- ``running=<s>``            seconds it runs;
- ``pending_polls=<n>``      the task is PENDING for its first n queries, whatever the clock says;
- ``running_polls=<n>``      then RUNNING for the next n, then it ends (either directive switches
                             the task to progress by polls; the other one is then 0);
- ``query_fail=<Code>[*n]``  its next n queries (1 by default) answer that transient error (a
                             code of HTTP status 429 or 5xx), then the task is answered normally;
- ``latency=<s>[-<s>]``      every answer about this task (its submit, queries and cancel) is
                             delayed that long, or by a seeded value in the range (either way
                             round);
- ``seed=<n>``               the seed of a latency range (0 by default);
- ``download=<drop|truncate>:<bytes>[:once]``  its result download breaks after that many
                             bytes: ``drop`` closes the connection mid-body (the length announced
                             is the whole file's), ``truncate`` answers a short body whose length
                             matches it; every download, or only the first with ``:once``.

Codes are those of the spec's error tables; an unknown directive or code, or a value out of its
range, is an error that names it. The same text is described (and matched by a pattern) in
``openapi/mock-control.yaml``.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from .._spec._documents import ErrorInfo

__all__ = [
    "BrokenDownload",
    "DroppedConnection",
    "Latency",
    "Polls",
    "QueryFailure",
    "Scenario",
    "ScenarioError",
    "parse_latency",
    "parse_progress",
    "parse_scenario",
    "transient_codes",
    "with_defaults",
]

#: The longest latency a directive may ask for (a server thread is held that long).
MAX_LATENCY_SECONDS = 300.0
#: The most polls a task may wait for, and the most transient failures it may answer.
MAX_POLLS = 1_000_000
MAX_QUERY_FAILURES = 1000
_INTEGER = re.compile(r"[0-9]+")


class ScenarioError(ValueError):
    """A scenario that cannot be understood; the message names the offending part."""


class DroppedConnection(ConnectionResetError):
    """Raised while a result's body is sent: a ``download=drop`` scenario closes the
    connection there (a server drops it; in process, ``WanMock.http`` reports it as httpx
    reports a peer that closed mid-body)."""


@dataclass(frozen=True)
class Polls:
    """Progress by queries: PENDING for ``pending`` queries, RUNNING for ``running`` more."""

    pending: int
    running: int

    def status_after(self, answered: int) -> Literal["PENDING", "RUNNING", "DONE"]:
        """Where the task is once it has been answered ``answered`` times (this one included)."""
        if answered <= self.pending:
            return "PENDING"
        if answered <= self.pending + self.running:
            return "RUNNING"
        return "DONE"


@dataclass(frozen=True)
class QueryFailure:
    """The next ``count`` queries of the task answer ``code``."""

    code: str
    count: int = 1


@dataclass(frozen=True)
class Latency:
    """A delay of ``low`` seconds, or one in [low, high] drawn from ``seed`` and the call."""

    low: float
    high: float
    seed: int = 0

    def delay(self, *salt: object) -> float:
        """The delay of one answer: fixed, or a reproducible draw for ``salt`` (e.g. the task
        and how many times it was answered)."""
        if self.high <= self.low:
            return self.low
        text = ":".join(str(part) for part in (self.seed, *salt))
        fraction = int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big") / 2**64
        return self.low + (self.high - self.low) * fraction


@dataclass(frozen=True)
class BrokenDownload:
    """The result download breaks after ``after`` bytes (``drop``: the connection closes
    mid-body; ``truncate``: a short, complete-looking body), every time or ``once``."""

    mode: Literal["drop", "truncate"]
    after: int
    once: bool = False

    def applies(self, downloads_before: int) -> bool:
        return not self.once or downloads_before == 0


@dataclass(frozen=True)
class Scenario:
    """What a scenario asks of one submit and its task."""

    fail: tuple[str, str] | None = None
    reject: str | None = None
    pending: float | None = None
    running: float | None = None
    polls: Polls | None = None
    query_fail: QueryFailure | None = None
    latency: Latency | None = None
    download: BrokenDownload | None = None
    #: The directives as written (the header or the queued text), for the journal and console.
    text: str = field(default="", compare=False)

    def task_fields(self) -> dict[str, Any]:
        """What the task keeps of it (JSON-ready): the directives that act after the submit."""
        out: dict[str, Any] = {}
        if self.polls is not None:
            out["polls"] = [self.polls.pending, self.polls.running]
        if self.query_fail is not None:
            out["query_fail"] = [self.query_fail.code, self.query_fail.count]
        if self.latency is not None:
            out["latency"] = [self.latency.low, self.latency.high, self.latency.seed]
        if self.download is not None:
            out["download"] = [self.download.mode, self.download.after, self.download.once]
        return out

    @classmethod
    def from_task_fields(cls, fields: Mapping[str, Any]) -> Scenario:
        """The inverse of :meth:`task_fields` (most tasks have none: the one empty scenario)."""
        if not fields:
            return _NO_SCENARIO
        polls, failure = fields.get("polls"), fields.get("query_fail")
        latency, download = fields.get("latency"), fields.get("download")
        return cls(
            polls=None if polls is None else Polls(int(polls[0]), int(polls[1])),
            query_fail=None if failure is None else QueryFailure(str(failure[0]), int(failure[1])),
            latency=None if latency is None else Latency(*latency),
            download=None if download is None else BrokenDownload(*download),
        )


_NO_SCENARIO = Scenario()


def _seconds(name: str, value: str, maximum: float = math.inf) -> float:
    try:
        seconds = float(value)
    except ValueError:
        raise ScenarioError(
            f"X-Mock-Scenario {name}: {value!r} is not a number of seconds"
        ) from None
    if not math.isfinite(seconds) or seconds < 0:
        raise ScenarioError(f"X-Mock-Scenario {name}: {value!r} must be >= 0")
    if seconds > maximum:
        raise ScenarioError(f"X-Mock-Scenario {name}: {value!r} must be at most {maximum:g}")
    return seconds


def _count(name: str, value: str, minimum: int, maximum: int) -> int:
    if not _INTEGER.fullmatch(value):
        raise ScenarioError(f"X-Mock-Scenario {name}: {value!r} is not a whole number")
    number = int(value)
    if not minimum <= number <= maximum:
        raise ScenarioError(f"X-Mock-Scenario {name}: {value!r} must be in [{minimum}, {maximum}]")
    return number


def _latency(name: str, value: str, seed: int = 0) -> Latency:
    low_text, dash, high_text = value.partition("-")
    low = _seconds(name, low_text.strip(), MAX_LATENCY_SECONDS)
    high = _seconds(name, high_text.strip(), MAX_LATENCY_SECONDS) if dash else low
    return Latency(min(low, high), max(low, high), seed)


def _download(value: str) -> BrokenDownload:
    mode, _, rest = value.partition(":")
    after, _, when = rest.partition(":")
    if mode not in ("drop", "truncate"):
        raise ScenarioError(
            f"X-Mock-Scenario download: {mode!r} is not drop or truncate (download=drop:<bytes>)"
        )
    if when not in ("", "once"):
        raise ScenarioError(f"X-Mock-Scenario download: {when!r} is not once")
    size = _count("download", after, 0, 2**40)
    return BrokenDownload(mode, size, once=when == "once")  # type: ignore[arg-type]


def _code(name: str, value: str, errors: Mapping[str, ErrorInfo]) -> str:
    if value not in errors:
        raise ScenarioError(f"X-Mock-Scenario {name}: unknown error code {value!r}")
    return value


def parse_scenario(
    text: str,
    errors: Mapping[str, ErrorInfo],
    *,
    transient: Mapping[str, ErrorInfo] | None = None,
) -> Scenario:
    """Parse a scenario against the documented error table (``errors``, the API's codes);
    ``transient`` holds the codes ``query_fail`` may use (by default the API's codes of HTTP
    status 429 or 5xx; the app adds the mock's gateway codes)."""
    if transient is None:
        transient = transient_codes(errors)
    values: dict[str, Any] = {}
    polls: dict[str, int] = {}
    latency_text: str | None = None
    seed = 0
    for raw in text.split(";"):
        directive = raw.strip()
        if not directive:
            continue
        name, sep, value = (part.strip() for part in directive.partition("="))
        if not sep or not value:
            raise ScenarioError(f"X-Mock-Scenario directive {directive!r} needs a value")
        if name == "fail":
            values["fail"] = (_code(name, value, errors), errors[value].task_message)
        elif name == "reject":
            values["reject"] = _code(name, value, errors)
        elif name in ("pending", "running"):
            values[name] = _seconds(name, value)
        elif name in ("pending_polls", "running_polls"):
            polls[name] = _count(name, value, 0, MAX_POLLS)
        elif name == "query_fail":
            code, star, times = (part.strip() for part in value.partition("*"))
            if code in errors and code not in transient:
                raise ScenarioError(
                    f"X-Mock-Scenario query_fail: {code!r} is not a transient error "
                    f"(one of {', '.join(sorted(transient))})"
                )
            count = _count(name, times, 1, MAX_QUERY_FAILURES) if star else 1
            values["query_fail"] = QueryFailure(_code(name, code, transient), count)
        elif name == "latency":
            latency_text = value
        elif name == "seed":
            seed = _count(name, value, 0, 2**63 - 1)
        elif name == "download":
            values["download"] = _download(value)
        else:
            raise ScenarioError(f"X-Mock-Scenario: unknown directive {name!r}")
    if polls:
        values["polls"] = Polls(polls.get("pending_polls", 0), polls.get("running_polls", 0))
    if latency_text is not None:
        values["latency"] = _latency("latency", latency_text, seed)
    return Scenario(**values, text=text.strip())


def _is_transient(info: ErrorInfo) -> bool:
    """An HTTP answer (not only a FAILED task's code) of status 429 or 5xx."""
    answered = not info.stages or "submit" in info.stages
    return answered and (info.http_status == 429 or info.http_status >= 500)


def transient_codes(errors: Mapping[str, ErrorInfo]) -> dict[str, ErrorInfo]:
    """The codes of a table that a query may transiently answer (HTTP 429 or 5xx)."""
    return {code: info for code, info in errors.items() if _is_transient(info)}


def parse_progress(text: str) -> Polls | None:
    """A server-wide ``--progress``: ``time`` (None: tasks follow the clock) or
    ``polls:N,M`` (every task is PENDING for N queries and RUNNING for M more)."""
    value = text.strip()
    if value == "time":
        return None
    kind, _, counts = value.partition(":")
    pending, comma, running = counts.partition(",")
    if kind != "polls" or not comma:
        raise ScenarioError(f"progress {text!r} is not time or polls:<pending>,<running>")
    return Polls(
        _count("pending_polls", pending.strip(), 0, MAX_POLLS),
        _count("running_polls", running.strip(), 0, MAX_POLLS),
    )


def parse_latency(text: str, seed: int = 0) -> Latency:
    """A server-wide ``--latency``: seconds, or a range ``<low>-<high>`` drawn from ``seed``."""
    return _latency("latency", text.strip(), seed)


def with_defaults(scenario: Scenario, *, polls: Polls | None) -> Scenario:
    """A task's scenario with the server-wide progress by polls, unless it sets its own
    progress (by polls, or ``pending=``/``running=`` seconds)."""
    own = scenario.polls is not None or scenario.pending is not None or scenario.running is not None
    return scenario if polls is None or own else replace(scenario, polls=polls)
