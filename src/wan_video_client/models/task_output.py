from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.task_status import TaskStatus
from ..types import UNSET, Unset

T = TypeVar("T", bound="TaskOutput")


@_attrs_define
class TaskOutput:
    """
    Attributes:
        task_id (str):
        task_status (str | TaskStatus): A `TaskStatus`, or a status value this description does not know yet.
        submit_time (str | Unset): A time as `YYYY-MM-DD HH:mm:ss.SSS`.
        scheduled_time (str | Unset): A time as `YYYY-MM-DD HH:mm:ss.SSS`.
        end_time (str | Unset): A time as `YYYY-MM-DD HH:mm:ss.SSS`.
        video_url (str | Unset): The MP4 (H.264, 30 fps) result, present only once SUCCEEDED; valid for 24 hours.
        orig_prompt (str | Unset): The prompt as submitted.
        actual_prompt (str | Unset): The rewritten prompt the model used; present only when prompt rewriting was on.
        code (str | Unset): Why a FAILED task failed (an error code).
        message (str | Unset): Why a FAILED task failed, in words.
    """

    task_id: str
    task_status: str | TaskStatus
    submit_time: str | Unset = UNSET
    scheduled_time: str | Unset = UNSET
    end_time: str | Unset = UNSET
    video_url: str | Unset = UNSET
    orig_prompt: str | Unset = UNSET
    actual_prompt: str | Unset = UNSET
    code: str | Unset = UNSET
    message: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        task_id = self.task_id

        task_status: str
        if isinstance(self.task_status, TaskStatus):
            task_status = self.task_status.value
        else:
            task_status = self.task_status

        submit_time = self.submit_time

        scheduled_time = self.scheduled_time

        end_time = self.end_time

        video_url = self.video_url

        orig_prompt = self.orig_prompt

        actual_prompt = self.actual_prompt

        code = self.code

        message = self.message

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "task_id": task_id,
                "task_status": task_status,
            }
        )
        if submit_time is not UNSET:
            field_dict["submit_time"] = submit_time
        if scheduled_time is not UNSET:
            field_dict["scheduled_time"] = scheduled_time
        if end_time is not UNSET:
            field_dict["end_time"] = end_time
        if video_url is not UNSET:
            field_dict["video_url"] = video_url
        if orig_prompt is not UNSET:
            field_dict["orig_prompt"] = orig_prompt
        if actual_prompt is not UNSET:
            field_dict["actual_prompt"] = actual_prompt
        if code is not UNSET:
            field_dict["code"] = code
        if message is not UNSET:
            field_dict["message"] = message

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        task_id = d.pop("task_id")

        def _parse_task_status(data: object) -> str | TaskStatus:
            try:
                if not isinstance(data, str):
                    raise TypeError()
                componentsschemas_open_task_status_type_0 = TaskStatus(data)

                return componentsschemas_open_task_status_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(str | TaskStatus, data)

        task_status = _parse_task_status(d.pop("task_status"))

        submit_time = d.pop("submit_time", UNSET)

        scheduled_time = d.pop("scheduled_time", UNSET)

        end_time = d.pop("end_time", UNSET)

        video_url = d.pop("video_url", UNSET)

        orig_prompt = d.pop("orig_prompt", UNSET)

        actual_prompt = d.pop("actual_prompt", UNSET)

        code = d.pop("code", UNSET)

        message = d.pop("message", UNSET)

        task_output = cls(
            task_id=task_id,
            task_status=task_status,
            submit_time=submit_time,
            scheduled_time=scheduled_time,
            end_time=end_time,
            video_url=video_url,
            orig_prompt=orig_prompt,
            actual_prompt=actual_prompt,
            code=code,
            message=message,
        )

        task_output.additional_properties = d
        return task_output

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties


__all__ = ["TaskOutput"]
