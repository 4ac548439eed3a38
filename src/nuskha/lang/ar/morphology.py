"""Arabic clitic segmentation: proclitics, the article and pronoun enclitics as offsets into the written word.

``analyze(text, norm)`` cuts one surface form into segments RELATIVE to ``text`` -- the word as written, with
any diacritics, tatweel or presentation forms -- and returns ``(lemma, segments)``:

* proclitics ``و ف`` (role ``conj``), ``ب ل ك`` (``prep``), ``س`` (``fut``, before an imperfect verb);
* the article ``ال`` (``det``); after ``ل`` it is written ``ل`` alone (``للسلطان`` = ``ل`` + ``ل`` + ``سلطان``)
  and that segment carries ``form="ال"``;
* the stem (``stem``) and a pronoun enclitic (``pron``: ``ه ها هم هما هن ك كم كن ي ني نا``).

A word with no clitic gets no segments. The lemma is the stem without its clitics in the normal form used for
``norm`` (hamza/alef folded, ة → ه, ى → ي, no diacritics): ``وبسمرقند`` → ``سمرقند``, ``ابنتها`` → ``ابنت``.
No attempt is made to restore a teh marbuta written ت before an enclitic or to reach a dictionary form: the
lemma is what is left of the written word, which keeps it predictable for search.

The rules are data (``data/clitics.json``): which clitics exist, how long the rest of the word must be, which
letters may follow a clitic, and a small lexicon of words that merely begin or end with clitic letters
(``بلاد``, ``كان``, ``فرغانة``, ``ولد``, ``هذه``). Rules read the letters only (marks and tatweel dropped, each
letter remembering where it was written, so a cut always falls between written characters); the lexicon is
matched with hamza/alef forms and ى folded as in ``norm`` but ة kept apart from ه (وجهة is not وجه + ه).
Order of decisions: a listed whole-word segmentation (``له``, ``لله``), else a conjunction, then one particle,
then the article, then -- only on an indefinite word without tanween -- one enclitic; each step is refused when
what it would leave is too short or is itself a listed word.

The letter rules cannot tell a clitic from the first letter of an unknown name (بريزبن, وولمار), so a general word
list (``data/lexicon_ayaspell.txt.gz``: ~510k Arabic words without proclitics from the Ayaspell hunspell
dictionary, built by ``tools/build_ar_lexicon.py``, loaded once on first use) then checks the proposed
proclitics: they are taken back, innermost first, when the word is listed and what they leave is not, or when
neither is listed and the rest looks like a transcribed name (see :func:`_proclitics_refused`). The list also lets
ك and ف stand before a listed word the letter rules would not allow (كرئيس), restricts the future marker س to
listed imperfect verbs, and vetoes an enclitic that would cut a listed word into an unlisted one.

When a camel-tools morphology database is available (``NUSKHA_CAMEL_DB``, or camel-tools' installed default),
:mod:`nuskha.lang.ar.camel` may overrule the rules; without it, or offline, the rules alone answer.
"""
from __future__ import annotations

import gzip
import os
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Callable, Sequence

from ...core.charmap import load_table
from ...document import Segment
from ...errors import DataError

DATA = "nuskha.lang.ar.data"
#: The general word list (see ``tools/build_ar_lexicon.py``): words without proclitics, folded like ``norm``.
LEXICON = "lexicon_ayaspell.txt.gz"
TATWEEL = "\u0640"
TANWEEN = frozenset("\u064b\u064c\u064d")  # ً ٌ ٍ
KASRATAN = "\u064d"

#: A split of the letter skeleton: (skeleton start, skeleton end, role, underlying form or None).
Piece = tuple[int, int, str, "str | None"]


