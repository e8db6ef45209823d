"""What the distribution promises its users: a version in each package, type hints (PEP 561), the
licence it declares, and a generated client whose additions come from the generator.

The ``slow`` test at the end builds the wheel and the sdist and installs each into fresh virtual
environments, where the checkout is not importable, to see what an installed user gets.
"""

from __future__ import annotations

import importlib.metadata
import importlib.resources
import tomllib
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest

import wan_mock
import wan_video_client
from contract_tests.conftest import ROOT

DISTRIBUTION = "wan-video-kit"
PACKAGES = (wan_mock, wan_video_client)
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
CLIENT_TEMPLATES = ROOT / "generated_client" / "templates"


def package_id(module: ModuleType) -> str:
    return module.__name__


# ------------------------------------------------------------------ versions


@pytest.mark.parametrize("package", PACKAGES, ids=package_id)
def test_each_package_reports_the_installed_distribution_version(package: ModuleType) -> None:
    assert package.__version__ == importlib.metadata.version(DISTRIBUTION)


@pytest.mark.parametrize("package", PACKAGES, ids=package_id)
def test_the_version_falls_back_when_the_distribution_is_not_installed(
    package: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    def not_installed(name: str) -> str:
        raise importlib.metadata.PackageNotFoundError(name)

    monkeypatch.setattr(importlib.metadata, "version", not_installed)
    read_version: Callable[[], str] = package._distribution_version
    assert read_version() == "0+unknown"


@pytest.mark.parametrize("package", PACKAGES, ids=package_id)
def test_a_star_import_does_not_take_the_version(package: ModuleType) -> None:
    assert "__version__" not in package.__all__


# ------------------------------------------------------------------ type hints and licence


@pytest.mark.parametrize("package", PACKAGES, ids=package_id)
def test_each_package_ships_py_typed(package: ModuleType) -> None:
    assert importlib.resources.files(package.__name__).joinpath("py.typed").is_file()


def test_the_licence_file_is_the_apache_license_pyproject_declares() -> None:
    project = PYPROJECT["project"]
    assert project["license"] == "Apache-2.0"
    assert project["license-files"] == ["LICENSE"]
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.split()[:4] == ["Apache", "License", "Version", "2.0,"]
    assert "TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION" in text
    assert "END OF TERMS AND CONDITIONS" in text
    assert "APPENDIX: How to apply the Apache License to your work." in text


# ------------------------------------------------------------------ the client's template


def builtin_template_names() -> set[str]:
    templates = importlib.resources.files("openapi_python_client") / "templates"
    return {item.name for item in templates.iterdir() if item.name.endswith(".jinja")}


OVERRIDES = sorted(path.name for path in CLIENT_TEMPLATES.glob("*.jinja"))


def test_the_client_templates_override_built_in_ones() -> None:
    assert set(OVERRIDES) <= builtin_template_names()
    assert "package_init.py.jinja" in OVERRIDES


@pytest.mark.parametrize("name", OVERRIDES)
def test_each_client_template_includes_the_one_it_overrides(name: str) -> None:
    """Overrides only append, so an upgrade of openapi-python-client changes what it generates
    through its own templates, never behind a stale copy of them."""
    text = (CLIENT_TEMPLATES / name).read_text(encoding="utf-8")
    assert f'{{% include "builtin/{name}" %}}' in text


def test_the_generated_client_carries_its_version_from_the_template() -> None:
    source = Path(wan_video_client.__file__).read_text(encoding="utf-8")
    assert 'importlib.metadata.version("wan-video-kit")' in source
    assert "__version__ = _distribution_version()" in source
