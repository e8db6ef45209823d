"""Request bodies built with the generated models are exactly the spec's (seed) request examples.

Each builder below is what a user writes with ``wan_video_client``; its ``to_dict()`` must be the
JSON body of the matching ``components/examples`` entry, which is the curl body of a seed document.
The examples themselves are always read from the spec, never copied here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from contract_tests.support.client import (
    KEYFRAME_OPERATION,
    SUBMIT_OPERATION,
    RequestExample,
    SubmitBody,
    accepting_variants,
    assert_same_json,
    endpoint_body_types,
    operation,
    parse_submit_body,
    request_example,
    request_examples,
    submit_body_variants,
)
from wan_video_client import models
from wan_video_client.api.video_synthesis import (
    create_keyframe_video_task,
    create_video_synthesis_task,
)
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
    MaskType,
    ObjOrBgItem,
    RepaintingControlCondition,
    Resolution,
    TextToVideoInput,
    TextToVideoParameters,
    TextToVideoRequest,
    TextToVideoRequestModel,
    VaceModel,
    VideoDuration,
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
    VideoSize,
)

MATERIAL = "http://wanx.alicdn.com/material/20250318"
PLACEHOLDER_PROMPT = "Example prompt from provider documentation."

KITTEN_GENERAL = (
    "An epically cute scene. A tiny cartoon kitten general in detailed golden armor and "
    "an oversized helmet stands bravely on a cliff. Riding a small but heroic warhorse, "
    'he declares: "Dark clouds gather above the Snow Mountain, and from the lone city we '
    "gaze toward Yumenguan. After a hundred battles in yellow sand, the golden armor is "
    'worn through; we will not return until Loulan is broken." Below the cliff, a vast '
    "and endless army of mice charges forward with improvised weapons. It is a dramatic "
    "large-scale battle scene inspired by ancient Chinese war epics. Dark clouds hang "
    "above the distant Snow Mountain, blending comedy, cuteness, and epic grandeur."
)
GIRL_IN_MISTY_FOREST = (
    "In the video, a girl gracefully walks out from a misty, ancient forest. Her steps "
    "are light, and the camera captures her every nimble moment. When the girl stops and "
    "looks around at the lush woods, a smile of surprise and joy blossoms on her face. "
    "This scene, frozen in a moment of interplay between light and shadow, records the "
    "girl's wonderful encounter with nature."
)
GIRL_IN_MORNING_MIST = (
    "In the video, a girl walks gracefully out from the depths of an ancient forest "
    "wrapped in morning mist. Her steps are light, and the camera captures each vivid "
    "moment. When she stops and looks around at the lush trees, her face blooms into a "
    "smile filled with surprise and joy. The scene freezes in an instant of interwoven "
    "light and shadow, recording her beautiful encounter with nature."
)
STEAMPUNK_CAR = (
    "The video shows a black steampunk-style car driven by a gentleman. The car is "
    "decorated with gears and copper pipes. The background features a steam-powered candy "
    "factory and retro elements, creating a vintage and playful scene."
)
LION_IN_CAFE = (
    "The video shows a Parisian-style French cafe where a lion in a suit is elegantly "
    "sipping coffee. It holds a coffee cup in one hand, taking a gentle sip with a "
    "relaxed expression. The cafe is tastefully decorated, with soft hues and warm "
    "lighting illuminating the area where the lion is."
)
SKATEBOARDING_DOG = "A dog wearing sunglasses is skateboarding on the street, 3D cartoon."
VIOLINIST = (
    "An elegant lady is passionately playing the violin, with a full symphony orchestra behind her."
)


# ------------------------------------------------------------------ builders, one per example


def text_to_video_wan25() -> TextToVideoRequest:
    return TextToVideoRequest(
        model=TextToVideoRequestModel.WAN2_5_T2V_PREVIEW,
        input_=TextToVideoInput(prompt=KITTEN_GENERAL),
        parameters=TextToVideoParameters(
            size=VideoSize.S832X480,
            prompt_extend=True,
            duration=VideoDuration.SECONDS_10,
            audio=True,
        ),
    )


def image_to_video_first_frame() -> ImageToVideoRequest:
    return ImageToVideoRequest(
        model=ImageToVideoRequestModel.WAN2_2_I2V_FLASH,
        input_=ImageToVideoInput(
            prompt="A cat runs across the grass.",
            img_url="https://wanx.alicdn.com/material/20250318/first_frame.png",
        ),
        parameters=ImageToVideoParameters(resolution=Resolution.R720P, prompt_extend=True),
    )


def keyframe_to_video() -> KeyframeToVideoRequest:
    return KeyframeToVideoRequest(
        model=KeyframeToVideoRequestModel.WAN2_2_KF2V_FLASH,
        input_=KeyframeToVideoInput(
            first_frame_url="https://wanx.alicdn.com/material/20250318/first_frame.png",
            last_frame_url="https://wanx.alicdn.com/material/20250318/last_frame.png",
            prompt=PLACEHOLDER_PROMPT,
        ),
        parameters=KeyframeToVideoParameters(resolution=Resolution.R480P, prompt_extend=True),
    )


def image_reference() -> ImageReferenceRequest:
    return ImageReferenceRequest(
        model=VaceModel.WAN2_1_VACE_PLUS,
        input_=ImageReferenceInput(
            prompt=GIRL_IN_MISTY_FOREST,
            ref_images_url=[
                f"{MATERIAL}/image_reference_2_5_16.png",
                f"{MATERIAL}/image_reference_1_5_16.png",
            ],
        ),
        parameters=ImageReferenceParameters(
            obj_or_bg=[ObjOrBgItem.OBJ, ObjOrBgItem.BG],
            size=VideoSize.S1280X720,
        ),
    )


def image_reference_prompt_extend() -> ImageReferenceRequest:
    return ImageReferenceRequest(
        model=VaceModel.WANX2_1_VACE_PLUS,
        input_=ImageReferenceInput(
            prompt=GIRL_IN_MORNING_MIST,
            ref_images_url=[
                f"{MATERIAL}/image_reference_2_5_16.png",
                f"{MATERIAL}/image_reference_1_5_16.png",
            ],
        ),
        parameters=ImageReferenceParameters(
            prompt_extend=True,
            obj_or_bg=[ObjOrBgItem.OBJ, ObjOrBgItem.BG],
            size=VideoSize.S1280X720,
        ),
    )


def video_repainting() -> VideoRepaintingRequest:
    return VideoRepaintingRequest(
        model=VaceModel.WAN2_1_VACE_PLUS,
        input_=VideoRepaintingInput(
            prompt=STEAMPUNK_CAR, video_url=f"{MATERIAL}/video_repainting_1.mp4"
        ),
        parameters=VideoRepaintingParameters(control_condition=RepaintingControlCondition.DEPTH),
    )


def video_repainting_no_extend() -> VideoRepaintingRequest:
    return VideoRepaintingRequest(
        model=VaceModel.WANX2_1_VACE_PLUS,
        input_=VideoRepaintingInput(
            prompt=PLACEHOLDER_PROMPT, video_url=f"{MATERIAL}/video_repainting_1.mp4"
        ),
        parameters=VideoRepaintingParameters(
            prompt_extend=False, control_condition=RepaintingControlCondition.DEPTH
        ),
    )


def video_edit() -> VideoEditRequest:
    return VideoEditRequest(
        model=VaceModel.WAN2_1_VACE_PLUS,
        input_=VideoEditInput(
            prompt=LION_IN_CAFE,
            mask_image_url=f"{MATERIAL}/video_edit_1_mask.png",
            video_url=f"{MATERIAL}/video_edit_2.mp4",
            mask_frame_id=1,
        ),
        parameters=VideoEditParameters(mask_type=MaskType.TRACKING, expand_ratio=0.05),
    )


def video_edit_no_extend() -> VideoEditRequest:
    return VideoEditRequest(
        model=VaceModel.WANX2_1_VACE_PLUS,
        input_=VideoEditInput(
            prompt=PLACEHOLDER_PROMPT,
            mask_image_url=f"{MATERIAL}/video_edit_1_mask.png",
            video_url=f"{MATERIAL}/video_edit_2.mp4",
            mask_frame_id=1,
        ),
        parameters=VideoEditParameters(
            prompt_extend=False, mask_type=MaskType.TRACKING, expand_ratio=0.05
        ),
    )


def video_extension() -> VideoExtensionRequest:
    return VideoExtensionRequest(
        model=VaceModel.WAN2_1_VACE_PLUS,
        input_=VideoExtensionInput(
            prompt=SKATEBOARDING_DOG, first_clip_url=f"{MATERIAL}/video_extension_1.mp4"
        ),
        parameters=VideoExtensionParameters(),
    )


def video_extension_no_extend() -> VideoExtensionRequest:
    return VideoExtensionRequest(
        model=VaceModel.WANX2_1_VACE_PLUS,
        input_=VideoExtensionInput(
            prompt=PLACEHOLDER_PROMPT, first_clip_url=f"{MATERIAL}/video_extension_1.mp4"
        ),
        parameters=VideoExtensionParameters(prompt_extend=False),
    )


def video_outpainting() -> VideoOutpaintingRequest:
    return VideoOutpaintingRequest(
        model=VaceModel.WAN2_1_VACE_PLUS,
        input_=VideoOutpaintingInput(
            prompt=VIOLINIST, video_url=f"{MATERIAL}/video_outpainting_1.mp4"
        ),
        parameters=VideoOutpaintingParameters(
            top_scale=1.5, bottom_scale=1.5, left_scale=1.5, right_scale=1.5
        ),
    )


def video_outpainting_no_extend() -> VideoOutpaintingRequest:
    return VideoOutpaintingRequest(
        model=VaceModel.WANX2_1_VACE_PLUS,
        input_=VideoOutpaintingInput(
            prompt=PLACEHOLDER_PROMPT, video_url=f"{MATERIAL}/video_outpainting_1.mp4"
        ),
        parameters=VideoOutpaintingParameters(
            prompt_extend=False, top_scale=1.5, bottom_scale=1.5, left_scale=1.5, right_scale=1.5
        ),
    )


BUILDERS: dict[str, Callable[[], SubmitBody]] = {
    "TextToVideoWan25": text_to_video_wan25,
    "ImageToVideoFirstFrame": image_to_video_first_frame,
    "KeyframeToVideo": keyframe_to_video,
    "ImageReference": image_reference,
    "ImageReferencePromptExtend": image_reference_prompt_extend,
    "VideoRepainting": video_repainting,
    "VideoRepaintingNoExtend": video_repainting_no_extend,
    "VideoEdit": video_edit,
    "VideoEditNoExtend": video_edit_no_extend,
    "VideoExtension": video_extension,
    "VideoExtensionNoExtend": video_extension_no_extend,
    "VideoOutpainting": video_outpainting,
    "VideoOutpaintingNoExtend": video_outpainting_no_extend,
}
"""``components/examples`` name → the code that builds that body."""

EXPECTED_CLASS: dict[str, type[SubmitBody]] = {
    "TextToVideoWan25": TextToVideoRequest,
    "ImageToVideoFirstFrame": ImageToVideoRequest,
    "KeyframeToVideo": KeyframeToVideoRequest,
    "ImageReference": ImageReferenceRequest,
    "ImageReferencePromptExtend": ImageReferenceRequest,
    "VideoRepainting": VideoRepaintingRequest,
    "VideoRepaintingNoExtend": VideoRepaintingRequest,
    "VideoEdit": VideoEditRequest,
    "VideoEditNoExtend": VideoEditRequest,
    "VideoExtension": VideoExtensionRequest,
    "VideoExtensionNoExtend": VideoExtensionRequest,
    "VideoOutpainting": VideoOutpaintingRequest,
    "VideoOutpaintingNoExtend": VideoOutpaintingRequest,
}

EXAMPLES = request_examples()
EXAMPLE_IDS = [example.id for example in EXAMPLES]


def test_every_request_example_in_the_spec_has_a_builder() -> None:
    assert {example.component for example in EXAMPLES} == set(BUILDERS)


def test_request_examples_cover_every_submit_body_variant() -> None:
    assert {EXPECTED_CLASS[example.component].__name__ for example in EXAMPLES} == set(
        submit_body_variants()
    )


@pytest.mark.parametrize("example", EXAMPLES, ids=EXAMPLE_IDS)
def test_built_request_serialises_to_the_spec_example(example: RequestExample) -> None:
    body = BUILDERS[example.component]()
    assert isinstance(body, EXPECTED_CLASS[example.component])
    assert_same_json(body.to_dict(), example.value)


@pytest.mark.parametrize("example", EXAMPLES, ids=EXAMPLE_IDS)
def test_request_example_round_trips_through_from_dict(example: RequestExample) -> None:
    model = EXPECTED_CLASS[example.component]
    assert_same_json(model.from_dict(example.value).to_dict(), example.value)


@pytest.mark.parametrize("example", EXAMPLES, ids=EXAMPLE_IDS)
def test_body_union_parses_request_example_as_its_variant(example: RequestExample) -> None:
    parsed = parse_submit_body(example.value)
    assert type(parsed) is EXPECTED_CLASS[example.component]
    assert_same_json(parsed.to_dict(), example.value)


@pytest.mark.parametrize("example", EXAMPLES, ids=EXAMPLE_IDS)
def test_exactly_one_body_variant_accepts_each_request_example(example: RequestExample) -> None:
    """Parsing must not depend on the order of the ``oneOf``: the variants exclude each other."""
    assert accepting_variants(example.value) == [EXPECTED_CLASS[example.component].__name__]


@pytest.mark.parametrize("example", EXAMPLES, ids=EXAMPLE_IDS)
def test_request_example_is_accepted_by_the_operation_that_lists_it(
    example: RequestExample,
) -> None:
    endpoints: dict[str, Callable[..., object]] = {
        SUBMIT_OPERATION: create_video_synthesis_task.sync_detailed,
        KEYFRAME_OPERATION: create_keyframe_video_task.sync_detailed,
    }
    assert EXPECTED_CLASS[example.component] in endpoint_body_types(endpoints[example.operation_id])


def test_submit_body_union_is_the_spec_one_of() -> None:
    union = endpoint_body_types(create_video_synthesis_task.sync_detailed)
    assert {cls.__name__ for cls in union} == set(submit_body_variants())
    assert union == {getattr(models, name) for name in submit_body_variants()}


def test_keyframe_submit_takes_only_keyframe_bodies() -> None:
    assert endpoint_body_types(create_keyframe_video_task.sync_detailed) == {KeyframeToVideoRequest}
    schema = operation(KEYFRAME_OPERATION)[2]["requestBody"]["content"]["application/json"][
        "schema"
    ]
    assert schema == {"$ref": "#/components/schemas/KeyframeToVideoRequest"}


def test_text_to_video_variant_comes_last_in_the_body_union() -> None:
    """It has no ``function`` const; anywhere else it would be tried before the VACE variants."""
    assert submit_body_variants()[-1] == "TextToVideoRequest"


def test_video_edit_from_dict_rejects_an_image_reference_body() -> None:
    body = request_example("ImageReference").value
    with pytest.raises(ValueError, match="function must match const 'video_edit'"):
        VideoEditRequest.from_dict(body)


@pytest.mark.parametrize(
    ("model", "function"),
    [
        (ImageReferenceRequest, "image_reference"),
        (VideoRepaintingRequest, "video_repainting"),
        (VideoEditRequest, "video_edit"),
        (VideoExtensionRequest, "video_extension"),
        (VideoOutpaintingRequest, "video_outpainting"),
    ],
)
def test_vace_variant_rejects_another_function(model: type[SubmitBody], function: str) -> None:
    body = request_example("VideoEdit").value
    body = {**body, "input": {**body["input"], "function": "not_a_function"}}
    with pytest.raises(ValueError, match=f"function must match const '{function}'"):
        model.from_dict(body)


def test_body_union_parses_the_video_edit_example_as_video_edit() -> None:
    parsed = parse_submit_body(request_example("VideoEdit").value)
    assert isinstance(parsed, VideoEditRequest)
    assert parsed.input_.function == "video_edit"
    assert parsed.input_.mask_frame_id == 1
    assert isinstance(parsed.parameters, VideoEditParameters)
    assert parsed.parameters.mask_type is MaskType.TRACKING
    assert parsed.parameters.expand_ratio == 0.05


def test_body_union_refuses_a_vace_body_with_an_unknown_function() -> None:
    body = request_example("VideoEdit").value
    body = {**body, "input": {**body["input"], "function": "video_magic"}}
    with pytest.raises(ValueError, match="no submit body variant"):
        parse_submit_body(body)


def test_vace_input_defaults_to_its_function() -> None:
    """Users need not spell out ``function``: each VACE input pins it as its default."""
    serialised: dict[str, dict[str, Any]] = {
        "image_reference": ImageReferenceInput(
            prompt="p", ref_images_url=["http://x/a.png"]
        ).to_dict(),
        "video_repainting": VideoRepaintingInput(prompt="p", video_url="http://x/a.mp4").to_dict(),
        "video_edit": VideoEditInput(prompt="p", video_url="http://x/a.mp4").to_dict(),
        "video_extension": VideoExtensionInput(prompt="p").to_dict(),
        "video_outpainting": VideoOutpaintingInput(
            prompt="p", video_url="http://x/a.mp4"
        ).to_dict(),
    }
    for function, body in serialised.items():
        assert body["function"] == function


def test_unset_optional_fields_are_left_out_of_the_body() -> None:
    body = TextToVideoRequest(
        model=TextToVideoRequestModel.WAN2_2_T2V_PLUS, input_=TextToVideoInput(prompt="p")
    )
    assert_same_json(body.to_dict(), {"model": "wan2.2-t2v-plus", "input": {"prompt": "p"}})


def test_explicit_none_is_sent_as_json_null() -> None:
    """The SDK sends ``null`` for options it was given as ``None``; the models can too."""
    body = TextToVideoRequest(
        model=TextToVideoRequestModel.WAN2_2_T2V_PLUS,
        input_=TextToVideoInput(prompt="p", negative_prompt=None),
        parameters=TextToVideoParameters(size=None, seed=None),
    )
    assert_same_json(
        body.to_dict(),
        {
            "model": "wan2.2-t2v-plus",
            "input": {"prompt": "p", "negative_prompt": None},
            "parameters": {"size": None, "seed": None},
        },
    )


def test_sdk_style_body_with_extra_keys_round_trips() -> None:
    """What the official SDK sends (function ``video-synthesis``, ``extend_prompt``, unknown
    parameters) parses and serialises back unchanged."""
    body = {
        "model": "wan2.2-kf2v-flash",
        "input": {
            "function": "video-synthesis",
            "extend_prompt": True,
            "prompt": None,
            "first_frame_url": "oss://dashscope-instant/abc/first.png",
        },
        "parameters": {"resolution": "720P", "duration": 5, "custom_knob": 3},
    }
    parsed = parse_submit_body(body)
    assert isinstance(parsed, KeyframeToVideoRequest)
    assert isinstance(parsed.parameters, KeyframeToVideoParameters)
    assert parsed.parameters.duration is VideoDuration.SECONDS_5
    assert parsed.parameters.additional_properties == {"custom_knob": 3}
    assert_same_json(parsed.to_dict(), body)
