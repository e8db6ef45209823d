"""The seed documents' own curl commands, run by a real shell and a real curl against
``wan-mock serve`` on loopback.

A user pastes a command from the documentation with ``BASE_URL`` set to the mock: seeds 000,
001, 002 and 004 address ``{{BASE_URL}}/qwen/api/v1/…`` (000, 001 and 004 leave the base out,
``'/qwen/api/v1/…'``), seeds 002 and 003 the real service's ``…/api/v1``. The only changes made
to a command are the ones a user makes: the base URL and the key put in, and — because the
seed text lost them — the line continuations before each ``--header``/``--data`` line restored.
Commands whose quoting a shell cannot run as printed (an apostrophe inside a single-quoted
body) are left out, and the test says how many ran.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from contract_tests.support.seeds import seed_texts
from wan_mock import WanMockServer

pytestmark = pytest.mark.slow

KEY = "sk-seed-commands"
_CURL_START = re.compile(r"(?m)^curl\s")
_REAL_BASES = ("https://dashscope-intl.aliyuncs.com", "https://dashscope.aliyuncs.com")


_DATA = re.compile(r"--data(?:-raw)?\s+'\{.*?\}'", re.DOTALL)
_HEADER = re.compile(r"--header\s+([\"'])[^\"']*\1")


def _command_at(text: str, start: int) -> str:
    """The curl command starting at ``start``: its lines up to the quote that closes its
    ``--data`` body, or up to its last header (the seed text glues the next sentence on)."""
    lines = text[start:].split("\n")
    taken = [lines[0]]
    for line in lines[1:]:
        so_far = "\n".join(taken)
        if _DATA.search(so_far):
            break
        open_body = re.search(r"--data(?:-raw)?\s+'", so_far) is not None
        continued = taken[-1].rstrip().endswith("\\") or line.lstrip().startswith("--")
        if not (open_body or continued):
            break
        taken.append(line)
    command = "\n".join(taken)
    data = _DATA.search(command)
    headers = list(_HEADER.finditer(command))
    end = data.end() if data else headers[-1].end() if headers else len(command)
    return command[:end]


def _balanced(command: str) -> bool:
    try:
        shlex.split(command)
    except ValueError:
        return False
    return True


def seed_commands() -> list[tuple[str, str]]:
    """``(label, command)`` of every curl command in the seeds, as printed."""
    found = []
    for name, text in seed_texts():
        for number, match in enumerate(_CURL_START.finditer(text), start=1):
            found.append((f"{name[:3]}#{number}", _command_at(text, match.start())))
    return found


def as_a_user_runs_it(command: str, root: str) -> str:
    """The command with the mock's address and a key put in, and lost continuations restored."""
    command = command.replace("{{BASE_URL}}", root).replace("{{YOUR_API_KEY}}", KEY)
    command = command.replace("'/qwen/api/v1/", f"'{root}/qwen/api/v1/")
    for base in _REAL_BASES:
        command = command.replace(base, root)
    return re.sub(r"(?<!\\)\n(?=\s*--)", " \\\n", command)


@pytest.fixture(scope="module")
def curl() -> str:
    found = shutil.which("curl")
    if found is None:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail("curl is not on PATH; under CI=true the seed commands must run")
        pytest.skip("curl is not on PATH (Debian: apt-get install curl)")
    return found


@pytest.fixture(scope="module")
def mock(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WanMockServer]:
    directory = tmp_path_factory.mktemp("seed-commands")
    with WanMockServer(api_keys=[KEY], directory=directory) as server:
        yield server


def _run(command: str, curl: str) -> dict[str, object]:
    environment = {"PATH": str(Path(curl).parent), "DASHSCOPE_API_KEY": KEY}
    done = subprocess.run(
        ["bash", "-c", command + " --silent --show-error --max-time 30"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env=environment,
    )
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    assert isinstance(answer, dict)
    return answer


def test_the_seeds_hold_curl_commands_for_both_base_paths() -> None:
    commands = [command for _, command in seed_commands()]
    assert sum("/qwen/api/v1/" in c for c in commands) >= 6
    assert sum("aliyuncs.com/api/v1/" in c for c in commands) >= 6


def test_every_runnable_seed_curl_command_works_against_the_mock(
    mock: WanMockServer, curl: str
) -> None:
    ran: list[str] = []
    for label, printed in seed_commands():
        command = as_a_user_runs_it(printed, mock.root)
        if not _balanced(command):
            continue  # the seed's own quoting is broken (an apostrophe in a quoted body)
        answer = _run(command, curl)
        assert "code" not in answer, (label, answer)
        output = answer["output"]
        assert isinstance(output, dict), (label, answer)
        if "/tasks/" in command:
            assert output["task_status"] == "UNKNOWN", (label, answer)
        else:
            assert output["task_status"] == "PENDING", (label, answer)
        ran.append(label)
    qwen = [label for label, printed in seed_commands() if "/qwen/api/v1/" in printed]
    assert set(qwen) <= set(ran), f"seed commands on /qwen/api/v1 that did not run: {qwen}"
    assert len(ran) >= 8, ran


def test_the_mock_journals_qwen_requests_as_the_same_operations(
    mock: WanMockServer, curl: str
) -> None:
    label, printed = next(
        (label, c) for label, c in seed_commands() if "/qwen/api/v1/services" in c
    )
    answer = _run(as_a_user_runs_it(printed, mock.root), curl)
    task_id = answer["output"]["task_id"]  # type: ignore[index]

    entries = mock.journal(task_id=str(task_id))

    assert [e["operation"] for e in entries] == ["create_video_synthesis_task"], label
