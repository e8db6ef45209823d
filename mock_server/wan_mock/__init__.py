"""wan_mock: a faithful offline mock of the DashScope Wan video API.

``WanMockServer`` runs ``wan-mock serve`` on a free loopback port for any process to use;
``wan_mock.app.create_app`` builds the Flask app in process.
"""

import importlib.metadata as _metadata

from .server import WanMockServer

__all__ = ["WanMockServer"]

#: The distribution that ships this package (with ``wan_video_client``).
_DISTRIBUTION = "wan-video-kit"


def _distribution_version() -> str:
    """The installed distribution's version; ``0+unknown`` when the package is imported from a
    source tree that was never installed (no metadata to read)."""
    try:
        return _metadata.version(_DISTRIBUTION)
    except _metadata.PackageNotFoundError:
        return "0+unknown"


#: Not in ``__all__``: a star import must not overwrite the importer's own ``__version__``.
__version__ = _distribution_version()
