"""Rules the service applies after accepting a task (``x-wan-rules`` with ``stage: task`` and
``stage: ignore``), and how prompts come back (``orig_prompt``, ``actual_prompt``).

A task-stage rule never refuses the submit: the task is accepted (HTTP 200, PENDING) and ends
FAILED with ``output.code`` and the rule's message — as the real service reports them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask

from contract_tests.support.mock import (
    IMAGE2VIDEO,
    VIDEO_GENERATION,
    Api,
    assert_error,
    body_for,
    spec_rule,
)
from contract_tests.support.seed_table import DOCUMENTED_MODELS, DOCUMENTED_TIERS, RESOLUTIONS
from wan_mock._domain._clock import ManualClock

SAME_LENGTH = spec_rule("image_reference.same-length")["message"]
_IMAGES = [f"http://wanx.alicdn.com/material/ref_{n}.png" for n in range(5)]


def _fails_at_the_end(api: Api, body: dict[str, Any], path: str = VIDEO_GENERATION) -> Any:
    """Submit (accepted, PENDING), run the clock out, return the FAILED task's output."""
    task_id = api.submit_ok(body, path=path)
    assert api.status(task_id) == "PENDING"
    api.finish()
    final = api.query(task_id)
    output = final["output"]
    assert output["task_status"] == "FAILED", final
    assert output["code"] == "InvalidParameter"
    assert "usage" not in final
    assert "video_url" not in output
    return output


# ---------------------------------------------------------------------- stage: task
def test_the_same_length_rule_is_a_task_stage_rule_in_the_spec() -> None:
    rule = spec_rule("image_reference.same-length")
    assert rule["stage"] == "task"
    assert SAME_LENGTH.startswith("ref_images_url and obj_or_bg must be the same length")


@pytest.mark.parametrize(
    ("images", "roles"),
    [(2, ["obj", "obj", "bg"]), (3, ["obj", "bg"]), (1, ["obj", "obj"]), (2, ["bg"])],
)
def test_obj_or_bg_of_another_length_than_ref_images_fails_the_task(
    api: Api, images: int, roles: list[str]
) -> None:
    body = body_for(
        "image_reference", input__ref_images_url=_IMAGES[:images], parameters__obj_or_bg=roles
    )

    output = _fails_at_the_end(api, body)

    assert output["message"] == SAME_LENGTH


def test_obj_or_bg_omitted_with_two_images_fails_the_task(api: Api) -> None:
    body = body_for("image_reference", input__ref_images_url=_IMAGES[:2], parameters={})

    output = _fails_at_the_end(api, body)

    assert output["message"] == SAME_LENGTH


def test_obj_or_bg_omitted_with_one_image_succeeds(api: Api) -> None:
    body = body_for("image_reference", input__ref_images_url=_IMAGES[:1], parameters={})

    final = api.run(body)

    assert final["output"]["task_status"] == "SUCCEEDED"


@pytest.mark.parametrize(
    ("model", "size"),
    [
        ("wan2.2-t2v-plus", "1280*720"),
        ("wanx2.1-t2v-plus", "832*480"),
        ("wanx2.1-t2v-turbo", "1920*1080"),
    ],
)
def test_a_size_the_model_does_not_offer_fails_the_task(api: Api, model: str, size: str) -> None:
    output = _fails_at_the_end(api, body_for("t2v", model=model, parameters__size=size))

    assert output["message"].startswith("The size is not match")
    assert size in output["message"]


@pytest.mark.parametrize(
    ("model", "size"),
    [
        ("wan2.2-t2v-plus", "832*480"),
        ("wan2.2-t2v-plus", "1440*1440"),
        ("wanx2.1-t2v-turbo", "960*960"),
    ],
)
def test_a_size_the_model_offers_succeeds(api: Api, model: str, size: str) -> None:
    final = api.run(body_for("t2v", model=model, parameters__size=size))

    assert final["output"]["task_status"] == "SUCCEEDED"
    assert final["usage"]["video_ratio"] == size


