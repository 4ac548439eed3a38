"""Kazakh suffix segmentation and lemmas: the shared suffix automaton (``core.affixes``) with Kazakh tables.

``analyze(text, norm)`` returns ``(lemma, segments)`` for one word or number token; segments are offsets into
``text``. Lemmas follow UD Kazakh-KTB: nouns are bare stems (``түркілерден`` → ``түркі``), verbs their imperative
stem without passive or reciprocal voice (``жоспарланып`` → ``жоспарла``), the copula ``е`` (``еді``, ``екен``),
numbers their digits (``300-дей`` → ``300``), a woman's surname the man's (``Сәтбаева`` → ``Сәтбаев``). A
capitalised word keeps its capitals (``Хорезмнің`` → ``Хорезм``) unless running text writes its lemma in lower
case or, failing that evidence, the lexicon knows it only as a common word: so a sentence-initial ``Үкімет``
becomes ``үкімет`` while ``Нұрсұлтан`` stays a name. A capitalised word is first read as a name plus suffixes
when its stem is one (``Қарағанды`` is no ``қара`` + ``ған`` + ``ды``). In a hyphenated word only the last part carries suffixes
(``ад-Динмен`` → ``ад-Дин``). Words in the 2021 Latin alphabet (``kk-Latn``: ``Temırdıñ`` → ``Temır``) are
analysed through their Cyrillic spelling.

Which cut wins is decided by the stem lexicon and the morph costs of ``suffixes.json`` (``core.affixes.choose``),
weighed by running text: a stem KazNERD never shows is a doubtful cut (``кісі`` is no ``кіс`` + ``і``), a stem it
shows may be cut off a word no lexicon lists (``елордаларыңызға``), and a dropped vowel is restored only into a
form it has (``халқы`` → ``халық``, but ``ішкі`` stays). The analyser sees one word form and no context, so it
cannot tell a noun from a homonymous verb form, nor a verbal noun UD calls NOUN (``кездесу``) from one it calls
VERB (``жасау`` → ``жаса``): it always gives the verb stem.

Tables (``data/``): ``suffixes.json`` (the automaton), ``irregular.json`` (pronoun and copula forms),
``stems_hunspell.tsv`` and ``stems_ud_train.tsv`` (stem lexicons; see ``tools/build_kk_stems.py``),
``stems_nuskha.tsv`` (checked stems of the historical domain),
``names.tsv``, ``names_cldr.tsv`` and ``names_kaznerd.tsv`` (proper names, which keep their capitals; the last
holds the given names KazNERD's text writes before a surname, ``Серік``), ``forms_kaznerd.tsv`` (how often a
form is written in lower case or capitalised inside a sentence in KazNERD's news text, alone and with suffixes:
the evidence that a form exists, and whether a capitalised word is a name, ``Нұрсұлтан``, or a common word at a
sentence start, ``Компания``).
"""
from __future__ import annotations

from functools import cache, lru_cache
from importlib import resources

import regex

from ...core.affixes import AffixAutomaton, Parse, choose, lemma_form, suffix_chain
from ...core.charmap import load_table
from ...document import Segment
from ...errors import DataError

DATA = "nuskha.lang.kk.data"
LEXICONS = ("stems_hunspell.tsv", "stems_ud_train.tsv", "stems_nuskha.tsv", "names_cldr.tsv", "names.tsv",
            "names_kaznerd.tsv")
_NUMBER = regex.compile(r"(\p{Nd}+(?:[.,]\p{Nd}+)*)([-\u2010\u2011]?)(\p{L}*)")
_JOINER = regex.compile(r"[-\u2010\u2011'’]")
_LATIN_LETTER = regex.compile(r"\p{Latin}")
_LATIN_WORD = regex.compile(r"[\p{Latin}\p{M}]+(?:[-\u2010\u2011][\p{Latin}\p{M}]+)*")


@cache
def automaton() -> AffixAutomaton:
    return AffixAutomaton(load_table(DATA, "suffixes.json"), "suffixes.json")


@cache
def irregular() -> dict[str, str]:
    return dict(load_table(DATA, "irregular.json")["forms"])


