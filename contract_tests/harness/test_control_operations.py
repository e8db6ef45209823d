"""The control client held to ``openapi/mock-control.yaml``.

``MockControls`` (so ``WanMock``, ``WanMockServer`` and ``RunningMock``) calls each control
operation by its operationId, at the method and path of ``_control_operations.json``, which
``tools/control_data.py`` writes from the spec. Here: the file is the spec's (every operation not
tagged ``pages`` or ``files``, as the control plane answers them), and every control operation is
reached — at the spec's method and path — by a ``MockControls`` method and by a ``wan-mock``
command, so a new control operation without a client method or a command fails a test.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable

import httpx
import pytest
from click.testing import CliRunner
from flask import Flask

from contract_tests.support.paths import ROOT
from contract_tests.support.spec_data import control_document, operations
from wan_mock._cli import _control_commands
from wan_mock._cli._main import main
from wan_mock._service._control import OPERATIONS
from wan_mock._spec._base_paths import CONTROL_PREFIX
from wan_mock._testing._control_client import CONTROL_OPERATIONS, MockControls, RunningMock


def _spec_control_operations() -> dict[str, tuple[str, str]]:
    """operationId → (method, path) of every operation of the control spec that is not one of
    its pages or files, read as plain YAML."""
    return {
        str(operation["operationId"]): (method.upper(), path)
        for path, method, operation in operations(control_document())
        if not {"pages", "files"} & set(operation.get("tags", ()))
    }


SPEC_OPERATIONS = _spec_control_operations()

#: How a test reaches each control operation through ``MockControls``.
CALLS: dict[str, Callable[[MockControls], object]] = {
    "mock_health": lambda mock: mock.health(),
    "mock_reset": lambda mock: mock.reset(),
    "mock_get_clock": lambda mock: mock.clock(),
    "mock_advance_clock": lambda mock: mock.advance(1),
    "mock_freeze_clock": lambda mock: mock.freeze(),
    "mock_unfreeze_clock": lambda mock: mock.unfreeze(),
    "mock_finish": lambda mock: mock.finish(),
    "mock_list_scenarios": lambda mock: mock.scenarios(),
    "mock_queue_scenario": lambda mock: mock.queue_scenario("pending=1"),
    "mock_list_tasks": lambda mock: mock.tasks(),
    "mock_read_journal": lambda mock: mock.journal(),
}
#: The ``wan-mock`` command line that reaches each control operation.
COMMAND_LINES: dict[str, list[str]] = {
    "mock_health": ["health"],
    "mock_reset": ["reset"],
    "mock_get_clock": ["clock"],
    "mock_advance_clock": ["clock", "advance", "1"],
    "mock_freeze_clock": ["clock", "freeze"],
    "mock_unfreeze_clock": ["clock", "unfreeze"],
    "mock_finish": ["finish"],
    "mock_list_scenarios": ["scenario", "list"],
    "mock_queue_scenario": ["scenario", "queue", "pending=1"],
    "mock_list_tasks": ["tasks"],
    "mock_read_journal": ["journal"],
}


class _Recording(httpx.BaseTransport):
    """The requests sent (method, path), passed on to an app in process."""

    def __init__(self, app: Flask) -> None:
        self.sent: list[tuple[str, str]] = []
        self._app = httpx.WSGITransport(app=app)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.sent.append((request.method, request.url.path))
        return self._app.handle_request(request)


# ---------------------------------------------------------------------- the data file
def test_the_data_file_holds_the_specs_control_operations() -> None:
    assert dict(CONTROL_OPERATIONS) == SPEC_OPERATIONS
    assert SPEC_OPERATIONS


def test_the_data_file_is_what_make_control_data_writes_from_the_spec() -> None:
    version = control_document()["info"]["version"]
    operations = {
        name: {"method": method.lower(), "path": path}
        for name, (method, path) in SPEC_OPERATIONS.items()
    }
    expected = {"source": f"openapi/mock-control.yaml {version}", "operations": operations}

    text = (ROOT / "src/wan_mock/_testing/_control_operations.json").read_text(encoding="utf-8")

    assert text == json.dumps(expected, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def test_the_control_operations_are_those_the_control_plane_answers() -> None:
    assert set(CONTROL_OPERATIONS) == set(OPERATIONS)
    assert all(path.startswith(CONTROL_PREFIX + "/") for _, path in CONTROL_OPERATIONS.values())


# ---------------------------------------------------------------------- reaching each one
@pytest.mark.parametrize("operation", sorted(SPEC_OPERATIONS))
def test_every_control_operation_has_a_method_that_calls_it_where_the_spec_says(
    operation: str, app: Flask
) -> None:
    assert operation in CALLS, f"no MockControls method (in CALLS) calls {operation}"
    transport = _Recording(app)

    with RunningMock("http://mock.example", transport=transport) as mock:
        CALLS[operation](mock)

    assert transport.sent == [SPEC_OPERATIONS[operation]]


@pytest.mark.parametrize("operation", sorted(SPEC_OPERATIONS))
def test_every_control_operation_has_a_wan_mock_command(
    operation: str, app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert operation in COMMAND_LINES, f"no wan-mock command (in COMMAND_LINES) for {operation}"
    transport = _Recording(app)
    monkeypatch.setattr(
        _control_commands, "RunningMock", functools.partial(RunningMock, transport=transport)
    )

    done = CliRunner().invoke(main, [*COMMAND_LINES[operation], "--json"])

    assert done.exit_code == 0, done.output
    assert transport.sent == [SPEC_OPERATIONS[operation]]
    json.loads(done.stdout)
