"""Kazakh running text: hyphenated tokens that are two words are split (UD Kazakh-KTB's tokenisation)."""
from __future__ import annotations

import pytest

from nuskha import process


def words(text):
    return [(t.text, t.lex.lemma) for t in process(text, "kk").tokens]


@pytest.mark.parametrize("text, expected", [
    ("1-кезеңінің", [("1", "1"), ("-", "-"), ("кезеңінің", "кезең")]),  # a number and a word
    ("күннен-күнге", [("күннен", "күн"), ("-", "-"), ("күнге", "күн")]),  # a case ending closes the first word
    ("қала-қалаға", [("қала", "қала"), ("-", "-"), ("қалаға", "қала")]),  # a word repeated with its endings
    ("жеміс-жидектер", [("жеміс", "жеміс"), ("-", "-"), ("жидектер", "жидек")]),  # a pair word no lexicon lists
])
def test_two_words_joined_by_a_hyphen_are_split(text, expected):
    assert words(text) == expected


@pytest.mark.parametrize("text", ["Темір-Мәлік", "ад-Динмен", "АҚШ-пен", "300-дей", "55-ші", "1219-жылы",
                                  "2020-сыншы", "сондай-ақ", "бір-бірімен", "Нью-Йорк"])
def test_names_suffixes_dates_and_function_word_pairs_stay_whole(text):
    assert [t.text for t in process(text, "kk").tokens] == [text]


def test_a_split_token_keeps_offsets_and_a_sentence_initial_first_part_is_read_as_one():
    text = "Ол келді. Қала-қалаға барды."
    doc = process(text, "kk")
    assert all(text[t.start:t.end] == t.text for t in doc.tokens)
    assert [(t.text, t.lex.lemma) for t in doc.tokens][3:6] == [("Қала", "қала"), ("-", "-"), ("қалаға", "қала")]
    assert [text[s.start:s.end] for s in doc.sentences] == ["Ол келді.", "Қала-қалаға барды."]


@pytest.mark.parametrize("word, lemma", [("білмейміз-ау", "біл"), ("ертең-ақ", "ертең"), ("сондай-ақ", "сондай-ақ")])
def test_a_word_and_its_particle_take_the_word_s_lemma(word, lemma):
    from nuskha.lang.kk.morphology import analyze

    got, segments = analyze(word, word)
    assert got == lemma
    if lemma != word:  # the particle is a segment of its own; сондай-ақ (also) is a conjunction listed whole
        assert segments[-1].role == "particle" and word[segments[-1].start:] == word.rsplit("-", 1)[1]
