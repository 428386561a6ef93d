"""Open rendered HTML in real headless Chromium with the network blocked, and run axe-core on it.

Helpers for tests (this is not a test module). Typical use, with the ``browser`` and ``open_page``
fixtures from ``tests/conftest.py``::

    def test_report_is_accessible(open_page, tmp_path):
        with open_page(tmp_path / "report.html") as page:
            assert_accessible(page)
            assert_clean(page)          # no blocked requests, console errors, page errors or dialogs

Every request that is not ``file:`` or ``data:`` (or ``blob:``/``about:``) is aborted and its URL recorded in
:func:`page_log`; so are WebSocket connections. Chromium is also started with a host-resolver rule that
resolves every host name to nothing, so even a request the router never saw could not reach the network.

Chromium: ``/usr/bin/chromium`` unless the ``CHROMIUM`` environment variable names another executable.
Never run ``playwright install``.
"""
from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from weakref import WeakKeyDictionary

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, ConsoleMessage, Dialog, Page, Playwright, Route, WebSocketRoute

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--host-resolver-rules=MAP * ~NOTFOUND"]

# WCAG 2.0, 2.1 and 2.2 at levels A and AA. Running only these tags leaves axe's best-practice rules off.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}

ALLOWED_SCHEMES = ("file:", "data:", "blob:", "about:")

_AXE = Axe()


def launch_chromium(playwright: Playwright, *, executable: str | None = None) -> Browser:
    """Headless Debian Chromium (not a Playwright download)."""
    return playwright.chromium.launch(
        executable_path=executable or CHROMIUM, args=CHROMIUM_ARGS, headless=True
    )


# --------------------------------------------------------------------------- page log


@dataclass
class PageLog:
    """What happened while a page was open."""

    blocked: list[str] = field(default_factory=list)  # URLs of aborted requests / WebSockets
    console_errors: list[str] = field(default_factory=list)  # console messages of type "error"
    page_errors: list[str] = field(default_factory=list)  # uncaught exceptions ("pageerror")
    dialogs: list[str] = field(default_factory=list)  # "alert: 1", "confirm: ...": each was dismissed

    def problems(self, *, ignore_blocked_console_errors: bool = True) -> list[str]:
        """One line per thing that should not happen on a self-contained, script-safe page."""
        lines = [f"blocked request: {url}" for url in self.blocked]
        for message in self.console_errors:
            # A blocked request also logs "Failed to load resource: net::ERR_..."; it is listed above already.
            if (
                ignore_blocked_console_errors
                and "Failed to load resource" in message
                and any(f"({url}:" in message for url in self.blocked)
            ):
                continue
            lines.append(f"console error: {message}")
        lines += [f"page error: {message}" for message in self.page_errors]
        lines += [f"dialog: {message}" for message in self.dialogs]
        return lines


_LOGS: WeakKeyDictionary[Page, PageLog] = WeakKeyDictionary()


def page_log(page: Page) -> PageLog:
    """The :class:`PageLog` of a page opened with :func:`open_page`."""
    return _LOGS[page]


def file_url(html_path: str | Path) -> str:
    return Path(html_path).resolve().as_uri()


@contextmanager
def open_page(
    html_path: str | Path,
    *,
    browser: Browser | None = None,
    viewport: dict[str, int] | None = None,
) -> Iterator[Page]:
    """Open a local HTML file in a fresh browser context with the network blocked.

    Yields the Playwright page once ``load`` has fired. Use :func:`page_log` for blocked URLs, console errors,
    page errors and dialogs. Without ``browser`` a Chromium is started (and stopped) just for this page; in
    tests pass the session ``browser`` fixture (the ``open_page`` fixture does this).
    """
    if browser is None:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            own = launch_chromium(playwright)
            try:
                with open_page(html_path, browser=own, viewport=viewport) as page:
                    yield page
            finally:
                own.close()
        return

    log = PageLog()
    context = browser.new_context(
        viewport=viewport or {"width": 1280, "height": 800},
        locale="en-GB",
        service_workers="block",
        java_script_enabled=True,
    )

    def route(route: Route) -> None:
        url = route.request.url
        if url.startswith(ALLOWED_SCHEMES):
            route.continue_()
        else:
            log.blocked.append(url)
            route.abort("blockedbyclient")

    def route_socket(ws: WebSocketRoute) -> None:
        # Not connecting to the server means no connection is ever made; close the page's end too.
        log.blocked.append(ws.url)
        ws.close()

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            location = message.location or {}
            where = f" ({location.get('url', '')}:{location.get('lineNumber', '')})" if location.get("url") else ""
            log.console_errors.append(f"{message.text}{where}")

    def on_dialog(dialog: Dialog) -> None:
        log.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    try:
        context.route("**/*", route)
        context.route_web_socket("**/*", route_socket)
        page = context.new_page()
        _LOGS[page] = log
        page.on("console", on_console)
        page.on("pageerror", lambda error: log.page_errors.append(str(error)))
        page.on("dialog", on_dialog)
        page.goto(file_url(html_path), wait_until="load")
        yield page
    finally:
        context.close()


def assert_clean(page: Page) -> None:
    """Fail with a readable list if the page tried the network, logged errors, threw, or opened a dialog."""
    problems = page_log(page).problems()
    assert not problems, "page was not clean:\n  " + "\n  ".join(problems)


# --------------------------------------------------------------------------- axe


@dataclass(frozen=True)
class Violation:
    """One failed axe rule and the elements that fail it."""

    id: str
    impact: str
    help: str
    help_url: str
    targets: tuple[str, ...]  # CSS selectors of offending nodes
    snippets: tuple[str, ...]  # their HTML, shortened

    @property
    def summary(self) -> str:
        nodes = "; ".join(
            f"{target} -> {snippet}" for target, snippet in zip(self.targets, self.snippets, strict=True)
        )
        return f"{self.id} ({self.impact}): {self.help} [{len(self.targets)} node(s): {nodes}] {self.help_url}"

    def __str__(self) -> str:
        return self.summary


def _target(node: dict) -> str:
    # A target is a list of selectors (more than one when inside iframes / shadow DOM).
    return " >> ".join(t if isinstance(t, str) else " ".join(t) for t in node.get("target", []))


def run_axe(page: Page, *, context: str | list | dict | None = None) -> list[Violation]:
    """axe-core violations of WCAG 2.0/2.1/2.2 A and AA on the page (best-practice rules off)."""
    results = _AXE.run(page, context=context, options=AXE_OPTIONS)
    violations = []
    for v in results.response["violations"]:
        nodes = v.get("nodes", [])
        violations.append(
            Violation(
                id=v["id"],
                impact=v.get("impact") or "",
                help=v.get("help", ""),
                help_url=v.get("helpUrl", ""),
                targets=tuple(_target(n) for n in nodes),
                snippets=tuple(" ".join((n.get("html") or "").split())[:160] for n in nodes),
            )
        )
    return violations


def format_violations(violations: list[Violation]) -> str:
    if not violations:
        return "no accessibility violations"
    return f"{len(violations)} accessibility violation(s):\n" + "\n".join(f"  - {v.summary}" for v in violations)


def assert_accessible(page: Page) -> None:
    """Fail, listing every violation readably, if axe finds any WCAG A/AA problem."""
    violations = run_axe(page)
    assert not violations, format_violations(violations)
