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
    assert qids == {"chinggis-khan": "Q720", "jochi": "Q186581", "chagatai": "Q487543", "ogedei": "Q7519"}


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
    assert all(p.level == "error" for p in problems)


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
