"""Tokenisation: offsets into the original, kinds, calendar markers, Kazakh abbreviations and hyphenation."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nuskha import process
from nuskha.core.tokenize import Tokenizer
from nuskha.lang import get_language


def texts(doc):
    return [t.text for t in doc.tokens]


def test_ar_tokenizer_splits_calendar_markers_from_digits():
    doc = process("وفي ربيع عام 615ه/1218م ،", "ar")
    assert texts(doc) == ["وفي", "ربيع", "عام", "615", "ه", "/", "1218", "م", "،"]
    assert [t.kind for t in doc.tokens][3:8] == ["number", "word", "punct", "number", "word"]


def test_ar_tokenizer_keeps_tatweel_and_diacritics_inside_the_word():
    doc = process("جنكـــيزُ خانْ", "ar")
    assert texts(doc) == ["جنكـــيزُ", "خانْ"]
    assert doc.tokens[0].norm == "جنكيز"


def test_kk_tokenizer_keeps_abbreviations_whole():
    doc = process("қаңлы, қыпшақ және т.б. тайпалар, т.с.с. әдістер; 1220 ж. оқиға", "kk")
    assert "т.б." in texts(doc) and "т.с.с." in texts(doc) and "ж." in texts(doc)
    assert doc.tokens[texts(doc).index("т.б.")].kind == "abbr"


def test_kk_tokenizer_abbreviation_never_inside_a_word():
    doc = process("Ташкент.б. емес", "kk")
    assert "т.б." not in texts(doc)


def test_kk_tokenizer_hyphenated_names_and_number_suffixes():
    # the tokenizer joins across hyphens; the Kazakh running-text pass then parts pair words such as бала-шағасы
    # (tests/lang/kk/test_hyphens.py), but not names or a number and its ending
    text = "Темір-Мәлік 300-дей түркілерден, бала-шағасы Boeing-тың"
    tokens = get_language("kk").tokens(text)
    assert [t.text for t in tokens] == ["Темір-Мәлік", "300-дей", "түркілерден", ",", "бала-шағасы", "Boeing-тың"]
    assert tokens[1].kind == "number"
    assert [t.text for t in process(text, "kk").tokens][:3] == ["Темір-Мәлік", "300-дей", "түркілерден"]


def test_punctuation_runs_and_quotes():
    doc = process("«сөзі бойынша түркі еді...» – деп", "kk")
    assert texts(doc) == ["«", "сөзі", "бойынша", "түркі", "еді", "...", "»", "–", "деп"]


def test_sentences_end_at_terminal_punctuation_and_line_breaks():
    text = "Бірінші сөйлем. Екінші «сөйлем.» Үшінші\nТөртінші"
    doc = process(text, "kk")
    sents = [text[s.start:s.end] for s in doc.sentences]
    assert sents == ["Бірінші сөйлем.", "Екінші «сөйлем.»", "Үшінші", "Төртінші"]


def test_ar_sentences_with_spaced_full_stop(ar_doc):
    first = ar_doc.sentences[0]
    assert ar_doc.text[first.end - 1] == "." and ar_doc.text[first.start:first.start + 3] == "كان"
    assert len(ar_doc.sentences) > 30


def test_paragraphs_are_lines(kk_doc):
    assert len(kk_doc.paragraphs) == 4
    assert kk_doc.text[kk_doc.paragraphs[1].start:].startswith("Көп ұзамай")


@pytest.mark.parametrize("fixture", ["ar_doc", "kk_doc"])
def test_corpus_documents_keep_every_invariant(fixture, request):
    doc = request.getfixturevalue(fixture)
    doc.check()
    rebuilt = []
    pos = 0
    for tok in doc.tokens:
        rebuilt.append(doc.text[pos:tok.start])
        rebuilt.append(tok.text)
        pos = tok.end
    rebuilt.append(doc.text[pos:])
    assert "".join(rebuilt) == doc.text


# Round trip over hostile mixtures: Arabic, Cyrillic (with Kazakh letters), Latin, digits of three scripts,
# punctuation, combining marks, tatweel, format characters and odd whitespace.
_ALPHABET = st.sampled_from(
    list("جنكيز خانبخارىةأإآىؤئـًٌٍَُِّْ٠١٥۵") + list("ӘәҒғҚқҢңӨөҰұҮүҺһІіТемірМлкпен") + list("Boeingabcxyz")
    + list("0123456789.,;:!?؟،؛«»\"'()-–—/…") + ["\u0301", "\u0306", "\u200c", "\u200d", "\u200f", "\ufeff",
                                                "\u00a0", "\u2009", "\t", "\n", "\r", " ", "\u3000", "\x1c", "\x85", "\u2028", "ﻻ", "ﻷ", "﷽", "🙂"])


@settings(max_examples=300, deadline=None)
@given(st.lists(_ALPHABET, max_size=60).map("".join), st.sampled_from(["ar", "kk", "ru", "kk-Latn"]))
def test_round_trip_for_any_input(text, lang):
    language = get_language(lang)
    spans = language.tokenizer.spans(text)
    prev = 0
    covered = set()
    for start, end, kind in spans:
        assert prev <= start < end <= len(text)
        assert text[prev:start].isspace() or prev == start  # only whitespace between tokens
        covered.update(range(start, end))
        prev = end
    assert all(i in covered for i, ch in enumerate(text) if not ch.isspace())
    assert all(text[i].isspace() is False for i in covered)
    from nuskha.pipeline import tokenize
    from nuskha.document import Document

    doc = tokenize(Document("t", lang, text))
    doc.check()
    # the tokens are the tokenizer's spans, some cut into parts by the language's running-text pass (a Kazakh
    # pair word): the parts of each span tile it exactly
    assert all(text[t.start:t.end] == t.text for t in doc.tokens)
    tiles = iter(doc.tokens)
    for s, e, _ in spans:
        pos = s
        while pos < e:
            tok = next(tiles)
            assert tok.start == pos
            pos = tok.end
        assert pos == e
    assert next(tiles, None) is None
    # sentences are ordered, disjoint, start and end on tokens, and together hold every token
    starts, ends = {t.start for t in doc.tokens}, {t.end for t in doc.tokens}
    assert all(s.start in starts and s.end in ends for s in doc.sentences)
    assert all(a.end <= b.start for a, b in zip(doc.sentences, doc.sentences[1:]))
    assert sum(1 for t in doc.tokens for s in doc.sentences if s.start <= t.start < s.end) == len(doc.tokens)
    for tok in doc.tokens:
        for ch in tok.lex.changes:
            assert 0 <= ch.start < ch.end <= len(tok.text)
            written = tok.text[ch.start:ch.end]
            # a change is of the written characters, or of what an earlier step made of them (ﻻ -> لا -> ...)
            assert written == ch.orig or any(c.orig == written and (c.start, c.end) == (ch.start, ch.end)
                                             for c in tok.lex.changes)
        segs = tok.lex.segments
        if segs:
            assert segs[0].start == 0 and segs[-1].end == len(tok.text)
            assert all(a.end == b.start for a, b in zip(segs, segs[1:]))


@pytest.mark.parametrize("lang", ["ar", "kk", "kk-Latn", "ru"])
def test_runs_agree_with_the_match_by_match_scan(lang):
    # Language.tokens builds the token layer from runs() and kind_at(); finditer is the reference reading.
    import random

    rng = random.Random(7)
    alphabet = "ab ж.т.б.Т.Б. ق.م. 12,3.4-дей\n\t\u00a0\u200c\u064b!!..،؟»' \x1c\u2028ﻻ😀-Ab"
    texts = ["", "   ", "\n\n", "т.б. ж.", *("".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
                                             for _ in range(400))]
    tokenizer = get_language(lang).tokenizer
    sliced = Tokenizer(tokenizer.tables, slice_chars=3)  # cut at the first whitespace after every 3 characters
    texts.append(" ".join(texts))
    for text in texts:
        expected = [(m.start(), m.end(), m.lastgroup) for m in tokenizer.finditer(text)]
        for tok in (tokenizer, sliced):
            starts, ends, surfaces = (sum(part, []) for part in zip(*tok.runs(text))) if text.strip() else ([],) * 3
            assert [(s, e, tok.kind_at(text, s)) for s, e in zip(starts, ends)] == expected, text
            assert surfaces == [text[s:e] for s, e in zip(starts, ends)]


def test_pattern_whitespace_is_what_str_isspace_strips():
    # runs() strips each token's leading gap with str.lstrip: the two definitions of whitespace must agree.
    import regex

    from nuskha.core.tokenize import _SPACE

    space = regex.compile(f"[{_SPACE}]")
    assert all(bool(space.match(chr(c))) == chr(c).isspace() for c in range(0x110000))
