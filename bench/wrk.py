"""What the HTTP benchmarks share: the requests (a validated submit, a task poll), wrk (from
Debian's package ``wrk``) driving one server or several at once, and the servers' processes
on loopback, stopped by their process group."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

KEY = "sk-bench"
BODY = json.dumps(
    {
        "model": "wan2.5-t2v-preview",
        "input": {"prompt": "A kitten runs through the moonlit grass."},
        "parameters": {"size": "832*480", "duration": 5},
    }
)
SUBMIT_PATH = "/services/aigc/video-generation/video-synthesis"
#: The two measured requests: a validated submit, and a poll of a task the server made.
SCENARIOS = ("submit", "poll")
WARM_UP_SECONDS = 2


@dataclass
class Result:
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int  # non-2xx answers and socket read/write/timeout errors
    requests: int


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_up(url: str, headers: dict[str, str], seconds: float = 60.0) -> float:
    """Poll until the server answers; returns how long it took."""
    start = time.monotonic()
    while time.monotonic() - start < seconds:
        try:
            request = urllib.request.Request(url, headers=headers)
            with urllib.request.urlopen(request, timeout=2):
                return time.monotonic() - start
        except OSError:
            time.sleep(0.05)
    raise SystemExit(f"{url} did not answer within {seconds} s")


@contextmanager
def process(
    command: list[str], log: Path, cwd: Path | None = None, env: dict[str, str] | None = None
) -> Iterator[subprocess.Popen[bytes]]:
    """``command`` running (its output in ``log``; ``env`` added to this environment) until the
    block ends, then its process group stopped: SIGTERM, SIGKILL after 15 s."""
    with log.open("wb") as out:
        proc = subprocess.Popen(
            command,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            cwd=cwd,
            env=None if env is None else {**os.environ, **env},
        )
        try:
            yield proc
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


def _by_parent() -> dict[int, list[int]]:
    """Every process's children, by the parent's id (Linux ``/proc``)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(parent, []).append(int(entry.name))
    return children


def children(pid: int) -> list[int]:
    """The processes whose parent is ``pid``."""
    return _by_parent().get(pid, [])


def family(pid: int) -> list[int]:
    """``pid`` and every process below it."""
    below = _by_parent()
    found, queue = [], [pid]
    while queue:
        current = queue.pop()
        found.append(current)
        queue.extend(below.get(current, []))
    return found


_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pids: list[int]) -> float:
    """The CPU time (user and system) the processes have used so far."""
    ticks = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks += int(fields[11]) + int(fields[12])
    return ticks / _TICKS


def machine_cpu_seconds() -> float:
    """The CPU time every core of the machine has spent busy so far (``/proc/stat``)."""
    fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq = (int(n) for n in fields[:7])
    return (user + nice + system + irq + softirq) / _TICKS


def ensure_wrk() -> str:
    wrk = shutil.which("wrk")
    if wrk is None:
        raise SystemExit("wrk is needed: apt-get install wrk (Debian's package)")
    return wrk


def submit_script() -> str:
    return (
        'wrk.method = "POST"\n'
        f'wrk.headers["Authorization"] = "Bearer {KEY}"\n'
        'wrk.headers["X-DashScope-Async"] = "enable"\n'
        'wrk.headers["Content-Type"] = "application/json"\n'
        f"wrk.body = {json.dumps(BODY)}\n"
    )


def poll_script() -> str:
    return f'wrk.headers["Authorization"] = "Bearer {KEY}"\n'


def request_of(scenario: str, base: str, task_id: str) -> tuple[str, str]:
    """The URL (under ``base``, an ``/api/v1`` root) and wrk script of a scenario."""
    if scenario == "submit":
        return base + SUBMIT_PATH, submit_script()
    return f"{base}/tasks/{task_id}", poll_script()


def first_task(base: str) -> str:
    """Submit one task to ``base`` (an ``/api/v1`` root) and return its id."""
    request = urllib.request.Request(
        base + SUBMIT_PATH,
        data=BODY.encode(),
        headers={
            "Authorization": f"Bearer {KEY}",
            "X-DashScope-Async": "enable",
            "Content-Type": "application/json",
        },
    )
    with urllib.request.urlopen(request, timeout=10) as answer:
        return str(json.load(answer)["output"]["task_id"])


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s)", text)
    if match is None:
        raise ValueError(text)
    return float(match.group(1)) * _UNITS[match.group(2)]


def _found(pattern: str, out: str) -> str:
    match = re.search(pattern, out, re.M)
    if match is None:
        raise SystemExit(f"wrk printed no {pattern!r}:\n{out}")
    return match.group(1)


def parse(out: str) -> Result:
    """What ``wrk --latency`` printed."""
    errors = 0
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    if bad:
        errors += int(bad.group(1))
    socket_errors = re.search(r"Socket errors: (.*)", out)
    if socket_errors:  # read/write/timeout (connect errors, the first number, are not answers)
        errors += sum(int(n) for n in re.findall(r"\d+", socket_errors.group(1))[1:])
    return Result(
        rps=float(_found(r"Requests/sec:\s+([\d.]+)", out)),
        p50_ms=_ms(_found(r"^\s*50%\s+(\S+)\s*$", out)),
        p99_ms=_ms(_found(r"^\s*99%\s+(\S+)\s*$", out)),
        errors=errors,
        requests=int(_found(r"(\d+) requests in", out)),
    )


def drive(wrk: str, urls: list[str], script: str, seconds: int, connections: int) -> Result:
    """A warm-up, then ``seconds`` of wrk load: ``connections`` on one URL (two wrk threads),
    or split over several URLs at once (one wrk process each), whose requests/s add up, p50
    is the mean and p99 the worst."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
        lua.write(script)
    threads = "-t2" if len(urls) == 1 else "-t1"
    share = max(1, connections // len(urls))
    try:
        for phase in (WARM_UP_SECONDS, seconds):
            runs = [
                subprocess.Popen(
                    [wrk, threads, f"-c{share}", f"-d{phase}s", "--latency", "-s", lua.name, url],
                    stdout=subprocess.PIPE,
                    text=True,
                )
                for url in urls
            ]
            outs = [run.communicate()[0] for run in runs]
    finally:
        os.unlink(lua.name)
    results = [parse(out) for out in outs]
    return Result(
        rps=sum(r.rps for r in results),
        p50_ms=sum(r.p50_ms for r in results) / len(results),
        p99_ms=max(r.p99_ms for r in results),
        errors=sum(r.errors for r in results),
        requests=sum(r.requests for r in results),
    )
