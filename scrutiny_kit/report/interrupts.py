"""Ctrl-C and termination signals, handled so a stopping run cleans up quietly and completely."""
from __future__ import annotations

import contextlib
import signal
import sys
import threading
from typing import Any, Iterator


_received = threading.Event()  # a stopping signal came (its KeyboardInterrupt may have been lost: see check)


@contextlib.contextmanager
def stopping_on(*signals: signal.Signals) -> Iterator[None]:
    """While inside: any of `signals` raises KeyboardInterrupt once (run_review then cleans up) and repeats
    are ignored. Logging is switched off at that moment, for good (the process is stopping): a kernel stopped
    mid-cell makes papermill, nbclient and asyncio log their own tracebacks while unwinding and as their
    abandoned tasks are collected, and the officer is told "interrupted" in words instead.
    A KeyboardInterrupt raised where Python cannot pass it on (a weakref callback, a __del__) is dropped
    quietly here instead of printed; :func:`check_interrupted` still sees that the signal came."""
    import logging

    previous = {each: signal.getsignal(each) for each in signals}
    previous_hook = sys.unraisablehook
    _received.clear()

    def ignore(_signum: int, _frame: Any) -> None:
        """A repeat. Not SIG_IGN: a signal already on its way when the handler changes would then make
        Python raise "OSError: Signal 15 ignored due to race condition" in the middle of the clean-up."""

    def stop(_signum: int, _frame: Any) -> None:
        _received.set()
        for each in signals:
            signal.signal(each, ignore)
        logging.disable(logging.CRITICAL)
        raise KeyboardInterrupt

    def unraisable(args: Any) -> None:
        if not (isinstance(args.exc_type, type) and issubclass(args.exc_type, KeyboardInterrupt)):
            previous_hook(args)

    for each in signals:
        signal.signal(each, stop)
    sys.unraisablehook = unraisable
    try:
        yield
    finally:
        sys.unraisablehook = previous_hook
        for each, handler in previous.items():
            signal.signal(each, handler)


def interrupted() -> bool:
    """Whether a stopping signal came while :func:`stopping_on` was active (also one held and let go)."""
    return _received.is_set()


def check_interrupted() -> None:
    """Raise KeyboardInterrupt if a stopping signal came but its KeyboardInterrupt was lost on the way."""
    if _received.is_set():
        raise KeyboardInterrupt


@contextlib.contextmanager
def interrupts_deferred(*signals: signal.Signals, reraise: bool = True) -> Iterator[list[int]]:
    """Hold `signals` (default: Ctrl-C) until the block is done, so it cannot be cut short: a clean-up, or a
    swap that must happen whole. Yields the signals held; with `reraise`, one held raises KeyboardInterrupt
    afterwards; without, it is only remembered (:func:`interrupted`), e.g. when the swap it waited for has
    just published a finished report."""
    pending: list[int] = []
    if threading.current_thread() is not threading.main_thread():
        yield pending
        return
    previous = {each: signal.signal(each, lambda signum, _frame: pending.append(signum))
                for each in signals or (signal.SIGINT,)}
    try:
        yield pending
    finally:
        for each, handler in previous.items():
            signal.signal(each, handler)
    if pending and reraise:
        raise KeyboardInterrupt
    if pending:
        _received.set()  # remembered: see interrupted()
