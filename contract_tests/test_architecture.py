"""The shape ARCHITECTURE.md describes, held by tests: no import cycles inside ``wan_mock``, Flask
only in the HTTP layer, a package import that does not need the mock's dependencies, and a client
layer (``wan_video``) made of the base install alone; in the tests, helpers come from support
modules (never ``conftest.py``), the specs are parsed in one place, and the bench scripts use the
package, not the tests."""

from __future__ import annotations

import ast
import functools
import re
import subprocess
import sys
from pathlib import Path

import pytest

import wan_mock
import wan_video
from contract_tests.markers import marked_slow_as_a_whole
from contract_tests.paths import ROOT

PACKAGE = Path(wan_mock.__file__).resolve().parent
TESTS = ROOT / "contract_tests"
BENCH = ROOT / "bench"


def _imports(path: Path) -> tuple[set[str], set[str]]:
    """(sibling modules, top-level packages) a module imports, lazily or not; imports under
    ``if TYPE_CHECKING:`` are left out (they never run)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            typing_only |= {id(child) for child in ast.walk(node)}
    siblings: set[str] = set()
    packages: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.ImportFrom):
            if node.level == 1:
                if node.module:
                    siblings.add(node.module.split(".")[0])
                else:
                    siblings |= {alias.name for alias in node.names}
            elif node.level == 0 and node.module:
                packages.add(node.module.split(".")[0])
        elif isinstance(node, ast.Import):
            packages |= {alias.name.split(".")[0] for alias in node.names}
    return siblings, packages


def _graph() -> dict[str, tuple[set[str], set[str]]]:
    return {path.stem: _imports(path) for path in PACKAGE.glob("*.py")}


def test_the_modules_of_wan_mock_import_each_other_without_a_cycle() -> None:
    graph = {name: siblings for name, (siblings, _) in _graph().items()}
    done: set[str] = set()

    def visit(name: str, trail: tuple[str, ...]) -> None:
        assert name not in trail, " -> ".join((*trail, name))
        if name in done:
            return
        for imported in graph.get(name, set()):
            visit(imported, (*trail, name))
        done.add(name)

    for name in graph:
        visit(name, ())
    assert {"app", "backend", "state", "control", "spec"} <= done


def test_only_the_http_layer_imports_flask() -> None:
    """The HTTP layer: the Flask app, and the API's answers in front of it (Werkzeug only)."""
    graph = _graph()
    users = {name for name, (_, packages) in graph.items() if {"flask", "werkzeug"} & packages}
    assert users == {"app", "api"}
    assert "flask" not in graph["api"][1]


