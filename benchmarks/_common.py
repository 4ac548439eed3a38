"""Shared by the benchmark scripts: where the benchmark book is, timing and memory helpers."""
from __future__ import annotations

import resource
import sys
import time
import tracemalloc
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BOOK = ROOT.parent / "shared" / "bench" / "abulfida_mukhtasar.txt"
#: One sentence that loads every Arabic table (word list, authority, cue and number tables) and compiles the
#: recognisers: start-up is timed apart from the book.
STARTUP_PASSAGE = "وفي سنة ست عشرة وستمائة سار جنكز خان في نحو ستين الف فارس إلى بخارى."


def book_text() -> str:
    """The benchmark book (benchmark-only data: it stays in ../shared and is never copied into the project)."""
    if not BOOK.exists():
        print(f"skipped: the benchmark book is not present ({BOOK}); it lives in ../shared", file=sys.stderr)
        raise SystemExit(0)
    return BOOK.read_text(encoding="utf-8")


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@contextmanager
def timed(label: str, units: int | None = None, unit_name: str = "tokens"):
    t0 = time.perf_counter()
    box = {}
    yield box
    dt = time.perf_counter() - t0
    n = box.get("units", units)
    rate = f", {n / dt:,.0f} {unit_name}/s" if n else ""
    print(f"{label}: {dt:.2f} s{rate}")


@contextmanager
def traced_peak(label: str):
    tracemalloc.start()
    yield
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"{label}: peak Python allocations {peak / 2**20:.1f} MiB")


_MEASURE_CHILD = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
                  "p = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True); "
                  "dt = time.perf_counter() - t; r = resource.getrusage(resource.RUSAGE_CHILDREN); "
                  "print(p.returncode, r.ru_maxrss, dt, r.ru_utime + r.ru_stime); "
                  "print(p.stderr[-2000:], file=sys.stderr)")


def run_measured(cmd: list[str], own_cpu: bool = False) -> tuple[float, ...]:
    """Run ``cmd`` (output discarded) from a fresh parent whose only child it is: ``(peak RSS MiB of the largest
    process, wall seconds, CPU seconds of the command and its children)``, and with ``own_cpu`` the CPU seconds of
    the command's main process alone (a ``cmd`` from :func:`nuskha_cmd_own_cpu`). Exits if the command fails."""
    import subprocess

    proc = subprocess.run([sys.executable, "-c", _MEASURE_CHILD, *cmd], capture_output=True, text=True)
    code, kib, wall, cpu = proc.stdout.split()
    if int(code) != 0:
        print(f"failed ({code}): {' '.join(cmd)}\n{proc.stderr}", file=sys.stderr)
        raise SystemExit(1)
    out = (int(kib) / 1024, float(wall), float(cpu))
    if own_cpu:
        own = [line for line in proc.stderr.splitlines() if line.startswith(_OWN_CPU)]
        out += (float(own[-1].split()[-1]),)
    return out


def nuskha_cmd(*args: str) -> list[str]:
    """``python -m nuskha ARGS`` with this interpreter (and the source tree on PYTHONPATH, as set by the caller)."""
    return [sys.executable, "-m", "nuskha", *args]


_OWN_CPU = "nuskha main process CPU"
_OWN_CPU_CHILD = ("import resource, sys\nfrom nuskha.cli.main import main\nsys.argv[0] = 'nuskha'\ntry:\n    main()\n"
                  "finally:\n    print('" + _OWN_CPU + "', sum(resource.getrusage(resource.RUSAGE_SELF)[:2]), "
                  "file=sys.stderr)\n")


def nuskha_cmd_own_cpu(*args: str) -> list[str]:
    """:func:`nuskha_cmd` that also prints, when the command is done, the CPU of its main process alone (not of
    its workers; without the interpreter's teardown, which ``nuskha`` skips)."""
    return [sys.executable, "-c", _OWN_CPU_CHILD, *args]


def split_book(folder: Path, parts: int) -> list[Path]:
    """The benchmark book cut at paragraph breaks into ``parts`` texts of about equal size in ``folder`` (a temporary
    folder: the book is never copied into the project)."""
    text = book_text()
    folder.mkdir(parents=True, exist_ok=True)
    out, start = [], 0
    for k in range(1, parts + 1):
        end = len(text) if k == parts else text.index("\n", len(text) * k // parts) + 1
        path = folder / f"part-{k:02d}.txt"
        path.write_text(text[start:end], encoding="utf-8")
        out.append(path)
        start = end
    return out
