"""Every error ``wan_video`` raises (after openai-python's ``_exceptions.py``)::

    WanError
    ├── APIError                   the service answered an error: status, code, message, request_id
    │   ├── InvalidParameterError     family invalid_parameter (400 InvalidParameter,
    │   │                             BadRequest.*, InvalidURL; 413 BadRequest.TooLarge)
    │   ├── ContentModerationError    family moderation (DataInspectionFailed,
    │   │                             IPInfringementSuspect)
    │   ├── UnsupportedOperationError family unsupported_operation (cancel of a task not PENDING)
    │   ├── AuthenticationError       family authentication (401 InvalidApiKey)
    │   ├── AccessDeniedError         family access_denied (403 AccessDenied)
    │   ├── NotFoundError             family not_found (404 ModelNotFound)
    │   ├── RateLimitError            family rate_limit (429 Throttling, Throttling.RateQuota)
    │   ├── ServerError               family server (500 InternalError, 503 ModelUnavailable,
    │   │                             any 5xx)
    │   └── MalformedResponse         an answer the generated models cannot read
    ├── APIConnectionError         no answer: the connection failed or broke (``sent`` says whether
    │                              the request may have reached the service)
    ├── MissingApiKeyError         (also a ValueError) no key, or one no HTTP header can carry
    ├── InvalidLocalFile           (also a ValueError) a local file the field cannot take, or that
    │                              breaks the field's image limits
    ├── TaskError                  the task ended without a video (``task``)
    │   ├── TaskFailed                FAILED, with the task's ``code`` and ``message``
    │   ├── TaskCanceled              CANCELED
    │   └── TaskUnknown               UNKNOWN: no such task for this key, or older than 24 hours
    ├── WaitTimeout                the task was not done within ``wait(timeout=…)``
    └── DownloadError              a result download failed (``url``, ``status``)
        ├── ResultExpired             403 from the result URL: expired (24 h) or a broken signature
        └── IncompleteDownload        the file stayed shorter than announced after every retry

Which family a code belongs to is the spec's ``x-wan-errors`` (``family``), read from the data file
``tools/wan_video_data.py`` writes; a code the table does not know falls into the one family of its
HTTP status when it has one (any 5xx is a server error), else it is a plain :class:`APIError`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from ._spec import SPEC

if TYPE_CHECKING:
    from ._tasks import Task

__all__ = [
    "APIConnectionError",
    "APIError",
    "AccessDeniedError",
    "AuthenticationError",
    "ContentModerationError",
    "DownloadError",
    "IncompleteDownload",
    "InvalidLocalFile",
    "InvalidParameterError",
    "MalformedResponse",
    "MissingApiKeyError",
    "NotFoundError",
    "RateLimitError",
    "ResultExpired",
    "ServerError",
    "TaskCanceled",
    "TaskError",
    "TaskFailed",
    "TaskUnknown",
    "UnsupportedOperationError",
    "WaitTimeout",
    "WanError",
    "api_error",
]


class WanError(Exception):
    """The base of every error of ``wan_video``."""


class APIError(WanError):
    """An error answer of the service: its HTTP ``status``, DashScope ``code``, ``message`` and
    ``request_id``; ``retry_after`` is the answer's ``Retry-After`` in seconds, if any."""

    #: The ``x-wan-errors`` family this class stands for (``None``: no family).
    family: ClassVar[str | None] = None

    def __init__(
        self,
        message: str,
        *,
        status: int,
        code: str | None = None,
        request_id: str | None = None,
        retry_after: float | None = None,
    ) -> None:
        self.status = status
        self.code = code
        self.message = message
        self.request_id = request_id
        self.retry_after = retry_after
        where = f"HTTP {status}" + (f", request {request_id}" if request_id else "")
        super().__init__(f"{code or 'error'}: {message} ({where})")


class InvalidParameterError(APIError):
    family = "invalid_parameter"


class ContentModerationError(APIError):
    family = "moderation"


class UnsupportedOperationError(APIError):
    family = "unsupported_operation"


class AuthenticationError(APIError):
    family = "authentication"


class AccessDeniedError(APIError):
    family = "access_denied"


