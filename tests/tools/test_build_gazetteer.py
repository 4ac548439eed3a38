"""``tools/build_gazetteer.py``: period tables read, GeoNames names filtered, shared spellings kept once, and the
shipped authority file is what the builder writes from its sources."""
from __future__ import annotations

import pytest

from nuskha.authority import check_authority, parse_authority

from .conftest import load_tool


@pytest.fixture(scope="module")
def builder():
    return load_tool("build_gazetteer")


def test_period_table_lines_become_records(builder, tmp_path):
    table = tmp_path / "period_x.txt"
    table.write_text("# comment\n@place\nrayy ;; al-Rayy ;; الري | مدينة الري ;; Рей ;; Рей ;; Rayy | Rey\n"
                     "@person\nsanjar ;; Sanjar ;; سنجر ;; ;; Санджар ;; Sanjar ;; Q1\n", encoding="utf-8")
    rayy, sanjar = builder.read_period(table)
    assert (rayy["ref"], rayy["type"], rayy["variants"]["ar"], rayy["variants"]["latn"]) == \
        ("rayy", "place", ["الري", "مدينة الري"], ["Rayy", "Rey"])
    assert sanjar["type"] == "person" and sanjar["wikidata"] == "Q1" and sanjar["evidence"] == ["period knowledge"]
    bad = tmp_path / "period_bad.txt"
    bad.write_text("@place\nonly ;; two\n", encoding="utf-8")
    with pytest.raises(SystemExit, match="period_bad.txt:2"):
        builder.read_period(bad)


def test_geonames_names_are_plain_arabic_and_no_common_words(builder):
    from nuskha.lang.ar.morphology import word_list

    city = {"alternatenames": ["Mosul", "الموصل", "موصل", "موسڵ", "مووسڵ", "Мосул"]}
    assert builder.arabic_names(city) == ["الموصل", "موصل"]  # not the Kurdish spellings
    words = word_list().words
    assert builder.common_word("الزاوية", words)  # "the corner": a modern town's name left out
    assert not builder.common_word("أورومتشي", words)


def test_a_spelling_two_records_share_stays_with_the_first(builder):
    def rec(ref, ar):
        return {"ref": ref, "type": "place", "variants": {"ar": ar, "kk": [], "ru": [], "latn": []}}

    kept, report = builder.dedupe([rec("a", ["بلخ"]), rec("b", ["بلخ", "مرو"]), rec("c", ["بَلْخ"])])
    assert [r["ref"] for r in kept] == ["a", "b"] and kept[1]["variants"]["ar"] == ["مرو"]
    assert any("c: no variant left" in line for line in report)


def test_the_shipped_file_is_the_builders_output(builder, tmp_path):
    out = tmp_path / "authority.tsv"
    assert builder.main(["--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == builder.OUT.read_text(encoding="utf-8")
    auth = parse_authority(out.read_text(encoding="utf-8"), str(out))
    assert len(auth.records) >= 1500 and not [p for p in check_authority(auth) if p.level == "error"]


def test_a_place_takes_a_city_of_its_own_countries_and_an_area_takes_none(builder, tmp_path):
    table = tmp_path / "period_y.txt"
    table.write_text("@place\n@countries UZ KZ\n"
                     "jand ;; Jand ;; جند ;; ;; ;; Jand\n"
                     "khwarazm ;; Khwarazm ;; خوارزم ;; ;; ;; Khwarazm ;; ;; area\n"
                     "nur ;; Nur ;; نور بخارى ;; ;; ;; Nur ;; ;; geonames:3\n"
                     "@countries\n"
                     "khiva ;; Khiva ;; خيوة ;; ;; ;; Khiva\n", encoding="utf-8")
    records = builder.read_period(table)
    assert [r["where"] for r in records] == [("UZ", "KZ"), ("area",), ("geonames:3",), ()]

    def city(gid, name, cc, alternates=()):
        return {"geonameid": gid, "name": name, "countrycode": cc, "alternatenames": list(alternates),
                "latitude": float(gid), "longitude": 0.0}

    cities = [city(1, "Jand", "PK"), city(2, "Khiva", "UZ", ["Khwarazm"]), city(3, "Nurota", "UZ"),
              city(4, "Jand", "KZ")]  # most populous first: the Pakistani namesake comes before
    used = builder.locate_places(records, cities)
    jand, khwarazm, nur, khiva = records
    assert jand["geonames"] == "4" and "geonames:4" in jand["evidence"]
    assert "geonames" not in khwarazm  # a region is not the city that bears its name
    assert nur["geonames"] == "3" and khiva["geonames"] == "2" and used == {2, 3, 4}
    bad = tmp_path / "period_bad.txt"
    bad.write_text("@place\nx ;; X ;; س ;; ;; ;; X ;; ;; somewhere\n", encoding="utf-8")
    with pytest.raises(SystemExit, match="period_bad.txt:2"):
        builder.read_period(bad)
