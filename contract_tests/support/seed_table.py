"""What the documentation says, written down by hand, for the spec tests (``spec/test_spec_*.py``)
to hold the spec to.

Every row names its source: a seed document in ``/work/shared/seeds`` (``000`` multi-image
reference, ``001`` first/last frame, ``002`` VACE curl examples, ``003`` the Wan-VACE reference,
``004`` text-to-video) or a section of ``/work/shared/API_FACTS.md``. The tables are data on
purpose: a reviewer can check a row against the page it cites without reading any test code,
and the spec is never used to fill them in.

The tables:

- ``DOCUMENTED_FIELDS``: one row per (request or response schema, field path) with the type,
  requiredness, enum/const, range and default the documentation gives.
- ``DOCUMENTED_MODELS``: per-model capabilities and rate limits (API_FACTS §6-7, seed 003).
- ``DOCUMENTED_ERRORS``: error codes with their HTTP status and message (API_FACTS §5).
- ``DOCUMENTED_SERVERS``, ``DOCUMENTED_SERVICE_LIMITS``, ``DOCUMENTED_OPERATIONS``,
  ``DOCUMENTED_RULE_OUTCOMES`` and ``DOCUMENTED_TIERS``: the hosts, the service-wide numbers,
  the operations, what each cross-field rule does, the size tiers; ``TASK_STATUSES`` and the
  templates (``I2V_TEMPLATES``, ``KF2V_TEMPLATES``) the seeds list.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Final

__all__ = [
    "DOCUMENTED_ERRORS",
    "DOCUMENTED_FIELDS",
    "DOCUMENTED_MODELS",
    "DOCUMENTED_OPERATIONS",
    "DOCUMENTED_RULE_OUTCOMES",
    "DOCUMENTED_SERVERS",
    "DOCUMENTED_SERVICE_LIMITS",
    "DOCUMENTED_TIERS",
    "I2V_TEMPLATES",
    "KF2V_TEMPLATES",
    "SEED_MAX",
    "TASK_STATUSES",
    "UNCHECKED",
    "DocumentedError",
    "DocumentedField",
    "DocumentedModel",
    "Unchecked",
]


class Unchecked(enum.Enum):
    """Marks a column the documentation says nothing about: the test leaves it alone."""

    UNCHECKED = "unchecked"


UNCHECKED: Final = Unchecked.UNCHECKED

SEED_MAX: Final = 2147483647

# Output sizes per resolution tier (seed 004; API_FACTS §6).
DOCUMENTED_TIERS: Final[dict[str, tuple[str, ...]]] = {
    "480P": ("832*480", "480*832", "624*624"),
    "720P": ("1280*720", "720*1280", "960*960", "1088*832", "832*1088"),
    "1080P": ("1920*1080", "1080*1920", "1440*1440", "1632*1248", "1248*1632"),
}
T2V_SIZES: Final = frozenset(size for sizes in DOCUMENTED_TIERS.values() for size in sizes)
# seed 003: "The model currently supports generating 720p videos" — five sizes, 1280*720 default.
VACE_SIZES: Final = frozenset({"1280*720", "720*1280", "960*960", "832*1088", "1088*832"})
RESOLUTIONS: Final = frozenset({"480P", "720P", "1080P"})

# Model names: API_FACTS §6 (Beijing `wanx2.1-*`, Singapore `wan2.1-*`; seeds 002/003 for VACE).
T2V_MODELS: Final = frozenset(
    {
        "wan2.5-t2v-preview",
        "wan2.2-t2v-plus",
        "wanx2.1-t2v-turbo",
        "wanx2.1-t2v-plus",
        "wan2.1-t2v-turbo",
        "wan2.1-t2v-plus",
    }
)
I2V_MODELS: Final = frozenset(
    {
        "wan2.5-i2v-preview",
        "wan2.2-i2v-flash",
        "wan2.2-i2v-plus",
        "wanx2.1-i2v-turbo",
        "wanx2.1-i2v-plus",
        "wan2.1-i2v-turbo",
        "wan2.1-i2v-plus",
    }
)
KF2V_MODELS: Final = frozenset({"wan2.2-kf2v-flash", "wanx2.1-kf2v-plus", "wan2.1-kf2v-plus"})
VACE_MODELS: Final = frozenset({"wan2.1-vace-plus", "wanx2.1-vace-plus"})

I2V_TEMPLATES: Final = (
    "flying",
    "squish",
    "rotation",
    "poke",
    "inflate",
    "dissolve",
    "carousel",
    "singleheart",
    "rose",
    "hug",
    "frenchkiss",
)
KF2V_TEMPLATES: Final = ("hanfu-1", "solaron", "magazine", "mech1", "mech2")

# seed 003, "task_status ... Enumeration".
TASK_STATUSES: Final = ("PENDING", "RUNNING", "SUCCEEDED", "FAILED", "CANCELED", "UNKNOWN")


@dataclass(frozen=True)
class DocumentedField:
    """One documented field of one schema.

    ``type`` is the documented JSON type (the spec may add ``null`` to optional fields, since
    the official SDK sends ``None`` as ``null``). ``enum`` is compared as a set, exactly — except
    for a ``capability`` field (``size``, ``resolution``, ``duration``): there the documentation
    gives what *this* variant offers, the service accepts every value documented for *some*
    model and fails the task when the model does not offer it (seed 003, API_FACTS §8), so the
    spec's enum is the union of the documented enums of that capability, and each model's own
    values are checked against ``DOCUMENTED_MODELS``.
    ``required`` is about the last path segment inside its parent object (``None``: the
    documentation does not say, as for most response fields). Other columns left at their
    defaults (``None`` / ``UNCHECKED``) are not documented and not checked.
    """

    schema: str
    path: str
    type: str
    source: str
    required: bool | None = False
    enum: frozenset[object] | None = None
    const: object = UNCHECKED
    minimum: float | None = None
    maximum: float | None = None
    default: object = UNCHECKED
    item_type: str | None = None
    item_enum: frozenset[str] | None = None
    min_items: int | None = None
    max_items: int | None = None
    capability: str | None = None

    @property
    def id(self) -> str:
        return f"{self.schema}:{self.path}"


def _seed(schema: str, source: str) -> DocumentedField:
    return DocumentedField(
        schema, "parameters.seed", "integer", source, minimum=0, maximum=SEED_MAX
    )


def _watermark(schema: str, source: str) -> DocumentedField:
    return DocumentedField(schema, "parameters.watermark", "boolean", source, default=False)


def _prompt_extend(schema: str, default: bool, source: str) -> DocumentedField:
    return DocumentedField(schema, "parameters.prompt_extend", "boolean", source, default=default)


def _fixed_duration(schema: str, source: str) -> DocumentedField:
    return DocumentedField(
        schema,
        "parameters.duration",
        "integer",
        source,
        enum=frozenset({5}),
        default=5,
        capability="duration",
    )


def _sdk_quirks(schema: str) -> list[DocumentedField]:
    """API_FACTS §2: the official SDK always adds these to ``input``; they must be accepted."""
    source = "API_FACTS §2 (SDK quirks)"
    return [
        DocumentedField(
            schema, "input.function", "string", source, enum=frozenset({"video-synthesis"})
        ),
        DocumentedField(schema, "input.extend_prompt", "boolean", source),
    ]


def _vace_common(schema: str, function: str, source: str) -> list[DocumentedField]:
    return [
        DocumentedField(schema, "model", "string", source, required=True, enum=VACE_MODELS),
        DocumentedField(schema, "input", "object", source, required=True),
        DocumentedField(schema, "input.function", "string", source, required=True, const=function),
        DocumentedField(schema, "input.prompt", "string", source, required=True),
        DocumentedField(schema, "input.extend_prompt", "boolean", "API_FACTS §2 (SDK quirks)"),
        _seed(schema, source),
        _watermark(schema, source),
    ]


_T2V = "TextToVideoRequest"
_S004 = "seed 004 (text-to-video)"
_I2V = "ImageToVideoRequest"
_F6 = "API_FACTS §6 (first-frame image-to-video)"
_KF = "KeyframeToVideoRequest"
_S001 = "seed 001 (first/last frame)"
_IR = "ImageReferenceRequest"
_S_IR = "seeds 000, 003 (multi-image reference)"
_REP = "VideoRepaintingRequest"
_S_REP = "seed 003 (video repainting)"
_EDIT = "VideoEditRequest"
_S_EDIT = "seed 003 (local editing)"
_EXT = "VideoExtensionRequest"
_S_EXT = "seed 003 (video extension)"
_OUT = "VideoOutpaintingRequest"
_S_OUT = "seed 003 (video outpainting)"
_ED_CC = frozenset({"", "posebodyface", "depth"})

DOCUMENTED_FIELDS: Final[tuple[DocumentedField, ...]] = (
    # ----------------------------------------------------------------- text-to-video (seed 004)
    DocumentedField(_T2V, "model", "string", _S004, required=True, enum=T2V_MODELS),
    DocumentedField(_T2V, "input", "object", _S004, required=True),
    DocumentedField(_T2V, "input.prompt", "string", _S004, required=True),
    DocumentedField(_T2V, "input.negative_prompt", "string", _S004),
    DocumentedField(_T2V, "input.audio_url", "string", _S004),
    *_sdk_quirks(_T2V),
    DocumentedField(_T2V, "parameters", "object", _S004),
    DocumentedField(_T2V, "parameters.size", "string", _S004, enum=T2V_SIZES, capability="size"),
    _prompt_extend(_T2V, True, _S004),
    DocumentedField(
        _T2V,
        "parameters.duration",
        "integer",
        _S004,
        enum=frozenset({5, 10}),
        default=5,
        capability="duration",
    ),
    DocumentedField(_T2V, "parameters.audio", "boolean", _S004, default=True),
    _watermark(_T2V, _S004),
    _seed(_T2V, _S004),
    # ----------------------------------------------------------------- image-to-video, first frame
    DocumentedField(_I2V, "model", "string", _F6, required=True, enum=I2V_MODELS),
    DocumentedField(_I2V, "input", "object", _F6, required=True),
    DocumentedField(_I2V, "input.img_url", "string", _F6, required=True),
    DocumentedField(_I2V, "input.prompt", "string", _F6),
    DocumentedField(_I2V, "input.negative_prompt", "string", "seeds 001, 004 (negative_prompt)"),
    DocumentedField(_I2V, "input.audio_url", "string", "API_FACTS §2, §6 (wan2.5 audio)"),
    DocumentedField(_I2V, "input.template", "string", _F6),
    *_sdk_quirks(_I2V),
    DocumentedField(_I2V, "parameters", "object", "API_FACTS §2"),
    DocumentedField(
        _I2V, "parameters.resolution", "string", _F6, enum=RESOLUTIONS, capability="resolution"
    ),
    DocumentedField(
        _I2V,
        "parameters.duration",
        "integer",
        _F6,
        enum=frozenset({3, 4, 5, 10}),
        capability="duration",
    ),
    _prompt_extend(_I2V, True, "seeds 001, 004 (prompt_extend default true)"),
    DocumentedField(_I2V, "parameters.audio", "boolean", "API_FACTS §6; seed 004", default=True),
    _watermark(_I2V, "seeds 001, 004"),
    _seed(_I2V, "seeds 001, 004"),
    # ----------------------------------------------------------------- first/last frame (seed 001)
    DocumentedField(
        _KF, "model", "string", _S001 + "; API_FACTS §6", required=True, enum=KF2V_MODELS
    ),
    DocumentedField(_KF, "input", "object", _S001, required=True),
    DocumentedField(_KF, "input.first_frame_url", "string", _S001, required=True),
    DocumentedField(_KF, "input.last_frame_url", "string", _S001),
    DocumentedField(_KF, "input.prompt", "string", _S001),
    DocumentedField(_KF, "input.negative_prompt", "string", _S001),
    DocumentedField(_KF, "input.template", "string", _S001),
    *_sdk_quirks(_KF),
    DocumentedField(_KF, "parameters", "object", _S001, required=True),
    DocumentedField(
        _KF, "parameters.resolution", "string", _S001, enum=RESOLUTIONS, capability="resolution"
    ),
    _fixed_duration(_KF, _S001),
    _watermark(_KF, _S001),
    _prompt_extend(_KF, True, _S001),
    _seed(_KF, _S001 + "; seeds 003, 004 range"),
    # ----------------------------------------------------------------- VACE image_reference
    *_vace_common(_IR, "image_reference", _S_IR),
    DocumentedField(
        _IR, "input.ref_images_url", "array", _S_IR, required=True, item_type="string", min_items=1
    ),
    DocumentedField(_IR, "parameters", "object", _S_IR),
    DocumentedField(
        _IR,
        "parameters.obj_or_bg",
        "array",
        _S_IR,
        item_type="string",
        item_enum=frozenset({"obj", "bg"}),
    ),
    DocumentedField(
        _IR,
        "parameters.size",
        "string",
        _S_IR,
        enum=VACE_SIZES,
        default="1280*720",
        capability="size",
    ),
    _fixed_duration(_IR, _S_IR),
    _prompt_extend(_IR, True, _S_IR),
    # ----------------------------------------------------------------- VACE video_repainting
    *_vace_common(_REP, "video_repainting", _S_REP),
    DocumentedField(_REP, "input.video_url", "string", _S_REP, required=True),
    DocumentedField(_REP, "input.ref_images_url", "array", _S_REP, item_type="string", max_items=1),
    DocumentedField(_REP, "parameters", "object", _S_REP, required=True),
    DocumentedField(
        _REP,
        "parameters.control_condition",
        "string",
        _S_REP,
        required=True,
        enum=frozenset({"posebodyface", "posebody", "depth", "scribble"}),
    ),
    DocumentedField(
        _REP, "parameters.strength", "number", _S_REP, minimum=0.0, maximum=1.0, default=1.0
    ),
    DocumentedField(
        _REP,
        "parameters.duration",
        "integer",
        "seed 003 model overview (up to 5 s)",
        enum=frozenset({5}),
        capability="duration",
    ),
    _prompt_extend(_REP, False, _S_REP),
    # ----------------------------------------------------------------- VACE video_edit
    *_vace_common(_EDIT, "video_edit", _S_EDIT),
    DocumentedField(_EDIT, "input.video_url", "string", _S_EDIT, required=True),
    DocumentedField(
        _EDIT, "input.ref_images_url", "array", _S_EDIT, item_type="string", max_items=1
    ),
    DocumentedField(_EDIT, "input.mask_image_url", "string", _S_EDIT),
    DocumentedField(_EDIT, "input.mask_frame_id", "integer", _S_EDIT, minimum=1, default=1),
    DocumentedField(_EDIT, "input.mask_video_url", "string", _S_EDIT),
    DocumentedField(_EDIT, "parameters", "object", _S_EDIT),
    DocumentedField(
        _EDIT, "parameters.control_condition", "string", _S_EDIT, enum=_ED_CC, default=""
    ),
    DocumentedField(
        _EDIT,
        "parameters.mask_type",
        "string",
        _S_EDIT,
        enum=frozenset({"tracking", "fixed"}),
        default="tracking",
    ),
    DocumentedField(
        _EDIT, "parameters.expand_ratio", "number", _S_EDIT, minimum=0.0, maximum=1.0, default=0.05
    ),
    DocumentedField(
        _EDIT,
        "parameters.expand_mode",
        "string",
        _S_EDIT,
        enum=frozenset({"hull", "bbox", "original"}),
        default="hull",
    ),
    DocumentedField(
        _EDIT,
        "parameters.size",
        "string",
        _S_EDIT,
        enum=VACE_SIZES,
        default="1280*720",
        capability="size",
    ),
    _fixed_duration(_EDIT, _S_EDIT),
    _prompt_extend(_EDIT, False, _S_EDIT),
    # ----------------------------------------------------------------- VACE video_extension
    *_vace_common(_EXT, "video_extension", _S_EXT),
    DocumentedField(_EXT, "input.first_frame_url", "string", _S_EXT),
    DocumentedField(_EXT, "input.last_frame_url", "string", _S_EXT),
    DocumentedField(_EXT, "input.first_clip_url", "string", _S_EXT),
    DocumentedField(_EXT, "input.last_clip_url", "string", _S_EXT),
    DocumentedField(_EXT, "input.video_url", "string", _S_EXT),
    DocumentedField(_EXT, "parameters", "object", _S_EXT),
    DocumentedField(
        _EXT, "parameters.control_condition", "string", _S_EXT, enum=_ED_CC, default=""
    ),
    _fixed_duration(_EXT, _S_EXT),
    _prompt_extend(_EXT, False, _S_EXT),
    # ----------------------------------------------------------------- VACE video_outpainting
    *_vace_common(_OUT, "video_outpainting", _S_OUT),
    DocumentedField(_OUT, "input.video_url", "string", _S_OUT, required=True),
    DocumentedField(_OUT, "parameters", "object", _S_OUT),
    *(
        DocumentedField(
            _OUT,
            f"parameters.{side}_scale",
            "number",
            _S_OUT,
            minimum=1.0,
            maximum=2.0,
            default=1.0,
        )
        for side in ("top", "bottom", "left", "right")
    ),
    _fixed_duration(_OUT, _S_OUT),
    _prompt_extend(_OUT, False, _S_OUT),
    # ----------------------------------------------------------------- responses (seed 003)
    DocumentedField(
        "TaskSubmitResponse", "request_id", "string", "seed 003 (create task)", required=None
    ),
    DocumentedField(
        "TaskSubmitResponse", "output", "object", "seed 003; API_FACTS §3", required=True
    ),
    DocumentedField(
        "TaskSubmitResponse", "output.task_id", "string", "seed 003; API_FACTS §3", required=True
    ),
    DocumentedField(
        "TaskSubmitResponse",
        "output.task_status",
        "string",
        "seed 003; API_FACTS §3",
        required=True,
    ),
    DocumentedField(
        "TaskQueryResponse", "request_id", "string", "seed 003 (query task)", required=None
    ),
    DocumentedField(
        "TaskQueryResponse", "output", "object", "seed 003; API_FACTS §3", required=True
    ),
    DocumentedField(
        "TaskQueryResponse", "output.task_id", "string", "seed 003; API_FACTS §3", required=True
    ),
    DocumentedField(
        "TaskQueryResponse",
        "output.task_status",
        "string",
        "seed 003; API_FACTS §3",
        required=True,
    ),
    *(
        DocumentedField("TaskQueryResponse", f"output.{name}", "string", "seed 003 (query task)")
        for name in (
            "submit_time",
            "scheduled_time",
            "end_time",
            "video_url",
            "orig_prompt",
            "actual_prompt",
            "code",
            "message",
        )
    ),
    DocumentedField("TaskQueryResponse", "usage", "object", "seed 003 (query task)"),
    DocumentedField(
        "TaskQueryResponse", "usage.video_duration", "integer", "seed 003", required=None
    ),
    DocumentedField("TaskQueryResponse", "usage.video_ratio", "string", "seed 003", required=None),
    DocumentedField("TaskQueryResponse", "usage.video_count", "integer", "seed 003", required=None),
    *(
        DocumentedField("ErrorResponse", name, "string", "seed 003 (error response); API_FACTS §3")
        for name in ("request_id", "code", "message")
    ),
)


@dataclass(frozen=True)
class DocumentedModel:
    """One model's documented capabilities and limits (API_FACTS §6-7; seed 003 for VACE)."""

    model: str
    family: str
    requests: tuple[str, ...]
    paths: tuple[str, ...]
    tiers: tuple[str, ...]
    durations: tuple[int, ...]
    rps: int
    concurrent_tasks: int
    audio: bool
    processing_seconds: tuple[int, int]
    default_size: str | None = None
    default_resolution: str | None = None
    prompt_max_length: int | None = None
    templates: tuple[str, ...] | None = None


