"""Shared pytest configuration: Hypothesis profiles, project paths and the contract target.

Profiles: ``default`` (quick, for a developer's loop) and ``ci`` (thorough), chosen with
``HYPOTHESIS_PROFILE=ci`` — and by default when the environment says ``CI=true``.

``--target=inprocess|server|live`` (or ``WAN_TARGET``, ``WAN_TARGET_URL``) picks where the
``target`` fixture of ``test_contract.py`` sends requests; see ``contract_tests/targets.py``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

from contract_tests.targets import (
    KINDS,
    Kind,
    Target,
    TargetUnavailable,
    inprocess_target,
    open_target,
    resolve_kind,
)

# Fixtures of the mock-server tests (``test_mock_*.py``): clock, app, client, api, wan_client.
pytest_plugins = ["contract_tests.mock_support", "pytester"]

ROOT = Path(__file__).resolve().parent.parent
SPEC_PATH = ROOT / "openapi" / "wan-video.yaml"

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
    """The target the contract suite talks to (see ``contract_tests/targets.py``)."""
    if shared_target is not None:
        yield shared_target
        return
    with inprocess_target(media_dir) as fresh:
        yield fresh


REDOCLY_DIR = ROOT / "tools" / "redocly"
REDOCLY_BIN = REDOCLY_DIR / "node_modules" / ".bin" / "redocly"


def redocly_cli() -> Path:
    """The pinned Redocly CLI, installed from ``tools/redocly``'s lock file when missing."""
    if shutil.which("node") is None:
        pytest.skip("node is not on PATH: the pinned Redocly CLI (tools/redocly) cannot run")
    if not REDOCLY_BIN.exists():
        npm = shutil.which("npm")
        if npm is None:
            pytest.skip("npm is not on PATH: cannot install the pinned Redocly CLI (tools/redocly)")
        installed = subprocess.run(
            [npm, "ci", "--prefix", str(REDOCLY_DIR), "--no-audit", "--no-fund"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        assert installed.returncode == 0, f"npm ci failed:\n{installed.stderr[-4000:]}"
    return REDOCLY_BIN


def redocly_lint(spec: Path) -> dict[str, Any]:
    """Lint a spec with the pinned Redocly CLI (recommended rules); its JSON report."""
    env = {**os.environ, "REDOCLY_TELEMETRY": "off", "REDOCLY_SUPPRESS_UPDATE_NOTICE": "true"}
    linted = subprocess.run(
        [str(redocly_cli()), "lint", str(spec), "--format=json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env=env,
    )
    try:
        report = json.loads(linted.stdout)
    except json.JSONDecodeError:
        pytest.fail(f"redocly printed no JSON report (exit {linted.returncode}):\n{linted.stderr}")
    assert isinstance(report, dict)
    return report
