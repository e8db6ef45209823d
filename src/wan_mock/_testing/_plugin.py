"""The pytest plugin (entry point ``pytest11: wan_mock``): the mock as fixtures in any suite.

- ``wan_mock``: a :class:`~wan_mock.WanMock` per test — in process, a manual clock,
  ``wan_mock.client`` (the generated client) and ``wan_mock.http`` (httpx) wired to it.
- ``wan_mock_server``: a :class:`~wan_mock.WanMockServer` — a real ``wan-mock serve`` on
  loopback. One server per configuration per session (per xdist worker), reset before each
  test; while the test runs the official SDK is pointed at it (``dashscope.base_http_api_url``
  and ``DASHSCOPE_HTTP_BASE_URL``, and ``DASHSCOPE_API_KEY`` unless it is set), restored after.
- ``@pytest.mark.wan_mock(profile=…, api_keys=[…], …)`` configures either fixture for a test
  (or a module, or a class): its keywords are the options ``_service._options`` gives the
  marker, each taken by both ``WanMock`` and ``WanMockServer``.

The mock's dependencies (Flask, PyAV, …) are not imported until a fixture is used, so the plugin
costs a suite that does not use it next to nothing.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

from .._service._options import MARKER, marker_signature, options_of

if TYPE_CHECKING:
    from ._inprocess import WanMock
    from ._server_process import WanMockServer

__all__ = ["wan_mock", "wan_mock_server"]

#: What ``@pytest.mark.wan_mock`` may set.
OPTIONS = tuple(option.name for option in options_of(MARKER))
_MARKER = (
    f"{marker_signature()}: configure the wan_mock and wan_mock_server fixtures of wan-video-kit"
)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", _MARKER)


def _options(request: pytest.FixtureRequest) -> dict[str, Any]:
    """The closest ``wan_mock`` marker's options (a test's own wins over its module's)."""
    marker = request.node.get_closest_marker("wan_mock")
    if marker is None:
        return {}
    if marker.args:
        raise pytest.UsageError("@pytest.mark.wan_mock takes keyword arguments only")
    unknown = sorted(set(marker.kwargs) - set(OPTIONS))
    if unknown:
        raise pytest.UsageError(
            f"@pytest.mark.wan_mock: unknown option(s) {', '.join(unknown)}; "
            f"it takes {', '.join(OPTIONS)}"
        )
    options = dict(marker.kwargs)
    if "api_keys" in options:
        keys = options["api_keys"]
        options["api_keys"] = (keys,) if isinstance(keys, str) else tuple(keys)
    return options


@pytest.fixture
def wan_mock(request: pytest.FixtureRequest) -> Iterator[WanMock]:
    """A fresh in-process mock for this test (``@pytest.mark.wan_mock`` configures it)."""
    from ._inprocess import WanMock

    with WanMock(**_options(request)) as mock:
        yield mock


class _Servers:
    """The session's servers, one per configuration, started when first asked for."""

    def __init__(self) -> None:
        self._running: dict[tuple[tuple[str, Any], ...], WanMockServer] = {}

    def get(self, options: dict[str, Any]) -> WanMockServer:
        from ._server_process import WanMockServer

        key = tuple(sorted(options.items()))
        server = self._running.get(key)
        if server is None or not server.running:
            if server is not None:
                server.stop()
            server = self._running[key] = WanMockServer(**options).start()
        return server

    def stop(self) -> None:
        for server in self._running.values():
            server.stop()
        self._running.clear()


@pytest.fixture(scope="session")
def _wan_mock_servers() -> Iterator[_Servers]:
    servers = _Servers()
    try:
        yield servers
    finally:
        servers.stop()


@pytest.fixture
def wan_mock_server(
    request: pytest.FixtureRequest,
    _wan_mock_servers: _Servers,
    monkeypatch: pytest.MonkeyPatch,
) -> WanMockServer:
    """The session's ``wan-mock serve`` for this configuration, reset, with the official SDK
    pointed at it until the test ends."""
    server = _wan_mock_servers.get(_options(request))
    server.reset()
    monkeypatch.setenv("DASHSCOPE_HTTP_BASE_URL", server.base_url)
    key_given = bool(os.environ.get("DASHSCOPE_API_KEY"))
    if not key_given:
        monkeypatch.setenv("DASHSCOPE_API_KEY", server.api_key)
    try:
        import dashscope
    except ImportError:  # the SDK is not installed: nothing more to point
        return server
    # the SDK read both variables when it was imported, perhaps before this test
    monkeypatch.setattr(dashscope, "base_http_api_url", server.base_url)
    if not key_given and getattr(dashscope, "api_key", None) is None:
        monkeypatch.setattr(dashscope, "api_key", server.api_key)
    return server
