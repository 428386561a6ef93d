"""Officer commentary: sections by heading, verbatim text, clear errors, and safe rendering."""
from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest

from scrutiny_kit.errors import InputError
from scrutiny_kit.presentation.present import markdown_html
from scrutiny_kit.sources.commentary import load_commentary, parse_commentary

THEMES = {"caseload_workload", "it_systems", "agency_staff"}
LABELS = {"caseload_workload": "Caseloads and workload", "it_systems": "IT systems", "agency_staff": "Agency staff"}

TEXT = """## Introduction

The committee visited five teams.

## CASELOAD_WORKLOAD

Officers accept that caseloads are *too high*.

### What happens next

A caseload policy is being drafted.

```
## not a heading inside a code block
```

## IT systems

Remote access is being replaced.

## Conclusion

The review was worthwhile.
"""


def test_sections_by_theme_id_label_and_fixed_names() -> None:
    sections = parse_commentary(TEXT, theme_ids=THEMES, labels=LABELS)
    assert list(sections) == ["introduction", "caseload_workload", "it_systems", "conclusion"]
    assert sections["introduction"] == "The committee visited five teams."
    assert sections["conclusion"] == "The review was worthwhile."


def test_section_text_is_kept_verbatim_including_subheadings_and_code() -> None:
    body = parse_commentary(TEXT, theme_ids=THEMES, labels=LABELS)["caseload_workload"]
    assert body.startswith("Officers accept that caseloads are *too high*.")
    assert "### What happens next" in body
    assert "## not a heading inside a code block" in body


def test_labels_can_come_as_a_mapping_of_theme_ids() -> None:
    assert "it_systems" in parse_commentary("## it systems\n\nText\n", theme_ids=LABELS)
    assert "agency_staff" in parse_commentary("# Agency Staff\n\nText\n", theme_ids=LABELS)


def test_unknown_heading_names_the_line_and_the_valid_ids(tmp_path: Path) -> None:
    path = tmp_path / "commentary.md"
    path.write_text("## Introduction\n\nHi\n\n## Morale\n\nLow.\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_commentary(path, theme_ids=THEMES)
    [p] = info.value.problems
    assert p.line == 5 and p.value == "Morale" and str(p.file) == str(path)
    assert "unknown section heading" in p.message
    assert "Introduction, Conclusion or a theme id: agency_staff, caseload_workload, it_systems" in p.message


def test_text_before_the_first_heading_and_repeated_sections_are_errors() -> None:
    with pytest.raises(InputError) as info:
        parse_commentary("Stray text\n\n## Conclusion\n\nA\n\n## conclusion\n\nB\n", theme_ids=THEMES)
    first, second = info.value.problems
    assert first.line == 1 and "before the first section heading" in first.message
    assert second.line == 7 and "appears twice" in second.message


def test_empty_sections_are_dropped_and_windows_text_is_read(tmp_path: Path) -> None:
    path = tmp_path / "c.md"
    path.write_bytes("## Introduction\r\n\r\n## Conclusion\r\n\r\nCosts \u00a310k \u2013 fine.\r\n".encode("cp1252"))
    assert load_commentary(path, theme_ids=THEMES) == {"conclusion": "Costs \u00a310k \u2013 fine."}


def test_missing_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not found"):
        load_commentary(tmp_path / "none.md", theme_ids=THEMES)


# --- rendering -----------------------------------------------------------------------------------------

class Tags(HTMLParser):
    """Every real element and its attributes (escaped text is not an element)."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, attrs))


@pytest.mark.parametrize("attack", [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//x.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "[click](javascript:alert(1))",
    "<a href=\"javascript:alert(1)\">x</a>",
    "<iframe src=//x.example></iframe>",
])
def test_raw_html_and_scripts_never_survive(attack: str) -> None:
    html = str(markdown_html(f"Before {attack} after"))
    tags = Tags()
    tags.feed(html)
    assert {t for t, _ in tags.found} <= {"p", "a"}
    for _, attrs in tags.found:
        assert not any(name.startswith("on") for name, _ in attrs)
        assert not any(name == "href" and (value or "").lower().startswith("javascript") for name, value in attrs)
    assert "Before" in html and "after" in html


def test_script_is_shown_as_text() -> None:
    html = str(markdown_html("Say <script>alert(1)</script>"))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_markdown_is_rendered_and_headings_shifted_below_the_section() -> None:
    text = "## Next steps\n\n*Agreed* with **thanks**.\n\n- one\n- two\n\n[policy](https://example.org/p)"
    html = str(markdown_html(text, top_level=5))
    assert "<h5>Next steps</h5>" in html
    assert "<em>Agreed</em>" in html and "<strong>thanks</strong>" in html and "<li>one</li>" in html
    assert '<a href="https://example.org/p" rel="noopener noreferrer">policy</a>' in html


def test_images_and_tables_are_not_published_from_commentary() -> None:
    html = str(markdown_html("![chart](https://example.org/x.png)\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"))
    tags = Tags()
    tags.feed(html)
    assert {t for t, _ in tags.found} <= {"p", "a", "br"}
