"""The end-to-end pipeline: the CLI really executes the notebook (papermill) and exports HTML (nbconvert)."""
from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
import yaml

from scrutiny_kit.cli import main

ROOT = Path(__file__).resolve().parents[2]
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
    assert "<h2>2. Findings by theme</h2>" in html and "<h2>4. Recommendations and executive response</h2>" in html


def test_run_writes_the_manifest_and_tables(example_report: Path) -> None:
    out = example_report.parent / "working"
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["review_id"] == "example-frontline-2025"
    assert set(manifest["timings_seconds"]) >= {"validate", "execute", "export", "total"}
    assert any(k.endswith("workforce.csv") for k in manifest["inputs"])
    assert all(len(v) == 64 for v in manifest["inputs"].values())
    assert manifest["versions"]["papermill"].startswith("2.")
    executed = nbformat.read(out / "executed.ipynb", as_version=4)
    assert executed.metadata["papermill"]["parameters"]["params_file"].endswith("example.yaml")
    with (out / "coded_points.csv").open(encoding="utf-8", newline="") as fh:
        coded = [r for r in csv.DictReader(fh) if r["source"] == "2024-10-08-northgate-locality.md"]
    assert [(r["theme"], r["tone"], r["line"]) for r in coded if r["point"] == "4"] == [
        ("caseload_workload", "concern", "19")]
    assert [r["excluded"] for r in coded if r["point"] == "1"] == ["True"]  # the visit's arrangements
    with (out / "findings.csv").open(encoding="utf-8", newline="") as fh:
        caseloads = next(r for r in csv.DictReader(fh) if r["theme"] == "caseload_workload")
    assert (caseloads["label"], caseloads["points"], caseloads["visits"], caseloads["concern"]) == (
        "Caseloads and workload", "9", "5", "8")
    with (out / "recommendations.csv").open(encoding="utf-8", newline="") as fh:
        rag = {r["id"]: (r["status_category"], r["rag"]) for r in csv.DictReader(fh)}
    assert rag["5"] == ("in progress", "red") and rag["11"] == ("superseded", "blue") and len(rag) == 15
    assert yaml.safe_load((out / "codebook.yaml").read_text(encoding="utf-8"))["themes"][0]["id"] == "caseload_workload"


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
    kept = nbformat.read(out_root / "example-frontline-2025.failed" / "working" / "executed.ipynb", as_version=4)
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
    assert out.startswith(f"{EXAMPLE}: OK\n")
    assert "  visit notes: 8 files, 66 points, 7 teams (Assessment and Intervention Team," in out
    assert "\n  recommendations: 15\n" in out and "\n  commentary: 6 sections\n" in out


