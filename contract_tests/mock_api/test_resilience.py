"""Resilience: load and faults against real ``wan-mock serve`` processes on loopback.

- Mixed load from many clients against a multi-worker mock on a file store: no 5xx, no lost
  task, every task terminal at the end (``bench/load.py`` runs the full 64 clients x 60 s; the
  suite runs a shorter burst, ``WAN_LOAD_SECONDS`` to change it).
- SIGKILL of the whole server mid-run, then a restart on the same store: every accepted task is
  still there and its status never moves backwards.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import httpx
import pytest

from bench.load import run_load
from wan_mock import WanMockServer
from wan_mock._domain._lifecycle import ORDER

pytestmark = pytest.mark.slow

SUBMIT = "/api/v1/services/aigc/video-generation/video-synthesis"
KEY = "sk-resilience"
AUTH = {"Authorization": f"Bearer {KEY}"}
BODY = {"model": "wan2.2-t2v-plus", "input": {"prompt": "A lighthouse in a storm."}}


def test_mixed_load_on_two_workers_loses_nothing_and_never_fails(tmp_path: Path) -> None:
    seconds = float(os.environ.get("WAN_LOAD_SECONDS", "8"))
    with WanMockServer(directory=tmp_path, workers=2, options=("--threads", "8")) as server:
        report = run_load(server.root, seconds=seconds, clients=64)

    assert report.requests > 100, report
    assert report.server_errors == [], report.server_errors[:5]
    assert report.lost == [], report.lost[:5]
    assert report.not_terminal == [], report.not_terminal[:5]
    assert len(report.accepted) > 20
    assert set(report.statuses) <= {200, 400}, report.statuses


def _statuses(root: str, task_ids: list[str]) -> dict[str, str]:
    with httpx.Client(base_url=root, headers=AUTH, timeout=30, trust_env=False) as http:
        return {
            task_id: http.get(f"/api/v1/tasks/{task_id}").json()["output"]["task_status"]
            for task_id in task_ids
        }


def test_sigkill_mid_run_then_restart_keeps_every_accepted_task(tmp_path: Path) -> None:
    store = tmp_path / "tasks.db"
    accepted: list[str] = []
    stop = threading.Event()

    with WanMockServer(store=store, workers=2) as server:
        root = server.root

        def submit_until_stopped() -> None:
            with httpx.Client(base_url=root, headers=AUTH, timeout=5, trust_env=False) as http:
                while not stop.is_set():
                    try:
                        answer = http.post(
                            SUBMIT, json=BODY, headers={"X-DashScope-Async": "enable"}
                        )
                    except httpx.TransportError:
                        return  # the server is gone
                    if answer.status_code == 200:
                        accepted.append(answer.json()["output"]["task_id"])

        with httpx.Client(base_url=root, timeout=30, trust_env=False) as http:
            for _ in range(10):  # some tasks in every state before the kill
                answer = http.post(
                    SUBMIT, json=BODY, headers={**AUTH, "X-DashScope-Async": "enable"}
                )
                accepted.append(answer.json()["output"]["task_id"])
            http.post(f"/api/v1/tasks/{accepted[0]}/cancel", headers=AUTH).raise_for_status()
            http.post("/__mock/clock/advance", json={"seconds": 0.7}).raise_for_status()
        writers = [threading.Thread(target=submit_until_stopped) for _ in range(4)]
        for writer in writers:
            writer.start()
        while len(accepted) < 60:
            with httpx.Client(timeout=5, trust_env=False) as probe:
                probe.get(root + "/__mock/health")
        before = _statuses(root, list(accepted))
        server.kill()  # mid-run: the writers are still submitting
        stop.set()
        for writer in writers:
            writer.join(timeout=30)

    assert before[accepted[0]] == "CANCELED"
    with WanMockServer(store=store, workers=2) as restarted:
        after = _statuses(restarted.root, list(accepted))

    lost = [task_id for task_id, status in after.items() if status == "UNKNOWN"]
    assert lost == [], f"{len(lost)} accepted tasks lost after SIGKILL: {lost[:5]}"
    backwards = [
        (task_id, before[task_id], after[task_id])
        for task_id in before
        if ORDER[after[task_id]] < ORDER[before[task_id]]
        or (
            before[task_id] in ("SUCCEEDED", "FAILED", "CANCELED")
            and after[task_id] != before[task_id]
        )
    ]
    assert backwards == [], backwards[:5]
    assert after[accepted[0]] == "CANCELED"
