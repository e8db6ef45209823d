from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.text_to_video_request_model import TextToVideoRequestModel
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.text_to_video_input import TextToVideoInput
    from ..models.text_to_video_parameters import TextToVideoParameters


T = TypeVar("T", bound="TextToVideoRequest")


@_attrs_define
class TextToVideoRequest:
    """Text-to-video (`*-t2v-*` models).

    Attributes:
        model (TextToVideoRequestModel): A text-to-video model; capabilities per model are in `x-wan-models`.
        input_ (TextToVideoInput):
        parameters (TextToVideoParameters | Unset):
    """

    model: TextToVideoRequestModel
    input_: TextToVideoInput
    parameters: TextToVideoParameters | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        model = self.model.value

        input_ = self.input_.to_dict()

        parameters: dict[str, Any] | Unset = UNSET
        if not isinstance(self.parameters, Unset):
            parameters = self.parameters.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "model": model,
                "input": input_,
            }
        )
        if parameters is not UNSET:
            field_dict["parameters"] = parameters

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.text_to_video_input import TextToVideoInput  # noqa: PLC0415
        from ..models.text_to_video_parameters import TextToVideoParameters  # noqa: PLC0415

        d = dict(src_dict)
        model = TextToVideoRequestModel(d.pop("model"))

        input_ = TextToVideoInput.from_dict(d.pop("input"))

        _parameters = d.pop("parameters", UNSET)
        parameters: TextToVideoParameters | Unset
        if isinstance(_parameters, Unset):
            parameters = UNSET
        else:
            parameters = TextToVideoParameters.from_dict(_parameters)

        text_to_video_request = cls(
            model=model,
            input_=input_,
            parameters=parameters,
        )

        text_to_video_request.additional_properties = d
        return text_to_video_request

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