@cache
def hyphen_particles() -> frozenset[str]:
    """Enclitic particles written after a hyphen (``сондай-ақ``, ``білмейміз-ау``)."""
    return frozenset(load_table(DATA, "irregular.json").get("hyphen_particles", ()))


@cache
def closed_class() -> frozenset[str]:
    """Pronouns, determiners, conjunctions and common adverbs: never names, lower-cased when capitalised."""
    return frozenset(load_table(DATA, "irregular.json")["closed"])


@cache
def lexicon() -> dict[str, str]:
    """Lower-cased stem → kinds, merged over the stem lists: ``n`` nominal, ``v`` verb, ``p`` proper name, ``t``
    trusted (a checked lemma, never taken for an inflected form: ``түркі`` is not ``түрк`` + ``і``)."""
    out: dict[str, str] = {}
    for name in LEXICONS:
        try:
            text = resources.files(DATA).joinpath(name).read_text(encoding="utf-8")
        except FileNotFoundError:
            raise DataError("missing stem list", name) from None
        for n, line in enumerate(text.splitlines(), 1):
            if not line or line.startswith("#"):
                continue
            word, sep, kinds = line.partition("\t")
            if not sep or not kinds:
                raise DataError("expected 'word<TAB>kinds'", name, f"line {n}")
            key = word.lower()
            out[key] = "".join(sorted(set(out.get(key, "") + kinds)))
    _restore_verb_stem_vowels(out)
    _drop_false_short_verbs(out)
    _drop_negative_verb_entries(out)
    return out


#: The negation suffix of Kazakh verbs: ал + ма, кел + ме, кет + пе, қаз + ба.
_NEGATION = ("ма", "ме", "ба", "бе", "па", "пе")


def _drop_negative_verb_entries(lexicon: dict[str, str]) -> None:
    """Take off the verb list the negative forms the hunspell list has as verbs of their own (``қалма``,
    ``жіберме``: another listed verb plus the negation, from infinitives such as ``қалмау``): as stems they
    hide the negation (``қалмаймын`` → ``қал``). An entry that is a noun too (``алма``, ``шығарма``) keeps it."""
    for stem, kinds in list(lexicon.items()):
        if (kinds == "v" and len(stem) >= 4 and stem.endswith(_NEGATION)
                and "v" in lexicon.get(stem[:-2], "")):
            del lexicon[stem]


def _drop_false_short_verbs(lexicon: dict[str, str]) -> None:
    """Take the verb and nominal kinds off two-letter stems (a consonant and a vowel) that are no such Kazakh
    words: reducing infinitives by their -у, the hunspell list made verbs of nouns in -у (``тау`` → ``та``,
    ``дау`` → ``да``), and it lists suffixes and particles as nouns (``ба``, ``ға``, ``ма``); as stems they cut
    ``тамыз``, ``теңіз``, ``маңызды`` wrongly. The few real ones are listed (``short_verbs`` and
    ``short_nominals`` of ``irregular.json``: ``де``, ``же``, ``ки`` ...; ``су``, ``ми``, ``би`` ...); a
    treebank lemma (``t``) is kept."""
    table = load_table(DATA, "irregular.json")
    verbs, nominals = frozenset(table.get("short_verbs", ())), frozenset(table.get("short_nominals", ()))
    vowels = automaton().all_vowels
    for stem, kinds in list(lexicon.items()):
        if len(stem) != 2 or stem[-1] not in vowels or stem[0] in vowels or "t" in kinds:
            continue
        if "v" in kinds and stem not in verbs:
            kinds = kinds.replace("v", "")
        if "n" in kinds and stem not in nominals:
            kinds = kinds.replace("n", "")
        if kinds:
            lexicon[stem] = kinds
        else:
            del lexicon[stem]


#: Present-tense endings a verb stem in -ы/-і takes, its vowel fused with the glide (оқы + йды → оқиды), and those
#: a stem in a consonant takes (ал + ады → алады).
_GLIDE_PRESENT = ("иды", "иді", "итын", "итін")
_CONSONANT_PRESENT = ("ады", "еді", "атын", "етін")


