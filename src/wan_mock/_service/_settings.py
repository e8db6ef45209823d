"""How one mock instance behaves; ``create_app(settings)`` takes one of these."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from .._domain._lifecycle import PROFILES, Profile
from .._domain._scenarios import Latency, Polls
from .._storage._locations import is_redis_url

__all__ = ["LOG_FORMATS", "PROFILES", "LogFormat", "Profile", "Settings"]

#: How the access log writes a line: a line of fields, or one JSON object.
LogFormat = Literal["text", "json"]
LOG_FORMATS: tuple[LogFormat, ...] = ("text", "json")


@dataclass(frozen=True)
class Settings:
    """Options of one mock instance.

    ``store_path`` None keeps tasks in memory for one process; a path is a SQLite file that
    survives restarts and is shared by worker processes; ``store_url`` (``redis://…`` or
    ``rediss://…``) a Valkey or Redis server shared by every host started on it, which wins
    over ``store_path``. ``api_keys`` empty accepts any non-empty
    key. ``rate_limits`` None means "as the profile says" (on for realistic, off for fast).
    ``utc_offset_hours`` is the zone of the service's time strings (Beijing, UTC+8, like the
    real service).
    """

    host: str = "127.0.0.1"
    port: int = 8000
    store_path: Path | None = None
    store_url: str | None = None
    workers: int = 1
    profile: Profile = "fast"
    api_keys: frozenset[str] = field(default_factory=frozenset)
    data_dir: Path | None = None
    spec_path: Path | None = None
    rate_limits: bool | None = None
    reject_over_concurrency: bool = False
    utc_offset_hours: float = 8.0
    region: str = "ap-southeast-1"
    id_seed: int | None = None
    control_token: str | None = None
    journal_size: int = 1000
    #: Render each SUCCEEDED task's video in the background at submit time (off: on the first
    #: download, as tests that never download one prefer).
    prerender_videos: bool = True
    #: How every task progresses unless its scenario says otherwise: None by the clock, or
    #: ``Polls(N, M)``: PENDING for N queries, RUNNING for M more (``--progress polls:N,M``).
    progress: Polls | None = None
    #: A delay of every API answer (``--latency``), unless a task's scenario sets its own.
    latency: Latency | None = None
    #: One line per request served (``accesslog.py``), on stdout or the ``log_stream`` given to
    #: ``create_app``; a fault's traceback goes with its line. Off for library use (a fault is
    #: then logged to the ``wan_mock`` logger); ``wan-mock serve`` turns it on unless ``--quiet``.
    access_log: bool = False
    #: ``text`` (a line of fields) or ``json`` (one JSON object per line).
    log_format: LogFormat = "text"

    def __post_init__(self) -> None:
        if self.profile not in PROFILES:
            raise ValueError(f"profile must be one of {PROFILES}, not {self.profile!r}")
        if self.log_format not in LOG_FORMATS:
            raise ValueError(f"log_format must be one of {LOG_FORMATS}, not {self.log_format!r}")
        if self.workers < 1:
            raise ValueError("workers must be at least 1")
        if self.store_url is not None and not is_redis_url(self.store_url):
            raise ValueError(
                f"store_url must be a redis:// or rediss:// URL, not {self.store_url!r}"
            )
        if self.workers > 1 and self.store is None:
            raise ValueError("several workers need a shared store (--store PATH or URL)")

    @property
    def store(self) -> str | None:
        """What ``store.open_store`` opens: the URL, else the file, else None (memory)."""
        if self.store_url is not None:
            return self.store_url
        return None if self.store_path is None else str(self.store_path)

    @property
    def rate_limits_enabled(self) -> bool:
        if self.rate_limits is not None:
            return self.rate_limits
        return self.profile == "realistic"
