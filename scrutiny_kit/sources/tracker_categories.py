"""The response and status a council recorded for a recommendation -> the category counted and rated.

Common variants are understood ("Agreed", "Accepted in principle", "Noted", "Done", "On track" ...) and, for a
narrative response ("Agreed. Cabinet asked the Cabinet Member to…"), its leading words. A blank status is
"not recorded", never "not started"; the recorded wording is kept and shown beside its category.
"""
from __future__ import annotations

import re

RESPONSES = ("accepted", "partially accepted", "noted", "not accepted", "awaiting response")
STATUSES = ("not started", "in progress", "complete", "superseded", "not recorded")
BLANK_RESPONSE = "awaiting response"  # no response recorded yet
BLANK_STATUS = "not recorded"  # nothing recorded: never read as "not started"
NOT_RECORDED = "Not recorded"  # how a blank response or status is shown

_RESPONSE_VARIANTS: dict[str, tuple[str, ...]] = {
    "accepted": ("accepted", "accept", "accepted in full", "fully accepted", "accepted fully", "agreed",
                 "agree", "agreed in full", "fully agreed", "approved", "supported", "yes", "full",
                 "accepted in principle", "agreed in principle", "supported in principle"),
    "partially accepted": ("partially accepted", "partially", "partial", "partly", "partly accepted",
                           "part accepted", "accepted in part", "partially agreed", "partly agreed",
                           "part agreed", "agreed in part", "partially supported"),
    "noted": ("noted", "noted for information", "acknowledged", "received and noted"),
    "not accepted": ("not accepted", "rejected", "reject", "not agreed", "declined", "refused", "disagreed",
                     "not supported", "no"),
    "awaiting response": ("awaiting response", "awaiting", "awaited", "response awaited", "pending",
                          "response pending", "tbc", "to be confirmed", "no response", "no response yet",
                          "not yet responded", "outstanding", "under consideration"),
}
_STATUS_VARIANTS: dict[str, tuple[str, ...]] = {
    "not started": ("not started", "not yet started", "not begun", "to do", "todo", "planned", "not due",
                    "not yet due", "yet to start"),
    "in progress": ("in progress", "ongoing", "on going", "in hand", "on track", "underway", "under way",
                    "started", "in train", "progressing", "in development", "partially complete",
                    "partly complete", "behind schedule", "delayed", "off track"),
    "complete": ("complete", "completed", "done", "closed", "closed complete", "closed completed",
                 "achieved", "implemented", "delivered", "finished"),
    "superseded": ("superseded", "closed superseded", "superseded closed", "withdrawn", "closed withdrawn",
                   "replaced", "no longer required", "no longer applicable"),
    "not recorded": ("not recorded", "unknown", "no update", "no update recorded"),
}
# Single words that name a response only when they stand alone ("No." is a response; "No further action…" is not).
_WEAK_LEADS = frozenset({"yes", "no", "full", "partial", "partially", "partly", "outstanding", "tbc", "awaiting",
                         "pending"})

def _norm(text: object) -> str:
    """Lower-case words only: 'Closed - Superseded' -> 'closed superseded'."""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", str(text).casefold().replace("&", " and ")).split())


def _lookup(variants: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return {_norm(v): canonical for canonical, names in variants.items() for v in names}


_RESPONSE_LOOKUP = _lookup(_RESPONSE_VARIANTS)
_STATUS_LOOKUP = _lookup(_STATUS_VARIANTS)
RESPONSE_EXAMPLES = "'Agreed', 'Accepted in principle', 'Partly agreed', 'Noted', 'Rejected' or 'Pending'"
STATUS_EXAMPLES = "'Done', 'On track', 'Not yet started' or 'Closed - superseded'"
# A response or status is read from its first clause: up to a bracket, colon, semicolon, comma, full stop,
# question or exclamation mark, new line or a spaced dash ("Agreed. Cabinet asked…", "Complete - signed off").
_QUALIFIER = re.compile(r"\s*(?:\(|\[|:|;|,|\.(?:\s|$)|[!?\n]|\s[-\u2013\u2014]\s).*$", re.S)
_MAX_LEAD_WORDS = 5


def _category(value: object, lookup: dict[str, str], blank: str, *, narrative: bool) -> str | None:
    """The category of a recorded response/status, None when it cannot be placed.

    The whole text, then its first clause, is looked up; with `narrative` (responses) the leading words of
    that clause are tried too, longest first ("Agreed and Cabinet asked…" -> accepted)."""
    text = "" if value is None else str(value).strip()
    if not text:
        return blank
    clause = _QUALIFIER.sub("", text)
    for candidate in (text, clause):
        found = lookup.get(_norm(candidate))
        if found:
            return found
    if narrative:
        words = _norm(clause).split()
        for n in range(min(len(words) - 1, _MAX_LEAD_WORDS), 0, -1):
            lead = " ".join(words[:n])
            if lead in lookup and lead not in _WEAK_LEADS:
                return lookup[lead]
    return None


def response_category(value: object) -> str | None:
    """'Agreed' -> 'accepted', 'Partly agreed' -> 'partially accepted', 'Agreed. Cabinet asked…' -> 'accepted',
    'Noted' -> 'noted', blank -> 'awaiting response'; None when the response cannot be placed."""
    return _category(value, _RESPONSE_LOOKUP, BLANK_RESPONSE, narrative=True)


def status_category(value: object) -> str | None:
    """'Done' -> 'complete', 'On track' -> 'in progress', blank -> 'not recorded'; None when it cannot be placed."""
    return _category(value, _STATUS_LOOKUP, BLANK_STATUS, narrative=False)


def canonical_response(value: object) -> str:
    """The response's category, or the text unchanged when it cannot be placed."""
    found = response_category(value)
    return str(value).strip() if found is None else found


def canonical_status(value: object) -> str:
    """The status's category, or the text unchanged when it cannot be placed."""
    found = status_category(value)
    return str(value).strip() if found is None else found


def shown_with_category(wording: object, category: str) -> str:
    """The recorded wording, with the category it is counted as beside it only where the two differ:
    'Accepted in principle (counted as accepted)', 'Accepted', blank -> 'Not recorded'."""
    text = "" if wording is None else " ".join(str(wording).split())
    if not text:
        return NOT_RECORDED if _norm(category) == _norm(NOT_RECORDED) else f"{NOT_RECORDED} (counted as {category})"
    return text if _same_word(_norm(text), _norm(category)) else f"{text} (counted as {category})"


def _same_word(recorded: str, category: str) -> bool:
    """'completed' is 'complete' and 'declined' 'decline': another form of the category's word needs no bracket."""
    return recorded == category or recorded.removesuffix("d") == category or recorded.removesuffix("ed") == category