def _restore_verb_stem_vowels(lexicon: dict[str, str]) -> None:
    """Give back the final -ы/-і the hunspell list's verbs lost: it reduces infinitives to stems by dropping -у,
    but a stem in -ы/-і drops its vowel before -у too (``оқы`` + ``у`` → ``оқу``), so ``оқу`` gave ``оқ``. Running
    text decides: a stem KazNERD writes with the fused present (``оқиды``, ``дамиды``, ``қамтитын``) and never
    with a consonant stem's (``оқады``) is ``оқы``, ``дамы``, ``қамты`` (UD-KTB's lemmas)."""
    counts = form_counts()
    vowels = automaton().all_vowels
    for stem, kinds in list(lexicon.items()):
        if "v" not in kinds or "t" in kinds or not stem or stem[-1] in vowels:
            continue
        if not any(stem + e in counts for e in _GLIDE_PRESENT) or any(stem + e in counts for e in _CONSONANT_PRESENT):
            continue
        vowel = "і" if automaton().stem_harmony(stem) == "front" else "ы"
        lexicon[stem] = kinds.replace("v", "")
        full = stem + vowel
        lexicon[full] = "".join(sorted(set(lexicon.get(full, "") + "v")))


@cache
def common_stems() -> frozenset[str]:
    """Lower-cased stems of common words (nominal or verb, never listed as a proper name): a word built on one is
    no misspelling of a rare name, whatever the fuzzy matcher finds near it (``Хабар`` is not Khabur)."""
    return frozenset(k for k, kinds in lexicon().items() if "p" not in kinds and ("n" in kinds or "v" in kinds))


@cache
def form_counts() -> dict[str, tuple[int, int, int, int]]:
    """Lower-cased word form → times written in lower case and capitalised inside a sentence in KazNERD, then the
    same two counts over the form and its forms with suffixes (see ``tools/build_kk_stems.py``)."""
    name = "forms_kaznerd.tsv"
    try:
        text = resources.files(DATA).joinpath(name).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataError("missing form counts", name) from None
    out: dict[str, tuple[int, int, int, int]] = {}
    for n, line in enumerate(text.splitlines(), 1):
        if not line or line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) != 5 or not all(c.isdigit() for c in cols[1:]):
            raise DataError("expected 'form' and four counts, tab-separated", name, f"line {n}")
        out[cols[0]] = (int(cols[1]), int(cols[2]), int(cols[3]), int(cols[4]))
    return out


def _written_as_name(lemma: str) -> bool | None:
    """Whether running text writes ``lemma`` as a name: True when it and its suffixed forms are capitalised inside
    a sentence and (next to) never in lower case, False when lower case is the commoner, None when unseen or
    mixed (``Президент``: a title, capitalised most of the time but not always)."""
    _, _, lower, capitalised = form_counts().get(lemma, (0, 0, 0, 0))
    if lower > capitalised:
        return False
    if capitalised and lower <= NAME_LOWER_SHARE * (lower + capitalised):
        return True
    return None


@lru_cache(maxsize=1 << 16)
def _is_name(form: str) -> bool:
    """Whether ``form`` (lower case) is a name stem: a listed name (``қарағанды``); else it must be capitalised
    bare inside a sentence in running text (a stem seen only inside longer forms, ``ақор`` of ``Ақорда``, is not
    enough) and, if a lexicon lists it as a common word, written as a name with its suffixed forms too
    (``_written_as_name``); a word no lexicon lists must be (next to) never in lower case and seen with suffixes
    of its own (``шони``, ``маңғыстау``), since an inflected name is capitalised too (``медведевті``). Neither may
    be a common word plus suffixes (``республикасы``, which the hunspell list has whole)."""
    kinds = lexicon().get(form, "")
    if "p" in kinds:
        return True
    lower, capitalised, _, with_suffixes = form_counts().get(form, (0, 0, 0, 0))
    if not capitalised:
        return False
    if kinds:
        named = bool(_written_as_name(form))
    else:
        named = lower <= NAME_LOWER_SHARE * (lower + capitalised) and with_suffixes > capitalised
    return named and not _inflected_common_word(form)


