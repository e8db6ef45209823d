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

T = TypeVar("T", bound="VideoOutpaintingInput")


@_attrs_define
class VideoOutpaintingInput:
    """
    Attributes:
        function (Literal['video_outpainting']):  Default: 'video_outpainting'.
        prompt (str): What the video should show, in Chinese or English. At most 800 characters are used;
            longer text is truncated.
        video_url (str): A publicly reachable http(s) URL without Chinese characters — no character of the Unicode
            Han script: the CJK ideographs of every block (U+3400–U+4DBF, U+4E00–U+9FFF, the
            supplementary planes U+20000–U+3FFFF), the compatibility ideographs (U+F900–U+FAFF) and
            the radicals (U+2E80–U+2FDF) — or an `oss://` URL from `GET /uploads`, whose key is the
            uploaded file's name in any script.
        extend_prompt (bool | None | Unset): Deprecated input-level switch the official SDK always sends (`true`);
            ignored in favour of `parameters.prompt_extend`.
    """

    prompt: str
    video_url: str
    function: Literal["video_outpainting"] = "video_outpainting"
    extend_prompt: bool | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        function = self.function

        prompt = self.prompt

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
                "video_url": video_url,
            }
        )
        if extend_prompt is not UNSET:
            field_dict["extend_prompt"] = extend_prompt

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        function = cast(Literal["video_outpainting"], d.pop("function"))
        if function != "video_outpainting":
            raise ValueError(f"function must match const 'video_outpainting', got '{function}'")

        prompt = d.pop("prompt")

        video_url = d.pop("video_url")

        def _parse_extend_prompt(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        extend_prompt = _parse_extend_prompt(d.pop("extend_prompt", UNSET))

        video_outpainting_input = cls(
            function=function,
            prompt=prompt,
            video_url=video_url,
            extend_prompt=extend_prompt,
        )

        video_outpainting_input.additional_properties = d
        return video_outpainting_input

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


__all__ = ["VideoOutpaintingInput"]
