"""The control methods ``WanMock`` and ``WanMockServer`` share, over the control plane.

Both classes talk to their mock's ``/__mock/`` endpoints (``openapi/mock-control.yaml``) — in
process through the WSGI app, served over loopback — so a method behaves the same on either, and
a value the control plane refuses is a :class:`ControlError` carrying its message.
:class:`RunningMock` offers the same methods for a mock already running at a URL (what the
``wan-mock clock``, ``tasks``, ``journal``… commands use).

Each method calls one control operation by its operationId; where it is (method and path) is
the spec's, from ``_control_operations.json``, which ``tools/control_data.py`` writes from
``mock-control.yaml`` (read as JSON: ``import wan_mock`` needs no YAML parser). A test holds the
file to the spec and finds a method, and a ``wan-mock`` command, for every control operation.
"""

from __future__ import annotations

import json as _json
from collections.abc import Mapping, Sequence
from importlib import resources
from types import TracebackType
from typing import Any, Self

import httpx

from .._spec._base_paths import API_PREFIX

__all__ = ["CONTROL_OPERATIONS", "ControlError", "MockControls", "RunningMock"]


def _control_operations() -> dict[str, tuple[str, str]]:
    text = resources.files(__package__).joinpath("_control_operations.json").read_text("utf-8")
    table = _json.loads(text)["operations"]
    return {name: (entry["method"].upper(), entry["path"]) for name, entry in table.items()}


#: Every control operation of ``mock-control.yaml``: operationId → (HTTP method, path).
CONTROL_OPERATIONS: Mapping[str, tuple[str, str]] = _control_operations()

#: More journal entries than any mock keeps: the control plane clamps a limit to its size.
_ALL = 1_000_000_000


