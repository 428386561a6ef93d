"""A tracker's response and status wording placed in a category (scrutiny_kit/sources/tracker_categories.py): the
variants officers write, and text that fits no category left as written for the error message."""
from __future__ import annotations

import pytest

from scrutiny_kit.sources.tracker_categories import canonical_response, canonical_status


@pytest.mark.parametrize("text, expected", [
    ("Accepted in full", "accepted"), ("Accepted", "accepted"), ("ACCEPTED", "accepted"), ("Agreed", "accepted"),
    ("Accepted - see action plan", "accepted"), ("Partially", "partially accepted"),
    ("Partially accepted", "partially accepted"), ("Partly agreed", "partially accepted"),
    ("partly  Agreed", "partially accepted"), ("Rejected", "not accepted"), ("Not agreed", "not accepted"),
    ("Not accepted", "not accepted"), ("Awaiting", "awaiting response"), ("Pending", "awaiting response"),
    ("TBC", "awaiting response"), ("", "awaiting response"),
    ("Accepted in principle", "accepted"), ("Noted", "noted"), ("Noted.", "noted"),
    ("Agreed. Cabinet asked the Cabinet Member to report back by March.", "accepted"),
    ("Agreed and the Cabinet Member will report back", "accepted"),
    ("Partially agreed: the council can only influence partners here", "partially accepted"),
    ("Not accepted. The service already does this.", "not accepted"),
])
def test_response_variants(text: str, expected: str) -> None:
    assert canonical_response(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Completed", "complete"), ("Done", "complete"), ("complete", "complete"), ("Ongoing", "in progress"),
    ("In hand", "in progress"), ("On track", "in progress"), ("In Progress", "in progress"),
    ("Not yet started", "not started"), ("Not started", "not started"), ("Closed - superseded", "superseded"),
    ("Superseded", "superseded"), ("Complete (signed off March)", "complete"), ("", "not recorded"),
    ("Complete. Signed off by DMT in March", "complete"),
])
def test_status_variants(text: str, expected: str) -> None:
    assert canonical_status(text) == expected


def test_unrecognised_text_is_left_as_written_for_the_error() -> None:
    assert canonical_response("Maybe later") == "Maybe later"
    assert canonical_status("Finished-ish") == "Finished-ish"
    assert canonical_response("No further action is planned") == "No further action is planned"  # 'no' alone only
    assert canonical_response("Council asked for more detail") == "Council asked for more detail"
