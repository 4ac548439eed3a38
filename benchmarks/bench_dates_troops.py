"""Throughput of the date and troop recognisers alone on the benchmark book (issue 11).

    python benchmarks/bench_dates_troops.py [--repeat N]

The book is tokenised once; each recogniser then runs over the same document ``--repeat`` times (its mentions
removed between runs) and the first (cold: per-form memos empty) and best runs are reported in tokens/s of CPU
time (``time.process_time``, so a loaded machine slows it less than wall time), with the number of mentions found.
Troops run on a document without entity mentions here (no group mentions to count); every troops run after the
first re-reads the token normal forms (the last reader forgets them), which the pipeline reads once for both. To compare two versions, run this script from each tree
back to back and compare the best figures.
"""
from __future__ import annotations

import argparse
import gc
import time

from _common import book_text

from nuskha.annotate.dates import recognise as recognise_dates
from nuskha.annotate.troops import recognise as recognise_troops
from nuskha.document import Document
from nuskha.pipeline import tokenize


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3, help="runs per recogniser; the best is reported")
    args = ap.parse_args()
    doc = tokenize(Document("book", "ar", book_text()))
    n = len(doc.tokens)
    print(f"book: {n:,} tokens")
    for name, fn in (("dates", recognise_dates), ("troops", recognise_troops)):
        times, found = [], 0
        for _ in range(args.repeat):
            doc.mentions = [m for m in doc.mentions if m.type != name.rstrip("s")]
            kept = len(doc.mentions)
            gc.collect()
            t0 = time.process_time()
            fn(doc)
            times.append(time.process_time() - t0)
            found = len(doc.mentions) - kept
        print(f"{name:7s} cold {n / times[0]:>10,.0f} tokens/s, best {n / min(times):>10,.0f} tokens/s, "
              f"{found:,} mentions")


if __name__ == "__main__":
    main()
