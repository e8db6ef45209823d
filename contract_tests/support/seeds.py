"""The seed documents (``../shared/seeds``): the API documentation this project is built from.

Tests that hold the spec and the mock to the seeds read them through :func:`seed_texts`. On a
user's clone the folder may be absent, and those tests skip with the reason; under ``CI=true`` a
missing folder fails them instead, so the seed checks the README advertises can never quietly
stop running. ``WAN_SEEDS_DIR`` points elsewhere (the tests of this rule use it).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from contract_tests.support.paths import ROOT

__all__ = ["SEEDS_DIR", "seed_texts", "seeds_dir"]

SEEDS_DIR = ROOT.parent / "shared" / "seeds"


def seeds_dir() -> Path:
    """Where the seed documents are: ``$WAN_SEEDS_DIR``, else ``../shared/seeds``."""
    configured = os.environ.get("WAN_SEEDS_DIR")
    return Path(configured) if configured else SEEDS_DIR


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def seed_texts() -> list[tuple[str, str]]:
    """``(file name, text)`` of every seed document, in name order."""
    folder = seeds_dir()
    files = sorted(folder.glob("*.txt")) if folder.is_dir() else []
    if not files:
        reason = f"seed documents not found at {folder}"
        if _in_ci():
            pytest.fail(f"{reason}: under CI=true the seed checks must run", pytrace=False)
        pytest.skip(reason)
    return [(path.name, path.read_text(encoding="utf-8")) for path in files]
