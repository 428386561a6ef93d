"""svg_render: charts drawn in the helper process are byte-identical to drawing in-process, and nothing is lost
when the helper is unavailable."""
import io
import json
import os
import signal

import pytest

from scrutiny_kit.presentation import svg_render
from scrutiny_kit.presentation.svg_render import SvgRenderer, prefix_svg_ids, render_svg, serve

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
    r.close(wait=True)


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


def test_prefix_svg_ids_renames_ids_and_their_references_in_order():
    svg = ('<?xml version="1.0"?>\n<!DOCTYPE svg><!-- made by vega --><svg><defs><clipPath id="clip7"><rect/>'
           '</clipPath><linearGradient id="gradient_3"/></defs><g clip-path="url(#clip7)"><rect fill="url( \'#gradient_3\' )"/>'
           '<use xlink:href="#clip7"/><use href="#elsewhere"/></g></svg>')
    assert prefix_svg_ids(svg, "c") == (
        '<svg><defs><clipPath id="c-1"><rect/></clipPath><linearGradient id="c-2"/></defs>'
        '<g clip-path="url(#c-1)"><rect fill="url(#c-2)"/><use xlink:href="#c-1"/><use href="#elsewhere"/></g></svg>')


def test_close_lets_the_helper_finish_and_a_later_chart_starts_a_new_one(renderer):
    first = renderer.submit(SPEC)
    old = renderer._proc
    renderer.close(wait=True)
    assert old.returncode == 0 and renderer._proc is None
    assert first.svg() == render_svg(SPEC)  # answered before the helper ended
    second = renderer.submit({**SPEC, "title": "Again"})
    assert renderer._proc is not None and renderer._proc.pid != old.pid
    assert ">Again</text>" in second.svg()
