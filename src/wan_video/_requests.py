"""Request bodies from plain values, checked against the generated models.

Each variant is a generated request class with its model enum, input and parameters models. A
body is built as JSON from the values given: its field names must be fields of the generated
input or parameters model (so the layer names nothing the spec does not), ``None`` means "not
given", media fields go through :func:`~wan_video._media.media_value`, and a Wan-VACE input gets
the ``function`` its generated model pins. Values the enums do not hold (a new model, a size) are
sent as given — a model with an :class:`UnknownModelWarning` — and the service's answer decides.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import attrs

from wan_video_client.models import (
    ImageReferenceInput,
    ImageReferenceParameters,
    ImageReferenceRequest,
    ImageToVideoInput,
    ImageToVideoParameters,
    ImageToVideoRequest,
    ImageToVideoRequestModel,
    KeyframeToVideoInput,
    KeyframeToVideoParameters,
    KeyframeToVideoRequest,
    KeyframeToVideoRequestModel,
    TextToVideoInput,
    TextToVideoParameters,
    TextToVideoRequest,
    TextToVideoRequestModel,
    VaceModel,
    VideoEditInput,
    VideoEditParameters,
    VideoEditRequest,
    VideoExtensionInput,
    VideoExtensionParameters,
    VideoExtensionRequest,
    VideoOutpaintingInput,
    VideoOutpaintingParameters,
    VideoOutpaintingRequest,
    VideoRepaintingInput,
    VideoRepaintingParameters,
    VideoRepaintingRequest,
)

from ._media import media_value
from ._spec import SPEC

__all__ = ["VARIANTS", "GeneratedRequest", "Submission", "UnknownModelWarning", "Variant"]

#: A request model of the generated client, as ``submit()`` takes it.
GeneratedRequest = (
    TextToVideoRequest
    | ImageToVideoRequest
    | KeyframeToVideoRequest
    | ImageReferenceRequest
    | VideoRepaintingRequest
    | VideoEditRequest
    | VideoExtensionRequest
    | VideoOutpaintingRequest
)


class UnknownModelWarning(UserWarning):
    """A model name the generated client's enum for that variant does not hold; it is sent as
    given, and the service says whether it exists."""


@dataclass(frozen=True)
class Variant:
    """One request variant of the generated client."""

    request: type[GeneratedRequest]
    models: type[StrEnum]
    input: type[Any]
    parameters: type[Any]

    @property
    def schema(self) -> str:
        return self.request.__name__

    @property
    def function(self) -> str | None:
        """The ``input.function`` a Wan-VACE input model pins (its default), else ``None``."""
        pinned = attrs.fields_dict(self.input)["function"].default
        return pinned if isinstance(pinned, str) else None


VARIANTS: Mapping[str, Variant] = {
    "text_to_video": Variant(
        TextToVideoRequest, TextToVideoRequestModel, TextToVideoInput, TextToVideoParameters
    ),
    "image_to_video": Variant(
        ImageToVideoRequest, ImageToVideoRequestModel, ImageToVideoInput, ImageToVideoParameters
    ),
    "first_last_frame": Variant(
        KeyframeToVideoRequest,
        KeyframeToVideoRequestModel,
        KeyframeToVideoInput,
        KeyframeToVideoParameters,
    ),
    "image_reference": Variant(
        ImageReferenceRequest, VaceModel, ImageReferenceInput, ImageReferenceParameters
    ),
    "video_repainting": Variant(
        VideoRepaintingRequest, VaceModel, VideoRepaintingInput, VideoRepaintingParameters
    ),
    "video_edit": Variant(VideoEditRequest, VaceModel, VideoEditInput, VideoEditParameters),
    "video_extension": Variant(
        VideoExtensionRequest, VaceModel, VideoExtensionInput, VideoExtensionParameters
    ),
    "video_outpainting": Variant(
        VideoOutpaintingRequest, VaceModel, VideoOutpaintingInput, VideoOutpaintingParameters
    ),
}


def _given(values: Mapping[str, Any], model: type[Any], part: str) -> dict[str, Any]:
    fields = attrs.fields_dict(model)
    unknown = sorted(set(values) - set(fields))
    if unknown:
        raise TypeError(f"{model.__name__} has no field {', '.join(unknown)} ({part})")
    return {name: value for name, value in values.items() if value is not None}


@dataclass(frozen=True)
class Submission:
    """A body ready to send and the operation that takes it."""

    schema: str
    body: Mapping[str, Any]

    @property
    def operation(self) -> str:
        return SPEC.requests[self.schema].operation

    @classmethod
    def build(
        cls,
        variant: str,
        model: str,
        input: Mapping[str, Any],
        parameters: Mapping[str, Any],
    ) -> Submission:
        shape = VARIANTS[variant]
        known = {member.value for member in shape.models}
        if model not in known:
            warnings.warn(
                f"{model!r} is not a {variant} model the generated client knows "
                f"({', '.join(sorted(known))}); it is sent as given",
                UnknownModelWarning,
                stacklevel=3,
            )
        media = SPEC.requests[shape.schema].media
        given = _given(input, shape.input, "input")
        for name, value in given.items():
            if name in media:
                given[name] = media_value(value, f"input.{name}", media[name])
        if shape.function is not None:
            given["function"] = shape.function
        body = {
            "model": str(model),
            "input": given,
            "parameters": _given(parameters, shape.parameters, "parameters"),
        }
        return cls(shape.schema, body)

    @classmethod
    def of(cls, request: GeneratedRequest) -> Submission:
        """A generated request model as it is (its ``to_dict()``)."""
        return cls(type(request).__name__, request.to_dict())
