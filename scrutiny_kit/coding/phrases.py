"""Phrase forms: how a codebook phrase is written and what it matches (regular expressions, acronyms, the
characters matched as spaces, and each word's inflections and British/American spellings); see the codebook's
docstring for the rules and `coding/matcher.py` for their use."""
from __future__ import annotations

import re

REGEX_PREFIX = "re:"


def is_regex(phrase: str) -> bool:
    return phrase.startswith(REGEX_PREFIX)


def regex_body(phrase: str) -> str:
    return phrase[len(REGEX_PREFIX):].strip()


def is_acronym(phrase: str) -> bool:
    """Written in capitals (IT, MASH, ASYE): matched case-sensitively."""
    letters = [c for c in phrase if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


MATCH_CHARACTERS = {
    **{c: " " for c in "-\u2010\u2011\u2012\u2013\u2014\u00ad/\u2022\u00a0"},  # hyphens, dashes, slash, bullet
    **{c: "'" for c in "\u2019\u2018\u02bc`"},  # curly apostrophes
    **{c: '"' for c in "\u201c\u201d"},  # curly quotes
}
"""One-for-one character clean-up applied to phrases and to text before matching (coding/matcher.py)."""
MATCH_TRANSLATION = str.maketrans(MATCH_CHARACTERS)

_SPELLINGS = {  # British -> American (and back) for whole words the suffix rules miss
    "programme": "program", "programmes": "programs", "judgement": "judgment", "judgements": "judgments",
    "licence": "license", "paediatric": "pediatric", "paediatrician": "pediatrician",
    "travelling": "traveling", "travelled": "traveled", "counselling": "counseling",
    "enrolment": "enrollment", "fulfil": "fulfill", "ageing": "aging", "cheque": "check",
    "defence": "defense", "practise": "practice", "colleagues'": "colleagues",
}
_SPELLINGS.update({v: k for k, v in list(_SPELLINGS.items()) if v not in _SPELLINGS})
_VOWELS = set("aeiou")


def normalise_phrase(phrase: str) -> str:
    """Lower-case (unless an acronym), hyphens and slashes to spaces, single spaces."""
    text = phrase.translate(MATCH_TRANSLATION)
    return " ".join((text if is_acronym(phrase) else text.lower()).split())


def phrase_forms(phrase: str) -> set[str]:
    """Every literal string a plain phrase matches (before case folding).

    The last word gets all simple inflections; earlier words of four letters or more their
    plural and spelling variants only ("social workers leaving"), short words ("of", "the") none,
    which keeps the number of forms small. Acronyms get plural and possessive only.
    """
    words = normalise_phrase(phrase).split(" ")
    if is_acronym(phrase):
        base = " ".join(words)
        return {base, base + "s", base + "'s"}
    options = [_inner_forms(w) for w in words[:-1]] + [word_forms(words[-1])]
    forms = {""}
    for choices in options:
        forms = {f"{f} {c}".strip() for f in forms for c in choices}
    return forms


def word_forms(word: str) -> set[str]:
    """A word with its plural, possessive, -ed, -ing and -ment forms, in both spellings."""
    forms = _light_forms(word)
    if len(word) <= 3 or not word.isalpha() or word.endswith(_NOT_VERBS) or _is_plural(word):
        return forms
    stem = word[:-1] if word.endswith("e") else word
    if word.endswith("e"):
        forms |= {word + "d", stem + "ing"}
    elif word.endswith("y") and word[-2] not in _VOWELS:
        forms |= {word[:-1] + "ied", word + "ing"}
    else:
        forms |= {word + "ed", word + "ing"}
        if _cvc(word):
            forms |= {word + word[-1] + "ed", word + word[-1] + "ing"}
    forms |= {word + "ment", word + "ments"}
    return forms | {s for f in forms for s in _spellings(f)}


_NOT_VERBS = ("tion", "sion", "ness", "ity", "ship", "ing", "ed", "ment", "ance", "ence", "ism", "ist")


def _is_plural(word: str) -> bool:
    """'leavers', 'courses' are already plural; 'stress', 'census', 'crisis' are not."""
    return word.endswith("s") and not word.endswith(("ss", "us", "is"))


def _light_forms(word: str) -> set[str]:
    """The word, its plural and possessives ("worker's", "workers'"), in both spellings."""
    if not word.isalpha():
        return {word}
    if _is_plural(word):
        forms = {word, word + "'"}
    else:
        plural = _plural(word)
        forms = {word, word + "'s", plural, plural + "'"}
    return {s for f in forms for s in _spellings(f)}


def _inner_forms(word: str) -> set[str]:
    """A word before the last one: itself and its plural (four letters or more), both spellings."""
    plural = len(word) > 3 and word.isalpha() and not _is_plural(word)
    return {s for f in ({word, _plural(word)} if plural else {word}) for s in _spellings(f)}


def _plural(word: str) -> str:
    if word.endswith("y") and len(word) > 1 and word[-2] not in _VOWELS:
        return word[:-1] + "ies"
    if word.endswith(("s", "x", "z", "ch", "sh")):
        return word + "es"
    return word + "s"


def _cvc(word: str) -> bool:
    """Consonant-vowel-consonant ending (plan -> planned), so the consonant doubles."""
    return (
        len(word) >= 3 and word[-1] not in _VOWELS | set("wxy") and word[-2] in _VOWELS and word[-3] not in _VOWELS
    )


def _spellings(form: str) -> set[str]:
    out = {form}
    if form in _SPELLINGS:
        out.add(_SPELLINGS[form])
    if not form.endswith(_SPELLING_ENDINGS) and len(out) == 1:  # most words: no rule applies
        return out
    for pattern, repl in _SPELLING_RULES:
        out |= {pattern.sub(repl, f) for f in list(out)}
    return out


_IZE = ("e", "ed", "es", "ing", "ation", "ations", "ational", "ationally", "er", "ers")
_OUR = ("", "s", "ed", "ing", "al", "able", "ite", "ites")
_SPELLING_RULES = [
    (re.compile(rf"is({'|'.join(_IZE)})$"), r"iz\1"),
    (re.compile(rf"iz({'|'.join(_IZE)})$"), r"is\1"),
    (re.compile(rf"our({'|'.join(_OUR[1:])})?$"), r"or\1"),
    (re.compile(r"([^aeiou])tre(s)?$"), r"\1ter\2"),
]
_SPELLING_ENDINGS = (  # words not ending so are left alone (the rules above are slow to try on every word)
    tuple(f"{s}{e}" for s in ("is", "iz") for e in _IZE) + tuple(f"our{e}" for e in _OUR) + ("tre", "tres"))
