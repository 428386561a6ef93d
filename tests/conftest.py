"""Shared pytest fixtures for scrutiny-kit's tests."""
from __future__ import annotations

import functools
import os
from pathlib import Path

import pytest

import browser as browser_harness  # tests/browser.py

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_PARAMS = ROOT / "params" / "example.yaml"


# --------------------------------------------------------------------------- rendered reports


@pytest.fixture(scope="session")
def example_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example review rendered once per session by the real CLI (papermill + nbconvert)."""
    from scrutiny_kit.cli import main

    out = tmp_path_factory.mktemp("example-out")
    assert main(["run", str(EXAMPLE_PARAMS), "--output-dir", str(out), "--quiet"]) == 0
    return out / "example-frontline-2025" / "report.html"


# --------------------------------------------------------------------------- headless Chromium


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole test session (see tests/browser.py)."""
    if not os.path.exists(browser_harness.CHROMIUM):
        pytest.fail(f"Chromium not found at {browser_harness.CHROMIUM}: run `make test` (it installs Debian's "
                    "chromium) or set CHROMIUM to its path")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = browser_harness.launch_chromium(playwright)
        yield chromium
        chromium.close()


@pytest.fixture
def open_page(browser):
    """``with open_page(html_path) as page:`` - a page in the session browser with the network blocked."""
    return functools.partial(browser_harness.open_page, browser=browser)
