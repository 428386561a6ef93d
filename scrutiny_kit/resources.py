"""The files the package ships inside itself (review notebook, templates, codebooks, kernelspec), found with
importlib.resources so that `scrutiny-kit` works however it was installed: editable, `pip install .`, a wheel,
conda, from any working folder.

nbconvert, Jinja's file loaders and Jupyter's kernel search need real folders on disk. An ordinary install
(any of the above) unpacks the package, so its resources already are files and are used in place; only a
package imported from a zip archive has its resources copied once to a temporary folder.
"""
from __future__ import annotations

import atexit
import shutil
import tempfile
from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

PACKAGE = "scrutiny_kit"


def package_path(*parts: str) -> Path:
    """The shipped file or folder `parts` (e.g. "notebooks", "review.ipynb") as a path on disk."""
    return _package_root().joinpath(*parts)


@cache
def _package_root() -> Path:
    root = files(PACKAGE)
    if isinstance(root, Path):
        return root
    folder = Path(tempfile.mkdtemp(prefix="scrutiny-kit-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return materialise(root, folder / PACKAGE)


def materialise(tree: Traversable, destination: Path) -> Path:
    """Copy a resource tree that is not on disk (a zip archive's) to the folder `destination`."""
    destination.mkdir(parents=True, exist_ok=True)
    for child in tree.iterdir():
        if child.name == "__pycache__":
            continue
        if child.is_dir():
            materialise(child, destination / child.name)
        else:
            (destination / child.name).write_bytes(child.read_bytes())
    return destination


NOTEBOOK = package_path("notebooks", "review.ipynb")
DEFAULT_CODEBOOK = package_path("codebooks", "default.yaml")
TEMPLATES = package_path("templates")
KERNELS = package_path("jupyter")
