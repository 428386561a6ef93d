"""The Problems an InputError carries, as the tests read them."""
from __future__ import annotations

import pytest

from scrutiny_kit.errors import InputError, Problem


def problems_of(exc: pytest.ExceptionInfo[InputError]) -> list[Problem]:
    found = [p for p in exc.value.problems if isinstance(p, Problem)]
    assert len(found) == len(exc.value.problems)
    return found
