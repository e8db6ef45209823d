"""One invocation of a ``wan`` command: the connection options every command takes
(``--api-key`` or ``DASHSCOPE_API_KEY``; ``--base-url`` or ``WAN_BASE_URL``; ``--region``) and
``--json``, the :class:`Run` they make (the client, made when first needed, and the display),
and the exit code of each error (:data:`EXIT_CODES`)."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
from click.core import ParameterSource

from .._client import WanClient
from .._policy import PollSchedule
from .._spec import SPEC
from .._tasks import SucceededTask
from ..errors import (
    InvalidLocalFile,
    MissingApiKeyError,
    TaskError,
    WaitTimeout,
    WanError,
)
from ._display import Display, Json, Plain, Terminal
from ._terminal import is_terminal

__all__ = ["EXIT_CODES", "Run", "api_options", "exit_code"]

#: What ``wan`` exits with, besides 0.
EXIT_CODES = {
    1: "the service answered an error, or could not be reached, or a download failed",
    2: "a usage error: a bad option, no API key, a local file the field cannot take",
    3: "the task ended without a video: FAILED (its code and message are shown), CANCELED "
    "or UNKNOWN",
    4: "--timeout passed before the task was done",
    130: "interrupted (the task goes on: `wan wait TASK_ID`)",
}


def exit_code(error: BaseException) -> int:
    """The exit code of an error (see :data:`EXIT_CODES`)."""
    if isinstance(error, TaskError):
        return 3
    if isinstance(error, WaitTimeout):
        return 4
    if isinstance(error, MissingApiKeyError | InvalidLocalFile) or not isinstance(error, WanError):
        return 2
    return 1


#: The options every command has (:func:`api_options`), which make its :class:`Run`.
_CONNECTION = ("api_key", "base_url", "region", "json_output")


class Run:
    """One invocation: where to, the client (made when first needed) and the display, from the
    command's connection options."""

    def __init__(self, context: click.Context) -> None:
        api_key, base_url, region, json_output = (context.params[name] for name in _CONNECTION)
        if base_url is not None and region is not None:
            if context.get_parameter_source("base_url") is ParameterSource.ENVIRONMENT:
                base_url = None  # --region on the command line wins over WAN_BASE_URL
            elif context.get_parameter_source("region") is ParameterSource.ENVIRONMENT:
                region = None
            else:
                raise click.UsageError("give --base-url or --region, not both")
        self.api_key = api_key
        self.base_url = base_url
        self.region = region
        self.display: Display
        if json_output:
            self.display = Json()
        elif is_terminal(sys.stderr):
            self.display = Terminal()
        else:
            self.display = Plain()
        self._client: WanClient | None = None

    @property
    def client(self) -> WanClient:
        if self._client is None:
            if not (self.api_key or "").strip():
                raise click.UsageError("no API key: give --api-key or set DASHSCOPE_API_KEY")
            self._client = WanClient(
                self.api_key,
                base_url=self.base_url,
                region=self.region,
                sleep=self.display.sleep,
            )
        return self._client

    def close(self) -> None:
        if self._client is not None:
            self._client.close()

    # ------------------------------------------------------------------ what commands share
    def wait(
        self, task_id: str, timeout: float | None, poll_interval: float | None
    ) -> SucceededTask:
        poll = PollSchedule(first=poll_interval, factor=1.0) if poll_interval is not None else None
        with self.display.waiting(task_id):
            return self.client.wait(
                task_id, timeout=timeout, on_update=self.display.update, poll=poll
            )

    def download(self, url: str, output: Path, default_name: str) -> Path:
        dest = output / default_name if output.is_dir() else output
        with self.display.downloading(dest) as bar:
            written = self.client.download(url, dest, on_progress=self.display.progress(bar))
        return written.absolute()

    def wait_and_save(
        self,
        task_id: str,
        *,
        output: Path | None,
        timeout: float | None,
        poll_interval: float | None,
    ) -> None:
        """Wait for a task, download its video when ``output`` says where, show the result."""
        done = self.wait(task_id, timeout, poll_interval)
        file = self.download(done.video_url, output, f"{done.task_id}.mp4") if output else None
        self.display.task(done, file)


def api_options(command: Callable[..., None]) -> Callable[..., None]:
    """The connection options and ``--json``; the command gets a :class:`Run` first."""

    @click.option(
        "--api-key",
        envvar="DASHSCOPE_API_KEY",
        show_envvar=True,
        help="The DashScope API key.",
    )
    @click.option(
        "--base-url",
        envvar="WAN_BASE_URL",
        show_envvar=True,
        metavar="URL",
        help=f"The API root, e.g. a mock's http://127.0.0.1:8000 ({SPEC.base_path} is added to a "
        "bare host). Default: --region's server.",
    )
    @click.option(
        "--region",
        type=click.Choice(sorted(SPEC.servers)),
        envvar="WAN_REGION",
        show_envvar=True,
        help="intl (Singapore, the default) or cn (Beijing).",
    )
    @click.option(
        "--json",
        "json_output",
        is_flag=True,
        help="Print one JSON document (the task, in the API's field names) and no progress.",
    )
    def run_command(context: click.Context, /, **params: Any) -> None:
        for name in _CONNECTION:
            params.pop(name)
        run = Run(context)
        try:
            command(run, **params)
        except (WanError, ValueError) as error:
            run.display.error(error)
            context.exit(exit_code(error))
        except KeyboardInterrupt:
            run.display.err.print(f"interrupted: {EXIT_CODES[130]}", markup=False)
            context.exit(130)
        finally:
            run.close()

    wrapped = functools.update_wrapper(click.pass_context(run_command), command)
    return wrapped
