from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="Usage")


@_attrs_define
class Usage:
    """What a SUCCEEDED task is billed for. Keys vary by model; unknown keys are kept.

    Attributes:
        video_duration (int | Unset): Seconds of video generated.
        video_count (int | Unset): Number of videos generated (1).
        video_ratio (str | Unset): The output `width*height` (text-to-video), or `standard`.
        duration (float | Unset):
        size (str | Unset):
        sr (int | Unset):
        input_video_duration (float | Unset):
        output_video_duration (float | Unset):
    """

    video_duration: int | Unset = UNSET
    video_count: int | Unset = UNSET
    video_ratio: str | Unset = UNSET
    duration: float | Unset = UNSET
    size: str | Unset = UNSET
    sr: int | Unset = UNSET
    input_video_duration: float | Unset = UNSET
    output_video_duration: float | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        video_duration = self.video_duration

        video_count = self.video_count

        video_ratio = self.video_ratio

        duration = self.duration

        size = self.size

        sr = self.sr

        input_video_duration = self.input_video_duration

        output_video_duration = self.output_video_duration

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if video_duration is not UNSET:
            field_dict["video_duration"] = video_duration
        if video_count is not UNSET:
            field_dict["video_count"] = video_count
        if video_ratio is not UNSET:
            field_dict["video_ratio"] = video_ratio
        if duration is not UNSET:
            field_dict["duration"] = duration
        if size is not UNSET:
            field_dict["size"] = size
        if sr is not UNSET:
            field_dict["SR"] = sr
        if input_video_duration is not UNSET:
            field_dict["input_video_duration"] = input_video_duration
        if output_video_duration is not UNSET:
            field_dict["output_video_duration"] = output_video_duration

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        video_duration = d.pop("video_duration", UNSET)

        video_count = d.pop("video_count", UNSET)

        video_ratio = d.pop("video_ratio", UNSET)

        duration = d.pop("duration", UNSET)

        size = d.pop("size", UNSET)

        sr = d.pop("SR", UNSET)

        input_video_duration = d.pop("input_video_duration", UNSET)

        output_video_duration = d.pop("output_video_duration", UNSET)

        usage = cls(
            video_duration=video_duration,
            video_count=video_count,
            video_ratio=video_ratio,
            duration=duration,
            size=size,
            sr=sr,
            input_video_duration=input_video_duration,
            output_video_duration=output_video_duration,
        )

        usage.additional_properties = d
        return usage

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


__all__ = ["Usage"]
