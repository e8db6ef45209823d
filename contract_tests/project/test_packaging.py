"""What the distribution promises its users: a version in each package, type hints (PEP 561), the
licence it declares, and a generated client whose additions come from the generator.

The ``slow`` tests at the end build the wheel and the sdist and install each into fresh virtual
environments, where the checkout is not importable, to see what an installed user gets; the last
ones run ``examples/`` there as a user's own suite, with only the wheel (``[mock]``), pytest and
the official SDK installed.
"""

from __future__ import annotations

import configparser
import hashlib
import importlib.metadata
import importlib.resources
import json
import os
import re
import shlex
import subprocess
import sys
import tarfile
import textwrap
import tomllib
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

import wan_mock
import wan_video
import wan_video_client
from contract_tests.support.examples import FOLDERS, copy_examples, run_examples
from contract_tests.support.locks import exclusive
from contract_tests.support.paths import ROOT

DISTRIBUTION = "wan-video-kit"
PACKAGES = (wan_mock, wan_video_client, wan_video)
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
CLIENT_TEMPLATES = ROOT / "codegen" / "templates"


def package_id(module: ModuleType) -> str:
    return module.__name__


# ------------------------------------------------------------------ versions


@pytest.mark.parametrize("package", PACKAGES, ids=package_id)
def test_each_package_reports_the_installed_distribution_version(package: ModuleType) -> None:
    assert package.__version__ == importlib.metadata.version(DISTRIBUTION)


@pytest.mark.parametrize("package", PACKAGES[:2], ids=package_id)  # wan_video has the client's
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


# ------------------------------------------------------------------ built and installed
#
# pip's HTTP cache keeps a download only when the answer carries caching headers, and the
# registry as this project's machines reach it sends none (no Cache-Control, ETag or
# Last-Modified): every install would fetch every dependency again. So the shared cache is a
# wheelhouse: ``pip download`` resolves the project's requirements against the registry into
# ``.cache/wheelhouse`` (``WAN_WHEELHOUSE`` moves it; files already there are not fetched again),
# and the builds and installs then run offline from it.

VERSION = PYPROJECT["project"]["version"]
WHEELHOUSE = Path(os.environ.get("WAN_WHEELHOUSE", ROOT / ".cache" / "wheelhouse"))
OPENAPI_FILES = ("wan-video.yaml", "mock-control.yaml")
PIP_TIMEOUT = 600


def requirement_name(requirement: str) -> str:
    """``jsonschema-rs>=0.60,<0.61`` -> ``jsonschema-rs`` (normalised as PEP 503 says)."""
    name = re.split(r"[\s\[<>=!~;@]", requirement.strip(), maxsplit=1)[0]
    return re.sub(r"[-_.]+", "-", name).lower()


BASE_REQUIREMENTS: list[str] = PYPROJECT["project"]["dependencies"]
MOCK_REQUIREMENTS: list[str] = PYPROJECT["project"]["optional-dependencies"]["mock"]
BUILD_REQUIREMENTS: list[str] = PYPROJECT["build-system"]["requires"]


def clean_environment() -> dict[str, str]:
    """This process's environment without what would let a child import the checkout or the
    project's virtualenv (PYTHONPATH, VIRTUAL_ENV, pytest-cov's hooks)."""
    return {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PYTHON", "VIRTUAL_ENV", "COV_CORE"))
    }


