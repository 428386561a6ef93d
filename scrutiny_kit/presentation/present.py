"""HTML fragments for the findings and recommendations chapters (Jinja2, autoescaped).

Chapters and their numbers (each function returns one fragment, in this order in the report):

    contents_html(chapters(findings))   the table of contents (nav)
    introduction_html(findings)         1. Introduction and method (officer introduction + 1.1 Method)
    overview_html(findings)             1.2 Themes by team (the theme x team heatmap table)
    findings_html(findings, charts)     2. Findings by theme (2.1, 2.2 ... one per theme with evidence)
    other_issues_html(findings)         3. Other issues raised
    recommendations_html(findings)      4. Recommendations and executive response
    gaps_html(findings)                 4.1 Gap check
    conclusion_html(findings)           5. Conclusion (only when the commentary has one; else "")

`chapter_html(findings, charts)` returns all of them joined. User text is always escaped; officer
commentary is rendered from Markdown with raw HTML disabled, then sanitised with nh3; chart HTML from
charts.py is trusted as it is produced by the package.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import nh3
from jinja2 import Environment, PackageLoader, StrictUndefined
from markdown_it import MarkdownIt
from markupsafe import Markup

from ..coding.check import method_sentence
from ..dates import format_date
from ..analysis.findings import (EXCERPT_RULE, GAP_CONCERN_VISITS, ORDER_RULE, Findings, ThemeFinding, date_range,
                       join_words, plural, theme_anchor)
from ..sources.recommendations import shown_with_category
from ..analysis.recommendations import RAG_LABELS, RAG_RULES, describe_date, rag_counts, rag_reasons, response_counts
from ..sources.commentary import CONCLUSION, INTRODUCTION
from ..wording import opening

INTRODUCTION_CHAPTER, FINDINGS_CHAPTER, OTHER_CHAPTER, RECOMMENDATIONS_CHAPTER, CONCLUSION_CHAPTER = 1, 2, 3, 4, 5
# Commentary is prose: no tables (they would lack the caption and scoped headers every report table has),
# no images, no inline styles.
COMMENTARY_TAGS = {"p", "br", "hr", "em", "strong", "a", "ul", "ol", "li", "blockquote", "code", "pre",
                   "h3", "h4", "h5", "h6"}
COMMENTARY_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}

_ENV = Environment(
    loader=PackageLoader("scrutiny_kit", "templates/fragments"),
    autoescape=True,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
_ENV.globals["rag_labels"] = RAG_LABELS
_MARKDOWN = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})


def render(template_name: str, **ctx: Any) -> Markup:
    """Render one fragment template (autoescaped) with the shared macros available as `m`."""
    template = _ENV.get_template(template_name)
    return Markup(template.render(m=_ENV.get_template("macros.html.j2").module, **ctx).strip() + "\n")


# --- commentary ----------------------------------------------------------------------------------------

def markdown_html(text: str, *, top_level: int = 4) -> Markup:
    """Officer Markdown as safe HTML: raw HTML shown as text, headings shifted so the first is `h<top_level>`,
    then sanitised with nh3 (scripts, event handlers and javascript: links never survive)."""
    tokens = _MARKDOWN.parse(text or "")
    levels = [int(t.tag[1]) for t in tokens if t.type in ("heading_open", "heading_close")]
    shift = top_level - min(levels) if levels else 0
    for t in tokens:
        if t.type in ("heading_open", "heading_close"):
            t.tag = f"h{min(6, int(t.tag[1]) + shift)}"
    html = _MARKDOWN.renderer.render(tokens, _MARKDOWN.options, {})
    return Markup(nh3.clean(html, tags=COMMENTARY_TAGS, attributes=COMMENTARY_ATTRIBUTES,
                            url_schemes={"http", "https", "mailto"}, link_rel="noopener noreferrer"))


def commentary_html(findings: Findings, section: str, *, top_level: int = 4) -> Markup | None:
    """The officer commentary for a section id ('introduction', 'conclusion', a theme id), or None."""
    text = findings.commentary.get(section)
    return markdown_html(text, top_level=top_level) if text and text.strip() else None


# --- contents ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Chapter:
    """One entry of the contents: the element id, the number shown and the title."""

    id: str
    number: str
    title: str
    children: tuple[Chapter, ...] = field(default_factory=tuple)


def chapters(findings: Findings) -> list[Chapter]:
    """The report's chapters in order, with their numbered subsections."""
    out = [
        Chapter("introduction", str(INTRODUCTION_CHAPTER), "Introduction and method", (
            Chapter("method", f"{INTRODUCTION_CHAPTER}.1", "Method"),
            Chapter("overview", f"{INTRODUCTION_CHAPTER}.2", "Themes by team"))),
        Chapter("findings", str(FINDINGS_CHAPTER), "Findings by theme",
                tuple(Chapter(s.anchor, s.number, s.label) for s in findings.sections)),
        Chapter("other-issues", str(OTHER_CHAPTER), "Other issues raised"),
        Chapter("recommendations", str(RECOMMENDATIONS_CHAPTER), "Recommendations and executive response", (
            Chapter("gap-check", f"{RECOMMENDATIONS_CHAPTER}.1", "Gap check"),)),
    ]
    if commentary_html(findings, CONCLUSION) is not None:
        out.append(Chapter("conclusion", str(CONCLUSION_CHAPTER), "Conclusion"))
    return out


