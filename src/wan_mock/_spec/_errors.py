"""The one error family of the mock: every refusal is an ``ApiError`` rendered as the DashScope
envelope ``{"request_id", "code", "message"}``.

::

    ApiError (code, message or None; retry_after, injected, delay)
    ├── InvalidParameter, UnsupportedOperation, EmptyInput, EmptyModel, IllegalInput
    ├── InvalidApiKey   AccessDenied   TooLarge   RateQuota   InternalError
    └── NotFound, MethodNotAllowed (the mock's own codes, ``x-mock-errors``)

An error names a documented code and, when it has something more specific to say, a message.
Its HTTP status and default message are not here: they are the spec's (``x-wan-errors`` in
``openapi/wan-video.yaml``, ``x-mock-errors`` in ``openapi/mock-control.yaml``), read by the one
handler that renders every error (:meth:`ErrorTable.render`). Any documented code can be raised
as ``ApiError(code=…)``; the subclasses name the ones the mock raises itself. Views, the backend
and the store only raise.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar

from ._documents import ErrorInfo

__all__ = [
    "AccessDenied",
    "ApiError",
    "EmptyInput",
    "EmptyModel",
    "ErrorTable",
    "IllegalInput",
    "InternalError",
    "InvalidApiKey",
    "InvalidParameter",
    "MethodNotAllowed",
    "NotFound",
    "RateQuota",
    "Rendered",
    "TooLarge",
    "UnsupportedOperation",
]


class ApiError(Exception):
    """A refusal: a documented ``code`` and, optionally, a more specific ``message``;
    ``injected`` when a scenario asked for it (not the client's fault), and the ``delay`` of
    its answer when a scenario sets one."""

    error_code: ClassVar[str] = "InternalError"

    def __init__(
        self,
        message: str | None = None,
        *,
        code: str | None = None,
        retry_after: int | None = None,
        injected: bool = False,
        delay: float | None = None,
    ) -> None:
        self.code = code or self.error_code
        self.message = message
        self.retry_after = retry_after
        self.injected = injected
        self.delay = delay
        super().__init__(message or self.code)


class InvalidParameter(ApiError):
    error_code = "InvalidParameter"


class UnsupportedOperation(ApiError):
    error_code = "UnsupportedOperation"


class EmptyInput(ApiError):
    error_code = "BadRequest.EmptyInput"


class EmptyModel(ApiError):
    error_code = "BadRequest.EmptyModel"


class IllegalInput(ApiError):
    error_code = "BadRequest.IllegalInput"


class InvalidApiKey(ApiError):
    error_code = "InvalidApiKey"


class AccessDenied(ApiError):
    error_code = "AccessDenied"


class TooLarge(ApiError):
    error_code = "BadRequest.TooLarge"


class RateQuota(ApiError):
    error_code = "Throttling.RateQuota"


class InternalError(ApiError):
    error_code = "InternalError"


class NotFound(ApiError):
    """An unknown path (not an operation of either spec)."""

    error_code = "NotFound"


class MethodNotAllowed(ApiError):
    error_code = "MethodNotAllowed"


@dataclass(frozen=True)
class Rendered:
    """An error as answered: HTTP status, code, message and ``Retry-After`` seconds."""

    http_status: int
    code: str
    message: str
    retry_after: int | None

    def envelope(self, request_id: str) -> dict[str, str]:
        return {"request_id": request_id, "code": self.code, "message": self.message}


@dataclass(frozen=True)
class ErrorTable:
    """Every code the mock answers with: the API's and the control plane's."""

    codes: Mapping[str, ErrorInfo]

    def __getitem__(self, code: str) -> ErrorInfo:
        return self.codes[code]

    def __contains__(self, code: object) -> bool:
        return code in self.codes

    def render(self, error: ApiError) -> Rendered:
        """Status and message from the table; an undocumented code is the mock's own fault
        (500 InternalError) rather than an answer the spec does not describe."""
        info = self.codes.get(error.code)
        if info is None:
            info = self.codes["InternalError"]
            return Rendered(info.http_status, info.code, info.message, None)
        retry_after = error.retry_after
        if retry_after is None and info.http_status == 429:
            retry_after = 1
        return Rendered(info.http_status, info.code, error.message or info.message, retry_after)
