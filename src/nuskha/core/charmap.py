"""Character mapping with change records: the one normalisation mechanism shared by every language.

Like CAMeL Tools' ``CharMapper``, a map is data: each character maps to a replacement string ("" deletes it).
Unlike it, every replacement is returned as a :class:`~nuskha.document.Change` with offsets into the input, so
a normalised form is always traceable to the characters that were written.

A table is a JSON object ``{"kind": {"<char or a-b range>": "<replacement>", ...}, ...}``: the outer key names
the kind of change recorded (``alef``, ``diacritic``, ``homoglyph`` ...).
"""
from __future__ import annotations

import json
import unicodedata
from importlib import resources
from typing import Iterable, Mapping

from ..document import Change


class CharMap:
    """A per-character map ``char -> (replacement, kind)``; characters not in it are kept."""

    __slots__ = ("_map",)

    def __init__(self, mapping: Mapping[str, tuple[str, str]]):
        for ch, (rep, kind) in mapping.items():
            if len(ch) != 1 or not isinstance(rep, str) or not kind:
                raise ValueError(f"bad char map entry {ch!r} -> {rep!r} ({kind!r})")
        self._map = dict(mapping)

    @classmethod
    def from_tables(cls, tables: Mapping[str, Mapping[str, str]]) -> "CharMap":
        """Build from ``{kind: {key: replacement}}`` where a key is one character or a range ``"a-b"``."""
        mapping: dict[str, tuple[str, str]] = {}
        for kind, entries in tables.items():
            for key, rep in entries.items():
                for ch in _expand_key(key):
                    mapping[ch] = (rep, kind)
        return cls(mapping)

    def __contains__(self, ch: str) -> bool:
        return ch in self._map

    def __or__(self, other: "CharMap") -> "CharMap":
        return CharMap({**self._map, **other._map})

    def touches(self, text: str) -> bool:
        """Would :meth:`apply` change ``text``? (A test in C: no change records are built.)"""
        return not self._map.keys().isdisjoint(text)

    def apply(self, text: str) -> tuple[str, tuple[Change, ...]]:
        """Map ``text``; return the new string and one change per mapped character (offsets into ``text``)."""
        m = self._map
        if m.keys().isdisjoint(text):  # the common case, tested in C: nothing to do, no allocation
            return text, ()
        out: list[str] = []
        changes: list[Change] = []
        for i, ch in enumerate(text):
            hit = m.get(ch)
            if hit is None:
                out.append(ch)
            else:
                rep, kind = hit
                out.append(rep)
                changes.append(Change(i, i + 1, ch, rep, kind))
        return "".join(out), tuple(changes)


def _expand_key(key: str) -> Iterable[str]:
    if len(key) == 3 and key[1] == "-":
        return (chr(c) for c in range(ord(key[0]), ord(key[2]) + 1))
    if len(key) != 1:
        raise ValueError(f"char map key must be one character or a range a-b: {key!r}")
    return (key,)


def load_table(package: str, name: str) -> dict:
    """Read a JSON table shipped as package data (``nuskha.lang.ar.data``/``name``)."""
    with resources.files(package).joinpath(name).open(encoding="utf-8") as fh:
        return json.load(fh)


def compose(text: str, *steps) -> tuple[str, tuple[Change, ...]]:
    """Run normalisation steps in order, re-basing each step's change offsets onto ``text``.

    Each step is ``str -> (str, changes)``, its changes in text order and each covering at least one character.
    Offsets of later steps are mapped back through earlier ones, so the returned changes always index the
    ORIGINAL ``text`` (a later change inside an earlier replacement is attributed to the span of that earlier
    replacement).
    """
    current = text
    # Most words need no normalisation at all and most of the rest are changed by one step only, whose offsets
    # already index `text`: those changes are held as they are, and the offset map (origin[i] = (start, end) in
    # `text` of character i of `current`) is built only once a second step changes something too.
    first: tuple[Change, ...] | None = None
    origin: list[tuple[int, int]] | None = None
    all_changes: list[Change] = []
    for step in steps:
        new, changes = step(current)
        if not changes:
            continue
        if first is None:
            first, current = changes, new
            continue
        if origin is None:
            origin = _rebase([(i, i + 1) for i in range(len(text))], first, all_changes)
        origin = _rebase(origin, changes, all_changes)
        current = new
    if origin is None:
        return current, first or ()
    all_changes.sort(key=lambda c: (c.start, c.end))
    return current, tuple(all_changes)


def _rebase(origin: list[tuple[int, int]], changes: tuple[Change, ...], out: list[Change]) -> list[tuple[int, int]]:
    """Append ``changes`` (offsets into the string ``origin`` describes) to ``out`` at offsets into the original
    text; return the origin map of the string after them."""
    new_origin: list[tuple[int, int]] = []
    pos = 0
    for ch in changes:
        new_origin.extend(origin[pos:ch.start])
        src = origin[ch.start:ch.end]
        s0, s1 = (src[0][0], src[-1][1]) if src else (origin[pos - 1][1] if pos else 0,) * 2
        # ch.orig is what this step saw: the written text, or an earlier step's replacement
        out.append(Change(s0, s1, ch.orig, ch.reg, ch.kind))
        new_origin.extend([(s0, s1)] * len(ch.reg))
        pos = ch.end
    new_origin.extend(origin[pos:])
    return new_origin


def nfc(text: str) -> tuple[str, tuple[Change, ...]]:
    """Unicode NFC per base-and-marks cluster, recording each cluster that changes (``kind="unicode"``)."""
    if unicodedata.is_normalized("NFC", text):
        return text, ()
    out: list[str] = []
    changes: list[Change] = []
    i, n = 0, len(text)
    while i < n:
        j = i + 1
        while j < n and unicodedata.combining(text[j]):
            j += 1
        cluster = text[i:j]
        composed = unicodedata.normalize("NFC", cluster)
        if composed != cluster:
            changes.append(Change(i, j, cluster, composed, "unicode"))
        out.append(composed)
        i = j
    return "".join(out), tuple(changes)
