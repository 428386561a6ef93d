"""The publish check: each pattern's true positives, the near-misses that must not trip, redaction."""
from __future__ import annotations

from collections import Counter

import pytest

from scrutiny_kit.errors import Problem, PublishCheckError
from scrutiny_kit.report.privacy import (
    REDACTED,
    Hit,
    check_or_redact,
    find_personal_data,
    redact,
    scan,
)


def kinds_and_texts(text: str, names=()) -> list[tuple[str, str]]:
    return [(h.kind, h.text) for h in find_personal_data(text, names=names)]


def assert_finds(kind: str, text: str, found: str, names=()) -> None:
    """``found`` is reported, once, as ``kind`` when it sits in a sentence."""
    sentence = f"On the visit we were told {text} and then we left."
    assert kinds_and_texts(sentence, names) == [(kind, found)]


def assert_clean(text: str, names=()) -> None:
    sentence = f"On the visit we were told {text} and then we left."
    assert find_personal_data(sentence, names=names) == []


# --------------------------------------------------------------------------- email

@pytest.mark.parametrize(
    "text",
    [
        "jo.bloggs@leeds.gov.uk",
        "JB+scrutiny@example.org",
        "first_last-2@sub.domain.co.uk",
        "a@b.io",
    ],
)
def test_email_found(text):
    assert_finds("email", text, text)


def test_email_in_mailto_and_brackets():
    assert kinds_and_texts("<jo@example.com>, mailto:sam@example.org.") == [
        ("email", "jo@example.com"),
        ("email", "sam@example.org"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "@LeedsCC on social media",
        "logo@2x.png",
        "icon@3x.svg",
        "pkg@1.2.3",
        "an @ sign",
        "user@localhost",
    ],
)
def test_email_near_misses(text):
    assert_clean(text)


# --------------------------------------------------------------------------- phone

@pytest.mark.parametrize(
    "text",
    [
        "01632 960 123",
        "01632 960123",
        "(0113) 496 0000",
        "0113 496 0000",
        "0113-496-0000",
        "07700 900123",
        "07700 900 123",
        "07700900123",
        "+44 7700 900123",
        "+447700900123",
        "020 7946 0018",
        "(020) 7946 0018",
        "+44 (0)20 7946 0018",
        "+44 20 7946 0018",
        "0044 20 7946 0018",
        "0800 123 456",
        "0300\u00a0123\u00a04567",
    ],
)
def test_phone_found(text):
    assert_finds("phone", text, text)


def test_phone_after_label_and_in_tel_link():
    assert kinds_and_texts("Tel:07700 900123 / tel:+441134960000") == [
        ("phone", "07700 900123"),
        ("phone", "+441134960000"),
    ]


def test_phone_trailing_number_is_not_swallowed():
    assert kinds_and_texts("Call 0113 496 0000 12 visits later") == [("phone", "0113 496 0000")]
    assert kinds_and_texts("Call 07700900123 45 times") == [("phone", "07700900123")]
    assert kinds_and_texts("Call +447700900123 45 times") == [("phone", "+447700900123")]


@pytest.mark.parametrize(
    "text",
    [
        "12/03/2024",
        "01/03/2024",
        "£400,000",
        "£1,250,000.00",
        "98.31 FTE",
        "0.98",
        "45.5%",
        "2015-16",
        "2015/16 to 2023/24",
        "10:30",
        "case 0042731",
        "reference 01234567",
        "REF01632960123",
        "12.01632 960123",
        "Recommendation 12",
        "section 17 of the Children Act 1989",
        "ISBN 0123456789",
        "ISBN-10: 0-306-40615-2",
        "ISBN 978-0-12-345678-9",
        "scores 0 1 2 3 4 5 6 7 8 9 10",
        "0113 496 00",  # too short
        "0207 946 001",  # 10 digits: too short for an 02 number
        "020 7946 00181",  # too long for an 02 number
        "0406 123 4567",  # 04 is not used
        "01 02 03 04 05",
        "+44 1234 567",
        "100 000 000",
    ],
)
def test_phone_near_misses(text):
    assert_clean(text)


# --------------------------------------------------------------------------- NI number

