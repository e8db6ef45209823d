"""The API references (tag ``pages`` of ``openapi/mock-control.yaml``): ``/docs`` and
``/__mock/docs`` (Swagger UI), the specs they render (``/openapi.*``, ``/__mock/openapi.*``:
the spec files with this mock first in ``servers``), the static files under
``/__mock/assets/``, and the vendored Swagger UI those pages load, held to its record
(``_static/VENDORED.json``) and its pin (``tools/vendor_swagger_ui.py``).

In process, through Flask's test client; the page in a real browser is tested elsewhere.
"""

from __future__ import annotations

import ast
import hashlib
import json
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from contract_tests.support.mock import assert_error
from contract_tests.support.paths import ROOT
from contract_tests.support.spec_data import control_document, parse_document, spec_document

STATIC = ROOT / "src" / "wan_mock" / "_http" / "_static"
RECORD = json.loads((STATIC / "VENDORED.json").read_text(encoding="utf-8"))
VENDOR_SCRIPT = ROOT / "tools" / "vendor_swagger_ui.py"
NOTICES = ROOT / "THIRD_PARTY_NOTICES.md"
REMOTE = {"REMOTE_ADDR": "10.1.2.3"}
#: The kinds of file in ``_static`` and the content type each is served with.
KINDS = {
    ".js": "text/javascript",
    ".css": "text/css",
    ".json": "application/json",
    ".png": "image/png",
    ".svg": "image/svg+xml",
    ".LICENSE": "text/plain",
    ".NOTICE": "text/plain",
    ".txt": "text/plain",
}
#: What the reference pages load, besides their spec.
PAGE_ASSETS = {
    "swagger-ui-bundle.js",
    "swagger-ui.css",
    "swagger-ui-favicon-32x32.png",
    "docs.js",
    "docs.css",
}


