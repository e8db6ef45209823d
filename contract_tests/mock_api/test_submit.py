"""Submit validation: every request variant refuses schema violations with HTTP 400
``InvalidParameter`` naming the field, accepts what the official SDK sends, routes first/last
frame models on both submit paths, and accepts every request example of the spec.

Rules the spec tags with ``x-rule`` answer with the rule's own message (``x-wan-rules``).
"""

from __future__ import annotations

from typing import Any

import pytest

from contract_tests.support.mock import (
    DELETE,
    IMAGE2VIDEO,
    VARIANTS,
    VIDEO_GENERATION,
    Api,
    SubmitExample,
    assert_error,
    body_for,
    set_path,
    spec_rule,
    submit_examples,
)
from wan_video_client import AuthenticatedClient
from wan_video_client.api.tasks import get_task
from wan_video_client.api.video_synthesis import (
    create_keyframe_video_task,
    create_video_synthesis_task,
)
from wan_video_client.models import (
    ErrorResponse,
    ImageReferenceRequest,
    ImageToVideoRequest,
    KeyframeToVideoRequest,
    TaskQueryResponse,
    TaskStatus,
    TaskSubmitResponse,
    TextToVideoParameters,
    TextToVideoRequest,
    VideoEditRequest,
    VideoExtensionRequest,
    VideoOutpaintingRequest,
    VideoRepaintingRequest,
)

URL_ERROR = spec_rule("media.url-syntax")["message"]
ONE_MASK = spec_rule("video_edit.one-mask")["message"]
CONTROL_WITH_VIDEO = spec_rule("video_extension.control-condition-with-video")["message"]
NEEDS_ANCHOR = spec_rule("video_extension.needs-anchor")["message"]
ONE_BACKGROUND = spec_rule("image_reference.single-background")["message"]
CHINESE_IMAGE = "https://example.com/图片/cat.png"
CHINESE_VIDEO = "http://example.com/视频.mp4"


def _case(
    case_id: str, variant: str, changes: dict[str, Any], *mentions: str
) -> Any:  # a pytest ParameterSet
    return pytest.param(variant, changes, mentions, id=case_id)


def _submit_changed(api: Api, variant: str, changes: dict[str, Any]) -> Any:
    body = body_for(variant)
    for dotted, value in changes.items():
        set_path(body, dotted, value)
    path = IMAGE2VIDEO if variant == "kf2v" else VIDEO_GENERATION
    return api.submit(body, path=path)


