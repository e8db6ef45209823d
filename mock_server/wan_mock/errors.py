"""The one error family of the mock: every refusal is an ``ApiError`` rendered as the DashScope
envelope ``{"request_id", "code", "message"}``.

::

    ApiError (http_status, code, message)
    ├── InvalidParameter, DataInspectionFailed, IPInfringementSuspect, UnsupportedOperation,
    │   EmptyInput, EmptyModel, IllegalInput, InvalidURL                              (400)
    ├── InvalidApiKey (401)   AccessDenied (403)   ModelNotFound, NotFound (404)
    ├── MethodNotAllowed (405)   TooLarge (413)   RateQuota, Throttling (429)
    ├── InternalError, InternalErrorTimeout (500)   ModelUnavailable (503)

Views, the backend and the store only raise; one Flask handler renders. The codes, statuses and
default messages agree with the spec's ``x-wan-errors`` table (a test checks it).
"""

from __future__ import annotations

from typing import ClassVar

__all__ = [
    "AccessDenied",
    "ApiError",
    "DataInspectionFailed",
    "EmptyInput",
    "EmptyModel",
    "IPInfringementSuspect",
    "IllegalInput",
    "InternalError",
    "InternalErrorTimeout",
    "InvalidApiKey",
    "InvalidParameter",
    "InvalidURL",
    "MethodNotAllowed",
    "ModelNotFound",
    "ModelUnavailable",
    "NotFound",
    "RateQuota",
    "Throttling",
    "TooLarge",
    "UnsupportedOperation",
    "error_class",
]


class ApiError(Exception):
    """A refusal with its HTTP status, DashScope code and message."""

    http_status: ClassVar[int] = 500
    code: ClassVar[str] = "InternalError"
    default_message: ClassVar[str] = "An internal error has occurred."

    def __init__(self, message: str | None = None, *, retry_after: int | None = None) -> None:
        self.message = message or self.default_message
        self.retry_after = retry_after
        super().__init__(self.message)

    def envelope(self, request_id: str) -> dict[str, str]:
        return {"request_id": request_id, "code": self.code, "message": self.message}


class InvalidParameter(ApiError):
    http_status = 400
    code = "InvalidParameter"
    default_message = (
        "Required parameter(s) missing or invalid, please check the request parameters."
    )


class DataInspectionFailed(ApiError):
    http_status = 400
    code = "DataInspectionFailed"
    default_message = "Input data may contain inappropriate content."


class IPInfringementSuspect(ApiError):
    http_status = 400
    code = "IPInfringementSuspect"
    default_message = "Input data is suspected of being involved in IP infringement."


class UnsupportedOperation(ApiError):
    http_status = 400
    code = "UnsupportedOperation"
    default_message = "Failed to cancel the task, please confirm if the task is in PENDING status."


class EmptyInput(ApiError):
    http_status = 400
    code = "BadRequest.EmptyInput"
    default_message = "Required input parameter missing from request."


class EmptyModel(ApiError):
    http_status = 400
    code = "BadRequest.EmptyModel"
    default_message = 'Required parameter "model" missing from request.'


class IllegalInput(ApiError):
    http_status = 400
    code = "BadRequest.IllegalInput"
    default_message = "The input parameter requires json format."


class InvalidURL(ApiError):
    http_status = 400
    code = "InvalidURL"
    default_message = "Invalid URL provided in your request."


class InvalidApiKey(ApiError):
    http_status = 401
    code = "InvalidApiKey"
    default_message = "Invalid API-key provided."


class AccessDenied(ApiError):
    http_status = 403
    code = "AccessDenied"
    default_message = "current user api does not support synchronous calls"


class ModelNotFound(ApiError):
    http_status = 404
    code = "ModelNotFound"
    default_message = "Model can not be found."


class NotFound(ApiError):
    """An unknown path (not a DashScope operation)."""

    http_status = 404
    code = "NotFound"
    default_message = "The requested resource does not exist."


class MethodNotAllowed(ApiError):
    http_status = 405
    code = "MethodNotAllowed"
    default_message = "The method is not allowed for the requested URL."


class TooLarge(ApiError):
    http_status = 413
    code = "BadRequest.TooLarge"
    default_message = "Payload Too Large."


class RateQuota(ApiError):
    http_status = 429
    code = "Throttling.RateQuota"
    default_message = "Requests rate limit exceeded, please try again later."


class Throttling(ApiError):
    http_status = 429
    code = "Throttling"
    default_message = "Requests throttling triggered."


class InternalError(ApiError):
    http_status = 500
    code = "InternalError"
    default_message = (
        "An internal error has occurred, please try again later or contact service support."
    )


class InternalErrorTimeout(ApiError):
    http_status = 500
    code = "InternalError.Timeout"
    default_message = "The task has produced no result 3 hours after submission."


class ModelUnavailable(ApiError):
    http_status = 503
    code = "ModelUnavailable"
    default_message = "Model is unavailable, please try again later."


def _all_subclasses(cls: type[ApiError]) -> list[type[ApiError]]:
    out: list[type[ApiError]] = []
    for sub in cls.__subclasses__():
        out.append(sub)
        out.extend(_all_subclasses(sub))
    return out


def error_class(code: str) -> type[ApiError]:
    """The error class for a DashScope code; ``KeyError`` when the code is not documented."""
    for cls in _all_subclasses(ApiError):
        if cls.code == code:
            return cls
    raise KeyError(code)
