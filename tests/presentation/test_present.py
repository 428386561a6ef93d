"""HTML fragments: escaping, headings and ids, accessible tables, RAG labels, commentary, determinism."""
from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
from markupsafe import Markup

from fixtures.findings import sample
from scrutiny_kit.presentation import present
from scrutiny_kit.analysis.findings import Findings, build_findings
from scrutiny_kit.analysis.recommendations import rate

ATTACK = "<img src=x onerror=alert(1)>"
COMMENTARY = {
    "introduction": "The committee visited five teams.\n\n## Background\n\nSee the scoping report.",
    "caseload_workload": "Officers **accept** the finding.\n\n<script>alert('x')</script>",
    "conclusion": "The review was worthwhile.",
}
CHARTS = {"caseload_avg": ['<figure class="chart" id="fig-caseload_avg">'
                          '<svg role="img" aria-label="Average caseload, 2021 to 2024"></svg></figure>']}


def build(**overrides) -> Findings:
    kwargs = dict(measures=sample.measures(), describe_measure=sample.describe,
                  recommendations=rate(sample.recommendations(), sample.REPORT_DATE), commentary=COMMENTARY,
                  report_date=sample.REPORT_DATE, title="Frontline social work", authority="Example County Council")
    kwargs.update(overrides)
    return build_findings(sample.coded(), sample.codebook(), **kwargs)


@pytest.fixture(scope="module")
def findings() -> Findings:
    return build()


@pytest.fixture(scope="module")
def page(findings: Findings) -> str:
    return str(present.chapter_html(findings, CHARTS, sample.codebook()))


