"""``WanMock``: the mock in process — no socket, no thread, a manual clock.

::

    with WanMock() as mock:
        mock.client   # wan_video_client.AuthenticatedClient wired to the app
        mock.http     # httpx.Client on the API root, sending ``Authorization: Bearer <api_key>``
        mock.advance(2)
        mock.assert_no_invalid_requests()

Requests go through ``httpx.WSGITransport`` straight into the Flask app, so they are as fast as
a function call and need no port. Time only moves when a test moves it (``advance``,
``finish``); a latency scenario advances the clock instead of sleeping. The control methods are
those of :class:`~wan_mock.MockControls`, the same as ``WanMockServer``'s.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Self

import httpx

from .._domain._scenarios import DroppedConnection, Latency, Polls
from .._service._options import IN_PROCESS, START, chosen, setting_fields
from .._service._settings import Settings
from .._spec._base_paths import API_PREFIX
from ._control_client import MockControls
from ._server_process import DEFAULT_API_KEY

if TYPE_CHECKING:
    from flask import Flask

    from wan_video_client import AuthenticatedClient

    from .._domain._clock import ManualClock

__all__ = ["ORIGIN", "WanMock"]

#: The origin in-process requests (and the result URLs the mock answers) carry.
ORIGIN = "http://wan-mock.local"
#: What httpx says of a server that closed the connection before the body was complete.
_DROPPED = "peer closed connection without sending complete message body"


class _Stream(httpx.SyncByteStream):
    """A WSGI answer's body that reports a dropped connection (``download=drop``) as httpx
    reports a server that closed mid-body."""

    def __init__(self, stream: Iterable[bytes], request: httpx.Request) -> None:
        self._stream = stream
        self._request = request

    def __iter__(self) -> Iterator[bytes]:
        try:
            yield from self._stream
        except DroppedConnection:
            raise httpx.RemoteProtocolError(_DROPPED, request=self._request) from None

    def close(self) -> None:
        close = getattr(self._stream, "close", None)
        if callable(close):
            close()


class _Transport(httpx.WSGITransport):
    def handle_request(self, request: httpx.Request) -> httpx.Response:
        try:
            response = super().handle_request(request)
        except DroppedConnection:  # nothing of the body was sent
            raise httpx.RemoteProtocolError(_DROPPED, request=request) from None
        assert isinstance(response.stream, Iterable)
        return httpx.Response(
            response.status_code,
            headers=response.headers,
            stream=_Stream(response.stream, request),
            request=request,
        )


class WanMock(MockControls):
    """A mock app in this process, on a manual clock.

    Its keyword arguments are the options ``_service._options`` gives ``WanMock``, described
    in the README's table ("Testing your code with the mock"): most are ``wan-mock serve``'s,
    and ``api_key`` is the key ``client`` and ``http`` send. A ``progress`` or ``latency`` it
    cannot use is a ``ValueError`` here; the rest is checked when it starts.
    """

    def __init__(
        self,
        *,
        api_keys: Iterable[str] = (),
        api_key: str | None = None,
        profile: str = "fast",
        rate_limits: bool | None = None,
        progress: str = "time",
        latency: str | float | None = None,
        latency_seed: int = 0,
        start: float = START,
        prerender_videos: bool = False,
    ) -> None:
        api_keys = tuple(api_keys)  # an iterator is read once
        self._fields = setting_fields(chosen(IN_PROCESS, locals()))
        self.api_keys = api_keys
        self.api_key = api_key or (self.api_keys[0] if self.api_keys else DEFAULT_API_KEY)
        self.profile = profile
        self.rate_limits = rate_limits
        self.progress: Polls | None = self._fields["progress"]
        self.latency: Latency | None = self._fields["latency"]
        self.start_at = start
        self.prerender_videos = prerender_videos
        self._app: Flask | None = None
        self._clock: ManualClock | None = None
        self._http: httpx.Client | None = None
        self._client: AuthenticatedClient | None = None

    # ------------------------------------------------------------------ what tests use
    @property
    def base_url(self) -> str:
        """The API root the in-process clients use."""
        return ORIGIN + API_PREFIX

    @property
    def http(self) -> httpx.Client:
        """An ``httpx.Client`` on the API root, sending this mock's key."""
        if self._http is None:
            raise RuntimeError("WanMock is not running: use `with WanMock() as mock:`")
        return self._http

    @property
    def client(self) -> AuthenticatedClient:
        """The generated client (``wan_video_client.AuthenticatedClient``) wired to the app."""
        if self._client is None:
            raise RuntimeError("WanMock is not running: use `with WanMock() as mock:`")
        return self._client

    @property
    def app(self) -> Flask:
        """The Flask app (for ``app.test_client()`` or ``wan_mock.MockControl.of``)."""
        if self._app is None:
            raise RuntimeError("WanMock is not running: use `with WanMock() as mock:`")
        return self._app

    # ------------------------------------------------------------------ life
    def start(self) -> Self:
        if self._app is not None:
            raise RuntimeError("this WanMock is already running")
        try:
            from wan_video_client import AuthenticatedClient

            from .._http._app import create_app
        except ImportError as missing:
            raise RuntimeError(
                f"WanMock needs the mock's dependencies ({missing.name} is missing): "
                "pip install 'wan-video-kit[mock]'"
            ) from missing
        from .._domain._clock import ManualClock

        clock = ManualClock(self.start_at)
        settings = Settings(**self._fields)
        app = create_app(settings, clock=clock, rate_clock=clock.now, pause=clock.advance)
        transport = _Transport(app=app)
        self._app, self._clock = app, clock
        self._controller = httpx.Client(transport=transport, base_url=ORIGIN)
        self._http = httpx.Client(
            transport=transport,
            base_url=self.base_url,
            headers={"Authorization": f"Bearer {self.api_key}"},
        )
        self._client = AuthenticatedClient(
            base_url=self.base_url, token=self.api_key, httpx_args={"transport": transport}
        )
        return self

    def stop(self) -> None:
        """Close the clients and the app's state (idempotent)."""
        from .._http._app import close_app

        app, self._app = self._app, None
        for client in (self._http, self._controller):
            if client is not None:
                client.close()
        if self._client is not None:
            self._client.get_httpx_client().close()
        self._http = self._controller = self._client = None
        if app is not None:
            close_app(app)

    def __repr__(self) -> str:
        state = "running" if self._app is not None else "stopped"
        return f"<WanMock {state} key={self.api_key!r}>"
