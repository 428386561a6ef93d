"""Load and validate one review's params file (YAML) before anything runs."""
from __future__ import annotations

import datetime as dt
import difflib
import glob
import os
import re
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, field_validator

from . import yamlio
from .dates import parse_date
from .errors import InputError, ParamsError, Problem

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")
NOTE_SUFFIXES = (".md", ".markdown", ".docx", ".txt")


class ReviewParams(BaseModel):
    """One review: the contract keys of `params/<review>.yaml`, with paths resolved to absolute."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    review_id: str = Field(description="slug naming the output folder, e.g. example-frontline-2025")
    title: str
    authority: str
    committee: str
    report_date: dt.date
    visit_notes: Path = Field(description="folder or glob of visit notes")
    workforce: Path
    recommendations: Path
    codebook: str = "default"
    targets: dict[str, float] = Field(default_factory=dict)
    comparators: list[str] | None = None
    commentary: Path | None = None
    redact: list[str] = Field(default_factory=list, description="names that must never be published")
    suppress_small_numbers: bool = False
    coding_check: Path | None = Field(default=None, description="the officer's Excel coding sheet (scrutiny-kit check)")
    personal_data: Literal["refuse", "redact"] = Field(
        default="refuse", description="personal data found by the publish check: refuse to publish, or redact it")
    # Where these params came from, set by the loader: not a params key, so a params file cannot name another one.
    _source: Path | None = PrivateAttr(default=None)

    @property
    def params_file(self) -> Path | None:
        """The params file these params were read from (None when built from a dict)."""
        return self._source

    @field_validator("review_id")
    @classmethod
    def _slug(cls, v: str) -> str:
        if not SLUG.match(v):
            raise ValueError("must be a slug: lower-case letters, digits and hyphens, e.g. 'example-frontline-2025'")
        return v

    @field_validator("title", "authority", "committee")
    @classmethod
    def _not_blank(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("must not be blank")
        return v.strip()

    @field_validator("report_date", mode="before")
    @classmethod
    def _date(cls, v: Any) -> dt.date:
        return parse_date(v)

    @field_validator("redact", mode="before")
    @classmethod
    def _names(cls, v: Any) -> list[str]:
        if v is None:
            return []
        if isinstance(v, str):
            return [v]
        return v

    @field_validator("visit_notes")
    @classmethod
    def _notes_found(cls, v: Path) -> Path:
        if not note_files(v):
            raise ValueError(f"no visit note files ({', '.join(NOTE_SUFFIXES)}) found there")
        return v

    @field_validator("workforce", "recommendations", "commentary")
    @classmethod
    def _file_exists(cls, v: Path | None) -> Path | None:
        if v is not None and not Path(v).is_file():
            raise ValueError("file not found")
        return v

    @field_validator("coding_check")
    @classmethod
    def _sheet_exists(cls, v: Path | None) -> Path | None:
        if v is not None and not Path(v).is_file():
            raise ValueError("file not found (write the coding sheet with `scrutiny-kit check PARAMS`)")
        return v

    @field_validator("codebook")
    @classmethod
    def _codebook_exists(cls, v: str) -> str:
        if v != "default" and not Path(v).is_file():
            raise ValueError("file not found (use 'default' for the built-in codebook)")
        return v

    @property
    def output_name(self) -> str:
        return self.review_id


def redacts(params: ReviewParams, apply_redaction: bool = False) -> bool:
    """Whether personal data found by the publish check is redacted: `--redact` (True here) overrides the
    params key `personal_data` (default refuse), so `run-all` needs no flag per review."""
    return apply_redaction or params.personal_data == "redact"


def note_files(spec: Path) -> list[Path]:
    """Visit note files named by a folder or a glob, sorted by name so numbering is stable."""
    spec = Path(spec)
    if spec.is_dir():
        found = [p for p in spec.iterdir() if p.is_file()]
    else:
        found = [Path(p) for p in glob.glob(str(spec), recursive=True) if Path(p).is_file()]
    return sorted(p for p in found if not p.name.startswith((".", "~$")))


def notes_folder(spec: Path) -> Path:
    """The folder the visit notes live in: the folder named, or the part of a glob before its first wildcard."""
    spec = Path(spec)
    if spec.is_dir():
        return spec
    fixed = Path(*[part for part in _until_magic(spec.parts)])
    return fixed if fixed.is_dir() else fixed.parent


def _until_magic(parts: tuple[str, ...]) -> list[str]:
    out: list[str] = []
    for part in parts:
        if glob.has_magic(part):
            break
        out.append(part)
    return out or ["."]


PATH_KEYS = ("visit_notes", "workforce", "recommendations", "commentary", "codebook", "coding_check")


def resolve_paths(raw: dict[str, Any], base: Path) -> dict[str, Any]:
    """Make the path keys absolute, relative to `base` (the params file's folder)."""
    out = dict(raw)
    for key in PATH_KEYS:
        value = out.get(key)
        if value is None or (key == "codebook" and value == "default"):
            continue
        if isinstance(value, str | Path):
            path = Path(str(value)).expanduser()
            out[key] = os.path.normpath(path if path.is_absolute() else (base / path))
    return out


def read_yaml(path: Path) -> dict[str, Any]:
    """Read a params file into a dict; a YAML syntax error names the line."""
    return read_with_lines(Path(path))[0]


def read_with_lines(path: Path) -> tuple[dict[str, Any], dict[str, int]]:
    """The params file's keys and values, and the line of each key (see yamlio.key_lines)."""
    if not path.is_file():
        raise ParamsError(Problem(path, "params file not found"))
    try:
        data, lines = yamlio.read_file(path, "the params file")
    except InputError as exc:
        raise ParamsError(exc.problems) from None
    if not isinstance(data, dict):
        raise ParamsError(Problem(path, "params file must be a mapping of keys to values"))
    return data, lines


def validate(raw: dict[str, Any], *, base: Path, source: Path | str | None,
             lines: dict[str, int] | None = None) -> ReviewParams:
    """Validate a params dict, reporting every problem at once as ParamsError (exit 2); `lines` (key path to
    line number, from the params file) lets each problem name its line."""
    data = resolve_paths(raw, Path(base))
    try:
        params = ReviewParams.model_validate(data)
    except ValidationError as exc:
        problems = [_problem(source, err, lines or {}) for err in exc.errors()]
        raise ParamsError(problems) from None
    params._source = Path(source) if source is not None else None
    return params


def load_params(path: str | Path) -> ReviewParams:
    """Load `params/<review>.yaml`; paths inside are relative to the file."""
    path = Path(path).resolve()
    raw, lines = read_with_lines(path)
    return validate(raw, base=path.parent, source=path, lines=lines)


def _problem(source: Path | str | None, err: dict[str, Any], lines: dict[str, int]) -> Problem:
    loc = ".".join(str(x) for x in err.get("loc", ()))
    line = lines.get(loc)
    kind = err.get("type", "")
    if kind == "extra_forbidden" and loc == "params_file":
        return Problem(source, "unknown key 'params_file': it is not a params key (the notebook is given the file "
                       "being run; one params file cannot name another)", line=line)
    if kind == "extra_forbidden":
        keys = list(ReviewParams.model_fields)
        close = difflib.get_close_matches(loc, keys, n=1)
        hint = f"did you mean '{close[0]}'? " if close else ""
        return Problem(source, f"unknown key '{loc}' ({hint}allowed keys: {', '.join(keys)})", line=line)
    if kind == "missing":
        return Problem(source, f"missing required key '{loc}'")
    msg = str(err.get("msg", "invalid value")).removeprefix("Value error, ")
    if not loc:
        return Problem(source, msg)
    value = err.get("input")
    shown = str(value) if isinstance(value, str | int | float | Path) else None
    return Problem(source, f"key '{loc}': {msg}", line=line, value=shown)