# ---------------------------------------------------------------------- schema violations
SCHEMA_VIOLATIONS = [
    # ranges
    _case(
        "outpainting-top_scale-low",
        "video_outpainting",
        {"parameters.top_scale": 0.999},
        "parameters.top_scale",
    ),
    _case(
        "outpainting-bottom_scale-high",
        "video_outpainting",
        {"parameters.bottom_scale": 2.001},
        "parameters.bottom_scale",
    ),
    _case(
        "outpainting-left_scale-low",
        "video_outpainting",
        {"parameters.left_scale": 0},
        "parameters.left_scale",
    ),
    _case(
        "outpainting-right_scale-high",
        "video_outpainting",
        {"parameters.right_scale": 3},
        "parameters.right_scale",
    ),
    _case(
        "outpainting-scale-string",
        "video_outpainting",
        {"parameters.top_scale": "1.5"},
        "parameters.top_scale",
    ),
    _case("t2v-seed-negative", "t2v", {"parameters.seed": -1}, "parameters.seed"),
    _case("t2v-seed-too-big", "t2v", {"parameters.seed": 2147483648}, "parameters.seed"),
    _case("i2v-seed-float", "i2v", {"parameters.seed": 1.5}, "parameters.seed"),
    _case("kf2v-seed-string", "kf2v", {"parameters.seed": "42"}, "parameters.seed"),
    _case(
        "vace-seed-too-big", "image_reference", {"parameters.seed": 2147483648}, "parameters.seed"
    ),
    _case(
        "repainting-strength-low",
        "video_repainting",
        {"parameters.strength": -0.1},
        "parameters.strength",
    ),
    _case(
        "repainting-strength-high",
        "video_repainting",
        {"parameters.strength": 1.1},
        "parameters.strength",
    ),
    _case(
        "edit-expand_ratio-low",
        "video_edit",
        {"parameters.expand_ratio": -0.01},
        "parameters.expand_ratio",
    ),
    _case(
        "edit-expand_ratio-high",
        "video_edit",
        {"parameters.expand_ratio": 1.01},
        "parameters.expand_ratio",
    ),
    _case(
        "edit-mask_frame_id-zero", "video_edit", {"input.mask_frame_id": 0}, "input.mask_frame_id"
    ),
    # enums
    _case(
        "repainting-control_condition",
        "video_repainting",
        {"parameters.control_condition": "pose"},
        "parameters.control_condition",
    ),
    _case(
        "edit-control_condition-scribble",
        "video_edit",
        {"parameters.control_condition": "scribble"},
        "parameters.control_condition",
    ),
    _case(
        "extension-control_condition-posebody",
        "video_extension",
        {"parameters.control_condition": "posebody"},
        "parameters.control_condition",
    ),
    _case(
        "edit-mask_type", "video_edit", {"parameters.mask_type": "static"}, "parameters.mask_type"
    ),
    _case(
        "edit-expand_mode",
        "video_edit",
        {"parameters.expand_mode": "circle"},
        "parameters.expand_mode",
    ),
    _case(
        "image_reference-obj_or_bg-item",
        "image_reference",
        {"parameters.obj_or_bg": ["obj", "person"]},
        "parameters.obj_or_bg[1]",
    ),
    _case("t2v-size-separator", "t2v", {"parameters.size": "1280x720"}, "parameters.size"),
    _case("t2v-size-unlisted", "t2v", {"parameters.size": "1000*1000"}, "parameters.size"),
    _case(
        "vace-size-unlisted", "image_reference", {"parameters.size": "1000*1000"}, "parameters.size"
    ),
    _case("edit-size-separator", "video_edit", {"parameters.size": "832x480"}, "parameters.size"),
    _case(
        "i2v-resolution-lowercase",
        "i2v",
        {"parameters.resolution": "720p"},
        "parameters.resolution",
    ),
    _case("kf2v-resolution-4k", "kf2v", {"parameters.resolution": "4K"}, "parameters.resolution"),
    _case("t2v-duration-7", "t2v", {"parameters.duration": 7}, "parameters.duration"),
    _case("i2v-duration-6", "i2v", {"parameters.duration": 6}, "parameters.duration"),
    _case(
        "vace-duration-7", "video_outpainting", {"parameters.duration": 7}, "parameters.duration"
    ),
    _case("kf2v-duration-text", "kf2v", {"parameters.duration": "5"}, "parameters.duration"),
    _case("t2v-duration-fraction", "t2v", {"parameters.duration": 5.5}, "parameters.duration"),
    _case("t2v-watermark-string", "t2v", {"parameters.watermark": "yes"}, "parameters.watermark"),
    _case(
        "t2v-prompt_extend-string",
        "t2v",
        {"parameters.prompt_extend": "true"},
        "parameters.prompt_extend",
    ),
    _case("t2v-audio-number", "t2v", {"parameters.audio": 1}, "parameters.audio"),
    # required fields and types
    _case("t2v-prompt-missing", "t2v", {"input.prompt": DELETE}, "input.prompt"),
    _case("t2v-prompt-null", "t2v", {"input.prompt": None}, "input.prompt"),
    _case("t2v-input-not-object", "t2v", {"input": "a cat"}, "input"),
    _case("t2v-parameters-not-object", "t2v", {"parameters": ["832*480"]}, "parameters"),
    _case("t2v-vace-function", "t2v", {"input.function": "image_reference"}, "input.function"),
    _case("i2v-img_url-missing", "i2v", {"input.img_url": DELETE}, "input.img_url"),
    _case(
        "kf2v-first_frame_url-missing",
        "kf2v",
        {"input.first_frame_url": DELETE},
        "input.first_frame_url",
    ),
    _case(
        "image_reference-ref_images_url-missing",
        "image_reference",
        {"input.ref_images_url": DELETE},
        "input.ref_images_url",
    ),
    _case(
        "image_reference-ref_images_url-empty",
        "image_reference",
        {"input.ref_images_url": []},
        "input.ref_images_url",
    ),
    _case(
        "repainting-parameters-missing", "video_repainting", {"parameters": DELETE}, "parameters"
    ),
    _case(
        "repainting-control_condition-missing",
        "video_repainting",
        {"parameters.control_condition": DELETE},
        "parameters.control_condition",
    ),
    _case(
        "repainting-video_url-missing",
        "video_repainting",
        {"input.video_url": DELETE},
        "input.video_url",
    ),
    _case(
        "repainting-two-ref-images",
        "video_repainting",
        {"input.ref_images_url": ["http://a.example/1.png", "http://a.example/2.png"]},
        "input.ref_images_url",
    ),
    _case(
        "outpainting-video_url-missing",
        "video_outpainting",
        {"input.video_url": DELETE},
        "input.video_url",
    ),
    _case("edit-prompt-missing", "video_edit", {"input.prompt": DELETE}, "input.prompt"),
    _case("extension-prompt-empty", "video_extension", {"input.prompt": ""}, "input.prompt"),
    _case("vace-function-missing", "video_edit", {"input.function": DELETE}, "input.function"),
    _case(
        "vace-function-unknown", "video_edit", {"input.function": "video_morph"}, "input.function"
    ),
    _case(
        "vace-function-sdk-default",
        "video_outpainting",
        {"input.function": "video-synthesis"},
        "input.function",
    ),
]


