"""Shared pytest configuration: Hypothesis profiles, the contract target, the fixtures' plugin
and, under ``-m "not slow"``, which modules are not collected
(``contract_tests/support/markers.py``).

Profiles: ``default`` (quick, for a developer's loop) and ``ci`` (thorough), chosen with
``HYPOTHESIS_PROFILE=ci`` — and by default when the environment says ``CI=true``.

``--target=inprocess|server|live`` (or ``WAN_TARGET``, ``WAN_TARGET_URL``) picks where the
``target`` fixture of ``mock_api/test_contract.py`` sends requests; see
``contract_tests/support/targets.py``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from contract_tests.support.markers import LEAVE_OUT_SLOW, marked_slow_as_a_whole
from contract_tests.support.targets import (
    KINDS,
    Kind,
    Target,
    TargetUnavailable,
    inprocess_target,
    open_target,
    resolve_kind,
)

# The fixtures: the mock in process (clock, app, client, api, wan_client), an app on a shared
# clock for the control tests, a browser, Valkey, pytester and the package's own plugin.
pytest_plugins = [
    "contract_tests.support.mock",
    "contract_tests.support.control_plane",
    "contract_tests.support.browser",
    "contract_tests.support.valkey",
    "pytester",
    "wan_mock._testing._plugin",
]

settings.register_profile(
    "default",
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "ci",
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
# CI (which sets CI=true) runs the thorough profile unless told otherwise.
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "default")
)


# ---------------------------------------------------------------------- the slow marker
def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """Under ``-m "not slow"`` (``make test``) a module slow as a whole is not collected: its
    tests would all be deselected, after a minute of collection for ``test_schemathesis.py``
    (see ``contract_tests/support/markers.py``)."""
    if str(config.getoption("markexpr") or "").strip() != LEAVE_OUT_SLOW:
        return None
    if collection_path.suffix != ".py" or not collection_path.name.startswith("test_"):
        return None
    return True if marked_slow_as_a_whole(collection_path) else None


# ---------------------------------------------------------------------- the contract target
def pytest_addoption(parser: pytest.Parser) -> None:
    parser.getgroup("wan-video-kit").addoption(
        "--target",
        choices=KINDS,
        default=None,
        help="Where test_contract.py sends requests: inprocess (default), server (a wan-mock "
        "serve on loopback, or WAN_TARGET_URL) or live (DASHSCOPE_API_KEY, DASHSCOPE_BASE_URL). "
        "Default: $WAN_TARGET, else server when $WAN_TARGET_URL is set, else inprocess.",
    )


@pytest.fixture(scope="session")
def target_kind(pytestconfig: pytest.Config) -> Kind:
    option = pytestconfig.getoption("target")
    return resolve_kind(option if isinstance(option, str) else None, os.environ)


@pytest.fixture(scope="session")
def shared_target(
    target_kind: Kind, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Target | None]:
    """The session's server or live target; None in process (each test gets its own app)."""
    if target_kind == "inprocess":
        yield None
        return
    try:
        with open_target(target_kind, workdir=tmp_path_factory.mktemp("wan-target")) as opened:
            yield opened
    except TargetUnavailable as unavailable:
        pytest.skip(str(unavailable))


@pytest.fixture
def target(shared_target: Target | None, media_dir: Path) -> Iterator[Target]:
    """The target the contract suite talks to (see ``contract_tests/support/targets.py``)."""
    if shared_target is not None:
        yield shared_target
        return
    with inprocess_target(media_dir) as fresh:
        yield fresh
