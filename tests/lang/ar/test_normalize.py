"""Arabic match forms and their change records; the original text is never edited."""
from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from nuskha import process
from nuskha.lang import get_language


def norm(word: str) -> tuple[str, list[tuple[int, int, str, str, str]]]:
    n, changes = get_language("ar").normalize(word)
    return n, [(c.start, c.end, c.orig, c.reg, c.kind) for c in changes]


@pytest.mark.parametrize("written, expected, kinds", [
    ("أترار", "اترار", {"alef"}),
    ("إحلال", "احلال", {"alef"}),
    ("آلاف", "الاف", {"alef"}),
    ("ٱلله", "الله", {"alef"}),
    ("بخارى", "بخاري", {"alef_maksura"}),
    ("الخلافة", "الخلافه", {"teh_marbuta"}),
    ("جنكـــيز", "جنكيز", {"tatweel"}),
    ("جِنْكِيزُ", "جنكيز", {"diacritic"}),
    ("ألفاً", "الفا", {"alef", "diacritic"}),
    ("کتکا", "كتكا", {"persian"}),
    ("یوسف", "يوسف", {"persian"}),
    ("٦١٥", "615", {"digit"}),
    ("۱۲۱۸", "1218", {"digit"}),
    ("رئيس", "رييس", {"hamza"}),
    ("ﻻ", "لا", {"presentation"}),
    ("ﷲ", "الله", {"presentation"}),
    ("ب\u200cخارا", "بخارا", {"unicode"}),
    ("ا\u0653", "ا", {"unicode", "alef"}),  # NFC composes alef+madda into آ, then the alef map reads it as ا
])
def test_ar_normalize_records_every_change(written, expected, kinds):
    n, changes = norm(written)
    assert n == expected
    assert {c[4] for c in changes} == kinds
    for start, end, orig, reg, kind in changes:
        assert 0 <= start < end <= len(written)


def test_ar_normalize_leaves_clean_words_alone():
    assert norm("سمرقند") == ("سمرقند", [])


def test_ar_presentation_then_alef_is_traceable():
    n, changes = norm("ﻷمر")  # LAM WITH ALEF WITH HAMZA ABOVE ligature
    assert n == "لامر"
    assert [(c[2], c[3], c[4]) for c in changes] == [("ﻷ", "لأ", "presentation"), ("أ", "ا", "alef")]
    assert all((c[0], c[1]) == (0, 1) for c in changes)


def test_ar_document_normalizations_index_the_original():
    text = "وفي ربيع عام ٦١٥هـ وصلوا إلى بُخارى"
    doc = process(text, "ar")
    assert doc.text == text
    records = list(doc.normalizations())
    assert records and all(text[r.start:r.end] == r.orig for r in records)
    assert {r.kind for r in records} >= {"digit", "tatweel", "alef", "diacritic", "alef_maksura"}


def test_ar_norm_agrees_with_camel_tools():
    """Our tables give what camel-tools' own normalisers give (dediac + alef + alef maksura + teh marbuta)."""
    pytest.importorskip("camel_tools", reason="camel-tools is the optional [camel] extra")
    from camel_tools.utils.dediac import dediac_ar
    from camel_tools.utils.normalize import (normalize_alef_ar, normalize_alef_maksura_ar,
                                             normalize_teh_marbuta_ar)

    from tests.conftest import AR_TEXT

    words = set(AR_TEXT.read_text(encoding="utf-8").split()) | {"جِنْكِيزُ", "أُمَّة", "إِلَى", "آلاف", "ٱلله"}
    for w in words:
        camel = normalize_teh_marbuta_ar(normalize_alef_maksura_ar(normalize_alef_ar(dediac_ar(w))))
        ours, _ = get_language("ar").normalize(w)
        assert ours == camel.replace("ـ", "").replace("ؤ", "و").replace("ئ", "ي"), w


@settings(max_examples=300, deadline=None)
@given(st.text("ابتسنكلويىةأإآؤئءـ\u064b\u064e\u0650\u0651\u0652\ufefb\ufe8d\u06a9\u06cc٣\u200f", max_size=8))
def test_the_no_change_shortcut_gives_what_the_steps_give(word):
    """Words no step changes skip the steps: the result must be what running them gives."""
    from nuskha.core.charmap import compose, nfc
    from nuskha.lang.ar import orthographic_map, presentation_map

    steps = (presentation_map().apply, nfc, orthographic_map().apply)
    assert get_language("ar").normalize(word) == compose(word, *steps)
