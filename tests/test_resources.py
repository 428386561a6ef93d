"""The package's own files are found inside it (importlib.resources), wherever it is installed."""
from __future__ import annotations

import zipfile
from pathlib import Path

from scrutiny_kit import resources
from scrutiny_kit.coding.codebook import DEFAULT_CODEBOOK
from scrutiny_kit.report.manifest import DEFAULT_NOTEBOOK

ROOT = Path(__file__).resolve().parent.parent


def test_the_notebook_analysts_open_is_the_one_the_package_runs() -> None:
    top, packaged = ROOT / "notebooks" / "review.ipynb", resources.NOTEBOOK
    assert packaged.read_bytes() == top.read_bytes(), (
        f"{top} and {packaged} differ: copy the one you changed over the other, without its outputs")
    assert DEFAULT_NOTEBOOK == packaged


def test_every_shipped_resource_is_inside_the_package() -> None:
    package = Path(resources.__file__).parent
    for path in (resources.NOTEBOOK, DEFAULT_CODEBOOK, resources.KERNELS / "kernels" / "scrutiny-kit" / "kernel.json",
                 resources.TEMPLATES / "nbconvert" / "scrutiny" / "index.html.j2",
                 resources.TEMPLATES / "new" / "params.yaml.j2"):
        assert path.is_file(), path
        assert path.is_relative_to(package)


def test_resources_in_a_zip_archive_are_copied_to_disk(tmp_path: Path) -> None:
    archive = tmp_path / "pkg.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("scrutiny_kit/notebooks/review.ipynb", "{}")
        zf.writestr("scrutiny_kit/templates/new/params.yaml.j2", "review_id: x\n")
        zf.writestr("scrutiny_kit/__pycache__/a.pyc", b"\0")
    tree = zipfile.Path(archive, "scrutiny_kit/")
    out = resources.materialise(tree, tmp_path / "copy")
    assert (out / "notebooks" / "review.ipynb").read_text() == "{}"
    assert (out / "templates" / "new" / "params.yaml.j2").read_text() == "review_id: x\n"
    assert not (out / "__pycache__").exists()
