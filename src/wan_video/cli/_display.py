"""How ``wan`` shows what happens: one class per output mode, chosen once per run.

- :class:`Terminal` (stderr is a terminal): a live line while a task is waited for (its status,
  the time since the wait began, the next poll) and a byte progress bar while a file downloads;
  results as ``name: value`` lines on stdout.
- :class:`Plain` (no terminal): the same as plain lines, one per status change, nothing redrawn.
- :class:`Json` (``--json``): nothing while waiting; one JSON document on stdout at the end —
  the task in the wire's field names (``task_id``, ``task_status``, ``video_url``…), a page of
  tasks, or the error.

Every pause of the client (a poll's, a retry's) goes through :meth:`Display.sleep`, which is how
the live line knows when the next poll is due.
"""

from __future__ import annotations

import datetime
import json
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from rich.console import RenderableType
from rich.live import Live
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TextColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)
from rich.text import Text

from .._tasks import Task, TaskPage, TaskSummary
from ..errors import APIError, DownloadError, TaskError, TaskFailed, WaitTimeout, WanError
from ._terminal import console, status_table, status_text, write_json

__all__ = ["Display", "Json", "Plain", "Terminal", "error_document", "task_document"]

#: The wire's name of each field of a :class:`~wan_video.Task` that is named otherwise.
_WIRE_NAMES = {"status": "task_status"}


def task_document(task: Task, **extra: Any) -> dict[str, Any]:
    """A task as JSON: its fields that are set, in the query answer's names."""
    document = {
        _WIRE_NAMES.get(name, name): value
        for name, value in vars(task).items()
        if value is not None
    }
    document.update((name, value) for name, value in extra.items() if value is not None)
    return document


def page_document(page: TaskPage) -> dict[str, Any]:
    """A page of ``GET /tasks`` as JSON, in the list answer's names."""
    return {
        "request_id": page.request_id,
        "total": page.total,
        "page_no": page.page_no,
        "page_size": page.page_size,
        "total_page": page.total_page,
        "data": [{k: v for k, v in vars(item).items() if v is not None} for item in page.tasks],
    }


def error_document(error: BaseException) -> dict[str, Any]:
    """An error as JSON: its class and, as the service gave them, status, code and message."""
    document: dict[str, Any] = {"error": type(error).__name__, "message": str(error)}
    if isinstance(error, APIError):
        document.update(
            status=error.status,
            code=error.code,
            message=error.message,
            request_id=error.request_id,
        )
    elif isinstance(error, TaskError):
        document["task"] = task_document(error.task)
        if isinstance(error, TaskFailed):
            document.update(code=error.code, message=error.message)
    elif isinstance(error, WaitTimeout) and error.last is not None:
        document["task"] = task_document(error.last)
    elif isinstance(error, DownloadError):
        document.update(status=error.status, url=error.url)
    return {name: value for name, value in document.items() if value is not None}


def _clock(seconds: float) -> str:
    whole = int(seconds)
    return f"{whole // 60}:{whole % 60:02d}"


def _when(milliseconds: int | None) -> str:
    if milliseconds is None:
        return "-"
    moment = datetime.datetime.fromtimestamp(milliseconds / 1000, tz=datetime.UTC)
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def _lines(document: Mapping[str, Any]) -> str:
    return "\n".join(
        f"{name}: {json.dumps(value) if isinstance(value, dict | list) else value}"
        for name, value in document.items()
    )