@pytest.mark.parametrize(("variant", "changes", "mentions"), SCHEMA_VIOLATIONS)
def test_a_schema_violation_is_invalid_parameter_naming_the_field(
    api: Api, variant: str, changes: dict[str, Any], mentions: tuple[str, ...]
) -> None:
    response = _submit_changed(api, variant, changes)

    assert_error(response, 400, "InvalidParameter", mentions=mentions)
    assert api.list_ok()["total"] == 0


def test_the_violation_cases_cover_every_request_variant() -> None:
    covered = {param.values[0] for param in SCHEMA_VIOLATIONS}
    assert covered == set(VARIANTS)


BOUNDARIES = [
    _case(
        "scale-1.0", "video_outpainting", {"parameters.top_scale": 1.0, "parameters.left_scale": 1}
    ),
    _case(
        "scale-2.0",
        "video_outpainting",
        {"parameters.bottom_scale": 2.0, "parameters.right_scale": 2},
    ),
    _case("seed-0", "t2v", {"parameters.seed": 0}),
    _case("seed-max", "i2v", {"parameters.seed": 2147483647}),
    _case("strength-0", "video_repainting", {"parameters.strength": 0}),
    _case("strength-1", "video_repainting", {"parameters.strength": 1.0}),
    _case("expand_ratio-0", "video_edit", {"parameters.expand_ratio": 0.0}),
    _case("expand_ratio-1", "video_edit", {"parameters.expand_ratio": 1}),
    _case(
        "edit-every-enum",
        "video_edit",
        {
            "parameters.control_condition": "posebodyface",
            "parameters.mask_type": "tracking",
            "parameters.expand_mode": "bbox",
            "parameters.size": "832*1088",
        },
    ),
    _case("edit-empty-control_condition", "video_edit", {"parameters.control_condition": ""}),
    _case("repainting-scribble", "video_repainting", {"parameters.control_condition": "scribble"}),
    _case("obj_or_bg-all-obj", "image_reference", {"parameters.obj_or_bg": ["obj", "obj"]}),
    _case(
        "extension-video-with-control",
        "video_extension",
        {
            "input.video_url": "http://wanx.alicdn.com/material/20250318/video_extension_1.mp4",
            "parameters.control_condition": "depth",
        },
    ),
    _case(
        "extension-last-frame-only",
        "video_extension",
        {
            "input.first_clip_url": DELETE,
            "input.last_frame_url": "https://wanx.alicdn.com/material/20250318/last_frame.png",
        },
    ),
]


@pytest.mark.parametrize(("variant", "changes", "mentions"), BOUNDARIES)
def test_values_at_the_documented_bounds_are_accepted(
    api: Api, variant: str, changes: dict[str, Any], mentions: tuple[str, ...]
) -> None:
    assert mentions == ()
    response = _submit_changed(api, variant, changes)

    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json()["output"]["task_status"] == "PENDING"


