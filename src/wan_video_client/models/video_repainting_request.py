from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.vace_model import VaceModel

if TYPE_CHECKING:
    from ..models.video_repainting_input import VideoRepaintingInput
    from ..models.video_repainting_parameters import VideoRepaintingParameters


T = TypeVar("T", bound="VideoRepaintingRequest")


@_attrs_define
class VideoRepaintingRequest:
    """Wan-VACE video repainting — a new video that keeps the motion, pose, depth or line art of the input video.

    Attributes:
        model (VaceModel): The Wan-VACE model (`wan2.1-vace-plus` in Singapore, `wanx2.1-vace-plus` in Beijing).
        input_ (VideoRepaintingInput):
        parameters (VideoRepaintingParameters):
    """

    model: VaceModel
    input_: VideoRepaintingInput
    parameters: VideoRepaintingParameters
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
        from ..models.video_repainting_input import VideoRepaintingInput  # noqa: PLC0415
        from ..models.video_repainting_parameters import VideoRepaintingParameters  # noqa: PLC0415

        d = dict(src_dict)
        model = VaceModel(d.pop("model"))

        input_ = VideoRepaintingInput.from_dict(d.pop("input"))

        parameters = VideoRepaintingParameters.from_dict(d.pop("parameters"))

        video_repainting_request = cls(
            model=model,
            input_=input_,
            parameters=parameters,
        )

        video_repainting_request.additional_properties = d
        return video_repainting_request

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


__all__ = ["VideoRepaintingRequest"]
