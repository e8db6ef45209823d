"""A client library for accessing Wan video generation API (Alibaba Cloud Model Studio / DashScope)"""

import importlib.metadata as _metadata

from .client import AuthenticatedClient, Client

__all__ = (
    "AuthenticatedClient",
    "Client",
)

#: The distribution that ships this package (with ``wan_mock``).
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
