"""The published page (report/export.py + the nbconvert template): offline, accessible, deterministic, safe."""
from __future__ import annotations

import re
from pathlib import Path

from browser import assert_clean, format_violations, page_log, run_axe
from conftest import render, write_review

NOTE = """---
date: 2025-02-03
team: Riverside Locality Team
---
- Caseloads had risen to 27 children each and staff said this was unmanageable.
- Members were shown the <script>alert('xss')</script> sign by the kettle.
- The notice read <img src=x onerror="alert('img')"> in large letters.
- Reflective supervision was regular and valued.
"""
EXEMPT = """---
date: 2025-02-10
team: Leaving Care Team
confidential: true
---
- Exempt information about a named young person and a secret plan for the duty rota.
"""


def test_report_works_offline_and_draws_every_chart(example_report: Path, open_page) -> None:
    html = example_report.read_text(encoding="utf-8")
    loads = re.findall(r"""(?:\bsrc=["']?https?:|<link\b[^>]*href=["']?https?:|url\(\s*["']?https?:|@import)""", html)
    assert loads == [], "the page must not load anything from the web (links to read are fine)"
    assert "<script" not in html
    with open_page(example_report) as page:
        log = page_log(page)
        svgs = page.locator("figure svg")
        assert svgs.count() >= 3
        for i in range(svgs.count()):
            box = svgs.nth(i).bounding_box()
            assert box and box["width"] > 200 and box["height"] > 100
            assert svgs.nth(i).locator("path, rect, line").count() > 5  # really drawn, not an empty frame
        assert log.blocked == []
        assert_clean(page)


def test_report_passes_axe_wcag_22_aa(example_report: Path, open_page) -> None:
    with open_page(example_report) as page:
        violations = run_axe(page)
        assert violations == [], format_violations(violations)
        assert page.locator("html").get_attribute("lang") == "en-GB"
        assert page.locator("h1").count() == 1
        skip = page.locator("a.skip-link")
        assert skip.get_attribute("href") == "#main" and page.locator("main#main").count() == 1
        levels = [int(h.evaluate("e => e.tagName")[1]) for h in page.locator("h1, h2, h3, h4").all()]
        assert all(b - a <= 1 for a, b in zip(levels, levels[1:])), f"heading levels skip: {levels}"
        for table in page.locator("table").all():
            assert table.locator("caption").count() == 1
            assert table.locator("th[scope]").count() >= 1


def test_report_has_title_block_contents_and_print_styles(example_report: Path) -> None:
    html = example_report.read_text(encoding="utf-8")
    assert '<html lang="en-GB">' in html
    assert "<title>Frontline social work and safeguarding – Example County Council</title>" in html
    assert "<dt>Committee</dt><dd>Children and Young People Scrutiny Committee</dd>" in html
    assert 'class="contents"' in html and 'href="#findings"' in html
    assert "@page { size: A4" in html and "break-inside: avoid" in html


def test_same_inputs_give_byte_identical_html_wherever_rendered(example_report: Path, tmp_path: Path) -> None:
    from conftest import EXAMPLE_PARAMS

    assert render(EXAMPLE_PARAMS, tmp_path / "elsewhere" / "deeper") == 0
    again = tmp_path / "elsewhere" / "deeper" / "example-frontline-2025" / "report.html"
    assert again.read_bytes() == example_report.read_bytes()
    assert str(tmp_path) not in again.read_text(encoding="utf-8")


def test_user_text_is_escaped_and_exempt_notes_are_left_out(tmp_path: Path, open_page) -> None:
    params = write_review(tmp_path, {"riverside.md": NOTE, "exempt.md": EXEMPT}, redact=[])
    assert render(params, tmp_path / "out") == 0
    report = tmp_path / "out" / "example-frontline-2025" / "report.html"
    html = report.read_text(encoding="utf-8")
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(" in html
    assert "secret plan" not in html and "named young person" not in html
    assert "One exempt note not shown: it was marked confidential" in html
    with open_page(report) as page:
        log = page_log(page)
        assert page.get_by_text("<script>alert('xss')</script>", exact=False).count() >= 1
        assert log.dialogs == [] and log.page_errors == []