def _pinned(name: str) -> str:
    """A string constant of the vendoring script (read, not imported: it is no module)."""
    tree = ast.parse(VENDOR_SCRIPT.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and [ast.unparse(t) for t in node.targets] == [name]:
            value = ast.literal_eval(node.value)
            assert isinstance(value, str)
            return value
    raise LookupError(name)


# ---------------------------------------------------------------------- the vendored files
SWAGGER_UI = RECORD["swagger-ui-dist"]


def test_the_record_names_the_pinned_package_its_licence_and_integrity() -> None:
    assert SWAGGER_UI["package"] == "swagger-ui-dist"
    assert SWAGGER_UI["version"] == _pinned("VERSION")
    assert re.fullmatch(r"\d+\.\d+\.\d+", SWAGGER_UI["version"])  # exact: no range
    assert SWAGGER_UI["license"] == _pinned("LICENSE") == "Apache-2.0"
    assert SWAGGER_UI["integrity"].startswith("sha512-")
    assert SWAGGER_UI["registry"].endswith(f"/swagger-ui-dist-{SWAGGER_UI['version']}.tgz")


@pytest.mark.parametrize("name", sorted(SWAGGER_UI["files"]))
def test_each_vendored_file_matches_its_record(name: str) -> None:
    data = (STATIC / name).read_bytes()
    entry = SWAGGER_UI["files"][name]

    assert hashlib.sha256(data).hexdigest() == entry["sha256"]
    assert len(data) == entry["bytes"]


def test_the_record_holds_the_bundle_the_stylesheet_the_licence_and_the_notice() -> None:
    assert set(SWAGGER_UI["files"]) >= {
        "swagger-ui-bundle.js",
        "swagger-ui.css",
        "swagger-ui.LICENSE",
        "swagger-ui.NOTICE",
    }
    licence = (STATIC / "swagger-ui.LICENSE").read_text(encoding="utf-8")
    assert licence.split()[:4] == ["Apache", "License", "Version", "2.0,"]
    assert "SmartBear" in (STATIC / "swagger-ui.NOTICE").read_text(encoding="utf-8")


def test_no_source_map_is_shipped_or_pointed_at() -> None:
    assert sorted(p.name for p in STATIC.iterdir() if p.suffix == ".map") == []
    for path in STATIC.iterdir():
        if path.suffix in (".js", ".css"):
            assert b"sourceMappingURL" not in path.read_bytes(), path.name


def test_the_third_party_notice_records_swagger_ui_and_its_licence() -> None:
    text = NOTICES.read_text(encoding="utf-8")
    assert f"swagger-ui-dist {SWAGGER_UI['version']}" in text
    assert "Apache-2.0" in text
    assert "src/wan_mock/_http/_static/VENDORED.json" in text


@pytest.mark.slow
def test_the_vendored_files_are_what_the_pinned_package_gives(tmp_path: Path) -> None:
    """``tools/vendor_swagger_ui.py --check``: ``npm pack`` of the pin, compared file by file."""
    if shutil.which("npm") is None:
        pytest.skip("npm is not on PATH: cannot pack swagger-ui-dist")
    checked = subprocess.run(
        [sys.executable, str(VENDOR_SCRIPT), "--check"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr


# ---------------------------------------------------------------------- the pages
class _Page(HTMLParser):
    """Every URL a page names (``src``, ``href``) and the reference's root element."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.root: dict[str, str | None] | None = None
        self.meta: dict[str, str | None] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        self.urls += [str(found[key]) for key in ("src", "href") if found.get(key) is not None]
        if found.get("id") == "swagger-ui":
            self.root = found
        if tag == "meta" and found.get("name"):
            self.meta[str(found["name"])] = found.get("content")


def _page(response: TestResponse) -> _Page:
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "text/html"
    page = _Page()
    page.feed(response.get_data(as_text=True))
    return page


@pytest.mark.parametrize(
    ("path", "spec_url"),
    [("/docs", "/openapi.json"), ("/__mock/docs", "/__mock/openapi.json")],
)
def test_a_reference_page_loads_only_this_mocks_files(
    client: FlaskClient, path: str, spec_url: str
) -> None:
    response = client.get(path)
    page = _page(response)

    text = response.get_data(as_text=True)
    assert re.findall(r"https?://|//[a-z]", text) == []  # no URL to any other host
    assert all(url.startswith("/") and not url.startswith("//") for url in page.urls), page.urls
    assets = {url.removeprefix("/__mock/assets/") for url in page.urls if "/assets/" in url}
    assert assets == PAGE_ASSETS
    for name in assets:
        assert client.get(f"/__mock/assets/{name}").status_code == 200, name
    assert page.root is not None
    assert page.root["data-spec-url"] == spec_url
    assert spec_url in page.urls  # the spec is also a link, for a browser without scripts
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy
    assert "script-src 'self';" in policy
    assert "connect-src 'self';" in policy


def test_the_api_reference_is_titled_by_the_spec(client: FlaskClient) -> None:
    text = client.get("/docs").get_data(as_text=True)

    title = spec_document()["info"]["title"]
    assert f"<title>{title} · wan-mock</title>" in text
    assert 'href="/docs" aria-current="page"' in text


def test_the_page_starts_swagger_ui_on_the_spec_with_try_it_out_and_kept_keys(
    client: FlaskClient,
) -> None:
    script = client.get("/__mock/assets/docs.js").get_data(as_text=True)

    for option in (
        "url: root.dataset.specUrl",
        "deepLinking: true",
        "tryItOutEnabled: true",
        "persistAuthorization: true",
        "validatorUrl: null",
    ):
        assert option in script
    assert re.findall(r"https?://", script) == []


# ---------------------------------------------------------------------- the spec documents
def _json(response: TestResponse) -> Any:
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    return json.loads(response.get_data())


def _yaml(response: TestResponse) -> Any:
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "application/yaml"
    return parse_document(response.get_data())


def _except_servers(document: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in document.items() if key != "servers"}


def test_the_api_spec_is_the_spec_file_with_this_mock_first_in_servers(
    client: FlaskClient,
) -> None:
    served = _json(client.get("/openapi.json", base_url="http://mock.test:8123"))

    assert _except_servers(served) == _except_servers(spec_document())
    first, *documented = served["servers"]
    assert first["url"] == "http://mock.test:8123/api/v1"
    assert first["description"]
    assert documented == spec_document()["servers"]


def test_the_yaml_and_the_json_spec_are_one_document(client: FlaskClient) -> None:
    for prefix in ("", "/__mock"):
        as_json = _json(client.get(prefix + "/openapi.json"))
        as_yaml = _yaml(client.get(prefix + "/openapi.yaml"))
        assert as_yaml == as_json, prefix


def test_each_origin_gets_its_own_first_server(client: FlaskClient) -> None:
    one = client.get("/openapi.json", base_url="https://one.test")
    other = client.get("/openapi.json", base_url="http://other.test:9000")
    again = client.get("/openapi.json", base_url="https://one.test")

    assert _json(one)["servers"][0]["url"] == "https://one.test/api/v1"
    assert _json(other)["servers"][0]["url"] == "http://other.test:9000/api/v1"
    assert again.get_data() == one.get_data()
    assert one.headers["ETag"] != other.headers["ETag"]


def test_a_documented_server_at_this_origin_is_listed_once(client: FlaskClient) -> None:
    urls = [
        s["url"]
        for s in _json(client.get("/openapi.json", base_url="http://127.0.0.1:8000"))["servers"]
    ]

    assert urls[0] == "http://127.0.0.1:8000/api/v1"
    assert urls.count("http://127.0.0.1:8000/api/v1") == 1
    assert urls[1:] == [s["url"] for s in spec_document()["servers"] if s["url"] != urls[0]]


def test_the_control_spec_is_the_spec_file_with_this_mocks_root_first(
    client: FlaskClient,
) -> None:
    served = _yaml(client.get("/__mock/openapi.yaml", base_url="http://mock.test:8123"))

    assert _except_servers(served) == _except_servers(control_document())
    assert served["servers"][0]["url"] == "http://mock.test:8123"
    assert served["servers"][1:] == control_document()["servers"]


def test_a_spec_document_is_revalidated_by_its_etag(client: FlaskClient) -> None:
    first = client.get("/openapi.json")
    assert first.headers["Cache-Control"] == "no-cache"

    again = client.get("/openapi.json", headers={"If-None-Match": first.headers["ETag"]})

    assert again.status_code == 304
    assert again.get_data() == b""


def test_the_references_are_not_journaled(client: FlaskClient) -> None:
    for path in ("/docs", "/openapi.json", "/openapi.yaml", "/__mock/assets/docs.js"):
        assert client.get(path).status_code == 200

    assert client.get("/__mock/journal").get_json() == {"entries": []}


# ---------------------------------------------------------------------- who may call
@pytest.mark.parametrize(
    "path", ["/docs", "/openapi.json", "/openapi.yaml", "/__mock/assets/swagger-ui.css"]
)
def test_the_api_reference_and_the_assets_are_public(client: FlaskClient, path: str) -> None:
    assert client.get(path, environ_base=REMOTE).status_code == 200


@pytest.mark.parametrize("path", ["/__mock/docs", "/__mock/openapi.json", "/__mock/openapi.yaml"])
def test_the_control_reference_refuses_a_non_loopback_caller(
    client: FlaskClient, path: str
) -> None:
    response = client.get(path, environ_base=REMOTE)

    assert_error(
        response,
        403,
        "AccessDenied",
        "The control plane needs X-Mock-Control-Token from this address.",
    )


@pytest.fixture
def guarded(make_app: Callable[..., Flask]) -> FlaskClient:
    from wan_mock._service._settings import Settings

    return make_app(Settings(control_token="t<ok>")).test_client()


def test_a_caller_admitted_by_the_token_gets_a_page_that_sends_it(guarded: FlaskClient) -> None:
    response = guarded.get(
        "/__mock/docs", environ_base=REMOTE, headers={"X-Mock-Control-Token": "t<ok>"}
    )

    assert _page(response).meta["wan-mock-control-token"] == "t<ok>"
    assert "t<ok>" not in response.get_data(as_text=True)  # escaped
    assert response.cache_control.no_store
    assert "X-Mock-Control-Token" in guarded.get("/__mock/assets/docs.js").get_data(as_text=True)


def test_a_loopback_caller_gets_a_page_without_a_token(guarded: FlaskClient) -> None:
    response = guarded.get("/__mock/docs")

    assert "wan-mock-control-token" not in _page(response).meta
    assert not response.cache_control.no_store


# ---------------------------------------------------------------------- the static files
def _kind(name: str) -> str:
    return KINDS[Path(name).suffix]


SHIPPED = sorted(p.name for p in STATIC.iterdir() if p.is_file())


@pytest.mark.parametrize("name", SHIPPED)
def test_each_static_file_is_served_with_its_content_type(client: FlaskClient, name: str) -> None:
    response = client.get(f"/__mock/assets/{name}")

    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == _kind(name)
    if response.mimetype.startswith("text/"):
        assert response.mimetype_params == {"charset": "utf-8"}
    assert response.get_data() == (STATIC / name).read_bytes()
    assert response.headers["Cache-Control"] == "no-cache"
    etag = response.headers["ETag"]
    assert client.get(f"/__mock/assets/{name}", headers={"If-None-Match": etag}).status_code == 304


def test_the_spec_lists_the_content_type_of_every_kind_of_static_file() -> None:
    from wan_mock._http import _references as docs

    operation = control_document()["paths"]["/__mock/assets/{name}"]["get"]
    documented = set(operation["responses"]["200"]["content"])

    assert {kind.split(";")[0] for kind in docs.CONTENT_TYPES.values()} == documented
    assert {_kind(name) for name in SHIPPED} <= documented


@pytest.mark.parametrize(
    "path",
    [
        "/__mock/assets/swagger-ui.js",  # not vendored
        "/__mock/assets/docs.py",  # a file of the package, not of _static
        "/__mock/assets/..",
        "/__mock/assets/..%2Fdocs.py",
        "/__mock/assets/%2E%2E%2F%2E%2E%2Fpyproject.toml",
        "/__mock/assets/..%5Cdocs.py",
        "/__mock/assets/.hidden.css",
        "/__mock/assets/",
        "/__mock/assets/swagger-ui.css%00.png",
    ],
)
def test_an_unknown_asset_or_a_path_out_of_the_folder_is_a_404_envelope(
    client: FlaskClient, path: str
) -> None:
    assert_error(client.get(path), 404, "NotFound")


def test_only_flat_files_of_a_known_kind_are_served(
    client: FlaskClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from wan_mock._http import _references as docs

    folder = tmp_path / "_static"
    folder.mkdir()
    (folder / "page.css").write_text("p{}", encoding="utf-8")
    (folder / "notes.md").write_text("# notes", encoding="utf-8")
    (folder / "folder.css").mkdir()
    (tmp_path / "secret.css").write_text("secret", encoding="utf-8")
    (folder / "link.css").symlink_to(tmp_path / "secret.css")
    monkeypatch.setattr(docs, "STATIC", folder)
    monkeypatch.setattr(docs, "_REAL_STATIC", folder.resolve())

    assert client.get("/__mock/assets/page.css").get_data() == b"p{}"
    for name in ("notes.md", "folder.css", "link.css"):
        assert_error(client.get(f"/__mock/assets/{name}"), 404, "NotFound")


def test_a_changed_static_file_is_served_anew(
    client: FlaskClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from wan_mock._http import _references as docs

    monkeypatch.setattr(docs, "STATIC", tmp_path)
    monkeypatch.setattr(docs, "_REAL_STATIC", tmp_path.resolve())
    (tmp_path / "live.js").write_text("one", encoding="utf-8")
    first = client.get("/__mock/assets/live.js")
    (tmp_path / "live.js").write_text("second", encoding="utf-8")

    second = client.get("/__mock/assets/live.js")

    assert (first.get_data(), second.get_data()) == (b"one", b"second")
    assert first.headers["ETag"] != second.headers["ETag"]
