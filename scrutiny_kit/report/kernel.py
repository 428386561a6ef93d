"""The kernel a review runs in: started before papermill is even imported, stopped at once when it is done.

Started early, the kernel boots and imports the package (pandas, Altair, the chart-drawing helper) on one core
while this process imports papermill and prepares the notebook on the other; the two used to happen one after
the other. Stopped at once (nbclient's "immediate" shutdown) once papermill has every output: a graceful exit
only tears down a large interpreter nobody will use again, which took ~0.6 s. Nothing is lost by that: every
file the notebook writes is closed by the cell that writes it, history is kept in memory, and the drawing
helper ends by itself when its input closes.
"""
from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

from ..errors import RenderError
from ..resources import KERNELS

KERNEL_NAME = "scrutiny-kit"
KERNELS_DIR = KERNELS
# Run at the kernel's start, before papermill sends the first cell; binds no names in the notebook's namespace.
WARM_UP = ("__import__('scrutiny_kit.report.startup').report.startup.skip_unused_imports(); "
           "__import__('scrutiny_kit.review').review.warm_up()")


@contextmanager
def own_kernelspec() -> Iterator[None]:
    """Put the package's kernelspec first on JUPYTER_PATH: its argv 'python' resolves to sys.executable,
    so the kernel is always this environment whatever kernels the user has installed. The kernel logs only
    critical problems: a failing cell reaches the officer through papermill, and a kernel stopped mid-cell
    (Ctrl-C) would otherwise print ipykernel's own traceback about its closed sockets."""
    before = os.environ.get("JUPYTER_PATH")
    os.environ["JUPYTER_PATH"] = os.pathsep.join(p for p in (str(KERNELS_DIR), before) if p)
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("JUPYTER_PATH", None)
        else:
            os.environ["JUPYTER_PATH"] = before


class ReviewKernel:
    """One kernel of the package's kernelspec, for one notebook run; use as a context manager.
    `warm_up` is code it runs as it starts, before the first cell."""

    def __init__(self, cwd: Path, *, warm_up: str | None = WARM_UP) -> None:
        self.cwd = Path(cwd)
        self.warm_up = warm_up
        self.manager: Any = None  # jupyter_client.KernelManager once started

    def start(self) -> ReviewKernel:
        """Launch the kernel process and return at once; it finishes booting in the background."""
        from jupyter_client.manager import KernelManager

        # nbclient gives the kernels it starts an in-memory history; this kernel gets the same.
        arguments = ["--HistoryManager.hist_file=:memory:"]
        if self.warm_up:
            arguments.append(f"--IPKernelApp.exec_lines={self.warm_up}")
        try:
            with own_kernelspec():
                self.manager = KernelManager(kernel_name=KERNEL_NAME)
                self.manager.start_kernel(cwd=str(self.cwd), extra_arguments=arguments)
        except Exception as exc:  # no kernelspec, cannot launch Python, …
            self.manager = None
            raise RenderError(f"the review's Jupyter kernel could not start: {type(exc).__name__}: {exc}") from None
        return self

    def run(self, code: str, *, timeout: float) -> dict[str, Any]:
        """Run `code` in the kernel before the notebook's cells, silently (no output, no execution count, nothing
        in its history, so the executed notebook is the same), and return the reply's content: its "status" is
        "error", with "ename" and "evalue", when the code raised. Waits for the kernel to be ready first."""
        from queue import Empty

        client = self.manager.client()
        client.start_channels()
        try:
            client.wait_for_ready(timeout=timeout)
            msg_id = client.execute(code, silent=True, store_history=False)
            while True:
                try:
                    reply = client.get_shell_msg(timeout=timeout)
                except Empty:
                    raise RenderError(f"the review's Jupyter kernel did not answer within {timeout:g} seconds") from None
                if reply.get("parent_header", {}).get("msg_id") == msg_id:
                    return dict(reply["content"])
        finally:
            client.stop_channels()

    def stop(self) -> None:
        """Stop the kernel now (safe to call twice, or when it never started or has died)."""
        manager, self.manager = self.manager, None
        if manager is not None and manager.has_kernel:
            manager.shutdown_kernel(now=True)

    def __enter__(self) -> ReviewKernel:
        return self if self.manager is not None else self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()
