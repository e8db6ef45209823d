"""Where the shared HTTP contract suite (``test_contract.py``) sends its requests.

One switch picks the target: ``--target=inprocess|server|live`` or ``WAN_TARGET``; without
either, ``WAN_TARGET_URL`` means ``server`` and nothing means ``inprocess``.

``inprocess`` (default)
    A fresh ``create_app`` on a ``ManualClock`` per test, reached through
    ``httpx.WSGITransport``: no sockets. Time moves through ``MockControl``.
``server``
    A ``wan-mock serve --api-key sk-contract`` process on a free loopback port, started for the
    session and stopped after it (``wan_mock.WanMockServer``), or the mock already running at
    ``WAN_TARGET_URL`` (``http://127.0.0.1:PORT/api/v1``; start it with ``--api-key`` and the
    key in ``WAN_TARGET_KEY``, default ``sk-contract``, so that other keys are refused). Time
    moves through ``POST /__mock/clock/advance`` when its control plane answers.
``live``
    The real service at ``DASHSCOPE_BASE_URL`` (default: Singapore) with ``DASHSCOPE_API_KEY``;
    without a key every contract test is skipped before anything is sent. Time cannot be
    controlled, and tasks that cost money run only with ``WAN_LIVE_BILLABLE=1``.

A :class:`Target` is what a test sees: ``request()`` (an ``httpx.Client.request`` with the base
URL and the key filled in), ``kind``, ``can_control_time`` / ``advance()`` and
``billable_allowed``.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, Literal

import httpx

__all__ = [
    "DEFAULT_KEY",
    "KINDS",
    "MOCK_KEY",
    "SINGAPORE_URL",
    "Kind",
    "Target",
    "TargetUnavailable",
    "inprocess_target",
    "open_target",
    "resolve_kind",
]

Kind = Literal["inprocess", "server", "live"]
KINDS: Final[tuple[Kind, ...]] = ("inprocess", "server", "live")

SINGAPORE_URL: Final = "https://dashscope-intl.aliyuncs.com/api/v1"
#: The key the contract suite uses against a mock, which is told to accept only this one.
MOCK_KEY: Final = "sk-contract"
_API_SUFFIX: Final = "/api/v1"
_MOCK_BASE_URL: Final = "http://mock" + _API_SUFFIX
_LIVE_TIMEOUT: Final = 30.0
_LOOPBACK_TIMEOUT: Final = 10.0


class TargetUnavailable(Exception):
    """The chosen target cannot be used here (e.g. live without a key); the reason says why."""


class _Default:
    """Marker for "the target's own key"."""


DEFAULT_KEY: Final = _Default()


@dataclass
class Target:
    """One place the contract suite talks to.

    ``request`` sends ``Authorization: Bearer <key>`` unless told otherwise (``key=None`` sends
    no Authorization header, a string sends that key instead).
    """

    kind: Kind
    base_url: str
    api_key: str
    http: httpx.Client
    billable_allowed: bool = False
    _advance: Callable[[float], object] | None = dataclasses.field(default=None, repr=False)

    @property
    def can_control_time(self) -> bool:
        """Only a mock lets a test move time (and so finish tasks without waiting)."""
        return self._advance is not None

    def advance(self, seconds: float) -> None:
        """Move the mock's clock forward; tasks move through their lifecycle accordingly."""
        if self._advance is None:
            raise RuntimeError(f"the {self.kind} target cannot control time")
        self._advance(seconds)

    def request(
        self,
        method: str,
        path: str,
        *,
        key: str | _Default | None = DEFAULT_KEY,
        headers: Mapping[str, str] | None = None,
        **kwargs: Any,
    ) -> httpx.Response:
        """``httpx.Client.request`` relative to ``base_url`` (``path`` like ``/tasks``)."""
        all_headers: dict[str, str] = {}
        token = self.api_key if isinstance(key, _Default) else key
        if token is not None:
            all_headers["Authorization"] = f"Bearer {token}"
        all_headers.update(headers or {})
        return self.http.request(method, path.lstrip("/"), headers=all_headers, **kwargs)


