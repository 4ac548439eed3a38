"""Annal context: which year each stretch of a chronicle belongs to, and the years it gives to dates that leave
theirs out.

Arabic annals name a year once -- a heading alone on its line ("سنة خمس عشرة وستمائة"), "ثم دخلت سنة …", a
sentence that opens with "وفي سنة …", an apposition "وفيها أعني سنة …" -- and then write "هذه السنة", "السنة
المذكورة", "وفيها في شوال", "رابع رجب سنة خمس عشرة" (the hundreds left out). :func:`resolve_years` walks the dates
of a document in order, keeps the annal year (set by those structural marks) and the last full year named
anywhere, and completes every pending date (:class:`~nuskha.core.dates.Pending`) from the annal year, or from
the last year named when no annal mark has been seen. Each completed date says where its year came from.

A range of bare months written "من شعبان الى جمادى الاولى" under the annal 600 runs across the new year when the
first month comes after the second in the year's order: the first month is then given the year before.

A year named in passing inside the narrative ("ثم ملكوا مراغة في صفر سنة 618") is a reference forward or back, not
a new annal: it completes a relative date only on its own line (paragraph), never the "وفيها" of a later one.
When an excerpt's heading was cut off and its text names no annal, the annal is dated by what it reports, as a
historian would (:func:`date_by_reports`): an event or a death of the period chronology
(``nuskha/data/period_dates.tsv``, from standard references) reported in the date's own sentence, else the first one
its section reports (a chronicler files a story under the year it begins). The note names the event and its
reference; otherwise the date stays without a year and says so.

One mechanism for every language; the cue words come from the language's date table (``annal_cues``).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Callable, Iterable, Sequence

from .dates import DateMatch, Pending, _fmt


@dataclass(frozen=True, slots=True)
class YearSource:
    """A year a date can take: ``year``, how it was set (``heading``, ``entered`` for "ثم دخلت سنة", ``annal``
    for a sentence opening "وفي سنة", ``apposition``, ``named`` for a year named in passing) and the expression
    that set it (its character offset and text)."""

    year: int
    how: str
    start: int
    text: str


@dataclass(frozen=True, slots=True)
class Resolved:
    """A pending date completed: its year, the fields to set in the value, and what to say about it."""

    year: int
    fields: dict[str, Any]
    inferred: dict[str, Any]
    note: str


def with_hundreds(short: int, base: int) -> int:
    """The year nearest ``base`` that ends in the two digits ``short`` (12 near 616 -> 612, 95 near 605 -> 595)."""
    century = base - base % 100
    return min((century - 100 + short, century + short, century + 100 + short), key=lambda y: (abs(y - base), y))


def complete(pending: Pending, source: YearSource, year: int | None = None) -> Resolved:
    """The value fields of ``pending`` with its year taken from ``source`` (or ``year`` when given: a range)."""
    if year is None:
        year = with_hundreds(pending.offset, source.year) if pending.kind == "short" else source.year + pending.offset
    what = "hundreds" if pending.kind == "short" else "year"
    fields = {pending.calendar: _fmt(year, pending.month, pending.day)}
    inferred = {"year": year, "year_from": source.how, "from_year": source.year, "from_start": source.start,
                "from_text": source.text}
    if source.how in _REPORTED:
        note = (f"{what} inferred: {year}, the annal dated by what it reports: {source.text} (at {source.start}); "
                "no annal heading or year in the text")
    else:
        note = f"{what} inferred: {year} from the {_HOW[source.how]} '{source.text}' (at {source.start})"
    return Resolved(year, fields, inferred, note)


#: Roles whose year is written in full even when under 100 (early annals: "ثم دخلت سنة اثنتين وثمانين").
_WRITTEN_IN_FULL = frozenset({"heading", "entered"})
_HOW = {"metadata": "document metadata", "heading": "annal heading", "entered": "annal heading", "annal": "annal opened by", "apposition":
        "annal named in apposition", "named": "last year named,"}
#: How an annal dated by what it reports got its year: an event or a death of the period chronology.
_REPORTED = frozenset({"event", "death"})


def resolve_years(hits: Sequence[DateMatch], roles: Sequence[str | None], starts: Sequence[int],
                  texts: Sequence[str], range_links: Sequence[bool] = (),
                  first_annal: int | None = None, same_line: Callable[[int, int], bool] | None = None,
                  reported: Callable[[int], YearSource | None] | None = None) -> list[Resolved | None]:
    """For each date hit (in text order), its completion from the annal context, or None.

    ``roles`` says for each hit whether it marks an annal (``heading``, ``entered``, ``annal``, ``apposition``)
    or not (None); ``starts``/``texts`` are the hits' character offsets and texts (for the notes);
    ``range_links[k]`` is True when hit k and hit k-1 are joined as "من X الى Y"; ``first_annal`` is the annal
    an excerpt opens in when its heading was cut off (the document's metadata ``annal_year``). ``same_line(a, b)``
    says whether two offsets stand on one line (paragraph): a year named in passing completes dates on its own
    line only (without it, on any).
    ``reported(k)``, asked only when no annal and no year on the line is known, dates hit k by what its annal
    reports (:func:`date_by_reports`).
    """
    annal: YearSource | None = None if first_annal is None else YearSource(first_annal, "metadata", 0, "annal_year")
    named: YearSource | None = None
    out: list[Resolved | None] = []
    for k, hit in enumerate(hits):
        role = roles[k]
        year = hit.year
        resolved = None
        if hit.pending is not None and hit.pending.kind == "short" and role in _WRITTEN_IN_FULL:
            year = hit.pending.offset  # a heading writes its year in full: "ثم دخلت سنة اثنتين وثمانين" is 82
        elif hit.pending is not None:
            base = annal
            if base is None and named is not None and (same_line is None or same_line(named.start, starts[k])):
                base = named
            if base is None and reported is not None:
                base = reported(k)
            if base is not None:
                resolved = complete(hit.pending, base)
                year = resolved.year if hit.pending.kind == "short" else None
                if (hit.pending.kind == "bare" and k and range_links and range_links[k] and out[k - 1] is not None
                        and hits[k - 1].pending is not None and hits[k - 1].pending.kind == "bare"):
                    _across_new_year(hits, out, k, base)
        out.append(resolved)
        if year is not None:
            source = YearSource(year, role or "named", starts[k], texts[k])
            named = source
            if role is not None:
                annal = source
    return out


@dataclass(frozen=True, slots=True)
class DatedFact:
    """An event or a death of the period chronology: its Hijri year (and month), who died or acted (authority
    refs), where (an event's place ref), what (``label``) and the reference it is taken from."""

    kind: str  # "death" | "event"
    year: int
    month: int | None
    who: frozenset[str]
    place: str | None
    label: str
    evidence: str


@cache
def period_facts() -> tuple[DatedFact, ...]:
    """The period chronology shipped with nuskha (``nuskha/data/period_dates.tsv``), read once."""
    text = resources.files("nuskha.data").joinpath("period_dates.tsv").read_text(encoding="utf-8")
    out = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        kind, hijri, who, place, label, evidence = line.split("\t")
        year, _, month = hijri.partition("-")
        out.append(DatedFact(kind, int(year), int(month) if month else None,
                             frozenset(r.strip() for r in who.split("|") if r.strip()), place.strip() or None,
                             label, evidence))
    return tuple(out)


def facts_reported(refs: Iterable[str], death_word: bool, places_taken: Iterable[str] = (),
                   facts: Sequence[DatedFact] | None = None) -> list[DatedFact]:
    """The facts one sentence reports: an event when one of its agents is named in the sentence (``refs``) and
    its place in a clause with a word for taking or fighting (``places_taken``: "فاستولوا على بخارى", "وقعة
    حطين"; an army that only passes by a town takes nothing), a death when the one who died is named in a
    sentence with a word for dying (``death_word``)."""
    refs, places_taken = set(refs), set(places_taken)
    if not refs:
        return []
    return [f for f in (period_facts() if facts is None else facts) if not f.who.isdisjoint(refs)
            and (f.place in places_taken if f.kind == "event" else death_word)]


def date_by_reports(own: Sequence[DatedFact], section: Sequence[tuple[int, Sequence[DatedFact]]],
                    month: int | None = None) -> tuple[DatedFact, str] | None:
    """The fact that dates an annal with no year written: one reported in the date's own sentence (``own``; the
    one in the date's ``month`` first), else the first one its section reports (``section``: ``(offset, facts)``
    per sentence, in text order; a chronicler files a story under the year it begins, so later facts in the
    section are told ahead and earlier sections' facts belong to their own years). With the scope it came from."""
    if own:
        same_month = [f for f in own if month is not None and f.month == month]
        return (same_month or list(own))[0], "in the same sentence"
    for _, facts in section:
        if facts:
            return facts[0], "the first dated report of its section"
    return None


def _across_new_year(hits: Sequence[DateMatch], out: list[Resolved | None], k: int, base: YearSource) -> None:
    """"من شعبان الى جمادى الاولى" under one annal: the first month, later in the year's order than the second,
    belongs to the year before; its completion is redone and says so."""
    first, second = hits[k - 1].pending, hits[k].pending
    if first.month is None or second.month is None or first.month <= second.month:
        return
    prev = out[k - 1]
    redone = complete(first, base, prev.year - 1)
    note = redone.note + f"; a range running into month {second.month}: the year before the annal's"
    out[k - 1] = Resolved(redone.year, redone.fields, {**redone.inferred, "across_new_year": True}, note)