_VG = ("video-generation",)
_KF_PATHS = ("image2video", "video-generation")  # API_FACTS §1 and §8 (decision)
_FAST = (60, 300)  # API_FACTS §7: t2v, i2v, kf2v take 1-5 min
_VACE_SECONDS = (300, 600)  # seed 003 / API_FACTS §7: VACE takes 5-10 min
_VACE_REQUESTS = (_IR, _REP, _EDIT, _EXT, _OUT)


def _t2v(
    model: str,
    tiers: tuple[str, ...],
    default_size: str,
    durations: tuple[int, ...],
    prompt: int,
    audio: bool,
    limit: int,
) -> DocumentedModel:
    return DocumentedModel(
        model,
        "text-to-video",
        (_T2V,),
        _VG,
        tiers,
        durations,
        limit,
        limit,
        audio,
        _FAST,
        default_size=default_size,
        prompt_max_length=prompt,
    )


def _i2v(
    model: str,
    tiers: tuple[str, ...],
    default_resolution: str,
    durations: tuple[int, ...],
    audio: bool,
    limit: int,
) -> DocumentedModel:
    return DocumentedModel(
        model,
        "image-to-video",
        (_I2V,),
        _VG,
        tiers,
        durations,
        limit,
        limit,
        audio,
        _FAST,
        default_resolution=default_resolution,
        templates=I2V_TEMPLATES,
    )


