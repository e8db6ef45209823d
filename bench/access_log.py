"""The access log's cost: in-process task polls with and without it.

Three apps, the same but for ``Settings.access_log``: off (the named peer, what ``create_app``
and ``WanMock`` do), text and JSON lines, each line written to a file. Each round times
``--requests`` polls (``GET /api/v1/tasks/{id}`` through Flask's test client) on each app in
turn, so a busy host slows all three alike. Printed: the median microseconds per request of
each, and the cost of each format per request (median over rounds of the difference with the
peer) and as a ratio against it.

    .venv/bin/python bench/access_log.py [--requests 5000] [--rounds 9]
"""

from __future__ import annotations

import argparse
import platform
import statistics
import tempfile
import time
from pathlib import Path

from flask.testing import FlaskClient

from wan_mock import ManualClock, Settings, close_app, create_app

HEADERS = {"Authorization": "Bearer sk-bench", "X-DashScope-Async": "enable"}
BODY = {"model": "wan2.2-t2v-plus", "input": {"prompt": "A kitten runs through the grass."}}
SUBMIT = "/api/v1/services/aigc/video-generation/video-synthesis"


def poll_path(client: FlaskClient) -> str:
    answer = client.post(SUBMIT, json=BODY, headers=HEADERS)
    assert answer.status_code == 200, answer.get_data(as_text=True)
    return f"/api/v1/tasks/{answer.get_json()['output']['task_id']}"


def timed(client: FlaskClient, path: str, requests: int) -> float:
    """Microseconds per request over ``requests`` polls."""
    start = time.perf_counter()
    for _ in range(requests):
        client.get(path, headers=HEADERS)
    return (time.perf_counter() - start) / requests * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=9)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="wan-bench-") as folder:
        log_file = (Path(folder) / "access.log").open("w", encoding="utf-8")
        variants = {
            "off": Settings(prerender_videos=False),
            "text": Settings(prerender_videos=False, access_log=True, log_format="text"),
            "json": Settings(prerender_videos=False, access_log=True, log_format="json"),
        }
        apps = {
            name: create_app(settings, clock=ManualClock(1_747_296_884.723), log_stream=log_file)
            for name, settings in variants.items()
        }
        clients = {name: app.test_client() for name, app in apps.items()}
        paths = {name: poll_path(client) for name, client in clients.items()}
        for name, client in clients.items():  # warm-up
            timed(client, paths[name], 200)
        times: dict[str, list[float]] = {name: [] for name in apps}
        for _ in range(args.rounds):
            for name, client in clients.items():
                times[name].append(timed(client, paths[name], args.requests))
        for app in apps.values():
            close_app(app)
        log_file.close()

    print(f"machine: {platform.node()} {platform.machine()} python {platform.python_version()}")
    print(f"{args.rounds} rounds of {args.requests} polls per app, interleaved")
    peer = statistics.median(times["off"])
    print(f"access log off (peer): median {peer:.1f} us/request")
    for name in ("text", "json"):
        cost = statistics.median(
            on - off for on, off in zip(times[name], times["off"], strict=True)
        )
        median = statistics.median(times[name])
        print(
            f"access log {name}: median {median:.1f} us/request, cost {cost:+.1f} us/request, "
            f"ratio {median / peer:.3f}x"
        )


if __name__ == "__main__":
    main()
