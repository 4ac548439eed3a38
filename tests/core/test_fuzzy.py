"""The one-substitution index: the half-form pre-test never loses a candidate the full probe would find."""
from __future__ import annotations

from hypothesis import given, settings, strategies as st

from nuskha.core.fuzzy import SubstitutionIndex, half_forms


def test_half_forms_wildcard_one_half_each():
    assert half_forms("моңғол") == ("моң\0\0\0", "\0\0\0ғол")
    assert half_forms("абвгд") == ("аб\0\0\0", "\0\0вгд")  # odd length: the second half is the longer


def test_candidates_one_substitution_away_in_insertion_order():
    index = SubstitutionIndex([("моңғол", 1), ("моңғал", 2), ("қыпшақ", 3)], min_len=5)
    assert index.candidates("моиғол") == [("моңғол", 1)]
    assert index.candidates("моңғыл") == [("моңғол", 1), ("моңғал", 2)]
    assert index.candidates("моңғол") == []  # a stored key itself is no typo
    assert index.candidates("тоиқол") == []  # two substitutions
    assert index.lookup("қыпшаұ") == ("қыпшақ", 3)


def _brute_force(keys: list[str], word: str, min_len: int) -> list[str]:
    if len(word) < min_len or word in keys:
        return []
    return [k for k in dict.fromkeys(k for k in keys if len(k) >= min_len)
            if len(k) == len(word) and sum(a != b for a, b in zip(k, word)) == 1]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text("абвг", min_size=3, max_size=7), max_size=12), st.text("абвг", min_size=3, max_size=7))
def test_candidates_equal_a_brute_force_search(keys, word):
    index = SubstitutionIndex(((k, k) for k in keys), min_len=4)
    assert [k for k, _ in index.candidates(word)] == _brute_force(keys, word, 4)
