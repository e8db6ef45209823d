"""A real headless Chromium for the tests of the console and ``/docs``: the ``browser_page``
fixture (a Playwright page in Debian's ``chromium``; no browser is downloaded) and
:func:`screenshot`, which keeps a picture of a page as a test artifact.

Outside CI a machine without Chromium skips these tests with a reason naming the package to
install; under ``CI=true`` they fail instead (``.ci/run`` installs it).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from contract_tests.support.paths import ROOT

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

__all__ = ["ARTIFACTS", "browser_page", "chromium", "screenshot"]

ARTIFACTS = Path(os.environ.get("WAN_ARTIFACTS", ROOT / "artifacts")) / "browser"
"""Where screenshots go (``$WAN_ARTIFACTS/browser``, by default ``artifacts/browser``)."""

#: How long a page may take to show what a test waits for (a DOM condition, not a sleep).
WAIT_MS = 20_000

#: Chromium as root in a sandbox with no network: no sandbox, GPU or background connections.
_ARGUMENTS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
_INSTALL = "install Debian's chromium (apt-get install chromium) or set WAN_CHROMIUM"


def _executable() -> str | None:
    given = os.environ.get("WAN_CHROMIUM")
    if given:
        return given
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture
def chromium() -> Iterator[Browser]:
    """A headless Chromium for one test. Not shared wider: while Playwright's sync API runs it
    holds an event loop on the thread, and other tests on the worker call ``asyncio.run``."""
    executable = _executable()
    if executable is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"the browser tests must run under CI: {_INSTALL}")
        pytest.skip(f"needs Chromium: {_INSTALL}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, args=list(_ARGUMENTS), headless=True
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def browser_page(chromium: Browser) -> Iterator[Page]:
    """A fresh page (its own context: no cookies or storage from other tests); the browser's
    console errors fail the test."""
    context = chromium.new_context(viewport={"width": 1400, "height": 900})
    context.set_default_timeout(WAIT_MS)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        yield page
    finally:
        context.close()
    assert not errors, f"the page's scripts failed: {errors}"


def screenshot(page: Page, name: str) -> Path:
    """Save a full-page PNG of ``page`` as ``ARTIFACTS/<name>.png``; its path."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 0
    return path
