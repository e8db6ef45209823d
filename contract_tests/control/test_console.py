"""The console's pages, in process (``/``, ``/__mock/console``, a task's page, the journal; tag
``pages`` of ``openapi/mock-control.yaml``): what each shows, its filters and paging, and the
guard. ``test_console_browser.py`` drives the same pages in a real Chromium."""

from __future__ import annotations

import html.parser
import re
from typing import Any

import pytest
from flask.testing import FlaskClient

from contract_tests.support.mock import (
    API,
    DONE,
    IMAGE2VIDEO,
    KEY,
    VARIANTS,
    VIDEO_GENERATION,
    Api,
    assert_error,
    auth,
    body_for,
)

CONSOLE = "/__mock/console"
OTHER_HOST = {"REMOTE_ADDR": "203.0.113.9"}


class _Page(html.parser.HTMLParser):
    """What a test reads off a page: each element's tag and attributes, in order, the rows
    of its tables (``data-task-id`` / ``data-status`` and their cells' text), and the text."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.rows: list[dict[str, Any]] = []
        self._cell: list[str] | None = None
        self.texts: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        self.elements.append((tag, attributes))
        if tag == "tr":
            self.rows.append({"attrs": attributes, "cells": []})
        elif tag == "td":
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "td" and self._cell is not None and self.rows:
            self.rows[-1]["cells"].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data: str) -> None:
        self.texts.append(data)
        if self._cell is not None:
            self._cell.append(data)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.texts).split())

    def by_id(self, element_id: str) -> dict[str, str]:
        for _, attributes in self.elements:
            if attributes.get("id") == element_id:
                return attributes
        raise AssertionError(f"no element with id {element_id!r}")

    def task_rows(self) -> list[dict[str, str]]:
        return [row["attrs"] for row in self.rows if "data-task-id" in row["attrs"]]


def _page(client: FlaskClient, path: str, **environ: str) -> _Page:
    response = client.get(path, environ_overrides=environ or None)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "text/html"
    return _Page(response.get_data(as_text=True))


def _failing(api: Api, code: str = "DataInspectionFailed", **changes: Any) -> str:
    response = api.submit(
        body_for(VARIANTS[0], **changes), headers={"X-Mock-Scenario": f"fail={code}"}
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    task_id = response.get_json()["output"]["task_id"]
    assert isinstance(task_id, str)
    return task_id


# ---------------------------------------------------------------------- the front door
@pytest.mark.parametrize("path", ["/", "/__mock/"])
def test_the_root_and_the_control_root_lead_to_the_console(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"] == CONSOLE
    assert _page(client, response.headers["Location"]).by_id("tasks")


def test_the_console_is_guarded_like_the_control_plane(client: FlaskClient) -> None:
    for path in (CONSOLE, CONSOLE + "/journal", "/__mock/"):
        response = client.get(path, environ_overrides=OTHER_HOST)
        assert_error(response, 403, "AccessDenied")
    # the front door is public: it only points at the console
    assert client.get("/", environ_overrides=OTHER_HOST).status_code == 302


def test_the_control_token_opens_the_console_from_another_host(make_app: Any) -> None:
    from wan_mock._service._settings import Settings

    client = make_app(Settings(control_token="open-sesame")).test_client()
    response = client.get(
        CONSOLE, environ_overrides=OTHER_HOST, headers={"X-Mock-Control-Token": "open-sesame"}
    )
    assert response.status_code == 200
    wrong = client.get(
        CONSOLE, environ_overrides=OTHER_HOST, headers={"X-Mock-Control-Token": "no"}
    )
    assert_error(wrong, 403, "AccessDenied")


# ---------------------------------------------------------------------- the task table
def test_the_table_shows_every_keys_tasks_newest_first_without_the_keys(api: Api) -> None:
    first = api.submit_ok(body_for(VARIANTS[0]))
    api.clock.advance(1)
    second = api.submit_ok(body_for(VARIANTS[0]), key="sk-other")
    api.clock.advance(1)
    third = _failing(api)
    page = _page(api.client, CONSOLE)
    rows = page.task_rows()
    assert [row["data-task-id"] for row in rows] == [third, second, first]
    assert "3 tasks" in page.text
    assert KEY not in page.text
    assert "sk-other" not in page.text
    statuses = {row["data-task-id"]: row["data-status"] for row in rows}
    assert statuses == {first: "SUCCEEDED", second: "RUNNING", third: "PENDING"}
    cells = next(row["cells"] for row in page.rows if row["attrs"].get("data-task-id") == third)
    assert cells[2] == body_for(VARIANTS[0])["model"]
    assert cells[3] == "TextToVideoRequest"  # the request schema it was validated against
    assert cells[8] == "fail=DataInspectionFailed"  # the scenario, as written
    links = [attrs["href"] for tag, attrs in page.elements if "task-link" in attrs.get("class", "")]
    assert links == [f"{CONSOLE}/tasks/{task}" for task in (third, second, first)]


def test_the_table_filters_by_status_model_and_key_id(api: Api) -> None:
    done = api.submit_ok(body_for(VARIANTS[0]))
    failed = _failing(api)
    api.clock.advance(DONE + 1)
    waiting = api.submit_ok(body_for(VARIANTS[0]), key="sk-other")
    other_model = next(
        v for v in VARIANTS if body_for(v)["model"] != body_for(VARIANTS[0])["model"]
    )
    elsewhere = api.submit_ok(body_for(other_model), path=_path_of(other_model))

    def listed(query: str) -> list[str]:
        return [row["data-task-id"] for row in _page(api.client, CONSOLE + query).task_rows()]

    assert listed("?status=SUCCEEDED") == [done]
    assert listed("?status=FAILED") == [failed]
    assert set(listed("?status=PENDING")) == {waiting, elsewhere}
    assert listed(f"?model={body_for(other_model)['model']}") == [elsewhere]
    other_key_id = api.client.get("/__mock/tasks").get_json()["tasks"][2]["key_id"]
    assert listed(f"?key_id={other_key_id}") == [waiting]
    assert listed(f"?status=FAILED&key_id={other_key_id}") == []
    assert "match these filters" in _page(api.client, CONSOLE + "?status=CANCELED").text


def _path_of(variant: str) -> str:
    return IMAGE2VIDEO if variant == "kf2v" else VIDEO_GENERATION


def test_a_bad_filter_is_the_envelope_naming_it(client: FlaskClient) -> None:
    assert_error(
        client.get(CONSOLE + "?status=DONE"), 400, "InvalidParameter", mentions=("status",)
    )
    assert_error(client.get(CONSOLE + "?page=0"), 400, "InvalidParameter", mentions=("page",))
    assert_error(
        client.get(CONSOLE + "/journal?status_class=3xx"),
        400,
        "InvalidParameter",
        mentions=("status_class",),
    )


def test_thousands_of_tasks_come_a_page_at_a_time(api: Api) -> None:
    from wan_mock._http._console import PAGE_SIZE

    submitted = []
    for _ in range(2 * PAGE_SIZE + 7):
        submitted.append(api.submit_ok(body_for(VARIANTS[0])))
        api.clock.advance(0.001)
    newest_first = submitted[::-1]
    first = _page(api.client, CONSOLE)
    assert [row["data-task-id"] for row in first.task_rows()] == newest_first[:PAGE_SIZE]
    assert f"{len(submitted)} tasks · page 1 of 3" in first.text
    last = _page(api.client, CONSOLE + "?page=3")
    assert [row["data-task-id"] for row in last.task_rows()] == newest_first[2 * PAGE_SIZE :]
    older = [attrs["href"] for tag, attrs in first.elements if attrs.get("rel") == "next"]
    assert older == ["?page=2"]
    filtered = _page(api.client, CONSOLE + "?status=PENDING&page=2")
    assert [attrs["href"] for _, attrs in filtered.elements if attrs.get("rel") == "prev"] == [
        "?status=PENDING&page=1"
    ]


# ---------------------------------------------------------------------- a task's page
def test_a_tasks_page_shows_its_request_timeline_journal_and_video(api: Api) -> None:
    body = body_for(VARIANTS[0])
    body["parameters"] = {**body.get("parameters", {}), "seed": None}  # a null: not given
    task_id = api.submit_ok(body)
    page = _page(api.client, f"{CONSOLE}/tasks/{task_id}")
    assert page.by_id("task-status") is not None
    assert "PENDING" in page.text
    assert "The video appears here when the task succeeds." in page.text
    assert not [attrs for tag, attrs in page.elements if tag == "video"]
    assert '"seed": null' in page.text  # as received ...
    api.clock.advance(DONE)
    query = api.query(task_id)
    page = _page(api.client, f"{CONSOLE}/tasks/{task_id}")
    timeline = page.text[page.text.index("Timeline") : page.text.index("Result")]
    assert [status for status in ("PENDING", "RUNNING", "SUCCEEDED") if status in timeline] == [
        "PENDING",
        "RUNNING",
        "SUCCEEDED",
    ]
    videos = [attrs for tag, attrs in page.elements if tag == "video"]
    assert len(videos) == 1
    src = videos[0]["src"]
    assert src.split("?")[0] == query["output"]["video_url"].split("?")[0]
    with api.client.get(src.removeprefix("http://localhost")) as video:
        assert video.status_code == 200
        assert video.mimetype == "video/mp4"
    journal = [row["cells"] for row in page.rows if "data-status" in row["attrs"] and row["cells"]]
    operations = [cells[1] for cells in journal]
    assert operations == ["get_task", "create_video_synthesis_task"]  # newest first
    assert "Request body, as the model uses it" in page.text  # ... and as used, without it


def test_a_failed_tasks_page_shows_its_code_and_message(api: Api) -> None:
    task_id = _failing(api)
    api.clock.advance(DONE)
    page = _page(api.client, f"{CONSOLE}/tasks/{task_id}")
    failure = page.text[page.text.index("DataInspectionFailed") :]
    assert failure.startswith("DataInspectionFailed Output data may contain inappropriate content.")
    assert "fail=DataInspectionFailed" in page.text
    assert "This task has no video." in page.text


def test_a_tasks_page_shortens_inline_images(api: Api) -> None:
    variant = "i2v"
    import base64
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (400, 400), "white").save(buffer, format="PNG")
    uri = "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()
    body = body_for(variant)
    body["input"]["img_url"] = uri
    response = api.submit(body, path=_path_of(variant))
    assert response.status_code == 200, response.get_data(as_text=True)
    task_id = response.get_json()["output"]["task_id"]
    text = _page(api.client, f"{CONSOLE}/tasks/{task_id}").text
    assert uri not in text
    assert re.search(rf"data:image/png;base64,\S+… \({len(uri):,} characters\)", text)


def test_an_unknown_tasks_page_is_not_found(client: FlaskClient) -> None:
    assert_error(client.get(f"{CONSOLE}/tasks/nope"), 404, "NotFound", mentions=("nope",))


# ---------------------------------------------------------------------- the journal
def test_the_journal_highlights_refusals_and_filters(api: Api) -> None:
    task_id = api.submit_ok(body_for(VARIANTS[0]))
    refused = api.submit({"model": "wan-nope", "input": {"prompt": "x"}})
    assert refused.status_code == 400
    api.query(task_id)
    api.client.get(f"{API}/tasks/{task_id}", headers=auth("sk-other"))  # UNKNOWN, 200
    page = _page(api.client, CONSOLE + "/journal")
    rows = [row for row in page.rows if "data-status" in row["attrs"]]
    assert [row["attrs"]["data-status"] for row in rows] == ["200", "200", "400", "200"]
    invalid = [row for row in rows if "invalid" in row["attrs"]["class"].split()]
    assert len(invalid) == 1
    assert invalid[0]["cells"][4] == "InvalidParameter"
    assert invalid[0]["cells"][5] == refused.get_json()["message"]

    def statuses(query: str) -> list[str]:
        found = _page(api.client, CONSOLE + "/journal" + query).rows
        return [row["attrs"]["data-status"] for row in found if "data-status" in row["attrs"]]

    assert statuses("?status_class=4xx") == ["400"]
    # the filter form leaves out its empty fields ("any"); an empty value is not one of them
    assert_error(
        api.client.get(CONSOLE + "/journal?status_class="),
        400,
        "InvalidParameter",
        mentions=("status_class",),
    )
    assert statuses("?status_class=5xx") == []
    assert statuses("?operation=get_task") == ["200", "200"]
    assert statuses(f"?task_id={task_id}") == ["200", "200", "200"]


# ---------------------------------------------------------------------- what a page loads
@pytest.mark.parametrize("path", [CONSOLE, CONSOLE + "/journal"])
def test_a_page_loads_nothing_from_elsewhere(client: FlaskClient, path: str) -> None:
    page = _page(client, path)
    loaded = [
        attrs.get("src")
        or attrs.get("href")
        or attrs.get("action")
        or "/__mock/" + attrs["data-control"]
        for tag, attrs in page.elements
        if tag in ("script", "link", "img", "video", "a", "form", "iframe")
    ]
    assert loaded
    for target in loaded:
        assert target.startswith(("/", "?")), target
    for tag, attrs in page.elements:
        if tag in ("script", "link"):
            asset = attrs.get("src") or attrs["href"]
            answer = client.get(asset)
            assert answer.status_code == 200, asset
            assert b"http://" not in answer.data
            assert b"https://" not in answer.data
