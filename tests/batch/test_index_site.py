"""outputs/index.html and outputs/themes_by_review.csv, built from hand-written manifest.json files.

Content, determinism and the chart are checked on the files; accessibility, sorting, filtering and the
page without JS in headless Chromium (tests/browser.py)."""
from __future__ import annotations

import csv
import datetime as dt
import json
import re
from pathlib import Path

from browser import assert_accessible, assert_clean, file_url

from scrutiny_kit.batch import index_site
from scrutiny_kit.batch.index_site import collect, write_index

from index_reviews import CASELOAD, REVIEWS, site, theme, write_review  # noqa: F401  (site: a fixture)

def two_review_description(tmp_path: Path, a: tuple[int, dict], b: tuple[int, dict]) -> str:
    """The index chart's description for reviews 'A' and 'B' given as (visits, themes)."""
    out = tmp_path / "outputs"
    for letter, (visits, themes) in zip("AB", (a, b)):
        write_review(out, letter.lower(), title=letter, authority=f"{letter} Council",
                     report_date=f"2025-0{'AB'.index(letter) + 1}-01", visits=visits, themes=themes)
    write_index(out)
    return re.search(r'<p id="themes-chart-desc">(.*?)</p>', (out / "index.html").read_text()).group(1)


def test_a_tie_for_most_visits_is_said_as_a_tie(tmp_path):
    description = two_review_description(
        tmp_path, (6, {"offices": theme("Offices", 5, 4, 5, 0), "caseload_workload": theme(CASELOAD, 3, 2, 3, 0),
                       "it_systems": theme("IT systems", 1, 1, 1, 0)}),
        (3, {"caseload_workload": theme(CASELOAD, 2, 2, 2, 0)}))
    assert description.startswith("Across 2 reviews, Caseloads and workload and Offices were raised on the most "
                                  "visits (4 visits each), followed by IT systems (1 visit).")
    assert "The highest single figure is Offices in A Council: 4 of 6 visits." in description


def test_chart_rows_are_told_apart_by_authority_then_date_then_title_then_id():
    def entry(rid, authority, day, title):
        return index_site.Entry(review_id=rid, title=title, authority=authority, committee="",
                                report_date=dt.date(2025, 5, day), visits=1, points=1, recommendations=0, rag={},
                                top_concerns=[], themes={}, href="")
    labelled = index_site._label_for_chart([
        entry("n", "North", 1, "Front door"), entry("s1", "South", 1, "Front door"),
        entry("s2", "South", 1, "Care leavers"), entry("s3", "South", 2, "Front door"),
        entry("w1", "West", 1, "Same"), entry("w2", "West", 1, "Same")])
    assert [e.chart_label for e in labelled] == [
        "North", "Front door (South, 1 May 2025)", "Care leavers (South, 1 May 2025)", "South, 2 May 2025",
        "w1", "w2"]


def test_ties_further_down_and_in_the_highest_cell_are_never_cut(tmp_path):
    description = two_review_description(
        tmp_path, (7, {"offices": theme("Offices", 9, 6, 5, 0), "it_systems": theme("IT systems", 3, 3, 3, 0),
                       "pay": theme("Pay", 3, 3, 1, 0), "morale": theme("Morale", 3, 3, 1, 0)}),
        (6, {"caseload_workload": theme(CASELOAD, 8, 6, 2, 0)}))
    assert description.startswith("Across 2 reviews, Caseloads and workload and Offices were raised on the most "
                                  "visits (6 visits each), followed by IT systems, Morale and Pay (3 visits each).")
    assert ("The highest single figure is shared by Caseloads and workload in B Council (6 of 6 visits) and "
            "Offices in A Council (6 of 7 visits).") in description


def test_collect_lists_rendered_reviews_newest_first_and_skips_the_rest(tmp_path):
    out = tmp_path / "outputs"
    for rid, summary in REVIEWS.items():
        write_review(out, rid, **summary)
    write_review(out, "northmoor-2025.failed", **REVIEWS["northmoor-2025"])  # a failed render's debug folder
    write_review(out, ".northmoor-2025.staging-x1", **REVIEWS["northmoor-2025"])
    (write_review(out, "never-finished", title="No report") / "report.html").unlink()
    (out / "broken").mkdir()
    (out / "broken" / "report.html").write_text("x")
    (out / "broken" / "working").mkdir()
    (out / "broken" / "working" / "manifest.json").write_text("{not json")
    entries = collect(out)
    assert [e.review_id for e in entries] == ["northmoor-2025", "eastvale-2024", "westbrook-2023"]
    first = entries[0]
    assert first.href == "northmoor-2025/report.html"
    assert first.top_concerns == [CASELOAD, "IT systems", "Agency staff"]
    assert first.rag == {"red": 2, "amber": 1, "green": 3, "blue": 1} and first.recommendations == 7
    assert first.report_date_label == "31 March 2025"


