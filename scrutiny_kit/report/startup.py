"""What the toolkit's own processes (the command, run-all's workers, the kernels they start) leave out at start-up.

jsonschema, imported by nbformat in the command and by Altair in the kernel, imports ``rfc3987_syntax`` whenever
it is installed (JupyterLab's jupyter-events asks for it) only to check the "iri" string format. Importing it
builds a Lark grammar: about 1.7 CPU-seconds and 15 MB in every process that imports jsonschema. Neither the
notebook format's schema nor Vega-Lite's uses that format (Vega-Lite's URLs are "uri" and "uri-reference", which
jsonschema checks with rfc3986-validator), so no validation the toolkit runs changes without it.
"""
from __future__ import annotations

import sys

UNUSED_OPTIONAL_MODULES = ("rfc3987_syntax",)


def skip_unused_imports() -> None:
    """Mark the optional modules above as absent (None in sys.modules), so jsonschema leaves out the one format
    check they serve, as it does wherever they are not installed. Called first thing in the processes the toolkit
    starts, never on importing the package: an analyst's own kernel keeps everything. Safe to call again."""
    for name in UNUSED_OPTIONAL_MODULES:
        sys.modules.setdefault(name, None)  # type: ignore[arg-type]
