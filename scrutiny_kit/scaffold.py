"""`scrutiny-kit new`: write a review folder an officer can fill in, which validates and renders as it stands.

The folder holds `params.yaml` (every key commented), `visits/` with an example note in Markdown and in Word,
`recommendations.xlsx` (the tracker's columns, drop-downs for response and status, one example row),
`commentary.md` (a heading per codebook theme) and the workforce file: a copy of the one given (the review
authority is checked against it first, with the closest names when it is not there) or an example table.
Everything that is example content says so, in the file's name and in its text. An existing file is never
overwritten: it is kept, and so are visit notes already in `visits/` (no examples are added beside them).
"""
from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import InputError, ParamsError, Problem
from .params import NOTE_SUFFIXES, SLUG
from .resources import package_path

EXAMPLE_AUTHORITY = "Example Council"
EXAMPLE_COMMITTEE = "Example Scrutiny Committee"
EXAMPLE_WORKFORCE = "workforce-example.csv"
EXAMPLE_NOTE = "EXAMPLE figures written by scrutiny-kit new: replace this file with your own figures or a DfE release"
PARAMS = "params.yaml"
TRACKER = "recommendations.xlsx"
COMMENTARY = "commentary.md"
VISITS = "visits"
NOTE_MD = "example-visit.md"
NOTE_DOCX = "example-visit.docx"
EXAMPLE_POINT = "Example point:"  # how every point of the example notes starts
EXAMPLE_COMMENTARY = "Example commentary written by `scrutiny-kit new`"
TRACKER_ROWS = 500  # rows given the response and status drop-downs

# The example workforce table: whole-authority figures for the last three years (measure -> one value a year).
EXAMPLE_FIGURES: dict[str, tuple[float, float, float]] = {
    "fte_social_workers": (212.0, 205.5, 198.0),
    "headcount": (230, 224, 216),
    "vacancy_rate": (14.5, 17.0, 19.5),
    "agency_rate": (11.0, 13.5, 16.0),
    "turnover_rate": (15.0, 16.5, 18.0),
    "absence_rate": (3.2, 3.5, 3.9),
    "caseload_avg": (17.5, 18.9, 20.6),
    "statutory_visits_on_time": (90.5, 88.0, 85.5),
}


@dataclass
class Scaffold:
    """What `new_review` did: the review id and the files it wrote or found already there (and kept)."""

    review_dir: Path
    review_id: str
    params: Path
    written: list[Path] = field(default_factory=list)
    kept: list[Path] = field(default_factory=list)


