"""``examples/`` runs as a user's own suite would: each folder, copied out of the checkout, under
its own ``pytest.ini``, with the plugin from the installed entry point and nothing of this run
(no coverage, no xdist, no ``PYTEST_ADDOPTS``), passes with exactly its number of tests.
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

import pytest

from contract_tests.support.examples import EXAMPLES, FOLDERS, copy_examples, run_examples
from contract_tests.support.paths import ROOT

#: sdk_app's tests wait through the SDK's wait(), which sleeps 1 s between polls (5 s in all).
SLOW = {"sdk_app"}


@pytest.mark.parametrize(
    "folder",
    [pytest.param(name, marks=[pytest.mark.slow] if name in SLOW else []) for name in FOLDERS],
)
def test_each_example_folder_passes_on_its_own(folder: str, tmp_path: Path) -> None:
    examples = copy_examples(tmp_path)

    run = run_examples(sys.executable, examples, folder)

    assert run.returncode == 0, run.output
    assert run.outcomes == {"passed": FOLDERS[folder]}, run.output


def test_every_example_folder_is_listed() -> None:
    folders = {p.name for p in EXAMPLES.iterdir() if p.is_dir() and p.name != "__pycache__"}
    assert folders == set(FOLDERS)
    assert (EXAMPLES / "pytest.ini").is_file()
    assert (EXAMPLES / "README.md").is_file()


def test_the_project_suite_does_not_collect_the_examples() -> None:
    options = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert options["tool"]["pytest"]["ini_options"]["testpaths"] == ["contract_tests"]


def test_the_examples_use_only_the_installed_packages() -> None:
    """No example reaches into the checkout: not the contract tests, nor sys.path tricks."""
    for path in EXAMPLES.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "contract_tests" not in text, path
        assert "sys.path" not in text, path
