"""The access log: one line per request served, as text or as one JSON object.

A line names the method, the path (never the query string: result URLs carry signatures), the
HTTP status, the DashScope error code of a refusal, the task the request was about and how long
it took; a JSON line adds the operation id, the request id (``X-Request-ID``), the key id (a
hash, never the key) and the caller's address. An answer that is the mock's own fault (an
unhandled exception, answered 500 ``InternalError``) carries its traceback: after a text line,
in the ``traceback`` field of a JSON one. Every line, traceback included, is written to the
stream in one write and flushed at once, so the lines of several workers sharing one output
never interleave.

::

    12:00:01.204 POST /api/v1/services/aigc/image2video/video-synthesis 200 task=0385dc79-… 3.1ms
    12:00:01.310 GET /api/v1/tasks/0385dc79-… 401 InvalidApiKey task=0385dc79-… 0.4ms
    12:00:01.402 POST /__mock/clock/advance 200 0.6ms
"""

from __future__ import annotations

import threading
import time
import traceback
from json.encoder import encode_basestring_ascii
from typing import Protocol

from .._service._settings import LOG_FORMATS, LogFormat

__all__ = ["AccessLog", "Stream"]


def _string(value: str | None) -> str:
    """A JSON string (ASCII only: any other character escaped), or ``null``."""
    return "null" if value is None else encode_basestring_ascii(value)


class Stream(Protocol):
    """Where lines go: ``sys.stdout`` or any text stream."""

    def write(self, text: str, /) -> object: ...

    def flush(self) -> object: ...


def _safe_path(path: str) -> str:
    """``path`` as one field of a text line, so a line is always one line of space-separated
    fields: printable ASCII but the space is kept, anything else percent-encoded (UTF-8)."""
    if path.isascii() and path.isprintable() and " " not in path:
        return path
    return "".join(
        character
        if "!" <= character <= "~"
        else "".join(f"%{byte:02X}" for byte in character.encode("utf-8", "surrogatepass"))
        for character in path
    )


class AccessLog:
    """Writes one line per request to ``stream`` in ``form`` (``text`` or ``json``)."""

    def __init__(self, stream: Stream, form: LogFormat = "text") -> None:
        if form not in LOG_FORMATS:
            raise ValueError(f"the log format must be one of {LOG_FORMATS}, not {form!r}")
        self.stream = stream
        self.form = form
        self._lock = threading.Lock()  # one line at a time from this process's threads
        self._second = -1
        self._stamp = ""

    def _time(self, now: float) -> str:
        """``HH:MM:SS.mmm`` in local time (the seconds formatted once per second)."""
        second = int(now)
        if second != self._second:
            self._second, self._stamp = second, time.strftime("%H:%M:%S", time.localtime(second))
        return f"{self._stamp}.{int((now - second) * 1000):03d}"

    def line(
        self,
        method: str,
        path: str,
        status: int,
        milliseconds: float,
        *,
        code: str | None = None,
        task_id: str | None = None,
        operation: str | None = None,
        request_id: str | None = None,
        key_id: str | None = None,
        remote: str | None = None,
        fault: BaseException | None = None,
        now: float | None = None,
    ) -> str:
        """The request's line (ending in a newline; a fault's traceback included)."""
        now = time.time() if now is None else now
        if self.form == "json":  # written out: several times faster than json.dumps
            text = (
                f'{{"time":{now:.3f},"method":{_string(method)},"path":{_string(path)},'
                f'"status":{int(status)},"code":{_string(code)},"task_id":{_string(task_id)},'
                f'"ms":{milliseconds:.2f},"operation":{_string(operation)},'
                f'"request_id":{_string(request_id)},"key_id":{_string(key_id)},'
                f'"remote":{_string(remote)}'
            )
            if fault is not None:
                text += f',"traceback":{_string("".join(traceback.format_exception(fault)))}'
            return text + "}\n"
        text = f"{self._time(now)} {method} {_safe_path(path)} {status}"
        if code:
            text += f" {code}"
        if task_id:
            text += f" task={_safe_path(task_id)}"
        text += f" {milliseconds:.1f}ms\n"
        if fault is not None:
            text += "".join(traceback.format_exception(fault))
        return text

    def write(self, line: str) -> None:
        """Write a request's line as ``line`` made it (its traceback included) in one write,
        flushed: lines from several threads or workers never interleave."""
        with self._lock:
            self.stream.write(line)
            self.stream.flush()
