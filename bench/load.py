"""Mixed load against a running mock: no 5xx, no lost task, every task terminal at the end.

``run_load`` drives ``clients`` threads for ``seconds``: each loops over submit (40 %), poll
(40 %), cancel (10 %) and list (10 %) with its own key. Afterwards the mock's clock is advanced
through the control plane (no sleeping) and every accepted task is read back: it must exist and
be terminal. The test suite runs it briefly; this script runs the full 64 clients x 60 s
against a multi-worker mock on a file store:

    .venv/bin/python bench/load.py [--seconds 60] [--clients 64] [--workers 2]
"""

from __future__ import annotations

import argparse
import random
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

import httpx

from wan_mock import WanMockServer

SUBMIT = "/services/aigc/video-generation/video-synthesis"
BODY = {
    "model": "wan2.2-t2v-plus",
    "input": {"prompt": "A paper boat drifts down a rain gutter."},
    "parameters": {"size": "832*480"},
}
TERMINAL = {"SUCCEEDED", "FAILED", "CANCELED"}


@dataclass
class LoadReport:
    requests: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    server_errors: list[str] = field(default_factory=list)
    accepted: dict[str, str] = field(default_factory=dict)  # task id -> key
    lost: list[str] = field(default_factory=list)
    not_terminal: list[str] = field(default_factory=list)
    final: Counter[str] = field(default_factory=Counter)

    @property
    def ok(self) -> bool:
        return not (self.server_errors or self.lost or self.not_terminal)


def _client_loop(
    api_url: str, key: str, deadline: float, seed: int, report: LoadReport, lock: threading.Lock
) -> None:
    rng = random.Random(seed)
    mine: list[str] = []
    headers = {"Authorization": f"Bearer {key}"}
    with httpx.Client(base_url=api_url, headers=headers, timeout=30, trust_env=False) as http:
        while time.monotonic() < deadline:
            roll = rng.random()
            if roll < 0.4 or not mine:
                response = http.post(SUBMIT, json=BODY, headers={"X-DashScope-Async": "enable"})
                if response.status_code == 200:
                    task_id = response.json()["output"]["task_id"]
                    mine.append(task_id)
                    with lock:
                        report.accepted[task_id] = key
            elif roll < 0.8:
                response = http.get(f"/tasks/{rng.choice(mine)}")
            elif roll < 0.9:
                response = http.post(f"/tasks/{rng.choice(mine)}/cancel")
            else:
                response = http.get("/tasks", params={"page_size": 20})
            with lock:
                report.requests += 1
                report.statuses[response.status_code] += 1
                if response.status_code >= 500:
                    report.server_errors.append(f"{response.status_code} {response.text[:200]}")


def run_load(root: str, *, seconds: float, clients: int) -> LoadReport:
    """Load the mock at ``root`` (``http://host:port``), then check every accepted task."""
    api_url = root + "/api/v1"
    report = LoadReport()
    lock = threading.Lock()
    deadline = time.monotonic() + seconds
    threads = [
        threading.Thread(
            target=_client_loop,
            args=(api_url, f"sk-load-{n}", deadline, n, report, lock),
            daemon=True,
        )
        for n in range(clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 120)
    with httpx.Client(timeout=30, trust_env=False) as http:
        http.post(root + "/__mock/clock/advance", json={"seconds": 3600}).raise_for_status()
        for task_id, key in report.accepted.items():
            answer = http.get(
                f"{api_url}/tasks/{task_id}", headers={"Authorization": f"Bearer {key}"}
            )
            status = answer.json()["output"]["task_status"] if answer.status_code == 200 else "?"
            report.final[status] += 1
            if status in ("UNKNOWN", "?"):
                report.lost.append(task_id)
            elif status not in TERMINAL:
                report.not_terminal.append(f"{task_id}:{status}")
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    with WanMockServer(workers=args.workers) as server:
        started = time.monotonic()
        report = run_load(server.root, seconds=args.seconds, clients=args.clients)
        elapsed = time.monotonic() - started
    print(
        f"{args.clients} clients for {args.seconds:.0f} s against wan-mock serve "
        f"--workers {args.workers} --store FILE ({elapsed:.0f} s with the final check)"
    )
    print(
        f"requests: {report.requests} ({report.requests / args.seconds:.0f}/s); "
        f"statuses: {dict(sorted(report.statuses.items()))}"
    )
    print(f"accepted tasks: {len(report.accepted)}; final: {dict(report.final)}")
    print(
        f"5xx: {len(report.server_errors)}; lost: {len(report.lost)}; "
        f"not terminal: {len(report.not_terminal)}  ->  {'OK' if report.ok else 'FAILED'}"
    )
    raise SystemExit(0 if report.ok else 1)


if __name__ == "__main__":
    main()