class ControlError(ValueError):
    """The control plane refused a call; the message is its answer's message, ``status`` its
    HTTP status and ``code`` its error code (``AccessDenied``, ``InvalidParameter``…)."""

    def __init__(self, message: str, *, status: int | None = None, code: str | None = None):
        super().__init__(message)
        self.message = message
        self.status = status
        self.code = code


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
        operation: str,
        *,
        params: dict[str, Any] | None = None,
        json: dict[str, Any] | None = None,
    ) -> Any:
        """Call the control operation ``operation`` (an operationId); its JSON answer."""
        if self._controller is None:
            raise RuntimeError(f"{type(self).__name__} is not running: use it in a `with` block")
        method, path = CONTROL_OPERATIONS[operation]
        response = self._controller.request(method, path, params=params, json=json)
        if response.status_code >= 400:
            try:
                answer = response.json()
                message, code = str(answer["message"]), answer.get("code")
            except (ValueError, KeyError, TypeError, AttributeError):
                message, code = response.text, None
            raise ControlError(message, status=response.status_code, code=code)
        try:
            return response.json()
        except ValueError:
            raise ControlError(
                f"{response.url} answered {response.status_code} without JSON: is it a wan-mock?",
                status=response.status_code,
            ) from None

    # ------------------------------------------------------------------ health
    def health(self) -> dict[str, Any]:
        """``{"status": "ok", "profile", "rate_limits", "store", "now"}``: how the mock is
        configured and its time."""
        return dict(self._call("mock_health"))

    # ------------------------------------------------------------------ the clock
    def clock(self) -> dict[str, Any]:
        """``{"now", "frozen"}``: the mock's time."""
        return dict(self._call("mock_get_clock"))

    def advance(self, seconds: float) -> dict[str, Any]:
        """Move the mock's clock forward; tasks move through their lifecycle."""
        return dict(self._call("mock_advance_clock", json={"seconds": seconds}))

    def freeze(self) -> dict[str, Any]:
        """Stop the clock (``advance`` still moves it)."""
        return dict(self._call("mock_freeze_clock"))

    def unfreeze(self) -> dict[str, Any]:
        return dict(self._call("mock_unfreeze_clock"))

    def finish(self) -> dict[str, Any]:
        """Advance the clock until every task that follows it is terminal (tasks progressing
        by polls are listed in ``waiting_for_polls``)."""
        return dict(self._call("mock_finish"))

    # ------------------------------------------------------------------ scenarios
    def queue_scenario(
        self, scenario: str, count: int = 1, api_key: str | None = None
    ) -> dict[str, Any]:
        """Give the next ``count`` submits — of any key, or of ``api_key`` — the
        ``X-Mock-Scenario`` directives ``scenario`` (e.g. ``"pending_polls=2"``)."""
        body: dict[str, Any] = {"scenario": scenario, "count": count}
        if api_key is not None:
            body["api_key"] = api_key
        return dict(self._call("mock_queue_scenario", json=body))

    def fail_next(self, code: str, count: int = 1, api_key: str | None = None) -> None:
        """The next ``count`` tasks submitted (by any key, or by ``api_key``) end FAILED with
        ``code`` and its documented message."""
        self.queue_scenario(f"fail={code}", count, api_key)

    def reject_next(self, code: str, count: int = 1, api_key: str | None = None) -> None:
        """The next ``count`` submits (by any key, or by ``api_key``) answer ``code``'s HTTP
        error instead of making a task."""
        self.queue_scenario(f"reject={code}", count, api_key)

    def scenarios(self, api_key: str | None = None) -> list[dict[str, Any]]:
        """The queued scenarios, oldest first, of every key or only of ``api_key``: each
        ``{"key_id", "scenario"}`` (``key_id`` ``"*"`` is the queue of any key)."""
        params = {} if api_key is None else {"api_key": api_key}
        return list(self._call("mock_list_scenarios", params=params)["scenarios"])

    def reset(self) -> dict[str, Any]:
        """Forget every task, queued scenario, journal entry and rate counter."""
        return dict(self._call("mock_reset"))

    # ------------------------------------------------------------------ inspection
    def tasks(self, status: str | None = None) -> list[dict[str, Any]]:
        """Every task, oldest first, as ``GET /__mock/tasks`` shows it (only those whose
        current status is ``status``, when given)."""
        tasks = list(self._call("mock_list_tasks")["tasks"])
        return tasks if status is None else [task for task in tasks if task["status"] == status]

    def journal(
        self,
        operation: str | None = None,
        task_id: str | None = None,
        limit: int | None = None,
    ) -> list[dict[str, Any]]:
        """The API requests the mock answered, newest first (``GET /__mock/journal``),
        optionally only those of one operation id or about one task, at most ``limit``
        (default: all the mock keeps)."""
        params: dict[str, Any] = {"limit": _ALL if limit is None else limit}
        if operation is not None:
            params["operation"] = operation
        if task_id is not None:
            params["task_id"] = task_id
        return list(self._call("mock_read_journal", params=params)["entries"])

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


class RunningMock(MockControls):
    """The control methods of a mock already running at ``url`` (its root, e.g.
    ``http://127.0.0.1:8000``; a trailing ``/api/v1`` is dropped): a ``wan-mock serve``
    somewhere, started by someone else. ``control_token`` is sent as ``X-Mock-Control-Token``
    (needed from a non-loopback address); ``transport`` replaces httpx's (e.g. an
    ``httpx.WSGITransport`` on an app). The ``with`` block opens and closes the connection; the
    mock keeps running.

    ::

        with RunningMock("http://127.0.0.1:8000") as mock:
            mock.advance(60)
            mock.fail_next("DataInspectionFailed", api_key="sk-test")
    """

    def __init__(
        self,
        url: str,
        *,
        control_token: str | None = None,
        timeout: float = 30.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.url = url.rstrip("/").removesuffix(API_PREFIX).rstrip("/")
        self.control_token = control_token
        self.timeout = timeout
        self.transport = transport

    def start(self) -> Self:
        if self._controller is None:
            headers = (
                {} if self.control_token is None else {"X-Mock-Control-Token": self.control_token}
            )
            self._controller = httpx.Client(
                base_url=self.url,
                headers=headers,
                timeout=self.timeout,
                transport=self.transport,
                trust_env=False,
            )
        return self

    def stop(self) -> None:
        """Close the connection (idempotent); the mock is not stopped."""
        controller, self._controller = self._controller, None
        if controller is not None:
            controller.close()

    def __repr__(self) -> str:
        return f"<RunningMock {self.url}>"
