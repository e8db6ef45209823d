"""Every option of a mock, declared once in ``OPTIONS``: its name, type, default, help, what the
README says of it, and which surfaces take it — ``wan-mock serve`` (``SERVE``), ``WanMock``
(``IN_PROCESS``), ``WanMockServer`` (``SERVER``) and the ``wan_mock`` pytest marker (``MARKER``).

What derives from it: the click options of ``wan-mock serve`` (``_cli._serve``); the
``Settings`` fields option values set (``setting_fields``, for ``serve`` and ``WanMock``); the
``wan-mock serve`` arguments a ``WanMockServer`` passes on (``serve_arguments``); the marker's
keywords and the line ``pytest --markers`` shows (``marker_signature``); and the README's option
tables, which ``tools/readme_options.py`` writes (the suite fails when the README is out of
step). ``WanMock`` and ``WanMockServer`` spell their keyword arguments out for type checkers; a
test holds them to this table, names and defaults.

To add an option: declare it here; give ``Settings`` its field when it is one; add the keyword
to each class that takes it (the test says which); run ``make readme-options``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from .._domain._lifecycle import PROFILES
from .._domain._scenarios import ScenarioError, parse_latency, parse_progress
from .._storage._locations import is_redis_url
from ._settings import LOG_FORMATS, Settings

__all__ = [
    "IN_PROCESS",
    "MARKER",
    "OPTIONS",
    "SERVE",
    "SERVER",
    "START",
    "InvalidOption",
    "Option",
    "Surface",
    "chosen",
    "marker_signature",
    "options_of",
    "serve_arguments",
    "setting_fields",
]

#: Where an option may be given.
Surface = Literal["serve", "WanMock", "WanMockServer", "marker"]
SERVE: Surface = "serve"
IN_PROCESS: Surface = "WanMock"
SERVER: Surface = "WanMockServer"
MARKER: Surface = "marker"

#: Where a new in-process mock's clock starts (``WanMock(start=…)``): 2025-05-15 08:14:44 UTC.
START = 1747296884.0

#: How an option's value sets ``Settings`` fields, given every option value of the surface.
Conversion = Callable[[Any, Mapping[str, Any]], Mapping[str, Any]]


@dataclass(frozen=True)
class Option:
    """One option. Its value is the ``Settings`` field of the same name unless ``convert`` says
    otherwise (an option that is no field and has no conversion sets nothing: the command or
    the class uses it itself). On the command line a ``bool`` with default None is a
    ``--x/--no-x`` switch, one with default False an ``--x`` flag."""

    name: str
    default: Any
    surfaces: frozenset[Surface]
    #: ``wan-mock serve --help``'s text (serve options).
    help: str = ""
    #: The README's meaning: in the ``wan-mock serve`` table (serve options), in the keyword
    #: table (``keyword_doc``: options of the classes).
    doc: str = ""
    keyword_doc: str = ""
    #: The README's default in words, where the value itself is not what to show.
    shown_default: str | None = None
    #: The command line's value: its type, choices, bounds, whether the option repeats.
    kind: type = str
    choices: tuple[str, ...] = ()
    minimum: int | None = None
    maximum: int | None = None
    repeated: bool = False
    #: The command line's spelling, when it is not ``--`` and the name with dashes.
    spelling: str | None = None
    #: The metavar ``--help`` shows, when it is not click's; the value the README shows.
    metavar: str | None = None
    placeholder: str | None = None
    convert: Conversion | None = None

    @property
    def flag(self) -> str:
        """``--api-key`` for ``api_keys``: how the command line spells it."""
        return self.spelling or "--" + self.name.replace("_", "-")

    @property
    def negative_flag(self) -> str:
        """``--no-rate-limits``: the off form of a switch."""
        return "--no-" + self.flag.removeprefix("--")

    @property
    def is_switch(self) -> bool:
        return self.kind is bool and self.default is None

    @property
    def is_flag(self) -> bool:
        return self.kind is bool and self.default is False


class InvalidOption(ValueError):
    """An option value that cannot be used; the message is the parser's, ``reason`` the same
    without the scenario grammar's prefix (what ``wan-mock serve`` shows beside the flag)."""

    def __init__(self, option: Option, message: str) -> None:
        super().__init__(message)
        self.option = option
        self.reason = message.removeprefix(f"X-Mock-Scenario {option.name}: ")


