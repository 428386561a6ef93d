"""Shared pytest fixtures for scrutiny-kit's tests."""
from __future__ import annotations

import functools
import os

import pytest

import browser as browser_harness  # tests/browser.py


# --------------------------------------------------------------------------- headless Chromium


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole test session (see tests/browser.py)."""
    if not os.path.exists(browser_harness.CHROMIUM):
        pytest.skip(f"Chromium not found at {browser_harness.CHROMIUM} (set CHROMIUM to its path)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = browser_harness.launch_chromium(playwright)
        yield chromium
        chromium.close()


@pytest.fixture
def open_page(browser):
    """``with open_page(html_path) as page:`` - a page in the session browser with the network blocked."""
    return functools.partial(browser_harness.open_page, browser=browser)