# ---------------------------------------------------------------------- x-rule checks at submit
RULE_VIOLATIONS = [
    _case(
        "edit-both-masks",
        "video_edit",
        {"input.mask_video_url": "http://a.example/mask.mp4"},
        ONE_MASK,
    ),
    _case("edit-no-mask", "video_edit", {"input.mask_image_url": DELETE}, ONE_MASK),
    _case(
        "extension-video-without-control",
        "video_extension",
        {"input.video_url": "http://a.example/ref.mp4"},
        CONTROL_WITH_VIDEO,
    ),
    _case(
        "extension-video-with-empty-control",
        "video_extension",
        {
            "input.video_url": "http://a.example/ref.mp4",
            "parameters.control_condition": "",
        },
        CONTROL_WITH_VIDEO,
    ),
    _case(
        "extension-video-with-null-control",
        "video_extension",
        {
            "input.video_url": "http://a.example/ref.mp4",
            "parameters.control_condition": None,
        },
        CONTROL_WITH_VIDEO,
    ),
    _case("extension-no-anchor", "video_extension", {"input.first_clip_url": DELETE}, NEEDS_ANCHOR),
    _case(
        "image_reference-two-backgrounds",
        "image_reference",
        {"parameters.obj_or_bg": ["bg", "bg"]},
        ONE_BACKGROUND,
    ),
]


@pytest.mark.parametrize(("variant", "changes", "mentions"), RULE_VIOLATIONS)
def test_a_tagged_rule_answers_with_the_rule_message(
    api: Api, variant: str, changes: dict[str, Any], mentions: tuple[str, ...]
) -> None:
    response = _submit_changed(api, variant, changes)

    assert_error(response, 400, "InvalidParameter", mentions=mentions)


URL_VIOLATIONS = [
    _case("i2v-img_url-chinese", "i2v", {"input.img_url": CHINESE_IMAGE}, "input.img_url"),
    _case(
        "i2v-img_url-ftp", "i2v", {"input.img_url": "ftp://example.com/cat.png"}, "input.img_url"
    ),
    _case(
        "i2v-img_url-space",
        "i2v",
        {"input.img_url": "https://example.com/a cat.png"},
        "input.img_url",
    ),
    _case("i2v-img_url-empty", "i2v", {"input.img_url": ""}, "input.img_url"),
    _case(
        "kf2v-first_frame_url-chinese",
        "kf2v",
        {"input.first_frame_url": CHINESE_IMAGE},
        "input.first_frame_url",
    ),
    _case(
        "kf2v-last_frame_url-chinese",
        "kf2v",
        {"input.last_frame_url": CHINESE_IMAGE},
        "input.last_frame_url",
    ),
    _case("t2v-audio_url-not-a-url", "t2v", {"input.audio_url": "song.mp3"}, "input.audio_url"),
    _case(
        "image_reference-second-image-chinese",
        "image_reference",
        {"input.ref_images_url": ["http://a.example/1.png", CHINESE_IMAGE]},
        "input.ref_images_url[1]",
    ),
    _case(
        "repainting-video_url-chinese",
        "video_repainting",
        {"input.video_url": CHINESE_VIDEO},
        "input.video_url",
    ),
    _case(
        "edit-mask_image_url-chinese",
        "video_edit",
        {"input.mask_image_url": CHINESE_IMAGE},
        "input.mask_image_url",
    ),
    _case(
        "edit-video_url-data-url",
        "video_edit",
        {"input.video_url": "data:video/mp4;base64,AAAA"},
        "input.video_url",
    ),
    _case(
        "extension-first_clip_url-chinese",
        "video_extension",
        {"input.first_clip_url": CHINESE_VIDEO},
        "input.first_clip_url",
    ),
    _case(
        "outpainting-video_url-relative",
        "video_outpainting",
        {"input.video_url": "/videos/a.mp4"},
        "input.video_url",
    ),
]


@pytest.mark.parametrize(("variant", "changes", "mentions"), URL_VIOLATIONS)
def test_a_bad_url_is_the_documented_url_error_naming_the_field(
    api: Api, variant: str, changes: dict[str, Any], mentions: tuple[str, ...]
) -> None:
    response = _submit_changed(api, variant, changes)

    assert_error(response, 400, "InvalidParameter", mentions=(URL_ERROR, *mentions))