def _inflected_common_word(form: str) -> bool:
    """Whether ``form`` is a common word of the lexicon plus nominal suffixes (``республикасы``, ``отанымыз``):
    capitalised in a name (``Қазақстан Республикасы``), yet no name of its own."""
    return any(p.morphs and p.kind == "n" and any(_lookup(f, "n") for f in automaton().stem_forms(form[:p.stem_end], p))
               for p in automaton().parses(form))


def _name_lookup(form: str, kind: str) -> bool:
    return kind == "n" and _is_name(form)


def _name_reading(low: str) -> tuple[str, Parse] | None:
    """The best cut of a capitalised word whose stem is a name (``_is_name``), or None. A name beats a verb or a
    common word hidden in it: ``Қарағанды`` is no ``қара`` + ``ған`` + ``ды``, ``Маңғыстауға`` no ``маңғыста`` +
    ``у`` + ``ға``; the cut stays the cheapest one, so ``Қазақстанның`` is still ``Қазақстан`` + ``ның``."""
    found = choose(automaton(), low, _name_lookup, attested=_attested)
    if found is None or not _name_lookup(found[0], found[1].kind):  # choose fell back on a stem that is no name
        return None
    return found


def _lookup(form: str, kind: str) -> bool:
    kinds = lexicon().get(form)
    if not kinds:
        return False
    if kind == "v":
        return "v" in kinds
    return "p" in kinds or ("n" in kinds and not _inflected_entry(form))


#: Roles of the nominal inflections (case, possessive, plural) an entry of a word list may be written with.
_NOMINAL_INFLECTION = frozenset({"case", "possessive", "plural"})


@lru_cache(maxsize=1 << 16)
def _inflected_entry(form: str) -> bool:
    """Whether a nominal entry of the stem lists is an inflected form of another word rather than a stem: the
    hunspell list holds some inflected forms whole (``өнімі``, ``тақырыбын``, ``дамытуға``). It is one when it is
    a shorter stem plus nominal inflections only, and running text writes that stem on its own, in lower case,
    more often than the whole form (``өнім`` 23 times, ``өнімі`` 6 in KazNERD; but ``сауда`` 32 against ``сау`` 2,
    ``басым`` is no ``бас`` + ``ым``). A trusted entry (``түркі``) or one that is a verb stem too is never one."""
    kinds = lexicon().get(form, "")
    if "t" in kinds or "p" in kinds or "v" in kinds:
        return False
    counts = form_counts()
    whole = counts.get(form, (0,))[0]
    for p in automaton().parses(form):
        if p.kind != "n" or not p.morphs or not all(m.role in _NOMINAL_INFLECTION for _, _, m in p.morphs):
            continue
        if any(len(f) >= 3 and counts.get(f, (0,))[0] > whole
               for f in automaton().stem_forms(form[:p.stem_end], p)):
            return True
    return False



def _attested(form: str) -> bool:
    """Whether KazNERD's text has ``form`` as a word of its own."""
    return form in form_counts()


def _trusted(form: str) -> bool:
    kinds = lexicon().get(form, "")
    return "t" in kinds or "p" in kinds


def _cased(surface_stem: str, form: str) -> str:
    """``form`` (lower case) written with the capitals of ``surface_stem`` where the letters agree."""
    low = surface_stem.lower()
    k = 0
    while k < min(len(low), len(form)) and low[k] == form[k]:
        k += 1
    return surface_stem[:k] + form[k:]


def _suffix_segments(parse: Parse, offset: int) -> list[Segment]:
    return [Segment(offset + s, offset + e, m.role) for s, e, m in parse.morphs]


#: A woman's surname of the Russian form, whose lemma drops the final -а (at least three letters before -ова).
_FEMININE_SURNAME = regex.compile(r"\p{L}{3,}(?:ов|ев|ёв)а$")

#: A lemma whose forms are written in lower case at most this share of the time inside a sentence is a name.
NAME_LOWER_SHARE = 0.05

#: Endings of Kazakh and Russian-form surnames and patronymics: such a word is a name whatever the lexicon says
#: (the hunspell list holds many names in lower case: ``назарбаев``).
_SURNAME = regex.compile(r"(?:ов|ев|ёв|ин|ова|ева|ёва|ина|ұлы|қызы|ovich|евич|ович|евна|овна)$")