def _kf2v(model: str, tiers: tuple[str, ...], default_resolution: str, rps: int) -> DocumentedModel:
    return DocumentedModel(
        model,
        "keyframe-to-video",
        (_KF,),
        _KF_PATHS,
        tiers,
        (5,),
        rps,
        2,
        False,
        _FAST,
        default_resolution=default_resolution,
        templates=KF2V_TEMPLATES,
    )


def _vace(model: str) -> DocumentedModel:
    return DocumentedModel(
        model,
        "vace",
        _VACE_REQUESTS,
        _VG,
        ("720P",),
        (5,),
        2,
        2,
        False,
        _VACE_SECONDS,
        default_size="1280*720",
        prompt_max_length=800,
    )


_ALL_TIERS = ("480P", "720P", "1080P")

DOCUMENTED_MODELS: Final[tuple[DocumentedModel, ...]] = (
    # text-to-video table, API_FACTS §6; wan2.5 prompt limit 2000 is seed 004's figure.
    _t2v("wan2.5-t2v-preview", _ALL_TIERS, "1920*1080", (5, 10), 2000, True, 5),
    _t2v("wan2.2-t2v-plus", ("480P", "1080P"), "1920*1080", (5,), 800, False, 2),
    _t2v("wanx2.1-t2v-turbo", ("480P", "720P"), "1280*720", (5,), 800, False, 2),
    _t2v("wan2.1-t2v-turbo", ("480P", "720P"), "1280*720", (5,), 800, False, 2),
    _t2v("wanx2.1-t2v-plus", ("720P",), "1280*720", (5,), 800, False, 2),
    _t2v("wan2.1-t2v-plus", ("720P",), "1280*720", (5,), 800, False, 2),
    # first-frame image-to-video, API_FACTS §6
    _i2v("wan2.5-i2v-preview", _ALL_TIERS, "1080P", (5, 10), True, 5),
    _i2v("wan2.2-i2v-flash", _ALL_TIERS, "720P", (5,), False, 2),
    _i2v("wan2.2-i2v-plus", ("480P", "1080P"), "1080P", (5,), False, 2),
    _i2v("wanx2.1-i2v-turbo", ("480P", "720P"), "720P", (3, 4, 5), False, 2),
    _i2v("wan2.1-i2v-turbo", ("480P", "720P"), "720P", (3, 4, 5), False, 2),
    _i2v("wanx2.1-i2v-plus", ("720P",), "720P", (5,), False, 2),
    _i2v("wan2.1-i2v-plus", ("720P",), "720P", (5,), False, 2),
    # first/last frame, API_FACTS §6-7 (Singapore wan2.1-kf2v-plus: 1 RPS, 2 tasks)
    _kf2v("wan2.2-kf2v-flash", _ALL_TIERS, "720P", 2),
    _kf2v("wanx2.1-kf2v-plus", ("720P",), "720P", 2),
    _kf2v("wan2.1-kf2v-plus", ("720P",), "720P", 1),
    # Wan-VACE, seed 003 (both region names, 2 RPS, 2 concurrent tasks, 720p, 5 s)
    _vace("wan2.1-vace-plus"),
    _vace("wanx2.1-vace-plus"),
)


