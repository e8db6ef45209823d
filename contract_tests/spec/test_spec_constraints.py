"""The spec's constraints bite (issue 2, part 7): out-of-range, unknown, malformed and missing
values are refused, each cross-field rule by the subschema tagged with its ``x-rule`` id, and
what the official SDK sends (nulls, ``function: "video-synthesis"``, ``extend_prompt``,
``parameters: {}``) passes, each body as exactly its own variant.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

import pytest

from contract_tests.support.mock import DELETE, set_path
from contract_tests.support.seed_table import SEED_MAX
from contract_tests.support.spec_data import component_validator, pointer, validator_for
from contract_tests.support.spec_schemas import (
    Json,
    JsonObject,
    error_report,
    gap_marks,
    matching_branches,
    request_body_schema,
    rules_refusing,
    video_generation_operation,
    view_of,
)

# ============================================================================ 7. constraints bite

IMAGE: Final = "https://wanx.alicdn.com/material/20250318/first_frame.png"
VIDEO: Final = "http://wanx.alicdn.com/material/20250318/video_edit_2.mp4"
CLIP: Final = "http://wanx.alicdn.com/material/20250318/video_extension_1.mp4"
CHINESE_IMAGE: Final = "https://wanx.alicdn.com/material/图片/first_frame.png"
CHINESE_VIDEO: Final = "http://wanx.alicdn.com/material/视频/video_edit_2.mp4"


def _vace(function: str, **inputs: Json) -> JsonObject:
    return {
        "model": "wan2.1-vace-plus",
        "input": {"function": function, "prompt": "A dog on a skateboard.", **inputs},
        "parameters": {},
    }


MINIMAL_BODIES: Final[dict[str, JsonObject]] = {
    "TextToVideoRequest": {
        "model": "wan2.5-t2v-preview",
        "input": {"prompt": "A kitten in golden armour."},
        "parameters": {},
    },
    "ImageToVideoRequest": {
        "model": "wan2.2-i2v-flash",
        "input": {"img_url": IMAGE},
        "parameters": {},
    },
    "KeyframeToVideoRequest": {
        "model": "wan2.2-kf2v-flash",
        "input": {"first_frame_url": IMAGE},
        "parameters": {},
    },
    "ImageReferenceRequest": _vace("image_reference", ref_images_url=[IMAGE, IMAGE]),
    "VideoRepaintingRequest": {
        **_vace("video_repainting", video_url=VIDEO),
        "parameters": {"control_condition": "depth"},
    },
    "VideoEditRequest": _vace("video_edit", video_url=VIDEO, mask_image_url=IMAGE),
    "VideoExtensionRequest": _vace("video_extension", first_clip_url=CLIP),
    "VideoOutpaintingRequest": _vace("video_outpainting", video_url=VIDEO),
}


def body_of(schema_name: str, changes: Mapping[str, Json] | None = None) -> JsonObject:
    """A copy of the variant's minimal valid body with ``changes`` (dotted path → value, or
    ``DELETE``) applied."""
    body = copy.deepcopy(MINIMAL_BODIES[schema_name])
    for path, value in (changes or {}).items():
        set_path(body, path, value)
    return body


@dataclass(frozen=True)
class Case:
    schema: str
    changes: Mapping[str, Json]
    why: str
    rule: str | None = None

    @property
    def id(self) -> str:
        return f"{self.schema.removesuffix('Request')}: {self.why}"


REJECTED: Final[tuple[Case, ...]] = (
    # ranges
    *(
        Case(
            "VideoOutpaintingRequest", {f"parameters.{side}_scale": value}, f"{side}_scale {value}"
        )
        for side in ("top", "bottom", "left", "right")
        for value in (2.001, 0.999)
    ),
    *(
        Case(name, {"parameters.seed": value}, f"seed {value}")
        for name in MINIMAL_BODIES
        for value in (-1, SEED_MAX + 1)
    ),
    Case("VideoRepaintingRequest", {"parameters.strength": 1.01}, "strength 1.01"),
    Case("VideoRepaintingRequest", {"parameters.strength": -0.01}, "strength -0.01"),
    Case("VideoEditRequest", {"parameters.expand_ratio": 1.01}, "expand_ratio 1.01"),
    Case("VideoEditRequest", {"parameters.expand_ratio": -0.01}, "expand_ratio -0.01"),
    Case("VideoEditRequest", {"input.mask_frame_id": 0}, "mask_frame_id 0"),
    # cross-field rules, each refused by the subschema tagged with its id
    Case(
        "ImageReferenceRequest",
        {"parameters.obj_or_bg": ["bg", "bg"]},
        "two backgrounds",
        "image_reference.single-background",
    ),
    Case(
        "VideoEditRequest",
        {"input.mask_video_url": VIDEO},
        "both mask_image_url and mask_video_url",
        "video_edit.one-mask",
    ),
    Case("VideoEditRequest", {"input.mask_image_url": DELETE}, "no mask", "video_edit.one-mask"),
    Case(
        "VideoExtensionRequest",
        {"input.video_url": VIDEO},
        "video_url without control_condition",
        "video_extension.control-condition-with-video",
    ),
    Case(
        "VideoExtensionRequest",
        {"input.video_url": VIDEO, "parameters.control_condition": ""},
        "video_url with empty control_condition",
        "video_extension.control-condition-with-video",
    ),
    Case(
        "VideoExtensionRequest",
        {"input.video_url": VIDEO, "parameters": DELETE},
        "video_url without parameters",
        "video_extension.control-condition-with-video",
    ),
    Case(
        "VideoExtensionRequest",
        {"input.first_clip_url": DELETE},
        "no frame and no clip",
        "video_extension.needs-anchor",
    ),
    Case(
        "VideoExtensionRequest",
        {
            "input.first_clip_url": DELETE,
            "input.video_url": VIDEO,
            "parameters.control_condition": "depth",
        },
        "only a reference video",
        "video_extension.needs-anchor",
    ),
    # URLs with Chinese characters
    Case(
        "ImageToVideoRequest",
        {"input.img_url": CHINESE_IMAGE},
        "Chinese img_url",
        "media.url-syntax",
    ),
    *(
        Case(
            "KeyframeToVideoRequest",
            {f"input.{f}": CHINESE_IMAGE},
            f"Chinese {f}",
            "media.url-syntax",
        )
        for f in ("first_frame_url", "last_frame_url")
    ),
    Case(
        "ImageReferenceRequest",
        {"input.ref_images_url": [IMAGE, CHINESE_IMAGE]},
        "Chinese ref_images_url item",
        "media.url-syntax",
    ),
    *(
        Case(name, {"input.video_url": CHINESE_VIDEO}, "Chinese video_url", "media.url-syntax")
        for name in ("VideoRepaintingRequest", "VideoEditRequest", "VideoOutpaintingRequest")
    ),
    Case(
        "VideoEditRequest",
        {"input.mask_image_url": CHINESE_IMAGE},
        "Chinese mask",
        "media.url-syntax",
    ),
    *(
        Case(
            "VideoExtensionRequest",
            {f"input.{f}": CHINESE_IMAGE},
            f"Chinese {f}",
            "media.url-syntax",
        )
        for f in ("first_frame_url", "last_frame_url", "first_clip_url", "last_clip_url")
    ),
    Case(
        "ImageToVideoRequest",
        {"input.img_url": "ftp://example.com/a.png"},
        "ftp img_url",
        "media.url-syntax",
    ),
    # unknown enum values
    Case(
        "ImageReferenceRequest",
        {"input.ref_images_url": ["data:image/png;base64,GDU7MtCZzEbTbmRZ"]},
        "base64 reference image",
        "media.url-syntax",
    ),
    Case("TextToVideoRequest", {"model": "wan9-t2v-ultra"}, "unknown model"),
    Case("TextToVideoRequest", {"parameters.size": "1024*1024"}, "unknown size"),
    Case("TextToVideoRequest", {"parameters.duration": 7}, "duration 7"),
    Case("ImageToVideoRequest", {"parameters.resolution": "2K"}, "unknown resolution"),
    Case("ImageToVideoRequest", {"parameters.duration": 6}, "duration 6"),
    Case("KeyframeToVideoRequest", {"parameters.resolution": "4K"}, "unknown resolution"),
    Case("KeyframeToVideoRequest", {"parameters.duration": 7}, "duration 7"),
    Case("ImageReferenceRequest", {"parameters.size": "1000*1000"}, "an undocumented size"),
    Case("ImageReferenceRequest", {"parameters.obj_or_bg": ["obj", "fg"]}, "obj_or_bg fg"),
    Case("ImageReferenceRequest", {"parameters.duration": 7}, "duration 7"),
    Case("VideoRepaintingRequest", {"parameters.control_condition": "canny"}, "unknown control"),
    Case(
        "VideoEditRequest", {"parameters.control_condition": "posebody"}, "repainting-only control"
    ),
    Case(
        "VideoExtensionRequest",
        {"parameters.control_condition": "scribble"},
        "repainting-only control",
    ),
    Case("VideoEditRequest", {"parameters.mask_type": "moving"}, "unknown mask_type"),
    Case("VideoEditRequest", {"parameters.expand_mode": "circle"}, "unknown expand_mode"),
    Case("VideoEditRequest", {"parameters.size": "832x480"}, "a size without *"),
    Case("TextToVideoRequest", {"input.prompt": ""}, "an empty prompt"),
    Case("TextToVideoRequest", {"input.prompt": None}, "a null prompt"),
    Case(
        "VideoEditRequest",
        {"input.mask_image_url": None, "input.mask_video_url": None},
        "both masks null",
    ),
    Case(
        "VideoExtensionRequest",
        {"input.first_clip_url": None, "input.first_frame_url": None},
        "every anchor null",
    ),
    Case("ImageReferenceRequest", {"input.function": "video-synthesis"}, "SDK function on VACE"),
    Case("VideoOutpaintingRequest", {"input.function": "outpainting"}, "unknown function"),
    # wrong types
    Case("TextToVideoRequest", {"parameters.seed": "42"}, "seed as a string"),
    Case("TextToVideoRequest", {"parameters.watermark": "yes"}, "watermark as a string"),
    Case(
        "VideoOutpaintingRequest",
        {"parameters.prompt_extend": "false"},
        "prompt_extend as a string",
    ),
    Case("TextToVideoRequest", {"parameters.seed": 1.5}, "fractional seed"),
    # required fields
    Case("TextToVideoRequest", {"input.prompt": DELETE}, "no prompt"),
    Case("TextToVideoRequest", {"input": DELETE}, "no input"),
    Case("TextToVideoRequest", {"model": DELETE}, "no model"),
    Case("ImageToVideoRequest", {"input.img_url": DELETE}, "no img_url"),
    Case("KeyframeToVideoRequest", {"input.first_frame_url": DELETE}, "no first_frame_url"),
    Case("ImageReferenceRequest", {"input.ref_images_url": DELETE}, "no ref_images_url"),
    Case("ImageReferenceRequest", {"input.ref_images_url": []}, "empty ref_images_url"),
    Case("ImageReferenceRequest", {"input.prompt": DELETE}, "no prompt"),
    Case("VideoRepaintingRequest", {"parameters": DELETE}, "no parameters"),
    Case(
        "VideoRepaintingRequest", {"parameters.control_condition": DELETE}, "no control_condition"
    ),
    Case(
        "VideoRepaintingRequest", {"input.ref_images_url": [IMAGE, IMAGE]}, "two reference images"
    ),
    Case("VideoEditRequest", {"input.video_url": DELETE}, "no video_url"),
    Case("VideoEditRequest", {"input.ref_images_url": [IMAGE, IMAGE]}, "two reference images"),
    Case("VideoOutpaintingRequest", {"input.video_url": DELETE}, "no video_url"),
)


@pytest.mark.parametrize(
    "case", [pytest.param(case, id=case.id, marks=gap_marks(case.id)) for case in REJECTED]
)
def test_invalid_request_is_rejected(case: Case) -> None:
    body = body_of(case.schema, case.changes)
    validator = component_validator(case.schema)
    errors = list(validator.iter_errors(body))
    assert errors, f"{case.schema} accepted {body}"
    submit = request_body_schema(video_generation_operation())
    assert not validator_for(submit).is_valid(body), f"the submit oneOf accepted {body}"
    if case.rule is not None:
        tags = rules_refusing({"$ref": f"#/components/schemas/{case.schema}"}, body)
        assert case.rule in tags, (
            f"no error passes through a subschema tagged {case.rule}; "
            f"errors: {[(list(e.schema_path), e.message) for e in errors]}"
        )


def _nulled_parameters(schema_name: str) -> JsonObject:
    parameters = view_of(pointer(f"#/components/schemas/{schema_name}")["properties"]["parameters"])
    return {
        f"parameters.{name}": None
        for name in parameters.properties
        if name not in parameters.required
    }


ACCEPTED: Final[tuple[Case, ...]] = (
    *(Case(name, {}, "minimal body") for name in MINIMAL_BODIES),
    *(
        Case(name, {"parameters": {}}, "empty parameters")
        for name in MINIMAL_BODIES
        if name != "VideoRepaintingRequest"
    ),
    Case("TextToVideoRequest", {"parameters": DELETE}, "no parameters"),
    *(Case(name, _nulled_parameters(name), "null optional parameters") for name in MINIMAL_BODIES),
    # what the official SDK adds (API_FACTS §2)
    *(
        Case(
            name,
            {
                "input.function": "video-synthesis",
                "input.extend_prompt": True,
                "input.prompt": None,
            },
            "SDK function, extend_prompt and null prompt",
        )
        for name in ("ImageToVideoRequest", "KeyframeToVideoRequest")
    ),
    Case(
        "TextToVideoRequest",
        {"input.function": "video-synthesis", "input.extend_prompt": True},
        "SDK function and extend_prompt",
    ),
    *(
        Case(name, {"input.extend_prompt": True}, "SDK extend_prompt")
        for name in MINIMAL_BODIES
        if name not in {"TextToVideoRequest", "ImageToVideoRequest", "KeyframeToVideoRequest"}
    ),
    Case(
        "ImageToVideoRequest",
        {"input.negative_prompt": None, "input.template": None, "input.audio_url": None},
        "null optional inputs",
    ),
    Case("KeyframeToVideoRequest", {"input.last_frame_url": None}, "null last_frame_url"),
    Case("ImageReferenceRequest", {"parameters.obj_or_bg": None}, "null obj_or_bg"),
    # boundaries
    *(
        Case(name, {"parameters.seed": value}, f"seed {value}")
        for name in MINIMAL_BODIES
        for value in (0, SEED_MAX)
    ),
    *(
        Case(
            "VideoOutpaintingRequest", {f"parameters.{side}_scale": value}, f"{side}_scale {value}"
        )
        for side in ("top", "bottom", "left", "right")
        for value in (1.0, 2.0, 1)
    ),
    *(
        Case("VideoRepaintingRequest", {"parameters.strength": v}, f"strength {v}")
        for v in (0, 1.0)
    ),
    *(
        Case("VideoEditRequest", {"parameters.expand_ratio": v}, f"expand_ratio {v}")
        for v in (0, 1)
    ),
    Case("VideoEditRequest", {"input.mask_frame_id": 1}, "mask_frame_id 1"),
    # documented alternatives
    Case(
        "VideoEditRequest",
        {"input.mask_image_url": DELETE, "input.mask_video_url": VIDEO},
        "mask video only",
    ),
    Case(
        "VideoExtensionRequest",
        {"input.video_url": VIDEO, "parameters.control_condition": "posebodyface"},
        "reference video with control_condition",
    ),
    Case(
        "VideoExtensionRequest",
        {"input.first_clip_url": DELETE, "input.last_frame_url": IMAGE},
        "last frame only",
    ),
    Case(
        "ImageReferenceRequest",
        {"input.ref_images_url": [IMAGE] * 3, "parameters.obj_or_bg": ["obj", "obj", "bg"]},
        "seed 003 obj_or_bg example",
    ),
    Case("ImageReferenceRequest", {"input.ref_images_url": [IMAGE] * 4}, "more than 3 images"),
    Case("ImageReferenceRequest", {"input.ref_images_url": [IMAGE]}, "one image, no obj_or_bg"),
    Case(
        "KeyframeToVideoRequest",
        {"input.first_frame_url": "data:image/png;base64,GDU7MtCZzEbTbmRZ"},
        "base64 first frame",
    ),
    Case(
        "ImageToVideoRequest", {"input.img_url": "oss://dashscope-instant/abc/cat.png"}, "oss URL"
    ),
    Case(
        "TextToVideoRequest",
        {
            "input.audio_url": "https://help-static-aliyun-doc.aliyuncs.com/file-manage-files/"
            "zh-CN/20250923/hbiayh/%E4%BB%8E%E5%86%9B%E8%A1%8C.mp3"
        },
        "seed 004 audio_url",
    ),
    Case(
        "TextToVideoRequest",
        {"parameters.size": "1632*1248", "parameters.duration": 10},
        "1080P 10 s",
    ),
    Case("ImageToVideoRequest", {"parameters.duration": 3}, "duration 3"),
    # documented for some model: the model decides, on the task (API_FACTS §8)
    Case("KeyframeToVideoRequest", {"parameters.duration": 10}, "duration 10"),
    Case("ImageReferenceRequest", {"parameters.size": "1920*1080"}, "a 1080P size"),
    Case("ImageReferenceRequest", {"parameters.duration": 10}, "duration 10"),
    Case("VideoEditRequest", {"parameters.size": "832*480"}, "a 480P size"),
    Case("TextToVideoRequest", {"parameters.duration": 3}, "duration 3"),
    # null is "not given"
    Case(
        "VideoEditRequest",
        {"input.mask_image_url": None, "input.mask_video_url": VIDEO},
        "null mask image with a mask video",
    ),
    Case("VideoEditRequest", {"input.ref_images_url": None}, "null reference images"),
    Case(
        "VideoExtensionRequest",
        {"input.first_frame_url": None, "input.video_url": None},
        "null frame and video",
    ),
    Case("TextToVideoRequest", {"parameters": None}, "null parameters"),
    Case("TextToVideoRequest", {"input.function": None}, "null SDK function"),
    *(
        Case(name, {"parameters.sdk_extra_kwarg": 1}, "unknown parameter from SDK kwargs")
        for name in MINIMAL_BODIES
    ),
    Case("VideoEditRequest", {"parameters.control_condition": ""}, "empty control_condition"),
)


@pytest.mark.parametrize(
    "case", [pytest.param(case, id=case.id, marks=gap_marks(case.id)) for case in ACCEPTED]
)
def test_valid_request_is_accepted_as_exactly_its_variant(case: Case) -> None:
    body = body_of(case.schema, case.changes)
    validator = component_validator(case.schema)
    assert validator.is_valid(body), error_report(validator, body)
    submit = request_body_schema(video_generation_operation())
    assert matching_branches(submit, body) == [case.schema]
