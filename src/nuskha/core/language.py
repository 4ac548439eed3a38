"""A language binding: the shared mechanisms plus one language's tables.

``nuskha.lang.<tag>`` modules each build one :class:`Language` from their data folder. Nothing language-specific
lives here; the per-type lexeme cache lives here, so every language gets it for free.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from itertools import compress, count, repeat
from operator import is_
from typing import Callable

from ..document import ABBR, NUMBER, WORD, Change, Lexeme, Segment, Token
from .bulk import cycle_collection_paused
from .tokenize import Tokenizer

Normalizer = Callable[[str], tuple[str, tuple[Change, ...]]]
#: (surface text, normal form) -> (lemma, segments relative to the surface text)
Analyzer = Callable[[str, str], tuple[str, tuple[Segment, ...]]]


def no_analysis(text: str, norm: str) -> tuple[str, tuple[Segment, ...]]:
    return norm, ()


@dataclass
class Language:
    """Everything the pipeline needs to know about one language."""

    tag: str  # BCP 47: ar, kk, kk-Latn, ru
    name: str
    script: str  # ISO 15924 of the main script: Arab, Cyrl, Latn
    direction: str  # rtl | ltr
    tokenizer: Tokenizer
    normalize: Normalizer
    analyze: Analyzer = no_analysis
    #: The analysis of a capitalised word opening a sentence, where the capital says nothing (Kazakh: read as any
    #: other word unless it is a known or learnt name); None: the same as anywhere else.
    analyze_initial: Analyzer | None = None
    #: Re-reads, in place, words whose analysis their neighbours decide: ``(text, tokens)``, after
    #: :meth:`reread_sentence_starts` (Kazakh: ``ала алмады``, a converb before an auxiliary verb, is ``ал``);
    #: None: every token keeps the analysis of its type.
    reread_in_context: Callable[[str, list[Token]], None] | None = None
    lowercase_key: bool = True  # the script has case: match keys are case-folded
    # surface form -> Lexeme. The tokenizer's character classes make the kind a function of the surface form.
    _lexemes: dict[str, Lexeme] = field(default_factory=dict, repr=False)
    _initial: dict[str, Lexeme] = field(default_factory=dict, repr=False)  # the same at sentence starts

    def lexeme(self, text: str, kind: str) -> Lexeme:
        """The cached :class:`Lexeme` for a surface form (normalised and analysed once per type)."""
        lex = self._lexemes.get(text)
        if lex is None:
            if kind in (WORD, NUMBER, ABBR):
                norm, changes = self.normalize(text)
                lemma, segments = self.analyze(text, norm) if kind != ABBR else (norm, ())
            else:
                norm, changes, lemma, segments = text, (), text, ()
            lex = Lexeme(text, kind, norm, lemma, segments, changes)
            self._lexemes[text] = lex
        return lex

    def tokens(self, text: str) -> list[Token]:
        """Tokenise ``text`` and attach each token's cached lexeme: the hot loop of the whole toolkit.

        Offsets, surfaces and the lookup of known types are list-wide C calls (:meth:`Tokenizer.runs`, ``map``);
        Python runs once per token only to build the :class:`Token`, and once per new type to analyse it.
        """
        get, make, kind_at = self._lexemes.get, self.lexeme, self.tokenizer.kind_at
        out: list[Token] = []
        with cycle_collection_paused():  # hundreds of thousands of objects, none in a cycle
            for starts, ends, surfaces in self.tokenizer.runs(text):
                lexemes = list(map(get, surfaces))
                # (not ``None in lexemes``: that would call Lexeme.__eq__ on every token; the indexes in C)
                for k in list(compress(count(), map(is_, lexemes, repeat(None)))):
                    # a type seen earlier in this text is cached by now; a new one is read at its first occurrence
                    lexemes[k] = get(surfaces[k]) or make(surfaces[k], kind_at(text, starts[k]))
                out += map(Token, starts, ends, lexemes)
        return out

    def reread_sentence_starts(self, tokens: list[Token], sentences) -> None:
        """Give the first word of each sentence, if capitalised, the lexeme of :attr:`analyze_initial` (cached
        per type); other tokens keep theirs. Nothing happens for a language without one."""
        if self.analyze_initial is None or not tokens:
            return
        from bisect import bisect_left

        starts = [t.start for t in tokens]
        for sent in sentences:
            k = bisect_left(starts, sent.start)
            while k < len(tokens) and tokens[k].start < sent.end and tokens[k].lex.kind not in (WORD, NUMBER):
                k += 1  # past an opening quote or dash
            if k >= len(tokens) or tokens[k].start >= sent.end:
                continue
            lex = tokens[k].lex
            if lex.kind != WORD or not lex.text[:1].isupper():
                continue
            initial = self._initial.get(lex.text)
            if initial is None:
                lemma, segments = self.analyze_initial(lex.text, lex.norm)
                initial = self._initial[lex.text] = Lexeme(lex.text, lex.kind, lex.norm, lemma, segments, lex.changes)
            tokens[k].lex = initial

    def clear_cache(self) -> None:
        self._lexemes.clear()
        self._initial.clear()

    def match_key(self, norm: str) -> str:
        """A key under which spelling variants of a name meet: case-folded, spaces and hyphens removed.

        ``Темір-Мәлік``/``ТемірМәлік``/``Темір Мәлік`` and ``جنكز خان``/``جنكزخان`` each share one key.
        """
        key = norm.casefold() if self.lowercase_key else norm
        return key.replace(" ", "").replace("-", "").replace("\u2010", "")
