"""wan_mock: a faithful offline mock of the DashScope Wan video API.

``WanMock`` is the mock in process (no socket, a manual clock, ``mock.client`` and ``mock.http``
wired to it); ``WanMockServer`` runs ``wan-mock serve`` on a free loopback port for any process
and HTTP stack (the official SDK included); ``RunningMock`` speaks to a mock already running at
a URL. All three offer the same control methods and assertions (``MockControls``). The pytest
plugin (entry point ``wan_mock``) gives the first two to tests as the ``wan_mock`` and
``wan_mock_server`` fixtures.

``create_app(settings)`` is the mock as a Flask app (``close_app`` closes it) and
``MockControl.of(app)`` its control plane in process. Everything here is the public surface: the
modules below it are private (``_spec``, ``_domain``, ``_storage``, ``_service``, ``_http``,
``_testing``, ``_cli``; see ARCHITECTURE.md). ``import wan_mock`` needs only the base install; the
names that need the mock's dependencies (Flask, PyYAML…) are imported when first used.
"""

import typing as _typing

from ._domain._clock import ManualClock
from ._service._settings import Settings
from ._testing._control_client import ControlError, MockControls, RunningMock
from ._testing._inprocess import WanMock
from ._testing._server_process import ServerStartError, WanMockServer

if _typing.TYPE_CHECKING:
    from ._http._app import close_app, create_app
    from ._service._control import MockControl
    from ._spec._documents import default_spec_path

__all__ = [
    "ControlError",
    "ManualClock",
    "MockControl",
    "MockControls",
    "RunningMock",
    "ServerStartError",
    "Settings",
    "WanMock",
    "WanMockServer",
    "close_app",
    "create_app",
    "default_spec_path",
]

#: The public names whose modules need the mock's dependencies: imported on first use.
_LAZY = {
    "create_app": "._http._app",
    "close_app": "._http._app",
    "MockControl": "._service._control",
    "default_spec_path": "._spec._documents",
}


def __getattr__(name: str) -> _typing.Any:
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name], __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _distribution_version() -> str:
    """The version of the installed ``wan-video-kit`` distribution, which ships this package;
    ``0+unknown`` when it is imported from a source tree that was never installed."""
    import importlib.metadata

    try:
        return importlib.metadata.version("wan-video-kit")
    except importlib.metadata.PackageNotFoundError:
        return "0+unknown"


#: Not in ``__all__``: a star import must not overwrite the importer's own ``__version__``.
__version__ = _distribution_version()
