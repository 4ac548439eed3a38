"""A date grammar over token normal forms, one mechanism for every language; words and word order come from tables.

A date expression is ``[qualifier] part [/ part] [qualifier]``. A part is, in the order a table allows::

    [day [link]] [month-word] [month] [year-word] year [- year] [era] [year-word]
    [century-word] century [- century] [era] [century-word]

where a day is digits or an ordinal (``العاشر من``), a year is digits (also ``1219-жылы``) or number words
(``سبع عشرة وستمائة``), and a century an ordinal, digits or a Roman numeral (``XIII``, also with Cyrillic look-alike
letters). A part must be anchored -- by a month, a year word, an era marker or a century word -- so that a bare
``1220`` is not a date; an unmarked one-word year must reach ``min_unmarked_year``, so that ``سنة واحدة``
(a duration) is not one either, while ``سنة ثمان وأربعين`` is. The second part of a dual date (``615ه/1218م``)
is read in the other calendar when it carries no marker (``عام 617ه/1220``). An era the table names but
:mod:`nuskha.core.calendar` cannot convert (``لهبوط آدم``) is kept as ``era``/``era_date``.

The table of a language (``months.json``, ``dates.json``) lists, spelled as written: ``months`` by calendar,
``month_words``, ``year_words_before``/``_after``, ``century_words_before``/``_after``, ``day_links``,
``qualifiers_before``/``_after``, ``eras``, ``range_marks``, ``dual_marks`` (``/``, ``الموافق``), ``default_era``,
``min_unmarked_year``, ``roman_lookalikes`` and ``month_suffixes_after_year`` (Kazakh puts the month after the
year word with a case ending: ``1220 жылдың ақпанында``) ``ordinal_suffixes`` (``2020-сыншы жылы``) and ``word_years`` (false where years are only written in digits). Ordinals come from the language's ``numerals.json``.

The value follows ANNOTATION.md: ``hijri``, ``hijri_end``, ``ce``, ``ce_end`` (``Y[-MM[-DD]]`` as written, years
unpadded) and ``qualifier``; an era that is neither (Seleucid) gives ``era``/``era_date``/``era_date_end``, and a
century adds ``century`` (and ``century_end``) beside its first and last year.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Sequence

import regex

from .numbers import NumeralTable, parse_at
from .phrases import PhraseTable, strips_to

Normalizer = Callable[[str], str]

_DIGITS = regex.compile(r"^\p{Nd}{1,4}$")
_DIGITS_SUFFIX = regex.compile(r"^(\p{Nd}{1,4})-(\p{L}[\p{L}.]*)$")
_ROMAN = regex.compile(r"^(?=[MDCLXVI])M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$")
_ROMAN_VALUES = {"M": 1000, "D": 500, "C": 100, "L": 50, "X": 10, "V": 5, "I": 1}
#: The calendar a dual date's unmarked second part is read in.
OTHER_CALENDAR = {"hijri": "ce", "ce": "hijri"}


@dataclass(frozen=True)
class DateTables:
    """One language's date words, normalised, plus its numeral table."""

    months: PhraseTable
    month_words: PhraseTable
    year_before: PhraseTable
    year_after: PhraseTable
    century_before: PhraseTable
    century_after: PhraseTable
    day_links: PhraseTable
    qual_before: PhraseTable
    qual_after: PhraseTable
    eras: PhraseTable
    ordinals: PhraseTable
    range_marks: frozenset[str]
    dual_marks: frozenset[str]
    default_era: str
    min_unmarked_year: int
    roman: dict[str, str]
    month_suffixes: tuple[str, ...]
    ordinal_suffixes: frozenset[str]
    word_years: bool
    numerals: NumeralTable
    casefold: bool = False

    @classmethod
    def from_json(cls, dates: dict, numerals: dict, normalize: Normalizer = lambda s: s) -> "DateTables":
        fold = bool(dates.get("casefold", False))

        def table(key: str, src: dict = dates) -> PhraseTable:
            data = src.get(key, {})
            if isinstance(data, list):
                return PhraseTable.of(data, normalize, fold)
            return PhraseTable(data, normalize, fold)

        months = {name: (cal, n) for cal, names in dates.get("months", {}).items() for name, n in names.items()}
        return cls(
            months=PhraseTable(months, normalize, fold),
            month_words=table("month_words"), year_before=table("year_words_before"),
            year_after=table("year_words_after"), century_before=table("century_words_before"),
            century_after=table("century_words_after"), day_links=table("day_links"),
            qual_before=table("qualifiers_before"), qual_after=table("qualifiers_after"), eras=table("eras"),
            ordinals=table("ordinals", numerals),
            range_marks=frozenset(map(normalize, dates.get("range_marks", ()))),
            dual_marks=frozenset(map(normalize, dates.get("dual_marks", ()))),
            default_era=dates.get("default_era", "ce"), min_unmarked_year=int(dates.get("min_unmarked_year", 1)),
            roman=dict(dates.get("roman_lookalikes", {})),
            month_suffixes=tuple(sorted(dates.get("month_suffixes_after_year", ()), key=len, reverse=True)),
            ordinal_suffixes=frozenset(dates.get("ordinal_suffixes", ())),
            word_years=bool(dates.get("word_years", True)),
            numerals=NumeralTable.from_json(numerals, normalize), casefold=fold,
        )


