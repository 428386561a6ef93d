"""Messages for officers (scrutiny_kit/errors.py): where a problem is and which rule it breaks, one line per
problem under a heading, exit codes by kind, and a failed write worded with what to do."""
from __future__ import annotations

import errno
import os

import pytest

from scrutiny_kit.errors import (InputError, ParamsError, Problem, PublishCheckError, RenderError, ScrutinyKitError,
                                 describe_os_error, out_of_space)


def test_a_problem_names_file_row_field_and_value_before_the_rule() -> None:
    problem = Problem("workforce.csv", "a percentage must be between 0 and 100", line=7, field="vacancy_rate",
                      value="125", line_label="row")
    assert str(problem) == ("workforce.csv, row 7, 'vacancy_rate': a percentage must be between 0 and 100 "
                            "(value '125')")
    assert str(Problem("notes.md", "the visit date is missing", line=3)) == "notes.md, line 3: the visit date is missing"
    assert str(Problem(None, "no visit notes found")) == "no visit notes found"


def test_control_characters_in_a_problem_are_shown_not_obeyed() -> None:
    shown = str(Problem("a\x1b[2J.md", "bad\u202eline", field="te\u200bam"))
    assert "\x1b" not in shown and "\u202e" not in shown and "\u200b" not in shown
    assert shown.startswith("a") and "bad" in shown and "line" in shown


def test_one_problem_is_one_line_and_several_come_under_a_heading() -> None:
    assert InputError(Problem("t.csv", "no rows")).describe() == "t.csv: no rows"
    several = InputError(["first problem", Problem("t.csv", "second problem", line=2)])
    assert str(several) == "Input files have problems:\n  - first problem\n  - t.csv, line 2: second problem"


@pytest.mark.parametrize(("error", "code"), [
    (ParamsError, 2), (InputError, 2), (RenderError, 1), (PublishCheckError, 3), (ScrutinyKitError, 1),
])
def test_exit_codes_tell_the_kinds_apart(error: type[ScrutinyKitError], code: int) -> None:
    assert error("x").exit_code == code


def test_a_failed_write_says_which_path_why_and_what_to_do() -> None:
    denied = PermissionError(errno.EACCES, os.strerror(errno.EACCES), "/srv/outputs/review")
    assert describe_os_error(denied) == (f"could not write /srv/outputs/review: {os.strerror(errno.EACCES)} "
                                         "(permission denied: choose a folder you can write to (--output-dir) or ask "
                                         "for access)")
    moved = OSError(errno.EROFS, os.strerror(errno.EROFS), "a", None, "b")
    assert describe_os_error(moved).startswith(
        f"could not write a -> b: {os.strerror(errno.EROFS)} (the disk is read-only")
    assert describe_os_error(OSError(errno.EIO, "I/O error"), "outputs/x") == "could not write outputs/x: I/O error"


def test_a_full_disk_is_told_also_from_the_kernels_text() -> None:
    assert out_of_space(OSError(errno.EDQUOT, os.strerror(errno.EDQUOT)))
    assert not out_of_space(OSError(errno.EACCES, os.strerror(errno.EACCES)))
    assert out_of_space(RenderError(f"OSError: [Errno 28] {os.strerror(errno.ENOSPC)}"))
    assert not out_of_space(RenderError("cell 3 failed with ValueError: bad"))
