"""wan_mock: a faithful offline mock of the DashScope Wan video API.

``WanMock`` is the mock in process (no socket, a manual clock, ``mock.client`` and ``mock.http``
wired to it); ``WanMockServer`` runs ``wan-mock serve`` on a free loopback port for any process
and HTTP stack (the official SDK included). Both offer the same control methods and assertions
(``wan_mock.controls.MockControls``). The pytest plugin (``wan_mock.pytest_plugin``) gives them
to tests as the ``wan_mock`` and ``wan_mock_server`` fixtures.
"""

from .controls import ControlError
from .inprocess import WanMock
from .server import WanMockServer

__all__ = ["ControlError", "WanMock", "WanMockServer"]


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
