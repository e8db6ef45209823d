"""Schemathesis over both specs, against the mock in process (WSGI: no sockets) and, marked
``slow``, against ``wan-mock serve`` over a real loopback socket.

Every operation of ``openapi/wan-video.yaml`` (base ``/api/v1``, a bearer key) and of
``openapi/mock-control.yaml`` (base ``/``, called from loopback) is one test. Schemathesis
generates positive and negative requests for it (the spec's examples, its coverage cases, then
as many fuzzed cases as the Hypothesis profile allows). In process every answer is held to six
of its named checks (:data:`CHECKS`), and each test gets a fresh app on a ``ManualClock``, so
nothing depends on wall time; over the socket, to every check schemathesis has
(:data:`EVERY_CHECK`), against one server that accepts only the suite's key.

What the checks cannot know is written down here, each entry naming the operations, the check
and the exact answer it explains:

- a :class:`Waiver` explains a failed check (a valid request refused, an undocumented answer);
- a :class:`Leniency` explains one violation the mock accepts: an accepted invalid request
  passes ``negative_data_rejection`` only when *every* violation in it is explained.

:data:`DOCUMENTED` holds what the service does by design and the spec cannot express (the
24-hour list window, a cancel of an id that is not PENDING, inputs valid only after an upload or
by their content, unknown parameters ignored). Permanent.

:data:`FINDINGS` holds the mock and spec bugs this suite found. Each is pinned by an
``xfail(strict=True)`` test that asserts the intended behaviour: fixing the bug makes that test
XPASS, which fails the run until the entry (and its pinned test) is removed. The 13 findings of
the first run are fixed; their tests below are plain regression tests now.
"""

from __future__ import annotations

