"""The layer's task objects: plain frozen values made from the generated models' answers, with
``None`` where the generated models hold ``UNSET``, and a ``repr`` of the fields that are set."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from wan_video_client.models import (
    TaskListItem,
    TaskListResponse,
    TaskOutput,
    TaskQueryResponse,
    TaskStatus,
    TaskSubmitResponse,
)
from wan_video_client.types import Unset

__all__ = ["TERMINAL", "SucceededTask", "Task", "TaskPage", "TaskStatus", "TaskSummary"]

#: The statuses a task never leaves. ``TaskStatus`` (the generated enum: the spec's statuses) is
#: the layer's one vocabulary of statuses; its members compare equal to the plain strings.
TERMINAL = frozenset(
    {TaskStatus.SUCCEEDED, TaskStatus.FAILED, TaskStatus.CANCELED, TaskStatus.UNKNOWN}
)


def _set(value: Any) -> Any:
    return None if isinstance(value, Unset) else value


def _optional(answer: object, *names: str) -> dict[str, Any]:
    """The optional fields ``names`` of a generated model, ``None`` where it holds ``UNSET``."""
    return {name: _set(getattr(answer, name)) for name in names}


class _Readable:
    """``Name(field=value, …)`` of the fields that are not ``None`` (and not hidden)."""

    def __repr__(self) -> str:
        shown = (
            f"{f.name}={getattr(self, f.name)!r}"
            for f in dataclasses.fields(self)  # type: ignore[arg-type]
            if f.repr and getattr(self, f.name) is not None
        )
        return f"{type(self).__name__}({', '.join(shown)})"


@dataclass(frozen=True, kw_only=True, repr=False)
class Task(_Readable):
    """A task as the service last described it. ``status`` is a plain string (``PENDING``,
    ``RUNNING``, ``SUCCEEDED``, ``FAILED``, ``CANCELED``, ``UNKNOWN`` or a status this version
    does not know); the generated ``TaskStatus`` members compare equal to it."""

    task_id: str
    status: str
    request_id: str | None = None
    submit_time: str | None = None
    scheduled_time: str | None = None
    end_time: str | None = None
    video_url: str | None = None
    orig_prompt: str | None = None
    actual_prompt: str | None = None
    code: str | None = None
    message: str | None = None
    usage: Mapping[str, Any] | None = None

    @property
    def done(self) -> bool:
        """Whether the task is in a status it never leaves."""
        return self.status in TERMINAL

    @classmethod
    def from_submit(cls, answer: TaskSubmitResponse) -> Task:
        output = answer.output
        return cls(
            task_id=output.task_id, status=str(output.task_status), request_id=answer.request_id
        )

    @classmethod
    def from_query(cls, answer: TaskQueryResponse) -> Task:
        output: TaskOutput = answer.output
        usage = _set(answer.usage)
        values: dict[str, Any] = {
            "task_id": output.task_id,
            "status": str(output.task_status),
            "request_id": answer.request_id,
            "usage": usage.to_dict() if usage is not None else None,
        }
        times = ("submit_time", "scheduled_time", "end_time")
        values.update(_optional(output, *times, "orig_prompt", "actual_prompt", "code", "message"))
        video_url = _set(output.video_url)
        if values["status"] == TaskStatus.SUCCEEDED and isinstance(video_url, str):
            return SucceededTask(video_url=video_url, **values)
        return cls(video_url=video_url, **values)


@dataclass(frozen=True, kw_only=True, repr=False)
class SucceededTask(Task):
    """A SUCCEEDED task: its ``video_url`` (an MP4, valid for 24 hours) is always there."""

    video_url: str


@dataclass(frozen=True, kw_only=True, repr=False)
class TaskSummary(_Readable):
    """One task of a :class:`TaskPage` (``GET /tasks``); times are epoch milliseconds."""

    task_id: str
    status: str
    model_name: str | None = None
    request_id: str | None = None
    gmt_create: int | None = None
    start_time: int | None = None
    end_time: int | None = None

    @classmethod
    def from_item(cls, item: TaskListItem) -> TaskSummary:
        optional = ("model_name", "request_id", "gmt_create", "start_time", "end_time")
        return cls(task_id=item.task_id, status=str(item.status), **_optional(item, *optional))


@dataclass(frozen=True, kw_only=True, repr=False)
class TaskPage(_Readable):
    """A page of ``GET /tasks``: ``total`` tasks match over all pages."""

    tasks: tuple[TaskSummary, ...]
    total: int
    page_no: int | None = None
    page_size: int | None = None
    total_page: int | None = None
    request_id: str | None = None

    @classmethod
    def from_answer(cls, answer: TaskListResponse) -> TaskPage:
        return cls(
            tasks=tuple(TaskSummary.from_item(item) for item in answer.data),
            total=answer.total,
            request_id=answer.request_id,
            **_optional(answer, "page_no", "page_size", "total_page"),
        )
