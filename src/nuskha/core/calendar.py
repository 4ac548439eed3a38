"""Calendar arithmetic over date values: tabular Hijri, Julian, proleptic Gregorian and the Seleucid era.

Dates are kept at the precision they are written ("615", "617-02", "616-12-04"); a year or a month is a range of
days, held as a pair of Julian Day Numbers. Conversion is convertdate's: ``islamic`` is the tabular (civil, epoch
16 July 622 Julian) calendar, so an observed-moon date may differ by a day or two. Western dates in the sources are
Julian; a Western date before 15 October 1582 is read as Julian, later ones as Gregorian.

The public functions take and return the value dicts of ANNOTATION.md (``hijri``/``hijri_end``/``ce``/``ce_end``
plus ``other_era`` -- ``{"era", "year"[, "year_end"]}`` -- for other eras) and never raise on an impossible date:
they say so.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from convertdate import gregorian, islamic, julian

#: English month names for the check's wording.
HIJRI_MONTHS = ("Muharram", "Safar", "Rabi I", "Rabi II", "Jumada I", "Jumada II", "Rajab", "Sha'ban", "Ramadan",
                "Shawwal", "Dhu al-Qa'da", "Dhu al-Hijja")
#: First day of the Gregorian reform (JDN of 1582-10-15): Western dates before it are Julian.
GREGORIAN_REFORM_JD = 2299160.5
#: The Seleucid era as Syriac Christian authors count it ("للإسكندر"): year 1 began on 1 October 312 BC (Julian).
SELEUCID_OFFSET = 312
#: Day-level tolerance of the dual-date check: tabular vs observed month starts, and the day boundary at sunset.
DAY_TOLERANCE = 2


class InvalidDate(ValueError):
    """A date that does not exist as written (month 13, year 0, 30 Dhu al-Hijja in a 29-day year)."""


@dataclass(frozen=True, slots=True)
class Written:
    """A date at its written precision in one calendar: ``hijri``, ``julian``, ``gregorian`` or ``seleucid``."""

    calendar: str
    year: int
    month: int | None = None
    day: int | None = None

    @classmethod
    def parse(cls, calendar: str, text: str) -> "Written":
        """``Written`` from a value string ``Y[-MM[-DD]]`` (years may be unpadded)."""
        parts = [int(p) for p in text.split("-")]
        if not 1 <= len(parts) <= 3:
            raise InvalidDate(f"not a Y[-MM[-DD]] date: {text!r}")
        return cls(calendar, *parts)

    @property
    def precision(self) -> str:
        return "day" if self.day is not None else "month" if self.month is not None else "year"

    def coarser(self) -> "Written | None":
        """The same date one precision up (day -> month -> year), or None at year precision."""
        if self.day is not None:
            return Written(self.calendar, self.year, self.month)
        if self.month is not None:
            return Written(self.calendar, self.year)
        return None


def _module(calendar: str):
    return {"hijri": islamic, "julian": julian, "gregorian": gregorian}[calendar]


def month_length(calendar: str, year: int, month: int) -> int:
    if calendar == "hijri":
        return islamic.month_length(year, month)
    return _module(calendar).month_length(year, month)


def validate(date: Written) -> None:
    """Raise :class:`InvalidDate` with a reason if ``date`` does not exist."""
    if date.calendar not in ("hijri", "julian", "gregorian", "seleucid"):
        raise InvalidDate(f"unknown calendar {date.calendar!r}")
    if date.year < 1:
        raise InvalidDate(f"year {date.year} does not exist in the {date.calendar} count (it starts at 1)")
    if date.month is None:
        return
    if date.calendar == "seleucid":
        raise InvalidDate("Seleucid months are not supported; only years")
    if not 1 <= date.month <= 12:
        raise InvalidDate(f"month {date.month} does not exist (1-12)")
    if date.day is None:
        return
    n = month_length(date.calendar, date.year, date.month)
    if not 1 <= date.day <= n:
        name = HIJRI_MONTHS[date.month - 1] if date.calendar == "hijri" else f"month {date.month}"
        raise InvalidDate(f"{name} {date.year} has {n} days in the {date.calendar} calendar, not {date.day}")


def jd_range(date: Written) -> tuple[float, float]:
    """First and last Julian Day of ``date`` at its precision. Raises :class:`InvalidDate`."""
    validate(date)
    if date.calendar == "seleucid":  # 1 October (Y-312) to 30 September (Y-311), Julian; astronomical years
        start_year = date.year - SELEUCID_OFFSET
        first = julian.to_jd(start_year, 10, 1)
        return first, julian.to_jd(start_year + 1, 10, 1) - 1
    mod = _module(date.calendar)
    y = date.year
    if date.day is not None:
        jd = mod.to_jd(y, date.month, date.day)
        return jd, jd
    if date.month is not None:
        first = mod.to_jd(y, date.month, 1)
        return first, first + month_length(date.calendar, y, date.month) - 1
    first = mod.to_jd(y, 1, 1)
    return first, mod.to_jd(y + 1, 1, 1) - 1


def western_calendar(date: Written) -> str:
    """``julian`` for a Western date before the Gregorian reform (at its first day), else ``gregorian``."""
    probe = Written("julian", date.year, date.month or 1, date.day or 1)
    try:
        jd = julian.to_jd(probe.year, probe.month, probe.day)
    except (ValueError, TypeError):
        return "julian"
    return "julian" if jd < GREGORIAN_REFORM_JD else "gregorian"


def iso(jd: float) -> str:
    """Proleptic Gregorian ISO 8601 date of a Julian Day (years padded to four digits, astronomical numbering)."""
    y, m, d = gregorian.from_jd(jd)
    year = f"{y:04d}" if y >= 0 else f"-{-y:04d}"
    return f"{year}-{m:02d}-{d:02d}"


def _julian_iso(jd: float) -> str:
    y, m, d = julian.from_jd(jd)
    return f"{y:04d}-{m:02d}-{d:02d}"


def sides(value: dict[str, Any]) -> list[tuple[str, Written, Written | None]]:
    """The calendars a value gives, as ``(name, start, end)``: ``hijri``, ``ce`` (Julian/Gregorian), ``era``.

    Raises :class:`InvalidDate` if a field is not ``Y[-MM[-DD]]``.
    """
    out = []
    if value.get("hijri"):
        end = value.get("hijri_end")
        out.append(("hijri", Written.parse("hijri", value["hijri"]), Written.parse("hijri", end) if end else None))
    if value.get("ce"):
        start = Written.parse("julian", value["ce"])
        cal = western_calendar(start)
        start = Written(cal, start.year, start.month, start.day)
        end = value.get("ce_end")
        out.append(("ce", start, Written.parse(cal, end) if end else None))
    other = value.get("other_era")
    if isinstance(other, dict) and other.get("era") == "seleucid" and other.get("year"):
        end = other.get("year_end")
        out.append(("era", Written("seleucid", int(other["year"])), Written("seleucid", int(end)) if end else None))
    return out


def hijri_year_of(jd: float) -> int:
    """The tabular Hijri year a Julian Day falls in."""
    return islamic.from_jd(jd)[0]


def converted(value: dict[str, Any]) -> dict[str, str] | None:
    """For a date written in another era (``other_era``: the Seleucid count), the Hijri and Julian years it
    covers: ``{"hijri", "hijri_end", "ce", "ce_end"}`` (Seleucid 1514 = 1 October 1202 - 30 September 1203 =
    AH 599-600), or None when the era cannot be converted (``لهبوط آدم``) or the value gives none.

    >>> converted({"other_era": {"era": "seleucid", "year": 1514}})
    {'hijri': '599', 'hijri_end': '600', 'ce': '1202', 'ce_end': '1203'}
    """
    try:
        era = [(s, e) for name, s, e in sides(value) if name == "era"]
    except (InvalidDate, ValueError):
        return None
    if not era:
        return None
    try:
        first, last = side_range(*era[0])
    except InvalidDate:
        return None
    return {"hijri": str(hijri_year_of(first)), "hijri_end": str(hijri_year_of(last)),
            "ce": str(julian.from_jd(first)[0]), "ce_end": str(julian.from_jd(last)[0])}


def side_range(start: Written, end: Written | None) -> tuple[float, float]:
    """Julian Days covered by a written date or range. Raises :class:`InvalidDate`."""
    first, last = jd_range(start)
    if end is not None:
        last = jd_range(end)[1]
        if last < first:
            raise InvalidDate("the range ends before it starts")
    return first, last


def _jd_span(value: dict[str, Any]) -> tuple[float, float] | None:
    """First and last Julian Day of a value as :func:`gregorian_span` chooses them, or None."""
    try:
        candidates = sides(value)
    except (InvalidDate, ValueError):
        return None
    for depth in range(3):  # every calendar at its written precision first, then one step coarser, ...
        for _, start, end in candidates:
            for _ in range(depth):
                start, end = (start.coarser() if start else None), (end.coarser() if end else None)
            if start is None:
                continue
            try:
                return side_range(start, end)
            except InvalidDate:
                continue
    return None


def gregorian_span(value: dict[str, Any]) -> tuple[str | None, str | None]:
    """``(gregorian, gregorian_end)``: proleptic Gregorian ISO dates for TEI ``@when`` / ``@notBefore``-``@notAfter``.

    A single day gives ``(day, None)``; a month, year or range gives its first and last day. The Hijri date is
    used when given (it is what the source states), else the Western date, else another era. An impossible
    date gives way to a possible one in another calendar, then falls back to the next precision up (30 Dhu
    al-Hijja of a 29-day year -> that month), and to ``(None, None)`` if nothing is left.

    >>> gregorian_span({"hijri": "616-12-04", "ce": "1220-02-10"})
    ('1220-02-17', None)
    >>> gregorian_span({"ce": "1220"})
    ('1220-01-08', '1221-01-07')
    """
    span = _jd_span(value)
    if span is None:
        return None, None
    first, last = span
    return (iso(first), None) if first == last else (iso(first), iso(last))


def _describe(name: str, date: Written, end: Written | None, rng: tuple[float, float]) -> str:
    written = f"{date.year}" + (f"-{date.month:02d}" if date.month else "") + (f"-{date.day:02d}" if date.day else "")
    if end is not None:
        written += f"..{end.year}" + (f"-{end.month:02d}" if end.month else "")
    if name == "hijri" and date.month and end is None:
        written = f"{HIJRI_MONTHS[date.month - 1]} {date.year}" + (f" day {date.day}" if date.day else "")
    return f"{name} {written} = {_julian_iso(rng[0])}..{_julian_iso(rng[1])} (Julian)"


def _overlap(a: tuple[float, float], b: tuple[float, float]) -> int:
    return max(0, int(min(a[1], b[1]) - max(a[0], b[0])) + 1)


def _verdict(a: tuple[float, float], b: tuple[float, float]) -> tuple[str, int, int]:
    """(status, overlap days, days of the shorter period): consistent if they share at least half of it."""
    days = _overlap(a, b)
    shorter = int(min(a[1] - a[0], b[1] - b[0])) + 1
    if days == 0:
        return "inconsistent", days, shorter
    return ("consistent" if 2 * days >= shorter else "partial"), days, shorter


def check(value: dict[str, Any]) -> dict[str, Any] | None:
    """The dual-date consistency check of a value that gives two calendars, or None when it gives one.

    Returns ``{"status": "consistent"|"partial"|"inconsistent"|"invalid", "detail": str}``, plus
    ``"as_gregorian": True`` when the Western date only fits if read as Gregorian. Day against day: within
    ±:data:`DAY_TOLERANCE` days. Otherwise the two periods are compared as ranges: consistent when they share
    at least half of the shorter one, partial when they share less, inconsistent when they do not meet. An
    impossible date on either side gives ``invalid``; one calendar alone gives a check only if it is impossible.

    >>> check({"hijri": "618-10", "ce": "1221-11"})["status"]
    'partial'
    >>> check({"hijri": "617-12-30"})["status"]
    'invalid'
    """
    try:
        given = sides(value)
    except (InvalidDate, ValueError) as exc:
        return {"status": "invalid", "detail": str(exc)}
    ranges = []
    for name, start, end in given:
        try:
            ranges.append((name, start, end, side_range(start, end)))
        except InvalidDate as exc:
            return {"status": "invalid", "detail": f"{name}: {exc}"}
    if len(ranges) < 2:
        return None
    (na, a, a_end, ra), (nb, b, b_end, rb) = ranges[:2]
    if a.precision == "day" and b.precision == "day" and a_end is None and b_end is None:
        return _check_days(na, a, ra, b, rb)
    status, days, shorter = _verdict(ra, rb)
    detail = (f"{_describe(na, a, a_end, ra)}; {_describe(nb, b, b_end, rb)}; "
              f"they share {days} of {shorter} days")
    out: dict[str, Any] = {"status": status, "detail": detail}
    if status != "consistent" and nb == "ce" and b.calendar == "julian":
        as_g = side_range(Written("gregorian", b.year, b.month, b.day),
                          Written("gregorian", b_end.year, b_end.month, b_end.day) if b_end else None)
        if _verdict(ra, as_g)[0] == "consistent":
            out["as_gregorian"] = True
            out["detail"] += "; the Western date fits only if read as Gregorian"
    return out


def _check_days(na: str, a: Written, ra: tuple[float, float], b: Written, rb: tuple[float, float]) -> dict[str, Any]:
    diff = int(rb[0] - ra[0])
    expected = _julian_iso(ra[0])
    if abs(diff) <= DAY_TOLERANCE:
        detail = f"{na} date = {expected} (Julian); the Western date is {diff:+d} days from it"
        return {"status": "consistent", "detail": detail}
    out: dict[str, Any] = {"status": "inconsistent",
                           "detail": f"{na} date = {expected} (Julian); the Western date is {diff:+d} days off"}
    if b.calendar == "julian":
        g_diff = int(gregorian.to_jd(b.year, b.month, b.day) - ra[0]) if _valid_gregorian(b) else None
        if g_diff is not None and abs(g_diff) <= DAY_TOLERANCE:
            out["as_gregorian"] = True
            out["detail"] += f"; read as Gregorian it is {g_diff:+d} days off: it fits only as a Gregorian date"
    return out


def _valid_gregorian(date: Written) -> bool:
    try:
        validate(Written("gregorian", date.year, date.month, date.day))
    except InvalidDate:
        return False
    return True


#: Weekday names as the date grammar gives them, Sunday first (the Arabic week: الأحد is the first day).
WEEKDAYS = ("sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday")
#: Days an observed Hijri month start may differ from the tabular one; the widening of a Hijri-only date.
HIJRI_UNCERTAINTY = 1


def weekday_of(jd: float) -> str:
    """The weekday of a Julian Day (at midnight, as convertdate gives them)."""
    return WEEKDAYS[int(jd + 1.5) % 7]


def _day_jd(value: dict[str, Any]) -> tuple[str, float] | None:
    """``(calendar name, JD)`` of the day a value names: the Hijri day if given, else the Western one."""
    try:
        given = sides(value)
    except (InvalidDate, ValueError):
        return None
    for name, start, end in given:
        if start.precision == "day" and end is None and name in ("hijri", "ce"):
            try:
                return name, jd_range(start)[0]
            except InvalidDate:
                return None
    return None


def weekday_check(value: dict[str, Any]) -> dict[str, Any] | None:
    """The written weekday (``value["weekday"]``) against the day the date names in the tabular calendar.

    Returns None without a weekday or a day, else ``{"status", "detail", "offset"}``: ``consistent``, ``off_by_one``
    (normal: an observed month often starts a day before or after the tabular one; ``offset`` says which way the
    weekday moves the day) or ``inconsistent``. ``ليلة الاثنين`` is the night that opens Monday's date (the Hijri
    day begins at sunset), so it is checked as Monday.

    >>> weekday_check({"hijri": "616-12-04", "weekday": "monday"})["status"]
    'consistent'
    >>> weekday_check({"hijri": "616-12-04", "weekday": "tuesday"})["status"]
    'off_by_one'
    """
    written = value.get("weekday")
    if written not in WEEKDAYS:
        return None
    day = _day_jd(value)
    if day is None:
        return None
    name, jd = day
    computed = weekday_of(jd)
    offset = (WEEKDAYS.index(written) - WEEKDAYS.index(computed) + 3) % 7 - 3  # -3..3
    status = "consistent" if offset == 0 else "off_by_one" if abs(offset) == 1 else "inconsistent"
    detail = (f"{name} date = {_julian_iso(jd)} (Julian), a {computed.capitalize()} in the tabular calendar; "
              f"the text says {written.capitalize()}")
    if status == "off_by_one":
        detail += f" ({offset:+d} day: the observed month started a day {'later' if offset < 0 else 'earlier'})"
    return {"status": status, "detail": detail, "offset": offset}


def uncertain_span(value: dict[str, Any], weekday: dict[str, Any] | None = None) -> tuple[str | None, str | None]:
    """Like :func:`gregorian_span`, widened by :data:`HIJRI_UNCERTAINTY` days at both ends when only the Hijri
    date is given (tabular and observed months differ), and narrowed to one day where a consistent or
    off-by-one ``weekday`` check pins it. A Western date, when given, fixes the day itself."""
    span = _jd_span(value)
    if span is None:
        return None, None
    first, last = span
    if not value.get("hijri") or value.get("ce"):
        return (iso(first), None) if first == last else (iso(first), iso(last))
    if weekday is not None and weekday["status"] != "inconsistent":
        return iso(first + weekday["offset"]), None  # a weekday check is only made on a day
    return iso(first - HIJRI_UNCERTAINTY), iso(last + HIJRI_UNCERTAINTY)
