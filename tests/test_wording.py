"""Plain-English helpers shared by every generated sentence."""
from __future__ import annotations

from scrutiny_kit.wording import join_words, opening, plural, times


def test_join_words_uses_no_oxford_comma() -> None:
    assert join_words([]) == "" and join_words(["North"]) == "North"
    assert join_words(["North", "East"]) == "North and East"
    assert join_words(["North", "East", "Ashfield"]) == "North, East and Ashfield"


def test_counts_in_words_where_style_asks() -> None:
    assert plural(1, "visit") == "1 visit" and plural(0, "visit") == "0 visits"
    assert plural(2, "study", "studies") == "2 studies"
    assert times(1) == "once" and times(2) == "twice" and times(5) == "5 times"
    assert opening(1, "exempt note") == "One exempt note"
    assert opening(0, "point") == "No points" and opening(10, "theme") == "Ten themes"
    assert opening(14, "theme") == "14 themes"
