"""Shared pytest fixtures for scrutiny-kit's tests."""
from __future__ import annotations

import functools
import os
from pathlib import Path
from typing import Callable

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


def write_review(folder: Path, notes: dict[str, str], **params: object) -> Path:
    """A small review in `folder`: the given visit notes beside the example's workforce and recommendations."""
    import yaml

    visits = folder / "visits"
    visits.mkdir(parents=True, exist_ok=True)
    for name, text in notes.items():
        (visits / name).write_text(text, encoding="utf-8")
    raw = yaml.safe_load(EXAMPLE_PARAMS.read_text())
    for key in ("workforce", "recommendations", "commentary"):
        raw[key] = str((EXAMPLE_PARAMS.parent / raw[key]).resolve())
    raw["visit_notes"] = "visits/"
    raw.pop("coding_check", None)  # the example's coding sheet is for the example's notes only
    raw.update(params)
    path = folder / "review.yaml"
    path.write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")
    return path


def write_workbook(path: Path, sheets: list[tuple[str, list[list[object]], str]]) -> Path:
    """An .xlsx written by openpyxl with (title, rows, state) sheets in order; state 'visible' or 'hidden'."""
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows, state in sheets:
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
        sheet.sheet_state = state
    book.save(path)
    return path


def edit_zip_part(path: Path, part: str, change: Callable[[bytes], bytes]) -> Path:
    """Rewrite one part of a saved .docx/.xlsx (a zip of XML files) as `change` says: a hostile file, made small."""
    import zipfile

    with zipfile.ZipFile(path) as archive:
        items = [(info.filename, archive.read(info)) for info in archive.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in items:
            archive.writestr(name, change(data) if name == part else data)
    return path


def render(params: Path, out: Path, *extra: str) -> int:
    """Run the real CLI quietly; returns its exit status."""
    from scrutiny_kit.cli import main

    return main(["run", str(params), "--output-dir", str(out), "--quiet", *extra])


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