class Elements(HTMLParser):
    """Start tags with attributes, in order."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str | None]]] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, dict(attrs)))

    def all(self, tag: str) -> list[dict[str, str | None]]:
        return [a for t, a in self.found if t == tag]


def headings(html: str) -> list[tuple[str, str]]:
    return [(m[1], re.sub(r"<[^>]+>", "", m[2])) for m in re.finditer(r"<(h[1-6])[^>]*>(.*?)</\1>", html, re.S)]


# --- escaping ------------------------------------------------------------------------------------------

def test_point_text_is_escaped(findings: Findings, page: str) -> None:
    html = str(present.other_issues_html(findings))
    assert "&lt;img src=x onerror=alert(1)&gt; the office printer" in html
    assert ATTACK not in page
    assert not any("onerror" in attrs for _, attrs in Elements(page).found)


def test_recommendation_text_is_escaped(findings: Findings) -> None:
    html = str(present.recommendations_html(findings))
    assert "Report back to &lt;b&gt;committee&lt;/b&gt;" in html
    assert "Children&#39;s Social Care" in html


def test_user_text_everywhere_is_escaped() -> None:
    coded = sample.coded()
    coded.loc[coded["source"] == "a-north-2025-02-03.md", "team"] = "<b>North</b>"
    book = sample.codebook()
    book.themes[0] = sample.Theme("caseload_workload", "Caseloads <i>and</i> workload", "<u>def</u>",
                                  measures=["caseload_avg"])
    f = build_findings(coded, book, recommendations=rate(sample.recommendations(), sample.REPORT_DATE),
                       report_date=sample.REPORT_DATE)
    html = str(present.chapter_html(f))
    assert {t for t, _ in Elements(html).found}.isdisjoint({"b", "i", "u", "img", "script"})
    assert "&lt;b&gt;North&lt;/b&gt;" in html and "Caseloads &lt;i&gt;and&lt;/i&gt; workload" in html


def test_render_autoescapes() -> None:
    assert "&lt;script&gt;" in str(present.render("conclusion.html.j2", number=5, commentary="<script>"))
    assert "<em>ok</em>" in str(present.render("conclusion.html.j2", number=5, commentary=Markup("<em>ok</em>")))


# --- commentary ----------------------------------------------------------------------------------------

def test_commentary_is_placed_verbatim_and_sanitised(findings: Findings, page: str) -> None:
    section = str(present.theme_html(findings, findings.section("caseload_workload")))
    assert '<div class="commentary">' in section
    assert "<p>Officers <strong>accept</strong> the finding.</p>" in section
    assert "<script" not in page.lower()
    assert "<p>&lt;script&gt;alert('x')&lt;/script&gt;</p>" in section  # shown as text, never run
    assert findings.section("caseload_workload").lead in section  # generated text sits beside it, untouched


def test_introduction_and_conclusion_commentary(findings: Findings) -> None:
    intro = str(present.introduction_html(findings))
    assert "<p>The committee visited five teams.</p>" in intro
    assert "<h3>Background</h3>" in intro  # shifted below the chapter's h2
    conclusion = str(present.conclusion_html(findings))
    assert "<h2>5. Conclusion</h2>" in conclusion and "The review was worthwhile." in conclusion


def test_no_conclusion_chapter_without_commentary() -> None:
    f = build(commentary={})
    assert str(present.conclusion_html(f)) == ""
    assert [c.id for c in present.chapters(f)] == ["introduction", "findings", "other-issues", "recommendations"]
    assert "This report sets out the evidence gathered" in str(present.introduction_html(f))


# --- structure -----------------------------------------------------------------------------------------

def test_headings_are_numbered_h2_chapters_and_h3_sections(page: str) -> None:
    found = headings(page)
    assert not any(level == "h1" for level, _ in found)
    assert [text for level, text in found if level == "h2"] == [
        "Contents", "1. Introduction and method", "2. Findings by theme", "3. Other issues raised",
        "4. Recommendations and executive response", "5. Conclusion", "Appendix. The codebook"]
    assert [text for level, text in found if level == "h3" and text[0].isdigit()] == [
        "1.1 Method", "1.2 Themes by team", "2.1 Caseloads and workload", "2.2 IT systems", "2.3 Agency staff",
        "2.4 Supervision and training", "4.1 Gap check"]


def test_heading_levels_never_skip(page: str) -> None:
    levels = [int(level[1]) for level, _ in headings(page)]
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:]))


def test_theme_sections_have_ids_and_ids_are_unique(page: str) -> None:
    ids = [a["id"] for _, a in Elements(page).found if "id" in a]
    assert [i for i, n in Counter(ids).items() if n > 1] == []
    for theme in ("caseload_workload", "it_systems", "agency_staff", "supervision_training"):
        assert f"theme-{theme}" in ids
    for anchor in re.findall(r'href="#([^"]+)"', page):
        assert anchor in ids, anchor


def test_contents_lists_chapters_in_order(findings: Findings) -> None:
    nav = str(present.contents_html(present.chapters(findings)))
    assert nav.startswith('<nav class="contents"')
    assert re.findall(r'href="#([^"]+)"', nav) == [
        "introduction", "method", "overview", "findings", "theme-caseload_workload", "theme-it_systems",
        "theme-agency_staff", "theme-supervision_training", "other-issues", "recommendations", "gap-check",
        "conclusion"]


def test_tables_have_captions_and_scoped_headers(page: str) -> None:
    tables = re.findall(r"<table.*?</table>", page, re.S)
    assert len(tables) == 6  # heatmap, themes at a glance, two count tables, the tracker, the codebook
    for table in tables:
        assert "<caption" in table
        assert all("scope=" in th for th in re.findall(r"<th\b[^>]*>", table))


def test_method_section(findings: Findings) -> None:
    html = str(present.method_html(findings))
    assert "notes of 5 visits to 5 teams (Ashfield Team, East Team, North Team, South Team and West Team)" in html
    assert "between 3 February and 12 March 2025" in html
    assert "One exempt note not shown" in html
    assert '<a href="#codebook">' in html
    assert "phrase matching" in html
    assert ("cue words read in context, such as \u201cworried\u201d or \u201ctoo many\u201d for a concern and "
            "\u201chelpful\u201d for a positive comment") in html
    assert "two of its ambiguous ones" in html and "A heading never gives a theme on its own" in html
    assert "ordered by the number of visits" in html
    assert "the other 2 are listed in full in section 3" in html


def test_exempt_note_words() -> None:
    assert present.exempt_sentence(0) == "No notes were marked confidential."
    one = present.exempt_sentence(1)
    assert one.startswith("One exempt note not shown: it was marked confidential") and "none of its points" in one
    assert present.exempt_sentence(3).startswith("Three exempt notes not shown: they were marked confidential")


def test_method_when_every_point_matched_a_theme() -> None:
    coded = sample.coded()
    f = build_findings(coded.loc[coded["theme"] != ""], sample.codebook())
    html = str(present.method_html(f))
    assert "All 10 points matched at least one theme." in html and "listed in full" not in html


def test_overview_heatmap(findings: Findings) -> None:
    html = str(present.overview_html(findings))
    assert '<table class="heatmap">' in html
    assert '<th scope="col">North Team</th>' in html
    row = re.search(r'<tr><th scope="row"><a href="#theme-caseload_workload">.*?</tr>', html).group(0)
    cells = re.findall(r'<td class="(cell-\d|total)">(.*?)</td>', row)
    assert [re.sub(r"<[^>]+>", "", text) for _, text in cells] == [
        "1", "1 (1 concern)", "1 (1 concern)", "0", "1 (1 concern)", "4 (3 concerns)"]
    assert cells[3][0] == "cell-0" and cells[0][0] == "cell-4"


def test_findings_chapter_places_charts_once_as_markup(findings: Findings) -> None:
    html = str(present.findings_html(findings, CHARTS))
    assert html.count('<figure class="chart" id="fig-caseload_avg">') == 1
    assert "The average caseload was 26 against a target of 24 in 2024." in html
    assert '<cite class="citation">North Team, 3 February 2025, visit 1, point 1</cite>' in html
    assert '<a href="#rec-r1">Recommendation R1</a>' in html
    it = str(present.theme_html(findings, findings.section("it_systems")))
    assert "No recommendation addresses this theme." in it


# --- recommendations -----------------------------------------------------------------------------------

def test_recommendations_table(findings: Findings) -> None:
    html = str(present.recommendations_html(findings))
    assert "There are 5 recommendations: 5 accepted." in html
    rows = dict(re.findall(r'<tr id="(rec-[^"]+)">(.*?)</tr>', html, re.S))
    assert list(rows) == ["rec-r1", "rec-r2", "rec-r3", "rec-r4", "rec-r5"]
    assert '<span class="rag rag-red">Red</span> <span class="rag-reason">overdue by 1 day</span>' in rows["rec-r5"]
    assert '<span class="rag rag-amber">Amber</span> <span class="rag-reason">due in 30 days</span>' in rows["rec-r2"]
    assert '<span class="rag rag-blue">Blue</span>' in rows["rec-r4"] and "No due date" in rows["rec-r4"]
    assert '<a href="#theme-agency_staff">Agency staff</a>' in rows["rec-r2"]
    assert "Pay and conditions <span class=\"note\">(not raised in the visits)</span>" in rows["rec-r3"]
    assert '<th scope="row">R1</th>' in rows["rec-r1"] and "30 June 2025" in rows["rec-r1"]
    assert "Themes: none given" in rows["rec-r5"]
    assert "<strong>Accepted</strong>" in rows["rec-r1"] and "<strong>In progress</strong>" in rows["rec-r1"]
    header = re.search(r'<table class="recommendations">.*?</thead>', html, re.S).group(0)
    assert re.findall(r'<th scope="col">(.*?)</th>', header) == [
        "No.", "Recommendation and themes", "Owner", "Executive response and action", "Due",
        "Status and latest update", "RAG rating"]


def test_counts_and_the_rag_rule_are_shown(findings: Findings) -> None:
    html = str(present.recommendations_html(findings))
    assert '<tr><th scope="row"><span class="rag rag-red">Red</span></th><td class="num">1</td></tr>' in html
    assert '<tr><th scope="row">Accepted</th><td class="num">5</td></tr>' in html
    assert "How the RAG rating is worked out" in html
    assert "Due within 30 days of the report date, including due on the report date." in html
    # every RAG colour is paired with its word
    for span in re.findall(r'<span class="rag rag-(\w+)">(\w+)</span>', html):
        assert span[0] == span[1].lower()


def test_empty_tracker(findings: Findings) -> None:
    f = build(recommendations=rate(sample.recommendations().iloc[0:0], sample.REPORT_DATE))
    assert "has no recommendations yet" in str(present.recommendations_html(f))


# --- gap check -----------------------------------------------------------------------------------------

def test_gap_check_lists_both_directions(findings: Findings) -> None:
    html = str(present.gaps_html(findings))
    assert "<h3>4.1 Gap check</h3>" in html
    assert ('<li><a href="#theme-it_systems">IT systems</a>: raised as a concern in 2 visits, '
            'with no recommendation.</li>') in html
    assert ('<a href="#rec-r3">Recommendation R3</a>: no visit raised Pay and conditions (pay_conditions).<br>'
            '<span class="note">Review pay grades</span>') in html
    assert "Recommendation R5</a>: no themes given" in html
    assert '<span class="note">Report back to &lt;b&gt;committee&lt;/b&gt;</span>' in html
    assert "No gaps found" not in html


def test_gap_check_says_no_gaps_found() -> None:
    recs = sample.recommendations()
    recs = recs.loc[recs["id"].isin(["R1", "R2", "R4"])].reset_index(drop=True)
    extra = recs.iloc[[0]].assign(id="R9", themes=[["it_systems"]])
    f = build(recommendations=rate(pd.concat([recs, extra], ignore_index=True), sample.REPORT_DATE))
    assert "No gaps found" in str(present.gaps_html(f))


# --- other issues and determinism ----------------------------------------------------------------------

def test_other_issues_chapter(findings: Findings) -> None:
    html = str(present.other_issues_html(findings))
    assert "<h2>3. Other issues raised</h2>" in html
    assert "Two points matched no theme" in html
    assert html.count('<blockquote class="excerpt">') == 2
    assert "SECRET" not in html


def test_confidential_text_is_nowhere_in_the_page(page: str) -> None:
    assert "SECRET" not in page and "f-north-2025-03-14.md" not in page


def test_html_is_deterministic(findings: Findings, page: str) -> None:
    assert str(present.chapter_html(build(), CHARTS, sample.codebook())) == page


# --- in a real browser ---------------------------------------------------------------------------------

def test_chapters_are_accessible_and_script_free_in_chromium(page: str, open_page, tmp_path) -> None:
    """The fragments inside a minimal page with the report stylesheet: axe (WCAG 2.2 AA) finds nothing, and the
    `<img onerror>` point text and `<script>` commentary never run (no dialogs, no page errors)."""
    import browser as harness

    css = (Path(present.__file__).parents[1] / "templates" / "nbconvert" / "scrutiny" / "report.css").read_text()
    html_path = tmp_path / "report.html"
    html_path.write_text(
        '<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>Test report</title>'
        f'<style>{css}</style></head><body><main id="main"><h1>Frontline social work</h1>{page}</main>'
        "</body></html>", encoding="utf-8")
    with open_page(html_path) as browser_page:
        harness.assert_accessible(browser_page)
        harness.assert_clean(browser_page)


def test_findings_chapter_opens_with_a_theme_summary_table() -> None:
    """Issue 3's theme summary (points, visits, teams, concerns, positives, first and last date) leads chapter 2."""
    findings = build_findings(_summary_coded(), _summary_codebook())
    html = present.findings_html(findings)
    table = html.split('<table class="theme-summary">')[1].split("</table>")[0]
    rows = table.split("<tbody>")[1].split("</tr>")[:-1]
    first = rows[0]
    assert 'href="#theme-caseload_workload"' in first and "2.1 Caseloads" in first
    # 3 points in 2 visits, teams in the order visited, 2 concerns and 1 positive
    assert '<td class="num">3</td><td class="num">2</td><td>North, East</td><td class="num">2</td><td class="num">1</td>' in first
    assert "<td>10 January 2025</td><td>12 February 2025</td>" in first
    assert len(rows) == len(findings.sections)


