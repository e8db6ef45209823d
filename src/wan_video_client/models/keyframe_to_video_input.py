from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.sdk_function_name import SdkFunctionName
from ..types import UNSET, Unset

T = TypeVar("T", bound="KeyframeToVideoInput")


@_attrs_define
class KeyframeToVideoInput:
    """
    Attributes:
        first_frame_url (str): An image as a public http(s) URL (no Chinese characters), an `oss://` URL from
            `GET /uploads`, or inline as `data:{MIME type};base64,{data}`. Formats JPEG, JPG, PNG
            (no alpha channel), BMP, WEBP; each side in [360, 2000] pixels; at most 10 MB.
        last_frame_url (None | str | Unset): The frame to end on; ignored when a template is given.
        prompt (None | str | Unset): What the video should show. Longer text than the model's limit (`x-wan-models`,
            `prompt_max_length`) is truncated, not refused.
        negative_prompt (None | str | Unset): What the video should avoid. At most 500 characters are used; longer text
            is truncated.
        template (None | str | Unset): A first/last-frame effect template (`hanfu-1`, `solaron`, `magazine`, `mech1`,
            `mech2`); with a template, `last_frame_url` is ignored.
        function (None | SdkFunctionName | Unset): The official SDK always sends `function: "video-synthesis"` unless a
            VACE function is given;
            for the non-VACE variants it means "no function" and is accepted.
        extend_prompt (bool | None | Unset): Deprecated input-level switch the official SDK always sends (`true`);
            ignored in favour of `parameters.prompt_extend`.
    """

    first_frame_url: str
    last_frame_url: None | str | Unset = UNSET
    prompt: None | str | Unset = UNSET
    negative_prompt: None | str | Unset = UNSET
    template: None | str | Unset = UNSET
    function: None | SdkFunctionName | Unset = UNSET
    extend_prompt: bool | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        first_frame_url: str
        first_frame_url = self.first_frame_url

        last_frame_url: None | str | Unset
        if isinstance(self.last_frame_url, Unset):
            last_frame_url = UNSET
        else:
            last_frame_url = self.last_frame_url

        prompt: None | str | Unset
        if isinstance(self.prompt, Unset):
            prompt = UNSET
        else:
            prompt = self.prompt

        negative_prompt: None | str | Unset
        if isinstance(self.negative_prompt, Unset):
            negative_prompt = UNSET
        else:
            negative_prompt = self.negative_prompt

        template: None | str | Unset
        if isinstance(self.template, Unset):
            template = UNSET
        else:
            template = self.template

        function: None | str | Unset
        if isinstance(self.function, Unset):
            function = UNSET
        elif isinstance(self.function, SdkFunctionName):
            function = self.function.value
        else:
            function = self.function

        extend_prompt: bool | None | Unset
        if isinstance(self.extend_prompt, Unset):
            extend_prompt = UNSET
        else:
            extend_prompt = self.extend_prompt

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "first_frame_url": first_frame_url,
            }
        )
        if last_frame_url is not UNSET:
            field_dict["last_frame_url"] = last_frame_url
        if prompt is not UNSET:
            field_dict["prompt"] = prompt
        if negative_prompt is not UNSET:
            field_dict["negative_prompt"] = negative_prompt
        if template is not UNSET:
            field_dict["template"] = template
        if function is not UNSET:
            field_dict["function"] = function
        if extend_prompt is not UNSET:
            field_dict["extend_prompt"] = extend_prompt

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_first_frame_url(data: object) -> str:
            return cast(str, data)

        first_frame_url = _parse_first_frame_url(d.pop("first_frame_url"))

        def _parse_last_frame_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        last_frame_url = _parse_last_frame_url(d.pop("last_frame_url", UNSET))

        def _parse_prompt(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        prompt = _parse_prompt(d.pop("prompt", UNSET))

        def _parse_negative_prompt(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        negative_prompt = _parse_negative_prompt(d.pop("negative_prompt", UNSET))

        def _parse_template(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        template = _parse_template(d.pop("template", UNSET))

        def _parse_function(data: object) -> None | SdkFunctionName | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                componentsschemas_sdk_function_type_0 = SdkFunctionName(data)

                return componentsschemas_sdk_function_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | SdkFunctionName | Unset, data)

        function = _parse_function(d.pop("function", UNSET))

        def _parse_extend_prompt(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        extend_prompt = _parse_extend_prompt(d.pop("extend_prompt", UNSET))

        keyframe_to_video_input = cls(
            first_frame_url=first_frame_url,
            last_frame_url=last_frame_url,
            prompt=prompt,
            negative_prompt=negative_prompt,
            template=template,
            function=function,
            extend_prompt=extend_prompt,
        )

        keyframe_to_video_input.additional_properties = d
        return keyframe_to_video_input

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


__all__ = ["KeyframeToVideoInput"]