@dataclass(frozen=True)
class CliticRules:
    """The tables of ``clitics.json``, with every word already folded to the lexicon key."""

    conjunctions: dict[str, dict]
    particles: dict[str, dict]  # prepositions and the future marker: at most one after a conjunction
    article: str
    article_after_lam: str  # how the article is written after the preposition ل
    min_article_stem: int
    enclitics: dict[str, dict]  # longest first
    hosts: frozenset[str]  # short words a clitic attaches to: قد, هو, ما (وقد, بما)
    words: frozenset[str]  # function words and names that look as if they began or ended with a clitic
    stems: frozenset[str]  # content words that begin with a clitic letter (بلاد, ولد), also when inflected
    endings: tuple[str, ...]  # inflections under which a stem is still recognised (بلدان, ولدت)
    fixed: dict[str, tuple[tuple[str, str, str | None], ...]]  # whole words with a listed segmentation
    min_stem: int
    # the same endings and enclitics grouped by length, so a word's possible endings are found by slicing
    ending_sets: tuple[tuple[int, frozenset[str]], ...] = ()
    enclitic_sets: tuple[tuple[int, frozenset[str]], ...] = ()
    # the same as plain tuples, for one str.endswith test before the loops over the groups: most words end in
    # neither an inflection nor an enclitic
    ending_tuple: tuple[str, ...] = ()
    enclitic_tuple: tuple[str, ...] = ()


# ---------------------------------------------------------------------------------------------------- keys


@cache
def _letter_folder(keep_teh_marbuta: bool) -> tuple[dict[int, str], Callable]:
    """(:func:`_letter_fold` table, a search for any letter it folds): ``str.translate`` looks every character
    up one by one, so the four words in five that hold no letter to fold are answered by one C search instead."""
    table = _letter_fold(keep_teh_marbuta)
    return table, re.compile("[" + "".join(map(chr, table)) + "]").search


@cache
def _letter_fold(keep_teh_marbuta: bool) -> dict[int, str]:
    """Letter -> folded letter: the one-to-one letter part of the Arabic orthographic normalisation (the table
    that makes ``norm``), optionally keeping ة apart from ه."""
    from . import orthographic_map

    fold = {}
    for ch, (rep, kind) in orthographic_map()._map.items():
        if len(rep) == 1 and unicodedata.category(ch).startswith("L"):
            if not (keep_teh_marbuta and kind == "teh_marbuta"):
                fold[ch] = rep
    return str.maketrans(fold)


#: Letters the RULES treat alike (hamza forms stay distinct: إلغاء is not ال + غاء; ة stays distinct from ه).
_RULE_FOLD = {"\u0671": "ا", "\u06a9": "ك", "\u06cc": "ي", "\u06d2": "ي"}


_RULE_TABLE = str.maketrans(_RULE_FOLD)
#: A word of plain Arabic letters only (the common case): its skeleton is itself, no per-character work.
_PLAIN = re.compile(r"[\u0621-\u063a\u0641-\u064a\u0671-\u06d3]+\Z")


#: The same without a letter of _RULE_FOLD (nearly every word): not even a translation.
_PLAIN_UNFOLDED = re.compile(r"[\u0621-\u063a\u0641-\u064a\u0672-\u06a8\u06aa-\u06cb\u06cd-\u06d1\u06d3]+\Z")


def skeleton(text: str) -> tuple[str, Sequence[int]]:
    """The letters of ``text`` (marks, tatweel and format characters dropped; presentation forms expanded)
    and, for each letter, the index in ``text`` of the character it comes from."""
    if _PLAIN_UNFOLDED.match(text):
        return text, range(len(text))
    if _PLAIN.match(text):
        return text.translate(_RULE_TABLE), range(len(text))
    letters: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text):
        if ch == TATWEEL:
            continue
        cat = unicodedata.category(ch)
        if not cat.startswith("L"):
            continue
        if "\ufb50" <= ch <= "\ufeff":  # presentation forms: ﻻ is two letters
            for c in unicodedata.normalize("NFKC", ch):
                if unicodedata.category(c).startswith("L"):
                    letters.append(_RULE_FOLD.get(c, c))
                    where.append(i)
            continue
        letters.append(_RULE_FOLD.get(ch, ch))
        where.append(i)
    return "".join(letters), where