class Display:
    """What every mode does alike: the wait's bookkeeping, results on stdout."""

    def __init__(self) -> None:
        self.out = console(sys.stdout)
        self.err = console(sys.stderr)
        self.task_id = ""
        self.status = "submitted"
        self._started = time.monotonic()
        self._next_poll: float | None = None

    # ------------------------------------------------------------------ a wait
    def sleep(self, seconds: float) -> None:
        """The client's pause: remembered, so the next poll can be shown, then taken."""
        self._next_poll = time.monotonic() + seconds
        time.sleep(seconds)
        self._next_poll = None

    def update(self, task: Task) -> None:
        """A polled task (``wait()``'s ``on_update``)."""
        changed = task.status != self.status
        self.task_id, self.status = task.task_id, task.status
        if changed:
            self.changed(task)

    def changed(self, task: Task) -> None:
        """The task's status changed."""

    def line(self) -> Text:
        """The wait in one line: task, status, time waited, the next poll."""
        now = time.monotonic()
        text = Text.assemble(
            (self.task_id, "bold"),
            "  ",
            status_text(self.status),
            f"  {_clock(now - self._started)}",
        )
        if self._next_poll is not None:
            text.append(f"  next poll in {max(self._next_poll - now, 0):.0f} s", "dim")
        return text

    @contextmanager
    def waiting(self, task_id: str) -> Iterator[None]:
        """Around a wait for a task."""
        self.task_id, self.status = task_id, "polling"
        self._started = time.monotonic()
        yield

    @contextmanager
    def downloading(self, dest: Path) -> Iterator[Progress | None]:
        """Around a download; yields what takes ``on_progress`` calls, if anything."""
        yield None

    def progress(self, progress: Progress | None) -> Any:
        """``download()``'s ``on_progress`` for what :meth:`downloading` yielded."""
        return None

    # ------------------------------------------------------------------ results
    def write(self, text: str) -> None:
        """A result on stdout, as it is (no markup, tabs kept)."""
        sys.stdout.write(text + "\n")

    def submitted(self, task: Task) -> None:
        """A task submitted with ``--no-wait``: its id alone, for ``$(wan … --no-wait)``."""
        self.write(task.task_id)

    def task(self, task: Task, file: Path | None = None) -> None:
        self.write(_lines(task_document(task, file=str(file) if file else None)))

    def saved(self, file: Path) -> None:
        self.write(f"file: {file}")

    def page(self, page: TaskPage) -> None:
        for item in page.tasks:
            self.write("\t".join(_row(item)))

    def canceled(self, task_id: str) -> None:
        self.write(f"canceled: {task_id}")

    def error(self, error: WanError | ValueError) -> None:
        self.err.print(f"error: {error}", markup=False)


_HEADINGS = ("task_id", "status", "model_name", "gmt_create", "end_time")


def _row(item: TaskSummary) -> tuple[str, ...]:
    return (
        item.task_id,
        item.status,
        item.model_name or "-",
        _when(item.gmt_create),
        _when(item.end_time),
    )


class Plain(Display):
    """No terminal: a line on stderr per status change and per finished download."""

    def changed(self, task: Task) -> None:
        self.err.print(self.line(), markup=False)

    @contextmanager
    def downloading(self, dest: Path) -> Iterator[Progress | None]:
        yield None
        self.err.print(f"downloaded {dest.stat().st_size} bytes to {dest.absolute()}", markup=False)


class _WaitLine:
    def __init__(self, display: Display) -> None:
        self.display = display

    def __rich__(self) -> RenderableType:
        return self.display.line()


class Terminal(Plain):
    """A terminal on stderr: a live line while waiting, a progress bar while downloading."""

    def changed(self, task: Task) -> None:
        pass  # the live line shows it

    @contextmanager
    def waiting(self, task_id: str) -> Iterator[None]:
        with (
            super().waiting(task_id),
            Live(_WaitLine(self), console=self.err, refresh_per_second=4, transient=True),
        ):
            yield
        self.err.print(self.line())

    @contextmanager
    def downloading(self, dest: Path) -> Iterator[Progress | None]:
        columns = (
            TextColumn("{task.description}"),
            BarColumn(),
            DownloadColumn(),
            TransferSpeedColumn(),
            TimeRemainingColumn(),
        )
        with Progress(*columns, console=self.err, transient=False) as bar:
            bar.add_task(dest.name, total=None)
            yield bar

    def progress(self, progress: Progress | None) -> Any:
        if progress is None:
            return None
        [task] = progress.task_ids

        def on_progress(done: int, total: int | None) -> None:
            progress.update(task, completed=done, total=total)

        return on_progress

    def page(self, page: TaskPage) -> None:
        rows = [_row(item) for item in page.tasks]
        self.out.print(status_table(_HEADINGS, rows, _caption(page)))


def _caption(page: TaskPage) -> str:
    return f"page {page.page_no or 1} of {page.total_page or 1}, {page.total} tasks in all"


class Json(Display):
    """``--json``: one document on stdout, nothing else."""

    def _print(self, document: Mapping[str, Any]) -> None:
        write_json(document)

    def submitted(self, task: Task) -> None:
        self._print(task_document(task))

    def task(self, task: Task, file: Path | None = None) -> None:
        self._print(task_document(task, file=str(file) if file else None))

    def saved(self, file: Path) -> None:
        self._print({"file": str(file), "bytes": file.stat().st_size})

    def page(self, page: TaskPage) -> None:
        self._print(page_document(page))

    def canceled(self, task_id: str) -> None:
        self._print({"task_id": task_id, "canceled": True})

    def error(self, error: WanError | ValueError) -> None:
        super().error(error)
        self._print(error_document(error))
