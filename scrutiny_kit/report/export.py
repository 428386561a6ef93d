"""Export an executed notebook to the published HTML with the package's nbconvert template (no code, no CDN)."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from ..resources import TEMPLATES

TEMPLATES_DIR = TEMPLATES / "nbconvert"
TEMPLATE_NAME = "scrutiny"


def export_html(executed: Path, page_meta: dict[str, Any]) -> str:
    """Render `executed` to one self-contained HTML page; `page_meta` fills the title block."""
    import nbformat  # imported here: `run-all` must stay fast when nothing needs rendering
    from nbconvert.exporters import TemplateExporter

    nb = nbformat.read(str(executed), as_version=4)
    nb.metadata["scrutiny_kit"] = page_meta
    # nbconvert's template exporter, not its HTMLExporter: the page is entirely the package's template, and
    # HTMLExporter's extra passes (Pygments CSS for code cells, a BeautifulSoup re-parse adding alt text and
    # tabindex to Jupyter's own cell markup) have nothing to act on here but cost more than the rendering.
    exporter = TemplateExporter(
        template_name=TEMPLATE_NAME,
        file_extension=".html",
        extra_template_basedirs=[str(TEMPLATES_DIR)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": page_meta.get("title", "report")}})
    return _tidy(body)


def _tidy(html: str) -> str:
    """Drop trailing spaces and runs of blank lines the template engine leaves, for a clean, stable file."""
    lines = [line.rstrip() for line in html.splitlines()]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip() + "\n"
