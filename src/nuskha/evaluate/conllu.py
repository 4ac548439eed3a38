"""Reading UD treebanks (CoNLL-U) for the evaluations, and the development/held-out split they share."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator, Sequence, TypeVar

from ..errors import DataError, InputError

#: ``first`` is the development half, ``second`` the held-out half; ``all`` both.
HALVES = ("first", "second", "all")
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Row:
    """One word line of a CoNLL-U file (a word ``4``, a multiword token ``4-5`` or an empty node ``4.1``)."""

    id: str
    form: str
    lemma: str
    upos: str
    misc: str
    line: int

    @property
    def is_word(self) -> bool:
        return self.id.isdigit()

    @property
    def space_after(self) -> bool:
        return "SpaceAfter=No" not in self.misc.split("|")


def iter_sentences(text: str, path: str = "<string>") -> Iterator[list[Row]]:
    """The sentences of a CoNLL-U text as lists of rows; comments skipped. A line without 10 tab-separated
    columns raises :class:`DataError` naming the file and line."""
    current: list[Row] = []
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            if current:
                yield current
                current = []
            continue
        if line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) != 10:
            raise DataError(f"CoNLL-U line has {len(cols)} columns, expected 10", path, f"line {lineno}")
        current.append(Row(cols[0], cols[1], cols[2], cols[3], cols[9], lineno))
    if current:
        yield current


def select_half(sentences: Sequence[T], half: str) -> Sequence[T]:
    """The ``first`` half of the sentences (with the odd one), the ``second``, or ``all``."""
    if half not in HALVES:
        raise InputError(f"--half must be one of {', '.join(HALVES)}, not {half!r}")
    mid = (len(sentences) + 1) // 2
    return sentences[:mid] if half == "first" else sentences[mid:] if half == "second" else sentences
