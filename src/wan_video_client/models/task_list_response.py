from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.task_list_item import TaskListItem


T = TypeVar("T", bound="TaskListResponse")


@_attrs_define
class TaskListResponse:
    """
    Attributes:
        request_id (str):
        total (int): Tasks matching the filters, over all pages.
        data (list[TaskListItem]):
        total_page (int | Unset):
        page_no (int | Unset):
        page_size (int | Unset):
    """

    request_id: str
    total: int
    data: list[TaskListItem]
    total_page: int | Unset = UNSET
    page_no: int | Unset = UNSET
    page_size: int | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        request_id = self.request_id

        total = self.total

        data = []
        for data_item_data in self.data:
            data_item = data_item_data.to_dict()
            data.append(data_item)

        total_page = self.total_page

        page_no = self.page_no

        page_size = self.page_size

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "request_id": request_id,
                "total": total,
                "data": data,
            }
        )
        if total_page is not UNSET:
            field_dict["total_page"] = total_page
        if page_no is not UNSET:
            field_dict["page_no"] = page_no
        if page_size is not UNSET:
            field_dict["page_size"] = page_size

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.task_list_item import TaskListItem  # noqa: PLC0415

        d = dict(src_dict)
        request_id = d.pop("request_id")

        total = d.pop("total")

        data = []
        _data = d.pop("data")
        for data_item_data in _data:
            data_item = TaskListItem.from_dict(data_item_data)

            data.append(data_item)

        total_page = d.pop("total_page", UNSET)

        page_no = d.pop("page_no", UNSET)

        page_size = d.pop("page_size", UNSET)

        task_list_response = cls(
            request_id=request_id,
            total=total,
            data=data,
            total_page=total_page,
            page_no=page_no,
            page_size=page_size,
        )

        task_list_response.additional_properties = d
        return task_list_response

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


__all__ = ["TaskListResponse"]
