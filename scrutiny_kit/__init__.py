"""scrutiny-kit: turn a council scrutiny review's evidence into a published, accessible report."""
from __future__ import annotations

__version__ = "0.1.0"


def __getattr__(name: str):  # lazy: `import scrutiny_kit` stays cheap for the CLI and the kernel
    if name in {"open_review", "Review", "overrides_from"}:
        from . import review

        return getattr(review, name)
    raise AttributeError(name)
