"""docs/architecture.md draws the package: every module is named there, and every module it names exists."""
from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).parents[1]
DOC = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")


def test_every_package_module_is_named_in_the_architecture_map() -> None:
    modules = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "scrutiny_kit").rglob("*.py")
                     if p.name not in ("__init__.py", "__main__.py"))
    assert len(modules) > 60  # the walk found the package
    assert [m for m in modules if not re.search(rf"\b{re.escape(Path(m).name)}\b", DOC)] == []


def test_every_module_the_map_names_exists() -> None:
    files = {p.name for folder in ("scrutiny_kit", "tests", "benchmarks", "examples", "notebooks")
             for p in (ROOT / folder).rglob("*.py")}
    named = set(re.findall(r"\b([a-z][a-z0-9_]*\.py)\b", DOC))
    assert sorted(named - files) == []
