"""Arabic clitic segmentation: rules, offsets into the written word, the camel-tools path and its fallback."""
from __future__ import annotations

import time

import pytest

from nuskha.lang.ar import camel as camel_mod
from nuskha.lang.ar.morphology import (
    LEXICON, _rule_split, analyze, is_listed, lexicon_key, make_analyzer, rule_analyze, rules, skeleton, word_list,
)

DEMO_DB = "camel/camel_morph_msa_demo_30verbroots_noNounLEX.db"


def pieces(word: str, analyzer=rule_analyze) -> list[tuple[str, str, str | None]]:
    _, segs = analyzer(word, word)
    return [(word[s.start:s.end], s.role, s.form) for s in segs]


@pytest.mark.parametrize("word, expected", [
    ("وبسمرقند", [("و", "conj", None), ("ب", "prep", None), ("سمرقند", "stem", None)]),
    ("للسلطان", [("ل", "prep", None), ("ل", "det", "ال"), ("سلطان", "stem", None)]),
    ("وبخارى", [("و", "conj", None), ("بخارى", "stem", None)]),
    ("فأرسل", [("ف", "conj", None), ("أرسل", "stem", None)]),
    ("بمظاهر", [("ب", "prep", None), ("مظاهر", "stem", None)]),
    ("كتبها", [("كتب", "stem", None), ("ها", "pron", None)]),
    ("والحصول", [("و", "conj", None), ("ال", "det", None), ("حصول", "stem", None)]),
    ("سيكون", [("س", "fut", None), ("يكون", "stem", None)]),
    ("وبلاده", [("و", "conj", None), ("بلاد", "stem", None), ("ه", "pron", None)]),
    ("له", [("ل", "prep", None), ("ه", "pron", None)]),
])
def test_ar_clitics_split(word, expected):
    assert pieces(word) == expected


@pytest.mark.parametrize("word", ["بلاد", "كان", "فرغانة", "ولد", "بين", "لكن", "هذه", "الذي", "ذلك", "وزير", "فقط"])
def test_ar_words_that_merely_begin_or_end_like_clitics_stay_whole(word):
    lemma, segs = rule_analyze(word, word)
    assert segs == () and lemma == word


def test_ar_segments_cover_the_written_word_with_diacritics_and_tatweel():
    word = "وَبِسَمَرْقَنْدَ"
    got = pieces(word)
    assert [p[0] for p in got] == ["وَ", "بِ", "سَمَرْقَنْدَ"]  # each mark stays with its letter
    assert "".join(p[0] for p in got) == word
    word = "ـوبالتالي"
    _, segs = rule_analyze(word, word)
    assert segs[0].start == 0 and segs[-1].end == len(word)
    assert all(a.end == b.start for a, b in zip(segs, segs[1:]))


# ----------------------------------------------------------------------------------------- the general word list


@pytest.mark.parametrize("word", [
    "وولفسبورغ", "ويلسون", "ويندسور",  # و + a vowel letter: a transcribed W, not the conjunction
    "بوردو", "لويزيانا", "كاليدونيا",  # ب ل ك before a vowel letter of an unknown word
    "بنغلاديش", "بنسلفانيا", "ليفربول",  # ب before an unknown word; ل + ي (a vowel letter)
    "بلغراد",  # a listed word whose rest (لغراد) is not one
])
def test_ar_unknown_foreign_names_are_not_split(word):
    letters, _ = skeleton(word)
    assert _rule_split(letters, lexicon_key(letters)), "the letter rules alone would split it"
    assert pieces(word) == []


@pytest.mark.parametrize("word, expected", [
    ("وبسمرقند", ["و", "ب", "سمرقند"]),  # the rest is listed
    ("وبلغراد", ["و", "بلغراد"]),  # the word list takes back only the inner ب
    ("وترامب", ["و", "ترامب"]),  # و may stand before an unknown name
    ("لأوباما", ["ل", "أوباما"]),  # so may ل (أ is a hamza, not a vowel letter)
    ("بالكوبالت", ["ب", "ال", "كوبالت"]),  # after the article an unknown word is a noun
    ("كرئيس", ["ك", "رئيس"]),  # ك before a listed word the letter rules do not allow
    ("فيقع", ["ف", "يقع"]),
    ("ستكون", ["س", "تكون"]),  # the future marker before a listed imperfect verb
])
def test_ar_word_list_keeps_real_clitics(word, expected):
    assert [p[0] for p in pieces(word)] == expected


@pytest.mark.parametrize("word, expected", [
    ("بأوترار", ["ب", "أوترار"]),  # a hamza opens Arabic and Persian names: ب + an unknown place still splits
    ("بنيسابور", ["ب", "نيسابور"]),  # ب may stand before an unknown name (chronicles: in such-and-such a town)
    ("وانهزم", ["و", "انهزم"]),  # the alef of a derived verb is no transcribed vowel
    ("فقتلوه", ["ف", "قتلو", "ه"]),  # قتلوا + ه: the alef of -وا is not written before the pronoun
    ("ووالدته", ["و", "والدت", "ه"]),
])
def test_ar_word_list_keeps_chronicle_clitics(word, expected):
    assert [p[0] for p in pieces(word)] == expected


