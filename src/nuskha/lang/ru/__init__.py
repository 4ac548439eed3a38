"""Russian: for Russian passages and Russian forms of names (Чингисхана -> чингисхан), lemmatised by pymorphy3."""
from __future__ import annotations

from functools import lru_cache

from ...core.charmap import compose, nfc
from ...core.language import Language
from ...core.tokenize import Tokenizer, TokenizerTables


@lru_cache(maxsize=1)
def _morph():
    import pymorphy3  # loaded on first Russian word: its dictionaries take ~0.5 s

    return pymorphy3.MorphAnalyzer()


def lemma(word: str) -> str:
    """pymorphy3's most probable normal form of ``word`` (a hyphenated name is lemmatised part by part)."""
    parts = word.split("-")
    out = []
    for part in parts:
        try:
            parses = _morph().parse(part) if part else ()
        except ValueError:  # pymorphy3 asks unicodedata.name() of each letter: unassigned or rare ones (Tangut) have none
            parses = ()
        out.append(parses[0].normal_form if parses else part.lower())
    return "-".join(out)


def analyze(text: str, norm: str):
    return lemma(norm), ()


def build(tag: str = "ru") -> Language:
    return Language(
        tag=tag, name="Russian", script="Cyrl", direction="ltr",
        tokenizer=Tokenizer(TokenizerTables(word_joiners="-")),
        normalize=lambda text: compose(text, nfc),
        analyze=analyze,
    )
