from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.expand_mode import ExpandMode
from ..models.mask_type import MaskType
from ..models.optional_control_condition import OptionalControlCondition
from ..models.video_duration import VideoDuration
from ..models.video_size import VideoSize
from ..types import UNSET, Unset

T = TypeVar("T", bound="VideoEditParameters")


@_attrs_define
class VideoEditParameters:
    """
    Attributes:
        control_condition (None | OptionalControlCondition | Unset): Optional feature extraction from the input video:
            `posebodyface` (body motion and
            facial expression), `depth` (composition and motion contours), or `""` (the default) for
            none. For video_extension it is required when `input.video_url` is given.
        mask_type (MaskType | None | Unset): With `mask_image_url` only: `tracking` (the default) makes the edited area
            follow the
            object, `fixed` keeps it in place.
        expand_ratio (float | None | Unset): With `mask_type` tracking only — how far the mask grows around the object,
            in [0.0, 1.0].
        expand_mode (ExpandMode | None | Unset): With `mask_type` tracking only — the mask shape: `hull` (a polygon
            around the object, the
            default), `bbox` (a rectangle) or `original` (the object's own outline).
        size (None | Unset | VideoSize): Output `width*height`, 1280*720 when left out. Wan-VACE offers the 720P sizes
            only:
            1280*720 (16:9), 720*1280 (9:16), 960*960 (1:1), 832*1088 (3:4), 1088*832 (4:3).
        duration (None | Unset | VideoDuration): Video length in seconds, 5 when left out. Wan-VACE and the first/last-
            frame models offer
            only 5; the lengths of every model are in `x-wan-models`.
        prompt_extend (bool | None | Unset): Lets a language model rewrite the prompt before generation. Off by default
            for video
            editing: a rewrite that drifts from the input video confuses the model.
        seed (int | None | Unset): Random seed in [0, 2147483647]. Omitted, the service picks one. The same seed makes
            results more alike but does not guarantee identical videos.
        watermark (bool | None | Unset): Adds an "AI-generated" mark in the lower-right corner when true.
    """

    control_condition: None | OptionalControlCondition | Unset = UNSET
    mask_type: MaskType | None | Unset = UNSET
    expand_ratio: float | None | Unset = UNSET
    expand_mode: ExpandMode | None | Unset = UNSET
    size: None | Unset | VideoSize = UNSET
    duration: None | Unset | VideoDuration = UNSET
    prompt_extend: bool | None | Unset = UNSET
    seed: int | None | Unset = UNSET
    watermark: bool | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        control_condition: None | str | Unset
        if isinstance(self.control_condition, Unset):
            control_condition = UNSET
        elif isinstance(self.control_condition, OptionalControlCondition):
            control_condition = self.control_condition.value
        else:
            control_condition = self.control_condition

        mask_type: None | str | Unset
        if isinstance(self.mask_type, Unset):
            mask_type = UNSET
        elif isinstance(self.mask_type, MaskType):
            mask_type = self.mask_type.value
        else:
            mask_type = self.mask_type

        expand_ratio: float | None | Unset
        if isinstance(self.expand_ratio, Unset):
            expand_ratio = UNSET
        else:
            expand_ratio = self.expand_ratio

        expand_mode: None | str | Unset
        if isinstance(self.expand_mode, Unset):
            expand_mode = UNSET
        elif isinstance(self.expand_mode, ExpandMode):
            expand_mode = self.expand_mode.value
        else:
            expand_mode = self.expand_mode

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
        if control_condition is not UNSET:
            field_dict["control_condition"] = control_condition
        if mask_type is not UNSET:
            field_dict["mask_type"] = mask_type
        if expand_ratio is not UNSET:
            field_dict["expand_ratio"] = expand_ratio
        if expand_mode is not UNSET:
            field_dict["expand_mode"] = expand_mode
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

        def _parse_control_condition(data: object) -> None | OptionalControlCondition | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                componentsschemas_optional_control_condition_option_type_0 = OptionalControlCondition(data)

                return componentsschemas_optional_control_condition_option_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | OptionalControlCondition | Unset, data)

        control_condition = _parse_control_condition(d.pop("control_condition", UNSET))

        def _parse_mask_type(data: object) -> MaskType | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                componentsschemas_mask_type_option_type_0 = MaskType(data)

                return componentsschemas_mask_type_option_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(MaskType | None | Unset, data)

        mask_type = _parse_mask_type(d.pop("mask_type", UNSET))

        def _parse_expand_ratio(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        expand_ratio = _parse_expand_ratio(d.pop("expand_ratio", UNSET))

        def _parse_expand_mode(data: object) -> ExpandMode | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                componentsschemas_expand_mode_option_type_0 = ExpandMode(data)

                return componentsschemas_expand_mode_option_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ExpandMode | None | Unset, data)

        expand_mode = _parse_expand_mode(d.pop("expand_mode", UNSET))

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

        video_edit_parameters = cls(
            control_condition=control_condition,
            mask_type=mask_type,
            expand_ratio=expand_ratio,
            expand_mode=expand_mode,
            size=size,
            duration=duration,
            prompt_extend=prompt_extend,
            seed=seed,
            watermark=watermark,
        )

        video_edit_parameters.additional_properties = d
        return video_edit_parameters

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


__all__ = ["VideoEditParameters"]