def _store(value: Any, values: Mapping[str, Any]) -> Mapping[str, Any]:
    """``--store``: a Redis-protocol URL, else a SQLite file (None: memory)."""
    url = is_redis_url(value)
    return {
        "store_path": None if value is None or url else Path(value),
        "store_url": value if url else None,
    }


def _latency(value: Any, values: Mapping[str, Any]) -> Mapping[str, Any]:
    """``--latency`` drawn from ``--latency-seed`` (its default when not given)."""
    if value is None:
        return {"latency": None}
    seed = values.get("latency_seed", _option("latency_seed").default)
    return {"latency": parse_latency(str(value), seed)}


_EVERY_SURFACE = frozenset({SERVE, IN_PROCESS, SERVER, MARKER})
_SERVE_ONLY = frozenset({SERVE})
_SERVE_AND_SERVER = frozenset({SERVE, SERVER})

#: Every option, in the order ``wan-mock serve --help`` and the README list them.
OPTIONS: tuple[Option, ...] = (
    Option(
        "host",
        "127.0.0.1",
        _SERVE_ONLY,
        help="Address to bind.",
        doc="address to bind (the mock never binds elsewhere unless told to)",
    ),
    Option(
        "port",
        8000,
        _SERVE_ONLY,
        help="Port to bind; 0 picks a free one (the banner prints which).",
        doc="port; `0` picks a free one, which the banner prints",
        kind=int,
        minimum=0,
        maximum=65535,
    ),
    Option(
        "store",
        None,
        _SERVE_AND_SERVER,
        help="Where tasks live: a SQLite file (survives restarts; shared by workers) or "
        "redis://[:PASSWORD@]HOST:PORT/DB (also rediss://), a Valkey or Redis server every host "
        "started on it shares (needs wan-video-kit[redis]). Default: in memory.",
        doc="SQLite file (WAL): tasks survive restarts and are shared by workers; or "
        "`redis://[:PASSWORD@]HOST:PORT/DB` (also `rediss://`): a Valkey or Redis server that "
        "every host started on the same URL shares "
        "([Running several hosts](#running-several-hosts))",
        keyword_doc="a SQLite file (or a `redis://` URL) to keep tasks in, which several "
        "servers, or a restart, can share (default: one in its folder)",
        shown_default="in memory",
        metavar="PATH|URL",
        convert=_store,
    ),
    Option(
        "workers",
        1,
        _SERVE_AND_SERVER,
        help="Worker processes (one per core is fastest; more than one needs --store).",
        doc="worker processes sharing `--store` (required for N > 1, a file or a URL); one per "
        "core is the fastest setting",
        keyword_doc="worker processes (as `--workers`)",
        kind=int,
        minimum=1,
        placeholder="N",
    ),
    Option(
        "profile",
        "fast",
        _EVERY_SURFACE,
        help="Task timing. fast: every task is PENDING 0.5 s, then RUNNING 1 s. realistic: PENDING "
        "2-10 s, then RUNNING for its model's processing time (1-5 min, Wan-VACE 5-10 min), and "
        "rate limits on (unless --no-rate-limits).",
        doc="lifecycle timing: fast ≈ 0.5 s PENDING + 1 s RUNNING; realistic 2-10 s queueing, "
        "then 1-5 min (VACE 5-10 min) running",
        keyword_doc="`fast` (0.5 s PENDING + 1 s RUNNING) or `realistic` (minutes)",
        choices=PROFILES,
    ),
    Option(
        "api_keys",
        (),
        _EVERY_SURFACE,
        help="Accept only this key (repeatable). Default: any non-empty key.",
        doc="repeatable; when given only these keys are valid",
        keyword_doc="the only keys accepted (default: any key)",
        shown_default="any key",
        repeated=True,
        spelling="--api-key",
        placeholder="KEY",
        convert=lambda value, values: {"api_keys": frozenset(value)},
    ),
    Option(
        "rate_limits",
        None,
        _EVERY_SURFACE,
        help="Enforce the models' RPS and concurrency limits. Default: on for realistic, off for "
        "fast.",
        doc="per key and model submit RPS and concurrent tasks from the spec; task endpoints "
        "20 QPS",
        keyword_doc="the models' RPS and concurrency limits (default: on for realistic)",
        shown_default="on for realistic",
        kind=bool,
    ),
    Option(
        "reject_over_concurrency",
        False,
        _SERVE_ONLY,
        help="Answer 429 to submits beyond a model's concurrent-task limit instead of queueing "
        "them.",
        doc="extra tasks beyond the concurrency limit get 429 instead of waiting PENDING",
        kind=bool,
    ),
    Option(
        "control_token",
        None,
        _SERVE_ONLY,
        help="Token (header X-Mock-Control-Token) that unlocks /__mock/ for non-loopback callers.",
        doc="unlocks `/__mock/` for non-loopback callers (header `X-Mock-Control-Token`)",
        placeholder="TOKEN",
    ),
    Option(
        "data_dir",
        None,
        _SERVE_ONLY,
        help="Folder for uploads and rendered videos. Default: beside --store, else a temp folder.",
        doc="uploads (on a Redis store: in the server) and rendered videos",
        shown_default="beside the store",
        kind=Path,
        placeholder="DIR",
    ),
    Option(
        "progress",
        "time",
        _EVERY_SURFACE,
        help="How tasks progress: time (the clock) or polls:N,M (PENDING for N queries, RUNNING "
        "for M more, then done), unless a task's scenario says otherwise.",
        doc="how tasks progress: by the clock, or PENDING for their first N queries, RUNNING for "
        "M more, then done (a task's own `pending=`/`running=`/`*_polls` directives win)",
        keyword_doc="`time`, or `polls:N,M` for every task (as `--progress`)",
        placeholder="time|polls:N,M",
        convert=lambda value, values: {"progress": parse_progress(value)},
    ),
    Option(
        "latency",
        None,
        _EVERY_SURFACE,
        help="Delay every API answer: seconds, or a range LOW-HIGH drawn from --latency-seed.",
        doc="delay every API answer that has no `latency=` of its own by S seconds, or by a value "
        "in [LO, HI] drawn from the seed and the call",
        keyword_doc='seconds or `"LO-HI"` for every answer (as `--latency`); in process the '
        "manual clock is advanced instead of sleeping",
        placeholder="S|LO-HI",
        convert=_latency,
    ),
    Option(
        "latency_seed",
        0,
        _EVERY_SURFACE,
        help="Seed of a latency range.",
        doc="the seed of a `--latency` range (the same draws on every run)",
        keyword_doc="the seed of a latency range (as `--latency-seed`)",
        kind=int,
        placeholder="N",
    ),
    Option(
        "threads",
        1,
        _SERVE_ONLY,
        help="Request threads per worker (one is fastest: the workers, not threads, use the "
        "cores).",
        doc="request threads per worker (more threads only share the worker's core)",
        kind=int,
        minimum=1,
        placeholder="N",
    ),
    Option(
        "log_format",
        "text",
        _SERVE_ONLY,
        help="The access log on stdout, a line per request: text (method, path, status, error "
        "code, task, ms) or json (one object per line, with the operation and request id).",
        doc="the access log on stdout: a line per request served",
        choices=LOG_FORMATS,
    ),
    Option(
        "quiet",
        False,
        _SERVE_ONLY,
        help="No access log (the banner and errors still print).",
        doc="no access log (the banner and errors still print)",
        kind=bool,
        convert=lambda value, values: {"access_log": not value},
    ),
    Option(
        "api_key",
        None,
        frozenset({IN_PROCESS}),
        keyword_doc="the key `client` and `http` send (default: the first of `api_keys`, else "
        '`"sk-wan-mock"`)',
    ),
    Option(
        "start",
        START,
        frozenset({IN_PROCESS}),
        keyword_doc="where the manual clock starts, in epoch seconds (default: 2025-05-15 "
        "08:14:44 UTC)",
    ),
    Option(
        "prerender_videos",
        False,
        frozenset({IN_PROCESS}),
        keyword_doc="render each succeeded task's video at submit time rather than on its first "
        "download (default: off)",
    ),
    Option(
        "directory",
        None,
        frozenset({SERVER}),
        keyword_doc="where its store, data and log go (default: a private temporary folder, "
        "removed when it stops)",
    ),
    Option(
        "options",
        (),
        frozenset({SERVER}),
        keyword_doc='more `wan-mock serve` arguments (e.g. `["--control-token", "t"]`)',
    ),
    Option(
        "startup_timeout",
        30.0,
        frozenset({SERVER}),
        keyword_doc="seconds to wait for it to answer",
    ),
)

