"""Query resolution: from a query in any script to mentions and text spans in every language.

The order follows DESIGN.md's "authority first, rules second":

1. **Authority.** The query is compared with every record's variants (ar, kk, ru, latn) and the names in its
   English label, by match key (``authority``), by one word of a name (``authority-word``: ``temur``), after
   lemmatising a Russian or Kazakh query (``Темир-Мелика`` -> ``темир-мелик``), after reading a query in the
   2021 Kazakh Latin alphabet as Cyrillic (``authority-translit``), and by cross-script consonant
   skeleton (``skeleton``: ``Отырар`` = ``اوترار`` = ``trr``). A resolved ref yields the recognisers' mentions
   with that ref and the text occurrences of its variants (``via`` says which).
2. **Text.** Failing that, the text itself: match keys (normalised, so diacritic-, hamza- and alef-insensitive
   for Arabic), lemmas, Kazakh stems as prefixes of inflected forms, a Latin query read as Kazakh Cyrillic, and
   skeletons across scripts.
3. **Fuzzy.** Failing everything, vocabulary terms within a bounded edit distance (1, or 2 for long words),
   reported as ``fuzzy`` with their score.

**Recall first, ranking second.** Unless ``linked_only`` is asked for (the resolution above, alone), every query
also runs its text stages, and every hit is labelled by kind, in this order:

- ``linked``: a mention whose ref is one the query resolved to;
- ``unlinked``: a mention with a provisional (``new:``), missing or ambiguous ref whose words the query met;
- ``text``: an occurrence of the query's normalised forms, lemmas, stems, other spellings (2018/2021 Latin, ASCII,
  scholarly transliteration, through :func:`~nuskha.core.translit.loose_key`) or a word containing it (what a
  normalising grep finds) that is no mention of an entity the query named.

:attr:`SearchResult.kinds` counts each kind in full whatever the limit. The query language (phrases, AND, OR,
NOT, NEAR/n, ``type:``, ``ref:``, ``lang:``, ``doc:``) is parsed by :mod:`nuskha.search.syntax`; every term then
goes to SQLite as a bound parameter compared with the FTS5 vocabulary, never as FTS5 syntax.
"""
from __future__ import annotations

import os
import sqlite3
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import groupby
from operator import itemgetter
from pathlib import Path
from typing import Any, Iterable, Iterator

import numpy as np
import regex

from ..authority import Authority, Record, load_authority
from ..core.charmap import load_table
from ..core.script import KAZAKH_CYRILLIC, main_script
from ..core.translit import edit_distance, loose_key, skeleton_key, to_cyrillic
from ..curation import REJECTED
from ..errors import InputError
from ..lang import get_language
from .syntax import And, Name, Near, Not, Or, RefTerm, parse_query
from .index import EMPTY_TERM, check_integrity, connect, corrupt_index, lexeme_terms, term

_QUERY_WORD = regex.compile(r"[^\s\p{P}\p{S}]+(?:[-\u2010'’][^\s\p{P}\p{S}]+)*")
_PAREN = regex.compile(r"\(([^()]*)\)")
#: Minimum skeleton length for a skeleton match: ``tm`` would meet half the vocabulary.
MIN_SKELETON = 3
#: ... and for resolving a query to an authority record by skeleton alone: three letters meet some name of a
#: period gazetteer of 1,700 records (темір = تامار, الاستيلاء = ساتلي).
MIN_NAME_SKELETON = 4
#: A Kazakh query word at least this long also matches as the stem of inflected forms.
MIN_STEM = 4
#: Hits built by default (None or 0: all); ``SearchResult.total`` and ``counts`` always count every match.
DEFAULT_LIMIT = 100
#: With ``check=None`` a searcher runs ``PRAGMA quick_check`` on indexes up to this size (about a second of
#: reading); bigger ones get the header check, and SQLite's own errors, on reading a damaged page.
CHECK_MAX_BYTES = 256 * 2**20
#: Characters of context on each side of a KWIC line (cut back to a word boundary).
CONTEXT_CHARS = 40
#: Column of each variant language, and the document languages it is searched in.
VARIANT_DOC_LANGS = {"ar": ("ar",), "kk": ("kk",), "ru": ("ru",)}
_COLUMNS = {"keys": 0, "lemmas": 1, "skels": 2}
_METHOD_SCORES = {"authority": 1.0, "authority-lemma": 0.95, "authority-translit": 0.95, "authority-word": 0.9,
                  "authority-loose": 0.85, "skeleton": 0.8, "ref": 1.0, "text": 1.0, "lemma": 0.95, "stem": 0.9,
                  "translit": 0.9, "loose": 0.8, "substring": 0.75, "text-skeleton": 0.7}
#: The kinds of hit, in the order a result lists them.
KINDS = ("linked", "unlinked", "text")
#: Refs the recognisers coin for names the authority file lacks.
PROVISIONAL = "new:"
#: A mention this sure or less is ambiguous (a key two records share, a fuzzy match): its ref is not trusted.
AMBIGUOUS_CERT = 0.7
#: A query word this long or longer also finds the words that contain it (shorter: whole words only).
MIN_SUBSTRING = 3
#: A phrase's word is checked through the lexemes of the tokens at the places left when it has this many times
#: more positions than those places (else through its own positions).
LEXEME_CHECK_RATIO = 8
#: Letters a loose key may carry past an authority name's and still name it (an inflection: hannyñ).
MAX_LOOSE_SUFFIX = 5


@dataclass(slots=True)
class Hit:
    """One place in one document: a mention, or a text span the query matched."""

    doc: str
    lang: str
    start: int
    end: int
    text: str
    ref: str | None
    type: str | None
    method: str  # how the query reached it (authority, skeleton, text, stem, fuzzy ...)
    score: float
    via: str  # "mention" (a recogniser's or annotator's span) or "text" (an occurrence found in the text)
    kind: str = "text"  # linked, unlinked or text (see KINDS)
    _source: str = field(default="", repr=False, compare=False)  # the document text, for the context
    _width: int = field(default=CONTEXT_CHARS, repr=False, compare=False)

    @property
    def left(self) -> str:
        """Up to ``_width`` characters before the hit, cut back to a word boundary, whitespace collapsed."""
        n, text = self._width, self._source
        left = text[max(0, self.start - n):self.start]
        if self.start - n > 0 and " " in left:
            left = left[left.index(" ") + 1:]
        return " ".join(left.split())

    @property
    def right(self) -> str:
        n, text = self._width, self._source
        right = text[self.end:self.end + n]
        if self.end + n < len(text) and " " in right:
            right = right[:right.rindex(" ")]
        return " ".join(right.split())

    def to_json(self) -> dict[str, Any]:
        return {"doc": self.doc, "lang": self.lang, "start": self.start, "end": self.end, "text": self.text,
                "ref": self.ref, "type": self.type, "method": self.method, "score": round(self.score, 3),
                "via": self.via, "kind": self.kind, "left": self.left, "right": self.right}


@dataclass
class Resolution:
    """A ref the query resolved to, how, and through which name."""

    ref: str
    method: str
    score: float
    name: str

    def to_json(self) -> dict[str, Any]:
        return {"ref": self.ref, "method": self.method, "score": round(self.score, 3), "name": self.name}


@dataclass
class SearchResult:
    """What a query (or a ``ref``) resolved to and the hits, sorted by document name and offset."""

    query: str | None
    ref: str | None
    resolved: list[Resolution] = field(default_factory=list)
    hits: list[Hit] = field(default_factory=list)
    total: int = 0  # hits found; more than len(hits) when a limit cut the list
    counts: dict[str, int] = field(default_factory=dict)  # hits per document (all of them, shown or not)
    langs: dict[str, str] = field(default_factory=dict)  # the language of each document in ``counts``
    kinds: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))  # hits of each kind, all
    linked_only: bool = False

    @property
    def message(self) -> str:
        """``N hit(s) for 'Q' in D document(s): 12 linked, 84 unlinked mentions, 3 text matches[, showing ...]``."""
        what = f"ref {self.ref!r}" if self.ref else repr(self.query)
        if not self.total:
            return f"no match for {what}" + (" (linked only)" if self.linked_only else "")
        docs = len(self.counts) or len({h.doc for h in self.hits})
        shown = f", showing {len(self.hits)} of {self.total}" if self.total > len(self.hits) else ""
        k = self.kinds
        kinds = (f"{k.get('linked', 0)} linked, {k.get('unlinked', 0)} unlinked mentions, "
                 f"{k.get('text', 0)} text matches")
        only = " (linked only: unlinked mentions and text matches not searched)" if self.linked_only else ""
        return f"{self.total} hit(s) for {what} in {docs} document(s): {kinds}{shown}{only}"

    def by_document(self) -> dict[str, list[Hit]]:
        groups: dict[str, list[Hit]] = {}
        for hit in self.hits:
            groups.setdefault(hit.doc, []).append(hit)
        return groups

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"query": self.query, "ref": self.ref, "message": self.message,
                               "resolved": [r.to_json() for r in self.resolved], "total": self.total,
                               "kinds": dict(self.kinds), "linked_only": self.linked_only}
        out["shown"] = len(self.hits)
        if self.ref:
            groups = self.by_document()
            out["documents"] = [{"doc": doc, "lang": self.langs.get(doc, ""), "count": count,
                                 "hits": [h.to_json() for h in groups.get(doc, ())]}
                                for doc, count in self.counts.items()]
        else:
            out["hits"] = [h.to_json() for h in self.hits]
        return out


# --- Query forms -------------------------------------------------------------------------------------------

def query_words(text: str) -> list[str]:
    """The words of a query (hyphenated names stay one word); FTS5 syntax characters are not words."""
    return _QUERY_WORD.findall(text)


@lru_cache(maxsize=4096)
def word_term(word: str) -> str:
    """The index term of one word in its own script's normalisation (what the index holds for it)."""
    script = main_script(word)
    if script == "Arab":
        word = get_language("ar").normalize(word)[0]
    elif script == "Cyrl":
        word = get_language("kk").normalize(word)[0]
    return term(word)


