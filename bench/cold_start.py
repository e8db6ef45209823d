"""Cold start: from launching ``wan-mock serve`` to its first answer, against a named peer.

The peer is a bare Flask app under the same Granian settings ("Granian + Flask floor"), so the
ratio shows what loading the spec, compiling the validators and opening the store add. Each is
started ``--runs`` times; the median is printed. Target (issue 7): at most 0.5 s.

    .venv/bin/python bench/cold_start.py [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import platform
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

FLOOR_APP = """
from flask import Flask
app = Flask("floor")

@app.get("/api/v1/tasks/<task_id>")
def task(task_id):
    return {"output": {"task_id": task_id, "task_status": "UNKNOWN"}}
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def time_to_first_answer(command: list[str], url: str, cwd: str) -> float:
    start = time.perf_counter()
    proc = subprocess.Popen(
        command,
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        while True:
            try:
                request = urllib.request.Request(url, headers={"Authorization": "Bearer sk-cold"})
                with urllib.request.urlopen(request, timeout=1):
                    return time.perf_counter() - start
            except OSError:
                if proc.poll() is not None:
                    raise SystemExit(f"{command[0]} exited with {proc.returncode}") from None
                time.sleep(0.005)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    bin_dir = Path(sys.executable).parent
    mock: list[float] = []
    floor: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "floor_app.py").write_text(FLOOR_APP)
        for run in range(args.runs):
            port = free_port()
            mock.append(
                time_to_first_answer(
                    [str(bin_dir / "wan-mock"), "serve", "--port", str(port)],
                    f"http://127.0.0.1:{port}/api/v1/tasks/cold",
                    tmp,
                )
            )
            port = free_port()
            floor.append(
                time_to_first_answer(
                    [
                        str(bin_dir / "granian"),
                        "--interface",
                        "wsgi",
                        "--blocking-threads",
                        "1",
                        "--port",
                        str(port),
                        "--log-level",
                        "warning",
                        "floor_app:app",
                    ],
                    f"http://127.0.0.1:{port}/api/v1/tasks/cold",
                    tmp,
                )
            )
            del run
    mock_s, floor_s = statistics.median(mock), statistics.median(floor)
    print(
        f"machine: {platform.node()} {platform.machine()}, {os.cpu_count()} cores, "
        f"python {platform.python_version()}; {args.runs} runs each, median"
    )
    print(f"wan-mock serve:            {mock_s:.3f} s to the first answer")
    print(f"Granian + Flask floor:     {floor_s:.3f} s to the first answer")
    print(
        f"ratio wan-mock/floor: {mock_s / floor_s:.2f}x; "
        f"target <= 0.5 s: {'met' if mock_s <= 0.5 else 'NOT met'}"
    )


if __name__ == "__main__":
    main()
