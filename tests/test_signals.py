"""The command line under hostile conditions: stop signals at any moment, outputs that cannot be written,
numbers out of range (issue 11).

A SIGINT or SIGTERM leaves the old report or the new one, never a temporary file, and ends in the tool's own
line and status 130 / 143. The moments "during the save" and "after the save" are made certain by a wrapper
that pauses there (it replaces mcda.files.save_atomically's ``save`` before the report module imports it).
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pytest
from clirun import ROOT, run

UZ = ROOT / "cases" / "uzbekistan-regions"
OLD = b"last week's report"
MESSAGE = {signal.SIGINT: "Interrupted (SIGINT): ", signal.SIGTERM: "Interrupted (SIGTERM): "}
STATUS = {signal.SIGINT: 130, signal.SIGTERM: 143}

PAUSING = """
import os, sys, time, runpy
import mcda.files as files
mode, marker = os.environ["MCDA_TEST_PAUSE"], os.environ["MCDA_TEST_MARKER"]
real = files.save_atomically

def save_atomically(save, out, what):
    def slow(tmp):
        save(tmp)
        if mode == "save":  # the temporary file is written, not yet renamed
            open(marker, "w").close()
            time.sleep(20)
    done = real(slow, out, what)
    if mode == "after":  # renamed into place; the results not yet printed
        open(marker, "w").close()
        time.sleep(20)
    return done

