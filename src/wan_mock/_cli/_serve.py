"""``wan-mock serve``: the mock under Granian (WSGI), its workers and the banner it prints."""

from __future__ import annotations

import dataclasses
import functools
import ipaddress
import os
import socket
import sqlite3
import sys
import threading
import time
from pathlib import Path
from typing import Any

import click

from .._domain._scenarios import ScenarioError, parse_latency, parse_progress
from .._service._settings import LOG_FORMATS, PROFILES, Settings
from .._spec._base_paths import API_PREFIX
from .._storage._locations import is_redis_url, public_location
from ._scaffold import CONTEXT

__all__ = ["serve", "serve_forever"]

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
    base = root + API_PREFIX
    store = public_location(settings.store) if settings.store else "memory (this process only)"
    keys = "only the --api-key values" if settings.api_keys else "any non-empty key"
    lines = [f"wan-mock serving the Wan video API at {base}"]
    if settings.host in _WILDCARDS:
        hostname = socket.gethostname() if hostname is None else hostname
        others = _other_machines(settings.host, port, hostname=hostname, hosts_file=hosts_file)
        reach = ", ".join(other + API_PREFIX for other in others) or f"this host's address:{port}"
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

    from .._http._app import create_app, mock_state

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
        from .._storage._opening import open_store, store_error

        try:
            open_store(settings.store).close()
        except Exception as error:
            if not isinstance(error, (OSError, sqlite3.Error)) and not store_error(error):
                raise
            where = public_location(settings.store)
            raise click.ClickException(f"cannot open the store {where}: {error}") from None
    server = Server(
        "wan_mock:create_app",  # only a name here: workers build the app with `loader`
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

    from .._http._app import preload

    preload(settings)  # what every worker would load for itself, shared after the fork
    loader = functools.partial(_worker_app, settings, os.getpid())
    server.serve(target_loader=loader, wrap_loader=False)


@click.command(context_settings=CONTEXT)
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