def lexicon_key(letters: str) -> str:
    """Fold a skeleton to the form the lexicon is matched in: hamza/alef forms, ى and Persian letters folded as in
    ``norm``, but ة kept apart from ه (وجهة "direction" is not وجه + ه "his face")."""
    table, search = _letter_folder(True)
    return letters.translate(table) if search(letters) else letters


def lemma_key(letters: str) -> str:
    """Fold letters exactly as ``norm`` does (ة → ه too): the form of lemmas."""
    table, search = _letter_folder(False)
    return letters.translate(table) if search(letters) else letters


# ---------------------------------------------------------------------------------------------------- rules


#: The lists of letters in a proclitic's table that a rest of the word is tested to begin or end with.
_AFFIX_LISTS = ("not_before", "before_any", "only_before", "not_ending", "verb_endings", "bare_root_endings")


@cache
def rules() -> CliticRules:
    """The clitic tables, loaded once."""
    raw = load_table(DATA, "clitics.json")
    key = lexicon_key
    particles = raw["particles"]
    for spec in particles.values():
        if "alef_pattern" in spec:
            spec["alef_re"] = re.compile(spec["alef_pattern"])
    for spec in (*raw["conjunctions"].values(), *particles.values()):
        for name in _AFFIX_LISTS:  # tuples, for one str.startswith / str.endswith test each
            if name in spec:
                spec[name] = tuple(spec[name])
    enclitics = dict(sorted(raw["enclitics"].items(), key=lambda kv: -len(kv[0])))
    for spec in enclitics.values():
        if "bases" in spec:
            spec["bases"] = frozenset(key(b) for b in spec["bases"])
        spec["protect"] = frozenset(key(p) for p in spec.get("protect", ()))
        spec["protect_endings"] = tuple(key(p) for p in spec.get("protect_endings", ()))
    hosts = frozenset(key(w) for w in raw["hosts"])
    fixed = {}
    for word, spec in raw.get("fixed", {}).items():  # "ل:prep ل:det:ال له:stem"
        parts = [p.split(":") for p in spec.split()]
        if "".join(p[0] for p in parts) != word:
            raise DataError(f"fixed segmentation {spec!r} does not spell {word!r}", "clitics.json")
        fixed[key(word)] = tuple((p[0], p[1], p[2] if len(p) > 2 else None) for p in parts)
    return CliticRules(
        conjunctions=raw["conjunctions"],
        particles=particles,
        article=raw["article"]["written"],
        article_after_lam=raw["article"]["after_lam"],
        min_article_stem=raw["article"]["min_stem"],
        enclitics=enclitics,
        hosts=hosts,
        words=hosts | frozenset(key(w) for group in raw["words"].values() for w in group),
        stems=frozenset(key(w) for group in raw["stems"].values() for w in group),
        endings=tuple(sorted({key(e) for e in raw["endings"]} | {""}, key=len)),
        fixed=fixed,
        min_stem=raw["min_stem"],
        ending_sets=by_length(key(e) for e in raw["endings"]),
        enclitic_sets=by_length(enclitics),
        ending_tuple=tuple(e for e in (key(e) for e in raw["endings"]) if e),
        enclitic_tuple=tuple(e for e in enclitics if e),
    )


def by_length(affixes) -> tuple[tuple[int, frozenset[str]], ...]:
    """Non-empty affixes grouped by length: ``((1, {ه, ي}), (2, {ها, هم}), ...)``."""
    groups: dict[int, set[str]] = {}
    for a in affixes:
        if a:
            groups.setdefault(len(a), set()).add(a)
    return tuple((n, frozenset(g)) for n, g in sorted(groups.items()))


