"""svg_render: charts drawn in the helper process are byte-identical to drawing in-process, and nothing is lost
when the helper is unavailable."""
import io
import json
import os
import signal

import pytest

from scrutiny_kit import svg_render
from scrutiny_kit.svg_render import SvgRenderer, render_svg, serve

SPEC = {
    "data": {"values": [{"period": "2023", "value": 21.5}, {"period": "2024", "value": 26.0}]},
    "mark": "line",
    "encoding": {"x": {"field": "period", "type": "ordinal"}, "y": {"field": "value", "type": "quantitative"}},
    "title": "Average caseload",
}


@pytest.fixture
def renderer():
    r = SvgRenderer()
    yield r
    r.close()


def test_helper_draws_the_same_bytes_as_this_process(renderer):
    drawings = [renderer.submit(SPEC), renderer.submit({**SPEC, "title": "Second"})]
    assert renderer._proc is not None and renderer._proc.pid != os.getpid()
    first, second = (d.svg() for d in drawings)
    assert first == render_svg(SPEC)
    assert ">Average caseload</text>" in first and ">Second</text>" in second


@pytest.mark.skipif(os.name != "posix", reason="process sessions are POSIX")
def test_helper_runs_in_its_own_session_so_a_kernel_does_not_wait_for_it(renderer):
    renderer.start()
    assert os.getpgid(renderer._proc.pid) != os.getpgrp()


def test_a_dead_helper_means_drawing_here_not_a_lost_chart(renderer):
    renderer.start()
    renderer._proc.send_signal(signal.SIGKILL)
    renderer._proc.wait()
    assert renderer.submit(SPEC).svg() == render_svg(SPEC)
    assert renderer.submit(SPEC).svg() == render_svg(SPEC)  # and it keeps working afterwards


def test_a_bad_spec_raises_vl_converts_own_error(renderer):
    bad = {"mark": "line", "encoding": {"x": {"field": "a", "type": "no-such-type"}}}
    with pytest.raises(ValueError):
        renderer.submit(bad).svg()
    assert renderer.submit(SPEC).svg() == render_svg(SPEC)  # the helper is still usable


def test_in_process_switch_starts_no_helper(monkeypatch):
    monkeypatch.setenv(svg_render.IN_PROCESS_ENV, "1")
    r = SvgRenderer()
    assert r.submit(SPEC).svg() == render_svg(SPEC)
    assert r._proc is None


def test_serve_answers_one_line_per_spec_in_order():
    lines = io.StringIO(json.dumps(SPEC) + "\n" + "not json\n")
    out = io.StringIO()
    serve(lines, out)
    answers = [json.loads(line) for line in out.getvalue().splitlines()]
    assert answers[0] == {"svg": render_svg(SPEC)}
    assert answers[1]["error"].startswith("JSONDecodeError")
