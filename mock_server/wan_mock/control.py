"""The control plane: what a test needs that the real service cannot give.

The same operations are served over HTTP under ``/__mock/`` (described by
``openapi/mock-control.yaml``) and callable in process: ``MockControl(app)`` or
``MockControl.of(state)``. Reset, the clock (now, advance, freeze, unfreeze), the scenario queue,
a dump of every task, the request journal and health.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .backend import key_id
from .lifecycle import TERMINAL
from .scenarios import ScenarioError, parse_scenario

if TYPE_CHECKING:
    from .app import MockState

__all__ = ["ClockNotControllable", "MockControl"]


class ClockNotControllable(Exception):
    """The app runs on a clock that cannot be moved (e.g. the system clock)."""


@dataclass
class MockControl:
    """Control operations on one mock instance."""

    state: MockState

    @classmethod
    def of(cls, app: Any) -> MockControl:
        """The control plane of a Flask app made by ``create_app``."""
        from .app import mock_state

        return cls(mock_state(app))

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
            "store": str(self.state.settings.store_path or ":memory:"),
            "now": self.state.clock.now(),
        }

    # ------------------------------------------------------------------ clock
    def _controllable(self) -> Any:
        clock = self.state.clock
        if not all(hasattr(clock, name) for name in ("advance", "freeze", "unfreeze", "frozen")):
            raise ClockNotControllable("this mock's clock cannot be controlled")
        return clock

    def clock(self) -> dict[str, Any]:
        clock = self.state.clock
        frozen = bool(clock.frozen()) if hasattr(clock, "frozen") else False
        return {"now": clock.now(), "frozen": frozen}

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
    def queue_scenario(self, api_key: str, scenario: str, count: int = 1) -> dict[str, Any]:
        """Queue directives for the next ``count`` submits of a key (oldest first)."""
        parse_scenario(scenario, self.state.spec.errors)  # raises ScenarioError
        if count < 1:
            raise ScenarioError("count must be at least 1")
        for _ in range(count):
            self.state.store.push_scenario(key_id(api_key), scenario)
        return {"queued": self.state.store.scenarios(key_id(api_key)).__len__()}

    def scenarios(self, api_key: str | None = None) -> list[dict[str, str]]:
        owner = key_id(api_key) if api_key else None
        return [
            {"key_id": key, "scenario": scenario}
            for key, scenario in self.state.store.scenarios(owner)
        ]

    # ------------------------------------------------------------------ inspection
    def tasks(self) -> list[dict[str, Any]]:
        """Every stored task with its current status (keys appear only as ids)."""
        backend = self.state.backend
        now = self.state.clock.now()
        out = []
        for record in self.state.store.all_tasks():
            status = backend.status_of(record, now)
            out.append(
                {
                    "task_id": record.task_id,
                    "key_id": record.key_id,
                    "model": record.model,
                    "status": status,
                    "terminal": status in TERMINAL,
                    "submitted_at": record.submitted_at,
                    "start_at": record.start_at,
                    "end_at": record.end_at,
                    "canceled_at": record.canceled_at,
                    "outcome": record.outcome,
                    "code": record.code,
                    "message": record.message,
                    "notes": record.notes,
                    "request": record.request,
                }
            )
        return out

    def journal(
        self, operation: str | None = None, task_id: str | None = None, limit: int = 100
    ) -> list[dict[str, Any]]:
        """The newest journal entries (bounded), filterable by operation id and task id."""
        return self.state.journal.entries(operation=operation, task_id=task_id, limit=limit)
