"""Multi-word phrase lookup over token normal forms (month names, qualifiers, unit nouns, era markers).

A table maps phrases as written (``ذي الحجة``, ``ما يزيد على``, ``атты әскер``) to values. Its keys are
normalised with the language's own normaliser and split on spaces when the table is built, so a lookup compares
normal forms token by token and finds the longest phrase starting at a position.
"""
from __future__ import annotations

from functools import lru_cache
from itertools import compress, repeat
from operator import getitem
from typing import Any, Callable, Iterable, Mapping, Sequence

Normalizer = Callable[[str], str]


@lru_cache(maxsize=1 << 16)
def clitic_splits(word: str, proclitics: tuple[str, ...], depth: int = 2) -> tuple[tuple[str, int], ...]:
    """``(rest, stripped length)`` for the word itself and for up to ``depth`` stacked proclitics stripped
    (``وبسنة`` -> ``بسنة``, ``سنة``); the rest is never empty. Cached: the recognisers ask it for the same
    frequent words again and again."""
    out = [(word, 0)]
    frontier = [(word, 0)]
    for _ in range(depth):
        nxt = []
        for rest, n in frontier:
            for p in proclitics:
                if rest.startswith(p) and len(rest) > len(p):
                    nxt.append((rest[len(p):], n + len(p)))
        out.extend(nxt)
        frontier = nxt
    return tuple(out)


def strips_to(word: str, proclitics: tuple[str, ...], targets: frozenset[str] | set[str], depth: int = 2) -> bool:
    """Does ``word``, itself or less up to ``depth`` stacked proclitics (:func:`clitic_splits`), spell one of
    ``targets``?

    Every such rest is a tail ``word[n:]`` no longer stripped than ``depth`` of the longest proclitics, so a word
    none of whose short tails is a target -- nearly every word, when the targets are number or month words -- is
    answered by a few slices, without building and caching its splits.
    """
    longest = _longest_strip(proclitics, depth)
    # a plain loop, not any() over a generator: this runs once for every new word form that begins with a
    # proclitic letter (a third of a book's forms), and all but a few end it without a hit
    for n in range(min(longest, len(word) - 1) + 1):
        if word[n:] in targets:
            return any(rest in targets for rest, _ in clitic_splits(word, proclitics, depth))
    return False


def may_strip_to(words: Iterable[str], proclitics: tuple[str, ...], targets: frozenset[str] | set[str],
                 depth: int = 2) -> set[str]:
    """The words of ``words`` that begin with a digit or one of whose tails ``word[n:]``, ``n`` up to what
    ``depth`` stacked proclitics take off, is in ``targets``: a superset of those that :func:`strips_to` says spell
    a target, found in C for a whole document's new word forms at once (a few slices and set probes per
    form, no Python step), so that the exact test runs on these few alone."""
    words = list(words)
    found = set(compress(words, map(str.isdigit, map(getitem, words, repeat(slice(0, 1))))))
    for n in range(_longest_strip(proclitics, depth) + 1 if proclitics else 1):
        found.update(compress(words, map(targets.__contains__, map(getitem, words, repeat(slice(n, None))))))
    return found


@lru_cache(maxsize=64)
def _longest_strip(proclitics: tuple[str, ...], depth: int) -> int:
    """How many letters ``depth`` stacked proclitics can take off at most."""
    return depth * max(map(len, proclitics), default=0)


class PhraseTable:
    """Longest-match lookup of phrases over a sequence of normalised words."""

    __slots__ = ("_entries", "_longest", "_by_first", "_heads", "casefold")

    def __init__(self, mapping: Mapping[str, Any], normalize: Normalizer = lambda s: s, casefold: bool = False):
        self.casefold = casefold
        self._entries: dict[tuple[str, ...], Any] = {}
        for phrase, value in mapping.items():
            key = tuple(self._key(normalize(w)) for w in phrase.split())
            if key:
                self._entries[key] = value
        self._longest = max((len(k) for k in self._entries), default=0)
        # First word -> length of the longest phrase it begins: most words begin none, and a lookup that starts
        # with this test costs one dict probe (match runs at most tokens of a book).
        self._by_first: dict[str, int] = {}
        for k in self._entries:
            self._by_first[k[0]] = max(self._by_first.get(k[0], 0), len(k))
        self._heads: dict[tuple[str, tuple[str, ...]], tuple[tuple[str, int], ...]] = {}

    @classmethod
    def of(cls, words: Iterable[str], normalize: Normalizer = lambda s: s, casefold: bool = False) -> "PhraseTable":
        """A table whose phrases all map to True (a set of phrases)."""
        return cls({w: True for w in words}, normalize, casefold)

    def _key(self, word: str) -> str:
        return word.casefold() if self.casefold else word

    def __bool__(self) -> bool:
        return bool(self._entries)

    def first_words(self) -> frozenset[str]:
        """The first word of every phrase: a cheap test before :meth:`match`."""
        return frozenset(k[0] for k in self._entries)

    def __contains__(self, word: str) -> bool:
        return (self._key(word),) in self._entries

    def get(self, word: str, default: Any = None) -> Any:
        return self._entries.get((self._key(word),), default)

    def match(self, words: Sequence[str], i: int, proclitics: Sequence[str] = ()) -> tuple[int, Any, int] | None:
        """``(end, value, prefix)`` of the longest phrase at ``words[i]``, or None.

        ``prefix`` is the length of a proclitic stripped from the first word (``وشتاء`` -> 1), tried only
        when the whole word does not match.
        """
        n = len(words)
        if i >= n:
            return None
        first = words[i].casefold() if self.casefold else words[i]
        if proclitics:
            heads = self._clitic_heads(first, proclitics)
            if not heads:
                return None
            longest = max(self._by_first[h] for h, _ in heads)
        else:
            longest = self._by_first.get(first)
            if longest is None:
                return None
            heads = ((first, 0),)
        longest = min(longest, n - i)
        window = words[i + 1:i + longest]
        if self.casefold:
            window = [w.casefold() for w in window]
        entries = self._entries
        for size in range(longest, 0, -1):
            rest = tuple(window[:size - 1])
            for head, prefix in heads:
                value = entries.get((head,) + rest)
                if value is not None:
                    return i + size, value, prefix
        return None

    def _clitic_heads(self, first: str, proclitics: Sequence[str]) -> tuple[tuple[str, int], ...]:
        """The readings of ``first`` with proclitics off (:func:`clitic_splits`) that begin some phrase, in
        order; memoised per word form (bounded: a corpus of many books must not grow it without end)."""
        procl = proclitics if isinstance(proclitics, tuple) else tuple(proclitics)
        key = (first, procl)
        heads = self._heads.get(key)
        if heads is None:
            if len(self._heads) >= 1 << 17:
                self._heads.clear()
            by_first = self._by_first
            splits = clitic_splits(first, procl) if first.startswith(procl) else ((first, 0),)
            heads = self._heads[key] = tuple(h for h in splits if h[0] in by_first)
        return heads
