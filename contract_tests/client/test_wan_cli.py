"""The ``wan`` command through its entry point (the console script installed beside this Python)
against ``wan-mock serve`` (the ``wan_mock_server`` fixture, tasks progressing by polls, so no
test waits on a clock): every variant from submit to a downloaded file, the output with no
terminal, on a terminal (a pseudo-terminal) and with ``--json``, the task commands, resumed
downloads, and the exit code and message of each kind of error."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from contract_tests.support.terminal import run_command
from wan_mock import WanMockServer
from wan_video import __version__
from wan_video.cli import EXIT_CODES, wan

pytestmark = pytest.mark.wan_mock(progress="polls:1,1")

WAN = Path(sys.executable).with_name("wan")
VIDEO = "https://example.com/clip.mp4"
IMAGE = "https://example.com/frame.png"
FAST = ("--poll-interval", "0")


def run_wan(
    *args: str,
    server: WanMockServer | None = None,
    cwd: Path,
    tty: bool = False,
    env: Mapping[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """``wan ARGS`` in a child process: no terminal (pipes), or stderr on a pseudo-terminal."""
    environment = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DASHSCOPE_", "WAN_"))
    }
    if server is not None:
        environment.update(WAN_BASE_URL=server.root, DASHSCOPE_API_KEY=server.api_key)
    environment.update(env or {})
    return run_command(
        [os.fspath(WAN), *args],
        env=environment,
        terminal="stderr" if tty else None,
        columns=120,
        cwd=cwd,
        timeout=120,
    )


def document(result: subprocess.CompletedProcess[str]) -> dict[str, Any]:
    """The one JSON document ``--json`` printed."""
    [line] = result.stdout.splitlines()
    loaded: dict[str, Any] = json.loads(line)
    return loaded


@pytest.fixture
def frames(tmp_path: Path) -> tuple[Path, Path]:
    first, last = tmp_path / "first.png", tmp_path / "last.png"
    Image.new("RGB", (640, 480), "navy").save(first)
    Image.new("RGB", (640, 480), "gold").save(last)
    return first, last


#: Each variant's command line (files are put in by the test) and what the mock must record.
VARIANTS: dict[str, tuple[list[str], str | None]] = {
    "t2v": (["t2v", "A kitten runs", "--size", "832*480", "--duration", "5"], None),
    "i2v": (["i2v", "{first}", "--prompt", "A kitten runs", "--resolution", "720p"], None),
    "kf2v": (["kf2v", "{first}", "{last}", "--prompt", "A kitten"], None),
    "image-reference": (
        ["vace", "image-reference", IMAGE, IMAGE, "--obj-or-bg", "obj,bg", "--prompt", "A cat"],
        "image_reference",
    ),
    "video-repainting": (
        ["vace", "video-repainting", VIDEO, "--control-condition", "depth", "--prompt", "A cat"],
        "video_repainting",
    ),
    "video-edit": (
        ["vace", "video-edit", VIDEO, "--mask-image", IMAGE, "--prompt", "A"],
        "video_edit",
    ),
    "video-extension": (
        ["vace", "video-extension", "--first-clip", VIDEO, "--prompt", "A cat"],
        "video_extension",
    ),
    "video-outpainting": (
        ["vace", "video-outpainting", VIDEO, "--top-scale", "1.5", "--seed", "7", "--prompt", "A"],
        "video_outpainting",
    ),
}


@pytest.mark.parametrize("variant", VARIANTS)
def test_every_variant_from_submit_to_file(
    wan_mock_server: WanMockServer, variant: str, frames: tuple[Path, Path], tmp_path: Path
) -> None:
    template, function = VARIANTS[variant]
    args = [arg.format(first=frames[0], last=frames[1]) for arg in template]

    result = run_wan(*args, *FAST, "-o", "clip.mp4", "--json", server=wan_mock_server, cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    done = document(result)
    assert done["task_status"] == "SUCCEEDED"
    assert done["file"] == str(tmp_path / "clip.mp4")
    assert (tmp_path / "clip.mp4").read_bytes()[4:8] == b"ftyp"
    assert result.stderr == ""  # --json: no progress
    [task] = wan_mock_server.tasks()
    assert task["task_id"] == done["task_id"]
    assert task["polls"] == 3  # PENDING, RUNNING, SUCCEEDED
    assert task["request"]["input"].get("function") == function
    wan_mock_server.assert_no_invalid_requests()


def test_local_frames_are_sent_inline(
    wan_mock_server: WanMockServer, frames: tuple[Path, Path], tmp_path: Path
) -> None:
    result = run_wan(
        "kf2v", str(frames[0]), str(frames[1]), "--no-wait", server=wan_mock_server, cwd=tmp_path
    )

    assert result.returncode == 0, result.stderr
    [task] = wan_mock_server.tasks()
    sent = task["request"]["input"]
    assert sent["first_frame_url"].startswith("data:image/png;base64,")
    assert sent["last_frame_url"] != sent["first_frame_url"]
    assert task["request"]["model"] == "wan2.2-kf2v-flash"


def test_with_no_terminal_the_wait_and_download_are_plain_lines(
    wan_mock_server: WanMockServer, tmp_path: Path
) -> None:
    result = run_wan("t2v", "A kitten", *FAST, "-o", ".", server=wan_mock_server, cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    [task] = wan_mock_server.tasks()
    task_id = task["task_id"]
    progress = result.stderr.splitlines()
    assert [line.split()[:2] for line in progress[:3]] == [
        [task_id, "PENDING"],
        [task_id, "RUNNING"],
        [task_id, "SUCCEEDED"],
    ]
    saved = tmp_path / f"{task_id}.mp4"
    assert progress[3] == f"downloaded {saved.stat().st_size} bytes to {saved}"
    assert "\x1b[" not in result.stderr + result.stdout  # no terminal: no escape codes
    fields = dict(line.split(": ", 1) for line in result.stdout.splitlines())
    assert fields["task_id"] == task_id
    assert fields["task_status"] == "SUCCEEDED"
    assert fields["file"] == str(saved)
    assert fields["video_url"].startswith(wan_mock_server.root + "/")


def test_on_a_terminal_the_wait_is_live_and_the_download_has_a_progress_bar(
    wan_mock_server: WanMockServer, tmp_path: Path
) -> None:
    result = run_wan(
        "t2v", "A kitten", *FAST, "-o", "clip.mp4", server=wan_mock_server, cwd=tmp_path, tty=True
    )

    assert result.returncode == 0, result.stderr
    size = (tmp_path / "clip.mp4").stat().st_size
    assert "\x1b[" in result.stderr  # drawn, not printed line by line
    assert "\x1b[32mSUCCEEDED" in result.stderr  # the final status, in colour
    assert "━" in result.stderr  # the bar
    assert f"{size / 1000:.1f}/{size / 1000:.1f} kB" in result.stderr
    assert "task_status: SUCCEEDED" in result.stdout  # the result is still on stdout


def test_no_wait_prints_the_task_id_and_the_task_commands_follow_it(
    wan_mock_server: WanMockServer, tmp_path: Path
) -> None:
    submitted = run_wan("t2v", "A kitten", "--no-wait", server=wan_mock_server, cwd=tmp_path)
    task_id = submitted.stdout.strip()
    assert [task["task_id"] for task in wan_mock_server.tasks()] == [task_id]

    status = run_wan("status", task_id, "--json", server=wan_mock_server, cwd=tmp_path)
    assert document(status)["task_status"] == "PENDING"

    canceled = run_wan("cancel", task_id, server=wan_mock_server, cwd=tmp_path)
    assert (canceled.returncode, canceled.stdout) == (0, f"canceled: {task_id}\n")

    waited = run_wan("wait", task_id, "--json", *FAST, server=wan_mock_server, cwd=tmp_path)
    assert waited.returncode == 3  # ended without a video
    assert document(waited)["task"]["task_status"] == "CANCELED"
    assert "was canceled" in waited.stderr

    listed = run_wan("list", "--json", server=wan_mock_server, cwd=tmp_path)
    page = document(listed)
    assert (page["total"], [t["task_id"] for t in page["data"]]) == (1, [task_id])
    assert page["data"][0]["status"] == "CANCELED"
    plain = run_wan("list", server=wan_mock_server, cwd=tmp_path)
    assert plain.stdout.split("\t")[:3] == [task_id, "CANCELED", "wan2.5-t2v-preview"]


def test_the_json_of_no_wait_is_the_submitted_task(
    wan_mock_server: WanMockServer, tmp_path: Path
) -> None:
    result = run_wan("t2v", "A kitten", "--no-wait", "--json", server=wan_mock_server, cwd=tmp_path)

    submitted = document(result)
    assert set(submitted) == {"task_id", "task_status", "request_id"}
    assert submitted["task_status"] == "PENDING"
    assert wan_mock_server.tasks()[0]["task_id"] == submitted["task_id"]


def test_download_takes_a_task_id_or_a_url_and_resumes_a_dropped_connection(
    wan_mock_server: WanMockServer, tmp_path: Path
) -> None:
    # once: over a real socket Granian sometimes loses the bytes before a drop (0 of 20,000
    # reach the client), so a drop on every piece would make each retry a coin toss
    wan_mock_server.queue_scenario("download=drop:20000:once")
    done = document(run_wan("t2v", "A", *FAST, "--json", server=wan_mock_server, cwd=tmp_path))
    task_id = done["task_id"]

    by_id = run_wan("download", task_id, "--json", server=wan_mock_server, cwd=tmp_path)
    by_url = run_wan(
        "download", done["video_url"], "-o", "b.mp4", server=wan_mock_server, cwd=tmp_path
    )

    assert by_id.returncode == by_url.returncode == 0, by_id.stderr + by_url.stderr
    first = tmp_path / f"{task_id}.mp4"
    assert document(by_id)["file"] == str(first)
    assert (tmp_path / "b.mp4").read_bytes() == first.read_bytes()
    assert first.read_bytes()[4:8] == b"ftyp"
    [task] = wan_mock_server.tasks()
    assert first.stat().st_size > 20_000
    assert task["downloads"] >= 3  # the dropped one, its resumption, the download by URL


def test_download_of_a_task_not_done_says_so(
    wan_mock_server: WanMockServer, tmp_path: Path
) -> None:
    submitted = run_wan("t2v", "A", "--no-wait", server=wan_mock_server, cwd=tmp_path)
    task_id = submitted.stdout.strip()

    result = run_wan("download", task_id, server=wan_mock_server, cwd=tmp_path)

    assert result.returncode == 1
    assert f"task {task_id} has no video yet" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_an_invalid_parameter_prints_the_code_and_the_field(
    wan_mock_server: WanMockServer, tmp_path: Path
) -> None:
    plain = run_wan("t2v", "A", "--size", "999*1", server=wan_mock_server, cwd=tmp_path)
    as_json = run_wan("t2v", "A", "--size", "999*1", "--json", server=wan_mock_server, cwd=tmp_path)

    assert plain.returncode == as_json.returncode == 1
    assert plain.stderr.startswith("error: InvalidParameter: ")
    assert "parameters.size" in plain.stderr
    assert "Traceback" not in plain.stderr + as_json.stderr
    error = document(as_json)
    assert (error["error"], error["status"], error["code"]) == (
        "InvalidParameterError",
        400,
        "InvalidParameter",
    )
    assert "parameters.size" in error["message"]
    assert error["request_id"]


def test_a_failed_task_exits_3_with_its_code_and_message(
    wan_mock_server: WanMockServer, tmp_path: Path
) -> None:
    wan_mock_server.queue_scenario("fail=DataInspectionFailed")

    result = run_wan("t2v", "A", *FAST, "--json", server=wan_mock_server, cwd=tmp_path)

    assert result.returncode == 3
    error = document(result)
    assert (error["error"], error["code"]) == ("TaskFailed", "DataInspectionFailed")
    assert error["task"]["task_status"] == "FAILED"
    assert "DataInspectionFailed" in result.stderr


def test_a_wait_past_its_timeout_exits_4(wan_mock_server: WanMockServer, tmp_path: Path) -> None:
    result = run_wan("t2v", "A", *FAST, "--timeout", "0", server=wan_mock_server, cwd=tmp_path)

    assert result.returncode == 4
    assert "not done after 0 s (last status: PENDING)" in result.stderr


@pytest.mark.wan_mock(api_keys=["sk-the-only-key"])
def test_a_refused_key_is_an_api_error(wan_mock_server: WanMockServer, tmp_path: Path) -> None:
    result = run_wan(
        "list", server=wan_mock_server, cwd=tmp_path, env={"DASHSCOPE_API_KEY": "sk-another-key"}
    )

    assert result.returncode == 1
    assert result.stderr.startswith("error: InvalidApiKey: ")
    assert "HTTP 401" in result.stderr


@pytest.mark.parametrize(
    ("args", "env", "says"),
    [
        (["list"], {"DASHSCOPE_API_KEY": ""}, "no API key"),
        (["t2v"], {}, "Missing argument 'PROMPT'"),
        (["t2v", "A", "--no-wait", "-o", "x.mp4"], {}, "-o/--output downloads the video"),
        (["list", "--region", "cn", "--base-url", "http://127.0.0.1:1"], {}, "not both"),
        (["vace", "image-reference", "ref.png", "--prompt", "A"], {}, "takes a URL here"),
        (["i2v", "missing.png"], {}, "no such file: missing.png"),
    ],
    ids=["no-key", "no-prompt", "output-without-wait", "region-and-url", "vace-file", "no-file"],
)
def test_usage_errors_exit_2_before_anything_is_sent(
    wan_mock_server: WanMockServer,
    tmp_path: Path,
    args: list[str],
    env: dict[str, str],
    says: str,
) -> None:
    (tmp_path / "ref.png").write_bytes(b"\x89PNG\r\n\x1a\n")

    result = run_wan(*args, server=wan_mock_server, cwd=tmp_path, env=env)

    assert result.returncode == 2, result.stderr
    assert says in result.stderr
    assert "Traceback" not in result.stderr
    assert wan_mock_server.tasks() == []


def test_the_base_url_may_be_the_api_root_and_wins_over_a_region_from_the_environment(
    wan_mock_server: WanMockServer, tmp_path: Path
) -> None:
    result = run_wan(
        "list",
        "--base-url",
        wan_mock_server.base_url,
        "--json",
        server=wan_mock_server,
        cwd=tmp_path,
        env={"WAN_REGION": "cn"},
    )

    assert result.returncode == 0, result.stderr
    assert document(result)["total"] == 0
    wan_mock_server.assert_called("list_tasks", times=1)


def test_help_of_every_command_has_an_example_and_the_version_is_the_packages(
    tmp_path: Path,
) -> None:
    def commands(group: Any, path: tuple[str, ...]) -> list[tuple[str, ...]]:
        found = [path]
        for name, command in getattr(group, "commands", {}).items():
            found += commands(command, (*path, name))
        return found

    every = commands(wan, ())
    assert len(every) == 1 + 9 + 5  # wan, its commands, vace's functions
    for path in every:
        result = run_wan(*path, "--help", cwd=tmp_path)
        assert result.returncode == 0, path
        examples = [
            line.strip() for line in result.stdout.splitlines() if line.strip().startswith("wan ")
        ]
        assert examples, path
        assert examples[0].startswith(" ".join(("wan", *path))), (path, examples[0])
    overview = run_wan("--help", cwd=tmp_path).stdout
    assert all(str(code) in overview for code in EXIT_CODES)

    version = run_wan("--version", cwd=tmp_path)
    assert version.stdout == f"wan {__version__} (wan-video-kit)\n"
