"""interrupts: a signal stops the work once, quietly; repeats wait; handlers come back afterwards."""
import logging
import os
import signal

import pytest

from scrutiny_kit.report.interrupts import check_interrupted, interrupted, interrupts_deferred, stopping_on


@pytest.fixture(autouse=True)
def logging_back_on():
    yield
    logging.disable(logging.NOTSET)


def test_the_first_signal_stops_once_and_silences_logging_and_repeats_are_ignored():
    before = signal.getsignal(signal.SIGTERM)
    steps = []
    with pytest.raises(KeyboardInterrupt):
        with stopping_on(signal.SIGINT, signal.SIGTERM):
            try:
                os.kill(os.getpid(), signal.SIGTERM)
                steps.append("not reached")
            except KeyboardInterrupt:
                assert logging.root.manager.disable == logging.CRITICAL
                os.kill(os.getpid(), signal.SIGINT)  # repeats during the clean-up: no second interrupt
                os.kill(os.getpid(), signal.SIGTERM)
                steps.append("clean-up finished")
                raise
    assert steps == ["clean-up finished"]
    assert signal.getsignal(signal.SIGTERM) is before  # handlers restored


def test_a_second_ctrl_c_waits_until_the_clean_up_is_done():
    steps = []
    with pytest.raises(KeyboardInterrupt):
        with interrupts_deferred():
            os.kill(os.getpid(), signal.SIGINT)
            steps.append("clean-up finished")
    assert steps == ["clean-up finished"]


def test_a_held_signal_can_be_let_go_and_is_remembered():
    with stopping_on(signal.SIGINT, signal.SIGTERM):
        assert not interrupted()
        with interrupts_deferred(signal.SIGINT, signal.SIGTERM, reraise=False) as held:
            os.kill(os.getpid(), signal.SIGTERM)
        assert held == [signal.SIGTERM] and interrupted()
        with pytest.raises(KeyboardInterrupt):
            check_interrupted()


def test_a_keyboard_interrupt_python_drops_is_quiet_and_still_seen(capsys):
    import gc
    import weakref

    class Thing:
        pass

    with stopping_on(signal.SIGINT):
        thing = Thing()
        # A callback raising KeyboardInterrupt where Python can only report it, as a signal landing in a
        # weakref callback does: dropped quietly (no "Exception ignored" lines), and check_interrupted() stops.
        ref = weakref.ref(thing, lambda _r: os.kill(os.getpid(), signal.SIGINT))
        del thing
        gc.collect()
        assert ref() is None
        with pytest.raises(KeyboardInterrupt):
            check_interrupted()
    assert "Exception ignored" not in capsys.readouterr().err