def run(command: Sequence[str | Path], *, cwd: Path, **env: str) -> str:
    """Run ``command``; on failure the assertion shows the command and everything it printed."""
    args = [str(part) for part in command]
    try:
        result = subprocess.run(
            args,
            cwd=cwd,
            env={**clean_environment(), **env},
            capture_output=True,
            text=True,
            timeout=PIP_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired as error:
        printed = error.stdout.decode() if isinstance(error.stdout, bytes) else error.stdout
        pytest.fail(f"timed out after {PIP_TIMEOUT} s: {shlex.join(args)}\n{printed}")
    assert result.returncode == 0, (
        f"exit code {result.returncode}: {shlex.join(args)}\n"
        f"--- stdout\n{result.stdout}\n--- stderr\n{result.stderr}"
    )
    return result.stdout


def pip(*args: str | Path, cwd: Path, **env: str) -> str:
    """The project's pip (``--python`` picks the environment it installs into)."""
    return run([sys.executable, "-m", "pip", "--disable-pip-version-check", *args], cwd=cwd, **env)


OFFLINE = {"PIP_NO_INDEX": "1", "PIP_FIND_LINKS": str(WHEELHOUSE)}


@dataclass(frozen=True)
class Distributions:
    wheel: Path
    sdist: Path


@pytest.fixture(scope="module")
def distributions(tmp_path_factory: pytest.TempPathFactory) -> Distributions:
    """The sdist, and the wheel built from it (``python -m build``'s default), in isolated build
    environments that install the build requirements from the wheelhouse."""
    WHEELHOUSE.mkdir(parents=True, exist_ok=True)
    work = tmp_path_factory.mktemp("build")
    # What the builds and installs below need, fetched from the registry once; one pytest-xdist
    # worker (or run) at a time fills the shared wheelhouse.
    with exclusive(WHEELHOUSE.with_name(WHEELHOUSE.name + ".lock")):
        pip("download", "--dest", WHEELHOUSE, *BUILD_REQUIREMENTS, cwd=work)
        pip("download", "--dest", WHEELHOUSE, *BASE_REQUIREMENTS, *MOCK_REQUIREMENTS, cwd=work)
    out = work / "dist"
    run([sys.executable, "-m", "build", "--outdir", out, ROOT], cwd=work, **OFFLINE)
    wheels, sdists = sorted(out.glob("*.whl")), sorted(out.glob("*.tar.gz"))
    assert [p.name for p in wheels] == [f"wan_video_kit-{VERSION}-py3-none-any.whl"]
    assert [p.name for p in sdists] == [f"wan_video_kit-{VERSION}.tar.gz"]
    return Distributions(wheel=wheels[0], sdist=sdists[0])


@dataclass(frozen=True)
class Installed:
    """One fresh virtual environment with one distribution installed, and an empty folder to
    run in (so the checkout cannot be imported)."""

    venv: Path
    cwd: Path

    @property
    def python(self) -> Path:
        return self.venv / "bin" / "python"

    def probe(self, code: str) -> dict[str, Any]:
        """Run ``code`` isolated (``-I``: no PYTHON* variables, no user site, no cwd on the path);
        it prints one JSON object."""
        out = run([self.python, "-I", "-c", textwrap.dedent(code)], cwd=self.cwd)
        report: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
        return report


BASE_INSTALLS = [
    pytest.param(("wheel", False), id="wheel"),
    pytest.param(("sdist", False), id="sdist"),
]
MOCK_INSTALLS = [
    pytest.param(("wheel", True), id="wheel[mock]"),
    pytest.param(("sdist", True), id="sdist[mock]"),
]


def fresh_venv(root: Path, *requirements: str | Path) -> Installed:
    """A virtual environment in ``root`` without the system's packages, with ``requirements``
    installed from the wheelhouse."""
    venv, cwd = root / "venv", root / "cwd"
    cwd.mkdir()
    run([sys.executable, "-m", "venv", "--without-pip", venv], cwd=cwd)
    config = (venv / "pyvenv.cfg").read_text(encoding="utf-8")
    assert "include-system-site-packages = false" in config
    pip(
        "--python",
        venv / "bin" / "python",
        "install",
        "--progress-bar",
        "off",
        *requirements,
        cwd=cwd,
        **OFFLINE,
    )
    return Installed(venv=venv, cwd=cwd)


@pytest.fixture(scope="module")
def installed(
    request: pytest.FixtureRequest,
    distributions: Distributions,
    tmp_path_factory: pytest.TempPathFactory,
) -> Installed:
    kind, mock = request.param
    archive = distributions.wheel if kind == "wheel" else distributions.sdist
    root = tmp_path_factory.mktemp(f"{kind}-{'mock' if mock else 'base'}")
    return fresh_venv(root, f"{archive}[mock]" if mock else archive)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


PACKAGE_FOLDERS = (
    ROOT / "src" / "wan_mock",
    ROOT / "src" / "wan_video_client",
    ROOT / "src" / "wan_video",
)


def package_files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts]


#: The checkout's package files where the wheel keeps them (``wan_mock/app.py``) and where the
#: sdist does (``src/wan_mock/app.py``).
WHEEL_SOURCES = {
    str(p.relative_to(folder.parent)) for folder in PACKAGE_FOLDERS for p in package_files(folder)
}
SDIST_SOURCES = {
    str(p.relative_to(ROOT)) for folder in PACKAGE_FOLDERS for p in package_files(folder)
}


