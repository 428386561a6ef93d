"""Coding: a codebook's themes and tones given to every point of the visit notes.

matcher.py finds phrases, themes.py decides themes (evidence strength), tone.py decides tone,
coder.py compiles a codebook, points.py makes the coded-points frame, its summary and CSV.
"""
from .points import (
    CODED_COLUMNS,
    SUMMARY_COLUMNS,
    TONES,
    code_files,
    code_points,
    coded_points_csv,
    compiled,
    phrase_count,
    theme_summary,
)
from .themes import HEADING_SUFFIX, PHRASE_SEPARATOR

__all__ = [
    "CODED_COLUMNS", "HEADING_SUFFIX", "PHRASE_SEPARATOR", "SUMMARY_COLUMNS", "TONES", "code_files", "code_points",
    "coded_points_csv", "compiled", "phrase_count", "theme_summary",
]
