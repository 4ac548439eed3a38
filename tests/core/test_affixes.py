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


def _with(**extra):
    return AffixAutomaton(dict(TOY, **extra), "toy")


def test_elided_vowel_is_restored_before_a_listed_suffix_only_when_attested():
    harmonic_poss = dict(TOY["morphs"]["poss"], forms=[["a", "e", "voiced|voiceless"]])
    toy = _with(morphs=dict(TOY["morphs"], poss=harmonic_poss),
                elision={"back": "o", "front": "i", "before": ["possessive"], "cost": 0.2})
    lookup = lambda form, kind: form in {"kolok", "kolka"} and kind == "n"  # noqa: E731
    # kolka = kolk + a (possessive): the written stem is kolok with its last vowel dropped
    forms = list(toy.stem_forms("kolk", next(p for p in toy.parses("kolka") if p.stem_end == 4)))
    assert forms == ["kolk", "kolok"]
    assert choose(toy, "kolka", lookup, attested=lambda f: f == "kolok")[0] == "kolok"
    # not attested in running text: the whole listed word stands
    assert choose(toy, "kolka", lookup, attested=lambda f: False)[0] == "kolka"
    # the plural is not a suffix before which the vowel drops
    assert all(f != "kolok" for p in toy.parses("kolklar") for f in toy.stem_forms("kolklar"[:p.stem_end], p))


def test_final_letter_and_closed_vowel_harmony():
    toy = _with(harmony_final={"front": "g"}, harmony_closed={"back": "u", "either": "y"})
    assert toy.stem_harmony("bang") == "front"  # a final g sets the series whatever the vowels
    assert toy.stem_harmony("resurs") == "back"  # u between consonants is a back vowel...
    assert toy.stem_harmony("kedesu") == "front"  # ...but not at the end of a stem
    assert toy.stem_harmony("sammyt") is None  # y between consonants allows either series
    assert ("sammyt", ("ta",)) in cuts(toy, "sammytta") and ("sammyt", ("te",)) in cuts(toy, "sammytte")
    assert ("resurs", ("ta",)) in cuts(toy, "resursta") and ("resurs", ("te",)) not in cuts(toy, "resurste")


def test_attested_stem_is_used_when_the_lexicon_knows_none(toy):
    lookup = lambda form, kind: False  # noqa: E731
    # the possessive is not an `oov` morph, but a stem seen in running text allows it
    form, parse = choose(toy, "kalemi", lookup, attested=lambda f: f == "kalem")
    assert form == "kalem" and [m.role for _, _, m in parse.morphs] == ["possessive"]
    assert choose(toy, "kalemi", lookup, attested=lambda f: False) is None


def test_unattested_stem_costs_more_and_does_not_make_a_word_look_inflected():
    toy = _with(unattested_stem={"kinds": ["n"], "cost": 0.6}, inflected_stem={"morphs": ["poss"], "cost": 0.5})
    listed = {"kisi", "kis", "kalem", "kalemi"}
    lookup = lambda form, kind: form in listed and kind == "n"  # noqa: E731
    # kis is listed but never seen in running text: kisi stays whole
    assert choose(toy, "kisi", lookup, attested=lambda f: f == "kisi")[0] == "kisi"
    # kalem is seen: kalemi is kalem + i, the listed kalemi an inflected form
    assert choose(toy, "kalemi", lookup, attested=lambda f: f in {"kalem", "kalemi"})[0] == "kalem"
    # without running-text evidence the table's costs alone decide, as before
    assert choose(toy, "kisi", lookup)[0] == "kis"


def test_a_restored_vowel_follows_the_stem_after_a_form_alike_in_both_series():
    from nuskha.core.affixes import AffixAutomaton

    table = {"vowels": "аеыі", "harmony": {"back": "аы", "front": "еі"}, "start": "s",
             "classes": {"consonant": "бдклмнпрст"},
             "morphs": {"pres": {"role": "tense", "cost": 0, "forms": [["и", "и", "consonant", "ы|і"]]}},
             "states": {"s": {"strip": [["pres", "v"]]}, "v": {"stem": "v"}}}
    auto = AffixAutomaton(table)
    # a back stem restores ы, a front stem і; before the fix both got the literal "ы|і"
    assert [m.restore for p in auto.parses("тарти") for _, _, m in p.morphs] == ["ы"]
    assert [m.restore for p in auto.parses("керми") for _, _, m in p.morphs] == ["і"]
