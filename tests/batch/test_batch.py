"""`scrutiny-kit run-all`: parallel workers, failures kept to their own review, caching, --force, Ctrl-C and
killed workers never damaging a previous report, and the index written from the real manifests.

Most tests use a fake `run_review` (top-level functions below, so "spawn" workers can import them) over tiny
generated reviews; the tests marked "real" render for real (about 8 renders in all, shared where possible).
"""
from __future__ import annotations

import csv
import importlib.util
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from scrutiny_kit import batch
from scrutiny_kit.batch import run_all
from scrutiny_kit.errors import InputError, Problem

ROOT = Path(__file__).resolve().parents[2]
CLI = [sys.executable, "-m", "scrutiny_kit.cli"]


def _load_make_reviews():
    spec = importlib.util.spec_from_file_location("make_reviews", ROOT / "benchmarks" / "make_reviews.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_reviews"] = module
    spec.loader.exec_module(module)
    return module


make_reviews = _load_make_reviews()


# --------------------------------------------------------------------------- a fake run_review


@dataclass
class FakeResult:
    review_id: str
    status: str
    report: Path
    seconds: float


def fake_run_review(params_path, *, output_root, notebook=None, apply_redaction=False, force=True, progress=None):
    """Behaves by review_id prefix: ok-/slow- render a page and a real-keyed manifest, boom- raises a bug,
    officer- an officer's InputError, die- creates a staging folder then is SIGKILLed, hang- waits forever
    in its staging folder. Every call is logged to output_root/calls.log (review, pid, start, end)."""
    from scrutiny_kit.params import load_params
    from scrutiny_kit.report.manifest import input_hashes, manifest_path, write_manifest
    from scrutiny_kit.report.pipeline import default_notebook, is_unchanged

    start = time.time()
    params = load_params(params_path)
    rid = params.review_id
    root = Path(output_root)
    final = root / rid
    hashes = input_hashes(params, Path(notebook or default_notebook()).resolve())
    if not force and is_unchanged(final, hashes, apply_redaction):
        return FakeResult(rid, "unchanged", final / "report.html", 0.0)
    if rid.startswith("boom-"):
        raise ValueError("boom")
    if rid.startswith("officer-"):
        raise InputError([Problem("workforce.csv", "column 'authority' is missing", line=1, line_label="row")])
    if rid.startswith(("die-", "hang-")):
        staging = root / f".{rid}.staging-fake"
        staging.mkdir(parents=True)
        (staging / "report.html").write_text("half")
        if rid.startswith("die-"):
            os.kill(os.getpid(), signal.SIGKILL)
        time.sleep(120)
    if rid.startswith("slow-"):
        time.sleep(1.5)
    final.mkdir(parents=True, exist_ok=True)
    (final / "report.html").write_text(f"<h1>{params.title}</h1> rendered by {os.getpid()}", encoding="utf-8")
    manifest_path(final).parent.mkdir(exist_ok=True)
    write_manifest(manifest_path(final), {
        "review_id": rid, "inputs": hashes, "apply_redaction": apply_redaction,
        "summary": {"title": params.title, "authority": params.authority, "committee": params.committee,
                    "report_date": params.report_date.isoformat(), "visits": 3, "points": 9, "recommendations": 1,
                    "themes": {"it_systems": {"label": "IT systems", "points": 2, "visits": 2, "concern": 2,
                                              "positive": 0}},
                    "top_concerns": ["it_systems"], "rag": {"red": 1, "amber": 0, "green": 0, "blue": 0}},
    })
    with open(root / "calls.log", "a", encoding="utf-8") as log:
        draw = os.environ.get("SCRUTINY_KIT_DRAW_IN_PROCESS", "-")
        log.write(f"{rid} {os.getpid()} {start:.3f} {time.time():.3f} {draw}\n")
    return FakeResult(rid, "rendered", final / "report.html", time.time() - start)


def calls(out: Path) -> list[list[str]]:
    log = out / "calls.log"
    return [line.split() for line in log.read_text().splitlines()] if log.exists() else []


