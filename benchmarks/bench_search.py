"""Search at scale (issue 13): index build rate, index size and query latency by query class.

    python benchmarks/bench_search.py [--min-tokens 10000000] [--jobs 1] [--no-annotate] [--keep INDEX]
                                      [--queries-only]

The corpus is the benchmark book (../shared/bench, Arabic) repeated under distinct document ids until the
indexed tokens (words and numbers) reach ``--min-tokens``, plus the Kazakh corpus passage; the copies are
symbolic links in a temporary folder, so nothing is copied out of ../shared. Printed figures:

- ``nuskha index DIR -o INDEX --jobs N`` (default 1: one core), with the recognisers unless ``--no-annotate``,
  in a fresh process as a user runs it: wall clock, indexed tokens/s, peak RSS of the child, index size;
- query latency p50/p95/max on one open :class:`~nuskha.search.Searcher` (warm: after one untimed pass), at the
  default limit (100 hits built, every kind counted in full), for three classes: entity queries (names that
  resolve to authority records, every kind searched), literal queries (quoted phrases and words, every text
  stage including words that contain them), boolean queries (OR, AND, NOT, NEAR/n);
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


def build(corpus: Path, out: Path, jobs: int, annotate: bool) -> None:
    command = [sys.executable, "-m", "nuskha", "index", str(corpus), "-o", str(out), "-q", "--jobs", str(jobs),
               "--annotate" if annotate else "--no-annotate"]
    load = os.getloadavg()[0]
    t0 = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    dt = time.perf_counter() - t0
    child_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    with Searcher(out) as built:
        n, docs = built.con.execute("SELECT sum(n_tokens), count(*) FROM documents").fetchone()
        mentions = built.con.execute("SELECT count(*) FROM mentions").fetchone()[0]
    print(f"nuskha index --jobs {jobs}{'' if annotate else ' --no-annotate'} (fresh process, wall clock): "
          f"{docs} documents, {n:,} indexed tokens, {mentions:,} mentions in {dt:.1f} s = {n / dt:,.0f} tokens/s "
          f"(target >= 100,000 on one core with recognisers); peak RSS {child_rss:,.0f} MiB; "
          f"load average at start {load:.1f}")
    print(f"index size: {out.stat().st_size / 2**20:,.1f} MiB ({out.stat().st_size / n:.1f} bytes a token)")


def time_queries(out: Path, rounds: int) -> None:
    t0 = time.perf_counter()
    with Searcher(out) as searcher:
        for queries in QUERIES.values():
            for q in queries:  # warm-up: authority, pymorphy3, document texts, mentions by ref, vocabulary
                searcher.search(q)
        print(f"searcher warm-up (open + one pass of every query): {time.perf_counter() - t0:.2f} s")
        counts = {}
        for label, queries in QUERIES.items():
            times: list[float] = []
            for _ in range(rounds):
                for q in queries:
                    t0 = time.perf_counter()
                    result = searcher.search(q, limit=DEFAULT_LIMIT)
                    [(h.left, h.right) for h in result.hits]  # the context a KWIC line shows
                    times.append((time.perf_counter() - t0) * 1000)
                    counts[q] = (result.total, result.kinds)
            times.sort()
            target = 50 if label == "boolean" else 20
            print(f"query latency, {label} ({len(queries)} queries x {rounds}, default limit {DEFAULT_LIMIT}, "
                  f"every kind counted): p50 {statistics.median(times):.1f} ms, "
                  f"p95 {times[int(0.95 * (len(times) - 1))]:.1f} ms, max {times[-1]:.1f} ms "
                  f"(target p95 < {target} ms)")
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
