"""Submitting a task: the async and OSS headers, which scenario applies and when a queued one is
consumed, the body's checks (validation, the model's rate, media), the rule table, and the task
as stored — its timing, queueing behind the key's running tasks, and its result's shape.

Every refusal is raised as an ``ApiError``; the rules behind them are those of the modules that
own them (``_validation``, ``_rules``, ``_images``, ``_scenarios``, ``_quotas``). An accepted
task's queueing and insert are one store transaction.
"""

from __future__ import annotations

import math
import random
import uuid
from collections.abc import Callable, Mapping
from typing import Any

from .._domain._images import (
    ImageLimits,
    ImageRejected,
    check_data_image,
    check_image_bytes,
    is_data_url,
)
from .._domain._lifecycle import FAILED, NEVER, PENDING, SUCCEEDED, queued_start, timing_for
from .._domain._media import output_size
from .._domain._rules import apply_rules
from .._domain._scenarios import Scenario, ScenarioError, parse_scenario, with_defaults
from .._spec._documents import ApiSpec, ErrorInfo, ModelInfo
from .._spec._errors import AccessDenied, ApiError, IllegalInput, InvalidParameter, RateQuota
from .._spec._field_paths import get_path
from .._spec._validation import RequestValidator, Selection, without_nulls
from .._storage._interfaces import ApiStore
from .._storage._records import TaskRecord
from .._storage._uploads import UploadStore
from ._calls import Caller, Outcome, SubmitRequest, task_delay
from ._quotas import Quotas
from ._settings import Settings

__all__ = ["IdSource", "Submissions"]

_REWRITE_SUFFIX = (
    " The scene is rendered with cinematic composition, soft natural light, smooth camera"
    " movement and rich, consistent detail."
)


class IdSource:
    """Task ids: random UUIDs, or a reproducible sequence when seeded."""

    def __init__(self, seed: int | None) -> None:
        self._random = random.Random(seed) if seed is not None else None

    def task_id(self) -> str:
        if self._random is None:
            return str(uuid.uuid4())
        return str(uuid.UUID(int=self._random.getrandbits(128), version=4))


