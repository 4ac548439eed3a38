"""Persons, places and groups: authority lookup, bounded fuzzy matching and context rules, for any language.

How a document is read, in three passes over its tokens:

1. **Authority.** Every word type is read once (cached) into a few *readings*: its match key, and the keys left
   when a proclitic is taken off the front (Arabic ``وبخارى`` → ``بخارى``, the span then starts after the clitic)
   or suffixes off the back (Kazakh ``Жалал ад-Динмен`` → ``Жалал ад-Дин``, the suffix stays inside the span).
   The readings come from the token's segments (the language's morphology) and, as a fallback, from the small
   affix lists in the language's ``entity_cues.json``. Runs of readings are joined and looked up in the variant
   index of the authority file, longest match first, exactly as :func:`nuskha.authority.variant_key` builds keys.
2. **Fuzzy.** A word type matching nothing, but one letter substitution away from a one-word variant, is taken
   as that entity (``source="fuzzy"``, lower ``cert``) and the reading is recorded as a ``typo`` correction.
3. **Rules.** Names in no record are proposed from context cues (titles, kin words, military and place cues,
   laqabs, nisbas; capitalised words away from sentence starts where the script has case) with a provisional
   ``new:<slug>`` ref and a low ``cert``.

Every cue is data (``lang/<xx>/data/entity_cues.json``); the mechanism here knows no language.
"""
from __future__ import annotations

import json
import unicodedata
from bisect import bisect_left
from functools import lru_cache
from itertools import compress, count, repeat
from operator import attrgetter, is_not
from importlib import import_module, resources
from typing import Any, NamedTuple

from ..authority import Authority, Variant, load_authority, variant_index
from ..core.bulk import collection_paused
from ..core.fuzzy import SubstitutionIndex
from ..core.language import Language
from ..document import PUNCT, WORD, Correction, Document, Lexeme, Mention
from ..errors import DataError
from ..lang import get_language

# Where a reading may stand in a multi-token name.
ANY, FIRST, LAST = 0, 1, 2
#: Segment roles that stand before a name and stay outside its span (conjunctions, prepositions...).
FRONT_ROLES = frozenset({"conj", "prep", "fut", "part", "emph", "interrog", "clitic"})

CERT_AUTHORITY = 0.95
CERT_AMBIGUOUS = 0.7  # a key two records share
CERT_FUZZY = 0.7
CERT_RULE = 0.6
CERT_CAPITAL = 0.45
CERT_MODEL = 0.8
#: What the sequence model said of a token (``EntityRecogniser.model_said``): its sentence was not tagged, no
#: name (O), a name it keeps (person, place), a name of another type (an organisation, a people, a post).
MODEL_UNTAGGED, MODEL_NO_NAME, MODEL_KEPT, MODEL_OTHER = 0, 1, 2, 3
CERT_COREF = 0.8  # a short form given the ref of a fuller form of the same name in the document
ATTRIBUTIVE = "attributive"


# Reading and TypeInfo are named tuples rather than frozen dataclasses: one or more of each is built for every new
# word type of a document, and a tuple is several times cheaper to build (and is not tracked by the cyclic GC).
class Reading(NamedTuple):
    """One way to read a word type: match ``key`` of ``text[start:end]``; ``pos`` is ANY, FIRST or LAST."""

    key: str
    start: int  # the name starts here (after a proclitic)
    end: int  # the matched stem ends here (a suffix after it stays inside the span)
    pos: int


class TypeInfo(NamedTuple):
    """What the recogniser needs to know about one word type, computed once."""

    starts: tuple[Reading, ...]  # readings that begin some variant key
    fuzzy: tuple[Reading, Variant] | None
    cues: tuple[str, ...]  # cue roles of the type, sorted (title_after_fused, place_before_outside, ...)
    capital: bool


_NOTHING = TypeInfo((), None, (), False)
_NO_MATCH, _LONGER = object(), object()  # remembered of a pair of word types: no variant; one may run further

_CUE_ROLES = ("title_after_fused", "title_after_apart", "title_before", "title_before_strict", "kin_joining",
              "kin_before", "kin_list", "military_before", "military_after", "laqab", "place_before_outside",
              "place_before_inside", "place_after_outside", "place_after_inside", "group_after_inside", "people")


#: Cue tables written in one script and read in another: (table language, transliteration function).
TRANSLITERATED_CUES = {"kk-Latn": ("kk", "nuskha.core.translit:to_latin")}


def load_cues(lang: str) -> dict[str, Any]:
    """The language's ``entity_cues.json``; ``kk-Latn`` reads the Kazakh table through the 2021 Latin alphabet."""
    base, convert = lang.split("-")[0], None
    if lang in TRANSLITERATED_CUES:
        base, spec = TRANSLITERATED_CUES[lang]
        module, func = spec.split(":")
        convert = getattr(import_module(module), func)
    pkg = f"nuskha.lang.{base}.data"
    try:
        text = resources.files(pkg).joinpath("entity_cues.json").read_text(encoding="utf-8")
    except (FileNotFoundError, ModuleNotFoundError):
        raise DataError(f"no entity cue table for language {lang!r}", f"{pkg}/entity_cues.json") from None
    cues = json.loads(text)
    if convert is not None:
        cues = {k: (v if k.startswith("_") or k == "slug_letters" else _convert_strings(v, convert))
                for k, v in cues.items()}
    return cues


def _convert_strings(value: Any, convert) -> Any:
    if isinstance(value, str):
        return convert(value)
    if isinstance(value, list):
        return [_convert_strings(v, convert) for v in value]
    if isinstance(value, dict):
        return {k: _convert_strings(v, convert) for k, v in value.items()}
    return value