# ---------------------------------------------------------------------- what the SDK sends
SDK_BODIES = [
    pytest.param(
        body_for("t2v", input__function="video-synthesis", input__extend_prompt=True),
        VIDEO_GENERATION,
        id="t2v-function-and-extend_prompt",
    ),
    pytest.param(
        body_for(
            "i2v", input__prompt=None, input__function="video-synthesis", input__extend_prompt=True
        ),
        VIDEO_GENERATION,
        id="i2v-null-prompt",
    ),
    pytest.param(
        body_for(
            "kf2v",
            input__prompt=None,
            input__last_frame_url=None,
            input__function="video-synthesis",
            input__extend_prompt=True,
        ),
        IMAGE2VIDEO,
        id="kf2v-null-prompt-and-last-frame",
    ),
    pytest.param(body_for("t2v", parameters={}), VIDEO_GENERATION, id="t2v-empty-parameters"),
    pytest.param(
        body_for(
            "t2v",
            parameters={
                "size": None,
                "duration": None,
                "prompt_extend": None,
                "audio": None,
                "watermark": None,
                "seed": None,
            },
        ),
        VIDEO_GENERATION,
        id="t2v-null-parameters",
    ),
    pytest.param(
        body_for(
            "i2v",
            parameters={
                "resolution": None,
                "duration": None,
                "prompt_extend": None,
                "seed": None,
                "watermark": None,
                "audio": None,
            },
        ),
        VIDEO_GENERATION,
        id="i2v-null-parameters",
    ),
    pytest.param(
        body_for(
            "image_reference",
            input__ref_images_url=["http://a.example/1.png"],
            input__extend_prompt=True,
            parameters={"size": None, "seed": None, "prompt_extend": None, "watermark": None},
        ),
        VIDEO_GENERATION,
        id="image_reference-null-parameters",
    ),
    pytest.param(
        body_for(
            "image_reference",
            input__ref_images_url=["http://a.example/1.png"],
            parameters={"obj_or_bg": None},
        ),
        VIDEO_GENERATION,
        id="image_reference-null-obj_or_bg",
    ),
    pytest.param(
        body_for(
            "video_edit",
            input__extend_prompt=True,
            input__mask_frame_id=None,
            parameters={
                "control_condition": None,
                "mask_type": None,
                "expand_ratio": None,
                "expand_mode": None,
            },
        ),
        VIDEO_GENERATION,
        id="video_edit-null-parameters",
    ),
    pytest.param(
        body_for(
            "video_outpainting",
            parameters={"top_scale": None, "bottom_scale": None, "strength": None},
        ),
        VIDEO_GENERATION,
        id="video_outpainting-null-scales",
    ),
    pytest.param(
        body_for("t2v", parameters__some_future_option=True),
        VIDEO_GENERATION,
        id="unknown-keyword-argument",
    ),
]


@pytest.mark.parametrize(("body", "path"), SDK_BODIES)
def test_what_the_official_sdk_sends_is_accepted_and_succeeds(
    api: Api, body: dict[str, Any], path: str
) -> None:
    final = api.run(body, path=path)

    assert final["output"]["task_status"] == "SUCCEEDED", final
    assert "code" not in final["output"]


def test_sdk_headers_and_a_charset_in_the_content_type_are_accepted(api: Api) -> None:
    response = api.submit(
        body_for("t2v"),
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "Accept": "application/json; charset=utf-8",
            "user-agent": "dashscope/2.0.2; python/3.11.7",
            "x-dashscope-sdk-client": "python",
            "x-dashscope-sdk-session-id": "0f0e0d0c",
            "X-DashScope-WorkSpace": "ws-123",
        },
    )

    assert response.status_code == 200, response.get_data(as_text=True)


# ---------------------------------------------------------------------- routing by model
KEYFRAME_MODELS = ["wan2.2-kf2v-flash", "wanx2.1-kf2v-plus", "wan2.1-kf2v-plus"]


