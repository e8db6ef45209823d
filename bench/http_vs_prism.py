"""Side by side over HTTP: ``wan-mock serve`` against Stoplight Prism 5 on the same spec, and
against the floor (a bare Flask view under the same Granian settings).

Every server runs on loopback on this machine at once (idle while another is measured); one
load generator (wrk, from Debian's package ``wrk``) drives the same requests at each in turn:

- validated submits: ``POST /services/aigc/video-generation/video-synthesis`` with a valid
  text-to-video body (Prism validates it against ``openapi/wan-video.yaml`` too; the floor
  parses it);
- task polls: ``GET /tasks/{id}`` of a task the server created (the floor answers a fixed one).

The mock runs in two settings: production (``wan-mock serve --workers 2 --store FILE``) and
the plain defaults (``wan-mock serve``); each has a floor started the same way (``granian
--workers N --blocking-threads 1``). Two rounds alternate over all the servers, and the
verdict takes the worse round. Printed per setting and scenario: requests/s, p50, p99 and
non-2xx answers of each round, then the ratios wan-mock / Prism and wan-mock / floor.

Targets (issue 17), at 32 connections: wan-mock / Prism >= 3.0x with the production setting
and >= 2.0x with the defaults; p99 <= 20 ms; wan-mock / floor >= 0.6 for polls and >= 0.45 for
submits. Prism is installed by this script from ``bench/prism/package.json`` (pinned, with its
lock file) into ``bench/prism/node_modules``.

``--baseline REF`` also serves the mock of an earlier commit (checked out into a temporary git
worktree, run by this interpreter with that tree's sources first on ``PYTHONPATH``) in the same
rounds, and prints this tree's figures against it: how a change moved the speed, measured in one
run.

    .venv/bin/python -m bench.http_vs_prism [--seconds 10] [--connections 32] [--rounds 2]
                                            [--baseline REF]
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from bench.wrk import (
    KEY,
    SCENARIOS,
    SUBMIT_PATH,
    Result,
    drive,
    ensure_wrk,
    first_task,
    free_port,
    process,
    request_of,
    wait_until_up,
)

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "openapi" / "wan-video.yaml"
PRISM_DIR = ROOT / "bench" / "prism"
PRISM = PRISM_DIR / "node_modules" / ".bin" / "prism"
BIN = Path(sys.executable).parent

#: The floor: the least a Flask view under Granian costs for the same two requests.
FLOOR_APP = f"""
from flask import Flask, request

app = Flask("floor")


@app.post("/api/v1{SUBMIT_PATH}")
def submit():
    body = request.get_json()
    return {{"output": {{"task_id": "floor", "task_status": "PENDING"}}, "model": body["model"]}}


@app.get("/api/v1/tasks/<task_id>")
def task(task_id):
    return {{"output": {{"task_id": task_id, "task_status": "SUCCEEDED"}}}}
