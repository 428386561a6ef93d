"""One exception hierarchy whose messages are written for officers, caught once in the CLI."""
from __future__ import annotations

import errno
import os
from dataclasses import dataclass
from pathlib import Path

from .characters import escape


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one input: where it is and which rule it breaks."""

    file: str | Path | None
    message: str
    line: int | None = None  # line or row number as the user sees it (1-based, Excel row for tables)
    field: str | None = None
    value: object | None = None
    line_label: str = "line"  # "row" for tables, "line" for text files, "point" for notes

    def __str__(self) -> str:
        parts: list[str] = []
        if self.file is not None:
            parts.append(escape(str(self.file), keep=""))
        if self.line is not None:
            parts.append(f"{self.line_label} {self.line}")
        if self.field:
            parts.append(f"'{escape(self.field, keep='')}'")
        where = ", ".join(parts)
        value = "" if self.value is None else f" (value {escape(repr(self.value))})"
        message = escape(self.message)
        return f"{where}: {message}{value}" if where else f"{message}{value}"


class ScrutinyKitError(Exception):
    """Base for every error the toolkit reports to a user; carries one or more problems."""

    exit_code = 1
    heading = "scrutiny-kit could not finish"

    def __init__(self, problems: str | Problem | list[str | Problem]) -> None:
        if not isinstance(problems, list):
            problems = [problems]
        self.problems: list[str | Problem] = problems
        super().__init__(self.describe())

    def describe(self) -> str:
        """The message shown to the officer: a heading then one line per problem (control characters escaped)."""
        lines = [f"{self.heading}:"] if len(self.problems) > 1 else []
        lines += [("  - " if len(self.problems) > 1 else "") + escape(str(p)) for p in self.problems]
        return "\n".join(lines)


class ParamsError(ScrutinyKitError):
    """The review's params file is missing keys, has wrong values or points at missing files."""

    exit_code = 2
    heading = "The params file has problems"


class InputError(ScrutinyKitError):
    """An input file (visit notes, workforce, recommendations, codebook, commentary) breaks a rule."""

    exit_code = 2
    heading = "Input files have problems"


class RenderError(ScrutinyKitError):
    """Executing the notebook or exporting the HTML failed."""

    exit_code = 1
    heading = "The report could not be rendered"


class PublishCheckError(ScrutinyKitError):
    """Personal data was found in what would be published."""

    exit_code = 3
    heading = "Personal data found: the report was not written (use --redact to replace it)"


_NO_SPACE = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)
_HINTS = {
    errno.ENOSPC: "the disk is full: free some space and run again",
    errno.EDQUOT: "the disk quota is used up: free some space and run again",
    errno.EFBIG: "a file grew past the size this system allows: free some space or raise the limit",
    errno.EACCES: "permission denied: choose a folder you can write to (--output-dir) or ask for access",
    errno.EPERM: "permission denied: choose a folder you can write to (--output-dir) or ask for access",
    errno.EROFS: "the disk is read-only: choose another folder with --output-dir",
    errno.ENOTDIR: "a file is in the way where a folder should be: move it or choose another --output-dir",
    errno.EEXIST: "a file is in the way where a folder should be: move it or choose another --output-dir",
}


def out_of_space(exc: BaseException) -> bool:
    """Whether a failure was a full disk (or a quota or file-size limit), also when it came back as text from
    the kernel."""
    if isinstance(exc, OSError):
        return exc.errno in _NO_SPACE
    text = str(exc)
    return any(os.strerror(code) in text for code in _NO_SPACE)


def describe_os_error(exc: OSError, path: str | Path | None = None) -> str:
    """An officer's message for a failed write of a file or folder: which path (the error's own, else `path`),
    why, and what to do."""
    path = exc.filename if exc.filename is not None else (path or "")
    other = f" -> {exc.filename2}" if exc.filename2 is not None else ""
    reason = exc.strerror or str(exc)
    hint = _HINTS.get(exc.errno or 0)
    where = f"{escape(str(path), keep='')}{escape(str(other), keep='')}: " if path else ""
    return f"could not write {where}{reason}" + (f" ({hint})" if hint else "")
