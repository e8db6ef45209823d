"""The README's "Python client" examples are code that works: each runs against ``wan-mock serve``
(the ``wan_mock_server`` fixture points ``DASHSCOPE_HTTP_BASE_URL`` and ``DASHSCOPE_API_KEY`` at
it, so ``WanClient()`` finds it) in a scratch folder, and all of them pass ``mypy --strict``."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from contract_tests.support.paths import ROOT
from wan_mock import WanMockServer
from wan_video import WanClient

SECTION = "## Python client"


def readme_examples() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split(f"\n{SECTION}\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```python\n(.*?)```", section, flags=re.DOTALL)


EXAMPLES = readme_examples()


def test_the_section_has_its_examples_and_each_uses_the_layer() -> None:
    assert len(EXAMPLES) == 4
    assert all("from wan_video import" in example for example in EXAMPLES)
    assert EXAMPLES[0].startswith("from wan_video import AsyncWanClient, WanClient, errors\n")


@pytest.mark.wan_mock(progress="polls:0,0")  # every task ends on its first query: no pause
@pytest.mark.parametrize("index", range(len(EXAMPLES)))
def test_each_example_runs_against_the_served_mock(
    index: int,
    wan_mock_server: WanMockServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)

    names: dict[str, object] = {"__name__": "readme"}
    exec(compile(EXAMPLES[index], f"README.md example {index + 1}", "exec"), names)
    for value in names.values():  # the examples leave their clients to the reader
        if isinstance(value, WanClient):
            value.close()

    written = [path for path in tmp_path.iterdir() if path.suffix == ".mp4"]
    assert [path.read_bytes()[4:8] for path in written] == [b"ftyp"]
    if index == 0:  # on_update=print
        assert "SucceededTask(task_id=" in capsys.readouterr().out
    if index < 3:
        assert len(wan_mock_server.tasks()) == 1
        wan_mock_server.assert_no_invalid_requests()


@pytest.mark.slow
def test_the_examples_pass_mypy_strict(tmp_path: Path) -> None:
    files = []
    for index, example in enumerate(EXAMPLES):
        files.append(tmp_path / f"readme_example_{index + 1}.py")
        files[-1].write_text(example, encoding="utf-8")

    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", *map(str, files)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )

    assert done.returncode == 0, done.stdout + done.stderr
    assert f"Success: no issues found in {len(files)} source files" in done.stdout
