"""Whole-process cost of ``nuskha annotate`` on the book against CAMeL Tools alone, side by side in one hyperfine run.

    python benchmarks/bench_startup.py [--runs N] [--warmup N] [--split-only]

CAMeL alone (``benchmarks/camel_baseline.py``): dediacritise, normalise alef / alef maksura / teh marbuta and
``simple_word_tokenize`` the book with ``camel_tools.utils``. nuskha: ``nuskha annotate BOOK`` as a user runs it --
interpreter start, imports, tables, tokens with offsets, clitics and normalisation records, every recogniser, the
JSON contract on stdout. hyperfine (Debian package) runs both in one session; the ratio is printed for wall clock
and for CPU (user + system), the figure the issue's bar (<= 1.0) is about. Needs the ``camel`` extra and
``hyperfine``; skips with a reason otherwise.

Both sides run with compiled bytecode, as installed packages do (pip compiles on install): camel-tools' ``.pyc``
files are in site-packages, and nuskha's source tree gets its own in a temporary ``PYTHONPYCACHEPREFIX`` (written
by the warm-up run), so ``PYTHONDONTWRITEBYTECODE`` in the environment does not charge nuskha for compiling
itself on every run while CAMeL is not.

Then the split: where the CPU of one ``nuskha annotate`` goes, stage by stage in one fresh process (CPU seconds of
``time.process_time``): interpreter start, imports, tables (the first sentence loads the Arabic word list, the
authority, the cue and number tables, the recognisers' indexes), reading and checking the file, tokenising, each
recogniser, and the JSON written to /dev/null.
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

from _common import BOOK, ROOT, STARTUP_PASSAGE, book_text

# Runs in a fresh interpreter: its first line is the first thing it does, so process_time there is the
# interpreter's own start (site, encodings). The stages are those of `nuskha annotate BOOK` (cli.annotate),
# taken apart so each is timed on its own; the total is checked against the whole process's CPU.
_SPLIT_CHILD = r'''
import time
marks = [("interpreter start", time.process_time())]
import os, sys
from importlib import import_module


def mark(label):
    marks.append((label, time.process_time()))


from nuskha.cli.main import build_app
build_app("annotate")
import nuskha.cli.annotate, nuskha.pipeline, nuskha.curation
from nuskha.annotate import COMPONENTS
recognisers = [(s.split(":")[0].rsplit(".", 1)[1], getattr(import_module(s.split(":")[0]), s.split(":")[1]))
               for s in COMPONENTS]
mark("imports (CLI, pipeline, recognisers)")
from nuskha.document import Document
from nuskha.pipeline import open_document, process_blocks, tokenize
for _, recognise in recognisers:
    recognise(tokenize(Document("warm-up", "ar", sys.argv[2])))
mark("tables (annotate one sentence)")
stream, lang, _ = open_document(sys.argv[1])
mark("read and check the file (SHA-256, script)")
docs = list(process_blocks(stream, lang))
mark("tokenise (tokens, clitics, normalisation)")
for name, recognise in recognisers:
    for _, doc in docs:
        recognise(doc)
    mark(f"recognise: {name}")
for _, doc in docs:
    doc.mentions.sort(key=lambda m: (m.start, -m.end, m.type))
from nuskha.cli.common import write_json_streaming


def items():
    for offset, doc in docs:
        for m in doc.mentions:
            item = m.to_json()
            item["start"] += offset
            item["end"] += offset
            yield item


with open(os.devnull, "w", encoding="utf-8") as out:
    write_json_streaming(out, {"file": sys.argv[1], "lang": lang, "sha256": stream.sha256}, {"mentions": items()})
mark("JSON contract written (to /dev/null)")
print(repr(marks))
'''


def bytecode_env(cache: Path) -> dict[str, str]:
    """The environment of every measured process: this tree's source first, bytecode cached in ``cache``."""
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", ""),
               PYTHONPYCACHEPREFIX=str(cache))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def side_by_side(env: dict[str, str], runs: int, warmup: int) -> None:
    """hyperfine over CAMeL alone and ``nuskha annotate BOOK``; prints both and the CPU and wall ratios."""
    py = sys.executable
    camel = f"{py} {ROOT / 'benchmarks' / 'camel_baseline.py'} {BOOK}"
    nuskha = f"{py} -m nuskha annotate {BOOK}"
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "hyperfine.json"
        subprocess.run(["hyperfine", "--style", "basic", "--warmup", str(warmup), "--runs", str(runs),
                        "--output", "null", "--export-json", str(report),
                        "-n", "camel-alone", camel, "-n", "nuskha annotate", nuskha], check=True, env=env)
        results = {r["command"]: r for r in json.loads(report.read_text())["results"]}
    c, n = results["camel-alone"], results["nuskha annotate"]
    cpu_c, cpu_n = c["user"] + c["system"], n["user"] + n["system"]
    print(f"camel-alone      wall {c['mean']:.2f} s (min {c['min']:.2f}), CPU {cpu_c:.2f} s")
    print(f"nuskha annotate  wall {n['mean']:.2f} s (min {n['min']:.2f}), CPU {cpu_n:.2f} s")
    print(f"ratio nuskha annotate / camel-alone: CPU {cpu_n / cpu_c:.2f}, wall (mean) {n['mean'] / c['mean']:.2f}, "
          f"wall (min) {n['min'] / c['min']:.2f}   (bar: <= 1.0; {os.cpu_count()} cores, possibly shared; "
          f"load average {os.getloadavg()[0]:.1f})")


def split(env: dict[str, str]) -> None:
    """Print the CPU of each stage of one ``nuskha annotate BOOK`` in a fresh process (see the module docstring)."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.run([sys.executable, "-c", _SPLIT_CHILD, str(BOOK), STARTUP_PASSAGE], env=env,
                          capture_output=True, text=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        print(f"split failed:\n{proc.stderr}", file=sys.stderr)
        raise SystemExit(1)
    marks = eval(proc.stdout.strip().splitlines()[-1])  # a list of (str, float) printed by repr: our own child
    whole = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    print("CPU of one `nuskha annotate BOOK`, stage by stage (one fresh process):")
    previous = 0.0
    for label, t in marks:
        print(f"  {label:45s} {t - previous:6.2f} s")
        previous = t
    print(f"  {'sum of the stages':45s} {previous:6.2f} s   (whole process, with exit: {whole:.2f} s)")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--warmup", type=int, default=1)
    ap.add_argument("--split-only", action="store_true", help="only the stage-by-stage CPU split")
    args = ap.parse_args()
    book_text()  # skips when the book is absent
    with tempfile.TemporaryDirectory(prefix="nuskha-pyc-") as cache:
        env = bytecode_env(Path(cache))
        # compile nuskha's bytecode once, outside the measured runs (hyperfine's warm-up would as well)
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "src" / "nuskha")], env=env,
                       check=True, stdout=subprocess.DEVNULL)
        if not args.split_only:
            if shutil.which("hyperfine") is None:
                print("skipped: hyperfine is not installed (apt-get install hyperfine)", file=sys.stderr)
            else:
                try:
                    import camel_tools  # noqa: F401
                except ImportError:
                    print("skipped: camel-tools is not installed (pip install 'nuskha[camel]')", file=sys.stderr)
                else:
                    side_by_side(env, args.runs, args.warmup)
        split(env)


if __name__ == "__main__":
    main()
