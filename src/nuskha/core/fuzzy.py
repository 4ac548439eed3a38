"""Bounded fuzzy lookup: find a known key one letter substitution away from a word, in O(length) dict probes.

Each key of length ``n`` is stored under its ``n`` wildcard forms (``моңғол`` → ``\\0оңғол``, ``м\\0ңғол``, ...);
a word meets a key when one of its own wildcard forms is stored. One substitution is the commonest slip of a
copyist or an OCR engine (``моиғол`` for ``моңғол``); insertions and deletions are left out because in Arabic
they turn names into ordinary words (``المغولي`` / ``المغول``).
"""
from __future__ import annotations

from typing import Generic, Iterable, TypeVar

T = TypeVar("T")
_WILD = "\0"


def wildcard_forms(key: str) -> list[str]:
    return [key[:i] + _WILD + key[i + 1:] for i in range(len(key))]


def half_forms(key: str) -> tuple[str, str]:
    """``key`` with its second half and with its first half wildcarded (``моң\0\0\0``, ``\0\0\0ғол``).

    A word one substitution away from ``key`` keeps one half of it intact (the half without the substituted
    letter), so it shares at least one of these forms with ``key``: two probes rule out most words before the
    ``len(word)`` probes of :func:`wildcard_forms`.
    """
    h = len(key) // 2
    return key[:h] + _WILD * (len(key) - h), _WILD * h + key[h:]


class SubstitutionIndex(Generic[T]):
    """Values stored under keys, looked up by any word exactly one substitution away from a key."""

    def __init__(self, items: Iterable[tuple[str, T]], min_len: int = 5):
        self.min_len = min_len
        self._keys: dict[str, T] = {}
        self._wild: dict[str, list[str]] = {}
        self._halves: set[str] = set()
        for key, value in items:
            if len(key) < min_len or key in self._keys:
                continue
            self._keys[key] = value
            for form in wildcard_forms(key):
                self._wild.setdefault(form, []).append(key)
            self._halves.update(half_forms(key))

    def candidates(self, word: str) -> list[tuple[str, T]]:
        """Every stored ``(key, value)`` one substitution away from ``word``, in insertion order."""
        if len(word) < self.min_len or word in self._keys:
            return []
        head, tail = half_forms(word)
        if head not in self._halves and tail not in self._halves:
            return []
        found: set[str] = set()
        for form in wildcard_forms(word):
            hit = self._wild.get(form)
            if hit:
                found.update(hit)
        return [(k, v) for k, v in self._keys.items() if k in found] if found else []

    def lookup(self, word: str) -> tuple[str, T] | None:
        """The one key (and its value) one substitution away from ``word``; None if none or several."""
        found = self.candidates(word)
        return found[0] if len(found) == 1 else None
