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
from itertools import compress, repeat
from typing import Any, Callable, Sequence

import regex

from .numbers import NumeralTable, parse_at
from .phrases import PhraseTable, clitic_splits, may_strip_to, strips_to

Normalizer = Callable[[str], str]

_DIGITS = regex.compile(r"^\p{Nd}{1,4}$")
_DIGITS_SUFFIX = regex.compile(r"^(\p{Nd}{1,4})-(\p{L}[\p{L}.]*)$")
_ROMAN = regex.compile(r"^(?=[MDCLXVI])M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$")
_ROMAN_VALUES = {"M": 1000, "D": 500, "C": 100, "L": 50, "X": 10, "V": 5, "I": 1}
#: Every table kind :meth:`DateGrammar._kinds` knows: a part that starts after a qualifier asks them all.
_ALL_KINDS = frozenset({"day_words", "weekdays", "days", "months", "relative"})
#: How far after a number word the anchor of a date starting with it can be: the longest number (ألف ومائتين
#: وخمسة وثلاثين), a range of two (- ستمائة وعشرين), then the era; or a counted day (لثلاث عشرة ليلة بقيت).
_ANCHOR_REACH = 16
#: What :meth:`DateGrammar._test_start` says of a word: no date starts here; one may; one may if the next word
#: could start one too (a weak start: هذه, يوم, سنة); one may if an anchor word follows within reach (a number).
NO_START, START, WEAK_START, NUMBER_START = 0, 1, 2, 3
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
    weekdays: PhraseTable = PhraseTable({})
    day_words: PhraseTable = PhraseTable({})
    counted_after: PhraseTable = PhraseTable({})
    counted_units: PhraseTable = PhraseTable({})
    relative_years: PhraseTable = PhraseTable({})
    bare_year_words: PhraseTable = PhraseTable({})
    month_cues: frozenset[str] = frozenset()
    year_month_links: PhraseTable = PhraseTable({})
    month_words_after: PhraseTable = PhraseTable({})
    counted_from_end: int = 30
    counted_clitics: tuple[str, ...] = ()
    short_years: bool = False

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
            weekdays=table("weekdays"), day_words=table("day_words_before"),
            counted_after=table("counted_day_verbs"), counted_units=table("counted_day_units"),
            relative_years=table("relative_years"), bare_year_words=table("bare_year_words"),
            month_cues=frozenset(normalize(w) for w in dates.get("bare_month_cues", ())),
            year_month_links=table("year_month_links"), month_words_after=table("month_words_after"),
            counted_from_end=int(dates.get("counted_from_end", 30)),
            counted_clitics=tuple(map(normalize, dates.get("counted_day_clitics", ()))),
            short_years=bool(dates.get("short_years", False)),
        )


@dataclass(frozen=True, slots=True)
class Pending:
    """What a date leaves for its context to say: the year of a relative date (``offset`` from the annal year:
    ``هذه السنة`` 0, ``السنة الماضية`` -1), of a month or day alone (``offset`` 0, ``bare``), or the hundreds of a
    year written without them (``short``: ``سنة اثنتي عشرة`` in the 600s)."""

    calendar: str
    kind: str  # "relative" | "bare" | "short"
    offset: int = 0  # relative: years from the annal year; short: the year as written (< 100)
    month: int | None = None
    day: int | None = None