@pytest.mark.parametrize(
    ("variant", "model"),
    [("t2v", "wan2.2-t2v-plus"), ("t2v", "wanx2.1-t2v-turbo"), ("i2v", "wan2.2-i2v-flash")],
)
def test_a_duration_the_model_does_not_offer_fails_the_task(
    api: Api, variant: str, model: str
) -> None:
    output = _fails_at_the_end(api, body_for(variant, model=model, parameters__duration=10))

    assert output["message"].startswith("The duration is not match")
    assert "10" in output["message"]


def test_a_short_duration_the_turbo_i2v_model_offers_succeeds(api: Api) -> None:
    final = api.run(body_for("i2v", model="wanx2.1-i2v-turbo", parameters__duration=3))

    assert final["output"]["task_status"] == "SUCCEEDED"
    assert final["usage"]["video_duration"] == 3


@pytest.mark.parametrize(
    ("variant", "model", "resolution", "path"),
    [
        ("i2v", "wanx2.1-i2v-plus", "480P", VIDEO_GENERATION),
        ("i2v", "wan2.2-i2v-plus", "720P", VIDEO_GENERATION),
        ("i2v", "wanx2.1-i2v-turbo", "1080P", VIDEO_GENERATION),
        ("kf2v", "wanx2.1-kf2v-plus", "1080P", IMAGE2VIDEO),
    ],
)
def test_a_resolution_the_model_does_not_offer_fails_the_task(
    api: Api, variant: str, model: str, resolution: str, path: str
) -> None:
    body = body_for(variant, model=model, parameters__resolution=resolution)

    output = _fails_at_the_end(api, body, path)

    assert output["message"].startswith("The resolution is not match")
    assert resolution in output["message"]


def test_a_template_the_model_does_not_offer_fails_the_task(api: Api) -> None:
    body = body_for("i2v", input__template="hanfu-1")

    output = _fails_at_the_end(api, body)

    assert output["message"].startswith("The template is not match")


def test_a_failed_task_goes_through_running_first(api: Api) -> None:
    task_id = api.submit_ok(body_for("t2v", model="wan2.2-t2v-plus", parameters__duration=10))

    api.clock.advance(0.75)

    assert api.status(task_id) == "RUNNING"


# ---------------------------------------------------------------------- stage: ignore
def test_more_than_three_reference_images_are_accepted_and_succeed(api: Api) -> None:
    body = body_for(
        "image_reference",
        input__ref_images_url=_IMAGES[:5],
        parameters__obj_or_bg=["obj", "obj", "bg", "obj", "obj"],
    )

    final = api.run(body)

    assert final["output"]["task_status"] == "SUCCEEDED"


@pytest.mark.parametrize(
    ("model", "limit"), [("wan2.2-t2v-plus", 800), ("wan2.5-t2v-preview", 2000)]
)
def test_an_over_long_prompt_is_accepted_and_orig_prompt_is_the_prompt_as_sent(
    api: Api, model: str, limit: int
) -> None:
    prompt = ("A kitten runs through the moonlit grass. " * 100)[: limit + 150]
    assert len(prompt) > limit

    final = api.run(body_for("t2v", model=model, input__prompt=prompt))

    assert final["output"]["task_status"] == "SUCCEEDED"
    assert final["output"]["orig_prompt"] == prompt


def test_an_over_long_vace_prompt_is_accepted(api: Api) -> None:
    prompt = "x" * 801

    final = api.run(body_for("video_repainting", input__prompt=prompt))

    assert final["output"]["task_status"] == "SUCCEEDED"
    assert final["output"]["orig_prompt"] == prompt


def test_an_over_long_negative_prompt_is_accepted(api: Api) -> None:
    final = api.run(body_for("i2v", input__negative_prompt="blurry, " * 100))

    assert final["output"]["task_status"] == "SUCCEEDED"