files.save_atomically = save_atomically
sys.argv = ["mcda", *sys.argv[1:]]
runpy.run_module("mcda", run_name="__main__", alter_sys=True)
"""


def _start(out: Path, *, pause: str = "", marker: Path | None = None, smaa: int = 0) -> subprocess.Popen:
    args = ["run", str(UZ), "-o", str(out), "--smaa", str(smaa)]
    env = {**os.environ, "MCDA_TEST_PAUSE": pause, "MCDA_TEST_MARKER": str(marker or "")}
    cmd = [sys.executable, "-c", PAUSING, *args] if pause else [sys.executable, "-m", "mcda", *args]
    # a job started in the background (as CI may run the tests) inherits SIGINT ignored, and the tool rightly
    # keeps an ignored signal ignored: the child gets the default handlers, as a command typed at a terminal
    return subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=_default_signals)


def _default_signals() -> None:
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, signal.SIG_DFL)


def _wait_for(path: Path, proc: subprocess.Popen, limit: float = 20.0) -> None:
    start = time.monotonic()
    while not path.exists():
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() - start < limit, "the run never reached the pause"
        time.sleep(0.01)


def _state(folder: Path, out: Path) -> str:
    """'absent', 'old' or 'new' (a complete workbook); and never a temporary file beside it."""
    assert sorted(p.name for p in folder.iterdir() if p.name != out.name) == []  # no .report.xlsx.<random>.tmp
    if not out.exists():
        return "absent"
    if out.read_bytes() == OLD:
        return "old"
    assert "Summary" in openpyxl.load_workbook(out).sheetnames  # whole: openpyxl opens it
    return "new"


@pytest.mark.slow
@pytest.mark.parametrize("sig, repeat", [(signal.SIGINT, 1), (signal.SIGTERM, 1), (signal.SIGINT, 5)],
                         ids=["SIGINT", "SIGTERM", "SIGINT-5-times"])
def test_a_signal_during_the_save_keeps_the_old_report_whole(tmp_path, sig, repeat):
    folder, marker = tmp_path / "out", tmp_path / "paused"
    folder.mkdir()
    out = folder / "report.xlsx"
    out.write_bytes(OLD)
    proc = _start(out, pause="save", marker=marker)
    _wait_for(marker, proc)
    assert [p.name for p in folder.iterdir() if p.name.endswith(".tmp")]  # the save is under way
    for _ in range(repeat):  # a planner pressing Ctrl-C again and again
        proc.send_signal(sig)
        time.sleep(0.002)
    _, err = proc.communicate(timeout=20)
    assert proc.returncode == STATUS[sig]
    assert err.strip().splitlines() == [f"{MESSAGE[sig]}nothing was written."]  # not click's "Aborted!"
    assert _state(folder, out) == "old"


@pytest.mark.slow
def test_a_signal_after_the_save_says_the_report_was_written(tmp_path):
    folder, marker = tmp_path / "out", tmp_path / "paused"
    folder.mkdir()
    out = folder / "report.xlsx"
    out.write_bytes(OLD)
    proc = _start(out, pause="after", marker=marker)
    _wait_for(marker, proc)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=20)
    assert proc.returncode == 143
    assert err.strip().splitlines() == [f"Interrupted (SIGTERM): the report {out} was written before the "
                                        "interruption."]
    assert _state(folder, out) == "new"


@pytest.mark.slow
@pytest.mark.parametrize("sig, delay, old", [(signal.SIGINT, 0.2, False), (signal.SIGTERM, 0.6, True),
                                             (signal.SIGINT, 1.2, True), (signal.SIGTERM, 1.8, False),
                                             (signal.SIGTERM, 2.6, True)],
                         ids=["SIGINT-0.2s", "SIGTERM-0.6s", "SIGINT-1.2s", "SIGTERM-1.8s", "SIGTERM-2.6s"])
def test_a_signal_at_any_moment_leaves_the_old_report_or_the_new_one(tmp_path, sig, delay, old):
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "report.xlsx"
    if old:
        out.write_bytes(OLD)
    proc = _start(out)
    time.sleep(delay)
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=30)
    state = _state(folder, out)
    if proc.returncode == 0:  # the run finished first
        assert state == "new" and "Interrupted" not in err
        return
    assert proc.returncode == STATUS[sig], err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(MESSAGE[sig]) and "Traceback" not in err
    if lines[0].endswith("nothing was written."):
        assert state == ("old" if old else "absent")
    else:
        assert lines[0] == f"{MESSAGE[sig]}the report {out} was written before the interruption." and state == "new"


# --------------------------------------------------------------------------- outputs checked before any work


@pytest.mark.parametrize("verb", ["run", "template"])
def test_a_missing_folder_is_refused_at_once_whatever_the_work(tmp_path, verb):
    out = tmp_path / "nope" / "r.xlsx"
    extra = ["--smaa", "10000000"] if verb == "run" else []
    start = time.monotonic()
    result = run(verb, UZ, "-o", out, *extra)
    assert time.monotonic() - start < 1.0
    assert result.exit_code == 1
    assert result.stderr == f"Error: {out}: the folder {out.parent} does not exist. Create it or choose another.\n"
    assert list(tmp_path.iterdir()) == []


def test_a_file_in_place_of_the_folder_is_refused(tmp_path):
    (tmp_path / "notes.txt").write_text("x")
    result = run("run", UZ, "-o", tmp_path / "notes.txt" / "r.xlsx", "--smaa", 10_000_000)
    assert result.exit_code == 1 and "notes.txt is a file, not a folder" in result.stderr


@pytest.mark.parametrize("verb", ["run", "template"])
def test_an_unwritable_folder_is_refused_at_once(tmp_path, monkeypatch, verb):
    import mcda.files
    folder = tmp_path / "locked"
    folder.mkdir()
    monkeypatch.setattr(mcda.files.os, "access", lambda path, mode: Path(path) != folder)
    start = time.monotonic()
    result = run(verb, UZ, "-o", folder / "r.xlsx", *(["--smaa", 10_000_000] if verb == "run" else []))
    assert time.monotonic() - start < 1.0
    assert result.exit_code == 1
    assert f"the folder {folder} is not writable (permission denied)" in result.stderr
    assert "Choose a folder you can write to" in result.stderr
    assert list(folder.iterdir()) == []


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs /proc (Linux)")
def test_a_folder_that_takes_no_file_is_refused_even_for_root():
    # os.access says yes to root everywhere; creating a file there is the test that holds
    start = time.monotonic()
    result = run("run", UZ, "-o", "/proc/r.xlsx", "--smaa", 10_000_000)
    assert time.monotonic() - start < 1.0
    assert result.exit_code == 1 and "the folder /proc does not take a new file" in result.stderr


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root writes into a read-only folder")
def test_a_read_only_folder_is_refused(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        result = run("run", UZ, "-o", folder / "r.xlsx", "--smaa", 10_000_000)
    finally:
        folder.chmod(0o755)
    assert result.exit_code == 1 and "is not writable" in result.stderr


def test_the_folder_check_leaves_nothing_behind(tmp_path):
    result = run("run", UZ, "-o", tmp_path / "r.csv")  # refused after the folder check, by the report's name check
    assert result.exit_code == 1 and "ends in '.csv'" in result.stderr
    assert list(tmp_path.iterdir()) == []


# --------------------------------------------------------------------------- numbers in range


@pytest.mark.parametrize("value", ["-1", "0", "1", "1.5", "nan", "inf", "-inf"])
def test_weights_threshold_outside_zero_to_one_is_refused(value):
    result = run("weights", UZ, f"--threshold={value}")
    assert result.exit_code == 2
    assert "Invalid value for '--threshold'" in result.stderr and "0<x<1" in result.stderr
    assert "INCONSISTENT" not in result.stdout


def test_weights_threshold_inside_is_used():
    result = run("weights", UZ, "--threshold", "0.003")
    assert result.exit_code == 0 and "INCONSISTENT (CR > 0.00)" in result.stdout  # CR 0.0038 > 0.003


@pytest.mark.parametrize("args, option, shown", [
    (["smaa", UZ, "--samples", "0"], "--samples", "1<=x<=100000000"),
    (["smaa", UZ, "--seed", "-1"], "--seed", "x>=0"),
    (["smaa", UZ, "--perturb", "100"], "--perturb", "0<=x<100"),
    (["smaa", UZ, "--perturb", "-5"], "--perturb", "0<=x<100"),
    (["smaa", UZ, "--perturb", "nan"], "--perturb", "not a finite number"),
    (["smaa", UZ, "--weight-sampling", "base", "--spread", "0"], "--spread", "0<x<=100"),
    (["smaa", UZ, "--weight-sampling", "base", "--spread", "nan"], "--spread", "not a finite number"),
    (["smaa", UZ, "--weight-sampling", "judgements", "--judgement-spread", "1"], "--judgement-spread", "x>1"),
    (["smaa", UZ, "--weight-sampling", "judgements", "--judgement-spread", "inf"], "--judgement-spread",
     "not a finite number"),
    (["sensitivity", UZ, "--steps", "0"], "--steps", "1<=x<=100000"),
    (["run", UZ, "-o", "r.xlsx", "--smaa", "-1"], "--smaa", "0<=x<=10000000"),
])
def test_numeric_options_have_ranges(args, option, shown):
    result = run(*args)
    assert result.exit_code == 2 and f"Invalid value for '{option}'" in result.stderr and shown in result.stderr


def test_a_number_in_range_passes():
    result = run("smaa", UZ, "--samples", 50, "--perturb", "5", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["samples"] == 50


def test_main_in_the_same_process_leaves_the_callers_handlers(monkeypatch):
    import mcda.cli
    before = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    monkeypatch.setattr(sys, "argv", ["mcda", "--version"])
    with pytest.raises(SystemExit) as exc:
        mcda.cli.main()
    assert exc.value.code == 0
    assert {s: signal.getsignal(s) for s in before} == before  # a test run's Ctrl-C still stops pytest