_SETTINGS_FIELDS = frozenset(field.name for field in dataclasses.fields(Settings))


def _option(name: str) -> Option:
    return next(option for option in OPTIONS if option.name == name)


def options_of(surface: Surface) -> tuple[Option, ...]:
    """The options a surface takes, in the table's order."""
    return tuple(option for option in OPTIONS if surface in option.surfaces)


def chosen(surface: Surface, arguments: Mapping[str, Any]) -> dict[str, Any]:
    """A surface's option values among a call's arguments: ``locals()`` at the top of the
    ``__init__`` of ``WanMock`` or ``WanMockServer``, whose keywords are their options (a test
    holds them to the table)."""
    return {option.name: arguments[option.name] for option in options_of(surface)}


def setting_fields(values: Mapping[str, Any]) -> dict[str, Any]:
    """The ``Settings`` fields the given option values (by name) set; what is not given keeps
    ``Settings``' default. ``InvalidOption`` names a value that cannot be used (a malformed
    ``progress`` or ``latency``)."""
    fields: dict[str, Any] = {}
    for option in OPTIONS:
        if option.name not in values:
            continue
        value = values[option.name]
        if option.convert is not None:
            try:
                fields.update(option.convert(value, values))
            except ScenarioError as error:
                raise InvalidOption(option, str(error)) from None
        elif option.name in _SETTINGS_FIELDS:
            fields[option.name] = value
    return fields


def serve_arguments(values: Mapping[str, Any]) -> list[str]:
    """The ``wan-mock serve`` arguments that give these option values (by name); a value at its
    default is left out (the command has the same default)."""
    arguments: list[str] = []
    for option in options_of(SERVE):
        value = values.get(option.name, option.default)
        if option.repeated:
            arguments += [part for item in value for part in (option.flag, str(item))]
        elif option.is_switch and value is not None:
            arguments.append(option.flag if value else option.negative_flag)
        elif option.is_flag and value:
            arguments.append(option.flag)
        elif option.kind is not bool and value is not None and value != option.default:
            arguments += [option.flag, str(value)]
    return arguments


def marker_signature() -> str:
    """``wan_mock(profile='fast', api_keys=[...], …)``: the marker as ``pytest --markers``
    shows it."""
    shown = (
        f"{option.name}={'[...]' if option.repeated else repr(option.default)}"
        for option in options_of(MARKER)
    )
    return f"wan_mock({', '.join(shown)})"