def test_ar_listed_words_whose_rest_is_unknown_stay_whole():
    for word in ("بقايا", "بلغراد"):
        letters, _ = skeleton(word)
        assert _rule_split(letters, lexicon_key(letters)) and pieces(word) == []


def test_ar_future_marker_needs_a_listed_imperfect_verb():
    wl = word_list()
    assert "تكون" in wl.imperfect and "كتاب" in wl.words and "كتاب" not in wl.imperfect
    assert pieces("سيرفيلد") == []  # يرفيلد is no verb


def test_ar_word_list_is_loaded_once_and_holds_no_clitic_forms():
    wl = word_list()
    assert word_list() is wl
    assert len(wl.words) > 300_000 and wl.imperfect <= wl.words
    assert {"سمرقند", "ولايه", "يكون", "غير", "الذي"} <= wl.words  # folded like norm: ة → ه
    assert not {"بغير", "وبيد", "فبالله", "والكتاب", "بريزبن"} & wl.words
    assert all(not w.startswith("#") for w in list(wl.words)[:1000])


def test_ar_is_listed_looks_through_one_enclitic():
    words = frozenset({"كتاب", "بصمه"})
    assert is_listed("كتابها", words) and is_listed("بصمتها", words)  # ت is a teh marbuta before the pronoun
    assert not is_listed("كتابةها", words) and not is_listed("ها", words)


def test_ar_word_list_is_small_and_says_where_it_comes_from():
    from importlib import resources
    import gzip

    data = resources.files("nuskha.lang.ar.data").joinpath(LEXICON)
    raw = data.read_bytes()
    assert len(raw) < 5_000_000
    first = gzip.decompress(raw).split(b"\n", 1)[0].decode("utf-8")
    assert first.startswith("# _source:") and "hunspell-ar" in first and "MPL-1.1" in first


def test_ar_lemma_is_the_normalised_stem():
    assert rule_analyze("وبأرضهم", "وبارضهم")[0] == "ارض"
    assert rule_analyze("للسلطان", "للسلطان")[0] == "سلطان"
    assert rule_analyze("وبخارى", "وبخاري")[0] == "بخاري"  # ى folded as in norm


def test_ar_no_split_inside_a_ligature():
    lemma, segs = rule_analyze("\ufefbعب", "لاعب")  # ﻻ is one character: nothing can be cut inside it
    assert all(0 < s.end for s in segs)


def test_ar_rules_tables_are_consistent():
    r = rules()
    assert "و" in r.conjunctions and "ب" in r.particles and "ه" in r.enclitics
    assert list(r.enclitics) == sorted(r.enclitics, key=len, reverse=True)  # longest enclitic tried first


def test_ar_analyze_is_bound_into_the_pipeline(ar_doc):
    seg_words = [t for t in ar_doc.tokens if t.lex.segments]
    assert seg_words, "the Arabic passage has clitics (وبسمرقند, فأرسل ...)"
    for t in seg_words:
        spans = t.segments()
        assert spans[0].start == t.start and spans[-1].end == t.end
        assert "".join(ar_doc.text[s.start:s.end] for s in spans) == t.text


def test_ar_rules_are_fast():
    words = ["وبسمرقند", "للسلطان", "فاستقبلهم", "بمظاهر", "كتبها", "سيكون", "والحصول"] * 300
    words = [w + "ا" * (i % 7) for i, w in enumerate(words)]
    word_list()  # loaded once per process (0.3 s): not part of the per-word cost
    t0 = time.perf_counter()
    for w in words:
        rule_analyze(w, w)
    assert time.perf_counter() - t0 < 2.0  # thousands of types per second, even on a slow CI core


# ----------------------------------------------------------------------------------------- camel-tools path


def test_ar_camel_missing_database_falls_back_to_rules(tmp_path, monkeypatch):
    monkeypatch.setenv("NUSKHA_CAMEL_DB", str(tmp_path / "missing.db"))
    assert camel_mod.load_camel_analyzer() is None
    assert make_analyzer(None) is rule_analyze


def test_ar_camel_import_failure_falls_back_to_rules(tmp_path, monkeypatch):
    db = tmp_path / "x.db"
    db.write_text("not a database")
    monkeypatch.setattr(camel_mod, "_import_camel", lambda: (_ for _ in ()).throw(ImportError("no camel_tools")))
    assert camel_mod.load_camel_analyzer(db) is None
    assert pieces("وبسمرقند", make_analyzer(db))[0] == ("و", "conj", None)


def test_ar_camel_without_catalogue_never_downloads(tmp_path, monkeypatch):
    """No database named and no catalogue installed: camel-tools is not even imported (it would download)."""
    monkeypatch.delenv("NUSKHA_CAMEL_DB", raising=False)
    monkeypatch.setenv("CAMELTOOLS_DATA", str(tmp_path / "empty"))
    monkeypatch.setattr(camel_mod, "_import_camel", lambda: pytest.fail("camel-tools imported"))
    assert camel_mod.load_camel_analyzer() is None


