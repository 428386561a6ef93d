"""Ctrl-C and termination signals, handled so a stopping run cleans up quietly and completely."""
from __future__ import annotations

import contextlib
import signal
import threading
from typing import Any, Iterator


@contextlib.contextmanager
def stopping_on(*signals: signal.Signals) -> Iterator[None]:
    """While inside: any of `signals` raises KeyboardInterrupt once (run_review then cleans up) and repeats
    are ignored. Logging is switched off at that moment, for good (the process is stopping): a kernel stopped
    mid-cell makes papermill, nbclient and asyncio log their own tracebacks while unwinding and as their
    abandoned tasks are collected, and the officer is told "interrupted" in words instead."""
    import logging

    previous = {each: signal.getsignal(each) for each in signals}

    def ignore(_signum: int, _frame: Any) -> None:
        """A repeat. Not SIG_IGN: a signal already on its way when the handler changes would then make
        Python raise "OSError: Signal 15 ignored due to race condition" in the middle of the clean-up."""

    def stop(_signum: int, _frame: Any) -> None:
        for each in signals:
            signal.signal(each, ignore)
        logging.disable(logging.CRITICAL)
        raise KeyboardInterrupt

    for each in signals:
        signal.signal(each, stop)
    try:
        yield
    finally:
        for each, handler in previous.items():
            signal.signal(each, handler)


@contextlib.contextmanager
def interrupts_deferred() -> Iterator[None]:
    """A second Ctrl-C must not cut the clean-up short: hold it until the clean-up is done."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    pending: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, _frame: pending.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if pending:
        raise KeyboardInterrupt
