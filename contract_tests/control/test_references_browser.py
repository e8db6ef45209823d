"""The API references in a real headless Chromium against ``wan-mock serve``: ``/docs`` renders
every operation of ``openapi/wan-video.yaml`` with this mock as the first server, "Try it out"
on ``get_task`` answers from the mock, ``/__mock/docs`` renders the control plane, and neither
page makes a request anywhere but the mock (``browser_support`` keeps screenshots)."""

from __future__ import annotations

import httpx
import pytest
from playwright.sync_api import Page, Request

from contract_tests.support.browser import screenshot
from contract_tests.support.spec_data import control_document, spec_document
from wan_mock import WanMockServer

pytestmark = pytest.mark.slow


def _requests(page: Page) -> list[str]:
    seen: list[str] = []

    def record(request: Request) -> None:
        seen.append(request.url)

    page.on("request", record)
    return seen


def _operations(document: dict[str, object]) -> int:
    paths = document["paths"]
    assert isinstance(paths, dict)
    methods = ("get", "post", "put", "delete", "patch", "head")
    return sum(1 for item in paths.values() for method in item if method in methods)


def test_the_api_reference_tries_get_task_against_the_mock(
    wan_mock_server: WanMockServer, browser_page: Page
) -> None:
    page = browser_page
    requests = _requests(page)
    headers = {"Authorization": "Bearer sk-test", "X-DashScope-Async": "enable"}
    with httpx.Client(base_url=wan_mock_server.base_url, headers=headers, trust_env=False) as api:
        submitted = api.post(
            "/services/aigc/video-generation/video-synthesis",
            json={"model": "wan2.1-t2v-turbo", "input": {"prompt": "A kitten."}},
        )
    assert submitted.status_code == 200, submitted.text
    task_id = submitted.json()["output"]["task_id"]

    page.goto(wan_mock_server.root + "/docs")
    page.wait_for_selector("#swagger-ui .opblock")
    assert page.locator("#swagger-ui .opblock").count() == _operations(spec_document())
    first_server = page.locator(".servers select option").first.get_attribute("value")
    assert first_server == wan_mock_server.base_url
    screenshot(page, "docs-api-reference")

    page.click("button.authorize")
    page.fill("#auth-bearer-value", "sk-test")
    page.click(".modal-ux .auth-btn-wrapper button.authorize")
    page.click(".modal-ux button.btn-done")
    operation = page.locator("#operations-tasks-get_task")
    operation.locator(".opblock-summary-control").click()
    operation.locator('tr[data-param-name="task_id"] input').fill(task_id)
    operation.locator("button.execute").click()
    status = operation.locator(".live-responses-table tbody .response-col_status").first
    status.wait_for()
    assert status.inner_text().strip().startswith("200")
    body = operation.locator(".live-responses-table .highlight-code").first.inner_text()
    assert task_id in body
    assert "task_status" in body
    screenshot(page, "docs-try-get-task")
    assert wan_mock_server.journal("get_task")  # the mock answered it
    assert requests
    assert all(url.startswith(wan_mock_server.root + "/") for url in requests), requests


def test_the_control_reference_renders_every_control_operation(
    wan_mock_server: WanMockServer, browser_page: Page
) -> None:
    page = browser_page
    requests = _requests(page)
    page.goto(wan_mock_server.root + "/__mock/docs")
    page.wait_for_selector("#swagger-ui .opblock")
    assert page.locator("#swagger-ui .opblock").count() == _operations(control_document())
    assert page.locator(".servers select option").first.get_attribute("value") == (
        wan_mock_server.root
    )
    screenshot(page, "docs-control-reference")
    assert all(url.startswith(wan_mock_server.root + "/") for url in requests), requests
