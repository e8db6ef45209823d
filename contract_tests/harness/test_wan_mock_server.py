"""``wan_mock.WanMockServer``: a real ``wan-mock serve`` for other processes, on loopback only,
that never outlives its ``with`` block."""

from __future__ import annotations

import os
from pathlib import Path

import httpx
import pytest

from wan_mock import WanMockServer
from wan_mock._testing._server_process import DEFAULT_API_KEY, ServerStartError

pytestmark = pytest.mark.slow

SUBMIT = "/services/aigc/video-generation/video-synthesis"
BODY = {"model": "wan2.2-t2v-plus", "input": {"prompt": "A lighthouse in a storm."}}


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _listening_addresses(pid: int, port: int) -> set[str]:
    """The local addresses the process listens on at ``port`` (from /proc, IPv4 and IPv6)."""
    found = set()
    for table in ("tcp", "tcp6"):
        path = Path(f"/proc/{pid}/net/{table}")
        if not path.exists():
            continue
        for line in path.read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, _, hex_port = local.partition(":")
            if state == "0A" and int(hex_port, 16) == port:  # 0A: LISTEN
                found.add(address)
    return found


def _submit(server: WanMockServer, key: str) -> httpx.Response:
    headers = {"Authorization": f"Bearer {key}", "X-DashScope-Async": "enable"}
    return httpx.post(server.base_url + SUBMIT, json=BODY, headers=headers, timeout=30)


def test_a_server_answers_at_its_base_url_with_its_key() -> None:
    with WanMockServer(api_keys=["sk-test", "sk-other"]) as server:
        assert server.base_url == f"http://127.0.0.1:{server.port}/api/v1"
        assert server.api_key == "sk-test"
        assert _submit(server, server.api_key).status_code == 200
        assert _submit(server, "sk-nobody").status_code == 401


def test_without_keys_any_key_works_and_a_default_one_is_offered() -> None:
    with WanMockServer() as server:
        assert server.api_key == DEFAULT_API_KEY
        assert _submit(server, "sk-anything").status_code == 200


@pytest.mark.skipif(not Path("/proc/self/net/tcp").exists(), reason="needs /proc")
def test_it_listens_on_loopback_only() -> None:
    with WanMockServer() as server:
        assert server.pid is not None
        addresses = _listening_addresses(server.pid, server.port)
    assert addresses == {"0100007F"}, addresses  # 127.0.0.1, nothing else


def _fail_inside(server: WanMockServer, seen: list[int]) -> None:
    with server:
        assert server.pid is not None
        seen.append(server.pid)
        raise RuntimeError("a failing test")


def test_no_process_is_left_when_the_block_raises() -> None:
    server, seen = WanMockServer(), list[int]()

    with pytest.raises(RuntimeError, match="a failing test"):
        _fail_inside(server, seen)

    assert seen
    assert not _alive(seen[0])
    assert server.pid is None


def test_a_killed_server_restarted_on_its_store_keeps_its_tasks(tmp_path: Path) -> None:
    store = tmp_path / "tasks.db"
    with WanMockServer(store=store) as server:
        task_id = _submit(server, "sk-a").json()["output"]["task_id"]
        pid = server.pid
        server.kill()
        assert pid is not None
        assert not _alive(pid)
    with WanMockServer(store=store) as again:
        answer = httpx.get(
            f"{again.base_url}/tasks/{task_id}", headers={"Authorization": "Bearer sk-a"}
        )
    assert answer.json()["output"]["task_status"] != "UNKNOWN"


def test_a_server_that_cannot_start_says_why(tmp_path: Path) -> None:
    with pytest.raises(ServerStartError, match="store"):
        WanMockServer(store=tmp_path).start()  # a folder is no store
