"""Running ``examples/`` as a user's suite: a copy outside the checkout, its own ``pytest.ini``,
and nothing of the outer run (options, coverage hooks, xdist, the SDK's variables).

Used by ``test_examples.py`` (with this virtualenv's Python) and by ``test_packaging.py`` (with
the Python of a fresh virtualenv that has only the built wheel, pytest and dashscope).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from contract_tests.support.paths import ROOT

EXAMPLES = ROOT / "examples"
#: Each example folder and how many tests it has (a test lost or added is noticed).
FOLDERS: dict[str, int] = {"sdk_app": 9, "client_app": 9, "api_tour": 5}
TIMEOUT = 300
_SUMMARY = re.compile(r"(\d+) (passed|failed|errors?|skipped|xfailed|xpassed|warnings?)\b")


def copy_examples(destination: Path) -> Path:
    """``examples/`` copied to ``destination/examples`` (so no cache or bytecode is written into
    the checkout); the copy's path."""
    copy = destination / "examples"
    shutil.copytree(EXAMPLES, copy, ignore=shutil.ignore_patterns("__pycache__", ".pytest_cache"))
    return copy


def environment(base: Mapping[str, str] = os.environ) -> dict[str, str]:
    """``base`` without what would reach into the examples' run: pytest's variables
    (``PYTEST_ADDOPTS``, xdist's worker ids, plugin autoload switches), coverage's subprocess
    hooks, Python's path variables and the SDK's endpoint and key."""
    dropped = ("PYTEST_", "COV_CORE_", "COVERAGE_", "PYTHON", "VIRTUAL_ENV", "DASHSCOPE_")
    return {key: value for key, value in base.items() if not key.startswith(dropped)}


@dataclass(frozen=True)
class Run:
    returncode: int
    output: str

    @property
    def outcomes(self) -> dict[str, int]:
        """The counts of pytest's closing line: ``2 failed, 7 passed, 3 warnings in 8.6s`` ->
        ``{"failed": 2, "passed": 7, "warning": 3}``."""
        lines = [line for line in self.output.splitlines() if re.search(r" in [\d.]+s", line)]
        if not lines:
            return {}
        return {word.removesuffix("s"): int(n) for n, word in _SUMMARY.findall(lines[-1])}


def run_examples(python: str | Path, examples: Path, *folders: str) -> Run:
    """``python -m pytest -q`` over ``folders`` of the copy ``examples``, in it, isolated
    (``-I``: no PYTHON* variables, no user site, not the current folder on the path), with the
    examples' own ``pytest.ini`` as the only configuration."""
    command = [str(python), "-I", "-m", "pytest", "-q", "-p", "no:cacheprovider"]
    command += ["-c", "pytest.ini", "--rootdir", ".", *folders]
    result = subprocess.run(
        command,
        cwd=examples,
        env=environment(),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    return Run(result.returncode, result.stdout + result.stderr)
