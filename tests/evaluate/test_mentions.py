"""Mention scoring: exact and overlap matching, ref and value agreement, attributive filtering, reading inputs."""
from __future__ import annotations

import json

import pytest

from nuskha.errors import DataError
from nuskha.evaluate.mentions import format_scores, is_attributive, read_mentions, score_mentions


def m(start, end, type="person", ref=None, value=None, note=None):
    return {"start": start, "end": end, "type": type, "ref": ref, "value": value, "note": note}


def test_exact_and_overlap_counts():
    gold = [m(0, 9, ref="a"), m(20, 25, ref="b"), m(30, 35, "place", ref="p")]
    system = [m(0, 9, ref="a"), m(21, 25, ref="b"), m(40, 45, "place", ref="q")]
    s = score_mentions(gold, system)
    person, place = s.by_type["person"], s.by_type["place"]
    assert (person.exact, person.overlap) == (1, 2)
    assert person.exact_prf == pytest.approx((0.5, 0.5, 0.5))
    assert person.overlap_prf == pytest.approx((1.0, 1.0, 1.0))
    assert place.exact == place.overlap == 0 and place.exact_prf[2] == 0.0
    assert s.total.gold == 3 and s.total.system == 3 and s.total.exact == 1


def test_overlap_is_one_to_one():
    s = score_mentions([m(0, 10)], [m(0, 4), m(5, 10)])
    assert s.by_type["person"].overlap == 1


def test_ref_agreement_is_over_exact_pairs():
    s = score_mentions([m(0, 5, ref="a"), m(10, 15, ref="b")], [m(0, 5, ref="a"), m(10, 15, ref="new:x")])
    assert s.by_type["person"].ref_agreement == 0.5


def test_value_agreement_for_dates_and_troops():
    v = {"quantity": 50000, "unit": "soldier", "approx": False, "bound": None}
    s = score_mentions([m(0, 5, "troops", value=v)], [m(0, 5, "troops", value=dict(v))])
    assert s.by_type["troops"].value_agreement == 1.0
    s = score_mentions([m(0, 5, "troops", value=v)], [m(0, 5, "troops", value={**v, "quantity": 5000})])
    assert s.by_type["troops"].value_agreement == 0.0


def test_attributive_mentions_counted_by_default_and_excludable():
    gold = [m(0, 5, "group", ref="mongols", note="attributive (nisba adjective)"), m(10, 15, "group", ref="mongols")]
    system = [m(10, 15, "group", ref="mongols")]
    assert score_mentions(gold, system).by_type["group"].exact_prf[1] == 0.5
    excluded = score_mentions(gold, system, attributive=False)
    assert excluded.by_type["group"].exact_prf == (1.0, 1.0, 1.0)
    assert "EXCLUDED" in format_scores(excluded) and "COUNTED" in format_scores(score_mentions(gold, system))
    assert is_attributive(gold[0]) and not is_attributive(gold[1])


def test_types_filter():
    s = score_mentions([m(0, 5), m(6, 9, "date")], [m(0, 5)], types=["person"])
    assert list(s.by_type) == ["person"] and s.total.gold == 1


def test_read_mentions_from_json_and_from_text(tmp_path):
    path = tmp_path / "sys.json"
    path.write_text(json.dumps({"lang": "ar", "mentions": [m(0, 5)]}), encoding="utf-8")
    mentions, lang = read_mentions(path)
    assert mentions == [m(0, 5)] and lang == "ar"
    text = tmp_path / "t.txt"
    text.write_text("سار جنكيز خان إلى بخارى", encoding="utf-8")
    mentions, lang = read_mentions(text)
    assert lang == "ar" and {(x["text"], x["ref"]) for x in mentions} >= {("جنكيز خان", "chinggis-khan"),
                                                                        ("بخارى", "bukhara")}


def test_malformed_mentions_are_a_data_error(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"mentions": [{"start": "0", "end": 5, "type": "person"}]}), encoding="utf-8")
    with pytest.raises(DataError, match="mention 0"):
        read_mentions(path)
    path.write_text(json.dumps({"nothing": 1}), encoding="utf-8")
    with pytest.raises(DataError, match="no mention list"):
        read_mentions(path)


def test_pooled_scores_add_the_counts_of_every_text():
    from nuskha.evaluate.mentions import pool_scores

    one = score_mentions([m(0, 5, ref="a"), m(10, 15, "place", ref="p")], [m(0, 5, ref="a")])
    two = score_mentions([m(0, 5, ref="b")], [m(0, 5, ref="c"), m(7, 9)])
    pooled = pool_scores([one, two])
    person = pooled.by_type["person"]
    assert (person.gold, person.system, person.exact, person.ref_pairs, person.ref_agree) == (2, 3, 2, 2, 1)
    assert person.exact_prf == pytest.approx((2 / 3, 1.0, 0.8))
    assert pooled.by_type["place"].gold == 1 and pooled.total.gold == 3 and pooled.total.system == 3
    assert list(pooled.by_type) == ["person", "place"]


def test_mention_pairs_from_arguments_and_folders(tmp_path):
    from nuskha.evaluate.mentions import mention_pairs

    for name in ("b", "a"):
        (tmp_path / f"{name}.gold.json").write_text('{"mentions": []}', encoding="utf-8")
        (tmp_path / f"{name}.txt").write_text("نص", encoding="utf-8")
    assert [(n, g.name, s.name) for n, g, s in mention_pairs([tmp_path])] == [
        ("a", "a.gold.json", "a.txt"), ("b", "b.gold.json", "b.txt")]
    pairs = mention_pairs([tmp_path / "a.gold.json", tmp_path / "a.txt", tmp_path])
    assert [n for n, _, _ in pairs] == ["a", "b", "a"]
    with pytest.raises(DataError, match="pairs"):
        mention_pairs([tmp_path / "a.gold.json"])
    (tmp_path / "c.gold.json").write_text('{"mentions": []}', encoding="utf-8")
    with pytest.raises(DataError, match="c.txt"):
        mention_pairs([tmp_path])