@dataclass(frozen=True)
class DocumentedError:
    """An error code, its HTTP status, and the messages the documentation gives for it."""

    code: str
    http_status: int
    messages: tuple[str, ...]


DOCUMENTED_ERRORS: Final[tuple[DocumentedError, ...]] = (
    DocumentedError(
        "InvalidParameter",
        400,
        (
            "Required parameter(s) missing or invalid, please check the request parameters.",
            "Model not exist.",
            "url error, please check url!",
        ),
    ),
    DocumentedError(
        "DataInspectionFailed", 400, ("Input data may contain inappropriate content.",)
    ),
    DocumentedError(
        "IPInfringementSuspect",
        400,
        ("Input data is suspected of being involved in IP infringement.",),
    ),
    DocumentedError(
        "UnsupportedOperation",
        400,
        ("Failed to cancel the task, please confirm if the task is in PENDING status.",),
    ),
    DocumentedError(
        "BadRequest.EmptyInput", 400, ("Required input parameter missing from request.",)
    ),
    DocumentedError(
        "BadRequest.EmptyModel", 400, ('Required parameter "model" missing from request.',)
    ),
    DocumentedError("BadRequest.IllegalInput", 400, ("The input parameter requires json format.",)),
    DocumentedError("InvalidURL", 400, ("Invalid URL provided in your request.",)),
    DocumentedError("InvalidApiKey", 401, ("Invalid API-key provided.", "No API-key provided.")),
    # seed 003 quotes this message without a final period (API_FACTS §5 has one): the seed wins
    DocumentedError("AccessDenied", 403, ("current user api does not support synchronous calls",)),
    DocumentedError("ModelNotFound", 404, ("Model can not be found.",)),
    DocumentedError("BadRequest.TooLarge", 413, ("Payload Too Large.",)),
    DocumentedError(
        "Throttling.RateQuota", 429, ("Requests rate limit exceeded, please try again later.",)
    ),
    DocumentedError("Throttling", 429, ("Requests throttling triggered.",)),
    DocumentedError(
        "InternalError",
        500,
        ("An internal error has occurred, please try again later or contact service support.",),
    ),
    DocumentedError("InternalError.Timeout", 500, ()),
    DocumentedError("ModelUnavailable", 503, ("Model is unavailable, please try again later.",)),
)

