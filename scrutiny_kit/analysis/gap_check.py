"""The gap check: themes raised as a concern in several visits that no recommendation addresses, and
recommendations that no visit gave evidence for."""
from __future__ import annotations

from collections.abc import Mapping, Sequence

from ..wording import join_words
from .finding_types import Gap, Gaps, RecLink, ThemeFinding

GAP_CONCERN_VISITS = 2


def gap_check(sections: Sequence[ThemeFinding], links: Sequence[RecLink], themes: Mapping[str, str]) -> Gaps:
    """Themes raised as a concern in 2+ visits with no recommendation; recommendations with no evidence."""
    evidenced = {s.theme for s in sections}
    unaddressed = tuple(Gap(s.theme, s.label, s.anchor, s.concern_visits) for s in sections
                        if s.concern_visits >= GAP_CONCERN_VISITS and not s.recommendations)
    unsupported: list[tuple[RecLink, str]] = []
    for link in links:
        if not link.themes:
            unsupported.append((link, "no themes given, so it is not linked to any evidence"))
        elif not evidenced & set(link.themes):
            names = join_words([f"{themes.get(t, t)} ({t})" for t in link.themes])
            unsupported.append((link, f"no visit raised {names}"))
    return Gaps(unaddressed, tuple(unsupported))