@dataclass(frozen=True, slots=True)
class DateMatch:
    """A date over ``words[start:end]``; ``prefix`` characters of the first word's normal form are a proclitic."""

    start: int
    end: int
    value: dict[str, Any]
    prefix: int = 0


@dataclass(slots=True)
class _Part:
    end: int = 0
    prefix: int = 0
    year: int | None = None
    year_end: int | None = None
    month: tuple[str, int] | None = None
    numeric_month: int | None = None
    day: int | None = None
    century: bool = False
    era: str | None = None
    anchored: bool = False
    long_year: bool = False  # a year of two or more number words (سنة ثمان وأربعين), never a duration

    def calendar(self, default: str) -> str:
        if self.era:
            return self.era
        if self.month:
            return self.month[0]
        return default


def roman_value(word: str, lookalikes: dict[str, str]) -> int | None:
    """The value of a Roman numeral (``XIII``, ``ХІІІ`` with Cyrillic letters), or None."""
    latin = "".join(lookalikes.get(ch, ch) for ch in word).upper()
    if not _ROMAN.match(latin):
        return None
    total = 0
    for a, b in zip(latin, latin[1:] + " "):
        v = _ROMAN_VALUES[a]
        total += -v if b != " " and _ROMAN_VALUES[b] > v else v
    return total


def _fmt(year: int, month: int | None = None, day: int | None = None) -> str:
    out = str(year)
    if month is not None:
        out += f"-{month:02d}"
        if day is not None:
            out += f"-{day:02d}"
    return out


