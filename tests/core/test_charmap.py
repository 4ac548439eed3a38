"""CharMap: ``touches`` agrees with ``apply``."""
from __future__ import annotations

from hypothesis import given, strategies as st

from nuskha.core.charmap import CharMap

MAP = CharMap({"أ": ("ا", "alef"), "ة": ("ه", "teh_marbuta"), "\u064e": ("", "diacritic")})


def test_touches_only_text_with_a_mapped_character():
    assert MAP.touches("أترار") and MAP.touches("سنة") and MAP.touches("سَنه")
    assert not MAP.touches("بخارا") and not MAP.touches("")


@given(st.text("أةاسن\u064e "))
def test_touches_exactly_when_apply_records_a_change(text):
    assert MAP.touches(text) == bool(MAP.apply(text)[1])
