"""The benchmark book as TEI: build time and peak memory, read-back and validation timed separately (issue 5).

    python benchmarks/bench_tei.py [--inline] [--no-annotate] [--no-validate] [--trace] [-o OUT.xml]

Stages, each timed on its own: the pipeline (tokens, normal forms, segments and, unless ``--no-annotate``, the
recognisers), writing TEI (serialised bytes), reading the TEI back (and checking the text is the book, byte for
byte), the hand-coded Schematron rules, and RELAX NG ``tei_all`` (schema compile and validation apart). Peak
memory: the process's peak RSS after each stage; ``--trace`` adds the Python allocations (tracemalloc) of a second,
untimed TEI write. One process, one core.
Skips with a message when ../shared is absent.
"""
from __future__ import annotations

import argparse
import time

from _common import BOOK, book_text, peak_rss_mb, traced_peak

from nuskha.pipeline import process


def stage(label: str, fn):
    t0 = time.perf_counter()
    result = fn()
    print(f"{label}: {time.perf_counter() - t0:.2f} s")
    return result


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--inline", action="store_true", help="inline names/dates/measures instead of standOff")
    ap.add_argument("--no-annotate", action="store_true", help="tokens only, no recognisers")
    ap.add_argument("--no-validate", action="store_true", help="skip RELAX NG (compile ~10 s, then the file)")
    ap.add_argument("-o", "--out", help="also write the TEI here")
    ap.add_argument("--trace", action="store_true", help="also measure the write's peak Python allocations")
    args = ap.parse_args()
    text = book_text()
    print(f"book: {BOOK.name}, {len(text):,} characters")
    rss0 = peak_rss_mb()
    t_all = time.perf_counter()
    doc = stage("pipeline (load" + ("" if args.no_annotate else " + recognisers") + ")",
                lambda: process(text, "ar", id="abulfida_mukhtasar", annotate=not args.no_annotate))
    print(f"  {len(doc.tokens):,} tokens, {len(doc.sentences):,} sentences, {len(doc.paragraphs):,} paragraphs, "
          f"{len(doc.mentions):,} mentions, {sum(1 for _ in doc.normalizations()):,} normalisation records")
    from nuskha.authority import load_authority
    from nuskha.tei.write import document_bytes

    authority = load_authority()
    data = stage("TEI write", lambda: document_bytes(doc, authority, inline=args.inline))
    print(f"  {len(data) / 2**20:.1f} MiB of TEI")
    print(f"build total (pipeline + TEI): {time.perf_counter() - t_all:.2f} s; peak RSS {peak_rss_mb():.0f} MiB "
          f"(before: {rss0:.0f} MiB)")
    if args.trace:  # tracemalloc slows allocation-heavy code several times: a separate, untimed pass
        with traced_peak("TEI write (second pass, traced)"):
            document_bytes(doc, authority, inline=args.inline)
    if args.out:
        from nuskha.io import write_atomic

        write_atomic(args.out, data)
    from nuskha.tei.read import parse_bytes, read_tree

    tree = stage("parse (secure parser)", lambda: parse_bytes(data, "book"))
    back = stage("read back into the model", lambda: read_tree(tree, "book").documents[0])
    print(f"  text equals the book: {back.text == text}; mentions kept: {back.mentions == doc.mentions}; "
          f"tokens kept: {back.tokens == doc.tokens}")
    from nuskha.tei.validate import check_rules, default_schema, relaxng

    problems = stage("Schematron rules (hand-coded)", lambda: check_rules(tree, "book"))
    print(f"  {len(problems)} rule problems")
    if not args.no_validate:
        schema = str(default_schema())
        rng = stage("RELAX NG compile (once per process)", lambda: relaxng(schema))
        ok = stage("RELAX NG validate tei_all", lambda: rng.validate(tree))
        print(f"  valid: {ok}" + ("" if ok else f"; first error: {rng.error_log[0]}"))
    print(f"peak RSS {peak_rss_mb():.0f} MiB")


if __name__ == "__main__":
    main()