def resolve_kind(option: str | None, env: Mapping[str, str]) -> Kind:
    """``--target``, else ``WAN_TARGET``, else ``server`` when ``WAN_TARGET_URL`` is set, else
    ``inprocess``."""
    chosen = option or env.get("WAN_TARGET") or ("server" if env.get("WAN_TARGET_URL") else None)
    chosen = chosen or "inprocess"
    for kind in KINDS:
        if chosen == kind:
            return kind
    raise ValueError(f"unknown target {chosen!r}: expected one of {', '.join(KINDS)}")


def _client(base_url: str, *, timeout: float, **kwargs: Any) -> httpx.Client:
    """A client whose relative paths land under ``base_url`` (always ending in ``/``)."""
    return httpx.Client(base_url=base_url.rstrip("/") + "/", timeout=timeout, **kwargs)


@contextlib.contextmanager
def inprocess_target(media_dir: Path) -> Iterator[Target]:
    """A fresh in-process mock on a ``ManualClock`` (fast profile, only :data:`MOCK_KEY`, like
    the live service knows only real keys; no sockets)."""
    from wan_mock._domain._clock import ManualClock
    from wan_mock._http._app import close_app, create_app
    from wan_mock._service._control import MockControl
    from wan_mock._service._settings import Settings

    settings = Settings(data_dir=media_dir, api_keys=frozenset({MOCK_KEY}))
    app = create_app(settings, clock=ManualClock())
    control = MockControl.of(app)
    transport = httpx.WSGITransport(app=app)
    try:
        with _client(_MOCK_BASE_URL, timeout=_LOOPBACK_TIMEOUT, transport=transport) as http:
            yield Target("inprocess", _MOCK_BASE_URL, MOCK_KEY, http, _advance=control.advance)
    finally:
        close_app(app)


def _remote_advance(http: httpx.Client, root: str) -> Callable[[float], object] | None:
    """``advance`` through a mock's control plane, or None when ``root`` has none for us."""
    try:
        health = http.get(root + "/__mock/health")
    except httpx.TransportError:
        return None
    if health.status_code != 200:
        return None

    def advance(seconds: float) -> object:
        answer = http.post(root + "/__mock/clock/advance", json={"seconds": seconds})
        answer.raise_for_status()
        return answer.json()

    return advance


@contextlib.contextmanager
def _server_target(env: Mapping[str, str], workdir: Path) -> Iterator[Target]:
    """The mock at ``WAN_TARGET_URL``, or a ``wan-mock serve`` started here and stopped after."""
    with contextlib.ExitStack() as stack:
        url = env.get("WAN_TARGET_URL")
        key = env.get("WAN_TARGET_KEY") or MOCK_KEY
        if url is None:
            from wan_mock import WanMockServer

            server = WanMockServer(api_keys=[key], directory=workdir)
            url = stack.enter_context(server).base_url
        url = url.rstrip("/")
        http = stack.enter_context(_client(url, timeout=_LOOPBACK_TIMEOUT, trust_env=False))
        root = url.removesuffix(_API_SUFFIX)
        yield Target("server", url, key, http, _advance=_remote_advance(http, root))


@contextlib.contextmanager
def _live_target(env: Mapping[str, str]) -> Iterator[Target]:
    key = env.get("DASHSCOPE_API_KEY", "").strip()
    if not key:
        raise TargetUnavailable(
            "live target: DASHSCOPE_API_KEY is not set, so nothing is sent to the service"
        )
    url = (env.get("DASHSCOPE_BASE_URL") or SINGAPORE_URL).rstrip("/")
    billable = env.get("WAN_LIVE_BILLABLE") == "1"
    with _client(url, timeout=_LIVE_TIMEOUT) as http:
        yield Target("live", url, key, http, billable_allowed=billable)


@contextlib.contextmanager
def open_target(
    kind: Kind, *, workdir: Path, env: Mapping[str, str] = os.environ
) -> Iterator[Target]:
    """The session's ``server`` or ``live`` target (``inprocess`` is made per test by
    :func:`inprocess_target`). Raises :class:`TargetUnavailable` when it cannot be used."""
    if kind == "server":
        with _server_target(env, workdir) as target:
            yield target
    elif kind == "live":
        with _live_target(env) as target:
            yield target
    else:
        raise ValueError(f"open_target serves the server and live targets, not {kind!r}")
