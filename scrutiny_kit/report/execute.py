"""Execute the review notebook with papermill in a fresh kernel of this very Python environment."""
from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

from ..errors import InputError, ParamsError, PublishCheckError, RenderError, ScrutinyKitError

KERNEL_NAME = "scrutiny-kit"
KERNELS_DIR = Path(__file__).resolve().parent.parent / "jupyter"
# Errors raised inside the kernel arrive by class name; map them back so the CLI reports them as officers' messages.
_KERNEL_ERRORS: dict[str, type[ScrutinyKitError]] = {
    cls.__name__: cls for cls in (ParamsError, InputError, PublishCheckError, RenderError, ScrutinyKitError)
}


@contextmanager
def _own_kernelspec() -> Iterator[None]:
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


def execute(notebook: Path, output: Path, parameters: dict[str, Any], *, cwd: Path, timeout: int = 600) -> None:
    """Run `notebook` with `parameters`, writing the executed notebook to `output` (also on failure)."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    with _own_kernelspec():
        try:
            papermill.execute_notebook(
                str(notebook),
                str(output),
                parameters=parameters,
                kernel_name=KERNEL_NAME,
                cwd=str(cwd),
                progress_bar=False,
                log_output=False,
                # Saved once at the end (also when a cell fails), not after every cell: each save re-validates and
                # rewrites a notebook holding every chart, and nobody watches the file while it runs.
                request_save_on_cell_execute=False,
                report_mode=True,
                execution_timeout=timeout,
            )
        except PapermillExecutionError as exc:
            raise kernel_error(exc) from None
        except Exception as exc:  # kernel died, timed out, notebook unreadable …
            raise RenderError(f"the notebook {notebook.name} could not be executed: {type(exc).__name__}: {exc}") from None


def kernel_error(exc: Any) -> ScrutinyKitError:
    """Turn a failed cell into the toolkit's own error: officer messages pass through, others name the cell."""
    cls = _KERNEL_ERRORS.get(exc.ename)
    if cls is not None:
        err = cls([])
        err.problems = [exc.evalue]
        err.args = (exc.evalue,)
        return err
    return RenderError(
        f"cell {exc.exec_count or exc.cell_index} of the notebook failed with {exc.ename}: {exc.evalue}"
    )
