"""The command-line scaffolding ``wan`` and ``wan-mock`` share (``wan_video/cli/_terminal.py``):
one rule for "a terminal", one colour per status, one form of the exit codes' epilog, and no
second copy of them in either command."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.text import Text

import wan_mock
import wan_video
from wan_video.cli._terminal import epilog, is_terminal, status_table, status_text

#: The modules of both commands but the scaffolding they share.
COMMAND_MODULES = [
    path
    for folder in (Path(wan_video.__file__).parent / "cli", Path(wan_mock.__file__).parent / "_cli")
    for path in sorted(folder.glob("*.py"))
    if path.name != "_terminal.py"
]


@pytest.fixture
def no_overrides(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in ("FORCE_COLOR", "TTY_COMPATIBLE", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_a_pipe_is_no_terminal_unless_the_environment_says_it_is(
    no_overrides: pytest.MonkeyPatch,
) -> None:
    assert is_terminal(io.StringIO()) is False
    no_overrides.setenv("FORCE_COLOR", "1")
    assert is_terminal(io.StringIO()) is True
    no_overrides.setenv("TTY_COMPATIBLE", "0")
    assert is_terminal(io.StringIO()) is False


def test_a_status_has_its_colour_and_any_other_cell_none() -> None:
    assert str(status_text("FAILED").style) == "red"
    assert str(status_text("SUCCEEDED").style) == "green"
    assert str(status_text("wan2.2-t2v-plus").style) == ""
    table = status_table(("task_id", "status"), [("t-1", "RUNNING")], "1 task")
    cells = [cell for column in table.columns for cell in column.cells]
    assert [str(cell.style) for cell in cells if isinstance(cell, Text)] == ["", "cyan"]


def test_the_epilog_lists_the_exit_codes_in_order() -> None:
    assert epilog({1: "refused", 2: "a usage error"}) == "Exit codes: 1 refused; 2 a usage error."


@pytest.mark.parametrize(
    "module", COMMAND_MODULES, ids=lambda path: f"{path.parent.name}/{path.name}"
)
def test_neither_command_keeps_its_own_terminal_rule_or_colours(module: Path) -> None:
    source = module.read_text(encoding="utf-8")
    assert "isatty" not in source
    assert ".is_terminal" not in source
    assert '"magenta"' not in source
    assert "max_content_width" not in source
