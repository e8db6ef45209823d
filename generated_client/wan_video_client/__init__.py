"""A client library for accessing Wan video generation API (Alibaba Cloud Model Studio / DashScope)"""

from .client import AuthenticatedClient, Client

__all__ = (
    "AuthenticatedClient",
    "Client",
)