@dataclass(frozen=True, slots=True)
class DateMatch:
    """A date over ``words[start:end]``; ``prefix`` characters of the first word's normal form are a proclitic.

    ``pending`` is set when the year must come from the context (:mod:`nuskha.core.annals`); ``year`` is the
    full year the expression states in the default calendar, if any (an annal heading or a year named)."""

    start: int
    end: int
    value: dict[str, Any]
    prefix: int = 0
    pending: Pending | None = None
    year: int | None = None


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
    word_year: bool = False  # the year is written in words (its hundreds may be left out)
    relative: int | None = None  # هذه السنة: years from the annal year
    weekday: str | None = None
    qualifier: str | None = None  # from a day word (صبيحة: morning) or a qualifier after the year (أواخر رجب)
    day_word: bool = False
    month_named: bool = False  # a month word follows the month (қыркүйек айында): no cue needed

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
        # Weak starts are common words (هذه, يوم, ليلة) that begin a date only before certain words: a candidate
        # at one of them is kept only when the next word could start a date too or ends a relative year.
        self._weak_starts = frozenset().union(
            t.weekdays.first_words(), t.day_words.first_words(), t.relative_years.first_words(),
            (w for w in t.counted_units.first_words() if t.counted_units.get(w))).difference(self._starts)
        self._weak_follows = frozenset(w for phrase in t.relative_years._entries for w in phrase[1:2]).union(
            t.counted_after.first_words())  # لليلة خلت
        self._counted_verbs = t.counted_after.first_words()
        self._could_start: dict[str, int] = {}
        self._first_words = {
            "day_words": t.day_words.first_words(), "weekdays": t.weekdays.first_words(),
            "days": t.ordinals.first_words() | t.counted_units.first_words() | frozenset(t.numerals.words),
            "months": t.months.first_words() | t.month_words.first_words(),
            "relative": t.relative_years.first_words()}
        self._kinds_memo: dict[str, frozenset[str]] = {}
        # Words that can open a month after a year (في, أوائل, an ordinal, a month): tested before parsing it.
        self._after_year = frozenset().union(t.year_month_links.first_words(), t.qual_before.first_words(),
                                             t.ordinals.first_words(), t.months.first_words(),
                                             t.month_words.first_words())
        # A date that starts with a number word (not an ordinal) is a year anchored by an era or a year word
        # after it, or a day counted in nights (لثمان خلون): one of these words follows within reach.
        self._anchors = frozenset().union(t.counted_after.first_words(), t.eras.first_words(),
                                          t.year_after.first_words(), t.century_after.first_words())
        self._not_number_firsts = frozenset().union(
            t.months.first_words(), t.month_words.first_words(), t.year_before.first_words(),
            t.century_before.first_words(), t.qual_before.first_words(), t.ordinals.first_words())
        # A year or century word (سنة, القرن) begins a date only before its number, or a relative year (السنة
        # المذكورة): the next word must be able to start a date or continue a relative year. Exact only where a
        # year's first word is always a start word (no numeral endings: Kazakh writes years in digits).
        self._year_words = t.year_before.first_words() | t.century_before.first_words()
        self._year_words_weak = not (t.numerals.suffixes and t.word_years)

    def could_start(self, word: str) -> bool:
        """False when no date can start at ``word`` (most words): a filter, not a parse. Memoised per word
        form: it runs on every token of a book, and a book has ten times fewer forms than tokens."""
        hit = self._could_start.get(word)
        if hit is None:
            hit = self._could_start[word] = self._test_start(word)
        return bool(hit)

    def _may_start(self, words: set[str]) -> set[str] | list[str]:
        """Of a document's new word forms, the few that :meth:`_test_start` may find a start in (the others are
        no start): forms that begin with a digit or spell a start or weak start word, less at most two
        proclitics (:func:`may_strip_to`). All of them where Roman numerals count, which no such test finds."""
        t = self.t
        if t.roman:
            return words
        folded = list(map(str.casefold, words)) if t.casefold else list(words)
        maybe = may_strip_to(folded, t.numerals.proclitics, self._starts | self._weak_starts)
        return [w for w, f in zip(words, folded) if f in maybe] if t.casefold else maybe

    def _test_start(self, word: str) -> int:
        """0: no date starts here; 1: one may; 2: one may if the next word agrees (a weak start)."""
        w = word.casefold() if self.t.casefold else word
        if w[:1].isdigit():
            return START
        procl = self.t.numerals.proclitics
        if w in self._starts or (procl and w.startswith(procl) and strips_to(w, procl, self._starts)):
            if self.t.roman and roman_value(word.partition("-")[0], self.t.roman) is not None:
                return START
            return self._strong_start(w)
        if self.t.roman and roman_value(word.partition("-")[0], self.t.roman) is not None:
            return START
        if w in self._weak_starts or (procl and w.startswith(procl) and strips_to(w, procl, self._weak_starts)):
            return WEAK_START
        return NO_START

    def _strong_start(self, w: str) -> int:
        """A start word's code: ``NUMBER_START`` when every reading of it (proclitics off) that starts a date
        is a number word, ``WEAK_START`` when every one is a year or century word, else ``START``."""
        forms = {f for f, _ in clitic_splits(w, self.t.numerals.proclitics)}
        if not forms.isdisjoint(self._weak_starts):  # وليلة: a reading that starts a date by itself
            return START
        forms &= self._starts
        if forms.isdisjoint(self._not_number_firsts):
            return NUMBER_START
        if self._year_words_weak and forms <= self._year_words:
            return WEAK_START
        return START

    def _kinds(self, word: str) -> frozenset[str]:
        """The tables a date's first word can begin, its proclitics off; memoised per form."""
        hit = self._kinds_memo.get(word)
        if hit is None:
            w = word.casefold() if self.t.casefold else word
            forms = {f for f, _ in clitic_splits(w, self.t.numerals.proclitics)}
            hit = frozenset(name for name, firsts in self._first_words.items() if forms & firsts)
            if any(f[:1].isdigit() for f in forms):
                hit |= {"days"}
            if len(self._kinds_memo) < 1 << 16:
                self._kinds_memo[word] = hit
        return hit

    def _weak_start_holds(self, words: Sequence[str], c: int) -> bool:
        if c + 1 >= len(words):
            return False
        nxt = words[c + 1]
        return nxt in self._weak_follows or self.could_start(nxt)

    # -- pieces ---------------------------------------------------------------------------------------------

    def _digits(self, words: Sequence[str], k: int) -> int | None:
        if k >= len(words) or not words[k][:1].isdigit():  # most words: no regex needed
            return None
        return int(words[k]) if _DIGITS.match(words[k]) else None

    def _month_at(self, words: Sequence[str], k: int, proclitics: Sequence[str]):
        """``(end, (calendar, n), prefix)`` for ``[month-word] month`` at ``k``."""
        t = self.t
        mw = t.month_words.match(words, k, proclitics)
        if mw is not None:
            hit = t.months.match(words, mw[0])
            if hit is not None:
                return hit[0], hit[1], mw[2]
        hit = t.months.match(words, k, proclitics)
        if hit is None and t.month_suffixes and k < len(words):  # Kazakh: мамырда, қыркүйекте
            month = self._suffixed_month(words[k])
            if month is not None:
                return k + 1, month, 0
        return hit

    def _suffixed_month(self, word: str):
        """``(calendar, n)`` of a month name with a case ending (``ақпанында``), or None."""
        word = word.casefold() if self.t.casefold else word
        for x in self.t.month_suffixes:
            if word.endswith(x) and len(word) > len(x):
                hit = self.t.months.get(word[:-len(x)])
                if hit is not None:
                    return hit
        return None

    def _counted_day_at(self, words: Sequence[str], k: int, proclitics: Sequence[str]):
        """``(end, day, prefix)`` for a day counted in nights: ``لثمان خلون من`` (8th), ``لثلث بقين من`` (27th:
        the month is counted as 30 days), ``لليلة خلت من`` (1st). The count may carry a proclitic (``ل``)."""
        t = self.t
        verbs = self._counted_verbs
        if not verbs or verbs.isdisjoint(words[k + 1:k + 6]):  # most numbers count no nights
            return None
        unit = t.counted_units.match(words, k, t.numerals.proclitics)
        if unit is not None and unit[1]:  # لليلة, لليلتين: the noun is its own count
            end, count, prefix = unit
        else:
            num = parse_at(words, k, t.numerals)
            if num is None or num.flags or not 1 <= num.value <= 30:
                return None
            end, count, prefix = num.end, num.value, num.prefix
            unit = t.counted_units.match(words, end)
            if unit is not None:
                end = unit[0]
        verb = t.counted_after.match(words, end)
        if verb is None:
            return None
        end = verb[0]
        link = t.day_links.match(words, end)
        if link is not None:
            end = link[0]
        day = count if verb[1] == "start" else t.counted_from_end - count
        # The dating ل (لثمان) is part of the expression; only a conjunction before it (ولثمان) stays outside.
        head = words[k][:prefix]
        for clitic in t.counted_clitics:
            if head.endswith(clitic):
                prefix -= len(clitic)
                break
        if prefix and not proclitics:
            return None
        return (end, day, prefix) if 1 <= day <= 30 else None

    def _day_at(self, words: Sequence[str], k: int, proclitics: Sequence[str]):
        """``(end, day, prefix)`` for a day before a month: counted nights, digits, or an ordinal (+ link)."""
        t = self.t
        hit = self._counted_day_at(words, k, proclitics)
        if hit is not None:
            return hit if self._month_at(words, hit[0], ()) is not None else None
        d = self._digits(words, k)
        if d is not None and 1 <= d <= 31 and self._month_at(words, k + 1, ()) is not None:
            return k + 1, d, 0
        hit = t.ordinals.match(words, k, proclitics)
        if hit is not None:
            after = hit[0]
            link = t.day_links.match(words, after)
            if link is not None:
                after = link[0]
            if self._month_at(words, after, ()) is not None:
                return after, hit[1], hit[2]
        return None

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
        # Which tables the first word (its proclitics off) can begin: the others are not asked (a speed-up).
        kinds = self._kinds(words[i]) if clitics else _ALL_KINDS
        # a day word and a weekday: يوم الثلثاء, ليلة الاثنين, صبيحة يوم الجمعة (kept inside the span)
        dw = t.day_words.match(words, k, procl) if "day_words" in kinds else None
        if dw is not None and self._counted_day_at(words, k, procl) is not None:
            dw = None  # لليلة خلت: the night is counted, not named
        if dw is not None:
            p.prefix, p.day_word, k = dw[2], True, dw[0]
            p.qualifier = dw[1] or None
        wd = t.weekdays.match(words, k, procl if k == i else ()) if k > i or "weekdays" in kinds else None
        if wd is not None:
            if k == i:
                p.prefix = wd[2]
            p.weekday, k = wd[1], wd[0]
        # day: counted nights, digits or an ordinal (+ link word), only when a month follows
        day = self._day_at(words, k, procl if k == i else ()) if k > i or "days" in kinds else None
        if day is not None:
            if k == i:
                p.prefix = day[2]
            p.day, k = day[1], day[0]
        elif p.day_word or p.weekday:
            return None  # a weekday alone (يوم الجمعة) is no date
        month = self._month_at(words, k, procl if k == i else ()) if k > i or "months" in kinds else None
        if month is not None:
            if k == i:
                p.prefix = month[2]
            p.month, p.anchored, k = month[1], True, month[0]
            named = t.month_words_after.match(words, k)  # қыркүйек айында: the month named as a month
            if named is not None:  # the case ending closes the phrase: a number after it is no year
                p.month_named, p.end = True, named[0]
                return p
            link = t.day_links.match(words, k)  # في المحرم من سنة 617, رابع ذي الحجة من هذه السنة
            after = link[0] if link is not None else k
            rel = t.relative_years.match(words, after)
            if rel is not None:
                p.relative, p.end = rel[1], rel[0]
                return p
            if link is not None and t.year_before.match(words, link[0]) is not None:
                k = link[0]
        elif k == i and "relative" in kinds:
            rel = t.relative_years.match(words, k, procl)
            if rel is not None:  # هذه السنة, السنة المذكورة
                p.prefix, p.relative, p.anchored, p.end = rel[2], rel[1], True, rel[0]
                return p
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
            if p.month is not None and yw is not None and t.bare_year_words.match(words, k - 1) is not None \
                    and yw[0] == k:  # شوال من السنة: the year word alone is the annal's year
                p.relative, p.end = 0, k
                return p
            if p.month is not None and yw is None:  # a month (and day) alone: the year comes from the annal
                p.end = k
                return p
            return None
        if k == i:
            p.prefix = year[2]
        p.long_year = year[0] - k > 1
        p.word_year = not words[k][:1].isdigit()
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
        if (t.year_month_links and p.month is None and not p.century and p.year_end is None
                and p.era in (None, t.default_era)):
            k = self._month_after_word_year(words, k, p)
        p.end = k
        return p

    def _past_stray_stop(self, words: Sequence[str], k: int) -> int:
        """Past a full stop right after a qualifier (``أواخر. رجب``): a qualifier is a noun in construct and
        cannot end a sentence, so the stop is a slip of the copyist or the typist (kept inside the span)."""
        if k + 1 < len(words) and words[k] == "." and self._month_at(words, k + 1, ()) is not None:
            return k + 1
        return k

    def _month_after_word_year(self, words: Sequence[str], k: int, p: _Part) -> int:
        """Annal order: ``سنة اثنتي عشرة في شعبان``, ``سنة سبع عشرة وستمائة في أوائل المحرم``, ``سنة ثلث عشرة في
        العشرين من جمادى الآخرة`` -- [link] [qualifier] [day] month after the year."""
        t = self.t
        if k >= len(words) or (words[k] not in self._after_year and "days" not in self._kinds(words[k])):
            return k  # most years end the date
        j = k
        link = t.year_month_links.match(words, j)
        if link is not None:
            j = link[0]
        qualifier = None
        q = t.qual_before.match(words, j)
        if q is not None and t.months.match(words, j) is None:
            qualifier, j = q[1], self._past_stray_stop(words, q[0])
        day = self._day_at(words, j, ())
        if day is not None:
            j = day[0]
        month = self._month_at(words, j, ())
        if month is None or (link is None and qualifier is None and day is None):
            return k
        p.month, p.day = month[1], day[1] if day is not None else None
        if qualifier is not None:
            p.qualifier = qualifier
        return month[0]

    def _month_after_year(self, words: Sequence[str], k: int, p: _Part) -> int:
        """Kazakh order: ``1220 жылдың ақпанында``, ``1220 жылы 10 ақпанда`` -- [day] month with a case ending."""
        day = self._digits(words, k)
        j = k + 1 if day is not None and 1 <= day <= 31 else k
        if j >= len(words):
            return k
        hit = self.t.months.get(words[j].casefold() if self.t.casefold else words[j]) or \
            self._suffixed_month(words[j])
        if hit is None:
            return k
        p.month, p.day = hit, (day if j > k else None)
        after = self.t.month_words_after.match(words, j + 1)  # 2015 жылдың қазан айында
        return after[0] if after is not None else j + 1

    # -- an expression ----------------------------------------------------------------------------------------

    def match_at(self, words: Sequence[str], i: int) -> DateMatch | None:
        """The date expression starting at ``words[i]``, or None."""
        t = self.t
        procl = t.numerals.proclitics
        qualifier = None
        prefix = 0
        q = t.qual_before.match(words, i, procl)
        if q is not None and t.months.match(words, i, procl) is None:  # ربيع الأول is a month, ربيع عام 615 a season
            part = self._part(words, self._past_stray_stop(words, q[0]), clitics=False)
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
        if part.year is None and (cal != t.default_era or (
                part.relative is None and part.day is None and qualifier is None and not part.month_named
                and not self._month_cue(words, i, prefix))):
            return None  # a month alone (رجب, also a name) is a date after في/من/الى, not anywhere
        parts = [(part, cal)]
        end = part.end
        if part.year is None:  # relative or month alone: nothing else can follow
            pending = Pending(cal, "bare" if part.relative is None else "relative", part.relative or 0,
                              part.month[1] if part.month else None, part.day)
            value = self._value([], qualifier or part.qualifier)
            if part.weekday:
                value["weekday"] = part.weekday
            return DateMatch(i, end, value, prefix, pending)
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
        value = self._value(parts, qualifier or part.qualifier)
        if part.weekday:
            value["weekday"] = part.weekday
        pending = year = None
        if cal == t.default_era and not part.century:
            if t.short_years and part.word_year and part.year < 100 and part.year_end is None:
                pending = Pending(cal, "short", part.year, part.month[1] if part.month else None, part.day)
            else:
                year = part.year
        return DateMatch(i, end, value, prefix, pending, year)

    def _month_cue(self, words: Sequence[str], i: int, prefix: int) -> bool:
        """Whether the word before ``i`` (its proclitics off) is one that introduces a month (في, من, الى)."""
        if prefix or i == 0 or not self.t.month_cues:
            return False
        word = words[i - 1]
        return any(w in self.t.month_cues for w, _ in clitic_splits(word, self.t.numerals.proclitics))

    def _acceptable(self, p: _Part, cal: str) -> bool:
        if p.year is None:
            return p.relative is not None or p.month is not None
        if not p.anchored or p.year > 9999:  # ISO dates and TEI @when stop at four digits
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
            else:  # the year as written in its own era; converted ranges are added by the recogniser
                other: dict[str, Any] = {"era": cal, "year": p.year}
                if p.year_end:
                    other["year_end"] = p.year_end
                if start != str(p.year):
                    other["date"] = start
                value["other_era"] = other
        return value

    def joins_range(self, words: Sequence[str], first: DateMatch, second: DateMatch) -> bool:
        """Whether one word between two dates joins them as a range (``من شعبان الى جمادى الاولى``): the word
        is a month cue other than the one before the first date, which is ``من``-like (a day link)."""
        if first.end + 1 != second.start or first.start == 0:
            return False
        before = {w for w, _ in clitic_splits(words[first.start - 1], self.t.numerals.proclitics)}
        between = {w for w, _ in clitic_splits(words[first.end], self.t.numerals.proclitics)}
        links = {w for w in before if self.t.day_links.get(w)}
        return bool(links) and bool(between & self.t.month_cues) and not between & links

    def find(self, words: Sequence[str], taken: Callable[[int], bool] = lambda i: False) -> list[DateMatch]:
        """Every date in ``words``, left to right, longest first, never overlapping."""
        out: list[DateMatch] = []
        # Most words cannot start a date and were seen before: one pass keeps the rest (and the unseen) as
        # candidates, so the loop below runs on a few percent of the tokens.
        memo = self._could_start
        candidates = list(compress(range(len(words)), map(memo.get, words, repeat(True))))
        # (in C: in a new document nearly every token is a candidate)
        unseen = set(map(words.__getitem__, candidates)).difference(memo)
        if unseen:  # a new document: each new form is tested once, then the candidates are filtered again
            for w in self._may_start(unseen):
                self.could_start(w)
            memo.update(dict.fromkeys(unseen.difference(memo), NO_START))
            candidates = list(compress(candidates, map(memo.__getitem__, map(words.__getitem__, candidates))))
        anchors = self._anchors
        i = 0
        for c in candidates:
            if c < i or taken(c):
                continue
            code = memo[words[c]]
            if code == WEAK_START and not self._weak_start_holds(words, c):
                continue
            if code == NUMBER_START and anchors.isdisjoint(words[c + 1:c + _ANCHOR_REACH]):
                continue
            hit = self.match_at(words, c)
            if hit is not None:
                out.append(hit)
                i = hit.end
        return out
