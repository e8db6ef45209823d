"""Who may call the control plane: loopback callers, and others only with the configured
``X-Mock-Control-Token``; the file endpoints follow their own rules, and an unknown control path
or a wrong method is an error envelope.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from contract_tests.support.control import OSS_PATH
from contract_tests.support.control_plane import REMOTE, guarded_control_calls, ok_json, t2v_body
from contract_tests.support.mock import Api, assert_error

# ---------------------------------------------------------------------- who may call it


@pytest.mark.parametrize(("method", "path"), guarded_control_calls())
def test_a_non_loopback_caller_is_refused(client: FlaskClient, method: str, path: str) -> None:
    response = client.open(path, method=method, environ_base=REMOTE, json={"seconds": 1})

    assert_error(
        response,
        403,
        "AccessDenied",
        "The control plane needs X-Mock-Control-Token from this address.",
    )


def test_a_refused_reset_changes_nothing(api: Api) -> None:
    api.submit_ok(t2v_body())

    assert api.client.post("/__mock/reset", environ_base=REMOTE).status_code == 403

    assert len(ok_json(api.client.get("/__mock/tasks"))["tasks"]) == 1


def test_an_ipv6_loopback_caller_is_allowed(client: FlaskClient) -> None:
    assert (
        ok_json(client.get("/__mock/health", environ_base={"REMOTE_ADDR": "::1"}))["status"] == "ok"
    )


@pytest.fixture
def guarded(make_app: Callable[..., Flask]) -> FlaskClient:
    from wan_mock._service._settings import Settings

    return make_app(Settings(control_token="t")).test_client()


@pytest.mark.parametrize(("method", "path"), guarded_control_calls())
def test_the_control_token_unlocks_the_control_plane_from_another_address(
    guarded: FlaskClient, method: str, path: str
) -> None:
    response = guarded.open(
        path,
        method=method,
        environ_base=REMOTE,
        headers={"X-Mock-Control-Token": "t"},
        json={"seconds": 1, "api_key": "k", "scenario": "pending=1"},
    )

    # let in: answered as for a loopback caller (a redirect to the console, or, for a path's
    # literal {task_id}, the page's NotFound)
    expected = 302 if path == "/__mock/" else 404 if "{" in path else 200
    assert response.status_code == expected, response.get_data(as_text=True)


@pytest.mark.parametrize("token", ["wrong", "", "T", "t "])
def test_a_wrong_control_token_is_refused(guarded: FlaskClient, token: str) -> None:
    response = guarded.get(
        "/__mock/health", environ_base=REMOTE, headers={"X-Mock-Control-Token": token}
    )

    assert_error(response, 403, "AccessDenied")


def test_without_a_configured_token_any_token_is_refused_from_another_address(
    client: FlaskClient,
) -> None:
    response = client.get(
        "/__mock/health", environ_base=REMOTE, headers={"X-Mock-Control-Token": ""}
    )

    assert_error(response, 403, "AccessDenied")


def test_a_loopback_caller_needs_no_token_even_when_one_is_configured(
    guarded: FlaskClient,
) -> None:
    """Documented in ``_control_allowed``, the README and ``--control-token``'s help: the token
    unlocks the control plane for *non-loopback* callers; loopback callers may always use it."""
    response = guarded.get("/__mock/health")

    assert response.status_code == 200, response.get_data(as_text=True)


def test_the_file_endpoints_do_not_follow_the_control_rule(client: FlaskClient) -> None:
    upload = client.post(OSS_PATH, data={}, environ_base=REMOTE)
    result = client.get("/results/x.mp4", environ_base=REMOTE)

    assert (upload.status_code, upload.mimetype) == (400, "application/xml")
    assert (result.status_code, result.mimetype) == (403, "application/xml")


def test_an_unknown_control_path_is_a_404_envelope(client: FlaskClient) -> None:
    assert_error(client.get("/__mock/nothing"), 404, "NotFound", mentions=("/__mock/nothing",))


@pytest.mark.parametrize(("method", "path"), [("GET", "/__mock/reset"), ("POST", "/__mock/tasks")])
def test_a_wrong_control_method_is_a_405_envelope(
    client: FlaskClient, method: str, path: str
) -> None:
    assert_error(client.open(path, method=method), 405, "MethodNotAllowed", mentions=(path,))
