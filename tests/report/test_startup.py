"""The processes the toolkit starts leave out rfc3987_syntax (a 1.7-second import jsonschema makes for one
format check nothing here uses), and schema validation still works without it."""
from __future__ import annotations

import subprocess
import sys
import textwrap


def test_jsonschema_and_altair_validate_without_rfc3987_syntax() -> None:
    code = textwrap.dedent("""
        import sys
        from scrutiny_kit.report.startup import skip_unused_imports
        skip_unused_imports()
        import altair as alt, jsonschema, nbformat
        print("rfc3987_syntax loaded:", sys.modules.get("rfc3987_syntax") is not None)
        try:
            alt.Chart(alt.Data(values=[{"a": 1}])).mark_bar().encode(x="a:Q", color=alt.value(5)).to_dict()
        except Exception as exc:
            print("bad spec refused:", type(exc).__name__)
        nb = nbformat.v4.new_notebook()
        nb.cells.append(nbformat.v4.new_code_cell("1"))
        nbformat.validate(nb)
        print("uri checked:", not jsonschema.Draft7Validator({"format": "uri"},
              format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER).is_valid("not a uri"))
    """)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["rfc3987_syntax loaded: False", "bad spec refused: SchemaValidationError",
                                        "uri checked: True"]


def test_the_command_and_the_review_kernel_skip_it_but_importing_the_package_does_not() -> None:
    from scrutiny_kit.report.kernel import WARM_UP

    assert WARM_UP.index("skip_unused_imports") < WARM_UP.index("warm_up")  # before Altair is imported
    code = "import sys, scrutiny_kit.review, scrutiny_kit.cli; print('rfc3987_syntax' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "False"