def _is_lexical(word: str, r: CliticRules, pronoun: bool = True) -> bool:
    """``word`` (lexicon key) is a listed word, an inflected listed stem, or either with a pronoun: keep whole.

    A stem is recognised under one inflectional ending (``ولايات``, ``لطيفتان``) and, with ``pronoun``, under one
    pronoun enclitic as well (``بطارياتها``, ``بصمتها`` -- a teh marbuta is written ت before the pronoun).
    """
    if word in r.words or word in r.stems:
        return True
    stems = r.stems
    if word.endswith(r.ending_tuple):
        for n, ends in r.ending_sets:
            if word[-n:] in ends and len(word) > n:
                base = word[:-n]
                if base in stems or base + "ة" in stems:  # ولايات from ولاية
                    return True
    if pronoun and word.endswith(r.enclitic_tuple):
        for n, encs in r.enclitic_sets:
            if word[-n:] in encs and len(word) - n >= 3:
                base = word[:-n]
                if base in r.words or _is_lexical(base, r, False):
                    return True
                if base[-1] == "ت" and base[:-1] + "ة" in stems:
                    return True
    return False


_LONG_VOWELS = frozenset("اوي")


def _proclitic_fits(spec: dict, rest: str, rest_key: str, rest_folded: str, r: CliticRules,
                    genitive: bool = False) -> bool:
    """May a proclitic with ``spec`` be cut off before ``rest`` (rule letters) / ``rest_key`` (lexicon key) /
    ``rest_folded`` (folded like ``norm``)? ``genitive``: the word ends in kasratan, so it is a noun in the
    genitive."""
    if spec.get("hosts", True) and rest_key in r.hosts or spec["role"] == "conj" and rest_key in r.fixed:
        return True
    if spec.get("imperfect_listed") and not is_listed(rest_folded, word_list().imperfect):
        return False
    if "alef_re" in spec and rest[:1] == "ا" and not rest.startswith(r.article) and not spec["alef_re"].match(rest):
        return False
    if genitive and spec.get("genitive_any") and len(rest) >= spec.get("min_rest", r.min_stem):
        return True
    if not spec.get("before_lexicon", True) and _is_lexical(rest_key, r):
        return False
    if len(rest) < spec.get("min_rest", r.min_stem):
        return False
    if rest.startswith(spec.get("not_before", ())):
        return False
    if "max_long_vowels" in spec:
        body = rest[1:]
        for end in spec.get("verb_endings", ()):
            if body.endswith(end) and len(body) > len(end) + 1:
                body = body[: -len(end)]
                break
        if sum(c in _LONG_VOWELS for c in body) > spec["max_long_vowels"]:
            return False
    if rest.startswith(spec.get("before_any", ())):
        return True
    if "only_before" in spec:
        return rest.startswith(spec["only_before"]) and not rest.endswith(spec.get("not_ending", ()))
    if "bare_root" in spec:
        root = _verb_body(rest, spec.get("bare_root_endings", ()), r)
        if len(root) == spec["bare_root"] and not set(root) & set(spec.get("long_letters", "")):
            return True
    if spec.get("bare_root_only"):
        return False
    return not rest.endswith(spec.get("not_ending", ()))


def _verb_body(rest: str, endings: Sequence[str], r: CliticRules) -> str:
    """``rest`` less one pronoun enclitic and then one verb ending, as long as three letters remain
    (قتلوه → قتل)."""
    for enc in r.enclitics:
        if rest.endswith(enc) and len(rest) - len(enc) >= 3:
            rest = rest[: -len(enc)]
            break
    for end in endings:
        if rest.endswith(end) and len(rest) - len(end) >= 3:
            return rest[: -len(end)]
    return rest


#: Letters an inflected verb or participle puts before a protected word (يواجه, مشتبه).
_PROTECT_PREFIXES = "يتنام"


def _protected(word: str, protect: Sequence[str]) -> bool:
    """``word`` is one of ``protect`` (words that end like an enclitic), bare or with a verb/participle prefix."""
    return word in protect or (word[:1] in _PROTECT_PREFIXES and word[1:] in protect)


