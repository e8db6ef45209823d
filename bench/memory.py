"""Resident memory of ``wan-mock serve`` after a million requests (issue 17: at most 150 MB PSS).

The server runs as users run it in CI (``--workers 2 --store FILE``) and wrk sends it a fixed
number of requests, a mix of every kind it must keep answering without growing: validated
submits (each stores a task), polls of a known task, task lists, polls of unknown ids and
refused submits (an unknown model). Each wrk thread stops after its share of the requests.

Printed: the resident memory (VmRSS) of the server's processes after start-up and after the
requests — the sum over the main process and its workers, and the largest single process — and
the journal's row count (bounded by ``journal_size``). The named peer, measured in the same run
under the same Granian settings and the same number of requests: a bare Flask app answering one
fixed JSON body, i.e. what the web stack alone costs.

    .venv/bin/python -m bench.memory [--requests 1000000] [--workers 2]
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import signal
import sqlite3
import subprocess
import sys
import tempfile
import textwrap
import time
from dataclasses import dataclass
from pathlib import Path

from bench.wrk import (
    BODY,
    KEY,
    SUBMIT_PATH,
    ensure_wrk,
    family,
    first_task,
    free_port,
    process,
    wait_until_up,
)

TARGET_MB = 150.0

_PEER_APP = textwrap.dedent(
    """
    from flask import Flask, jsonify

    app = Flask(__name__)


    @app.route("/<path:anything>", methods=["GET", "POST"])
    def answer(anything):
        return jsonify(request_id="0", output={"task_id": anything, "task_status": "PENDING"})
    """
)


@dataclass
class Memory:
    """RSS counts the pages a process shares with others (the interpreter, Flask, the codecs)
    in full, so summing it over processes counts them once per process; PSS divides each
    shared page among its sharers, so its sum is what the server occupies in all."""

    rss_mb: float
    pss_mb: float
    largest_rss_mb: float
    processes: int


def _kb(path: Path, field: str) -> int:
    for line in path.read_text().splitlines():
        if line.startswith(field):
            return int(line.split()[1])
    return 0


def memory_of(pid: int) -> Memory:
    rss, pss = [], []
    for member in family(pid):
        try:
            rss.append(_kb(Path(f"/proc/{member}/status"), "VmRSS:"))
            pss.append(_kb(Path(f"/proc/{member}/smaps_rollup"), "Pss:"))
        except OSError:
            continue
    return Memory(sum(rss) / 1024, sum(pss) / 1024, max(rss) / 1024, len(rss))


def wrk_script(base_path: str, task_id: str, per_thread: int, marks: Path) -> str:
    """A request mix cycling through a hundred slots, each wrk thread stopping after
    ``per_thread`` answers and leaving a file in ``marks`` (wrk's main thread only wakes at the
    end of ``-d`` or on SIGINT, which ``drive`` sends once both threads are done). Lists are one
    in a hundred: a list counts every task of the key in its window, so its cost grows with the
    tasks submitted (about 0.1 us a task)."""
    auth = f"Bearer {KEY}"
    bad_body = json.dumps({**json.loads(BODY), "model": "no-such-model"})
    return textwrap.dedent(
        f"""
        local submit = wrk.format("POST", "{base_path}{SUBMIT_PATH}",
            {{["Authorization"] = "{auth}", ["X-DashScope-Async"] = "enable",
             ["Content-Type"] = "application/json"}}, {json.dumps(BODY)})
        local refused = wrk.format("POST", "{base_path}{SUBMIT_PATH}",
            {{["Authorization"] = "{auth}", ["X-DashScope-Async"] = "enable",
             ["Content-Type"] = "application/json"}}, {json.dumps(bad_body)})
        local poll = wrk.format("GET", "{base_path}/tasks/{task_id}",
            {{["Authorization"] = "{auth}"}})
        local unknown = wrk.format("GET", "{base_path}/tasks/no-such-task",
            {{["Authorization"] = "{auth}"}})
        local list = wrk.format("GET", "{base_path}/tasks?page_size=10",
            {{["Authorization"] = "{auth}"}})
        -- per 100 requests: 45 submits, 45 polls, 5 unknown ids, 4 refused, 1 list
        local mix = {{}}
        for i = 1, 45 do mix[#mix + 1] = submit; mix[#mix + 1] = poll end
        for i = 1, 5 do mix[#mix + 1] = unknown end
        for i = 1, 4 do mix[#mix + 1] = refused end
        mix[#mix + 1] = list
        local threads = 0
        function setup(thread)
            threads = threads + 1
            thread:set("id", threads)
        end
        local sent, answered = 0, 0
        request = function()
            sent = sent + 1
            return mix[(sent % #mix) + 1]
        end
        response = function(status, headers, body)
            answered = answered + 1
            if answered == {per_thread} then
                local mark = io.open("{marks}/done-" .. id, "w")
                mark:close()
                wrk.thread:stop()
            end
        end
        """
    )


def drive(wrk: str, url: str, script: str, connections: int, marks: Path) -> str:
    """Run wrk until both its threads have left their mark, then stop it (SIGINT: it prints
    its summary)."""
    lua = marks / "mix.lua"
    lua.write_text(script)
    runner = subprocess.Popen(
        [wrk, "-t2", f"-c{connections}", "-d3600s", "-s", str(lua), url],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        while len(list(marks.glob("done-*"))) < 2 and runner.poll() is None:
            time.sleep(0.2)
        runner.send_signal(signal.SIGINT)
        out, err = runner.communicate(timeout=60)
    finally:
        if runner.poll() is None:
            runner.kill()
    if runner.returncode != 0:
        raise SystemExit(f"wrk failed: {err}")
    return out


def _requests_done(out: str) -> int:
    for line in out.splitlines():
        if "requests in" in line:
            return int(line.split()[0])
    return 0


def measure(
    name: str, command: list[str], base: str, root: str, requests: int, tmp: Path
) -> tuple[Memory, Memory, int, float]:
    wrk = ensure_wrk()
    auth = {"Authorization": f"Bearer {KEY}"}
    with process(command, tmp / f"{name}.log") as server:
        wait_until_up(base + "/tasks/warm-up", auth)
        task_id = first_task(base)
        time.sleep(1.0)  # let every worker finish booting before the first reading
        before = memory_of(server.pid)
        started = time.monotonic()
        marks = tmp / f"{name}-marks"
        marks.mkdir()
        script = wrk_script(base.removeprefix(root), task_id, requests // 2, marks)
        out = drive(wrk, root, script, 32, marks)
        seconds = time.monotonic() - started
        after = memory_of(server.pid)
    return before, after, _requests_done(out), seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1_000_000)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    bin_dir = Path(sys.executable).parent
    rows = []
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        store = tmp / "bench.db"
        port = free_port()
        root = f"http://127.0.0.1:{port}"
        mock = [
            str(bin_dir / "wan-mock"),
            "serve",
            "--port",
            str(port),
            "--workers",
            str(args.workers),
            "--store",
            str(store),
        ]
        rows.append(
            ("wan-mock", *measure("wan-mock", mock, root + "/api/v1", root, args.requests, tmp))
        )
        with sqlite3.connect(store) as db:
            journal_rows = db.execute("SELECT COUNT(*) FROM journal").fetchone()[0]
            tasks = db.execute("SELECT COUNT(*) FROM tasks").fetchone()[0]

        (tmp / "peer_app.py").write_text(_PEER_APP)
        port = free_port()
        root = f"http://127.0.0.1:{port}"
        peer = [
            str(bin_dir / "granian"),
            "--interface",
            "wsgi",
            "--workers",
            str(args.workers),
            "--blocking-threads",
            "1",
            "--port",
            str(port),
            "--no-access-log",
            "--log-level",
            "warning",
            "--working-dir",
            str(tmp),
            "peer_app:app",
        ]
        rows.append(
            ("flask-floor", *measure("peer", peer, root + "/api/v1", root, args.requests, tmp))
        )

    print(
        f"date: {datetime.date.today()}  machine: {platform.node()} {platform.machine()}, "
        f"{os.cpu_count()} cores, python {platform.python_version()}"
    )
    print(
        f"load: {args.requests:,} requests from wrk -t2 -c32 (submit/poll/list/unknown/refused "
        f"mix); servers: wan-mock serve --workers {args.workers} --store FILE, and the peer "
        f"flask-floor (a bare Flask app, granian --workers {args.workers} --blocking-threads 1)"
    )
    print(
        f"{'server':12} {'requests':>10} {'req/s':>6} {'PSS start':>10} {'PSS after':>10} "
        f"{'RSS after':>10} {'largest':>8} {'procs':>5}"
    )
    for name, before, after, done, seconds in rows:
        print(
            f"{name:12} {done:10,d} {done / seconds:6.0f} {before.pss_mb:8.1f}MB "
            f"{after.pss_mb:8.1f}MB {after.rss_mb:8.1f}MB {after.largest_rss_mb:6.1f}MB "
            f"{after.processes:5d}"
        )
    print("(PSS: shared pages divided among the processes; RSS: summed, shared pages counted")
    print(" once per process; largest: the biggest single process's RSS)")
    mock_before, mock_after, peer_after = rows[0][1], rows[0][2], rows[1][2]
    print(f"wan-mock store after the run: {tasks:,} tasks, {journal_rows:,} journal rows (bounded)")
    ratio = mock_after.pss_mb / peer_after.pss_mb
    met = mock_after.pss_mb <= TARGET_MB
    print(
        f"wan-mock PSS after / flask-floor PSS after = {ratio:.2f}x; wan-mock in all "
        f"{mock_after.pss_mb:.1f} MB (target <= {TARGET_MB:.0f}: {'met' if met else 'NOT met'}), "
        f"growth during the run {mock_after.pss_mb - mock_before.pss_mb:+.1f} MB"
    )


if __name__ == "__main__":
    main()
