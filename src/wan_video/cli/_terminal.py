"""What the ``wan`` and ``wan-mock`` command lines share: click's context settings, the
``--version`` option, the exit codes' epilog, options stacked into one decorator, whether a
stream is a terminal and the console that writes to it, the colour of each task status, a table
of rows that may hold statuses, and one JSON document on stdout.

It lives in ``wan_video.cli`` because both commands can import it with the base install alone
(click and rich): ``wan_mock`` may import ``wan_video``, never the reverse.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TextIO, TypeVar

import click
from rich.console import Console
from rich.table import Table
from rich.text import Text

from .._tasks import TaskStatus

__all__ = [
    "CONTEXT",
    "STATUS_STYLES",
    "console",
    "epilog",
    "is_terminal",
    "stacked",
    "status_table",
    "status_text",
    "version_option",
    "write_json",
]

C = TypeVar("C", bound=Callable[..., Any])

#: click's context settings for every command and group: ``-h`` as well as ``--help``, and
#: help text wrapped at 100 columns.
CONTEXT: dict[str, Any] = {"help_option_names": ["-h", "--help"], "max_content_width": 100}

#: The colour of each status of the spec's ``TaskStatus``, wherever a command shows one.
STATUS_STYLES: Mapping[str, str] = {
    TaskStatus.PENDING: "yellow",
    TaskStatus.RUNNING: "cyan",
    TaskStatus.SUCCEEDED: "green",
    TaskStatus.FAILED: "red",
    TaskStatus.CANCELED: "magenta",
    TaskStatus.UNKNOWN: "red",
}


def epilog(exit_codes: Mapping[int, str]) -> str:
    """The ``--help`` epilog that lists a command's exit codes (0 aside)."""
    return "Exit codes: " + "; ".join(f"{code} {text}" for code, text in exit_codes.items()) + "."


def version_option(prog_name: str, version: str) -> Callable[[C], C]:
    """``--version``: ``<prog_name> <version> (wan-video-kit)``, the distribution both ship in."""
    return click.version_option(
        version, prog_name=prog_name, message="%(prog)s %(version)s (wan-video-kit)"
    )


def stacked(*options: Callable[[C], C]) -> Callable[[C], C]:
    """Options as one decorator, listed (in ``--help``) in the order given."""

    def decorate(command: C) -> C:
        for option in reversed(options):
            command = option(command)
        return command

    return decorate


def is_terminal(stream: TextIO) -> bool:
    """Whether ``stream`` is a terminal, as rich decides it when it writes there (a tty, unless
    ``TTY_COMPATIBLE`` or ``FORCE_COLOR`` says otherwise): the one rule for choosing between
    live output and plain lines."""
    return Console(file=stream).is_terminal


def console(stream: TextIO) -> Console:
    """A rich console on ``stream`` that prints text as it is: nothing highlighted, long lines
    not wrapped (a task id or URL stays whole, for copying)."""
    return Console(file=stream, highlight=False, soft_wrap=True)


def status_text(value: str) -> Text:
    """A cell in its status colour when it is a task status, else plain."""
    return Text(value, STATUS_STYLES.get(value, ""))


def status_table(headings: Sequence[str], rows: Sequence[Sequence[str]], caption: str) -> Table:
    """A rich table of ``rows`` under ``headings``, every status cell in its colour."""
    table = Table(*headings, caption=caption)
    for row in rows:
        table.add_row(*(status_text(cell) for cell in row))
    return table


def write_json(document: Any) -> None:
    """One JSON document on stdout, on one line: what ``--json`` prints."""
    sys.stdout.write(json.dumps(document) + "\n")
