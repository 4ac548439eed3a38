"""Throughput and memory of the per-document pipeline on the benchmark book (issues 2 and 3).

    python benchmarks/bench_pipeline.py [--repeat N] [--skip-processes] [--huge MB] [--jobs-only]

Stages, each timed over the whole book (371k tokens) on one core:
  tokenizer                   the regex pass alone
  normalise+tokenise+segment  tokens with normal forms, lemmas, clitic segments and change records, with a COLD
                              lexeme cache (every one of the book's word forms analysed once) and a WARM one (a
                              corpus of many books reuses the cache: this is the steady state)
  annotate                    tokenise + every recogniser (entities, dates, troops), cold (the first run of a
                              fresh process: every cache empty) and warm, with the time of each recogniser
and the peak memory (RSS, and Python allocations of one full pass). Each rate is printed from the wall clock and
from this process's CPU time, the steadier figure when the machine is shared.

Then whole ``nuskha`` processes, each measured from a fresh parent (peak RSS of the process, wall clock, CPU):
  tokenize / annotate --format jsonl   streaming: one token or mention a line (bars: peak RSS <= 300 MB)
  build of the book                    one document, TEI + mentions (bar: <= 500 MB)
  build, index --jobs 1 / --jobs 2     the book cut into 8 documents at paragraph breaks: the speed-up (bar: 1.8x)
                                       by wall clock, and from CPU time (the main process's own CPU is serial,
                                       the workers' is shared by two cores), which a shared machine distorts less
With ``--huge MB``, also ``nuskha tokenize`` of a text of about MB megabytes (the book repeated, in a temporary
folder, deleted afterwards): the peak memory next to the book's shows it does not grow with the input.
"""
from __future__ import annotations

import argparse
import gc
import os
import tempfile
import time
from importlib import import_module
from pathlib import Path

from _common import (BOOK, STARTUP_PASSAGE, book_text, nuskha_cmd, nuskha_cmd_own_cpu, peak_rss_mb, run_measured,
                     split_book, traced_peak)

from nuskha.annotate import COMPONENTS
from nuskha.document import Document
from nuskha.lang import get_language
from nuskha.pipeline import tokenize



#: CPU seconds of each stage's last run, beside the wall clock that _clock returns: on a shared machine the CPU
#: time of this process is the steadier figure (another process on the core stretches the wall clock only).
_CPU: dict[str, float] = {}


def _clock(fn, stage: str = ""):
    gc.collect()
    t0, c0 = time.perf_counter(), time.process_time()
    result = fn()
    _CPU[stage] = time.process_time() - c0
    return result, time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3, help="runs per stage; the best is reported")
    ap.add_argument("--skip-processes", action="store_true", help="only the in-process stages")
    ap.add_argument("--huge", type=int, default=0, metavar="MB", help="also tokenise a text of about MB megabytes")
    ap.add_argument("--jobs-only", action="store_true", help="only the --jobs 1 / --jobs 2 builds")
    args = ap.parse_args()
    if args.jobs_only:
        book_text()
        with tempfile.TemporaryDirectory(prefix="nuskha-bench-") as tmp:
            jobs_speedup(Path(tmp))
        return
    text = book_text()
    language = get_language("ar")
    print(f"book: {len(text):,} characters, {len(text.split()):,} whitespace words")
    rss0 = peak_rss_mb()
    best: dict[str, float] = {}
    best_cpu: dict[str, float] = {}

    def record(stage: str, n: int, seconds: float, cpu: float) -> None:
        best[stage] = max(best.get(stage, 0.0), n / seconds)
        best_cpu[stage] = max(best_cpu.get(stage, 0.0), n / cpu)

    recognisers = [(spec, getattr(import_module(spec.split(":")[0]), spec.split(":")[1])) for spec in COMPONENTS]
    # Start-up is timed apart, as spaCy's figures leave out spacy.load: one short passage loads every table (the
    # Arabic word list, the authority file, cue and number tables) and compiles the recognisers; the book's own
    # word forms are still new afterwards, so the first run below is a true cold run for them.
    _, startup = _clock(lambda: [fn(tokenize(Document("warm-up", "ar", STARTUP_PASSAGE))) for _, fn in recognisers])
    print(f"start-up (load every table, annotate one sentence): {startup:.2f} s")
    for run in range(args.repeat):
        spans, dt = _clock(lambda: language.tokenizer.spans(text), "tokenizer")
        n = len(spans)
        record("tokenizer", n, dt, _CPU["tokenizer"])
        language.clear_cache()
        doc, cold = _clock(lambda: tokenize(Document("book", "ar", text)), "cold")
        record("normalise+tokenise+segment, cold cache", n, cold, _CPU["cold"])
        doc, warm = _clock(lambda: tokenize(Document("book", "ar", text)), "warm")
        record("normalise+tokenise+segment, warm cache", n, warm, _CPU["warm"])
        times = []
        for spec, fn in recognisers:
            name = spec.split(":")[0].rsplit(".", 1)[1]
            _, dt = _clock(lambda: fn(doc), name)
            times.append((name, dt, _CPU[name]))
        recognise = sum(dt for _, dt, _ in times)
        recognise_cpu = sum(cpu for _, _, cpu in times)
        if run == 0:  # the recognisers' own per-type caches are cold only in the first run of the process
            record("annotate (tokenise + recognise), cold caches", n, cold + recognise, _CPU["cold"] + recognise_cpu)
        record("annotate (tokenise + recognise), warm caches", n, warm + recognise, _CPU["warm"] + recognise_cpu)
        print(f"run {run + 1}: {n:,} tokens, {len(language._lexemes):,} types, "
              f"{sum(1 for _ in doc.normalizations()):,} change records, {len(doc.mentions):,} mentions; "
              f"tokenise cold {cold:.2f} s, warm {warm:.2f} s; "
              + ", ".join(f"{name} {dt:.2f} s" for name, dt, _ in times)
              + f" (CPU: tokenise cold {_CPU['cold']:.2f} s, warm {_CPU['warm']:.2f} s; "
              + ", ".join(f"{name} {cpu:.2f} s" for name, _, cpu in times) + ")")
    print(f"{'best of the runs':45s} {'wall clock':>17s} {'CPU time':>17s}   (load average {os.getloadavg()[0]:.1f})")
    for stage, rate in best.items():
        print(f"{stage:45s} {rate:>10,.0f} tokens/s {best_cpu[stage]:>10,.0f} tokens/s")
    print(f"peak RSS {peak_rss_mb():.0f} MiB (interpreter and imports before the run: {rss0:.0f} MiB)")
    language.clear_cache()
    with traced_peak("one full annotate pass"):
        doc = tokenize(Document("book", "ar", text))
        for _, fn in recognisers:
            fn(doc)
    del doc, text
    if not args.skip_processes:
        whole_processes(args.huge)


