"""Where a store lives, as ``--store`` names it: a file, or a Redis-protocol server's URL, and
how that may be shown."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

__all__ = ["REDIS_SCHEMES", "is_redis_url", "public_location"]


#: The URL schemes of a Redis-protocol store (Valkey or Redis).
REDIS_SCHEMES = ("redis://", "rediss://", "unix://")


def is_redis_url(target: object) -> bool:
    """Whether a ``--store`` value names a Redis-protocol server rather than a file."""
    return isinstance(target, str) and target.startswith(REDIS_SCHEMES)


def public_location(target: str) -> str:
    """A store's file or URL as it may be shown (a URL's password replaced by ``***``)."""
    if not is_redis_url(target):
        return target
    parts = urlsplit(target)
    if parts.password is None:
        return target
    user = parts.username or ""
    host = parts.hostname or ""
    port = f":{parts.port}" if parts.port is not None else ""
    return urlunsplit(parts._replace(netloc=f"{user}:***@{host}{port}"))