def test_a_manifest_without_summary_falls_back_to_its_params(tmp_path):
    folder = tmp_path / "old-review"
    folder.mkdir()
    (folder / "report.html").write_text("x")
    (folder / "working").mkdir()
    (folder / "working" / "manifest.json").write_text(json.dumps({"params": {"title": "An older review", "authority": "Oldtown",
                                                                 "committee": "Scrutiny", "report_date": "2021-05-04"}}))
    [entry] = collect(tmp_path)
    assert (entry.title, entry.authority, entry.report_date_label) == ("An older review", "Oldtown", "4 May 2021")
    assert entry.visits is None and entry.themes == {}
    page = index_site.render_index(index_site.build(tmp_path), svg=None)
    assert "An older review" in page and "not recorded" in page


def test_themes_csv_has_one_row_per_review_and_theme(site):
    rows = list(csv.DictReader((site / "themes_by_review.csv").open(encoding="utf-8")))
    assert list(rows[0]) == ["review_id", "authority", "theme", "label", "points", "visits", "concern", "positive"]
    assert len(rows) == 3 * 3  # every review x every theme any review raised, zeros filled in
    # themes by total visits: IT systems 19, caseload 10, agency 6; reviews newest first
    assert [(r["review_id"], r["theme"]) for r in rows[:3]] == [
        ("northmoor-2025", "it_systems"), ("northmoor-2025", "caseload_workload"), ("northmoor-2025", "agency_staff")]
    by_key = {(r["review_id"], r["theme"]): r for r in rows}
    assert by_key[("northmoor-2025", "caseload_workload")] == {
        "review_id": "northmoor-2025", "authority": "Northmoor County Council", "theme": "caseload_workload",
        "label": CASELOAD, "points": "14", "visits": "9", "concern": "12", "positive": "1"}
    assert by_key[("westbrook-2023", "agency_staff")]["points"] == "0"
    assert by_key[("eastvale-2024", "agency_staff")]["concern"] == "6"


def test_index_lists_every_review_with_links_dates_concerns_and_rag(site):
    html = (site / "index.html").read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>\n<html lang=\"en-GB\">")
    assert html.count("<h1>") == 1 and 'class="skip-link" href="#main"' in html and '<main id="main"' in html
    assert "<caption" in html and 'scope="col"' in html and 'scope="row"' in html
    assert "3 reviews from 3 authorities" in html
    # each link says which review it is, also out of its row (screen readers list links; titles may repeat)
    assert ('<a href="northmoor-2025/report.html">Frontline social work<span class="visually-hidden"> '
            '(Northmoor County Council, 31 March 2025)</span></a>') in html
    assert ('<a href="eastvale-2024/report.html">Agency staff &lt;and&gt; retention<span class="visually-hidden"> '
            '(Eastvale Borough Council, 1 June 2024)</span></a>') in html  # escaped
    assert "<and>" not in html
    assert '<time datetime="2025-03-31">31 March 2025</time>' in html
    assert '<ol class="concerns"><li>Caseloads and workload</li><li>IT systems</li><li>Agency staff</li></ol>' in html
    row = re.search(r'<tr data-order="0".*?</tr>', html, re.S).group(0)
    assert "Northmoor County Council" in row and '<td class="num" data-sort-value="12">12</td>' in row
    for text in ("2 red", "1 amber", "3 green", "1 blue"):
        assert f"{text}</span>" in row
    assert 'aria-label="7 recommendations"' in row
    # newest first without JS, and the header says so
    order = re.findall(r'<a href="([^"]+)/report.html">', html)
    assert order == ["northmoor-2025", "eastvale-2024", "westbrook-2023"]
    assert '<th scope="col" data-sort="text" aria-sort="descending">Report date</th>' in html
    assert '<label for="review-filter">Filter reviews</label>' in html


def test_index_is_self_contained_and_its_script_is_allowed_by_hash(site):
    html = (site / "index.html").read_text(encoding="utf-8")
    assert not re.search(r'(src|href)="(https?:)?//', html), "the page must not reference the network"
    assert "<link" not in html and "@import" not in html
    css = index_site.REPORT_CSS.read_text(encoding="utf-8")
    assert css.splitlines()[2].strip() in html  # the reports' stylesheet is inlined, not copied
    script = re.search(r"<script>(.*?)</script>", html, re.S).group(1)
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html).group(1)
    assert "default-src 'none'" in policy
    assert f"script-src '{index_site._csp_hash(script)}'" in policy  # the hash of the very text in the page
    source = (index_site.TEMPLATES_DIR / "index.js").read_text(encoding="utf-8")
    assert script.split() == source.split()