@pytest.mark.slow
def test_the_wheel_holds_both_packages_their_type_markers_the_specs_and_the_licence(
    distributions: Distributions,
) -> None:
    dist_info = f"wan_video_kit-{VERSION}.dist-info"
    with zipfile.ZipFile(distributions.wheel) as wheel:
        names = set(wheel.namelist())
        metadata = wheel.read(f"{dist_info}/METADATA").decode()
        entry_points = wheel.read(f"{dist_info}/entry_points.txt").decode()
        licence = wheel.read(f"{dist_info}/licenses/LICENSE")
        specs = {name: wheel.read(f"wan_mock/_openapi/{name}") for name in OPENAPI_FILES}
        static = {
            name.removeprefix("wan_mock/_http/_static/"): wheel.read(name)
            for name in names
            if name.startswith("wan_mock/_http/_static/")
        }

    tops = {name.split("/")[0] for name in names}
    assert tops == {"wan_mock", "wan_video_client", "wan_video", dist_info}
    shipped = {name for name in names if not name.startswith((dist_info, "wan_mock/_openapi/"))}
    assert shipped == WHEEL_SOURCES, "the wheel must hold exactly the three packages' files"
    assert {"wan_mock/py.typed", "wan_video_client/py.typed", "wan_video/py.typed"} <= shipped
    assert "wan_video/_spec.json" in shipped
    assert "wan_mock/_testing/_control_operations.json" in shipped
    # the reference pages' files: Swagger UI as vendored (the record's checksums) and ours
    record = json.loads(static["VENDORED.json"])["swagger-ui-dist"]
    assert {"swagger-ui-bundle.js", "swagger-ui.css", "swagger-ui.LICENSE"} <= set(record["files"])
    for name, entry in record["files"].items():
        assert sha256(static[name]) == entry["sha256"], name
    assert {"docs.js", "docs.css"} <= set(static)
    assert not [name for name in static if name.endswith(".map")]
    for name, data in specs.items():
        assert data == (ROOT / "openapi" / name).read_bytes(), name
    assert licence == (ROOT / "LICENSE").read_bytes()

    headers = metadata.split("\n\n", 1)[0].splitlines()
    assert f"Version: {VERSION}" in headers
    assert "License-Expression: Apache-2.0" in headers
    assert "License-File: LICENSE" in headers
    assert {"Provides-Extra: mock", "Provides-Extra: dev"} <= set(headers)
    unconditional = {
        requirement_name(line.removeprefix("Requires-Dist: "))
        for line in headers
        if line.startswith("Requires-Dist: ") and ";" not in line
    }
    base = {requirement_name(r) for r in BASE_REQUIREMENTS}
    assert unconditional == base == {"httpx", "attrs", "tenacity", "click", "rich"}
    assert "wan-mock = wan_mock._cli._main:main" in entry_points
    assert "wan = wan_video.cli:main" in entry_points
    # the pytest plugin: its module, and the entry point pytest loads it by
    assert "wan_mock/_testing/_plugin.py" in shipped
    groups = configparser.ConfigParser()
    groups.read_string(entry_points)
    assert dict(groups["pytest11"]) == {"wan_mock": "wan_mock._testing._plugin"}


@pytest.mark.slow
def test_the_sdist_holds_what_rebuilds_and_regenerates_the_packages(
    distributions: Distributions,
) -> None:
    top = f"wan_video_kit-{VERSION}"
    with tarfile.open(distributions.sdist) as sdist:
        names = {name.removeprefix(f"{top}/") for name in sdist.getnames()}
        licence = sdist.extractfile(f"{top}/LICENSE")
        assert licence is not None
        licence_bytes = licence.read()
    wanted = {
        "PKG-INFO",
        "pyproject.toml",
        "README.md",
        "CHANGELOG.md",
        "LICENSE",
        "openapi/wan-video.yaml",
        "openapi/mock-control.yaml",
        "tools/regen_client.py",
        "tools/vendor_swagger_ui.py",
        "THIRD_PARTY_NOTICES.md",
        "codegen/config.yaml",
        "codegen/templates/package_init.py.jinja",
    }
    assert sorted(wanted - names) == []
    assert sorted(SDIST_SOURCES - names) == []
    assert licence_bytes == (ROOT / "LICENSE").read_bytes()
    assert not any(name.startswith((".venv/", ".cache/", ".git/")) for name in names)


