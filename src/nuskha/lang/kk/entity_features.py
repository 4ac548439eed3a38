"""Features of one Kazakh word type for the sequence tagger (``core.crf``): morphology, gazetteers, shape.

What a word contributes: its lower-case form and stem (the analyser's lemma), its suffix chain (the surface
suffixes and their roles: ``-ның`` genitive, ``-лар`` plural), the ends of the stem, its shape (capitalised, all
capitals, hyphenated, digits), how KazNERD's running text writes the stem (a name, a common word, mixed), the
stem lexicons' kinds, and gazetteer hits: the project's authority file (person, place, group), GeoNames'
Cyrillic place names and CLDR's Kazakh territory names (read through the stem, so ``Алматыда`` hits ``алматы``),
the given names KazNERD writes before a surname, and surname endings. Context (the neighbours) is added by
``core.crf``; only the features named by ``CONTEXT_KEYS`` are passed to a neighbour.

Tables: ``data/places_geonames.tsv`` (``tools/build_kk_entity_model.py``), ``names_cldr.tsv``,
``names_kaznerd.tsv``, ``names.tsv``, the stem lexicons, ``forms_kaznerd.tsv`` and ``entity_cues.json``.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import cache
from importlib import resources

import regex

from ...errors import DataError
from . import morphology

DATA = "nuskha.lang.kk.data"
#: Features a neighbour passes on: form, stem, shape, suffix chain and the gazetteer type.
CONTEXT_KEYS = ("w=", "lem=", "shape=", "suf=", "gaz=", "case=")
_SURNAME = regex.compile(r"(?:ов|ев|ёв|ин|ова|ева|ёва|ина|ұлы|қызы|ович|евич|овна|евна|ский|ская|енко)$")
_DIGIT = regex.compile(r"\p{Nd}")
_LETTER = regex.compile(r"\p{L}")
_LATIN = regex.compile(r"\p{Latin}")


def _names(name: str) -> frozenset[str]:
    """Lower-cased first column of a ``word<TAB>...`` table of ``data/`` (``#`` lines are comments)."""
    try:
        text = resources.files(DATA).joinpath(name).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataError("missing name list", name) from None
    return frozenset(line.split("\t", 1)[0].lower() for line in text.splitlines() if line and not line.startswith("#"))


@cache
def geonames_places() -> frozenset[str]:
    """Cyrillic place names of GeoNames (each word of a multi-word name, marked ``part:``), lower-cased."""
    return _names("places_geonames.tsv")


@cache
def cldr_places() -> frozenset[str]:
    return _names("names_cldr.tsv")


@cache
def given_names() -> frozenset[str]:
    return _names("names_kaznerd.tsv")


@cache
def listed_names() -> frozenset[str]:
    return _names("names.tsv")


def _shape(text: str) -> str:
    if _DIGIT.search(text):
        return "d"
    if not _LETTER.search(text):
        return "p"
    if text.isupper():
        return "X" if len(text) > 1 else "Xx"
    if text[:1].isupper():
        return "Xx-" if "-" in text else "Xx"
    return "x-" if "-" in text else "x"


def _name_evidence(stem: str) -> str:
    """How KazNERD's running text writes the stem: ``T`` a name, ``F`` a common word, ``N`` unseen or mixed."""
    found = morphology._written_as_name(stem)
    return "N" if found is None else ("T" if found else "F")


def make_type_features(authority_types: Mapping[str, str], key_of: Callable[[str], str],
                       cues: Mapping) -> Callable[[object], tuple[str, ...]]:
    """The feature function of a Kazakh word type, bound to an authority index (match key → type) and the cue
    table (``entity_cues.json``: its known places and not-names)."""
    known = frozenset(key_of(w) for w in cues.get("known_places", ()))
    not_name = frozenset(key_of(w) for w in cues.get("not_names", ()))
    geo, cldr, given, listed = geonames_places(), cldr_places(), given_names(), listed_names()
    lexicon = morphology.lexicon()

    def type_features(lex) -> tuple[str, ...]:
        text = lex.text
        low = text.lower()
        shape = _shape(text)
        if shape == "p":
            return (f"w={low}", "shape=p")
        lemma = (lex.lemma or lex.norm or text)
        lem = lemma.lower()
        segs = lex.segments
        stem_end = next((s.end for s in segs if s.role in ("stem", "number")), len(text)) if segs else len(text)
        suffix = low[stem_end:]
        roles = "+".join(s.role for s in segs if s.role not in ("stem", "number", "joiner")) or "-"
        feats = [f"w={low}", f"lem={lem}", f"shape={shape}", f"suf={suffix or '-'}", f"roles={roles}",
                 f"end2={lem[-2:]}", f"end3={lem[-3:]}", f"end4={lem[-4:]}", f"pre3={lem[:3]}",
                 f"len={min(len(lem), 8)}"]
        if shape.startswith(("Xx", "X")):
            feats.append(f"named={_name_evidence(lem)}")
            feats.append(f"lex={lexicon.get(lem, '-')}")
        if "case" in roles:
            feats.append(f"case={suffix[-3:]}")
        gaz = []
        for key in {key_of(text), key_of(lemma)}:
            t = authority_types.get(key)
            if t:
                gaz.append(f"gaz=auth:{t}")
        if lem in geo or low in geo:
            gaz.append("gaz=geo")
        elif f"part:{lem}" in geo:
            gaz.append("gaz=geopart")
        if lem in cldr:
            gaz.append("gaz=cldr")
        if lem in given:
            gaz.append("gaz=given")
        if lem in listed:
            gaz.append("gaz=listed")
        if _SURNAME.search(lem) and shape.startswith("Xx"):
            gaz.append("gaz=surname")
        key = key_of(lemma)
        if key in known:
            gaz.append("gaz=known_place")
        if key in not_name or key_of(text) in not_name:
            gaz.append("gaz=not_name")
        feats.extend(sorted(set(gaz)))
        return tuple(feats)

    return type_features


#: Characters after which a capitalised word opens a sentence (quotes, dashes, brackets, full stops).
OPENERS = frozenset(".!?…«\"“„—–:(;")


def opens_after(lex) -> bool:
    """The word after ``lex`` opens a sentence (beyond the first of one): ``« Әміре``, ``— Біз``."""
    return lex.text[:1] in OPENERS


def novel(lex) -> bool:
    """A Cyrillic name the model never saw: the analyser keeps its lemma capitalised (a name, not a common word
    at a sentence start), KazNERD's text has no form of it and no gazetteer lists it (``Темір-Мәлік``,
    ``Жалал``). The model has only its shape and context to go on. Latin words (``Baker Hughes``) are brands and bodies far more often
    than persons in Kazakh prose, and are not counted."""
    lemma = lex.lemma or lex.text
    if not lemma[:1].isupper() or lemma.isupper() or _LATIN.search(lemma):
        return False
    low = lemma.lower()
    return low not in morphology.form_counts() and low not in geonames_places() and low not in cldr_places() \
        and low not in given_names() and low not in listed_names()


#: Opening quotes: Kazakh prose quotes the names of companies, brands, works and events (« Бек Эйр », « Астана
#: Моторс »), not of people.
QUOTES = frozenset("«“„\"")


#: A surname or patronymic ending, then at most one case or possessive suffix the analyser may have left on an
#: unknown surname (``Тәжбеновтің``).
_SURNAME_INFLECTED = regex.compile(r"(?:ов|ев|ёв|ин|ұлы|қызы|ович|евич|овна|евна)(?:а|тың|тің|ның|нің|қа|ке|ға|ге|ты|"
                                   r"ті|ны|ні|та|те|да|де|тан|тен|нан|нен|дан|ден|пен|бен|мен|ға|ы|і)?$")


def person_evidence(lex) -> bool:
    """Something in the word itself says "a person": a given name KazNERD's text writes before a surname
    (``Шалқар``) or a surname or patronymic ending under the suffixes (``Тәжбеновтің``, ``Қайырденұлы``)."""
    low = (lex.lemma or lex.text).lower()
    return low in given_names() or bool(_SURNAME_INFLECTED.search(low)) or \
        bool(_SURNAME_INFLECTED.search(lex.text.lower()))


def other_reading_stands(words: Sequence, before) -> bool:
    """Whether the model's reading of ``words`` (some of which it never saw) as an organisation, a work or
    another named thing that is neither a person nor a place stands against the capitalised-word rule.

    Such a reading of unseen words is not believed in general (trained on news, the model calls chronicle names
    facilities or peoples: ``Жалал ад-Динмен``, ``Темір-Мәлік``), but it is right after an opening quote
    (``before``, the token before the words), where Kazakh prose puts the names of companies, brands and events
    (« Бек Эйр », « Джуниор Еуровижн »), unless a word itself says "a person" (:func:`person_evidence`)."""
    return before is not None and before.text in QUOTES and not any(map(person_evidence, words))