# Base URLs: seed 003 and API_FACTS §1, plus the project's own mock (README).
DOCUMENTED_SERVERS: Final = frozenset(
    {
        "https://dashscope-intl.aliyuncs.com/api/v1",
        "https://dashscope.aliyuncs.com/api/v1",
        "http://127.0.0.1:8000/api/v1",
    }
)

# Service-wide limits: (key path in `x-wan-service`, documented value, source).
DOCUMENTED_SERVICE_LIMITS: Final[tuple[tuple[str, object, str], ...]] = (
    ("negative_prompt_max_length", 500, "seeds 001, 004"),
    ("task_ttl_seconds", 24 * 3600, "seed 003; API_FACTS §7"),
    ("task_timeout_seconds", 3 * 3600, "API_FACTS §5, §7"),
    ("upload_ttl_seconds", 48 * 3600, "API_FACTS §2"),
    ("task_endpoints_qps", 20, "API_FACTS §7"),
    ("list_window_seconds", 24 * 3600, "API_FACTS §4"),
    ("list_default_page_size", 10, "API_FACTS §4"),
    ("output_video.fps", 30, "seed 003; API_FACTS §7"),
    ("image_input.min_side", 360, "seed 001; API_FACTS §6"),
    ("image_input.max_side", 2000, "seed 001; API_FACTS §6"),
    ("image_input.max_bytes", 10 * 1024 * 1024, "seed 001"),
    ("vace_image_input.min_side", 360, "seed 003"),
    ("vace_image_input.max_side", 2000, "seed 003"),
    ("vace_image_input.max_bytes", 10 * 1024 * 1024, "seed 003"),
    ("image_input.formats", frozenset({"jpeg", "jpg", "png", "bmp", "webp"}), "seed 001"),
    (
        "vace_image_input.formats",
        frozenset({"jpg", "jpeg", "png", "bmp", "tiff", "webp"}),
        "seed 003",
    ),
    ("audio_input.formats", frozenset({"wav", "mp3"}), "seed 004"),
    ("audio_input.min_seconds", 3, "seed 004"),
    ("audio_input.max_seconds", 30, "seed 004"),
    ("audio_input.max_bytes", 15 * 1024 * 1024, "seed 004"),
    ("paths.video-generation", "/services/aigc/video-generation/video-synthesis", "seeds 000, 004"),
    ("paths.image2video", "/services/aigc/image2video/video-synthesis", "seed 001"),
)

