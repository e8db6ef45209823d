"""The mock's business logic: who is calling, submit, query, cancel, list, uploads — no HTTP.

Views pass in what they parsed (the Authorization header, a :class:`SubmitRequest`, a task id, the
query) and render the :class:`Outcome` that comes back; the outcome also says what the journal
records (the task and its status). Every documented rule is decided here or in the module that
owns it (``validation``, ``rules``, ``lifecycle``, ``scenarios``); every refusal is raised as an
``ApiError``. State lives in the ``Store``; time comes from the injected clock.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import itertools
import math
import random
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from .._domain._clock import Clock
from .._domain._images import (
    ImageLimits,
    ImageRejected,
    check_data_image,
    check_image_bytes,
    is_data_url,
)
from .._domain._lifecycle import (
    CANCELED,
    NEVER,
    PENDING,
    Status,
    queued_start,
    status_at,
    timing_for,
)
from .._domain._media import output_size
from .._domain._rate_limits import RateLimiter
from .._domain._rules import apply_rules
from .._domain._scenarios import (
    BrokenDownload,
    Polls,
    Scenario,
    ScenarioError,
    parse_scenario,
    transient_codes,
    with_defaults,
)
from .._spec._documents import ApiSpec, ErrorInfo, ModelInfo
from .._spec._errors import (
    AccessDenied,
    ApiError,
    IllegalInput,
    InvalidApiKey,
    InvalidParameter,
    RateQuota,
    UnsupportedOperation,
)
from .._spec._field_paths import get_path
from .._spec._validation import OperationValidator, RequestValidator, Selection, without_nulls
from .._storage._sqlite import Schedule, Store, TaskRecord
from .._storage._uploads import UploadStore
from ._settings import Settings

__all__ = ["Backend", "Caller", "IdSource", "Outcome", "SubmitRequest", "key_id"]

_REWRITE_SUFFIX = (
    " The scene is rendered with cinematic composition, soft natural light, smooth camera"
    " movement and rich, consistent detail."
)


@functools.lru_cache(maxsize=1024)
def key_id(api_key: str) -> str:
    """A stable, non-reversible id for an API key: keys themselves are never stored."""
    return hashlib.sha256(api_key.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Caller:
    """Who is calling: the key's id (never the key) and the request id of this call."""

    key_id: str
    request_id: str


@dataclass(frozen=True)
class SubmitRequest:
    """What a submit sent, as the view read it: the submit path's kind, the three headers the
    service reads, and the body — read only when it is needed (a ``reject=`` scenario answers
    before the body is looked at)."""

    kind: str
    read_body: Callable[[], Any]
    async_header: str | None = "enable"
    oss_resolve_header: str | None = None
    scenario_header: str | None = None


@dataclass(frozen=True)
class Outcome:
    """An answer of the API: its JSON body, the task and status the journal records, and how
    long the answer is delayed (a ``latency=`` scenario; None: the server's latency)."""

    body: dict[str, Any]
    task_id: str | None = None
    task_status: str | None = None
    delay: float | None = None


class IdSource:
    """Task ids: random UUIDs, or a reproducible sequence when seeded."""

    def __init__(self, seed: int | None) -> None:
        self._random = random.Random(seed) if seed is not None else None

    def task_id(self) -> str:
        if self._random is None:
            return str(uuid.uuid4())
        return str(uuid.UUID(int=self._random.getrandbits(128), version=4))


