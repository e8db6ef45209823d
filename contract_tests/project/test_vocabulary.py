"""Words each package defines once, held to the specs.

The API's base path (``/api/v1``): ``wan_mock._spec._base_paths.API_PREFIX``, and the path of
the spec's servers in ``wan_video`` (``SPEC.base_path``).

The task statuses: ``wan_video`` takes them from the generated ``TaskStatus`` (the API spec's
enum), ``wan_mock`` from ``_domain/_lifecycle.py`` (``Status``, ``STATUSES``; the API adds
``UNKNOWN`` for a task it does not know); the commands' colours, the console's filter and
``wan-mock tasks --status`` use those.
"""

from __future__ import annotations

import typing
from urllib.parse import urlsplit

import click

from contract_tests.support.spec_data import control_document, spec_document
from wan_mock._cli._control_commands import tasks
from wan_mock._domain import _lifecycle
from wan_mock._spec._base_paths import API_PREFIX
from wan_video._spec import SPEC
from wan_video._tasks import TERMINAL, TaskStatus
from wan_video.cli._terminal import STATUS_STYLES


def _enum(document: dict[str, typing.Any]) -> list[str]:
    return list(document["components"]["schemas"]["TaskStatus"]["enum"])


def test_the_generated_task_status_is_the_api_specs() -> None:
    assert sorted(TaskStatus) == sorted(_enum(spec_document()))


def test_the_mocks_statuses_are_the_control_specs_and_with_unknown_the_apis() -> None:
    assert list(_lifecycle.STATUSES) == _enum(control_document())
    assert typing.get_args(_lifecycle.Status) == _lifecycle.STATUSES
    assert [*_lifecycle.STATUSES, _lifecycle.UNKNOWN] == _enum(spec_document())


def test_the_lifecycle_is_made_of_its_statuses() -> None:
    seen = {status for pair in _lifecycle.TRANSITIONS for status in pair} - {None}
    terminal, cancelable, order = _lifecycle.TERMINAL, _lifecycle.CANCELABLE, _lifecycle.ORDER

    assert seen == set(_lifecycle.STATUSES)
    assert terminal == {"SUCCEEDED", "FAILED", "CANCELED"}
    assert cancelable == {"PENDING"}
    assert order == {"PENDING": 0, "RUNNING": 1, "SUCCEEDED": 2, "FAILED": 2, "CANCELED": 2}


def test_the_layer_ends_a_wait_on_the_mocks_terminal_statuses_and_unknown() -> None:
    layer_terminal = TERMINAL
    assert layer_terminal == _lifecycle.TERMINAL | {_lifecycle.UNKNOWN}


def test_every_status_has_a_colour_and_nothing_else_has_one() -> None:
    assert set(STATUS_STYLES) == set(TaskStatus)
    assert all(STATUS_STYLES.values())


def test_wan_mock_tasks_filters_by_the_lifecycles_statuses() -> None:
    [status] = [param for param in tasks.params if param.name == "status"]
    assert isinstance(status.type, click.Choice)
    assert tuple(status.type.choices) == _lifecycle.STATUSES


def test_the_apis_base_path_is_the_path_of_every_server_of_the_spec() -> None:
    paths = {urlsplit(server["url"]).path for server in spec_document()["servers"]}
    assert paths == {API_PREFIX} == {SPEC.base_path}
