"""Where the project's files are, for the tests: the checkout's root and the specs in it.

The one place a test finds the checkout; ``conftest.py`` holds pytest configuration only, and no
test module imports from it.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["CONTROL_SPEC_PATH", "ROOT", "SPEC_PATH"]

ROOT = Path(__file__).resolve().parents[2]
"""The checkout (the folder holding ``pyproject.toml``)."""

SPEC_PATH = ROOT / "openapi" / "wan-video.yaml"
CONTROL_SPEC_PATH = ROOT / "openapi" / "mock-control.yaml"
