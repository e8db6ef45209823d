from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.vace_model import VaceModel
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.video_extension_input import VideoExtensionInput
    from ..models.video_extension_parameters import VideoExtensionParameters


T = TypeVar("T", bound="VideoExtensionRequest")


@_attrs_define
class VideoExtensionRequest:
    """Wan-VACE video extension — a 5-second video continuing from frames and/or clips, optionally
    following the motion of a reference video.

        Attributes:
            model (VaceModel): The Wan-VACE model (`wan2.1-vace-plus` in Singapore, `wanx2.1-vace-plus` in Beijing).
            input_ (VideoExtensionInput):
            parameters (None | Unset | VideoExtensionParameters):
    """

    model: VaceModel
    input_: VideoExtensionInput
    parameters: None | Unset | VideoExtensionParameters = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.video_extension_parameters import VideoExtensionParameters  # noqa: PLC0415

        model = self.model.value

        input_ = self.input_.to_dict()

        parameters: dict[str, Any] | None | Unset
        if isinstance(self.parameters, Unset):
            parameters = UNSET
        elif isinstance(self.parameters, VideoExtensionParameters):
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
        from ..models.video_extension_input import VideoExtensionInput  # noqa: PLC0415
        from ..models.video_extension_parameters import VideoExtensionParameters  # noqa: PLC0415

        d = dict(src_dict)
        model = VaceModel(d.pop("model"))

        input_ = VideoExtensionInput.from_dict(d.pop("input"))

        def _parse_parameters(data: object) -> None | Unset | VideoExtensionParameters:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                parameters_type_0 = VideoExtensionParameters.from_dict(data)

                return parameters_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | VideoExtensionParameters, data)

        parameters = _parse_parameters(d.pop("parameters", UNSET))

        video_extension_request = cls(
            model=model,
            input_=input_,
            parameters=parameters,
        )

        video_extension_request.additional_properties = d
        return video_extension_request

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


__all__ = ["VideoExtensionRequest"]
