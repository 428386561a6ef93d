"""The end-to-end pipeline: the CLI really executes the notebook (papermill) and exports HTML (nbconvert)."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
import yaml

from scrutiny_kit.cli import main

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "params" / "example.yaml"


def copy_example(tmp_path: Path) -> Path:
    """A private copy of the example review whose inputs a test may break."""
    shutil.copytree(ROOT / "examples" / "frontline", tmp_path / "inputs")
    raw = yaml.safe_load(EXAMPLE.read_text())
    for key in ("visit_notes", "workforce", "recommendations", "commentary", "coding_check"):
        raw[key] = str(Path("inputs") / Path(raw[key]).relative_to("../examples/frontline"))
    params = tmp_path / "review.yaml"
    params.write_text(yaml.safe_dump(raw, sort_keys=False))
    return params


def good_render(tmp_path: Path) -> tuple[Path, Path, Path]:
    """A private copy of the example rendered once: (params file, output root, report.html)."""
    params = copy_example(tmp_path)
    out_root = tmp_path / "out"
    assert main(["run", str(params), "--output-dir", str(out_root), "--quiet"]) == 0
    return params, out_root, out_root / "example-frontline-2025" / "report.html"


def test_run_renders_the_example_with_real_content(example_report: Path) -> None:
    html = example_report.read_text(encoding="utf-8")
    assert "<h1>Frontline social work and safeguarding</h1>" in html
    assert "Example County Council" in html and "31 March 2025" in html
    assert html.count("<h1") == 1
    # no code, prompts or Jupyter chrome
    for leaked in ("import scrutiny_kit", "open_review", "jp-InputPrompt", "In&nbsp;[", "cdn.jsdelivr", "require.js"):
        assert leaked not in html
    assert "Findings" in html and "Recommendations" in html


def test_run_writes_the_manifest_and_tables(example_report: Path) -> None:
    out = example_report.parent
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["review_id"] == "example-frontline-2025"
    assert set(manifest["timings_seconds"]) >= {"validate", "execute", "export", "total"}
    assert any(k.endswith("workforce.csv") for k in manifest["inputs"])
    assert all(len(v) == 64 for v in manifest["inputs"].values())
    assert manifest["versions"]["papermill"].startswith("2.")
    executed = nbformat.read(out / "executed.ipynb", as_version=4)
    assert executed.metadata["papermill"]["parameters"]["params_file"].endswith("example.yaml")
    for table in ("coded_points.csv", "findings.csv", "recommendations.csv", "codebook.yaml"):
        assert (out / table).stat().st_size > 100


def test_the_report_folder_has_the_permissions_of_any_new_folder(example_report: Path, tmp_path: Path) -> None:
    import stat

    (tmp_path / "plain").mkdir()
    expected = stat.S_IMODE((tmp_path / "plain").stat().st_mode)
    assert stat.S_IMODE(example_report.parent.stat().st_mode) == expected  # not mkdtemp's private 0700


def test_failed_run_leaves_the_previous_report_untouched(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    params, out_root, report = good_render(tmp_path)
    before = report.read_bytes()
    # break an input that only the notebook reads: a rate outside 0-100
    wf = tmp_path / "inputs" / "workforce.csv"
    lines = wf.read_text().splitlines()
    header = lines[0].split(",")
    cells = lines[1].split(",")
    cells[header.index("vacancy_rate")] = "140"
    wf.write_text("\n".join([lines[0], ",".join(cells), *lines[2:]]) + "\n")
    capsys.readouterr()
    status = main(["run", str(params), "--output-dir", str(out_root), "--quiet"])
    err = capsys.readouterr().err
    assert status == 2
    assert "workforce.csv" in err and "vacancy_rate" in err and "140" in err
    assert "Traceback" not in err
    assert report.read_bytes() == before
    assert not (out_root / "example-frontline-2025.failed").exists()  # the message says it all
    assert not list(out_root.glob(".*staging*"))


def test_a_failing_cell_is_named_and_its_notebook_kept(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    params, out_root, report = good_render(tmp_path)
    before = report.read_bytes()
    nb = nbformat.read(ROOT / "notebooks" / "review.ipynb", as_version=4)
    nb.cells.insert(5, nbformat.v4.new_code_cell("raise RuntimeError('the chart server is on fire')"))
    broken = tmp_path / "broken.ipynb"
    nbformat.write(nb, broken)
    capsys.readouterr()
    status = main(["run", str(params), "--output-dir", str(out_root), "--quiet", "--notebook", str(broken)])
    err = capsys.readouterr().err
    assert status == 1
    assert "RuntimeError: the chart server is on fire" in err and "cell" in err and "Traceback" not in err
    assert report.read_bytes() == before
    kept = nbformat.read(out_root / "example-frontline-2025.failed" / "executed.ipynb", as_version=4)
    assert any(o.get("ename") == "RuntimeError" for c in kept.cells if c.cell_type == "code" for o in c.outputs)
    assert not list(out_root.glob(".*staging*"))


def test_bad_params_exit_2_without_rendering(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    params = copy_example(tmp_path)
    params.write_text(params.read_text() + "colour: blue\n")
    assert main(["run", str(params), "--output-dir", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "unknown key 'colour'" in err and "review.yaml" in err
    assert not (tmp_path / "out" / "example-frontline-2025").exists()


def test_validate_reports_inputs(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(EXAMPLE)]) == 0
    out = capsys.readouterr().out
    assert "OK" in out and "visit notes:" in out and "recommendations:" in out


def test_papermill_runs_the_notebook_directly(tmp_path: Path) -> None:
    out = tmp_path / "out.ipynb"
    proc = subprocess.run(
        [str(Path(sys.executable).parent / "papermill"), "notebooks/review.ipynb", str(out), "-f", "params/example.yaml",
         "--no-progress-bar"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    nb = nbformat.read(out, as_version=4)
    html = "".join(o.get("data", {}).get("text/html", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs)
    assert "Example County Council" in html or "Findings" in html


def test_help_explains_every_option(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["run", "--help"])
    text = capsys.readouterr().out
    for option in ("--output-dir", "--redact", "--quiet", "--notebook"):
        assert option in text


def test_notebook_runs_top_to_bottom_as_in_jupyterlab() -> None:
    """What an analyst gets from Run All: the default parameters cell points at the example review."""
    from nbclient import NotebookClient

    nb = nbformat.read(ROOT / "notebooks" / "review.ipynb", as_version=4)
    NotebookClient(nb, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(ROOT / "notebooks")}}).execute()
    html = {c.source: "".join(o.get("data", {}).get("text/html", "") for o in c.outputs)
            for c in nb.cells if c.cell_type == "code"}
    assert "Caseloads and workload" in html["review.findings_chapter()"]
    assert "Recommendations and executive response" in html["review.recommendations()"]
    assert html["review.save_tables(output_dir)"] == ""  # nothing written outside a CLI run


def test_the_final_check_reads_the_pages_visible_and_spoken_text() -> None:
    from scrutiny_kit.errors import PublishCheckError
    from scrutiny_kit.params import load_params
    from scrutiny_kit.report.pipeline import check_published_html

    params = load_params(EXAMPLE)  # redact: [Jo Bloggs]
    check_published_html("<p>Caseloads rose to 26.</p><svg><text>0113 496 0000</text></svg>", params)
    with pytest.raises(PublishCheckError) as exc:
        check_published_html('<p>Call 0113 496 0000</p><img alt="Jo Bloggs at her desk">', params)
    found = [str(p) for p in exc.value.problems]
    assert "report.html: phone number found: '0113 496 0000'" in found
    assert any("'Jo Bloggs'" in p for p in found)


def test_the_last_check_never_advises_redact_when_it_was_given(tmp_path: Path) -> None:
    from scrutiny_kit.errors import PublishCheckError
    from scrutiny_kit.params import load_params
    from scrutiny_kit.report.pipeline import check_published_html, page_meta

    params = load_params(EXAMPLE)  # redact: [Jo Bloggs]
    html = "<p>Ring Jo Bloggs on 07700 900123</p>"
    with pytest.raises(PublishCheckError) as exc:
        check_published_html(html, params)
    assert "use --redact" in exc.value.describe()
    with pytest.raises(PublishCheckError) as exc:
        check_published_html(html, params, apply_redaction=True)
    assert "--redact could not replace" in exc.value.describe() and "use --redact" not in exc.value.describe()
    retitled = params.model_copy(update={"title": "Review by Jo Bloggs"})
    assert page_meta(retitled, apply_redaction=True)["title"] == "Review by [redacted]"
