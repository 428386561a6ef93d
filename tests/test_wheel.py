"""The packaged path: build the wheel, install it into a fresh virtual environment outside the checkout, and
start and render a review there with `scrutiny-kit new` and `run`, as a council analyst would.

Offline and quick: the wheel is built without build isolation (setuptools is a test dependency), and the new
environment reuses this one's installed dependencies through a .pth file, so only scrutiny-kit itself is
installed into it. A .pth entry is not a site directory, so this environment's own (editable) scrutiny-kit is
never seen there: the test checks that the package runs from the new environment.
"""
from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOT_SOURCE = (".venv", ".git", "build", "dist", "*.egg-info", "__pycache__", ".pytest_cache", ".ipynb_checkpoints")


def _run(args: list[str], *, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, f"{args} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}"
    return done


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel, built from a copy of the checkout (so the build leaves nothing in it)."""
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(*NOT_SOURCE), symlinks=True)
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
          "--disable-pip-version-check", "-q", "-w", str(work / "dist"), str(source)], cwd=work)
    (built,) = (work / "dist").glob("scrutiny_kit-*.whl")
    return built


def test_the_wheel_holds_the_package_and_its_resources_only(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    outside = [n for n in names if not n.startswith(("scrutiny_kit/", "scrutiny_kit-"))]
    assert not outside, f"files outside the package: {outside}"
    assert not [n for n in names if re.search(r"(^|/)(tests?|fixtures|benchmarks|_work|outputs|examples|params"
                                              r"|__pycache__|\.ipynb_checkpoints)/|\.pyc$", n)]
    for needed in ("scrutiny_kit/notebooks/review.ipynb", "scrutiny_kit/codebooks/default.yaml",
                   "scrutiny_kit/jupyter/kernels/scrutiny-kit/kernel.json",
                   "scrutiny_kit/templates/nbconvert/scrutiny/index.html.j2",
                   "scrutiny_kit/templates/nbconvert/scrutiny/report.css",
                   "scrutiny_kit/templates/fragments/theme.html.j2", "scrutiny_kit/templates/index/index.js",
                   "scrutiny_kit/templates/new/params.yaml.j2", "scrutiny_kit/templates/new/commentary.md.j2",
                   "scrutiny_kit/templates/new/example-visit.md.j2"):
        assert needed in names
    entry_points = zipfile.ZipFile(wheel).read(
        next(n for n in names if n.endswith(".dist-info/entry_points.txt"))).decode()
    assert "scrutiny-kit = scrutiny_kit.cli:command" in entry_points
    size = wheel.stat().st_size
    print(f"\n{wheel.name}: {len(names)} files, {size / 1024:.0f} KB")
    assert size < 400_000


def _fresh_environment(where: Path, wheel: Path) -> tuple[Path, dict[str, str]]:
    """A new virtual environment with the wheel installed and this environment's dependencies visible."""
    venv.create(where, with_pip=False, symlinks=os.name != "nt")
    python = where / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    purelib = Path(_run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                        cwd=where).stdout.strip())
    (purelib / "_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    _run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-index",
          "--disable-pip-version-check", "-q", str(wheel)], cwd=where)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "JUPYTER_PATH", "VIRTUAL_ENV")}
    # nbconvert's own base templates are data files of the environment it is installed in (this one).
    env["JUPYTER_PATH"] = str(Path(sys.prefix) / "share" / "jupyter")
    return python, env


def test_installed_wheel_starts_and_renders_a_review_from_any_folder(wheel: Path, tmp_path: Path) -> None:
    python, env = _fresh_environment(tmp_path / "env", wheel)
    tool = python.parent / "scrutiny-kit"
    work = tmp_path / "council"
    work.mkdir()
    where = _run([str(python), "-c", "import scrutiny_kit.resources as r; print(r.NOTEBOOK)"], cwd=work, env=env)
    assert Path(where.stdout.strip()).is_relative_to(tmp_path / "env")  # not this checkout's package

    made = _run([str(tool), "new", "reviews/frontline-2026", "--authority", "North Tyneside",
                 "--committee", "Children's Scrutiny Panel"], cwd=work, env=env)
    assert "wrote reviews/frontline-2026/recommendations.xlsx" in made.stdout
    checked = _run([str(tool), "validate", "reviews/frontline-2026/params.yaml"], cwd=work, env=env)
    assert "visit notes: 2 files, 7 points" in checked.stdout
    rendered = _run([str(tool), "run", "reviews/frontline-2026/params.yaml", "--quiet"], cwd=work, env=env)
    report = work / "outputs" / "frontline-2026" / "report.html"
    assert rendered.stdout.strip() == str(report)

    page = html.unescape(report.read_text(encoding="utf-8"))
    text = " ".join(re.sub(r"<[^>]+>", " ", re.sub(r"<(svg|style)\b.*?</\1>", " ", page, flags=re.S)).split())
    assert "<title>Frontline 2026 – North Tyneside</title>" in page
    assert "Committee Children's Scrutiny Panel" in text
    assert "The findings draw on the notes of 2 visits to 2 teams" in text
    assert "The vacancy rate was 19.5% in 2025, up from 14.5% in 2023." in text
    assert "Example point: social workers said their caseloads had risen since the summer" in text
    assert "EXAMPLE: report average caseloads by team to this committee every quarter" in text
    assert "this report was rendered from EXAMPLE content" in text
    # one chart per measure linked to a theme raised: FTE, vacancy and turnover (recruitment), caseloads, agency
    assert page.count("<svg") == 5
    manifest = json.loads((report.parent / "working" / "manifest.json").read_text())
    assert manifest["notebook"] == "scrutiny_kit/notebooks/review.ipynb"  # the package's own, by a portable path
    executed = json.loads((report.parent / "working" / "executed.ipynb").read_text())
    assert Path(executed["metadata"]["papermill"]["input_path"]).is_relative_to(tmp_path / "env")
    assert manifest["summary"]["recommendations"] == 1