def _masculine_surname(lemma: str) -> str:
    """UD-KTB's lemma of a woman's Russian-form surname is the man's: ``Сәтбаева`` → ``Сәтбаев``. A word the
    lexicon lists (``Молдова``, ``Женева``) is left alone."""
    if lemma[:1].isupper() and _FEMININE_SURNAME.search(lemma) and lemma.lower() not in lexicon():
        return lemma[:-1]
    return lemma


def _lemma_case(word: str, lemma: str, closed: bool) -> str:
    """UD-KTB's convention: names keep their capitals, common words are lower-cased.

    A capitalised word is taken for a common word -- sentence-initial, or a title such as ``Президент`` -- when it
    is a verb, pronoun or copula form (``closed``). Otherwise a listed name (``Шам``), an all-capital word
    (``ЮНЕСКО``, ``АҚШ``), a surname (``Назарбаев``) and a hyphenated word whose every part is capitalised
    (``Қасым-Жомарт``, but ``Көші-қон`` is a common word at a sentence start) keep their capitals; then KazNERD's text decides by how it
    writes the lemma inside a sentence (``Нұрсұлтан`` capitalised, ``компания`` not); failing that, a lemma every
    part of which the lexicon knows is lower-cased.
    """
    if not word[:1].isupper() or (word.isupper() and len(word) > 1):
        return lemma
    if closed:
        return lemma.lower()
    low = lemma.lower()
    if _SURNAME.search(low):
        return lemma
    parts = _JOINER.split(low)
    if len(parts) > 1 and all(part[:1].isupper() for part in _JOINER.split(lemma)):
        return lemma  # every part capitalised: a compound name (Қасым-Жомарт, Нұр-Сұлтан), not a common compound
    if any("p" in lexicon().get(part, "") for part in parts):  # a listed name (Шам, Темір) stays one
        return lemma
    as_name = _written_as_name(low) if len(parts) == 1 else None
    if as_name is not None:  # what running text does beats a common noun of the lexicon (нұрсұлтан: a given name)
        return lemma if as_name else low
    return low if all(part in lexicon() for part in parts) else lemma


def analyze(text: str, norm: str) -> tuple[str, tuple[Segment, ...]]:
    """Lemma and suffix segments of one Kazakh token (segments are offsets into ``text``).

    >>> analyze("түркілерден", "түркілерден")[0]
    'түркі'
    """
    word = norm if len(norm) == len(text) else text  # homoglyph repair is 1:1, so offsets carry over
    if _LATIN_WORD.fullmatch(word) and _LATIN_LETTER.search(word):
        return _analyze_latin(word)
    return _analyze_cyrillic(word)


def analyze_initial(text: str, norm: str) -> tuple[str, tuple[Segment, ...]]:
    """Lemma and segments of a capitalised word opening a sentence, where the capital is the sentence's, not the
    word's: it is analysed as any other word (``Компаниялар`` → ``компания``, ``Сенат`` → ``сенат``) unless it is a
    known or learnt name -- a listed name or one running text capitalises inside sentences (``_is_name``:
    ``Қарағанды``, ``Нұрсұлтан``), a surname, an all-capital word or one with suffixes (``АҚШ-пен``), a compound
    whose every part is capitalised (``Темір-Мәлік``) -- which keeps the reading :func:`analyze` gives it anywhere.
    So does a word whose stem no lexicon lists (``Эльбурс``, ``Византияға``): an unknown word is likelier a name
    than a common word.
    """
    word = norm if len(norm) == len(text) else text
    low = word.lower()
    parts = _JOINER.split(word)
    if (word.isupper() or (len(parts[0]) > 1 and parts[0].isupper())  # АҚШ-пен: an acronym and its suffix
            or len(low) != len(word) or _SURNAME.search(low) or _LATIN_LETTER.search(word)
            or (len(parts) > 1 and all(p[:1].isupper() for p in parts if p))
            or _name_reading(low) is not None or _is_name(low)):
        return analyze(text, norm)
    lemma, segments = _analyze_cyrillic(low)
    known = lemma in lexicon() or low in closed_class() or low in irregular()
    # a stem no lexicon lists (Эльбурс, Византияға) is more likely a name than a common word: keep it one
    return (lemma, segments) if known else analyze(text, norm)


