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
from itertools import accumulate, compress, count, repeat
from operator import attrgetter, eq, itemgetter, sub
from typing import Iterator, Sequence
import regex

from ..document import Span

_start = attrgetter("start")

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
    #: Characters per slice of :meth:`runs`.
    slice_chars: int = 1 << 16

    def __post_init__(self) -> None:
        t = self.tables
        parts = []
        if t.abbreviations:
            abbrs = "|".join(regex.escape(a) for a in sorted(t.abbreviations, key=len, reverse=True))
            # initials as one character class, not one alternative each: the alternation is tried at every token
            initials = rf"|[{regex.escape(t.initials)}]\." if t.initials else ""
            parts.append(rf"(?P<abbr>(?<!\p{{L}})(?:(?i:{abbrs}){initials})(?!\p{{L}}))")
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
        punct_char = rf"[^{_SPACE}\p{{L}}\p{{N}}\p{{M}}]"
        parts.append(rf"(?P<punct>({punct_char})\{len(parts) + 2}*)")
        parts.append(rf"(?P<symbol>[^{_SPACE}])")
        self._pattern = regex.compile("|".join(parts), regex.V0)
        # The same alternatives, unnamed and with a punctuation run cut into single characters (so no group at
        # all), each preceded by the whitespace before it: ``findall`` then returns every "gap + token" string
        # from C, without a match object or a tuple per token. It reads a text as ``_pattern`` does except where
        # like punctuation characters touch (``!!``, ``،،``), which :meth:`runs` joins back. See :meth:`runs`.
        single = regex.sub(r"\(\?P<\w+>", "(?:", "|".join(parts[:-2] + [punct_char, parts[-1]]))
        self._gapped = regex.compile(rf"[{_SPACE}]*+(?:{single})", regex.V0)
        self._punct_char = regex.compile(punct_char, regex.V0)
        self._cut = regex.compile(rf"[{_SPACE}]", regex.V0)
        self._boundary = regex.compile("[" + regex.escape("".join(sorted(t.sentence_ends))) + "]|\n")

    def finditer(self, text: str):
        """Regex matches over ``text``; ``m.lastgroup`` is the token kind."""
        return self._pattern.finditer(text)

    def runs(self, text: str) -> Iterator[tuple[list[int], list[int], list[str]]]:
        """``(starts, ends, surfaces)`` of the tokens of ``text``, slice by slice in order, built without a Python
        step per token.

        ``findall`` gives each token with the whitespace before it; running sums of their lengths are the ends,
        stripping the whitespace gives the surfaces (``str.isspace`` and the pattern's whitespace class are the
        same set, so ``lstrip`` removes exactly the gap). The kind is not returned: it is a function of the
        surface form, so a caller that caches per type asks :meth:`kind_at` once per new type. The text is read
        in slices of about :attr:`slice_chars` cut at whitespace (which no token crosses, and where every
        lookaround of the pattern sees the same as in the whole text), so the per-token strings only exist for
        one slice at a time.
        """
        findall, punct, pos, n = self._gapped.findall, self._punct_char.fullmatch, 0, len(text)
        while pos < n:
            cut = self._cut.search(text, min(pos + self.slice_chars, n))
            end = cut.start() if cut else n
            chunks = findall(text, pos, end)
            lengths = list(map(len, chunks))
            # Like punctuation characters touching are one token ("!!", "،،"), which the pattern cut into one
            # chunk each: every one after the first is a one-character chunk (no gap) equal to the last character
            # of the chunk before it. The few such chunks are joined back onto the run they continue.
            ones = list(compress(count(), map(eq, lengths, repeat(1))))
            last_before = map(itemgetter(-1), map(chunks.__getitem__, map(sub, ones, repeat(1))))
            joined = 0
            for k in list(compress(ones, map(eq, last_before, map(chunks.__getitem__, ones)))):
                if not k:
                    continue  # (chunks[-1] is no chunk before the first)
                k -= joined
                before, char = chunks[k - 1], chunks[k]
                if punct(char) and not before.lstrip().strip(char):
                    chunks[k - 1] = before + char
                    del chunks[k]
                    joined += 1
            if joined:
                lengths = list(map(len, chunks))
            surfaces = list(map(str.lstrip, chunks))
            ends = list(accumulate(lengths, initial=pos))
            del ends[0], chunks, lengths
            yield list(map(sub, ends, map(len, surfaces))), ends, surfaces
            pos = end

    def kind_at(self, text: str, start: int) -> str:
        """The kind of the token that starts at ``start`` of ``text`` (the name of the alternative that matched
        there in :meth:`finditer`, lookbehind included)."""
        return self._pattern.match(text, start).lastgroup

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
        starts = list(map(_start, tokens))
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
