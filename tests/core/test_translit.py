"""Transliteration: the 2021 Kazakh Latin alphabet both ways, ambiguity flags, cross-script skeleton keys."""
from __future__ import annotations

import regex
import pytest

from nuskha.core.translit import (RuleMap, key_similarity, kazakh_latin_2021, skeleton_key, to_cyrillic,
                                  to_latin)
from tests.conftest import KK_TEXT

WORD = regex.compile(r"[\p{L}\p{M}]+")


@pytest.mark.parametrize("cyrillic, latin", [
    ("ә ғ қ ң ө ұ ү һ і", "ä ğ q ñ ö ū ü h ı"),
    ("Шыңғыс", "Şyñğys"),
    ("Темір-Мәлік", "Temır-Mälık"),
    ("Ұлы Іле Үйі", "Ūly Ile Üiı"),
    ("иә", "iä"),
    ("ИӘ", "İÄ"),
    ("Чех", "Cheh"),
    ("ЧЕХ", "CHEH"),
])
def test_to_latin_letters_and_case(cyrillic, latin):
    assert to_latin(cyrillic) == latin


def test_latin_alphabet_has_the_2021_letters():
    """Every special letter of the 2021 alphabet reads back to one Cyrillic letter."""
    alphabet = kazakh_latin_2021()
    for latin, cyr in {"ä": "ә", "ğ": "ғ", "ı": "і", "ñ": "ң", "ö": "ө", "ş": "ш", "ū": "ұ", "ü": "ү",
                       "q": "қ", "y": "ы", "j": "ж"}.items():
        assert alphabet.to_cyrillic.rules[latin] == (cyr,), latin
    assert to_cyrillic("İ")[0] == "И" and to_cyrillic("I")[0] == "І"  # İ/i is и, I/ı is і


def test_to_cyrillic_flags_ambiguous_letters_with_offsets():
    text = "Horezm üiı"
    cyr, flags = to_cyrillic(text)
    assert cyr == "Хорезм үйі"
    assert [(f.start, f.end, f.source, f.chosen, f.options) for f in flags] == [
        (0, 1, "H", "х", ("х", "һ")), (8, 9, "i", "й", ("и", "й"))]


def test_lexicon_settles_ambiguous_words_without_a_flag():
    assert to_cyrillic("Şahar") == ("Шаһар", [])
    assert to_cyrillic("ŞAHAR")[0] == "ШАҺАР"
    assert to_cyrillic("mahabbat")[0] == "махаббат"


def test_multi_character_rules_longest_first():
    rules = RuleMap({"c": "k", "ch": "č", "chh": "x"})
    assert rules.apply("cchchh")[0] == "kčx"


def test_round_trip_on_the_kazakh_passage():
    """Cyrillic -> Latin -> Cyrillic keeps (nearly) every word; what it loses is printed, not hidden."""
    text = KK_TEXT.read_text(encoding="utf-8")
    back, flags = to_cyrillic(to_latin(text))
    before, after = WORD.findall(text), WORD.findall(back)
    assert len(before) == len(after)
    wrong = [(a, b) for a, b in zip(before, after) if a != b]
    accuracy = 1 - len(wrong) / len(before)
    print(f"kk round-trip word accuracy {accuracy:.4f} ({len(before) - len(wrong)}/{len(before)}), "
          f"{len(flags)} ambiguous letters flagged; wrong: {wrong}")
    # the misspelt source word моиғол (и after a vowel) is the one a rule cannot restore
    assert ("моиғол", "мойғол") in wrong
    assert all(f.options for f in flags)
    assert len(wrong) <= 3


@pytest.mark.parametrize("arabic, kazakh, latin, key", [
    ("تيمور ملك", "Темір-Мәлік", "Temur Malik", "tmr mlk"),
    ("اوترار", "Отырар", "Otrar", "trr"),
    ("بخارى", "Бұқара", "Bukhara", "bkr"),
    ("بخارا", "Бұқара", "Bukhara", "bkr"),
    ("جلال الدين", "Жалал ад-Дин", "Jalal ad-Din", "jll dn"),
])
def test_skeleton_keys_meet_across_scripts(arabic, kazakh, latin, key):
    assert skeleton_key(arabic, "ar") == skeleton_key(kazakh, "kk") == skeleton_key(latin, "latn") == key
    assert skeleton_key(arabic) == skeleton_key(kazakh) == key  # script detected per word
    assert key_similarity(skeleton_key(arabic), skeleton_key(latin)) == 1.0


def test_russian_form_has_the_same_skeleton():
    assert skeleton_key("Темир-Мелик", "ru") == skeleton_key("Темір-Мәлік", "kk")


def test_skeleton_ignores_vocalisation_and_the_article():
    assert skeleton_key("تَيْمُور مَلِك") == "tmr mlk"
    assert skeleton_key("البخاري") == skeleton_key("بخارى")


def test_inalchuq_is_not_a_skeleton_match_for_yinal_khan():
    """ينال خان is Inalchuq only through the authority file, never by its letters."""
    a, b = skeleton_key("ينال خان"), skeleton_key("Inalchuq")
    assert a != b
    assert key_similarity(a, b) < 0.8
    assert skeleton_key("Ghayir Khan") != a


def test_key_similarity_bounds():
    assert key_similarity("", "") == 1.0
    assert key_similarity("tmr", "") == 0.0
    assert key_similarity("tmrmlk", "tmrmlkbn") == pytest.approx(0.75)