def whole_processes(huge_mb: int) -> None:
    """Peak memory, wall clock and CPU of whole nuskha processes (see the module docstring)."""
    print("whole processes (each run once; the machine may be shared: wall clock is noisy, CPU less so)")
    for command in ("tokenize", "annotate"):
        rss, wall, cpu = run_measured(nuskha_cmd(command, str(BOOK), "--format", "jsonl"))
        print(f"nuskha {command} BOOK --format jsonl: peak RSS {rss:.0f} MiB (bar 300), {wall:.1f} s wall, "
              f"{cpu:.1f} s CPU")
    with tempfile.TemporaryDirectory(prefix="nuskha-bench-") as tmp:
        one = Path(tmp) / "one"
        one.mkdir()
        (one / "abulfida_mukhtasar.txt").symlink_to(BOOK)
        rss, wall, cpu = run_measured(nuskha_cmd("build", str(one), "-o", str(Path(tmp) / "out1"), "-q"))
        print(f"nuskha build (the book, one document): peak RSS {rss:.0f} MiB (bar 500), {wall:.1f} s wall, "
              f"{cpu:.1f} s CPU")
        jobs_speedup(Path(tmp))
        if huge_mb:
            big = Path(tmp) / "huge.txt"
            unit = BOOK.read_bytes()
            copies = max(1, round(huge_mb * 2**20 / len(unit)))
            with open(big, "wb") as fh:
                for _ in range(copies):
                    fh.write(unit)
                    fh.write(b"\n\n")
            size = big.stat().st_size
            rss, wall, cpu = run_measured(nuskha_cmd("tokenize", str(big), "--format", "jsonl"))
            print(f"nuskha tokenize of a {size / 2**20:.0f} MiB text ({copies}x the book) --format jsonl: "
                  f"peak RSS {rss:.0f} MiB, {wall:.0f} s wall, {cpu:.0f} s CPU")


def jobs_speedup(tmp: Path) -> None:
    """``nuskha build`` and ``nuskha index`` with ``--jobs 1`` and ``--jobs 2`` of the book cut into 8 documents:
    the speed-up, by wall clock and from CPU time."""
    split_book(tmp / "eight", 8)
    for command, out in (("build", "out8"), ("index", "index8.db")):
        timings, cpus = {}, {}
        for jobs in (1, 2):
            rss, wall, cpu, own = run_measured(nuskha_cmd_own_cpu(command, str(tmp / "eight"), "-o",
                                                                  str(tmp / f"{jobs}-{out}"), "-q", "--jobs",
                                                                  str(jobs)), own_cpu=True)
            timings[jobs], cpus[jobs] = wall, (cpu, own)
            print(f"nuskha {command} --jobs {jobs} (the book as 8 documents): {wall:.1f} s wall, {cpu:.1f} s CPU "
                  f"({own:.1f} s in the main process), largest process {rss:.0f} MiB")
        print(f"{command} --jobs 2 speed-up over --jobs 1: {timings[1] / timings[2]:.2f}x wall (bar 1.8x; 2 cores, "
              f"shared: load average {os.getloadavg()[0]:.1f})")
        # What two idle cores would give, from CPU time (which a shared machine distorts far less than wall
        # clock): the main process's own CPU runs alone (start-up, tables, alignment or the index's inserts, the
        # edition's shared pages), the workers' CPU is shared by two (eight documents of equal size).
        total, own = cpus[2]
        print(f"{command} --jobs 2 speed-up from CPU time (two idle cores): "
              f"{cpus[1][0] / (own + (total - own) / 2):.2f}x (serial {own:.1f} s + parallel {total - own:.1f} s "
              f"/ 2, against {cpus[1][0]:.1f} s)")


if __name__ == "__main__":
    main()
