from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.task_submit_output import TaskSubmitOutput


T = TypeVar("T", bound="TaskSubmitResponse")


@_attrs_define
class TaskSubmitResponse:
    """
    Attributes:
        output (TaskSubmitOutput):
        request_id (str): Identifies this request in logs and support tickets.
    """

    output: TaskSubmitOutput
    request_id: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        output = self.output.to_dict()

        request_id = self.request_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "output": output,
                "request_id": request_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.task_submit_output import TaskSubmitOutput  # noqa: PLC0415

        d = dict(src_dict)
        output = TaskSubmitOutput.from_dict(d.pop("output"))

        request_id = d.pop("request_id")

        task_submit_response = cls(
            output=output,
            request_id=request_id,
        )

        task_submit_response.additional_properties = d
        return task_submit_response

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


__all__ = ["TaskSubmitResponse"]
