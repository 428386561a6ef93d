"""Characters that must not reach a terminal, a page or the publish check unseen.

Text read from inputs loses its control characters (C0 and C1, DEL; tab, newline and carriage return stay)
and its invisible Unicode format characters (category Cf: zero-width spaces and joiners, soft hyphens, word
joiners, right-to-left overrides and isolates, stray byte-order marks): :func:`clean`. A team name can then
neither clear an officer's terminal nor reorder the published page, and "J\u200bo Bloggs" reads as the
"Jo Bloggs" a browser would show. Messages show any such character escaped (:func:`escape`). The publish check
matches names on a folded copy of the text (:func:`fold`): format and other invisible characters removed,
NFKC (full-width letters, ligatures, non-breaking spaces become plain ones), with a map back to the original.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Any

# Unicode category Cf (format characters), as of Unicode 15; tests check it covers the running Python's.
_FORMAT_RANGES = (
    (0x00AD, 0x00AD), (0x0600, 0x0605), (0x061C, 0x061C), (0x06DD, 0x06DD), (0x070F, 0x070F),
    (0x0890, 0x0891), (0x08E2, 0x08E2), (0x180E, 0x180E), (0x200B, 0x200F), (0x202A, 0x202E),
    (0x2060, 0x2064), (0x2066, 0x206F), (0xFEFF, 0xFEFF), (0xFFF9, 0xFFFB), (0x110BD, 0x110BD),
    (0x110CD, 0x110CD), (0x13430, 0x1343F), (0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A), (0xE0001, 0xE0001),
    (0xE0020, 0xE007F),
)
# Not format characters, but shown as nothing: combining grapheme joiner, Hangul fillers, variation selectors.
_OTHER_INVISIBLE = ((0x034F, 0x034F), (0x115F, 0x1160), (0x17B4, 0x17B5), (0x180B, 0x180D), (0x180F, 0x180F),
                    (0x3164, 0x3164), (0xFE00, 0xFE0F), (0xFFA0, 0xFFA0), (0xE0100, 0xE01EF))


def _char_class(ranges: tuple[tuple[int, int], ...]) -> str:
    return "".join(re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges)


_CONTROL = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"  # C0 but tab, LF, CR; DEL; C1
_UNSAFE = re.compile(f"[{_CONTROL}{_char_class(_FORMAT_RANGES)}]")
_INVISIBLE = re.compile(f"[{_char_class(_FORMAT_RANGES + _OTHER_INVISIBLE)}]")
_PAST_LATIN1_BASICS = re.compile("[^\x00-\xac]")  # U+00AD, the soft hyphen, is the first invisible character
_SHOWN_ESCAPED = re.compile(f"[\x00-\x1f\x7f-\x9f{_char_class(_FORMAT_RANGES)}]")


def clean(text: str) -> str:
    """Text from an input without control or format characters (tab, newline and carriage return kept; a
    vertical tab or form feed, which end a line or page, becomes a newline)."""
    return _UNSAFE.sub(_removed, text) if _UNSAFE.search(text) else text


def _removed(m: re.Match[str]) -> str:
    return "\n" if m.group(0) in "\x0b\x0c" else ""


def clean_data(value: Any, _done: dict[int, Any] | None = None) -> Any:
    """:func:`clean` applied to every string (keys too) in data loaded from YAML. A list or mapping that YAML
    aliases share is cleaned once and stays shared (nine aliases nine deep would otherwise be 387 million)."""
    if isinstance(value, str):
        return clean(value)
    if not isinstance(value, list | dict):
        return value
    done = {} if _done is None else _done
    if id(value) not in done:
        if isinstance(value, list):
            done[id(value)] = [clean_data(v, done) for v in value]
        else:
            done[id(value)] = {clean_data(k, done): clean_data(v, done) for k, v in value.items()}
    return done[id(value)]


def escape(text: str, keep: str = "\n") -> str:
    """Text for a terminal: control and format characters written as \\x1b or \\u202e (those in `keep` stay)."""
    def shown(m: re.Match[str]) -> str:
        c = m.group(0)
        if c in keep:
            return c
        return f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}" if ord(c) < 0x10000 else f"\\U{ord(c):08x}"

    return _SHOWN_ESCAPED.sub(shown, text)


def fold(text: str) -> tuple[str, list[tuple[int, int]] | None]:
    """The text as the publish check reads it and, for each of its characters, the (start, end) offsets in
    `text` of the character(s) it came from; None when the text needed no folding. Invisible characters are
    removed and each base character with its combining marks is NFKC-normalised."""
    if text.isascii() or (not _has_invisible(text) and unicodedata.is_normalized("NFKC", text)):
        return text, None
    out: list[str] = []
    sources: list[tuple[int, int]] = []
    cluster_start, cluster_end = 0, 0

    def flush() -> None:
        if cluster_end > cluster_start:
            piece = unicodedata.normalize("NFKC", _INVISIBLE.sub("", text[cluster_start:cluster_end]))
            out.append(piece)
            sources.extend([(cluster_start, cluster_end)] * len(piece))

    for index, char in enumerate(text):
        if _INVISIBLE.match(char):
            continue
        if cluster_end > cluster_start and unicodedata.combining(char):
            cluster_end = index + 1
            continue
        flush()
        cluster_start, cluster_end = index, index + 1
    flush()
    return "".join(out), sources


def _has_invisible(text: str) -> bool:
    """Whether `text` holds an invisible character: the few distinct characters past U+00AC (every invisible one
    is) are tested, which is several times quicker on long text than searching it for the whole class."""
    return any(_INVISIBLE.match(c) for c in set(_PAST_LATIN1_BASICS.findall(text)))


def unfold_span(sources: list[tuple[int, int]] | None, start: int, end: int) -> tuple[int, int]:
    """Offsets in the original text of the folded span [start, end) (see :func:`fold`)."""
    if sources is None or end <= start:
        return start, end
    return sources[start][0], sources[end - 1][1]
