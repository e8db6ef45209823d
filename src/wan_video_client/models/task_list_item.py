from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.task_status import TaskStatus
from ..types import UNSET, Unset

T = TypeVar("T", bound="TaskListItem")


@_attrs_define
class TaskListItem:
    """
    Attributes:
        task_id (str):
        status (str | TaskStatus): A `TaskStatus`, or a status value this description does not know yet.
        model_name (str | Unset):
        request_id (str | Unset): The request id of the submit.
        gmt_create (int | Unset): Creation time, epoch milliseconds.
        start_time (int | Unset): When the task started running, epoch milliseconds.
        end_time (int | Unset): When the task finished, epoch milliseconds; absent while it is not finished.
        api_key_id (str | Unset):
        region (str | Unset):
        user_api_unique_key (str | Unset): `apikey:v1:aigc:video-generation:video-synthesis:<model>`.
    """

    task_id: str
    status: str | TaskStatus
    model_name: str | Unset = UNSET
    request_id: str | Unset = UNSET
    gmt_create: int | Unset = UNSET
    start_time: int | Unset = UNSET
    end_time: int | Unset = UNSET
    api_key_id: str | Unset = UNSET
    region: str | Unset = UNSET
    user_api_unique_key: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        task_id = self.task_id

        status: str
        if isinstance(self.status, TaskStatus):
            status = self.status.value
        else:
            status = self.status

        model_name = self.model_name

        request_id = self.request_id

        gmt_create = self.gmt_create

        start_time = self.start_time

        end_time = self.end_time

        api_key_id = self.api_key_id

        region = self.region

        user_api_unique_key = self.user_api_unique_key

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "task_id": task_id,
                "status": status,
            }
        )
        if model_name is not UNSET:
            field_dict["model_name"] = model_name
        if request_id is not UNSET:
            field_dict["request_id"] = request_id
        if gmt_create is not UNSET:
            field_dict["gmt_create"] = gmt_create
        if start_time is not UNSET:
            field_dict["start_time"] = start_time
        if end_time is not UNSET:
            field_dict["end_time"] = end_time
        if api_key_id is not UNSET:
            field_dict["api_key_id"] = api_key_id
        if region is not UNSET:
            field_dict["region"] = region
        if user_api_unique_key is not UNSET:
            field_dict["user_api_unique_key"] = user_api_unique_key

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        task_id = d.pop("task_id")

        def _parse_status(data: object) -> str | TaskStatus:
            try:
                if not isinstance(data, str):
                    raise TypeError()
                componentsschemas_open_task_status_type_0 = TaskStatus(data)

                return componentsschemas_open_task_status_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(str | TaskStatus, data)

        status = _parse_status(d.pop("status"))

        model_name = d.pop("model_name", UNSET)

        request_id = d.pop("request_id", UNSET)

        gmt_create = d.pop("gmt_create", UNSET)

        start_time = d.pop("start_time", UNSET)

        end_time = d.pop("end_time", UNSET)

        api_key_id = d.pop("api_key_id", UNSET)

        region = d.pop("region", UNSET)

        user_api_unique_key = d.pop("user_api_unique_key", UNSET)

        task_list_item = cls(
            task_id=task_id,
            status=status,
            model_name=model_name,
            request_id=request_id,
            gmt_create=gmt_create,
            start_time=start_time,
            end_time=end_time,
            api_key_id=api_key_id,
            region=region,
            user_api_unique_key=user_api_unique_key,
        )

        task_list_item.additional_properties = d
        return task_list_item

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


__all__ = ["TaskListItem"]
