"""The browser harness works: axe finds what it should, the network is blocked, escaped text stays text."""
from __future__ import annotations

from pathlib import Path

import pytest
from browser import AXE_TAGS, assert_accessible, assert_clean, format_violations, page_log, run_axe

HTML = Path(__file__).parent / "fixtures" / "html"


def test_accessible_page_has_no_violations_and_no_network(open_page):
    with open_page(HTML / "accessible.html") as page:
        violations = run_axe(page)
        assert violations == [], format_violations(violations)
        assert_accessible(page)
        assert_clean(page)
        assert page.locator("html").get_attribute("lang") == "en-GB"
        assert page.locator("h1").count() == 1


def test_broken_page_fails_axe_and_its_external_script_is_blocked(open_page):
    with open_page(HTML / "broken.html") as page:
        violations = run_axe(page)
        log = page_log(page)
    ids = {v.id for v in violations}
    assert {"image-alt", "color-contrast"} <= ids, format_violations(violations)
    assert "best-practice" not in AXE_TAGS

    image_alt = next(v for v in violations if v.id == "image-alt")
    assert image_alt.targets == ("img",)
    assert "image-alt" in image_alt.summary and image_alt.impact in image_alt.summary
    assert "img" in str(image_alt)

    assert log.blocked == ["http://cdn.example.invalid/tracker.js"]
    # The blocked script's own "Failed to load resource" console error is folded into its blocked line;
    # the missing local image is still reported.
    problems = log.problems()
    assert problems[0] == "blocked request: http://cdn.example.invalid/tracker.js"
    assert len(problems) == 2 and "ERR_FILE_NOT_FOUND" in problems[1] and "chart.png" in problems[1]
    with pytest.raises(AssertionError, match="image-alt"):
        with open_page(HTML / "broken.html") as again:
            assert_accessible(again)


def test_scripted_requests_and_websockets_are_blocked_too(open_page):
    with open_page(HTML / "accessible.html") as page:
        outcome = page.evaluate(
            """async () => {
                try { await fetch("https://example.com/beacon"); return "fetched"; }
                catch (e) { return "failed"; }
            }"""
        )
        page.evaluate(
            """() => new Promise(resolve => {
                const ws = new WebSocket("wss://example.com/socket");
                ws.onclose = ws.onerror = () => resolve();
                setTimeout(resolve, 2000);
            })"""
        )
        blocked = list(page_log(page).blocked)
    assert outcome == "failed"
    assert blocked == ["https://example.com/beacon", "wss://example.com/socket"]


def test_escaped_markup_is_shown_as_text_and_never_runs(open_page):
    with open_page(HTML / "escaped.html") as page:
        page.hover("#attr-text")
        page.wait_for_timeout(50)  # give any injected handler a chance to fire
        assert page.inner_text("#script-text") == "<script>alert(1)</script>"
        assert page.inner_text("#img-text") == "<img src=x onerror=alert(document.domain)>"
        assert page.inner_text("#attr-text") == '" onmouseover="alert(2)'
        assert page.locator("main script, main img, [onerror], [onmouseover]").count() == 0
        log = page_log(page)
        assert log.dialogs == []
        assert_clean(page)


def test_dialog_listener_catches_a_real_alert(open_page):
    # Control for the test above: if markup did run, the dialog would be recorded (and dismissed).
    with open_page(HTML / "escaped.html") as page:
        page.evaluate("() => alert('xss')")
        assert page_log(page).dialogs == ["alert: xss"]
        with pytest.raises(AssertionError, match="dialog: alert: xss"):
            assert_clean(page)
