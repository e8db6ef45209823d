"""The mock's options are declared once (``wan_mock._service._options.OPTIONS``) and every surface
agrees with the declaration: ``wan-mock serve``'s options, the keyword arguments of ``WanMock``
and ``WanMockServer`` (spelled out for type checkers, so held to it here), the marker's
keywords, the ``Settings`` the values make, and the README's tables."""

from __future__ import annotations

import inspect
import subprocess
import sys
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner

from contract_tests.support.paths import ROOT
from wan_mock import Settings, WanMock, WanMockServer
from wan_mock._cli import _main as cli
from wan_mock._cli import _serve
from wan_mock._domain._scenarios import Latency, Polls
from wan_mock._service._options import (
    IN_PROCESS,
    MARKER,
    OPTIONS,
    SERVE,
    SERVER,
    InvalidOption,
    options_of,
    serve_arguments,
    setting_fields,
)
from wan_mock._testing import _plugin


def _keywords(cls: type) -> dict[str, Any]:
    parameters = inspect.signature(cls).parameters.values()
    assert {parameter.kind for parameter in parameters} == {inspect.Parameter.KEYWORD_ONLY}
    return {parameter.name: parameter.default for parameter in parameters}


@pytest.mark.parametrize(("cls", "surface"), [(WanMock, IN_PROCESS), (WanMockServer, SERVER)])
def test_each_class_takes_exactly_its_options_with_their_defaults(cls: type, surface: str) -> None:
    declared = {option.name: option.default for option in OPTIONS if surface in option.surfaces}

    assert _keywords(cls) == declared


def test_the_marker_takes_options_both_classes_take() -> None:
    """The plugin hands the marker's keywords to ``WanMock`` and to ``WanMockServer``."""
    marker = [option.name for option in options_of(MARKER)]

    assert list(_plugin.OPTIONS) == marker
    assert set(marker) <= set(_keywords(WanMock)) & set(_keywords(WanMockServer))
    assert _plugin._MARKER.startswith(
        "wan_mock(profile='fast', api_keys=[...], rate_limits=None, progress='time', "
        "latency=None, latency_seed=0): "
    )


def test_serve_has_exactly_the_serve_options_with_their_defaults_and_help() -> None:
    params = [param for param in _serve.serve.params if param.name != "help"]
    assert all(isinstance(param, click.Option) for param in params)
    shown = {param.name: param for param in params if isinstance(param, click.Option)}

    assert list(shown) == [option.name for option in options_of(SERVE)]
    for option in options_of(SERVE):
        param = shown[option.name]
        assert param.help == option.help
        assert param.opts[0] == option.flag
        assert param.secondary_opts == ([option.negative_flag] if option.is_switch else [])
        assert param.multiple is option.repeated
        assert param.is_flag is (option.is_flag or option.is_switch)
        if not (option.is_flag or option.repeated):
            assert param.default == option.default


def test_every_option_says_what_it_is_where_it_is_shown() -> None:
    names = [option.name for option in OPTIONS]
    assert len(names) == len(set(names))
    for option in OPTIONS:
        assert option.surfaces
        if SERVE in option.surfaces:
            assert option.help.strip(), option.name
            assert option.doc.strip(), option.name
        if option.surfaces & {IN_PROCESS, SERVER}:
            assert option.keyword_doc.strip(), option.name


def _served(monkeypatch: pytest.MonkeyPatch, *arguments: str) -> tuple[Settings, int]:
    """The settings and threads ``wan-mock serve`` would serve with, given these arguments."""
    seen: list[tuple[Settings, int]] = []
    monkeypatch.setattr(
        _serve, "serve_forever", lambda settings, threads: seen.append((settings, threads))
    )
    done = CliRunner().invoke(cli.main, ["serve", *arguments])
    assert done.exit_code == 0, done.output
    [served] = seen
    return served


def test_serve_with_no_options_serves_the_default_settings_with_the_access_log(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The command's defaults are ``Settings``' defaults (but the access log, on unless
    ``--quiet``): a default declared twice would show here."""
    assert _served(monkeypatch) == (Settings(access_log=True), 1)


def test_each_serve_option_reaches_its_setting(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    arguments = [
        "--host", "0.0.0.0", "--port", "0", "--store", str(tmp_path / "tasks.db"),
        "--workers", "2", "--profile", "realistic", "--api-key", "a", "--api-key", "b",
        "--no-rate-limits", "--reject-over-concurrency", "--control-token", "t",
        "--data-dir", str(tmp_path / "data"), "--progress", "polls:1,2", "--latency", "1-2",
        "--latency-seed", "7", "--threads", "3", "--log-format", "json", "--quiet",
    ]  # fmt: skip

    settings, threads = _served(monkeypatch, *arguments)

    assert threads == 3
    assert settings == Settings(
        host="0.0.0.0",
        port=0,
        store_path=tmp_path / "tasks.db",
        workers=2,
        profile="realistic",
        api_keys=frozenset({"a", "b"}),
        rate_limits=False,
        reject_over_concurrency=True,
        control_token="t",
        data_dir=tmp_path / "data",
        progress=Polls(1, 2),
        latency=Latency(1.0, 2.0, 7),
        access_log=False,
        log_format="json",
    )
    url = "redis://:secret@127.0.0.1:6379/0"
    assert _served(monkeypatch, "--store", url)[0].store_url == url


@pytest.mark.parametrize(
    "values",
    [
        {},
        {"api_keys": ("sk-1", "sk-2"), "rate_limits": True, "progress": "polls:0,0"},
        {"profile": "realistic", "rate_limits": False, "latency": 0.5, "latency_seed": 3},
        {"workers": 2, "store": "tasks.db", "latency": "0.1-0.3"},
    ],
)
def test_a_servers_arguments_give_serve_the_settings_its_options_make(
    monkeypatch: pytest.MonkeyPatch, values: dict[str, Any]
) -> None:
    """``WanMockServer`` passes its options on as ``wan-mock serve`` arguments: the command
    makes of them what the options make."""
    settings, _ = _served(monkeypatch, *serve_arguments(values))

    assert settings == Settings(**setting_fields(values), access_log=True)


def test_a_value_an_option_cannot_use_names_the_option() -> None:
    with pytest.raises(InvalidOption, match="progress 'polls:x' is not") as refused:
        setting_fields({"progress": "polls:x"})
    assert refused.value.option.flag == "--progress"
    with pytest.raises(InvalidOption) as refused:
        setting_fields({"latency": "5-a", "latency_seed": 0})
    assert refused.value.reason == "'a' is not a number of seconds"


def test_the_readmes_option_tables_are_in_step_with_the_declaration() -> None:
    done = subprocess.run(
        [sys.executable, "tools/readme_options.py", "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )

    assert done.returncode == 0, done.stdout + done.stderr
