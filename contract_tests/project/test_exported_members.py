"""Each public module says what it offers in an explicit ``__all__`` (after httpx's
``tests/test_exported_members.py``).

The packages users import from (``wan_mock``, ``wan_video_client``, ``wan_video_client.models``,
``wan_video``) export exactly their public names, sorted (``wan_mock`` also those it imports on
first use). ``wan_mock`` has no public module but its root: its modules are private, in private
subpackages by layer. Every other public module of the three packages (``wan_video.errors``
included), and every private module of ``wan_mock``, has an ``__all__`` of names it really has,
listing every public class and function it defines. Modules
that only group subpackages (``wan_video_client.api`` and its tags) define nothing and need none.
The generated client's ``__all__`` lines come from the generator's templates
(``codegen/templates/``), never from hand edits.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from types import ModuleType

import pytest

import wan_mock
import wan_video
import wan_video_client
import wan_video_client.models

PACKAGE_FRONTS = (wan_mock, wan_video_client, wan_video_client.models, wan_video)


def is_submodule(package: ModuleType, value: object) -> bool:
    """A package's subpackages and modules become its attributes once imported: not exports."""
    return isinstance(value, ModuleType) and value.__name__.startswith(package.__name__ + ".")


def _walk(package: ModuleType) -> list[str]:
    return [info.name for info in pkgutil.walk_packages(package.__path__, package.__name__ + ".")]


def public_modules() -> list[str]:
    """Every importable module of the packages except ``__main__`` and ``_private`` ones."""
    names: list[str] = []
    for package in (wan_mock, wan_video_client, wan_video):
        names.append(package.__name__)
        names += [n for n in _walk(package) if not any(p.startswith("_") for p in n.split("."))]
    return sorted(names)


def mock_modules() -> list[str]:
    """The modules of ``wan_mock``'s layers (private subpackages' modules; not ``__main__``)."""
    return sorted(
        name
        for name in _walk(wan_mock)
        if name != "wan_mock.__main__" and not name.endswith(".__init__") and name.count(".") == 2
    )


def is_public(name: str) -> bool:
    """A name a user imports: not ``_private``, and not one pytest's assertion rewriting adds
    (``@py_builtins``, ``@pytest_ar``) to the modules of a plugin's package — pytest 9 rewrites
    ``wan_mock`` in an editable install, as the package of the ``wan_mock`` entry point."""
    return name.isidentifier() and not name.startswith("_")


def defined_here(module: ModuleType) -> set[str]:
    """The public classes and functions the module defines itself (not imports); a plugin
    module's ``pytest_*`` hooks are pytest's to call, not exports."""
    return {
        name
        for name, value in vars(module).items()
        if is_public(name)
        and (inspect.isclass(value) or inspect.isfunction(value))
        and value.__module__ == module.__name__
        and not (name.startswith("pytest_") and module.__name__.endswith("_plugin"))
    }


@pytest.mark.parametrize("package", PACKAGE_FRONTS, ids=lambda module: module.__name__)
def test_all_imports_are_exported(package: ModuleType) -> None:
    lazy = set(getattr(package, "_LAZY", {}))
    assert list(package.__all__) == sorted(
        {
            name
            for name, value in vars(package).items()
            if is_public(name) and not is_submodule(package, value)
        }
        | lazy
    )


def test_the_names_wan_mock_imports_on_first_use_are_what_their_modules_define() -> None:
    """``create_app`` and the others the root imports lazily resolve to the real objects."""
    from wan_mock._http._app import close_app, create_app
    from wan_mock._service._control import MockControl
    from wan_mock._spec._documents import default_spec_path

    assert set(wan_mock._LAZY) == {"create_app", "close_app", "MockControl", "default_spec_path"}
    assert wan_mock.create_app is create_app
    assert wan_mock.close_app is close_app
    assert wan_mock.MockControl is MockControl
    assert wan_mock.default_spec_path is default_spec_path
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        _ = wan_mock.nothing


@pytest.mark.parametrize("name", public_modules() + mock_modules())
def test_every_public_module_declares_what_it_defines(name: str) -> None:
    module = importlib.import_module(name)
    defined = defined_here(module)
    exported = getattr(module, "__all__", None)
    if exported is None:
        assert not defined, f"{name} defines {sorted(defined)} but has no __all__"
        return
    assert all(isinstance(item, str) for item in exported)
    assert len(set(exported)) == len(exported), f"{name}.__all__ repeats a name"
    assert [item for item in exported if not hasattr(module, item)] == []
    assert sorted(defined - set(exported)) == []


def test_the_public_modules_are_found() -> None:
    """The walk above sees the mock's modules and the generated client's layers."""
    found = public_modules()
    assert [name for name in found if name.startswith("wan_mock.")] == []
    assert {"wan_mock._testing._server_process", "wan_mock._http._app"} <= set(mock_modules())
    for name in (
        "wan_mock",
        "wan_video_client.client",
        "wan_video_client.api.tasks.get_task",
        "wan_video_client.models.task_status",
        "wan_video.errors",
    ):
        assert name in found
    assert "wan_mock.__main__" not in found


def test_the_generated_modules_export_their_operations_and_models() -> None:
    from wan_video_client import client, errors, types
    from wan_video_client.api.tasks import get_task
    from wan_video_client.models import task_query_response, task_status

    assert client.__all__ == ["AuthenticatedClient", "Client"]
    assert get_task.__all__ == ["asyncio", "asyncio_detailed", "sync", "sync_detailed"]
    assert task_query_response.__all__ == ["TaskQueryResponse"]
    assert task_status.__all__ == ["TaskStatus"]
    assert errors.__all__ == ["UnexpectedStatus"]
    assert set(types.__all__) >= {"UNSET", "Unset", "Response", "File"}
