"""Side by side over HTTP: ``wan-mock serve`` against Stoplight Prism 5 on the same spec.

Both servers run on loopback on this machine; one load generator (wrk, from Debian's package
``wrk``) drives the same requests at both in the same run:

- validated submits: ``POST /services/aigc/video-generation/video-synthesis`` with a valid
  text-to-video body (Prism validates it against ``openapi/wan-video.yaml`` too);
- task polls: ``GET /tasks/{id}`` of a task the server created.

Printed per scenario: requests/s, p50 and p99 latency, non-2xx answers, and the ratio
wan-mock / Prism. Targets (issue 7): at least 2.0x Prism's requests/s for both, p99 <= 20 ms at
32 connections. Prism is installed by this script from ``bench/prism/package.json`` (pinned,
with its lock file) into ``bench/prism/node_modules``.

    .venv/bin/python bench/http_vs_prism.py [--seconds 10] [--connections 32] [--workers 2]
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "openapi" / "wan-video.yaml"
PRISM_DIR = ROOT / "bench" / "prism"
PRISM = PRISM_DIR / "node_modules" / ".bin" / "prism"
KEY = "sk-bench"
BODY = json.dumps(
    {
        "model": "wan2.5-t2v-preview",
        "input": {"prompt": "A kitten runs through the moonlit grass."},
        "parameters": {"size": "832*480", "duration": 5},
    }
)
SUBMIT_PATH = "/services/aigc/video-generation/video-synthesis"


@dataclass
class Result:
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int
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
def process(command: list[str], log: Path) -> Iterator[subprocess.Popen[bytes]]:
    with log.open("wb") as out:
        proc = subprocess.Popen(
            command, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
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


def ensure_prism() -> None:
    if PRISM.exists():
        return
    npm = shutil.which("npm")
    if npm is None:
        raise SystemExit("npm is needed to install Prism (bench/prism/package.json)")
    subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=PRISM_DIR, check=True)


def ensure_wrk() -> str:
    wrk = shutil.which("wrk")
    if wrk is None:
        raise SystemExit("wrk is needed: apt-get install wrk (Debian's package)")
    return wrk


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s)", text)
    if match is None:
        raise ValueError(text)
    return float(match.group(1)) * _UNITS[match.group(2)]


def run_wrk(wrk: str, url: str, script: str, seconds: int, connections: int) -> Result:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
        lua.write(script)
    try:
        # warm-up, then the measured run
        subprocess.run(
            [wrk, "-t2", f"-c{connections}", "-d2s", "-s", lua.name, url],
            capture_output=True,
            check=True,
        )
        out = subprocess.run(
            [wrk, "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", lua.name, url],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    finally:
        os.unlink(lua.name)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p50 = _ms(re.search(r"^\s*50%\s+(\S+)\s*$", out, re.M).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"^\s*99%\s+(\S+)\s*$", out, re.M).group(1))  # type: ignore[union-attr]
    total = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = int(bad.group(1)) if bad else 0
    socket_errors = re.search(r"Socket errors: (.*)", out)
    if socket_errors:
        numbers = [int(n) for n in re.findall(r"\d+", socket_errors.group(1))]
        errors += sum(numbers[1:])  # read/write/timeout (connect errors are in the first)
    return Result(rps, p50, p99, errors, total)


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


def first_task(base: str) -> str:
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()

    wrk = ensure_wrk()
    ensure_prism()
    results: dict[str, dict[str, Result]] = {"wan-mock": {}, "prism": {}}
    with tempfile.TemporaryDirectory() as tmp:
        mock_port, prism_port = free_port(), free_port()
        mock_base = f"http://127.0.0.1:{mock_port}/api/v1"
        prism_base = f"http://127.0.0.1:{prism_port}"
        mock_cmd = [
            str(Path(sys.executable).parent / "wan-mock"),
            "serve",
            "--port",
            str(mock_port),
            "--workers",
            str(args.workers),
            "--threads",
            str(args.threads),
            "--store",
            str(Path(tmp) / "bench.db"),
        ]
        prism_cmd = [str(PRISM), "mock", str(SPEC), "-h", "127.0.0.1", "-p", str(prism_port)]
        auth = {"Authorization": f"Bearer {KEY}"}
        for name, command, base in (
            ("wan-mock", mock_cmd, mock_base),
            ("prism", prism_cmd, prism_base),
        ):
            with process(command, Path(tmp) / f"{name}.log"):
                wait_until_up(base + "/tasks/warm-up", auth)
                task_id = first_task(base)
                results[name]["submit"] = run_wrk(
                    wrk, base + SUBMIT_PATH, submit_script(), args.seconds, args.connections
                )
                results[name]["poll"] = run_wrk(
                    wrk, f"{base}/tasks/{task_id}", poll_script(), args.seconds, args.connections
                )

    print(
        f"date: {datetime.date.today()}  machine: {platform.node()} {platform.machine()}, "
        f"{os.cpu_count()} cores, python {platform.python_version()}"
    )
    print(
        f"load: wrk -t2 -c{args.connections} -d{args.seconds}s (after a 2 s warm-up); "
        f"wan-mock serve --workers {args.workers} --threads {args.threads} --store FILE; "
        "prism 5.16.0 mock"
    )
    header = f"{'scenario':10} {'server':9} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'non-2xx':>8}"
    print(header)
    for scenario in ("submit", "poll"):
        for name in ("wan-mock", "prism"):
            r = results[name][scenario]
            print(
                f"{scenario:10} {name:9} {r.rps:9.0f} {r.p50_ms:8.2f} {r.p99_ms:8.2f} {r.errors:8d}"
            )
        ratio = results["wan-mock"][scenario].rps / results["prism"][scenario].rps
        p99 = results["wan-mock"][scenario].p99_ms
        print(
            f"{scenario:10} ratio wan-mock/prism = {ratio:.2f}x "
            f"(target >= 2.0: {'met' if ratio >= 2.0 else 'NOT met'}); "
            f"wan-mock p99 {p99:.1f} ms (target <= 20: {'met' if p99 <= 20 else 'NOT met'})"
        )


if __name__ == "__main__":
    main()
