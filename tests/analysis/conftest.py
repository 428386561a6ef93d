"""The findings of the hand-built sample (tests/fixtures/findings), shared by the analysis tests."""
from __future__ import annotations

import pytest

from fixtures.findings import sample
from scrutiny_kit.analysis.findings import Findings


@pytest.fixture(scope="module")
def findings() -> Findings:
    return sample.findings()