def review_id_for(folder: Path) -> str:
    """The review id a folder's name gives: 'Frontline review 2026' -> 'frontline-review-2026' (accents dropped)."""
    name = unicodedata.normalize("NFKD", Path(folder).resolve().name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-")[:80].strip("-")
    if not SLUG.match(slug):
        raise ParamsError(Problem(folder, "the folder's name gives no review id: name it with letters or digits, "
                                          "e.g. reviews/frontline-2026"))
    return slug


def title_for(review_id: str) -> str:
    """A first title from the review id ('frontline-2026' -> 'Frontline 2026'), for the officer to change."""
    return review_id.replace("-", " ").capitalize()


def new_review(review_dir: str | Path, *, authority: str | None = None, workforce: str | Path | None = None,
               committee: str | None = None, title: str | None = None, today: dt.date | None = None) -> Scaffold:
    """Write the review folder `review_dir`; every check happens before the first file is written."""
    folder = Path(review_dir)
    for where in (folder, folder / VISITS):
        if where.exists() and not where.is_dir():
            raise ParamsError(Problem(where, "is a file, not a folder: give a folder for the new review"))
    today = today or dt.date.today()
    review_id = review_id_for(folder)
    files: dict[str, Callable[[], bytes]] = {}
    if workforce is not None:
        authority, workforce_ref, copy_from = _checked_workforce(Path(workforce), authority, folder)
    else:
        authority = (authority or "").strip() or EXAMPLE_AUTHORITY
        workforce_ref, copy_from = EXAMPLE_WORKFORCE, None
        files[EXAMPLE_WORKFORCE] = lambda: example_workforce_csv(authority, today).encode("utf-8")
    values = {"review_id": review_id, "title": (title or "").strip() or title_for(review_id),
              "authority": authority, "committee": (committee or "").strip() or EXAMPLE_COMMITTEE,
              "today": today.isoformat(), "workforce": workforce_ref, "params_path": (folder / PARAMS).as_posix()}
    files[PARAMS] = lambda: params_yaml(values).encode("utf-8")
    files[TRACKER] = lambda: tracker_xlsx(today)
    files[COMMENTARY] = lambda: commentary_markdown().encode("utf-8")
    visits = folder / VISITS
    has_notes = visits.is_dir() and any(p.suffix.lower() in NOTE_SUFFIXES for p in visits.iterdir())
    if not has_notes:
        files[f"{VISITS}/{NOTE_MD}"] = lambda: example_note_markdown(today).encode("utf-8")
        files[f"{VISITS}/{NOTE_DOCX}"] = lambda: example_note_docx(today)

    result = Scaffold(folder, review_id, folder / PARAMS)
    if has_notes:
        result.kept.append(visits)
    if copy_from is not None:
        files[workforce_ref] = copy_from.read_bytes
    target = folder
    try:
        (folder / VISITS).mkdir(parents=True, exist_ok=True)
        for name, content in files.items():
            target = folder / name
            (result.written if _write_new(target, content) else result.kept).append(target)
    except OSError as exc:  # no permission, disk full …: say where, and what was written before it
        done = "".join(f"; wrote {p}" for p in result.written)
        raise ParamsError(Problem(target, f"cannot be written ({exc.strerror or exc}){done}")) from None
    return result


def _write_new(path: Path, content: Callable[[], bytes]) -> bool:
    """Write `path` only if nothing is there (exclusive creation: never overwrites, even in a race)."""
    if path.exists() or path.is_symlink():
        return False
    data = content()
    try:
        with open(path, "xb") as fh:
            fh.write(data)
    except FileExistsError:
        return False
    return True


def _checked_workforce(path: Path, authority: str | None, folder: Path) -> tuple[str, str, Path | None]:
    """(authority as the file writes it, the path params.yaml gives, file to copy or None) for --workforce."""
    from .sources.workforce import load_workforce

    if not path.is_file():
        raise ParamsError(Problem(path, "--workforce: file not found"))
    if not (authority or "").strip():
        raise ParamsError(Problem(path, "--workforce needs --authority NAME: the council whose rows the review "
                                        "reads (as the file names it, or its new_la_code in a DfE release)"))
    try:
        found = load_workforce(path, authority=authority.strip())  # its InputError names the closest matches
    except InputError as exc:
        raise InputError([_for_new(p) for p in exc.problems]) from None
    try:
        inside = path.resolve().relative_to(folder.resolve())
    except ValueError:
        inside = None
    if inside is not None:
        return found.authority, inside.as_posix(), None
    target = folder / path.name
    if target.exists() and (not target.is_file() or target.read_bytes() != path.read_bytes()):
        raise ParamsError(Problem(target, f"already exists and is not a copy of {path}: nothing was written "
                                          "(rename one of them, or give --workforce the file in the folder)"))
    return found.authority, path.name, path


def _for_new(problem: str | Problem) -> str | Problem:
    """The workforce reader's advice, worded for this command (there is no params file yet)."""
    if isinstance(problem, Problem):
        return dataclasses.replace(problem, message=problem.message.replace(
            "set `authority:` in the params file to", "give --authority"))
    return problem


def example_content(inputs: Any) -> list[str]:
    """What in a review's loaded inputs is still the example content `new` wrote, for `validate` to list."""
    found = [f"visit note {source}" for source in
             inputs.notes.loc[inputs.notes["text"].str.startswith(EXAMPLE_POINT), "source"].unique()]
    recs = inputs.recommendations
    found += [f"recommendation {rec}" for rec in recs.loc[recs["recommendation"].str.startswith("EXAMPLE:"), "id"]]
    if Path(inputs.params.workforce).name == EXAMPLE_WORKFORCE:
        found.append(f"workforce figures ({EXAMPLE_WORKFORCE})")
    if EXAMPLE_COMMENTARY in inputs.commentary.get("introduction", ""):
        found.append("the commentary's introduction")
    return found


# --- the files' contents ----------------------------------------------------------------------------------

def _yaml_scalar(value: object) -> str:
    """One YAML value on one line, quoted only when it must be."""
    text = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=10_000)
    return text.removesuffix("\n").removesuffix("\n...")


