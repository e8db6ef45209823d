"""The committed client is exactly what the spec generates, type-checks strictly and imports.

Drift failures are provoked in a copy of the project's generation inputs under ``tmp_path``
(``tools/regen_client.py`` finds the spec, config and package relative to its own location), so
the real package is never touched.
"""

from __future__ import annotations

import importlib.resources
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

import wan_video_client
from contract_tests.support.client import (
    CODEGEN_DIR,
    PACKAGE_DIR,
    PROJECT_PYTHON,
    REGEN_SCRIPT,
)
from contract_tests.support.paths import ROOT, SPEC_PATH
from wan_video_client import client as client_module

TREE_SPEC = Path("openapi") / "wan-video.yaml"
TREE_PACKAGE = Path("src") / "wan_video_client"


def run_regen(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run ``<root>/tools/regen_client.py`` with the project's interpreter."""
    return subprocess.run(
        [PROJECT_PYTHON, str(root / "tools" / "regen_client.py"), *args],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def drift_lines(result: subprocess.CompletedProcess[str]) -> list[str]:
    """The ``missing:``/``extra:``/``differs:`` lines of a failed check."""
    prefixes = ("missing: ", "extra: ", "differs: ")
    return [
        line.strip() for line in result.stdout.splitlines() if line.strip().startswith(prefixes)
    ]


@pytest.fixture
def client_tree(tmp_path: Path) -> Path:
    """A copy of the spec, the generated client and the regeneration script."""
    root = tmp_path / "project"
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(PACKAGE_DIR, root / TREE_PACKAGE, ignore=ignore)
    shutil.copytree(CODEGEN_DIR, root / "codegen", ignore=ignore)
    shutil.copytree(SPEC_PATH.parent, root / "openapi", ignore=ignore)
    (root / "tools").mkdir()
    shutil.copy2(REGEN_SCRIPT, root / "tools" / "regen_client.py")
    return root


def add_cancel_time_to_the_spec(root: Path) -> None:
    """A spec change that must show up in the generated ``CancelResponse``."""
    path = root / TREE_SPEC
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    spec["components"]["schemas"]["CancelResponse"]["properties"]["canceled_at"] = {
        "type": "string",
        "description": "When the task was canceled.",
    }
    path.write_text(yaml.safe_dump(spec, sort_keys=False, allow_unicode=True), encoding="utf-8")


# ------------------------------------------------------------------ drift check


@pytest.mark.slow
def test_committed_client_matches_a_fresh_generation() -> None:
    result = run_regen(ROOT, "--check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "up to date" in result.stdout


@pytest.mark.slow
def test_drift_check_names_a_hand_edited_file(client_tree: Path) -> None:
    edited = client_tree / TREE_PACKAGE / "models" / "task_status.py"
    edited.write_text(edited.read_text() + "\nARCHIVED = 'ARCHIVED'  # hand edit\n")
    result = run_regen(client_tree, "--check")
    assert result.returncode == 1
    assert drift_lines(result) == ["differs: models/task_status.py"]
    assert "make client" in result.stdout
    assert "hand edit" in edited.read_text(), "--check must not rewrite the package"


@pytest.mark.slow
def test_drift_check_names_a_stale_extra_file(client_tree: Path) -> None:
    stale = client_tree / TREE_PACKAGE / "models" / "old_request.py"
    stale.write_text("class OldRequest: ...\n")
    result = run_regen(client_tree, "--check")
    assert result.returncode == 1
    assert drift_lines(result) == ["extra: models/old_request.py"]
    assert stale.exists()


@pytest.mark.slow
def test_drift_check_names_a_missing_file(client_tree: Path) -> None:
    (client_tree / TREE_PACKAGE / "py.typed").unlink()
    result = run_regen(client_tree, "--check")
    assert result.returncode == 1
    assert drift_lines(result) == ["missing: py.typed"]


@pytest.mark.slow
def test_drift_check_fails_after_a_spec_change_until_regenerated(client_tree: Path) -> None:
    add_cancel_time_to_the_spec(client_tree)
    stale = client_tree / TREE_PACKAGE / "models" / "old_request.py"
    stale.write_text("class OldRequest: ...\n")

    before = run_regen(client_tree, "--check")
    assert before.returncode == 1
    assert drift_lines(before) == [
        "extra: models/old_request.py",
        "differs: models/cancel_response.py",
    ]

    regenerated = run_regen(client_tree)
    assert regenerated.returncode == 0, regenerated.stdout + regenerated.stderr
    assert not stale.exists(), "regeneration must not keep stale files"
    assert (
        "canceled_at" in (client_tree / TREE_PACKAGE / "models" / "cancel_response.py").read_text()
    )

    after = run_regen(client_tree, "--check")
    assert after.returncode == 0, after.stdout


# ------------------------------------------------------------------ typing and packaging


@pytest.mark.slow
def test_generated_package_passes_mypy_strict(tmp_path: Path) -> None:
    """Checked from an empty folder with an empty config, so only ``--strict`` applies.

    A probe file that only ``--strict`` rejects is checked alongside: its single error proves
    strict mode was on, and the file count proves the whole package was read.
    """
    config = tmp_path / "mypy.ini"
    config.write_text("[mypy]\n")
    probe = tmp_path / "strict_probe.py"
    probe.write_text("def untyped(x):\n    return x\n")
    result = subprocess.run(
        [
            PROJECT_PYTHON,
            "-m",
            "mypy",
            "--strict",
            "--config-file",
            str(config),
            "--cache-dir",
            str(tmp_path / ".mypy_cache"),
            str(PACKAGE_DIR),
            probe.name,
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    modules = sum(1 for path in PACKAGE_DIR.rglob("*.py") if "__pycache__" not in path.parts)
    errors = [line for line in result.stdout.splitlines() if ": error:" in line]
    assert errors == [
        f"{probe.name}:1: error: Function is missing a type annotation  [no-untyped-def]"
    ], result.stdout
    assert f"checked {modules + 1} source files" in result.stdout


@pytest.mark.slow
def test_installed_package_imports_from_the_generated_folder(tmp_path: Path) -> None:
    result = subprocess.run(
        [PROJECT_PYTHON, "-c", "import wan_video_client; print(wan_video_client.__file__)"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert Path(result.stdout.strip()) == PACKAGE_DIR / "__init__.py"


def test_package_ships_py_typed() -> None:
    assert (PACKAGE_DIR / "py.typed").is_file()
    assert importlib.resources.files("wan_video_client").joinpath("py.typed").is_file()


def test_package_exposes_exactly_the_two_clients() -> None:
    assert wan_video_client.__all__ == ("AuthenticatedClient", "Client")
    assert wan_video_client.AuthenticatedClient is client_module.AuthenticatedClient
    assert wan_video_client.Client is client_module.Client
