"""Language bindings. Each ``nuskha.lang.<code>`` package holds its tables under ``data/`` and a short binding
that builds a :class:`nuskha.core.language.Language` from them. Bindings are built on first use, never at import.
"""
from __future__ import annotations

from functools import cache
from importlib import import_module

from ..core.language import Language
from ..errors import LanguageError

#: BCP 47 tag -> module that builds it.
LANGUAGES = {
    "ar": "nuskha.lang.ar",
    "kk": "nuskha.lang.kk",
    "kk-Latn": "nuskha.lang.kk",
    "ru": "nuskha.lang.ru",
}


@cache
def get_language(tag: str) -> Language:
    """The :class:`Language` for a BCP 47 tag (``ar``, ``kk``, ``kk-Latn``, ``ru``)."""
    try:
        module = LANGUAGES[tag]
    except KeyError:
        raise LanguageError(f"unsupported language {tag!r} (known: {', '.join(LANGUAGES)})") from None
    return import_module(module).build(tag)
