"""The ``wan-mock`` control commands (:data:`COMMANDS`): a running mock's control plane over
HTTP (``RunningMock``), with the base install alone; every control operation of
``mock-control.yaml`` is reached by one (a test holds them to the spec). Rich tables on a
terminal, tab-separated lines without one, the control plane's JSON with ``--json``."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

import click
import httpx
from click.core import ParameterSource

from wan_video.cli._terminal import console, is_terminal, stacked, status_table, write_json

from .._domain._clock import utc_text
from .._domain._lifecycle import STATUSES
from .._spec._base_paths import API_PREFIX
from .._testing._control_client import ControlError, RunningMock
from ._scaffold import CONTEXT

__all__ = ["COMMANDS", "DEFAULT_URL"]

C = TypeVar("C", bound=Callable[..., Any])

DEFAULT_URL = "http://127.0.0.1:8000"
_CONNECTION = ("url", "control_token", "json_output")


def _connection_options(command: C) -> C:
    """``--url``, ``--control-token`` and ``--json``, on a command and on its group (so both
    ``wan-mock clock advance 60 --url U`` and ``wan-mock clock --url U advance 60`` work)."""
    return stacked(
        click.option(
            "--url",
            envvar="WAN_MOCK_URL",
            show_envvar=True,
            default=DEFAULT_URL,
            show_default=True,
            metavar="URL",
            help=f"The running mock's root (a `wan-mock serve`; a trailing {API_PREFIX} is "
            "dropped).",
        ),
        click.option(
            "--control-token",
            envvar="WAN_MOCK_CONTROL_TOKEN",
            show_envvar=True,
            metavar="TOKEN",
            help="Sent as X-Mock-Control-Token: what a mock started with --control-token asks "
            "of callers that are not on its loopback.",
        ),
        click.option(
            "--json", "json_output", is_flag=True, help="Print the control plane's JSON answer."
        ),
    )(command)


def _given(context: click.Context, name: str) -> Any:
    """An option's value: the command's own when given on the command line, else its group's
    when given there, else the command's (from the environment or its default)."""
    parent = context.parent
    if (
        context.get_parameter_source(name) is not ParameterSource.COMMANDLINE
        and parent is not None
        and name in parent.params
        and parent.get_parameter_source(name) is ParameterSource.COMMANDLINE
    ):
        return parent.params[name]
    return context.params[name]


class _Call:
    """One control command: the mock at ``--url`` and how its answers are shown."""

    def __init__(self, context: click.Context) -> None:
        url, token, self.json_output = (_given(context, name) for name in _CONNECTION)
        self.mock = RunningMock(url, control_token=token or None)
        self.terminal = not self.json_output and is_terminal(sys.stdout)

    # ------------------------------------------------------------------ output
    def answer(self, document: Any, human: Callable[[], None]) -> None:
        """The control plane's JSON answer with ``--json``, else what ``human`` shows."""
        if self.json_output:
            write_json(document)
        else:
            human()

    def fields(self, pairs: Iterable[tuple[str, Any]]) -> None:
        sys.stdout.write("".join(f"{name}: {value}\n" for name, value in pairs))

    def table(self, headings: Sequence[str], rows: Sequence[Sequence[str]], caption: str) -> None:
        """A rich table on a terminal; else one tab-separated line per row, no headings."""
        if not self.terminal:
            sys.stdout.write("".join("\t".join(row) + "\n" for row in rows))
            return
        console(sys.stdout).print(status_table(headings, rows, caption))

    def fail(self, message: str, document: dict[str, Any]) -> None:
        click.echo(f"error: {message}", err=True)
        if self.json_output:
            write_json(document)


