from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.obj_or_bg_item import ObjOrBgItem
from ..models.video_duration import VideoDuration
from ..models.video_size import VideoSize
from ..types import UNSET, Unset

T = TypeVar("T", bound="ImageReferenceParameters")


@_attrs_define
class ImageReferenceParameters:
    """
    Attributes:
        obj_or_bg (list[ObjOrBgItem] | None | Unset): The role of each image in `ref_images_url`, in the same order and
            of the same length:
            `obj` (subject) or `bg` (background, at most one). May be left out only with a single
            reference image, which then counts as `["obj"]`.
        size (None | Unset | VideoSize): Output `width*height`, 1280*720 when left out. Wan-VACE offers the 720P sizes
            only:
            1280*720 (16:9), 720*1280 (9:16), 960*960 (1:1), 832*1088 (3:4), 1088*832 (4:3).
        duration (None | Unset | VideoDuration): Video length in seconds, 5 when left out. Wan-VACE and the first/last-
            frame models offer
            only 5; the lengths of every model are in `x-wan-models`.
        prompt_extend (bool | None | Unset): Lets a language model rewrite the prompt before generation (better results
            for short
            prompts, longer processing). The rewritten prompt is returned as `actual_prompt`.
        seed (int | None | Unset): Random seed in [0, 2147483647]. Omitted, the service picks one. The same seed makes
            results more alike but does not guarantee identical videos.
        watermark (bool | None | Unset): Adds an "AI-generated" mark in the lower-right corner when true.
    """

    obj_or_bg: list[ObjOrBgItem] | None | Unset = UNSET
    size: None | Unset | VideoSize = UNSET
    duration: None | Unset | VideoDuration = UNSET
    prompt_extend: bool | None | Unset = UNSET
    seed: int | None | Unset = UNSET
    watermark: bool | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        obj_or_bg: list[str] | None | Unset
        if isinstance(self.obj_or_bg, Unset):
            obj_or_bg = UNSET
        elif isinstance(self.obj_or_bg, list):
            obj_or_bg = []
            for obj_or_bg_type_0_item_data in self.obj_or_bg:
                obj_or_bg_type_0_item = obj_or_bg_type_0_item_data.value
                obj_or_bg.append(obj_or_bg_type_0_item)

        else:
            obj_or_bg = self.obj_or_bg

        size: None | str | Unset
        if isinstance(self.size, Unset):
            size = UNSET
        elif isinstance(self.size, VideoSize):
            size = self.size.value
        else:
            size = self.size

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

        seed: int | None | Unset
        if isinstance(self.seed, Unset):
            seed = UNSET
        else:
            seed = self.seed

        watermark: bool | None | Unset
        if isinstance(self.watermark, Unset):
            watermark = UNSET
        else:
            watermark = self.watermark

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if obj_or_bg is not UNSET:
            field_dict["obj_or_bg"] = obj_or_bg
        if size is not UNSET:
            field_dict["size"] = size
        if duration is not UNSET:
            field_dict["duration"] = duration
        if prompt_extend is not UNSET:
            field_dict["prompt_extend"] = prompt_extend
        if seed is not UNSET:
            field_dict["seed"] = seed
        if watermark is not UNSET:
            field_dict["watermark"] = watermark

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_obj_or_bg(data: object) -> list[ObjOrBgItem] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                obj_or_bg_type_0 = []
                _obj_or_bg_type_0 = data
                for obj_or_bg_type_0_item_data in _obj_or_bg_type_0:
                    obj_or_bg_type_0_item = ObjOrBgItem(obj_or_bg_type_0_item_data)

                    obj_or_bg_type_0.append(obj_or_bg_type_0_item)

                return obj_or_bg_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[ObjOrBgItem] | None | Unset, data)

        obj_or_bg = _parse_obj_or_bg(d.pop("obj_or_bg", UNSET))

        def _parse_size(data: object) -> None | Unset | VideoSize:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                componentsschemas_vace_size_option_type_0 = VideoSize(data)

                return componentsschemas_vace_size_option_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | VideoSize, data)

        size = _parse_size(d.pop("size", UNSET))

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

        def _parse_seed(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        seed = _parse_seed(d.pop("seed", UNSET))

        def _parse_watermark(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        watermark = _parse_watermark(d.pop("watermark", UNSET))

        image_reference_parameters = cls(
            obj_or_bg=obj_or_bg,
            size=size,
            duration=duration,
            prompt_extend=prompt_extend,
            seed=seed,
            watermark=watermark,
        )

        image_reference_parameters.additional_properties = d
        return image_reference_parameters

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


__all__ = ["ImageReferenceParameters"]
