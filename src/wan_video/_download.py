"""A result download's bookkeeping, without doing any I/O, so the sync and async clients share it.

The file is written to ``<dest>.part`` and moved to ``dest`` only when complete. Every request
asks for ``Range: bytes=<have>-`` (with ``If-Range`` once an ETag is known), so an answer's
``Content-Range`` gives the file's full length even when the body is cut short: a connection that
breaks mid-body, or a body shorter than the file, is resumed where it stopped. A ``200`` to a
ranged request means the server ignored the range or the file changed: the download starts over.
Each piece is checked against its ``Content-Length`` (the requests ask for the identity encoding,
so the bytes counted are the file's); the finished file against the full length.
A result URL the storage refuses with 403 (expired after 24 hours, or a broken signature) is
:class:`~wan_video.errors.ResultExpired`, at once.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

import httpx

from .errors import DownloadError, IncompleteDownload, ResultExpired

__all__ = ["Progress", "Transfer"]

#: ``on_progress(bytes_done, total_bytes_or_None)``.
Progress = Callable[[int, int | None], object]

_CONTENT_RANGE = re.compile(r"bytes (\d+)-(\d+)/(\d+|\*)")
_XML_FIELD = r"<{0}>([^<]*)</{0}>"


def _xml_field(text: str, name: str) -> str | None:
    found = re.search(_XML_FIELD.format(name), text)
    return found.group(1) if found else None


class Transfer:
    def __init__(self, url: str, dest: str | os.PathLike[str], on_progress: Progress | None):
        self.url = url
        self.dest = Path(dest)
        self.part = self.dest.with_name(self.dest.name + ".part")
        self.on_progress = on_progress
        self.have = 0
        self.total: int | None = None
        self.best = 0
        self._etag: str | None = None
        self._expected_end: int | None = None
        self._file: BinaryIO | None = None

    def __enter__(self) -> Transfer:
        self.dest.parent.mkdir(parents=True, exist_ok=True)
        self._file = self.part.open("wb")
        return self

    def __exit__(self, kind: type[BaseException] | None, *exc_info: object) -> None:
        """Keep the file when the transfer ended without an error, else remove the part."""
        assert self._file is not None
        self._file.close()
        if kind is None:
            os.replace(self.part, self.dest)
        else:
            self.part.unlink(missing_ok=True)

    @property
    def complete(self) -> bool:
        return self.total is not None and self.have >= self.total

    def headers(self) -> dict[str, str]:
        headers = {"Range": f"bytes={self.have}-", "Accept-Encoding": "identity"}
        if self.have and self._etag and not self._etag.startswith("W/"):
            headers["If-Range"] = self._etag
        return headers

    def begin(self, response: httpx.Response) -> None:
        """Check an answer's status and headers before its body is read (an error answer's
        body has been read)."""
        status = response.status_code
        if status == 403:
            text = response.text
            raise ResultExpired(
                url=self.url, code=_xml_field(text, "Code"), message=_xml_field(text, "Message")
            )
        if status == 416 and self.total is not None and self.have >= self.total:
            self._expected_end = self.have
            return
        if status not in (200, 206):
            raise DownloadError(
                f"the result URL answered HTTP {status}", url=self.url, status=status
            )
        length = response.headers.get("Content-Length")
        if status == 206:
            found = _CONTENT_RANGE.fullmatch(response.headers.get("Content-Range", ""))
            if found is None or int(found.group(1)) != self.have:
                raise DownloadError(
                    f"a range answer for byte {self.have} had Content-Range "
                    f"{response.headers.get('Content-Range')!r}",
                    url=self.url,
                    status=status,
                )
            if found.group(3) != "*":
                self.total = int(found.group(3))
        else:
            self._restart()
            self.total = int(length) if length is not None else None
        self._expected_end = self.have + int(length) if length is not None else None
        self._etag = response.headers.get("ETag") or self._etag

    def _restart(self) -> None:
        assert self._file is not None
        self._file.seek(0)
        self._file.truncate()
        self.have = 0

    def write(self, chunk: bytes) -> None:
        assert self._file is not None
        self._file.write(chunk)
        self.have += len(chunk)
        self.best = max(self.best, self.have)
        if self.on_progress is not None:
            self.on_progress(self.have, self.total)

    def end(self) -> None:
        """After a body ended cleanly: is the piece as long as announced, the file done?"""
        if self._expected_end is not None and self.have != self._expected_end:
            raise self.incomplete(f"the body ended at byte {self.have}, not {self._expected_end}")
        if self.total is None:  # no length announced: the clean end of the body is the end
            self.total = self.have

    def incomplete(self, reason: str) -> IncompleteDownload:
        return IncompleteDownload(
            url=self.url, received=self.have, expected=self.total, reason=reason
        )

    def finish(self) -> Path:
        if self.total is not None and self.have != self.total:
            raise self.incomplete(f"{self.have} bytes written, {self.total} announced")
        return self.dest
