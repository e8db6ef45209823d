from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

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
        parameters (None | TextToVideoParameters | Unset):
    """

    model: TextToVideoRequestModel
    input_: TextToVideoInput
    parameters: None | TextToVideoParameters | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.text_to_video_parameters import TextToVideoParameters  # noqa: PLC0415

        model = self.model.value

        input_ = self.input_.to_dict()

        parameters: dict[str, Any] | None | Unset
        if isinstance(self.parameters, Unset):
            parameters = UNSET
        elif isinstance(self.parameters, TextToVideoParameters):
            parameters = self.parameters.to_dict()
        else:
            parameters = self.parameters

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

        def _parse_parameters(data: object) -> None | TextToVideoParameters | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                parameters_type_0 = TextToVideoParameters.from_dict(data)

                return parameters_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TextToVideoParameters | Unset, data)

        parameters = _parse_parameters(d.pop("parameters", UNSET))

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


__all__ = ["TextToVideoRequest"]