#: The ordinal suffix: -ыншы/-інші after a consonant, -ншы/-нші after a vowel (үшінші, алтыншы, жетінші), and
#: the -сыншы/-сінші running text also writes (жиырмасыншы).
ORDINAL_SUFFIXES = ("сыншы", "сінші", "ыншы", "інші", "ншы", "нші")


@cache
def cardinals() -> dict[str, str]:
    """Cardinal numeral words (``numerals.json``) and the spellings they take before the ordinal suffix (``қырқ``
    of ``қырық``), each mapped to the cardinal."""
    table = load_table(DATA, "numerals.json")
    words = [w for part in ("units", "ten", "tens", "hundred", "scales") for w in table.get(part, {})]
    out = {w[:-2] + w[-1]: w for w in words if len(w) > 3 and w[-2] in "ыі"}  # қырық -> қырқыншы
    out.update({w: w for w in words})
    return out


def _ordinal_of(low: str) -> tuple[str, int] | None:
    """The cardinal of an ordinal numeral word and where its suffix starts (``үшінші`` → ``үш``, 2;
    ``жетінші`` → ``жеті``, 4), or None."""
    for suffix in ORDINAL_SUFFIXES:
        if low.endswith(suffix):
            cardinal = cardinals().get(low[:-len(suffix)])
            if cardinal:
                return cardinal, len(low) - len(suffix)
    return None


#: The adjective-forming -ды/-ді/-ты/-ті ("having X": маңызды, қажетті) is written as the accusative or past
#: tense of a stem ending in a consonant; running text tells them apart by frequency (see _lexicalised_adjective).
_HAVING_SUFFIXES = frozenset({"ды", "ді", "ты", "ті"})
#: A -ды/-ті form is a word of its own when running text writes it (in lower case) at least this often ...
ADJECTIVE_MIN_COUNT = 5
#: ... and at least this share as often as its bare stem (an accusative is a minority of a noun's forms).
ADJECTIVE_STEM_SHARE = 0.3


def _lexicalised_adjective(low: str, parse: Parse) -> bool:
    """Whether ``low``, cut as a noun ending in an accusative -ды/-ті, is rather a whole adjective in
    -ды/-ті (``маңызды``, ``тұрақты``, ``қажетті``): a lexicon lists the whole form and running text writes it
    at least :data:`ADJECTIVE_MIN_COUNT` times and :data:`ADJECTIVE_STEM_SHARE` as often as the bare stem.
    An accusative is a minority of its noun's forms (``сөзді`` 1 against ``сөз`` 41 in KazNERD), a
    lexicalised adjective is not (``маңызды`` 60 against ``маңыз`` 0)."""
    if parse.kind != "n" or not parse.morphs or parse.morphs[-1][2].form not in _HAVING_SUFFIXES:
        return False
    stem = low[:-2]
    if "n" not in lexicon().get(low, ""):
        return False
    counts = form_counts()
    whole = counts.get(low, (0,))[0]
    return whole >= ADJECTIVE_MIN_COUNT and whole >= ADJECTIVE_STEM_SHARE * counts.get(stem, (0,))[0]


#: Case endings after which a Kazakh noun takes no further suffix: a form that running text inflects further is
#: no such case form. Not the locative, which takes -ғы/-гі (``елде`` → ``елдегі``).
_FINAL_CASES = frozenset({"gen", "acc", "acc_c", "dat", "abl", "ins"})
#: A whole word is a stem of its own when running text writes it, in lower case, with suffixes at least this often.
WHOLE_WORD_SUFFIXED_MIN = 3


