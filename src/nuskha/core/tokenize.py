"""One-pass tokenisation with offsets, parameterised by a language's tables.

The tokenizer is a single compiled ``regex`` pattern with named alternatives, tried in order at each non-space
position:

``abbr``    an abbreviation from the language's table (т.б., т.с.с., ж.), never inside a word;
``number``  digits (any script), with decimal separators, and -- where the language allows it -- a hyphenated
            suffix (Kazakh ``300-дей``, ``1219-жылы``);
``word``    a letter followed by letters, marks and format characters, optionally joined by the language's
            word joiners (Kazakh hyphenated names ``Темір-Мәлік``, ``Boeing-тың``). Digits are never part of a
            word, which is what splits ``615ه`` into ``615`` + ``ه``;
``punct``   a run of one repeated punctuation character (``...``, ``،``);
``symbol``  any other single non-space character (an orphan combining mark, an emoji).

Because the last alternative takes any non-space character, every non-space character lies in exactly one
token, and only whitespace lies between tokens.
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Sequence
import regex

from ..document import Span

#: Characters that end a sentence when they stand as punctuation.
DEFAULT_SENTENCE_ENDS = frozenset(".!?؟…")
#: Closing punctuation that stays with the sentence it follows.
DEFAULT_CLOSERS = frozenset("»\"')]}”’›")

_LETTERS = r"[\p{L}\p{M}\p{Cf}]"
#: Whitespace exactly as ``str.isspace`` sees it: Unicode White_Space plus the information separators U+001C-1F.
_SPACE = r"\s\x1c-\x1f"


@dataclass(frozen=True)
class TokenizerTables:
    """What a language tells the tokenizer."""

    abbreviations: tuple[str, ...] = ()
    word_joiners: str = ""  # characters that join two letter runs into one word (hyphens, apostrophes)
    initials: str = ""  # capital letters that, with a period, are a name's initial (Г. Марченко): one abbr token
    number_suffixes: bool = False  # digits may carry a hyphenated suffix: 300-дей
    sentence_ends: frozenset[str] = DEFAULT_SENTENCE_ENDS
    closers: frozenset[str] = DEFAULT_CLOSERS


@dataclass
class Tokenizer:
    tables: TokenizerTables = field(default_factory=TokenizerTables)

    def __post_init__(self) -> None:
        t = self.tables
        parts = []
        if t.abbreviations:
            abbrs = "|".join(regex.escape(a) for a in sorted(t.abbreviations, key=len, reverse=True))
            # initials as one character class, not one alternative each: the alternation is tried at every token
            initials = rf"|[{regex.escape(t.initials)}]\." if t.initials else ""
            parts.append(rf"(?P<abbr>(?<!\p{{L}})(?:(?i:{abbrs}){initials})(?!\p{{L}}))" if initials
                         else rf"(?P<abbr>(?<!\p{{L}})(?i:{abbrs})(?!\p{{L}}))")
        number = r"\p{Nd}+(?:[.,٫٬]\p{Nd}+)*"
        if t.number_suffixes:
            number += rf"(?:-\p{{L}}{_LETTERS}*)?"
        parts.append(rf"(?P<number>{number})")
        word = rf"\p{{L}}{_LETTERS}*"
        if t.word_joiners:
            joiners = regex.escape(t.word_joiners)
            word += rf"(?:[{joiners}]\p{{L}}{_LETTERS}*)*"
        parts.append(rf"(?P<word>{word})")
        # a backreference needs a group; an unnamed one keeps ``lastgroup`` == "punct". Every earlier
        # alternative holds exactly one capturing group, so this one is number len(parts) + 2.
        parts.append(rf"(?P<punct>([^{_SPACE}\p{{L}}\p{{N}}\p{{M}}])\{len(parts) + 2}*)")
        parts.append(rf"(?P<symbol>[^{_SPACE}])")
        self._pattern = regex.compile("|".join(parts), regex.V0)
        self._boundary = regex.compile("[" + regex.escape("".join(sorted(t.sentence_ends))) + "]|\n")

    def finditer(self, text: str):
        """Regex matches over ``text``; ``m.lastgroup`` is the token kind."""
        return self._pattern.finditer(text)

    def spans(self, text: str) -> list[tuple[int, int, str]]:
        """``(start, end, kind)`` for every token of ``text``, in order."""
        return [(*m.span(), m.lastgroup) for m in self._pattern.finditer(text)]

    def sentences(self, text: str, tokens: Sequence) -> list[Span]:
        """Sentence spans over ``tokens`` (objects with ``start``, ``end``, ``kind``).

        A sentence ends after a terminal punctuation token (with any closing quotes or brackets glued to it) or
        before a line break. Candidates are found by a regex over the text and mapped to tokens by bisection,
        so the cost does not grow with a Python step per token.
        """
        if not tokens:
            return []
        starts = [t.start for t in tokens]
        last = len(tokens) - 1
        cuts: set[int] = {last}  # index of the last token of each sentence
        for m in self._boundary.finditer(text):
            if m.group() == "\n":
                i = bisect_right(starts, m.start()) - 1
                if i >= 0:
                    cuts.add(i)
                continue
            i = bisect_right(starts, m.start()) - 1
            tok = tokens[i]
            if tok.kind != "punct" or tok.start != m.start():
                continue  # a full stop inside a number or an abbreviation
            while i < last and tokens[i + 1].start == tokens[i].end and tokens[i + 1].kind == "punct" \
                    and text[tokens[i + 1].start] in self.tables.closers:
                i += 1
            cuts.add(i)
        out: list[Span] = []
        first = 0
        for i in sorted(cuts):
            out.append(Span(tokens[first].start, tokens[i].end, "s"))
            first = i + 1
        return out


def paragraphs(text: str) -> list[Span]:
    """Non-blank lines as paragraph spans, trimmed of surrounding whitespace."""
    return [Span(m.start(), m.end(), "p") for m in regex.finditer(r"\S(?:[^\n]*\S)?", text)]


def tables_from_json(data: dict, **overrides) -> TokenizerTables:
    return TokenizerTables(abbreviations=tuple(data.get("abbreviations", ())), **overrides)
