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

T = TypeVar("T", bound="VideoRepaintingInput")


@_attrs_define
class VideoRepaintingInput:
    """
    Attributes:
        function (Literal['video_repainting']):  Default: 'video_repainting'.
        prompt (str): What the video should show, in Chinese or English. At most 800 characters are used;
            longer text is truncated.
        video_url (str): A publicly reachable http(s) URL without Chinese characters — no character of the Unicode
            Han script: the CJK ideographs of every block (U+3400–U+4DBF, U+4E00–U+9FFF, the
            supplementary planes U+20000–U+3FFFF), the compatibility ideographs (U+F900–U+FAFF) and
            the radicals (U+2E80–U+2FDF) — or an `oss://` URL from `GET /uploads`, whose key is the
            uploaded file's name in any script.
        ref_images_url (list[str] | None | Unset): One image of a subject to put in place of the subject of the input
            video.
        extend_prompt (bool | None | Unset): Deprecated input-level switch the official SDK always sends (`true`);
            ignored in favour of `parameters.prompt_extend`.
    """

    prompt: str
    video_url: str
    function: Literal["video_repainting"] = "video_repainting"
    ref_images_url: list[str] | None | Unset = UNSET
    extend_prompt: bool | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        function = self.function

        prompt = self.prompt

        video_url = self.video_url

        ref_images_url: list[str] | None | Unset
        if isinstance(self.ref_images_url, Unset):
            ref_images_url = UNSET
        elif isinstance(self.ref_images_url, list):
            ref_images_url = self.ref_images_url

        else:
            ref_images_url = self.ref_images_url

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
                "video_url": video_url,
            }
        )
        if ref_images_url is not UNSET:
            field_dict["ref_images_url"] = ref_images_url
        if extend_prompt is not UNSET:
            field_dict["extend_prompt"] = extend_prompt

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        function = cast(Literal["video_repainting"], d.pop("function"))
        if function != "video_repainting":
            raise ValueError(f"function must match const 'video_repainting', got '{function}'")

        prompt = d.pop("prompt")

        video_url = d.pop("video_url")

        def _parse_ref_images_url(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                ref_images_url_type_0 = cast(list[str], data)

                return ref_images_url_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        ref_images_url = _parse_ref_images_url(d.pop("ref_images_url", UNSET))

        def _parse_extend_prompt(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        extend_prompt = _parse_extend_prompt(d.pop("extend_prompt", UNSET))

        video_repainting_input = cls(
            function=function,
            prompt=prompt,
            video_url=video_url,
            ref_images_url=ref_images_url,
            extend_prompt=extend_prompt,
        )

        video_repainting_input.additional_properties = d
        return video_repainting_input

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


__all__ = ["VideoRepaintingInput"]
