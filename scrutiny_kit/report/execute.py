"""Execute the review notebook with papermill in a fresh kernel of this very Python environment."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import InputError, ParamsError, PublishCheckError, RenderError, ScrutinyKitError, describe_os_error
from .kernel import KERNEL_NAME, ReviewKernel

# Errors raised inside the kernel arrive by class name; map them back so the CLI reports them as officers' messages.
_KERNEL_ERRORS: dict[str, type[ScrutinyKitError]] = {
    cls.__name__: cls for cls in (ParamsError, InputError, PublishCheckError, RenderError, ScrutinyKitError)
}


def execute(notebook: Path, output: Path, parameters: dict[str, Any], *, cwd: Path, timeout: int = 600,
            kernel: ReviewKernel | None = None) -> None:
    """Run `notebook` with `parameters` in `kernel` (started earlier, see report/kernel.py, or here), writing the
    executed notebook to `output` (also on failure); the kernel is stopped either way."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    with kernel or ReviewKernel(cwd) as running:
        try:
            papermill.execute_notebook(
                str(notebook),
                str(output),
                parameters=parameters,
                kernel_name=KERNEL_NAME,
                km=running.manager,  # papermill runs the cells in it and leaves stopping it to us
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
        except OSError as exc:  # saving the executed notebook: a full disk, a file-size limit, a folder gone
            raise RenderError(describe_os_error(exc, output)) from None
        except Exception as exc:  # kernel died, timed out, notebook unreadable …
            raise RenderError(f"the notebook {notebook.name} could not be executed: {type(exc).__name__}: {exc}") from None


def run_before_notebook(kernel: ReviewKernel, code: str, *, what: str, timeout: int = 600) -> None:
    """Run `code` in the started `kernel` before papermill executes the notebook (see ReviewKernel.run); an error
    it raises comes back as the toolkit's own, as a failing cell's does, with `what` naming the step."""
    try:
        reply = kernel.run(code, timeout=timeout)
    except ScrutinyKitError:
        raise
    except Exception as exc:  # the kernel died or could not be reached
        raise RenderError(f"{what} could not run in the review's Jupyter kernel: {type(exc).__name__}: {exc}") from None
    if reply.get("status") == "error":
        raise toolkit_error(str(reply.get("ename", "")), str(reply.get("evalue", "")), what)


def kernel_error(exc: Any) -> ScrutinyKitError:
    """Turn a failed cell into the toolkit's own error: officer messages pass through, others name the cell."""
    return toolkit_error(exc.ename, exc.evalue, f"cell {exc.exec_count or exc.cell_index} of the notebook")


def toolkit_error(ename: str, evalue: str, where: str) -> ScrutinyKitError:
    """An error raised in the kernel (known by its class name and message) as the toolkit's own: officer
    messages pass through with their exit status, others say `where` it failed and how."""
    cls = _KERNEL_ERRORS.get(ename)
    if cls is not None:
        err = cls([])
        err.problems = [evalue]
        err.args = (evalue,)
        return err
    return RenderError(f"{where} failed with {ename}: {evalue}")
