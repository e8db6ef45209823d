"""``wan-mock serve`` as a real process: it prints its base URL, serves a whole round trip of the
generated client, shares one store file between several workers, and stops on SIGTERM.

These tests start processes on loopback ports and wait in real time (the fast profile: a task
is done about 1.5 s after submit), with bounded polling loops; every process is stopped in a
``finally``.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from bench.wrk import children
from contract_tests.support.mock import KEY, body_for
from wan_video_client import AuthenticatedClient
from wan_video_client.api.tasks import get_task, list_tasks
from wan_video_client.api.video_synthesis import create_video_synthesis_task
from wan_video_client.models import (
    TaskListResponse,
    TaskQueryResponse,
    TaskStatus,
    TaskSubmitResponse,
    TextToVideoRequest,
)

pytestmark = pytest.mark.slow

BIN = Path(sys.executable).parent
WAN_MOCK = BIN / "wan-mock"
HOST = "127.0.0.1"
TERMINAL = {TaskStatus.SUCCEEDED, TaskStatus.FAILED, TaskStatus.CANCELED, TaskStatus.UNKNOWN}


#: What ``wan-mock serve`` prints once it listens: the port the kernel gave ``--port 0``.
BANNER = re.compile(rf"serving the Wan video API at http://{re.escape(HOST)}:(\d+)/api/v1")


@dataclass
class Server:
    """A ``wan-mock serve`` started on ``--port 0``; ``port`` is known once it printed it (no
    port is picked in advance, so parallel test workers cannot race for one)."""

    process: subprocess.Popen[bytes]
    stdout: Path
    stderr: Path
    port: int = 0

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.port}/api/v1"

    def output(self) -> str:
        return self.stdout.read_text(encoding="utf-8", errors="replace")

    def errors(self) -> str:
        return self.stderr.read_text(encoding="utf-8", errors="replace")

    def client(self) -> AuthenticatedClient:
        """The generated client, opening a new connection for every request (so that the
        requests of one test spread over the server's workers)."""
        return AuthenticatedClient(
            base_url=self.base_url,
            token=KEY,
            timeout=httpx.Timeout(10.0),
            httpx_args={"limits": httpx.Limits(max_keepalive_connections=0)},
        )

    def wait_until_answering(self, attempts: int = 150) -> None:
        """Poll (at most ``attempts`` times 0.1 s) until the server printed its port and the
        API answers there; fail if it never does."""
        for _ in range(attempts):
            if self.process.poll() is not None:
                pytest.fail(f"wan-mock exited with {self.process.returncode}:\n{self.errors()}")
            if not self.port:
                printed = BANNER.search(self.output())
                if printed is None:
                    time.sleep(0.1)
                    continue
                self.port = int(printed.group(1))
            try:
                answer = httpx.get(
                    f"{self.base_url}/tasks/probe", headers={"Authorization": f"Bearer {KEY}"}
                )
            except httpx.TransportError:
                time.sleep(0.1)
                continue
            if answer.status_code == 200:
                return
            time.sleep(0.1)
        pytest.fail(f"wan-mock did not answer on {self.base_url}:\n{self.errors()}")

    def stop(self) -> int:
        """SIGTERM, then wait (SIGKILL only if it hangs); returns the exit code."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        return self.process.returncode


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[Callable[..., Server]]:
    """``serve(*options)``: a started ``wan-mock serve`` on a loopback port of the kernel's."""
    servers: list[Server] = []

    def start(*options: str) -> Server:
        index = len(servers)
        stdout, stderr = tmp_path / f"stdout-{index}.txt", tmp_path / f"stderr-{index}.txt"
        with stdout.open("wb") as out, stderr.open("wb") as err:
            process = subprocess.Popen(
                [str(WAN_MOCK), "serve", "--host", HOST, "--port", "0", *options],
                stdout=out,
                stderr=err,
                cwd=tmp_path,
            )
        server = Server(process, stdout, stderr)
        servers.append(server)
        server.wait_until_answering()
        return server

    try:
        yield start
    finally:
        for server in servers:
            server.stop()


def _submit(generated: AuthenticatedClient) -> str:
    body = TextToVideoRequest.from_dict(body_for("t2v", parameters__size="832*480"))
    submitted = create_video_synthesis_task.sync(client=generated, body=body)
    assert isinstance(submitted, TaskSubmitResponse)
    assert submitted.output.task_status == TaskStatus.PENDING
    return submitted.output.task_id


def _poll_until_done(generated: AuthenticatedClient, task_id: str) -> TaskQueryResponse:
    """Poll every 0.1 s for at most 15 s (the fast profile needs about 1.5 s)."""
    seen: list[str] = []
    for _ in range(150):
        answer = get_task.sync(task_id, client=generated)
        assert isinstance(answer, TaskQueryResponse)
        seen.append(str(answer.output.task_status))
        if answer.output.task_status in TERMINAL:
            return answer
        time.sleep(0.1)
    pytest.fail(f"task {task_id} did not finish: {seen[-5:]}")


def _wait_for_children(pid: int, expected: int, attempts: int = 100) -> int:
    """Poll (at most ``attempts`` times 0.1 s) until ``pid`` has ``expected`` children: the
    API answers as soon as one worker is up; the other may still be booting."""
    count = len(children(pid))
    for _ in range(attempts):
        if count == expected:
            break
        time.sleep(0.1)
        count = len(children(pid))
    return count


def test_serve_prints_its_base_url_does_a_round_trip_and_stops(
    serve: Callable[..., Server],
) -> None:
    server = serve()

    with server.client() as generated:
        task_id = _submit(generated)
        final = _poll_until_done(generated, task_id)
    video = httpx.get(str(final.output.video_url), timeout=30)
    code = server.stop()

    assert f"serving the Wan video API at {server.base_url}" in server.output()
    assert final.output.task_status == TaskStatus.SUCCEEDED
    assert isinstance(final.output.video_url, str)
    assert final.output.video_url.startswith(f"http://{HOST}:{server.port}/results/{task_id}.mp4")
    assert video.status_code == 200
    assert video.headers["Content-Type"] == "video/mp4"
    assert code == 0, server.errors()
    with pytest.raises(httpx.TransportError):
        httpx.get(f"{server.base_url}/tasks", timeout=2)


def test_two_workers_on_one_store_serve_the_same_tasks(
    serve: Callable[..., Server], tmp_path: Path
) -> None:
    store = tmp_path / "tasks.db"
    server = serve("--workers", "2", "--store", str(store))

    assert _wait_for_children(server.process.pid, 2) == 2
    assert "workers=2" in server.output()
    with server.client() as generated:
        task_ids = [_submit(generated) for _ in range(6)]
        for _ in range(3):  # each on a fresh connection, to either worker
            for task_id in task_ids:
                answer = get_task.sync(task_id, client=generated)
                assert isinstance(answer, TaskQueryResponse)
                assert answer.output.task_status != TaskStatus.UNKNOWN
        listed = list_tasks.sync(client=generated)
        finals = [_poll_until_done(generated, task_id) for task_id in task_ids]

    assert isinstance(listed, TaskListResponse)
    assert listed.total == 6
    assert {item.task_id for item in listed.data} == set(task_ids)
    assert {final.output.task_status for final in finals} == {TaskStatus.SUCCEEDED}
    assert store.is_file()


def _mapped(pid: int, library: str) -> bool:
    """Whether the process has a file whose path contains ``library`` mapped in memory."""
    return library in Path(f"/proc/{pid}/maps").read_text()


def test_several_workers_fork_from_a_main_process_that_loaded_what_they_share(
    serve: Callable[..., Server], tmp_path: Path
) -> None:
    """The main process loads the app, the specs' compiled schemas and (as each worker will
    render videos) the codecs before its workers fork, so that they share those pages."""
    server = serve("--workers", "2", "--store", str(tmp_path / "tasks.db"))
    assert _wait_for_children(server.process.pid, 2) == 2

    main = server.process.pid
    assert _mapped(main, "jsonschema_rs")
    assert _mapped(main, "libavcodec")
    with server.client() as generated:
        assert _poll_until_done(generated, _submit(generated)).output.task_status == (
            TaskStatus.SUCCEEDED
        )


def test_a_single_worker_loads_the_codecs_only_when_it_renders(
    serve: Callable[..., Server],
) -> None:
    server = serve()
    main = server.process.pid
    assert _wait_for_children(main, 1) == 1
    (worker,) = children(main)

    assert _mapped(main, "jsonschema_rs")  # the app is loaded before the fork all the same
    assert not _mapped(main, "libavcodec")
    assert not _mapped(worker, "libavcodec")
    with server.client() as generated:
        done = _poll_until_done(generated, _submit(generated))
    video_url = done.output.video_url
    assert isinstance(video_url, str)
    assert httpx.get(video_url, timeout=30).content[4:8] == b"ftyp"  # rendered by now
    assert _mapped(worker, "libavcodec")


def _run_to_exit(command: list[str], cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run a command that must exit by itself (help, a refused start); bounded to 60 s."""
    return subprocess.run(command, capture_output=True, text=True, timeout=60, check=False, cwd=cwd)


def test_python_m_wan_mock_serve_has_help() -> None:
    done = _run_to_exit([sys.executable, "-m", "wan_mock", "serve", "--help"])

    assert done.returncode == 0, done.stderr
    assert "Usage:" in done.stdout
    for option in ("--port", "--store", "--workers", "--profile", "--api-key"):
        assert option in done.stdout


def test_several_workers_without_a_store_is_a_usage_error(tmp_path: Path) -> None:
    done = _run_to_exit([str(WAN_MOCK), "serve", "--workers", "2", "--port", "0"], tmp_path)

    assert done.returncode == 2
    assert "Usage:" in done.stderr
    assert "--store" in done.stderr
    assert "serving" not in done.stdout


def test_a_port_in_use_is_refused_not_shared(serve: Callable[..., Server], tmp_path: Path) -> None:
    """The workers of one server share their port; a second server on it must not join them."""
    first = serve()
    done = _run_to_exit(
        [str(WAN_MOCK), "serve", "--host", HOST, "--port", str(first.port)], tmp_path
    )

    assert done.returncode == 1
    assert f"cannot listen on {HOST}:{first.port}" in done.stderr
    assert "serving" not in done.stdout
    assert first.process.poll() is None


def _alive(pid: int) -> bool:
    status = Path(f"/proc/{pid}/status")
    try:
        return "State:\tZ" not in status.read_text()
    except OSError:
        return False


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
def test_workers_leave_when_the_main_process_is_killed(
    serve: Callable[..., Server], tmp_path: Path
) -> None:
    """SIGKILL of the main process alone (no chance to stop its workers) must not leave
    workers holding the port and serving a stale instance."""
    server = serve("--workers", "2", "--store", str(tmp_path / "tasks.db"))
    assert _wait_for_children(server.process.pid, 2) == 2
    workers = children(server.process.pid)

    server.process.kill()
    server.process.wait(timeout=10)
    for _ in range(100):  # at most 10 s; a worker checks its parent every 0.5 s
        if not any(_alive(pid) for pid in workers):
            break
        time.sleep(0.1)

    assert not any(_alive(pid) for pid in workers)
    with pytest.raises(httpx.TransportError):
        httpx.get(f"{server.base_url}/tasks", timeout=2)


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
def test_a_worker_that_dies_is_replaced_and_the_tasks_remain(
    serve: Callable[..., Server], tmp_path: Path
) -> None:
    server = serve("--workers", "2", "--store", str(tmp_path / "tasks.db"))
    assert _wait_for_children(server.process.pid, 2) == 2
    with server.client() as generated:
        task_id = _submit(generated)
    victim = children(server.process.pid)[0]

    os.kill(victim, signal.SIGKILL)
    for _ in range(100):  # at most 10 s for the replacement to come up
        alive = [pid for pid in children(server.process.pid) if _alive(pid)]
        if victim not in alive and len(alive) == 2:
            break
        time.sleep(0.1)

    assert server.process.poll() is None
    assert victim not in children(server.process.pid)
    assert _wait_for_children(server.process.pid, 2) == 2
    with server.client() as generated:
        for _ in range(6):  # fresh connections, to either worker
            answer = get_task.sync(task_id, client=generated)
            assert isinstance(answer, TaskQueryResponse)
            assert answer.output.task_status != TaskStatus.UNKNOWN


def test_a_store_that_is_not_a_database_is_a_clean_error(tmp_path: Path) -> None:
    store = tmp_path / "notes.txt"
    store.write_text("not a database\n" * 100)

    done = _run_to_exit([str(WAN_MOCK), "serve", "--port", "0", "--store", str(store)], tmp_path)

    assert done.returncode == 1
    assert f"cannot open the store {store}" in done.stderr
    assert "Traceback" not in done.stderr
    assert "serving" not in done.stdout
