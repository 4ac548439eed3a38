"""Fuzz harness over the text and TEI paths (issue 17.6), with hypothesis.

In CI each target tries a few dozen inputs. By hand, ``NUSKHA_FUZZ_MINUTES=30 python -m pytest -s
tests/reliability/test_fuzz.py`` shares 30 minutes between the targets, running batches of new inputs until its
time is spent, and prints how many inputs each target tried. A finding becomes a test of its own.

Properties: every input either gives a document whose layers keep the offset invariants (the tokens and gaps
join back into the text, every normalisation record quotes the text) or a nuskha error (one line, exit 2 at the
command line) -- never another exception; reading a text in blocks gives the tokens of the whole; a document
written as TEI reads back with the same text, tokens and mentions; TSV cells carry no control character.
"""
from __future__ import annotations

import os
import tempfile
import time
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from nuskha.cli.common import escape_controls
from nuskha.errors import NuskhaError
from nuskha.io import open_text
from nuskha.pipeline import process, process_blocks
from tests.conftest import AR_TEXT, KK_TEXT

MINUTES = float(os.environ.get("NUSKHA_FUZZ_MINUTES", "0") or 0)
TARGETS = 4
TRIED: Counter = Counter()

_AR, _KK = AR_TEXT.read_text(encoding="utf-8"), KK_TEXT.read_text(encoding="utf-8")
_SPECIAL = list("بخارىإأآةًٌٍَُِّْـ\u200c\u200dәғқңөұүһіӘІ-ЖжTemürÄğıñş0123456789٠١٢٣٤٥٦٧٨٩۱۲"
                ".,،؛؟!?…«»()[]/:'\"-–— \t\n\r\u00a0\u2028\u2029\x1c\x1f\ufeff\u200f\u202e﷽ﻻ𗓻\x1b\x07\x85") + \
    ["\r\n", "\n\n", "т.б.", "615ه", "1219-жылы", "Темір-Мәлік", "ابن", "خان", "الف فارس"]


def _slices(text: str):
    return st.integers(0, len(text) - 1).flatmap(lambda a: st.integers(a, min(len(text), a + 120)).map(
        lambda b: text[a:b]))


texts = st.lists(st.one_of(st.sampled_from(_SPECIAL), st.characters(exclude_categories=("Cs",)), _slices(_AR),
                           _slices(_KK)), max_size=40).map("".join)
xml_texts = texts.map(lambda t: "".join(ch for ch in t if ch in "\t\n\r" or (ord(ch) >= 0x20 and
                                                                         ch not in "\ufffe\uffff")))


def _run(strategy, check, name: str) -> None:
    """One CI-sized run of ``check`` over ``strategy``, or batches until this target's share of the minutes is spent
    (each batch a fresh hypothesis test: new random inputs)."""
    common = dict(deadline=None, database=None, suppress_health_check=list(HealthCheck))

    def batch(examples: int) -> None:
        def test(text):
            check(text)

        settings(max_examples=examples, **common)(given(strategy)(test))()

    if not MINUTES:
        batch(25)
        return
    end = time.monotonic() + MINUTES * 60 / TARGETS
    batches = 0
    while time.monotonic() < end:
        batch(200)
        batches += 1
    print(f"\nfuzz {name}: {TRIED[name]:,} inputs in {batches} batches, {MINUTES / TARGETS:.2f} min, no failure")


def _check_text(text: str) -> None:
    TRIED["text"] += 1
    try:
        doc = process(text, annotate=True)
    except NuskhaError:
        return  # no letters of a known language, say: a clear error is the right outcome
    doc.check()
    for tok in doc.tokens:
        assert _replay(text[tok.start:tok.end], tok.lex.changes) == tok.norm, tok
    assert "".join(text[t.start:t.end] for t in doc.tokens) == "".join(text.split())


def _replay(surface: str, changes) -> str:
    """The normal form the change records of ``surface`` describe, rebuilt from them alone.

    Records chain (nuskha.core.charmap.compose): a later step's change inside an earlier replacement carries the
    span of that replacement and quotes what that step saw -- ﭐ -> ٱ (presentation), then ٱ -> ا (alef) on the
    same span; marks reordered by NFC over a cluster, then each deleted from it. So each record must quote a part
    of what its span reads after the records before it, and replaying them all must give the normal form."""
    pieces = {(i, i + 1): ch for i, ch in enumerate(surface)}  # disjoint spans of the surface -> what they read now
    for c in changes:
        inside = sorted(span for span in pieces if c.start <= span[0] and span[1] <= c.end)
        assert all(span[1] <= c.start or span[0] >= c.end or span in inside for span in pieces), \
            f"{c} cuts across an earlier record's span"
        now = "".join(pieces.pop(span) for span in inside)
        assert c.orig in now, f"{c} quotes neither the text nor an earlier step's result ({now!r})"
        pieces[(c.start, c.end)] = now.replace(c.orig, c.reg, 1)
    return "".join(pieces[span] for span in sorted(pieces))


