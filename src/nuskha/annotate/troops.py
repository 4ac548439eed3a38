"""Troop-figure recogniser: counts of soldiers, horsemen, men, elephants, and of an embassy's or caravan's members.

One mechanism for every language; the document language's ``troops.json`` and ``numerals.json`` supply the words.
A figure is a number (:mod:`nuskha.core.numbers`) that is

* followed by a unit noun (``اربعمائة الف جندي``, ``عشرون فيلا``, ``жиырма мың әскер``), or
* followed by a partitive link and a person noun (``ثلاثة من التجار``, ``أربعة من كبار تجار المسلمين``), or
* followed by a plural group noun in a military context (``300-дей түркілерден``), or
* large (``min_implicit``) or hedged, in a military context, and not followed by another kind of unit
  (``ستون الفاً``, ``ما يقارب سبعين الفا``: a figure with no unit noun in a military context is soldier);

or a dual unit noun on its own (``جنديان``). Durations and ordinary counts (``خمسة اشهر``, ``اربعة جيوش``) have
none of these and are left alone; spans already taken by dates are skipped.

Qualifiers become flags: a hedge right before the number is inside the span (``ما يزيد على مائة الف جندي``);
one joined by a proclitic of the number (``يقدر بثلاثين``) or standing apart (``ولم يزيد عدد ... على اربعمائة``)
stays outside it but still sets the flag. The value is ``{"quantity", "unit", "approx", "bound"}``.
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from functools import cache
from itertools import compress, repeat
from operator import attrgetter
from typing import Sequence

import regex

from ..core.bulk import collection_paused
from ..core.numbers import Number, NumeralTable, parse_at
from ..core.phrases import PhraseTable, may_strip_to, strips_to
from ..document import Document, Mention
from .tables import after_clitic, forget_token_words, normalizer, numerals, table, token_words

SOURCE = "rule:troops"


@dataclass(frozen=True)
class TroopTables:
    units: PhraseTable
    dual_units: PhraseTable
    links: PhraseTable
    person_nouns: PhraseTable
    pronoun_suffixes: tuple[str, ...]
    construct_heads: PhraseTable
    q_before: PhraseTable
    q_clitic: PhraseTable
    q_after: PhraseTable
    distant: dict
    military: tuple[str, ...]
    non_troop: PhraseTable
    plural_group: regex.Pattern | None
    exclusions: frozenset[str]  # words that start like a unit noun and are not one (әскери "military")
    nisba: str  # the ending of a singular nisba (Arabic ي): ألف تركي counts Turks; "" where there is none
    stems: bool
    article: str
    min_implicit: int
    window: int
    numerals: NumeralTable

    @classmethod
    def from_json(cls, data: dict, nums: NumeralTable, normalize) -> "TroopTables":
        fold = bool(data.get("casefold", False))

        def phrases(key: str) -> PhraseTable:
            src = data.get(key, {})
            return PhraseTable.of(src, normalize, fold) if isinstance(src, list) else PhraseTable(src, normalize, fold)

        def words(key: str) -> tuple[str, ...]:
            return tuple(normalize(w).casefold() if fold else normalize(w) for w in data.get(key, ()))

        distant = dict(data.get("distant_bound", {}))
        for key in ("negations", "verbs", "links"):
            distant[key] = frozenset(normalize(w) for w in distant.get(key, ()))
        group = data.get("plural_group")
        return cls(phrases("units"), phrases("dual_units"), phrases("partitive_links"), phrases("person_nouns"),
                   words("pronoun_suffixes"), phrases("construct_heads"), phrases("qualifiers_before"),
                   phrases("qualifiers_clitic"), phrases("qualifiers_after"), distant, words("military"),
                   phrases("non_troop_nouns"), regex.compile(group) if group else None,
                   frozenset(words("unit_exclusions")), normalize(data.get("nisba_ending", "")),
                   data.get("noun_match") == "stem", data.get("article", "ال"),
                   int(data.get("min_implicit", 1000)), int(data.get("context_window", 12)), nums)


@cache
def troop_tables(tag: str) -> TroopTables | None:
    data, nums = table(tag, "troops.json"), numerals(tag)
    return None if data is None or nums is None else TroopTables.from_json(data, nums, normalizer(tag))


def _unit_at(words: Sequence[str], k: int, t: TroopTables) -> tuple[int, str] | None:
    """``(end, unit)`` of a unit noun at ``k``; with ``stems`` the last word may carry endings (әскерімен)."""
    hit = t.units.match(words, k)
    if hit is not None:
        return hit[0], hit[1]
    if not t.stems or k >= len(words) or words[k] in t.exclusions:
        return None
    for size in (2, 1):
        if k + size > len(words):
            continue
        head, last = words[k:k + size - 1], words[k + size - 1]
        for n in range(len(last) - 1, 1, -1):
            hit = t.units.match(list(head) + [last[:n]], 0)
            if hit is not None and hit[0] == size:
                return k + size, hit[1]
    return None


def _person_noun(word: str, t: TroopTables) -> tuple[str, bool] | None:
    """``(unit, open)`` for a person noun, stripped of a pronoun suffix; ``open`` if a genitive may follow."""
    unit = t.person_nouns.get(word)
    if unit is not None:
        return unit, not word.startswith(t.article)
    for suffix in t.pronoun_suffixes:
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            unit = t.person_nouns.get(word[: -len(suffix)])
            if unit is not None:
                return unit, False
    return None


def _partitive_at(words: Sequence[str], k: int, t: TroopTables) -> tuple[int, str] | None:
    """``(end, unit)`` of ``من [كبار] NOUN [GENITIVE]`` at ``k``."""
    link = t.links.match(words, k)
    if link is None:
        return None
    j = link[0]
    head = t.construct_heads.match(words, j)
    if head is not None:
        j = head[0]
    if j >= len(words):
        return None
    noun = _person_noun(words[j], t)
    if noun is None:
        return None
    unit, open_ = noun
    j += 1
    if open_ and j < len(words) and words[j].startswith(t.article):  # construct chain: تجار المسلمين
        j += 1
    return j, unit


def _military(words: Sequence[str], lo: int, hi: int, t: TroopTables, memo: dict[str, bool]) -> bool:
    """Whether a military word stands in ``words[lo:hi]``; ``memo`` remembers the answer per word form."""
    for w in words[max(0, lo):hi]:
        hit = memo.get(w)
        if hit is None:
            hit = memo[w] = any((w.startswith(s) if t.stems else s in w) for s in t.military)
        if hit:
            return True
    return False


def _qualifier_before(words: Sequence[str], i: int, num: Number, t: TroopTables):
    """``(start index, prefix, flag)`` of a hedge just before the number, or ``(i, num.prefix, None)``."""
    if num.prefix:
        if i and t.q_clitic.get(words[i - 1]):
            return i, num.prefix, t.q_clitic.get(words[i - 1])
        return i, num.prefix, None
    for size in range(4, 0, -1):
        if i - size < 0:
            continue
        hit = t.q_before.match(words, i - size, t.numerals.proclitics)
        if hit is not None and hit[0] == i:
            return i - size, hit[2], hit[1]
    return i, 0, None


def _distant_bound(words: Sequence[str], i: int, t: TroopTables) -> str | None:
    """The bound of a hedge standing apart: ``لم يزيد عدد افراد حاميتها على NUMBER`` -> at_most."""
    d = t.distant
    if not d or i == 0 or words[i - 1] not in d["links"]:
        return None
    procl = t.numerals.proclitics
    for k in range(i - 2, max(0, i - 1 - d.get("window", 8)), -1):
        if words[k] in d["verbs"] and k:
            neg = words[k - 1]
            if neg in d["negations"] or any(neg[len(p):] in d["negations"] for p in procl if neg.startswith(p)):
                return d["bound"]
    return None


def _starts(t: TroopTables) -> frozenset[str]:
    return frozenset(t.numerals.words) | t.dual_units.first_words()


#: Per troop table (by id; the table is held so that the id stays its own): whether a word form could start a
#: figure, and whether it is a military word. Both are pure functions of the form asked on every token, so they
#: are remembered across documents, like the lexeme cache.
_MEMOS: dict[int, tuple[TroopTables, dict[str, bool], dict[str, bool]]] = {}


def _memos(t: TroopTables) -> tuple[dict[str, bool], dict[str, bool]]:
    entry = _MEMOS.get(id(t))
    # Started afresh when full (bounded over a corpus of many books), replaced rather than cleared so that a
    # call still running in another thread keeps its own.
    if entry is None or entry[0] is not t or len(entry[1]) + len(entry[2]) >= 1 << 18:
        entry = _MEMOS[id(t)] = (t, {}, {})
    return entry[1], entry[2]


def find_troops(words: Sequence[str], t: TroopTables, taken: Sequence[bool], groups: dict[int, int] | None = None):
    """Yield ``(start index, start prefix, end index, value)`` for every troop figure in ``words``.

    ``groups`` maps the first token of a people's name (a group mention: ``تركي``, ``الخوارزمية``) to the
    token after it: a figure counting a people in a military context counts its fighters
    (``نحو ثلثين ألف تركي وقنقلي``)."""
    groups = groups or {}
    i, n = 0, len(words)
    last_end = -10 ** 9  # end of the last figure found: a figure close after another shares its context
    starts, procl, suffixes = _starts(t), t.numerals.proclitics, t.numerals.suffixes
    could_start, military = _memos(t)

    def test(w: str) -> bool:
        return bool(w in starts or w[:1].isdigit() or (procl and w.startswith(procl) and strips_to(w, procl, starts))
                    or (suffixes and _suffixed(w, t, starts)))

    # One pass keeps the words that could start a figure or were never seen (a few percent of the tokens);
    # every other position would only step on to the next.
    candidates = list(compress(range(n), map(could_start.get, words, repeat(True))))
    # (in C: in a new document nearly every token is a candidate)
    unseen = set(map(words.__getitem__, candidates)).difference(could_start)
    if unseen:  # a new document: each new form is tested once, then the candidates are filtered again
        # (only those a test in C leaves: no number word, less proclitics, and no digit first is no start)
        for w in unseen if suffixes else may_strip_to(unseen, procl, starts):
            could_start[w] = test(w)
        could_start.update(dict.fromkeys(unseen.difference(could_start), False))
        candidates = list(compress(candidates, map(could_start.__getitem__, map(words.__getitem__, candidates))))
    for c in candidates:
        if c < i:
            continue
        i = c
        if taken[i]:
            continue
        dual = t.dual_units.match(words, i)
        if dual is not None:
            yield i, 0, dual[0], {"quantity": 2, "unit": dual[1], "approx": False, "bound": None}
            i = dual[0]
            continue
        num = parse_at(words, i, t.numerals)
        if num is None or any(taken[i:num.end]):
            continue
        if num.value < 2:  # one man is no figure
            i = num.end
            continue
        k = num.end
        flags = set(num.flags)
        after = t.q_after.match(words, k)
        if after is not None:
            flags.add(after[1])
            k = after[0]
        hedge: list[tuple[int, int]] = []

        def hedged() -> set[str]:
            """The flags with the hedges before the number (نحو, لم يزيدوا على); read once, only when asked: most
            numbers are decided without them."""
            if not hedge:
                start, prefix, flag = _qualifier_before(words, i, num, t)
                if flag:
                    flags.add(flag)
                if any(taken[start:i]):  # a hedge word inside a date still counts, but the span keeps out of it
                    start, prefix = i, num.prefix
                bound = _distant_bound(words, i, t)
                if bound:
                    flags.add(bound)
                hedge.append((start, prefix))
            return flags

        # The military context is asked only when the unit is not written (most figures that are troops
        # write it; most numbers are no troops and are decided by the cheaper tests first).
        near = i - last_end <= t.window
        lo, hi = i - t.window, k + t.window

        def context() -> bool:
            return near or _military(words, lo, hi, t, military)

        unit = None
        hit = _unit_at(words, k, t) or _partitive_at(words, k, t)
        again = _repeated(words, num, t) if hit is None else None
        if hit is not None:
            k, unit = hit
            k = _apposition(words, k, t)
        elif again and context():  # distributive: خمسين خمسين, "fifty at a time"
            k, unit = again, "soldier"
        elif k in groups and context():
            k, unit = _group_chain(words, k, groups), "soldier"
        elif t.nisba and num.value >= t.min_implicit and k < n and _nisba(words[k], t) and context():
            k, unit = k + 1, "soldier"  # ثلثين ألف تركي: a singular nisba counted by thousands is a people's men
            while k < n and _nisba(words[k], t, joined=True):
                k += 1
        elif (t.plural_group is not None and k < n and t.plural_group.search(words[k])
              and not t.non_troop.get(words[k]) and context()):
            k, unit = k + 1, "soldier"
        elif ((num.value >= t.min_implicit and num.end - i > 1 or hedged())
              and not (k < n and _is_other_unit(words[k], t)) and context()):  # a lone ألف may be the letter alif
            unit = "soldier"
        if unit is None:
            i = num.end
            continue
        hedged()
        start, prefix = hedge[0]
        bound = next((b for b in ("more_than", "at_most") if b in flags), None)
        yield start, prefix, k, {"quantity": num.value, "unit": unit, "approx": "approx" in flags, "bound": bound}
        i = last_end = k


def _repeated(words: Sequence[str], num: Number, t: TroopTables) -> int | None:
    """The end of the same number written again right after ``num`` (a distributive), or None."""
    size = num.end - num.start
    if num.prefix or words[num.start:num.end] != words[num.end:num.end + size]:
        return None
    return num.end + size


def _apposition(words: Sequence[str], k: int, t: TroopTables) -> int:
    """Past a person noun in apposition to the unit noun (``ثلثة نفر تجار`` "three men, merchants")."""
    if k < len(words) and not words[k].startswith(t.article) and t.person_nouns.get(words[k]):
        return k + 1
    return k


def _nisba(word: str, t: TroopTables, joined: bool = False) -> bool:
    """A singular nisba adjective (``تركي``; with ``joined``, ``وقنقلي``) that is no other kind of unit."""
    if joined:
        conj = next((c for c in t.numerals.conjunctions if word.startswith(c)), None)
        if conj is None:
            return False
        word = word[len(conj):]
    return (len(word) > 3 and word.endswith(t.nisba) and not word.startswith(t.article)
            and word not in t.numerals.words and not _is_other_unit(word, t))


def _group_chain(words: Sequence[str], k: int, groups: dict[int, int]) -> int:
    """The end of a people's name at ``k`` and of any joined by the conjunction (``تركي وقنقلي``)."""
    k = groups[k]
    while k in groups:
        k = groups[k]
    return k


