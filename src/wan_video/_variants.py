"""One method per documented request variant, shared by :class:`~wan_video.WanClient` (each
returns a :class:`~wan_video.Task`) and :class:`~wan_video.AsyncWanClient` (each returns an
awaitable of one): the methods build a :class:`~wan_video._requests.Submission` and hand it to the
client's ``_submit``.

Values are plain Python values or the generated client's enum members (``VideoSize.S1280X720``
and ``"1280*720"`` are the same). ``None`` leaves a field out, so the service's default applies.
Image fields that may be inline (``img_url``, ``first_frame_url``, ``last_frame_url``) also take a
local file, sent as a ``data:`` URI; the other media fields take URLs.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Generic, TypedDict, TypeVar, Unpack

from wan_video_client.models import (
    ImageToVideoRequestModel,
    KeyframeToVideoRequestModel,
    TextToVideoRequestModel,
    VaceModel,
)

from ._requests import GeneratedRequest, Submission

__all__ = ["DEFAULT_MODELS", "Image", "VariantOptions", "Variants"]

R = TypeVar("R")

#: An inline-capable image: a URL, or a local file (a path, or a string naming one).
Image = str | os.PathLike[str]

#: Each variant's model when ``model=`` is not given (Wan-VACE: ``vace_model`` of the region).
DEFAULT_MODELS = {
    "text_to_video": TextToVideoRequestModel.WAN2_5_T2V_PREVIEW,
    "image_to_video": ImageToVideoRequestModel.WAN2_5_I2V_PREVIEW,
    "first_last_frame": KeyframeToVideoRequestModel.WAN2_2_KF2V_FLASH,
}
#: The Wan-VACE model's name per region (Beijing names it ``wanx2.1-…``).
VACE_MODELS = {"cn": VaceModel.WANX2_1_VACE_PLUS}


class VariantOptions(TypedDict, total=False):
    """The parameters every variant has."""

    #: Seconds of video (the model's default when left out).
    duration: int | None
    #: Let a language model rewrite the prompt (the variant's default when left out).
    prompt_extend: bool | None
    #: The random seed, in [0, 2147483647].
    seed: int | None
    #: Add an "AI-generated" mark.
    watermark: bool | None


def _list(values: Sequence[str] | None) -> list[str] | None:
    return None if values is None else list(values)


class Variants(Generic[R]):
    #: The region the client talks to (``None``: a ``base_url`` of its own).
    region: str | None

    def _submit(self, submission: Submission) -> R:
        raise NotImplementedError

    @property
    def vace_model(self) -> str:
        """The Wan-VACE model name of this client's region."""
        return VACE_MODELS.get(self.region or "", VaceModel.WAN2_1_VACE_PLUS)

    def submit(self, request: GeneratedRequest) -> R:
        """Submit a request model of the generated client as it is (its ``to_dict()``)."""
        return self._submit(Submission.of(request))

    def text_to_video(
        self,
        prompt: str,
        *,
        model: str = DEFAULT_MODELS["text_to_video"],
        size: str | None = None,
        negative_prompt: str | None = None,
        audio_url: str | None = None,
        audio: bool | None = None,
        **options: Unpack[VariantOptions],
    ) -> R:
        """Text-to-video: ``size`` is ``"W*H"`` (the model's default when left out)."""
        return self._submit(
            Submission.build(
                "text_to_video",
                model,
                {"prompt": prompt, "negative_prompt": negative_prompt, "audio_url": audio_url},
                {"size": size, "audio": audio, **options},
            )
        )

    def image_to_video(
        self,
        img_url: Image,
        prompt: str | None = None,
        *,
        model: str = DEFAULT_MODELS["image_to_video"],
        resolution: str | None = None,
        negative_prompt: str | None = None,
        audio_url: str | None = None,
        template: str | None = None,
        audio: bool | None = None,
        **options: Unpack[VariantOptions],
    ) -> R:
        """Image-to-video from a first frame; ``resolution`` is ``480P``, ``720P`` or
        ``1080P``; a ``template`` (an effect) makes the prompt ignored."""
        return self._submit(
            Submission.build(
                "image_to_video",
                model,
                {
                    "img_url": img_url,
                    "prompt": prompt,
                    "negative_prompt": negative_prompt,
                    "audio_url": audio_url,
                    "template": template,
                },
                {"resolution": resolution, "audio": audio, **options},
            )
        )

    def first_last_frame(
        self,
        first_frame_url: Image,
        last_frame_url: Image | None = None,
        prompt: str | None = None,
        *,
        model: str = DEFAULT_MODELS["first_last_frame"],
        resolution: str | None = None,
        negative_prompt: str | None = None,
        template: str | None = None,
        **options: Unpack[VariantOptions],
    ) -> R:
        """Image-to-video from a first and an optional last frame (the keyframe variant,
        submitted on its own path)."""
        return self._submit(
            Submission.build(
                "first_last_frame",
                model,
                {
                    "first_frame_url": first_frame_url,
                    "last_frame_url": last_frame_url,
                    "prompt": prompt,
                    "negative_prompt": negative_prompt,
                    "template": template,
                },
                {"resolution": resolution, **options},
            )
        )

    def image_reference(
        self,
        prompt: str,
        ref_images_url: str | Sequence[str],
        *,
        model: str | None = None,
        obj_or_bg: Sequence[str] | None = None,
        size: str | None = None,
        **options: Unpack[VariantOptions],
    ) -> R:
        """Wan-VACE ``image_reference``: a video from 1 to 3 reference images; ``obj_or_bg`` gives
        each image's role (``obj`` or ``bg``), in order."""
        return self._submit(
            Submission.build(
                "image_reference",
                model or self.vace_model,
                {"prompt": prompt, "ref_images_url": ref_images_url},
                {"obj_or_bg": _list(obj_or_bg), "size": size, **options},
            )
        )

    def video_repainting(
        self,
        prompt: str,
        video_url: str,
        control_condition: str,
        *,
        model: str | None = None,
        ref_images_url: str | Sequence[str] | None = None,
        strength: float | None = None,
        **options: Unpack[VariantOptions],
    ) -> R:
        """Wan-VACE ``video_repainting``: a new video keeping the input's ``control_condition``
        (``posebodyface``, ``posebody``, ``depth`` or ``scribble``)."""
        return self._submit(
            Submission.build(
                "video_repainting",
                model or self.vace_model,
                {"prompt": prompt, "video_url": video_url, "ref_images_url": ref_images_url},
                {"control_condition": control_condition, "strength": strength, **options},
            )
        )

    def video_edit(
        self,
        prompt: str,
        video_url: str,
        *,
        model: str | None = None,
        mask_image_url: str | None = None,
        mask_frame_id: int | None = None,
        mask_video_url: str | None = None,
        ref_images_url: str | Sequence[str] | None = None,
        control_condition: str | None = None,
        mask_type: str | None = None,
        expand_ratio: float | None = None,
        expand_mode: str | None = None,
        size: str | None = None,
        **options: Unpack[VariantOptions],
    ) -> R:
        """Wan-VACE ``video_edit``: change the area of the video a mask marks (exactly one of
        ``mask_image_url`` and ``mask_video_url``)."""
        return self._submit(
            Submission.build(
                "video_edit",
                model or self.vace_model,
                {
                    "prompt": prompt,
                    "video_url": video_url,
                    "mask_image_url": mask_image_url,
                    "mask_frame_id": mask_frame_id,
                    "mask_video_url": mask_video_url,
                    "ref_images_url": ref_images_url,
                },
                {
                    "control_condition": control_condition,
                    "mask_type": mask_type,
                    "expand_ratio": expand_ratio,
                    "expand_mode": expand_mode,
                    "size": size,
                    **options,
                },
            )
        )

    def video_extension(
        self,
        prompt: str,
        *,
        model: str | None = None,
        first_frame_url: str | None = None,
        last_frame_url: str | None = None,
        first_clip_url: str | None = None,
        last_clip_url: str | None = None,
        video_url: str | None = None,
        control_condition: str | None = None,
        **options: Unpack[VariantOptions],
    ) -> R:
        """Wan-VACE ``video_extension``: a video continuing from frames and/or clips (at least
        one), optionally following a reference ``video_url``'s motion (then
        ``control_condition`` is needed)."""
        return self._submit(
            Submission.build(
                "video_extension",
                model or self.vace_model,
                {
                    "prompt": prompt,
                    "first_frame_url": first_frame_url,
                    "last_frame_url": last_frame_url,
                    "first_clip_url": first_clip_url,
                    "last_clip_url": last_clip_url,
                    "video_url": video_url,
                },
                {"control_condition": control_condition, **options},
            )
        )

    def video_outpainting(
        self,
        prompt: str,
        video_url: str,
        *,
        model: str | None = None,
        top_scale: float | None = None,
        bottom_scale: float | None = None,
        left_scale: float | None = None,
        right_scale: float | None = None,
        **options: Unpack[VariantOptions],
    ) -> R:
        """Wan-VACE ``video_outpainting``: widen the frame; each scale in [1.0, 2.0]."""
        return self._submit(
            Submission.build(
                "video_outpainting",
                model or self.vace_model,
                {"prompt": prompt, "video_url": video_url},
                {
                    "top_scale": top_scale,
                    "bottom_scale": bottom_scale,
                    "left_scale": left_scale,
                    "right_scale": right_scale,
                    **options,
                },
            )
        )