class Backend:
    """Tasks for one app: its spec, store, clock and settings."""

    def __init__(
        self,
        spec: ApiSpec,
        store: Store,
        clock: Clock,
        settings: Settings,
        uploads: UploadStore,
        *,
        prepare_video: Callable[[tuple[int, int, int]], object] | None = None,
        rate_clock: Callable[[], float] | None = None,
        gateway_errors: Mapping[str, ErrorInfo] | None = None,
        count_poll: Callable[[str], None] | None = None,
    ) -> None:
        """``prepare_video`` is called with (width, height, seconds) of each task that will
        succeed, so its video can be rendered long before anyone downloads it; ``rate_clock``
        replaces the real time rate limits are counted in (tests); ``gateway_errors`` are the
        mock's own codes a ``query_fail=`` scenario may answer besides the API's; ``count_poll``
        counts a query of a task whose answers do not depend on the count (in batches: the
        journal's), else the store counts it at once."""
        self.spec = spec
        self.store = store
        self.clock = clock
        self.settings = settings
        self.uploads = uploads
        self.validator = RequestValidator(spec)
        self._list_query = OperationValidator(spec.document, spec.operations["list_tasks"])
        self._upload_query = OperationValidator(spec.document, spec.operations["get_upload_policy"])
        self.ids = IdSource(settings.id_seed)
        self._zone = timezone(timedelta(hours=settings.utc_offset_hours))
        self._secret = store.secret().encode()
        self._url_rule = spec.rule("media.url-syntax")
        # the processes and hosts on one store count their requests together
        self.limiter = RateLimiter(now=rate_clock, shared=store if store.shared else None)
        self._prepare_video = prepare_video
        self._transient = transient_codes({**spec.errors, **(gateway_errors or {})})
        self._count_poll = count_poll
        self._answers = itertools.count()

    # ------------------------------------------------------------------ who calls
    def authenticate(self, authorization: str | None, request_id: str) -> Caller:
        """The caller of a request: 401 InvalidApiKey without an acceptable bearer key."""
        header = (authorization or "").strip()
        if not header:
            raise InvalidApiKey("No API-key provided.")
        scheme, _, token = header.partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer":
            raise InvalidApiKey("Invalid API-key provided.")
        if not token:
            raise InvalidApiKey("No API-key provided.")
        allowed = self.settings.api_keys
        if allowed and token not in allowed:
            raise InvalidApiKey("Invalid API-key provided.")
        return Caller(key_id=key_id(token), request_id=request_id)

    # ------------------------------------------------------------------ submit
    def select(self, kind: str, body: Mapping[str, Any], *, key: str = "") -> Selection:
        """Route, rate-limit (per key and model) and validate a submit body (raises the
        documented error)."""
        selection = self.validator.select(kind, body)
        self._limit(("submit", selection.model.name), selection.model.rps, key)
        self.validator.validate(selection, body)
        return selection

    def _limit(self, bucket: tuple[str, str], per_second: float, key: str = "") -> None:
        if not self.settings.rate_limits_enabled:
            return
        wait = self.limiter.hit((key, *bucket), per_second)
        if wait is not None:
            raise RateQuota(retry_after=max(1, math.ceil(wait)))

    def _limit_task_endpoints(self, caller: Caller) -> None:
        """Query, list and cancel share one per-key rate (20 QPS on the real service)."""
        self._limit(("tasks", ""), self.spec.service.task_endpoints_qps, caller.key_id)

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

    # ------------------------------------------------------------------ latency
    def delay(self, own: float | None) -> float:
        """How long an answer waits: its own (a task's ``latency=``), else the server's."""
        if own is not None:
            return own
        latency = self.settings.latency
        return 0.0 if latency is None else latency.delay(next(self._answers))

    @staticmethod
    def _task_delay(scenario: Scenario, *call: object) -> float | None:
        """A task's delay for one call (``"submit"``, ``"cancel"``, or a query by its number):
        the same on every run with the same seed."""
        latency = scenario.latency
        return None if latency is None else latency.delay(*call)

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
            delay = self._task_delay(scenario, "submit")
            raise ApiError(code=scenario.reject, injected=True, delay=delay)
        body = request.read_body()
        if not isinstance(body, dict):
            raise IllegalInput()
        resolve = self._oss_resolve(request.oss_resolve_header)
        task_id = self._accept(caller, request.kind, body, resolve, scenario, now)
        if queued_id is not None:
            self.store.consume_scenario(queued_id)
        answer = {"output": {"task_status": PENDING, "task_id": task_id}}
        delay = self._task_delay(scenario, "submit")
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
        status, code, message = "SUCCEEDED", None, None
        if outcome.failure is not None:
            status, code, message = "FAILED", outcome.failure.code, outcome.failure.message
        elif scenario.fail is not None:
            status, (code, message) = "FAILED", scenario.fail
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
            usage=self._usage(model, selection, used) if status == "SUCCEEDED" else None,
            video=self._video(model, selection, used, image_size)
            if status == "SUCCEEDED"
            else None,
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
                record.outcome = "FAILED"
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

    # ------------------------------------------------------------------ query
    def _visible(
        self, caller: Caller, task_id: str, now: float, *, counts: bool = True
    ) -> TaskRecord | None:
        record = self.store.get(task_id) if counts else self.store.peek(task_id)
        if record is None or record.key_id != caller.key_id:
            return None
        return None if self._expired(record, now) else record

    def _queried(
        self, caller: Caller, task_id: str, now: float
    ) -> tuple[TaskRecord, Scenario] | None:
        """The key's task as a query sees it (and its scenario), counted as one more query: a
        ``query_fail=`` scenario answers its error, and a task progressing by polls moves on."""
        record = self._visible(caller, task_id, now, counts=False)
        if record is None:
            return None
        scenario = Scenario.from_task_fields(record.scenario)
        if scenario.polls is None and scenario.query_fail is None and self._count_poll:
            self._count_poll(task_id)  # nothing in the answer depends on the count...
            if scenario.latency is not None:  # ...but a delay drawn for the query's number
                record = self.store.get(task_id) or record
            return record, scenario
        counted = self.store.query(task_id, caller.key_id)  # counted at once: it decides
        if counted is None:
            return None
        record = counted
        answered = record.polls
        failure = scenario.query_fail
        if failure is not None:
            if answered <= failure.count:
                delay = self._task_delay(scenario, "query", record.polls)
                raise ApiError(code=failure.code, injected=True, delay=delay)
            answered -= failure.count
        if scenario.polls is not None and record.canceled_at is None:
            self._progress(record, scenario.polls, answered, now)
        return record, scenario

    def _progress(self, record: TaskRecord, polls: Polls, answered: int, now: float) -> None:
        """Start (and end) a task that waits for polls once it has been answered enough."""
        stage = polls.status_after(answered)
        if stage == "PENDING" or (stage == "RUNNING" and record.start_at < NEVER):
            return
        if stage == "DONE" and record.end_at < NEVER:
            return
        end = now if stage == "DONE" else None
        self.store.progress(record.task_id, start_at=now, end_at=end)
        record.start_at = min(record.start_at, now)
        if end is not None:
            record.end_at = min(record.end_at, end)

    def _expired(self, task: Schedule | TaskRecord, now: float) -> bool:
        """Past the task's time to live: the service no longer knows it (UNKNOWN)."""
        return now >= task.submitted_at + self.spec.service.task_ttl_seconds

    def status_of(self, record: Schedule | TaskRecord, now: float | None = None) -> Status:
        return status_at(
            self.clock.now() if now is None else now,
            start_at=record.start_at,
            end_at=record.end_at,
            outcome=record.outcome,
            canceled_at=record.canceled_at,
        )

    def query(self, caller: Caller, task_id: str, *, result_base: str, now: float) -> Outcome:
        """A task as ``GET /tasks/{id}`` shows it; UNKNOWN when this key cannot see it."""
        self._limit_task_endpoints(caller)
        queried = self._queried(caller, task_id, now)
        if queried is None:
            unknown = {"task_id": task_id, "task_status": "UNKNOWN"}
            return Outcome({"request_id": caller.request_id, "output": unknown}, task_id, "UNKNOWN")
        record, scenario = queried
        status = self.status_of(record, now)
        output: dict[str, Any] = {
            "task_id": record.task_id,
            "task_status": status,
            "submit_time": self._clock_text(record.submitted_at),
        }
        if status in ("RUNNING", "SUCCEEDED", "FAILED"):
            output["scheduled_time"] = self._clock_text(record.start_at)
        if status in ("SUCCEEDED", "FAILED"):
            output["end_time"] = self._clock_text(record.end_at)
        if status == "CANCELED" and record.canceled_at is not None:
            output["end_time"] = self._clock_text(record.canceled_at)
        body: dict[str, Any] = {"request_id": caller.request_id, "output": output}
        if status == "SUCCEEDED":
            output["video_url"] = self.video_url(record, result_base)
            if record.orig_prompt is not None:
                output["orig_prompt"] = record.orig_prompt
            if record.actual_prompt is not None:
                output["actual_prompt"] = record.actual_prompt
            if record.usage is not None:
                body["usage"] = dict(record.usage)
        elif status == "FAILED":
            output["code"] = record.code
            output["message"] = record.message
        delay = self._task_delay(scenario, "query", record.polls)
        return Outcome(body, task_id, status, delay)

    def _clock_text(self, when: float) -> str:
        """``YYYY-MM-DD HH:mm:ss.SSS`` in the service's zone, the same millisecond as the list's
        epoch-millisecond times."""
        millis = _millis(when)
        m = datetime.fromtimestamp(millis // 1000, tz=self._zone)
        return (
            f"{m.year:04d}-{m.month:02d}-{m.day:02d} "
            f"{m.hour:02d}:{m.minute:02d}:{m.second:02d}.{millis % 1000:03d}"
        )

    # ------------------------------------------------------------------ results
    def _signature(self, task_id: str, expires: int) -> str:
        mac = hmac.new(self._secret, f"{task_id}:{expires}".encode(), hashlib.sha256)
        return mac.hexdigest()[:32]

    def video_url(self, record: TaskRecord, result_base: str) -> str:
        """A signed URL on the mock for the task's MP4, valid until the task expires."""
        expires = int(record.submitted_at + self.spec.service.task_ttl_seconds)
        signature = self._signature(record.task_id, expires)
        return f"{result_base}/{record.task_id}.mp4?Expires={expires}&Signature={signature}"

    def result(self, task_id: str, expires: str | None, signature: str | None) -> TaskRecord:
        """The SUCCEEDED task behind a result URL; ``PermissionError`` when it is not valid."""
        record = self.store.get(task_id)
        if record is None or expires is None or signature is None or not expires.isdigit():
            raise PermissionError("invalid result URL")
        if not hmac.compare_digest(self._signature(task_id, int(expires)), signature):
            raise PermissionError("bad signature")
        now = self.clock.now()
        if now >= int(expires) or self.status_of(record, now) != "SUCCEEDED":
            raise PermissionError("expired")
        return record

    def broken_download(self, record: TaskRecord) -> BrokenDownload | None:
        """Count a download of the task's result; how it breaks (a ``download=`` scenario),
        or None when it is delivered whole."""
        before = self.store.count_download(record.task_id)
        broken = Scenario.from_task_fields(record.scenario).download
        return broken if broken is not None and broken.applies(before) else None

    # ------------------------------------------------------------------ cancel
    def cancel(self, caller: Caller, task_id: str, *, now: float) -> Outcome:
        """Cancel a task of this key that may still be canceled (``lifecycle``: only a PENDING
        one); anything else is UnsupportedOperation."""
        self._limit_task_endpoints(caller)
        record = self._visible(caller, task_id, now)
        if record is None or not self.store.cancel(task_id, caller.key_id, now):
            raise UnsupportedOperation()
        delay = self._task_delay(Scenario.from_task_fields(record.scenario), "cancel")
        return Outcome({"request_id": caller.request_id}, task_id, CANCELED, delay)

    # ------------------------------------------------------------------ list
    def _parse_time(self, name: str, text: str) -> float:
        try:
            moment = datetime.strptime(text, "%Y%m%d%H%M%S")
        except ValueError:
            raise InvalidParameter(
                f"Parameter {name} is invalid: {text!r} is not a time as YYYYMMDDhhmmss."
            ) from None
        return moment.replace(tzinfo=self._zone).timestamp()

    def list(self, caller: Caller, args: Mapping[str, str], *, now: float) -> Outcome:
        """One page of the key's tasks in a window of at most 24 hours."""
        self._limit_task_endpoints(caller)
        query = self._list_query.query(args)
        window = self.spec.service.list_window_seconds
        start_text, end_text = query.get("start_time"), query.get("end_time")
        end = self._parse_time("end_time", end_text) if end_text else None
        start = self._parse_time("start_time", start_text) if start_text else None
        if start is None and end is None:
            end, start = now, now - window
        elif start is None:
            assert end is not None
            start = end - window
        elif end is None:
            end = start + window
        if end < start:
            raise InvalidParameter("Parameter end_time is invalid: it is before start_time.")
        if end - start > window:
            raise InvalidParameter(
                "Parameter end_time is invalid: the time window may span at most 24 hours."
            )
        page_no = int(query["page_no"])
        page_size = int(query.get("page_size", self.spec.service.list_default_page_size))

        def listed_status(task: Schedule | TaskRecord) -> str:
            return "UNKNOWN" if self._expired(task, now) else self.status_of(task, now)

        total, page = self.store.find_page(
            caller.key_id,
            since=start,
            until=end + 0.999,
            status_of=listed_status,
            status=query.get("status"),
            model=query.get("model_name") or None,
            task_id=query.get("task_id") or None,
            offset=(page_no - 1) * page_size,
            limit=page_size,
        )
        return Outcome(
            {
                "request_id": caller.request_id,
                "total": total,
                "total_page": math.ceil(total / page_size) if total else 0,
                "page_no": page_no,
                "page_size": page_size,
                "data": [self._list_item(record, status) for record, status in page],
            }
        )

    def _list_item(self, record: TaskRecord, status: str) -> dict[str, Any]:
        item: dict[str, Any] = {
            "task_id": record.task_id,
            "status": status,
            "model_name": record.model,
            "request_id": record.request_id,
            "gmt_create": _millis(record.submitted_at),
            "api_key_id": record.key_id,
            "region": self.settings.region,
            "user_api_unique_key": (f"apikey:v1:aigc:{record.kind}:video-synthesis:{record.model}"),
        }
        if status in ("RUNNING", "SUCCEEDED", "FAILED"):
            item["start_time"] = _millis(record.start_at)
        if status in ("SUCCEEDED", "FAILED"):
            item["end_time"] = _millis(record.end_at)
        elif status == "CANCELED" and record.canceled_at is not None:
            item["end_time"] = _millis(record.canceled_at)
        return item

    # ------------------------------------------------------------------ uploads
    def save_upload(self, key: str, signature: str, data: bytes, *, now: float) -> None:
        """Keep a file the SDK uploads to the policy's ``upload_host`` (``UploadRejected``
        when the signature, the key or the size is wrong)."""
        self.uploads.save(key, signature, data, now)

    def upload_policy(
        self, caller: Caller, args: Mapping[str, str], upload_host: str, *, now: float
    ) -> Outcome:
        """A policy for the SDK's local-file upload, pointing at the mock itself."""
        model = str(self._upload_query.query(args)["model"])
        day = datetime.fromtimestamp(now, tz=UTC)
        directory = f"dashscope-instant/{caller.key_id}/{day:%Y-%m-%d}/{uuid.uuid4()}"
        ttl = 300
        signature = self.uploads.sign(directory)
        return Outcome(
            {
                "request_id": caller.request_id,
                "data": {
                    "policy": f"mock-policy:{model}",
                    "signature": signature,
                    "upload_dir": directory,
                    "upload_host": upload_host,
                    "expire_in_seconds": ttl,
                    "max_file_size_mb": self.spec.service.upload_max_file_size_mb,
                    "capacity_limit_mb": 999999999,
                    "oss_access_key_id": "MOCKACCESSKEYID",
                    "x_oss_object_acl": "private",
                    "x_oss_forbid_overwrite": "true",
                },
            }
        )


def _millis(when: float) -> int:
    return round(when * 1000)