class EntityRecogniser:
    """The authority's variant index and one language's cue tables, with per-type caches."""

    def __init__(self, lang: str, authority: Authority):
        self.lang = lang
        self.language: Language = get_language(lang)
        self._mk: dict[str, str] = {}
        self._keys: dict[str, str] = {}  # text -> key_of(text)
        self._own_names: dict[str, frozenset[str]] = {}  # text -> name_keys(text)
        self._common_words: dict[str, bool] = {}  # key -> common_word(key)
        self._common_tokens: dict[str, bool] = {}  # word type -> common_token(lexeme)
        self._pair_matches: dict[tuple[str, str | None], Any] = {}  # see _longest_match
        self._maybe_names: dict[tuple[str, ...], bool] = {}  # word types of a proposed name -> _Rules.may_be_name
        cues = load_cues(lang)
        self.cues = cues
        index = variant_index(authority, lang)
        self.index: dict[str, Variant] = {k: vs[0] for k, vs in index.items()}
        self.ambiguous = frozenset(k for k, vs in index.items() if len({v.ref for v in vs}) > 1)
        # In a script with case, a capitalised variant (Шам) only matches a capitalised word (not шам "lamp").
        self.proper = frozenset(k for k, vs in index.items() if vs[0].surface[:1].isupper()) \
            if self.language.lowercase_key else frozenset()
        self.prefixes = self._word_prefixes(index, cues)
        fuzzy = cues.get("fuzzy") or {}
        self.fuzzy = SubstitutionIndex(((k, v) for k, v in self.index.items() if v.ntokens == 1),
                                       min_len=fuzzy.get("min_len", 6)) if fuzzy else None
        # common words the fuzzy matcher must leave alone (``module:function`` returning lower-cased stems)
        not_words = fuzzy.get("not_words")
        self.fuzzy_not_words: frozenset[str] = frozenset(
            getattr(import_module(not_words.split(":")[0]), not_words.split(":")[1])()) if not_words else frozenset()
        self.proclitics = sorted(cues.get("proclitics", ()), key=len, reverse=True)
        self.proclitic_heads = tuple(self.proclitics)
        elided = cues.get("elided_article") or {}
        self.elided_prefixes = tuple(elided.get("prefixes", ()))
        self.elided_restore = elided.get("restore", "")
        self.name_proclitics = tuple(cues.get("name_proclitics", ()))
        self.suffixes = frozenset(cues.get("suffixes", ()))
        self.max_suffix = max(map(len, self.suffixes), default=0)
        # Where suffixes stay inside a name's span (Kazakh), the stem and lemma are read as the name; where only
        # pronoun enclitics follow (Arabic ابيهما), they are not.
        self.suffixes_inside = bool(cues.get("suffixes_inside"))
        self.cue_roles: dict[str, set[str]] = {}
        for role in _CUE_ROLES:
            for word in cues.get(role, ()):
                self.cue_roles.setdefault(self.key_of(word), set()).add(role)
        self.stopwords = frozenset(self.key_of(w) for w in cues.get("stopwords", ()))
        self.raw_stopwords = frozenset(cues.get("raw_stopwords", ()))
        self.not_names = frozenset(self.key_of(w) for w in cues.get("not_names", ()))
        self.reject_endings = tuple(cues.get("reject_endings", ()))
        self.definite = cues.get("definite_prefix", "")
        self.capitalised = bool(cues.get("capitalised_names"))
        self.openers = frozenset(cues.get("sentence_openers", ()))
        self.place_cases = tuple(cues.get("place_cases", ()))
        self.place_endings = tuple(cues.get("place_endings", ()))
        self.not_name_endings = tuple(cues.get("not_name_endings", ()))  # adjectives: Мемлекеттік
        self.not_name_min_len = cues.get("not_name_min_len", 7)  # shorter words are names (Мәлік)
        self.particles = tuple(cues.get("name_particles", ()))  # ад-Дин: lowercase inside a capitalised name
        self.surname_endings = tuple(cues.get("surname_endings", ()))
        self.known_places = frozenset(self.key_of(w) for w in cues.get("known_places", ()))
        self.attributive = cues.get("attributive") or {}
        nisba = cues.get("nisba") or {}
        self.nisba_article = nisba.get("article", "")
        self.nisba_endings = tuple(nisba.get("endings", ()))
        self.nisba_reject = tuple(nisba.get("reject_before_endings", ())) or ("\0",)
        # A word with a pronoun suffix (بعده) does not stand before a fused title or a place word as a name.
        self.before_reject = tuple(cues.get("name_before_reject_endings", ())) or ("\0",)
        self.title_suffixes = tuple(self.key_of(w) for w in cues.get("title_suffix_fused", ()))
        self.list_openers = frozenset(self.key_of(w) for w in cues.get("list_openers", ()))
        self.given_names = frozenset(self.key_of(w) for w in cues.get("given_names", ()))
        self.needs_next = frozenset(self.key_of(w) for w in cues.get("needs_next", ()))
        # Titles that stand apart before a name (الملك, السلطان): outside the span even when a record's variant
        # carries them (الملك العادل), inside a chain after بن ("بن الملك العادل").
        self.apart_titles = frozenset(self.key_of(w) for w in [*cues.get("title_before", ()),
                                                                 *cues.get("title_before_strict", ())])
        self.sovereign_titles = frozenset(self.key_of(w) for w in cues.get("title_before_strict", ()))
        self.kin_words = frozenset(self.key_of(w) for w in [*cues.get("kin_joining", ()),
                                                              *cues.get("chain_kin", ())])
        self.laqab_words = tuple(self.key_of(w) for w in cues.get("laqab", ()))
        self.region_heads = frozenset(self.key_of(w) for w in cues.get("region_heads", ()))
        self.region_heads_sorted = tuple(self.key_of(w) for w in cues.get("region_heads", ()))
        self.laqab_heads = frozenset(self.key_of(w) for w in cues.get("laqab_heads", ()))
        # ألف فارس "a thousand horsemen", not Fars: a one-word place right after a number word is a noun
        self.place_not_after = frozenset(self.key_of(w) for w in cues.get("place_not_after", ()))
        self.outside_place_words = frozenset(self.key_of(w) for w in cues.get("place_before_outside", ()))
        self.lord_words = frozenset(self.key_of(w) for w in cues.get("lord_words", ()))
        # Places GeoNames knows as cities: بلاد غزنة keeps its head word outside; a region's (بلاد الروم) is inside
        self.cities = frozenset(r.ref for r in authority.records.values() if r.type == "place" and r.geonames)
        self._authority_records = tuple(authority.records.values())
        self._heads: dict[frozenset[str], set[str]] | None = None  # built on first use
        self._nasabs: dict[str, list[tuple[frozenset[str], tuple[str, ...], str]]] | None = None  # the same
        self._chain_records: dict[str, str | None] = {}  # text of a provisional chain -> chain_record(text)
        self._dot_table = {ord(ch): group[0] for group in cues.get("dot_variants", ()) for ch in group}
        from ..authority import LANGUAGE_COLUMNS
        self._columns = LANGUAGE_COLUMNS.get(lang, (lang,))
        self.chain_titles = frozenset(self.key_of(w) for w in cues.get("chain_titles", ()))
        self.accusative = cues.get("accusative_ending", "")
        self.pronoun_endings = tuple(sorted(cues.get("pronoun_endings", ()), key=len, reverse=True))
        self.join_name_chains = bool(cues.get("name_chains"))
        lexicon = load_lexicon(cues.get("lexicon"))
        self.lexicon_words: frozenset[str] = lexicon[0]
        self.lexicon_verbs: frozenset[str] = lexicon[1]
        # Short forms: the table's, every one-word person variant that is a common given name (محمد, يوسف) and
        # every bare laqab (جلال الدين): such a match is the record only near a fuller form of it, else an
        # ambiguous person with a provisional ref.
        short = {self.key_of(w) for w in cues.get("short_forms", ())}
        for key, v in self.index.items():
            if v.type != "person" or key in self.ambiguous:
                continue
            if v.ntokens == 1 and (key in self.given_names or
                                   (self.definite and key.startswith(self.definite))):
                short.add(key)  # محمد; الاشرف, العادل: a regnal epithet alone is also a plain adjective
            elif v.ntokens == 2 and self.laqab_words and key.endswith(self.laqab_words):
                short.add(key)
        self.short_forms = frozenset(short)
        self.short_window = cues.get("short_form_window", 1500)
        self.copulas = frozenset(self.key_of(w) for w in self.attributive.get("copulas", ()))
        self.slug_letters: dict[str, str] = cues.get("slug_letters", {})
        self._slug_table = _SlugLetters(self.slug_letters)
        self._types: dict[str, TypeInfo] = {}
        self._slugs: dict[str, str] = {}
        self._name_words: dict[tuple[str, bool], bool] = {}
        self._name_clitics: dict[str, tuple[int, str]] = {}
        self._readings: dict[str, tuple[Reading, ...]] = {}
        self._is_chain = lru_cache(maxsize=None)(self._suffix_chain)
        self.model_types: dict[str, str] = {}  # the model's types kept as mentions: PERSON -> person...
        self.model = load_model(lang, cues.get("model"), self)
        self.model_said = bytearray()  # per token of the last document: MODEL_UNTAGGED, MODEL_NO_NAME...
        self.use_model = self.model is not None and bool((cues.get("model") or {}).get("by_default"))

    def _word_prefixes(self, index: dict[str, list[Variant]], cues: dict[str, Any]) -> frozenset[str]:
        """Keys a run of words may have on its way to a variant key: the key of each variant's first words (as
        the tokenizer cuts it), and of a one-word key less a fused title (جنكزخان read as جنكز + خان). Every
        character prefix would do too, but with a gazetteer of thousands of names nearly every word is the prefix
        of some key, and the recogniser would try to extend a match from almost every token."""
        language, normalize = self.language, self.language.normalize
        titles = tuple(self.key_of(w) for w in [*cues.get("title_after_fused", ()), *cues.get("title_suffix_fused", ()),
                                                 *cues.get("chain_titles", ())])
        out: set[str] = set()
        for key, variants in index.items():
            out.add(key)
            for v in variants:
                acc = ""
                for s, e, kind in language.tokenizer.spans(v.surface):
                    if kind in ("word", "number", "abbr"):
                        acc += self.mk(normalize(v.surface[s:e])[0])
                        out.add(acc)
            for t in titles:
                if t and key.endswith(t) and len(key) > len(t):
                    out.add(key[:-len(t)])
        return frozenset(out)

    # --- reading word types -------------------------------------------------------------------------------

    def key_of(self, text: str) -> str:
        """The match key of any text (a word, a cut of one, a name), cached: the passes ask for the same words'
        keys again and again (every mention's words in the coreference pass)."""
        key = self._keys.get(text)
        if key is None:
            key = self._keys[text] = self.mk(self.language.normalize(text)[0])
        return key

    def mk(self, norm: str) -> str:
        """:meth:`Language.match_key`, cached: the same normal forms come back for every cut of every word."""
        key = self._mk.get(norm)
        if key is None:
            key = self._mk[norm] = self.language.match_key(norm)
        return key

    def _slice_key(self, lex: Lexeme, start: int, end: int) -> str:
        # The normalisers mostly keep length (alef folding, homoglyphs): then the norm can be sliced.
        if len(lex.norm) == len(lex.text):
            return self.mk(lex.norm[start:end])
        return self.key_of(lex.text[start:end])

    def _suffix_chain(self, tail: str) -> bool:
        if not tail:
            return True
        return any(tail[:n] in self.suffixes and self._is_chain(tail[n:])
                   for n in range(1, min(self.max_suffix, len(tail)) + 1))

    def readings(self, lex: Lexeme) -> tuple[Reading, ...]:
        """Every reading of a word type: whole, front clitics off (FIRST), suffixes off (LAST)."""
        text = lex.text
        cached = self._readings.get(text)
        if cached is not None:
            return cached
        n = len(text)
        key = self._mk.get(lex.norm)
        out = [Reading(key if key is not None else self.mk(lex.norm), 0, n, ANY)]
        # The morphology's segments come first; the cue table's affix lists only stand in where it found none
        # (an unknown name it left whole), so a word is not cut twice.
        segmented = lex.kind == WORD and len(lex.segments) > 1
        if segmented:
            # (a word whose first segment is no front clitic has no cut to read, unless suffixes stay inside)
            if self.suffixes_inside or lex.segments[0].role in FRONT_ROLES:
                out.extend(self._segment_readings(lex))
            if self.suffixes_inside and lex.lemma and lex.lemma != lex.norm:
                out.append(Reading(self.language.match_key(lex.lemma), 0, n, LAST))
        elif lex.kind == WORD:
            # startswith(tuple) first, in C: the loops below only run for a word beginning with some clitic
            if text.startswith(self.proclitic_heads):
                for p in self.proclitics:
                    if text.startswith(p) and n - len(p) >= 2:
                        out.append(Reading(self._slice_key(lex, len(p), n), len(p), n, FIRST))
            if text.startswith(self.elided_prefixes):
                for p in self.elided_prefixes:  # لل = ل + ال with the alef of the article unwritten
                    if text.startswith(p) and n - len(p) >= 2:
                        key = self.key_of(self.elided_restore + text[len(p):])
                        out.append(Reading(key, len(p) - 1, n, FIRST))
            if self.suffixes:
                low = text.lower()
                for i in range(max(2, n - 3 * self.max_suffix), n):
                    if self._is_chain(low[i:]):
                        out.append(Reading(self._slice_key(lex, 0, i), 0, i, LAST))
            if self.suffixes_inside and lex.lemma and lex.lemma != lex.norm:
                out.append(Reading(self.language.match_key(lex.lemma), 0, n, LAST))
        if self.accusative and lex.kind == WORD and n > 3 and text.endswith(self.accusative):
            # خوارزم شاه محمدا, بدر الدين لؤلؤا: the accusative alif stays inside the span of the name it ends
            out.append(Reading(self._slice_key(lex, 0, n - len(self.accusative)), 0, n, LAST))
        if len(out) == 1:
            result = tuple(out)  # the whole-word reading is always first, even with an empty key
        else:
            seen: set[tuple[str, int, int]] = set()
            unique = []
            for k, r in enumerate(out):
                if (r.key or not k) and (r.key, r.start, r.pos) not in seen:
                    seen.add((r.key, r.start, r.pos))
                    unique.append(r)
            result = tuple(unique)
        self._readings[text] = result
        return result

    def _segment_readings(self, lex: Lexeme) -> list[Reading]:
        """Readings from the morphology's segments: front clitics outside, suffixes after the stem inside."""
        segs = lex.segments
        if not segs:
            return []
        text, out = lex.text, []
        k = 0
        while k < len(segs) and segs[k].role in FRONT_ROLES:
            k += 1
        for cut in range(1, k + 1 if k < len(segs) else 0):  # و+ب+سطام: read بسطام and سطام
            if any([s.form for s in segs[cut:]]):
                key = self.key_of("".join(s.form or text[s.start:s.end] for s in segs[cut:]))
            else:
                key = self._slice_key(lex, segs[cut].start, len(text))
            out.append(Reading(key, segs[cut].start, len(text), FIRST))
        if not self.suffixes_inside:
            return out
        stems = [i for i, s in enumerate(segs) if s.role == "stem"]
        if stems and stems[-1] < len(segs) - 1 and k == 0:
            last = segs[stems[-1]]
            if any(s.form for s in segs[:stems[-1] + 1]):
                key = self.key_of("".join(s.form or text[s.start:s.end] for s in segs[:stems[-1] + 1]))
            else:
                key = self._slice_key(lex, 0, last.end)
            out.append(Reading(key, 0, last.end, LAST))
        return out

    def _case_fits(self, key: str, first_letter: str) -> bool:
        """A proper-noun variant needs a capital; a lowercase one (моңғол) a lowercase letter, bar sentence starts."""
        if not self.language.lowercase_key:
            return True
        return first_letter.isupper() if key in self.proper else True

    def _is_nisba(self, key: str) -> bool:
        """الخوارزمي, البخاري: the article, a stem of three letters or more, a nisba ending."""
        return key.startswith(self.nisba_article) and key.endswith(self.nisba_endings) and \
            len(key) - len(self.nisba_article) >= 4 and key not in self.stopwords

    def _adjective_like(self, word: str) -> bool:
        """Capitalised adjectives in names of bodies (Мемлекеттік, Экологиялық) are not names themselves."""
        return len(word) >= self.not_name_min_len and word.lower().endswith(self.not_name_endings)

    def type_info(self, lex: Lexeme) -> TypeInfo:
        info = self._types.get(lex.text)
        if info is not None:
            return info
        if lex.kind != WORD:
            info = _NOTHING
        else:
            readings = self.readings(lex)
            # list comprehensions, not generators: a type has one to three readings and this runs for every new type
            starts = tuple([r for r in readings if r.key in self.prefixes])
            fuzzy = None
            if self.fuzzy is not None and not any([r.key in self.index for r in readings]) and \
                    not (self.fuzzy_not_words and (lex.lemma.lower() in self.fuzzy_not_words or
                                                   lex.norm.lower() in self.fuzzy_not_words)):
                min_len = self.fuzzy.min_len
                for r in readings:
                    if r.key in self.stopwords:
                        break
                    if len(r.key) < min_len:
                        continue  # (what candidates() would say at once: most words are shorter than any key)
                    hits = [v for _, v in self.fuzzy.candidates(r.key)
                            if self._case_fits(v.key, lex.text[r.start:r.start + 1])]
                    if hits and len({v.ref for v in hits}) == 1:
                        fuzzy = (r, hits[0])
                        break
            cue_roles = self.cue_roles
            roles = {role for r in readings if r.key in cue_roles for role in cue_roles[r.key]}
            key = readings[0].key
            if self.nisba_article and self._is_nisba(key):
                roles.add("nisba")
            # endswith(tuple) first, in C: nearly every key ends in no title at all
            if key.endswith(self.title_suffixes) and \
                    any(key.endswith(t) and len(key) - len(t) >= 3 for t in self.title_suffixes):
                roles.add("title_suffix_fused")
            cues = tuple(sorted(roles)) if roles else ()
            text = lex.text
            capital = (self.capitalised and text[0].isupper() and not text.isupper()
                       and readings[0].key not in self.not_names
                       and not self._adjective_like(text.rsplit("-", 1)[-1])
                       if self.capitalised else False)
            info = TypeInfo(starts, fuzzy, cues, capital) if (starts or fuzzy or cues or capital) else _NOTHING
        self._types[lex.text] = info
        return info

    # --- the passes -------------------------------------------------------------------------------------------

    def __call__(self, doc: Document) -> None:
        tokens = doc.tokens
        n = len(tokens)
        covered = bytearray(n)
        infos: dict[int, TypeInfo] = {}
        groups: list[tuple[Mention, int]] = []  # one-word group mentions and their token: maybe adjectives
        short: list[Mention] = []  # matches of short forms (محمد, نور), confirmed by a longer form nearby
        types, type_info = self._types, self.type_info
        # Most tokens are types already read and found to be nothing: one pass keeps the others (and the types
        # not read yet), and the loop below runs on those alone.
        i = 0
        seen = types.get
        pairs, longest = self._pair_matches, self._longest_match
        # (the filter is all C: each token's type looked up, its info compared by identity, indexes kept)
        for c in list(compress(count(), map(is_not, map(seen, map(_lex_text, tokens)), repeat(_NOTHING)))):
            if c < i:
                continue  # inside the name matched last
            i = c
            tok = tokens[i]
            lex = tok.lex
            info = types.get(lex.text)
            if info is None:
                info = type_info(lex)
            if info is _NOTHING:
                continue
            infos[i] = info
            if info.starts:
                # the pair memo of _longest_match, looked up here first: most starts are a known pair of types
                following = tokens[i + 1] if i + 1 < n else None
                known = pairs.get((lex.text, following.lex.text if following is not None and
                                   following.start - tok.end <= 3 else None))
                if known is _NO_MATCH:
                    found = None
                elif known is None or known is _LONGER:
                    found = longest(tokens, i, info.starts)
                else:
                    found = i + known[0], tok.start + known[1], known[2]
                if found and found[0] == i and i + 1 < n and \
                        "laqab" in (types.get(tokens[i + 1].lex.text) or type_info(tokens[i + 1].lex)).cues:
                    found = None  # نور الدين, جلال الدين: the word begins a laqab, not the record's name
                if found:
                    j, start, key = found
                    variant = self.index[key]
                    if j > i and self.apart_titles and self._apart_title(tokens[i].lex):
                        start = tokens[i + 1].start  # الملك العادل: the title stands apart, outside the span
                    elif j > i and variant.type == "place" and self._has_role(tokens[i].lex, self.outside_place_words):
                        start = tokens[i + 1].start  # قلعة جعبر: the fortress word stays outside
                    elif j == i and variant.type == "place" and i and self.place_not_after and \
                            self._has_role(tokens[i - 1].lex, self.place_not_after):
                        i += 1  # ثلاثون ألف فارس: horsemen, not Fars
                        continue
                    cert = CERT_AMBIGUOUS if key in self.ambiguous else CERT_AUTHORITY
                    m = self._add(doc, start, tokens[j].end, variant.type, variant.ref, "authority", cert)
                    if variant.type == "group" and j == i:
                        groups.append((m, i))
                    if key in self.short_forms:
                        short.append(m)
                    for t in range(i, j + 1):
                        covered[t] = 1
                    i = j + 1
                    continue
            if info.fuzzy:
                reading, variant = info.fuzzy
                tok = tokens[i]
                m = self._add(doc, tok.start + reading.start, tok.end, variant.type, variant.ref, "fuzzy", CERT_FUZZY)
                if variant.type == "group":
                    groups.append((m, i))
                doc.corrections.append(Correction(tok.start + reading.start, tok.start + reading.end,
                                                  doc.text[tok.start + reading.start:tok.start + reading.end],
                                                  variant.surface, "typo"))
                covered[i] = 1
            i += 1
        offsets = _TokenOffsets(tokens)
        unconfirmed = self._confirm_short_forms(doc, short, covered, offsets) if short else []
        if self.use_model:
            # The model bounds and types persons and places before the cue rules (titles, kin and place words),
            # except where a word of its span is one it never saw (ноян Тоғашар Мервке: the chronicles' names);
            # there, and against its other types (Шыңғыс хан әскеріне is no facility), the cue rules are surer.
            # The capitalised-word rule only fills in where the model is unsure.
            spans = self._model_pass(doc, covered)
            novel = self.model.novel
            sure: list[tuple[int, int, str | None]] = []
            guessed: list[tuple[int, int, str | None]] = []
            for span in spans:
                seen = span[2] is not None and not any([novel(tokens[k].lex) for k in range(span[0], span[1] + 1)])
                (sure if seen else guessed).append(span)
            self._model_mentions(doc, covered, sure)
            rules = _Rules(self, doc, covered, infos, offsets)
            rules.run(capital=False)
            self._model_mentions(doc, covered, guessed)
            rules.by_end = {m.end: m for m in doc.mentions}
            rules.run(cues=False)
        else:
            rules = _Rules(self, doc, covered, infos, offsets)
            rules.run()
        short_refs: dict[int, str] = {}  # the record each unconfirmed short form was a spelling of
        for m, first, last in unconfirmed:  # محمد on its own, where no rule made it part of a longer name
            if m.type == "person" and not any(covered[first:last + 1]):
                added = self._add(doc, m.start, m.end, "person", self.slug(m.text), "short", CERT_CAPITAL)
                short_refs[id(added)] = m.ref
        if self.join_name_chains:
            rules.join_chains()
        if self.region_heads:
            rules.region_places()
        if self.join_name_chains:
            self._corefer(doc, short_refs, offsets)
        # a short form neither a chain nor a fuller form took: an ambiguous person if it can name someone by itself
        doc.mentions[:] = [m for m in doc.mentions if m.source != "short" or self._name_by_itself(m.text)]
        for m in doc.mentions:
            if m.source == "short":
                m.source = "rule"
        self._mark_attributive(doc, groups)
        doc.mentions.sort(key=lambda m: (m.start, -m.end, m.type))

    def _model_pass(self, doc: Document, covered: bytearray) -> list[tuple[int, int, str | None]]:
        """The statistical step, part 1: the sequence model tags each sentence. Returns its spans ``(first
        token, last token, type)`` -- type None for its other types (an organisation, a post, a people) -- for
        :meth:`_model_mentions`.

        What the model said of every token is kept in ``model_said`` for the capitalised-word rule, which
        proposes no name where the model read every word as none or as a name of another type. Neither is
        believed of a name the model never saw (``novel``): trained on news, it calls chronicle names nothing,
        facilities or peoples (``Қадакан-Оғұлдың``, ``Жалал ад-Динмен``, ``Темір-Мәлік``), and there the rules
        decide. A capitalised sentence-initial common word (its lemma in lower case) the model reads as none
        (``Ал``, ``Жас``) is closed to every rule: a capital there is no evidence of a name.
        """
        import numpy as np

        from ..core.crf import bio_spans, sentence_ranges

        tokens, model, types, novel = doc.tokens, self.model, self.model_types, self.model.novel
        said = self.model_said = bytearray(len(tokens))
        spans: list[tuple[int, int, str | None]] = []
        lexemes = [t.lex for t in tokens]
        ids = model.type_ids(lexemes)
        capital = model.type_flags(ids, _capitalised)
        ranges = np.array(sentence_ranges(tokens, doc.sentences), dtype=np.int64).reshape(-1, 2)
        capitals_before = np.concatenate(([0], np.cumsum(capital)))
        # a sentence with no capital has no name the model was trained to find: no Viterbi for it
        tagged = ranges[capitals_before[ranges[:, 1]] > capitals_before[ranges[:, 0]]]
        best = model.tag_ranges(ids, tagged)
        names, outside = model.weights().labels, model.weights().outside
        opening = np.zeros(len(tokens), dtype=bool)
        opening[tagged[:, 0]] = True
        inside = np.zeros(len(tokens) + 1, dtype=np.int64)  # +1 at a tagged sentence's start, -1 after its end
        np.add.at(inside, tagged[:, 0], 1)
        np.add.at(inside, tagged[:, 1], -1)
        in_tagged = np.cumsum(inside[:-1]) > 0
        for k in np.flatnonzero(capital & in_tagged & (best == outside)).tolist():
            lex = lexemes[k]
            if novel(lex):
                continue
            said[k] = MODEL_NO_NAME
            if opening[k] and not covered[k] and lex.lemma[:1].islower() and \
                    not self._types.get(lex.text, _NOTHING).cues:  # a cue word (Наймандар) stays a cue
                covered[k] = 1
        named = np.flatnonzero(best != outside)
        for i, j in tagged[np.unique(np.searchsorted(tagged[:, 0], named, side="right") - 1)].tolist():
            labels = [names[x] for x in best[i:j].tolist()]
            for first, last, kind in bio_spans(labels):
                type_ = types.get(kind)
                words = lexemes[i + first:i + last + 1]
                if type_ is None and any(map(novel, words)) and \
                        not model.other_reading_stands(words, lexemes[i + first - 1] if first else None):
                    said[i + first:i + last + 1] = bytes([MODEL_OTHER]) * (last + 1 - first)
                    continue
                said[i + first:i + last + 1] = bytes([MODEL_NO_NAME if type_ is None else MODEL_KEPT]) * \
                    (last + 1 - first)
                spans.append((i + first, i + last, type_))
        return spans

    def _model_mentions(self, doc: Document, covered: bytearray, spans: list[tuple[int, int, str | None]]) -> None:
        """The statistical step, part 2: the model's person and place spans become mentions (provisional refs);
        the words of its other spans are closed to the rules.

        The authority (and, for spans with a word the model never saw, the cue rules) ran first, and where they
        disagree with the model they win: a model span that crosses or equals one of their mentions is dropped.
        Only a model span strictly longer than the place mentions it contains replaces them (``Солтүстік
        Қазақстан облысы`` is a region, not Kazakhstan; ``Қазақстан темір жолы`` a company).
        """
        tokens = doc.tokens
        # the mentions already there, by start: the model's spans never overlap one another, so what one of them
        # adds or removes is never looked up again, and one index serves them all
        before = sorted(doc.mentions, key=_start)
        longest = max((m.end - m.start for m in before), default=0)
        removed: set[int] = set()
        for first, last, type_ in spans:
            if any(covered[first:last + 1]):
                start, end = tokens[first].start, tokens[last].end
                lo = bisect_left(before, start - longest, key=_start)
                hi = bisect_left(before, end, key=_start)
                inside = self._contained_mentions(before[lo:hi], start, end)
                if inside is None:
                    continue
                removed.update(map(id, inside))
            if type_ is not None:
                words = (tokens[k].lex for k in range(first, last + 1))
                ref = self.slug(" ".join(w.lemma or w.norm for w in words))
                self._add(doc, tokens[first].start, tokens[last].end, type_, ref, "model", CERT_MODEL)
            covered[first:last + 1] = b"\x01" * (last + 1 - first)
        if removed:
            doc.mentions[:] = [m for m in doc.mentions if id(m) not in removed]

    @staticmethod
    def _contained_mentions(mentions: list[Mention], start: int, end: int) -> list[Mention] | None:
        """The place mentions lying strictly inside ``[start, end)``, or None when any mention crosses its edges,
        equals it, or is no place: a known person or group is never swallowed (``Шыңғыс хан`` stays whatever
        the model makes of ``Шыңғыс хан әскеріне``), a place may be part of a longer name (a region, a body)."""
        inside = []
        for m in mentions:
            if m.end <= start or m.start >= end:
                continue
            if m.start < start or m.end > end or (m.start == start and m.end == end) or m.type != "place":
                return None
            inside.append(m)
        return inside or None

    def _confirm_short_forms(self, doc: Document, short: list[Mention], covered: bytearray,
                             offsets: "_TokenOffsets") -> list[tuple[Mention, int, int]]:
        """Keep a short-form match (محمد) as its record only near a longer form of the same ref.

        The others are taken back, their tokens left to the rules (أبو عبد الله محمد بن أحمد is one name);
        returns them with their first and last token so that a person no rule claimed can still be proposed.
        A place or group word (نور "light") is simply dropped.
        """
        short_ids = {id(m) for m in short}
        anchors: dict[str, list[int]] = {}
        for m in doc.mentions:
            if id(m) not in short_ids and m.ref:
                anchors.setdefault(m.ref, []).append(m.start)
        window = self.short_window
        tokens = doc.tokens
        taken_back: list[tuple[Mention, int, int]] = []
        for m in short:
            first = bisect_left(offsets.starts, m.start + 1) - 1
            in_chain = False
            if self.kin_words:  # محمد بن الفضل, بن محمد بن علي: a link of someone's name chain, not the short form
                after = bisect_left(offsets.starts, m.end)
                in_chain = (first > 0 and self._is_kin(tokens[first - 1].lex)) or \
                    (after < len(tokens) and self._is_kin(tokens[after].lex))
            near = anchors.get(m.ref, ())
            k = bisect_left(near, m.start - window)
            if not in_chain and k < len(near) and near[k] <= m.end + window:
                continue
            t = first
            while 0 <= t < len(tokens) and tokens[t].start < m.end:
                covered[t] = 0
                t += 1
            taken_back.append((m, first, t - 1))
        if taken_back:
            dropped = {id(m) for m, _, _ in taken_back}
            doc.mentions[:] = [m for m in doc.mentions if id(m) not in dropped]
        return taken_back

    def _apart_title(self, lex: Lexeme) -> bool:
        return any(r.key in self.apart_titles for r in self.readings(lex))

    def _has_role(self, lex: Lexeme, keys: frozenset[str]) -> bool:
        return any(r.key in keys for r in self.readings(lex))

    def _is_kin(self, lex: Lexeme) -> bool:
        return self.readings(lex)[0].key in self.kin_words

    def _name_by_itself(self, text: str) -> bool:
        """May a short form that no fuller form confirmed stand as an (ambiguous) person? A given name or a bare
        laqab may; a plain word of the lexicon (تولى) may not."""
        key = self.key_of(text)
        if not self.lexicon_words or key in self.given_names:
            return True
        if self.laqab_words and key.endswith(self.laqab_words) and len(text.split()) > 1:
            return True
        bare = key[len(self.definite):] if self.definite and key.startswith(self.definite) else key
        return key not in self.lexicon_words and bare not in self.lexicon_words

    def common_word(self, key: str) -> bool:
        """A word of the language's lexicon (also less a pronoun ending: يذكره) that is no given name, laqab word
        or authority spelling (cached per key)."""
        found = self._common_words.get(key)
        if found is None:
            found = self._common_words[key] = self._common_word(key)
        return found

    def _common_word(self, key: str) -> bool:
        if key in self.given_names or key in self.index or key.endswith(self.laqab_words or ("\0",)):
            return False
        if key in self.lexicon_words:
            return True
        return any(key.endswith(e) and len(key) - len(e) >= 2 and
                   (key[:-len(e)] in self.lexicon_words or key[:-len(e)] in self.lexicon_verbs)
                   for e in self.pronoun_endings)

    def common_token(self, lex: Lexeme) -> bool:
        """Every reading of the token (whole, proclitic off) is a common word: لولده, فخرجت, بطون (cached per
        type)."""
        found = self._common_tokens.get(lex.text)
        if found is None:
            found = self._common_tokens[lex.text] = self._common_token(lex)
        return found

    def _common_token(self, lex: Lexeme) -> bool:
        # the clitic cuts of the morphology's segments only (a cue-table cut of an unknown name, ك+تكا, is no word)
        readings = [r for r in self.readings(lex) if r.pos != LAST] if len(lex.segments) > 1 else \
            [self.readings(lex)[0]]
        return bool(readings) and any(self.common_word(r.key) for r in readings) and \
            not any(r.key in self.given_names or r.key in self.index for r in readings)

    def name_keys(self, text: str) -> frozenset[str]:
        """The match keys of the words of a name before its first kin word (بن): the person's own name, not his
        father's; what two forms of one name share."""
        found = self._own_names.get(text)
        if found is not None:
            return found
        keys = []
        for w in text.split():
            k = self.key_of(w)
            if k in self.kin_words:
                break
            if k and k not in self.apart_titles:
                keys.append(k)
        found = self._own_names[text] = frozenset(keys)
        return found

    def _head_index(self) -> dict[frozenset[str], set[str]]:
        """Own-name words (before بن) of every person variant with a nasab -> the refs having them."""
        heads = self._heads
        if heads is None:
            heads = {}
            for rec in self._authority_records:
                if rec.type != "person":
                    continue
                for surface in rec.variants.get(self._columns[0] if self._columns else "", ()):
                    words = surface.split()
                    if any(self.key_of(w) in self.kin_words for w in words[1:]):
                        heads.setdefault(self.name_keys(surface), set()).add(rec.ref)
            self._heads = heads
        return heads

    def _split_chain(self, text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """(own-name keys, keys of the rest from the first kin word on) of a name, titles standing apart left out:
        جلال الدين بن السلطان محمد -> ((جلال, الدين), (بن, محمد))."""
        keys = [k for k in map(self.key_of, text.split()) if k and k not in self.apart_titles]
        cut = next((n for n, k in enumerate(keys) if n and k in self.kin_words), len(keys))
        return tuple(keys[:cut]), tuple(_KIN if k in self.kin_words else k for k in keys[cut:])  # بن = ابن

    def _nasab_fits(self, known: tuple[str, ...], rest: tuple[str, ...]) -> bool:
        """Does a chain's ``rest`` (from its first kin word) hold a variant's: the same links from the father up to
        the variant's last one, then the variant's remaining words in order, one of them a dot variant."""
        last = max(n for n, k in enumerate(known) if k is _KIN)
        links = known[:last + 2]
        if rest[:len(links)] != links:
            return False
        k, dotted = len(links), False
        for w in known[len(links):]:
            while k < len(rest) and rest[k] != w:
                if not dotted and len(w) >= 6 and self._skeleton(rest[k]) == self._skeleton(w):
                    dotted = True
                    break
                k += 1
            if k == len(rest):
                return False
            k += 1
        return True

    def _skeleton(self, key: str) -> str:
        """The key with letters that differ only by dots made one (``dot_variants``)."""
        return key.translate(self._dot_table) if self._dot_table else key

    def _own_ism_added(self, own: tuple[str, ...], known: frozenset[str]) -> bool:
        """Does the own name ``own`` hold a given name (ism) beyond ``known``? A kunya's words (أبي عبد الله, after
        أبو/عبد) are not one."""
        for n, k in enumerate(own):
            if k in known or k in self.needs_next or (n and own[n - 1] in self.needs_next):
                continue
            if k in self.given_names:
                return True
        return False

    def _nasab_index(self) -> dict[str, list[tuple[frozenset[str], tuple[str, ...], str]]]:
        """Every person variant with a nasab, split by :meth:`_split_chain`, under each word of its own name."""
        found = self._nasabs
        if found is None:
            found = {}
            for rec in self._authority_records:
                if rec.type != "person":
                    continue
                for surface in rec.variants.get(self._columns[0] if self._columns else "", ()):
                    own, rest = self._split_chain(surface)
                    if own and rest:
                        for k in own:
                            found.setdefault(k, []).append((frozenset(own), rest, rec.ref))
            self._nasabs = found
        return found

    def chain_record(self, text: str) -> str | None:
        """The one record a provisional name chain spells out more fully than one of the record's own variants
        with a nasab: the variant's own name among the chain's own name, and its nasab and nisba words in the
        chain's rest: its nasab from the father on, link for link, then its nisba anywhere after (رضي الدين المؤيد بن
        محمد بن علي الطوسي holds المؤيد بن محمد الطوسي; titles apart are left out; عماد الدين زنكي بن مودود is not
        عماد الدين زنكي بن اقسنقر). One nisba of six letters or more may differ by dots alone (القراوي, الفراوي;
        the language's ``dot_variants``). The chain's own name may add a laqab or a kunya (رضي الدين, أبو عبد الله)
        but no ism of its own (جلال الدين حسن بن محمد is not جلال الدين بن محمد). None when no record or several
        fit."""
        found = self._chain_records.get(text, False)
        if found is not False:
            return found
        own, rest = self._split_chain(text)
        refs = set()
        if rest:
            index = self._nasab_index()
            candidates = {id(e): e for k in own for e in index.get(k, ())}  # variants sharing an own-name word
            for vown, vrest, ref in candidates.values():
                if vown.issubset(own) and self._nasab_fits(vrest, rest) and not self._own_ism_added(own, vown):
                    refs.add(ref)
        found = self._chain_records[text] = next(iter(refs)) if len(refs) == 1 else None
        return found

    def _corefer(self, doc: Document, short_refs: dict[int, str] | None = None,
                 offsets: "_TokenOffsets | None" = None) -> None:
        """A provisional person (``new:``) whose words all stand in a fuller name the document links to one record
        takes that record's ref (بدر الدين after بدر الدين لؤلؤ); the most often named of several, the nearest
        before it on a tie. A name of three words or more that is exactly the own name of one record's fuller
        variant (ناصر الدين محمود of ناصر الدين محمود بن مسعود) takes that record's ref even if the document never
        writes the fuller form; a bare laqab or ism never does.

        A given name standing after a title apart (السلطان محمد, الشيخ علي) is read with its title: it corefers only
        with a person the document also names after that title, not a namesake the text never titled so. When
        there is none and the title is a sovereign's (``title_before_strict``: السلطان, الخليفة), it is the record
        whose spelling the ism is (the sovereign the gazetteer knows by it); else it stays provisional."""
        heads = self._head_index()
        for m in doc.mentions:
            if m.type == "person" and (m.ref or "").startswith("new:") and len(m.text.split()) >= 3:
                ref = self.chain_record(m.text)  # the record whose nasab the chain spells out, else its own name's
                if ref is None:
                    refs = heads.get(self.name_keys(m.text), ())
                    ref = next(iter(refs)) if len(refs) == 1 else None
                if ref is not None:
                    m.ref, m.cert, m.source = ref, CERT_COREF, "coref"
        # one entry per distinct own name (not per mention): a book names the same people thousands of times
        forms: dict[frozenset[str], dict[str, list[int]]] = {}
        salience: dict[str, int] = {}
        titled: dict[str, set[str]] = {}  # ref -> the titles apart standing right before its mentions
        offsets = offsets or _TokenOffsets(doc.tokens)
        for m in doc.mentions:
            if m.type == "person" and m.ref and not m.ref.startswith("new:"):
                forms.setdefault(self.name_keys(m.text), {}).setdefault(m.ref, []).append(m.start)
                salience[m.ref] = salience.get(m.ref, 0) + 1
                title = self._title_before(doc, m, offsets)
                if title is not None:
                    titled.setdefault(m.ref, set()).add(title)
        short_refs = short_refs or {}
        for refs in forms.values():
            for where in refs.values():
                where.sort()
        by_word: dict[str, list[frozenset[str]]] = {}
        for okeys in forms:
            for k in okeys:
                by_word.setdefault(k, []).append(okeys)
        for m in doc.mentions:
            if m.type != "person" or not (m.ref or "").startswith("new:"):
                continue
            keys = self.name_keys(m.text)
            if not keys or any(self.key_of(w) in self.kin_words for w in m.text.split()):
                continue  # a nasab chain (محمد بن الفضل) is a full name of its own
            rarest = min(keys, key=lambda k: len(by_word.get(k, ())))
            starts: set[str] = set()
            before: dict[str, int] = {}  # ref -> its last fuller form before m
            for okeys in by_word.get(rarest, ()):
                if keys <= okeys:
                    for ref, where in forms[okeys].items():
                        starts.add(ref)
                        k = bisect_left(where, m.start)
                        if k:
                            before[ref] = max(before.get(ref, -1), where[k - 1])
            own = short_refs.get(id(m))
            # an ism (محمد) after a title; a regnal epithet (الملك الظاهر) is a title chain of its own
            title = self._title_before(doc, m, offsets) if self.key_of(m.text) in self.given_names else None
            if title is not None:
                own = own or self._own_record(m.text)
                starts = {r for r in starts if title in titled.get(r, ())}
                before = {r: w for r, w in before.items() if r in starts}
                if not starts and own is not None and title in self.sovereign_titles:
                    m.ref, m.cert, m.source = own, CERT_AMBIGUOUS, "coref"
                    continue
            if not starts:
                continue
            if own is not None and own in starts:
                ref = own  # the record whose spelling it is, named fully somewhere in the document
            elif before:  # a short form after a full form takes its ref: the most named, else the last read
                ref = max(before, key=lambda r: (salience[r], before[r]))
            elif len(starts) == 1:
                ref = next(iter(starts))
            else:
                continue  # named fully only later, by two people: left open
            m.ref, m.cert, m.source = ref, CERT_COREF, "coref"

    def _own_record(self, text: str) -> str | None:
        """The person record one of whose variants ``text`` is, when no other record shares it."""
        key = self.key_of(text)
        variant = self.index.get(key)
        return variant.ref if variant is not None and variant.type == "person" and key not in self.ambiguous \
            else None

    def _title_before(self, doc: Document, m: Mention, offsets: "_TokenOffsets") -> str | None:
        """The key of a title apart (السلطان, الملك) standing right before mention ``m``, or None."""
        k = offsets.starting(m.start)
        if not k:
            return None
        prev = doc.tokens[k - 1]
        if prev.lex.kind != WORD or m.start - prev.end > 3 or not doc.text[prev.end:m.start].isspace():
            return None
        key = self.readings(prev.lex)[0].key
        return key if key in self.apart_titles else None

    def _longest_match(self, tokens, i: int, starts: tuple[Reading, ...]) -> tuple[int, int, str] | None:
        """``(last token index, span start, key)`` of the longest variant beginning at token ``i``.

        A search that looked no further than the next word is remembered for that pair of word types (a book
        repeats على X, ابن X, الملك X thousands of times); a longer one is done afresh each time."""
        tok = tokens[i]
        text = tok.lex.text
        following = tokens[i + 1] if i + 1 < len(tokens) else None
        pair = (text, following.lex.text if following is not None and following.start - tok.end <= 3 else None)
        known = self._pair_matches.get(pair)
        if known is not None:
            if known is _NO_MATCH:
                return None
            if known is not _LONGER:
                return i + known[0], tok.start + known[1], known[2]
        found, furthest = self._search_match(tokens, i, starts)
        if known is None:
            if len(self._pair_matches) > 500_000:
                self._pair_matches.clear()  # bounded over a long stream of documents
            self._pair_matches[pair] = _LONGER if furthest > i + 1 else \
                _NO_MATCH if found is None else (found[0] - i, found[1] - tok.start, found[2])
        return found

    def _search_match(self, tokens, i: int, starts: tuple[Reading, ...]) -> tuple[tuple[int, int, str] | None, int]:
        """:meth:`_longest_match` done in full: the match, and the index of the furthest token looked at."""
        index, prefixes = self.index, self.prefixes
        tok = tokens[i]
        best: tuple[int, int, int, str] | None = None  # (last token, -clitic offset, span start, key)
        text = tok.lex.text
        furthest = i
        for r in starts:
            if r.key in index and self._case_fits(r.key, text[r.start:r.start + 1]):
                cand = (i, -r.start, tok.start + r.start, r.key)
                best = cand if best is None or cand[:2] > best[:2] else best
            if r.pos == LAST or len(r.key) < 2:
                continue  # a lone letter (the م of 1218م) never starts a name spread over words: م وصل is no الموصل
            key, j = r.key, i + 1
            while key in prefixes and j < len(tokens):
                nxt = tokens[j]
                furthest = max(furthest, j)
                if nxt.start - tokens[j - 1].end > 3:
                    break
                extended = None
                for rj in self.readings(nxt.lex):
                    if rj.pos == FIRST:
                        continue
                    joined = key + rj.key
                    if joined in index and self._case_fits(joined, text[r.start:r.start + 1]):
                        cand = (j, -r.start, tok.start + r.start, joined)
                        best = cand if best is None or cand[:2] > best[:2] else best
                    if rj.pos == ANY:
                        extended = joined
                if extended is None:
                    break
                key, j = extended, j + 1
        return (None if best is None else (best[0], best[2], best[3])), furthest

    def _add(self, doc: Document, start: int, end: int, type: str, ref: str | None, source: str, cert: float,
             note: str | None = None) -> Mention:
        m = Mention(start, end, doc.text[start:end], type, ref, None, source, cert, note)
        doc.mentions.append(m)
        return m

    def _mark_attributive(self, doc: Document, groups: list[tuple[Mention, int]]) -> None:
        """Note group names used as adjectives: Arabic nisbas after a noun, Kazakh bare ethnonyms before one.

        Only one-word mentions are candidates: a multi-word name (الخلافة العباسية) is a name, not an adjective.
        """
        mode = self.attributive.get("mode")
        if not mode:
            return
        tokens = doc.tokens
        endings = tuple(self.attributive.get("endings", ()))
        for m, k in groups:
            tok = tokens[k]
            if mode == "nisba":
                key = self.language.match_key(tok.lex.norm)
                prev = tokens[k - 1] if k else None
                if key.endswith(endings) and prev is not None and prev.lex.kind == WORD:
                    m.note = ATTRIBUTIVE
            elif mode == "bare_before_word":
                text = m.text
                sentence_start = k == 0 or tokens[k - 1].lex.text in self.openers
                if self.key_of(text) in self.proper:
                    continue  # a proper name (Хорезмшах), not an ethnonym
                if self.attributive.get("lowercase") and not (text[:1].islower() or sentence_start):
                    continue
                if (self.key_of(text) not in self.index and not m.source == "fuzzy") or \
                        any(seg.role != "stem" for seg in tok.lex.segments):
                    continue  # inflected (моңғолдар, even where a record lists the form): a noun, not a modifier
                if k + 1 >= len(tokens):
                    continue
                nxt = tokens[k + 1]
                if nxt.lex.kind == WORD and self.language.match_key(nxt.lex.norm) not in self.copulas:
                    m.note = ATTRIBUTIVE
                elif nxt.lex.text == "," and k + 2 < len(tokens) and tokens[k + 2].lex.kind == WORD:
                    m.note = ATTRIBUTIVE

    # --- provisional refs -------------------------------------------------------------------------------------

    def slug(self, text: str) -> str:
        slug = self._slugs.get(text)
        if slug is None:
            slug = self._slugs[text] = self._make_slug(text)
        return slug

    def _make_slug(self, text: str) -> str:
        slug = "-".join(p for p in text.lower().translate(self._slug_table).split("-") if p)
        return f"new:{slug or 'x'}"


class _SlugLetters(dict):
    """Code point -> what it becomes in a provisional ref (for ``str.translate``), each worked out on first
    sight: a letter of the language's ``slug_letters`` its transliteration, another one its first NFKD letter
    (ğ -> g, ş -> s) if that is an ASCII letter or digit, a space or hyphen "-", anything else nothing."""

    def __init__(self, letters: dict[str, str]):
        super().__init__()
        self.letters = letters

    def __missing__(self, code: int) -> str:
        ch, letters = chr(code), self.letters
        if ch not in letters and not ch.isascii():
            ch = unicodedata.normalize("NFKD", ch)[:1]
        out = letters[ch] if ch in letters else ch if ch.isascii() and ch.isalnum() else "-" if ch in " -" else ""
        self[code] = out
        return out


class _Rules:
    """Pass 3: names in no authority record, proposed from the cue words around them."""

    def __init__(self, rec: EntityRecogniser, doc: Document, covered: bytearray, infos: dict[int, TypeInfo],
                 offsets: _TokenOffsets):
        self.rec, self.doc, self.covered, self.infos, self.offsets = rec, doc, covered, infos, offsets
        self.tokens = doc.tokens
        self.by_end: dict[int, Mention] = {m.end: m for m in doc.mentions}  # the mention ending at an offset
        self.model_said: bytearray | None = rec.model_said if rec.use_model else None
        self.dropped: set[int] = set()  # ids of mentions a rule took over, out of doc.mentions at the end of run()

    def run(self, cues: bool = True, capital: bool = True) -> None:
        """The cue rules and the capitalised-word rule, token by token (or only one of the two)."""
        for i, info in self.infos.items():  # in token order
            if not (info.cues or info.capital):
                continue
            if cues:
                for role in info.cues:
                    getattr(self, role)(i)
            if capital and info.capital and not self.covered[i]:
                self.capital(i)
        if self.dropped:
            dropped = self.dropped
            self.doc.mentions[:] = [m for m in self.doc.mentions if id(m) not in dropped]
            dropped.clear()

    def drop(self, mention: Mention) -> None:
        """Take a mention a rule takes over out of the document (at the end of :meth:`run`: one pass over the
        mentions instead of a search of the list for each); it is no longer found by its end."""
        self.dropped.add(id(mention))
        del self.by_end[mention.end]

    # -- token tests --

    def key(self, k: int) -> str:
        """The match key of token ``k`` read whole."""
        lex = self.tokens[k].lex
        readings = self.rec._readings.get(lex.text)
        return (readings if readings is not None else self.rec.readings(lex))[0].key

    def name_like(self, k: int, first: bool = False) -> bool:
        """Could token ``k`` be part of a name? Not punctuation, a stop word, a cue, a pronoun-suffixed word."""
        if k < 0 or k >= len(self.tokens) or self.covered[k]:
            return False
        lex = self.tokens[k].lex
        cache = self.rec._name_words
        ok = cache.get((lex.text, first))
        if ok is None:
            ok = cache[(lex.text, first)] = self._name_word(lex, first)
        return ok and not (k == 0 and self.rec.cue_roles.get(self.key(k)))

    def _name_word(self, lex: Lexeme, first: bool) -> bool:
        """The per-type part of :meth:`name_like` (cached by the recogniser)."""
        rec = self.rec
        if lex.kind != WORD:
            return False
        text = lex.text
        readings = rec.readings(lex)
        key = readings[0].key
        stripped = key
        if first:
            for p in rec.name_proclitics:
                if text.startswith(p) and len(text) - len(p) >= 3 and key not in rec.index:
                    stripped = rec.key_of(text[len(p):])
                    break
        if first and rec.definite and any(r.start and r.key.startswith(rec.definite)
                                          for r in readings if r.pos == FIRST):
            return False  # بالرجوع: a preposition and a definite noun
        if key in rec.stopwords or stripped in rec.stopwords or text in rec.raw_stopwords:
            return False
        roles = rec.cue_roles.get(key)
        if roles and roles != {"laqab"}:  # a laqab word (الدين) may continue a name
            return False
        if rec.reject_endings and text.endswith(rec.reject_endings):
            return False
        if rec.capitalised and not text[0].isupper() and not text.lower().startswith(rec.particles):
            return False
        return True

    def strip_name_clitic(self, k: int) -> tuple[int, str]:
        """(offset where a name starts in token ``k``, its key) with a conjunction like و taken off."""
        text = self.tokens[k].lex.text
        cache = self.rec._name_clitics
        found = cache.get(text)
        if found is None:
            found = (0, self.key(k))
            for p in self.rec.name_proclitics:
                if text.startswith(p) and len(text) - len(p) >= 3 and self.key(k) not in self.rec.index:
                    found = (len(p), self.rec.key_of(text[len(p):]))
                    break
            cache[text] = found
        return found

    def sentence_start(self, k: int) -> bool:
        if k == 0:
            return True
        prev = self.tokens[k - 1]
        return (prev.lex.kind == PUNCT and prev.lex.text[:1] in self.rec.openers) or \
            "\n" in self.doc.text[prev.end:self.tokens[k].start]

    def adjacent(self, a: int, b: int) -> bool:
        if 0 <= a < b < len(self.tokens):
            tokens = self.tokens
            return tokens[b].start - tokens[a].end <= 3
        return False

    # -- proposing --

    def propose(self, first: int, last: int, type: str, cert: float = CERT_RULE, clitic: bool = True,
                source: str = "rule", offset: int | None = None) -> None:
        if first < 0 or last >= len(self.tokens) or first > last:
            return
        if any(self.covered[first:last + 1]):
            return
        rec, tokens = self.rec, self.tokens
        if type == "person" and source == "rule" and rec.lexicon_words and not self.may_be_name(first, last):
            return
        off = offset if offset is not None else (self.strip_name_clitic(first)[0] if clitic else 0)
        start, end = tokens[first].start + off, tokens[last].end
        if rec.capitalised:
            slug_text = " ".join(w.lemma or w.norm for w in (tokens[k].lex for k in range(first, last + 1)))
        else:
            slug_text = " ".join([tokens[k].lex.norm for k in range(first, last + 1)])
        if off:
            slug_text = slug_text[off:]
        self.by_end[end] = rec._add(self.doc, start, end, type, rec.slug(slug_text), source, cert)
        self.covered[first:last + 1] = b"\x01" * (last + 1 - first)

    def may_be_name(self, first: int, last: int) -> bool:
        """Not a phrase of the lexicon's words (زاد لهؤلاء, ستمائة ملك, بطون الحبالى) nor one opened by a verb
        in the imperfect (يحذو حذو): some word must be a name, a given name or unknown to the lexicon. A function of
        the word types alone, cached by them."""
        words = tuple([tok.lex.text for tok in self.tokens[first:last + 1]])
        found = self.rec._maybe_names.get(words)
        if found is None:
            found = self.rec._maybe_names[words] = self._may_be_name(first, last)
        return found

    def _may_be_name(self, first: int, last: int) -> bool:
        rec = self.rec
        keys = [self.strip_name_clitic(first)[1]] + [self.key(k) for k in range(first + 1, last + 1)]
        if any(k in rec.chain_titles for k in keys[1:]) or keys[0] in rec.needs_next:
            return True  # ينال خان: a fused title (not ملك, also a verb) makes a name of a word; ابو/عبد: a kunya
        if keys[0] in rec.lexicon_verbs and keys[0] not in rec.given_names and keys[0] not in rec.laqab_heads:
            return False
        return not all(rec.common_token(self.tokens[k].lex) or rec.common_word(key) or key in rec.apart_titles
                       or key in rec.kin_words for k, key in zip(range(first, last + 1), keys))

    # -- whole name chains (ANNOTATION.md, "Chronicles") --

    def joined(self, a: int, b: int) -> bool:
        """Tokens ``a`` and ``b`` follow each other with only white space between, ``b`` a word."""
        tokens = self.tokens
        if not (0 <= a < b < len(tokens)) or tokens[b].lex.kind != WORD:
            return False
        gap = self.doc.text[tokens[a].end:tokens[b].start]
        return len(gap) <= 3 and gap.isspace()

    def join_chains(self) -> None:
        """One person span for a whole name chain: laqab, kunya, ism, nasab links (بن/ابن X, however many), nisba,
        an accusative alif (خوارزم شاه محمدا). Person mentions that follow one another with only a space or a kin
        word between are merged into the first, whose ref the chain keeps (a provisional ref is re-made from the
        whole chain). A title standing apart before the chain stays outside it; after بن it is inside."""
        doc, tokens, token_at = self.doc, self.tokens, self.offsets.starting
        if not any(m.type == "person" for m in doc.mentions):
            return
        starting: dict[int, Mention] = {}
        for m in doc.mentions:
            k = token_at(m.start)
            if k is not None and (k not in starting or m.type == "person"):
                starting[k] = m
        removed: set[int] = set()
        for m in sorted(doc.mentions, key=_start):
            if m.type != "person" or id(m) in removed:
                continue
            first, last = token_at(m.start), self.offsets.ending(m.end)
            if last is None:
                continue
            end = self._chain_end(last, starting, removed, m)
            if end == last:
                continue
            m.end = tokens[end].end
            m.text = doc.text[m.start:m.end]
            if m.ref is None or m.ref.startswith("new:"):
                m.ref = self.rec.slug(m.text)
            self.covered[(first if first is not None else last):end + 1] = \
                b"\x01" * (end + 1 - (first if first is not None else last))
        if removed:
            doc.mentions[:] = [m for m in doc.mentions if id(m) not in removed]

    def _chain_end(self, last: int, starting: dict[int, Mention], removed: set[int], head: Mention) -> int:
        rec, n = self.rec, len(self.tokens)
        while last + 1 < n and self.joined(last, last + 1):
            k = last + 1
            if self.key(k) in rec.kin_words:
                end = self._chain_link(k + 1, starting, removed, head, True) if self.joined(k, k + 1) else None
            else:
                end = self._chain_link(k, starting, removed, head, False)
            if end is None:
                break
            last = end
        return last

    def _chain_link(self, j: int, starting: dict[int, Mention], removed: set[int], head: Mention,
                    after_kin: bool) -> int | None:
        """Last token of the link of a name chain that begins at token ``j`` (after بن if ``after_kin``)."""
        rec, tokens, n = self.rec, self.tokens, len(self.tokens)
        m = starting.get(j)
        if m is not None and m is not head and id(m) not in removed:
            single = m.end == tokens[j].end
            if m.type == "person" or (single and (after_kin or "nisba" in self.infos.get(j, _NOTHING).cues)):
                removed.add(id(m))
                return bisect_left(self.offsets.ends, m.end)
            return None
        key = self.key(j)
        if after_kin and key in rec.apart_titles and j + 1 < n and self.joined(j, j + 1):
            nxt = starting.get(j + 1)  # بن الملك العادل: the title is inside the chain
            if nxt is not None and nxt.type == "person" and id(nxt) not in removed:
                removed.add(id(nxt))
                return bisect_left(self.offsets.ends, nxt.end)
        if self.covered[j]:
            return None
        if after_kin:
            if not self.name_like(j, True):
                return None
            last = j
            while last + 1 < n and self.joined(last, last + 1) and not self.covered[last + 1] and \
                    (self.key(last) in rec.needs_next or
                     {"laqab", "title_after_fused"} & set(self.infos.get(last + 1, _NOTHING).cues)):
                last += 1  # بن عبد الله, بن علاء الدين, بن ارسلان شاه
            return last
        info = self.infos.get(j, _NOTHING)
        if "nisba" in info.cues and self.name_like(j):
            return j  # الطوسي, النسوي
        if key in rec.chain_titles:
            return j  # نور الدين ارسلان شاه: a fused title after the name
        if (key in rec.given_names or (key[-1:] == "ا" and key[:-1] in rec.given_names)) and self.name_like(j):
            return j  # خوارزم شاه محمد, خوارزم شاه محمدا
        if j + 1 < n and self.joined(j, j + 1) and self.key(j + 1) in rec.kin_words and self.name_like(j, True) \
                and not rec.common_word(key):
            return j  # رضي الدين المؤيد بن ...: the ism between a laqab and بن
        return None

    def region_places(self) -> None:
        """A region named by its head word and a place or people: بلاد الكرج, ديار الجزيرة, بلاد ما وراء النهر.
        The head joins the span; a people's name becomes a place with a provisional ref."""
        doc, tokens, rec, token_at = self.doc, self.tokens, self.rec, self.offsets.starting
        for m in doc.mentions:
            if m.type not in ("place", "group"):
                continue
            k = token_at(m.start)
            if not k:
                continue
            if not self.doc.text[tokens[k - 1].end:tokens[k].start].isspace():
                continue
            if m.type == "group" and rec.lord_words and rec._has_role(tokens[k - 1].lex, rec.lord_words):
                # صاحب الروم: the lord of a land named after its people; the land's record if one is "بلاد X"
                region = rec.index.get(next(iter(rec.region_heads_sorted), "") + rec.key_of(m.text))
                m.type, m.note = "place", None
                m.ref = region.ref if region is not None and region.type == "place" else rec.slug(m.text)
                continue
            head = next((r for r in rec.readings(tokens[k - 1].lex) if r.key in rec.region_heads), None)
            if head is None or m.ref in rec.cities:
                continue  # بلاد غزنة: the lands of a city, whose name alone is the place
            m.start = tokens[k - 1].start + head.start
            m.text = doc.text[m.start:m.end]
            if m.type == "group":
                m.type, m.ref, m.note, m.cert = "place", rec.slug(m.text), None, min(m.cert or CERT_RULE, CERT_RULE)
            self.covered[k - 1] = 1

    def extend(self, mention: Mention, last: int) -> None:
        """Stretch a rule's person mention to the end of token ``last`` (a nisba, a further بن X)."""
        old_end = mention.end
        mention.end = self.tokens[last].end
        mention.text = self.doc.text[mention.start:mention.end]
        mention.ref = self.rec.slug(mention.text)
        del self.by_end[old_end]
        self.by_end[mention.end] = mention
        k = last
        while k >= 0 and self.tokens[k].end > old_end:
            self.covered[k] = 1
            k -= 1

    def name_before(self, i: int, most: int) -> int | None:
        """First index of a run of name-like tokens ending right before ``i`` (at most ``most`` tokens)."""
        first = None
        k = i - 1
        while k >= 0 and i - k <= most and self.adjacent(k, k + 1) and self.name_like(k) and \
                not self.tokens[k].lex.text.endswith(self.rec.before_reject):
            if self.rec.capitalised and self.sentence_start(k) and first is None and not self.tokens[k].lex.text[:1].isupper():
                break
            first = k
            k -= 1
        return first

    def name_after(self, i: int, most: int) -> int | None:
        """Last index of a run of name-like tokens starting right after ``i``; stops before a و-joined name."""
        last = None
        k = i + 1
        words = 0  # particles (ад-Дин) do not count towards ``most``
        while k < len(self.tokens) and self.adjacent(k - 1, k) and self.name_like(k, k == i + 1):
            bound = k > i + 1 and self.key(k - 1) in self.rec.needs_next  # عبد الله: عبد cannot end a name
            if bound:
                pass
            elif k > i + 1 and (self.strip_name_clitic(k)[0] or
                                (self.rec.definite and self.key(k).startswith(self.rec.definite)
                                 and "laqab" not in self.infos.get(k, _NOTHING).cues)):
                break  # وسوبوتاي starts another name; a definite word (الجيش) is no longer the name
            if not self.is_particle(k) and not bound and "laqab" not in self.infos.get(k, _NOTHING).cues:
                words += 1
                if words > most:
                    break
            last = k
            k += 1
        if last is not None and self.adjacent(last, last + 1) and not self.covered[last + 1] and \
                "title_after_fused" in self.infos.get(last + 1, _NOTHING).cues:
            last += 1  # بقيادة أمين ملك: a title fused to the name is part of it
        return last

    # -- cue roles (names as in entity_cues.json) --

    def title_after_fused(self, i: int) -> None:  # ينال خان, Шыңғыс хан: the title is part of the name
        first = self.name_before(i, 2 if self.rec.capitalised else 1)
        if first is not None and self.rec.definite and self.key(first).startswith(self.rec.definite):
            return  # السنة ملك: a definite noun before the verb ملك, not a name before a title
        if first is not None and not self.covered[i]:
            self.propose(first, i, "person")

    def title_after_apart(self, i: int) -> None:  # Жалал ад-Дин сұлтан: the title stays outside
        first = self.name_before(i, 2)
        if first is not None:
            self.propose(first, i - 1, "person")

    def title_before(self, i: int) -> None:  # الامير X, сұлтан X
        # One word after a Kazakh title: the next capitalised word may already be a place (ноян Тоғашар Мервке).
        last = self.name_after(i, 1 if self.rec.capitalised else 2)
        if last is not None:
            self.propose(i + 1, last, "person")

    def kin_joining(self, i: int) -> None:  # X بن Y, and a chain X بن Y بن Z as one name
        if not (self.name_like(i + 1) and self.adjacent(i - 1, i) and self.adjacent(i, i + 1)) or self.covered[i]:
            return
        last = i + 1
        if last + 1 < len(self.tokens) and self.adjacent(last, last + 1) and not self.covered[last + 1] and \
                (self.key(last) in self.rec.needs_next or "laqab" in self.infos.get(last + 1, _NOTHING).cues):
            last += 1  # بن عبد الله, بن صلاح الدين
        if self.covered[i - 1]:
            before = self.by_end.get(self.tokens[i - 1].end)
            if before is not None and before.type == "person" and before.source == "rule":
                self.extend(before, last)
            return
        if not self.name_like(i - 1):
            return
        first = i - 1
        if first > 0 and self.key(first - 1) in self.rec.needs_next and self.adjacent(first - 1, first) and \
                not self.covered[first - 1]:
            first -= 1  # عبد الله بن عباس
        self.propose(first, last, "person")

    def kin_before(self, i: int) -> None:  # ابن الاثير; ұлы Жошы
        last = self.name_after(i, 1)
        if last is None:
            return
        if self.rec.capitalised:
            self.propose(i + 1, last, "person")
        elif not self.covered[i]:
            # the name starts at the kin word, after any proclitic on it (بابن الخشاب → ابن الخشاب)
            cue = next((r for r in self.rec.readings(self.tokens[i].lex)
                        if "kin_before" in self.rec.cue_roles.get(r.key, ())), None)
            self.propose(i, last, "person", offset=cue.start if cue else 0)

    def title_suffix_fused(self, i: int) -> None:  # (محمد) خوارزمشاه: a title written into the word
        if self.covered[i] or not self.name_like(i, True):
            return
        first = i
        if i > 0 and self.adjacent(i - 1, i) and self.name_like(i - 1, True) and \
                not self.key(i - 1).startswith(self.rec.definite or "\0") and \
                not self.tokens[i - 1].lex.text.endswith(self.rec.before_reject):
            first = i - 1
        self.propose(first, i, "person")

    def title_before_strict(self, i: int) -> None:  # السلطان محمد, but not السلطان رفض
        k = i + 1
        if k < len(self.tokens) and self.adjacent(i, k) and self.name_like(k, True) and \
                self.strip_name_clitic(k)[1] in self.rec.given_names:
            last = self.name_after(i, 2) or k
            self.propose(k, last, "person")

    def kin_list(self, i: int) -> None:  # الاخوان جغتاي واوكتاي; أبنائه هم جوجي وجغتاي
        k = i
        if k + 1 < len(self.tokens) and self.key(k + 1) in self.rec.list_openers:
            k += 1
        self.military_before(k)

    def military_before(self, i: int) -> None:  # بقيادة جيبي وسوبوتاي
        k = i
        for _ in range(3):
            last = self.name_after(k, 2)
            if last is None:
                return
            self.propose(k + 1, last, "person")
            k = last
            if k + 1 >= len(self.tokens) or not self.strip_name_clitic(k + 1)[0]:
                return

    def military_after(self, i: int) -> None:  # Шыңғыс хан бастаған
        first = self.name_before(i, 3)
        if first is not None:
            self.propose(first, i - 1, "person")

    def laqab(self, i: int) -> None:  # جلال الدين منكبرتي, علاء الدين محمد
        if not self.adjacent(i - 1, i) or self.covered[i] or i == 0:
            return
        rec = self.rec
        # لنور الدين, ولبدر الدين: a preposition before a laqab's first word, which is a known laqab head
        offset = self.laqab_head_clitic(i - 1) if self.key(i - 1) not in rec.laqab_heads else None
        if offset is None and not self.name_like(i - 1, True):
            return
        last = i
        nxt = i + 1
        if self.name_like(nxt) and self.adjacent(i, nxt) and not self.strip_name_clitic(nxt)[0] and \
                not self.key(nxt).startswith(rec.definite or "\0") and \
                not any(r.pos == FIRST for r in rec.readings(self.tokens[nxt].lex)) and \
                not rec.common_word(self.key(nxt)) and self.key(nxt) not in rec.lexicon_verbs:
            last = nxt  # علاء الدين محمد, but not مظفر الدين يقبح, بدر الدين عسكره
        self.propose(i - 1, last, "person", offset=offset)

    def laqab_head_clitic(self, k: int) -> int | None:
        """Where a laqab's first word starts in token ``k`` after a proclitic (لنور → نور), if it is a known head."""
        rec = self.rec
        if self.covered[k] or not rec.laqab_heads:
            return None
        text = self.tokens[k].lex.text
        for p in rec.proclitics:
            if text.startswith(p) and rec.key_of(text[len(p):]) in rec.laqab_heads:
                return len(p)
        return None

    def nisba(self, i: int) -> None:
        """علي خواجة البخاري: indefinite name words before a definite nisba make one person's name.

        An adjective agrees with its noun in definiteness, so an indefinite word followed by a definite nisba
        is a name and its nisba, not a noun and an adjective (الجيش الخوارزمي). A nisba the authority read as
        a group adjective is taken over.
        """
        rec, tokens = self.rec, self.tokens
        group = None
        if self.covered[i]:
            group = self.by_end.get(tokens[i].end)
            if group is None or group.type != "group" or group.start < tokens[i].start or \
                    group.source != "authority":
                return
        if i == 0 or not self.adjacent(i - 1, i):
            return
        if self.covered[i - 1] and group is None and not self.covered[i]:
            before = self.by_end.get(tokens[i - 1].end)
            if before is not None and before.type == "person" and before.source == "rule":
                self.extend(before, i)  # أبو بكر + الرازي: a nisba closes a name a rule began
            return
        if not self.indefinite_name(i - 1):
            return
        first = i - 1
        while first > 0 and i - first < 3 and not self.strip_name_clitic(first)[0] and \
                self.adjacent(first - 1, first) and self.indefinite_name(first - 1):
            first -= 1
        if rec.lexicon_words and all(rec.common_token(tokens[k].lex) for k in range(first, i)):
            return  # قسموا الباقي, بطون الحبالى: a verb or a noun and its adjective, not علي خواجة البخاري
        if group is not None:
            self.drop(group)
            self.covered[i] = 0
        self.propose(first, i, "person")

    def indefinite_name(self, k: int) -> bool:
        lex = self.tokens[k].lex
        key = self.strip_name_clitic(k)[1]
        if self.rec.lexicon_verbs and key in self.rec.lexicon_verbs and key not in self.rec.given_names:
            return False  # يذكر البخاري: a verb before a nisba (not يوسف, also a verb)
        return self.name_like(k, True) and not self.infos.get(k, _NOTHING).cues and \
            not lex.text.endswith(self.rec.nisba_reject) and \
            not any(r.key.startswith(self.rec.nisba_article) for r in self.rec.readings(lex) if r.pos != LAST)

    def place_before_outside(self, i: int) -> None:  # مدينة جند: the city word stays outside
        if self.name_like(i + 1) and self.adjacent(i, i + 1):
            self.propose(i + 1, i + 1, "place", clitic=False)

    def place_before_inside(self, i: int) -> None:  # نهر سيحون: the river word is part of the name
        if self.name_like(i + 1) and self.adjacent(i, i + 1) and not self.covered[i]:
            self.propose(i, i + 1, "place")

    def place_after_outside(self, i: int) -> None:  # Отырар қаласы
        first = self.name_before(i, 2)
        if first is not None:
            self.propose(first, i - 1, "place")

    def place_after_inside(self, i: int) -> None:  # Сыр өзені
        first = self.name_before(i, 2)
        if first is not None and not self.covered[i]:
            self.propose(first, i, "place")

    def group_after_inside(self, i: int) -> None:  # Жошы ұлысы, Моңғол империясы, Хорезмшахтар мемлекеті
        """A polity word after a name makes one group with it: the ruler or people it is named after (a known
        person or group, taken over) or a capitalised name. A known place stays a place (Қазақстан мемлекеті)."""
        if self.covered[i] or i == 0 or not self.adjacent(i - 1, i):
            return
        before = self.by_end.get(self.tokens[i - 1].end)
        if before is not None and before.type in ("person", "group") and before.source in ("authority", "fuzzy"):
            first = i - 1
            while first > 0 and self.tokens[first].start > before.start:
                first -= 1
            self.drop(before)
            self.covered[first:i] = bytes(i - first)
            self.propose(first, i, "group")
            return
        first = self.name_before(i, 2)
        if first is not None:
            self.propose(first, i, "group")

    def people(self, i: int) -> None:  # наймандар, керейлерді; найман руы (attributive)
        """A word of a people or tribe in no record is a group; bare before another word, an attributive one."""
        if self.covered[i]:
            return
        self.propose(i, i, "group", clitic=False)
        lex = self.tokens[i].lex
        if lex.lemma.lower() == lex.text.lower() and i + 1 < len(self.tokens) and \
                self.tokens[i + 1].lex.kind == WORD and self.key(i + 1) not in self.rec.copulas:
            self.by_end[self.tokens[i].end].note = ATTRIBUTIVE

    def capital(self, i: int) -> None:
        """Capitalised words away from a sentence start (a sentence-initial one when another follows): a name.

        A run ends after a surname (Тоқаев, Берікұлы) or a word with a case suffix, so that two names in a row
        (Тоқаев Дмитрий Медведевті) stay two. The type is place for a known place or a place-like ending or
        case, else person.
        """
        if not self.name_like(i):
            return
        if self.sentence_start(i) and not (self.adjacent(i, i + 1) and self.name_like(i + 1)
                                           and (self.infos.get(i + 1, _NOTHING).capital or self.is_particle(i + 1))):
            return
        rec = self.rec
        last = i
        while not self.ends_name(last) and last + 1 < len(self.tokens) and last - i < 3 and \
                self.adjacent(last, last + 1) and self.name_like(last + 1) and \
                (self.infos.get(last + 1, _NOTHING).capital or self.is_particle(last + 1)) and \
                not self.infos.get(last + 1, _NOTHING).cues:
            last += 1
        if self.adjacent(last, last + 1) and not self.covered[last + 1] and \
                "title_after_fused" in self.infos.get(last + 1, _NOTHING).cues:
            last += 1  # Шыңғыс хан: the fused title is part of the name
        words = [self.tokens[k].lex for k in range(i, last + 1)]
        low = words[-1].text.lower()
        stems = {r.key for w in words for r in rec.readings(w)}
        if stems & rec.known_places:
            type_ = "place"
        elif any(w.text.lower().endswith(rec.surname_endings) or w.lemma.lower().endswith(rec.surname_endings)
                 for w in words):
            type_ = "person"
        elif low.endswith(rec.place_endings) or words[-1].lemma.lower().endswith(rec.place_endings) or \
                any(low.endswith(c) and len(low) - len(c) >= 3 and rec._is_chain(c) for c in rec.place_cases):
            type_ = "place"
        else:
            type_ = "person"
        said = self.model_said
        if said and all([said[k] == MODEL_NO_NAME for k in range(i, last + 1)]):
            return  # the sequence model read these capitalised words as no name (Президент, Үкімет)
        self.propose(i, last, type_, CERT_CAPITAL)

    def is_particle(self, k: int) -> bool:
        return self.tokens[k].lex.text.lower().startswith(self.rec.particles) if self.rec.particles else False

    def ends_name(self, k: int) -> bool:
        """Token ``k`` closes a name: a surname, or a word with a suffix (Медведевті)."""
        lex = self.tokens[k].lex
        low = lex.text.lower()
        return low.endswith(self.rec.surname_endings) or (lex.lemma.lower() != low and bool(lex.lemma))


_start = attrgetter("start")  # of a token or a mention
_token_end = attrgetter("end")
_lex_text = attrgetter("lex.text")  # of a token: its word type


def _capitalised(lex: Lexeme) -> bool:
    return lex.text[:1].isupper()


_KIN = "\0kin"  # every kin word of a chain (بن, ابن) when chains are compared


class _TokenOffsets:
    """Where a document's tokens start and end, as two lists of ints built once (in C) per document, for
    bisection without a key function: the passes look up tens of thousands of mention edges in a book."""

    def __init__(self, tokens):
        self.starts = list(map(_start, tokens))
        self.ends = list(map(_token_end, tokens))

    def starting(self, offset: int) -> int | None:
        """The index of the token starting at ``offset``, or None."""
        k = bisect_left(self.starts, offset)
        return k if k < len(self.starts) and self.starts[k] == offset else None

    def ending(self, offset: int) -> int | None:
        """The index of the token ending at ``offset``, or None."""
        k = bisect_left(self.ends, offset)
        return k if k < len(self.ends) and self.ends[k] == offset else None


def load_lexicon(spec: str | None) -> tuple[frozenset[str], frozenset[str]]:
    """(words, imperfect verbs) of the word list a cue table names as ``module:function`` (a function returning
    an object with ``words`` and ``imperfect``, folded like normal forms); empty sets when none is named."""
    if not spec:
        return frozenset(), frozenset()
    module, func = spec.split(":")
    found = getattr(import_module(module), func)()
    return frozenset(found.words), frozenset(getattr(found, "imperfect", ()))


def load_model(lang: str, spec: dict | None, rec: "EntityRecogniser"):
    """The sequence model named in the cue table (``{"file", "features", "types", "by_default"}``), bound to the
    recogniser's authority; None when none is named or the file is not shipped. Only the file's presence is
    checked here: its bytes are read on the first sentence tagged."""
    if not spec or spec.get("lang", lang) != lang:
        return None  # a model trained on Cyrillic Kazakh reads no kk-Latn text
    pkg = f"nuskha.lang.{lang.split('-')[0]}.data"
    path = resources.files(pkg).joinpath(spec["file"])
    if not path.is_file():
        return None
    rec.model_types = spec.get("types", {})

    def read() -> bytes:
        try:
            return path.read_bytes()
        except OSError as exc:
            raise DataError(f"unreadable model: {exc}", f"{pkg}/{spec['file']}") from None
    return sequence_tagger(rec, spec, read)


def sequence_tagger(rec: "EntityRecogniser", spec: dict, model):
    """A :class:`~nuskha.core.crf.SequenceTagger` with the language's feature module (``spec["features"]``:
    ``make_type_features(authority_types, key_of, cues)``, ``CONTEXT_KEYS``, ``opens_after``, ``novel``) bound to the
    recogniser's authority index; ``model`` is the model's bytes, a function reading them, or None (training)."""
    from ..core.crf import SequenceTagger

    module = import_module(spec["features"])
    authority_types = {k: v.type for k, v in rec.index.items()}
    return SequenceTagger(model, module.make_type_features(authority_types, rec.key_of, rec.cues),
                          context_keys=module.CONTEXT_KEYS, opens_after=module.opens_after,
                          novel=getattr(module, "novel", None),
                          other_reading_stands=getattr(module, "other_reading_stands", None))


_CACHE: dict[tuple[str, int], EntityRecogniser] = {}
_DEFAULT: list[Authority] = []


def recogniser(lang: str, authority: Authority | None = None) -> EntityRecogniser:
    """The (cached) recogniser for ``lang`` over ``authority`` (default: the project's authority file)."""
    if authority is None:
        if not _DEFAULT:
            _DEFAULT.append(load_authority())
        authority = _DEFAULT[0]
    key = (lang, id(authority))
    rec = _CACHE.get(key)
    if rec is None or rec._authority is not authority:
        rec = EntityRecogniser(lang, authority)
        rec._authority = authority  # type: ignore[attr-defined]
        _CACHE[key] = rec
    return rec


def use_model(lang: str, on: bool) -> bool:
    """Turn the sequence model of ``lang`` on or off (if one is shipped); returns the old setting."""
    rec = recogniser(lang)
    old = rec.use_model
    rec.use_model = on and rec.model is not None
    return old


def use_authority(authority: Authority | None) -> None:
    """Make ``authority`` the default for :func:`recognise` (None: back to the project's file)."""
    _DEFAULT.clear()
    if authority is not None:
        _DEFAULT.append(authority)


@collection_paused
def recognise(doc: Document, authority: Authority | None = None) -> None:
    """Add person, place and group mentions (and fuzzy-match corrections) to ``doc``.

    >>> from nuskha.pipeline import process
    >>> doc = process("وسار جنكزخان إلى بخارا", "ar"); recognise(doc)
    >>> [(m.text, m.ref) for m in doc.mentions]
    [('جنكزخان', 'chinggis-khan'), ('بخارا', 'bukhara')]
    >>> doc = process("Темір-Мәлік Жалал ад-Динмен Отырарға барды.", "kk"); recognise(doc)
    >>> [(m.text, m.ref) for m in doc.mentions]
    [('Темір-Мәлік', 'temur-malik'), ('Жалал ад-Динмен', 'jalal-al-din-mangburni'), ('Отырарға', 'otrar')]
    """
    if doc.lang not in ("ar", "kk", "kk-Latn"):
        return
    recogniser(doc.lang, authority)(doc)