class Submissions:
    """The submits of one mock: what it accepts, and each accepted task as stored."""

    def __init__(
        self,
        spec: ApiSpec,
        store: ApiStore,
        settings: Settings,
        uploads: UploadStore,
        quotas: Quotas,
        *,
        prepare_video: Callable[[tuple[int, int, int]], object] | None = None,
        transient: Mapping[str, ErrorInfo],
    ) -> None:
        """``prepare_video`` is called with (width, height, seconds) of each task that will
        succeed, so its video can be rendered long before anyone downloads it; ``transient``
        are the codes a ``query_fail=`` scenario may answer."""
        self.spec = spec
        self.store = store
        self.settings = settings
        self.uploads = uploads
        self.quotas = quotas
        self.validator = RequestValidator(spec)
        self.ids = IdSource(settings.id_seed)
        self._url_rule = spec.rule("media.url-syntax")
        self._prepare_video = prepare_video
        self._transient = transient

    def select(self, kind: str, body: Mapping[str, Any], *, key: str = "") -> Selection:
        """Route, rate-limit (per key and model) and validate a submit body (raises the
        documented error)."""
        selection = self.validator.select(kind, body)
        self.quotas.submit(selection.model.name, selection.model.rps, key)
        self.validator.validate(selection, body)
        return selection

    def _image_limits(self, selection: Selection, where: str) -> ImageLimits | None:
        limits = self.spec.image_limits_of(selection.schema_name, where)
        return None if limits is None else ImageLimits.from_mapping(limits)

    def _oss_resolve(self, header: str | None) -> bool:
        """Whether the submit asks for ``oss://`` inputs to be resolved (the header is ``enable``
        or absent; any other value is refused like any parameter outside its enum)."""
        if header is None:
            return False
        if header.strip().lower() != "enable":
            raise InvalidParameter(
                f"Parameter X-DashScope-OssResourceResolve is invalid: {header!r} is not enable."
            )
        return True

    def _scenario(self, caller: Caller, header: str | None) -> tuple[Scenario, int | None]:
        """This submit's scenario: the header, else the oldest one queued for the key (with its
        queue id: it is consumed only once it takes effect)."""
        text, queued_id = header, None
        if text is None:
            queued = self.store.next_scenario(caller.key_id)
            if queued is not None:
                queued_id, text = queued
        if not text:
            return Scenario(), queued_id
        try:
            return self.parse_scenario(text), queued_id
        except ScenarioError as error:
            raise InvalidParameter(str(error)) from None

    def parse_scenario(self, text: str) -> Scenario:
        """A scenario against this mock's error codes (``ScenarioError`` names what is wrong)."""
        return parse_scenario(text, self.spec.errors, transient=self._transient)

    def _check_media(
        self, selection: Selection, body: Mapping[str, Any], oss_resolve: bool, now: float
    ) -> tuple[int, int] | None:
        """Check what can be checked offline: inline ``data:`` images and uploaded ``oss://``
        images are decoded and held to the documented limits (``x-image-limits``), and an
        ``oss://`` input must have been uploaded here. http(s) URLs are never fetched. Returns
        the first image's size (it sets the output aspect ratio)."""
        rule = self._url_rule
        first_image: tuple[int, int] | None = None
        for where in rule.fields:
            value = get_path(body, where)
            for url in value if isinstance(value, list) else [value]:
                if not isinstance(url, str):
                    continue
                raw: bytes | None = None
                if url.startswith("oss://"):
                    if not oss_resolve:
                        raise InvalidParameter(
                            f"{rule.message} ({where}: an oss:// URL needs the header "
                            "X-DashScope-OssResourceResolve: enable)"
                        )
                    raw = self.uploads.read(url.removeprefix("oss://"), now)
                    if raw is None:
                        raise InvalidParameter(
                            f"{rule.message} ({where}: {url} was not uploaded or has expired)"
                        )
                elif not is_data_url(url):
                    continue
                limits = self._image_limits(selection, where)
                if limits is None:
                    continue
                try:
                    if raw is None:
                        dims = check_data_image(where, url, limits)
                    else:
                        dims = check_image_bytes(where, raw, limits)
                except ImageRejected as rejected:
                    raise InvalidParameter(rejected.message) from None
                first_image = first_image or dims
        return first_image

    def submit(self, caller: Caller, request: SubmitRequest, *, now: float) -> Outcome:
        """Accept a task (PENDING): the async header must be ``enable`` (403 otherwise), and a
        scenario — the request's, or the next one queued for the key — may refuse the submit
        or set the task's timing and outcome. ``now`` is the request's time."""
        if (request.async_header or "").strip().lower() != "enable":
            raise AccessDenied()
        scenario, queued_id = self._scenario(caller, request.scenario_header)
        if scenario.reject is not None:
            if queued_id is not None:
                self.store.consume_scenario(queued_id)
            delay = task_delay(scenario, "submit")
            raise ApiError(code=scenario.reject, injected=True, delay=delay)
        body = request.read_body()
        if not isinstance(body, dict):
            raise IllegalInput()
        resolve = self._oss_resolve(request.oss_resolve_header)
        task_id = self._accept(caller, request.kind, body, resolve, scenario, now)
        if queued_id is not None:
            self.store.consume_scenario(queued_id)
        answer = {"output": {"task_status": PENDING, "task_id": task_id}}
        delay = task_delay(scenario, "submit")
        return Outcome({**answer, "request_id": caller.request_id}, task_id, PENDING, delay)

    def _accept(
        self,
        caller: Caller,
        kind: str,
        body: Mapping[str, Any],
        oss_resolve: bool,
        scenario: Scenario,
        now: float,
    ) -> str:
        """Validate the body (a null field is a field not given: :func:`without_nulls`), apply
        the rule table and store the task; its id."""
        received, body = body, without_nulls(body)
        selection = self.select(kind, body, key=caller.key_id)
        image_size = self._check_media(selection, body, oss_resolve, now)
        model = selection.model
        outcome = apply_rules(self.spec, model, selection.schema_name, body)
        task_id = self.ids.task_id()
        scenario = with_defaults(scenario, polls=self.settings.progress)
        timing = timing_for(self.settings.profile, model, task_id)
        pending = timing.pending if scenario.pending is None else scenario.pending
        running = timing.running if scenario.running is None else scenario.running
        if scenario.polls is not None:  # its queries move it: it waits for them
            pending = running = NEVER
        status, code, message = SUCCEEDED, None, None
        if outcome.failure is not None:
            status, code, message = FAILED, outcome.failure.code, outcome.failure.message
        elif scenario.fail is not None:
            status, (code, message) = FAILED, scenario.fail
        used = outcome.body
        prompt = get_path(body, "input.prompt")
        orig_prompt = prompt if isinstance(prompt, str) else None
        record = TaskRecord(
            task_id=task_id,
            key_id=caller.key_id,
            model=model.name,
            kind=kind,
            request_id=caller.request_id,
            submitted_at=now,
            start_at=min(now + pending, NEVER),
            end_at=min(now + pending + running, NEVER),
            outcome=status,
            code=code,
            message=message,
            orig_prompt=orig_prompt,
            actual_prompt=self._actual_prompt(selection, used),
            usage=self._usage(model, selection, used) if status == SUCCEEDED else None,
            video=self._video(model, selection, used, image_size) if status == SUCCEEDED else None,
            request=used,
            notes=outcome.notes,
            scenario=scenario.task_fields(),
            variant=selection.schema_name,
            scenario_text=scenario.text or None,
            received=None if received == used else dict(received),
        )
        by_polls = scenario.polls is not None  # neither queued behind others nor timed out
        self.store.insert(
            record,
            None if by_polls else self._scheduler(record, model, running),
            with_busy=self.settings.rate_limits_enabled and not by_polls,
        )
        if record.video is not None and self._prepare_video is not None:
            self._prepare_video(record.video)
        return task_id

    def _scheduler(
        self, record: TaskRecord, model: ModelInfo, running: float
    ) -> Callable[[list[tuple[float, float]]], None]:
        """Queue the task behind the key's running tasks of the model, then apply the timeout."""
        limits = self.settings.rate_limits_enabled
        timeout = self.spec.service.task_timeout_seconds
        timeout_message = self.spec.errors["InternalError.Timeout"].task_message

        def schedule(busy: list[tuple[float, float]]) -> None:
            if limits and busy:
                now = record.submitted_at
                in_use = sum(1 for start, end in busy if start <= now < end or start > now)
                if self.settings.reject_over_concurrency and in_use >= model.concurrent_tasks:
                    raise RateQuota(
                        "Too many concurrent tasks for this model, please try again later.",
                        retry_after=max(1, math.ceil(min(end for _, end in busy) - now)),
                    )
                record.start_at = queued_start(
                    record.start_at, running, busy, model.concurrent_tasks
                )
                record.end_at = record.start_at + running
            if record.end_at - record.submitted_at > timeout:
                record.end_at = record.submitted_at + timeout
                record.start_at = min(record.start_at, record.end_at)
                record.outcome = FAILED
                record.code, record.message = "InternalError.Timeout", timeout_message
                record.usage = record.video = None

        return schedule

    def _effective(self, selection: Selection, body: Mapping[str, Any], dotted: str) -> Any:
        value = get_path(body, dotted)
        return self.spec.default(selection.schema_name, dotted) if value is None else value

    def _actual_prompt(self, selection: Selection, body: Mapping[str, Any]) -> str | None:
        prompt = get_path(body, "input.prompt")
        if not isinstance(prompt, str) or not prompt:
            return None
        if not self._effective(selection, body, "parameters.prompt_extend"):
            return None
        return prompt + _REWRITE_SUFFIX

    def _duration(self, model: ModelInfo, body: Mapping[str, Any]) -> int:
        value = get_path(body, "parameters.duration")
        return int(value) if value is not None else model.default_duration

    def _size(
        self,
        model: ModelInfo,
        selection: Selection,
        body: Mapping[str, Any],
        image_size: tuple[int, int] | None = None,
    ) -> str:
        """The output ``W*H``: the size asked for or the model's default; for resolution
        tiers, the tier's size closest to the input image's aspect (16:9 when unknown). Only
        fields the request schema declares are read: others are unknown parameters, ignored."""
        default = model.default_size or self.spec.tiers["720P"][0]
        schema = selection.schema_name
        if self.spec.field_schema(schema, "parameters.size") is not None:
            size = get_path(body, "parameters.size")
            return size if isinstance(size, str) else default
        if self.spec.field_schema(schema, "parameters.resolution") is None:
            return default
        tier = get_path(body, "parameters.resolution") or model.default_resolution or "720P"
        width, height = output_size(tier_sizes=self.spec.tiers[str(tier)], image_size=image_size)
        return f"{width}*{height}"

    def _usage(
        self, model: ModelInfo, selection: Selection, body: Mapping[str, Any]
    ) -> dict[str, Any]:
        ratio = model.usage_video_ratio
        if ratio == "size":
            ratio = self._size(model, selection, body)
        return {
            "video_duration": self._duration(model, body),
            "video_count": 1,
            "video_ratio": ratio,
        }

    def _video(
        self,
        model: ModelInfo,
        selection: Selection,
        body: Mapping[str, Any],
        image_size: tuple[int, int] | None,
    ) -> tuple[int, int, int]:
        size = self._size(model, selection, body, image_size)
        width, height = (int(n) for n in size.split("*"))
        return width, height, self._duration(model, body)
