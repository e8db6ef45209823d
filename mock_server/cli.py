"""``wan-mock``: the command line. ``wan-mock serve`` runs the mock under gunicorn."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from .settings import PROFILES, Settings

__all__ = ["main", "serve_forever"]


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


def serve_forever(settings: Settings, *, threads: int = 8) -> None:
    """Run the mock under gunicorn until interrupted."""
    from gunicorn.app.base import BaseApplication

    from .app import create_app

    class _Server(BaseApplication):  # type: ignore[misc]
        def __init__(self) -> None:
            self.options: dict[str, Any] = {
                "bind": f"{settings.host}:{settings.port}",
                "workers": settings.workers,
                "worker_class": "gthread",
                "threads": threads,
                "accesslog": None,
                "errorlog": "-",
                "loglevel": "warning",
                "timeout": 60,
                "graceful_timeout": 5,
                "when_ready": self._ready,
            }
            super().__init__()

        @staticmethod
        def _ready(server: Any) -> None:
            port = server.LISTENERS[0].cfg_addr[1] if server.LISTENERS else settings.port
            sys.stdout.write(_banner(settings, int(port)))
            sys.stdout.flush()

        def load_config(self) -> None:
            for key, value in self.options.items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            return create_app(settings)

    _Server().run()


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
@click.option("--workers", default=1, show_default=True, type=click.IntRange(min=1))
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
@click.option("--threads", default=8, show_default=True, type=click.IntRange(min=1))
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
    threads: int,
) -> None:
    """Serve the mock API on HOST:PORT under gunicorn."""
    if workers > 1 and store is None:
        raise click.UsageError("--workers above 1 needs --store PATH (a file the workers share)")
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
    )
    serve_forever(settings, threads=threads)
