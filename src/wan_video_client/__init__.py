"""A client library for accessing Wan video generation API (Alibaba Cloud Model Studio / DashScope)"""

from .client import AuthenticatedClient, Client

__all__ = (
    "AuthenticatedClient",
    "Client",
)


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