def _summary_codebook():
    from types import SimpleNamespace as NS

    themes = [NS(id="caseload_workload", label="Caseloads", definition="Cases held.", measures=[], parent=None),
              NS(id="it_systems", label="IT", definition="Systems.", measures=[], parent=None)]
    return NS(themes=themes, ids=[t.id for t in themes], source="codebook.yaml", tone=None)


def _summary_coded():
    import datetime as dt

    import pandas as pd

    rows = [
        ("n.md", 1, dt.date(2025, 1, 10), "North", "caseload_workload", "concern", "Caseloads are too high."),
        ("n.md", 2, dt.date(2025, 1, 10), "North", "caseload_workload", "positive", "Caseloads fell."),
        ("e.md", 1, dt.date(2025, 2, 12), "East", "caseload_workload", "concern", "Caseloads are rising."),
        ("e.md", 2, dt.date(2025, 2, 12), "East", "it_systems", "neutral", "New laptops arrived."),
    ]
    return pd.DataFrame([{"source": s, "point": p, "line": p, "date": d, "team": t, "authority": "A", "visitors": "",
                          "confidential": False, "heading": "", "text": x, "theme": th, "matched": "", "tone": tone}
                         for s, p, d, t, th, tone, x in rows])


def test_the_tracker_is_shown_in_the_councils_own_words() -> None:
    """A real tracker file: narrative response, 'Accepted in principle', 'Noted', a blank status."""
    from scrutiny_kit.sources.recommendations import load_recommendations

    path = Path(__file__).parents[1] / "fixtures" / "recommendations" / "narrative.csv"
    recs = load_recommendations(path, theme_ids=set(sample.codebook().ids))
    html = str(present.recommendations_html(build(recommendations=rate(recs, sample.REPORT_DATE))))
    rows = dict(re.findall(r'<tr id="(rec-[^"]+)">(.*?)</tr>', html, re.S))
    assert ("Agreed. Cabinet asked the Cabinet Member for Children to report progress to the committee in six "
            "months. (counted as accepted)") in rows["rec-1"]
    assert "On track (counted as in progress)" in rows["rec-1"]
    assert "Accepted in principle (counted as accepted)" in rows["rec-2"]
    assert "<strong>Not recorded</strong>" in rows["rec-2"] and "ot started" not in rows["rec-2"]
    assert "<strong>Noted</strong>" in rows["rec-3"] and "counted as" not in rows["rec-3"]
    assert "<strong>Accepted</strong>" in rows["rec-4"] and "<strong>Complete</strong>" in rows["rec-4"]
    assert "Partially accepted (counted" not in html and "Partially accepted</strong>" not in html
    assert "There are 4 recommendations: 3 accepted and 1 noted." in html
    assert '<tr><th scope="row">Noted</th><td class="num">1</td></tr>' in html
    assert '<span class="rag-reason">no status recorded</span>' in rows["rec-2"]


def test_the_codebook_is_an_appendix_inside_the_page(page: str) -> None:
    appendix = page[page.index('<section id="codebook"'):]
    assert '<a href="#codebook">Appendix: the codebook</a>' in page  # in the contents
    assert '<th scope="row">Caseloads and workload</th>' in appendix
    assert "How many children each worker holds." in appendix and "Average caseload" in appendix
    assert 'href="codebook.yaml"' not in page


def test_method_lists_the_visits_and_citations_number_them(findings: Findings, page: str) -> None:
    html = str(present.method_html(findings))
    visits = re.findall(r"<li>(Visit \d+: [^<]+)</li>", html)
    assert visits == ["Visit 1: North Team, 3 February 2025", "Visit 2: East Team, 10 February 2025",
                      "Visit 3: Ashfield Team, 17 February 2025", "Visit 4: South Team, 3 March 2025",
                      "Visit 5: West Team, 12 March 2025"]
    assert not re.search(r"[a-z]-[a-z]+-\d{4}-\d{2}-\d{2}\.md", page)  # no working file name is published