class DateGrammar:
    """Finds date expressions in a sequence of normal forms with one language's :class:`DateTables`."""

    def __init__(self, tables: DateTables):
        self.t = tables
        t = tables
        # A date can only start with one of these words (or digits, or a Roman numeral): tested before parsing.
        self._starts = frozenset().union(
            t.months.first_words(), t.month_words.first_words(), t.year_before.first_words(),
            t.century_before.first_words(), t.qual_before.first_words(), t.ordinals.first_words(),
            (w for w in t.numerals.words))
        self._could_start: dict[str, bool] = {}

    def could_start(self, word: str) -> bool:
        """False when no date can start at ``word`` (most words): a filter, not a parse. Memoised per word
        form: it runs on every token of a book, and a book has ten times fewer forms than tokens."""
        hit = self._could_start.get(word)
        if hit is None:
            hit = self._could_start[word] = self._test_start(word)
        return hit

    def _test_start(self, word: str) -> bool:
        w = word.casefold() if self.t.casefold else word
        if w in self._starts or w[:1].isdigit():
            return True
        procl = self.t.numerals.proclitics
        if procl and w.startswith(procl) and strips_to(w, procl, self._starts):
            return True
        return bool(self.t.roman) and roman_value(word.partition("-")[0], self.t.roman) is not None

    # -- pieces ---------------------------------------------------------------------------------------------

    def _digits(self, words: Sequence[str], k: int) -> int | None:
        return int(words[k]) if k < len(words) and _DIGITS.match(words[k]) else None

    def _month_at(self, words: Sequence[str], k: int, proclitics: Sequence[str]):
        """``(end, (calendar, n), prefix)`` for ``[month-word] month`` at ``k``."""
        t = self.t
        mw = t.month_words.match(words, k, proclitics)
        if mw is not None:
            hit = t.months.match(words, mw[0])
            if hit is not None:
                return hit[0], hit[1], mw[2]
        return t.months.match(words, k, proclitics)

    def _year_at(self, words: Sequence[str], k: int, proclitics: Sequence[str]):
        """``(end, year, prefix, year-word-after seen)`` for a year in digits or words at ``k``."""
        if k >= len(words):
            return None
        v = self._digits(words, k)
        if v is not None:
            return k + 1, v, 0, False
        m = _DIGITS_SUFFIX.match(words[k].casefold() if self.t.casefold else words[k])
        if m is not None and m.group(2) in self.t.year_after:  # 1219-жылы
            return k + 1, int(m.group(1)), 0, True
        if m is not None and m.group(2) in self.t.ordinal_suffixes:  # 2020-сыншы (жылы): needs its year word
            return k + 1, int(m.group(1)), 0, False
        if words[k][:1].isdigit() or not self.t.word_years:
            return None  # five digits and more are not a year; Kazakh writes years in digits
        num = parse_at(words, k, self.t.numerals)
        if num is None or num.flags or num.suffix or (num.prefix and not proclitics):
            return None
        return num.end, num.value, num.prefix, False

    def _century_number(self, words: Sequence[str], k: int) -> tuple[int, int, int | None] | None:
        """``(end, n, last n of a range in one token)`` for a century number: an ordinal, digits or a Roman
        numeral, also ``XIII-ші`` and ``XII-XIII`` (a hyphen joins them into one token)."""
        if k >= len(words):
            return None
        hit = self.t.ordinals.match(words, k)
        if hit is not None:
            return hit[0], hit[1], None
        stem, _, ending = words[k].partition("-")
        v = int(stem) if _DIGITS.match(stem) else roman_value(stem, self.t.roman)
        if not v:
            return None
        if not ending or ending.casefold() in self.t.ordinal_suffixes:  # XIII, XIII-ші, 13-ші
            return k + 1, v, None
        last = roman_value(ending, self.t.roman)
        return (k + 1, v, last) if last and last > v else None

    # -- a part ---------------------------------------------------------------------------------------------

    def _part(self, words: Sequence[str], i: int, clitics: bool) -> _Part | None:
        t = self.t
        procl = t.numerals.proclitics if clitics else ()
        p = _Part(end=i)
        k = i
        # numeric day/month/year: 30/12/617ه
        if (k + 4 < len(words) and self._digits(words, k) is not None and words[k + 1] == "/"
                and self._digits(words, k + 2) is not None and words[k + 3] == "/"
                and self._digits(words, k + 4) is not None and self._digits(words, k) <= 31):
            p.day, p.numeric_month, p.year = self._digits(words, k), self._digits(words, k + 2), \
                self._digits(words, k + 4)
            p.anchored, k = True, k + 5
            return self._tail(words, k, p)
        # day: digits or an ordinal (+ link word), only when a month follows
        d = self._digits(words, k)
        if d is not None and 1 <= d <= 31 and self._month_at(words, k + 1, ()) is not None:
            p.day, k = d, k + 1
        else:
            hit = t.ordinals.match(words, k, procl)
            if hit is not None:
                after = hit[0]
                link = t.day_links.match(words, after)
                if link is not None:
                    after = link[0]
                if self._month_at(words, after, ()) is not None:
                    p.day, p.prefix, k = hit[1], hit[2], after
        month = self._month_at(words, k, procl if k == i else ())
        if month is not None:
            if k == i:
                p.prefix = month[2]
            p.month, p.anchored, k = month[1], True, month[0]
            link = t.day_links.match(words, k)  # في المحرم من سنة 617
            if link is not None and t.year_before.match(words, link[0]) is not None:
                k = link[0]
        yw = t.year_before.match(words, k, procl if k == i else ())
        if yw is not None:
            if k == i:
                p.prefix = yw[2]
            p.anchored, k = True, yw[0]
        if p.month is None and yw is None and p.day is None:
            cw = t.century_before.match(words, k, procl if k == i else ())
            if cw is not None:
                num = self._century_number(words, cw[0])
                if num is None:
                    return None
                if k == i:
                    p.prefix = cw[2]
                p.century, p.anchored, p.year, k = True, True, num[1], num[0]
                return self._tail(words, k, p)
        if t.century_after and p.month is None and yw is None:  # XIII ғасыр, 13-ші ғасырда, XII-XIII ғасырлар
            century = self._century_number(words, k)
            if century is not None:
                end = century[0]
                if end + 1 < len(words) and words[end] in t.range_marks:
                    end = (self._century_number(words, end + 1) or (end,))[0]
                if t.century_after.match(words, end) is not None:
                    p.century, p.year, p.year_end, k = True, century[1], century[2], century[0]
                    return self._tail(words, k, p)
        year = self._year_at(words, k, procl if k == i else ())
        if year is None:
            return None
        if k == i:
            p.prefix = year[2]
        p.long_year = year[0] - k > 1
        p.year, p.anchored, k = year[1], p.anchored or year[3], year[0]
        return self._tail(words, k, p)

    def _tail(self, words: Sequence[str], k: int, p: _Part) -> _Part:
        """Range, era marker and year/century word after the year."""
        t = self.t
        if k + 1 < len(words) and words[k] in t.range_marks and p.year_end is None:
            nxt = self._century_number(words, k + 1) if p.century else self._year_at(words, k + 1, ())
            if nxt is not None and nxt[1] > (p.year or 0):
                p.year_end, k = nxt[1], nxt[0]
                if not p.century and nxt[3]:
                    p.anchored = True
        era = t.eras.match(words, k)
        if era is not None:
            p.era, p.anchored, k = era[1], True, era[0]
        after = (t.century_after if p.century else t.year_after).match(words, k)
        if after is not None:
            p.anchored, k = True, after[0]
            if t.month_suffixes and p.month is None and not p.century and p.year_end is None:
                k = self._month_after_year(words, k, p)
        p.end = k
        return p

    def _month_after_year(self, words: Sequence[str], k: int, p: _Part) -> int:
        """Kazakh order: ``1220 жылдың ақпанында``, ``1220 жылы 10 ақпанда`` -- [day] month with a case ending."""
        day = self._digits(words, k)
        j = k + 1 if day is not None and 1 <= day <= 31 else k
        if j >= len(words):
            return k
        word = words[j].casefold() if self.t.casefold else words[j]
        for stem in [word] + [word[:-len(x)] for x in self.t.month_suffixes if word.endswith(x) and len(word) > len(x)]:
            hit = self.t.months.get(stem)
            if hit is not None:
                p.month, p.day = hit, (day if j > k else None)
                return j + 1
        return k

    # -- an expression ----------------------------------------------------------------------------------------

    def match_at(self, words: Sequence[str], i: int) -> DateMatch | None:
        """The date expression starting at ``words[i]``, or None."""
        t = self.t
        procl = t.numerals.proclitics
        qualifier = None
        prefix = 0
        q = t.qual_before.match(words, i, procl)
        if q is not None and t.months.match(words, i, procl) is None:  # ربيع الأول is a month, ربيع عام 615 a season
            part = self._part(words, q[0], clitics=False)
            if part is None:
                return None
            qualifier, prefix = q[1], q[2]
        else:
            part = self._part(words, i, clitics=True)
            if part is None:
                return None
            prefix = part.prefix
        cal = part.calendar(t.default_era)
        if not self._acceptable(part, cal):
            return None
        parts = [(part, cal)]
        end = part.end
        if end < len(words) and words[end] in t.dual_marks:
            second = self._part(words, end + 1, clitics=False)
            if second is not None:
                cal2 = second.calendar(OTHER_CALENDAR.get(cal, t.default_era))
                if cal2 != cal:
                    parts.append((second, cal2))
                    end = second.end
        if qualifier is None:
            qa = t.qual_after.match(words, end)
            if qa is not None:
                qualifier, end = qa[1], qa[0]
        return DateMatch(i, end, self._value(parts, qualifier), prefix)

    def _acceptable(self, p: _Part, cal: str) -> bool:
        if not p.anchored or p.year is None or p.year > 9999:  # ISO dates and TEI @when stop at four digits
            return False
        if p.century:
            return 1 <= p.year <= 30
        return p.era is not None or p.month is not None or p.long_year or p.year >= self.t.min_unmarked_year

    @staticmethod
    def _value(parts: list[tuple[_Part, str]], qualifier: str | None) -> dict[str, Any]:
        value: dict[str, Any] = {"hijri": None, "hijri_end": None, "ce": None, "ce_end": None, "qualifier": qualifier}
        for p, cal in parts:
            if p.century:
                first, last = (p.year - 1) * 100 + 1, (p.year_end or p.year) * 100
                start, end = str(first), str(last)
                value["century"] = p.year
                if p.year_end:
                    value["century_end"] = p.year_end
            else:
                month = p.month[1] if p.month else p.numeric_month
                start = _fmt(p.year, month, p.day if month else None)
                end = str(p.year_end) if p.year_end else None
            if cal in ("hijri", "ce"):
                value[cal], value[cal + "_end"] = start, end
            else:
                value["era"], value["era_date"], value["era_date_end"] = cal, start, end
        return value

    def find(self, words: Sequence[str], taken: Callable[[int], bool] = lambda i: False) -> list[DateMatch]:
        """Every date in ``words``, left to right, longest first, never overlapping."""
        out: list[DateMatch] = []
        # Most words cannot start a date and were seen before: one pass keeps the rest (and the unseen) as
        # candidates, so the loop below runs on a few percent of the tokens.
        memo = self._could_start
        seen = memo.get
        candidates = [i for i, w in enumerate(words) if seen(w, True)]
        unseen = {words[i] for i in candidates}.difference(memo)
        if unseen:  # a new document: each new form is tested once, then the candidates are filtered again
            for w in unseen:
                self.could_start(w)
            candidates = [i for i in candidates if memo[words[i]]]
        i = 0
        for c in candidates:
            if c < i or taken(c):
                continue
            hit = self.match_at(words, c)
            if hit is not None:
                out.append(hit)
                i = hit.end
        return out
