"""``wan-mock``: the command line. ``wan-mock serve`` runs the mock under Granian (WSGI)."""

from __future__ import annotations

import dataclasses
import functools
import os
import socket
import sqlite3
import sys
import threading
import time
from pathlib import Path
from typing import Any

try:
    import click
except ImportError:  # a client-only install: say what to install instead of a traceback
    sys.exit("wan-mock needs the mock's dependencies: pip install 'wan-video-kit[mock]'")

from .scenarios import ScenarioError, parse_latency, parse_progress
from .settings import PROFILES, Settings

__all__ = ["main", "serve", "serve_forever"]


def _banner(settings: Settings, port: int) -> str:
    base = f"http://{settings.host}:{port}/api/v1"
    store = settings.store_path or "memory (this process only)"
    keys = "only the --api-key values" if settings.api_keys else "any non-empty key"
    return (
        f"wan-mock serving the Wan video API at {base}\n"
        f"  profile={settings.profile} workers={settings.workers} store={store} keys={keys}\n"
        f"  generated client: AuthenticatedClient(base_url={base!r}, token='sk-test')\n"
        f"  official SDK:     dashscope.base_http_api_url = {base!r}\n"
        f"                    (or DASHSCOPE_HTTP_BASE_URL={base} before importing dashscope)\n"
    )


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
    from granian.constants import Interfaces
    from granian.log import LogLevels
    from granian.server import Server

    port = _check_port(settings.host, settings.port)
    settings = dataclasses.replace(settings, port=port)
    if settings.store_path is not None:  # a store that cannot be opened is a clean error here
        from .store import TaskStore

        try:
            TaskStore(settings.store_path).close()
        except (OSError, sqlite3.Error) as error:
            message = f"cannot open the store {settings.store_path}: {error}"
            raise click.ClickException(message) from None
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

    loader = functools.partial(_worker_app, settings, os.getpid())
    server.serve(target_loader=loader, wrap_loader=False)


@click.group()
def main() -> None:
    """wan-video-kit: a faithful offline mock of the DashScope Wan video API."""


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind.")
@click.option("--port", default=8000, show_default=True, type=int, help="Port to bind.")
@click.option(
    "--store",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="SQLite file for tasks (survives restarts; shared by workers). Default: in memory.",
)
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(min=1),
    help="Worker processes (one per core is fastest; more than one needs --store).",
)
@click.option("--profile", type=click.Choice(PROFILES), default="fast", show_default=True)
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
def serve(
    host: str,
    port: int,
    store: Path | None,
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
) -> None:
    """Serve the mock API on HOST:PORT."""
    if workers > 1 and store is None:
        raise click.UsageError("--workers above 1 needs --store PATH (a file the workers share)")
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
        store_path=store,
        workers=workers,
        profile=profile,  # type: ignore[arg-type]
        api_keys=frozenset(api_keys),
        rate_limits=rate_limits,
        reject_over_concurrency=reject_over_concurrency,
        control_token=control_token,
        data_dir=data_dir,
        progress=polls,
        latency=delay,
    )
    serve_forever(settings, threads=threads)
