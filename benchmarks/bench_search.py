"""Search at scale (issue 13): index build rate, index size and query latency by query class.

    python benchmarks/bench_search.py [--min-tokens 10000000] [--jobs 1] [--no-annotate] [--keep INDEX]
                                      [--queries-only]

The corpus is the benchmark book (../shared/bench, Arabic) repeated under distinct document ids until the
indexed tokens (words and numbers) reach ``--min-tokens``, plus the Kazakh corpus passage; the copies are
symbolic links in a temporary folder, so nothing is copied out of ../shared. Printed figures:

- the build (``build_index``, what ``nuskha index DIR -o INDEX --jobs N`` runs; default 1: one core), with the
  recognisers unless ``--no-annotate``, in a fresh process: wall clock, indexed tokens/s, and the CPU time split
  into the pipeline (reading, tokenising, normalising, the recognisers) and the indexing (index rows, inserts,
  commit), each with its own tokens per CPU second; the book's tokenisation alone (no recognisers) is timed once
  beside it, so the recognisers' share shows; peak RSS of the child, index size;
- query latency p50/p95/max, in CPU time (``time.process_time``: what the query costs, whatever the load) and wall
  clock, on one open :class:`~nuskha.search.Searcher` (warm: after one untimed pass of every query, which reads the
  documents' token and mention arrays), at the default limit (100 hits built, every kind counted in full), for
  three classes: entity queries (names that resolve to authority records, every kind searched), literal queries
  (quoted phrases and words, every text stage including words that contain them), boolean queries (OR, AND, NOT,
  NEAR/n); no query result is cached between runs;
- hits per query, so a fast query that found nothing is visible.

Targets (issue 13, at 10M tokens): build >= 100k tokens/s on one core with recognisers; p95 < 20 ms for entity
and literal queries, < 50 ms for boolean ones. The machine is shared: report the load average printed with the
figures. Skips with a message without ../shared.
"""
from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import BOOK, ROOT, book_text, peak_rss_mb

from nuskha.search import Searcher
from nuskha.search.query import DEFAULT_LIMIT

KK_PASSAGE = ROOT / "corpus" / "kk-jalal-ad-din-and-temur-malik.txt"
QUERIES = {
    "entity": ("Temur Malik", "تيمور ملك", "Темір-Мәлік", "Inalchuq", "Отырар", "Bukhara", "Чингисхана",
               "Shyńǵys han", "Jalal al-Din", "Tatars", "Samarkand", "Khwarazmians"),
    "literal": ('"جلال الدين"', '"جنكز خان"', '"سمرقند"', '"الخليفة"', '"دمشق"', '"صلاح الدين"', '"الملك العادل"',
                '"арыстан"', '"xyzzyq"', '"المغول"', '"سنة"', '"ابن"'),
    "boolean": ("المغول OR التتر", "otrar NEAR/5 bukhara", "دمشق AND حلب", "(سمرقند OR بخارا) AND خوارزم",
                "الخليفة NOT بغداد", "صلاح الدين NEAR/10 الفرنج", "Bukhara OR Samarkand OR Otrar",
                "type:place دمشق", "مصر NEAR/3 الشام"),
}


def indexed_tokens_of_book() -> int:
    from nuskha.pipeline import process

    doc = process(book_text(), "ar", id="probe", annotate=False)
    return sum(1 for t in doc.tokens if t.kind != "punct")


