"""Visible text of a rendered page: what a reader sees, for the final personal-data scan.

The page is read with the standard library's HTML parser, as a browser tokenises it: attributes in any quoting
style (double, single, none), character references decoded (``&#64;`` reads as ``@``), comments ignored.
"""
from __future__ import annotations

from html.parser import HTMLParser

# Attributes whose text a screen reader speaks or a browser shows (tooltips, placeholders).
SPOKEN_ATTRIBUTES = frozenset(
    {"alt", "title", "aria-label", "aria-description", "aria-valuetext", "aria-placeholder", "placeholder"}
)
# Elements whose content is not read as page text: styles and scripts never show; an SVG drawing's text is
# repeated in the chart's data table (its spoken attributes are still read).
_HIDDEN = frozenset({"style", "script", "svg"})
# Elements that run on in the same line of text: no break between their text and the text around them.
_INLINE = frozenset(
    "a abbr b bdi bdo cite code data dfn em i kbd mark q s samp small span strong sub sup time u var wbr".split()
)


class _PageText(HTMLParser):
    """Collects the text a reader sees and the attribute text a screen reader speaks, in page order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.shown: list[str] = []
        self.hidden: list[str] = []
        self.spoken: list[str] = []
        self.hidden_open: list[str] = []

    def _attributes(self, attrs: list[tuple[str, str | None]]) -> None:
        self.spoken.extend(value for name, value in attrs if name in SPOKEN_ATTRIBUTES and value)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._attributes(attrs)
        if tag in _HIDDEN:
            self.hidden_open.append(tag)
        if tag not in _INLINE:
            self.shown.append(" ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._attributes(attrs)
        if tag not in _INLINE:
            self.shown.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.hidden_open:
            while self.hidden_open.pop() != tag:
                pass
        if tag not in _INLINE:
            self.shown.append(" ")

    def handle_data(self, data: str) -> None:
        (self.hidden if self.hidden_open else self.shown).append(data)


def visible_text(page: str) -> str:
    """The text of ``page`` a reader sees, then the attribute text a screen reader speaks (alt, title,
    aria-label, ...). Styles, scripts and SVG drawings are left out (a chart's text is repeated in its data
    table), unless one is never closed: then what follows it is read too, so nothing escapes the check."""
    parser = _PageText()
    parser.feed(page)
    parser.close()
    shown = "".join(parser.shown)
    if parser.hidden_open:  # an unclosed script's rest is left unparsed in rawdata
        shown += " " + "".join(parser.hidden) + " " + parser.rawdata
    return shown + " " + " ".join(parser.spoken)