@lru_cache(maxsize=4096)
def word_lemma_term(word: str) -> str:
    """The term of a word's lemma: pymorphy3 for Russian Cyrillic, the Kazakh analyser for Kazakh."""
    script = main_script(word)
    if script == "Cyrl":
        if any(ch in KAZAKH_CYRILLIC for ch in word):
            return term(get_language("kk").lexeme(word, "word").lemma)
        from ..lang.ru import lemma

        return term(lemma(word.lower()))
    if script == "Arab":
        return term(get_language("ar").lexeme(word, "word").lemma)
    return word_term(word)


def name_key(words: Iterable[str], lemma: bool = False) -> str:
    """The key of a whole name: its word terms joined (``Темір-Мәлік`` = ``Темір Мәлік`` = ``темірмәлік``)."""
    f = word_lemma_term if lemma else word_term
    return "".join(f(w) for w in words)


def flat_skeleton(text: str) -> str:
    return skeleton_key(text).replace(" ", "")


def english_singular(text: str) -> str:
    """The last word of an English name without its plural ending: ``Tatars`` -> ``Tatar``, ``Kipchaks`` ->
    ``Kipchak`` (``-ies`` -> ``-y``; words of four letters or fewer are left alone)."""
    words = text.split(" ")
    last = words[-1]
    if len(last) > 4 and last[-1] in "sS" and last[-2] not in "sS":
        last = last[:-3] + "y" if last.lower().endswith("ies") else last[:-1]
    return " ".join(words[:-1] + [last])


# --- Authority matching ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Name:
    ref: str
    column: str  # ar kk ru latn label
    text: str
    key: str
    skeleton: str
    words: frozenset[str]
    loose: str = ""  # loose_key, for the columns written in Latin or Cyrillic


def label_names(label: str) -> list[str]:
    """The names in an English label: the part before the first comma, and its capitalised parentheticals.

    ``Inalchuq (Ghayir Khan), governor of Otrar`` -> ``Inalchuq``, ``Ghayir Khan``; the description after the comma
    (which names other entities) is left out, so is ``(r. 1200-1220)``.
    """
    head = label.split(",", 1)[0]
    names = [_PAREN.sub(" ", head).strip()]
    for inner in _PAREN.findall(head):
        inner = inner.strip()
        if inner[:1].isupper() and not any(ch.isdigit() for ch in inner):
            names.append(inner)
    out = []
    for name in names:
        out.extend(p.strip() for p in name.split(" / ") if p.strip())
    return out


class AuthorityMatcher:
    """Every name of every authority record, keyed for matching a query against them."""

    def __init__(self, authority: Authority):
        self.authority = authority
        self.names: list[_Name] = []
        for rec in authority.records.values():
            for column, variants in rec.variants.items():
                for v in variants:
                    self._add(rec, column, v)
            for name in label_names(rec.label_en):
                self._add(rec, "label", name)
        # the names by each key a query is compared on, so a query reads a few names, not thousands
        self._by: dict[str, dict[str, list[int]]] = {"key": {}, "word": {}, "loose": {}, "skeleton": {}}
        for i, name in enumerate(self.names):
            for table, value in (("key", name.key), ("loose", name.loose), ("skeleton", name.skeleton)):
                if value:
                    self._by[table].setdefault(value, []).append(i)
            for word in name.words:
                self._by["word"].setdefault(word, []).append(i)

    def _candidates(self, key: str, lemma_key: str, cyrillic_keys: tuple, single: bool, loose: str,
                    skeleton: str) -> list[_Name]:
        """The names that could meet one of :meth:`_resolve`'s tests (a superset), in authority order."""
        by = self._by
        found: set[int] = set()
        for k in (key, lemma_key, *cyrillic_keys):
            found.update(by["key"].get(k, ()))
        if single:
            found.update(by["word"].get(key, ()))
            found.update(by["word"].get(lemma_key, ()))
        if loose:
            found.update(by["loose"].get(loose, ()))
            for cut in range(max(5, len(loose) - MAX_LOOSE_SUFFIX), len(loose)):
                found.update(by["loose"].get(loose[:cut], ()))
        if len(skeleton) >= MIN_NAME_SKELETON:
            found.update(by["skeleton"].get(skeleton, ()))
        return [self.names[i] for i in sorted(found)]

    def _add(self, rec: Record, column: str, text: str) -> None:
        words = query_words(text)
        key = name_key(words)
        if key:
            loose = loose_key(text) if column != "ar" else ""
            self.names.append(_Name(rec.ref, column, text, key, flat_skeleton(text),
                                    frozenset(word_term(w) for w in words if len(word_term(w)) >= 3), loose))

    def resolve(self, query: str) -> list[Resolution]:
        """The refs ``query`` names, best method first, one resolution per ref.

        A Latin query that names nothing is tried once more without an English plural ending (``Tatars`` ->
        ``Tatar``), since authority labels and variants are mostly singular.
        """
        found = self._resolve(query)
        if not found and main_script(query) == "Latn":
            singular = english_singular(query)
            if singular != query:
                found = self._resolve(singular)
        return found

    def _resolve(self, query: str) -> list[Resolution]:
        words = query_words(query)
        if not words:
            return []
        key = name_key(words)
        lemma_key = name_key(words, lemma=True)
        skeleton = flat_skeleton(query)
        single = len(words) == 1
        # a query in the 2021 Kazakh Latin alphabet (Temır-Mälık) meets the Kazakh Cyrillic variants
        latin = main_script(query) == "Latn"
        cyrillic_key = cyrillic_lemma_key = None
        if latin:
            cyrillic = query_words(to_cyrillic(query)[0])
            cyrillic_key, cyrillic_lemma_key = name_key(cyrillic), name_key(cyrillic, lemma=True)
        # 2018 Latin, ASCII and scholarly spellings (Shyńǵys han, Shyngys han, Djalal ad-Din): only Latin and
        # Cyrillic queries, and only names of five letters or more (shorter loose keys meet too much)
        loose = loose_key(query) if main_script(query) in ("Latn", "Cyrl") else ""
        loose = loose if len(loose) >= 5 else ""
        best: dict[str, Resolution] = {}
        cyrillic_keys = (cyrillic_key, cyrillic_lemma_key) if cyrillic_key else ()
        for name in self._candidates(key, lemma_key, cyrillic_keys, single, loose, skeleton):
            if name.key == key:
                method = "authority"
            elif lemma_key != key and name.key == lemma_key:
                method = "authority-lemma"
            elif cyrillic_key and name.column == "kk" and name.key in (cyrillic_key, cyrillic_lemma_key):
                method = "authority-translit"
            elif single and (key in name.words or lemma_key in name.words):
                method = "authority-word"
            elif loose and name.loose and (name.loose == loose or (
                    len(name.loose) >= 5 and loose.startswith(name.loose)
                    and len(loose) - len(name.loose) <= MAX_LOOSE_SUFFIX and not single)):
                method = "authority-loose"
            elif len(skeleton) >= MIN_NAME_SKELETON and name.skeleton == skeleton:
                method = "skeleton"
            else:
                continue
            res = Resolution(name.ref, method, _METHOD_SCORES[method], name.text)
            if name.ref not in best or res.score > best[name.ref].score:
                best[name.ref] = res
        found = sorted(best.values(), key=lambda r: (-r.score, r.ref))
        # a skeleton is lossy: it only speaks when nothing named the entity outright
        named = [r for r in found if r.method != "skeleton"]
        return named or found


@lru_cache(maxsize=8)
def _matcher(path: str, mtime: float) -> AuthorityMatcher:
    return AuthorityMatcher(load_authority(path))


def authority_matcher(authority: Authority | str | os.PathLike | None = None) -> AuthorityMatcher:
    if isinstance(authority, Authority):
        return AuthorityMatcher(authority)
    from ..authority import default_path

    p = Path(authority) if authority else default_path()
    return _matcher(str(p), p.stat().st_mtime if p.exists() else 0.0)


# --- The searcher ------------------------------------------------------------------------------------------
#
# Why arrays: a common word of a 10M-token index occurs 10^5 times, and every occurrence must be labelled and
# counted (totals are exact whatever the limit). Done one Python tuple at a time that took seconds; here every
# stage yields numpy arrays (one element a candidate) and labelling, overlap removal, the type filter and the
# counts are array operations. Python objects are built only for the hits of the page shown (``limit``).
#
# Two axes make that possible. Characters: documents are laid end to end, ``_STRIDE`` apart in name order, so a
# hit is one integer (``rank * _STRIDE + offset``) and one sort orders hits by document and offset. Tokens: every
# indexed token of every document has one global position (documents in name order, ``n_tokens`` each), and
# arrays over that axis, filled when a document is first read, give a token's offsets and the mention it falls in.

_STRIDE = 1 << 40
_OFFSET = _STRIDE - 1  # ``gs & _OFFSET``: a character-axis position's offset in its document
_LINKED, _UNLINKED, _TEXT = range(3)
_EMPTY = np.zeros(0, dtype=np.int64)


@dataclass(frozen=True)
class _Doc:
    id: int
    name: str
    lang: str


class _Cands:
    """Candidate hits as parallel arrays, in rank order (an earlier candidate is the better-ranked one).

    ``gs``/``ge``: start and end on the character axis; ``tok0``/``tok1``: first and last global token position
    (-1 for a mention: found on demand); ``info``: index into the query's infos (ref, type, method, score, via);
    ``around``: the mention (its rowid) a text candidate falls in, -1 for none.
    """

    FIELDS = ("gs", "ge", "tok0", "tok1", "info", "around")
    __slots__ = FIELDS

    def __init__(self, gs, ge, tok0, tok1, info, around):
        self.gs, self.ge, self.tok0, self.tok1, self.info, self.around = gs, ge, tok0, tok1, info, around

    def __len__(self) -> int:
        return len(self.gs)

    @property
    def doc(self) -> np.ndarray:
        """The rank of each candidate's document."""
        return self.gs >> 40

    @classmethod
    def empty(cls) -> "_Cands":
        return cls(*(_EMPTY,) * 6)

    @classmethod
    def concat(cls, parts: list["_Cands"]) -> "_Cands":
        parts = [p for p in parts if len(p)]
        if not parts:
            return cls.empty()
        if len(parts) == 1:
            return parts[0]
        return cls(*(np.concatenate([getattr(p, f) for p in parts]) for f in cls.FIELDS))

    def take(self, which: np.ndarray) -> "_Cands":
        """The candidates ``which`` (indexes, or a mask: turned into indexes once, not once a field)."""
        if which.dtype == bool:
            which = np.flatnonzero(which)
        return _Cands(*(np.take(getattr(self, f), which) for f in self.FIELDS))


