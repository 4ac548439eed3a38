"""Transliteration by ordered rule tables, and cross-script skeleton keys.

One mechanism, :class:`RuleMap`, serves every table: rules are ``source -> target`` pairs applied left to right,
the longest source first (so ``ch`` wins over ``c``), to a case-folded copy of the input; the case of each
source match is carried over to its target. A target may list several options (``"h": ["х", "һ"]``): the first
is the default, a ``context`` entry may pick another next to a vowel, and every choice made without a lexicon
entry is returned as an :class:`Ambiguity` so that nothing is guessed silently.

Tables are data (``nuskha/lang/<xx>/data/*.json``):

- ``kk/data/latin2021.json`` -- the Kazakh Latin alphabet of 2021 <-> Cyrillic, both directions, with a small
  lexicon for words whose ambiguous letters the rules cannot settle;
- ``ar/data/translit_key.json`` and ``kk/data/translit_key.json`` -- letters -> a Latin consonant skeleton, the
  space in which ``تيمور ملك``, ``Темір-Мәлік`` and ``Temur Malik`` all become ``tmr mlk``.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Mapping

import regex

from .charmap import load_table
from .script import main_script

_WORD = regex.compile(r"[\p{L}\p{M}]+")
_MARKS = regex.compile(r"[\p{Mn}\p{Me}\u0640]")


@dataclass(frozen=True, slots=True)
class Ambiguity:
    """An ambiguous source letter at ``[start, end)`` of the input, read as ``chosen`` out of ``options``."""

    start: int
    end: int
    source: str
    chosen: str
    options: tuple[str, ...]

    def to_json(self) -> dict:
        return {"start": self.start, "end": self.end, "source": self.source, "chosen": self.chosen,
                "options": list(self.options)}


class RuleMap:
    """Ordered multi-character rules ``source -> target | [options]``, longest source first.

    ``lower``/``upper`` override Python's case mapping where an alphabet needs it (Latin ``I`` is the capital of
    dotless ``ı`` and ``İ`` of ``i`` in the 2021 Kazakh alphabet). ``vowels`` and ``context`` choose among
    options: ``context[source] = option`` is taken right after a vowel (Kazakh ``й`` closes a syllable).
    """

    __slots__ = ("rules", "lower", "upper", "vowels", "context", "_pattern", "_table")

    def __init__(self, rules: Mapping[str, str | list[str]], lower: Mapping[str, str] | None = None,
                 upper: Mapping[str, str] | None = None, vowels: str = "",
                 context: Mapping[str, str] | None = None):
        self.rules: dict[str, tuple[str, ...]] = {}
        for src, tgt in rules.items():
            options = (tgt,) if isinstance(tgt, str) else tuple(tgt)
            if not src or not options or not all(isinstance(o, str) for o in options):
                raise ValueError(f"bad transliteration rule {src!r} -> {tgt!r}")
            self.rules[src] = options
        self.lower = dict(lower or {})
        self.upper = dict(upper or {})
        self.vowels = frozenset(vowels)
        self.context = dict(context or {})
        keys = sorted(self.rules, key=lambda k: (-len(k), k))
        self._pattern = regex.compile("|".join(regex.escape(k) for k in keys)) if keys else None
        # one character to one fixed string everywhere: str.translate does the same work in C
        simple = all(len(k) == 1 and len(v) == 1 for k, v in self.rules.items())
        self._table = str.maketrans({k: v[0] for k, v in self.rules.items()}) if simple else None

    def fold(self, text: str) -> str:
        """Lower-case ``text`` one character for one character (so offsets stay valid)."""
        if not self.lower:
            low = text.lower()
            if len(low) == len(text):
                return low
        out = []
        for ch in text:
            low = self.lower.get(ch)
            if low is None:
                low = ch.lower()
                if len(low) != 1:  # Python's "İ".lower() is two characters
                    low = ch
            out.append(low)
        return "".join(out)

    def map_folded(self, folded: str) -> str:
        """Apply the rules to already case-folded text, ignoring case and ambiguity (skeleton keys)."""
        if self._table is not None:
            return folded.translate(self._table)
        return self.apply(folded)[0]

    def _case(self, target: str, source: str, next_upper: bool) -> str:
        if not target or not source[0].isupper():
            return target
        if len(source) > 1 and source.isupper() or next_upper:
            return "".join(self.upper.get(c, c.upper()) for c in target)
        return self.upper.get(target[0], target[0].upper()) + target[1:]

    def apply(self, text: str, base: int = 0) -> tuple[str, list[Ambiguity]]:
        """Transliterate ``text``; ambiguities carry offsets into ``text`` shifted by ``base``."""
        if self._pattern is None:
            return text, []
        folded = self.fold(text)
        out: list[str] = []
        flags: list[Ambiguity] = []
        pos = 0
        n = len(text)
        for m in self._pattern.finditer(folded):
            s, e = m.span()
            out.append(text[pos:s])
            options = self.rules[m.group()]
            chosen = options[0]
            if len(options) > 1:
                alt = self.context.get(m.group())
                if alt is not None and s > 0 and folded[s - 1] in self.vowels:
                    chosen = alt
                flags.append(Ambiguity(base + s, base + e, text[s:e], chosen, options))
            source = text[s:e]
            next_upper = source[0].isupper() and e < n and text[e].isupper()
            out.append(self._case(chosen, source, next_upper))
            pos = e
        out.append(text[pos:])
        return "".join(out), flags


# --- Kazakh: 2021 Latin alphabet <-> Cyrillic --------------------------------------------------------------

@dataclass(frozen=True)
class Alphabet:
    """Both directions of one Latin <-> Cyrillic correspondence plus its lexicon of settled words."""

    to_latin: RuleMap
    to_cyrillic: RuleMap
    lexicon: dict[str, str]  # case-folded Latin word -> Cyrillic word


@cache
def kazakh_latin_2021() -> Alphabet:
    table = load_table("nuskha.lang.kk.data", "latin2021.json")
    case = table["latin_case"]
    latin_lower = {up: low for low, up in case.items()}
    to_latin = RuleMap(table["cyrl2latn"], upper=case)
    to_cyrillic = RuleMap(table["latn2cyrl"], lower=latin_lower, vowels=table["latin_vowels"],
                          context=table.get("context", {}))
    return Alphabet(to_latin, to_cyrillic, dict(table.get("lexicon", {})))


def to_latin(text: str) -> str:
    """Kazakh Cyrillic -> the 2021 Kazakh Latin alphabet (other characters are kept).

    >>> to_latin("Темір-Мәлік Шыңғыс")
    'Temır-Mälık Şyñğys'
    """
    return kazakh_latin_2021().to_latin.apply(text)[0]


def to_cyrillic(text: str) -> tuple[str, list[Ambiguity]]:
    """2021 Kazakh Latin -> Cyrillic, and the letters whose reading was a choice (``h`` х/һ, ``i`` и/й ...).

    Words in the alphabet's lexicon are read from it and raise no flag; other ambiguous letters take the
    table's default (or its vowel-context option) and are flagged with their offsets in ``text``.

    >>> to_cyrillic("Temır-Mälık")
    ('Темір-Мәлік', [])
    """
    alphabet = kazakh_latin_2021()
    rules, lexicon = alphabet.to_cyrillic, alphabet.lexicon
    out: list[str] = []
    flags: list[Ambiguity] = []
    pos = 0
    for m in _WORD.finditer(text):
        out.append(text[pos:m.start()])
        word = m.group()
        known = lexicon.get(rules.fold(word))
        if known is not None:
            out.append(_copy_case(known, word))
        else:
            converted, word_flags = rules.apply(word, m.start())
            out.append(converted)
            flags.extend(word_flags)
        pos = m.end()
    out.append(text[pos:])
    return "".join(out), flags


def _copy_case(target: str, source: str) -> str:
    if source.isupper() and len(source) > 1:
        return target.upper()
    if source[:1].isupper():
        return target[:1].upper() + target[1:]
    return target


# --- Skeleton keys across scripts --------------------------------------------------------------------------

@dataclass(frozen=True)
class SkeletonTable:
    rules: RuleMap
    strip_prefixes: tuple[str, ...]  # e.g. the Arabic article, dropped from words longer than itself + 2
    drop_words: frozenset[str]  # particles written apart: al-, ad-, ibn


_KEY_TABLES = {"Arab": ("nuskha.lang.ar.data", "arab"), "Cyrl": ("nuskha.lang.kk.data", "cyrl"),
               "Latn": ("nuskha.lang.kk.data", "latn")}
_LANG_SCRIPTS = {"ar": "Arab", "kk": "Cyrl", "ru": "Cyrl", "kk-Latn": "Latn", "latn": "Latn", "en": "Latn"}


@cache
def _skeleton_table(script: str) -> SkeletonTable:
    package, section = _KEY_TABLES[script]
    table = load_table(package, "translit_key.json")[section]
    return SkeletonTable(RuleMap(table["rules"]), tuple(table.get("strip_prefixes", ())),
                         frozenset(table.get("drop_words", ())))


def skeleton_key(text: str, lang: str | None = None) -> str:
    """A Latin consonant skeleton of ``text`` under which spellings of one name meet across scripts.

    Vowel letters (and ``و ي ا``, ``й``, ``w``, ``y``) are dropped, consonants fall into broad classes
    (``خ ق ك х қ к kh q k`` -> ``k``), words are joined by one space; a hyphen separates words too. ``lang``
    picks the table (``ar``, ``kk``, ``ru``, ``latn``); when it is None each word's own script decides, so a
    mixed query works. Deterministic: no optional dependency takes part.

    >>> skeleton_key("تيمور ملك"), skeleton_key("Темір-Мәлік"), skeleton_key("Temur Malik")
    ('tmr mlk', 'tmr mlk', 'tmr mlk')
    """
    script = _LANG_SCRIPTS.get(lang) if lang else None
    if lang and script is None:
        raise ValueError(f"no skeleton table for language {lang!r}")
    words = []
    for m in _WORD.finditer(_MARKS.sub("", text)):
        word = m.group()
        word_script = script or main_script(word)
        if word_script not in _KEY_TABLES:
            words.append(word.casefold())
            continue
        table = _skeleton_table(word_script)
        if table.rules.fold(word) in table.drop_words:
            continue
        for prefix in table.strip_prefixes:
            if word.startswith(prefix) and len(word) > len(prefix) + 2:
                word = word[len(prefix):]
                break
        key = table.rules.map_folded(table.rules.fold(word))
        if key:
            words.append(key)
    return " ".join(words)


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance (insertions, deletions, substitutions all cost 1)."""
    if len(a) < len(b):
        a, b = b, a
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def key_similarity(a: str, b: str) -> float:
    """1 - normalised edit distance of two skeleton keys, spaces ignored (1.0 = same key, 0.0 = nothing shared).

    >>> key_similarity("tmr mlk", "tmrmlk")
    1.0
    """
    a, b = a.replace(" ", ""), b.replace(" ", "")
    if not a and not b:
        return 1.0
    if not a or not b:
        return 0.0
    return 1.0 - edit_distance(a, b) / max(len(a), len(b))


