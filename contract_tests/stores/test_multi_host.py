"""Many hosts, one mock: three ``wan-mock serve`` processes on three loopback ports sharing one
Valkey server (``--store redis://…``) answer as one service — a task submitted on one is
polled on another and canceled on a third, the clock moved through one moves them all, rate
limits count across hosts, a result URL minted by one downloads from another, and a host
killed mid-load loses no accepted task.

Each host runs on the mock's shared clock, frozen first, so nothing here waits for a lifecycle:
the clock is moved through the control plane."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from contract_tests.support.control import model_limits
from contract_tests.support.mock import auth, body_for
from contract_tests.support.paths import ROOT
from contract_tests.support.targets import MOCK_KEY

pytestmark = pytest.mark.slow

PLUS = "wan2.2-t2v-plus"
SUBMIT = "/api/v1/services/aigc/video-generation/video-synthesis"


def _hosts(redis_url: str, count: int, *options: str) -> list[Any]:
    from wan_mock import WanMockServer

    return [WanMockServer(store=redis_url, options=list(options)) for _ in range(count)]


@pytest.fixture
def hosts(redis_url: str) -> Iterator[list[Any]]:
    """Three hosts on one store, the shared clock frozen (through the first)."""
    servers = _hosts(redis_url, 3)
    try:
        for server in servers:
            server.start()
        servers[0].freeze()
        yield servers
    finally:
        for server in servers:
            server.stop()


def _submit(client: httpx.Client, base: str, body: dict[str, Any] | None = None) -> httpx.Response:
    return client.post(base + SUBMIT, json=body or body_for("t2v"), headers=auth(submit=True))


def _status(client: httpx.Client, base: str, task_id: str) -> str:
    answer = client.get(f"{base}/api/v1/tasks/{task_id}", headers=auth())
    assert answer.status_code == 200, answer.text
    return str(answer.json()["output"]["task_status"])


def test_a_task_submitted_on_one_host_is_polled_on_another_and_canceled_on_a_third(
    hosts: list[Any],
) -> None:
    one, two, three = (host.root for host in hosts)
    with httpx.Client(timeout=30, trust_env=False) as client:
        submitted = _submit(client, one)
        assert submitted.status_code == 200, submitted.text
        task_id = submitted.json()["output"]["task_id"]

        assert _status(client, two, task_id) == "PENDING"
        canceled = client.post(f"{three}/api/v1/tasks/{task_id}/cancel", headers=auth())
        assert canceled.status_code == 200, canceled.text
        assert {_status(client, root, task_id) for root in (one, two, three)} == {"CANCELED"}
        again = client.post(f"{one}/api/v1/tasks/{task_id}/cancel", headers=auth())
        assert again.status_code == 400
        listed = client.get(f"{three}/api/v1/tasks", headers=auth()).json()
        assert [item["task_id"] for item in listed["data"]] == [task_id]


def test_the_clock_moved_through_one_host_moves_every_hosts_tasks(hosts: list[Any]) -> None:
    one, two, three = (host.root for host in hosts)
    with httpx.Client(timeout=30, trust_env=False) as client:
        task_id = _submit(client, two).json()["output"]["task_id"]
        frozen = {host.clock()["now"] for host in hosts}
        assert len(frozen) == 1

        hosts[2].advance(3600)

        assert {host.clock()["now"] for host in hosts} == {frozen.pop() + 3600}
        assert _status(client, one, task_id) == "SUCCEEDED"
        url = client.get(f"{two}/api/v1/tasks/{task_id}", headers=auth()).json()["output"][
            "video_url"
        ]
        assert url.startswith(two)
        video = client.get(three + url.removeprefix(two))  # minted on two, served by three
        assert video.status_code == 200
        assert video.headers["content-type"] == "video/mp4"
        assert video.content[4:8] == b"ftyp"


def test_a_reset_through_one_host_empties_every_host(hosts: list[Any]) -> None:
    """The other hosts had read the task (and keep its record, which never changes): the
    reset through one host is what every host answers next."""
    one, two, three = (host.root for host in hosts)
    with httpx.Client(timeout=30, trust_env=False) as client:
        task_id = _submit(client, one).json()["output"]["task_id"]
        assert {_status(client, root, task_id) for root in (two, three)} == {"PENDING"}

        hosts[0].reset()

        assert {_status(client, root, task_id) for root in (one, two, three)} == {"UNKNOWN"}
        listed = client.get(f"{three}/api/v1/tasks", headers=auth()).json()
        assert listed["data"] == []


def test_rate_limits_count_across_hosts(redis_url: str) -> None:
    servers = _hosts(redis_url, 3, "--rate-limits")
    rps, _ = model_limits(PLUS)
    body = body_for("t2v", model=PLUS)
    try:
        for server in servers:
            server.start()
        with httpx.Client(timeout=30, trust_env=False) as client:
            answers = [_submit(client, servers[n % 3].root, body) for n in range(rps + 3)]
    finally:
        for server in servers:
            server.stop()

    codes = [answer.status_code for answer in answers]
    # a window of one second of real time: all of these fit in it but for a very slow machine
    assert codes[:rps] == [200] * rps, codes
    assert 429 in codes[rps:], codes
    refused = next(answer for answer in answers if answer.status_code == 429)
    assert refused.json()["code"] == "Throttling.RateQuota"


def test_a_host_killed_mid_load_loses_no_accepted_task(hosts: list[Any]) -> None:
    """SIGKILL one host while a client submits to it (and to the others): every task any host
    accepted is answered by the survivors, with the right status."""
    victim, survivors = hosts[1], (hosts[0], hosts[2])
    accepted: list[str] = []
    enough = threading.Event()

    def load(root: str) -> None:
        with httpx.Client(timeout=10, trust_env=False) as client:
            while True:
                try:
                    answer = _submit(client, root)
                except httpx.TransportError:
                    return  # the host is gone
                if answer.status_code == 200:
                    accepted.append(answer.json()["output"]["task_id"])
                if len(accepted) >= 30:
                    enough.set()
                if root != victim.root and len(accepted) >= 60:
                    return

    threads = [threading.Thread(target=load, args=(host.root,)) for host in hosts]
    for thread in threads:
        thread.start()
    assert enough.wait(timeout=60)
    victim.kill()
    for thread in threads:
        thread.join(timeout=60)

    assert not victim.running
    with httpx.Client(timeout=30, trust_env=False) as client:
        for n, task_id in enumerate(accepted):
            assert _status(client, survivors[n % 2].root, task_id) == "PENDING"
        survivors[0].advance(3600)
        for n, task_id in enumerate(accepted):
            assert _status(client, survivors[(n + 1) % 2].root, task_id) == "SUCCEEDED"
        listed = client.get(
            f"{survivors[1].root}/api/v1/tasks", headers=auth(), params={"page_size": 100}
        ).json()
    assert len(set(accepted)) == len(accepted)
    # a submit the victim stored but could not answer before it died counts too
    assert listed["total"] >= len(accepted)


def test_the_contract_suite_passes_against_a_mock_on_a_valkey_store(redis_url: str) -> None:
    """``test_contract.py``'s server target, unchanged, pointed at a host on the Redis store."""
    from wan_mock import WanMockServer

    with WanMockServer(store=redis_url, api_keys=[MOCK_KEY]) as server:
        env = {**os.environ, "WAN_TARGET_URL": server.base_url, "WAN_TARGET_KEY": MOCK_KEY}
        env.pop("WAN_TARGET", None)
        run = subprocess.run(
            [
                sys.executable,
                "-m",
                "pytest",
                "-q",
                "-p",
                "no:cacheprovider",
                "--no-cov",
                "--target",
                "server",
                "contract_tests/mock_api/test_contract.py",
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        stored = len(server.tasks())
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert " passed" in run.stdout
    assert "skipped" not in run.stdout
    assert stored > 0  # the suite's tasks went through the Valkey store


def test_a_host_with_several_workers_on_a_valkey_store_needs_no_file(
    redis_url: str, tmp_path: Path
) -> None:
    from wan_mock import WanMockServer

    with (
        WanMockServer(store=redis_url, workers=2, directory=tmp_path / "host") as host,
        httpx.Client(timeout=30, trust_env=False) as client,
    ):
        host.freeze()
        task_ids = [_submit(client, host.root).json()["output"]["task_id"] for _ in range(6)]
        assert {_status(client, host.root, task_id) for task_id in task_ids} == {"PENDING"}
        assert host.health()["store"] == redis_url
    assert not list((tmp_path / "host").glob("*.db*"))