@pytest.fixture(scope="module")
def camel_analyzer(shared_dir, tmp_path_factory):
    pytest.importorskip("camel_tools")
    import os

    db = shared_dir / DEMO_DB
    if not db.exists():
        pytest.skip(f"demo database {db} absent")
    # a CAMELTOOLS_DATA with no catalogue: nuskha must load the database without a download
    saved = os.environ.get("CAMELTOOLS_DATA")
    os.environ["CAMELTOOLS_DATA"] = str(tmp_path_factory.mktemp("camel_data"))
    try:
        analyzer = camel_mod.load_camel_analyzer(db)
    finally:
        if saved is None:
            os.environ.pop("CAMELTOOLS_DATA", None)
        else:
            os.environ["CAMELTOOLS_DATA"] = saved
    if analyzer is None:
        pytest.skip("camel-tools could not load the demo database here")
    return analyzer


def test_ar_camel_confirms_rule_splits(camel_analyzer):
    assert pieces("وبسمرقند", camel_analyzer.analyze) == pieces("وبسمرقند")
    assert pieces("للسلطان", camel_analyzer.analyze) == pieces("للسلطان")
    assert pieces("له", camel_analyzer.analyze) == [("ل", "prep", None), ("ه", "pron", None)]


def test_ar_camel_trims_a_split_the_database_does_not_know(camel_analyzer):
    # the database knows the verb وصل and no و + صل; the rules would split و + صل if وصل were not listed
    assert camel_analyzer.clitic_sets("وصل") >= {frozenset()}
    forced = camel_mod.trimmings([(0, 1, "conj", None), (1, 3, "stem", None)], "وصل")
    assert [len(o) for o in forced] == [2, 1]
    assert pieces("وصل", camel_analyzer.analyze) == []


def test_ar_camel_keeps_rules_for_unknown_words(camel_analyzer):
    assert camel_analyzer.clitic_sets("بريزبنز") == set()
    assert pieces("وبريزبنز", camel_analyzer.analyze) == pieces("وبريزبنز")


def test_ar_analyze_default_is_rules_when_nothing_is_configured(monkeypatch):
    assert analyze("وبسمرقند", "وبسمرقند")[0] == "سمرقند"


from hypothesis import given, settings, strategies as st  # noqa: E402

_LETTERS = "وفبلكسالهمنيتةىأإآءئؤرد" + "\u064e\u064f\u0650\u0651\u0652\u064b\u064d" + "\u0640" + "\ufefb"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=_LETTERS, min_size=1, max_size=12))
def test_ar_segments_always_tile_the_word(word):
    lemma, segs = rule_analyze(word, word)
    if segs:
        assert segs[0].start == 0 and segs[-1].end == len(word)
        assert all(a.end == b.start for a, b in zip(segs, segs[1:]))
        assert all(s.start < s.end for s in segs)
        assert sum(s.role == "stem" for s in segs) <= 1


def test_ar_broken_word_list_is_a_data_error(monkeypatch):
    from nuskha.errors import DataError
    from nuskha.lang.ar import morphology

    monkeypatch.setattr(morphology, "LEXICON", "no_such_list.txt.gz")
    morphology.word_list.cache_clear()
    try:
        with pytest.raises(DataError, match="word list"):
            morphology.word_list()
    finally:
        monkeypatch.undo()
        morphology.word_list.cache_clear()
    assert "كتاب" in morphology.word_list().words


def test_ar_fixed_at_appends_a_listed_segmentation_from_its_offset():
    from nuskha.lang.ar.morphology import _fixed_at

    pieces = [(0, 1, "conj", None)]
    assert _fixed_at(rules(), lexicon_key("وله"), 1, pieces)
    assert pieces == [(0, 1, "conj", None), (1, 2, "prep", None), (2, 3, "pron", None)]
    assert not _fixed_at(rules(), lexicon_key("وسمرقند"), 1, pieces) and len(pieces) == 3


@pytest.mark.parametrize("word", ["وبسمرقند", "للسلطان", "والخلافة", "بمدينته", "فأرسل", "كرئيس", "وولمار"])
def test_ar_split_on_the_folded_word_equals_folding_each_part(word):
    """The helpers slice one folded copy of the word; folding it letter for letter makes that the same as
    folding each part on its own."""
    from nuskha.lang.ar.morphology import lemma_key, lemma_of, split_letters

    letters, _ = skeleton(word)
    key = lexicon_key(letters)
    got = split_letters(letters, key, "", lemma_key(letters))
    assert got == split_letters(letters, key)
    if got:
        assert lemma_of(got, letters, lemma_key(letters)) == lemma_of(got, letters)
        stem = next((lemma_key(f or letters[s:e]) for s, e, role, f in got if role == "stem"), None)
        assert lemma_of(got, letters) == (stem if stem is not None else lemma_key(letters[got[0][0]:got[0][1]]))
