"""The authority file: parsing, the records it must hold, the variant index and `nuskha authority check`."""
from __future__ import annotations

import pytest

from nuskha.authority import (VARIANT_COLUMNS, check_authority, load_authority, parse_authority, variant_index,
                              variant_key)
from nuskha.cli.authority import check
from nuskha.errors import DataError

HEADER = "ref\ttype\tlabel_en\twikidata\tar\tkk\tru\tlatn\tnote\n"


@pytest.fixture(scope="module")
def authority():
    return load_authority()


def test_project_authority_is_clean(authority):
    errors = [p for p in check_authority(authority) if p.level == "error"]
    assert errors == []


def test_only_the_known_wikidata_ids_are_filled(authority):
    qids = {r.ref: r.wikidata for r in authority.records.values() if r.wikidata}
    # QIDs are never guessed: the seed's four and a few famous places and Saladin written with the period records
    assert qids == {"chinggis-khan": "Q720", "jochi": "Q186581", "chagatai": "Q487543", "ogedei": "Q7519",
                    "baghdad": "Q1530", "damascus": "Q3766", "jerusalem": "Q1218", "cairo": "Q85", "mecca": "Q5806",
                    "saladin": "Q8581"}


@pytest.mark.parametrize("ref", ["chinggis-khan", "temur-malik", "inalchuq", "otrar", "bukhara", "samarkand",
                                 "jalal-al-din-mangburni", "muhammad-ii-khwarazmshah", "khujand", "mongols"])
def test_main_entities_have_russian_and_latin_forms(authority, ref):
    rec = authority[ref]
    assert rec.variants["ru"] and rec.variants["latn"], ref


@pytest.mark.parametrize("lang,spelling,ref", [
    ("ar", "جنكزخان", "chinggis-khan"), ("ar", "جنكز خان", "chinggis-khan"), ("ar", "بخارا", "bukhara"),
    ("ar", "أترار", "otrar"), ("ar", "غاير خان", "inalchuq"), ("ar", "خوارزم شاه", "muhammad-ii-khwarazmshah"),
    ("kk", "Отырар", "otrar"), ("kk", "Бұқара", "bukhara"), ("kk", "Самарқанд", "samarkand"),
    ("kk", "Шыңғыс хан", "chinggis-khan"), ("kk", "Чингисхан", "chinggis-khan"), ("kk", "Темир-Мелик", "temur-malik"),
    ("kk", "ТемірМәлік", "temur-malik"), ("kk-Latn", "Temur Malik", "temur-malik"), ("kk-Latn", "Inalchuq", "inalchuq"),
    ("kk-Latn", "Ghayir Khan", "inalchuq"), ("kk-Latn", "Bukhara", "bukhara"), ("kk-Latn", "Otrar", "otrar"),
])
def test_variant_index_reaches_other_spellings(authority, lang, spelling, ref):
    index = variant_index(authority, lang)
    key, _ = variant_key(spelling, lang)
    assert [v.ref for v in index[key]] == [ref]


def test_variant_key_ignores_spacing_hyphens_and_case():
    assert variant_key("جنكز خان", "ar") == (variant_key("جنكزخان", "ar")[0], 2)
    assert variant_key("Темір-Мәлік", "kk")[0] == variant_key("ТемірМәлік", "kk")[0] == variant_key("темір мәлік", "kk")[0]


def test_without_drops_records_and_keeps_the_rest(authority):
    smaller = authority.without("chinggis-khan", "otrar")
    assert "chinggis-khan" not in smaller and "otrar" not in smaller and "bukhara" in smaller
    assert "chinggis-khan" in authority  # the original is untouched


