"""Huge and endless input (issue 17.4): devices and FIFOs end with one line, --max-bytes, bounded memory."""
from __future__ import annotations

import os
import subprocess
import sys
import threading
import time

import pytest

from tests.conftest import AR_TEXT, KK_TEXT
from tests.reliability.scale_helpers import child_peak_rss_mb, one_line_error, run_nuskha


@pytest.mark.parametrize("command", ["tokenize", "annotate", "normalize"])
def test_dev_zero_is_refused_at_once(command):
    code, out, err = run_nuskha(command, "/dev/zero", timeout=60)
    assert one_line_error(code, err, "/dev/zero", "device") and out == ""


def test_fifo_without_a_writer_ends_with_one_line(tmp_path):
    fifo = tmp_path / "in.txt"
    os.mkfifo(fifo)
    code, out, err = run_nuskha("tokenize", fifo, timeout=60)
    assert one_line_error(code, err, str(fifo), "no writer")


def test_fifo_with_a_writer_is_read(tmp_path):
    fifo = tmp_path / "in.txt"
    os.mkfifo(fifo)

    def write():
        with open(fifo, "wb") as fh:  # blocks until nuskha opens the FIFO
            fh.write(KK_TEXT.read_bytes())

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    code, out, err = run_nuskha("annotate", fifo, "--format", "jsonl", timeout=120)
    writer.join(5)
    assert code == 0, err
    assert '"ref":"temur-malik"' in out
    assert not [p for p in tmp_path.iterdir() if p.name != "in.txt"]


def test_endless_fifo_stops_at_max_bytes(tmp_path):
    fifo = tmp_path / "zero.txt"
    os.mkfifo(fifo)
    writer = subprocess.Popen(["sh", "-c", f"cat /dev/zero > '{fifo}'"], stderr=subprocess.DEVNULL)
    try:
        code, out, err = run_nuskha("tokenize", fifo, "--max-bytes", "5000000", timeout=120)
    finally:
        writer.kill()
        writer.wait()
    assert one_line_error(code, err, "--max-bytes", "never ends")


def test_file_above_max_bytes_is_refused_before_reading(tmp_path):
    code, out, err = run_nuskha("annotate", AR_TEXT, "--max-bytes", "100")
    assert one_line_error(code, err, str(AR_TEXT), "larger than --max-bytes")


def test_invalid_utf8_deep_in_a_big_file_names_the_byte(tmp_path):
    f = tmp_path / "late.txt"
    head = AR_TEXT.read_bytes() * 200  # past the first read of 1 MiB
    f.write_bytes(head + b"\xff tail")
    code, _, err = run_nuskha("tokenize", f, "--format", "jsonl")
    assert one_line_error(code, err, f"byte {len(head)}", "not UTF-8")


def test_memory_does_not_grow_with_the_text(tmp_path):
    """About 100 MB a MB before (20 MB -> 1.9 GB). A 3 MB and a 9 MB text now peak within a few MB of each other:
    the text is read and tokenised block by block, the output written as it goes."""
    unit = AR_TEXT.read_text(encoding="utf-8") + "\n\n"
    small, big = tmp_path / "small.txt", tmp_path / "big.txt"
    small.write_text(unit * (3_000_000 // len(unit.encode())), encoding="utf-8")
    big.write_text(unit * (9_000_000 // len(unit.encode())), encoding="utf-8")
    code, peak_small = child_peak_rss_mb(["tokenize", str(small), "--format", "jsonl"])
    assert code == 0
    code, peak_big = child_peak_rss_mb(["tokenize", str(big), "--format", "jsonl"])
    assert code == 0
    assert peak_big < peak_small + 60, (peak_small, peak_big)
