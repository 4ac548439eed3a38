"""Helpers of the reliability tests of input, output and build (issue 17.4-17.6): run the real command line."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import AR_TEXT, CORPUS, KK_TEXT


def run_nuskha(*args, cwd=None, timeout: float = 600, env: dict | None = None):
    """``(exit status, stdout, stderr)`` of ``python -m nuskha ARGS`` in a subprocess."""
    proc = subprocess.run([sys.executable, "-m", "nuskha", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, timeout=timeout, env={**os.environ, **(env or {})})
    return proc.returncode, proc.stdout, proc.stderr


def one_line_error(code: int, err: str, *needles: str) -> bool:
    """The bar for bad input: exit 2, exactly one line on stderr starting ``nuskha: error:``, no traceback."""
    lines = err.splitlines()
    return (code == 2 and len(lines) == 1 and lines[0].startswith("nuskha: error:") and "Traceback" not in err
            and all(n in err for n in needles))


def copy_corpus(folder: Path, copies: int = 1) -> Path:
    """The project's two passages (with sidecars), each ``copies`` times under distinct names."""
    folder.mkdir(parents=True, exist_ok=True)
    for src in (AR_TEXT, KK_TEXT):
        for k in range(copies):
            name = src.stem if copies == 1 else f"{src.stem}-{k}"
            shutil.copy(src, folder / f"{name}.txt")
            shutil.copy(CORPUS / f"{src.stem}.meta.json", folder / f"{name}.meta.json")
    return folder


_MEASURE = ("import resource, subprocess, sys; "
            "p = subprocess.run([sys.executable, '-m', 'nuskha', *sys.argv[1:]], stdout=subprocess.DEVNULL); "
            "print(p.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")


def child_peak_rss_mb(args: list[str]) -> tuple[int, float]:
    """Exit status and peak RSS (MiB) of ``python -m nuskha ARGS`` alone, output discarded (measured by a fresh
    parent, whose only child it is)."""
    proc = subprocess.run([sys.executable, "-c", _MEASURE, *args], capture_output=True, text=True, timeout=900)
    code, kib = proc.stdout.split()
    return int(code), int(kib) / 1024