def test_chart_is_inline_svg_with_description_and_data_table(site):
    html = (site / "index.html").read_text(encoding="utf-8")
    figure = re.search(r'<figure class="chart".*?</figure>', html, re.S).group(0)
    assert re.search(r'<div class="chart-image" role="img" aria-labelledby="themes-chart-caption" '
                     r'aria-describedby="themes-chart-desc" data-chart-key="[0-9a-f]{32}">\n<svg aria-hidden="true"',
                     figure)
    assert "<svg" in figure and "</svg>" in figure
    assert "Northmoor County Council" in figure and "Caseloads and workload" in figure
    description = re.search(r'<p id="themes-chart-desc">(.*?)</p>', figure).group(1)
    assert description.startswith("Across 3 reviews, IT systems was raised on the most visits (19 visits in "
                                   "2 reviews), followed by Caseloads and workload (10 visits) and Agency staff "
                                   "(6 visits).")
    assert "The highest single figure is IT systems in Westbrook City Council: 16 of 20 visits." in description
    table = re.search(r"<details>.*?</details>", figure, re.S).group(0)
    assert "<caption" in table and '<th scope="row">Westbrook City Council</th>' in table
    westbrook = re.search(r'<th scope="row">Westbrook City Council</th>(.*?)</tr>', table, re.S).group(1)
    assert re.findall(r">(\d+)</td>", westbrook) == ["16", "0", "0"]
    assert "themes_by_review.csv" in html


def test_output_is_deterministic(tmp_path):
    pages = []
    for name in ("one", "two"):
        out = tmp_path / name
        for rid, summary in reversed(list(REVIEWS.items())):
            write_review(out, rid, **summary)
        write_index(out)
        write_index(out)  # rewriting changes nothing either
        pages.append(((out / "index.html").read_bytes(), (out / "themes_by_review.csv").read_bytes()))
    assert pages[0] == pages[1]
    assert b"2025-04-01T10:00" not in pages[0][0]  # no timestamps from the manifests
    assert not list((tmp_path / "one").glob(".index*"))  # atomic writes leave no temp files


def test_an_empty_output_folder_gets_a_page_saying_so(tmp_path):
    page = write_index(tmp_path / "outputs")
    html = page.read_text(encoding="utf-8")
    assert "No reviews have been rendered yet" in html and "<svg" not in html and html.count("<h1>") == 1
    assert (tmp_path / "outputs" / "themes_by_review.csv").read_text() == \
        "review_id,authority,theme,label,points,visits,concern,positive\n"


def test_a_repeated_authority_is_told_apart_on_the_chart(tmp_path):
    out = tmp_path / "outputs"
    write_review(out, "northmoor-2025", **REVIEWS["northmoor-2025"])
    write_review(out, "northmoor-2024", **{**REVIEWS["northmoor-2025"], "report_date": "2024-02-01"})
    labels = [e.chart_label for e in collect(out)]
    assert labels == ["Northmoor County Council, 31 March 2025", "Northmoor County Council, 1 February 2024"]


# --------------------------------------------------------------------------- in Chromium


def test_index_is_accessible_and_clean_in_a_browser(site, open_page):
    with open_page(site / "index.html") as page:
        assert_accessible(page)
        page.locator("details summary").click()
        assert_accessible(page)
        assert_clean(page)


def review_order(page) -> list[str]:
    """The visible titles of the rows shown, top to bottom (each link's hidden context left out)."""
    return [text.split("\n")[0] for text in
            page.locator("#reviews tbody tr:not([hidden]) td:first-child a").all_inner_texts()]


def test_sort_buttons_and_filter_work_from_the_keyboard(site, open_page):
    with open_page(site / "index.html") as page:
        visits = page.get_by_role("button", name="Visits")
        visits.focus()
        page.keyboard.press("Enter")
        assert page.locator("th", has=visits).get_attribute("aria-sort") == "ascending"
        assert page.locator("th[aria-sort]").count() == 1
        assert review_order(page) == ["Agency staff <and> retention", "Frontline social work", "The front door"]
        page.keyboard.press("Enter")
        assert page.locator("th", has=visits).get_attribute("aria-sort") == "descending"
        assert review_order(page) == ["The front door", "Frontline social work", "Agency staff <and> retention"]
        assert page.get_by_role("status").inner_text() == "Sorted by Visits, descending."

        page.get_by_role("button", name="Recommendations by RAG").click()  # most red first when descending
        page.get_by_role("button", name="Recommendations by RAG").click()
        assert review_order(page)[0] == "Frontline social work"

        box = page.get_by_label("Filter reviews")
        assert box.is_visible()
        box.fill("agency")  # a theme label: Northmoor and Eastvale raised agency staff
        assert sorted(review_order(page)) == ["Agency staff <and> retention", "Frontline social work"]
        box.fill("westbrook front")
        assert review_order(page) == ["The front door"]
        assert page.get_by_role("status").inner_text() == "Showing 1 of 3 reviews."
        box.fill("")
        assert len(review_order(page)) == 3
        assert_accessible(page)
        assert_clean(page)


def test_without_javascript_every_review_is_listed_and_nothing_is_broken(site, browser):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(file_url(site / "index.html"))
        assert review_order(page) == ["Frontline social work", "Agency staff <and> retention", "The front door"]
        assert page.get_by_role("button").count() == 0  # no dead buttons
        assert not page.get_by_label("Filter reviews").is_visible()  # no dead filter box
        assert page.locator("th[aria-sort='descending']").inner_text() == "Report date"
        href = page.get_by_role("link", name="Frontline social work").get_attribute("href")
        assert (site / href).is_file()
    finally:
        context.close()
