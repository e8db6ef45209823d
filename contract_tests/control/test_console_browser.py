"""The console in a real headless Chromium against ``wan-mock serve``: tasks submitted through
the API appear without a reload, a control changes what the page shows, a task's page plays
its video (the ``<video>`` element loads the MP4's metadata: width, height, duration), and the
journal highlights a refused request. Each test keeps screenshots (``browser_support``)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from playwright.sync_api import Page

from contract_tests.support.browser import screenshot
from wan_mock import WanMockServer

pytestmark = pytest.mark.slow

SUBMIT = "/services/aigc/video-generation/video-synthesis"
_BODY = {
    "model": "wan2.1-t2v-turbo",
    "input": {"prompt": "A kitten running in the moonlight."},
    "parameters": {"size": "832*480"},
}


def _api(server: WanMockServer, key: str = "sk-test") -> httpx.Client:
    headers = {"Authorization": f"Bearer {key}", "X-DashScope-Async": "enable"}
    return httpx.Client(base_url=server.base_url, headers=headers, trust_env=False, timeout=30)


def _submit(server: WanMockServer, body: dict[str, Any] | None = None) -> str:
    with _api(server) as api:
        answer = api.post(SUBMIT, json=body or _BODY)
    assert answer.status_code == 200, answer.text
    task_id = answer.json()["output"]["task_id"]
    assert isinstance(task_id, str)
    return task_id


def _row(task_id: str, status: str) -> str:
    return f'tr[data-task-id="{task_id}"][data-status="{status}"]'


def test_the_console_follows_a_task_from_submit_to_its_playing_video(
    wan_mock_server: WanMockServer, browser_page: Page
) -> None:
    page = browser_page
    wan_mock_server.freeze()  # tasks move only when the console's control moves the clock
    page.goto(wan_mock_server.root + "/")
    assert page.url == wan_mock_server.root + "/__mock/console"
    assert "No tasks yet" in page.locator("#tasks").inner_text()
    page.evaluate("window.loadedOnce = true")  # gone if the page reloads

    task_id = _submit(wan_mock_server)
    page.wait_for_selector(_row(task_id, "PENDING"))  # it appeared: the table updated itself
    assert page.evaluate("window.loadedOnce") is True
    assert "frozen" in page.locator("#clock").inner_text()
    screenshot(page, "console-tasks-pending")

    page.fill("#advance-form input[name=seconds]", "60")
    page.click("#advance")
    page.wait_for_selector(_row(task_id, "SUCCEEDED"))
    assert "clock/advance" in page.locator("#control-result").inner_text()
    assert page.evaluate("window.loadedOnce") is True
    screenshot(page, "console-tasks-succeeded")

    page.click(f"{_row(task_id, 'SUCCEEDED')} a.task-link")
    page.wait_for_url(f"**/__mock/console/tasks/{task_id}")
    assert page.locator("#task-status").inner_text() == "SUCCEEDED"
    page.wait_for_function(
        "() => { const v = document.getElementById('result-video');"
        " return v && (v.readyState >= 1 || v.error !== null); }"
    )
    video = page.evaluate(
        "() => { const v = document.getElementById('result-video');"
        " return {width: v.videoWidth, height: v.videoHeight, duration: v.duration,"
        " error: v.error && v.error.message, src: v.currentSrc}; }"
    )
    assert video["error"] is None
    assert (video["width"], video["height"]) == (832, 480)
    assert video["duration"] == pytest.approx(5, abs=0.1)
    with _api(wan_mock_server) as api:
        answer = api.get(f"/tasks/{task_id}").json()
    assert video["src"] == answer["output"]["video_url"]
    # the query just made appears in the task's journal: the page updated itself
    page.locator("#task-journal").get_by_text("get_task", exact=True).wait_for()
    page.evaluate("document.getElementById('result-video').scrollIntoView()")
    screenshot(page, "console-task-video")


def test_the_consoles_controls_queue_a_scenario_and_freeze_the_clock(
    wan_mock_server: WanMockServer, browser_page: Page
) -> None:
    page = browser_page
    page.goto(wan_mock_server.root + "/__mock/console")
    assert "running" in page.locator("#clock").inner_text()
    page.click("#freeze")
    page.wait_for_selector("#clock-state.frozen")
    assert wan_mock_server.clock()["frozen"] is True

    page.fill("#scenario-form input[name=scenario]", "fail=DataInspectionFailed")
    page.fill("#scenario-form input[name=api_key]", "sk-test")
    page.click("#queue")
    page.wait_for_selector("#control-result.ok")
    task_id = _submit(wan_mock_server)
    page.wait_for_selector(_row(task_id, "PENDING"))
    page.click("#finish")
    page.wait_for_selector(_row(task_id, "FAILED"))
    page.click(f"{_row(task_id, 'FAILED')} a.task-link")
    page.wait_for_url(f"**/tasks/{task_id}")
    failure = page.locator("#failure").inner_text()
    assert failure.startswith("DataInspectionFailed")
    assert page.locator("#scenario").inner_text() == "fail=DataInspectionFailed"
    screenshot(page, "console-task-failed")

    page.fill("#scenario-form input[name=scenario]", "explode=1")
    page.click("#queue")
    page.wait_for_selector("#control-result.refused")
    assert "explode" in page.locator("#control-result").inner_text()

    page.click("#unfreeze")
    page.wait_for_selector("#clock-state.running")
    assert wan_mock_server.clock()["frozen"] is False


def test_the_consoles_journal_highlights_a_refused_request(
    wan_mock_server: WanMockServer, browser_page: Page
) -> None:
    page = browser_page
    page.goto(wan_mock_server.root + "/__mock/console/journal")
    with _api(wan_mock_server) as api:
        refused = api.post(SUBMIT, json={"model": "wan-nope", "input": {"prompt": "x"}})
    assert refused.status_code == 400
    row = page.wait_for_selector("#journal tr.invalid")
    assert row is not None
    assert refused.json()["message"] in row.inner_text()
    page.select_option("select[name=status_class]", "2xx")
    page.click("#journal-filters button[type=submit]")
    page.wait_for_url("**/journal?status_class=2xx")  # only the filter given
    assert page.locator("#journal tr.invalid").count() == 0
    screenshot(page, "console-journal")

    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#reset")
    page.wait_for_selector("#control-result.ok")
    assert wan_mock_server.journal() == []