def _runs(values: np.ndarray) -> Iterator[tuple[int, int, int]]:
    """(value, lo, hi) of each run of equal values."""
    if not len(values):
        return
    cuts = np.flatnonzero(values[1:] != values[:-1]) + 1
    bounds = [0, *cuts.tolist(), len(values)]
    for lo, hi in zip(bounds[:-1], bounds[1:]):
        yield int(values[lo]), lo, hi


def _ranges(lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every integer of each range ``[lo[i], hi[i])`` with the range's index ``i`` (empty ranges give none)."""
    n = np.maximum(hi - lo, 0)
    owner = np.repeat(np.arange(len(lo)), n)
    first = np.cumsum(n) - n
    return np.arange(int(n.sum())) - np.repeat(first, n) + np.repeat(lo, n), owner


class _QueryInfos:
    """The infos (ref, type, method, score, via) of one query's candidates, each stored once, by index (an info
    may carry a sixth item to keep apart searches that give the same label)."""

    def __init__(self, searcher: "Searcher"):
        self.searcher = searcher
        self.items: list[tuple] = []
        self._ids: dict[tuple, int] = {}

    def id(self, info: tuple) -> int:
        i = self._ids.get(info)
        if i is None:
            i = self._ids[info] = len(self.items)
            self.items.append(info)
        return i

    def arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Ref id, type id and whether it is a mention, of each info."""
        s = self.searcher
        return (np.array([s._ref_id(i[0]) for i in self.items] or [0], dtype=np.int64),
                np.array([s._type_id(i[1]) for i in self.items] or [0], dtype=np.int64),
                np.array([i[4] == "mention" for i in self.items] or [False], dtype=bool))


class Searcher:
    """An open index plus caches (document texts, token offsets, mentions, authority) for many queries."""

    def __init__(self, index: str | os.PathLike, authority: Authority | str | os.PathLike | None = None,
                 context: int = CONTEXT_CHARS, check: bool | None = False):
        self.path = str(index)
        if check or (check is None and Path(index).is_file() and Path(index).stat().st_size <= CHECK_MAX_BYTES):
            check_integrity(index)
        self.con = connect(index)
        self.context = context
        self._authority_arg = authority
        self._matcher: AuthorityMatcher | None = None
        try:
            rows = self.con.execute("SELECT id, name, lang, n_tokens FROM documents").fetchall()
            (max_mention,) = self.con.execute("SELECT coalesce(max(rowid), 0) FROM mentions").fetchone()
        except sqlite3.DatabaseError as exc:
            self.con.close()
            raise corrupt_index(self.path, str(exc)) from None
        rows.sort(key=lambda r: r[1])
        # documents by rank: their place in name order, the order hits are listed in
        self.ranked: list[_Doc] = [_Doc(*r[:3]) for r in rows]
        self.docs = {d.id: d for d in self.ranked}
        self._rank = {d.id: r for r, d in enumerate(self.ranked)}
        # the same as an array (document id -> rank), for ordering a common word's thousands of posting rows
        self._rank_of = np.full(max(self.docs, default=-1) + 1, -1, dtype=np.int64)
        self._rank_of[[d.id for d in self.ranked]] = np.arange(len(self.ranked), dtype=np.int64)
        sizes = np.array([r[3] for r in rows], dtype=np.int64)
        self._tbase = np.concatenate(([0], np.cumsum(sizes)))  # global position of each document's first token
        self._loaded = np.zeros(len(rows), dtype=bool)
        self._unloaded = len(rows)  # documents not read yet: once 0, callers skip finding which ones to read
        self._n_mentions = max_mention + 1  # mention arrays are indexed by rowid; the last place means "none"
        self._arrays_ready = False
        self._texts: dict[int, str] = {}
        self._counts: dict[tuple, int] = {}  # positions of a term (_count)
        self._lex_terms: dict[int, tuple[str, str, str]] = {}  # lexemes id -> its terms (_lexeme_terms)
        self._keys: tuple[np.ndarray, dict[str, int]] | None = None  # lexemes' key numbers (_key_numbers)
        self._mask: np.ndarray | None = None  # scratch, one flag a global token position (_on_positions)
        self._clitic_offsets: dict[tuple[int, str], int] = {}  # (lexemes id, stem term) -> _clitic_stem_offset
        self._by_ref: dict[str, dict[str, np.ndarray]] | None = None
        self._vocab: tuple[str, list[int], list[str]] | None = None
        self._loose: tuple[list[str], list[str]] | None = None
        self._lex_text: dict[int, str] = {}
        self._query_postings: dict[tuple, np.ndarray] = {}  # postings read by the running query
        self._rejected = _EMPTY  # global token positions overlapping a span a human rejected, sorted
        # refs and types as small integers (arrays hold these), with what a label needs to know of each ref
        self._refs: list[str] = []
        self._ref_ids: dict[str, int] = {}
        self._provisional: list[bool] = []
        self._types: list[str] = []
        self._type_ids: dict[str, int] = {}

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> "Searcher":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def matcher(self) -> AuthorityMatcher:
        if self._matcher is None:
            self._matcher = authority_matcher(self._authority_arg)
        return self._matcher

    def _ref_id(self, ref: str | None) -> int:
        if ref is None:
            return -1
        i = self._ref_ids.get(ref)
        if i is None:
            i = self._ref_ids[ref] = len(self._refs)
            self._refs.append(ref)
            self._provisional.append(ref.startswith(PROVISIONAL))
        return i

    def _type_id(self, mtype: str | None) -> int:
        if mtype is None:
            return -1
        i = self._type_ids.get(mtype)
        if i is None:
            i = self._type_ids[mtype] = len(self._types)
            self._types.append(mtype)
        return i

    def text(self, doc_id: int) -> str:
        text = self._texts.get(doc_id)
        if text is None:
            (text,) = self.con.execute("SELECT text FROM documents WHERE id = ?", (doc_id,)).fetchone()
            self._texts[doc_id] = text
        return text

    # -- the token and mention axes, filled one document at a time ------------------------------------------

    def _allocate(self) -> None:
        """The global arrays, allocated on first use (pages are only touched as documents are read)."""
        n, m = int(self._tbase[-1]), self._n_mentions + 1
        # one row a token (start, end, the mention it falls in, its lexemes id), 16 bytes: a hit costs one cache
        # line, not four
        self._g = np.empty((n, 4), dtype=np.int32)
        self._g_start, self._g_end, self._g_around, self._g_lex = (self._g[:, i] for i in range(4))
        # one row a mention, by rowid (start, end, ref id, type id, first and last global token position, whether
        # it is ambiguous, padding), int32: 32 bytes, so labelling a hit inside a mention reads half a cache line;
        # the last row stands for "no mention"
        self._m = np.full((m, 8), -1, dtype=np.int32)
        self._m_start, self._m_end, self._m_ref, self._m_type = (self._m[:, i] for i in range(4))
        self._m[:, 6] = 0
        self._arrays_ready = True

    def _load(self, ranks: Iterable[int]) -> None:
        """Read the documents of these ranks onto the global axes (once each)."""
        if not self._arrays_ready:
            self._allocate()
        for rank in ranks:
            if not self._loaded[rank]:
                self._load_document(rank)
                self._loaded[rank] = True
                self._unloaded -= 1

    def _load_document(self, rank: int) -> None:
        """One document's token offsets, and for each token the mention it falls in: the smallest mention
        containing it, else the first one (by start) overlapping it (an Arabic mention leaves a proclitic out, so
        the token ``وبخارى`` only overlaps the mention ``بخارى``)."""
        doc_id = self.ranked[rank].id
        lo, hi = int(self._tbase[rank]), int(self._tbase[rank + 1])
        row = self.con.execute("SELECT starts, ends, lexes FROM tokens WHERE doc = ?", (doc_id,)).fetchone()
        if row is None or hi == lo:
            return
        starts = np.frombuffer(row[0], dtype="<i4").astype(np.int64)
        ends = np.frombuffer(row[1], dtype="<i4").astype(np.int64)
        self._g_lex[lo:hi] = np.frombuffer(row[2], dtype="<i4")
        self._g_start[lo:hi], self._g_end[lo:hi] = starts, ends
        around = self._g_around[lo:hi]
        around[:] = -1
        rows = self.con.execute('SELECT rowid, start, "end", ref, type, cert FROM mentions WHERE doc = ? '
                                'ORDER BY start, "end"', (doc_id,)).fetchall()
        # spans a human rejected (nuskha.curation): not mentions, but no entity query may find them as text
        rejected = [(r[1], r[2]) for r in rows if r[4] == REJECTED]
        if rejected:
            rows = [r for r in rows if r[4] != REJECTED]
            rs = np.array(rejected, dtype=np.int64)
            pos, _ = _ranges(np.searchsorted(ends, rs[:, 0], "right"), np.searchsorted(starts, rs[:, 1]))
            self._rejected = _sorted_unique(np.concatenate([self._rejected, pos + lo]), runs=True)
        if not rows:
            return
        rowid = np.array([r[0] for r in rows], dtype=np.int64)
        m_start = np.array([r[1] for r in rows], dtype=np.int64)
        m_end = np.array([r[2] for r in rows], dtype=np.int64)
        self._m_start[rowid], self._m_end[rowid] = m_start, m_end
        self._m[rowid, 4] = lo + np.maximum(0, np.searchsorted(starts, m_start, "right") - 1)
        self._m[rowid, 5] = lo + np.maximum(0, np.searchsorted(starts, m_end - 1, "right") - 1)
        self._m_ref[rowid] = [self._ref_id(r[3]) for r in rows]
        self._m_type[rowid] = [self._type_id(r[4]) for r in rows]
        self._m[rowid, 6] = [r[5] is not None and r[5] <= AMBIGUOUS_CERT for r in rows]
        m, n = len(rows), hi - lo
        # tokens overlapping each mention; the first mention (lowest index: rows are in start order) wins
        pos, owner = _ranges(np.searchsorted(ends, m_start, "right"), np.searchsorted(starts, m_end, "left"))
        over = np.full(n, m, dtype=np.int64)
        np.minimum.at(over, pos, owner)
        # tokens inside each mention; the shortest mention wins
        pos, owner = _ranges(np.searchsorted(starts, m_start, "left"), np.searchsorted(ends, m_end, "right"))
        big = np.iinfo(np.int64).max
        cont = np.full(n, big, dtype=np.int64)
        np.minimum.at(cont, pos, (m_end - m_start)[owner] * m + owner)
        local = np.where(cont != big, cont % m, over)
        has = local < m
        around[has] = rowid[local[has]]

    def _mentions_by_ref(self) -> dict[str, dict[str, np.ndarray]]:
        """Every mention with a ref, as arrays per ref (character axis, type id): the whole mentions table is read
        once per searcher (a tenth of a second for 100k mentions) instead of once per entity query."""
        if self._by_ref is None:
            rows = self.con.execute('SELECT ref, doc, start, "end", type, rowid FROM mentions WHERE ref IS NOT NULL '
                                    'ORDER BY ref, doc, start, "end", type').fetchall()
            by_ref: dict[str, dict[str, np.ndarray]] = {}
            for ref, group in groupby(rows, key=itemgetter(0)):
                group = list(group)
                base = np.array([self._rank[r[1]] for r in group], dtype=np.int64) * _STRIDE
                by_ref[ref] = {"gs": base + np.array([r[2] for r in group], dtype=np.int64),
                               "ge": base + np.array([r[3] for r in group], dtype=np.int64),
                               "type": np.array([self._type_id(r[4]) for r in group], dtype=np.int64),
                               "rowid": np.array([r[5] for r in group], dtype=np.int64)}
            self._by_ref = by_ref
        return self._by_ref

    def mentions_of(self, ref: str) -> list[tuple[str, int, int, str]]:
        """(document name, start, end, type) of every mention of ``ref``."""
        m = self._mentions_by_ref().get(ref)
        if m is None:
            return []
        return [(self.ranked[int(s >> 40)].name, int(s % _STRIDE), int(e % _STRIDE), self._types[t])
                for s, e, t in zip(m["gs"].tolist(), m["ge"].tolist(), m["type"].tolist())]

    def _lexeme_text(self, lex_id: int) -> str:
        text = self._lex_text.get(lex_id)
        if text is None:
            (text,) = self.con.execute("SELECT text FROM lexemes WHERE id = ?", (lex_id,)).fetchone()
            self._lex_text[lex_id] = text
        return text

    # -- public ---------------------------------------------------------------------------------------------

    def search(self, query: str | None = None, *, ref: str | None = None, type: str | None = None,
               lang: str | None = None, fuzzy: bool = True, limit: int | None = DEFAULT_LIMIT,
               linked_only: bool = False) -> SearchResult:
        """Find ``query`` (any script, in the query language of :mod:`nuskha.search.syntax`) or every mention of
        ``ref``; filter by mention ``type`` and ``lang``.

        Hits come by kind (linked, unlinked, text), then by document and offset. ``linked_only`` returns only
        what the query's resolution reaches (mentions of the resolved refs and their names in the text), as
        before recall-first search. A malformed query raises :class:`~nuskha.search.syntax.QuerySyntaxError`.
        ``limit`` stops building hits after the first ``limit`` (None or 0: all); ``total``, ``kinds`` and
        ``counts`` (per document) still count every match. KWIC context is cut from the text when first read.
        """
        if ref is None and (query is None or not query.strip()):
            raise InputError("empty query: give a QUERY or --ref REF")
        try:
            return self._search(query, ref, type, lang, fuzzy, limit, linked_only)
        except sqlite3.DatabaseError as exc:
            raise corrupt_index(self.path, str(exc)) from None

    def _search(self, query: str | None, ref: str | None, type: str | None, lang: str | None, fuzzy: bool,
                limit: int | None, linked_only: bool) -> SearchResult:
        types, langs, doc_patterns = [type] if type else [], [lang] if lang else [], []
        if ref is not None:
            tree = RefTerm(ref)
        else:
            parsed = parse_query(query)
            tree = parsed.tree
            types += parsed.types
            langs += parsed.langs
            doc_patterns = parsed.docs
        doc_ids = {i for i, d in self.docs.items() if (not langs or d.lang in langs)
                   and (not doc_patterns or any(_doc_matches(d.name, p) for p in doc_patterns))}
        result = SearchResult(query, ref, linked_only=linked_only)
        resolved: list[Resolution] = []
        infos = _QueryInfos(self)
        self._query_postings = {}
        try:
            candidates = self._evaluate(tree, doc_ids, fuzzy, linked_only, resolved, infos)
        finally:
            self._query_postings = {}
        seen: set[str] = set()
        result.resolved = [r for r in resolved if not (r.ref in seen or seen.add(r.ref))]
        self._accept(candidates, infos, frozenset(types) or None, limit or None, frozenset(seen), linked_only,
                     result)
        return result

    # -- the query tree ---------------------------------------------------------------------------------------

    def _evaluate(self, tree, doc_ids: set[int], fuzzy: bool, linked_only: bool, resolved: list[Resolution],
                  infos: _QueryInfos) -> _Cands:
        """Candidates of a query tree, in rank order: OR keeps both sides, AND keeps both sides in documents
        holding both, NOT drops the documents holding its right side, NEAR/n keeps the hits of each side that
        have a hit of the other within n words."""
        if isinstance(tree, Name):
            return self._name_candidates(tree, doc_ids, fuzzy, linked_only, resolved, infos)
        if isinstance(tree, RefTerm):
            rec = self.matcher.authority.records.get(tree.ref)
            r = Resolution(tree.ref, "ref", 1.0, rec.label_en if rec else tree.ref)
            resolved.append(r)
            return self._entity_candidates([r], doc_ids, infos)
        left = self._evaluate(tree.left, doc_ids, fuzzy, linked_only, resolved, infos)
        if isinstance(tree, Or):
            return _Cands.concat([left, self._evaluate(tree.right, doc_ids, fuzzy, linked_only, resolved, infos)])
        n_docs = len(self.ranked)
        left_docs = _doc_mask(left.doc, n_docs)
        left_ids = {self.ranked[r].id for r in np.flatnonzero(left_docs).tolist()}
        if isinstance(tree, Not):
            excluded = _doc_mask(self._evaluate(tree.right, left_ids, fuzzy, linked_only, [], infos).doc, n_docs)
            return left.take(~excluded[left.doc])
        right = self._evaluate(tree.right, left_ids, fuzzy, linked_only, resolved, infos)
        if isinstance(tree, And):
            both = left_docs & _doc_mask(right.doc, n_docs)
            return _Cands.concat([left.take(both[left.doc]), right.take(both[right.doc])])
        if isinstance(tree, Near):
            return self._near(left, right, tree.distance)
        raise TypeError(f"not a query node: {tree!r}")

    def _token_spans(self, c: _Cands) -> tuple[np.ndarray, np.ndarray]:
        """First and last global token position of every candidate (a mention's are found from its offsets)."""
        t0, t1 = c.tok0.copy(), c.tok1.copy()
        missing = np.flatnonzero(t0 < 0)
        if len(missing):
            docs = c.doc[missing]
            order = np.argsort(docs, kind="stable")
            missing, docs = missing[order], docs[order]
            if self._unloaded:
                self._load(np.unique(docs).tolist())
            for rank, lo, hi in _runs(docs):
                sel = missing[lo:hi]
                base = int(self._tbase[rank])
                starts = self._g_start[base:int(self._tbase[rank + 1])]
                t0[sel] = base + np.maximum(0, np.searchsorted(starts, c.gs[sel] % _STRIDE, "right") - 1)
                t1[sel] = base + np.maximum(0, np.searchsorted(starts, c.ge[sel] % _STRIDE - 1, "right") - 1)
        return t0, t1

    def _near(self, left: _Cands, right: _Cands, distance: int) -> _Cands:
        """The candidates of each side with one of the other side at most ``distance`` words away."""
        if not len(left) or not len(right):
            return _Cands.empty()
        l0, l1 = self._token_spans(left)
        r0, r1 = self._token_spans(right)
        # tokens of different documents must never be near: each document's positions move _STRIDE apart
        l0, l1 = l0 + left.doc * _STRIDE, l1 + left.doc * _STRIDE
        r0, r1 = r0 + right.doc * _STRIDE, r1 + right.doc * _STRIDE
        return _Cands.concat([left.take(_near_any(l0, l1, r0, r1, distance)),
                              right.take(_near_any(r0, r1, l0, l1, distance))])

    def _name_candidates(self, name: Name, doc_ids: set[int], fuzzy: bool, linked_only: bool,
                         resolved: list[Resolution], infos: _QueryInfos) -> _Cands:
        """One name or phrase: the refs it resolves to, then (recall first) its forms in the text."""
        text = name.text
        found = self.matcher.resolve(text)
        resolved.extend(found)
        parts = [self._entity_candidates(found, doc_ids, infos)] if found else []
        if linked_only:  # the behaviour before recall first: text only when nothing resolved
            if not found:
                parts = [self._text_candidates(text, doc_ids, infos, prefix=name.prefix)]
        else:
            # a name resolved only through its skeleton may be spelled yet another way in the text (Tatars:
            # التتار is a variant, التتر is not): the text's skeletons are searched too
            named = any(r.method != "skeleton" for r in found)
            found_text = self._text_candidates(text, doc_ids, infos, prefix=name.prefix, recall=True,
                                               resolved=named)
            # the mentions of the resolved refs in doc_ids are candidates above (the linked ones)
            parts.append(self._not_at_mentions(found_text, {r.ref for r in found}) if found else found_text)
        out = _Cands.concat(parts)
        if fuzzy and not len(out) and not name.phrase:
            out = self._fuzzy_candidates(text, doc_ids, infos)
        return out

    # -- candidates ---------------------------------------------------------------------------------------------

    def _entity_candidates(self, resolved: list[Resolution], doc_ids: set[int], infos: _QueryInfos) -> _Cands:
        by_ref = {r.ref: r for r in resolved}
        allowed = self._allowed(doc_ids)
        mentions = self._mentions_by_ref()
        parts: list[_Cands] = []
        for mref in sorted(by_ref):
            r = by_ref[mref]
            m = mentions.get(mref)
            if m is None:
                continue
            keep = allowed[m["gs"] >> 40]
            k = int(keep.sum())
            if not k:
                continue
            info = np.array([infos.id((mref, self._types[t] if t >= 0 else None, r.method, r.score, "mention"))
                             for t in range(-1, len(self._types))], dtype=np.int64)[m["type"][keep] + 1]
            gs, rowid = m["gs"][keep], m["rowid"][keep]
            if self._unloaded:  # for the mentions' token positions (NEAR)
                self._load(_sorted_unique(gs >> 40, runs=True).tolist())
            rows = np.take(self._m, rowid, axis=0)
            parts.append(_Cands(gs, m["ge"][keep], rows[:, 4].astype(np.int64), rows[:, 5].astype(np.int64), info,
                                np.full(k, -1, dtype=np.int64)))
        records = self.matcher.authority.records
        by_length: dict[int, list[tuple[np.ndarray, int]]] = {}  # the variants' runs, merged below
        clitics: list[_Cands] = []
        targets_of: dict[str, set[int]] = {}  # the documents each variant column is searched in
        for r in resolved:
            rec = records.get(r.ref)
            if rec is None:
                continue
            for column, variants in rec.variants.items():
                targets = targets_of.get(column)
                if targets is None:
                    langs = VARIANT_DOC_LANGS.get(column, ())
                    targets = targets_of[column] = {i for i in doc_ids if self.docs[i].lang in langs}
                if not targets:
                    continue
                for variant in variants:
                    words = query_words(variant)
                    terms = [word_term(w) for w in words]
                    stem = column == "kk" and len(terms[-1]) >= MIN_STEM
                    found = self._phrase(terms, "keys", targets, prefix_last=stem)
                    # each search gets an info of its own, numbered in search order (the same label: a copy)
                    search = infos.id((rec.ref, rec.type, r.method, r.score, "text", len(infos.items)))
                    if len(found):
                        by_length.setdefault(len(terms), []).append((found, search))
                    if column == "ar" and len(terms) == 1:  # وبخارى: a clitic-attached form, found by lemma
                        by_lemma = self._phrase([word_lemma_term(words[0])], "lemmas", targets)
                        search = infos.id((rec.ref, rec.type, r.method, r.score, "text", len(infos.items)))
                        clitics.append(self._clitic_forms(by_lemma[~self._on_positions(by_lemma, found)],
                                                          terms[0], search))
        # a run two variants (or two records) share is one candidate, labelled by the first; then the candidates
        # go back in the order of the searches that found them (the earlier search wins an overlap)
        text = [self._run_candidates(*_first_found(found), n_tokens) for n_tokens, found in by_length.items()]
        text = _Cands.concat(text + clitics)
        if parts:
            text = self._not_at_mentions(text, by_ref)
        if len(text):
            text = text.take(np.argsort(text.info, kind="stable"))
        return _Cands.concat(parts + [text])

    def _not_at_mentions(self, text: _Cands, refs: Iterable[str]) -> _Cands:
        """``text`` candidates without those found exactly where a mention of one of ``refs`` stands.

        Call only when those mentions are candidates of the same name (in its documents): such a text candidate
        is that mention, and would lose to it in :meth:`_accept` (sharing its edges) after costing a label. Its
        tokens are the mention's, so AND, NOT and NEAR keep or drop both alike."""
        if not len(text):
            return text
        inside = np.flatnonzero(text.around >= 0)  # only these can stand where a mention does
        if not len(inside):
            return text
        rows = np.take(self._m, text.around[inside], axis=0)
        ours = np.zeros(len(self._refs) + 1, dtype=bool)  # the last place stands for "no ref" (-1)
        ours[[self._ref_ids[r] for r in refs if r in self._ref_ids]] = True
        # offsets within the document: the low bits of the character axis (a mask, cheaper than a modulo)
        same = ((rows[:, 0] == (text.gs[inside] & _OFFSET)) & (rows[:, 1] == (text.ge[inside] & _OFFSET))
                & ours[rows[:, 2]])
        if not same.any():
            return text
        keep = np.ones(len(text), dtype=bool)
        keep[inside[same]] = False
        return text.take(keep)

    def _clitic_forms(self, positions: np.ndarray, stem_term: str, info: int) -> _Cands:
        """Candidates of the tokens at ``positions`` that are the stem behind proclitics, their spans moved past
        them (:func:`_clitic_stem_start`, decided once per surface form)."""
        if not len(positions):
            return _Cands.empty()
        c = self._run_candidates(positions, info, 1)  # loads the documents: their lexemes ids are on the axis
        forms, inverse = _factorize(self._g_lex[positions])  # (np.take would copy the strided column)
        offsets = self._clitic_offsets
        shift = np.array([offsets[key] if (key := (x, stem_term)) in offsets else
                          offsets.setdefault(key, _clitic_stem_offset(self._lexeme_text(x), stem_term))
                          for x in forms.tolist()], dtype=np.int64)[inverse]
        c.gs = c.gs + np.maximum(shift, 0)
        return c.take(shift >= 0)

    def _text_candidates(self, query: str, doc_ids: set[int], infos: _QueryInfos, prefix: bool = False,
                         recall: bool = False, resolved: bool = False) -> _Cands:
        """Occurrences of the query's own forms, best first: normalised key, lemma, Kazakh stem, the Cyrillic
        reading of 2021 Latin, and across scripts the consonant skeleton (only for a query that resolved to
        nothing: a skeleton meets other words too). With ``recall``, also the loose key (2018 Latin, ASCII,
        scholarly spellings) over the Kazakh vocabulary and every word containing a query word (first word: as
        its end, last word: as its start), which is at least what a normalising grep finds.

        A token run found by several stages is one candidate, labelled by the first stage that found it."""
        words = query_words(query)
        if not words:
            return _Cands.empty()
        terms = [word_term(w) for w in words]
        if not all(terms):
            return _Cands.empty()
        script = main_script(query)
        Stage = tuple[str, str, list, bool, set[int]]
        stages: list[Stage] = [("text", "keys", terms, prefix, doc_ids)]
        lemmas = [word_lemma_term(w) for w in words]
        stages.append(("lemma", "lemmas", lemmas, False, doc_ids))
        kk_docs = {i for i in doc_ids if self.docs[i].lang == "kk"}
        if script == "Cyrl" and len(terms[-1]) >= MIN_STEM:
            stages.append(("stem", "keys", terms, True, kk_docs))
            if lemmas != terms:
                stages.append(("stem", "lemmas", lemmas, False, kk_docs))
        if script == "Latn":
            cyrillic = to_cyrillic(query)[0]
            cterms = [word_term(w) for w in query_words(cyrillic)]
            stages.append(("translit", "keys", cterms, len(cterms[-1]) >= MIN_STEM, kk_docs))
        if recall:
            if script in ("Latn", "Cyrl") and kk_docs:
                loose = [self._loose_terms(w, last=i == len(words) - 1) for i, w in enumerate(words)]
                stages.append(("loose", "keys", loose, False, kk_docs))
            contained = [self._terms_containing(t, i == 0, i == len(terms) - 1) for i, t in enumerate(terms)]
            stages.append(("substring", "keys", contained, False, doc_ids))
        if not resolved:
            other = {i for i in doc_ids if get_language(self.docs[i].lang).script != script}
            spellings = [query]
            if recall and script == "Latn" and english_singular(query) != query:
                spellings.append(english_singular(query))  # Tatars: التتر is the skeleton of Tatar
            for spelling in spellings:
                skeletons = [term(skeleton_key(w)) for w in query_words(spelling)]
                if all(len(s) >= MIN_SKELETON for s in skeletons):
                    stages.append(("text-skeleton", "skels", skeletons, False, other))
        by_length: dict[int, list[tuple[np.ndarray, int]]] = {}
        for method, column, qterms, prefix_last, targets in stages:
            if targets and all(qterms):
                found = self._phrase(qterms, column, targets, prefix_last=prefix_last)
                if len(found):
                    info = infos.id((None, None, method, _METHOD_SCORES[method], "text"))
                    by_length.setdefault(len(qterms), []).append((found, info))
        return _Cands.concat([self._run_candidates(*_first_found(found), n_tokens)
                              for n_tokens, found in by_length.items()])

    def _run_candidates(self, positions: np.ndarray, info: int | np.ndarray, n_tokens: int) -> _Cands:
        """Text candidates of the token runs ``positions .. positions + n_tokens - 1`` (global positions) with
        the mention each falls in: the shortest one holding the whole run, else one overlapping it."""
        k = len(positions)
        if not k:
            return _Cands.empty()
        per_doc = self._per_document(positions)
        if self._unloaded:
            self._load(np.flatnonzero(per_doc).tolist())
        base = np.repeat(np.arange(len(per_doc), dtype=np.int64) * _STRIDE, per_doc)
        last = positions + (n_tokens - 1)
        rows = np.take(self._g, positions, axis=0)  # np.take: fancy-indexing rows is several times slower
        gs = base + rows[:, 0]
        ge = base + (rows[:, 1] if n_tokens == 1 else self._g_end[last])
        around = rows[:, 2].astype(np.int64)
        if n_tokens > 1:
            local_start, local_end = gs - base, ge - base
            big = np.int64(np.iinfo(np.int64).max)  # a numpy scalar: np.where with int32 offsets stays int64

            def holding(a: np.ndarray) -> np.ndarray:  # the length of mention a if it holds the whole run
                ok = (a >= 0) & (self._m_start[a] <= local_start) & (self._m_end[a] >= local_end)
                return np.where(ok, self._m_end[a] - self._m_start[a], big)

            best, over = holding(around), around.copy()
            first = np.where(around >= 0, self._m_start[around], big)
            for i in range(1, n_tokens):
                a = self._g_around[positions + i].astype(np.int64)
                length = holding(a)
                better = length < best
                around, best = np.where(better, a, around), np.where(better, length, best)
                a_first = np.where(a >= 0, self._m_start[a], big)
                earlier = a_first < first
                over, first = np.where(earlier, a, over), np.where(earlier, a_first, first)
            around = np.where(best < big, around, over)
        if not isinstance(info, np.ndarray):
            info = np.full(k, info, dtype=np.int64)
        return _Cands(gs, ge, positions, last, info, around)

    # -- the vocabulary, for words containing a query word and for loose keys ---------------------------------

    def _vocabulary(self) -> tuple[str, list[int], list[str]]:
        """Every term of the keys column as one newline-joined string (searched at C speed with ``str.find``),
        the offset where each term starts, and the terms."""
        if self._vocab is None:
            terms = [t for (t,) in self.con.execute("SELECT term FROM terms_col WHERE col = 'keys' ORDER BY term")
                     if t != EMPTY_TERM]
            offsets, pos = [], 1
            for t in terms:
                offsets.append(pos)
                pos += len(t) + 1
            self._vocab = ("\n" + "\n".join(terms) + "\n", offsets, terms)
        return self._vocab

    def _terms_containing(self, t: str, first: bool, last: bool) -> tuple[str, ...]:
        """Vocabulary terms other than ``t`` that hold it: anywhere for a one-word query, as the end of the first
        word and the start of the last word of a phrase, not at all inside a phrase (there a word is whole)."""
        if len(t) < MIN_SUBSTRING or not (first or last):
            return (t,)
        blob, offsets, terms = self._vocabulary()
        found: set[str] = set()
        i = blob.find(t)
        while i >= 0:
            k = bisect_right(offsets, i) - 1
            cand = terms[k]
            begins, ends = i == offsets[k], i + len(t) == offsets[k] + len(cand)
            if cand != t and (first and last or (first and ends) or (last and begins)):
                found.add(cand)
            i = blob.find(t, i + 1)
        return tuple(sorted(found)) if found else (t,)

    def _loose_index(self) -> tuple[list[str], list[str]]:
        """Loose keys of the Cyrillic vocabulary, sorted, with their terms (built once per searcher)."""
        if self._loose is None:
            pairs = sorted((loose_key(t), t) for t in self._vocabulary()[2] if main_script(t) == "Cyrl")
            self._loose = ([k for k, _ in pairs], [t for _, t in pairs])
        return self._loose

    def _loose_terms(self, word: str, last: bool) -> tuple[str, ...]:
        """Cyrillic vocabulary terms whose loose key equals the word's (or, for the last word of a query of
        four letters or more, begins with it: an inflected form)."""
        key = loose_key(word)
        if not key:
            return ()
        keys, terms = self._loose_index()
        lo = bisect_left(keys, key)
        hi = bisect_right(keys, key + "\x7f") if last and len(key) >= MIN_STEM else bisect_right(keys, key)
        return tuple(sorted(set(terms[lo:hi])))



    def _fuzzy_candidates(self, query: str, doc_ids: set[int], infos: _QueryInfos) -> _Cands:
        """Bounded fuzzy matching of a one-word query: distance 1 (2 from 8 letters), same first letter."""
        words = query_words(query)
        if len(words) != 1:
            return _Cands.empty()
        q = word_term(words[0])
        if len(q) < MIN_STEM:
            return _Cands.empty()
        k = 1 if len(q) < 8 else 2
        rows = self.con.execute(
            "SELECT term FROM terms_col WHERE col = 'keys' AND term >= ? AND term < ? "
            "AND length(term) BETWEEN ? AND ?",
            (q[0], q[0] + "\U0010ffff", len(q) - k, len(q) + k)).fetchall()
        scored = []
        for (cand,) in rows:
            if cand != q and cand != EMPTY_TERM:
                d = edit_distance(q, cand)
                if d <= k:
                    scored.append((d, cand, 1.0 - d / max(len(q), len(cand))))
        return _Cands.concat([  # closest first: they win overlaps
            self._run_candidates(self._phrase([cand], "keys", doc_ids), infos.id((None, None, "fuzzy", score, "text")),
                                 1)
            for _, cand, score in sorted(scored)])

    def _allowed(self, doc_ids: set[int]) -> np.ndarray:
        """A mask over document ranks: the documents in ``doc_ids``."""
        allowed = np.zeros(len(self.ranked), dtype=bool)
        if doc_ids:
            allowed[[self._rank[i] for i in doc_ids]] = True
        return allowed

    def _accept(self, c: _Cands, infos: _QueryInfos, types: frozenset[str] | None, limit: int | None,
                refs: frozenset[str], linked_only: bool, result: SearchResult) -> None:
        """Label each candidate by kind, drop duplicates and overlaps (the earlier, better-ranked one wins), keep
        only mentions of ``types``; fill ``result`` with every count and the first ``limit`` hits (linked, then
        unlinked, then text; each in document and text order).

        A text occurrence inside a mention takes that mention's identity: a mention of a resolved ref is
        ``linked``; one with a provisional, missing or ambiguous ref is ``unlinked`` (its whole span is the hit);
        inside a mention of some other entity it stays a ``text`` match labelled with that mention's ref.
        ``linked_only`` keeps the older rule: such text occurrences of a resolved name are dropped."""
        info_ref, info_type, info_mention = infos.arrays()
        n = len(c)
        gs, ge = c.gs, c.ge
        around = c.around
        drop = None
        if info_mention.any():
            is_m = info_mention[c.info]
            # a text occurrence sharing an edge with a mention candidate overlaps it and loses (the mentions'
            # edges come in sorted runs, one a ref: a stable sort merges them); one that overlaps no mention at
            # all (around -1: none of its tokens meets one) cannot share an edge with one
            text = np.flatnonzero(~is_m & (around >= 0))
            drop = np.zeros(n, dtype=bool)
            drop[text] = (_member(gs[text], np.sort(gs[is_m], kind="stable"), presorted=True)
                          | _member(ge[text], np.sort(ge[is_m], kind="stable"), presorted=True))
            around = np.where(is_m, -1, around)
            kind = np.where(is_m, np.int8(_LINKED), np.int8(_TEXT))
            via_m = is_m.copy()
        else:  # text candidates only (most queries that resolve to nothing)
            kind = np.full(n, _TEXT, dtype=np.int8)
            via_m = np.zeros(n, dtype=bool)
        if len(self._rejected):  # a span a human rejected (nuskha.curation) is no occurrence of this entity
            entity = np.flatnonzero((~via_m) & (info_ref[c.info] >= 0))
            rejected = np.zeros(len(entity), dtype=bool)
            for i in range(int((c.tok1[entity] - c.tok0[entity]).max(initial=0)) + 1):
                rejected |= _member(np.minimum(c.tok0[entity] + i, c.tok1[entity]), self._rejected, presorted=True)
            if rejected.any():
                drop = np.zeros(n, dtype=bool) if drop is None else drop
                drop[entity[rejected]] = True
        # text candidates inside a mention: labelled by it (those already dropped need no label)
        inside = np.flatnonzero(around >= 0) if drop is None else np.flatnonzero((around >= 0) & ~drop)
        if len(inside):
            a = around[inside]
            rows = np.take(self._m, a, axis=0)
            a_ref = rows[:, 2]
            if linked_only:
                i_ref = info_ref[c.info[inside]]
                other = (i_ref >= 0) & (a_ref >= 0) & (a_ref != i_ref)
                if other.any():  # الخوارزمي inside محمود الخوارزمي: not this entity
                    drop = np.zeros(n, dtype=bool) if drop is None else drop
                    drop[inside[other]] = True
            else:
                # the kind a mention gives the text inside it, by (ref, ambiguous): linked for a resolved ref,
                # unlinked for a provisional or missing one or an ambiguous mention, else (a mention of another
                # entity) the text stays text; one lookup a candidate instead of a pass a rule. Row -1 (the
                # last) stands for "no ref"
                by_ref = np.full(len(self._refs) + 1, _TEXT, dtype=np.int8)
                by_ref[np.array(self._provisional + [True], dtype=bool)] = _UNLINKED
                by_ref[[self._ref_ids[r] for r in refs if r in self._ref_ids]] = _LINKED
                table = np.stack((by_ref, np.minimum(by_ref, _UNLINKED)), axis=1).ravel()
                new_kind = table[a_ref * 2 + rows[:, 6]]
                takes = new_kind != _TEXT
                if takes.any():
                    # over all of ``inside`` with np.where (most of them take the mention's span when the word
                    # is common): no second gather of the rows. gs and ge are the candidates' own (built for
                    # this query): changed in place, not copied
                    g_in, e_in = gs[inside], ge[inside]
                    base = g_in & ~_OFFSET
                    gs[inside] = np.where(takes, base + rows[:, 0], g_in)
                    ge[inside] = np.where(takes, base + rows[:, 1], e_in)
                    via_m[inside] = takes  # inside holds no mention candidate (around is -1 for those)
                    kind[inside] = new_kind  # text, unless the mention's span was taken

        def labels(idx: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            """Ref and type ids of the candidates ``idx``: a text candidate inside a mention takes the mention's
            (with ``linked_only``, only one naming no entity itself)."""
            ref, typ = info_ref[c.info[idx]], info_type[c.info[idx]]
            a = around[idx]
            relabel = (a >= 0) & (ref < 0) if linked_only else a >= 0
            if relabel.any():
                rows = np.take(self._m, a[relabel], axis=0)
                ref[relabel], typ[relabel] = rows[:, 2], rows[:, 3]
            return ref, typ

        if drop is None:
            keep = _first_of_overlaps(gs, ge)
        else:
            keep = np.flatnonzero(~drop)
            keep = keep[_first_of_overlaps(gs[keep], ge[keep])]
        if types is not None:
            wanted = np.zeros(len(self._types) + 1, dtype=bool)  # the last place stands for "no type" (-1)
            wanted[[self._type_ids[t] for t in types if t in self._type_ids]] = True
            keep = keep[wanted[labels(keep)[1]]]
        kept_kind = kind[keep]
        kinds = np.bincount(kept_kind, minlength=3)
        result.kinds = {k: int(kinds[i]) for i, k in enumerate(KINDS)}
        per_doc = np.bincount(gs[keep] >> 40, minlength=len(self.ranked))
        shown = np.flatnonzero(per_doc).tolist()
        result.counts = {self.ranked[r].name: int(per_doc[r]) for r in shown}
        result.langs = {self.ranked[r].name: self.ranked[r].lang for r in shown}
        result.total = int(len(keep))
        page: list[np.ndarray] = []
        room = len(keep) if limit is None else limit
        for k in range(3):
            if room > 0 and kinds[k]:
                of_kind = keep[np.flatnonzero(kept_kind == k)[:room]]
                page.append(of_kind)
                room -= len(of_kind)
        page_idx = np.concatenate(page) if page else _EMPTY
        ref, typ = labels(page_idx)
        result.hits = self._hits(page_idx, c, gs, ge, ref, typ, kind, via_m, infos)

    def _hits(self, idx: np.ndarray, c: _Cands, gs: np.ndarray, ge: np.ndarray, ref: np.ndarray, typ: np.ndarray,
              kind: np.ndarray, via_m: np.ndarray, infos: _QueryInfos) -> list[Hit]:
        out = []
        width = self.context
        # the page's fields as Python ints at once (a numpy scalar per field and hit costs more than the hit)
        g, e = gs[idx], ge[idx]
        columns = ((g >> 40).tolist(), (g & _OFFSET).tolist(), (e & _OFFSET).tolist(), c.info[idx].tolist(),
                   kind[idx].tolist(), via_m[idx].tolist(), ref.tolist(), typ.tolist())
        for rank, start, end, info, k, m, r, t in zip(*columns):
            d = self.ranked[rank]
            text = self.text(d.id)
            method, score = infos.items[info][2:4]
            out.append(Hit(d.name, d.lang, start, end, text[start:end], self._refs[r] if r >= 0 else None,
                           self._types[t] if t >= 0 else None, method, score, "mention" if m else "text",
                           KINDS[k], text, width))
        return out

    # -- positions ------------------------------------------------------------------------------------------

    def _postings(self, t: str | tuple[str, ...], column: str, prefix: bool) -> np.ndarray:
        """Global token positions (sorted) of term ``t`` (or of every term it begins, with ``prefix``; or of any of
        a tuple of alternative terms), read once per query: a name's variants share words."""
        key = (column, t, prefix)
        found = self._query_postings.get(key)
        if found is not None:
            return found
        rows = self._posting_rows("doc, positions", t, column, prefix)
        if not rows:
            found = _EMPTY
        else:
            # the blobs in document rank order, decoded at once and moved onto the global axis by one add (a
            # numpy call per document would cost more than the positions of a rare word)
            docs, blobs = zip(*rows)
            ranks = self._rank_of[np.array(docs, dtype=np.int64)]
            # one term's rows come in document id order, which is rank order when documents were indexed in name
            # order (nearly always): then there is nothing to reorder
            ordered = len(rows) == 1 or bool((ranks[1:] > ranks[:-1]).all())
            if not ordered:
                order = np.argsort(ranks, kind="stable")
                ranks = ranks[order]
                blobs = [blobs[i] for i in order.tolist()]
            found = np.frombuffer(b"".join(blobs), dtype="<i4").astype(np.int64)
            lengths = np.array(list(map(len, blobs)), dtype=np.int64) >> 2
            found += np.repeat(self._tbase[ranks], lengths)
            if not ordered and bool((ranks[1:] == ranks[:-1]).any()):  # several terms in one document
                found = _sorted_unique(found, runs=True)
        self._query_postings[key] = found
        return found

    def _posting_rows(self, select: str, t: str | tuple[str, ...], column: str, prefix: bool) -> list[tuple]:
        """``select`` (columns of ``postings``) of the rows of term ``t`` (see :meth:`_postings`)."""
        col = _COLUMNS[column]
        alts = t if isinstance(t, tuple) else (t,)
        if prefix:
            sql = f"SELECT {select} FROM postings WHERE col = ? AND term >= ? AND term < ?"
            return [row for a in alts for row in self.con.execute(sql, (col, a, a + "\U0010ffff"))]
        if len(alts) == 1:
            return self.con.execute(f"SELECT {select} FROM postings WHERE col = ? AND term = ?",
                                    (col, alts[0])).fetchall()
        rows = []
        for i in range(0, len(alts), 500):
            chunk = alts[i:i + 500]
            rows += self.con.execute(f"SELECT {select} FROM postings WHERE col = ? AND term IN "
                                     f"({','.join('?' * len(chunk))})", (col, *chunk)).fetchall()
        return rows

    def _count(self, t: str | tuple[str, ...], column: str, prefix: bool) -> int:
        """How many positions :meth:`_postings` would return (at most; alternatives may share some), from the
        blobs' lengths, which SQLite knows without reading them: a term statistic of the read-only index, kept
        for the searcher's life like its vocabulary."""
        key = (column, t, prefix)
        count = self._counts.get(key)
        if count is None:
            found = self._query_postings.get(key)
            count = self._counts[key] = len(found) if found is not None and not isinstance(t, tuple) else sum(
                length for (length,) in self._posting_rows("length(positions)", t, column, prefix)) // 4
        return count

    def _lexeme_terms(self, lex_id: int) -> tuple[str, str, str]:
        """The (key, lemma, skeleton) terms the index gave the lexeme ``lex_id`` (computed as the writer did)."""
        terms = self._lex_terms.get(lex_id)
        if terms is None:
            lang, text, norm, lemma = self.con.execute("SELECT lang, text, norm, lemma FROM lexemes WHERE id = ?",
                                                       (lex_id,)).fetchone()
            terms = self._lex_terms[lex_id] = lexeme_terms(lang, text, norm, lemma)
        return terms

    def _key_numbers(self, lex: np.ndarray) -> tuple[np.ndarray, dict[str, int]]:
        """The key term of each lexeme of ``lex`` (lexemes ids) as a number, and the number of each key term met so
        far. A lexeme's number is found once per searcher, on its first use (one statement for all the new ones),
        so :meth:`_key_at` checks a word at any number of places by one gather instead of sorting their lexemes."""
        if self._keys is None:
            (top,) = self.con.execute("SELECT coalesce(max(id), 0) FROM lexemes").fetchone()
            self._keys = (np.full(top + 1, -1, dtype=np.int32), {})
        key_of, numbers = self._keys
        keys = key_of[lex]
        missing = keys < 0
        if missing.any():
            new = _sorted_unique(lex[missing]).tolist()
            for i in range(0, len(new), 500):
                chunk = new[i:i + 500]
                for lex_id, norm in self.con.execute(
                        f"SELECT id, norm FROM lexemes WHERE id IN ({','.join('?' * len(chunk))})", chunk):
                    # term(norm): the key column of lexeme_terms, as the writer computed it
                    key_of[lex_id] = numbers.setdefault(term(norm), len(numbers))
            keys = key_of[lex]
        return keys, numbers

    def _key_at(self, positions: np.ndarray, t: str | tuple[str, ...], prefix: bool) -> np.ndarray:
        """Whether the token at each global position has the key term ``t`` (one of them, or one beginning with
        one, with ``prefix``), read from the tokens' lexemes: a phrase's common word (بن, الدين) is checked at
        the few places its rarest word leaves, not decoded at its hundreds of thousands of positions."""
        n = int(self._tbase[-1])
        if not len(positions):
            return np.zeros(0, dtype=bool)
        if positions.min() >= 0 and positions.max() < n:  # nearly always: no place to clip, nothing to mask
            at, inside = positions, None
        else:  # a phrase's later word past the end of the axis (or a start before it)
            inside = (positions >= 0) & (positions < n)
            at = np.clip(positions, 0, max(n - 1, 0))
        if self._unloaded:
            within = at if inside is None else at[inside]
            self._load(_sorted_unique(np.searchsorted(self._tbase, within, "right") - 1).tolist())
        alts = t if isinstance(t, tuple) else (t,)
        if prefix:
            forms, inverse = _factorize(self._g_lex[at])
            ok = [self._lexeme_terms(x)[0].startswith(alts) for x in forms.tolist()]
            found = np.array(ok, dtype=bool)[inverse]
        else:  # each token's key term number, by one gather through its lexeme, compared with the terms'
            keys, numbers = self._key_numbers(self._g_lex[at])
            # (a term not numbered yet is the key of none of these tokens' lexemes: all are numbered now)
            wanted = [numbers[a] for a in alts if a in numbers]
            if len(wanted) == 1:
                found = keys == wanted[0]
            else:  # none (a term no lexeme has: no token has it) or several alternatives
                found = _member(keys, np.sort(np.array(wanted, dtype=np.int32)), presorted=True)
        return found if inside is None else found & inside

    def _phrase(self, terms: list, column: str, doc_ids: set[int], prefix_last: bool = False) -> np.ndarray:
        """Global token positions (sorted) where a run of consecutive tokens whose terms are ``terms`` (each a
        term or a tuple of alternative terms) starts, in the documents ``doc_ids``."""
        if not terms or not all(terms) or not doc_ids:
            return _EMPTY
        n = len(terms)
        prefix = [prefix_last and i == n - 1 for i in range(n)]
        # start from the rarest word (ابن الأثير: the few الاثير, not the many ابن) and check the others: a word
        # of the keys column far commoner than what is left to check, at those places through the tokens'
        # lexemes, others by their positions
        counts = [self._count(t, column, prefix[i]) for i, t in enumerate(terms)] if n > 1 else [0]
        rarest = min(range(n), key=counts.__getitem__)
        ps = self._postings(terms[rarest], column, prefix[rarest]) - rarest
        for i in range(n):
            if not len(ps):
                return _EMPTY
            if i == rarest:
                continue
            if column == "keys" and counts[i] > LEXEME_CHECK_RATIO * len(ps):
                ps = ps[self._key_at(ps + i, terms[i], prefix[i])]
            else:
                ps = ps[self._on_positions(ps + i, self._postings(terms[i], column, prefix[i]))]
        if not len(ps):
            return _EMPTY
        allowed = self._allowed(doc_ids)
        if n == 1 and allowed.all():
            return ps
        per_doc = self._per_document(ps)
        ok = np.repeat(allowed, per_doc)
        if n > 1:  # a run never crosses the end of a document
            ok &= ps + (n - 1) < np.repeat(self._tbase[1:], per_doc)
        return ps if ok.all() else ps[ok]

    def _scratch_mask(self) -> np.ndarray:
        """One flag a global token position (plus two never set), all False between uses."""
        if self._mask is None:
            self._mask = np.zeros(int(self._tbase[-1]) + 2, dtype=bool)
        return self._mask

    def _on_positions(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Whether each global token position of ``a`` is in ``b``: marked in a mask over the token axis and read
        back (a few times faster than a binary search of every element when both are long)."""
        if len(a) * 8 < len(b) or not len(a) or not len(b):  # few elements: the binary search is cheaper
            return _member(a, b, presorted=True)
        mask = self._scratch_mask()
        mask[b] = True
        try:
            # a phrase's candidate starts may lie before the first token or past the last: clipped to -1 and n,
            # the two flags after the axis, which are never set
            return mask[np.clip(a, -1, len(mask) - 2)]
        finally:
            mask[b] = False

    def _per_document(self, positions: np.ndarray) -> np.ndarray:
        """How many of the (sorted) global token positions fall in each document, by rank."""
        return np.diff(np.searchsorted(positions, self._tbase))


# numpy's unique and isin hash their input (numpy 2): several times slower than sorting for these arrays

def _sorted_unique(x: np.ndarray, runs: bool = False) -> np.ndarray:
    """The distinct values of ``x``, sorted (``runs``: ``x`` is a few sorted runs laid end to end, which a stable
    sort merges in linear time; on shuffled input the default sort is the faster)."""
    s = np.sort(x, kind="stable" if runs else None)
    if len(s) < 2:
        return s
    return s[np.concatenate(([True], s[1:] != s[:-1]))]


def _member(a: np.ndarray, b: np.ndarray, presorted: bool = False) -> np.ndarray:
    """Whether each element of ``a`` is in ``b`` (``presorted``: ``b`` is sorted already)."""
    if not len(b) or not len(a):
        return np.zeros(len(a), dtype=bool)
    bs = b if presorted else np.sort(b)
    i = np.searchsorted(bs, a)
    i[i == len(bs)] = len(bs) - 1
    return bs[i] == a


def _factorize(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct values of ``x`` (sorted) and, for each element, the index of its value among them."""
    uniq = _sorted_unique(x)
    return uniq, np.searchsorted(uniq, x)


def _doc_mask(docs: np.ndarray, n_docs: int) -> np.ndarray:
    """A mask over document ranks: those in ``docs``."""
    mask = np.zeros(n_docs, dtype=bool)
    mask[docs] = True
    return mask


def _first_found(found: list[tuple[np.ndarray, int]]) -> tuple[np.ndarray, np.ndarray]:
    """Sorted positions found by any of several searches (each: sorted positions and the info of the search),
    each with the info of the first search that found it."""
    if len(found) == 1:
        return found[0]
    # position and search number in one integer: one sort orders by position, then search (a stable sort, since
    # the input is sorted runs, one a search: it merges them)
    shift = max(1, (len(found) - 1).bit_length())
    # the keys written in place into one array (a hit count of them: no temporary per search)
    keys = np.empty(sum(len(f) for f, _ in found), dtype=np.int64)
    at = 0
    for i, (f, _) in enumerate(found):
        part = keys[at:at + len(f)]
        np.left_shift(f, shift, out=part)
        if i:
            part |= i
        at += len(f)
    keys.sort(kind="stable")
    positions = keys >> shift
    dup = positions[1:] == positions[:-1]  # a later search's copy of a position (the first comes first)
    if dup.any():
        first = np.flatnonzero(~dup)
        first += 1
        keys = np.concatenate((keys[:1], np.take(keys, first)))
        positions = keys >> shift
    return positions, np.array([i for _, i in found], dtype=np.int64)[keys & ((1 << shift) - 1)]


def _near_any(a0: np.ndarray, a1: np.ndarray, b0: np.ndarray, b1: np.ndarray, distance: int) -> np.ndarray:
    """Whether each span ``[a0, a1]`` has a span ``[b0, b1]`` at most ``distance`` apart (``b0 - a1 <= distance``
    and ``a0 - b1 <= distance``): among the b starting early enough, the furthest-reaching one decides."""
    order = np.argsort(b0, kind="stable")  # b0 is a few sorted runs (one a search), which a stable sort merges
    b0s, reach = b0[order], np.maximum.accumulate(b1[order])
    j = np.searchsorted(b0s, a1 + distance, "right")
    ok = j > 0
    ok[ok] = reach[j[ok] - 1] >= a0[ok] - distance
    return ok



def _first_of_overlaps(gs: np.ndarray, ge: np.ndarray) -> np.ndarray:
    """Indexes of the spans kept when overlapping spans are removed, in start order; the spans come in rank order
    and an overlap keeps the better-ranked (earlier) one.

    Walking the spans by (start, rank), a span overlapping the one kept before replaces it if better ranked, else
    is dropped. A stable sort gives that order (the input is a few sorted runs, which it merges); exact
    duplicates (one mention reached by several words) go by array operations, and the walk runs in Python only
    over the rare clusters of partly overlapping spans."""
    n = len(gs)
    if not n:
        return _EMPTY
    if n == 1 or bool((gs[1:] >= gs[:-1]).all()):
        order, s, e = np.arange(n), gs, ge
    else:
        order = np.argsort(gs, kind="stable")
        s, e = np.take(gs, order), np.take(ge, order)
    # an exact duplicate right after its better-ranked twin can only lose
    dup = (s[1:] == s[:-1]) & (e[1:] == e[:-1])
    if dup.any():
        first = np.flatnonzero(~dup)  # the twins kept: indexes once, then three takes (not three masks)
        first += 1
        first = np.concatenate(([0], first))
        order, s, e = np.take(order, first), np.take(s, first), np.take(e, first)
    reach = np.maximum.accumulate(e)
    conflict = np.concatenate(([False], s[1:] < reach[:-1]))
    if not conflict.any():
        return order
    keep = ~conflict
    heads = np.flatnonzero(conflict[1:] & ~conflict[:-1])  # each cluster: a span and the ones overlapping it
    size = np.searchsorted(np.flatnonzero(~conflict), heads, "right")  # the next head after each cluster
    ends = np.append(np.flatnonzero(~conflict), len(order))[size]
    pairs = ends - heads == 2
    if pairs.any():  # a span and one overlapping it (the common case): the better-ranked one stays
        h = heads[pairs]
        second_wins = order[h + 1] < order[h]
        keep[h] = ~second_wins
        keep[h + 1] = second_wins
    for head, stop in zip(heads[~pairs].tolist(), ends[~pairs].tolist()):
        kept = [head]
        last_end, last_rank = int(e[head]), int(order[head])
        for i in range(head + 1, stop):
            if s[i] < last_end:
                if order[i] < last_rank:
                    kept[-1] = i
                    last_end, last_rank = int(e[i]), int(order[i])
            else:
                kept.append(i)
                last_end, last_rank = int(e[i]), int(order[i])
        keep[head] = False
        keep[kept] = True
    return order[keep]


def _clitic_stem_offset(token: str, stem_term: str) -> int:
    """:func:`_clitic_stem_start` within one token's text: where the stem starts, or -1."""
    start = _clitic_stem_start(token, 0, len(token), stem_term)
    return -1 if start is None else start


@lru_cache(maxsize=1)
def _arabic_clitics() -> tuple[frozenset[str], str]:
    table = load_table("nuskha.lang.ar.data", "search.json")
    return frozenset(table["proclitic_letters"]), table["article"]


@lru_cache(maxsize=65536)
def _arabic_term(token: str) -> str:
    return term(get_language("ar").normalize(token)[0])


def _clitic_stem_start(text: str, start: int, end: int, stem_term: str) -> int | None:
    """Where ``stem_term`` starts inside the Arabic token ``text[start:end]`` after its proclitics, or None.

    ``وبخارى`` holds ``بخاري`` after ``و`` + ``ب``: the span moves past them (a mention leaves proclitics out,
    ANNOTATION.md). ``البخاري`` (the nisba, "of Bukhara") holds it after the article: not a mention of the
    place, so None -- unless the name itself starts with the article (``بالصين`` for ``الصين``).
    """
    token_term = _arabic_term(text[start:end])
    if not token_term.endswith(stem_term) or token_term == stem_term:
        return start if token_term == stem_term else None
    extra = token_term[: len(token_term) - len(stem_term)]
    letters, article = _arabic_clitics()
    if len(extra) > 3 or not set(extra) <= letters or (article in extra and not stem_term.startswith(article)):
        return None
    written = [i for i in range(start, end) if text[i].isalnum() and text[i] != "\u0640"]
    return written[len(extra)] if len(written) > len(extra) else None


def search(query: str | None = None, index: str | os.PathLike = "nuskha-index.sqlite", *, ref: str | None = None,
           type: str | None = None, lang: str | None = None, authority: Authority | str | None = None,
           fuzzy: bool = True, limit: int | None = DEFAULT_LIMIT, linked_only: bool = False) -> SearchResult:
    """Search an index once (see :class:`Searcher` to run many queries on one open index)."""
    with Searcher(index, authority) as searcher:
        return searcher.search(query, ref=ref, type=type, lang=lang, fuzzy=fuzzy, limit=limit,
                               linked_only=linked_only)


def _doc_matches(name: str, pattern: str) -> bool:
    """``doc:`` filter: the document name, or a prefix of it ending in ``*``."""
    return name.startswith(pattern[:-1]) if pattern.endswith("*") else name == pattern
