"""A language binding: the shared mechanisms plus one language's tables.

``nuskha.lang.<tag>`` modules each build one :class:`Language` from their data folder. Nothing language-specific
lives here; the per-type lexeme cache lives here, so every language gets it for free.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from ..document import NUMBER, WORD, Change, Lexeme, Segment
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
    lowercase_key: bool = True  # the script has case: match keys are case-folded
    _lexemes: dict[tuple[str, str], Lexeme] = field(default_factory=dict, repr=False)

    def lexeme(self, text: str, kind: str) -> Lexeme:
        """The cached :class:`Lexeme` for a surface form (normalised and analysed once per type)."""
        key = (text, kind)
        lex = self._lexemes.get(key)
        if lex is None:
            if kind in (WORD, NUMBER, "abbr"):
                norm, changes = self.normalize(text)
                lemma, segments = self.analyze(text, norm) if kind != "abbr" else (norm, ())
            else:
                norm, changes, lemma, segments = text, (), text, ()
            lex = Lexeme(text, kind, norm, lemma, segments, changes)
            self._lexemes[key] = lex
        return lex

    def match_key(self, norm: str) -> str:
        """A key under which spelling variants of a name meet: case-folded, spaces and hyphens removed.

        ``Темір-Мәлік``/``ТемірМәлік``/``Темір Мәлік`` and ``جنكز خان``/``جنكزخان`` each share one key.
        """
        key = norm.casefold() if self.lowercase_key else norm
        return key.replace(" ", "").replace("-", "").replace("\u2010", "")