def _control_command(command: Callable[..., None]) -> Callable[..., None]:
    """A control command: the connection options; the function gets a :class:`_Call` first.
    An unreachable mock and a refusal are one line on stderr and exit code 1."""

    @_connection_options
    def run(context: click.Context, /, **params: Any) -> None:
        for name in _CONNECTION:
            params.pop(name)
        call = _Call(context)
        try:
            with call.mock:
                command(call, **params)
        except httpx.InvalidURL as error:
            raise click.BadParameter(str(error), param_hint="'--url'") from None
        except httpx.TransportError as error:
            reason = str(error) or type(error).__name__
            message = f"cannot reach the mock at {call.mock.url}: {reason}"
            call.fail(
                message, {"error": type(error).__name__, "url": call.mock.url, "message": reason}
            )
            context.exit(1)
        except ControlError as refused:
            first = (refused.message.strip().splitlines() or [""])[0]
            status = f"{refused.status} {refused.code or ''}".strip()
            call.fail(
                f"{call.mock.url} refused: {status}: {first}" if refused.status else first,
                {
                    "error": "ControlError",
                    "status": refused.status,
                    "code": refused.code,
                    "message": refused.message,
                },
            )
            context.exit(1)

    return functools.update_wrapper(click.pass_context(run), command)


def _moment(epoch: float) -> str:
    """A time of the mock's clock: UTC, and the epoch seconds the control plane speaks in."""
    return f"{utc_text(epoch)} ({epoch:.3f})"


def _clock_fields(call: _Call, clock: dict[str, Any]) -> None:
    call.fields(
        [
            ("now", _moment(clock["now"])),
            ("frozen", "yes" if clock["frozen"] else "no"),
        ]
    )


def _show_clock(call: _Call, clock: dict[str, Any]) -> None:
    call.answer(clock, lambda: _clock_fields(call, clock))


@click.command(context_settings=CONTEXT)
@_control_command
def health(call: _Call) -> None:
    """Whether the mock at --url answers, and how it is configured.

    \b
      wan-mock health --url http://127.0.0.1:8000
    """
    answer = call.mock.health()

    def human() -> None:
        call.fields(
            [
                ("url", call.mock.url),
                ("status", answer["status"]),
                ("profile", answer["profile"]),
                ("rate_limits", "on" if answer["rate_limits"] else "off"),
                ("store", answer["store"]),
                ("now", _moment(answer["now"])),
            ]
        )

    call.answer(answer, human)


@click.command(context_settings=CONTEXT)
@_control_command
def reset(call: _Call) -> None:
    """Forget every task, queued scenario, journal entry and rate counter (the clock goes back
    to real time, unfrozen).

    \b
      wan-mock reset
    """
    answer = call.mock.reset()
    call.answer(answer, lambda: call.fields([("reset", "no tasks, scenarios or journal left")]))


@click.group(context_settings=CONTEXT, invoke_without_command=True)
@_control_command
def clock(call: _Call) -> None:
    """The mock's clock, which every task lifecycle follows: shown, or (a command) moved.

    \b
      wan-mock clock                  # now, and whether it is frozen
      wan-mock clock advance 60       # tasks move 60 s through their lifecycle
      wan-mock clock freeze · wan-mock clock unfreeze
    """
    if click.get_current_context().invoked_subcommand is None:
        _show_clock(call, call.mock.clock())


@clock.command(context_settings=CONTEXT)
@click.argument("seconds", type=click.FloatRange(min=0))
@_control_command
def advance(call: _Call, seconds: float) -> None:
    """Move the clock SECONDS forward, frozen or not.

    \b
      wan-mock clock advance 60
    """
    _show_clock(call, call.mock.advance(seconds))


@clock.command(context_settings=CONTEXT)
@_control_command
def freeze(call: _Call) -> None:
    """Stop the clock (advance still moves it)."""
    _show_clock(call, call.mock.freeze())


@clock.command(context_settings=CONTEXT)
@_control_command
def unfreeze(call: _Call) -> None:
    """Let the clock run again from where it stands."""
    _show_clock(call, call.mock.unfreeze())


@click.command(context_settings=CONTEXT)
@_control_command
def finish(call: _Call) -> None:
    """Advance the clock until every task that follows it has ended (tasks progressing by polls
    are listed as waiting for polls).

    \b
      wan-mock finish
    """
    answer = call.mock.finish()

    def human() -> None:
        _clock_fields(call, answer)
        if answer["waiting_for_polls"]:
            call.fields([("waiting_for_polls", ", ".join(answer["waiting_for_polls"]))])

    call.answer(answer, human)


