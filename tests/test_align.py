"""Cross-language alignment on the two passages with gold mentions."""
from __future__ import annotations

import json

import pytest

from nuskha.align import align, key_score, links, name_key
from tests.conftest import GOLD
from tests.tei.conftest import with_gold
from tests.conftest import AR_TEXT, KK_TEXT


@pytest.fixture(scope="module")
def docs():
    return [with_gold(AR_TEXT), with_gold(KK_TEXT)]


@pytest.fixture(scope="module")
def authority():
    from nuskha.authority import load_authority

    return load_authority()


def test_alignment_has_every_gold_ref_with_both_languages(docs, authority):
    expected = json.loads((GOLD / "alignment.json").read_text(encoding="utf-8"))
    got = {a.ref: a.to_json() for a in align(docs, authority) if a.status == "linked"}
    for entry in expected:
        assert entry["ref"] in got, entry["ref"]
        mentions = got[entry["ref"]]["mentions"]
        for lang in ("ar", "kk"):
            assert {m["text"] for m in mentions[lang]} == set(entry[lang]), (entry["ref"], lang)


def test_no_link_joins_different_entities(docs, authority):
    for a in align(docs, authority):
        if a.status == "linked":
            assert len({m.ref for _, m in a.mentions}) == 1, a.ref
            assert len({d.lang for d, _ in a.mentions}) >= 2


def test_without_the_record_temur_malik_is_paired_by_transliteration(docs, authority):
    reduced = authority.without("temur-malik")
    found = [a for a in align(docs, reduced) if a.status == "linked" and a.method == "translit"]
    pair = next(a for a in found if any(m.text == "تيمور ملك" for _, m in a.mentions))
    texts = {(d.lang, m.text) for d, m in pair.mentions}
    assert ("ar", "تيمور ملك") in texts and ("kk", "Темір-Мәлік") in texts
    assert pair.score >= 0.85
    assert all(m.ref in (None, "temur-malik") for _, m in pair.mentions)


def test_names_with_no_ref_at_all_meet_by_key(docs, authority):
    import copy

    bare = copy.deepcopy(docs)
    for d in bare:
        for m in d.mentions:
            m.ref = None
    linked = [a for a in align(bare, authority) if a.status == "linked"]
    pair = next(a for a in linked if any(m.text == "Темір-Мәлік" for _, m in a.mentions))
    assert any(m.text == "تيمور ملك" for _, m in pair.mentions) and pair.ref.startswith("translit:")


def test_key_score_forgives_kazakh_suffixes_but_not_other_names():
    ar = name_key("تيمور ملك", "ar")
    assert ar == name_key("Темір-Мәлік", "kk")
    assert key_score(ar, name_key("ТемірМәлікпен", "kk")) >= 0.9
    assert key_score(name_key("جنكيز خان", "ar"), name_key("Темір-Мәлік", "kk")) < 0.6
    assert key_score("mg", "mk") == 0.0  # short keys must agree exactly


def test_links_are_tei_ready(docs, authority):
    lk = links(align(docs, authority))
    assert all(len(l.mentions) >= 2 for l in lk)
    temur = next(l for l in lk if l.ref == "temur-malik")
    assert {doc_id for doc_id, _, _ in temur.mentions} == {d.id for d in docs}


def test_align_cli_json_contract(run_nuskha_align):
    code, out, err = run_nuskha_align("align", AR_TEXT, KK_TEXT, "--gold", GOLD, "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    assert data and all({"ref", "score", "method", "mentions"} <= set(a) for a in data)
    temur = next(a for a in data if a["ref"] == "temur-malik")
    assert {m["text"] for m in temur["mentions"]["kk"]} == {"Темір-Мәлік", "ТемірМәлікпен"}
    text = AR_TEXT.read_text(encoding="utf-8")
    for m in temur["mentions"]["ar"]:
        assert text[m["start"]:m["end"]] == m["text"]


@pytest.fixture(scope="session")
def run_nuskha_align():
    import subprocess
    import sys

    def run(*args):
        proc = subprocess.run([sys.executable, "-m", "nuskha", *map(str, args)], capture_output=True, text=True,
                              timeout=600)
        return proc.returncode, proc.stdout, proc.stderr
    return run
