"""The shape ARCHITECTURE.md describes, held by tests.

``wan_mock`` is a package of private layers (``_spec`` → ``_domain`` → ``_storage`` →
``_service`` → ``_http`` → ``_testing`` → ``_cli``): a module imports only from its own layer and
the layers below it, there is no import cycle, only ``_http`` imports Flask or Werkzeug, the
package root holds at most ten modules, no hand-written module is over 600 lines, and
``import wan_mock`` does not need the mock's dependencies. The client layer (``wan_video``) is
made of the base install. ARCHITECTURE.md names every module and nothing that does not exist. In
the tests, helpers come from the support package (never ``conftest.py``), the specs are parsed in
one place and their ``$ref``s followed in the same one, no module is over 800 lines,
ARCHITECTURE.md names every folder and support module and nothing else, and the bench scripts use
the package, not the tests.
"""

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
from contract_tests.support.markers import marked_slow_as_a_whole
from contract_tests.support.paths import ROOT

PACKAGE = Path(wan_mock.__file__).resolve().parent
SRC = PACKAGE.parent
TESTS = ROOT / "contract_tests"
BENCH = ROOT / "bench"

#: The layers of ``wan_mock``, lowest first: each may import only from itself and those before it.
LAYERS = ("_spec", "_domain", "_storage", "_service", "_http", "_testing", "_cli")
#: The longest a hand-written module may be.
MAX_LINES = 600


def _module_name(path: Path) -> str:
    """``wan_mock._http._app`` for ``src/wan_mock/_http/_app.py`` (a package: its own name)."""
    parts = path.relative_to(SRC).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _absolute(module: str, node: ast.ImportFrom, is_package: bool) -> list[str]:
    """The modules an ``ImportFrom`` names, as absolute dotted names (a ``from . import x`` names
    ``x`` when it is a module)."""
    if node.level == 0:
        return [node.module] if node.module else []
    base = module.split(".")
    base = base if is_package else base[:-1]
    base = base[: len(base) - (node.level - 1)]
    if node.module:
        return [".".join([*base, node.module])]
    return [".".join([*base, alias.name]) for alias in node.names]