@pytest.mark.parametrize("field", ["audio_url", "audio"])
def test_audio_sent_to_a_model_without_audio_is_ignored(api: Api, field: str) -> None:
    body = body_for("t2v", model="wan2.2-t2v-plus", parameters__size="832*480")
    if field == "audio_url":
        body["input"]["audio_url"] = "https://example.com/song.mp3"
    else:
        body["parameters"]["audio"] = True

    final = api.run(body)

    assert final["output"]["task_status"] == "SUCCEEDED"


# ---------------------------------------------------------------------- prompts
PROMPT = "A kitten running in the moonlight."

EXTEND_CASES = [
    # (variant, parameters.prompt_extend or "<default>", rewritten?)
    pytest.param("t2v", "<default>", True, id="t2v-default"),
    pytest.param("t2v", None, True, id="t2v-null-means-default"),
    pytest.param("t2v", True, True, id="t2v-true"),
    pytest.param("t2v", False, False, id="t2v-false"),
    pytest.param("i2v", "<default>", True, id="i2v-default"),
    pytest.param("i2v", False, False, id="i2v-false"),
    pytest.param("kf2v", "<default>", True, id="kf2v-default"),
    pytest.param("kf2v", False, False, id="kf2v-false"),
    pytest.param("image_reference", "<default>", True, id="image_reference-default"),
    pytest.param("image_reference", False, False, id="image_reference-false"),
    pytest.param("video_repainting", "<default>", False, id="video_repainting-default"),
    pytest.param("video_repainting", True, True, id="video_repainting-true"),
    pytest.param("video_edit", "<default>", False, id="video_edit-default"),
    pytest.param("video_edit", True, True, id="video_edit-true"),
    pytest.param("video_extension", "<default>", False, id="video_extension-default"),
    pytest.param("video_extension", None, False, id="video_extension-null-means-default"),
    pytest.param("video_outpainting", "<default>", False, id="video_outpainting-default"),
    pytest.param("video_outpainting", True, True, id="video_outpainting-true"),
]


@pytest.mark.parametrize(("variant", "extend", "rewritten"), EXTEND_CASES)
def test_actual_prompt_is_present_only_when_prompt_extend_is_effectively_on(
    api: Api, variant: str, extend: bool | str | None, rewritten: bool
) -> None:
    body = body_for(variant, input__prompt=PROMPT)
    if extend != "<default>":
        body["parameters"]["prompt_extend"] = extend
    path = IMAGE2VIDEO if variant == "kf2v" else VIDEO_GENERATION

    output = api.run(body, path=path)["output"]

    assert output["task_status"] == "SUCCEEDED"
    assert output["orig_prompt"] == PROMPT
    if rewritten:
        assert isinstance(output["actual_prompt"], str)
        assert output["actual_prompt"]
    else:
        assert "actual_prompt" not in output


def test_the_same_prompt_is_rewritten_the_same_way(api: Api) -> None:
    first = api.run(body_for("t2v", input__prompt=PROMPT))["output"]
    second = api.run(body_for("t2v", input__prompt=PROMPT))["output"]
    other = api.run(body_for("t2v", input__prompt="A dog on a skateboard."))["output"]

    assert first["task_id"] != second["task_id"]
    assert first["actual_prompt"] == second["actual_prompt"]
    assert other["actual_prompt"] != first["actual_prompt"]


def test_prompts_are_shown_only_once_the_task_succeeded(api: Api) -> None:
    task_id = api.submit_ok(body_for("t2v", input__prompt=PROMPT))

    pending = api.query(task_id)["output"]
    api.clock.advance(1.0)
    running = api.query(task_id)["output"]

    for output in (pending, running):
        assert "orig_prompt" not in output
        assert "actual_prompt" not in output


