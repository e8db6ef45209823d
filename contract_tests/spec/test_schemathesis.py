"""Schemathesis over both specs, against the mock in process (WSGI: no sockets) and against
``wan-mock serve`` over a real loopback socket. All ``slow``: schemathesis builds each
operation's cases when the module is collected (a minute for the video-generation submit), so
``make test`` does not collect this module at all; ``make test-all`` and CI run it.

Every operation of ``openapi/wan-video.yaml`` (base ``/api/v1``, a bearer key) and of
``openapi/mock-control.yaml`` (base ``/``, called from loopback) is one test. Schemathesis
generates positive and negative requests for it (the spec's examples, its coverage cases, then
as many fuzzed cases as the Hypothesis profile allows). In process every answer is held to six
of its named checks (``CHECKS``), and each test gets a fresh app on a ``ManualClock``, so
nothing depends on wall time; over the socket, to every check schemathesis has
(``EVERY_CHECK``), against one server that accepts only the suite's key. What the checks cannot
know (waivers, leniencies, findings) is data in ``contract_tests/support/schemathesis.py``; the
tests that keep those tables true and pin the findings are in ``test_schemathesis_findings.py``.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Callable, Iterator

import httpx
import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, settings

from contract_tests.support.mock import KEY, START
from contract_tests.support.paths import CONTROL_SPEC_PATH
from contract_tests.support.schemathesis import EVERY_CHECK, EXPLAINED_CHECKS, LOOPBACK, AnyCase
from contract_tests.support.spec_data import spec_document
from wan_mock import WanMockServer
from wan_mock._domain._clock import ManualClock

pytestmark = pytest.mark.slow


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
    from wan_mock._service._settings import Settings

    return make_app(Settings(prerender_videos=False))


# ---------------------------------------------------------------------- the generated tests
@API_SCHEMA.parametrize()
@_SETTINGS
def test_api_operation_conforms_to_spec(case: AnyCase, mock_app: Flask) -> None:
    case.call_and_validate(app=mock_app, checks=EXPLAINED_CHECKS)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WanMockServer]:
    """A real ``wan-mock serve`` on loopback that accepts only the suite's key."""
    directory = tmp_path_factory.mktemp("schemathesis")
    with WanMockServer(api_keys=[KEY], directory=directory) as server:
        yield server


@API_SCHEMA.parametrize()
@_SETTINGS
def test_api_operation_conforms_to_spec_over_a_socket(case: AnyCase, served: WanMockServer) -> None:
    """The same cases against ``wan-mock serve`` over HTTP, held to every check."""
    case.call_and_validate(base_url=served.base_url, checks=EVERY_CHECK)


#: The console's HTML pages (tag ``pages``) are held to the spec in-process below; over a
#: socket they would only repeat those cases at ten seconds an operation.
@CONTROL_SCHEMA.exclude(tag="pages").parametrize()
@_SETTINGS
def test_control_operation_conforms_to_spec_over_a_socket(
    case: AnyCase, served: WanMockServer
) -> None:
    try:
        case.call_and_validate(base_url=served.root, checks=EVERY_CHECK)
    finally:  # a scenario queued for any key (latency=300…) must not reach the API's cases
        httpx.post(served.root + "/__mock/reset", timeout=30.0)


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