class NotFoundError(APIError):
    family = "not_found"


class RateLimitError(APIError):
    family = "rate_limit"


class ServerError(APIError):
    family = "server"


class MalformedResponse(APIError):
    """An answer the generated models cannot read (not JSON, a required key missing…)."""


_FAMILIES: dict[str, type[APIError]] = {
    cls.family: cls for cls in APIError.__subclasses__() if cls.family is not None
}


def api_error(
    status: int,
    code: str | None,
    message: str | None,
    *,
    request_id: str | None = None,
    retry_after: float | None = None,
) -> APIError:
    """The exception for an error answer: the class of the code's family in ``x-wan-errors``,
    and the documented message when the answer has none."""
    entry = SPEC.errors.get(code or "")
    family = entry.family if entry else SPEC.family_of_status(status)
    if family is None and status >= 500:
        family = ServerError.family
    cls = _FAMILIES.get(family or "", APIError)
    text = message or (entry.message if entry else f"HTTP {status}")
    return cls(text, status=status, code=code, request_id=request_id, retry_after=retry_after)


class APIConnectionError(WanError):
    """No answer came: the connection could not be made, or broke. ``sent`` is false when the
    request cannot have reached the service (so a retry cannot make a second task)."""

    def __init__(self, message: str, *, sent: bool) -> None:
        super().__init__(message)
        self.sent = sent


class MissingApiKeyError(WanError, ValueError):
    """No API key was given (``api_key=`` or ``DASHSCOPE_API_KEY``), or it cannot be sent."""


class InvalidLocalFile(WanError, ValueError):
    """A local file given for a media field that takes only URLs, or an image that breaks the
    field's documented limits (format, bytes, sides): refused before anything is sent."""


class TaskError(WanError):
    """The task ended without a video; ``task`` is its last state."""

    def __init__(self, task: Task, message: str) -> None:
        super().__init__(message)
        self.task = task
        self.task_id = task.task_id


class TaskFailed(TaskError):
    """The task FAILED; ``code`` and ``message`` are the service's reason."""

    def __init__(self, task: Task) -> None:
        self.code = task.code
        self.message = task.message
        super().__init__(task, f"task {task.task_id} failed: {task.code}: {task.message}")


class TaskCanceled(TaskError):
    def __init__(self, task: Task) -> None:
        super().__init__(task, f"task {task.task_id} was canceled")


class TaskUnknown(TaskError):
    def __init__(self, task: Task) -> None:
        super().__init__(
            task,
            f"task {task.task_id} is UNKNOWN: no such task for this API key, or older than 24 h",
        )


class WaitTimeout(WanError):
    """The task was not done after ``timeout`` seconds; ``last`` is its last polled state."""

    def __init__(self, task_id: str, timeout: float, last: Task | None) -> None:
        status = last.status if last is not None else "not read"
        super().__init__(f"task {task_id} not done after {timeout:g} s (last status: {status})")
        self.task_id = task_id
        self.timeout = timeout
        self.last = last


class DownloadError(WanError):
    """A result download failed; ``status`` is the HTTP status when there was an answer."""

    def __init__(self, message: str, *, url: str, status: int | None = None) -> None:
        super().__init__(message)
        self.url = url
        self.status = status


class ResultExpired(DownloadError):
    """The result URL answered 403: its 24 hours are over or its signature is broken. Query
    the task again within its lifetime for a working ``video_url``."""

    def __init__(self, *, url: str, code: str | None, message: str | None) -> None:
        super().__init__(
            f"the result URL was refused ({code or 'HTTP 403'}: {message or 'no reason given'}); "
            "it is valid for 24 hours after the task ends",
            url=url,
            status=403,
        )
        self.code = code
        self.message = message


class IncompleteDownload(DownloadError):
    """Fewer bytes arrived than the server announced (``received`` of ``expected``)."""

    def __init__(self, *, url: str, received: int, expected: int | None, reason: str) -> None:
        of = f" of {expected}" if expected is not None else ""
        super().__init__(f"download stopped at {received}{of} bytes: {reason}", url=url)
        self.received = received
        self.expected = expected
