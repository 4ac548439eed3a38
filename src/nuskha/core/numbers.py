"""Number words and digits -> integers, one mechanism for every language; the words come from a table.

A language's ``numerals.json`` lists its number words by kind, spelled as written (the table is normalised with
the language's own normaliser when loaded, so ``ألفاً``, ``الفا`` and ``ألفا`` meet in one key):

``units``     1-9 (and the counted forms ``ثلاث``/``ثلاثة``), each added to the running group;
``ten``       the word for ten that also closes a teen after a unit (``خمس عشرة`` 15, but ``عشرة آلاف`` 10,000);
``tens``      20-90, added;
``hundreds``  300, 400 ... and duals (``مائتا``/``مائتي``), added as a whole;
``hundred``   the bare hundred: it multiplies a unit written just before it (``أربع مائة``, ``үш жүз``) and
              is otherwise 100;
``scales``    thousand, million: they multiply the group before them (``مائة وعشرة آلاف``, ``жиырма мың``,
              ``ألف ألف``), or add themselves when a conjunction joins them (``وألف``);
``fixed``     words that stand for a whole amount (dual ``ألفان``/``ألفي`` 2,000);
``vague``     words that set a bound instead of a value (``نيف`` adds nothing, ``بضع`` counts as its lower bound 3);
``conjunctions``  the attached or free word for "and" (``و``), allowed before any word of a number;
``proclitics``    letters that may stick to the first word of a number (``وخمسون``, ``بثلاثين``);
``suffixes``      endings that may close the last word (Kazakh ``мыңдай`` "about a thousand", ``мыңнан``),
              each with a flag (``approx``) or ``null``; digits take them after a hyphen (``300-дей``).

Without a conjunction, a word may only follow a word of a higher order (``он бес`` 15, ``жүз он`` 110) or be a
multiplier; anything else starts a new number, so ``ثلاثة أربعة`` is two numbers, not seven. With a conjunction,
either order is allowed (``سبع عشرة وستمائة``) but not two words of the same order (``واحدة وستة`` ends at one).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

import regex

from .phrases import clitic_splits

#: The kinds a numeral table may list, in the order they are read.
KINDS = ("units", "ten", "tens", "hundreds", "hundred", "scales", "fixed", "vague")

_DIGITS = regex.compile(r"^(\p{Nd}+(?:[.,٬]\p{Nd}{3})*)(?:-(\p{L}+))?$")
Normalizer = Callable[[str], str]


@dataclass(frozen=True, slots=True)
class NumberWord:
    kind: str
    value: int
    flag: str | None = None  # vague words: the bound they set


@dataclass(frozen=True, slots=True)
class NumeralTable:
    """A language's number words keyed by normal form, plus its conjunctions, proclitics and suffixes."""

    words: dict[str, NumberWord]
    conjunctions: tuple[str, ...] = ()
    proclitics: tuple[str, ...] = ()
    suffixes: tuple[tuple[str, str | None], ...] = ()  # longest first
    casefold: bool = False

    @classmethod
    def from_json(cls, data: dict, normalize: Normalizer = lambda s: s) -> "NumeralTable":
        """Build from a ``numerals.json`` dict; every key goes through ``normalize`` (the language's match form)."""
        casefold = bool(data.get("casefold", False))

        def key(word: str) -> str:
            k = normalize(word)
            return k.casefold() if casefold else k

        words: dict[str, NumberWord] = {}
        for kind in KINDS:
            for word, spec in data.get(kind, {}).items():
                if kind == "vague":
                    words[key(word)] = NumberWord(kind, int(spec["value"]), spec["bound"])
                else:
                    words[key(word)] = NumberWord(kind, int(spec))
        suffixes = sorted(((key(s), f) for s, f in data.get("suffixes", {}).items()), key=lambda p: -len(p[0]))
        return cls(words, tuple(key(c) for c in data.get("conjunctions", ())),
                   tuple(key(p) for p in data.get("proclitics", ())), tuple(suffixes), casefold)


@dataclass(frozen=True, slots=True)
class Number:
    """A number read from ``words[start:end]``.

    ``prefix`` is how many characters of the first word's normal form are a proclitic outside the number
    (``وخمسون`` -> 1); ``flags`` hold what the words say besides the value (``approx`` from ``-дай``,
    ``more_than`` from ``نيف``/``بضع``); ``suffix`` is a Kazakh ending on the last word, if any.
    """

    start: int
    end: int
    value: int
    prefix: int = 0
    flags: frozenset[str] = frozenset()
    suffix: str | None = None


def _split_suffix(word: str, table: NumeralTable) -> tuple[NumberWord | None, str | None, str | None]:
    """``(number word, suffix, flag)`` for a word that may end in one of the table's suffixes."""
    hit = table.words.get(word)
    if hit is not None:
        return hit, None, None
    for suffix, flag in table.suffixes:
        if word.endswith(suffix) and len(word) > len(suffix):
            hit = table.words.get(word[: -len(suffix)])
            if hit is not None:
                return hit, suffix, flag
    return None, None, None


def _read_digits(word: str, table: NumeralTable) -> tuple[int, str | None, str | None] | None:
    """``(value, suffix, flag)`` of a digit token (``300``, ``300-дей``, ``10.000``), or None."""
    m = _DIGITS.match(word)
    if m is None:
        return None
    value = int(regex.sub(r"[.,٬]", "", m.group(1)))
    suffix = m.group(2)
    if suffix is None:
        return value, None, None
    suffix = suffix.casefold() if table.casefold else suffix
    for known, flag in table.suffixes:
        if suffix == known:
            return value, suffix, flag
    return None  # 1219-жылы is a date, not a number with an unknown ending


