"""Normalise + tokenise + segment throughput and memory on the benchmark book (issue 2).

    python benchmarks/bench_pipeline.py [--repeat N]

Prints tokens/s for the tokenizer alone and for the whole pass (tokens with normal forms, lemmas, segments and
change records), each with a cold lexeme cache, and peak memory. One process, one core.
"""
from __future__ import annotations

import argparse
import gc

from _common import book_text, peak_rss_mb, traced_peak

from nuskha.document import Document
from nuskha.lang import get_language
from nuskha.pipeline import tokenize


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    text = book_text()
    print(f"book: {len(text):,} characters, {len(text.split()):,} whitespace words")
    rss0 = peak_rss_mb()
    best_tok = best_all = 0.0
    for i in range(args.repeat):
        language = get_language("ar")
        language.clear_cache()  # cold cache every run: the per-type work is part of the figure
        gc.collect()
        import time

        t0 = time.perf_counter()
        spans = language.tokenizer.spans(text)
        t1 = time.perf_counter()
        language.clear_cache()
        doc = tokenize(Document("book", "ar", text))
        changes = sum(1 for _ in doc.normalizations())
        t2 = time.perf_counter()
        n = len(spans)
        best_tok = max(best_tok, n / (t1 - t0))
        best_all = max(best_all, n / (t2 - t1))
        print(f"run {i + 1}: {n:,} tokens; tokenizer {n / (t1 - t0):,.0f} tokens/s; "
              f"normalise+tokenise+segment {n / (t2 - t1):,.0f} tokens/s "
              f"({len(language._lexemes):,} types, {changes:,} change records, {len(doc.sentences):,} sentences)")
    print(f"best: tokenizer {best_tok:,.0f} tokens/s; normalise+tokenise+segment {best_all:,.0f} tokens/s")
    print(f"peak RSS {peak_rss_mb():.0f} MiB (interpreter and imports before the run: {rss0:.0f} MiB)")
    language.clear_cache()
    with traced_peak("one full pass"):
        tokenize(Document("book", "ar", text))


if __name__ == "__main__":
    main()
