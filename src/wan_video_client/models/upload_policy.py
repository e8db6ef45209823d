from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="UploadPolicy")


@_attrs_define
class UploadPolicy:
    """
    Attributes:
        policy (str):
        signature (str):
        upload_dir (str): The key prefix the file must be uploaded under.
        upload_host (str): Where the multipart form is posted.
        expire_in_seconds (int | Unset):
        max_file_size_mb (int | Unset):
        capacity_limit_mb (int | Unset):
        oss_access_key_id (str | Unset):
        x_oss_object_acl (str | Unset):
        x_oss_forbid_overwrite (str | Unset):
    """

    policy: str
    signature: str
    upload_dir: str
    upload_host: str
    expire_in_seconds: int | Unset = UNSET
    max_file_size_mb: int | Unset = UNSET
    capacity_limit_mb: int | Unset = UNSET
    oss_access_key_id: str | Unset = UNSET
    x_oss_object_acl: str | Unset = UNSET
    x_oss_forbid_overwrite: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        policy = self.policy

        signature = self.signature

        upload_dir = self.upload_dir

        upload_host = self.upload_host

        expire_in_seconds = self.expire_in_seconds

        max_file_size_mb = self.max_file_size_mb

        capacity_limit_mb = self.capacity_limit_mb

        oss_access_key_id = self.oss_access_key_id

        x_oss_object_acl = self.x_oss_object_acl

        x_oss_forbid_overwrite = self.x_oss_forbid_overwrite

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "policy": policy,
                "signature": signature,
                "upload_dir": upload_dir,
                "upload_host": upload_host,
            }
        )
        if expire_in_seconds is not UNSET:
            field_dict["expire_in_seconds"] = expire_in_seconds
        if max_file_size_mb is not UNSET:
            field_dict["max_file_size_mb"] = max_file_size_mb
        if capacity_limit_mb is not UNSET:
            field_dict["capacity_limit_mb"] = capacity_limit_mb
        if oss_access_key_id is not UNSET:
            field_dict["oss_access_key_id"] = oss_access_key_id
        if x_oss_object_acl is not UNSET:
            field_dict["x_oss_object_acl"] = x_oss_object_acl
        if x_oss_forbid_overwrite is not UNSET:
            field_dict["x_oss_forbid_overwrite"] = x_oss_forbid_overwrite

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        policy = d.pop("policy")

        signature = d.pop("signature")

        upload_dir = d.pop("upload_dir")

        upload_host = d.pop("upload_host")

        expire_in_seconds = d.pop("expire_in_seconds", UNSET)

        max_file_size_mb = d.pop("max_file_size_mb", UNSET)

        capacity_limit_mb = d.pop("capacity_limit_mb", UNSET)

        oss_access_key_id = d.pop("oss_access_key_id", UNSET)

        x_oss_object_acl = d.pop("x_oss_object_acl", UNSET)

        x_oss_forbid_overwrite = d.pop("x_oss_forbid_overwrite", UNSET)

        upload_policy = cls(
            policy=policy,
            signature=signature,
            upload_dir=upload_dir,
            upload_host=upload_host,
            expire_in_seconds=expire_in_seconds,
            max_file_size_mb=max_file_size_mb,
            capacity_limit_mb=capacity_limit_mb,
            oss_access_key_id=oss_access_key_id,
            x_oss_object_acl=x_oss_object_acl,
            x_oss_forbid_overwrite=x_oss_forbid_overwrite,
        )

        upload_policy.additional_properties = d
        return upload_policy

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


__all__ = ["UploadPolicy"]
