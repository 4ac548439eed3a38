"""Kazakh annotate throughput with the sequence model on (issue 12), the model's size and load time.

    python benchmarks/bench_kazakh.py [--repeat N]

Times are CPU seconds of the process (one core), so that contention on a shared machine does not count.
The text is KazNERD's IOB2_valid.txt (../shared/data/kaznerd, modern Kazakh news; every sentence, ~140k tokens,
one sentence a line), read only to be timed. Printed, on one core:
  model               the shipped CRF's file size, and the time to read its weights (done on the first sentence
                      tagged)
  annotate cold       tokenise + every recogniser (entities with the model, dates, troops) in a fresh process
  annotate warm       the same text again (every per-type cache filled: the steady state of a corpus)
  entities            the entity recogniser alone (warm), with the model and with the rules alone
"""
from __future__ import annotations

import argparse
import gc
import time
from importlib import resources

from _common import ROOT, peak_rss_mb

KAZNERD = ROOT.parent / "shared" / "data" / "kaznerd" / "IOB2_valid.txt"


def kazakh_text() -> str:
    if not KAZNERD.exists():
        print(f"skipped: KazNERD is not present ({KAZNERD}); it lives in ../shared")
        raise SystemExit(0)
    from nuskha.evaluate.kaznerd import read_iob2, to_text

    return to_text(read_iob2(KAZNERD))[0]


def clock(fn):
    """``(result, CPU seconds of this process)``: CPU time, not wall time, so that the figure is that of one
    core even on a shared machine (the wall time is printed beside it where it differs)."""
    gc.collect()
    t0 = time.process_time()
    out = fn()
    return out, time.process_time() - t0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=1, help="warm passes (the best is printed)")
    args = ap.parse_args()
    text = kazakh_text()

    from nuskha.annotate.entities import recogniser
    from nuskha.document import Document
    from nuskha.pipeline import process

    data = resources.files("nuskha.lang.kk.data").joinpath("entity_crf.crfsuite").read_bytes()
    print(f"model: {len(data) / 2**20:.2f} MiB (entity_crf.crfsuite)")
    _, startup = clock(lambda: process("Ол Алматыға барды.", "kk"))
    rec, build = clock(lambda: recogniser("kk"))
    _, load = clock(rec.model.weights)
    print(f"start-up: tables {startup:.2f} s, recogniser {build:.2f} s, model load {load * 1000:.0f} ms")

    wall = time.perf_counter()
    doc, cold = clock(lambda: process(text, "kk", annotate=True))
    wall = time.perf_counter() - wall
    n = len(doc.tokens)
    print(f"annotate cold: {n:,} tokens in {cold:.2f} s CPU ({wall:.2f} s wall), {n / cold:,.0f} tokens/s "
          f"({sum(m.source == 'model' for m in doc.mentions)} model mentions of {len(doc.mentions)})")
    warm = min(clock(lambda: process(text, "kk", annotate=True))[1] for _ in range(args.repeat))
    print(f"annotate warm: {n / warm:,.0f} tokens/s")

    base = process(text, "kk")
    for label, on in (("with the model", True), ("rules alone", False)):
        saved, rec.use_model = rec.use_model, on

        def run():
            doc = Document(id="b", lang="kk", text=text)
            doc.tokens, doc.sentences, doc.paragraphs = base.tokens, base.sentences, base.paragraphs
            rec(doc)
        try:
            seconds = min(clock(run)[1] for _ in range(args.repeat))
        finally:
            rec.use_model = saved
        print(f"entities {label}: {seconds:.2f} s, {n / seconds:,.0f} tokens/s")
    print(f"peak RSS: {peak_rss_mb():.0f} MiB")


if __name__ == "__main__":
    main()
