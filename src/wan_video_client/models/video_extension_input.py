from __future__ import annotations

from collections.abc import Mapping
from typing import (
    Any,
    Literal,
    TypeVar,
    cast,
)

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="VideoExtensionInput")


@_attrs_define
class VideoExtensionInput:
    """
    Attributes:
        function (Literal['video_extension']):  Default: 'video_extension'.
        prompt (str): What the video should show, in Chinese or English. At most 800 characters are used;
            longer text is truncated.
        first_frame_url (None | str | Unset): An image to start from.
        last_frame_url (None | str | Unset): An image to end on.
        first_clip_url (None | str | Unset): An MP4 clip (16 fps or more, at most 50 MB) to continue from. Only its
            first 3 seconds
            are used; with `last_clip_url`, the two together may not exceed 3 seconds.
        last_clip_url (None | str | Unset): An MP4 clip to lead into; same limits as `first_clip_url`.
        video_url (None | str | Unset): A reference video whose motion the extension follows; needs
            `parameters.control_condition`.
        extend_prompt (bool | None | Unset): Deprecated input-level switch the official SDK always sends (`true`);
            ignored in favour of `parameters.prompt_extend`.
    """

    prompt: str
    function: Literal["video_extension"] = "video_extension"
    first_frame_url: None | str | Unset = UNSET
    last_frame_url: None | str | Unset = UNSET
    first_clip_url: None | str | Unset = UNSET
    last_clip_url: None | str | Unset = UNSET
    video_url: None | str | Unset = UNSET
    extend_prompt: bool | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        function = self.function

        prompt = self.prompt

        first_frame_url: None | str | Unset
        if isinstance(self.first_frame_url, Unset):
            first_frame_url = UNSET
        else:
            first_frame_url = self.first_frame_url

        last_frame_url: None | str | Unset
        if isinstance(self.last_frame_url, Unset):
            last_frame_url = UNSET
        else:
            last_frame_url = self.last_frame_url

        first_clip_url: None | str | Unset
        if isinstance(self.first_clip_url, Unset):
            first_clip_url = UNSET
        else:
            first_clip_url = self.first_clip_url

        last_clip_url: None | str | Unset
        if isinstance(self.last_clip_url, Unset):
            last_clip_url = UNSET
        else:
            last_clip_url = self.last_clip_url

        video_url: None | str | Unset
        if isinstance(self.video_url, Unset):
            video_url = UNSET
        else:
            video_url = self.video_url

        extend_prompt: bool | None | Unset
        if isinstance(self.extend_prompt, Unset):
            extend_prompt = UNSET
        else:
            extend_prompt = self.extend_prompt

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "function": function,
                "prompt": prompt,
            }
        )
        if first_frame_url is not UNSET:
            field_dict["first_frame_url"] = first_frame_url
        if last_frame_url is not UNSET:
            field_dict["last_frame_url"] = last_frame_url
        if first_clip_url is not UNSET:
            field_dict["first_clip_url"] = first_clip_url
        if last_clip_url is not UNSET:
            field_dict["last_clip_url"] = last_clip_url
        if video_url is not UNSET:
            field_dict["video_url"] = video_url
        if extend_prompt is not UNSET:
            field_dict["extend_prompt"] = extend_prompt

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        function = cast(Literal["video_extension"], d.pop("function"))
        if function != "video_extension":
            raise ValueError(f"function must match const 'video_extension', got '{function}'")

        prompt = d.pop("prompt")

        def _parse_first_frame_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        first_frame_url = _parse_first_frame_url(d.pop("first_frame_url", UNSET))

        def _parse_last_frame_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        last_frame_url = _parse_last_frame_url(d.pop("last_frame_url", UNSET))

        def _parse_first_clip_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        first_clip_url = _parse_first_clip_url(d.pop("first_clip_url", UNSET))

        def _parse_last_clip_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        last_clip_url = _parse_last_clip_url(d.pop("last_clip_url", UNSET))

        def _parse_video_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        video_url = _parse_video_url(d.pop("video_url", UNSET))

        def _parse_extend_prompt(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        extend_prompt = _parse_extend_prompt(d.pop("extend_prompt", UNSET))

        video_extension_input = cls(
            function=function,
            prompt=prompt,
            first_frame_url=first_frame_url,
            last_frame_url=last_frame_url,
            first_clip_url=first_clip_url,
            last_clip_url=last_clip_url,
            video_url=video_url,
            extend_prompt=extend_prompt,
        )

        video_extension_input.additional_properties = d
        return video_extension_input

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


__all__ = ["VideoExtensionInput"]
