"""Calendar conversion and the dual-date check, on the dual dates of the Arabic passage, against convertdate."""
from __future__ import annotations

import datetime

import pytest
from convertdate import gregorian, islamic, julian
from hypothesis import given, strategies as st

from nuskha.core.calendar import InvalidDate, Written, check, gregorian_span, jd_range, validate, western_calendar


def value(hijri=None, ce=None, hijri_end=None, ce_end=None, **extra):
    return {"hijri": hijri, "hijri_end": hijri_end, "ce": ce, "ce_end": ce_end, "qualifier": None, **extra}


def valid_iso(iso: str) -> bool:
    """A proleptic Gregorian ISO date; years before 1 are astronomical (0000 = 1 BC), as XML Schema 1.1 reads them."""
    year, month, day = (int(p) for p in iso.lstrip("-").split("-"))
    year = -year if iso.startswith("-") else year
    if year >= 1:
        return datetime.date.fromisoformat(iso) is not None
    return 1 <= month <= 12 and 1 <= day <= gregorian.month_length(year, month)


def g_iso(jd: float) -> str:
    y, m, d = gregorian.from_jd(jd)
    return f"{y:04d}-{m:02d}-{d:02d}"


# (hijri y, m, d) and the Western (Julian) date the passage gives for it
PASSAGE_DAYS = [((616, 12, 4), (1220, 2, 10)), ((617, 1, 10), (1220, 3, 17))]


@pytest.mark.parametrize("h, w", PASSAGE_DAYS)
def test_passage_day_dates_agree_with_convertdate(h, w):
    jd = islamic.to_jd(*h)
    assert julian.from_jd(jd) == w
    v = value(f"{h[0]}-{h[1]:02d}-{h[2]:02d}", f"{w[0]}-{w[1]:02d}-{w[2]:02d}")
    assert gregorian_span(v) == (g_iso(jd), None)
    assert check(v)["status"] == "consistent"


@pytest.mark.parametrize("hijri, ce, status", [
    ("617-02", "1220-04", "consistent"),  # Safar 617 = 7 Apr - 5 May 1220: 24 of 29 days in April
    ("618-02", "1221-04", "consistent"),
    ("618-10", "1221-11", "partial"),  # Shawwal 618 = 18 Nov - 16 Dec 1221: only 13 days in November
    ("615", "1218", "consistent"),
    ("617", "1220", "consistent"),
    ("619", "1222", "consistent"),
    ("615", "1219", "partial"),  # 615 reaches only into March 1219
    ("615", "1225", "inconsistent"),
])
def test_month_and_year_verdicts(hijri, ce, status):
    assert check(value(hijri, ce))["status"] == status


def test_shawwal_618_detail_says_how_much_overlaps():
    first = islamic.to_jd(618, 10, 1)
    last = first + islamic.month_length(618, 10) - 1
    out = check(value("618-10", "1221-11"))
    assert julian.from_jd(first) == (1221, 11, 18)
    assert "1221-11-18..1221-12-16" in out["detail"] and "13 of 29 days" in out["detail"]
    assert gregorian_span(value("618-10", "1221-11")) == (g_iso(first), g_iso(last))


def test_year_range_converts_to_the_whole_span():
    v = value("617", "1220", "618", "1221")
    assert gregorian_span(v) == (g_iso(islamic.to_jd(617, 1, 1)), g_iso(islamic.to_jd(619, 1, 1) - 1))
    assert check(v)["status"] == "consistent"


def test_western_date_that_only_fits_as_gregorian_is_flagged():
    out = check(value("616-12-04", "1220-02-17"))  # the Gregorian equivalent written as if Julian
    assert out["status"] == "inconsistent" and out["as_gregorian"] is True
    out = check(value("616-12-04", "1220-02-11"))  # a day off: tabular vs observed month, fine
    assert out["status"] == "consistent" and "as_gregorian" not in out
    out = check(value("616-12-04", "1220-03-01"))
    assert out["status"] == "inconsistent" and "as_gregorian" not in out


def test_western_dates_before_1582_are_julian():
    assert western_calendar(Written("julian", 1220, 2, 10)) == "julian"
    assert western_calendar(Written("julian", 1582, 10, 4)) == "julian"
    assert western_calendar(Written("julian", 1582, 10, 15)) == "gregorian"
    assert gregorian_span(value(ce="1220")) == (g_iso(julian.to_jd(1220, 1, 1)), g_iso(julian.to_jd(1220, 12, 31)))
    assert gregorian_span(value(ce="1700-05-01")) == ("1700-05-01", None)


def test_seleucid_year_starts_in_october():
    assert gregorian_span({"other_era": {"era": "seleucid", "year": 1530}}) == (
        g_iso(julian.to_jd(1218, 10, 1)), g_iso(julian.to_jd(1219, 9, 30)))


@pytest.mark.parametrize("v, reason", [
    (value("617-12-30"), "29 days"),  # 617 is not a leap year: Dhu al-Hijja has 29 days
    (value("617-13"), "month 13"),
    (value("0"), "year 0"),
    (value(ce="1221-02-30"), "not 30"),
])
def test_impossible_dates_are_flagged_not_raised(v, reason):
    out = check(v)
    assert out["status"] == "invalid" and reason in out["detail"]
    start, end = gregorian_span(v)
    for iso in (start, end):
        assert iso is None or valid_iso(iso)


def test_impossible_day_falls_back_to_its_month():
    assert islamic.month_length(617, 12) == 29
    first = islamic.to_jd(617, 12, 1)
    assert gregorian_span(value("617-12-30")) == (g_iso(first), g_iso(first + 28))
    assert gregorian_span(value("0")) == (None, None)


def test_validate_and_jd_range():
    with pytest.raises(InvalidDate):
        validate(Written("hijri", 616, 12, 31))
    validate(Written("hijri", 616, 12, 30))  # 616 is a leap year
    assert jd_range(Written("hijri", 616, 12, 4)) == (islamic.to_jd(616, 12, 4),) * 2


@given(st.integers(-5, 3000), st.one_of(st.none(), st.integers(-2, 15)), st.one_of(st.none(), st.integers(-2, 40)))
def test_never_raises_and_never_gives_an_invalid_iso_date(y, m, d):
    text = str(y) + (f"-{m}" if m is not None else "") + (f"-{d}" if m is not None and d is not None else "")
    for v in (value(text), value(ce=text), value(text, text)):
        start, end = gregorian_span(v)
        for iso in (start, end):
            assert iso is None or valid_iso(iso)
        out = check(v)
        assert out is None or out["status"] in ("consistent", "partial", "inconsistent", "invalid")
