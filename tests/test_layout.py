"""The layout rules the house keeps: tests mirror the package's modules, and no module reaches into another's
private (underscored) names."""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "scrutiny_kit"
TESTS = ROOT / "tests"

# Modules with logic that have no test module of their own, and why. Each is a part of the module named in
# its reason and is tested through that module's public functions (its test module is the place to look).
TESTED_THROUGH = {
    "__init__.py": "the lazy `open_review` / `Review` of tests/test_review.py",
    "analysis/finding_types.py": "analysis/findings.py: the dataclasses Findings is made of",
    "batch/jobs.py": "batch/__init__.py (`run_all`, tests/batch/test_batch.py): Job, Outcome, Settings",
    "batch/planning.py": "batch/__init__.py (`run_all`, tests/batch/test_batch.py): steps 1-2",
    "batch/summary.py": "batch/__init__.py (`run_all`, tests/batch/test_batch.py): the progress bar and table",
    "batch/workers.py": "batch/__init__.py (`run_all`, tests/batch/test_batch.py): the worker pool",
    "coding/coder.py": "coding/points.py (`code_points` compiles the codebook with it)",
    "coding/sheet_layout.py": "coding/sheet.py: the sheet's columns and styles, written and read there",
    "coding/sheet_reader.py": "coding/sheet.py (`read_sheet`, tests/coding/test_sheet.py)",
    "coding/sheet_writer.py": "coding/sheet.py (`write_sheet`, tests/coding/test_sheet.py)",
    "coding/check_rows.py": "coding/check.py (tests/coding/test_check.py): rows as plain data",
    "sources/tracker_files.py": "sources/recommendations.py (tests/sources/test_recommendations.py)",
    "sources/workforce_table.py": "sources/workforce.py (`load_workforce`, tests/sources/test_workforce.py)",
    "sources/workforce_schema.py": "sources/workforce.py (`load_workforce`, tests/sources/test_workforce.py)",
}

# Test modules that test the project rather than one module, and test helpers' own tests.
PROJECT_TESTS = {
    "test_architecture_doc.py": "docs/architecture.md names every module, and only modules that exist",
    "test_browser_harness.py": "tests/browser.py, the browser harness every browser test uses",
    "test_layout.py": "this file: the layout rules",
    "test_packaging.py": "pyproject.toml and environment.yml agree; CI runs the README's command",
    "test_wheel.py": "the built wheel, installed and run outside the checkout",
    "cli/test_cli_hostile.py": "hostile files and machines end to end through `scrutiny-kit run`",
}


def has_logic(path: Path) -> bool:
    """True when a module defines a function or class (not only constants or re-exports)."""
    return any(isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
               for node in ast.parse(path.read_text(encoding="utf-8")).body)


def mirrored_test(module: Path) -> Path:
    """scrutiny_kit/a/b.py -> tests/a/test_b.py; a folder's __init__.py -> tests/<folder>/test_<folder>.py."""
    relative = module.relative_to(PACKAGE)
    name = relative.parent.name if relative.name == "__init__.py" else relative.stem
    return TESTS / relative.parent / f"test_{name}.py"


def package_modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def test_every_module_with_logic_has_its_mirrored_test_module() -> None:
    missing = [str(m.relative_to(PACKAGE)) for m in package_modules()
               if has_logic(m) and not mirrored_test(m).exists()
               and m.relative_to(PACKAGE).as_posix() not in TESTED_THROUGH]
    assert not missing, (f"no mirrored test module for {missing}: add tests/<folder>/test_<module>.py, or list the "
                         "module in TESTED_THROUGH with the module whose tests cover it")


def test_the_exceptions_are_still_exceptions() -> None:
    stale = [name for name in TESTED_THROUGH
             if not (PACKAGE / name).exists() or mirrored_test(PACKAGE / name).exists()]
    assert not stale, f"TESTED_THROUGH names modules that are gone or now have their own tests: {stale}"