@pytest.mark.parametrize(
    "text",
    ["AB 12 34 56 C", "AB123456C", "ab 12 34 56 c", "AB-12-34-56-D", "JG 10 37 59 A", "ZX 99 99 99 B"],
)
def test_ni_number_found(text):
    assert_finds("ni_number", text, text)


@pytest.mark.parametrize(
    "text",
    [
        "QQ 12 34 56 C",  # Q is never used: this is HMRC's example number
        "DA 12 34 56 C",  # D not allowed first
        "FA 12 34 56 C",
        "IA 12 34 56 C",
        "UA 12 34 56 C",
        "VA 12 34 56 C",
        "AO 12 34 56 C",  # second letter not O
        "AD 12 34 56 C",  # nor D F I Q U V
        "AV 12 34 56 C",
        "BG 12 34 56 A",  # prefixes never issued
        "GB 12 34 56 A",
        "NK 12 34 56 A",
        "KN 12 34 56 A",
        "TN 12 34 56 A",
        "NT 12 34 56 A",
        "ZZ 12 34 56 A",
        "AB 12 34 56 E",  # suffix only A-D
        "AB 12 34 56",  # no suffix
        "AB 12 34 5 C",
        "XAB123456C",  # inside a longer code
        "AB123456CD",
    ],
)
def test_ni_number_near_misses(text):
    assert_clean(text)


# --------------------------------------------------------------------------- address

@pytest.mark.parametrize(
    "text",
    [
        "14 Acacia Avenue, Leeds LS6 2AB",
        "22 High Street, Westminster, London SW1A 1AA",
        "22 High Street, London, SW1A1AA",
        "3a The Grange, Leeds LS6 2AB",
        "14-16 acacia avenue, leeds ls6 2ab",
        "7 Church Lane, Stockton-on-Tees TS18 1AB",
        "5 Market Place, Newcastle upon Tyne NE1 4XF",
        "9 Oak Rd, Manchester M1 1AE",
    ],
)
def test_address_found(text):
    assert_finds("address", text, text)


def test_address_over_several_lines_and_br():
    assert kinds_and_texts("Home:\n14 Acacia Avenue\nLeeds\nLS6 2AB\n") == [
        ("address", "14 Acacia Avenue\nLeeds\nLS6 2AB")
    ]
    assert kinds_and_texts("<p>14 Acacia Avenue<br>Leeds<br/>LS6 2AB</p>") == [
        ("address", "14 Acacia Avenue<br>Leeds<br/>LS6 2AB")
    ]


def test_address_starts_at_house_number_not_flat_number():
    assert kinds_and_texts("Flat 3, 14 Acacia Avenue, Leeds LS6 2AB") == [
        ("address", "14 Acacia Avenue, Leeds LS6 2AB")
    ]


@pytest.mark.parametrize(
    "text",
    [
        "the LS6 office",
        "teams in LS6 and LS7",
        "the office at LS6 2AB",  # postcode alone
        "Civic Hall, Calverley Street, Leeds LS1 1UR",  # no house number
        "14 Acacia Avenue, Leeds",  # no postcode
        "14 Acacia Avenue, Leeds LS6",  # district only
        "12 councillors met at LS2 8BB",
        "Recommendation 12 Leeds LS6 2AB",
        "see paragraph 4 Leeds LS6 2AB",
        "2015-16 Leeds LS6 2AB",
        "10:30 Leeds LS6 2AB",
        "£400 Leeds LS6 2AB",
    ],
)
def test_address_near_misses(text):
    assert_clean(text)


# --------------------------------------------------------------------------- names

NAMES = ["Jo Bloggs", "Ann", "Sinead O'Neil"]


@pytest.mark.parametrize(
    "text, found",
    [
        ("Jo Bloggs", "Jo Bloggs"),
        ("jo bloggs", "jo bloggs"),
        ("JO BLOGGS", "JO BLOGGS"),
        ("Jo Bloggs's caseload", "Jo Bloggs"),
        ("Jo Bloggs' caseload", "Jo Bloggs"),
        ("Jo Bloggs\u2019s caseload", "Jo Bloggs"),
        ("Jo\nBloggs", "Jo\nBloggs"),
        ("Jo  Bloggs", "Jo  Bloggs"),
        ("(Ann)", "Ann"),
        ("Ann's team", "Ann"),
        ("Sinead O'Neil", "Sinead O'Neil"),
        ("Sinead O\u2019Neil", "Sinead O\u2019Neil"),
    ],
)
def test_name_found(text, found):
    assert_finds("name", text, found, names=NAMES)


