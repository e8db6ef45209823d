"""The key's tasks once submitted: a query (counted, and what a task's scenario makes of it), a
cancel, the list, and the signed URLs of their results.

A task another key submitted is one this key cannot see, and one past its time to live one the
service no longer knows (UNKNOWN to a query and in the list, UnsupportedOperation to a cancel).
Times are shown in the service's zone (``Settings.utc_offset_hours``).
"""

from __future__ import annotations

import hashlib
import hmac
import math
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta, timezone
from typing import Any

from .._domain._clock import Clock
from .._domain._lifecycle import (
    CANCELED,
    FAILED,
    NEVER,
    PENDING,
    RUNNING,
    SUCCEEDED,
    UNKNOWN,
    Status,
    status_at,
)
from .._domain._scenarios import BrokenDownload, Polls, Scenario
from .._spec._documents import ApiSpec
from .._spec._errors import ApiError, InvalidParameter, UnsupportedOperation
from .._spec._validation import OperationValidator
from .._storage._interfaces import ApiStore, TaskFilter
from .._storage._records import Schedule, TaskRecord
from ._calls import Caller, Outcome, task_delay
from ._quotas import Quotas
from ._settings import Settings

__all__ = ["Tasks"]


class Tasks:
    """Queries, cancels, the list and the result URLs of one mock's tasks."""

    def __init__(
        self,
        spec: ApiSpec,
        store: ApiStore,
        clock: Clock,
        quotas: Quotas,
        *,
        settings: Settings,
        count_poll: Callable[[str], None] | None = None,
    ) -> None:
        """``count_poll`` counts a query of a task whose answers do not depend on the count (in
        batches: the journal's), else the store counts it at once."""
        self.spec = spec
        self.store = store
        self.clock = clock
        self.settings = settings
        self.quotas = quotas
        self._list_query = OperationValidator(spec.document, spec.operations["list_tasks"])
        self._zone = timezone(timedelta(hours=settings.utc_offset_hours))
        self._secret = store.secret().encode()
        self._count_poll = count_poll

    # ------------------------------------------------------------------ query
    def _visible(
        self, caller: Caller, task_id: str, now: float, *, counts: bool = True
    ) -> TaskRecord | None:
        record = self.store.get(task_id) if counts else self.store.peek(task_id)
        if record is None or record.key_id != caller.key_id:
            return None
        return None if self._expired(record, now) else record

    def _queried(
        self, caller: Caller, task_id: str, now: float
    ) -> tuple[TaskRecord, Scenario] | None:
        """The key's task as a query sees it (and its scenario), counted as one more query: a
        ``query_fail=`` scenario answers its error, and a task progressing by polls moves on."""
        record = self._visible(caller, task_id, now, counts=False)
        if record is None:
            return None
        scenario = Scenario.from_task_fields(record.scenario)
        if scenario.polls is None and scenario.query_fail is None and self._count_poll:
            self._count_poll(task_id)  # nothing in the answer depends on the count...
            if scenario.latency is not None:  # ...but a delay drawn for the query's number
                record = self.store.get(task_id) or record
            return record, scenario
        counted = self.store.query(task_id, caller.key_id)  # counted at once: it decides
        if counted is None:
            return None
        record = counted
        answered = record.polls
        failure = scenario.query_fail
        if failure is not None:
            if answered <= failure.count:
                delay = task_delay(scenario, "query", record.polls)
                raise ApiError(code=failure.code, injected=True, delay=delay)
            answered -= failure.count
        if scenario.polls is not None and record.canceled_at is None:
            self._progress(record, scenario.polls, answered, now)
        return record, scenario

    def _progress(self, record: TaskRecord, polls: Polls, answered: int, now: float) -> None:
        """Start (and end) a task that waits for polls once it has been answered enough."""
        stage = polls.status_after(answered)
        if stage == PENDING or (stage == RUNNING and record.start_at < NEVER):
            return
        if stage == "DONE" and record.end_at < NEVER:
            return
        end = now if stage == "DONE" else None
        self.store.progress(record.task_id, start_at=now, end_at=end)
        record.start_at = min(record.start_at, now)
        if end is not None:
            record.end_at = min(record.end_at, end)

    def _expired(self, task: Schedule | TaskRecord, now: float) -> bool:
        """Past the task's time to live: the service no longer knows it (UNKNOWN)."""
        return now >= task.submitted_at + self.spec.service.task_ttl_seconds

    def status_of(self, record: Schedule | TaskRecord, now: float | None = None) -> Status:
        return status_at(
            self.clock.now() if now is None else now,
            start_at=record.start_at,
            end_at=record.end_at,
            outcome=record.outcome,
            canceled_at=record.canceled_at,
        )

    def query(self, caller: Caller, task_id: str, *, result_base: str, now: float) -> Outcome:
        """A task as ``GET /tasks/{id}`` shows it; UNKNOWN when this key cannot see it."""
        self.quotas.task_endpoints(caller)
        queried = self._queried(caller, task_id, now)
        if queried is None:
            unknown = {"task_id": task_id, "task_status": UNKNOWN}
            return Outcome({"request_id": caller.request_id, "output": unknown}, task_id, UNKNOWN)
        record, scenario = queried
        status = self.status_of(record, now)
        output: dict[str, Any] = {
            "task_id": record.task_id,
            "task_status": status,
            "submit_time": self._clock_text(record.submitted_at),
        }
        if status in (RUNNING, SUCCEEDED, FAILED):
            output["scheduled_time"] = self._clock_text(record.start_at)
        if status in (SUCCEEDED, FAILED):
            output["end_time"] = self._clock_text(record.end_at)
        if status == CANCELED and record.canceled_at is not None:
            output["end_time"] = self._clock_text(record.canceled_at)
        body: dict[str, Any] = {"request_id": caller.request_id, "output": output}
        if status == SUCCEEDED:
            output["video_url"] = self.video_url(record, result_base)
            if record.orig_prompt is not None:
                output["orig_prompt"] = record.orig_prompt
            if record.actual_prompt is not None:
                output["actual_prompt"] = record.actual_prompt
            if record.usage is not None:
                body["usage"] = dict(record.usage)
        elif status == FAILED:
            output["code"] = record.code
            output["message"] = record.message
        delay = task_delay(scenario, "query", record.polls)
        return Outcome(body, task_id, status, delay)

    def _clock_text(self, when: float) -> str:
        """``YYYY-MM-DD HH:mm:ss.SSS`` in the service's zone, the same millisecond as the list's
        epoch-millisecond times."""
        millis = _millis(when)
        m = datetime.fromtimestamp(millis // 1000, tz=self._zone)
        return (
            f"{m.year:04d}-{m.month:02d}-{m.day:02d} "
            f"{m.hour:02d}:{m.minute:02d}:{m.second:02d}.{millis % 1000:03d}"
        )

    # ------------------------------------------------------------------ results
    def _signature(self, task_id: str, expires: int) -> str:
        mac = hmac.new(self._secret, f"{task_id}:{expires}".encode(), hashlib.sha256)
        return mac.hexdigest()[:32]

    def video_url(self, record: TaskRecord, result_base: str) -> str:
        """A signed URL on the mock for the task's MP4, valid until the task expires."""
        expires = int(record.submitted_at + self.spec.service.task_ttl_seconds)
        signature = self._signature(record.task_id, expires)
        return f"{result_base}/{record.task_id}.mp4?Expires={expires}&Signature={signature}"

    def result(self, task_id: str, expires: str | None, signature: str | None) -> TaskRecord:
        """The SUCCEEDED task behind a result URL; ``PermissionError`` when it is not valid."""
        record = self.store.get(task_id)
        if record is None or expires is None or signature is None or not expires.isdigit():
            raise PermissionError("invalid result URL")
        if not hmac.compare_digest(self._signature(task_id, int(expires)), signature):
            raise PermissionError("bad signature")
        now = self.clock.now()
        if now >= int(expires) or self.status_of(record, now) != SUCCEEDED:
            raise PermissionError("expired")
        return record

    def broken_download(self, record: TaskRecord) -> BrokenDownload | None:
        """Count a download of the task's result; how it breaks (a ``download=`` scenario),
        or None when it is delivered whole."""
        before = self.store.count_download(record.task_id)
        broken = Scenario.from_task_fields(record.scenario).download
        return broken if broken is not None and broken.applies(before) else None

    # ------------------------------------------------------------------ cancel
    def cancel(self, caller: Caller, task_id: str, *, now: float) -> Outcome:
        """Cancel a task of this key that may still be canceled (``lifecycle``: only a PENDING
        one); anything else is UnsupportedOperation."""
        self.quotas.task_endpoints(caller)
        record = self._visible(caller, task_id, now)
        if record is None or not self.store.cancel(task_id, caller.key_id, now):
            raise UnsupportedOperation()
        delay = task_delay(Scenario.from_task_fields(record.scenario), "cancel")
        return Outcome({"request_id": caller.request_id}, task_id, CANCELED, delay)

    # ------------------------------------------------------------------ list
    def _parse_time(self, name: str, text: str) -> float:
        try:
            moment = datetime.strptime(text, "%Y%m%d%H%M%S")
        except ValueError:
            raise InvalidParameter(
                f"Parameter {name} is invalid: {text!r} is not a time as YYYYMMDDhhmmss."
            ) from None
        return moment.replace(tzinfo=self._zone).timestamp()

    def list(self, caller: Caller, args: Mapping[str, str], *, now: float) -> Outcome:
        """One page of the key's tasks in a window of at most 24 hours."""
        self.quotas.task_endpoints(caller)
        query = self._list_query.query(args)
        window = self.spec.service.list_window_seconds
        start_text, end_text = query.get("start_time"), query.get("end_time")
        end = self._parse_time("end_time", end_text) if end_text else None
        start = self._parse_time("start_time", start_text) if start_text else None
        if start is None and end is None:
            end, start = now, now - window
        elif start is None:
            assert end is not None
            start = end - window
        elif end is None:
            end = start + window
        if end < start:
            raise InvalidParameter("Parameter end_time is invalid: it is before start_time.")
        if end - start > window:
            raise InvalidParameter(
                "Parameter end_time is invalid: the time window may span at most 24 hours."
            )
        page_no = int(query["page_no"])
        page_size = int(query.get("page_size", self.spec.service.list_default_page_size))

        def listed_status(task: Schedule | TaskRecord) -> str:
            return UNKNOWN if self._expired(task, now) else self.status_of(task, now)

        wanted = TaskFilter(
            caller.key_id,
            since=start,
            until=end + 0.999,
            status=query.get("status"),
            model=query.get("model_name") or None,
            task_id=query.get("task_id") or None,
            offset=(page_no - 1) * page_size,
            limit=page_size,
        )
        total, page = self.store.find_page(wanted, listed_status)
        return Outcome(
            {
                "request_id": caller.request_id,
                "total": total,
                "total_page": math.ceil(total / page_size) if total else 0,
                "page_no": page_no,
                "page_size": page_size,
                "data": [self._list_item(record, status) for record, status in page],
            }
        )

    def _list_item(self, record: TaskRecord, status: str) -> dict[str, Any]:
        item: dict[str, Any] = {
            "task_id": record.task_id,
            "status": status,
            "model_name": record.model,
            "request_id": record.request_id,
            "gmt_create": _millis(record.submitted_at),
            "api_key_id": record.key_id,
            "region": self.settings.region,
            "user_api_unique_key": (f"apikey:v1:aigc:{record.kind}:video-synthesis:{record.model}"),
        }
        if status in (RUNNING, SUCCEEDED, FAILED):
            item["start_time"] = _millis(record.start_at)
        if status in (SUCCEEDED, FAILED):
            item["end_time"] = _millis(record.end_at)
        elif status == CANCELED and record.canceled_at is not None:
            item["end_time"] = _millis(record.canceled_at)
        return item


def _millis(when: float) -> int:
    return round(when * 1000)
