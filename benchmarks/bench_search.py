"""Search index build rate and query latency on an index of at least one million tokens (issue 6).

    python benchmarks/bench_search.py [--min-tokens 1000000] [--annotate] [--keep INDEX]

The index holds the benchmark book (Arabic) plus the Kazakh corpus passage repeated over many documents until the
indexed tokens (words and numbers) reach ``--min-tokens``. Printed figures:

- pipeline: tokens/s of ``process`` (normalise, tokenise, segment; recognisers too with ``--annotate``);
- index write: tokens/s of ``index_documents`` on processed documents (terms, skeletons, SQLite, FTS5);
- end to end: both together, the rate of ``nuskha index`` on a fresh index;
- query latency p50/p95/max over a fixed query set, on one open :class:`~nuskha.search.Searcher` (warm caches,
  after one untimed pass), full result sets with context.

Targets (issue 6): >= 100k tokens/s to build, p95 < 20 ms per query. Skips with a message without ../shared.
"""
from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

from _common import ROOT, book_text, peak_rss_mb

from nuskha.pipeline import process
from nuskha.search import Searcher, index_documents

KK_PASSAGE = ROOT / "corpus" / "kk-jalal-ad-din-and-temur-malik.txt"
QUERIES = (
    "Temur Malik", "temur", "تيمور ملك", "Темір-Мәлік", "Темир-Мелик", "Inalchuq", "Ghayir Khan", "Отырар",
    "Bukhara", "Чингисхана", "جنكيز خان", "سمرقند", "الخليفة", "دمشق", "صلاح الدين", "арыстан", "arystan",
    "ержурегі", "xyzzyq", '"*NEAR(',
)


def build_docs(min_tokens: int, annotate: bool):
    book = book_text()
    t0 = time.perf_counter()
    docs = [process(book, "ar", id="abulfida_mukhtasar", annotate=annotate)]
    kk_text = KK_PASSAGE.read_text(encoding="utf-8")
    per_doc = 20  # passages per Kazakh document
    kk_block = "\n".join([kk_text] * per_doc)
    indexed = sum(1 for t in docs[0].tokens if t.kind != "punct")
    i = 0
    while indexed < min_tokens:
        doc = process(kk_block, "kk", id=f"kk-passage-x{per_doc}-{i:04d}", annotate=annotate)
        docs.append(doc)
        indexed += sum(1 for t in doc.tokens if t.kind != "punct")
        i += 1
    dt = time.perf_counter() - t0
    n_tokens = sum(len(d.tokens) for d in docs)
    print(f"pipeline{' + recognisers' if annotate else ''}: {len(docs)} documents, {n_tokens:,} tokens "
          f"in {dt:.2f} s = {n_tokens / dt:,.0f} tokens/s")
    return docs, dt


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--min-tokens", type=int, default=1_000_000)
    ap.add_argument("--annotate", action="store_true", help="run the recognisers as `nuskha index` does")
    ap.add_argument("--keep", type=Path, help="write the index here instead of a temporary folder")
    ap.add_argument("--queries-only", action="store_true", help="time the queries on the --keep index as it is")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        out = args.keep or Path(tmp) / "bench.sqlite"
        if not (args.queries_only and out.exists()):
            docs, pipeline_s = build_docs(args.min_tokens, args.annotate)
            if out.exists():
                out.unlink()
            stats = index_documents(((d, None) for d in docs), out)
            del docs
            print(f"index write: {stats.tokens:,} indexed tokens, {stats.mentions:,} mentions in "
                  f"{stats.seconds:.2f} s = {stats.tokens_per_second:,.0f} tokens/s; "
                  f"file {out.stat().st_size / 2**20:.1f} MiB")
            total_s = pipeline_s + stats.seconds
            print(f"end to end (pipeline + index): {stats.tokens / total_s:,.0f} indexed tokens/s "
                  f"(target >= 100,000)")

        with Searcher(out) as searcher:
            for q in QUERIES:  # warm-up: authority, pymorphy3, document texts
                searcher.search(q)
            times: list[float] = []
            cpu: list[float] = []
            counts = {}
            for _ in range(5):
                for q in QUERIES:
                    t0, c0 = time.perf_counter(), time.process_time()
                    result = searcher.search(q)
                    times.append((time.perf_counter() - t0) * 1000)
                    cpu.append((time.process_time() - c0) * 1000)
                    counts[q] = result.total
        for label, xs in (("wall", times), ("cpu", cpu)):
            xs.sort()
            print(f"query latency ({label}) over {len(QUERIES)} queries x 5: p50 {statistics.median(xs):.1f} ms, "
                  f"p95 {xs[int(0.95 * (len(xs) - 1))]:.1f} ms, max {xs[-1]:.1f} ms (target p95 < 20 ms)")
        print("hits per query: " + ", ".join(f"{q}={n}" for q, n in counts.items()))
    print(f"peak RSS {peak_rss_mb():.0f} MiB; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