def _check_blocks(text: str) -> None:
    TRIED["blocks"] += 1
    try:
        whole = process(text)
    except NuskhaError:
        return
    with tempfile.TemporaryDirectory() as tmp:
        f = Path(tmp) / "t.txt"
        f.write_text(text, encoding="utf-8", newline="")
        try:
            stream = open_text(f)
        except NuskhaError:
            assert not text.strip()
            return
        with stream:
            got = [(o + t.start, o + t.end, t.norm, t.lemma) for o, d in process_blocks(stream, whole.lang,
                                                                                          block_chars=16)
                   for t in d.tokens]
    assert got == [(t.start, t.end, t.norm, t.lemma) for t in whole.tokens]


def _check_tei(text: str) -> None:
    from nuskha.tei.read import read_document
    from nuskha.tei.write import document_bytes

    TRIED["tei"] += 1
    try:
        doc = process(text, annotate=True, id="fuzz")
        data = document_bytes(doc)
    except NuskhaError:
        return
    with tempfile.TemporaryDirectory() as tmp:
        f = Path(tmp) / "fuzz.tei.xml"
        f.write_bytes(data)
        back = read_document(f)
    assert back.text == text
    assert [(t.start, t.end) for t in back.tokens] == [(t.start, t.end) for t in doc.tokens]
    assert [(m.start, m.end, m.type, m.ref) for m in back.mentions] == \
        [(m.start, m.end, m.type, m.ref) for m in doc.mentions]


def _check_tsv(text: str) -> None:
    TRIED["tsv"] += 1
    cell = escape_controls(text)
    assert not any(ord(ch) < 0x20 or 0x7f <= ord(ch) <= 0x9f for ch in cell)


def test_chained_normalisation_records_quote_the_step_before():
    # the long fuzz run's one finding, which was the harness's: ﭐ is recorded as ﭐ -> ٱ, then ٱ -> ا
    _check_text("ﭐ")
    _check_text("ﭐلكتاب ﻻ")


def test_records_inside_a_reordered_cluster_replay_to_the_normal_form():
    # the second long run's finding, the harness's again: marks out of canonical order (dammatan before fathatan)
    # are one NFC record over the cluster, then each mark's deletion carries that cluster's span
    _check_text("ب\u064c\u064b")
    _check_text("ب\u064c\u064b\u0651 ﺑ\u064c\u064b ﭐلكتاب")
    with pytest.raises(AssertionError):  # the replay is a real check: a record quoting what was never there fails
        from nuskha.document import Change
        _replay("بً", (Change(1, 2, "ٌ", "", "diacritic"),))


def test_fuzz_text_path():
    _run(texts, _check_text, "text")


def test_fuzz_blocks_give_the_tokens_of_the_whole():
    _run(texts, _check_blocks, "blocks")


def test_fuzz_tei_round_trip():
    _run(xml_texts, _check_tei, "tei")


def test_fuzz_tsv_cells_carry_no_control_character():
    _run(texts, _check_tsv, "tsv")


def test_tei_round_trip_reads_chained_normalisation_records():
    # the third long run's finding, a real one: the TEI reader refused the chained records its writer wrote
    # (presentation form then alef; marks reordered by NFC then deleted) -- "not the text it points at"
    from nuskha.tei.read import read_document
    from nuskha.tei.write import document_bytes

    for text in ("ﭐلكتاب", "ب\u064c\u064b كتب", "ﺑ\u064c\u064b"):
        _check_tei(text)
        doc = process(text, id="fuzz")
        with tempfile.TemporaryDirectory() as tmp:
            f = Path(tmp) / "fuzz.tei.xml"
            f.write_bytes(document_bytes(doc))
            back = read_document(f)
            assert list(back.normalizations()) == list(doc.normalizations())
            # still checked: a record quoting what the word never read is refused
            f.write_bytes(document_bytes(doc).replace("<orig>\u064b</orig>".encode(), "<orig>\u064e</orig>".encode())
                          .replace("<orig>\u0671</orig>".encode(), "<orig>\u0672</orig>".encode()))
            with pytest.raises(NuskhaError, match="not the text it points at"):
                read_document(f)
