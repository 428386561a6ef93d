"""`scrutiny-kit new` on the command line: what it prints, and errors as messages with exit status 2."""
from __future__ import annotations

from pathlib import Path

import pytest

from scrutiny_kit.cli import build_parser, main

DFE = Path(__file__).resolve().parents[1] / "fixtures" / "workforce" / "dfe_new_layout.csv"


def test_new_writes_the_folder_and_says_what_to_do_next(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["new", "my-review", "--authority", "North Tyneside", "--committee", "Children's Scrutiny Panel",
                 "--title", "Frontline social work"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("my-review: review 'my-review'\n")
    assert "  wrote my-review/params.yaml\n" in out and "  wrote my-review/visits/example-visit.docx\n" in out
    assert "scrutiny-kit validate my-review/params.yaml" in out and "scrutiny-kit run my-review/params.yaml" in out
    assert main(["validate", "my-review/params.yaml"]) == 0
    out = capsys.readouterr().out
    assert "my-review/params.yaml: OK" in out
    assert "  example content to replace before publishing: visit note example-visit.docx, " in out
    assert main(["new", "my-review"]) == 0  # again: nothing overwritten, each file said to be kept
    assert "  kept  my-review/params.yaml (already there: not overwritten)" in capsys.readouterr().out


def test_new_with_an_unknown_authority_is_a_message_and_exit_2(tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["new", str(tmp_path / "r"), "--authority", "East Ridding", "--workforce", str(DFE)])
    err = capsys.readouterr().err
    assert status == 2
    assert err.startswith("error: ") and "closest matches: 'East Riding of Yorkshire'" in err
    assert "Traceback" not in err and not (tmp_path / "r").exists()


def test_new_has_the_contract_options() -> None:
    args = build_parser().parse_args(["new", "d", "--authority", "A", "--workforce", "w.csv", "--committee", "C",
                                      "--title", "T"])
    assert (args.review_dir, args.authority, args.workforce, args.committee, args.title) == (
        Path("d"), "A", Path("w.csv"), "C", "T")