def test_check_reports_duplicates_bad_types_qids_and_scripts():
    text = HEADER + (
        "a-one\tperson\tA\tQ1\tجنكز خان\t\t\t\t\n"
        "b-two\tperson\tB\t720\tجنكزخان\t\t\t\t\n"        # same key as a-one; malformed QID
        "c-three\tmonster\tC\t\t\tOtrar\t\t\t\n"           # unknown type; Latin letters in the kk column
        "Bad Ref\tplace\tD\t\tنسا\t\t\t\t\n"               # ref is not a slug
        "e-five\tplace\tE\t\t\t\t\t\t\n")                   # no variants at all
    problems = check_authority(parse_authority(text, "t.tsv"))
    messages = "\n".join(str(p) for p in problems)
    assert "shared by a-one, b-two" in messages
    assert "'720' is not a QID" in messages
    assert "unknown type 'monster'" in messages
    assert "written in Latn, not Cyrl" in messages
    assert "not a lowercase ASCII slug" in messages
    assert "no variant spelling" in messages
    # the header has no evidence column: each record is also warned about, and nothing else is a warning
    assert {p.ref for p in problems if p.level == "warning"} == {"a-one", "b-two", "c-three", "Bad Ref", "e-five"}
    assert all(p.level == "error" or "no evidence" in p.message for p in problems)


def test_check_reports_missing_unknown_and_dev_evidence_and_bad_coordinates():
    header = "ref\ttype\tlabel_en\tar\tevidence\tlat\tlon\tgeonames\n"
    text = header + (
        "a-one\tplace\tA\tنسا\tperiod knowledge | geonames:123\t36.1\t58.5\t123\n"  # clean
        "b-two\tplace\tB\tبلخ\t\t\t\t\n"                                          # no evidence
        "c-three\tperson\tC\tتكش\tdev:ibnalibri\t\t\t\n"                           # the dev gold as evidence
        "d-four\tplace\tD\tمرو\thearsay | geonames:x1\t95\t10\tabc\n"              # unknown kind, bad ids, lat
        "e-five\tplace\tE\tهراة\tseed\t34.3\t\t\n")                                 # lat without lon
    auth = parse_authority(text, "t.tsv")
    assert auth["a-one"].evidence == ["period knowledge", "geonames:123"]
    assert (auth["a-one"].lat, auth["a-one"].lon, auth["a-one"].geonames) == (36.1, 58.5, "123")
    by_ref: dict[str, list[str]] = {}
    for p in check_authority(auth):
        by_ref.setdefault(p.ref, []).append(f"{p.level}: {p.message}")
    assert "a-one" not in by_ref
    assert by_ref["b-two"] == ["warning: no evidence (seed, period knowledge, geonames:ID, mined:SOURCE)"]
    assert any("never evidence" in m and m.startswith("error") for m in by_ref["c-three"])
    assert any("unknown evidence 'hearsay'" in m for m in by_ref["d-four"])
    assert any("'geonames:x1' is not geonames:ID" in m for m in by_ref["d-four"])
    assert any("out of range" in m for m in by_ref["d-four"])
    assert any("lat and lon go together" in m for m in by_ref["e-five"])
    # a record whose only evidence is the dev gold is what eval's second table leaves out
    assert "c-three" not in auth.without_evidence("dev") and "a-one" in auth.without_evidence("dev")


def test_bad_coordinate_is_a_data_error_with_its_line():
    with pytest.raises(DataError, match="line 2"):
        parse_authority("ref\ttype\tar\tlat\tlon\nx\tplace\tنسا\tnorth\t5\n", "x.tsv")


def test_shipped_authority_is_large_and_every_record_has_evidence(authority):
    assert len(authority.records) >= 1500
    assert all(r.evidence for r in authority.records.values())
    assert all(not e.startswith("dev") for r in authority.records.values() for e in r.evidence)
    places = [r for r in authority.records.values() if r.type == "place"]
    assert sum(r.lat is not None for r in places) > len(places) // 2


def test_unknown_column_is_a_data_error_and_check_reports_it(tmp_path):
    with pytest.raises(DataError, match="unknown column"):
        parse_authority("ref\ttype\tcolour\n", "x.tsv")
    bad = tmp_path / "bad.tsv"
    bad.write_text("ref\ttype\tcolour\nx\tplace\tred\n", encoding="utf-8")
    problems = check(bad)
    assert len(problems) == 1 and problems[0].level == "error" and "colour" in problems[0].message


def test_too_many_cells_is_reported_with_its_line(tmp_path):
    bad = tmp_path / "bad.tsv"
    bad.write_text(HEADER + "x\tplace\tX\t\tنسا\t\t\t\t\textra\n", encoding="utf-8")
    (problem,) = check(bad)
    assert problem.line == 2 and "cells" in problem.message


def test_variant_columns_are_the_documented_ones():
    assert VARIANT_COLUMNS == ("ar", "kk", "ru", "latn")