def _templates():  # noqa: ANN202 - a jinja2.Environment, imported late
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(package_path("templates", "new")),
                             autoescape=False, keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True,
                             undefined=jinja2.StrictUndefined)
    env.filters["yaml"] = _yaml_scalar
    return env


def _align_comments(text: str, column: int = 40) -> str:
    """Line up the comments after the keys ('key: value      # why') in one column."""
    lines = []
    for line in text.split("\n"):
        if "      # " in line:
            code, comment = line.rsplit("      # ", 1)
            line = f"{code.rstrip():<{column - 1}} # {comment}"
        lines.append(line)
    return "\n".join(lines)


def params_yaml(values: dict[str, str]) -> str:
    """The params file: every key with its comment, as in the README."""
    return _align_comments(_templates().get_template("params.yaml.j2").render(**values))


def example_note_markdown(today: dt.date) -> str:
    """An example visit note in Markdown with front matter, marked as example throughout."""
    visit = today - dt.timedelta(days=14)
    return _align_comments(_templates().get_template("example-visit.md.j2").render(visit_date=visit.isoformat()))


def commentary_markdown(codebook: str = "default") -> str:
    """The commentary file: an example introduction, then an empty heading per theme of the codebook."""
    from .coding.codebook import load_codebook

    themes = load_codebook(codebook).themes
    return _templates().get_template("commentary.md.j2").render(themes=themes)


def example_workforce_csv(authority: str, today: dt.date) -> str:
    """Example whole-authority figures for the three years before `today`, each row marked as example."""
    years = [today.year - 3, today.year - 2, today.year - 1]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["period", "authority", "team", *EXAMPLE_FIGURES, "note"])
    for i, year in enumerate(years):
        writer.writerow([year, authority, "", *(_number(v[i]) for v in EXAMPLE_FIGURES.values()), EXAMPLE_NOTE])
    return out.getvalue()


def _number(value: float) -> str:
    return f"{value:g}" if float(value).is_integer() else f"{value:.1f}"


DOCX_SECTIONS = [
    ("Recruitment and retention", [
        "Example point: managers said two experienced social workers left for neighbouring councils this "
        "year, and that adverts for the vacant posts drew few applicants.",
    ]),
    ("Offices and IT", [
        "Example point: staff said the new laptops work well, but there are not enough desks on office days.",
    ]),
    ("What children told us", [
        "Example point: young people said they want to keep the same social worker for longer.",
    ]),
]


