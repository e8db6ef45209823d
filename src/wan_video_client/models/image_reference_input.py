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

T = TypeVar("T", bound="ImageReferenceInput")


@_attrs_define
class ImageReferenceInput:
    """
    Attributes:
        function (Literal['image_reference']):  Default: 'image_reference'.
        prompt (str): What the video should show, in Chinese or English. At most 800 characters are used;
            longer text is truncated.
        ref_images_url (list[str]):
        extend_prompt (bool | None | Unset): Deprecated input-level switch the official SDK always sends (`true`);
            ignored in favour of `parameters.prompt_extend`.
    """

    prompt: str
    ref_images_url: list[str]
    function: Literal["image_reference"] = "image_reference"
    extend_prompt: bool | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        function = self.function

        prompt = self.prompt

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
                "ref_images_url": ref_images_url,
            }
        )
        if extend_prompt is not UNSET:
            field_dict["extend_prompt"] = extend_prompt

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        function = cast(Literal["image_reference"], d.pop("function"))
        if function != "image_reference":
            raise ValueError(f"function must match const 'image_reference', got '{function}'")

        prompt = d.pop("prompt")

        ref_images_url = cast(list[str], d.pop("ref_images_url"))

        def _parse_extend_prompt(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        extend_prompt = _parse_extend_prompt(d.pop("extend_prompt", UNSET))

        image_reference_input = cls(
            function=function,
            prompt=prompt,
            ref_images_url=ref_images_url,
            extend_prompt=extend_prompt,
        )

        image_reference_input.additional_properties = d
        return image_reference_input

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


__all__ = ["ImageReferenceInput"]
