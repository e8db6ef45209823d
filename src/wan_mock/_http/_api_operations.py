"""The API's operations: their routes, their views over the backend, the journal.

Every operation of ``openapi/wan-video.yaml`` is answered here, for the request pipeline
(``_pipeline.Pipeline``), which routes by ``Api.match`` and calls ``Api.answer``: the view reads
what it needs of the request (headers, path parameters, query, a lazily read JSON body), calls
the backend, and the outcome or the refusal is rendered, one journal row written and the answer
held for its latency. The request id, the ``X-Request-ID`` header and the access-log line are
the pipeline's, as they are for every other request; no Flask request context is made.

Routes are matched as Werkzeug matches them (the decoded path, a ``{param}`` is one non-empty
segment, every API prefix, with and without a trailing slash) by one precompiled regular
expression over every operation's path.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from werkzeug.wrappers import Request
from werkzeug.wsgi import get_content_length, get_input_stream

from .._service._calls import Caller, Outcome, SubmitRequest
from .._service._state import MockState
from .._spec._base_paths import API_PREFIX, API_PREFIXES, CONTROL_PREFIX
from .._spec._codec import dumps
from .._spec._errors import IllegalInput, InvalidParameter, Rendered, TooLarge
from .._storage._opening import store_unavailable
from ._pipeline import JSON, Answer, Exchange, error_answer, origin, refusal_of

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIEnvironment

__all__ = ["API_PREFIX", "API_PREFIXES", "CONTROL_PREFIX", "Api", "Call"]

_log = logging.getLogger("wan_mock")


# ---------------------------------------------------------------------- JSON
#: The deepest nesting a request body may have (the deepest documented body has 4 levels).
_MAX_BODY_DEPTH = 32


def _json_body(environ: WSGIEnvironment, limit: int) -> Any:
    """The request body as JSON, refusing what is too large, not JSON (NaN, Infinity, numbers
    that overflow to infinity, invalid UTF-8 or lone surrogates included) or nested deeper than
    ``_MAX_BODY_DEPTH``."""
    length = get_content_length(environ)
    if length is not None and length > limit:
        raise TooLarge()
    raw = get_input_stream(environ).read(limit + 1)
    if len(raw) > limit:
        raise TooLarge()
    try:
        body = _BODY_DECODER.decode(raw.decode("utf-8"))
        # fewer opening brackets than the limit cannot nest deeper than it
        brackets = raw.count(b"{") + raw.count(b"[")
        if brackets > _MAX_BODY_DEPTH and _depth_exceeds(body, _MAX_BODY_DEPTH):
            raise InvalidParameter(
                f"Parameter body is invalid: it is nested deeper than {_MAX_BODY_DEPTH} levels."
            )
        if b"\\u" in raw:  # only a \u escape can make a lone surrogate (UnicodeError)
            json.dumps(body, ensure_ascii=False).encode("utf-8")
    except (UnicodeError, ValueError, RecursionError):
        raise IllegalInput() from None
    return body


def _finite_float(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise ValueError(f"{text} is not a finite number")
    return value


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


#: What ``json.loads(text, parse_constant=…, parse_float=…)`` would build on every call.
_BODY_DECODER = json.JSONDecoder(parse_constant=_reject_constant, parse_float=_finite_float)


def _depth_exceeds(value: Any, limit: int) -> bool:
    """Whether containers nest deeper than ``limit`` (iteratively: no recursion)."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict | list):
            if depth > limit:
                return True
            children = node.values() if isinstance(node, dict) else node
            stack.extend((child, depth + 1) for child in children)
    return False


# ---------------------------------------------------------------------- one request
@dataclass(slots=True)
class Call:
    """One API request while a view answers it: its exchange (where the route, the key id and
    the task are noted for the journal and the access log), its path parameters, and the clock
    read once per request (a SharedClock read may be a store query)."""

    state: MockState
    exchange: Exchange
    path_args: Mapping[str, str]
    _now: float | None = None

    def now(self) -> float:
        if self._now is None:
            self._now = self.state.clock.now()
        return self._now

    def header(self, name: str) -> str | None:
        value: str | None = self.exchange.environ.get(_ENVIRON_KEYS[name])
        return value

    def origin(self) -> str:
        return origin(self.exchange.environ)

    def args(self) -> dict[str, str]:
        """The query parameters (the first value of each), as Werkzeug parses them."""
        return dict(Request(self.exchange.environ).args.items())

    def caller(self) -> Caller:
        caller = self.state.backend.authenticate(
            self.header("Authorization"), self.exchange.request_id
        )
        self.exchange.key_id = caller.key_id
        return caller


#: The environ key of each header an API view reads.
_ENVIRON_KEYS = {
    name: "HTTP_" + name.upper().replace("-", "_")
    for name in (
        "Authorization",
        "X-DashScope-Async",
        "X-DashScope-OssResourceResolve",
        "X-Mock-Scenario",
    )
}


View = Callable[[Call], Outcome]


def _submit(kind: str) -> View:
    def view(call: Call) -> Outcome:
        state, environ = call.state, call.exchange.environ
        submitted = SubmitRequest(
            kind=kind,
            read_body=lambda: _json_body(environ, state.spec.max_body_bytes),
            async_header=call.header("X-DashScope-Async"),
            oss_resolve_header=call.header("X-DashScope-OssResourceResolve"),
            scenario_header=call.header("X-Mock-Scenario"),
        )
        return state.backend.submit(call.caller(), submitted, now=call.now())

    return view