def _enclitic(stem: str, stem_key: str, stem_folded: str, r: CliticRules) -> str:
    """The pronoun enclitic ending ``stem`` ('' if none): the longest one whose conditions hold.

    ``stem_key`` and ``stem_folded`` are ``stem`` as lexicon key and folded like ``norm``. The general word list
    vetoes an enclitic when the whole stem is a listed word and what the enclitic leaves is not (not for ه, which
    the list, folded like ``norm``, cannot tell from ة: كتابه / كتابة).
    """
    if not stem.endswith(r.enclitic_tuple):  # in C: most stems end in no enclitic at all
        return ""
    words = None
    for n, encs in reversed(r.enclitic_sets):  # longest first, the order of r.enclitics
        enc = stem[-n:]
        if enc not in encs:
            continue
        spec = r.enclitics[enc]
        base, base_key = stem[: -len(enc)], stem_key[: -len(enc)]
        if stem_key in r.words or stem_key in r.stems or _protected(stem_key, spec["protect"]) \
                or stem_key.endswith(spec["protect_endings"]):
            continue
        if base_key in r.hosts or base_key in spec.get("bases", ()):
            return enc
        if words is None:
            words = word_list().words
        if enc != "ه" and stem_folded in words and not _listed_base(stem_folded[: -len(enc)], words):
            continue
        if len(base) < spec.get("min_base", r.min_stem) or _is_lexical(stem_key, r) and not _is_lexical(base_key, r):
            continue
        if "after_letters" in spec:
            if base[-1] in spec["after_letters"]:
                return enc
            continue
        if spec.get("bases_only") or base[-1] in spec.get("not_after", ()) \
                or base.startswith(tuple(spec.get("not_after_start", ()))):
            continue
        return enc
    return ""


# ---------------------------------------------------------------------------------------------------- word list


@dataclass(frozen=True)
class WordList:
    """The general Arabic word list: ``words`` without proclitics, folded like ``norm``; ``imperfect``: those that
    are imperfect verb forms (what the future marker س may precede)."""

    words: frozenset[str]
    imperfect: frozenset[str]


@cache
def word_list() -> WordList:
    """The Ayaspell word list (~510k words; ~60 MB in memory, 0.3 s), loaded once on first use. One word a
    line, ``word<TAB>v`` for an imperfect verb form; lines starting with ``#`` are notes (the ``_source``)."""
    try:
        with resources.files(DATA).joinpath(LEXICON).open("rb") as raw:
            lines = gzip.decompress(raw.read()).decode("utf-8").split("\n")
    except (OSError, EOFError, UnicodeDecodeError) as exc:  # missing from the install, or not gzip/UTF-8
        raise DataError(f"cannot read the Arabic word list ({type(exc).__name__}: {exc}); "
                        "rebuild it with tools/build_ar_lexicon.py", LEXICON) from None
    words, imperfect = [], []
    for line in lines:
        if not line or line[0] == "#":
            continue
        if line[-2:] == "\tv":
            line = line[:-2]
            imperfect.append(line)
        words.append(line)
    del lines
    return WordList(frozenset(words), frozenset(imperfect))


#: Pronoun enclitics stripped before a word is looked up in the word list (which lists words without them).
_LIST_ENCLITIC_SETS = by_length(("هما", "كما", "ها", "هم", "هن", "كم", "كن", "ني", "نا", "ه", "ك", "ي"))


def _listed_base(base: str, words: frozenset[str]) -> bool:
    """``base`` (folded like ``norm``), what an enclitic leaves, is listed -- also as a teh marbuta written ت
    (بصمتها) or as a verb in -وا whose alef is not written before the pronoun (قتلوه)."""
    if base in words:
        return True
    last = base[-1:]
    return last == "ت" and base[:-1] + "ه" in words or last == "و" and base + "ا" in words


def is_listed(word: str, words: frozenset[str]) -> bool:
    """``word`` (folded like ``norm``) is in the word list, bare or less one pronoun enclitic (a teh marbuta
    written ت before it: بصمتها → بصمه)."""
    if word in words:
        return True
    for n, encs in _LIST_ENCLITIC_SETS:
        if word[-n:] in encs and len(word) - n >= 2 and _listed_base(word[:-n], words):
            return True
    return False


