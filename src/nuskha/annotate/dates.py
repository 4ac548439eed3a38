"""Date recogniser: every date or year expression, whole, with its value, Gregorian span and calendar checks.

The grammar is :mod:`nuskha.core.dates` with the document language's tables; the annal context (years for
"هذه السنة", "وفيها في شوال", "سنة اثنتي عشرة") is :mod:`nuskha.core.annals`; conversion and the checks are
:mod:`nuskha.core.calendar`. Each mention's ``value`` holds the ANNOTATION.md fields (``hijri``, ``hijri_end``,
``ce``, ``ce_end``, ``qualifier``; ``century``) and, computed:

``gregorian``/``gregorian_end``
    proleptic Gregorian ISO (TEI ``@when``, or ``@notBefore``/``@notAfter``), None when the date is impossible.
    A date given in the Hijri calendar alone is widened by a day at both ends (tabular vs observed months)
    unless a written weekday pins the day.
``check``
    the dual-date check (``{"status", "detail"[, "as_gregorian"]}``), None when one calendar is given and the
    date is possible.
``weekday``, ``weekday_check``
    the weekday as written (``tuesday``) and ``{"status": consistent|off_by_one|inconsistent, "detail",
    "offset"}`` against the tabular calendar.
``inferred``
    present when the year came from the context: ``{"year", "year_from": heading|entered|annal|apposition|named|
    metadata|event|death, "from_year", "from_start", "from_text"[, "across_new_year"]}``; the mention's ``note``
    says the same in words. ``event``/``death``: no heading and no year in the text, the annal was dated by an event
    or a death of the period chronology it reports (:class:`_Reports`); certainty 0.6.
    A relative date whose year nothing gives keeps ``hijri`` None and says so in ``partial`` and the note. An
    excerpt whose annal heading was cut off can declare it in its metadata sidecar: ``{"annal_year": 616}``.
``other_era``, ``converted``, ``calendar``
    a year of another era as written (``{"era": "seleucid", "year": 1514}``), the Hijri and Julian years it
    covers (``{"hijri": "599", "hijri_end": "600", "ce": "1202", "ce_end": "1203"}``) and the era's name.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import replace
from functools import lru_cache
from operator import attrgetter

from ..core.annals import YearSource, date_by_reports, facts_reported, resolve_years
from ..core.dates import _fmt
from ..core.bulk import collection_paused
from ..core.calendar import check, converted, uncertain_span, weekday_check
from ..core.phrases import clitic_splits
from ..document import PUNCT, Document, Mention
from .tables import after_clitic, date_grammar, normalizer, table, token_words

SOURCE = "rule:dates"
#: Punctuation that ends a sentence: a date right after it (or its "وفي") opens the sentence.
_SENTENCE_END = frozenset(".!?؟:؛")


#: Punctuation that ends a sentence when an annal is dated by what it reports (the newline ends one too).
_REPORT_SENTENCE_END = frozenset(".!?؟؛\n")
#: Punctuation that ends a clause: an event's place and its verb stand in one clause ("فاستولوا على بخارى").
_CLAUSE_END = frozenset("،,؛;")
#: A section title ("ذكر ظهور التتر") is a short line with no punctuation; it opens a new story, maybe a new year.
_TITLE_PUNCT = frozenset(".،,:؛!?؟")
_TITLE_MAX_WORDS = 12
#: Certainty of a date whose year comes from the period chronology rather than from the text.
_REPORTED_CERT = 0.6


def _cues(lang: str) -> dict[str, frozenset[str]]:
    data = (table(lang, "months.json") or table(lang, "dates.json") or {}).get("annal_cues", {})
    norm = normalizer(lang)
    return {key: frozenset(norm(w) for w in data.get(key, ())) for key in
            ("entry_words", "sentence_words", "apposition_words", "death_words", "event_words")}


def _is_title(line: str) -> bool:
    line = line.strip()
    return bool(line) and _TITLE_PUNCT.isdisjoint(line) and len(line.split()) <= _TITLE_MAX_WORDS


_REPORT_SENTENCE_END_RE = re.compile("[" + re.escape("".join(sorted(_REPORT_SENTENCE_END))) + "]")


def _title_lines(text: str) -> list[int]:
    """Start offsets of the section title lines of ``text`` (:func:`_is_title`); their ends are found again."""
    starts, pos = [], 0
    for line in text.split("\n"):
        if _is_title(line):
            starts.append(pos)
        pos += len(line) + 1
    return starts


#: A token's start, read in C (a bisection key, called some twenty times per search).
_token_start = attrgetter("start")


class _Reports:
    """Dates an annal whose heading is missing by what it reports (:func:`nuskha.core.annals.date_by_reports`):
    built only when a date has no annal and no year on its line, so a book with headings never pays for it."""

    def __init__(self, doc: Document, spans, hits, words: list[str], cues, procl):
        self.doc, self.spans, self.hits, self.words = doc, spans, hits, words
        self.death_words, self.event_words, self.procl = cues["death_words"], cues["event_words"], procl
        self.named: list[tuple[int, int, str]] | None = None  # the entity mentions with a ref, on first use
        self.named_starts: list[int] = []
        self.sections: dict[tuple[int, int], list[tuple[int, int, list]]] = {}
        self.established: dict[tuple[int, int], YearSource] = {}  # section -> the annal "هذه السنة" dated
        self.titles: list[int] | None = None  # where each section title line starts, on first use
        self.title_ends: list[int] = []

    def _section(self, pos: int) -> tuple[int, int]:
        """The stretch between the section titles around ``pos`` (or the text's ends)."""
        if self.titles is None:  # one pass over the lines, then a bisection per date: a book has thousands
            self.titles = _title_lines(self.doc.text)
            self.title_ends = [e if (e := self.doc.text.find("\n", t)) >= 0 else len(self.doc.text)
                               for t in self.titles]
        starts, text = self.titles, self.doc.text
        line = text.rfind("\n", 0, pos) + 1  # the date's own line belongs to its section, even as a title
        before, upto = bisect_left(starts, line), bisect_right(starts, line)
        lo = self.title_ends[before - 1] + 1 if before else 0
        return lo, starts[upto] - 1 if upto < len(starts) else len(text)

    def _sentences(self, lo: int, hi: int) -> list[tuple[int, int, list]]:
        """``(start, end, facts reported)`` of each sentence in ``text[lo:hi]``."""
        key = (lo, hi)
        if key not in self.sections:
            out, start = [], lo
            for m in _REPORT_SENTENCE_END_RE.finditer(self.doc.text, lo, hi):
                if m.start() > start:
                    out.append((start, m.start(), self._facts(start, m.start())))
                start = m.end()
            if hi > start:
                out.append((start, hi, self._facts(start, hi)))
            self.sections[key] = out
        return self.sections[key]

    def _facts(self, start: int, end: int) -> list:
        if self.named is None:
            self.named = sorted((m.start, m.end, m.ref) for m in self.doc.mentions
                                if m.ref and m.type in ("person", "place", "group"))
            self.named_starts = [m[0] for m in self.named]
        a, b = bisect_left(self.named_starts, start), bisect_left(self.named_starts, end)
        named = [(s, ref) for s, e, ref in self.named[a:b] if e <= end]
        if not named:
            return []
        tokens = self.doc.tokens
        t0, t1 = bisect_left(tokens, start, key=_token_start), bisect_right(tokens, end, key=_token_start)
        dying, taken, clause, acts = False, set(), set(), False
        for tok, w in zip(tokens[t0:t1] + [None], self.words[t0:t1] + [""]):
            if tok is None or tok.text in _CLAUSE_END:  # a clause ends: its places were taken if a verb said so
                if acts:
                    taken |= clause
                clause, acts = set(), False
                continue
            forms = {f for f, _ in clitic_splits(w, self.procl)}
            dying = dying or not forms.isdisjoint(self.death_words)
            acts = acts or not forms.isdisjoint(self.event_words)
            clause.update(ref for s, ref in named if tok.start <= s < tok.end)
        return facts_reported({ref for _, ref in named}, dying, taken)

    def __call__(self, k: int) -> YearSource | None:
        start = self.spans[k][0]
        section = self._section(start)
        sentences = self._sentences(*section)
        own = next((facts for s, e, facts in sentences if s <= start < e), [])
        pending = self.hits[k].pending
        established = self.established.get(section)
        if not own and established is not None:  # "وفي هذه السنة توفي X" said which year this section is
            return established
        found = date_by_reports(own, [(s, facts) for s, _, facts in sentences], pending.month if pending else None)
        if found is None:
            return None
        fact, scope = found
        at = next((s for s, _, facts in sentences if fact in facts), start)
        source = YearSource(fact.year, fact.kind, at,
                            f"{fact.label} ({_fmt(fact.year, fact.month)} AH; {fact.evidence}), {scope}")
        if own and pending is not None and pending.kind == "relative" and pending.offset == 0:
            # "this year" reported with the event: the section's annal, for its later dates without a report
            self.established[section] = YearSource(
                source.year, source.how, at, f"{fact.label} ({_fmt(fact.year, fact.month)} AH; {fact.evidence}), "
                f"reported with '{self.doc.text[start:self.spans[k][1]]}' earlier in its section")
        return source


def _opens_sentence(doc: Document, k: int) -> bool:
    """Whether token ``k`` is the first of the text, of a line, or follows sentence-final punctuation."""
    if k == 0:
        return True
    prev = doc.tokens[k - 1]
    return "\n" in doc.text[prev.end:doc.tokens[k].start] or (prev.kind == PUNCT and prev.text in _SENTENCE_END)


def _role(doc: Document, words: list[str], hit, start: int, end: int, cues, procl) -> str | None:
    """How a date with a full year marks the annal: ``heading`` (alone on its line), ``entered`` ("ثم دخلت
    سنة"), ``apposition`` ("وفيها أعني سنة"), ``annal`` (a sentence opening "وفي سنة"), or None."""
    text = doc.text
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    if not text[line_start:start].strip(" \t\u200f\u200eوف") and not text[end:line_end].strip(" \t.:،؛\u200f\u200e"):
        return "heading"
    i = hit.start
    if i == 0:
        return "annal"
    before = {w for w, _ in clitic_splits(words[i - 1], procl)}
    if before & cues["entry_words"]:
        return "entered"
    if before & cues["apposition_words"]:
        return "apposition"
    if before & cues["sentence_words"] and _opens_sentence(doc, i - 1):
        return "annal"
    return None


@lru_cache(maxsize=1 << 14)
def _computed(hijri, hijri_end, ce, ce_end, weekday, other):
    """``(converted, weekday check, (gregorian, gregorian_end), dual-date check)`` of a date's calendar fields:
    pure, and asked again for every "هذه السنة" of one annal, so remembered (the callers copy the dicts)."""
    value = {"hijri": hijri, "hijri_end": hijri_end, "ce": ce, "ce_end": ce_end, "weekday": weekday}
    if other is not None:
        value["other_era"] = {"era": other[0], "year": other[1], "year_end": other[2]}
    wcheck = weekday_check(value)
    return (converted(value) if other is not None else None), wcheck, uncertain_span(value, wcheck), check(value)


@collection_paused
def recognise(doc: Document) -> None:
    """Append a ``date`` mention for every date expression in ``doc``."""
    grammar = date_grammar(doc.lang)
    if grammar is None or not doc.tokens:
        return
    tokens = doc.tokens
    words = token_words(tokens)
    hits = grammar.find(words)
    if not hits:
        return
    cues = _cues(doc.lang)
    procl = grammar.t.numerals.proclitics
    spans, roles, links = [], [], []
    for n, hit in enumerate(hits):
        start = after_clitic(tokens[hit.start], hit.prefix)
        end = tokens[hit.end - 1].end
        spans.append((start, end))
        other = converted(hit.value) if "other_era" in hit.value else None
        if other is not None and hit.year is None:  # an annal named in another era sets the Hijri annal
            hits[n] = hit = replace(hit, year=int(other["hijri"]))
        # Only a full year (or one whose hundreds are left out) can mark an annal; only two bare months a range.
        pending = hit.pending
        marks = hit.year is not None or (pending is not None and pending.kind == "short")
        roles.append(_role(doc, words, hit, start, end, cues, procl) if marks else None)
        links.append(pending is not None and pending.kind == "bare" and n > 0 and hits[n - 1].pending is not None
                     and hits[n - 1].end + 1 == hit.start and grammar.joins_range(words, hits[n - 1], hit))
    first = doc.meta.get("annal_year")
    first = first if isinstance(first, int) and not isinstance(first, bool) else None
    text = doc.text
    # A language without words for dying or taking (no annal cues) has no way to date an annal by its reports.
    reported = _Reports(doc, spans, hits, words, cues, procl) if cues["death_words"] or cues["event_words"] \
        else None
    resolved = resolve_years(hits, roles, [s for s, _ in spans], [text[s:e] for s, e in spans], links, first,
                             lambda a, b: text.find("\n", a, b) < 0, reported)
    for hit, (start, end), done in zip(hits, spans, resolved):
        value = dict(hit.value)
        note = None
        if done is not None:
            value.update(done.fields)
            value["inferred"] = done.inferred
            note = done.note
        elif hit.pending is not None and hit.pending.kind != "short":
            p = hit.pending
            value["partial"] = {"calendar": p.calendar, "month": p.month, "day": p.day, "year_offset": p.offset}
            note = "year not inferred: no annal year or full year named before it"
        other = value.get("other_era")
        conv, wcheck, span, dual = _computed(
            value.get("hijri"), value.get("hijri_end"), value.get("ce"), value.get("ce_end"), value.get("weekday"),
            (other["era"], other["year"], other.get("year_end")) if other else None)
        if other:
            if conv is not None:
                value["converted"] = dict(conv)
            value["calendar"] = other["era"]
        if wcheck is not None:
            value["weekday_check"] = dict(wcheck)
        value["gregorian"], value["gregorian_end"] = span
        value["check"] = dict(dual) if dual else None
        cert = 0.5 if value["check"] and value["check"]["status"] == "invalid" else 0.9
        if done is not None or hit.pending is not None:
            cert = min(cert, 0.8)
        if done is not None and done.inferred["year_from"] in ("event", "death"):
            cert = min(cert, _REPORTED_CERT)  # the year is the period chronology's, not the text's
        doc.mentions.append(Mention(start, end, doc.text[start:end], "date", None, value, SOURCE, cert, note))
