"""How one mock instance behaves: ``create_app(settings)`` (and ``build_state``) take one of
these. ``wan-mock serve`` and ``WanMock`` make theirs from their options (``_options.py``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from .._domain._lifecycle import PROFILES, Profile
from .._domain._scenarios import Latency, Polls
from .._storage._locations import REDIS_SCHEMES, is_redis_url

__all__ = ["LOG_FORMATS", "PROFILES", "LogFormat", "Profile", "Settings"]

#: How the access log writes a line: a line of fields, or one JSON object.
LogFormat = Literal["text", "json"]
LOG_FORMATS: tuple[LogFormat, ...] = ("text", "json")


@dataclass(frozen=True)
class Settings:
    """Options of one mock instance.

    Where tasks live (``store``): ``store_url``, a Redis-protocol URL (``redis://``,
    ``rediss://`` or ``unix://``: ``_storage._locations.is_redis_url``), a Valkey or Redis
    server shared by every host started on it, wins over ``store_path``, a SQLite file that
    survives restarts and is shared by worker processes; with neither, tasks are kept in memory
    for one process. ``workers`` above 1 need one of them. ``host``, ``port`` and ``workers``
    are for ``wan-mock serve``, which binds and forks; an app made by ``create_app`` ignores
    them. ``data_dir`` holds uploads and rendered videos (None: beside the SQLite file, else a
    private temporary folder). ``api_keys`` empty accepts any non-empty key.
    ``rate_limits`` turns on the models' RPS, the task endpoints' rate and the models'
    concurrent-task limits (a task beyond one waits PENDING, or is refused with 429 under
    ``reject_over_concurrency``); None means "as the profile says" (on for realistic, off for
    fast: ``rate_limits_enabled``). ``utc_offset_hours`` is the zone of the service's time
    strings, those it shows and the list's ``start_time``/``end_time`` it reads (Beijing,
    UTC+8, like the real service); ``region`` the one the list names. ``id_seed`` makes task
    ids a reproducible sequence. ``control_token`` unlocks the control plane for callers that
    are not on loopback. ``journal_size`` is how many API requests the journal keeps.
    ``spec_path`` is another ``wan-video.yaml`` to serve (None: the one shipped).
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
    #: Render the video of each task that will succeed in the background at submit time, each
    #: output shape once (off: on its first download, as tests that never download one prefer).
    prerender_videos: bool = True
    #: How every task progresses unless its scenario says otherwise: None by the clock, or
    #: ``Polls(N, M)``: PENDING for N queries, RUNNING for M more (``--progress polls:N,M``).
    progress: Polls | None = None
    #: A delay of every API answer (``--latency``), unless a task's scenario sets its own.
    latency: Latency | None = None
    #: One line per request served (``_http/_access_log.py``), on stdout or the ``log_stream``
    #: given to ``create_app``; a fault's traceback goes with its line. Off for library use (a
    #: fault is then logged to the ``wan_mock`` logger); ``wan-mock serve`` turns it on unless
    #: ``--quiet``.
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
            schemes = ", ".join(REDIS_SCHEMES)
            raise ValueError(f"store_url must be a URL of {schemes}, not {self.store_url!r}")
        if self.workers > 1 and self.store is None:
            raise ValueError("several workers need a shared store (--store PATH or URL)")

    @property
    def store(self) -> str | None:
        """What ``_storage._opening.open_store`` opens: the URL, else the file, else None
        (memory)."""
        if self.store_url is not None:
            return self.store_url
        return None if self.store_path is None else str(self.store_path)

    @property
    def rate_limits_enabled(self) -> bool:
        """Whether the rate and concurrency limits apply: ``rate_limits``, else the profile's
        choice (on for realistic)."""
        if self.rate_limits is not None:
            return self.rate_limits
        return self.profile == "realistic"