_HAMZA_LETTERS = frozenset("أإآؤئء")
#: Letters a foreign name written in Arabic often begins with (vowels: ووـ for W, يـ for I/E, ا for A).
_VOWEL_LETTERS = frozenset("اوي")
#: An alef that opens a derived verb or its masdar (استوزر, اتقعوا, انهزم, ارتجع), not a transcribed vowel.
_DERIVED_ALEF = re.compile(r"ا(?:ست|.?[تطدض](?!ا)|ن..[اي]?.\Z)")


def _proclitics_refused(letters: str, folded: str, pieces: Sequence[Piece], words: frozenset[str],
                        r: CliticRules) -> bool:
    """Does the word list speak against the proclitics of ``pieces``? (``folded``: ``letters`` folded like ``norm``.)

    Not when what the proclitics leave (or that less the article) is listed. Yes when the word from the innermost
    proclitic on is listed and that rest is not (بلغراد, وبلغراد, بريطانيا). When neither is listed -- an unknown
    word: a rare Arabic word, a place in a chronicle (بنيسابور) or a foreign name (وولمار) -- the split stands
    before a hamza (بأوترار) or the alef of a derived verb (واستوزر); it is refused before another vowel letter
    ا و ي, also after the article (وولمار, سيرفيس, بوتوماك, كاليفورنيا: Arabic words after a clitic rarely begin
    so, transcribed names very often); it stands after the article (والكوبالت); and it is refused after a
    proclitic marked ``unknown_rest: false``
    (ف ك س, whose rules admit only verbs or listed words).
    """
    proclitics = [(s, e) for s, e, role, _ in pieces if role not in ("det", "stem", "pron")]
    if not proclitics:
        return False
    inner_start, pro_end = proclitics[-1]
    core_start = max((e for s, e, role, _ in pieces if role == "det"), default=pro_end)
    if is_listed(folded[pro_end:], words) or is_listed(folded[core_start:], words):
        return False
    if is_listed(folded[inner_start:], words):  # from the innermost proclitic on: وبلغراد
        return True
    if letters[core_start] in _HAMZA_LETTERS or _DERIVED_ALEF.match(letters, core_start):
        return False
    if letters[core_start] in _VOWEL_LETTERS:
        return True
    if core_start > pro_end:
        return False
    clitic = letters[pro_end - 1]
    spec = r.particles.get(clitic) if pro_end > 1 or clitic not in r.conjunctions else r.conjunctions[clitic]
    return spec is not None and not spec.get("unknown_rest", True)


def _listed_rest_fits(spec: dict, letters: str, folded: str, pos: int) -> bool:
    """The word list's own reason to cut the proclitic at ``pos`` where the letter rules would not (``listed_rest``
    in the clitic's table: ك and ف, whose rules are narrow): what follows it is a listed word of at least
    ``min_rest`` letters not beginning with a bare alef (كرئيس, كعلاج, فيقع), and the word from ``pos`` on is not
    listed (كريم, فرنسا stay whole)."""
    cond = spec.get("listed_rest")
    if not cond:
        return False
    rest = letters[pos + 1:]
    if len(rest) < cond["min_rest"] or rest[:1] in cond.get("not_before", ""):
        return False
    words = word_list().words
    rest = folded[pos + 1:]
    if rest.startswith("ال"):
        rest = rest[2:]
    return is_listed(rest, words) and not is_listed(folded[pos:], words)


_PROCLITIC_ROLES = frozenset({"conj", "prep", "fut"})


