"""The coding sheet's layout, shared by its writer and reader: sheet names, columns and widths, the yes/no words
and the notes on each header."""
from __future__ import annotations

POINTS, THEMES, REMOVED, ABOUT = "points", "themes", "removed", "about"
# (header, width); the theme columns go between "text" and "matched"
BEFORE_THEMES = [("point id", 34), ("date", 12), ("team", 22), ("confidential", 17), ("heading", 24), ("text", 70)]
AFTER_THEMES = [("matched", 36), ("proposed tone", 11), ("tone", 11), ("quote", 8), ("exclude", 24), ("note", 30),
                ("status", 30), ("text hash", 12)]
OFFICER_COLUMNS = ("tone", "quote", "exclude", "note")
REQUIRED = ("point id", "text", "text hash", "tone", "quote", "exclude")
KNOWN = {h for h, _ in BEFORE_THEMES + AFTER_THEMES}
THEME_WIDTH = 5
YES = {"yes", "y", "true", "1", "x", "\u2713", "\u2714"}
NO = {"no", "n", "false", "0", ""}
CONFIDENTIAL = "CONFIDENTIAL"
HEADER_NOTES = {
    "point id": "The note's file name and the point's number in it: how the toolkit finds the point again.",
    "confidential": "Points of notes marked confidential never appear in the report, but they are coded and "
                    "checked like the others.",
    "text": "The point as the coder read it.",
    "matched": "The phrases the coder found, per theme: why it proposed each x.",
    "proposed tone": "The coder's tone. Leave 'tone' empty to agree with it.",
    "tone": "Your tone for the point, if it differs from the proposed one: concern, positive, mixed or neutral.",
    "quote": "yes: prefer this point as an excerpt; no: never quote it; empty: the usual rule.",
    "exclude": "Leave the point out of every count: write the reason here (it is published in the method "
               "section, so keep it general, e.g. 'about the visit's arrangements').",
    "note": "Your own note (not published).",
    "status": "Written by `scrutiny-kit check --update` for new or changed points. Clear it once you have "
              "checked the row: until then the point keeps its automatic coding.",
    "text hash": "A short hash of the text: tells the toolkit when a point's words have changed. Do not edit.",
}
