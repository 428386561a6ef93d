"""Execute the review notebook with papermill in a fresh kernel of this very Python environment."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import InputError, ParamsError, PublishCheckError, RenderError, ScrutinyKitError
from .kernel import KERNEL_NAME, ReviewKernel, own_kernelspec

# Errors raised inside the kernel arrive by class name; map them back so the CLI reports them as officers' messages.
_KERNEL_ERRORS: dict[str, type[ScrutinyKitError]] = {
    cls.__name__: cls for cls in (ParamsError, InputError, PublishCheckError, RenderError, ScrutinyKitError)
}


def execute(notebook: Path, output: Path, parameters: dict[str, Any], *, cwd: Path, timeout: int = 600,
            kernel: ReviewKernel | None = None) -> None:
    """Run `notebook` with `parameters`, writing the executed notebook to `output` (also on failure).
    `kernel`, if given, was started earlier (see report/kernel.py); either way it is stopped here."""
    with kernel or ReviewKernel(cwd) as running:
        _papermill(notebook, output, parameters, cwd=cwd, timeout=timeout, kernel=running)


def _papermill(notebook: Path, output: Path, parameters: dict[str, Any], *, cwd: Path, timeout: int,
               kernel: ReviewKernel) -> None:
    import papermill
    from papermill.exceptions import PapermillExecutionError

    with own_kernelspec():
        try:
            papermill.execute_notebook(
                str(notebook),
                str(output),
                parameters=parameters,
                kernel_name=KERNEL_NAME,
                km=kernel.manager,
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