def split_letters(letters: str, key: str, tanween: str = "", folded: str | None = None) -> list[Piece]:
    """Segment a letter skeleton (rule letters and the parallel lexicon key). Returns [] for no split.

    ``tanween``: the tanween mark on the last letter, if written. A word with tanween takes no pronoun (علناً is
    not علن + ا), and one with kasratan is a genitive noun, which ك may govern (كرئيسٍ). ``folded``: ``letters``
    folded like ``norm`` (:func:`lemma_key`), if the caller has it already.

    The rules propose; the general word list may then take proclitics back, innermost first (see
    :func:`_proclitics_refused`). A listed whole-word segmentation (``له``, ``وبها``) is never second-guessed.
    """
    # The fold is one letter for one letter, so every helper slices this one string rather than fold its part.
    if folded is None:
        folded = lemma_key(letters)
    pieces = _rule_split(letters, key, tanween, folded=folded)
    r = rules()
    if not pieces or key in r.fixed or key[1:] in r.fixed or key[2:] in r.fixed:
        return pieces
    words = word_list().words
    count = len([piece for piece in pieces if piece[2] in _PROCLITIC_ROLES])
    while count and _proclitics_refused(letters, folded, pieces, words, r):
        count -= 1
        pieces = _rule_split(letters, key, tanween, count, folded)
    return pieces


def _fixed_at(r: CliticRules, key: str, p: int, pieces: list[Piece]) -> bool:
    """If ``key[p:]`` has a listed whole-word segmentation, append its pieces (from ``p`` on) and say so."""
    found = r.fixed.get(key[p:])
    if found is None:
        return False
    for written, role, form in found:
        pieces.append((p, p + len(written), role, form))
        p += len(written)
    return True


def _rule_split(letters: str, key: str, tanween: str = "", max_proclitics: int = 2,
                folded: str | None = None) -> list[Piece]:
    """The rules alone (:func:`split_letters`), cutting at most ``max_proclitics`` proclitics."""
    n = len(letters)
    if n < 2:
        return []
    r = rules()
    pieces: list[Piece] = []
    if key in r.fixed:
        _fixed_at(r, key, 0, pieces)
        return pieces
    if key in r.words or key in r.stems:
        return []
    if folded is None:
        folded = lemma_key(letters)
    genitive = tanween == KASRATAN
    pos = 0
    # 1. a conjunction, then a preposition or the future marker
    spec = r.conjunctions.get(letters[0]) if max_proclitics else None
    if spec and (_proclitic_fits(spec, letters[1:], key[1:], folded[1:], r, genitive)
                 or _listed_rest_fits(spec, letters, folded, 0)) and not _is_lexical(key, r):
        pieces.append((0, 1, spec["role"], None))
        pos = 1
        if _fixed_at(r, key, pos, pieces):
            return pieces
    particle = ""
    if pos < n and len(pieces) < max_proclitics:
        spec = r.particles.get(letters[pos])
        if spec and (_proclitic_fits(spec, letters[pos + 1:], key[pos + 1:], folded[pos + 1:], r, genitive)
                     or _listed_rest_fits(spec, letters, folded, pos)) and not _is_lexical(key[pos:], r):
            particle = letters[pos]
            pieces.append((pos, pos + 1, spec["role"], None))
            pos += 1
            if _fixed_at(r, key, pos, pieces):
                return pieces
    # 2. the article
    article = False
    rest = letters[pos:]
    if particle == "ل" and rest.startswith(r.article_after_lam) and len(rest) - 1 >= r.min_article_stem:
        pieces.append((pos, pos + 1, "det", r.article))
        pos += 1
        article = True
    elif rest.startswith(r.article) and len(rest) - 2 >= r.min_article_stem \
            and key[pos:] not in r.words and key[pos:] not in r.stems:
        pieces.append((pos, pos + 2, "det", None))
        pos += 2
        article = True
    # 3. a pronoun enclitic (a definite noun, or one written with tanween, takes none)
    end = n
    # (the word's own ending tested first, in C: most words end in no enclitic, and then no slices are made)
    if not article and not tanween and letters.endswith(r.enclitic_tuple):
        enc = _enclitic(letters[pos:], key[pos:], folded[pos:], r)
        if enc and n - len(enc) > pos:  # a stem must remain
            end = n - len(enc)
    if pos >= end:
        return []
    pieces.append((pos, end, "stem", None))
    if end < n:
        pieces.append((end, n, "pron", None))
    return pieces if len(pieces) > 1 else []