def with_appendix(sections: Sequence[Chapter]) -> list[Chapter]:
    """The chapters followed by the codebook appendix (always in the page: the report is published alone)."""
    return [*sections, Chapter("codebook", "Appendix", "Appendix: the codebook")]


def codebook_appendix_html(codebook: Any) -> Markup:
    """Appendix: every theme of the codebook (definition, phrases, exclusions, measures) and the tone cues,
    inside the page, so the report needs no file beside it."""
    from ..analysis.measures import MEASURES

    labels = {t.id: t.label for t in codebook.themes}
    themes = [{"id": t.id, "label": t.label, "definition": getattr(t, "definition", "") or "",
               "phrases": list(getattr(t, "phrases", None) or []), "exclude": list(getattr(t, "exclude", None) or []),
               "parent": labels.get(t.parent, t.parent) if getattr(t, "parent", None) else "",
               "measures": [MEASURES[m].label if m in MEASURES else m for m in (getattr(t, "measures", None) or [])]}
              for t in codebook.themes]
    cues = getattr(codebook, "tone", None)
    tone = [(label, list(getattr(cues, key, None) or [])) for label, key in (
        ("Concern cues", "concern"), ("Positive cues", "positive"), ("Words that turn a cue round", "negators"))]
    source = "the built-in children’s social care workforce codebook" if _is_default(codebook) else ""
    return render("appendix_codebook.html.j2", themes=themes, tone=tone, source=source)


def _is_default(codebook: Any) -> bool:
    from pathlib import Path

    return Path(str(codebook.source)).name == "default.yaml" and Path(str(codebook.source)).parent.name == "codebooks"


def contents_html(sections: Sequence[Chapter]) -> Markup:
    """The table of contents: a `nav` listing the chapters (and their numbered subsections) in order."""
    return render("contents.html.j2", chapters=list(sections))


# --- chapters ------------------------------------------------------------------------------------------

def method_html(findings: Findings) -> Markup:
    """1.1 Method: visits, teams, period, exempt notes, how coding works (with a link to the codebook)."""
    f = findings
    period = date_range(f.first_date, f.last_date) if f.first_date and f.last_date else ""
    excluded = f.coding_check.excluded if f.coding_check is not None else 0
    return render(
        "method.html.j2", f=f, number=f"{INTRODUCTION_CHAPTER}.1", visits=plural(f.visits, "visit"),
        teams=plural(len(f.teams), "team"), team_list=join_words(f.teams), period=period,
        points=plural(f.points + excluded, "point"), exempt=exempt_sentence(f.exempt_notes),
        check=method_sentence(f.coding_check), excluded=excluded,
        uncoded=f.points - f.coded_points, other_number=OTHER_CHAPTER, order_rule=ORDER_RULE,
        excerpt_rule=EXCERPT_RULE, cues=_cue_examples(f),
        visit_list=[{"number": v.number, "team": v.team, "date": format_date(v.date)} for v in f.visit_list])