@pytest.mark.parametrize(
    "text",
    ["the Annual report", "Joanne", "Anne", "Banner", "Jo Bloggsworth", "Bloggs", "Jo", "Sinead ONeil"],
)
def test_name_near_misses(text):
    assert_clean(text, names=NAMES)


def test_no_names_means_no_name_hits():
    assert find_personal_data("Jo Bloggs said so", names=[]) == []
    assert find_personal_data("Jo Bloggs said so", names=["", "  "]) == []


def test_longer_name_wins_over_shorter_name():
    assert kinds_and_texts("Jo Bloggs and Jo", names=["Jo", "Jo Bloggs"]) == [
        ("name", "Jo Bloggs"),
        ("name", "Jo"),
    ]


def test_name_with_regex_characters_is_literal():
    assert kinds_and_texts("A.N. Other (Mrs) said", names=["A.N. Other"]) == [("name", "A.N. Other")]
    assert find_personal_data("AxNy Other said", names=["A.N. Other"]) == []


# --------------------------------------------------------------------------- overlaps

def test_name_inside_address_reported_once_as_address():
    text = "She lives at 14 Jo Bloggs Close, Leeds LS6 2AB."
    hits = find_personal_data(text, names=["Jo Bloggs"], where="note.md, point 2")
    assert hits == [Hit("address", "14 Jo Bloggs Close, Leeds LS6 2AB", "note.md, point 2", 13, 46)]
    assert text[hits[0].start : hits[0].end] == hits[0].text


def test_name_inside_email_reported_once_as_email():
    assert kinds_and_texts("write to jo.bloggs@example.org", names=["Bloggs"]) == [
        ("email", "jo.bloggs@example.org")
    ]


def test_partial_overlap_is_merged_so_nothing_leaks():
    # The name runs on past the start of the address's house number.
    text = "visited Acacia 14 Acacia Avenue, Leeds LS6 2AB today"
    hits = find_personal_data(text, names=["Visited Acacia 14 Acacia"])
    assert [(h.kind, h.text) for h in hits] == [("address", "visited Acacia 14 Acacia Avenue, Leeds LS6 2AB")]
    assert redact(text, names=["Visited Acacia 14 Acacia"])[0] == f"{REDACTED} today"


# --------------------------------------------------------------------------- offsets, scan

def test_hits_carry_offsets_and_where_in_text_order():
    text = "Ring 07700 900123 or email jo@example.com about AB 12 34 56 C."
    hits = find_personal_data(text, where="visit note northgate.md, point 4")
    assert [h.kind for h in hits] == ["phone", "email", "ni_number"]
    for h in hits:
        assert text[h.start : h.end] == h.text
        assert h.where == "visit note northgate.md, point 4"


def test_scan_reports_where_per_item():
    hits = scan(
        [("commentary.md", "Nothing personal here."), ("visit note a.md, point 1", "Jo on 07700 900123")],
        names=["Jo"],
    )
    assert [(h.where, h.kind, h.text) for h in hits] == [
        ("visit note a.md, point 1", "name", "Jo"),
        ("visit note a.md, point 1", "phone", "07700 900123"),
    ]


def test_empty_text():
    assert find_personal_data("") == []
    assert redact("") == ("", Counter())


# --------------------------------------------------------------------------- redaction

def test_redact_text_and_counts():
    text = (
        "Jo Bloggs's social worker (jo.bloggs@leeds.gov.uk, 07700 900123) visited "
        "14 Acacia Avenue, Leeds LS6 2AB; NI AB 12 34 56 C. jo bloggs agreed. "
        "The Annual report for 2015-16 cost £400,000 (98.31 FTE) on 12/03/2024 at 10:30."
    )
    out, counts = redact(text, names=["Jo Bloggs"])
    assert out == (
        "[redacted]'s social worker ([redacted], [redacted]) visited "
        "[redacted]; NI [redacted]. [redacted] agreed. "
        "The Annual report for 2015-16 cost £400,000 (98.31 FTE) on 12/03/2024 at 10:30."
    )
    assert counts == Counter({"name": 2, "email": 1, "phone": 1, "address": 1, "ni_number": 1})


