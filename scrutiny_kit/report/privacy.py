"""Publish check: find (and optionally redact) personal data in anything that goes into the public HTML.

The report is public, so before it is written every piece of text that ends up in it (visit note points,
commentary, recommendation updates, chart labels, ...) is scanned. Each finding is a :class:`Hit`; the
caller supplies ``where`` (e.g. ``"visit note northgate.md, point 4"``) so an officer can find and fix it.

Entry points
------------
* :func:`find_personal_data` - hits in one text.
* :func:`scan` - hits in many ``(where, text)`` items.
* :func:`redact` - the text with every hit replaced by ``[redacted]``, plus counts by kind.
* :func:`check_or_redact` - what the pipeline calls: redact everything, or raise
  :class:`~scrutiny_kit.errors.PublishCheckError` with one problem per hit.

What each pattern catches (and deliberately does not)
-----------------------------------------------------
``email``
    ``local@domain.tld``: local part of letters, digits and ``. _ % + -``; domain of one or more
    dot-separated labels ending in an alphabetic top-level domain of two or more letters
    (``jo.bloggs@leeds.gov.uk``, ``JB+scrutiny@example.org``, ``mailto:a@b.co``).
    Not caught: obfuscated forms (``jo at leeds dot gov dot uk``, HTML entities such as ``&#64;``),
    social media handles (``@LeedsCC``, no domain). Not tripped by: asset names such as
    ``logo@2x.png`` (a "top-level domain" that is an image/web file extension is ignored),
    package pins such as ``pkg@1.2.3`` (numeric "domain").

``phone``
    UK numbers, landline and mobile, written nationally (leading ``0``) or internationally
    (``+44`` / ``0044``, optionally with ``(0)``), as digit groups separated by a single space, hyphen or
    no-break space, with the area code optionally in brackets: ``01632 960 123``, ``(0113) 496 0000``,
    ``07700 900123``, ``+44 7700 900123``, ``+44 (0)20 7946 0018``, ``020-7946-0018``, ``07700900123``.
    The digits must make a real-length UK number: 11 digits, or 10 for ``01`` numbers (some areas have
    shorter local numbers) and ``0800``/``0500`` freephone numbers (``0113 496 000`` is reported). The
    second digit must be 1, 2, 3, 5, 7, 8 or 9 (``04`` and ``06`` are unused). Every group after the first
    has at least two digits, so a run of single numbers (``0 1 2 3 4 5 6 7 8 9``) is not a phone number; if
    trailing groups make the number too long they are dropped (``0113 496 0000 12 visits`` finds
    ``0113 496 0000``).
    Not caught: numbers written with dots (``0113.496.0000``), overseas numbers, numbers with letters.
    Not tripped by: dates (``12/03/2024``, ``01/03/2024``), money (``£400,000``), decimals (``98.31``,
    ``0.98``), percentages, year ranges (``2015-16``), times (``10:30``), case and reference numbers shorter
    than a phone number (``0042731``), digit runs inside words or codes (``REF01632960123``), numbers that
    continue a date/decimal (``12.01632 960123``), and ISBNs (``ISBN 0123456789``, hyphenated ISBN parts).

``ni_number``
    National Insurance numbers: two prefix letters, six digits, suffix ``A``-``D``, with optional single
    spaces or hyphens between the pairs (``AB 12 34 56 C``, ``AB123456C``, ``ab-12-34-56-c``); upper or
    lower case. The prefix rules are applied: neither letter is D, F, I, Q, U or V; the second letter is not
    O; the never-issued prefixes BG, GB, NK, KN, TN, NT and ZZ are rejected. So the HMRC *example* number
    ``QQ 12 34 56 C`` is deliberately not reported. Not caught: temporary reference numbers, numbers without
    the suffix letter.

``address``
    A house number followed by a street and a full UK postcode nearby: ``14 Acacia Avenue, Leeds LS6 2AB``,
    ``22 High Street, Westminster, London SW1A 1AA``, ``3a The Grange\\nLeeds\\nLS6 2AB``,
    ``14-16 acacia avenue, leeds ls6 2ab``. Precisely: a house number (1-3 digits, optional letter, optional
    range ``14-16`` / ``3/5``), then 1-8 words (letters only), separated by spaces, commas, line breaks or
    ``<br>``, then a full postcode (outward code such as ``LS6``/``SW1A``/``M1``, optional space, inward
    code digit + two letters). The words must either all be capitalised (small connectors such as *upon*,
    *on*, *the*, *of*, *le*, *de* allowed) or include a street word (street, road, avenue, lane, close, ...),
    the number must start a token (not the end of a time ``10:30``, year range ``2015-16``, sum ``£400`` or
    decimal) and must not follow a word like *Recommendation*, *Section*, *Paragraph*, *Page*, *Point*,
    *Table*, *Figure*, *Appendix*. Letters in the postcode and words may be upper or lower case.
    Not caught: a postcode alone (``LS6 2AB``), a district alone (``the LS6 office``), an address with no house
    number (``Civic Hall, Calverley Street, Leeds LS1 1UR``), an address with no postcode. It cannot tell a
    home from an office: ``110 Merrion Centre, Leeds LS2 8BB`` is reported.
    Not tripped by: ``12 councillors met at LS2 8BB`` (lowercase words with no street word).

``name``
    Each name in the review's ``redact:`` list, matched as whole words and case-insensitively, with any run of
    whitespace (including a line break) between its words: ``Jo Bloggs`` finds ``jo bloggs`` and the name in
    ``Jo Bloggs's``/``Jo Bloggs'`` (the possessive ending is kept outside the hit, so redaction reads
    ``[redacted]'s``). Not tripped by: words that merely contain the name (``Ann`` vs ``Annual``, ``Joanne``).
    Because matching ignores case, a name that is also an ordinary word (``Will``, ``May``) is reported
    wherever the word appears: list full names where possible.

Overlapping hits (a listed name inside an address, a name inside an email address) are merged into one hit
covering both, reported once with the kind of the longer match, so redaction never leaves part of one behind.

The scan reads the text as a browser shows it: invisible characters (zero-width spaces and joiners, word
joiners, soft hyphens, direction marks) are ignored and the text is NFKC-normalised (full-width letters,
ligatures and non-breaking spaces read as plain ones), so ``J\u200bo Bloggs`` is found; hits are reported and
redacted at their place in the text as given (see ``characters.fold``).
Run it on the plain text that goes into the page (before HTML escaping).
HTML entities (``&#64;``) are not decoded, and ``data:`` URIs / base64 blobs are not worth scanning.

All patterns are compiled once (names once per distinct list) and written so that matching is linear in the
length of the text: runs of 20 MB take a few seconds.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from scrutiny_kit.characters import fold, unfold_span
from scrutiny_kit.errors import Problem, PublishCheckError

__all__ = [
    "KIND_LABELS",
    "REDACTED",
    "Hit",
    "check_or_redact",
    "find_personal_data",
    "redact",
    "scan",
]

REDACTED = "[redacted]"

KIND_LABELS: dict[str, str] = {
    "email": "email address",
    "phone": "phone number",
    "ni_number": "National Insurance number",
    "address": "address",
    "name": "name",
}

# When two hits overlap and are the same length, the kind earlier in this tuple wins.
_KIND_PRIORITY = ("address", "email", "phone", "ni_number", "name")


@dataclass(frozen=True)
class Hit:
    """One piece of personal data found in one text."""

    kind: str  # "email" | "phone" | "ni_number" | "address" | "name"
    text: str  # exactly as found
    where: str  # supplied by the caller, e.g. "visit note northgate.md, point 4"
    start: int  # offsets into the scanned text: text == scanned[start:end]
    end: int


# --------------------------------------------------------------------------- email

_EMAIL_RE = re.compile(
    r"(?<![\w.%+\-])"  # start of a token (keeps matching linear: no retries mid-token)
    r"[A-Za-z0-9._%+\-]+@"
    r"(?:[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?\.)+"
    r"(?P<tld>[A-Za-z]{2,})(?![\w\-])"
)
_NOT_TLDS = frozenset(
    "png jpg jpeg gif svg webp avif bmp ico tif tiff css js mjs json html htm xml pdf txt csv md".split()
)

# --------------------------------------------------------------------------- phone

_PHONE_SEP = r"[ \-\u00a0]"
_PHONE_RE = re.compile(
    r"(?<![\w+£$€])(?<!\d[./,\-])"
    r"(?:"
    r"(?P<intl>(?:\+|00)44" + _PHONE_SEP + r"?(?:\(0\)" + _PHONE_SEP + r"?)?\(?\d{1,5}\)?)"
    r"|"
    r"(?P<nat>\(?0\d{2,5}\)?)"
    r")"
    r"(?:" + _PHONE_SEP + r"?\d{2,}){1,4}"
    r"(?!\d|[./\-]\d)"
)
_DIGITS_RE = re.compile(r"\d+")
_ISBN_BEFORE_RE = re.compile(r"ISBN(?:-1[03])?[:\s]*$", re.IGNORECASE)


def _valid_uk_national(digits: str) -> bool:
    """Is ``digits`` (national form, leading 0) a real-length UK number?"""
    if len(digits) not in (10, 11) or digits[0] != "0" or digits[1] not in "1235789":
        return False
    if len(digits) == 11:
        return True
    # 10 digits: some 01 geographic numbers and 0800 / 0500 freephone numbers.
    return digits[1] == "1" or digits.startswith(("0800", "0500"))


def _phone_end(m: re.Match[str]) -> int | None:
    """End offset of the valid phone number inside the candidate match, or None.

    Trailing digit groups are dropped one at a time while the number is too long.
    """
    text = m.group(0)
    groups = list(_DIGITS_RE.finditer(text))
    intl = m.group("intl") is not None
    while groups:
        digits = "".join(g.group(0) for g in groups)
        if intl:
            # Drop the country code (+44 or 0044) and the optional "(0)" trunk prefix.
            digits = digits[4:] if digits.startswith("0044") else digits[2:]
            if "(0)" in text[: groups[-1].end()] and digits.startswith("0"):
                digits = digits[1:]
            national = "0" + digits
        else:
            national = digits
        if _valid_uk_national(national):
            return m.start() + groups[-1].end()
        if len(national) < 10 or len(groups) == 1:
            return None
        groups.pop()
    return None


# --------------------------------------------------------------------------- NI number

_NI_RE = re.compile(
    r"(?<![\w])"
    r"(?P<prefix>[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z])"
    r"[ \-]?\d{2}[ \-]?\d{2}[ \-]?\d{2}[ \-]?[A-D]"
    r"(?![\w])",
    re.IGNORECASE,
)
_NI_BAD_PREFIXES = frozenset({"BG", "GB", "NK", "KN", "TN", "NT", "ZZ"})

# --------------------------------------------------------------------------- address

_POSTCODE = r"(?:[A-Z]{1,2}\d[A-Z\d]?|GIR)[ \u00a0]?\d[ABD-HJLNP-UW-Z]{2}"
_ADDR_SEP = r"(?:[\s,]|<br\s*/?>)+"
_ADDR_WORD = r"[A-Za-z][A-Za-z'\u2019.&\-]*"
_ADDRESS_RE = re.compile(
    r"(?<![\w£$€.,:/\-])"
    r"(?P<number>\d{1,3}[A-Za-z]?(?:[ ]?[\-\u2013/][ ]?\d{1,3}[A-Za-z]?)?)"
    r"(?![\d.:/])"
    r"(?P<words>" + _ADDR_SEP + _ADDR_WORD + r"(?:" + _ADDR_SEP + _ADDR_WORD + r"){0,7})"
    + _ADDR_SEP
    + r"(?P<postcode>" + _POSTCODE + r")(?![\w])",
    re.IGNORECASE,
)
_STREET_WORDS = frozenset(
    """street st road rd avenue ave lane ln close cl drive dr way crescent cres court ct place pl grove gr
    gardens gdns terrace terr walk row square sq hill rise mews view park green parade mount vale croft fold
    garth wynd gate yard chase meadow meadows boulevard bank approach broadway wharf quay grange estate
    circus end side fields field heights walk cottages""".split()
)
_ADDR_CONNECTORS = frozenset("upon on the of in le la de by under & st. st".split())
_NOT_HOUSE_NUMBER_BEFORE_RE = re.compile(
    r"\b(?:recommendations?|recs?|sections?|s|ss|paragraphs?|paras?|pages?|pp?|points?|items?|tables?|"
    r"figures?|figs?|charts?|chapters?|schedules?|parts?|articles?|regulations?|regs?|appendix|appendices|"
    r"annex(?:es)?|rules?|clauses?|steps?|stages?|actions?|questions?|q|year|years|week|weeks|"
    r"month|months|day|days|option|options|priority|priorities|theme|themes|finding|findings)\.?\s*$",
    re.IGNORECASE,
)
_WORD_SPLIT_RE = re.compile(r"(?:[\s,]|<br\s*/?>)+", re.IGNORECASE)


def _address_ok(m: re.Match[str], text: str) -> bool:
    before = text[max(0, m.start() - 20) : m.start()]
    if _NOT_HOUSE_NUMBER_BEFORE_RE.search(before):
        return False
    words = [w for w in _WORD_SPLIT_RE.split(m.group("words")) if w]
    if any(w.lower().rstrip(".") in _STREET_WORDS for w in words):
        return True
    return all(w[0].isupper() or w.lower() in _ADDR_CONNECTORS for w in words)


# --------------------------------------------------------------------------- names


_APOSTROPHES = "['\u2019]"


def _word_pattern(word: str) -> str:
    """One word of a name, escaped, with straight and curly apostrophes matching each other."""
    return _APOSTROPHES.join(re.escape(piece) for piece in re.split(_APOSTROPHES, word))


@lru_cache(maxsize=64)
def _names_re(names: tuple[str, ...]) -> re.Pattern[str] | None:
    parts = []
    for name in sorted({" ".join(n.split()) for n in names if n and n.strip()}, key=len, reverse=True):
        parts.append(r"\s+".join(_word_pattern(word) for word in name.split(" ")))
    if not parts:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)", re.IGNORECASE)


# --------------------------------------------------------------------------- finding


def _raw_hits(text: str, names: tuple[str, ...], where: str) -> list[Hit]:
    hits: list[Hit] = []

    if "@" in text:
        for m in _EMAIL_RE.finditer(text):
            if m.group("tld").lower() not in _NOT_TLDS:
                hits.append(Hit("email", m.group(0), where, m.start(), m.end()))

    for m in _PHONE_RE.finditer(text):
        end = _phone_end(m)
        if end is None:
            continue
        if _ISBN_BEFORE_RE.search(text, max(0, m.start() - 12), m.start()):
            continue
        hits.append(Hit("phone", text[m.start() : end], where, m.start(), end))

    for m in _NI_RE.finditer(text):
        if m.group("prefix").upper() not in _NI_BAD_PREFIXES:
            hits.append(Hit("ni_number", m.group(0), where, m.start(), m.end()))

    for m in _ADDRESS_RE.finditer(text):
        if _address_ok(m, text):
            hits.append(Hit("address", m.group(0), where, m.start(), m.end()))

    names_re = _names_re(names)
    if names_re is not None:
        for m in names_re.finditer(text):
            hits.append(Hit("name", m.group(0), where, m.start(), m.end()))
    return hits


def _merge(hits: list[Hit], text: str) -> list[Hit]:
    """Sort hits and merge overlapping ones so each stretch of text is reported once."""
    hits.sort(key=lambda h: (h.start, -(h.end - h.start), _KIND_PRIORITY.index(h.kind)))
    merged: list[Hit] = []
    for hit in hits:
        if merged and hit.start < merged[-1].end:
            last = merged[-1]
            if hit.end <= last.end:
                continue  # contained: already reported
            longer = last if (last.end - last.start) >= (hit.end - hit.start) else hit
            merged[-1] = Hit(longer.kind, text[last.start : hit.end], last.where, last.start, hit.end)
        else:
            merged.append(hit)
    return merged


def find_personal_data(text: str, *, names: Sequence[str] = (), where: str = "") -> list[Hit]:
    """Every piece of personal data in ``text``, in order, overlapping matches merged."""
    if not text:
        return []
    names_key = (names,) if isinstance(names, str) else tuple(names)
    folded, sources = fold(text)
    hits = _merge(_raw_hits(folded, tuple(fold(n)[0] for n in names_key), where), folded)
    if sources is None:
        return hits
    spans = [unfold_span(sources, h.start, h.end) for h in hits]
    return [Hit(h.kind, text[a:b], h.where, a, b) for h, (a, b) in zip(hits, spans)]


def scan(items: Iterable[tuple[str, str]], *, names: Sequence[str] = ()) -> list[Hit]:
    """Hits in each ``(where, text)`` item, in item order."""
    hits: list[Hit] = []
    for where, text in items:
        hits.extend(find_personal_data(text, names=names, where=where))
    return hits


def _apply(text: str, hits: list[Hit]) -> str:
    out: list[str] = []
    pos = 0
    for hit in hits:
        out.append(text[pos : hit.start])
        out.append(REDACTED)
        pos = hit.end
    out.append(text[pos:])
    return "".join(out)


def redact(text: str, *, names: Sequence[str] = ()) -> tuple[str, Counter[str]]:
    """``text`` with each hit replaced by ``[redacted]``, and how many hits of each kind were replaced."""
    hits = find_personal_data(text, names=names)
    return _apply(text, hits), Counter(h.kind for h in hits)


def check_or_redact(
    items: Iterable[tuple[str, str] | tuple[str, str, str]], *, names: Sequence[str] = (), apply_redaction: bool
) -> tuple[list[tuple[str, str]], Counter[str]]:
    """The publish check.

    Each item is ``(where, text)``, or ``(where, text, scanned)`` when another spelling of the text of the same
    length is what is scanned (a file name with its separators read as spaces).
    With ``apply_redaction`` returns the items with every hit replaced by ``[redacted]`` and the counts by kind.
    Without it returns the items unchanged (and an empty Counter) if nothing was found, otherwise raises
    :class:`PublishCheckError` listing every hit: what was found, its kind and where.
    """
    counts: Counter[str] = Counter()
    problems: list[str | Problem] = []
    out: list[tuple[str, str]] = []
    for where, text, *scanned in items:
        hits = find_personal_data(scanned[0] if scanned else text, names=names, where=where)
        counts.update(h.kind for h in hits)
        out.append((where, _apply(text, hits) if apply_redaction else text))
        if not apply_redaction:
            problems.extend(
                Problem(file=where or None, message=f"{KIND_LABELS[h.kind]} found: '{text[h.start:h.end]}'")
                for h in hits
            )
    if apply_redaction:
        return out, counts
    if problems:
        raise PublishCheckError(problems)
    return out, Counter()
