"""The project's own code stays clean: ruff (lint and format) and mypy --strict.

Run as part of the suite so CI fails on a lint or type error like on any other regression. No
cache is read or written in the checkout, so a run beside ``make lint`` or ``make typecheck``
(or another test worker) sees only the files.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib

import pytest

from contract_tests.support.paths import ROOT

pytestmark = pytest.mark.slow

PYPROJECT_TEXT = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
PYPROJECT = tomllib.loads(PYPROJECT_TEXT)


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, check=False
    )


def test_ruff_finds_no_lint_errors() -> None:
    result = _run("ruff", "check", "--no-cache", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format_leaves_every_file_as_it_is() -> None:
    result = _run("ruff", "format", "--no-cache", "--check", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict_passes_on_the_mock_the_tests_the_client_and_the_tools() -> None:
    result = _run("mypy", "--no-incremental", "--cache-dir", os.devnull)
    assert result.returncode == 0, result.stdout + result.stderr
    checked = [line for line in result.stdout.splitlines() if line.startswith("Success")]
    assert checked, result.stdout
    count = int(checked[0].split(" in ")[1].split()[0])
    folders = PYPROJECT["tool"]["mypy"]["files"]
    sources = [
        p
        for folder in folders
        for p in (ROOT / folder).rglob("*.py")
        if "node_modules" not in p.parts
    ]
    assert count == len(sources), f"mypy checked {count} files of the {len(sources)} in {folders}"


def test_the_project_pins_what_shapes_the_generated_client() -> None:
    assert '"openapi-python-client==' in PYPROJECT_TEXT
    assert '"ruff==' in PYPROJECT_TEXT
    assert (ROOT / "codegen" / "config.yaml").is_file()
