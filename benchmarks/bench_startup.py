"""Whole-process cost of ``nuskha annotate`` on the book against CAMeL Tools alone, side by side in one hyperfine run.

    python benchmarks/bench_startup.py [--runs N] [--warmup N]

CAMeL alone (``benchmarks/camel_baseline.py``): dediacritise, normalise alef / alef maksura / teh marbuta and
``simple_word_tokenize`` the book with ``camel_tools.utils``. nuskha: ``nuskha annotate BOOK`` as a user runs it --
interpreter start, imports, tables, tokens with offsets, clitics and normalisation records, every recogniser, the
JSON contract on stdout. hyperfine (Debian package) alternates nothing but runs both in one session; the ratio is
printed for wall clock and for CPU (user + system), the figure the issue's bar (<= 1.0) is about. Needs the
``camel`` extra and ``hyperfine``; skips with a reason otherwise.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from _common import BOOK, ROOT, book_text


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--warmup", type=int, default=1)
    args = ap.parse_args()
    book_text()  # skips when the book is absent
    if shutil.which("hyperfine") is None:
        print("skipped: hyperfine is not installed (apt-get install hyperfine)", file=sys.stderr)
        return
    try:
        import camel_tools  # noqa: F401
    except ImportError:
        print("skipped: camel-tools is not installed (pip install 'nuskha[camel]')", file=sys.stderr)
        return
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", ""))
    py = sys.executable
    camel = f"{py} {ROOT / 'benchmarks' / 'camel_baseline.py'} {BOOK}"
    nuskha = f"{py} -m nuskha annotate {BOOK}"
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "hyperfine.json"
        subprocess.run(["hyperfine", "--style", "basic", "--warmup", str(args.warmup), "--runs", str(args.runs),
                        "--output", "null", "--export-json", str(report),
                        "-n", "camel-alone", camel, "-n", "nuskha annotate", nuskha], check=True, env=env)
        results = {r["command"]: r for r in json.loads(report.read_text())["results"]}
    c, n = results["camel-alone"], results["nuskha annotate"]
    cpu_c, cpu_n = c["user"] + c["system"], n["user"] + n["system"]
    print(f"camel-alone      wall {c['mean']:.2f} s (min {c['min']:.2f}), CPU {cpu_c:.2f} s")
    print(f"nuskha annotate  wall {n['mean']:.2f} s (min {n['min']:.2f}), CPU {cpu_n:.2f} s")
    print(f"ratio nuskha annotate / camel-alone: CPU {cpu_n / cpu_c:.2f}, wall (mean) {n['mean'] / c['mean']:.2f}, "
          f"wall (min) {n['min'] / c['min']:.2f}   (bar: <= 1.0; {os.cpu_count()} cores, possibly shared)")


if __name__ == "__main__":
    main()