def make_corpus(folder: Path, min_tokens: int) -> int:
    """Symbolic links to the book under distinct names (and the Kazakh passage) until ``min_tokens``."""
    folder.mkdir()
    per_book = indexed_tokens_of_book()
    copies = max(1, -(-min_tokens // per_book))
    for i in range(copies):
        (folder / f"abulfida_mukhtasar_{i:03d}.txt").symlink_to(BOOK)
        (folder / f"abulfida_mukhtasar_{i:03d}.meta.json").write_text('{"language": "ar"}', encoding="utf-8")
    (folder / KK_PASSAGE.name).symlink_to(KK_PASSAGE)
    (folder / (KK_PASSAGE.stem + ".meta.json")).write_text('{"language": "kk"}', encoding="utf-8")
    print(f"corpus: the benchmark book x{copies} ({per_book:,} indexed tokens each) + the Kazakh passage")
    return copies


_BUILD = """
import json, sys, time
from nuskha.search import build_index
t0 = time.perf_counter()
s = build_index(sys.argv[1], sys.argv[2], annotate=sys.argv[3] == "1", jobs=int(sys.argv[4]))
print(json.dumps({"wall": time.perf_counter() - t0, "pipeline_cpu": s.pipeline_cpu, "index_cpu": s.index_cpu}))
"""


def tokenise_rate() -> float:
    """Indexed tokens per CPU second of the pipeline without the recognisers, on the book (warm)."""
    import time as t

    from nuskha.pipeline import process

    text = book_text()
    process(text[:20000], "ar", id="warm", annotate=False)
    c0 = t.process_time()
    doc = process(text, "ar", id="probe", annotate=False)
    return sum(1 for tok in doc.tokens if tok.kind != "punct") / (t.process_time() - c0)


def build(corpus: Path, out: Path, jobs: int, annotate: bool) -> None:
    import json

    load = os.getloadavg()[0]
    proc = subprocess.run([sys.executable, "-c", _BUILD, str(corpus), str(out), "1" if annotate else "0",
                           str(jobs)], check=True, capture_output=True, text=True)
    times = json.loads(proc.stdout.splitlines()[-1])
    child_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    with Searcher(out) as built:
        n, docs = built.con.execute("SELECT sum(n_tokens), count(*) FROM documents").fetchone()
        mentions = built.con.execute("SELECT count(*) FROM mentions").fetchone()[0]
    dt, pipeline, indexing = times["wall"], times["pipeline_cpu"], times["index_cpu"]
    what = "pipeline with the recognisers" if annotate else "pipeline without recognisers"
    print(f"build, jobs {jobs}{'' if annotate else ', --no-annotate'} (fresh process): {docs} documents, {n:,} indexed "
          f"tokens, {mentions:,} mentions in {dt:.1f} s wall = {n / dt:,.0f} tokens/s "
          f"(target >= 100,000 on one core with recognisers); load average at start {load:.1f}")
    print(f"  CPU: {what} {pipeline:.1f} s = {n / pipeline:,.0f} tokens/s; indexing {indexing:.1f} s = "
          f"{n / indexing:,.0f} tokens/s; together {n / (pipeline + indexing):,.0f} tokens per CPU second")
    print(f"  for comparison, tokenising and normalising the book alone: {tokenise_rate():,.0f} tokens per CPU "
          f"second (the rest of the pipeline time is the recognisers)")
    print(f"  peak RSS of the build {child_rss:,.0f} MiB")
    print(f"index size: {out.stat().st_size / 2**20:,.1f} MiB ({out.stat().st_size / n:.1f} bytes a token)")


def _percentiles(xs: list[float]) -> str:
    xs = sorted(xs)
    return (f"p50 {statistics.median(xs):.1f} ms, p95 {xs[int(0.95 * (len(xs) - 1))]:.1f} ms, "
            f"max {xs[-1]:.1f} ms")


def time_queries(out: Path, rounds: int) -> None:
    t0 = time.perf_counter()
    with Searcher(out) as searcher:
        for queries in QUERIES.values():
            for q in queries:  # warm-up: authority, pymorphy3, the documents' arrays, mentions by ref, vocabulary
                searcher.search(q)
        print(f"searcher warm-up (open + one pass of every query): {time.perf_counter() - t0:.2f} s")
        counts = {}
        for label, queries in QUERIES.items():
            cpu: list[float] = []
            wall: list[float] = []
            for _ in range(rounds):
                for q in queries:
                    t0, c0 = time.perf_counter(), time.process_time()
                    result = searcher.search(q, limit=DEFAULT_LIMIT)
                    [(h.left, h.right) for h in result.hits]  # the context a KWIC line shows
                    cpu.append((time.process_time() - c0) * 1000)
                    wall.append((time.perf_counter() - t0) * 1000)
                    counts[q] = (result.total, result.kinds)
            target = 50 if label == "boolean" else 20
            print(f"query latency, {label} ({len(queries)} queries x {rounds}, default limit {DEFAULT_LIMIT}, every "
                  f"kind counted; target p95 < {target} ms): CPU {_percentiles(cpu)}; wall {_percentiles(wall)}")
    print("hits per query (total: linked/unlinked/text):")
    for q, (total, kinds) in counts.items():
        print(f"  {q}: {total} ({kinds['linked']}/{kinds['unlinked']}/{kinds['text']})")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--min-tokens", type=int, default=1_000_000)
    ap.add_argument("--jobs", type=int, default=1, help="`nuskha index --jobs N` (1: one core)")
    ap.add_argument("--no-annotate", action="store_true", help="index without the recognisers")
    ap.add_argument("--keep", type=Path, help="write the index here instead of a temporary folder")
    ap.add_argument("--queries-only", action="store_true", help="time the queries on the --keep index as it is")
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    book_text()  # skips without ../shared
    with tempfile.TemporaryDirectory() as tmp:
        out = args.keep or Path(tmp) / "bench.sqlite"
        if not (args.queries_only and out.exists()):
            if out.exists():
                out.unlink()
            corpus = Path(tmp) / "corpus"
            make_corpus(corpus, args.min_tokens)
            build(corpus, out, args.jobs, not args.no_annotate)
        time_queries(out, args.rounds)
    print(f"peak RSS (this process) {peak_rss_mb():.0f} MiB; load average {os.getloadavg()[0]:.1f} on "
          f"{os.cpu_count()} cores")


if __name__ == "__main__":
    main()
