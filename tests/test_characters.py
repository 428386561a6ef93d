"""Control and invisible format characters: removed from input text, escaped in messages, folded for the check."""
from __future__ import annotations

import sys
import unicodedata

from scrutiny_kit.characters import _FORMAT_RANGES, clean, clean_data, escape, fold, unfold_span


def test_format_ranges_cover_every_format_character_this_python_knows() -> None:
    listed = {c for a, b in _FORMAT_RANGES for c in range(a, b + 1)}
    known = {c for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Cf"}
    assert known <= listed, sorted(hex(c) for c in known - listed)


def test_clean_removes_controls_and_format_characters_but_keeps_tabs_and_line_ends() -> None:
    raw = "Team\x1b]0;pwned\x07 A\x08B\u0085\u009b2J\tok\r\nnext\x0cpage \u202egnp.exe J\u200bo Blo\u00adggs\u2060!\ufeff"
    assert clean(raw) == "Team]0;pwned AB2J\tok\r\nnext\npage gnp.exe Jo Bloggs!"
    assert clean("plain text") == "plain text"
    assert clean_data({"te\x1bam": ["a\x07", 3, {"k": "\u202ev"}]}) == {"team": ["a", 3, {"k": "v"}]}


def test_escape_shows_what_a_terminal_would_obey() -> None:
    assert escape("name\x1b[2J\x07\u202e\nnext") == "name\\x1b[2J\\x07\\u202e\nnext"
    assert escape("line\nbreak", keep="") == "line\\x0abreak"
    assert escape("café – £5") == "café – £5"  # ordinary text is untouched


def test_fold_reads_text_as_a_browser_shows_it_and_maps_back() -> None:
    text = "Met J\u200bo\u00a0Blo\u0301ggs, \uff2a\uff4f Bloggs and the \ufb01rst"
    folded, sources = fold(text)
    assert folded == "Met Jo Blóggs, Jo Bloggs and the first"
    start = folded.index("Jo")
    a, b = unfold_span(sources, start, start + len("Jo Blóggs"))
    assert text[a:b] == "J\u200bo\u00a0Blo\u0301ggs"
    a, b = unfold_span(sources, folded.index("fi"), folded.index("fi") + 1)  # half a ligature is the whole of it
    assert text[a:b] == "\ufb01"
    assert fold("ascii only") == ("ascii only", None)


def test_clean_data_cleans_what_yaml_aliases_share_once() -> None:
    from scrutiny_kit import yamlio

    text = 'a: &a ["lo\\e", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n' + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 9) + "]\n" for i in range(8))
    data = yamlio.load(text)  # 9 ** 9 strings if walked as a tree: it must come back at once
    assert data["i"][8][8][8][8][8][8][8][8][0] == "lo" and data["i"][0] is data["i"][1]
