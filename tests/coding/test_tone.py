"""A point's tone (scrutiny_kit/coding/tone.py): cues in context, negation, contrast, comparisons, trends and
headings decide concern, positive, mixed or neutral."""
from __future__ import annotations

import pytest

from scrutiny_kit.coding import code_points

from coded_notes import codebook, notes_of, tone_of  # noqa: F401  (codebook: a fixture)


def test_negated_mentions_still_count_and_tone_gives_the_direction(codebook):
    coded = code_points(notes_of("No concerns were raised about supervision.",
                                 "Staff did not think caseloads were manageable."), codebook)
    assert coded[["theme", "matched", "tone"]].values.tolist() == [
        ["supervision_training", "supervision", "positive"],
        ["caseload_workload", "caseloads", "concern"],
    ]


@pytest.mark.parametrize(("point", "tone"), [
    ("Concerns were raised about caseloads.", "concern"),
    ("Staff are struggling and there are not enough desks.", "concern"),
    ("There are delays in assessments.", "concern"),
    ("Members were well informed and the manager was praised.", "positive"),
    ("Caseloads had fallen to a manageable level.", "positive"),
    ("Caseloads are not manageable.", "concern"),
    ("There is a lack of admin support.", "concern"),
    ("There were no concerns about the office.", "positive"),
    ("Staff felt well informed and valued.", "positive"),
    ("The laptops have improved but the wifi is still difficult.", "concern"),
    ("Recruitment was difficult last year but has improved.", "positive"),
    ("Areas for improvement include recording.", "concern"),
    ("Supervision is rarely cancelled.", "positive"),
    ("Staff are struggling, and, frankly, good managers cannot fix that.", "concern"),
    # from the issue: comparison, shortfall, names and contrast decide, not a positive word about something else
    ("Staff left for better-paying jobs elsewhere.", "concern"),
    ("There is a significant shortage of social workers.", "concern"),
    ("Only 41 per cent of supervision sessions are on time.", "concern"),
    ("The Improvement Board met in May.", "neutral"),
    ("Agency staff cost more than a permanent worker.", "concern"),
    ("Morale is good, but caseloads are too high.", "concern"),
    ("Although caseloads are high, morale is good.", "positive"),
    ("Staff praised their managers and said the wifi is poor.", "mixed"),
    ("The number of children at risk of exploitation has fallen from 42 to 25.", "positive"),
    ("Turnover remained high.", "concern"),
    ("Audit scores fell from 6.2 to 5.5.", "concern"),
    ("The visit lasted two hours.", "neutral"),
    (("What is working well", "The duty rota."), "positive"),
    (("Concerns", "The duty rota is good."), "positive"),
    ("Referrals to the front door have risen by a fifth.", "concern"),
    ("Referrals have not risen this year.", "positive"),
    ("Reliance on agency managers has reduced.", "positive"),  # the longer `re:` cue absorbs "reliance on"
    ("RESOLVED that the report be noted.", "neutral"),
    ("It was explained that the figures would be circulated.", "neutral"),
    ("Caseloads have fallen to 18 since the spring.", "positive"),  # trends: worse when rising, falling
    ("Permanent staff numbers have dropped.", "concern"),  # better when rising, falling
    ("Pay for senior practitioners is below that of neighbouring councils.", "concern"),
    ("CP plans per 10,000 children remain above the national rate.", "concern"),  # "10,000" is no clause break
])
def test_tone_rule(codebook, point, tone):
    assert tone_of(codebook, point) == tone