# ---------------------------------------------------------------------- one capability rule
# A size, resolution or duration the API documents for *some* model but this model (or Wan-VACE
# function) does not offer is accepted and the task FAILS with InvalidParameter and "The <field>
# is not match …" (seed 003's task failure, API_FACTS §8); a value documented for no model, or a
# malformed one, is refused at submit. The values come from the documentation tables
# (``seed_table``), not from the spec.
_ALL_SIZES = tuple(size for sizes in DOCUMENTED_TIERS.values() for size in sizes)
_ALL_DURATIONS = tuple(sorted({d for model in DOCUMENTED_MODELS for d in model.durations}))
_DOCUMENTED: dict[str, tuple[Any, ...]] = {
    "size": _ALL_SIZES,
    "resolution": tuple(sorted(RESOLUTIONS)),
    "duration": _ALL_DURATIONS,
}
_UNDOCUMENTED: dict[str, tuple[Any, ...]] = {
    "size": ("1000*1000", "1280x720", "1280*", "720P"),
    "resolution": ("4K", "720p", "1280*720"),
    "duration": (7, 0, -5, 5.5, "5", 2**63),
}
#: The variant of each request schema and the capability fields it has (seeds 000-004).
_VARIANTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "TextToVideoRequest": ("t2v", ("size", "duration")),
    "ImageToVideoRequest": ("i2v", ("resolution", "duration")),
    "KeyframeToVideoRequest": ("kf2v", ("resolution", "duration")),
    "ImageReferenceRequest": ("image_reference", ("size", "duration")),
    "VideoRepaintingRequest": ("video_repainting", ("duration",)),
    "VideoEditRequest": ("video_edit", ("size", "duration")),
    "VideoExtensionRequest": ("video_extension", ("duration",)),
    "VideoOutpaintingRequest": ("video_outpainting", ("duration",)),
}
_CASES = [
    pytest.param(model.model, request, name, id=f"{model.model}-{_VARIANTS[request][0]}-{name}")
    for model in DOCUMENTED_MODELS
    for request in model.requests
    for name in _VARIANTS[request][1]
]


def _offered(model_name: str, name: str) -> tuple[Any, ...]:
    model = next(m for m in DOCUMENTED_MODELS if m.model == model_name)
    if name == "size":
        return tuple(size for tier in model.tiers for size in DOCUMENTED_TIERS[tier])
    return model.tiers if name == "resolution" else model.durations


@pytest.fixture
def quiet_api(make_app: Callable[..., Flask], clock: ManualClock) -> Api:
    """The API of an app that renders no videos: these tests read task states, not MP4s, and
    rendering every size in the background would only compete for the CPU."""
    from wan_mock._service._settings import Settings

    return Api(make_app(Settings(prerender_videos=False)).test_client(), clock)


@pytest.mark.parametrize(("model", "request_name", "name"), _CASES)
def test_a_documented_value_the_model_does_not_offer_fails_the_task_one_way_everywhere(
    quiet_api: Api, model: str, request_name: str, name: str
) -> None:
    variant = _VARIANTS[request_name][0]
    path = IMAGE2VIDEO if variant == "kf2v" else VIDEO_GENERATION
    offered = _offered(model, name)
    tasks = {
        value: quiet_api.submit_ok(
            body_for(variant, model=model, **{f"parameters__{name}": value}), path=path
        )
        for value in _DOCUMENTED[name]
    }
    quiet_api.finish()
    for value, task_id in tasks.items():
        final = quiet_api.query(task_id)
        output = final["output"]
        if value in offered:
            assert output["task_status"] == "SUCCEEDED", (value, final)
            continue
        assert output["task_status"] == "FAILED", (value, final)
        assert output["code"] == "InvalidParameter"
        assert output["message"].startswith(f"The {name} is not match"), output["message"]
        assert str(value) in output["message"]


@pytest.mark.parametrize(("model", "request_name", "name"), _CASES)
def test_a_value_documented_for_no_model_is_refused_at_submit_naming_the_field(
    quiet_api: Api, model: str, request_name: str, name: str
) -> None:
    variant = _VARIANTS[request_name][0]
    path = IMAGE2VIDEO if variant == "kf2v" else VIDEO_GENERATION
    for value in _UNDOCUMENTED[name]:
        body = body_for(variant, model=model, **{f"parameters__{name}": value})
        response = quiet_api.submit(body, path=path)
        assert_error(response, 400, "InvalidParameter", mentions=(f"parameters.{name}",))