"""

#: (scenario) -> (wan-mock / Prism in production, with the defaults, wan-mock / floor)
TARGETS = {"submit": (3.0, 2.0, 0.45), "poll": (3.0, 2.0, 0.6)}
P99_TARGET_MS = 20.0


@dataclass
class Server:
    name: str
    base: str  # the /api/v1 root
    runs: dict[str, list[Result]] = field(default_factory=dict)


def ensure_prism() -> None:
    if PRISM.exists():
        return
    npm = shutil.which("npm")
    if npm is None:
        raise SystemExit("npm is needed to install Prism (bench/prism/package.json)")
    subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=PRISM_DIR, check=True)


def _mock(folder: Path, production: bool) -> tuple[list[str], str]:
    port = free_port()
    command = [sys.executable, "-m", "wan_mock", "serve", "--port", str(port)]
    if production:
        command += ["--workers", "2", "--store", str(folder / "bench.db")]
    return command, f"http://127.0.0.1:{port}/api/v1"


def _floor(folder: Path, workers: int) -> tuple[list[str], str]:
    port = free_port()
    command = [
        str(BIN / "granian"),
        *("--interface", "wsgi", "--workers", str(workers), "--blocking-threads", "1"),
        *("--port", str(port), "--log-level", "warning", "--no-ws", "floor_app:app"),
    ]
    return command, f"http://127.0.0.1:{port}/api/v1"


def _prism() -> tuple[list[str], str]:
    port = free_port()
    return [str(PRISM), "mock", str(SPEC), "-h", "127.0.0.1", "-p", str(port)], (
        f"http://127.0.0.1:{port}"
    )


@contextmanager
def _baseline_tree(ref: str, folder: Path) -> Iterator[dict[str, str]]:
    """The environment that runs ``ref``'s mock: its tree checked out (a detached worktree,
    removed afterwards) and its source folders first on ``PYTHONPATH`` (``src``, or the
    layout before it: ``mock_server`` and ``generated_client``)."""
    tree = folder / "baseline"
    git = ["git", "-C", str(ROOT)]
    subprocess.run([*git, "worktree", "add", "--detach", str(tree), ref], check=True)
    try:
        sources = (
            [tree / "src"]
            if (tree / "src").is_dir()
            else [
                tree / "mock_server",
                tree / "generated_client",
            ]
        )
        yield {"PYTHONPATH": os.pathsep.join(str(source) for source in sources)}
    finally:
        subprocess.run([*git, "worktree", "remove", "--force", str(tree)], check=True)


def _worst(runs: list[Result], ratio_to: list[Result] | None = None) -> float:
    if ratio_to is None:
        return min(run.rps for run in runs)
    return min(mine.rps / theirs.rps for mine, theirs in zip(runs, ratio_to, strict=True))


def _verdict(value: float, target: float, at_least: bool = True) -> str:
    met = value >= target if at_least else value <= target
    return "met" if met else "NOT met"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument(
        "--baseline", metavar="REF", help="also measure the mock of this git commit"
    )
    args = parser.parse_args()
    wrk = ensure_wrk()
    ensure_prism()
    auth = {"Authorization": f"Bearer {KEY}"}

    with tempfile.TemporaryDirectory() as tmp, ExitStack() as stack:
        folder = Path(tmp)
        (folder / "floor_app.py").write_text(FLOOR_APP)
        started = {
            "wan-mock production": _mock(folder, production=True),
            "floor production": _floor(folder, workers=2),
            "wan-mock defaults": _mock(folder, production=False),
            "floor defaults": _floor(folder, workers=1),
            "prism": _prism(),
        }
        environments: dict[str, dict[str, str]] = {}
        if args.baseline:
            baseline = stack.enter_context(_baseline_tree(args.baseline, folder))
            started["baseline production"] = _mock(folder, production=True)
            started["baseline defaults"] = _mock(folder, production=False)
            environments = {"baseline production": baseline, "baseline defaults": baseline}
        servers: dict[str, Server] = {}
        for name, (command, base) in started.items():
            log = folder / f"{name.replace(' ', '-')}.log"
            stack.enter_context(process(command, log, cwd=folder, env=environments.get(name)))
            servers[name] = Server(name, base)
        task_ids = {}
        for server in servers.values():
            wait_until_up(server.base + "/tasks/warm-up", auth)
            task_ids[server.name] = first_task(server.base)
        for _ in range(args.rounds):
            for scenario in SCENARIOS:
                for server in servers.values():
                    url, script = request_of(scenario, server.base, task_ids[server.name])
                    result = drive(wrk, [url], script, args.seconds, args.connections)
                    server.runs.setdefault(scenario, []).append(result)

    print(
        f"date: {datetime.date.today()}  machine: {platform.node()} {platform.machine()}, "
        f"{os.cpu_count()} cores, python {platform.python_version()}"
    )
    print(
        f"load: wrk -t2 -c{args.connections} -d{args.seconds}s after a 2 s warm-up, "
        f"{args.rounds} rounds alternating over the servers; production: wan-mock serve "
        "--workers 2 --store FILE; defaults: wan-mock serve; floors: granian --workers 2 / 1 "
        "--blocking-threads 1 with a bare Flask view; prism 5.16.0 mock"
    )
    columns = ("round", 5), ("req/s", 8), ("p50 ms", 7), ("p99 ms", 7), ("non-2xx", 7)
    heading = " ".join(f"{name:>{width}}" for name, width in columns)
    print(f"{'scenario':8} {'server':20} {heading}")
    for scenario in SCENARIOS:
        for server in servers.values():
            for n, r in enumerate(server.runs[scenario], 1):
                print(
                    f"{scenario:8} {server.name:20} {n:5d} {r.rps:8.0f} {r.p50_ms:7.2f} "
                    f"{r.p99_ms:7.2f} {r.errors:7d}"
                )
    print("verdicts, each at the worse round:")
    prism = servers["prism"].runs
    for scenario in SCENARIOS:
        production, defaults, floor_target = TARGETS[scenario]
        for setting, target in (("production", production), ("defaults", defaults)):
            mock = servers[f"wan-mock {setting}"].runs[scenario]
            floor = servers[f"floor {setting}"].runs[scenario]
            vs_prism = _worst(mock, prism[scenario])
            vs_floor = _worst(mock, floor)
            p99 = max(run.p99_ms for run in mock)
            print(
                f"{scenario:8} {setting:10} wan-mock/prism = {vs_prism:.2f}x (target >= "
                f"{target}: {_verdict(vs_prism, target)}); wan-mock/floor = {vs_floor:.2f} "
                f"(target >= {floor_target}: {_verdict(vs_floor, floor_target)}); p99 "
                f"{p99:.1f} ms (target <= {P99_TARGET_MS:.0f}: "
                f"{_verdict(p99, P99_TARGET_MS, at_least=False)})"
            )
    if args.baseline:
        print(f"this tree against {args.baseline} (the worse round; within 5 % is 0.95x):")
        for scenario in SCENARIOS:
            for setting in ("production", "defaults"):
                mine = servers[f"wan-mock {setting}"].runs[scenario]
                before = servers[f"baseline {setting}"].runs[scenario]
                print(
                    f"{scenario:8} {setting:10} wan-mock/baseline = {_worst(mine, before):.2f}x "
                    f"(prism-relative: {_worst(mine, prism[scenario]):.2f}x now, "
                    f"{_worst(before, prism[scenario]):.2f}x before)"
                )


if __name__ == "__main__":
    main()
