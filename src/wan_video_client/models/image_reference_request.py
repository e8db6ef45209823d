from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.vace_model import VaceModel
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.image_reference_input import ImageReferenceInput
    from ..models.image_reference_parameters import ImageReferenceParameters


T = TypeVar("T", bound="ImageReferenceRequest")


@_attrs_define
class ImageReferenceRequest:
    """Wan-VACE multi-image reference — a video that combines subjects and a background from 1–3 images.

    Attributes:
        model (VaceModel): The Wan-VACE model (`wan2.1-vace-plus` in Singapore, `wanx2.1-vace-plus` in Beijing).
        input_ (ImageReferenceInput):
        parameters (ImageReferenceParameters | None | Unset):
    """

    model: VaceModel
    input_: ImageReferenceInput
    parameters: ImageReferenceParameters | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.image_reference_parameters import ImageReferenceParameters  # noqa: PLC0415

        model = self.model.value

        input_ = self.input_.to_dict()

        parameters: dict[str, Any] | None | Unset
        if isinstance(self.parameters, Unset):
            parameters = UNSET
        elif isinstance(self.parameters, ImageReferenceParameters):
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
        from ..models.image_reference_input import ImageReferenceInput  # noqa: PLC0415
        from ..models.image_reference_parameters import ImageReferenceParameters  # noqa: PLC0415

        d = dict(src_dict)
        model = VaceModel(d.pop("model"))

        input_ = ImageReferenceInput.from_dict(d.pop("input"))

        def _parse_parameters(data: object) -> ImageReferenceParameters | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                parameters_type_0 = ImageReferenceParameters.from_dict(data)

                return parameters_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ImageReferenceParameters | None | Unset, data)

        parameters = _parse_parameters(d.pop("parameters", UNSET))

        image_reference_request = cls(
            model=model,
            input_=input_,
            parameters=parameters,
        )

        image_reference_request.additional_properties = d
        return image_reference_request

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


__all__ = ["ImageReferenceRequest"]
