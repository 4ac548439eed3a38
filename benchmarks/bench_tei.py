"""The benchmark book as TEI: write and read throughput, size ratio, peak memory, validation (issues 5 and 16).

    python benchmarks/bench_tei.py [--inline] [--no-annotate] [--no-validate] [--trace] [-o OUT.xml]

Stages, each timed on its own (wall clock and CPU time of this process, so that a busy machine shows as the gap
between them): the pipeline (tokens, normal forms, segments and, unless ``--no-annotate``, the recognisers);
writing TEI (``document_bytes``: the whole file as bytes); reading it back (``read_bytes``: the secure checks,
libxml2 for the header and standOff, the body scanned by :mod:`nuskha.tei.scan`, the model), then checking that
the text is the book byte for byte, that tokens and mentions are kept, and that writing the read-back document
gives the same bytes (round trip); the size of the TEI against the UTF-8 size of the text; the tree walk that edited files take (whole parse + walk), checked to give the same
document; the hand-coded Schematron rules; RELAX NG ``tei_all`` (schema compile and validation
apart). Throughput is tokens per second of the write and of the read (parse included). Peak memory: the process's
peak RSS after each stage; ``--trace`` adds the Python allocations (tracemalloc) of a second, untimed write.
One process, one core. Skips with a message when ../shared is absent.
"""
from __future__ import annotations

import argparse
import time

from _common import BOOK, book_text, peak_rss_mb, traced_peak

from nuskha.pipeline import process

LAYERS = ("id", "lang", "text", "meta", "tokens", "sentences", "paragraphs", "mentions", "corrections")


def stage(label: str, fn, tokens: int | None = None):
    """Run ``fn``; print its wall and CPU seconds (and tokens/s of each when ``tokens`` is given)."""
    t0, c0 = time.perf_counter(), time.process_time()
    result = fn()
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    rate = f"; {tokens / wall:,.0f} tokens/s wall, {tokens / cpu:,.0f} tokens/s CPU" if tokens else ""
    print(f"{label}: {wall:.2f} s wall, {cpu:.2f} s CPU{rate}; peak RSS {peak_rss_mb():.0f} MiB")
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
    text_bytes = len(text.encode("utf-8"))
    print(f"book: {BOOK.name}, {len(text):,} characters, {text_bytes:,} bytes UTF-8")
    rss0 = peak_rss_mb()
    doc = stage("pipeline (load" + ("" if args.no_annotate else " + recognisers") + ")",
                lambda: process(text, "ar", id="abulfida_mukhtasar", annotate=not args.no_annotate))
    n = len(doc.tokens)
    print(f"  {n:,} tokens, {len(doc.sentences):,} sentences, {len(doc.paragraphs):,} paragraphs, "
          f"{len(doc.mentions):,} mentions, {sum(1 for _ in doc.normalizations()):,} normalisation records "
          f"(before: peak RSS {rss0:.0f} MiB)")
    from nuskha.authority import load_authority
    from nuskha.tei.write import document_bytes

    authority = load_authority()
    data = stage("TEI write", lambda: document_bytes(doc, authority, inline=args.inline), n)
    print(f"  TEI size {len(data):,} bytes ({len(data) / 2**20:.1f} MiB) = {len(data) / text_bytes:.2f} x the "
          "text's UTF-8 size")
    if args.trace:  # tracemalloc slows allocation-heavy code several times: a separate, untimed pass
        with traced_peak("TEI write (second pass, traced)"):
            document_bytes(doc, authority, inline=args.inline)
    if args.out:
        from nuskha.io import write_atomic

        write_atomic(args.out, data)
    from nuskha.tei.read import parse_bytes, read_bytes, read_tree

    back = stage("TEI read (read_bytes: secure checks, header/standOff parse, body scan, model)",
                 lambda: read_bytes(data, "book").documents[0], n)
    print(f"  text equals the book: {back.text == text}; mentions kept: {back.mentions == doc.mentions}; "
          f"tokens kept: {back.tokens == doc.tokens}")
    again = document_bytes(back, authority, inline=args.inline)
    print(f"  round trip write -> read -> write byte-identical: {again == data}")
    holder = {}

    def read_walked():
        holder["tree"] = parse_bytes(data, "book")
        return read_tree(holder["tree"], "book").documents[0]

    walked = stage("TEI read by the tree walk (whole parse + walk: edited files, inline, corpora)", read_walked, n)
    print(f"  same document as the scan: {all(getattr(walked, k) == getattr(back, k) for k in LAYERS)}")
    del back, again, walked
    from nuskha.tei.validate import check_rules, default_schema, relaxng

    tree = holder.pop("tree")
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
