"""The officer's coding sheet: an Excel workbook (openpyxl) to check the automatic coding in, written and read back.

Sheets: 'points' (one row per point of every visit note, confidential notes included and marked: the point, the
coder's proposal and the officer's columns), 'themes' (the codebook's themes and definitions), 'removed' (rows of
points that left the notes, kept by `check --update` so no decision is dropped) and 'about' (which review the
sheet belongs to). Only this module's parts touch the file (sheet_writer.py, sheet_reader.py, with the layout in
sheet_layout.py); coding/check.py works on its rows as plain data.

Reading is strict: a cell an officer filled wrongly (a tone not in the list, a non-boolean in `quote`, an unknown
theme column) is an error naming the sheet, row and column, listed with every other one.
"""
from __future__ import annotations

from .sheet_layout import (ABOUT, AFTER_THEMES, BEFORE_THEMES, CONFIDENTIAL, HEADER_NOTES, KNOWN, NO,  # noqa: F401
                           OFFICER_COLUMNS, POINTS, REMOVED, REQUIRED, THEME_WIDTH, THEMES, YES)
from .sheet_reader import read_sheet  # noqa: F401
from .sheet_writer import write_sheet  # noqa: F401