# ---------------------------------------------------------------------------------------------------- API


def to_segments(pieces: Sequence[Piece], where: Sequence[int], length: int) -> tuple[Segment, ...] | None:
    """Map skeleton pieces to segments of the surface text; None if a cut falls inside one written character
    (a ligature such as ﻻ cannot be cut)."""
    out = []
    for k, (s, e, role, form) in enumerate(pieces):
        start = 0 if k == 0 else where[s]
        end = length if k == len(pieces) - 1 else where[e]
        if end <= start:
            return None
        out.append(_segment(start, end, role, form))
    return tuple(out)


#: One shared :class:`Segment` per distinct (start, end, role, form). Segments are immutable and few are distinct
#: (words are short, roles and forms few), while a book has tens of thousands of segmented word types: sharing
#: saves building a frozen dataclass per segment and keeps the lexeme cache small.
_SEGMENTS: dict[tuple[int, int, str, str | None], Segment] = {}


def _segment(start: int, end: int, role: str, form: str | None) -> Segment:
    seg = _SEGMENTS.get((start, end, role, form))
    if seg is None:
        seg = _SEGMENTS[(start, end, role, form)] = Segment(start, end, role, form)
    return seg


def rule_analyze(text: str, norm: str) -> tuple[str, tuple[Segment, ...]]:
    """Rule-based ``analyze``: ``(lemma, segments)`` for one surface form."""
    letters, where = skeleton(text)
    key, folded = lexicon_key(letters), lemma_key(letters)
    pieces = split_letters(letters, key, final_tanween(text, where), folded)
    segments = to_segments(pieces, where, len(text)) if pieces else None
    if not segments:
        return norm, ()
    return lemma_of(pieces, letters, folded), segments


def final_tanween(text: str, where: Sequence[int]) -> str:
    """The tanween mark written after the last letter of ``text`` ('' if none)."""
    if not where:
        return ""
    after = text[where[-1] + 1:]
    if not after:  # the common case: the word ends in a letter
        return ""
    return next((ch for ch in after if ch in TANWEEN), "")


def lemma_of(pieces: Sequence[Piece], letters: str, folded: str | None = None) -> str:
    """The stem (or its listed underlying form) folded like ``norm``; for ل + ه, the preposition.
    ``folded``: ``letters`` folded like ``norm`` already, if the caller has it."""
    if folded is None:
        folded = lemma_key(letters)
    for s, e, role, form in pieces:
        if role == "stem":
            return lemma_key(form) if form else folded[s:e]
    return folded[pieces[0][0]:pieces[0][1]]


Analyzer = Callable[[str, str], tuple[str, tuple[Segment, ...]]]


def make_analyzer(camel_db: str | os.PathLike | None | bool = None) -> Analyzer:
    """An ``analyze`` function: rules, confirmed by a camel-tools database when one can be loaded.

    ``camel_db``: a ``.db`` path; ``None`` = ``$NUSKHA_CAMEL_DB`` or camel-tools' installed default;
    ``False`` = rules only.
    """
    if camel_db is False:
        return rule_analyze
    from .camel import load_camel_analyzer

    camel = load_camel_analyzer(camel_db)
    if camel is None:
        return rule_analyze
    return camel.analyze


@cache
def _default() -> Analyzer:
    return make_analyzer(None)


def analyze(text: str, norm: str) -> tuple[str, tuple[Segment, ...]]:
    """``(lemma, segments)`` for one Arabic surface form; segments are relative to ``text``.

    >>> lemma, segs = analyze("وبسمرقند", "وبسمرقند")
    >>> lemma, [("وبسمرقند"[s.start:s.end], s.role) for s in segs]
    ('سمرقند', [('و', 'conj'), ('ب', 'prep'), ('سمرقند', 'stem')])
    """
    return _default()(text, norm)
