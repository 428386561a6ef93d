"""One exception hierarchy whose messages are written for officers, caught once in the CLI."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


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
            parts.append(str(self.file))
        if self.line is not None:
            parts.append(f"{self.line_label} {self.line}")
        if self.field:
            parts.append(f"'{self.field}'")
        where = ", ".join(parts)
        value = "" if self.value is None else f" (value {self.value!r})"
        return f"{where}: {self.message}{value}" if where else f"{self.message}{value}"


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
        """The message shown to the officer: a heading then one line per problem."""
        lines = [f"{self.heading}:"] if len(self.problems) > 1 else []
        lines += [("  - " if len(self.problems) > 1 else "") + str(p) for p in self.problems]
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