def _whole_word_inflected_further(low: str, parse: Parse) -> bool:
    """Whether ``low``, cut as a noun ending in a case ending (``тең`` + ``ге``, ``оқи`` + ``ға``, ``пай`` +
    ``да``), is rather a whole noun of the lexicon (``теңге``, ``оқиға``, ``пайда``): running text writes it with
    further suffixes (``теңгеге``, ``оқиғалар``) at least :data:`WHOLE_WORD_SUFFIXED_MIN` times, which a case form
    cannot take -- for a locative, which the attributive -ғы/-гі may follow (``елде``, ``елдегі``), with at least
    two endings no locative takes (``пайдасы``, ``пайдаға``)."""
    if parse.kind != "n" or not parse.morphs or not _lookup(low, "n"):
        return False
    last = parse.morphs[-1][2].name
    if last == "loc":  # a locative takes the attributive -ғы/-гі: look for what no locative takes (пайдасы)
        counts = form_counts()
        return sum(low + s in counts for s in _NOT_AFTER_LOCATIVE) >= 2
    if last not in _FINAL_CASES:
        return False
    own, _, with_suffixes, _ = form_counts().get(low, (0, 0, 0, 0))
    return with_suffixes - own >= WHOLE_WORD_SUFFIXED_MIN


#: Endings after a vowel that never follow the locative: possessive, plural, other cases.
_NOT_AFTER_LOCATIVE = ("сы", "сі", "лар", "лер", "ны", "ні", "ға", "ге", "ның", "нің", "мен", "дан", "ден",
                       "нан", "нен")


@lru_cache(maxsize=1 << 14)
def last_suffix(low: str) -> str | None:
    """The name (``suffixes.json``) of the last suffix the analyser cuts off ``low`` (a lower-case word without
    hyphens), or None when it cuts none: ``күннен`` → ``abl``."""
    found = choose(automaton(), low, _lookup, trusted=_trusted, attested=_attested)
    return found[1].morphs[-1][2].name if found is not None and found[1].morphs else None


def _title_case(word: str) -> bool:
    """A capital then not only capitals (``Қарағанды``, not ``АҚШ``)."""
    return word[:1].isupper() and not word.isupper()


def _nominal_lookup(form: str, kind: str) -> bool:
    return kind == "n" and _lookup(form, kind)


def analyze_nominal(text: str, norm: str) -> tuple[str, tuple[Segment, ...]] | None:
    """The best reading of a word as a noun or adjective, verb stems set aside (``өндірісті`` → ``өндіріс``, not
    ``өндір`` + ``іс`` + ``ті``), or None when it has none the lexicon knows. For a word whose context says it is no
    finite verb (``context.reread_in_context``)."""
    word = norm if len(norm) == len(text) else text
    if _LATIN_LETTER.search(word) or _JOINER.search(word) or word.lower() in closed_class():
        return None
    lemma, segments = _analyze_cyrillic(word, _nominal_lookup)
    if not segments and word.lower() not in lexicon():
        return None
    return lemma, segments


