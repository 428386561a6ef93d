"""Draw Vega-Lite specs as SVG with vl-convert, in a helper process so that drawing overlaps building.

vl-convert holds the GIL while it draws and runs a single V8 engine, so threads cannot overlap it with
Python work. One helper process can: it starts (and warms V8) while the kernel loads the inputs, then draws
each chart while the kernel builds the next one. If the helper cannot start or dies, the chart is drawn in
this process instead, so a chart is never lost, and the bytes are the same either way (same vl-convert,
same spec). The helper is ``python -m scrutiny_kit.svg_render``: one JSON spec per line in, one JSON answer
per line out, in order. This module imports nothing heavier than vl-convert, so it starts quickly.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections import deque
from concurrent.futures import Future
from typing import IO, Any, Mapping

import vl_convert as vlc

# A tiny chart with text: drawing it loads V8, Vega and the bundled font, most of a first drawing's cost.
_WARM_UP: dict[str, Any] = {
    "data": {"values": [{"a": "x", "b": 1}]},
    "mark": "text",
    "encoding": {"text": {"field": "a", "type": "nominal"}, "y": {"field": "b", "type": "quantitative"}},
}
IN_PROCESS_ENV = "SCRUTINY_KIT_DRAW_IN_PROCESS"  # "1": draw in the calling process (e.g. to profile)


def render_svg(spec: Mapping[str, Any]) -> str:
    """The spec as an SVG string, offline: vl-convert may load no URL."""
    return vlc.vegalite_to_svg(dict(spec), allowed_base_urls=[])


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


class SvgRenderer:
    """Draws specs in one helper process (started on first use), or in this process when ``background`` is
    false, the helper cannot start, or the environment sets ``SCRUTINY_KIT_DRAW_IN_PROCESS=1``."""

    def __init__(self, *, background: bool = True) -> None:
        self.background = background and os.environ.get(IN_PROCESS_ENV, "").lower() not in ("1", "true", "yes")
        self._proc: subprocess.Popen[str] | None = None
        self._waiting: deque[Future[str]] = deque()
        self._lock = threading.Lock()
        self._failed = False

    def start(self) -> None:
        """Start the helper and have it draw a warm-up chart; returns at once. Safe to call again."""
        if not self.background or self._proc is not None or self._failed:
            return
        try:
            # A session of its own: a Jupyter kernel signals and waits for the children in its process group
            # when it shuts down (seconds, as the exited helper stays listed until reaped). The helper does
            # not need that: it ends by itself when its input closes, i.e. when this process ends.
            self._proc = subprocess.Popen(
                [sys.executable, "-m", __name__], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL, text=True, encoding="utf-8", start_new_session=os.name == "posix")
        except OSError:
            self._failed = True
            return
        threading.Thread(target=self._read_answers, args=(self._proc.stdout,), daemon=True,
                         name="scrutiny-kit-svg").start()
        self._send(_WARM_UP)

    def submit(self, spec: Mapping[str, Any]) -> Drawing:
        """Start drawing ``spec``; :meth:`Drawing.svg` gives the SVG."""
        self.start()
        return Drawing(spec, self._send(spec) if self._proc is not None else None)

    def _send(self, spec: Mapping[str, Any]) -> Future[str] | None:
        future: Future[str] = Future()
        with self._lock:
            if self._failed or self._proc is None or self._proc.stdin is None:
                return None
            self._waiting.append(future)
            try:
                self._proc.stdin.write(json.dumps(spec) + "\n")
                self._proc.stdin.flush()
            except (OSError, ValueError):  # the helper has gone; its reader fails what is waiting
                self._failed = True
        return future

    def _read_answers(self, stdout: IO[str]) -> None:
        for line in stdout:
            with self._lock:
                future = self._waiting.popleft() if self._waiting else None
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
        with self._lock:
            self._failed = True
            while self._waiting:
                self._waiting.popleft().set_exception(HelperError("the drawing helper stopped"))

    def close(self) -> None:
        """Stop the helper (it also stops by itself when this process exits and its input closes)."""
        proc, self._proc = self._proc, None
        if proc is not None and proc.stdin is not None:
            try:
                proc.stdin.close()
                proc.wait(timeout=5)
            except (OSError, subprocess.TimeoutExpired):
                proc.kill()


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
