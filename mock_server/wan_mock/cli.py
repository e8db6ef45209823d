"""``wan-mock``: the command line. ``wan-mock serve`` runs the mock under Granian (WSGI); the
control commands (``clock``, ``finish``, ``scenario``, ``tasks``, ``journal``, ``reset``,
``health``) drive a running mock's control plane over HTTP (``controls.RunningMock``), and need
only the base install."""

from __future__ import annotations

import dataclasses
import functools
import ipaddress
import json
import os
import socket
import sqlite3
import sys
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click
import httpx
from click.core import ParameterSource

from . import __version__
from .accesslog import LOG_FORMATS
from .clock import utc_text
from .controls import ControlError, RunningMock
from .scenarios import ScenarioError, parse_latency, parse_progress
from .settings import PROFILES, Settings, is_redis_url, public_location

__all__ = ["DEFAULT_URL", "EXIT_CODES", "main", "serve", "serve_forever"]

C = TypeVar("C", bound=Callable[..., Any])

#: Bound to every address: the loopback address this machine reaches it at.
_WILDCARDS = {"0.0.0.0": "127.0.0.1", "::": "::1"}
_HOSTS_FILE = Path("/etc/hosts")


def _in_url(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def _other_machines(
    host: str, port: int, *, hostname: str, hosts_file: Path = _HOSTS_FILE
) -> list[str]:
    """The roots other machines may reach a mock bound to every address at: this host's name
    and the addresses the hosts file gives it that are not loopback (nothing is looked up on
    the network; IPv6 ones only when bound to ``::``)."""
    names = {hostname, hostname.split(".")[0]} - {"", "localhost"}
    found = [hostname] if hostname and hostname != "localhost" else []
    try:
        lines = hosts_file.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        lines = []
    for line in lines:
        fields = line.split("#", 1)[0].split()
        if len(fields) < 2 or not names & set(fields[1:]):
            continue
        try:
            address = ipaddress.ip_address(fields[0])
        except ValueError:
            continue
        if address.is_loopback or address.is_link_local or address.is_unspecified:
            continue
        if address.version == 6 and host != "::":
            continue
        found.append(str(address))
    return [f"http://{_in_url(name)}:{port}" for name in dict.fromkeys(found)]


def _banner(
    settings: Settings,
    port: int,
    *,
    hostname: str | None = None,
    hosts_file: Path = _HOSTS_FILE,
) -> str:
    """What ``wan-mock serve`` prints once it listens: the URLs to use (on a wildcard address,
    this machine's loopback and what other machines may use, never ``0.0.0.0``), the console,
    the API reference and the configuration."""
    local = _WILDCARDS.get(settings.host, settings.host)
    root = f"http://{_in_url(local)}:{port}"
    base = root + "/api/v1"
    store = public_location(settings.store) if settings.store else "memory (this process only)"
    keys = "only the --api-key values" if settings.api_keys else "any non-empty key"
    lines = [f"wan-mock serving the Wan video API at {base}"]
    if settings.host in _WILDCARDS:
        hostname = socket.gethostname() if hostname is None else hostname
        others = _other_machines(settings.host, port, hostname=hostname, hosts_file=hosts_file)
        reach = ", ".join(other + "/api/v1" for other in others) or f"this host's address:{port}"
        lines.append(f"  other machines:   {reach}")
        if settings.control_token is None:
            lines.append(
                "                    (/__mock/ and the console: loopback only, see --control-token)"
            )
    log = f"{settings.log_format} on stdout" if settings.access_log else "off (--quiet)"
    lines += [
        f"  console:          {root}/ (tasks, the journal, the clock and scenarios)",
        f"  API reference:    {root}/docs",
        f"  profile={settings.profile} workers={settings.workers} store={store} keys={keys}",
        f"  access log:       {log}",
        f"  generated client: AuthenticatedClient(base_url={base!r}, token='sk-test')",
        f"  official SDK:     dashscope.base_http_api_url = {base!r}",
        f"                    (or DASHSCOPE_HTTP_BASE_URL={base} before importing dashscope)",
    ]
    return "\n".join(lines) + "\n"


def _check_port(host: str, port: int) -> int:
    """The port to serve on (a free one for 0), refusing one already in use: the server's
    workers share their port (SO_REUSEPORT), so a second server would otherwise quietly take
    half of another's connections."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            reason = error.strerror or str(error)
            raise click.ClickException(f"cannot listen on {host}:{port}: {reason}") from None
        return int(probe.getsockname()[1])


def _worker_app(settings: Settings, main_pid: int) -> Any:
    """Build the app inside a worker process (after the fork): its own store connection,
    journal and clock. The worker leaves when the server's main process is gone, even if that
    was killed without a chance to stop it, flushing its journal on the way out."""
    import multiprocessing.util

    from .app import create_app, mock_state

    app = create_app(settings)
    state = mock_state(app)
    multiprocessing.util.Finalize(app, state.close, exitpriority=10)

    def watch_parent() -> None:
        while os.getppid() == main_pid:  # (a worker outliving the main process is reparented)
            time.sleep(_PARENT_POLL_SECONDS)
        try:
            state.journal.close()  # what matters before leaving: the last journal rows
        finally:
            os._exit(0)

    threading.Thread(target=watch_parent, name="wan-parent-watch", daemon=True).start()
    return app


#: How often a worker checks that the server's main process is still there.
_PARENT_POLL_SECONDS = 0.5


def serve_forever(settings: Settings, *, threads: int = 1) -> None:
    """Run the mock under Granian (WSGI, ``settings.workers`` processes with ``threads``
    request threads each) until interrupted."""
    try:
        from granian.constants import Interfaces
        from granian.log import LogLevels
        from granian.server import Server
    except ImportError as missing:  # a client-only install has the control commands only
        raise click.ClickException(
            f"wan-mock serve needs the mock's dependencies ({missing.name} is missing): "
            "pip install 'wan-video-kit[mock]'"
        ) from None

    port = _check_port(settings.host, settings.port)
    settings = dataclasses.replace(settings, port=port)
    if settings.store is not None:  # a store that cannot be opened is a clean error here
        from .stores import open_store, store_error

        try:
            open_store(settings.store).close()
        except Exception as error:
            if not isinstance(error, (OSError, sqlite3.Error)) and not store_error(error):
                raise
            where = public_location(settings.store)
            raise click.ClickException(f"cannot open the store {where}: {error}") from None
    server = Server(
        "wan_mock.app:create_app",  # only a name here: workers build the app with `loader`
        address=settings.host,
        port=port,
        interface=Interfaces.WSGI,
        workers=settings.workers,
        blocking_threads=threads,
        log_level=LogLevels.warning,
        log_access=False,
        # a worker that dies is replaced (twice within a few seconds: the server stops)
        respawn_failed_workers=True,
        workers_kill_timeout=10,
    )

    @server.on_startup
    def _banner_out() -> None:
        sys.stdout.write(_banner(settings, port))
        sys.stdout.flush()

    from .app import preload

    preload(settings)  # what every worker would load for itself, shared after the fork
    loader = functools.partial(_worker_app, settings, os.getpid())
    server.serve(target_loader=loader, wrap_loader=False)


#: What ``wan-mock`` exits with, besides 0.
EXIT_CODES = {
    1: "the mock could not be reached at --url, or its control plane refused the call "
    "(403 AccessDenied: see --control-token; 400 InvalidParameter), or serve could not start",
    2: "a usage error: a bad option or argument",
}
_EPILOG = "Exit codes: " + "; ".join(f"{code} {text}" for code, text in EXIT_CODES.items()) + "."
_CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


@click.group(context_settings=_CONTEXT, epilog=_EPILOG)
@click.version_option(
    __version__, prog_name="wan-mock", message="%(prog)s %(version)s (wan-video-kit)"
)
def main() -> None:
    """wan-video-kit: a faithful offline mock of the DashScope Wan video API.

    \b
      wan-mock serve --port 8000                 # the mock, its console at http://127.0.0.1:8000/
      wan-mock clock advance 60 · wan-mock finish · wan-mock clock freeze
      wan-mock scenario queue --key sk-test "fail=DataInspectionFailed"
      wan-mock tasks --status RUNNING · wan-mock journal --limit 20 · wan-mock reset
      wan-mock health --url http://10.0.0.5:8000 --control-token TOKEN   # or WAN_MOCK_URL
    """


@main.command(context_settings=_CONTEXT)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind.")
@click.option(
    "--port",
    default=8000,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="Port to bind; 0 picks a free one (the banner prints which).",
)
@click.option(
    "--store",
    default=None,
    metavar="PATH|URL",
    help="Where tasks live: a SQLite file (survives restarts; shared by workers) or "
    "redis://[:PASSWORD@]HOST:PORT/DB (also rediss://), a Valkey or Redis server every host "
    "started on it shares (needs wan-video-kit[redis]). Default: in memory.",
)
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(min=1),
    help="Worker processes (one per core is fastest; more than one needs --store).",
)
@click.option(
    "--profile",
    type=click.Choice(PROFILES),
    default="fast",
    show_default=True,
    help="Task timing. fast: every task is PENDING 0.5 s, then RUNNING 1 s. realistic: PENDING "
    "2-10 s, then RUNNING for its model's processing time (1-5 min, Wan-VACE 5-10 min), and "
    "rate limits on (unless --no-rate-limits).",
)
@click.option(
    "--api-key",
    "api_keys",
    multiple=True,
    help="Accept only this key (repeatable). Default: any non-empty key.",
)
@click.option(
    "--rate-limits/--no-rate-limits",
    default=None,
    help="Enforce the models' RPS and concurrency limits. Default: on for realistic, off for fast.",
)
@click.option(
    "--reject-over-concurrency",
    is_flag=True,
    help="Answer 429 to submits beyond a model's concurrent-task limit instead of queueing them.",
)
@click.option(
    "--control-token",
    default=None,
    help="Token (header X-Mock-Control-Token) that unlocks /__mock/ for non-loopback callers.",
)
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder for uploads and rendered videos. Default: beside --store, else a temp folder.",
)
@click.option(
    "--progress",
    default="time",
    show_default=True,
    help="How tasks progress: time (the clock) or polls:N,M (PENDING for N queries, RUNNING "
    "for M more, then done), unless a task's scenario says otherwise.",
)
@click.option(
    "--latency",
    default=None,
    help="Delay every API answer: seconds, or a range LOW-HIGH drawn from --latency-seed.",
)
@click.option(
    "--latency-seed", default=0, show_default=True, type=int, help="Seed of a latency range."
)
@click.option(
    "--threads",
    default=1,
    show_default=True,
    type=click.IntRange(min=1),
    help="Request threads per worker (one is fastest: the workers, not threads, use the cores).",
)
@click.option(
    "--log-format",
    type=click.Choice(LOG_FORMATS),
    default="text",
    show_default=True,
    help="The access log on stdout, a line per request: text (method, path, status, error "
    "code, task, ms) or json (one object per line, with the operation and request id).",
)
@click.option(
    "--quiet",
    is_flag=True,
    help="No access log (the banner and errors still print).",
)
def serve(
    host: str,
    port: int,
    store: str | None,
    workers: int,
    profile: str,
    api_keys: tuple[str, ...],
    rate_limits: bool | None,
    reject_over_concurrency: bool,
    control_token: str | None,
    data_dir: Path | None,
    progress: str,
    latency: str | None,
    latency_seed: int,
    threads: int,
    log_format: str,
    quiet: bool,
) -> None:
    """Serve the mock API on HOST:PORT.

    \b
      wan-mock serve                              # http://127.0.0.1:8000/api/v1
      wan-mock serve --port 0 --log-format json   # a free port, JSON access log
      wan-mock serve --host 0.0.0.0 --control-token TOKEN --store tasks.db --workers 4
    """
    if workers > 1 and store is None:
        raise click.UsageError(
            "--workers above 1 needs --store PATH or URL (a file or server the workers share)"
        )
    try:
        polls = parse_progress(progress)
    except ScenarioError as error:
        raise click.BadParameter(str(error), param_hint="'--progress'") from None
    try:
        delay = None if latency is None else parse_latency(latency, latency_seed)
    except ScenarioError as error:
        message = str(error).removeprefix("X-Mock-Scenario latency: ")
        raise click.BadParameter(message, param_hint="'--latency'") from None
    settings = Settings(
        host=host,
        port=port,
        store_path=None if store is None or is_redis_url(store) else Path(store),
        store_url=store if is_redis_url(store) else None,
        workers=workers,
        profile=profile,  # type: ignore[arg-type]
        api_keys=frozenset(api_keys),
        rate_limits=rate_limits,
        reject_over_concurrency=reject_over_concurrency,
        control_token=control_token,
        data_dir=data_dir,
        progress=polls,
        latency=delay,
        access_log=not quiet,
        log_format=log_format,  # type: ignore[arg-type]
    )
    serve_forever(settings, threads=threads)


# ---------------------------------------------------------------------- the control commands
DEFAULT_URL = "http://127.0.0.1:8000"
_CONNECTION = ("url", "control_token", "json_output")


def _connection_options(command: C) -> C:
    """``--url``, ``--control-token`` and ``--json``, on a command and on its group (so both
    ``wan-mock clock advance 60 --url U`` and ``wan-mock clock --url U advance 60`` work)."""
    options = (
        click.option(
            "--url",
            envvar="WAN_MOCK_URL",
            show_envvar=True,
            default=DEFAULT_URL,
            show_default=True,
            metavar="URL",
            help="The running mock's root (a `wan-mock serve`; a trailing /api/v1 is dropped).",
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
    )
    for option in reversed(options):
        command = option(command)
    return command


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
        self.terminal = not self.json_output and _stdout_is_terminal()

    # ------------------------------------------------------------------ output
    def answer(self, document: Any, human: Callable[[], None]) -> None:
        """The control plane's JSON answer with ``--json``, else what ``human`` shows."""
        if self.json_output:
            sys.stdout.write(json.dumps(document) + "\n")
        else:
            human()

    def fields(self, pairs: Iterable[tuple[str, Any]]) -> None:
        sys.stdout.write("".join(f"{name}: {value}\n" for name, value in pairs))

    def table(self, headings: Sequence[str], rows: Sequence[Sequence[str]], caption: str) -> None:
        """A rich table on a terminal; else one tab-separated line per row, no headings."""
        if not self.terminal:
            sys.stdout.write("".join("\t".join(row) + "\n" for row in rows))
            return
        from rich.console import Console
        from rich.table import Table
        from rich.text import Text

        table = Table(*headings, caption=caption)
        for row in rows:
            table.add_row(*(Text(cell, _STYLES.get(cell, "")) for cell in row))
        Console(highlight=False, soft_wrap=True).print(table)

    def fail(self, message: str, document: dict[str, Any]) -> None:
        click.echo(f"error: {message}", err=True)
        if self.json_output:
            sys.stdout.write(json.dumps(document) + "\n")


def _stdout_is_terminal() -> bool:
    try:
        return os.isatty(sys.stdout.fileno())
    except (AttributeError, OSError, ValueError):
        return False


_STYLES = {
    "PENDING": "yellow",
    "RUNNING": "cyan",
    "SUCCEEDED": "green",
    "FAILED": "red",
    "CANCELED": "magenta",
    "UNKNOWN": "red",
}


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


@main.command(context_settings=_CONTEXT)
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


@main.command(context_settings=_CONTEXT)
@_control_command
def reset(call: _Call) -> None:
    """Forget every task, queued scenario, journal entry and rate counter (the clock goes back
    to real time, unfrozen).

    \b
      wan-mock reset
    """
    answer = call.mock.reset()
    call.answer(answer, lambda: call.fields([("reset", "no tasks, scenarios or journal left")]))


@main.group(context_settings=_CONTEXT, invoke_without_command=True)
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


@clock.command(context_settings=_CONTEXT)
@click.argument("seconds", type=click.FloatRange(min=0))
@_control_command
def advance(call: _Call, seconds: float) -> None:
    """Move the clock SECONDS forward, frozen or not.

    \b
      wan-mock clock advance 60
    """
    _show_clock(call, call.mock.advance(seconds))


@clock.command(context_settings=_CONTEXT)
@_control_command
def freeze(call: _Call) -> None:
    """Stop the clock (advance still moves it)."""
    _show_clock(call, call.mock.freeze())


@clock.command(context_settings=_CONTEXT)
@_control_command
def unfreeze(call: _Call) -> None:
    """Let the clock run again from where it stands."""
    _show_clock(call, call.mock.unfreeze())


@main.command(context_settings=_CONTEXT)
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


@main.group(context_settings=_CONTEXT)
@_control_command
def scenario(call: _Call) -> None:
    """Scenarios (X-Mock-Scenario directives) queued for the next submits.

    \b
      wan-mock scenario queue --key sk-test "fail=DataInspectionFailed"
      wan-mock scenario queue --count 3 "pending_polls=2; query_fail=ModelUnavailable"
      wan-mock scenario list
    """


@scenario.command("queue", context_settings=_CONTEXT)
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


@scenario.command("list", context_settings=_CONTEXT)
@click.option("--key", "api_key", metavar="API_KEY", help="Only this key's queue.")
@_control_command
def list_scenarios(call: _Call, api_key: str | None) -> None:
    """The queued scenarios, oldest first: key id (* for any key) and directives."""
    queued = call.mock.scenarios(api_key)
    rows = [(entry["key_id"], entry["scenario"]) for entry in queued]
    caption = f"{len(rows)} queued, oldest first (* = any key)"
    call.answer({"scenarios": queued}, lambda: call.table(("key_id", "scenario"), rows, caption))


_TASK_HEADINGS = ("task_id", "status", "model", "submitted", "polls", "downloads", "code")


@main.command(context_settings=_CONTEXT)
@click.option(
    "--status",
    type=click.Choice(("PENDING", "RUNNING", "SUCCEEDED", "FAILED", "CANCELED")),
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


@main.command(context_settings=_CONTEXT)
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
