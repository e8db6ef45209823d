from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.resolution import Resolution
from ..models.video_duration import VideoDuration
from ..types import UNSET, Unset

T = TypeVar("T", bound="KeyframeToVideoParameters")


@_attrs_define
class KeyframeToVideoParameters:
    """
    Attributes:
        resolution (None | Resolution | Unset): Output resolution tier; the model's default when left out (`x-wan-
            models`).
        duration (None | Unset | VideoDuration): Video length in seconds, 5 when left out. Wan-VACE and the first/last-
            frame models offer
            only 5; the lengths of every model are in `x-wan-models`.
        prompt_extend (bool | None | Unset): Lets a language model rewrite the prompt before generation (better results
            for short
            prompts, longer processing). The rewritten prompt is returned as `actual_prompt`.
        watermark (bool | None | Unset): Adds an "AI-generated" mark in the lower-right corner when true.
        seed (int | None | Unset): Random seed in [0, 2147483647]. Omitted, the service picks one. The same seed makes
            results more alike but does not guarantee identical videos.
    """

    resolution: None | Resolution | Unset = UNSET
    duration: None | Unset | VideoDuration = UNSET
    prompt_extend: bool | None | Unset = UNSET
    watermark: bool | None | Unset = UNSET
    seed: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        resolution: None | str | Unset
        if isinstance(self.resolution, Unset):
            resolution = UNSET
        elif isinstance(self.resolution, Resolution):
            resolution = self.resolution.value
        else:
            resolution = self.resolution

        duration: int | None | Unset
        if isinstance(self.duration, Unset):
            duration = UNSET
        elif isinstance(self.duration, VideoDuration):
            duration = self.duration.value
        else:
            duration = self.duration

        prompt_extend: bool | None | Unset
        if isinstance(self.prompt_extend, Unset):
            prompt_extend = UNSET
        else:
            prompt_extend = self.prompt_extend

        watermark: bool | None | Unset
        if isinstance(self.watermark, Unset):
            watermark = UNSET
        else:
            watermark = self.watermark

        seed: int | None | Unset
        if isinstance(self.seed, Unset):
            seed = UNSET
        else:
            seed = self.seed

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if resolution is not UNSET:
            field_dict["resolution"] = resolution
        if duration is not UNSET:
            field_dict["duration"] = duration
        if prompt_extend is not UNSET:
            field_dict["prompt_extend"] = prompt_extend
        if watermark is not UNSET:
            field_dict["watermark"] = watermark
        if seed is not UNSET:
            field_dict["seed"] = seed

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_resolution(data: object) -> None | Resolution | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                resolution_type_0 = Resolution(data)

                return resolution_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Resolution | Unset, data)

        resolution = _parse_resolution(d.pop("resolution", UNSET))

        def _parse_duration(data: object) -> None | Unset | VideoDuration:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, int):
                    raise TypeError()
                componentsschemas_duration_option_type_0 = VideoDuration(data)

                return componentsschemas_duration_option_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | VideoDuration, data)

        duration = _parse_duration(d.pop("duration", UNSET))

        def _parse_prompt_extend(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        prompt_extend = _parse_prompt_extend(d.pop("prompt_extend", UNSET))

        def _parse_watermark(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        watermark = _parse_watermark(d.pop("watermark", UNSET))

        def _parse_seed(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        seed = _parse_seed(d.pop("seed", UNSET))

        keyframe_to_video_parameters = cls(
            resolution=resolution,
            duration=duration,
            prompt_extend=prompt_extend,
            watermark=watermark,
            seed=seed,
        )

        keyframe_to_video_parameters.additional_properties = d
        return keyframe_to_video_parameters

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


__all__ = ["KeyframeToVideoParameters"]