def _module_table() -> dict[str, str]:
    """ARCHITECTURE.md's table of the mock's modules: each row's module and its last cell
    (whether it imports Flask)."""
    text = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
    section = text.split("## The mock's modules", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `(\w+)\.py` \|.*\| ([^|]+) \|$", section, flags=re.MULTILINE)
    return {name: flask.strip() for name, flask in rows}


def test_the_module_table_names_real_modules_and_says_truly_which_import_flask() -> None:
    graph = _graph()
    table = _module_table()

    assert {"accesslog", "app", "docs", "spec", "state"} <= set(table)
    assert sorted(set(table) - set(graph)) == []
    for name, cell in table.items():
        imports_flask = bool({"flask", "werkzeug"} & graph[name][1])
        assert cell.startswith("**yes**") is imports_flask, name


def test_the_references_sit_between_the_state_and_the_specs() -> None:
    """``docs.py`` works on the specs ``spec.py`` parsed, for ``state`` and ``app``."""
    graph = {name: siblings for name, (siblings, _) in _graph().items()}

    assert graph["docs"] <= {"spec", "errors"}
    assert {name for name, siblings in graph.items() if "docs" in siblings} == {"app", "state"}


def test_the_access_log_is_standard_library_only_and_the_commands_need_the_base_install() -> None:
    """``accesslog`` is formatting only (``api`` and ``app`` feed it); ``cli``'s control
    commands reach a mock through ``controls`` with no more than the base install (click, rich,
    httpx), Granian being imported only to serve."""
    graph = _graph()

    siblings, packages = graph["accesslog"]
    assert siblings == set()
    assert packages <= sys.stdlib_module_names
    users = {name for name, (imported, _) in graph.items() if "accesslog" in imported}
    assert users == {"api", "app", "cli", "settings"}
    third_party = graph["cli"][1] - sys.stdlib_module_names
    assert third_party == {"click", "httpx", "rich", "granian"}


#: The mock's dependencies: none of them is in a client-only install.
MOCK_DEPENDENCIES = ("flask", "av", "PIL", "jsonschema_rs", "yaml", "granian")


def _loaded_by(package: str, *watched: str) -> list[str]:
    """Which of the watched top-level modules a fresh interpreter loads to import a package."""
    probe = (
        f"import sys, {package}\n"
        f"print(sorted({set(watched)!r} & {{m.split('.')[0] for m in sys.modules}}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True
    )
    return list(ast.literal_eval(done.stdout.strip()))


def test_importing_wan_mock_needs_none_of_the_mocks_dependencies() -> None:
    """``import wan_mock`` (for ``WanMockServer``) works in a client-only install: it loads
    neither Flask, PyAV, Pillow, jsonschema-rs nor PyYAML."""
    assert _loaded_by("wan_mock", *MOCK_DEPENDENCIES) == []


LAYER = Path(wan_video.__file__).resolve().parent
#: What the layer may import besides the standard library: the base install.
BASE_INSTALL = {"httpx", "attrs", "tenacity", "wan_video_client"}


def test_the_client_layer_imports_only_the_base_install() -> None:
    """``wan_video`` sits on the generated client with httpx, attrs and tenacity only: no mock,
    no Flask, no YAML (its spec data is JSON written by ``tools/wan_video_data.py``)."""
    imported = set().union(*(_imports(path)[1] for path in LAYER.glob("*.py")))
    assert imported - sys.stdlib_module_names - {"__future__"} == BASE_INSTALL


def test_importing_wan_video_loads_nothing_of_the_mock() -> None:
    assert _loaded_by("wan_video", "wan_mock", *MOCK_DEPENDENCIES) == []


def test_the_wan_command_adds_only_click_and_rich_to_the_layer() -> None:
    """``wan_video.cli`` (the ``wan`` console script) speaks to the service only through the
    layer (never the generated client directly), with click and rich (in the base install)."""
    imported = set().union(*(_imports(path)[1] for path in (LAYER / "cli").glob("*.py")))
    assert imported - sys.stdlib_module_names - {"__future__"} == {"click", "rich", "httpx"}


# ---------------------------------------------------------------------- the tests and the bench
@functools.cache
def _modules_imported(path: Path) -> set[str]:
    """The dotted names of every absolute import in a file (``from a.b import c`` gives
    ``a.b``), lazy ones included."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
    return found


def test_no_test_module_imports_from_conftest() -> None:
    importers = {
        path.name
        for path in TESTS.glob("*.py")
        if "contract_tests.conftest" in _modules_imported(path)
    }
    assert importers == set()


def test_the_specs_are_parsed_in_spec_data_only() -> None:
    """``test_client_generation`` reads and writes a *copy* of the spec it edits, nothing else
    parses YAML."""
    parsers = {path.stem for path in TESTS.glob("*.py") if "yaml" in _modules_imported(path)}
    assert parsers == {"spec_data", "test_client_generation"}


def test_the_bench_scripts_use_the_package_not_the_tests() -> None:
    for path in BENCH.glob("*.py"):
        imported = _modules_imported(path)
        assert not {m for m in imported if m.split(".")[0] == "contract_tests"}, path.name
        assert "sys.path" not in path.read_text(encoding="utf-8"), path.name


@pytest.mark.parametrize(
    ("source", "slow"),
    [
        ("import pytest\n\npytestmark = pytest.mark.slow\n", True),
        ("import pytest\n\n\n@pytest.mark.slow\ndef test_one() -> None: ...\n", False),
        ("import pytest\n\npytestmark = [pytest.mark.slow, pytest.mark.xfail]\n", False),
        ("import pytest\n\npytestmark = pytest.mark.slow\npytestmark = pytest.mark.xfail\n", False),
        ("def helper() -> None:\n    pytestmark = pytest.mark.slow\n", False),
    ],
    ids=["module-mark", "test-mark", "list-of-marks", "reassigned", "not-top-level"],
)
def test_a_module_is_slow_as_a_whole_only_when_its_pytestmark_is_the_slow_mark(
    tmp_path: Path, source: str, slow: bool
) -> None:
    module = tmp_path / "test_probe.py"
    module.write_text(source, encoding="utf-8")
    assert marked_slow_as_a_whole(module) is slow


def test_make_test_does_not_collect_the_schemathesis_runs() -> None:
    assert marked_slow_as_a_whole(TESTS / "test_schemathesis.py")
    assert not marked_slow_as_a_whole(TESTS / "test_schemathesis_findings.py")