def _analyze_cyrillic(word: str, lookup=_lookup) -> tuple[str, tuple[Segment, ...]]:
    m = _NUMBER.fullmatch(word)
    if m:
        return _analyze_number(word, m)
    parts = list(_JOINER.finditer(word))
    head_end = parts[-1].end() if parts else 0
    head, last = word[:head_end], word[head_end:]
    if not last:
        return word, ()
    low = last.lower()
    if head_end > 1:
        chain = suffix_chain(automaton(), low)
        if chain:  # Boeing-тың, АҚШ-пен: the whole last part is suffixes
            joiner = Segment(head_end - 1, head_end, "joiner")
            return head[:-1], (Segment(0, head_end - 1, "stem"), joiner, *_suffix_segments(chain, head_end))
        if low in hyphen_particles() and word.lower() not in closed_class():
            # білмейміз-ау, ертең-ақ: a word and its particle; the lemma is the word's (сондай-ақ is listed whole)
            host, host_segments = _analyze_cyrillic(word[:head_end - 1], lookup)
            return host, (*(host_segments or (Segment(0, head_end - 1, "stem"),)),
                          Segment(head_end - 1, head_end, "joiner"), Segment(head_end, len(word), "particle"))
    if not head:
        ordinal = _ordinal_of(low)
        if ordinal:  # үшінші -> үш: UD-KTB's lemma of an ordinal is its cardinal
            cardinal, stem_end = ordinal
            return cardinal, (Segment(0, stem_end, "stem", cardinal if low[:stem_end] != cardinal else None),
                              Segment(stem_end, len(word), "suffix"))
    if not head and low in closed_class():  # осы, екі, әрі: whole words, never stem + suffix
        return low if word[:1].isupper() else word, (Segment(0, len(word), "stem"),)
    if not head and low in irregular():
        lemma = irregular()[low]
        return _lemma_case(word, _cased(word, lemma), True), (Segment(0, len(word), "stem", lemma),)
    name = _title_case(word) and low not in closed_class()
    found = _name_reading(low) if name else None
    name = found is not None
    if not name:
        found = choose(automaton(), low, lookup, trusted=_trusted, attested=_attested)
        if found is not None and not head and (_lexicalised_adjective(low, found[1])
                                               or _whole_word_inflected_further(low, found[1])):
            found = None  # маңызды: an adjective in -ды, not маңыз + accusative; теңге is no тең + dative
    if found is None:
        lemma = _masculine_surname(_lemma_case(word, word, word.lower() in closed_class()))
        return lemma, ((Segment(0, len(word), "stem", lemma),) if lemma != word else ())
    form, parse = found
    surface = last[:parse.stem_end]
    stem = _cased(surface, lemma_form(form, parse))
    lemma = head + stem if name else _lemma_case(word, head + stem, parse.kind == "v"
                                                 or (head + stem).lower() in closed_class())
    lemma = _masculine_surname(lemma)
    written = word[:head_end + parse.stem_end]
    # the stem's underlying form, when it is not just the written one (орталығ → орталық, тоқта+т → тоқтат)
    form_note = lemma if lemma.casefold() != written.casefold() else None
    return lemma, (Segment(0, len(written), "stem", form_note), *_suffix_segments(parse, head_end))


def _analyze_number(word: str, m: regex.Match) -> tuple[str, tuple[Segment, ...]]:
    """``300-дей`` → ``300`` + ``-`` + ``дей`` (approx); ``1220`` → itself."""
    digits, joiner, tail = m.groups()
    if not tail:
        return word, ()
    segs = [Segment(0, len(digits), "number")]
    if joiner:
        segs.append(Segment(len(digits), len(digits) + 1, "joiner"))
    start = len(digits) + len(joiner)
    chain = suffix_chain(automaton(), tail.lower())
    if chain:
        segs.extend(_suffix_segments(chain, start))
    else:  # an ordinal -ші/-ншы or anything else the tables do not cut
        segs.append(Segment(start, len(word), "suffix"))
    return digits, tuple(segs)


def _analyze_latin(word: str) -> tuple[str, tuple[Segment, ...]]:
    """A word in the 2021 Latin alphabet (``kk-Latn``): analysed in Cyrillic, lemma and cuts written back.

    The segments are kept only when the Latin spelling of each Cyrillic piece tiles the word exactly (it does
    unless a letter outside the alphabet -- ц ч щ ю я -- straddles a cut); otherwise the lemma alone is given.
    A word that is not Kazakh (``Boeing``) comes back unchanged, since no suffix is found in it.
    """
    from ...core.translit import to_cyrillic, to_latin

    cyrillic, _ = to_cyrillic(word)
    if _LATIN_LETTER.search(cyrillic):  # letters outside the alphabet (x, w, c): not a Kazakh word
        return word, ()
    lemma, segments = _analyze_cyrillic(cyrillic)
    if not segments:
        return word, ()
    latin_lemma = to_latin(lemma)
    out, pos = [], 0
    for seg in segments:
        piece = to_latin(cyrillic[seg.start:seg.end])
        if word[pos:pos + len(piece)].casefold() != piece.casefold():
            return latin_lemma, ()
        form = to_latin(seg.form) if seg.form else None
        out.append(Segment(pos, pos + len(piece), seg.role, form))
        pos += len(piece)
    if pos != len(word):
        return latin_lemma, ()
    stem = word[:out[0].end]
    if out[0].form is None and stem.casefold() == latin_lemma.casefold() and lemma[:1].isupper() == stem[:1].isupper():
        latin_lemma = stem  # as written (Boeing), not a round trip through Cyrillic
    return latin_lemma, tuple(out)
