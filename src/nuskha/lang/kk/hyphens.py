"""Kazakh hyphenated tokens that are two words, split in running text.

The tokenizer joins letters across a hyphen (``Темір-Мәлік``, ``Көші-қон``, ``АҚШ-пен``) and a number and its
hyphenated ending (``300-дей``, ``2020-сыншы``). UD Kazakh-KTB follows Apertium's tokenisation, where a hyphen
parts two words unless the lexicon lists the hyphenated form whole or the part after it is only suffixes. So a
token is split into word, hyphen, word when it is:

- a number before a word that is no suffix chain: ``1-кезеңінің`` (the first stage's), ``15-жылдығының`` --
  unless the word is one the date grammar reads with its year or an ordinal ending (``1219-жылы``, ``5-ші``:
  ``dates.json``), which stays one token for it;
- a word closed by a case ending (after which no Kazakh word form goes on) before another: ``күннен-күнге``;
- a word repeated with its own endings: ``қала-қалаға``, ``ауыл-ауылдан`` (one lemma, at least one side
  inflected);
- a pair of two lower-case words (a pair word) that the lexicon does not list whole: ``жеміс-жидектер``,
  ``төсек-орын``.

A compound name (``Темір-Мәлік``, ``Нью-Йорк``: capitalised parts; ``ад-Динмен``), a word and its particle
(``сондай-ақ``, ``irregular.json``), a doubled function word (``бір-бірімен``) and a word whose second part is only
suffixes (``АҚШ-пен``) stay whole. The decision is made once per surface form.
"""
from __future__ import annotations

from bisect import bisect_right
from functools import cache, lru_cache
from operator import attrgetter
from typing import Callable

import regex

from ...core.affixes import suffix_chain
from ...core.charmap import load_table
from ...document import NUMBER, PUNCT, WORD, Lexeme, Token

DATA = "nuskha.lang.kk.data"
#: A hyphen between a letter or digit and a letter: where a token may be cut (found over the whole text in C;
#: matching the hyphen alone, its neighbours looked at around it, scans twice as fast as matching all three).
_CANDIDATE = regex.compile(r"(?<=[\p{L}\p{Nd}])[-\u2010\u2011](?=\p{L})")
_ONE_HYPHEN = regex.compile(r"([^-\u2010\u2011]+)([-\u2010\u2011])([^-\u2010\u2011'’]+)")
_DIGITS = regex.compile(r"\p{Nd}+(?:[.,]\p{Nd}+)*")
#: Case endings that close a Kazakh word form (``suffixes.json`` morph names); not the locative, which the
#: attributive -ғы/-гі may follow inside the same word.
_CLOSING_CASES = frozenset({"gen", "acc", "dat", "abl", "ins"})
_START = attrgetter("start")


@cache
def _date_words() -> frozenset[str]:
    """Words the date grammar reads with a year or century before them (``жылы``, ``ғасырдың``) and the month
    names: a number joined to one by a hyphen stays one token for it."""
    table = load_table(DATA, "dates.json")
    words = set(table.get("year_words_after", ())) | set(table.get("century_words_after", ()))
    for months in table.get("months", {}).values():
        words.update(months)
    return frozenset(w.casefold() for w in words)


@cache
def _ordinal_endings() -> tuple[str, ...]:
    """The ordinal endings written after digits (``dates.json``: ``5-ші``, ``2020-сыншы``)."""
    return tuple(load_table(DATA, "dates.json").get("ordinal_suffixes", ()))


@lru_cache(maxsize=1 << 14)
def split_point(surface: str) -> int | None:
    """Where ``surface`` (one token, one hyphen) is two words: the offset of its hyphen, or None."""
    from .morphology import analyze, automaton, closed_class, hyphen_particles, last_suffix, lexicon

    m = _ONE_HYPHEN.fullmatch(surface)
    if m is None:
        return None
    first, _, second = m.groups()
    low = second.lower()
    if suffix_chain(automaton(), low) is not None:  # АҚШ-пен, 300-дей, 55-ші: one word and its endings
        return None
    if _DIGITS.fullmatch(first):
        if low in _date_words() or any(low.startswith(o) and (low == o or suffix_chain(automaton(), low[len(o):]))
                                       for o in _ordinal_endings()):
            return None  # 1219-жылы (the date grammar's), 55-ші, 5-шіден: a number and its ordinal ending
        return len(first)
    if not first[:1].isalpha() or low in hyphen_particles():
        return None  # сондай-ақ: a word and its particle
    if first[:1].isupper() and second[:1].isupper():
        return None  # Темір-Мәлік, Қасым-Жомарт: a compound name
    lemma1, lemma2 = analyze(first, first)[0].lower(), analyze(second, second)[0].lower()
    if lemma1 == lemma2 and (lemma1 in closed_class() or first.lower() == low):
        return None  # бір-бірімен (the reciprocal pronoun), әр-әр: a word doubled whole
    if last_suffix(first.lower()) in _CLOSING_CASES:  # күннен-күнге
        return len(first)
    if lemma1 == lemma2:  # қала-қалаға
        return len(first)
    if first.islower() and second.islower() and len(first) > 1 and len(second) > 1 \
            and surface.lower() not in lexicon():
        return len(first)  # жеміс-жидектер: a pair word no lexicon lists
    return None


def split_two_word_tokens(text: str, tokens: list[Token], lexeme: Callable[[str, str], Lexeme],
                          initial: Callable[[Lexeme], Lexeme]) -> None:
    """Replace, in place, each token that is two words joined by a hyphen (:func:`split_point`) by the two words
    and the hyphen. ``lexeme(surface, kind)`` gives a part's cached lexeme; ``initial(lex)`` the reading of a
    capitalised sentence-initial word, used for the first part when the whole token had one."""
    found: list[tuple[int, int]] = []
    last = -1
    starts = None
    for m in _CANDIDATE.finditer(text):
        if starts is None:  # built once, at the first candidate: bisect then runs in C
            starts = list(map(_START, tokens))
        i = bisect_right(starts, m.start()) - 1  # the token the hyphen lies in, if any
        if i <= last or i < 0 or tokens[i].end <= m.start():
            continue
        tok = tokens[i]
        if tok.lex.kind not in (WORD, NUMBER):
            continue
        cut = split_point(tok.lex.text)
        if cut is not None:
            found.append((i, cut))
            last = i
    if not found:
        return
    out: list[Token] = []
    prev = 0
    for i, cut in found:  # one new list, not a slice assignment per split (each would move the whole tail)
        out += tokens[prev:i]
        tok = tokens[i]
        surface = tok.lex.text
        first_text, second_text = surface[:cut], surface[cut + 1:]
        first = lexeme(first_text, NUMBER if first_text[:1].isdigit() else WORD)
        if tok.lex is not lexeme(surface, tok.lex.kind) and first.kind == WORD:
            first = initial(first)  # the token opened a sentence: so does its first word
        out += (Token(tok.start, tok.start + cut, first),
                Token(tok.start + cut, tok.start + cut + 1, lexeme(surface[cut], PUNCT)),
                Token(tok.start + cut + 1, tok.end, lexeme(second_text, WORD)))
        prev = i + 1
    out += tokens[prev:]
    tokens[:] = out
