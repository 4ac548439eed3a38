"""The benchmark book as an HTML edition: time and peak memory of the pages ``nuskha build`` adds (issue 15).

    python benchmarks/bench_edition.py [-o OUT_DIR]

Stages: the pipeline with the recognisers (timed apart, it is not the edition's cost), then
:func:`nuskha.render.edition.write_edition` (document page, indexes, map; no parallel view for one document),
and its pages' sizes. One process, one core. Skips with a message when ../shared is absent.
"""
from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from _common import BOOK, book_text, peak_rss_mb

from nuskha.pipeline import process


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("-o", "--out", help="write the edition here (default: a temporary folder, removed)")
    args = ap.parse_args()
    text = book_text()
    print(f"book: {BOOK.name}, {len(text):,} characters")
    t0 = time.perf_counter()
    doc = process(text, "ar", id="abulfida_mukhtasar", annotate=True)
    print(f"pipeline (load + recognisers): {time.perf_counter() - t0:.2f} s; {len(doc.tokens):,} tokens, "
          f"{len(doc.mentions):,} mentions, {sum(1 for _ in doc.normalizations()):,} normalisation records")
    from nuskha.authority import load_authority
    from nuskha.render.edition import write_edition

    authority = load_authority()
    rss0 = peak_rss_mb()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(args.out or tmp)
        t0 = time.perf_counter()
        files = write_edition([doc], out, authority)
        seconds = time.perf_counter() - t0
        sizes = {f.name: f.stat().st_size for f in files}
    print(f"edition write: {seconds:.2f} s, {len(text) / seconds / 1e6:.2f} M characters/s; peak RSS "
          f"{peak_rss_mb():.0f} MiB (before: {rss0:.0f} MiB)")
    for name, size in sorted(sizes.items(), key=lambda kv: -kv[1]):
        print(f"  {name}: {size / 2**20:.1f} MiB")


if __name__ == "__main__":
    main()
