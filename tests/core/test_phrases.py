"""PhraseTable lookups: the fast path (first-word index, memoised clitic heads) finds what a plain search finds."""
from __future__ import annotations

from hypothesis import given, settings, strategies as st

from nuskha.core.phrases import PhraseTable, clitic_splits

PROCLITICS = ("و", "ب", "ف")


def plain_match(table: PhraseTable, words, i, proclitics=()):
    """The longest-phrase search with no index: every size, every clitic reading, longest first."""
    if i >= len(words):
        return None
    key = (lambda w: w.casefold()) if table.casefold else (lambda w: w)
    first = key(words[i])
    firsts = clitic_splits(first, tuple(proclitics)) if proclitics else ((first, 0),)
    for size in range(min(table._longest, len(words) - i), 0, -1):
        rest = tuple(key(w) for w in words[i + 1:i + size])
        for head, prefix in firsts:
            value = table._entries.get((head,) + rest)
            if value is not None:
                return i + size, value, prefix
    return None


def test_longest_phrase_and_proclitic():
    t = PhraseTable({"ذي الحجة": 12, "ذي": 1, "ما يزيد على": "more_than"})
    assert t.match(["في", "ذي", "الحجة"], 1) == (3, 12, 0)
    assert t.match(["ذي", "القعدة"], 0) == (1, 1, 0)
    assert t.match(["وذي", "الحجة"], 0, PROCLITICS) == (2, 12, 1)
    assert t.match(["وذي", "الحجة"], 0) is None  # no proclitics asked: the whole word only
    assert t.match(["ما", "يزيد"], 0) is None  # a phrase cut short by the end of the words
    assert t.match(["ذي"], 1) is None


def test_casefold_table_folds_every_word():
    t = PhraseTable({"атты әскер": "horseman"}, casefold=True)
    assert t.match(["Атты", "ӘСКЕР"], 0) == (2, "horseman", 0)


LETTERS = st.sampled_from("وبفاب")
WORD = st.text(LETTERS, min_size=1, max_size=4)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.lists(WORD, min_size=1, max_size=3).map(" ".join), st.integers(0, 9), max_size=12),
       st.lists(WORD, max_size=8), st.booleans(), st.booleans())
def test_match_agrees_with_plain_search(mapping, words, casefold, clitics):
    table = PhraseTable(mapping, casefold=casefold)
    procl = PROCLITICS if clitics else ()
    for i in range(len(words) + 1):
        assert table.match(words, i, procl) == plain_match(table, words, i, procl)
        assert table.match(words, i, list(procl)) == plain_match(table, words, i, procl)  # any sequence


@settings(max_examples=300, deadline=None)
@given(st.text("وبفسنة", max_size=7), st.sets(st.text("وبسنة", min_size=1, max_size=4), max_size=6))
def test_strips_to_is_a_search_of_the_clitic_splits(word, targets):
    """The short-tail pre-test never hides a rest that :func:`clitic_splits` would find."""
    from nuskha.core.phrases import strips_to

    targets = frozenset(targets)
    assert strips_to(word, PROCLITICS, targets) == any(r in targets for r, _ in clitic_splits(word, PROCLITICS))
