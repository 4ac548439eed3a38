"""The language-neutral suffix automaton, on a toy table (two-way harmony, voicing assimilation)."""
from __future__ import annotations

import pytest

from nuskha.core.affixes import AffixAutomaton, choose, lemma_form, suffix_chain
from nuskha.errors import DataError

TOY = {
    "harmony": {"back": "ao", "front": "ei"},
    "min_stem": 2,
    "short_stem_cost": {"2": 0.5},
    "classes": {"vowel": "aoei", "voiced": "mnlrbdg", "voiceless": "ptks"},
    "alternations": [["g", "k"]],
    "morphs": {
        "plural": {"role": "plural", "cost": -1, "oov": True,
                   "forms": [["lar", "ler", "vowel|voiced"], ["tar", "ter", "voiceless"]]},
        "loc": {"role": "case", "cost": -1, "oov": True,
                "forms": [["da", "de", "vowel|voiced"], ["ta", "te", "voiceless"]]},
        "poss": {"role": "possessive", "cost": -0.3, "forms": [["i", "i", "voiced|voiceless"]]},
        "caus": {"role": "voice", "cost": 0.3, "in_lemma": True, "forms": [["t", "t", "vowel"]]},
        "past": {"role": "tense", "cost": -1, "forms": [["di", "di"]]},
    },
    "states": {
        "start": {"skip": ["case", "verb"]},
        "case": {"strip": [["loc", "poss"]], "skip": ["poss"]},
        "poss": {"strip": [["poss", "plural"]], "skip": ["plural"]},
        "plural": {"strip": [["plural", "stem"]], "skip": ["stem"]},
        "stem": {"stem": "n"},
        "verb": {"strip": [["past", "caus"]]},
        "caus": {"strip": [["caus", "vstem"]], "skip": ["vstem"]},
        "vstem": {"stem": "v"},
    },
}


@pytest.fixture(scope="module")
def toy():
    return AffixAutomaton(TOY, "toy")


def cuts(automaton, word):
    return {(word[:p.stem_end], tuple(m.form for _, _, m in p.morphs)) for p in automaton.parses(word)}


def test_parses_follow_the_slot_order(toy):
    assert ("kitap", ("tar", "da")) in cuts(toy, "kitaptarda")
    # a plural cannot stand outside a case ending
    assert ("kitap", ("da", "tar")) not in cuts(toy, "kitapdatar")


def test_harmony_rejects_a_suffix_of_the_other_series(toy):
    assert ("em", ("ler",)) in cuts(toy, "emler")
    assert not any(stem == "em" for stem, _ in cuts(toy, "emlar"))
    assert ("oda", ("lar",)) in cuts(toy, "odalar")


def test_assimilation_picks_the_form_by_the_preceding_letter(toy):
    assert ("kitap", ("tar",)) in cuts(toy, "kitaptar")
    assert not any(stem == "kitap" for stem, _ in cuts(toy, "kitaplar"))  # -lar cannot follow a voiceless p


def test_minimum_stem_and_a_vowel_in_the_stem(toy):
    assert not any(stem == "o" for stem, _ in cuts(toy, "oda"))
    assert not any(stem == "st" for stem, _ in cuts(toy, "stler"))


def test_choose_prefers_a_known_stem_and_leaves_unknown_words_whole(toy):
    known = {"kitap": "n", "oda": "n"}
    lookup = lambda form, kind: known.get(form) == kind  # noqa: E731
    form, parse = choose(toy, "kitaptarda", lookup)
    assert form == "kitap" and [m.role for _, _, m in parse.morphs] == ["plural", "case"]
    assert choose(toy, "oda", lookup)[0] == "oda"
    # unknown stem: only `oov` morphs are stripped, and the possessive is not one of them
    form, parse = choose(toy, "masalarda", lookup)
    assert form == "masa"
    assert choose(toy, "masai", lookup) is None


def test_alternation_before_a_vowel_restores_the_lemma(toy):
    lookup = lambda form, kind: form == "kolak" and kind == "n"  # noqa: E731
    form, _ = choose(toy, "kolagi", lookup)
    assert form == "kolak"


def test_in_lemma_suffix_stays_in_the_lemma(toy):
    lookup = lambda form, kind: form == "oka" and kind == "v"  # noqa: E731
    form, parse = choose(toy, "okatdi", lookup)
    assert (form, lemma_form(form, parse)) == ("oka", "okat")


def test_suffix_chain_reads_a_bare_suffix(toy):
    chain = suffix_chain(toy, "lerde")
    assert [m.form for _, _, m in chain.morphs] == ["ler", "de"]
    assert suffix_chain(toy, "xyz") is None


def test_malformed_table_is_a_data_error():
    bad = dict(TOY, states={"start": {"skip": ["nowhere"]}})
    with pytest.raises(DataError, match="malformed suffix table"):
        AffixAutomaton(bad, "bad.json")