@click.group(context_settings=CONTEXT)
@_control_command
def scenario(call: _Call) -> None:
    """Scenarios (X-Mock-Scenario directives) queued for the next submits.

    \b
      wan-mock scenario queue --key sk-test "fail=DataInspectionFailed"
      wan-mock scenario queue --count 3 "pending_polls=2; query_fail=ModelUnavailable"
      wan-mock scenario list
    """


@scenario.command("queue", context_settings=CONTEXT)
@click.argument("directives", metavar="SCENARIO")
@click.option(
    "--key", "api_key", metavar="API_KEY", help="Only for this key's submits. Default: any key."
)
@click.option(
    "--count",
    default=1,
    show_default=True,
    type=click.IntRange(min=1),
    help="For this many submits.",
)
@_control_command
def queue(call: _Call, directives: str, api_key: str | None, count: int) -> None:
    """Give the next COUNT submits without an X-Mock-Scenario header (of --key, or of any key)
    the directives SCENARIO, e.g. fail=DataInspectionFailed or reject=Throttling.

    \b
      wan-mock scenario queue --key sk-test "fail=DataInspectionFailed"
    """
    answer = call.mock.queue_scenario(directives, count, api_key)
    owner = "the key given" if api_key is not None else "any key"
    pairs = [("queued", f"{directives} x{count} for {owner}"), ("waiting", answer["queued"])]
    call.answer(answer, lambda: call.fields(pairs))


@scenario.command("list", context_settings=CONTEXT)
@click.option("--key", "api_key", metavar="API_KEY", help="Only this key's queue.")
@_control_command
def list_scenarios(call: _Call, api_key: str | None) -> None:
    """The queued scenarios, oldest first: key id (* for any key) and directives."""
    queued = call.mock.scenarios(api_key)
    rows = [(entry["key_id"], entry["scenario"]) for entry in queued]
    caption = f"{len(rows)} queued, oldest first (* = any key)"
    call.answer({"scenarios": queued}, lambda: call.table(("key_id", "scenario"), rows, caption))


_TASK_HEADINGS = ("task_id", "status", "model", "submitted", "polls", "downloads", "code")


@click.command(context_settings=CONTEXT)
@click.option(
    "--status",
    type=click.Choice(STATUSES),
    help="Only the tasks with this status now.",
)
@_control_command
def tasks(call: _Call, status: str | None) -> None:
    """Every task the mock holds (all keys), oldest first, with its status now.

    \b
      wan-mock tasks --status RUNNING
    """
    found = call.mock.tasks(status)
    rows = [
        (
            task["task_id"],
            task["status"],
            task["model"],
            utc_text(task["submitted_at"]),
            str(task["polls"]),
            str(task["downloads"]),
            task["code"] or "-",
        )
        for task in found
    ]
    caption = f"{len(rows)} task(s), oldest first"
    call.answer({"tasks": found}, lambda: call.table(_TASK_HEADINGS, rows, caption))


_JOURNAL_HEADINGS = ("at", "operation", "status", "code", "task_id", "key_id", "message")


@click.command(context_settings=CONTEXT)
@click.option("--operation", metavar="OPERATION_ID", help="Only this API operation, e.g. get_task.")
@click.option("--task", "task_id", metavar="TASK_ID", help="Only the requests about this task.")
@click.option(
    "--limit",
    type=click.IntRange(min=1),
    help="At most this many entries. Default: the control plane's (100).",
)
@_control_command
def journal(call: _Call, operation: str | None, task_id: str | None, limit: int | None) -> None:
    """The API requests the mock answered, newest first (key ids, never keys).

    \b
      wan-mock journal --operation create_video_synthesis_task --limit 20
    """
    entries = call.mock.journal(operation, task_id, limit=100 if limit is None else limit)
    rows = [
        (
            utc_text(entry["at"]),
            entry["operation"],
            str(entry["status"]),
            entry["code"] or "-",
            entry["task_id"] or "-",
            entry["key_id"] or "-",
            entry["message"] or "-",
        )
        for entry in entries
    ]
    caption = f"{len(rows)} request(s), newest first"
    call.answer({"entries": entries}, lambda: call.table(_JOURNAL_HEADINGS, rows, caption))


#: The control commands, as ``wan-mock`` adds them.
COMMANDS = (health, reset, clock, finish, scenario, tasks, journal)
