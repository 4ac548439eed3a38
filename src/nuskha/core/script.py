"""Which script a text or a word is written in, and what language that suggests."""
from __future__ import annotations

from collections import Counter

import regex

# runs, not single letters: one match a word instead of one a letter (a book's script check took a second)
_SCRIPTS = ("Arab", "Cyrl", "Latn")
_SCRIPT_LETTERS = tuple(regex.compile(rf"\p{{Script={name}}}+") for name in ("Arabic", "Cyrillic", "Latin"))
#: Letters only Kazakh (not Russian) Cyrillic uses.
KAZAKH_CYRILLIC = frozenset("әғқңөұүһіӘҒҚҢӨҰҮҺІ")
#: Letters of the 2021 Kazakh Latin alphabet absent from English.
KAZAKH_LATIN = frozenset("äğıñöūüşÄĞİÑÖŪÜŞ")


def script_counts(text: str) -> Counter:
    """Letters per script (``Arab``, ``Cyrl``, ``Latn``), counting letters only, not digits or marks; a script with
    no letter is left out."""
    # One C-level deletion per script and a length difference: iterating the runs in Python cost a tenth of a
    # Kazakh annotate (a run is about a word), and the check runs on every text, --lang given or not.
    counts: Counter = Counter()
    size = len(text)
    for name, pattern in zip(_SCRIPTS, _SCRIPT_LETTERS):
        letters = size - len(pattern.sub("", text))
        if letters:
            counts[name] = letters
    return counts


def main_script(text: str) -> str | None:
    counts = script_counts(text)
    return counts.most_common(1)[0][0] if counts else None


def detect_lang(text: str) -> str | None:
    """A BCP 47 tag for ``text`` from its letters: ``ar``, ``kk``, ``kk-Latn``, ``ru``; None if no letters.

    Cyrillic with any Kazakh-only letter is Kazakh, otherwise Russian; Latin with 2021 Kazakh letters is
    ``kk-Latn``. Other Latin text has no pipeline and returns ``None``.
    """
    script = main_script(text)
    if script == "Arab":
        return "ar"
    if script == "Cyrl":
        return "kk" if any(ch in KAZAKH_CYRILLIC for ch in text) else "ru"
    if script == "Latn" and any(ch in KAZAKH_LATIN for ch in text):
        return "kk-Latn"
    return None


def is_majority(word: str, script: str) -> bool:
    """True when most letters of ``word`` are in ``script`` (ties go against it)."""
    counts = script_counts(word)
    total = sum(counts.values())
    return counts[script] * 2 > total
