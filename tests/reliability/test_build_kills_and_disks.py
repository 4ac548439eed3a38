"""Kills, concurrent runs and a full disk during ``nuskha build`` (issue 17.5/17.6): never half a file, no
temporary file left for good, one line per error."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from lxml import etree

from nuskha.io import _HOST, sweep_temp_files
from tests.conftest import AR_TEXT
from tests.reliability.scale_helpers import copy_corpus, run_nuskha


def _corpus_with_a_long_text(folder: Path) -> Path:
    copy_corpus(folder)
    unit = AR_TEXT.read_text(encoding="utf-8") + "\n\n"
    (folder / "long.txt").write_text(unit * 40, encoding="utf-8")  # ~350 KB: a TEI write that takes a while
    return folder


def _start_build(corpus: Path, out: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "nuskha", "build", str(corpus), "-o", str(out), "-q"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def _complete_outputs(out: Path) -> list[str]:
    """Every finished output parses whole; returns the names of the temporary files left."""
    for p in out.glob("*.xml"):
        etree.parse(str(p), etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True))
    for p in out.glob("*.json"):
        json.loads(p.read_text(encoding="utf-8"))
    return [p.name for p in out.iterdir() if p.name.startswith(".")]


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_kill_9_never_leaves_half_a_file_and_the_next_run_sweeps(tmp_path):
    corpus = _corpus_with_a_long_text(tmp_path / "c")
    out = tmp_path / "out"
    for delay in (2.0, 4.0, 6.0):
        proc = _start_build(corpus, out)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        if out.exists():
            _complete_outputs(out)
    out.mkdir(exist_ok=True)
    stale = out / f".long.tei.xml.{_HOST}.{_dead_pid()}.abcdefgh.tmp"
    stale.write_text("half")
    foreign = out / f".long.tei.xml.otherhost.{_dead_pid()}.abcdefgh.tmp"  # another machine's (a Dask worker)
    foreign.write_text("half")
    code, _, err = run_nuskha("build", corpus, "-o", out, "-q")
    assert code == 0, err
    assert _complete_outputs(out) == [foreign.name]
    assert {"long.tei.xml", "alignment.json", "corpus.teiCorpus.xml"} <= {p.name for p in out.iterdir()}


def test_sweep_keeps_the_files_of_running_processes(tmp_path):
    live = tmp_path / f".x.tei.xml.{_HOST}.{os.getppid()}.abcdefgh.tmp"
    dead = tmp_path / f".x.tei.xml.{_HOST}.{_dead_pid()}.abcdefgh.tmp"
    mine = tmp_path / "notes.tmp"
    for p in (live, dead, mine):
        p.write_text("x")
    assert sweep_temp_files(tmp_path) == [dead]
    assert live.exists() and mine.exists()


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_sigterm_and_ctrl_c_remove_the_temporary_files(tmp_path, sig):
    corpus = _corpus_with_a_long_text(tmp_path / "c")
    out = tmp_path / "out"
    proc = _start_build(corpus, out)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:  # wait until a file is being written
        if out.exists() and any(p.name.startswith(".") for p in out.iterdir()):
            break
        time.sleep(0.01)
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=120)
    assert "Traceback" not in err
    assert _complete_outputs(out) == []


def test_two_concurrent_builds_into_one_folder_both_finish_whole(tmp_path):
    corpus = copy_corpus(tmp_path / "c")
    out = tmp_path / "out"
    procs = [_start_build(corpus, out) for _ in range(2)]
    for proc in procs:
        _, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, err
    assert _complete_outputs(out) == []
    code, _, err = run_nuskha("build", corpus, "-o", tmp_path / "serial", "-q")
    assert code == 0, err
    serial = tmp_path / "serial"
    for p in (q for q in serial.rglob("*") if q.is_file()):  # html/ holds the reading edition
        assert (out / p.relative_to(serial)).read_bytes() == p.read_bytes(), p.name


@pytest.fixture
def tiny_disk(tmp_path):
    """A 96 KiB tmpfs (needs root and a kernel that lets this process mount), unmounted afterwards."""
    mount = tmp_path / "tiny"
    mount.mkdir()
    proc = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=96k", "tmpfs", str(mount)], capture_output=True,
                          text=True)
    if proc.returncode != 0:
        pytest.skip(f"cannot mount a size-limited tmpfs here ({proc.stderr.strip() or 'mount failed'}); "
                    f"the full-disk path is not exercised")
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], capture_output=True)


def test_a_full_disk_is_one_line_per_document_and_leaves_no_temporary_file(tiny_disk, tmp_path):
    corpus = _corpus_with_a_long_text(tmp_path / "c")
    code, _, err = run_nuskha("build", corpus, "-o", tiny_disk / "out", "-q")
    assert code == 2 and "Traceback" not in err
    assert "No space left on device" in err
    assert all(line.startswith("nuskha: error:") for line in err.splitlines())
    assert _complete_outputs(tiny_disk / "out") == []
