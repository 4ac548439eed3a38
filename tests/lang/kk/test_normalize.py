"""Kazakh normalisation: NFC, homoglyph repair inside Cyrillic words only, compound-name match keys."""
from __future__ import annotations

import pytest

from nuskha import process
from nuskha.lang import get_language


def norm(word: str):
    n, changes = get_language("kk").normalize(word)
    return n, [(c.start, c.orig, c.reg, c.kind) for c in changes]


@pytest.mark.parametrize("written, expected", [
    ("Тeмір", "Темір"),            # Latin e
    ("Бiрақ", "Бірақ"),            # Latin i is Kazakh і
    ("Ақ Oрда", "Ақ Орда"),
    ("hалық", "һалық"),
    ("Xорезм", "Хорезм"),
    ("мoңғoл", "моңғол"),           # Latin o twice
    ("Сыpдария", "Сырдария"),
])
def test_kk_homoglyphs_repaired_in_cyrillic_words(written, expected):
    n, changes = norm(written)
    assert n == expected
    assert changes and all(kind == "homoglyph" for *_, kind in changes)


@pytest.mark.parametrize("word", ["Boeing-тың", "iPhone-ның", "Microsoft", "Excel-ге", "OK"])
def test_kk_latin_words_with_kazakh_suffixes_are_left_alone(word):
    assert norm(word) == (word, [])


def test_kk_nfc_composes_decomposed_letters():
    decomposed = "и\u0306ә"  # и + combining breve
    n, changes = norm(decomposed)
    assert n == "йә" and changes == [(0, "и\u0306", "й", "unicode")]


def test_kk_compound_name_variants_share_one_match_key():
    kk = get_language("kk")
    keys = {kk.match_key(kk.normalize(v)[0]) for v in ("ТемірМәлік", "Темір-Мәлік", "Темір Мәлік", "темір-мәлік")}
    assert len(keys) == 1


def test_kk_document_records_homoglyphs_at_original_offsets():
    text = "Жалал ад-Дин Тeмір-Мәлікпен бірге Boeing-тың"
    doc = process(text, "kk")
    recs = list(doc.normalizations())
    assert [(r.start, r.orig, r.reg) for r in recs] == [(text.index("eмір"), "e", "е")]
    assert doc.text == text