@pytest.mark.slow
@pytest.mark.parametrize("installed", BASE_INSTALLS, indirect=True)
def test_the_base_install_imports_the_client_without_the_mock_dependencies(
    installed: Installed,
) -> None:
    report = installed.probe(
        """
        import importlib.metadata, json, sys
        import wan_video_client
        import wan_video
        from wan_video_client.api.tasks import get_task
        print(json.dumps({
            "prefix": sys.prefix,
            "file": wan_video_client.__file__,
            "version": wan_video_client.__version__,
            "layer": [wan_video.__file__, wan_video.__version__, wan_video.WanClient.__name__],
            "operation": get_task.__all__,
            "installed": sorted(d.metadata["Name"] for d in importlib.metadata.distributions()),
        }))
        """
    )
    assert Path(report["file"]).is_relative_to(installed.venv), report["file"]
    assert report["version"] == VERSION
    layer_file, layer_version, client_name = report["layer"]
    assert Path(layer_file).is_relative_to(installed.venv), layer_file
    assert (layer_version, client_name) == (VERSION, "WanClient")
    assert "sync" in report["operation"]
    present = {requirement_name(name) for name in report["installed"]}
    assert {"flask", "av"} & present == set(), report["installed"]
    assert {requirement_name(r) for r in MOCK_REQUIREMENTS} & present == set()
    assert {"wan-video-kit", "httpx", "attrs", "tenacity", "click", "rich"} <= present
    # the `wan` command is in the base install
    version = run([installed.venv / "bin" / "wan", "--version"], cwd=installed.cwd)
    assert version.strip() == f"wan {VERSION} (wan-video-kit)"


@pytest.mark.slow
@pytest.mark.parametrize("installed", MOCK_INSTALLS, indirect=True)
def test_the_mock_install_runs_both_commands(installed: Installed) -> None:
    script = run([installed.venv / "bin" / "wan-mock", "--help"], cwd=installed.cwd)
    assert "serve" in script
    module = run([installed.python, "-I", "-m", "wan_mock", "serve", "--help"], cwd=installed.cwd)
    assert "--port" in module
    assert "--store" in module


@pytest.mark.slow
@pytest.mark.parametrize("installed", MOCK_INSTALLS, indirect=True)
def test_the_installed_mock_loads_the_specs_it_ships(installed: Installed) -> None:
    report = installed.probe(
        """
        import hashlib, json
        from pathlib import Path
        import wan_mock, wan_video_client
        from wan_mock._spec import _documents as spec
        here = Path(wan_mock.__file__).parent
        print(json.dumps({
            "package": str(here),
            "version": wan_mock.__version__,
            "client_version": wan_video_client.__version__,
            "default_spec": str(spec.default_spec_path()),
            "models": len(spec.load_spec().models),
            "shipped": {
                p.name: hashlib.sha256(p.read_bytes()).hexdigest()
                for p in sorted((here / "_openapi").iterdir())
            },
        }))
        """
    )
    package = Path(report["package"])
    assert package.is_relative_to(installed.venv), package
    assert report["version"] == report["client_version"] == VERSION
    assert Path(report["default_spec"]) == package / "_openapi" / "wan-video.yaml"
    assert report["models"] > 0
    assert report["shipped"] == {
        name: sha256((ROOT / "openapi" / name).read_bytes()) for name in OPENAPI_FILES
    }


