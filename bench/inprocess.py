"""In-process round trips: the generated client over ``httpx.WSGITransport``.

One round trip = submit a text-to-video task, advance the mock's clock past its lifecycle, read
it back SUCCEEDED, parse the typed body. Printed: median and p99 per round trip, and the ratio
against a named peer measured in the same run — the same client calls against a bare Flask app
that answers the same JSON bodies without validation, state or rules ("static Flask floor").
The target is a median of at most 2 ms per round trip.

    .venv/bin/python bench/inprocess.py [--rounds N]
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import time
from collections.abc import Callable

import httpx
from flask import Flask, Response

from wan_mock import ManualClock, MockControl, Settings, close_app, create_app
from wan_video_client import AuthenticatedClient
from wan_video_client.api.tasks import get_task
from wan_video_client.api.video_synthesis import create_video_synthesis_task
from wan_video_client.models import (
    TaskQueryResponse,
    TaskSubmitResponse,
    TextToVideoInput,
    TextToVideoParameters,
    TextToVideoRequest,
    TextToVideoRequestModel,
    VideoSize,
)

BODY = TextToVideoRequest(
    model=TextToVideoRequestModel.WAN2_5_T2V_PREVIEW,
    input_=TextToVideoInput(prompt="A kitten runs through the moonlit grass."),
    parameters=TextToVideoParameters(size=VideoSize.S832X480),
)


def static_floor() -> Flask:
    """The peer: Flask answering fixed submit and query bodies, no validation or state."""
    app = Flask("floor")
    submitted = json.dumps(
        {"output": {"task_status": "PENDING", "task_id": "t"}, "request_id": "r"}
    )
    done = json.dumps(
        {
            "request_id": "r",
            "output": {
                "task_id": "t",
                "task_status": "SUCCEEDED",
                "submit_time": "2025-05-15 16:14:44.723",
                "scheduled_time": "2025-05-15 16:14:45.223",
                "end_time": "2025-05-15 16:14:46.223",
                "video_url": "http://mock/results/t.mp4?Expires=1&Signature=s",
                "orig_prompt": "A kitten runs through the moonlit grass.",
            },
            "usage": {"video_duration": 5, "video_count": 1, "video_ratio": "832*480"},
        }
    )

    @app.post("/api/v1/services/aigc/video-generation/video-synthesis")
    def submit() -> Response:
        return Response(submitted, mimetype="application/json")

    @app.get("/api/v1/tasks/<task_id>")
    def query(task_id: str) -> Response:
        return Response(done, mimetype="application/json")

    return app


def measure(app: Flask, rounds: int, advance: Callable[[], object]) -> list[float]:
    client = AuthenticatedClient(
        base_url="http://mock/api/v1",
        token="sk-bench",
        httpx_args={"transport": httpx.WSGITransport(app=app)},
    )
    times: list[float] = []
    for index in range(rounds + 50):
        start = time.perf_counter()
        submitted = create_video_synthesis_task.sync(client=client, body=BODY)
        assert isinstance(submitted, TaskSubmitResponse)
        advance()
        task = get_task.sync(submitted.output.task_id, client=client)
        assert isinstance(task, TaskQueryResponse)
        assert task.output.task_status == "SUCCEEDED"
        if index >= 50:  # warm-up excluded
            times.append(time.perf_counter() - start)
    return times


def summary(times: list[float]) -> tuple[float, float]:
    ordered = sorted(times)
    return statistics.median(ordered) * 1000, ordered[int(len(ordered) * 0.99) - 1] * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2000)
    args = parser.parse_args()

    clock = ManualClock(1_747_296_884.723)
    mock = create_app(Settings(), clock=clock)
    control = MockControl.of(mock)
    mock_times = measure(mock, args.rounds, lambda: clock.advance(2.0))
    control.reset()
    close_app(mock)
    floor_times = measure(static_floor(), args.rounds, lambda: None)

    mock_median, mock_p99 = summary(mock_times)
    floor_median, floor_p99 = summary(floor_times)
    print(f"machine: {platform.node()} {platform.machine()} python {platform.python_version()}")
    print(f"round trips: {args.rounds} (submit -> advance clock -> query SUCCEEDED -> parse)")
    print(f"wan-mock in process:   median {mock_median:.3f} ms  p99 {mock_p99:.3f} ms")
    print(f"static Flask floor:    median {floor_median:.3f} ms  p99 {floor_p99:.3f} ms")
    print(f"ratio mock/floor (median): {mock_median / floor_median:.2f}x")
    print(f"target median <= 2 ms: {'met' if mock_median <= 2.0 else 'NOT met'}")


if __name__ == "__main__":
    main()
