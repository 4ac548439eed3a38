"""The recognisers' shortcuts: shared word lists, date spans by bisection, the same mentions when run twice."""
from __future__ import annotations

from hypothesis import given, settings, strategies as st

from nuskha import process
from nuskha.annotate import annotate
from nuskha.annotate.tables import forget_token_words, token_words
from nuskha.annotate.troops import _taken
from nuskha.document import Token


def merge_taken(tokens, spans):
    """Whether each token overlaps some span, by brute force."""
    return [any(s < t.end and t.start < e for s, e in spans) for t in tokens]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 3), st.integers(1, 4)), max_size=30), st.data())
def test_taken_marks_exactly_the_tokens_a_date_overlaps(layout, data):
    tokens, pos = [], 0
    for gap, width in layout:
        tokens.append(Token(pos + gap, pos + gap + width, None))
        pos += gap + width
    cuts = sorted(data.draw(st.lists(st.integers(0, pos + 2), max_size=8, unique=True)))
    spans = [(a, b) for a, b in zip(cuts[::2], cuts[1::2]) if a < b]  # disjoint, in order: as dates are
    assert _taken(tokens, spans) == merge_taken(tokens, spans)


def test_token_words_are_computed_once_per_token_list():
    doc = process("Жиырма мың әскер келді.", "kk")
    words = token_words(doc.tokens)
    assert words == [t.norm for t in doc.tokens]
    assert token_words(doc.tokens) is words
    assert token_words(doc.tokens, True) == [t.norm.casefold() for t in doc.tokens]
    other = process("Жиырма мың әскер келді.", "kk")
    assert token_words(other.tokens) is not words  # another document's list, even with the same words
    forget_token_words()
    assert token_words(doc.tokens) is not words


def test_annotating_twice_gives_the_same_mentions():
    """The per-form memos filled by the first document change nothing for the next."""
    text = "وفي سنة سبع عشرة وستمائة سار جنكزخان إلى بخارا في ما يزيد على مائة الف جندي"
    first = [m.to_json() for m in annotate(process(text, "ar")).mentions]
    again = [m.to_json() for m in annotate(process(text, "ar")).mentions]
    assert first == again
    assert {m["type"] for m in first} >= {"date", "troops", "person", "place"}
