"""The page text the final publish check reads (scrutiny_kit/report/text.py)."""
from __future__ import annotations

from scrutiny_kit.report.privacy import find_personal_data
from scrutiny_kit.report.text import visible_text


def _found(page: str) -> list[tuple[str, str]]:
    return [(h.kind, h.text) for h in find_personal_data(visible_text(page), names=["Jo Bloggs"])]


def test_text_between_tags_is_read_with_tags_as_breaks() -> None:
    assert visible_text("<p>Caseloads rose to 26.</p><p>Vacancies fell.</p>").split() == [
        "Caseloads", "rose", "to", "26.", "Vacancies", "fell."]


def test_inline_elements_run_on_as_a_reader_sees_them() -> None:
    assert "Jo Bloggs" in visible_text("<p><b>Jo</b> <i>Blo</i><span>ggs</span></p>")
    assert _found("<p>Ring 0113 <span>496</span> 0000</p>") == [("phone", "0113 496 0000")]


def test_spoken_attributes_are_read_in_every_quoting_style() -> None:
    assert _found('<img alt="Jo Bloggs at her desk">') == [("name", "Jo Bloggs")]
    assert _found("<img alt='Jo Bloggs at her desk'>") == [("name", "Jo Bloggs")]
    assert _found("<abbr title=07700900123>mobile</abbr>") == [("phone", "07700900123")]
    assert _found("<a href=x ARIA-LABEL='Email jo@leeds.gov.uk'>email</a>") == [("email", "jo@leeds.gov.uk")]
    assert _found("<input placeholder='AB 12 34 56 C'>") == [("ni_number", "AB 12 34 56 C")]


def test_character_references_are_decoded_in_text_and_attributes() -> None:
    assert _found("<p>jo&#64;leeds.gov.uk</p>") == [("email", "jo@leeds.gov.uk")]
    assert _found('<img alt="Jo&nbsp;Bloggs">') == [("name", "Jo\xa0Bloggs")]
    assert _found("<p title='0113&#x20;496&#32;0000'>x</p>") == [("phone", "0113 496 0000")]
    assert visible_text("<p>Fish &amp; chips &lt;3</p>").split() == ["Fish", "&", "chips", "<3"]


def test_styles_scripts_comments_and_drawings_are_not_page_text() -> None:
    page = ("<style>p::after{content:'0113 496 0000'}</style><script>var t = '<p>Jo Bloggs</p>';</script>"
            "<!-- Jo Bloggs --><svg><text>07700 900123</text></svg><p>26 staff</p>")
    assert visible_text(page).split() == ["26", "staff"]


def test_a_drawing_speaks_its_label() -> None:
    assert _found('<svg aria-label="Caseloads, Jo Bloggs"><text>26</text></svg>') == [("name", "Jo Bloggs")]


def test_an_unclosed_drawing_or_script_hides_nothing() -> None:
    assert _found("<svg><text>26</text><p>Call 07700 900123</p>") == [("phone", "07700 900123")]
    assert _found("<p>ok</p><script>Jo Bloggs") == [("name", "Jo Bloggs")]
