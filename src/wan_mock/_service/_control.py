"""The control plane: what a test needs that the real service cannot give.

:class:`MockControl` is the Python face of one mock instance — ``MockControl(state)`` or
``MockControl.of(app)`` — with reset, the clock (now, advance, freeze, unfreeze), the scenario
queue, a dump of every task, the request journal and health. The HTTP face is
``openapi/mock-control.yaml``: the app routes each of its operations to the method named in
:data:`OPERATIONS`, after checking the caller (:meth:`MockControl.allow`) and the operation's
parameters and body against the spec. In Python, a value the control plane cannot use is a
``ValueError`` (a ``ScenarioError`` for scenarios) naming it; over HTTP, 400 InvalidParameter.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .._domain._clock import ControllableClock
from .._domain._lifecycle import NEVER, TERMINAL
from .._domain._scenarios import ScenarioError
from .._spec._errors import AccessDenied, InvalidParameter
from .._storage._interfaces import TaskFilter
from .._storage._records import ANY_KEY, TaskRecord
from ._calls import key_id
from ._state import MockState, mock_state

if TYPE_CHECKING:
    from flask import Flask

__all__ = ["OPERATIONS", "ClockNotControllable", "MockControl"]


class ClockNotControllable(InvalidParameter):
    """The app runs on a clock that cannot be moved (e.g. the system clock)."""


@dataclass
class MockControl:
    """Control operations on one mock instance."""

    state: MockState

    @classmethod
    def of(cls, app: Flask) -> MockControl:
        """The control plane of a Flask app made by ``create_app``."""
        return cls(mock_state(app))

    # ------------------------------------------------------------------ who may
    def allow(self, remote_addr: str | None, token: str | None) -> None:
        """Loopback callers may always control the mock; others need the control token."""
        expected = self.state.settings.control_token
        if expected is not None and token == expected:
            return
        try:
            loopback = ipaddress.ip_address(remote_addr or "").is_loopback
        except ValueError:
            loopback = False
        if not loopback:
            raise AccessDenied("The control plane needs X-Mock-Control-Token from this address.")

    # ------------------------------------------------------------------ reset / health
    def reset(self) -> dict[str, Any]:
        """Forget every task, queued scenario, journal entry and rate counter; clock back to
        real time (a manual clock is left where it is)."""
        self.state.journal.clear()
        self.state.store.clear()
        self.state.backend.limiter.clear()
        reset = getattr(self.state.clock, "reset", None)
        if callable(reset):
            reset()
        return {"reset": True}

    def health(self) -> dict[str, Any]:
        return {
            "status": "ok",
            "profile": self.state.settings.profile,
            "rate_limits": self.state.settings.rate_limits_enabled,
            "store": self.state.store.location,
            "now": self.state.clock.now(),
        }

    # ------------------------------------------------------------------ clock
    def _controllable(self) -> ControllableClock:
        clock = self.state.clock
        if not isinstance(clock, ControllableClock):
            raise ClockNotControllable("this mock's clock cannot be controlled")
        return clock

    def clock_controllable(self) -> bool:
        """Whether the clock can be advanced, frozen and unfrozen."""
        return isinstance(self.state.clock, ControllableClock)

    def clock(self) -> dict[str, Any]:
        clock = self.state.clock
        frozen = clock.frozen() if isinstance(clock, ControllableClock) else False
        return {"now": clock.now(), "frozen": frozen}

    def finish(self) -> dict[str, Any]:
        """Advance the clock until every task that follows it has ended; tasks progressing by
        polls are left to their queries (``waiting_for_polls`` lists them)."""
        now = self.state.clock.now()
        ends, waiting = [], []
        for record in self.state.store.all_tasks():
            if self.state.backend.status_of(record, now) in TERMINAL:
                continue
            if record.end_at >= NEVER:
                waiting.append(record.task_id)
            else:
                ends.append(record.end_at)
        if ends and max(ends) > now:
            self._controllable().advance(max(ends) - now)
        return {**self.clock(), "waiting_for_polls": waiting}

    def advance(self, seconds: float) -> dict[str, Any]:
        if not seconds >= 0:
            raise ValueError("seconds must be a number >= 0")
        self._controllable().advance(seconds)
        return self.clock()

    def freeze(self) -> dict[str, Any]:
        self._controllable().freeze()
        return self.clock()

    def unfreeze(self) -> dict[str, Any]:
        self._controllable().unfreeze()
        return self.clock()

    # ------------------------------------------------------------------ scenarios
    def queue_scenario(self, api_key: str | None, scenario: str, count: int = 1) -> dict[str, Any]:
        """Queue directives for the next ``count`` submits of a key, or of any key when
        ``api_key`` is None (oldest first); a ``ScenarioError`` names what cannot be used."""
        self.state.backend.parse_scenario(scenario)
        if count < 1:
            raise ScenarioError("count must be at least 1")
        owner = ANY_KEY if api_key is None else key_id(api_key)
        for _ in range(int(count)):
            self.state.store.push_scenario(owner, scenario)
        return {"queued": len(self.state.store.scenarios(owner))}

    def scenarios(self, api_key: str | None = None) -> list[dict[str, str]]:
        owner = key_id(api_key) if api_key else None
        return [
            {"key_id": key, "scenario": scenario}
            for key, scenario in self.state.store.scenarios(owner)
        ]

    # ------------------------------------------------------------------ inspection
    def tasks(self) -> list[dict[str, Any]]:
        """Every stored task with its current status (keys appear only as ids)."""
        now = self.state.clock.now()
        self.state.journal.flush()  # this process's counted polls
        return [self._described(record, now) for record in self.state.store.all_tasks()]

    def task_page(
        self,
        *,
        status: str | None = None,
        model: str | None = None,
        key_id: str | None = None,
        offset: int = 0,
        limit: int = 50,
    ) -> tuple[int, list[dict[str, Any]]]:
        """A page of every key's tasks, newest first, as :meth:`tasks` describes them, and how
        many match in all (only those with ``status``, ``model`` or ``key_id`` when given)."""
        now = self.state.clock.now()
        self.state.journal.flush()
        total, page = self.state.store.find_page(
            TaskFilter(key_id, status=status, model=model, offset=offset, limit=limit),
            lambda task: self.state.backend.status_of(task, now),
        )
        return total, [self._described(record, now, status) for record, status in page]

    def task(self, task_id: str) -> dict[str, Any] | None:
        """One task as :meth:`tasks` describes it, or None when the mock has no such task."""
        self.state.journal.flush()
        record = self.state.store.get(task_id)
        return None if record is None else self._described(record, self.state.clock.now())

    def _described(
        self, record: TaskRecord, now: float, status: str | None = None
    ) -> dict[str, Any]:
        status = status or self.state.backend.status_of(record, now)
        return {
            "task_id": record.task_id,
            "key_id": record.key_id,
            "model": record.model,
            "variant": record.variant,
            "status": status,
            "terminal": status in TERMINAL,
            "submitted_at": record.submitted_at,
            "start_at": None if record.start_at >= NEVER else record.start_at,
            "end_at": None if record.end_at >= NEVER else record.end_at,
            "polls": record.polls,
            "downloads": record.downloads,
            "canceled_at": record.canceled_at,
            "outcome": record.outcome,
            "code": record.code,
            "message": record.message,
            "notes": record.notes,
            "scenario": record.scenario_text,
            "request": record.request,
            "received": record.request if record.received is None else record.received,
        }

    def journal(
        self, operation: str | None = None, task_id: str | None = None, limit: int = 100
    ) -> list[dict[str, Any]]:
        """The newest journal entries (bounded), filterable by operation id and task id."""
        return self.state.journal.entries(operation=operation, task_id=task_id, limit=limit)


#: How each control operation of ``mock-control.yaml`` is answered: a function of the control
#: and the operation's validated query and body, which wraps a list answer in the object the
#: spec's response has (``tasks``, ``scenarios``, ``entries``).
Handler = Callable[[MockControl, Mapping[str, Any]], Any]
OPERATIONS: Mapping[str, Handler] = {
    "mock_health": lambda control, args: control.health(),
    "mock_reset": lambda control, args: control.reset(),
    "mock_get_clock": lambda control, args: control.clock(),
    "mock_advance_clock": lambda control, args: control.advance(float(args["seconds"])),
    "mock_freeze_clock": lambda control, args: control.freeze(),
    "mock_unfreeze_clock": lambda control, args: control.unfreeze(),
    "mock_list_scenarios": lambda control, args: {
        "scenarios": control.scenarios(args.get("api_key"))
    },
    "mock_queue_scenario": lambda control, args: control.queue_scenario(
        args.get("api_key"), str(args["scenario"]), int(args["count"])
    ),
    "mock_finish": lambda control, args: control.finish(),
    "mock_list_tasks": lambda control, args: {"tasks": control.tasks()},
    "mock_read_journal": lambda control, args: {
        "entries": control.journal(args.get("operation"), args.get("task_id"), int(args["limit"]))
    },
}