def test_papermill_runs_the_notebook_directly(tmp_path: Path) -> None:
    out = tmp_path / "out.ipynb"
    proc = subprocess.run(
        [str(Path(sys.executable).parent / "papermill"), "notebooks/review.ipynb", str(out), "-f", "params/example.yaml",
         "--no-progress-bar"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    nb = nbformat.read(out, as_version=4)
    html = "".join(o.get("data", {}).get("text/html", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs)
    assert "Caseloads and workload came up 9 times in 5 of the 7 visits" in html
    assert "The average caseload was 22.8 cases per FTE in 2024 against a target of 20" in html


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


# --- what may be published, and only that --------------------------------------------------------------

WORKING_FILES = ["codebook.yaml", "coded_points.csv", "executed.ipynb", "findings.csv", "manifest.json",
                 "recommendations.csv"]


def test_only_the_page_is_outside_working(example_report: Path) -> None:
    folder = example_report.parent
    outside = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")
                     if p.is_file() and "working" not in p.relative_to(folder).parts)
    assert outside == ["report.html"]
    assert sorted(p.name for p in (folder / "working").iterdir()) == WORKING_FILES
    html = example_report.read_text(encoding="utf-8")
    assert 'href="codebook.yaml"' not in html and 'href="#codebook"' in html
    assert '<section id="codebook" class="chapter appendix">' in html
    assert "northgate-locality.md" not in html  # file names stay in working/
    assert "Northgate Locality Team, 8 October 2024, visit 1, point" in html
    assert "<li>Visit 1: Northgate Locality Team, 8 October 2024</li>" in html


def test_the_manifest_records_paths_relative_to_the_params_file(example_report: Path) -> None:
    text = (example_report.parent / "working" / "manifest.json").read_text(encoding="utf-8")
    manifest = json.loads(text)
    assert str(ROOT) not in text and "/tmp/" not in text and '"/' not in text
    assert manifest["params"]["workforce"] == "../examples/frontline/workforce.csv"
    assert manifest["params"]["params_file"] == "example.yaml"
    assert manifest["notebook"] == "scrutiny_kit/notebooks/review.ipynb"
    assert "../examples/frontline/visits/2024-10-08-northgate-locality.md" in manifest["inputs"]
    assert "scrutiny_kit/codebooks/default.yaml" in manifest["inputs"]


def test_the_publish_check_covers_every_file_outside_working(tmp_path: Path) -> None:
    from scrutiny_kit.errors import PublishCheckError
    from scrutiny_kit.params import load_params
    from scrutiny_kit.report.pipeline import check_public_files

    params = load_params(EXAMPLE)
    folder = tmp_path / "review"
    (folder / "working").mkdir(parents=True)
    (folder / "report.html").write_text("<p>Caseloads rose to 26.</p>", encoding="utf-8")
    (folder / "working" / "coded_points.csv").write_text("text\nCall Jo Bloggs on 07700 900123\n")
    check_public_files(folder, params)  # working files are never published: not checked
    (folder / "notes.txt").write_text("Ask Jo Bloggs", encoding="utf-8")
    (folder / "img").mkdir()
    (folder / "img" / "caption.html").write_text('<img alt="Call 07700 900123">', encoding="utf-8")
    with pytest.raises(PublishCheckError) as exc:
        check_public_files(folder, params)
    found = [str(p) for p in exc.value.problems]
    assert any(p.startswith("notes.txt") and "Jo Bloggs" in p for p in found)
    assert any(p.startswith("img/caption.html") and "07700 900123" in p for p in found)


FORMULAS = ("=HYPERLINK(\"http://evil.example\",\"click\")", "+SUM(1,2)", "-2+3+cmd|' /C calc'!A0",
            "@SUM(A1:A2)")


def formula_review(tmp_path: Path, **extra: object) -> Path:
    """The example with formula-like text in a note (point, heading, team), the tracker and the commentary."""
    params = copy_example(tmp_path)
    note = tmp_path / "inputs" / "visits" / "2024-10-08-northgate-locality.md"
    text = note.read_text(encoding="utf-8").replace("team: Northgate Locality Team", "team: '@Northgate Locality Team'")
    note.write_text(text + f"\n- {FORMULAS[0]}\n- {FORMULAS[1]} staff said caseloads are too high\n",
                    encoding="utf-8")
    tracker = tmp_path / "inputs" / "recommendations.csv"
    lines = tracker.read_text(encoding="utf-8").splitlines()
    lines.append('99,"=1+1 caseload check",caseload_workload,"-Head of Service",Agreed,"' + FORMULAS[2].replace('"', '""')
                 + '",31/12/2025,,"' + FORMULAS[3] + '",')
    tracker.write_text("\n".join(lines) + "\n", encoding="utf-8")
    commentary = tmp_path / "inputs" / "commentary.md"
    commentary.write_text(commentary.read_text(encoding="utf-8") + "\n=CMD() and @once\n",
                          encoding="utf-8")
    raw = yaml.safe_load(params.read_text())
    raw.update(extra)
    params.write_text(yaml.safe_dump(raw, sort_keys=False))
    return params


def test_every_csv_written_neutralises_formulas_and_keeps_numbers(tmp_path: Path) -> None:
    import csv

    params = formula_review(tmp_path)
    out = tmp_path / "out"
    assert main(["run", str(params), "--output-dir", str(out), "--quiet"]) == 0
    written = sorted(out.rglob("*.csv"))
    assert [p.relative_to(out).as_posix() for p in written] == [
        "example-frontline-2025/working/coded_points.csv", "example-frontline-2025/working/findings.csv",
        "example-frontline-2025/working/recommendations.csv", "themes_by_review.csv"]
    cells = {p.name: [c for row in csv.reader(p.open(encoding="utf-8")) for c in row] for p in written}
    for name, values in cells.items():
        for value in values:
            if value[:1] in ("=", "+", "-", "@", "\t", "\r"):
                float(value.rstrip("%"))  # only a plain number may start with a sign: anything else fails here
    coded = cells["coded_points.csv"]
    assert "'" + FORMULAS[0] in coded and "'@Northgate Locality Team" in coded
    assert any(c.startswith("'" + FORMULAS[1]) for c in coded)
    recs = cells["recommendations.csv"]
    assert "'=1+1 caseload check" in recs and "'-Head of Service" in recs and "'" + FORMULAS[2] in recs
    assert "'" + FORMULAS[3] in recs
    findings = list(csv.DictReader((out / "example-frontline-2025" / "working" / "findings.csv").open(encoding="utf-8")))
    counts = [row[column] for row in findings for column in ("points", "visits", "concern", "positive")]
    assert all(value.isdigit() for value in counts) and sum(map(int, counts)) > 0  # counts stay plain numbers
    html = (out / "example-frontline-2025" / "report.html").read_text(encoding="utf-8")
    assert "'=" not in html  # the page shows the text as written


def test_personal_data_key_redacts_without_a_flag_and_run_refuses_before_executing(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    params = copy_example(tmp_path)
    note = tmp_path / "inputs" / "visits" / "2024-11-19-riverside-locality.md"
    note.write_text(note.read_text(encoding="utf-8") + "\n- Staff said Jo Bloggs covers the duty rota.\n",
                    encoding="utf-8")
    out = tmp_path / "out"
    capsys.readouterr()
    assert main(["run", str(params), "--output-dir", str(out)]) == 3  # default: refuse
    err = capsys.readouterr().err
    assert "name found: 'Jo Bloggs'" in err and "2024-11-19-riverside-locality.md" in err
    assert "execute:" not in err  # refused before the notebook ran, as validate does
    assert not (out / "example-frontline-2025").exists() and not list(out.glob(".*staging*"))

    raw = yaml.safe_load(params.read_text())
    raw["personal_data"] = "redact"
    params.write_text(yaml.safe_dump(raw, sort_keys=False))
    assert main(["run", str(params), "--output-dir", str(out), "--quiet"]) == 0
    html = (out / "example-frontline-2025" / "report.html").read_text(encoding="utf-8")
    assert "Jo Bloggs" not in html
    coded = (out / "example-frontline-2025" / "working" / "coded_points.csv").read_text(encoding="utf-8")
    assert "Staff said [redacted] covers the duty rota." in coded and "Jo Bloggs" not in coded
    manifest = json.loads((out / "example-frontline-2025" / "working" / "manifest.json").read_text())
    assert manifest["apply_redaction"] is True and manifest["redactions"] == {"name": 1}

    raw["personal_data"] = "maybe"
    params.write_text(yaml.safe_dump(raw, sort_keys=False))
    assert main(["validate", str(params)]) == 2
    assert "personal_data" in capsys.readouterr().err