@pytest.mark.slow
@pytest.mark.parametrize("installed", MOCK_INSTALLS[:1], indirect=True)
def test_the_installed_mock_serves_the_installed_client(installed: Installed) -> None:
    """A real ``wan-mock serve`` from the installed package, driven by the installed client to a
    SUCCEEDED task whose video (rendered by the installed PyAV) downloads."""
    report = installed.probe(
        """
        import json, time
        import httpx
        from wan_mock import WanMockServer
        from wan_video_client import AuthenticatedClient
        from wan_video_client.api.tasks import get_task
        from wan_video_client.api.video_synthesis import create_video_synthesis_task
        from wan_video_client.models import (
            TaskStatus, TextToVideoInput, TextToVideoRequest, TextToVideoRequestModel,
        )

        with WanMockServer() as server:
            client = AuthenticatedClient(base_url=server.base_url, token=server.api_key)
            submitted = create_video_synthesis_task.sync(
                client=client,
                body=TextToVideoRequest(
                    model=TextToVideoRequestModel.WAN2_5_T2V_PREVIEW,
                    input_=TextToVideoInput(prompt="A kitten runs in the moonlight"),
                ),
            )
            task_id = submitted.output.task_id
            deadline = time.monotonic() + 60
            while True:
                task = get_task.sync(task_id, client=client)
                if task.output.task_status == TaskStatus.SUCCEEDED or time.monotonic() > deadline:
                    break
                time.sleep(0.2)
            video = httpx.get(task.output.video_url, timeout=30)
            # the API reference and the Swagger UI it loads, from the installed package
            docs = httpx.get(server.root + "/docs", timeout=30)
            bundle = httpx.get(server.root + "/__mock/assets/swagger-ui-bundle.js", timeout=30)
            # the console, its templates and script from the installed package
            console = httpx.get(f"{server.root}/__mock/console/tasks/{task_id}", timeout=30)
            script = httpx.get(server.root + "/__mock/assets/console.js", timeout=30)
        print(json.dumps({
            "status": str(task.output.task_status),
            "video_status": video.status_code,
            "video_type": video.headers.get("content-type"),
            "video_head": video.content[4:8].decode("latin-1"),
            "docs": [docs.status_code, "/__mock/assets/swagger-ui-bundle.js" in docs.text],
            "bundle": [bundle.status_code, len(bundle.content)],
            "console": [console.status_code, "<video" in console.text, script.status_code],
        }))
        """
    )
    bundle = ROOT / "src" / "wan_mock" / "_http" / "_static" / "swagger-ui-bundle.js"
    assert report == {
        "status": "SUCCEEDED",
        "video_status": 200,
        "video_type": "video/mp4",
        "video_head": "ftyp",
        "docs": [200, True],
        "bundle": [200, bundle.stat().st_size],
        "console": [200, True, 200],
    }


# ------------------------------------------------------------------ a user's own suite
#
# The promise: a fresh virtualenv with only ``pip install <checkout>[mock] pytest
# dashscope`` runs a user's test file that uses every public name of the mock (WanMock,
# WanMockServer, both fixtures, the marker, each control method, the assertions). The examples
# (``examples/``, where ``api_tour`` uses every name the two apps' suites do not) are that file.

DEV_REQUIREMENTS: list[str] = PYPROJECT["project"]["optional-dependencies"]["dev"]


def dev_pin(name: str) -> str:
    """``[dev]``'s requirement of ``name`` (``pytest==9.2.0``): what this project tests with."""
    [requirement] = [r for r in DEV_REQUIREMENTS if requirement_name(r) == name]
    return requirement


USER_REQUIREMENTS = [dev_pin("pytest"), dev_pin("dashscope")]


@pytest.fixture(scope="module")
def user_install(
    distributions: Distributions, tmp_path_factory: pytest.TempPathFactory
) -> Installed:
    """What a user installs to test their code with the mock: the wheel with ``[mock]``,
    pytest and the official SDK — nothing else of ``[dev]``."""
    root = tmp_path_factory.mktemp("user")
    pip("download", "--dest", WHEELHOUSE, *USER_REQUIREMENTS, cwd=root)
    return fresh_venv(root, f"{distributions.wheel}[mock]", *USER_REQUIREMENTS)


@pytest.mark.slow
def test_the_installed_plugin_is_pytests_entry_point(user_install: Installed) -> None:
    report = user_install.probe(
        """
        import importlib.metadata, json
        import wan_mock._testing._plugin
        [plugin] = importlib.metadata.entry_points(group="pytest11", name="wan_mock")
        print(json.dumps({
            "value": plugin.value,
            "distribution": plugin.dist.name,
            "file": wan_mock._testing._plugin.__file__,
            "installed": sorted(d.metadata["Name"] for d in importlib.metadata.distributions()),
        }))
        """
    )
    assert report["value"] == "wan_mock._testing._plugin"
    assert report["distribution"] == DISTRIBUTION
    assert Path(report["file"]).is_relative_to(user_install.venv), report["file"]
    present = {requirement_name(name) for name in report["installed"]}
    assert {"wan-video-kit", "pytest", "dashscope", "flask"} <= present
    # none of [dev]'s test tools but pytest: the suite below runs on the plugin alone
    assert {"pytest-cov", "pytest-xdist", "hypothesis", "schemathesis"} & present == set()


@pytest.mark.slow
def test_a_user_suite_using_every_public_name_passes_in_a_fresh_install(
    user_install: Installed, tmp_path: Path
) -> None:
    examples = copy_examples(tmp_path)

    result = run_examples(user_install.python, examples, *FOLDERS)

    assert result.returncode == 0, result.output
    assert result.outcomes == {"passed": sum(FOLDERS.values())}, result.output