# --- Loose Latin keys: 2018 and 2021 Kazakh Latin, ASCII, scholarly Latin, Cyrillic in one key ---------------

#: Kazakh Cyrillic (and Russian) letters -> a plain ASCII spelling. Data, not rules: one entry a letter.
LOOSE_CYRILLIC = {
    "а": "a", "ә": "a", "б": "b", "в": "v", "г": "g", "ғ": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh",
    "з": "z", "и": "i", "й": "i", "к": "k", "қ": "k", "л": "l", "м": "m", "н": "n", "ң": "ng", "о": "o",
    "ө": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ұ": "u", "ү": "u", "ф": "f", "х": "h",
    "һ": "h", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "sh", "ъ": "", "ы": "y", "і": "i", "ь": "", "э": "e",
    "ю": "yu", "я": "ya",
}
#: Latin letters of the 2018 (acute) and 2021 Kazakh alphabets, Turkic and scholarly transliteration -> ASCII;
#: digraphs first. Letters not listed lose their marks (ā -> a) and keep their base.
LOOSE_LATIN = {
    "dzh": "zh", "dj": "zh", "kh": "h", "j": "zh", "ş": "sh", "ç": "ch", "ǵ": "g", "ğ": "g", "ń": "ng",
    "ñ": "ng", "ı": "i", "i̇": "i", "q": "k", "x": "h", "w": "u", "ý": "u", "ū": "u",
}
#: The Arabic article as scholars write it assimilated (ad-Din, ash-Shash, as-Salih): read as al-.
_ASSIMILATED_ARTICLE = regex.compile(r"(?<![\p{L}])a[dtrsznl]h?-(?=\p{L})|(?<![\p{L}])[ae]l-")
_NON_LETTER = regex.compile(r"[^a-z0-9]+")
_REPEAT = regex.compile(r"(.)\1+")


