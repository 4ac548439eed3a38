"""Curation on the benchmark book: how fast decisions anchor and apply, and how many survive an edit.

    python benchmarks/bench_curation.py [--decisions 2000]

Takes every k-th mention the recognisers find in the book and makes a decision of it (accept, reject, retype,
relink in turn). Printed: the time to apply them all to the unchanged text (each anchors where it was), to the
text with a sentence inserted at the top (each is found again by its text and context), and how many decisions
are orphaned or moved there. Skips with a message without ../shared.
"""
from __future__ import annotations

import argparse
import time

from _common import book_text, peak_rss_mb

from nuskha import curation as cur
from nuskha.document import Document
from nuskha.pipeline import process

ACTIONS = ("accept", "reject", "retype", "relink")
INSERTED = "هذه جملة جديدة أضيفت في أول الكتاب قبل كل شيء . "


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--decisions", type=int, default=2000)
    args = ap.parse_args()
    text = book_text()
    t0 = time.perf_counter()
    doc = process(text, "ar", id="book", annotate=True)
    print(f"annotate the book: {time.perf_counter() - t0:.2f} s, {len(doc.mentions):,} mentions")
    step = max(1, len(doc.mentions) // args.decisions)
    picked = doc.mentions[::step][:args.decisions]
    decisions = []
    for i, m in enumerate(picked):
        action = ACTIONS[i % len(ACTIONS)]
        typ = {"retype": "group" if m.type != "group" else "place"}.get(action, m.type)
        decisions.append(cur.make_decision("book", text, action, m.start, m.end, typ,
                                           "some-ref" if action == "relink" else m.ref, by="bench"))
    for label, body in (("unchanged text", text), ("sentence inserted at the top", INSERTED + text)):
        target = Document("book", "ar", body, mentions=[])
        shift = len(body) - len(text)
        target.mentions = [type(m)(m.start + shift, m.end + shift, m.text, m.type, m.ref, m.value, m.source,
                                   m.cert) for m in doc.mentions]
        t0 = time.perf_counter()
        result = cur.apply_curation(target, decisions)
        dt = time.perf_counter() - t0
        moved = sum(1 for d, at in zip(decisions, cur.anchor_all(decisions, body))
                    if at == (d.start + shift, d.end + shift)) if shift else 0
        print(f"apply {len(decisions):,} decisions, {label}: {dt:.2f} s ({len(decisions) / dt:,.0f} decisions/s); "
              f"{result.applied:,} applied, {len(result.orphans):,} orphaned"
              + (f", {moved:,} found at their new place" if shift else ""))
        for o in result.orphans[:3]:
            print(f"  orphan: {o}")
    print(f"peak RSS {peak_rss_mb():.0f} MiB")


if __name__ == "__main__":
    main()
