"""execute(): papermill runs the notebook in the given (early-started) kernel, which is stopped afterwards."""
from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from scrutiny_kit.errors import InputError, RenderError
from scrutiny_kit.report.execute import execute
from scrutiny_kit.report.kernel import ReviewKernel

from kernels import run_code, wait_gone


def notebook(tmp_path: Path, *sources: str) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.metadata = {"kernelspec": {"name": "python3", "language": "python", "display_name": "Python 3"}}
    nb.cells = [nbformat.v4.new_code_cell("greeting = None", metadata={"tags": ["parameters"]}),
                *(nbformat.v4.new_code_cell(s) for s in sources)]
    path = tmp_path / "nb.ipynb"
    nbformat.write(nb, str(path))
    return path


def outputs(path: Path) -> list[str]:
    nb = nbformat.read(str(path), as_version=4)
    return [o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]


def test_runs_in_the_kernel_it_is_given_and_stops_it(tmp_path: Path) -> None:
    kernel = ReviewKernel(tmp_path, warm_up="import os as _marker_os").start()
    pid = int(run_code(kernel, "import os; print(os.getpid())"))
    source = notebook(tmp_path, "print(greeting, os.getpid())")  # `os` was imported in that kernel above
    execute(source, tmp_path / "out.ipynb", {"greeting": "hello"}, cwd=tmp_path, kernel=kernel)
    assert outputs(tmp_path / "out.ipynb") == [f"hello {pid}\n"]
    assert kernel.manager is None and wait_gone(pid, 2)


def test_starts_its_own_kernel_when_given_none(tmp_path: Path) -> None:
    source = notebook(tmp_path, "print(greeting * 2)")
    execute(source, tmp_path / "out.ipynb", {"greeting": "ab"}, cwd=tmp_path)
    assert outputs(tmp_path / "out.ipynb") == ["abab\n"]


def test_a_failing_cell_names_the_cell_and_an_officers_error_passes_through(tmp_path: Path) -> None:
    source = notebook(tmp_path, "x = 1", "1 / 0")
    with pytest.raises(RenderError, match="cell 3 of the notebook failed with ZeroDivisionError"):
        execute(source, tmp_path / "out.ipynb", {}, cwd=tmp_path)
    source = notebook(tmp_path, "from scrutiny_kit.errors import InputError\n"
                                "raise InputError(['visits.md, line 4: the visit date is missing'])")
    with pytest.raises(InputError, match="visits.md, line 4: the visit date is missing"):
        execute(source, tmp_path / "out.ipynb", {}, cwd=tmp_path)
    assert "ZeroDivisionError" not in "".join(outputs(tmp_path / "out.ipynb"))


def test_code_run_before_the_notebook_leaves_no_trace_and_its_errors_come_back_as_the_toolkits(
        tmp_path: Path) -> None:
    from scrutiny_kit.errors import PublishCheckError
    from scrutiny_kit.report.execute import run_before_notebook

    kernel = ReviewKernel(tmp_path, warm_up=None).start()
    try:
        run_before_notebook(kernel, "__import__('os')", what="the check")
        with pytest.raises(PublishCheckError, match="notes.md, point 2: a phone number") as refused:
            run_before_notebook(kernel, "from scrutiny_kit.errors import PublishCheckError as E\n"
                                        "raise E(['notes.md, point 2: a phone number'])", what="the check")
        assert refused.value.exit_code == 3
        with pytest.raises(RenderError, match="the check failed with ZeroDivisionError"):
            run_before_notebook(kernel, "1 / 0", what="the check")
        source = notebook(tmp_path, "print(sorted(k for k in globals() if k in ('E', 'os')))")
        execute(source, tmp_path / "out.ipynb", {}, cwd=tmp_path, kernel=kernel)
    finally:
        kernel.stop()
    nb = nbformat.read(str(tmp_path / "out.ipynb"), as_version=4)
    # silent: the notebook's cells are numbered from 1 as ever (only what the code bound stays, as in any kernel)
    assert [c.execution_count for c in nb.cells if c.cell_type == "code"] == [1, 2]
    assert outputs(tmp_path / "out.ipynb") == ["['E']\n"]
