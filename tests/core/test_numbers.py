"""Number words -> integers: every Arabic and Kazakh form of issue 4, through the real language tables."""
from __future__ import annotations

import pytest

from nuskha.annotate.tables import normalizer, numerals
from nuskha.core.numbers import NumberWord, NumeralTable, parse_at, parse_number


def ar(text: str) -> int | None:
    return parse_number(text, numerals("ar"), normalizer("ar"))


def kk(text: str) -> int | None:
    return parse_number(text, numerals("kk"), normalizer("kk"))


@pytest.mark.parametrize("text, value", [
    # units, tens, teens, compounds with و in both orders
    ("ثلاثة", 3), ("ثلاث", 3), ("عشرة", 10), ("اثنا عشر", 12), ("اثني عشر", 12), ("خمس عشرة", 15),
    ("سبع عشرة", 17), ("إحدى عشرة", 11), ("احدى عشرة", 11), ("عشرون", 20), ("عشرين", 20),
    ("خمسة وعشرون", 25), ("خمس وعشرين", 25), ("أحد وعشرين", 21),
    # hundreds: joined, split, duals, and with و
    ("مائة", 100), ("مئة", 100), ("مائتا", 200), ("مائتي", 200), ("مائتان", 200), ("مئتين", 200),
    ("أربعمائة", 400), ("اربعمائة", 400), ("أربع مائة", 400), ("اربع مئة", 400), ("ثمان مائة", 800),
    ("اربعمائة وخمسين", 450), ("ستمائة", 600), ("سبع عشرة وستمائة", 617), ("خمس مائة وسبع وعشرين", 527),
    # thousands in every spelling: hamza / no hamza, tanwin / no tanwin, plural and broken plural
    ("ألف", 1000), ("الف", 1000), ("ألفاً", 1000), ("الفاً", 1000), ("الفا", 1000),
    ("ستون ألفاً", 60000), ("ستون الفا", 60000), ("خمسون الفا", 50000),
    ("عشرة آلاف", 10000), ("عشرة الاف", 10000), ("عشرة الآف", 10000), ("ثلاثة ألوف", 3000),
    ("اربعمائة الف", 400000), ("أربعمائة ألف", 400000), ("مائة وعشرة الاف", 110000),
    ("مائة وعشرة آلاف", 110000), ("مائتا ألف", 200000), ("مائتي الف", 200000),
    # duals of the thousand, ألف ألف, ascending order with a joined thousand
    ("ألفان", 2000), ("الفان", 2000), ("ألفين", 2000), ("ألفي", 2000), ("ألف ألف", 1000000),
    ("ألف وخمسمائة وثلاثين", 1530), ("سبع عشرة وستمائة وألف", 1617),
    # digits, also Arabic-Indic, with a scale word
    ("20 ألف", 20000), ("٤٠٠", 400),
])
def test_ar_numbers(text, value):
    assert ar(text) == value


@pytest.mark.parametrize("text, value", [
    ("бір", 1), ("екі", 2), ("үш", 3), ("төрт", 4), ("бес", 5), ("алты", 6), ("жеті", 7), ("сегіз", 8),
    ("тоғыз", 9), ("он", 10), ("он бес", 15), ("жиырма", 20), ("отыз", 30), ("қырық", 40), ("елу", 50),
    ("алпыс", 60), ("жетпіс", 70), ("сексен", 80), ("тоқсан", 90), ("жүз", 100), ("үш жүз", 300),
    ("жүз жиырма", 120), ("мың", 1000), ("жиырма мың", 20000), ("Жиырма мың", 20000),
    ("екі мың бес жүз", 2500), ("бір миллион", 1000000), ("300-дей", 300), ("20 мыңдай", 20000),
    ("мыңнан", 1000),
])
def test_kk_numbers(text, value):
    assert kk(text) == value


def test_kk_approximative_suffix_is_a_flag():
    table, norm = numerals("kk"), normalizer("kk")
    hit = parse_at([norm("300-дей")], 0, table)
    assert hit.value == 300 and "approx" in hit.flags and hit.suffix == "дей"
    hit = parse_at([norm(w) for w in "20 мыңдай әскер".split()], 0, table)
    assert (hit.value, hit.end, "approx" in hit.flags) == (20000, 2, True)
    hit = parse_at([norm(w) for w in "жиырма мың әскер".split()], 0, table)
    assert (hit.value, hit.end, hit.flags) == (20000, 2, frozenset())


def test_kk_date_suffix_is_not_a_number():
    assert parse_at(["1219-жылы"], 0, numerals("kk")) is None


def test_ar_vague_words_set_a_bound():
    table, norm = numerals("ar"), normalizer("ar")
    hit = parse_at([norm(w) for w in "نيف وعشرون".split()], 0, table)
    assert (hit.value, hit.flags) == (20, frozenset({"more_than"}))
    hit = parse_at([norm(w) for w in "بضعة آلاف".split()], 0, table)
    assert (hit.value, hit.flags) == (3000, frozenset({"more_than"}))


def test_ar_leading_clitic_is_reported_not_counted():
    table, norm = numerals("ar"), normalizer("ar")
    hit = parse_at([norm("وخمسون"), norm("الفا")], 0, table)
    assert (hit.value, hit.prefix, hit.end) == (50000, 1, 2)
    hit = parse_at([norm("بثلاثين"), norm("الف"), norm("جندي")], 0, table)
    assert (hit.value, hit.prefix, hit.end) == (30000, 1, 2)
    assert ar("وخمسون") is None  # parse_number wants the number alone
    assert ar("واحد") == 1  # a word that begins with و is not a clitic when it is itself a numeral


@pytest.mark.parametrize("text, value, end", [
    ("ثلاثة أربعة", 3, 1),  # two numbers side by side are not added
    ("عشرون ثلاثون", 20, 1),
    ("ثلاثة أيام", 3, 1),
    ("خمسين الف جندي", 50000, 2),
    ("واحدة وستة أشهر", 1, 1),  # same order joined by و: a year and six months
    ("عشرون وثلاثون", 20, 1),
])
def test_ar_number_stops_where_it_should(text, value, end):
    norm = normalizer("ar")
    hit = parse_at([norm(w) for w in text.split()], 0, numerals("ar"))
    assert (hit.value, hit.end) == (value, end)


def test_non_numbers():
    assert ar("جندي") is None
    assert ar("") is None
    assert kk("әскер") is None


def test_table_keys_are_normalised_with_the_given_normaliser():
    table = NumeralTable.from_json({"scales": {"ألفاً": 1000}, "units": {"ثلاثة": 3}},
                                   lambda s: s.replace("أ", "ا").replace("ً", ""))
    assert table.words["الفا"] == NumberWord("scales", 1000)
    assert parse_number("ثلاثة الفا", table) == 3000


@pytest.mark.parametrize("text, value", [
    ("ثلث", 3), ("ثلثة", 3), ("ثلثين", 30), ("ثلثون", 30), ("ثلثمائة", 300), ("ثمانى", 8),
    ("ستمائه", 600), ("مائه", 100), ("ثلث عشرة", 13), ("ثلثة آلاف", 3000), ("ثمانى مائه", 800),
    ("تومان", 10000), ("تومانين", 20000), ("ثلاثة تومانات", 30000),
])
def test_ar_old_spellings_and_tumens(text, value):
    """Chronicles' spellings (ANNOTATION.md, 'Chronicles'): ثلث = ثلاث, ى for ي, ه for ة; a tumen is 10,000."""
    assert ar(text) == value