def example_note_docx(today: dt.date) -> bytes:
    """An example visit note in Word (the layout the reader expects), made with python-docx."""
    import docx

    visit = today - dt.timedelta(days=7)
    document = docx.Document()
    document.core_properties.title = "EXAMPLE visit note"
    document.add_paragraph("EXAMPLE visit note: replace it with your own, then delete it", style="Title")
    for line in (f"Date: {visit.strftime('%d/%m/%Y')}", "Team: Example children in care team",
                 "Visitors: Example councillor", "Confidential: no"):
        document.add_paragraph(line)
    for heading, points in DOCX_SECTIONS:
        document.add_heading(heading, level=2)
        for text in points:
            document.add_paragraph(text, style="List Bullet")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def tracker_xlsx(today: dt.date) -> bytes:
    """The recommendations tracker: its columns, drop-downs for response and status, one example row, and a
    second sheet saying how to fill it in (with the codebook's theme ids)."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "recommendations"
    _tracker_columns(sheet, today)
    _tracker_choices(sheet)
    _tracker_guide(book.create_sheet("how to fill in"))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _tracker_columns(sheet: Any, today: dt.date) -> None:
    """The tracker's header and one example row, with column widths and date formats."""
    import openpyxl
    from openpyxl.styles import Alignment, Font

    from .sources.recommendations import COLUMNS, RESPONSES, STATUSES

    sheet.append(list(COLUMNS))
    due = today + dt.timedelta(days=182)
    sheet.append(["1", "EXAMPLE: report average caseloads by team to this committee every quarter (replace this "
                  "row with the review's recommendations).", "caseload_workload",
                  "Example: Director of Children's Services", RESPONSES[0].capitalize(),
                  "Example: a quarterly caseload dashboard for members.", due, STATUSES[1].capitalize(),
                  "Example: the dashboard is being tested.", today])
    widths = {"id": 6, "recommendation": 60, "themes": 24, "owner": 30, "response": 20, "action": 50, "due": 12,
              "status": 16, "update": 50, "updated": 12}
    for index, name in enumerate(COLUMNS, start=1):
        letter = openpyxl.utils.get_column_letter(index)
        sheet.column_dimensions[letter].width = widths[name]
        sheet.cell(row=1, column=index).font = Font(bold=True)
        sheet.cell(row=2, column=index).alignment = Alignment(wrap_text=True, vertical="top")
        if name in ("due", "updated"):  # the column's format (for rows typed later) and the example row's
            sheet.column_dimensions[letter].number_format = "dd/mm/yyyy"
            sheet.cell(row=2, column=index).number_format = "dd/mm/yyyy"
    sheet.freeze_panes = "A2"


def _tracker_choices(sheet: Any) -> None:
    """Drop-downs of the usual responses and statuses, as warnings: other wording may be kept."""
    import openpyxl
    from openpyxl.worksheet.datavalidation import DataValidation

    from .sources.recommendations import BLANK_STATUS, COLUMNS, RESPONSES, STATUSES

    statuses = tuple(s for s in STATUSES if s != BLANK_STATUS)  # a blank status already means "not recorded"
    for name, choices in (("response", RESPONSES), ("status", statuses)):
        letter = openpyxl.utils.get_column_letter(COLUMNS.index(name) + 1)
        # A warning, not a stop: an officer may keep the wording the executive used ("Agreed in principle").
        rule = DataValidation(type="list", formula1='"' + ",".join(c.capitalize() for c in choices) + '"',
                              allow_blank=True, errorStyle="warning", showErrorMessage=True,
                              errorTitle=f"Not a usual {name}",
                              error=f"Usual values: {', '.join(c.capitalize() for c in choices)}. Keep yours?")
        rule.add(f"{letter}2:{letter}{TRACKER_ROWS}")
        sheet.add_data_validation(rule)


def _tracker_guide(guide: Any) -> None:
    """The 'how to fill in' sheet: what to write in each column, and the default codebook's theme ids."""
    from openpyxl.styles import Font

    from .coding.codebook import load_codebook

    guide.column_dimensions["A"].width = 28
    guide.column_dimensions["B"].width = 90
    themes = load_codebook("default").themes
    rows = [
        ("column", "what to write"),
        ("id", "the recommendation's number or reference (1, 2, 3a …), unique"),
        ("recommendation", "the recommendation as the committee agreed it"),
        ("themes", "theme ids of the codebook, separated by ';' (listed below)"),
        ("owner", "the officer or portfolio responsible"),
        ("response", "the executive's response (drop-down, or the wording it used)"),
        ("action", "what the executive will do"),
        ("due", "the date the action is due (dd/mm/yyyy)"),
        ("status", "progress (drop-down, or your own wording)"),
        ("update", "the latest progress update"),
        ("updated", "the date of that update"),
        ("", ""),
        ("theme id", "theme"),
        *((theme.id, theme.label) for theme in themes),
    ]
    for number, row in enumerate(rows, start=1):
        guide.append(list(row))
        if row[0] in ("column", "theme id"):
            guide.cell(row=number, column=1).font = guide.cell(row=number, column=2).font = Font(bold=True)
