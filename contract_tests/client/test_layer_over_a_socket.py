"""``wan_video`` over a real socket: both clients against ``wan-mock serve`` (the
``wan_mock_server`` fixture), every variant from submit to a downloaded file, a download whose
connection really drops, and a client made with no arguments from the environment the fixture
sets (``DASHSCOPE_API_KEY``, ``DASHSCOPE_HTTP_BASE_URL``)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from contract_tests.client.test_layer import VARIANTS
from contract_tests.support.wan_video import KINDS, Clients
from wan_mock import WanMockServer
from wan_video import AsyncWanClient, WanClient

pytestmark = pytest.mark.wan_mock(progress="polls:1,1")


@pytest.fixture(params=KINDS)
def clients(request: pytest.FixtureRequest) -> Iterator[Clients]:
    made = Clients(str(request.param))
    yield made
    made.close()


@pytest.mark.parametrize("variant", VARIANTS)
def test_every_variant_from_submit_to_file_over_a_socket(
    clients: Clients, wan_mock_server: WanMockServer, variant: str, tmp_path: Path
) -> None:
    client = clients.on_server(wan_mock_server)
    call, operation, function = VARIANTS[variant]

    done = client.wait(call(client), timeout=600)
    path = client.download(done.video_url, tmp_path / "clip.mp4")

    assert path.read_bytes()[4:8] == b"ftyp"
    [task] = wan_mock_server.tasks()
    assert task["polls"] == 3  # PENDING, RUNNING, SUCCEEDED
    assert task["request"]["input"].get("function") == function
    wan_mock_server.assert_called(operation, times=1)
    wan_mock_server.assert_no_invalid_requests()


def test_a_dropped_connection_is_resumed_over_a_socket(
    clients: Clients, wan_mock_server: WanMockServer, tmp_path: Path
) -> None:
    client = clients.on_server(wan_mock_server)
    wan_mock_server.queue_scenario("download=drop:20000")
    done = client.wait(client.text_to_video("A kitten", size="832*480"))

    path = client.download(done.video_url, tmp_path / "clip.mp4")

    [task] = wan_mock_server.tasks()
    # each answer breaks after 20,000 bytes of its body (or fewer reach the client)
    assert task["downloads"] >= -(-path.stat().st_size // 20_000) > 1
    assert path.stat().st_size == int(httpx.head(done.video_url).headers["Content-Length"])
    assert path.read_bytes()[4:8] == b"ftyp"


def test_a_client_made_with_no_arguments_uses_the_environment(
    wan_mock_server: WanMockServer,
) -> None:
    with WanClient() as client:
        task = client.text_to_video("A kitten")
        assert client.base_url == wan_mock_server.base_url

    async def run() -> str:
        async with AsyncWanClient() as aclient:
            return (await aclient.get(task)).status

    assert asyncio.run(run()) == "PENDING"
    assert wan_mock_server.tasks()[0]["task_id"] == task.task_id
