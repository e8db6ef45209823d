"""The control methods ``WanMock`` and ``WanMockServer`` share, over the control plane.

Both classes talk to their mock's ``/__mock/`` endpoints (``openapi/mock-control.yaml``) — in
process through the WSGI app, served over loopback — so a method behaves the same on either, and
a value the control plane refuses is a :class:`ControlError` carrying its message.
"""

from __future__ import annotations

from collections.abc import Sequence
from types import TracebackType
from typing import Any, Self

import httpx

__all__ = ["ControlError", "MockControls"]

#: More journal entries than any mock keeps: the control plane clamps a limit to its size.
_ALL = 1_000_000_000


class ControlError(ValueError):
    """The control plane refused a call; the message is its answer's message."""


def _describe(entries: Sequence[dict[str, Any]]) -> str:
    lines = [
        f"  {entry['operation']} -> {entry['status']}"
        + (f" {entry['code']}: {entry['message']}" if entry.get("code") else "")
        + (f" (task {entry['task_id']})" if entry.get("task_id") else "")
        for entry in reversed(entries)  # oldest first, as they happened
    ]
    return "\n".join(lines) if lines else "  (no API requests)"


class MockControls:
    """Control methods over ``self._controller`` (an ``httpx.Client`` on the mock's root), and
    the ``with`` block that starts and stops the mock."""

    _controller: httpx.Client | None = None

    def start(self) -> Self:
        raise NotImplementedError

    def stop(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def _call(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        json: dict[str, Any] | None = None,
    ) -> Any:
        if self._controller is None:
            raise RuntimeError(f"{type(self).__name__} is not running: use it in a `with` block")
        response = self._controller.request(method, "/__mock/" + path, params=params, json=json)
        if response.status_code >= 400:
            try:
                message = response.json()["message"]
            except (ValueError, KeyError, TypeError):
                message = response.text
            raise ControlError(message)
        return response.json()

    # ------------------------------------------------------------------ the clock
    def clock(self) -> dict[str, Any]:
        """``{"now", "frozen"}``: the mock's time."""
        return dict(self._call("GET", "clock"))

    def advance(self, seconds: float) -> dict[str, Any]:
        """Move the mock's clock forward; tasks move through their lifecycle."""
        return dict(self._call("POST", "clock/advance", json={"seconds": seconds}))

    def freeze(self) -> dict[str, Any]:
        """Stop the clock (``advance`` still moves it)."""
        return dict(self._call("POST", "clock/freeze"))

    def unfreeze(self) -> dict[str, Any]:
        return dict(self._call("POST", "clock/unfreeze"))

    def finish(self) -> dict[str, Any]:
        """Advance the clock until every task that follows it is terminal (tasks progressing
        by polls are listed in ``waiting_for_polls``)."""
        return dict(self._call("POST", "finish"))

    # ------------------------------------------------------------------ scenarios
    def queue_scenario(
        self, scenario: str, count: int = 1, api_key: str | None = None
    ) -> dict[str, Any]:
        """Give the next ``count`` submits — of any key, or of ``api_key`` — the
        ``X-Mock-Scenario`` directives ``scenario`` (e.g. ``"pending_polls=2"``)."""
        body: dict[str, Any] = {"scenario": scenario, "count": count}
        if api_key is not None:
            body["api_key"] = api_key
        return dict(self._call("POST", "scenarios", json=body))

    def fail_next(self, code: str, count: int = 1, api_key: str | None = None) -> None:
        """The next ``count`` tasks submitted (by any key, or by ``api_key``) end FAILED with
        ``code`` and its documented message."""
        self.queue_scenario(f"fail={code}", count, api_key)

    def reject_next(self, code: str, count: int = 1, api_key: str | None = None) -> None:
        """The next ``count`` submits (by any key, or by ``api_key``) answer ``code``'s HTTP
        error instead of making a task."""
        self.queue_scenario(f"reject={code}", count, api_key)

    def reset(self) -> None:
        """Forget every task, queued scenario, journal entry and rate counter."""
        self._call("POST", "reset")

    # ------------------------------------------------------------------ inspection
    def tasks(self) -> list[dict[str, Any]]:
        """Every task, oldest first, as ``GET /__mock/tasks`` shows it."""
        return list(self._call("GET", "tasks")["tasks"])

    def journal(
        self, operation: str | None = None, task_id: str | None = None
    ) -> list[dict[str, Any]]:
        """The API requests the mock answered, newest first (``GET /__mock/journal``),
        optionally only those of one operation id or about one task."""
        params: dict[str, Any] = {"limit": _ALL}
        if operation is not None:
            params["operation"] = operation
        if task_id is not None:
            params["task_id"] = task_id
        return list(self._call("GET", "journal", params=params)["entries"])

    def polls(self, task_id: str) -> int:
        """How many times the task's key queried it (``GET /tasks/{task_id}``)."""
        for task in self.tasks():
            if task["task_id"] == task_id:
                return int(task["polls"])
        raise AssertionError(f"the mock has no task {task_id!r}")

    # ------------------------------------------------------------------ assertions
    def assert_called(self, operation: str, times: int | None = None) -> None:
        """The API operation (an operation id such as ``create_video_synthesis_task`` or
        ``get_task``) was called: at least once, or exactly ``times`` times."""
        entries = self.journal(operation)
        called = len(entries)
        if (times is None and called == 0) or (times is not None and called != times):
            expected = "at least once" if times is None else f"{times} time(s)"
            raise AssertionError(
                f"expected {operation} to be called {expected}, it was called {called} "
                f"time(s); the API requests were:\n{_describe(self.journal())}"
            )

    def assert_no_invalid_requests(self) -> None:
        """No API request was refused as the client's fault: no 4xx answer, apart from
        those a scenario asked for (``reject_next``, ``query_fail=``) and 429 rate limits."""
        refused = [
            entry
            for entry in self.journal()
            if 400 <= entry["status"] < 500 and entry["status"] != 429 and not entry["injected"]
        ]
        if refused:
            raise AssertionError(
                f"{len(refused)} API request(s) were refused as invalid:\n{_describe(refused)}"
            )
