"""Each language's recogniser tables, loaded once on first use and normalised with that language's normaliser.

A language without a table (Russian has no ``months.json``) gets ``None`` and its recognisers add nothing.
"""
from __future__ import annotations

import unicodedata
from functools import cache
from importlib import resources
from operator import attrgetter

from ..core.charmap import load_table
from ..document import Token
from ..lang import LANGUAGES, get_language


def _package(tag: str) -> str:
    return LANGUAGES[tag] + ".data"


def table(tag: str, name: str) -> dict | None:
    """The JSON table ``name`` of language ``tag``, or None if the language has none."""
    if tag not in LANGUAGES:
        return None
    try:
        if not resources.files(_package(tag)).joinpath(name).is_file():
            return None
    except ModuleNotFoundError:  # a language with no data folder at all (Russian)
        return None
    return load_table(_package(tag), name)


def normalizer(tag: str):
    """``str -> str``: the language's match form (its normaliser without the change records)."""
    normalize = get_language(tag).normalize
    return lambda text: normalize(text)[0]


@cache
def numerals(tag: str):
    """The language's :class:`~nuskha.core.numbers.NumeralTable`, or None."""
    from ..core.numbers import NumeralTable

    data = table(tag, "numerals.json")
    return None if data is None else NumeralTable.from_json(data, normalizer(tag))


@cache
def date_grammar(tag: str):
    """The language's :class:`~nuskha.core.dates.DateGrammar` (``months.json`` or ``dates.json``), or None."""
    from ..core.dates import DateGrammar, DateTables

    dates = table(tag, "months.json") or table(tag, "dates.json")
    nums = table(tag, "numerals.json")
    if dates is None or nums is None:
        return None
    return DateGrammar(DateTables.from_json(dates, nums, normalizer(tag)))


#: ``(token list, its length then, {casefold: word list})`` of the last document: the date and troop
#: recognisers read the same normal forms of the same tokens one after the other. The list itself is held, so
#: that its identity cannot pass to another list while cached; the entry is replaced whole, never edited, so
#: that a reader in another thread gets its own document's words or none.
_WORDS: list = [None]


_lex_norm = attrgetter("lex.norm")


def token_words(tokens: list[Token], casefold: bool = False) -> list[str]:
    """The normal form of every token (casefolded if asked), computed once per token list; do not modify it."""
    entry = _WORDS[0]
    if entry is None or entry[0] is not tokens or entry[1] != len(tokens):
        entry = _WORDS[0] = (tokens, len(tokens), {})
    words = entry[2].get(casefold)
    if words is None:
        words = list(map(_lex_norm, tokens))
        if casefold:
            words = [w.casefold() for w in words]
        entry[2][casefold] = words
    return words


def forget_token_words() -> None:
    """Drop the cached word lists and the token list they hold (the last reader calls this: a long-running
    process should not keep a book's tokens alive after its document)."""
    _WORDS[0] = None


def after_clitic(token: Token, prefix: int) -> int:
    """Absolute offset in the original text after the first ``prefix`` letters of ``token`` (a proclitic).

    The normal form drops diacritics and tatweel, so letters are counted on the written form, skipping the
    marks that follow each of them.
    """
    if prefix <= 0:
        return token.start
    text = token.text
    i = seen = 0
    while i < len(text) and seen < prefix:
        i += 1
        seen += 1
        while i < len(text) and (unicodedata.category(text[i]).startswith("M") or text[i] == "\u0640"):
            i += 1
    return token.start + i