def _suffixed(word: str, t: TroopTables, starts: frozenset[str]) -> bool:
    """A number word with an ending (мыңдай, мыңнан)."""
    return any(word.endswith(s) and word[:-len(s)] in starts for s, _ in t.numerals.suffixes)


def _is_other_unit(word: str, t: TroopTables) -> bool:
    if t.non_troop.get(word):
        return True
    return t.stems and any(t.non_troop.get(word[:n]) for n in range(len(word) - 1, 1, -1))


def _taken(tokens, spans: list[tuple[int, int]]) -> list[bool]:
    """For each token, whether a date span overlaps it: the few tokens of each span are found by bisection
    (tokens are in text order and do not overlap), not by a pass over the whole book."""
    out = [False] * len(tokens)
    for start, end in spans:
        k = bisect_right(tokens, start, key=_token_end)  # the first token ending after the span starts
        while k < len(tokens) and tokens[k].start < end:
            out[k] = True
            k += 1
    return out


def _group_tokens(tokens, mentions) -> dict[int, int]:
    """``{first token: token after the last}`` of each group mention that covers whole tokens but a proclitic."""
    out: dict[int, int] = {}
    for m in mentions:
        k = bisect_right(tokens, m.start, key=_token_end)
        if k >= len(tokens) or tokens[k].start > m.start:
            continue
        j = k
        while j < len(tokens) and tokens[j].end <= m.end:
            j += 1
        if j > k and tokens[j - 1].end == m.end:
            out[k] = j
    return out


#: A token's end, read in C: the bisections above call it some twenty times for each date and group mention.
_token_end = attrgetter("end")


@collection_paused
def recognise(doc: Document) -> None:
    """Append a ``troops`` mention for every troop figure in ``doc`` (after dates: their tokens are skipped)."""
    t = troop_tables(doc.lang)
    if t is None or not doc.tokens:
        return
    tokens = doc.tokens
    fold = t.numerals.casefold
    words = token_words(tokens, fold)
    taken = _taken(tokens, sorted((m.start, m.end) for m in doc.mentions if m.type == "date"))
    groups = _group_tokens(tokens, [m for m in doc.mentions if m.type == "group"])
    for start, prefix, end, value in find_troops(words, t, taken, groups):
        s = after_clitic(tokens[start], prefix)
        e = tokens[end - 1].end
        doc.mentions.append(Mention(s, e, doc.text[s:e], "troops", None, value, SOURCE, 0.8))
    forget_token_words()  # the last recogniser to read them (after dates)
