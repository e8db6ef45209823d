from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.keyframe_to_video_request_model import KeyframeToVideoRequestModel

if TYPE_CHECKING:
    from ..models.keyframe_to_video_input import KeyframeToVideoInput
    from ..models.keyframe_to_video_parameters import KeyframeToVideoParameters


T = TypeVar("T", bound="KeyframeToVideoRequest")


@_attrs_define
class KeyframeToVideoRequest:
    """Image-to-video from a first and an optional last frame (`*-kf2v-*` models).

    Attributes:
        model (KeyframeToVideoRequestModel): A first/last-frame model; capabilities per model are in `x-wan-models`.
        input_ (KeyframeToVideoInput):
        parameters (KeyframeToVideoParameters):
    """

    model: KeyframeToVideoRequestModel
    input_: KeyframeToVideoInput
    parameters: KeyframeToVideoParameters
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        model = self.model.value

        input_ = self.input_.to_dict()

        parameters = self.parameters.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "model": model,
                "input": input_,
                "parameters": parameters,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.keyframe_to_video_input import KeyframeToVideoInput  # noqa: PLC0415
        from ..models.keyframe_to_video_parameters import KeyframeToVideoParameters  # noqa: PLC0415

        d = dict(src_dict)
        model = KeyframeToVideoRequestModel(d.pop("model"))

        input_ = KeyframeToVideoInput.from_dict(d.pop("input"))

        parameters = KeyframeToVideoParameters.from_dict(d.pop("parameters"))

        keyframe_to_video_request = cls(
            model=model,
            input_=input_,
            parameters=parameters,
        )

        keyframe_to_video_request.additional_properties = d
        return keyframe_to_video_request

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


__all__ = ["KeyframeToVideoRequest"]
