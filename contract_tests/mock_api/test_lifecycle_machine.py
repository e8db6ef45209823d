"""The task lifecycle as a state machine: the mock against a plain-Python model of it.

Rules submit valid bodies (``strategies.valid_bodies``) under two API keys, sometimes with an
``X-Mock-Scenario`` header (``fail=<code>``, ``pending=<s>; running=<s>``, ``reject=<code>``);
poll, cancel and list; move the ``ManualClock`` by small and large steps (past the 3-hour
timeout and the 24-hour expiry); restart the app on the same SQLite file with the same clock; and
act as the other key. The model predicts every task's status from its submit time, its timing
(the ``fast`` profile's, or the scenario's) and the spec's service limits
(``task_timeout_seconds``, ``task_ttl_seconds``, ``list_window_seconds``).

After every step every task is read back with its own key and must match the model, never move
backwards (PENDING → RUNNING → terminal → UNKNOWN), stay put once terminal, and carry a
``video_url`` only when SUCCEEDED. Cancel must succeed exactly when the model says PENDING; a list
must show exactly the key's tasks of the window, each with the status a query gives at the same
moment; the other key sees UNKNOWN, never lists, and cannot cancel.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

from contract_tests.support.mock import (
    API,
    PENDING_SECONDS,
    RUNNING_SECONDS,
    START,
    auth,
)
from contract_tests.support.spec_data import spec_document
from contract_tests.support.strategies import Scenario, ValidBody, mock_scenarios, valid_bodies
from wan_mock._domain._clock import ManualClock
from wan_mock._http._app import close_app, create_app
from wan_mock._service._settings import Settings

#: A long stateful run (a third of the profile's examples, up to 30 steps each).
pytestmark = pytest.mark.slow

SPEC = spec_document()
SERVICE = SPEC["x-wan-service"]
ERRORS = SPEC["x-wan-errors"]
TTL = float(SERVICE["task_ttl_seconds"])
TIMEOUT = float(SERVICE["task_timeout_seconds"])
WINDOW = float(SERVICE["list_window_seconds"])
MAX_PAGE = next(
    p["schema"]["maximum"]
    for p in SPEC["paths"]["/tasks"]["get"]["parameters"]
    if p["name"] == "page_size"
)
KEYS = ("sk-machine-alpha", "sk-machine-beta")
TERMINAL = frozenset({"SUCCEEDED", "FAILED", "CANCELED"})
#: How far along each status is; a task's status never goes to a lower number.
RANK = {"PENDING": 0, "RUNNING": 1, "SUCCEEDED": 2, "FAILED": 2, "CANCELED": 2, "UNKNOWN": 3}

STEPS = st.one_of(
    st.floats(0.0, 2.0, allow_nan=False),
    st.sampled_from([0.5, 1.0, 1.5, 60.0, 3600.0, TIMEOUT, TIMEOUT + 1, TTL - 1, TTL, TTL + 1]),
)


@dataclass
class TaskModel:
    """What the mock should say about one task at any moment."""

    task_id: str
    key: str
    submitted_at: float
    start_at: float
    end_at: float
    outcome: str
    code: str | None
    message: str | None
    canceled_at: float | None = None

    @classmethod
    def submitted(cls, task_id: str, key: str, now: float, scenario: Scenario) -> TaskModel:
        """Pending then running for the fast profile's times (or the scenario's); a task with
        no result within ``task_timeout_seconds`` fails with ``InternalError.Timeout``."""
        pending = PENDING_SECONDS if scenario.pending is None else scenario.pending
        running = RUNNING_SECONDS if scenario.running is None else scenario.running
        start_at, end_at = now + pending, now + pending + running
        outcome, code, message = "SUCCEEDED", None, None
        if scenario.fail is not None:
            outcome, (code, message) = "FAILED", scenario.fail
        if end_at - now > TIMEOUT:
            end_at = now + TIMEOUT
            start_at = min(start_at, end_at)
            outcome, code = "FAILED", "InternalError.Timeout"
            message = str(ERRORS[code]["message"])
        return cls(task_id, key, now, start_at, end_at, outcome, code, message)

    def status(self, now: float) -> str:
        if now >= self.submitted_at + TTL:
            return "UNKNOWN"
        if self.canceled_at is not None and now >= self.canceled_at:
            return "CANCELED"
        if now < self.start_at:
            return "PENDING"
        if now < self.end_at:
            return "RUNNING"
        return self.outcome


class LifecycleMachine(RuleBasedStateMachine):
    """One mock on a file store (or a Valkey server), two keys, and the model of every task
    submitted."""

    tasks = Bundle("tasks")

    def __init__(self, workdir: Path, media_dir: Path, store_url: str | None = None) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="lifecycle-", dir=workdir))
        self.clock = ManualClock(START)
        if store_url is None:
            self.settings = Settings(store_path=self.folder / "tasks.sqlite3", data_dir=media_dir)
        else:  # a Valkey database, emptied for each run
            import redis

            with redis.Redis.from_url(store_url) as server:
                server.flushdb()
            self.settings = Settings(store_url=store_url, data_dir=media_dir)
        self.app = create_app(self.settings, clock=self.clock)
        self.client: FlaskClient = self.app.test_client()
        self.model: dict[str, TaskModel] = {}
        self.seen: dict[str, str] = {}

    def teardown(self) -> None:
        self._close(self.app)
        shutil.rmtree(self.folder, ignore_errors=True)

    @staticmethod
    def _close(app: Flask) -> None:
        close_app(app)

    # ------------------------------------------------------------------ helpers
    def _query(self, task_id: str, key: str) -> dict[str, Any]:
        response = self.client.get(f"{API}/tasks/{task_id}", headers=auth(key))
        assert response.status_code == 200, response.get_data(as_text=True)
        body = response.get_json()
        assert isinstance(body, dict)
        assert body["output"]["task_id"] == task_id
        return body

    def _check(self, task: TaskModel) -> str:
        """Read the task with its key and hold it to the model and the lifecycle rules."""
        now = self.clock.now()
        body = self._query(task.task_id, task.key)
        output = body["output"]
        status = str(output["task_status"])
        what = f"task {task.task_id} at +{now - START:.3f}s"
        expected = task.status(now)
        assert status == expected, (
            f"[lifecycle] {what}: the mock says {status}, the model {expected}"
        )
        before = self.seen.get(task.task_id)
        if before is not None:
            assert RANK[status] >= RANK[before], (
                f"[lifecycle] {what}: {before} → {status} goes back"
            )
            if before in TERMINAL:
                assert status in (before, "UNKNOWN"), f"[terminal] {what}: {before} → {status}"
        self.seen[task.task_id] = status
        assert ("video_url" in output) == (status == "SUCCEEDED"), (
            f"[video_url] {what}: video_url present={'video_url' in output} in {status}"
        )
        assert ("usage" in body) == (status == "SUCCEEDED"), f"[usage] {what}: {body}"
        if status == "FAILED":
            assert (output.get("code"), output.get("message")) == (task.code, task.message), (
                f"[failure] {what}: {output}"
            )
        else:
            assert "code" not in output, f"[failure] {what}: an error code in {status}: {output}"
        if status == "UNKNOWN":
            assert set(output) == {"task_id", "task_status"}, f"[expiry] {what}: {output}"
        return status

    def _other(self, key: str) -> str:
        return KEYS[1] if key == KEYS[0] else KEYS[0]

    # ------------------------------------------------------------------ rules
    def _submit(self, case: ValidBody, owner: str, scenario: Scenario) -> str:
        headers = auth(owner, submit=True)
        if scenario.header is not None:
            headers["X-Mock-Scenario"] = scenario.header
        response = self.client.post(case.path, json=case.body, headers=headers)
        answer = response.get_json()
        assert response.status_code == 200, f"[submit] {case.schema_name}/{case.model}: {answer}"
        assert answer["output"]["task_status"] == "PENDING", answer
        task_id = str(answer["output"]["task_id"])
        assert task_id not in self.model, f"[ids] task id {task_id} issued twice"
        self.model[task_id] = TaskModel.submitted(task_id, owner, self.clock.now(), scenario)
        return task_id

    @initialize(target=tasks, case=valid_bodies(), owner=st.sampled_from(KEYS))
    def first_submit(self, case: ValidBody, owner: str) -> str:
        return self._submit(case, owner, Scenario(None))

    @rule(target=tasks, case=valid_bodies(), owner=st.sampled_from(KEYS))
    def submit(self, case: ValidBody, owner: str) -> str:
        return self._submit(case, owner, Scenario(None))

    @rule(
        target=tasks,
        case=valid_bodies(),
        owner=st.sampled_from(KEYS),
        scenario=mock_scenarios(),
    )
    def submit_with_scenario(self, case: ValidBody, owner: str, scenario: Scenario) -> str:
        return self._submit(case, owner, scenario)

    @rule(case=valid_bodies(), owner=st.sampled_from(KEYS), scenario=mock_scenarios(reject=True))
    def submit_rejected(self, case: ValidBody, owner: str, scenario: Scenario) -> None:
        assert scenario.header is not None
        assert scenario.reject is not None
        headers = {**auth(owner, submit=True), "X-Mock-Scenario": scenario.header}
        response = self.client.post(case.path, json=case.body, headers=headers)
        answer = response.get_json()
        documented = ERRORS[scenario.reject]
        assert response.status_code == documented["http_status"], f"[reject] {answer}"
        assert answer["code"] == scenario.reject, f"[reject] {answer}"
        assert answer["message"] == documented["message"], f"[reject] {answer}"
        assert "output" not in answer, f"[reject] a refused submit creates no task: {answer}"

    @rule(task_id=tasks)
    def poll(self, task_id: str) -> None:
        self._check(self.model[task_id])

    @rule(seconds=STEPS)
    def advance(self, seconds: float) -> None:
        self.clock.advance(seconds)

    @rule(task_id=tasks)
    def cancel(self, task_id: str) -> None:
        task = self.model[task_id]
        now = self.clock.now()
        pending = task.status(now) == "PENDING"
        response = self.client.post(f"{API}/tasks/{task_id}/cancel", headers=auth(task.key))
        answer = response.get_json()
        if pending:
            assert response.status_code == 200, f"[cancel] a PENDING task can be canceled: {answer}"
            assert set(answer) == {"request_id"}, f"[cancel] {answer}"
            task.canceled_at = now
            assert self._check(task) == "CANCELED", "[cancel] a canceled task reads CANCELED"
        else:
            self._assert_not_canceled(response.status_code, answer, task.status(now))

    @staticmethod
    def _assert_not_canceled(status_code: int, answer: Any, status: str) -> None:
        documented = ERRORS["UnsupportedOperation"]
        assert status_code == documented["http_status"], (
            f"[cancel] only PENDING tasks can be canceled, this one is {status}: {answer}"
        )
        assert answer["code"] == "UnsupportedOperation", f"[cancel] {answer}"
        assert answer["message"] == documented["message"], f"[cancel] {answer}"

    @rule(key=st.sampled_from(KEYS))
    def list_tasks(self, key: str) -> None:
        now = self.clock.now()
        response = self.client.get(
            f"{API}/tasks", headers=auth(key), query_string={"page_size": MAX_PAGE}
        )
        assert response.status_code == 200, response.get_data(as_text=True)
        page = response.get_json()
        listed = {item["task_id"]: item for item in page["data"]}
        expected = {
            t.task_id
            for t in self.model.values()
            if t.key == key and t.submitted_at >= now - WINDOW
        }
        assert set(listed) == expected, (
            f"[list] key {key} should list exactly its tasks of the last 24 h: "
            f"missing {expected - set(listed)}, unexpected {set(listed) - expected}"
        )
        assert page["total"] == len(expected), f"[list] total {page['total']} != {len(expected)}"
        for task_id, item in listed.items():
            queried = self._query(task_id, key)["output"]["task_status"]
            assert item["status"] == queried, (
                f"[list] task {task_id}: listed {item['status']} but queried {queried} at the "
                "same moment"
            )
            assert item["status"] == self.model[task_id].status(now), f"[list] {item}"

    @rule()
    def restart(self) -> None:
        """A new app on the same store file and clock: every task survives as it was."""
        self._close(self.app)
        self.app = create_app(self.settings, clock=self.clock)
        self.client = self.app.test_client()

    @rule(task_id=tasks)
    def other_key_is_kept_out(self, task_id: str) -> None:
        """The other key reads UNKNOWN, cannot cancel, and does not list the task."""
        task = self.model[task_id]
        other = self._other(task.key)
        output = self._query(task_id, other)["output"]
        assert output == {"task_id": task_id, "task_status": "UNKNOWN"}, (
            f"[isolation] another key must see UNKNOWN for {task_id}: {output}"
        )
        response = self.client.post(f"{API}/tasks/{task_id}/cancel", headers=auth(other))
        self._assert_not_canceled(response.status_code, response.get_json(), "another key's")
        listed = self.client.get(
            f"{API}/tasks", headers=auth(other), query_string={"task_id": task_id}
        ).get_json()
        assert listed["total"] == 0, f"[isolation] another key lists {task_id}: {listed}"

    # ------------------------------------------------------------------ invariants
    @invariant()
    def every_task_matches_the_model(self) -> None:
        for task in self.model.values():
            self._check(task)


def test_the_lifecycle_matches_the_model(tmp_path: Path, media_dir: Path) -> None:
    """A third of the profile's examples, each a whole run of up to 30 steps."""

    class Machine(LifecycleMachine):
        def __init__(self) -> None:
            super().__init__(tmp_path, media_dir)

    budget = settings(max_examples=max(5, settings().max_examples // 3), stateful_step_count=30)
    run_state_machine_as_test(Machine, settings=budget)


def test_the_lifecycle_matches_the_model_on_a_valkey_store(
    tmp_path: Path, media_dir: Path, redis_url: str
) -> None:
    """The same machine on the Redis store: its Lua scripts keep the same lifecycle."""

    class Machine(LifecycleMachine):
        def __init__(self) -> None:
            super().__init__(tmp_path, media_dir, redis_url)

    # A sixth: the SQLite run above explores the model; this one proves the scripts keep it,
    # and each of its steps is several round trips to a real server.
    budget = settings(max_examples=max(3, settings().max_examples // 6), stateful_step_count=30)
    run_state_machine_as_test(Machine, settings=budget)
