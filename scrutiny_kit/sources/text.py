"""Read the text files officers produce, whatever editor saved them.

Council laptops save notes as UTF-8 (with or without a byte-order mark, the Notepad default),
Windows-1252 (older Word "Save as plain text": curly quotes, en dashes, the £ sign) or, now and
then, UTF-16 ("Unicode" in Notepad). `decode_text` tries them in that order and `read_text` also
turns Windows (CRLF) and old Mac (CR) line endings into "\\n", so parsers only ever see "\\n".

CSV files (workforce figures, trackers) are read by `read_csv` through the same decoding, with the field
delimiter (comma, semicolon as Excel writes it in many European locales, or tab) found by `csv.Sniffer`.
"""
from __future__ import annotations

import codecs
import csv
import io
from pathlib import Path

from ..characters import clean

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


class NotTextError(ValueError):
    """The bytes are not text in any encoding we accept (e.g. a Word file renamed to .txt)."""


def decode_text(data: bytes) -> str:
    """Decode bytes as UTF-8 (BOM optional), UTF-16 with a BOM, or Windows-1252, in that order.

    Windows-1252 is the fallback because it is what Word and older Notepad write on council
    machines; the five bytes it leaves undefined are read as Latin-1 so decoding never fails. Control and
    invisible format characters (those five among them) are removed (characters.clean): they are not text an
    officer wrote.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return clean(data.decode(encoding))
    if b"\x00" in data:
        raise NotTextError("this is not a plain text file (it contains binary data); save it as .txt or .md")
    try:
        return clean(data.decode("utf-8"))
    except UnicodeDecodeError:
        return clean(data.decode("cp1252", errors=_LATIN1_FALLBACK))


def _latin1_for_undefined(exc: UnicodeError) -> tuple[str, int]:
    """Error handler: read a byte Windows-1252 leaves undefined as its Latin-1 character."""
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    return exc.object[exc.start : exc.end].decode("latin-1"), exc.end


_LATIN1_FALLBACK = "scrutiny-kit-latin1"
codecs.register_error(_LATIN1_FALLBACK, _latin1_for_undefined)


def normalise_newlines(text: str) -> str:
    """CRLF and lone CR become LF, so line numbers match what the officer sees in their editor."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_text(path: str | Path) -> str:
    """Read a text file in any of the accepted encodings, with "\\n" line endings."""
    return normalise_newlines(decode_text(Path(path).read_bytes()))


DELIMITERS = ",;\t"  # the field delimiters a CSV file may use
_SNIFF_LINES = 50  # the first lines are enough to see the delimiter


def sniff_delimiter(text: str) -> str:
    """The field delimiter of CSV text, found by csv.Sniffer from its first lines.

    The sniffed delimiter must occur in the header (the first non-blank line); otherwise, or when the sniffer
    cannot decide (a one-column file), the delimiter the header holds most of is used, and a comma for none."""
    header = next((line for line in text.splitlines() if line.strip()), "")
    sample = "\n".join(text.splitlines()[:_SNIFF_LINES])
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        delimiter = ""
    if delimiter and delimiter in header:
        return delimiter
    return max(DELIMITERS, key=header.count) if any(d in header for d in DELIMITERS) else ","


def read_csv(path: str | Path) -> list[list[str]]:
    """The rows of a CSV file in any accepted encoding and delimiter, each a list of cells as written.

    Raises OSError (unreadable), NotTextError (binary data) or csv.Error (malformed quoting) for the caller
    to word for its own file kind."""
    text = decode_text(Path(path).read_bytes())
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text)))