@pytest.fixture(scope="session")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Inputs of one tiny generated review, reused by every fake review's params file."""
    root = tmp_path_factory.mktemp("fake-inputs")
    return make_reviews.make_reviews(root, 1, min_notes=2, max_notes=2)[0]


def fake_folder(tmp_path: Path, template: Path, review_ids: list[str]) -> Path:
    """A params folder with one params file per review id, all pointing at the template's inputs."""
    raw = yaml.safe_load(template.read_text())
    folder = tmp_path / "params"
    folder.mkdir()
    for rid in review_ids:
        data = dict(raw, review_id=rid, title=f"Review {rid}")
        for key in ("visit_notes", "workforce", "recommendations"):
            data[key] = str((template.parent / raw[key]).resolve())
        (folder / f"{rid}.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    return folder


def fake_run(folder: Path, out: Path, **kwargs) -> int:
    kwargs.setdefault("jobs", 2)
    kwargs.setdefault("quiet", True)
    return run_all(folder, output_root=out, runner=fake_run_review, **kwargs)


# --------------------------------------------------------------------------- with the fake runner


def test_reviews_run_in_parallel_worker_processes(tmp_path, inputs, capsys):
    folder = fake_folder(tmp_path, inputs, ["slow-a", "slow-b"])
    out = tmp_path / "out"
    assert fake_run(folder, out, jobs=2) == 0
    log = {row[0]: (int(row[1]), float(row[2]), float(row[3])) for row in calls(out)}
    assert set(log) == {"slow-a", "slow-b"}
    (pid_a, start_a, end_a), (pid_b, start_b, end_b) = log["slow-a"], log["slow-b"]
    assert pid_a != pid_b != os.getpid()
    assert start_a < end_b and start_b < end_a, "the two reviews did not overlap in time"
    # one level of parallelism: a worker's kernels draw their own charts (no helper process per review)
    assert {row[4] for row in calls(out)} == {"1"} and "SCRUTINY_KIT_DRAW_IN_PROCESS" not in os.environ
    table = capsys.readouterr().out
    assert "slow-a" in table and "slow-b" in table and table.count("rendered") >= 2
    assert "2 rendered, 0 unchanged, 0 failed" in table
    index = (out / "index.html").read_text()
    assert 'href="slow-a/report.html"' in index and "Review slow-b" in index


def test_the_largest_reviews_start_first_and_the_summary_keeps_name_order(tmp_path, inputs, capsys):
    folder = fake_folder(tmp_path, inputs, ["ok-a", "ok-b", "ok-c"])
    visits = inputs.parent / yaml.safe_load(inputs.read_text())["visit_notes"]
    for rid, extra_bytes in (("ok-b", 40_000), ("ok-c", 20_000)):
        notes = shutil.copytree(visits, tmp_path / f"visits-{rid}")
        (notes / "zz-long.md").write_text("---\ndate: 2025-01-01\nteam: A\n---\n" + "- A point.\n" * (extra_bytes // 11))
        data = yaml.safe_load((folder / f"{rid}.yaml").read_text())
        (folder / f"{rid}.yaml").write_text(yaml.safe_dump(dict(data, visit_notes=str(notes)), sort_keys=False))
    out = tmp_path / "out"
    assert fake_run(folder, out, jobs=1) == 0
    assert [row[0] for row in calls(out)] == ["ok-b", "ok-c", "ok-a"]
    table = capsys.readouterr().out
    assert table.index("ok-a") < table.index("ok-b") < table.index("ok-c")


def test_failures_stay_with_their_review_and_are_summarised(tmp_path, inputs, capsys):
    folder = fake_folder(tmp_path, inputs, ["boom-b", "die-d", "officer-c", "ok-a", "ok-e"])
    out = tmp_path / "out"
    assert fake_run(folder, out, jobs=2) == 1
    captured = capsys.readouterr()
    rows = {line.split("│")[1].strip(): line for line in captured.out.splitlines() if line.count("│") >= 4}
    assert "rendered" in rows["ok-a"] and "rendered" in rows["ok-e"]
    assert "failed" in rows["boom-b"] and "unexpected ValueError: boom" in rows["boom-b"]
    assert "failed" in rows["officer-c"] and "workforce.csv, row 1: column 'authority' is missing" in rows["officer-c"]
    assert "failed" in rows["die-d"] and "stopped unexpectedly (killed by SIGKILL" in captured.out
    assert "2 rendered, 0 unchanged, 3 failed" in captured.out
    assert "Traceback" not in captured.out + captured.err
    assert sorted(r[0] for r in calls(out)) == ["ok-a", "ok-e"]  # the killed worker's replacement went on
    assert not list(out.glob(".*staging*")), "the killed worker's staging folder was left behind"
    assert (out / "ok-a" / "report.html").is_file() and not (out / "die-d").exists()
    index = (out / "index.html").read_text()
    assert "ok-a/report.html" in index and "boom-b" not in index


def test_bad_params_and_duplicate_review_ids_fail_in_the_parent(tmp_path, inputs, capsys):
    folder = fake_folder(tmp_path, inputs, ["ok-a", "ok-b"])
    (folder / "broken.yml").write_text("review_id: Not A Slug\ntitle: x\n")
    dup = yaml.safe_load((folder / "ok-a.yaml").read_text())
    (folder / "zz-copy.yaml").write_text(yaml.safe_dump(dup))
    bad_date = re.sub(r"(?m)^report_date:.*$", "report_date: 2025-02-30",
                      (folder / "ok-b.yaml").read_text().replace("review_id: ok-b", "review_id: bad-date"))
    (folder / "bad-date.yaml").write_text(bad_date)  # unquoted: YAML's own date reading would raise
    out = tmp_path / "out"
    assert fake_run(folder, out) == 1
    table = capsys.readouterr().out
    assert "broken" in table and "missing required key 'authority'" in table
    assert "bad-date.yaml, line 5: key 'report_date': '2025-02-30'" in table
    assert "(day is out of range for month)" in table  # the table wraps long messages
    assert "review_id 'ok-a' is also used by" in table
    assert sorted(r[0] for r in calls(out)) == ["ok-a", "ok-b"]


def test_unchanged_reviews_are_skipped_in_the_parent_and_force_renders_again(tmp_path, inputs, capsys):
    folder = fake_folder(tmp_path, inputs, ["ok-a", "ok-b"])
    out = tmp_path / "out"
    assert fake_run(folder, out) == 0
    before = {rid: (out / rid / "report.html").stat().st_mtime_ns for rid in ("ok-a", "ok-b")}
    capsys.readouterr()

    assert fake_run(folder, out) == 0
    assert len(calls(out)) == 2, "an unchanged review reached a worker"
    assert "0 rendered, 2 unchanged, 0 failed" in capsys.readouterr().out
    assert {rid: (out / rid / "report.html").stat().st_mtime_ns for rid in before} == before

    assert fake_run(folder, out, force=True) == 0
    assert len(calls(out)) == 4
    assert "2 rendered, 0 unchanged" in capsys.readouterr().out

    params = folder / "ok-b.yaml"  # an edited params file is a changed input of that review only
    params.write_text(params.read_text().replace("title: Review ok-b", "title: Review ok-b (revised)"))
    assert fake_run(folder, out) == 0
    assert [r[0] for r in calls(out)][4:] == ["ok-b"]
    assert "Review ok-b (revised)" in (out / "index.html").read_text()

    assert fake_run(folder, out, apply_redaction=True) == 0  # redaction mode is part of the cache key
    assert len(calls(out)) == 7


def test_no_change_run_all_imports_no_heavy_library(tmp_path, inputs):
    folder = fake_folder(tmp_path, inputs, ["ok-a", "ok-b", "ok-c"])
    out = tmp_path / "out"
    assert fake_run(folder, out) == 0
    code = ("import sys, time; t = time.perf_counter(); from scrutiny_kit.cli import main; "
            f"rc = main(['run-all', {str(folder)!r}, '--output-dir', {str(out)!r}]); "
            "print('HEAVY', sorted(m for m in ('pandas', 'altair', 'papermill', 'nbconvert', 'nbformat') "
            "if m in sys.modules)); "
            "sys.exit(rc)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "HEAVY []" in done.stdout
    assert "0 rendered, 3 unchanged, 0 failed" in done.stdout
    assert "3 unchanged, 0 with bad params, 0 to render" in done.stderr  # plain progress: stderr is not a TTY
    assert len(calls(out)) == 3


def test_the_parents_cache_check_agrees_with_the_pipelines(tmp_path, inputs):
    from scrutiny_kit.params import load_params
    from scrutiny_kit.report import pipeline
    from scrutiny_kit.report.manifest import input_hashes, is_cached, manifest_path

    folder = fake_folder(tmp_path, inputs, ["ok-a"])
    out = tmp_path / "out"
    assert fake_run(folder, out) == 0
    params, final = load_params(folder / "ok-a.yaml"), out / "ok-a"
    manifest = json.loads(manifest_path(final).read_text())

    def both(apply_redaction: bool = False) -> tuple[bool, bool]:
        hashes = input_hashes(params, pipeline.default_notebook().resolve())
        return (is_cached(params, final, None, apply_redaction),
                pipeline.is_unchanged(final, hashes, apply_redaction))

    assert both() == (True, True)
    assert both(apply_redaction=True) == (False, False)
    manifest_path(final).write_text(json.dumps({**manifest, "inputs": {**manifest["inputs"], "x": "y"}}))
    assert both() == (False, False)
    manifest_path(final).write_text("{not json")
    assert both() == (False, False)
    manifest_path(final).write_text(json.dumps(manifest))
    assert both() == (True, True)
    (final / "report.html").unlink()
    assert both() == (False, False)


def test_progress_lines_on_stderr_unless_quiet(tmp_path, inputs, capsys):
    folder = fake_folder(tmp_path, inputs, ["ok-a", "boom-b"])
    out = tmp_path / "out"
    assert fake_run(folder, out, quiet=False) == 1
    err = capsys.readouterr().err
    assert "run-all: 2 reviews in" in err and "2 to render with 2 worker processes" in err
    assert "rendered ok-a in" in err and "failed boom-b: unexpected ValueError: boom" in err
    assert "(2/2 done, 1 failed, 0 remaining)" in err
    assert fake_run(folder, out, quiet=True) == 1
    assert capsys.readouterr().err == ""


def test_ctrl_c_stops_workers_and_removes_their_staging_folders(tmp_path, inputs, capsys):
    folder = fake_folder(tmp_path, inputs, ["hang-a", "ok-b"])
    out = tmp_path / "out"
    previous = out / "hang-a" / "report.html"
    previous.parent.mkdir(parents=True)
    previous.write_text("the previous good report")
    pids: list[int] = []
    real_pool = batch.Pool

    class SpyPool(real_pool):
        def _start(self):
            slot = super()._start()
            pids.append(slot.process.pid)
            return slot

    def interrupt_when_rendering():
        deadline = time.time() + 60
        while time.time() < deadline and not list(out.glob(".hang-a.staging-*")):
            time.sleep(0.05)
        os.kill(os.getpid(), signal.SIGINT)

    threading.Thread(target=interrupt_when_rendering, daemon=True).start()
    batch.Pool = SpyPool
    try:
        with pytest.raises(KeyboardInterrupt):
            fake_run(folder, out, jobs=2)
    finally:
        batch.Pool = real_pool
    assert previous.read_text() == "the previous good report"
    assert not list(out.glob(".*staging*")) and not list(out.glob(".*previous*"))
    assert pids and all(not _alive(pid) for pid in pids)
    assert "interrupted" in capsys.readouterr().out


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as fh:  # a zombie is not alive
        return fh.read().split(")")[-1].split()[0] != "Z"


def test_jobs_must_be_positive_and_folder_must_hold_params(tmp_path):
    from scrutiny_kit.errors import ScrutinyKitError

    with pytest.raises(ScrutinyKitError, match="--jobs must be at least 1"):
        run_all(tmp_path, jobs=0)
    with pytest.raises(ScrutinyKitError, match=r"no params files \(\*.yaml, \*.yml\) found"):
        run_all(tmp_path)


def test_death_messages_name_the_signal():
    assert "killed by SIGKILL" in batch.death_message(-9)
    assert "exit status 3" in batch.death_message(3)


# --------------------------------------------------------------------------- real renders

TINY_SEED = 11


@pytest.fixture(scope="session")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Two tiny real reviews (4-5 visit notes), rendered once with `run-all --jobs 2` by the real CLI."""
    root = tmp_path_factory.mktemp("tiny")
    files = make_reviews.make_reviews(root, 2, seed=TINY_SEED, min_notes=4, max_notes=5)
    out = root / "outputs"
    done = subprocess.run([*CLI, "run-all", str(root / "params"), "--jobs", "2", "--output-dir", str(out)],
                          capture_output=True, text=True, cwd=root, timeout=600)
    ids = [yaml.safe_load(f.read_text())["review_id"] for f in files]
    return {"root": root, "params": root / "params", "files": files, "ids": ids, "out": out, "run": done}


def test_real_run_all_renders_each_review_and_the_index(tiny):
    done, out = tiny["run"], tiny["out"]
    assert done.returncode == 0, done.stdout + done.stderr
    for rid, params_file in zip(tiny["ids"], tiny["files"]):
        params = yaml.safe_load(params_file.read_text())
        report = (out / rid / "report.html").read_text()
        assert params["title"] in report and params["authority"] in report
        assert f"{rid}" in done.stdout
    assert "2 rendered, 0 unchanged, 0 failed" in done.stdout
    assert "2 to render with 2 worker processes" in done.stderr
    assert not list(out.glob(".*"))


def test_real_index_matches_the_manifests(tiny):
    out = tiny["out"]
    index = (out / "index.html").read_text()
    rows = list(csv.DictReader((out / "themes_by_review.csv").open()))
    assert index.count("<h1>") == 1
    for rid in tiny["ids"]:
        summary = json.loads((out / rid / "working" / "manifest.json").read_text())["summary"]
        assert f'<a href="{rid}/report.html">' in index
        for colour in ("red", "amber", "green", "blue"):
            assert f'<span class="rag rag-{colour}">{summary["rag"][colour]} {colour}</span>' in index
        assert summary["themes"], "the notebook recorded no themes"
        mine = {r["theme"]: r for r in rows if r["review_id"] == rid}
        for tid, theme in summary["themes"].items():
            assert mine[tid]["label"] == theme["label"]
            assert [int(mine[tid][k]) for k in ("points", "visits", "concern", "positive")] == \
                   [theme[k] for k in ("points", "visits", "concern", "positive")]
        assert all(r["authority"] == summary["authority"] for r in mine.values())
        top = summary["top_concerns"][0]
        assert f"<li>{summary['themes'][top]['label']}</li>" in index


def test_real_one_bad_workforce_file_fails_alone(tmp_path):
    spec_ids = [s.review_id for s in make_reviews.plan_reviews(2, seed=TINY_SEED + 1)]
    make_reviews.make_reviews(tmp_path, 2, seed=TINY_SEED + 1, min_notes=3, max_notes=3,
                              broken_workforce=(spec_ids[1],))
    out = tmp_path / "outputs"
    done = subprocess.run([*CLI, "run-all", str(tmp_path / "params"), "--jobs", "2", "--output-dir", str(out)],
                          capture_output=True, text=True, cwd=tmp_path, timeout=600)
    good, bad = spec_ids
    assert done.returncode == 1
    rows = {line.split("│")[1].strip(): line for line in done.stdout.splitlines() if line.count("│") >= 4}
    assert "rendered" in rows[good] and (out / good / "report.html").is_file()
    assert "failed" in rows[bad] and not (out / bad / "report.html").exists()
    assert "workforce.csv" in done.stdout and "Traceback" not in done.stdout + done.stderr
    assert "1 rendered, 0 unchanged, 1 failed" in done.stdout
    index = (out / "index.html").read_text()
    assert f"{good}/report.html" in index and f"{bad}/report.html" not in index


def test_real_cache_force_and_one_changed_input(tiny, tmp_path, capsys):
    out = tmp_path / "outputs"
    shutil.copytree(tiny["out"], out)
    a, b = tiny["ids"]
    stamp = lambda rid: (out / rid / "report.html").stat().st_mtime_ns  # noqa: E731
    before = {rid: stamp(rid) for rid in (a, b)}

    assert run_all(tiny["params"], output_root=out, quiet=True) == 0
    assert "0 rendered, 2 unchanged, 0 failed" in capsys.readouterr().out
    assert {rid: stamp(rid) for rid in (a, b)} == before

    recs = tiny["root"] / "reviews" / a / "recommendations.csv"
    original = recs.read_text()
    try:
        recs.write_text(original + "99,Publish a quarterly workforce dashboard,it_systems,Head of Digital Services,"
                        "accepted,,,not started,,\n")
        assert run_all(tiny["params"], output_root=out, quiet=True, jobs=2) == 0
        summary = capsys.readouterr().out
        assert "1 rendered, 1 unchanged, 0 failed" in summary
        assert stamp(a) != before[a] and stamp(b) == before[b]
        assert "Publish a quarterly workforce dashboard" in (out / a / "report.html").read_text()
    finally:
        recs.write_text(original)

    assert run_all(tiny["params"], output_root=out, quiet=True, jobs=2, force=True) == 0
    assert "2 rendered, 0 unchanged, 0 failed" in capsys.readouterr().out
    assert stamp(b) != before[b]


def _children(pid: int) -> list[int]:
    kids = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in kids.read_text().split()] if kids.exists() else []


@pytest.mark.parametrize("how", ["kill-worker", "ctrl-c"])
def test_real_interrupted_render_leaves_the_previous_report_intact(tiny, tmp_path, how):
    out = tmp_path / "outputs"
    shutil.copytree(tiny["out"], out)
    a = tiny["ids"][0]
    previous = (out / a / "report.html").read_bytes()
    notes = sorted((tiny["root"] / "reviews" / a / "visits").iterdir())[0]
    original = notes.read_text()
    try:
        notes.write_text(original + "\n- Staff said a new duty rota has helped.\n")  # a changed input
        proc = subprocess.Popen([*CLI, "run-all", str(tiny["params"]), "--jobs", "1", "--output-dir", str(out)],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path)
        deadline = time.time() + 120

        def kernels() -> list[int]:  # a worker's children: its review's Jupyter kernel, mid-render
            return [k for w in _children(proc.pid) for k in _children(w)]

        while time.time() < deadline and not (list(out.glob(f".{a}.staging-*")) and kernels()):
            time.sleep(0.05)
        time.sleep(0.5)  # into the notebook's cells
        assert list(out.glob(f".{a}.staging-*")) and kernels(), "the render never started"
        workers = _children(proc.pid)
        if how == "kill-worker":
            kernels = [k for w in workers for k in _children(w)]
            for pid in workers:
                os.kill(pid, signal.SIGKILL)
        else:
            proc.send_signal(signal.SIGINT)
        stdout, stderr = proc.communicate(timeout=120)
    finally:
        notes.write_text(original)
    assert (out / a / "report.html").read_bytes() == previous
    assert not list(out.glob(".*staging*")) and not list(out.glob(".*previous*"))
    assert "Traceback" not in stdout + stderr
    if how == "kill-worker":
        assert proc.returncode == 1
        assert "stopped unexpectedly (killed by SIGKILL" in stdout
        deadline = time.time() + 10  # the orphaned kernel notices its parent is gone and exits
        while time.time() < deadline and any(_alive(k) for k in kernels):
            time.sleep(0.2)
        assert not any(_alive(k) for k in kernels)
    else:
        assert proc.returncode == 130
        assert "interrupted" in stderr
        assert all(not _alive(pid) for pid in workers)