def _get_task(call: Call) -> Outcome:
    base = call.origin() + "/results"
    task_id = call.path_args["task_id"]
    return call.state.backend.query(call.caller(), task_id, result_base=base, now=call.now())


def _cancel_task(call: Call) -> Outcome:
    task_id = call.path_args["task_id"]
    return call.state.backend.cancel(call.caller(), task_id, now=call.now())


def _list_tasks(call: Call) -> Outcome:
    return call.state.backend.list(call.caller(), call.args(), now=call.now())


def _upload_policy(call: Call) -> Outcome:
    host = call.origin() + CONTROL_PREFIX + "/oss"
    return call.state.backend.upload_policy(call.caller(), call.args(), host, now=call.now())


_PARAM = re.compile(r"\{(\w+)\}")
#: A path the expression matched: its operation ids by method, and (parameter, group) pairs.
_Route = tuple[dict[str, str], list[tuple[str, str]]]


class Api:
    """The API of one mock instance: its views by operation id, their routes, and the one
    way an operation is answered."""

    def __init__(self, state: MockState) -> None:
        self.state = state
        self.views: dict[str, View] = {
            "get_task": _get_task,
            "cancel_task": _cancel_task,
            "list_tasks": _list_tasks,
            "get_upload_policy": _upload_policy,
        }
        by_path = {path: kind for kind, path in state.spec.service.paths.items()}
        for operation in state.spec.operations.values():
            if operation.path in by_path:
                self.views[operation.operation_id] = _submit(by_path[operation.path])
        missing = set(state.spec.operations) - set(self.views)
        if missing:
            raise ValueError(f"wan-video.yaml operations without a view: {sorted(missing)}")
        self._expression, self._routes = self._compile()

    def _compile(self) -> tuple[re.Pattern[str], dict[str, _Route]]:
        """One expression over every prefix and operation path (a trailing slash allowed):
        each path is a group ``path_N`` (the last group a match closes), each of its path
        parameters a group ``pN_NAME``."""
        methods: dict[str, dict[str, str]] = {}
        for operation in self.state.spec.operations.values():
            by_method = methods.setdefault(operation.path, {})
            by_method[operation.method.upper()] = operation.operation_id
        alternatives: list[str] = []
        routes: dict[str, _Route] = {}
        for index, (path, by_method) in enumerate(methods.items()):
            params = [(name, f"p{index}_{name}") for text, name in _pieces(path) if name]
            pattern = "".join(
                f"(?P<p{index}_{name}>[^/]+)" if name else re.escape(text)
                for text, name in _pieces(path)
            )
            alternatives.append(f"(?P<path_{index}>{pattern}/?)")
            routes[f"path_{index}"] = (by_method, params)
        prefixes = "|".join(re.escape(prefix) for prefix in API_PREFIXES)
        return re.compile(f"(?:{prefixes})(?:{'|'.join(alternatives)})"), routes

    def match(self, path: str) -> tuple[dict[str, str], dict[str, str]] | None:
        """The operation ids at an API path by method, and its path parameters, or None."""
        found = self._expression.fullmatch(path)
        if found is None or found.lastgroup is None:
            return None
        by_method, params = self._routes[found.lastgroup]
        return by_method, {name: found[group] for name, group in params}

    def answer(self, exchange: Exchange, operation: str, path_args: Mapping[str, str]) -> Answer:
        """Answer one API operation: the view's outcome or the refusal rendered, one journal
        row, the answer's latency (the pipeline writes the access-log line)."""
        call = Call(self.state, exchange, path_args)
        outcome: Outcome | None = None
        rendered: Rendered | None = None
        injected, delay = False, None
        try:
            outcome = self.views[operation](call)
            answer: Answer = (200, [JSON], dumps(outcome.body))
            delay = outcome.delay
        except Exception as error:
            refusal = refusal_of(error, exchange)
            answer, rendered = error_answer(self.state.errors, refusal, exchange)
            injected, delay = refusal.injected, refusal.delay
        self._journal(call, answer[0], outcome, rendered, injected)
        if outcome is not None and outcome.task_id:
            exchange.task_id = outcome.task_id
        seconds = self.state.backend.delay(delay)
        if seconds > 0:
            self.state.pause(seconds)
        return answer

    def _journal(
        self,
        call: Call,
        status: int,
        outcome: Outcome | None,
        rendered: Rendered | None,
        injected: bool,
    ) -> None:
        """One bounded journal row per API request (key ids only, never keys or bodies)."""
        try:
            at = call.now()
        except Exception as lost:
            if store_unavailable(lost):  # no clock, no journal: the store is away
                return
            raise
        exchange = call.exchange
        entry = {
            "at": at,
            "operation": exchange.operation,
            "key_id": exchange.key_id,
            "status": status,
            "code": None if rendered is None else rendered.code,
            "message": None if rendered is None else rendered.message,
            "task_id": outcome.task_id if outcome is not None else exchange.task_id,
            "task_status": None if outcome is None else outcome.task_status,
            "injected": injected,
        }
        try:
            self.state.journal.add(entry)
        except Exception as lost:  # the journal must never break an answer
            if store_unavailable(lost):
                _log.warning("could not write the journal: %s", lost)
            else:
                _log.exception("could not write the journal")


def _pieces(path: str) -> list[tuple[str, str]]:
    """A spec path as (text, "") and ("", parameter) pieces."""
    pieces: list[tuple[str, str]] = []
    at = 0
    for found in _PARAM.finditer(path):
        pieces.append((path[at : found.start()], ""))
        pieces.append(("", found.group(1)))
        at = found.end()
    pieces.append((path[at:], ""))
    return [piece for piece in pieces if piece != ("", "")]
