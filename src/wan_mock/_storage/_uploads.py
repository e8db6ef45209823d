"""Files the official SDK uploads before a submit (``file://`` inputs), kept on disk — or in a
store that keeps bytes (``UploadBlobs``: the Redis store, so that every host sees them).

The SDK asks ``GET /uploads`` for a policy, posts the file as a multipart form to the policy's
``upload_host`` (the mock itself) and submits ``oss://<upload_dir>/<name>``. Uploads live 48
hours and are bounded in size; nothing here is ever fetched from the network.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import tempfile
from pathlib import Path, PurePosixPath
from typing import Protocol, runtime_checkable

__all__ = ["UploadBlobs", "UploadRejected", "UploadStore"]


@runtime_checkable
class UploadBlobs(Protocol):
    """A store that keeps uploads' bytes itself (expiring them on its own at their TTL)."""

    def put_upload(self, key: str, data: bytes, at: float, ttl_seconds: float) -> None: ...

    def get_upload(self, key: str) -> tuple[bytes, float] | None:
        """The bytes of an upload and when it was made, or None."""
        ...


class UploadRejected(Exception):
    """An upload the mock refuses, with the OSS-style status and code to answer."""

    def __init__(self, message: str, *, status: int = 403, code: str = "AccessDenied") -> None:
        super().__init__(message)
        self.status = status
        self.code = code


class UploadStore:
    """Uploaded files under ``root`` (or in ``blobs``), addressed by their OSS-style key."""

    def __init__(
        self,
        root: Path,
        secret: bytes,
        *,
        max_bytes: int,
        ttl_seconds: float,
        blobs: UploadBlobs | None = None,
    ) -> None:
        self.root = root
        self._secret = secret
        self.max_bytes = max_bytes
        self.ttl_seconds = ttl_seconds
        self._blobs = blobs

    def sign(self, upload_dir: str) -> str:
        return hmac.new(self._secret, upload_dir.encode(), hashlib.sha256).hexdigest()[:28]

    def _path(self, key: str) -> Path:
        parts = PurePosixPath(key).parts
        if not parts or any(p in ("..", "", "/") for p in parts) or key.startswith("/"):
            raise UploadRejected(
                f"invalid object key {key!r}", status=400, code="InvalidObjectName"
            )
        return self.root.joinpath(*parts)

    def save(self, key: str, signature: str, data: bytes, now: float) -> None:
        """Store one upload after checking the policy signature of its folder."""
        directory = str(PurePosixPath(key).parent)
        if not hmac.compare_digest(self.sign(directory).encode(), signature.encode()):
            raise UploadRejected("The request signature we calculated does not match.")
        if len(data) > self.max_bytes:
            raise UploadRejected(
                "Your proposed upload exceeds the maximum allowed size.",
                status=400,
                code="EntityTooLarge",
            )
        target = self._path(key)
        if self._blobs is not None:
            self._blobs.put_upload(key, data, now, self.ttl_seconds)
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.utime(temporary, (now, now))
        os.replace(temporary, target)

    def read(self, key: str, now: float) -> bytes | None:
        """The bytes of ``oss://<key>``, or None when it was never uploaded or has expired."""
        if self._blobs is not None:
            found = self._stored(key, now)
            return None if found is None else found[0]
        if not self.exists(key, now):
            return None
        return self._path(key).read_bytes()

    def _stored(self, key: str, now: float) -> tuple[bytes, float] | None:
        assert self._blobs is not None
        try:
            self._path(key)
        except UploadRejected:
            return None
        found = self._blobs.get_upload(key)
        if found is None or now - found[1] >= self.ttl_seconds:
            return None
        return found

    def exists(self, key: str, now: float) -> bool:
        """Whether ``oss://<key>`` was uploaded and has not expired."""
        if self._blobs is not None:
            return self._stored(key, now) is not None
        try:
            target = self._path(key)
        except UploadRejected:
            return False
        if not target.is_file():
            return False
        return now - target.stat().st_mtime < self.ttl_seconds