def _cue_examples(findings: Findings) -> str:
    """'“worried” or “too many” for a concern and “helpful” for a positive comment' (from the codebook)."""
    concern, positive = findings.tone_examples
    parts = [f"{_either(concern)} for a concern"] if concern else []
    parts += [f"{_either(positive)} for a positive comment"] if positive else []
    return join_words(parts)


def _either(words: Sequence[str]) -> str:
    return " or ".join(f"\u201c{w}\u201d" for w in words)


def exempt_sentence(n: int) -> str:
    """'2 exempt notes not shown: ...' (or that none was marked confidential)."""
    if n == 0:
        return "No notes were marked confidential."
    they, their = ("it was", "its") if n == 1 else ("they were", "their")
    return (f"{opening(n, 'exempt note')} not shown: {they} marked confidential (exempt information) and none of "
            f"{their} points appears anywhere in this report, including the counts.")


def introduction_html(findings: Findings) -> Markup:
    """1. Introduction and method: the officers' introduction (if any) then the method section."""
    return render("introduction.html.j2", number=INTRODUCTION_CHAPTER, title=findings.title,
                  authority=findings.authority, commentary=commentary_html(findings, INTRODUCTION, top_level=3),
                  method=method_html(findings))


def overview_html(findings: Findings) -> Markup:
    """1.2 Themes by team: an accessible heatmap table (counts always visible, concerns in brackets)."""
    return render("overview.html.j2", number=f"{INTRODUCTION_CHAPTER}.2", ov=findings.overview)


def theme_html(findings: Findings, section: ThemeFinding, charts: Mapping[str, Sequence[str]] | None = None) -> Markup:
    """One theme's section (h3, id theme-<id>)."""
    figures = {k: [Markup(fig) for fig in v] for k, v in (charts or {}).items()}
    return render("theme.html.j2", s=section, charts=figures,
                  commentary=commentary_html(findings, section.theme, top_level=5))


def findings_html(findings: Findings, charts: Mapping[str, Sequence[str]] | None = None) -> Markup:
    """2. Findings by theme. `charts` maps a measure id to figure HTML strings (from charts.py), placed in the
    first section that links the measure."""
    sections = [theme_html(findings, s, charts) for s in findings.sections]
    summary = [{"anchor": s.anchor, "title": s.title, "points": s.points, "visits": s.visits, "teams": s.teams,
                "concern": s.concern, "positive": s.positive, "mixed": s.mixed, "first": format_date(s.first_date),
                "last": format_date(s.last_date)} for s in findings.sections]
    mentioned = [f"{m.label} ({plural(m.points, 'point')} in {plural(m.visits, 'visit')})" for m in findings.mentioned]
    return render("findings.html.j2", number=FINDINGS_CHAPTER, sections=sections, summary=summary,
                  mentioned=join_words(mentioned), mentioned_count=len(mentioned),
                  raised=opening(len(sections), "theme") + (" was" if len(sections) == 1 else " were"))


def other_issues_html(findings: Findings) -> Markup:
    """3. Other issues raised: every published point that matched no theme, with its citation."""
    intro = f"{opening(len(findings.other_issues), 'point')} matched no theme in the codebook."
    return render("other_issues.html.j2", number=OTHER_CHAPTER, issues=findings.other_issues, intro=intro)


def _theme_refs(findings: Findings, themes: Sequence[str]) -> list[dict[str, str]]:
    return [{"label": findings.themes.get(t, t), "anchor": theme_anchor(t) if findings.section(t) else ""}
            for t in themes]


