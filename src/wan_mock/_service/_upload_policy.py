"""The SDK's local-file uploads: the policy it asks for (pointing at the mock itself) and the
files it then sends, kept for the ``oss://`` URLs a submit may name."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import UTC, datetime

from .._spec._documents import ApiSpec
from .._spec._validation import OperationValidator
from .._storage._uploads import UploadStore
from ._calls import Caller, Outcome

__all__ = ["UploadPolicies"]


class UploadPolicies:
    """Upload policies and the uploads they allow, for one mock."""

    def __init__(self, spec: ApiSpec, uploads: UploadStore) -> None:
        self.spec = spec
        self.uploads = uploads
        self._upload_query = OperationValidator(spec.document, spec.operations["get_upload_policy"])

    def save_upload(self, key: str, signature: str, data: bytes, *, now: float) -> None:
        """Keep a file the SDK uploads to the policy's ``upload_host`` (``UploadRejected``
        when the signature, the key or the size is wrong)."""
        self.uploads.save(key, signature, data, now)

    def upload_policy(
        self, caller: Caller, args: Mapping[str, str], upload_host: str, *, now: float
    ) -> Outcome:
        """A policy for the SDK's local-file upload, pointing at the mock itself."""
        model = str(self._upload_query.query(args)["model"])
        day = datetime.fromtimestamp(now, tz=UTC)
        directory = f"dashscope-instant/{caller.key_id}/{day:%Y-%m-%d}/{uuid.uuid4()}"
        ttl = 300
        signature = self.uploads.sign(directory)
        return Outcome(
            {
                "request_id": caller.request_id,
                "data": {
                    "policy": f"mock-policy:{model}",
                    "signature": signature,
                    "upload_dir": directory,
                    "upload_host": upload_host,
                    "expire_in_seconds": ttl,
                    "max_file_size_mb": self.spec.service.upload_max_file_size_mb,
                    "capacity_limit_mb": 999999999,
                    "oss_access_key_id": "MOCKACCESSKEYID",
                    "x_oss_object_acl": "private",
                    "x_oss_forbid_overwrite": "true",
                },
            }
        )
