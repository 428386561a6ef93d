"""environment.yml (conda) and pyproject.toml (pip) must ask for the same packages in the same ranges."""
from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
_SPEC = re.compile(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*)$")


def _split(requirement: str) -> tuple[str, str]:
    name, spec = _SPEC.match(requirement).groups()
    return name.lower().replace("_", "-"), spec.replace(" ", "")


def pyproject_requirements() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    reqs = list(project["dependencies"]) + list(project["optional-dependencies"]["test"])
    return dict(_split(r) for r in reqs)


def conda_requirements() -> dict[str, str]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    found: dict[str, str] = {}
    for dep in env["dependencies"]:
        entries = dep["pip"] if isinstance(dep, dict) else [dep]
        for entry in entries:
            if entry.startswith("-e") or entry in {"pip"} or entry.startswith("python>"):
                continue
            name, spec = _split(entry)
            found[name] = spec
    return found


def test_environment_yml_lists_the_same_dependencies_as_pyproject() -> None:
    pip, conda = pyproject_requirements(), conda_requirements()
    assert set(conda) == set(pip), f"only in pyproject: {set(pip) - set(conda)}; only in environment.yml: {set(conda) - set(pip)}"
    mismatched = {name: (pip[name], conda[name]) for name in pip if pip[name] != conda[name]}
    assert not mismatched, f"version ranges differ (pyproject, environment.yml): {mismatched}"


def test_every_dependency_has_an_upper_bound() -> None:
    unbounded = [name for name, spec in pyproject_requirements().items() if "<" not in spec]
    assert not unbounded, f"pin a range with an upper bound for: {unbounded}"


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text()
    assert "make test" in ci
    assert "make test" in (ROOT / "README.md").read_text()
