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

from dataclasses import dataclass, field
import regex

from ..document import Span

#: Characters that end a sentence when they stand as punctuation.
DEFAULT_SENTENCE_ENDS = frozenset(".!?؟…")
#: Closing punctuation that stays with the sentence it follows.
DEFAULT_CLOSERS = frozenset("»\"')]}”’›")

_LETTERS = r"[\p{L}\p{M}\p{Cf}]"


@dataclass(frozen=True)
class TokenizerTables:
    """What a language tells the tokenizer."""

    abbreviations: tuple[str, ...] = ()
    word_joiners: str = ""  # characters that join two letter runs into one word (hyphens, apostrophes)
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
            parts.append(rf"(?P<abbr>(?<!\p{{L}})(?i:{abbrs})(?!\p{{L}}))")
        number = r"\p{Nd}+(?:[.,٫٬]\p{Nd}+)*"
        if t.number_suffixes:
            number += rf"(?:-\p{{L}}{_LETTERS}*)?"
        parts.append(rf"(?P<number>{number})")
        word = rf"\p{{L}}{_LETTERS}*"
        if t.word_joiners:
            joiners = regex.escape(t.word_joiners)
            word += rf"(?:[{joiners}]\p{{L}}{_LETTERS}*)*"
        parts.append(rf"(?P<word>{word})")
        parts.append(r"(?P<punct>(?P<p>[^\s\p{L}\p{N}\p{M}])(?P=p)*)")
        parts.append(r"(?P<symbol>\S)")
        self._pattern = regex.compile("|".join(parts), regex.V0)

    def spans(self, text: str) -> list[tuple[int, int, str]]:
        """``(start, end, kind)`` for every token of ``text``, in order."""
        return [(m.start(), m.end(), m.lastgroup if m.lastgroup != "p" else "punct")
                for m in self._pattern.finditer(text)]

    def sentences(self, text: str, spans: list[tuple[int, int, str]]) -> list[Span]:
        """Sentence spans: a sentence ends after terminal punctuation (and any closers) or at a line break."""
        out: list[Span] = []
        ends, closers = self.tables.sentence_ends, self.tables.closers
        start = None
        n = len(spans)
        for i, (s, e, kind) in enumerate(spans):
            if start is None:
                start = s
            nxt = spans[i + 1] if i + 1 < n else None
            close = False
            if kind == "punct" and text[s] in ends:
                close = not (nxt and nxt[2] == "punct" and text[nxt[0]] in closers and nxt[0] == e)
            elif kind == "punct" and text[s] in closers and i and spans[i - 1][2] == "punct" \
                    and text[spans[i - 1][0]] in ends:
                close = True
            if nxt is None or close or "\n" in text[e:nxt[0]]:
                out.append(Span(start, e, "s"))
                start = None
        return out


def paragraphs(text: str) -> list[Span]:
    """Non-blank lines as paragraph spans, trimmed of surrounding whitespace."""
    return [Span(m.start(), m.end(), "p") for m in regex.finditer(r"\S(?:[^\n]*\S)?", text)]


def tables_from_json(data: dict, **overrides) -> TokenizerTables:
    return TokenizerTables(abbreviations=tuple(data.get("abbreviations", ())), **overrides)
