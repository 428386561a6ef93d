"""The review kernel: warmed up before the first cell, stopped at once, and nothing outlives it."""
from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from scrutiny_kit.errors import RenderError
from scrutiny_kit.report import kernel as kernel_module
from scrutiny_kit.report.kernel import ReviewKernel

from kernels import alive, run_code, wait_gone


def test_warm_up_imports_the_package_before_the_first_cell_without_touching_the_namespace(tmp_path: Path) -> None:
    with ReviewKernel(tmp_path) as kernel:
        printed = run_code(kernel, "import sys, os\n"
                                   "print('scrutiny_kit.presentation.charts' in sys.modules, 'altair' in sys.modules,\n"
                                   "      'scrutiny_kit' in globals(), os.getcwd())")
    assert printed == f"True True False {tmp_path}"


def test_without_warm_up_the_kernel_starts_bare(tmp_path: Path) -> None:
    with ReviewKernel(tmp_path, warm_up=None) as kernel:
        assert run_code(kernel, "import sys; print('scrutiny_kit.presentation.charts' in sys.modules)") == "False"


def test_stop_ends_the_kernel_and_its_drawing_helper_at_once(tmp_path: Path) -> None:
    kernel = ReviewKernel(tmp_path).start()
    printed = run_code(kernel, "import os\nfrom scrutiny_kit.presentation.svg_render import shared_renderer\n"
                               "print(os.getpid(), shared_renderer()._proc.pid)")
    kernel_pid, helper_pid = map(int, printed.split())
    assert alive(kernel_pid) and alive(helper_pid)
    started = time.monotonic()
    kernel.stop()
    assert time.monotonic() - started < 2
    assert wait_gone(kernel_pid, 2)
    assert wait_gone(helper_pid)  # its input closed with the kernel
    kernel.stop()  # a second stop is harmless
    assert kernel.manager is None


def test_stop_before_start_is_harmless(tmp_path: Path) -> None:
    kernel = ReviewKernel(tmp_path)
    kernel.stop()
    assert kernel.manager is None


def test_a_kernel_that_cannot_start_is_an_officers_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(kernel_module, "KERNEL_NAME", "no-such-kernel")
    with pytest.raises(RenderError, match="kernel could not start: NoSuchKernel"):
        ReviewKernel(tmp_path).start()
