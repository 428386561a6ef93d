"""Draw Vega-Lite specs as SVG with vl-convert, in a helper process so that drawing overlaps building.

vl-convert holds the GIL while it draws and runs a single V8 engine, so threads cannot overlap it with
Python work. One helper process can: it starts (and warms V8) while the kernel loads the inputs, then draws
each chart while the kernel builds the next one. If the helper cannot start or dies, the chart is drawn in
this process instead, so a chart is never lost, and the bytes are the same either way (same vl-convert,
same spec). The helper is ``python -m scrutiny_kit.presentation.svg_render``: one JSON spec per line in, one JSON answer
per line out, in order. This module imports nothing heavier than vl-convert, so the helper starts quickly.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
from collections import deque
from concurrent.futures import Future
from typing import IO, Any, Mapping

# A tiny chart with text: drawing it loads V8, Vega and the bundled font, most of a first drawing's cost.
_WARM_UP: dict[str, Any] = {
    "data": {"values": [{"a": "x", "b": 1}]},
    "mark": "text",
    "encoding": {"text": {"field": "a", "type": "nominal"}, "y": {"field": "b", "type": "quantitative"}},
}
IN_PROCESS_ENV = "SCRUTINY_KIT_DRAW_IN_PROCESS"  # "1": draw in the calling process (e.g. to profile)


_XML_DECL = re.compile(r"<\?xml[^>]*\?>\s*", re.I)
_DOCTYPE = re.compile(r"<!DOCTYPE[^>]*>\s*", re.I)
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_ID = re.compile(r'\bid="([^"]+)"')


def render_svg(spec: Mapping[str, Any]) -> str:
    """The spec as an SVG string, offline: vl-convert may load no URL."""
    import vl_convert  # here, not at the top: a process that only hands specs to the helper never loads V8

    return vl_convert.vegalite_to_svg(dict(spec), allowed_base_urls=[])


def prefix_svg_ids(svg: str, prefix: str) -> str:
    """Rename every ``id`` in order as ``<prefix>-<n>`` and update ``url(#…)`` / ``href="#…"`` references, so
    several SVGs can share a page and the same chart gives the same bytes whatever counters the renderer
    used; drop any XML declaration, doctype and comments."""
    svg = _COMMENT.sub("", _DOCTYPE.sub("", _XML_DECL.sub("", svg))).strip()
    mapping: dict[str, str] = {}
    for old in _ID.findall(svg):
        mapping.setdefault(old, f"{prefix}-{len(mapping) + 1}")
    if not mapping:
        return svg
    svg = _ID.sub(lambda m: f'id="{mapping[m[1]]}"', svg)
    svg = re.sub(r"url\(\s*['\"]?#([^'\")\s]+)['\"]?\s*\)",
                 lambda m: f"url(#{mapping.get(m[1], m[1])})", svg)
    svg = re.sub(r'((?:xlink:)?href)="#([^"]+)"', lambda m: f'{m[1]}="#{mapping.get(m[2], m[2])}"', svg)
    return svg


class Drawing:
    """A chart being drawn; :meth:`svg` waits for it, drawing it here if the helper could not."""

    def __init__(self, spec: Mapping[str, Any], future: Future[str] | None) -> None:
        self._spec = spec
        self._future = future

    def svg(self) -> str:
        if self._future is not None:
            try:
                return self._future.result()
            except HelperError:
                pass  # drawn again below: the real error (if the spec is bad) is raised here, with its type
        return render_svg(self._spec)


class HelperError(RuntimeError):
    """The helper process failed to draw a spec or went away."""


class _Helper:
    """One helper process: specs go down its input, answers come back in order and settle the futures."""

    def __init__(self) -> None:
        # A session of its own: a Jupyter kernel signals and waits for the children in its process group when
        # it shuts down (seconds, as an exited helper stays listed until reaped). The helper needs none of
        # that: it ends by itself when its input closes, i.e. when it is closed or this process ends.
        # The package's own folder goes first on the helper's path, so it starts even where this process found
        # the package through sys.path rather than an installation.
        package_root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (package_root, os.environ.get("PYTHONPATH"))
                                                           if p)}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", __name__], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL, text=True, encoding="utf-8", env=env, start_new_session=os.name == "posix")
        self.waiting: deque[Future[str]] = deque()
        self.lock = threading.Lock()
        self.broken = False  # it went away (or could not be written to) while it had work
        self.closing = False
        threading.Thread(target=self._read_answers, daemon=True, name="scrutiny-kit-svg").start()

    def send(self, spec: Mapping[str, Any]) -> Future[str] | None:
        future: Future[str] = Future()
        with self.lock:
            if self.broken or self.closing or self.proc.stdin is None:
                return None
            self.waiting.append(future)
            try:
                self.proc.stdin.write(json.dumps(spec) + "\n")
                self.proc.stdin.flush()
            except (OSError, ValueError):  # it has gone; the reader fails whatever is waiting
                self.broken = True
        return future

    def _read_answers(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            with self.lock:
                future = self.waiting.popleft() if self.waiting else None
            if future is None:
                break
            try:
                answer = json.loads(line)
                if "svg" in answer:
                    future.set_result(answer["svg"])
                else:
                    future.set_exception(HelperError(answer.get("error", "no drawing")))
            except ValueError:
                future.set_exception(HelperError("unreadable answer"))
        with self.lock:
            if self.waiting or not self.closing:
                self.broken = True
            while self.waiting:
                self.waiting.popleft().set_exception(HelperError("the drawing helper stopped"))

    def close(self, wait: bool) -> None:
        """Let it finish what it was given, then end (closing its input ends its loop)."""
        with self.lock:
            self.closing = True
            try:
                if self.proc.stdin is not None:
                    self.proc.stdin.close()
            except OSError:
                pass
        if wait:
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()


class SvgRenderer:
    """Draws specs in a helper process (started on first use, again after :meth:`close`), or in this process
    when ``background`` is false, the environment sets ``SCRUTINY_KIT_DRAW_IN_PROCESS=1``, or a helper could
    not start or broke (then every later chart is drawn here: no restarting loop)."""

    def __init__(self, *, background: bool = True) -> None:
        self.background = background and os.environ.get(IN_PROCESS_ENV, "").lower() not in ("1", "true", "yes")
        self._helper: _Helper | None = None
        self._failed = False

    @property
    def _proc(self) -> subprocess.Popen[str] | None:
        return self._helper.proc if self._helper is not None else None

    def start(self) -> None:
        """Start the helper and have it draw a warm-up chart; returns at once. Safe to call again."""
        if not self.background or self._failed or (self._helper is not None and not self._helper.broken):
            return
        if self._helper is not None:  # broke while working: draw here from now on
            self._failed, self._helper = True, None
            return
        try:
            self._helper = _Helper()
        except OSError:
            self._failed = True
            return
        self._helper.send(_WARM_UP)

    def submit(self, spec: Mapping[str, Any]) -> Drawing:
        """Start drawing ``spec``; :meth:`Drawing.svg` gives the SVG."""
        self.start()
        return Drawing(spec, self._helper.send(spec) if self._helper is not None else None)

    def close(self, *, wait: bool = False) -> None:
        """Stop the helper once it has answered what it was given, freeing its memory; a later
        :meth:`submit` starts a new one. Returns at once unless ``wait`` (V8 takes a moment to exit).
        (The helper also stops by itself when this process ends.)"""
        helper, self._helper = self._helper, None
        if helper is not None:
            helper.close(wait)


_SHARED: SvgRenderer | None = None


def shared_renderer() -> SvgRenderer:
    """The process's renderer, so the warm-up started when a review opens serves its charts too."""
    global _SHARED
    if _SHARED is None:
        _SHARED = SvgRenderer()
    return _SHARED


def serve(lines: IO[str], out: IO[str]) -> None:
    """The helper's loop: a JSON spec per line in, ``{"svg": ...}`` or ``{"error": ...}`` per line out."""
    for line in lines:
        try:
            answer = {"svg": render_svg(json.loads(line))}
        except Exception as exc:  # noqa: BLE001 - reported to the caller, which draws again to raise it
            answer = {"error": f"{type(exc).__name__}: {exc}"}
        out.write(json.dumps(answer) + "\n")
        out.flush()


if __name__ == "__main__":
    sys.stdin.reconfigure(encoding="utf-8")  # type: ignore[union-attr]
    sys.stdout.reconfigure(encoding="utf-8")  # type: ignore[union-attr]
    serve(sys.stdin, sys.stdout)