def test_redact_is_idempotent():
    once, _ = redact("Call Jo on 07700 900123", names=["Jo"])
    twice, counts = redact(once, names=["Jo"])
    assert twice == once == "Call [redacted] on [redacted]"
    assert counts == Counter()


# --------------------------------------------------------------------------- check_or_redact

ITEMS = [
    ("commentary.md", "Caseloads fell to 18.5 in 2023-24."),
    ("visit note northgate.md, point 4", "Jo Bloggs can be reached on 07700 900123."),
]


def test_check_raises_with_one_problem_per_hit():
    with pytest.raises(PublishCheckError) as info:
        check_or_redact(ITEMS, names=["Jo Bloggs"], apply_redaction=False)
    err = info.value
    assert err.exit_code == 3
    assert err.problems == [
        Problem(file="visit note northgate.md, point 4", message="name found: 'Jo Bloggs'"),
        Problem(file="visit note northgate.md, point 4", message="phone number found: '07700 900123'"),
    ]
    assert "visit note northgate.md, point 4: phone number found: '07700 900123'" in str(err)


def test_check_passes_clean_items_through():
    items, counts = check_or_redact(ITEMS[:1], names=["Jo Bloggs"], apply_redaction=False)
    assert items == ITEMS[:1]
    assert counts == Counter()


def test_check_redacts_when_asked():
    items, counts = check_or_redact(iter(ITEMS), names=["Jo Bloggs"], apply_redaction=True)
    assert items == [
        ITEMS[0],
        ("visit note northgate.md, point 4", "[redacted] can be reached on [redacted]."),
    ]
    assert counts == Counter({"name": 1, "phone": 1})


# --------------------------------------------------------------------------- large text (speed: benchmarks/bench_privacy.py)

def test_large_text_finds_exactly_the_hits():
    para = (
        "The team at Northgate said caseloads were 18.5 on average in 2015-16, up 12% on 12/03/2024. "
        "Recommendation 12 was agreed; £400,000 was allocated for 98.31 FTE at 10:30 (case 0042731). "
        "The Annual report, see section 17 of the Children Act 1989, LS6 office. "
    )
    text = para * (5_000_000 // len(para)) + "Ring Jo on 07700 900123."
    hits = find_personal_data(text, names=["Jo", "Ann", "Sam Smith"])
    assert [(h.kind, h.text) for h in hits] == [("name", "Jo"), ("phone", "07700 900123")]


@pytest.mark.parametrize("text", [
    "J\u200bo Bloggs said so",  # zero-width space
    "Jo\u2060 Blog\u00adgs said so",  # word joiner, soft hyphen
    "Jo\u00a0Bloggs said so",  # no-break space
    "\uff2a\uff4f Bloggs said so",  # full-width letters
    "Jo \u202eBloggs\u202c said so",  # a right-to-left override around part of it
    "Jo\u034f Bloggs said so",  # combining grapheme joiner
])
def test_a_name_split_or_disguised_by_invisible_characters_is_still_found(text):
    [hit] = find_personal_data(text, names=["Jo Bloggs"])
    assert hit.kind == "name" and text[hit.start:hit.end] == hit.text and hit.text.endswith("s")
    assert redact(text, names=["Jo Bloggs"])[0].replace("\u202c", "") == "[redacted] said so"


def test_a_listed_name_written_with_invisible_characters_matches_plain_text():
    assert redact("Jo Bloggs was there", names=["J\u200bo  Bloggs"]) == ("[redacted] was there", Counter(name=1))


def test_check_or_redact_can_scan_a_respelling_of_the_same_length():
    items = [("visit note jo-bloggs.md (file name)", "jo-bloggs.md", "jo bloggs md")]
    with pytest.raises(PublishCheckError) as exc:
        check_or_redact(items, names=["Jo Bloggs"], apply_redaction=False)
    assert [str(p) for p in exc.value.problems] == ["visit note jo-bloggs.md (file name): name found: 'jo-bloggs'"]
    out, counts = check_or_redact(items, names=["Jo Bloggs"], apply_redaction=True)
    assert out == [("visit note jo-bloggs.md (file name)", "[redacted].md")] and counts == Counter(name=1)
