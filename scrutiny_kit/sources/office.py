"""Check a .docx or .xlsx file (a zip of XML parts) before a library opens it: bounded in size, no DOCTYPE.

A zip can inflate a hundred-kilobyte file to gigabytes, and python-docx and openpyxl read whole parts into
memory, so the declared sizes and the number of parts are checked first (Python's zip reader never returns more
than an entry declares). Word and Excel never write a DOCTYPE; one in an Office file declares entities, which
the libraries either expand (billion-laughs) or drop from the text without a word, so the file is refused.
"""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

from ..errors import Problem
from ..limits import limit, over_limit

_XML_PARTS = (".xml", ".rels", ".vml")
_DOCTYPE = re.compile(b"|".join([b"<!DOCTYPE", "<!DOCTYPE".encode("utf-16-le"), "<!DOCTYPE".encode("utf-16-be")]),
                      re.IGNORECASE)
_CHUNK = 1 << 20
WORD_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def package_problems(path: Path, what: str) -> list[Problem]:
    """Why the Office file at `path` must not be opened (empty when it may): too many parts, too large once
    unzipped, or a DOCTYPE in an XML part. A file that is not a zip is left to the reader to report."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError):
        return []
    with archive:
        infos = archive.infolist()
        if len(infos) > limit("office_entries"):
            return [Problem(path, f"this {what} cannot be read: " + over_limit("office_entries", f"{len(infos):,} files"))]
        size = sum(info.file_size for info in infos)
        if size > limit("office_bytes"):
            return [Problem(path, f"this {what} cannot be read: " + over_limit("office_bytes", f"{size:,} bytes"))]
        for info in infos:
            if info.filename.lower().endswith(_XML_PARTS) and _has_doctype(archive, info):
                return [Problem(path, f"this {what} contains a DOCTYPE declaration (in {info.filename}), which "
                                      "Word and Excel never write: its entities could hide or cut text, so the file "
                                      "is refused. Open it in Word or Excel and save it again under a new name")]
    return []


def _has_doctype(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    """Whether a part holds a DOCTYPE, read in chunks (a bad entry is left for the reader to report)."""
    tail = b""
    try:
        with archive.open(info) as part:
            while chunk := part.read(_CHUNK):
                if _DOCTYPE.search(tail + chunk):
                    return True
                tail = chunk[-32:]
    except (zipfile.BadZipFile, OSError, NotImplementedError, RuntimeError, EOFError):
        return False
    return False


def docx_paragraph_problems(path: Path) -> list[Problem]:
    """A Word document with more paragraphs than a visit note could hold (a zip of millions of empty ones
    inflates past any memory), counted while streaming its body before python-docx builds it whole."""
    from lxml import etree

    most = limit("docx_paragraphs")
    count = 0
    try:
        with zipfile.ZipFile(path) as archive, archive.open("word/document.xml") as body:
            for _, element in etree.iterparse(body, events=("end",), tag=f"{{{WORD_NS}}}p",
                                              resolve_entities=False, no_network=True):
                count += 1
                if count > most:
                    return [Problem(path, "this Word document cannot be read: "
                                    + over_limit("docx_paragraphs", f"more than {most:,} paragraphs"))]
                element.clear(keep_tail=True)
    except (KeyError, zipfile.BadZipFile, OSError, etree.XMLSyntaxError, ValueError, NotImplementedError,
            RuntimeError, EOFError):
        return []  # python-docx reports the file as damaged
    return []
