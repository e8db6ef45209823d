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

from .._service._options import SERVE, InvalidOption, Option, options_of, setting_fields
from .._service._settings import Settings
from .._spec._base_paths import API_PREFIX
from .._storage._locations import public_location
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


def _click_option(option: Option) -> click.Option:
    """The click form of a serve option (``_service._options``): its spelling, ``--x/--no-x``
    for a switch, a flag, a repeatable value, or a value with its type, bounds or choices; the
    default shown when there is one to show."""
    declarations = [option.flag]
    settings: dict[str, Any] = {"help": option.help}
    if option.is_switch:
        declarations = [f"{option.flag}/{option.negative_flag}"]
        settings["default"] = None
    elif option.is_flag:
        settings["is_flag"] = True
    elif option.repeated:
        settings["multiple"] = True
    else:
        settings["default"] = option.default
        if option.default is not None:
            settings["show_default"] = True
        if option.choices:
            settings["type"] = click.Choice(option.choices)
        elif option.minimum is not None or option.maximum is not None:
            settings["type"] = click.IntRange(option.minimum, option.maximum)
        elif option.kind is Path:
            settings["type"] = click.Path(file_okay=False, path_type=Path)
        elif option.kind is not str:
            settings["type"] = option.kind
    if option.metavar is not None:
        settings["metavar"] = option.metavar
    if option.flag.removeprefix("--").replace("-", "_") != option.name:
        declarations.append(option.name)
    return click.Option(declarations, **settings)


@click.command(
    context_settings=CONTEXT, params=[_click_option(option) for option in options_of(SERVE)]
)
def serve(**values: Any) -> None:
    """Serve the mock API on HOST:PORT.

    \b
      wan-mock serve                              # http://127.0.0.1:8000/api/v1
      wan-mock serve --port 0 --log-format json   # a free port, JSON access log
      wan-mock serve --host 0.0.0.0 --control-token TOKEN --store tasks.db --workers 4
    """
    if values["workers"] > 1 and values["store"] is None:
        raise click.UsageError(
            "--workers above 1 needs --store PATH or URL (a file or server the workers share)"
        )
    try:
        fields = setting_fields(values)
    except InvalidOption as error:
        raise click.BadParameter(error.reason, param_hint=f"'{error.option.flag}'") from None
    serve_forever(Settings(**fields), threads=values["threads"])
