"""wan_mock: a faithful offline mock of the DashScope Wan video API.

``WanMockServer`` runs ``wan-mock serve`` on a free loopback port for any process to use;
``wan_mock.app.create_app`` builds the Flask app in process.
"""

from .server import WanMockServer

__all__ = ["WanMockServer"]


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