def _imports(path: Path) -> tuple[set[str], set[str]]:
    """(modules of ``wan_mock``, top-level packages) a module imports, lazily or not; imports
    under ``if TYPE_CHECKING:`` are left out (they never run)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    module = _module_name(path)
    typing_only: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            typing_only |= {id(child) for child in ast.walk(node)}
    own: set[str] = set()
    packages: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        names: list[str] = []
        if isinstance(node, ast.ImportFrom):
            names = _absolute(module, node, path.name == "__init__.py")
            if node.level:  # within its own package: never a third-party package
                own |= {name for name in names if name.startswith("wan_mock.")}
                continue
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        for name in names:
            if name == "wan_mock":  # the package's public root
                continue
            if name.startswith("wan_mock."):
                own.add(name)
            else:
                packages.add(name.split(".")[0])
    return {name for name in own if name != "wan_mock"}, packages


@functools.cache
def _graph() -> dict[str, tuple[frozenset[str], frozenset[str]]]:
    """Every module of ``wan_mock`` (subpackages' ``__init__`` included) and what it imports."""
    graph = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        own, packages = _imports(path)
        graph[_module_name(path)] = (frozenset(own), frozenset(packages))
    return graph


def _layer(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in LAYERS else None


def test_the_package_root_holds_the_layers_and_at_most_ten_modules() -> None:
    top = sorted(path.name for path in PACKAGE.glob("*.py"))
    folders = sorted(
        path.name for path in PACKAGE.iterdir() if path.is_dir() and path.name != "__pycache__"
    )
    assert len(top) <= 10, top
    assert set(LAYERS) <= set(folders)
    assert [name for name in folders if not name.startswith("_")] == []
    modules = [name for name in _graph() if name.count(".") == 2]
    assert [name for name in modules if not name.rsplit(".", 1)[1].startswith("_")] == []


def _one_edit_apart(first: str, second: str) -> bool:
    """Whether two names differ by one letter added, dropped or changed."""
    if abs(len(first) - len(second)) > 1 or first == second:
        return False
    shorter, longer = sorted((first, second), key=len)
    for at, (a, b) in enumerate(zip(shorter, longer, strict=False)):
        if a != b:
            rest = shorter[at + 1 :] if len(shorter) == len(longer) else shorter[at:]
            return rest == longer[at + 1 :]
    return True


@pytest.mark.parametrize(
    ("first", "second", "apart"),
    [
        ("control", "controls", True),
        ("api", "app", True),
        ("serve", "server", True),
        ("store", "stores", True),
        ("tasks", "task", True),
        ("control", "control_client", False),
        ("api", "api_operations", False),
        ("sqlite", "sqlite", False),
    ],
)
def test_one_edit_apart_is_one_letter_added_dropped_or_changed(
    first: str, second: str, apart: bool
) -> None:
    assert _one_edit_apart(first, second) is apart


@pytest.mark.parametrize("package", [PACKAGE, SRC / "wan_video"], ids=lambda path: path.name)
def test_no_two_modules_of_a_package_are_a_letter_apart(package: Path) -> None:
    """``control``/``controls``, ``api``/``app``: names a letter apart are read as one."""
    names = sorted(
        {
            path.stem.lstrip("_")
            for path in package.rglob("*.py")
            if path.stem not in ("__init__", "__main__")
        }
    )
    close = [
        (first, second)
        for at, first in enumerate(names)
        for second in names[at + 1 :]
        if _one_edit_apart(first, second)
    ]
    assert close == []
    assert len(names) > 10


def test_the_modules_of_wan_mock_import_each_other_without_a_cycle() -> None:
    graph = {name: own for name, (own, _) in _graph().items()}
    done: set[str] = set()

    def visit(name: str, trail: tuple[str, ...]) -> None:
        assert name not in trail, " -> ".join((*trail, name))
        if name in done:
            return
        for imported in graph.get(name, frozenset()):
            visit(imported, (*trail, name))
        done.add(name)

    for name in graph:
        visit(name, ())
    assert {"wan_mock._http._app", "wan_mock._service._state", "wan_mock._spec._documents"} <= done


def test_each_layer_imports_only_itself_and_the_layers_below() -> None:
    wrong = []
    for name, (own, _) in _graph().items():
        layer = _layer(name)
        if layer is None:
            continue
        for imported in own:
            other = _layer(imported)
            assert other is not None, f"{name} imports {imported}, which is in no layer"
            if LAYERS.index(other) > LAYERS.index(layer):
                wrong.append(f"{name} -> {imported}")
    assert wrong == []


def test_every_import_of_the_package_names_a_module_that_exists() -> None:
    graph = _graph()
    missing = sorted({imported for own, _ in graph.values() for imported in own} - set(graph))
    assert missing == []


def test_only_the_http_layer_imports_flask() -> None:
    """The HTTP layer: the Flask app, and the request pipeline in front of it with the API's
    answers (Werkzeug only)."""
    users = {name for name, (_, packages) in _graph().items() if {"flask", "werkzeug"} & packages}
    assert users
    assert {_layer(name) for name in users} == {"_http"}
    assert "flask" not in _graph()["wan_mock._http._api_operations"][1]
    assert "flask" not in _graph()["wan_mock._http._pipeline"][1]


def test_no_hand_written_module_is_over_the_limit() -> None:
    roots = (PACKAGE, SRC / "wan_video")
    long = {
        str(path.relative_to(SRC)): count
        for root in roots
        for path in root.rglob("*.py")
        if (count := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}


def _module_table() -> dict[str, str]:
    """ARCHITECTURE.md's table of the mock's modules: each row's module path (relative to the
    package) and its last cell (whether it imports Flask)."""
    text = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
    section = text.split("## The mock's modules", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `([\w/]+\.py)` \|.*\| ([^|]+) \|$", section, flags=re.MULTILINE)
    return {name: flask.strip() for name, flask in rows}


def test_the_module_table_names_every_module_and_only_real_ones() -> None:
    """Both ways: every module of ``wan_mock`` has a row, and every row is a module; the last
    cell says truly whether it imports Flask or Werkzeug."""
    graph = _graph()
    table = _module_table()
    modules = {
        str(path.relative_to(PACKAGE)): _module_name(path)
        for path in PACKAGE.rglob("*.py")
        if path.name != "__init__.py" or path.parent == PACKAGE
    }
    assert sorted(set(modules) - set(table)) == []
    assert sorted(set(table) - set(modules)) == []
    for row, cell in table.items():
        imports_flask = bool({"flask", "werkzeug"} & graph[modules[row]][1])
        assert cell.startswith("**yes**") is imports_flask, row


def test_the_references_work_on_the_specs_for_the_app() -> None:
    """``_references.py`` works on the specs ``_documents.py`` parsed, for the app alone."""
    graph = {name: own for name, (own, _) in _graph().items()}

    assert graph["wan_mock._http._references"] <= {
        "wan_mock._spec._documents",
        "wan_mock._spec._errors",
    }
    users = {name for name, own in graph.items() if "wan_mock._http._references" in own}
    assert users == {"wan_mock._http._app"}


def test_the_access_log_is_formatting_and_the_commands_need_the_base_install() -> None:
    """``_access_log`` is formatting only (the settings say which format; ``_app`` makes it,
    ``_pipeline`` feeds it); the ``_cli`` control commands reach a mock through
    ``_testing._control_client`` with no more than the base install (click, rich, httpx),
    Granian being imported only to serve."""
    graph = _graph()

    own, packages = graph["wan_mock._http._access_log"]
    assert own <= {"wan_mock._service._settings"}
    assert packages <= sys.stdlib_module_names
    users = {
        name for name, (imported, _) in graph.items() if "wan_mock._http._access_log" in imported
    }
    assert users <= {
        "wan_mock._http._api_operations",
        "wan_mock._http._app",
        "wan_mock._http._pipeline",
    }
    cli_packages = set().union(
        *(packages for name, (_, packages) in graph.items() if _layer(name) == "_cli")
    )
    assert cli_packages - sys.stdlib_module_names - {"__future__"} <= {
        "click",
        "httpx",
        "rich",
        "granian",
        "wan_video",
    }
    assert "granian" in cli_packages


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


def test_the_layers_table_names_every_module_and_only_real_ones() -> None:
    """ARCHITECTURE.md's table of ``wan_video``'s modules, both ways: a row for every module
    (its first cell may name two), and no row for a module that does not exist."""
    text = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
    section = text.split("## The client layer", 1)[1].split("\n## ", 1)[0]
    cells = re.findall(r"^\| ([^|]+) \|", section, flags=re.MULTILINE)
    named = {name for cell in cells for name in re.findall(r"`([\w/]+\.py)`", cell)}
    modules = {str(path.relative_to(LAYER)) for path in LAYER.rglob("*.py")}
    assert sorted(modules - named) == []
    assert sorted(named - modules) == []


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


#: The longest a test or support module may be.
MAX_TEST_LINES = 800


def test_no_test_or_support_module_is_over_800_lines() -> None:
    long = {
        str(path.relative_to(TESTS)): count
        for path in TESTS.rglob("*.py")
        if (count := len(path.read_text(encoding="utf-8").splitlines())) > MAX_TEST_LINES
    }
    assert long == {}


def _tests_table(header: str) -> set[str]:
    """The names in the first cells of the table of ARCHITECTURE.md's "The tests" whose header
    row starts with ``header`` (each backticked name of the cell)."""
    text = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
    section = text.split("## The tests", 1)[1].split("\n## ", 1)[0]
    table = section.split(f"| {header} |", 1)[1].split("\n\n", 1)[0]
    cells = re.findall(r"^\| ([^|]+) \|", table, flags=re.MULTILINE)
    return {name for cell in cells for name in re.findall(r"`([^`]+)`", cell)}


def test_the_tests_tables_name_every_folder_and_support_module_and_only_real_ones() -> None:
    """Both ways: the folders of test modules, and the support package's modules (a package
    as ``name/``)."""
    folders = {
        f"{path.name}/"
        for path in TESTS.iterdir()
        if path.is_dir() and any(path.glob("test_*.py")) and path.name != "support"
    }
    support = TESTS / "support"
    modules = {path.name for path in support.glob("*.py") if path.name != "__init__.py"}
    modules |= {f"{path.name}/" for path in support.iterdir() if (path / "__init__.py").exists()}
    assert _tests_table("folder") == folders
    assert _tests_table("support module") == modules


def test_no_test_module_imports_from_conftest() -> None:
    importers = {
        path.name
        for path in TESTS.rglob("*.py")
        if "contract_tests.conftest" in _modules_imported(path)
    }
    assert importers == set()


def test_the_specs_are_parsed_in_spec_data_only() -> None:
    """``client/test_generation`` reads and writes a *copy* of the spec it edits, nothing else
    parses YAML."""
    parsers = {path.stem for path in TESTS.rglob("*.py") if "yaml" in _modules_imported(path)}
    assert parsers == {"spec_data", "test_generation"}


def ref_reads(source: str) -> list[int]:
    """The lines where code reads the value of a ``$ref`` — which following one needs. Outside
    ``spec_data`` the string ``"$ref"`` may only be a key of a dict being built (a schema for a
    validator, which follows it) or what an ``in``/``not in`` test looks for; anywhere else
    (``node["$ref"]``, ``node.get("$ref")``, ``node.pop("$ref")``, a name bound to it…) it is a
    read."""
    tree = ast.parse(source)
    allowed: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict):
            allowed |= {id(key) for key in node.keys if key is not None}
        elif isinstance(node, ast.Compare) and all(
            isinstance(op, ast.In | ast.NotIn) for op in node.ops
        ):
            allowed.add(id(node.left))
    return sorted(
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and node.value == "$ref" and id(node) not in allowed
    )


@pytest.mark.parametrize(
    ("source", "reads"),
    [
        ('target = pointer(node["$ref"])\n', [1]),
        ('ref = node.get("$ref")\n', [1]),
        ('ref = node.pop("$ref", None)\n', [1]),
        ('KEY = "$ref"\nref = node[KEY]\n', [1]),
        ('if "$ref" in node and "$ref" not in other:\n    pass\n', []),
        ('schema = {"$ref": "#/components/schemas/Error", **components}\n', []),
        ('"""A docstring about ``"$ref"``."""\n', []),
    ],
    ids=["subscript", "get", "pop", "named", "membership", "dict-key", "docstring"],
)
def test_a_ref_read_is_any_use_of_the_key_but_building_or_testing_for_it(
    source: str, reads: list[int]
) -> None:
    assert ref_reads(source) == reads


def test_only_spec_data_follows_a_ref() -> None:
    """``support/spec_data.py`` is the one ``$ref`` resolver of the tests: no other test or
    support module reads a ``$ref``'s value (to follow it, or even to name what it points at:
    ``spec_data.component_name`` does that)."""
    resolver = TESTS / "support" / "spec_data.py"
    checker = Path(__file__).resolve()  # which compares each constant with the key
    readers = {
        str(path.relative_to(TESTS)): lines
        for path in sorted(TESTS.rglob("*.py"))
        if path not in (resolver, checker)
        and (lines := ref_reads(path.read_text(encoding="utf-8")))
    }
    assert readers == {}
    assert ref_reads(resolver.read_text(encoding="utf-8"))


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
    assert marked_slow_as_a_whole(TESTS / "spec" / "test_schemathesis.py")
    assert not marked_slow_as_a_whole(TESTS / "spec" / "test_schemathesis_findings.py")