# Endpoints (method, path below the base URL): seeds 000, 001, 003 and API_FACTS §1.
DOCUMENTED_OPERATIONS: Final = frozenset(
    {
        ("post", "/services/aigc/video-generation/video-synthesis"),
        ("post", "/services/aigc/image2video/video-synthesis"),
        ("get", "/tasks/{task_id}"),
        ("post", "/tasks/{task_id}/cancel"),
        ("get", "/tasks"),
        ("get", "/uploads"),
    }
)

# What the service does when a documented cross-field rule is broken: (rule id in
# `x-wan-rules`, stage, code, start of the message or None, source).
DOCUMENTED_RULE_OUTCOMES: Final[tuple[tuple[str, str, str, str | None, str], ...]] = (
    (
        "image_reference.same-length",
        "task",
        "InvalidParameter",
        "ref_images_url and obj_or_bg must be the same length",
        "seed 003 error table (HTTP 200)",
    ),
    ("image_reference.first-three-images", "ignore", "InvalidParameter", None, "seed 003"),
    ("image_reference.single-background", "submit", "InvalidParameter", None, "seed 003"),
    ("video_edit.one-mask", "submit", "InvalidParameter", None, "seed 003"),
    (
        "video_extension.control-condition-with-video",
        "submit",
        "InvalidParameter",
        None,
        "seed 003",
    ),
    (
        "media.url-syntax",
        "submit",
        "InvalidParameter",
        "url error, please check url!",
        "API_FACTS §5",
    ),
    ("model.size", "task", "InvalidParameter", "The size is not match", "seed 003; API_FACTS §8"),
    ("prompt.truncate", "ignore", "InvalidParameter", None, "seeds: excess is truncated"),
    ("negative_prompt.truncate", "ignore", "InvalidParameter", None, "seeds 001, 004"),
)
