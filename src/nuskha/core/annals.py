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

One mechanism for every language; the cue words come from the language's date table (``annal_cues``).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

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
    note = (f"{what} inferred: {year} from the {_HOW[source.how]} '{source.text}' (at {source.start})")
    return Resolved(year, fields, inferred, note)


#: Roles whose year is written in full even when under 100 (early annals: "ثم دخلت سنة اثنتين وثمانين").
_WRITTEN_IN_FULL = frozenset({"heading", "entered"})
_HOW = {"metadata": "document metadata", "heading": "annal heading", "entered": "annal heading", "annal": "annal opened by", "apposition":
        "annal named in apposition", "named": "last year named,"}


def resolve_years(hits: Sequence[DateMatch], roles: Sequence[str | None], starts: Sequence[int],
                  texts: Sequence[str], range_links: Sequence[bool] = (),
                  first_annal: int | None = None) -> list[Resolved | None]:
    """For each date hit (in text order), its completion from the annal context, or None.

    ``roles`` says for each hit whether it marks an annal (``heading``, ``entered``, ``annal``, ``apposition``)
    or not (None); ``starts``/``texts`` are the hits' character offsets and texts (for the notes);
    ``range_links[k]`` is True when hit k and hit k-1 are joined as "من X الى Y"; ``first_annal`` is the annal
    an excerpt opens in when its heading was cut off (the document's metadata ``annal_year``).
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
            base = annal or named
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