@dataclass(frozen=True)
class RecRow:
    """One row of the recommendations table, ready to show (dates in words, themes with their anchors)."""

    id: str
    anchor: str
    recommendation: str
    themes: tuple[dict[str, str], ...]
    owner: str
    response: str
    action: str
    due: str
    status: str
    update: str
    updated: str
    rag: str
    reason: str


def _rec_rows(findings: Findings) -> list[RecRow]:
    recs = findings.recommendations
    if recs is None or recs.empty:
        return []
    reasons = rag_reasons(recs, findings.report_date) if findings.report_date else [""] * len(recs)
    return [
        RecRow(id=str(r["id"]), anchor=findings.rec_anchors[str(r["id"])], recommendation=str(r["recommendation"]),
               themes=tuple(_theme_refs(findings, r["themes"])), owner=str(r["owner"]),
               response=shown_with_category(r["response"], r["response_category"]),
               action=str(r["action"]), due=describe_date(r["due"]),
               status=shown_with_category(r["status"], r["status_category"]),
               update=str(r["update"]), updated=describe_date(r["updated"]), rag=str(r["rag"]), reason=reason)
        for (_, r), reason in zip(recs.iterrows(), reasons)
    ]


def response_summary(counts: Mapping[str, int]) -> str:
    """'There are 12 recommendations: 8 accepted, 2 partially accepted, 1 not accepted and 1 awaiting response.'
    (counted by category; the table beside it shows each response as recorded)."""
    total = sum(counts.values())
    parts = [f"{n} {response}" for response, n in counts.items() if n]
    return f"There {'is' if total == 1 else 'are'} {plural(total, 'recommendation')}: {join_words(parts)}."


def recommendations_html(findings: Findings) -> Markup:
    """4. Recommendations and executive response: counts by response and RAG, the RAG rule, then the tracker
    (each row `id="rec-<id>"`, RAG as a text label and colour, themes linked to their sections)."""
    recs = findings.recommendations
    has = recs is not None and not recs.empty
    when = describe_date(findings.report_date) if findings.report_date else "the report date"
    return render(
        "recommendations.html.j2", number=RECOMMENDATIONS_CHAPTER, recs=_rec_rows(findings), report_date=when,
        rules=RAG_RULES, rag_counts=rag_counts(recs) if has else {},
        response_counts=response_counts(recs) if has else {},
        summary=response_summary(response_counts(recs)) if has else "")


def gaps_html(findings: Findings) -> Markup:
    """4.1 Gap check: concerns without a recommendation and recommendations without evidence ('No gaps found')."""
    return render("gaps.html.j2", number=f"{RECOMMENDATIONS_CHAPTER}.1", gaps=findings.gaps,
                  threshold=GAP_CONCERN_VISITS)


def conclusion_html(findings: Findings) -> Markup:
    """5. Conclusion: the officers' conclusion, verbatim; empty when the commentary has none."""
    commentary = commentary_html(findings, CONCLUSION, top_level=3)
    if commentary is None:
        return Markup("")
    return render("conclusion.html.j2", number=CONCLUSION_CHAPTER, commentary=commentary)


def chapter_html(findings: Findings, charts: Mapping[str, Sequence[str]] | None = None,
                 codebook: Any = None) -> Markup:
    """Contents and every chapter above, in order; with `codebook`, the codebook appendix last."""
    contents = chapters(findings)
    parts = [contents_html(with_appendix(contents) if codebook is not None else contents),
             introduction_html(findings), overview_html(findings), findings_html(findings, charts),
             other_issues_html(findings), recommendations_html(findings), gaps_html(findings),
             conclusion_html(findings)]
    if codebook is not None:
        parts.append(codebook_appendix_html(codebook))
    return Markup("").join(parts)


__all__ = [
    "Chapter", "chapter_html", "chapters", "commentary_html", "conclusion_html", "contents_html", "findings_html",
    "codebook_appendix_html", "gaps_html", "introduction_html", "with_appendix", "markdown_html", "method_html", "other_issues_html", "overview_html",
    "recommendations_html", "render", "response_summary", "theme_html",
]
