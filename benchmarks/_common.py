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
