"""Search index build rate and query latency on an index of at least one million tokens (issue 6).

    python benchmarks/bench_search.py [--min-tokens 1000000] [--annotate] [--keep INDEX]

The index holds the benchmark book (Arabic) plus the Kazakh corpus passage repeated over many documents until the
indexed tokens (words and numbers) reach ``--min-tokens``. Printed figures:

- pipeline: tokens/s of ``process`` (normalise, tokenise, segment; recognisers too with ``--annotate``);
- index write: tokens/s of ``index_documents`` on processed documents (terms, skeletons, SQLite, FTS5);
- end to end: both together in this (warm) process;
- ``nuskha index --jobs 1`` and ``--jobs 2`` (``--jobs`` to choose): the real command in a fresh process on the
  same documents written as a corpus folder (start-up, reading, pipeline in this process or in 2 workers, index
  write), wall clock, indexed tokens/s -- the figure the build target is about;
- query latency p50/p95/max over a fixed query set, on one open :class:`~nuskha.search.Searcher` (warm caches,
  after one untimed pass): first as a user runs them (the default limit of hits built, total counted), then
  with full result sets (``limit=0``: every hit built, with its context).

Targets (issue 6): >= 100k tokens/s to build, p95 < 20 ms per query. Skips with a message without ../shared.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import ROOT, book_text, peak_rss_mb

from nuskha.pipeline import process
from nuskha.search import Searcher, index_documents
from nuskha.search.query import DEFAULT_LIMIT

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


def write_corpus(docs, folder: Path) -> None:
    """The benchmark documents as a corpus folder for ``build_index`` (language in the sidecar)."""
    folder.mkdir()
    for doc in docs:
        (folder / f"{doc.id}.txt").write_text(doc.text, encoding="utf-8")
        (folder / f"{doc.id}.meta.json").write_text(json.dumps({"language": doc.lang}), encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--min-tokens", type=int, default=1_000_000)
    ap.add_argument("--annotate", action="store_true", help="run the recognisers as `nuskha index` does")
    ap.add_argument("--keep", type=Path, help="write the index here instead of a temporary folder")
    ap.add_argument("--queries-only", action="store_true", help="time the queries on the --keep index as it is")
    ap.add_argument("--jobs", type=int, nargs="*", default=[1, 2], help="time `nuskha index --jobs N` for these N")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        out = args.keep or Path(tmp) / "bench.sqlite"
        if not (args.queries_only and out.exists()):
            docs, pipeline_s = build_docs(args.min_tokens, args.annotate)
            if out.exists():
                out.unlink()
            stats = index_documents(((d, None) for d in docs), out)
            corpus = Path(tmp) / "corpus"
            write_corpus(docs, corpus)
            del docs
            print(f"index write: {stats.tokens:,} indexed tokens, {stats.mentions:,} mentions in "
                  f"{stats.seconds:.2f} s = {stats.tokens_per_second:,.0f} tokens/s; "
                  f"file {out.stat().st_size / 2**20:.1f} MiB")
            total_s = pipeline_s + stats.seconds
            print(f"end to end (pipeline + index, one process): {stats.tokens / total_s:,.0f} indexed tokens/s "
                  f"(target >= 100,000)")
            for jobs in args.jobs:
                # the real command in a fresh process (cold caches, start-up included), as a user runs it
                target = Path(tmp) / f"jobs{jobs}.sqlite"
                command = [sys.executable, "-m", "nuskha", "index", str(corpus), "-o", str(target), "-q",
                           "--jobs", str(jobs), "--annotate" if args.annotate else "--no-annotate"]
                t0 = time.perf_counter()
                subprocess.run(command, check=True, capture_output=True)
                dt = time.perf_counter() - t0
                with Searcher(target) as built:
                    n = built.con.execute("SELECT sum(n_tokens) FROM documents").fetchone()[0]
                print(f"nuskha index --jobs {jobs}{'' if args.annotate else ' --no-annotate'} (fresh process, "
                      f"wall clock): {n:,} indexed tokens in {dt:.2f} s = {n / dt:,.0f} tokens/s "
                      f"(target >= 100,000)")
                target.unlink()

        with Searcher(out) as searcher:
            for q in QUERIES:  # warm-up: authority, pymorphy3, document texts, the mentions by ref
                searcher.search(q, limit=0)
            counts = {}
            for limit, label in ((DEFAULT_LIMIT, f"default limit {DEFAULT_LIMIT} hits built, total counted"),
                                 (0, "full result sets, limit=0")):
                times: list[float] = []
                cpu: list[float] = []
                for _ in range(5):
                    for q in QUERIES:
                        t0, c0 = time.perf_counter(), time.process_time()
                        result = searcher.search(q, limit=limit)
                        [(h.left, h.right) for h in result.hits]  # the context a KWIC line shows
                        times.append((time.perf_counter() - t0) * 1000)
                        cpu.append((time.process_time() - c0) * 1000)
                        counts[q] = result.total
                for clock, xs in (("wall", times), ("cpu", cpu)):
                    xs.sort()
                    print(f"query latency, {label} ({clock}) over {len(QUERIES)} queries x 5: "
                          f"p50 {statistics.median(xs):.1f} ms, p95 {xs[int(0.95 * (len(xs) - 1))]:.1f} ms, "
                          f"max {xs[-1]:.1f} ms (target p95 < 20 ms)")
        print("hits per query (total): " + ", ".join(f"{q}={n}" for q, n in counts.items()))
    print(f"peak RSS {peak_rss_mb():.0f} MiB; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