import copy
import functools
import io
import json
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
import schemathesis
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, settings
from schemathesis import Case, CheckContext, CheckFunction, Response
from schemathesis.checks import (
    CHECKS as REGISTERED_CHECKS,
)
from schemathesis.checks import (
    content_type_conformance,
    load_all_checks,
    negative_data_rejection,
    not_a_server_error,
    positive_data_acceptance,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.core.parameters import ParameterLocation

from contract_tests.mock_support import (
    API,
    IMAGE2VIDEO,
    KEY,
    START,
    VIDEO_GENERATION,
    auth,
    body_for,
)
from contract_tests.paths import CONTROL_SPEC_PATH
from contract_tests.sdk_support import MockServer, serve_mock
from contract_tests.spec_data import control_document, operations, spec_document
from wan_mock.clock import ManualClock

#: The checks every answer is held to (schemathesis's own, by name).
CHECKS: tuple[CheckFunction, ...] = (
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
    positive_data_acceptance,
)

#: The control plane answers loopback callers (werkzeug's test client sets no address).
LOOPBACK = {"REMOTE_ADDR": "127.0.0.1"}

_SUBMITS = frozenset({"create_video_synthesis_task", "create_keyframe_video_task"})
_API_OPERATIONS = _SUBMITS | {"get_task", "cancel_task", "list_tasks", "get_upload_policy"}
AnyCase = Case[Any]
_QUERY, _HEADER, _BODY = ParameterLocation.QUERY, ParameterLocation.HEADER, ParameterLocation.BODY


# ---------------------------------------------------------------------- the specs as data
@functools.cache
def _url_fields() -> tuple[str, ...]:
    """The submit fields that take a media URL (``http(s)``, ``oss://`` or ``data:``)."""
    rule = next(r for r in spec_document()["x-wan-rules"] if r["id"] == "media.url-syntax")
    return tuple(str(name) for name in rule["fields"])


def _all_operations() -> set[str]:
    """Every operation id of both specs."""
    return {
        str(operation.get("operationId"))
        for document in (spec_document(), control_document())
        for _, _, operation in operations(document)
    }


# ---------------------------------------------------------------------- reading a case
@dataclass(frozen=True)
class Violation:
    """One way a negative case breaks the schema, as schemathesis records it: where, which
    parameter (None for the body as a whole or an unnamed one) and the keywords broken (for a
    coverage case, its scenario)."""

    location: ParameterLocation | None
    parameter: str | None
    keywords: tuple[str, ...]


def _violations(case: AnyCase) -> list[Violation]:
    if case.meta is None:
        return []
    data = case.meta.phase.data
    if data.mutations:
        return [Violation(m.parameter_location, m.parameter, m.keywords) for m in data.mutations]
    scenario = getattr(data, "scenario", None)
    keywords = (str(scenario),) if scenario is not None else ()
    return [Violation(data.parameter_location, data.parameter, keywords)]


def _operation_id(case: AnyCase) -> str:
    return str(case.operation.definition.raw.get("operationId", ""))


def _error(response: Response) -> tuple[str, str]:
    """``(code, message)`` of a DashScope error envelope; empty strings otherwise."""
    try:
        body = json.loads(response.content)
    except ValueError:
        return "", ""
    if not isinstance(body, dict):
        return "", ""
    return str(body.get("code", "")), str(body.get("message", ""))


def _refused(response: Response, code: str, *starts: str) -> bool:
    """A 400 with this DashScope code and a message starting with one of ``starts``."""
    error_code, message = _error(response)
    return response.status_code == 400 and error_code == code and message.startswith(starts)


def _sent_query(response: Response) -> dict[str, str]:
    """The query string as the mock reads it (``request.args.get``: the first value of each)."""
    sent: dict[str, str] = {}
    for name, value in parse_qsl(urlsplit(response.request.url or "").query, True):
        sent.setdefault(name, value)
    return sent


def _body(case: AnyCase) -> dict[str, Any]:
    return case.body if isinstance(case.body, dict) else {}


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _text_number(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _special_inputs(case: AnyCase) -> list[str]:
    """The media fields (from the spec's ``media.url-syntax`` rule) whose value is, or holds,
    an ``oss://`` or ``data:`` URL."""
    found = []
    for dotted in _url_fields():
        node: Any = _body(case)
        for part in dotted.split("."):
            node = node.get(part) if isinstance(node, dict) else None
        values = node if isinstance(node, list) else [node]
        if any(isinstance(v, str) and v.startswith(("oss://", "data:")) for v in values):
            found.append(dotted)
    return found


# ---------------------------------------------------------------------- waivers and leniencies
@dataclass(frozen=True)
class Waiver:
    """On ``operations``, a failure of ``check`` is explained when ``applies(case, response)``."""

    id: str
    operations: frozenset[str]
    check: str
    why: str
    applies: Callable[[AnyCase, Response], bool]


@dataclass(frozen=True)
class Leniency:
    """On ``operations``, the mock accepts a request that breaks the schema as ``excuses`` says."""

    id: str
    operations: frozenset[str]
    why: str
    excuses: Callable[[Violation, AnyCase, Response], bool]


# What the service does by design -------------------------------------------------------------
def _unknown_parameter(violation: Violation, case: AnyCase, response: Response) -> bool:
    unknown = {"additionalProperties", "object_unexpected_properties"}
    return violation.location in (_QUERY, _HEADER) and bool(unknown & set(violation.keywords))


def _content_dependent_input(case: AnyCase, response: Response) -> bool:
    code, message = _error(response)
    if response.status_code != 400 or code != "InvalidParameter":
        return False
    return any(field in message for field in _special_inputs(case))


DOCUMENTED: tuple[Waiver | Leniency, ...] = (
    Waiver(
        "cancel-not-pending",
        frozenset({"cancel_task"}),
        "positive_data_acceptance",
        "Only a PENDING task of the caller's key can be canceled; any other id (a generated one "
        "names no task) answers 400 UnsupportedOperation, as the operation's description says.",
        lambda case, response: _refused(response, "UnsupportedOperation", ""),
    ),
    Waiver(
        "list-window",
        frozenset({"list_tasks"}),
        "positive_data_acceptance",
        "start_time/end_time must be real times (YYYYMMDDhhmmss) spanning at most 24 hours, end "
        "not before start: the pattern ^[0-9]{14}$ admits more, and no schema compares two "
        "parameters. 400 InvalidParameter naming start_time or end_time.",
        lambda case, response: _refused(
            response,
            "InvalidParameter",
            "Parameter start_time is invalid",
            "Parameter end_time is invalid",
        ),
    ),
    Waiver(
        "content-dependent-input",
        _SUBMITS,
        "positive_data_acceptance",
        "An oss:// input must have been uploaded through GET /uploads and be sent with "
        "X-DashScope-OssResourceResolve: enable; a data: image must decode to an image of the "
        "documented format and size. The pattern admits the URL; only an earlier upload or the "
        "content can make it valid. 400 InvalidParameter naming that input field.",
        _content_dependent_input,
    ),
    Leniency(
        "unknown-parameters-ignored",
        frozenset(_all_operations()),
        "Unknown query parameters and headers are ignored, as HTTP services do; schemathesis "
        "reads a parameter list as closed (and excuses it itself when it is the only violation).",
        _unknown_parameter,
    ),
)


# Mock and spec bugs ----------------------------------------------------------------------------
_EMPTY_AS_ABSENT = ("start_time", "end_time", "page_no", "page_size", "status")


FINDINGS: tuple[Waiver | Leniency, ...] = ()

#: Findings that cannot show up as a check failure (see the docstring and the pinned tests).
UNREACHABLE_FINDINGS: dict[str, str] = {}


def _excused(check: str, case: AnyCase, response: Response) -> bool:
    operation = _operation_id(case)
    entries = [e for e in (*DOCUMENTED, *FINDINGS) if operation in e.operations]
    if check == "negative_data_rejection":
        leniencies = [e for e in entries if isinstance(e, Leniency)]
        violations = _violations(case)
        return bool(violations) and all(
            any(leniency.excuses(violation, case, response) for leniency in leniencies)
            for violation in violations
        )
    waivers = [e for e in entries if isinstance(e, Waiver) and e.check == check]
    return any(waiver.applies(case, response) for waiver in waivers)


def _explained(check: CheckFunction) -> CheckFunction:
    """``check``, except that a failure the tables above explain passes."""
    name = check.__name__

    def run(ctx: CheckContext, response: Response, case: AnyCase) -> bool | None:
        try:
            return check(ctx, response, case)
        except AssertionError:
            if _excused(name, case, response):
                return None
            raise

    run.__name__ = name
    return run


EXPLAINED_CHECKS = [_explained(check) for check in CHECKS]


def _every_check() -> list[CheckFunction]:
    """Every check schemathesis has (its whole registry), each explained by the tables."""
    load_all_checks()
    functions = [c for c in REGISTERED_CHECKS.get_all() if not isinstance(c, type)]
    assert len(functions) == len(REGISTERED_CHECKS.get_all()), "a check class to wrap"
    return [_explained(check) for check in functions]


EVERY_CHECK = _every_check()


# ---------------------------------------------------------------------- the schemas
API_SCHEMA = schemathesis.openapi.from_dict(
    copy.deepcopy(spec_document()),
    config=schemathesis.Config.from_dict({"auth": {"openapi": {"apiKey": {"bearer": KEY}}}}),
)
CONTROL_SCHEMA = schemathesis.openapi.from_path(CONTROL_SPEC_PATH, config=schemathesis.Config())

#: Each test shares one app across its examples (a function-scoped fixture), on purpose.
_SETTINGS = settings(
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)


@pytest.fixture
def mock_app(make_app: Callable[..., Flask]) -> Flask:
    """A fresh mock that renders no videos: no test here downloads one, and rendering one per
    output shape in the background would only compete for the CPU."""
    from wan_mock.settings import Settings

    return make_app(Settings(prerender_videos=False))


# ---------------------------------------------------------------------- the generated tests
@API_SCHEMA.parametrize()
@_SETTINGS
def test_api_operation_conforms_to_spec(case: AnyCase, mock_app: Flask) -> None:
    case.call_and_validate(app=mock_app, checks=EXPLAINED_CHECKS)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MockServer]:
    """A real ``wan-mock serve`` on loopback that accepts only the suite's key."""
    with serve_mock(tmp_path_factory.mktemp("schemathesis"), "--api-key", KEY) as server:
        yield server


@pytest.mark.slow
@API_SCHEMA.parametrize()
@_SETTINGS
def test_api_operation_conforms_to_spec_over_a_socket(case: AnyCase, served: MockServer) -> None:
    """The same cases against ``wan-mock serve`` over HTTP, held to every check."""
    case.call_and_validate(base_url=served.api_url, checks=EVERY_CHECK)


@pytest.mark.slow
@CONTROL_SCHEMA.parametrize()
@_SETTINGS
def test_control_operation_conforms_to_spec_over_a_socket(
    case: AnyCase, served: MockServer
) -> None:
    case.call_and_validate(base_url=served.root, checks=EVERY_CHECK)


@CONTROL_SCHEMA.parametrize()
@_SETTINGS
def test_control_operation_conforms_to_spec(
    case: AnyCase, mock_app: Flask, clock: ManualClock
) -> None:
    try:
        case.call_and_validate(app=mock_app, checks=EXPLAINED_CHECKS, environ_base=LOOPBACK)
    finally:
        if not math.isfinite(clock.now()):  # finding clock-overflows: keep later cases sane
            clock.set(START)


# ---------------------------------------------------------------------- the tables stay true
def test_every_entry_names_spec_operations_and_a_check() -> None:
    operations = _all_operations()
    names = {check.__name__ for check in CHECKS}
    for entry in (*DOCUMENTED, *FINDINGS):
        assert entry.operations <= operations, entry.id
        if isinstance(entry, Waiver):
            assert entry.check in names, entry.id


def test_cancel_of_an_unknown_id_is_refused_as_documented(client: FlaskClient) -> None:
    response = client.post(f"{API}/tasks/no-such-task/cancel", headers=auth())
    assert response.status_code == 400
    assert response.get_json()["code"] == "UnsupportedOperation"


def test_list_window_over_24_hours_is_refused_as_documented(client: FlaskClient) -> None:
    query = {"start_time": "20250515000000", "end_time": "20250516000001"}
    response = client.get(f"{API}/tasks", headers=auth(), query_string=query)
    assert response.status_code == 400
    assert response.get_json()["message"].startswith("Parameter end_time is invalid")


def test_oss_input_never_uploaded_is_refused_as_documented(client: FlaskClient) -> None:
    body = body_for("kf2v", input__first_frame_url="oss://nowhere/first.png")
    headers = {**auth(submit=True), "X-DashScope-OssResourceResolve": "enable"}
    response = client.post(IMAGE2VIDEO, json=body, headers=headers)
    assert response.status_code == 400
    assert "input.first_frame_url" in response.get_json()["message"]


def test_unknown_query_parameters_are_ignored_as_documented(client: FlaskClient) -> None:
    response = client.get(f"{API}/tasks", headers=auth(), query_string={"no_such": "1"})
    assert response.status_code == 200


# ---------------------------------------------------------------------- findings, pinned
def _finding(finding_id: str) -> pytest.MarkDecorator:
    """``xfail(strict=True)`` with the finding's explanation: the test asserts what the spec
    says, fails while the bug lasts and XPASSes (failing the run) once it is fixed."""
    why = UNREACHABLE_FINDINGS.get(finding_id) or next(
        entry.why for entry in FINDINGS if entry.id == finding_id
    )
    return pytest.mark.xfail(strict=True, reason=f"{finding_id}: {why}")


@pytest.mark.parametrize("path", [VIDEO_GENERATION, IMAGE2VIDEO])
def test_oss_resolve_header_other_than_enable_is_refused(client: FlaskClient, path: str) -> None:
    headers = {**auth(submit=True), "X-DashScope-OssResourceResolve": "yes"}
    response = client.post(path, json=body_for("kf2v"), headers=headers)
    assert response.status_code == 400


def test_authorization_without_the_bearer_scheme_is_refused(client: FlaskClient) -> None:
    response = client.get(f"{API}/tasks", headers={"Authorization": KEY})
    assert response.status_code == 401
    assert response.get_json()["code"] == "InvalidApiKey"


@pytest.mark.parametrize("name", _EMPTY_AS_ABSENT)
def test_list_refuses_an_empty_parameter(client: FlaskClient, name: str) -> None:
    response = client.get(f"{API}/tasks", headers=auth(), query_string={name: ""})
    assert response.status_code == 400


def test_list_accepts_any_page_number(client: FlaskClient) -> None:
    response = client.get(f"{API}/tasks", headers=auth(), query_string={"page_no": 1_000_001})
    assert response.status_code == 200


def test_advance_takes_seconds_from_one_required_source(client: FlaskClient) -> None:
    operation = control_document()["paths"]["/__mock/clock/advance"]["post"]
    assert operation.get("requestBody", {}).get("required") is True
    assert not any(p.get("name") == "seconds" for p in operation.get("parameters", []))
    before = client.get("/__mock/clock").get_json()["now"]
    response = client.post("/__mock/clock/advance?seconds=-1", json={"seconds": 60})
    assert response.status_code == 200
    assert response.get_json()["now"] >= before + 60
    assert client.post("/__mock/clock/advance?seconds=60").status_code == 400


def test_advancing_the_clock_keeps_it_a_json_number(client: FlaskClient) -> None:
    for _ in range(2):
        response = client.post("/__mock/clock/advance", json={"seconds": 1e308})
        if response.status_code == 200:
            assert math.isfinite(json.loads(response.get_data())["now"])
        else:
            assert response.status_code == 400


@pytest.mark.parametrize(
    "query", [{"operation": "no_such_operation"}, {"limit": "0.5"}, {"limit": ""}]
)
def test_journal_refuses_a_query_outside_its_schema(
    client: FlaskClient, query: dict[str, str]
) -> None:
    response = client.get("/__mock/journal", query_string=query)
    assert response.status_code == 400


def test_spec_describes_the_scenario_grammar() -> None:
    scenario = control_document()["components"]["schemas"]["ScenarioRequest"]["properties"]
    assert "pattern" in scenario["scenario"]


def test_scenario_count_may_be_an_integral_float(client: FlaskClient) -> None:
    body = {"api_key": KEY, "scenario": "fail=InternalError", "count": 2.0}
    response = client.post("/__mock/scenarios", json=body)
    assert response.status_code == 200


def test_spec_bounds_the_scenario_count() -> None:
    count = control_document()["components"]["schemas"]["ScenarioRequest"]["properties"]
    assert "maximum" in count["count"]


def test_upload_with_a_non_ascii_signature_is_refused_as_a_wrong_signature(
    client: FlaskClient,
) -> None:
    form = {"key": "dir/file.png", "Signature": "\u00e9", "file": (io.BytesIO(b"x"), "file.png")}
    response = client.post("/__mock/oss", data=form, content_type="multipart/form-data")
    assert response.status_code == 403


def test_spec_requires_a_non_empty_upload_key() -> None:
    form = control_document()["components"]["schemas"]["OssUploadForm"]
    assert form["properties"]["key"].get("minLength", 0) >= 1