@pytest.mark.parametrize("path", [IMAGE2VIDEO, VIDEO_GENERATION], ids=["image2video", "vg"])
@pytest.mark.parametrize("model", KEYFRAME_MODELS)
def test_keyframe_models_are_accepted_on_both_submit_paths(api: Api, model: str, path: str) -> None:
    body = body_for("kf2v", model=model, parameters={"resolution": "720P"})

    final = api.run(body, path=path)

    assert final["output"]["task_status"] == "SUCCEEDED"


@pytest.mark.parametrize("model", ["wan2.1-vace-plus", "wanx2.1-vace-plus"])
def test_both_region_names_of_the_vace_model_are_accepted(api: Api, model: str) -> None:
    final = api.run(body_for("video_repainting", model=model))

    assert final["output"]["task_status"] == "SUCCEEDED"


def test_an_i2v_body_sent_with_a_t2v_model_is_checked_as_t2v(api: Api) -> None:
    body = body_for("i2v", model="wan2.5-t2v-preview")
    del body["input"]["prompt"]

    response = api.submit(body)

    assert_error(response, 400, "InvalidParameter", mentions=("input.prompt",))


# ---------------------------------------------------------------------- the spec's examples
EXAMPLES = submit_examples()


def test_the_spec_has_request_examples_for_both_submit_paths() -> None:
    assert {example.path for example in EXAMPLES} == {VIDEO_GENERATION, IMAGE2VIDEO}
    assert len(EXAMPLES) >= 12


@pytest.mark.parametrize("example", EXAMPLES, ids=[example.name for example in EXAMPLES])
def test_every_spec_request_example_is_accepted_and_succeeds(
    api: Api, example: SubmitExample
) -> None:
    task_id = api.submit_ok(example.body, path=example.path)
    api.finish()
    final = api.query(task_id)

    assert final["output"]["task_status"] == "SUCCEEDED", final
    assert final["output"]["video_url"]
    assert final["usage"]["video_count"] == 1


_REQUEST_MODELS: dict[str, type[Any]] = {
    "image_reference": ImageReferenceRequest,
    "video_repainting": VideoRepaintingRequest,
    "video_edit": VideoEditRequest,
    "video_extension": VideoExtensionRequest,
    "video_outpainting": VideoOutpaintingRequest,
}


def _request_model(body: dict[str, Any]) -> Any:
    function = body["input"].get("function")
    if function in _REQUEST_MODELS:
        return _REQUEST_MODELS[function].from_dict(body)
    model = str(body["model"])
    if "kf2v" in model:
        return KeyframeToVideoRequest.from_dict(body)
    if "i2v" in model:
        return ImageToVideoRequest.from_dict(body)
    return TextToVideoRequest.from_dict(body)


@pytest.mark.parametrize("example", EXAMPLES, ids=[example.name for example in EXAMPLES])
def test_every_spec_request_example_succeeds_through_the_generated_client(
    api: Api, wan_client: AuthenticatedClient, example: SubmitExample
) -> None:
    request = _request_model(example.body)
    if example.path == IMAGE2VIDEO:
        submitted = create_keyframe_video_task.sync_detailed(client=wan_client, body=request)
    else:
        submitted = create_video_synthesis_task.sync_detailed(client=wan_client, body=request)
    assert submitted.status_code == 200, submitted.content
    assert isinstance(submitted.parsed, TaskSubmitResponse)
    assert submitted.parsed.output.task_status == TaskStatus.PENDING
    api.finish()

    final = get_task.sync(submitted.parsed.output.task_id, client=wan_client)

    assert isinstance(final, TaskQueryResponse)
    assert final.output.task_status == TaskStatus.SUCCEEDED
    assert isinstance(final.output.video_url, str)
    assert final.output.video_url.startswith("http://mock/results/")


def test_the_generated_client_parses_a_validation_error(wan_client: AuthenticatedClient) -> None:
    body = TextToVideoRequest.from_dict(body_for("t2v", parameters__seed=0))
    assert isinstance(body.parameters, TextToVideoParameters)
    body.parameters.seed = -1  # the generated models do not check ranges; the mock does

    response = create_video_synthesis_task.sync_detailed(client=wan_client, body=body)

    assert response.status_code == 400
    assert isinstance(response.parsed, ErrorResponse)
    assert response.parsed.code == "InvalidParameter"
    assert isinstance(response.parsed.message, str)
    assert "parameters.seed" in response.parsed.message
