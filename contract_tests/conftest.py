"""Shared pytest configuration: Hypothesis profiles and project paths.

Profiles: ``default`` (quick, for a developer's loop) and ``ci`` (thorough), chosen with
``HYPOTHESIS_PROFILE=ci``.
"""

from __future__ import annotations

import os
from pathlib import Path

from hypothesis import HealthCheck, settings

# Fixtures of the mock-server tests (``test_mock_*.py``): clock, app, client, api, wan_client.
pytest_plugins = ["contract_tests.mock_support"]

ROOT = Path(__file__).resolve().parent.parent
SPEC_PATH = ROOT / "openapi" / "wan-video.yaml"
SEEDS_DIR = ROOT.parent / "shared" / "seeds"

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
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
