"""What schemathesis' checks cannot know about the mock, as data, and the checks it explains.

Each entry names the operations, the check and the exact answer it explains:

- a :class:`Waiver` explains a failed check (a valid request refused, an undocumented answer);
- a :class:`Leniency` explains one violation the mock accepts: an accepted invalid request
  passes ``negative_data_rejection`` only when *every* violation in it is explained.

:data:`DOCUMENTED` holds what the service does by design and the spec cannot express (the
24-hour list window, a cancel of an id that is not PENDING, inputs valid only after an upload or
by their content, unknown parameters ignored). Permanent.

:data:`FINDINGS` holds the mock and spec bugs schemathesis found. Each is pinned by an
``xfail(strict=True)`` test (:func:`finding`) in ``test_schemathesis_findings.py`` that asserts
the intended behaviour: fixing the bug makes that test XPASS, which fails the run until the
entry (and its pinned test) is removed. The 13 findings of the first run are fixed; their tests
are plain regression tests now.

The generated tests (``test_schemathesis.py``) hold every answer to :data:`EXPLAINED_CHECKS` in
process and to :data:`EVERY_CHECK` over a socket.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
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

from contract_tests.support.spec_data import control_document, operations, spec_document

__all__ = [
    "CHECKS",
    "DOCUMENTED",
    "EVERY_CHECK",
    "EXPLAINED_CHECKS",
    "FINDINGS",
    "LOOPBACK",
    "UNREACHABLE_FINDINGS",
    "AnyCase",
    "Leniency",
    "Violation",
    "Waiver",
    "all_operations",
    "finding",
]

#: The checks every answer is held to in process (schemathesis's own, by name).
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
AnyCase = Case[Any]
_QUERY, _HEADER = ParameterLocation.QUERY, ParameterLocation.HEADER


# ---------------------------------------------------------------------- the specs as data
@functools.cache
def _url_fields() -> tuple[str, ...]:
    """The submit fields that take a media URL (``http(s)``, ``oss://`` or ``data:``)."""
    rule = next(r for r in spec_document()["x-wan-rules"] if r["id"] == "media.url-syntax")
    return tuple(str(name) for name in rule["fields"])


def all_operations() -> set[str]:
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


def _body(case: AnyCase) -> dict[str, Any]:
    return case.body if isinstance(case.body, dict) else {}


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
        frozenset(all_operations()),
        "Unknown query parameters and headers are ignored, as HTTP services do; schemathesis "
        "reads a parameter list as closed (and excuses it itself when it is the only violation).",
        _unknown_parameter,
    ),
)


# Mock and spec bugs ----------------------------------------------------------------------------
FINDINGS: tuple[Waiver | Leniency, ...] = ()

#: Findings that cannot show up as a check failure (see the docstring and the pinned tests).
UNREACHABLE_FINDINGS: dict[str, str] = {}


def finding(finding_id: str) -> pytest.MarkDecorator:
    """``xfail(strict=True)`` with the finding's explanation: the test asserts what the spec
    says, fails while the bug lasts and XPASSes (failing the run) once it is fixed."""
    why = UNREACHABLE_FINDINGS.get(finding_id) or next(
        entry.why for entry in FINDINGS if entry.id == finding_id
    )
    return pytest.mark.xfail(strict=True, reason=f"{finding_id}: {why}")


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