@cache
def _loose_latin() -> RuleMap:
    return RuleMap(LOOSE_LATIN)


def loose_key(text: str) -> str:
    """A forgiving ASCII key under which Kazakh Cyrillic, the 2018 and 2021 Latin alphabets, ASCII spellings and
    scholarly transliterations of one name meet: letters folded to ASCII, repeats collapsed, spaces and
    hyphens dropped. Lossy by design (ә and а meet); callers use it after exact keys have failed.

    >>> loose_key("Шыңғыс хан"), loose_key("Shyńǵys han"), loose_key("Shyngys han"), loose_key("Şyñğys han")
    ('shyngyshan', 'shyngyshan', 'shyngyshan', 'shyngyshan')
    >>> loose_key("Djalal ad-Din") == loose_key("Jalāl al-Dīn") == loose_key("Жалал ад-Дин")
    True
    """
    import unicodedata

    out = []
    for m in _WORD.finditer(text.replace("-", "- ")):
        word = m.group()
        if main_script(word) == "Cyrl":
            low = word.lower().replace("дж", "ж")  # Russian Джалал = Kazakh Жалал
            out.append("".join(LOOSE_CYRILLIC.get(ch, ch) for ch in low))
            continue
        folded = _loose_latin().fold(unicodedata.normalize("NFC", word))
        folded = _loose_latin().map_folded(folded)
        folded = "".join(ch for ch in unicodedata.normalize("NFKD", folded) if not unicodedata.combining(ch))
        out.append(folded.lower())
    joined = _ASSIMILATED_ARTICLE.sub("al-", " ".join(out).replace("- ", "-"))
    # ad-Din / al-Din / ad Din: the article's consonant is the assimilated one, so only "al" survives
    joined = regex.sub(r"(?<![a-z])a[dtrsznl]h?(?=[ -])", "al", joined)
    return _REPEAT.sub(r"\1", _NON_LETTER.sub("", joined))
