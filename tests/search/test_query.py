"""Query resolution: every query of the search issue, text search, fuzzy, filters, FTS5 syntax, concordance."""
from __future__ import annotations

import json

import pytest

from nuskha.search import Searcher, search
from nuskha.search.query import label_names
from tests.conftest import AR_TEXT, KK_TEXT
from tests.search.conftest import EXTRA_BUKHARA, gold_spans

AR, KK = AR_TEXT.stem, KK_TEXT.stem
BIDI_CONTROLS = set("\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def spans(result):
    return {(h.doc, h.start, h.end) for h in result.hits}


@pytest.mark.parametrize("query, ref", [
    ("Temur Malik", "temur-malik"),
    ("temur", "temur-malik"),
    ("تيمور ملك", "temur-malik"),
    ("Темір-Мәлік", "temur-malik"),
    ("Темир-Мелик", "temur-malik"),
    ("Темир-Мелика", "temur-malik"),
    ("Inalchuq", "inalchuq"),
    ("Ghayir Khan", "inalchuq"),
    ("Отырар", "otrar"),
    ("Чингисхана", "chinggis-khan"),
])
def test_issue_queries_find_exactly_the_gold_mentions(any_index, query, ref):
    result = search(query, any_index)
    assert result.resolved and result.resolved[0].ref == ref
    assert spans(result) == gold_spans(ref)
    assert {h.ref for h in result.hits} == {ref}
    for h in result.hits:
        assert h.text == (AR_TEXT if h.doc == AR else KK_TEXT).read_text(encoding="utf-8")[h.start:h.end]


def test_temur_malik_is_found_in_both_languages(any_index):
    result = search("Temur Malik", any_index)
    assert sorted((h.doc, h.start, h.end, h.text) for h in result.hits) == [
        (AR, 5070, 5079, "تيمور ملك"),
        (KK, 559, 572, "ТемірМәлікпен"),
        (KK, 731, 742, "Темір-Мәлік"),
    ]
    assert {h.lang for h in result.hits} == {"ar", "kk"}
    assert all(h.type == "person" for h in result.hits)


def test_inflected_russian_query_is_lemmatised(any_index):
    result = search("Темир-Мелика", any_index)
    assert result.resolved[0].method in ("authority-lemma", "skeleton")
    assert spans(result) == gold_spans("temur-malik")


def test_bukhara_finds_both_spellings_and_not_the_nisba(any_index):
    result = search("Bukhara", any_index)
    assert spans(result) == gold_spans("bukhara") | EXTRA_BUKHARA
    assert {h.text for h in result.hits} == {"بخارى", "بخارا"}  # never البخاري ("of Bukhara")


def test_otrar_resolves_across_scripts(any_index):
    result = search("Отырар", any_index)
    assert {h.text for h in result.hits} == {"اوترار", "أوترار"}
    # Otrar (Latin) and اوترار (Arabic) reach the same place
    assert spans(search("Otrar", any_index)) == spans(result) == spans(search("اوترار", any_index))


def test_mentions_come_from_the_mention_layer_when_there_is_one(gold_index, text_index):
    assert {h.via for h in search("Temur Malik", gold_index).hits} == {"mention"}
    assert {h.via for h in search("Temur Malik", text_index).hits} == {"text"}


def test_arabic_text_search_ignores_diacritics_and_hamza(any_index):
    ar_text = AR_TEXT.read_text(encoding="utf-8")
    expected = {(AR, i, i + len("الاستيلاء")) for i in _find_word(ar_text, "الاستيلاء")}
    assert expected
    for query in ("الاستيلاء", "الإستيلاء", "الِاسْتِيلَاء"):
        result = search(query, any_index, lang="ar")
        assert not result.resolved
        assert {(h.doc, h.start, h.end) for h in result.hits if h.method == "text"} == expected, query
        # the same word with a proclitic (للاستيلاء) comes in through its lemma, and says so
        assert all(h.method == "lemma" and h.text.endswith("استيلاء") for h in result.hits if h.method != "text")


def test_kazakh_stem_finds_inflected_forms(any_index):
    result = search("арыстан", any_index)
    texts = {h.text for h in result.hits}
    assert {"арыстандардың", "арыстаны"} <= texts
    assert all(h.doc == KK for h in result.hits)
    assert {h.method for h in result.hits} <= {"text", "lemma", "stem"}


def test_latin_query_reads_kazakh_cyrillic(any_index):
    result = search("arystan", any_index)
    assert {"арыстандардың", "арыстаны"} <= {h.text for h in result.hits}
    assert {h.method for h in result.hits} == {"translit"}


def test_fuzzy_match_is_bounded_and_reported(any_index):
    result = search("ержүргі", any_index)  # a letter left out
    assert [(h.text, h.method) for h in result.hits] == [("ержүрегі", "fuzzy")]
    assert 0.8 <= result.hits[0].score < 1.0
    assert search("ержүргі", any_index, fuzzy=False).hits == []
    assert search("ерzzzzгі", any_index).hits == []  # two edits from anything: too far


def test_a_kazakh_letter_typed_as_its_russian_lookalike_is_a_loose_match(any_index):
    result = search("ержурегі", any_index)  # ү typed as у: the same loose key
    assert [(h.text, h.method, h.kind) for h in result.hits] == [("ержүрегі", "loose", "text")]


def test_no_match_says_so(any_index):
    result = search("xyzzyq", any_index)
    assert result.hits == []
    assert result.message == "no match for 'xyzzyq'"


@pytest.mark.parametrize("query, column", [
    ('"', 1), ("*", 1), ("NEAR", 1), ("(", 1), (")", 1), ('")*(', 1), ("NEAR(a b)", 1), ("^", 1), ("-", 1),
    (":", 1), ("'", 1), ("\\", 1), ("Otrar OR", 7), ("Otrar AND AND Bukhara", 11), ("(Otrar OR Bukhara", 1),
    ("Otrar)", 6), ("Otrar NEAR/x Bukhara", 12), ("type:city Otrar", 6), ('Otrar "', 7), ("NOT Otrar", 1),
    ("()", 1), ("lang:kk", 8),
])
def test_bad_syntax_is_one_error_with_its_column(any_index, query, column):
    from nuskha.search.syntax import QuerySyntaxError

    with pytest.raises(QuerySyntaxError) as info:  # never an sqlite3 error, never a silent empty result
        search(query, any_index)
    assert info.value.column == column, str(info.value)
    assert "\n" not in str(info.value) and f"column {column}" in str(info.value)


@pytest.mark.parametrize("query", ["a OR b", "keys:темір", "{keys}", "xyzzy*"])
def test_fts5_syntax_is_never_passed_to_sqlite(any_index, query):
    assert search(query, any_index).hits == []


def test_fts5_syntax_around_a_name_is_only_characters(any_index):
    expected = gold_spans("temur-malik")
    assert spans(search('"Temur Malik"', any_index)) == expected
    assert spans(search("تيمور*", any_index)) == expected
    assert spans(search("(Темір-Мәлік)", any_index)) == expected


def test_type_and_language_filters(any_index):
    assert search("Bukhara", any_index, type="person").hits == []
    assert spans(search("Bukhara", any_index, type="place")) == gold_spans("bukhara") | EXTRA_BUKHARA
    kk_only = search("Temur Malik", any_index, lang="kk")
    assert {(h.start, h.end) for h in kk_only.hits} == {(559, 572), (731, 742)}


def test_concordance_groups_by_document_with_counts(any_index):
    result = search(ref="temur-malik", index=any_index)
    groups = result.by_document()
    assert {doc: len(hits) for doc, hits in groups.items()} == {AR: 1, KK: 2}
    data = result.to_json()
    assert [(d["doc"], d["count"]) for d in data["documents"]] == [(AR, 1), (KK, 2)]
    assert data["total"] == 3


def test_hits_carry_context_and_json_has_no_bidi_controls(any_index):
    result = search("تيمور ملك", any_index)
    hit = next(h for h in result.hits if h.doc == AR)
    text = AR_TEXT.read_text(encoding="utf-8")
    assert hit.left.strip() and text[:hit.start].rstrip().endswith(hit.left.strip())
    assert hit.right.strip() and text[hit.end:].lstrip().startswith(hit.right.strip())
    dumped = json.dumps(result.to_json(), ensure_ascii=False)
    assert not BIDI_CONTROLS & set(dumped)
    assert {"doc", "lang", "start", "end", "text", "ref", "type", "method", "score"} <= set(
        result.to_json()["hits"][0])


def test_searcher_answers_many_queries_on_one_connection(any_index):
    with Searcher(any_index) as s:
        first = spans(s.search("Temur Malik"))
        assert spans(s.search("Temur Malik")) == first
        assert spans(s.search("Inalchuq")) == gold_spans("inalchuq")


def test_label_names_keep_names_and_drop_descriptions():
    assert label_names("Inalchuq (Ghayir Khan), governor of Otrar, kinsman of Muhammad II") == [
        "Inalchuq", "Ghayir Khan"]
    assert label_names("Sultan 'Ala' al-Din Muhammad II Khwarazmshah (r. 1200-1220)") == [
        "Sultan 'Ala' al-Din Muhammad II Khwarazmshah"]
    assert label_names("Turks / Turkic peoples") == ["Turks", "Turkic peoples"]


def _find_word(text: str, word: str) -> list[int]:
    out, i = [], text.find(word)
    while i >= 0:
        before = text[i - 1] if i else " "
        after = text[i + len(word)] if i + len(word) < len(text) else " "
        if not before.isalpha() and not after.isalpha():
            out.append(i)
        i = text.find(word, i + 1)
    return out


def test_mentions_sharing_a_span_without_refs_do_not_break_search(tmp_path):
    from nuskha import Mention, process
    from nuskha.search import index_documents

    doc = process("وفي ربيع عام 615ه/1218م وصل تيمور ملك", "ar", id="x")
    doc.mentions = [Mention(0, 3, "وفي", "date", None), Mention(0, 3, "وفي", "troops", None),
                    Mention(28, 37, "تيمور ملك", "person", "temur-malik")]
    path = tmp_path / "x.sqlite"
    index_documents([(doc, None)], path)
    assert [(h.text, h.via) for h in search("Temur Malik", path).hits] == [("تيمور ملك", "mention")]
    assert [h.type for h in search("وفي", path).hits] in (["date"], ["troops"])


@pytest.mark.parametrize("query, ref", [("Temır-Mälık", "temur-malik"), ("Şyñğys han", "chinggis-khan")])
def test_kazakh_latin_query_meets_the_cyrillic_variants(any_index, query, ref):
    result = search(query, any_index)
    assert result.resolved[0].ref == ref and result.resolved[0].method == "authority-translit"
    assert spans(result) == gold_spans(ref)


# --- limit: hits built for the first matches only, totals and per-document counts always exact ------------

def _keys(result):
    return [(h.doc, h.start, h.end, h.ref, h.type, h.method, h.via, h.left, h.right) for h in result.hits]


@pytest.mark.parametrize("query, kwargs", [
    ("Temur Malik", {}), ("Bukhara", {}), ("Bukhara", {"type": "place"}), ("Чингисхана", {"type": "person"}),
    ("темір", {}), (None, {"ref": "temur-malik"}), (None, {"ref": "bukhara"}),
])
def test_a_limit_keeps_the_first_hits_and_counts_them_all(gold_index, query, kwargs):
    with Searcher(gold_index) as searcher:
        full = searcher.search(query, limit=0, **kwargs)
        assert full.total == len(full.hits) >= 2
        for limit in (1, 2, len(full.hits) - 1):
            cut = searcher.search(query, limit=limit, **kwargs)
            assert _keys(cut) == _keys(full)[:limit]
            assert cut.total == full.total
            per_doc = {doc: len(hits) for doc, hits in full.by_document().items()}
            assert cut.counts == per_doc and sum(cut.counts.values()) == full.total
            assert f"showing {limit} of {full.total}" in cut.message
        assert _keys(searcher.search(query, limit=None, **kwargs)) == _keys(full)


def test_the_default_limit_builds_100_hits_of_many(tmp_path):
    from nuskha import process
    from nuskha.search import index_documents
    from nuskha.search.query import DEFAULT_LIMIT

    out = tmp_path / "many.sqlite"
    index_documents([(process("Бұхара қаласы. " * 150, "kk", id="kk-many"), None)], out)
    result = search("қаласы", out)
    assert (len(result.hits), result.total, result.counts) == (DEFAULT_LIMIT, 150, {"kk-many": 150})
    assert result.to_json()["total"] == 150 and result.to_json()["shown"] == DEFAULT_LIMIT
    assert len(search("қаласы", out, limit=0).hits) == 150


def test_a_ref_concordance_reports_every_document_even_past_the_limit(gold_index):
    result = search(ref="temur-malik", index=gold_index, limit=1)
    assert [h.doc for h in result.hits] == [AR]
    docs = result.to_json()["documents"]
    assert [(d["doc"], d["lang"], d["count"], len(d["hits"])) for d in docs] == [(AR, "ar", 1, 1), (KK, "kk", 2, 0)]


def test_a_phrase_inside_a_mention_takes_the_shortest_mention_holding_all_of_it(tmp_path):
    """The first word lies in a one-word mention that does not hold the phrase, the second only in the longer
    mention that holds both: the hit is the longer one (the one-word mention merely overlaps)."""
    from nuskha import Mention, process
    from nuskha.search import index_documents

    text = "ثم جاء صلاح الدين يوسف الى البلد ."
    doc = process(text, "ar", id="nested")
    first = text.index("صلاح")
    whole = text.index("يوسف") + len("يوسف")
    doc.mentions = [Mention(first, first + 4, text[first:first + 4], "person", "new:salah", None, "test"),
                    Mention(first, whole, text[first:whole], "person", "new:salah-al-din-yusuf", None, "test")]
    path = tmp_path / "nested.sqlite"
    index_documents([(doc, None)], path)
    result = search('"صلاح الدين"', path, fuzzy=False)
    assert [(h.start, h.end, h.ref, h.kind) for h in result.hits] == [
        (first, whole, "new:salah-al-din-yusuf", "unlinked")]
