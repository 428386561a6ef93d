"""Small pieces of plain English shared by every sentence the report writes."""
from __future__ import annotations

from typing import Sequence


def join_words(items: Sequence[str]) -> str:
    """UK list without the Oxford comma: 'North', 'North and East', 'North, East and Ashfield'."""
    items = [str(i) for i in items]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def times(n: int) -> str:
    """'once', 'twice', '3 times'."""
    return {1: "once", 2: "twice"}.get(n, f"{n} times")


def plural(n: int, singular: str, plural_form: str | None = None) -> str:
    """'1 visit', '3 visits', '0 visits'."""
    return f"{n} {singular if n == 1 else (plural_form or singular + 's')}"


_WORDS = ("No", "One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine", "Ten")


def opening(n: int, singular: str, plural_form: str | None = None) -> str:
    """A count that opens a sentence, in words up to ten as house style asks: 'One point', 'Fourteen' stays '14 themes'."""
    noun = singular if n == 1 else (plural_form or singular + "s")
    return f"{_WORDS[n]} {noun}" if 0 <= n < len(_WORDS) else f"{n} {noun}"