def test_every_test_module_mirrors_a_module() -> None:
    mirrors = {mirrored_test(m) for m in package_modules()}
    strays = [p.relative_to(TESTS).as_posix() for p in sorted(TESTS.rglob("test_*.py"))
              if "fixtures" not in p.parts and p not in mirrors
              and p.relative_to(TESTS).as_posix() not in PROJECT_TESTS]
    assert not strays, f"test modules that mirror no module of scrutiny_kit/ (moved or renamed?): {strays}"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imported_from(node: ast.ImportFrom, path: Path) -> str:
    """The absolute module an ``from X import ...`` reads from."""
    if not node.level:
        return node.module or ""
    package = _module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    base = package[: len(package) - node.level + 1]
    return ".".join(base + ([node.module] if node.module else []))


def private_reaches(path: Path, text: str | None = None) -> list[str]:
    """Every place in one module (its `text`, read from `path` if not given) that imports or reads another
    scrutiny_kit module's private name."""
    tree = ast.parse(path.read_text(encoding="utf-8") if text is None else text)
    found, modules = [], set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            source = _imported_from(node, path)
            if not source.startswith("scrutiny_kit"):
                continue
            for alias in node.names:
                if alias.name.startswith("_") and not alias.name.startswith("__"):
                    found.append(f"line {node.lineno}: from {source} import {alias.name}")
                elif (PACKAGE.parent / source.replace(".", "/") / f"{alias.name}.py").exists():
                    modules.add(alias.asname or alias.name)  # `from . import svg_render`: a module
        elif isinstance(node, ast.Import):
            modules.update(alias.asname or alias.name for alias in node.names if alias.name.startswith("scrutiny_kit"))
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in modules
                and node.attr.startswith("_") and not node.attr.startswith("__")):
            found.append(f"line {node.lineno}: {node.value.id}.{node.attr}")
    return found


def test_no_module_imports_another_modules_private_names() -> None:
    reaches = {str(p.relative_to(ROOT)): r for p in package_modules() if (r := private_reaches(p))}
    assert not reaches, ("make a shared name public in the module that owns it (or move it where it belongs): "
                         f"{reaches}")


def test_the_private_name_check_sees_relative_imports_and_module_attributes() -> None:
    text = "from .chart_data import _info, trend_data\nfrom . import svg_render\nsvg_render._draw()\nx._y()\n"
    reaches = private_reaches(PACKAGE / "presentation" / "chart_specs.py", text)
    assert reaches == ["line 1: from scrutiny_kit.presentation.chart_data import _info", "line 3: svg_render._draw"]


FLOW = ["sources", "coding", "analysis", "presentation", "report", "batch", "cli"]  # each imports only from before
FACADES = {"__init__.py", "inputs.py", "review.py", "notebook_params.py", "scaffold.py"}  # join the flow for callers


def backward_imports(path: Path, text: str | None = None) -> list[str]:
    """Imports in one module (its `text`, read from `path` if not given) that run against the flow: a folder
    importing a later folder, a shared helper at the top importing any folder, a facade importing the CLI."""
    relative = path.relative_to(PACKAGE)
    folder = relative.parts[0] if len(relative.parts) > 1 else None
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8") if text is None else text)):
        if not isinstance(node, ast.ImportFrom):
            continue
        source = _imported_from(node, path).split(".")
        if source[0] != "scrutiny_kit":
            continue
        targets = [source[1]] if len(source) > 1 else [alias.name for alias in node.names]
        for target in (t for t in targets if t in FLOW):
            if folder is None and relative.name in FACADES:
                allowed = target != "cli"
            elif folder is None:
                allowed = False
            else:
                allowed = FLOW.index(target) <= FLOW.index(folder)
            if not allowed:
                found.append(f"line {node.lineno}: {relative.as_posix()} imports {'.'.join(source)}")
    return found


def test_the_package_imports_only_along_the_flow() -> None:
    backward = [line for p in package_modules() for line in backward_imports(p)]
    assert backward == []


def test_the_flow_check_sees_backward_imports() -> None:
    assert backward_imports(PACKAGE / "sources" / "text.py", "from ..report.publish import publish\n") == [
        "line 1: sources/text.py imports scrutiny_kit.report.publish"]
    assert backward_imports(PACKAGE / "yamlio.py", "from .sources.characters import clean\n") == [
        "line 1: yamlio.py imports scrutiny_kit.sources.characters"]
    assert backward_imports(PACKAGE / "review.py", "from .cli import main\nfrom . import coding\n") == [
        "line 1: review.py imports scrutiny_kit.cli"]
    assert backward_imports(PACKAGE / "report" / "publish.py", "from ..coding.points import code_points\n") == []
