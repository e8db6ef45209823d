"""The pinned Redocly CLI (``tools/redocly``) for the spec lint tests.

Installed from ``tools/redocly``'s lock file with ``npm ci`` the first time a test needs it (one
installer at a time: :func:`contract_tests.support.locks.exclusive`), skipped when node or npm
is not on the machine.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from contract_tests.support.locks import exclusive
from contract_tests.support.paths import ROOT

__all__ = ["REDOCLY_DIR", "redocly_lint"]

REDOCLY_DIR = ROOT / "tools" / "redocly"
_REDOCLY_BIN = REDOCLY_DIR / "node_modules" / ".bin" / "redocly"
_INSTALL_LOCK = ROOT / ".cache" / "redocly-install.lock"


def _redocly_cli() -> Path:
    """The pinned Redocly CLI, installed from ``tools/redocly``'s lock file when missing."""
    if shutil.which("node") is None:
        pytest.skip("node is not on PATH: the pinned Redocly CLI (tools/redocly) cannot run")
    with exclusive(_INSTALL_LOCK):
        if not _REDOCLY_BIN.exists():
            npm = shutil.which("npm")
            if npm is None:
                pytest.skip(
                    "npm is not on PATH: cannot install the pinned Redocly CLI (tools/redocly)"
                )
            installed = subprocess.run(
                [npm, "ci", "--prefix", str(REDOCLY_DIR), "--no-audit", "--no-fund"],
                cwd=ROOT,
                capture_output=True,
                text=True,
                timeout=600,
                check=False,
            )
            assert installed.returncode == 0, f"npm ci failed:\n{installed.stderr[-4000:]}"
    return _REDOCLY_BIN


def redocly_lint(spec: Path) -> dict[str, Any]:
    """Lint a spec with the pinned Redocly CLI (recommended rules); its JSON report."""
    env = {**os.environ, "REDOCLY_TELEMETRY": "off", "REDOCLY_SUPPRESS_UPDATE_NOTICE": "true"}
    linted = subprocess.run(
        [str(_redocly_cli()), "lint", str(spec), "--format=json"],
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