def _strip(word: str, prefixes: tuple[str, ...]) -> tuple[tuple[str, int], ...]:
    """The word itself, then the word without leading clitics (``وبثلاثين`` -> ``بثلاثين``, ``ثلاثين``)."""
    return clitic_splits(word, prefixes) if prefixes else ((word, 0),)


class _Group:
    """Running state of one number: completed scale groups (``total``) and the group being read."""

    __slots__ = ("total", "current", "last_unit", "last_scale", "order", "flags")

    def __init__(self) -> None:
        self.total = 0
        self.current = 0
        self.last_unit = 0  # a unit just read with no conjunction after it (for "أربع مائة", "خمس عشرة")
        self.last_scale = 0  # the amount the last scale word added (for "ألف ألف")
        self.order = 10 ** 12  # order of magnitude of the previous word, for juxtaposed words
        self.flags: set[str] = set()

    def value(self) -> int:
        return self.total + self.current

    def take(self, w: NumberWord, joined: bool) -> bool:
        """Add one word; ``joined`` says a conjunction stands before it. False if it cannot continue."""
        kind, v = w.kind, w.value
        if kind == "vague":
            self.flags.add(w.flag)
            self.current += v
            self.last_unit, self.order = v, 1
            return True
        if kind == "ten" and self.last_unit and not joined and self.last_unit < 10:
            self.current += v  # teen: خمس عشرة
            self.last_unit, self.order = 0, 1
            return True
        if kind == "hundred":
            if self.last_unit and not joined:
                self.current += self.last_unit * (v - 1)  # أربع مائة, үш жүз
            elif joined or self.order > v:
                self.current += v
            else:
                return False
            self.last_unit, self.order = 0, v
            return True
        if kind == "scales":
            if joined:  # ascending order: سبع عشرة وستمائة وألف
                self.current += v
            elif self.last_scale and self.current == 0:  # ألف ألف
                self.total += self.last_scale * (v - 1)
                self.last_scale *= v
            else:
                amount = (self.current or 1) * v
                self.total += amount
                self.current, self.last_scale = 0, amount
            self.last_unit, self.order = 0, v
            return True
        order = 10 ** (len(str(v)) - 1)  # magnitude: 1, 10, 100, 1000 ...
        if order >= self.order if not joined else order == self.order:
            return False  # "واحدة وستة" is a year and six (months), not seven
        self.current += v
        self.last_unit = v if kind in ("units", "ten") and v < 10 else 0
        self.last_scale = 0
        self.order = order
        return True


def _next_word(word: str, g: _Group, table: NumeralTable) -> tuple[str | None, str | None] | None:
    """Read one more word into ``g``: ``(suffix, flag)`` if it belongs to the number, else None (g unchanged)."""
    for rest, n in _strip(word, table.conjunctions):
        w, suffix, flag = _split_suffix(rest, table)
        if w is None:
            continue
        saved = (g.total, g.current, g.last_unit, g.last_scale, g.order, set(g.flags))
        if g.take(w, n > 0):
            return suffix, flag
        g.total, g.current, g.last_unit, g.last_scale, g.order, g.flags = saved
    return None


def parse_at(words: Sequence[str], i: int, table: NumeralTable) -> Number | None:
    """The longest number starting at ``words[i]`` (normal forms of consecutive tokens), or None.

    >>> t = NumeralTable({"خمسون": NumberWord("tens", 50), "الفا": NumberWord("scales", 1000)}, ("و",), ("و",))
    >>> parse_at(["وخمسون", "الفا", "من"], 0, t)
    Number(start=0, end=2, value=50000, prefix=1, flags=frozenset(), suffix=None)
    >>> k = NumeralTable({"жиырма": NumberWord("tens", 20), "мың": NumberWord("scales", 1000)},
    ...                  suffixes=(("дай", "approx"),), casefold=True)
    >>> parse_at(["Жиырма", "мыңдай", "әскер"], 0, k)
    Number(start=0, end=2, value=20000, prefix=0, flags=frozenset({'approx'}), suffix='дай')
    """
    if i >= len(words):
        return None
    fold = str.casefold if table.casefold else (lambda s: s)
    first = fold(words[i])
    g = _Group()
    prefix = 0
    suffix = None
    digits = _read_digits(first, table)
    if digits is not None:
        value, suffix, flag = digits
        g.current, g.order = value, 1
        if flag:
            g.flags.add(flag)
        j = i + 1
        if suffix is not None:
            return Number(i, j, value, 0, frozenset(g.flags), suffix)
    else:
        for rest, n in _strip(first, table.proclitics):
            w, suffix, flag = _split_suffix(rest, table)
            if w is not None and g.take(w, False):
                prefix = n
                if flag:
                    g.flags.add(flag)
                break
        else:
            return None
        j = i + 1
        if suffix is not None:
            return Number(i, j, g.value(), prefix, frozenset(g.flags), suffix)
    while j < len(words):
        step = _next_word(fold(words[j]), g, table)
        if step is None:
            break
        j += 1
        suffix, flag = step
        if flag:
            g.flags.add(flag)
        if suffix is not None:
            break  # an ending closes the number: мыңдай, мыңнан
    return Number(i, j, g.value(), prefix, frozenset(g.flags), suffix)


def parse_number(text: str, table: NumeralTable, normalize: Normalizer = lambda s: s) -> int | None:
    """The value of ``text`` if the whole of it is one number (words split on spaces), else None.

    A convenience for tables and tests; recognisers call :func:`parse_at` on token normal forms.
    """
    words = [normalize(w) for w in text.split()]
    hit = parse_at(words, 0, table)
    if hit is None or hit.end != len(words) or hit.prefix:
        return None
    return hit.value
