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

import gc
import os
import sqlite3
from array import array
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import groupby, repeat
from operator import itemgetter
from pathlib import Path
from typing import Any, Iterable

import regex

from ..authority import Authority, Record, load_authority
from ..core.charmap import load_table
from ..core.script import KAZAKH_CYRILLIC, main_script
from ..core.translit import edit_distance, loose_key, skeleton_key, to_cyrillic
from ..document import MENTION_TYPES
from ..errors import InputError
from ..lang import get_language
from .syntax import And, Name, Near, Not, Or, RefTerm, parse_query
from .index import EMPTY_TERM, check_integrity, connect, corrupt_index, term, unpack_positions

_QUERY_WORD = regex.compile(r"[^\s\p{P}\p{S}]+(?:[-\u2010'’][^\s\p{P}\p{S}]+)*")
_PAREN = regex.compile(r"\(([^()]*)\)")
#: Minimum skeleton length for a skeleton match: ``tm`` would meet half the vocabulary.
MIN_SKELETON = 3
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
        for name in self.names:
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
            elif len(skeleton) >= MIN_SKELETON and name.skeleton == skeleton:
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

@dataclass(frozen=True)
class _Doc:
    id: int
    name: str
    lang: str


class _DocLayers:
    """One document's token offsets by position and its mentions sorted by start, loaded once per searcher."""

    __slots__ = ("starts", "ends", "m_starts", "mentions", "max_len")

    def __init__(self, con: sqlite3.Connection, doc_id: int):
        row = con.execute("SELECT starts, ends FROM tokens WHERE doc = ?", (doc_id,)).fetchone()
        self.starts, self.ends = (unpack_positions(row[0]), unpack_positions(row[1])) if row else (array("i"),) * 2
        rows = sorted(con.execute('SELECT start, "end", ref, type, cert FROM mentions WHERE doc = ?', (doc_id,)),
                      key=lambda r: (r[0], r[1]))  # refs may be None: never compare them
        self.mentions = rows
        self.m_starts = [r[0] for r in rows]
        self.max_len = max((r[1] - r[0] for r in rows), default=0)

    def containing(self, start: int, end: int) -> tuple[int, int, str | None, str, float | None] | None:
        """The smallest mention that contains ``[start, end)``, if any."""
        starts, mentions = self.m_starts, self.mentions
        j = bisect_right(starts, start) - 1
        floor = start - self.max_len
        best = None
        while j >= 0 and starts[j] >= floor:
            m = mentions[j]
            if m[1] >= end and (best is None or m[1] - m[0] < best[1] - best[0]):
                best = m
            j -= 1
        return best

    def overlapping(self, start: int, end: int) -> list[tuple[int, int, str | None, str, float | None]]:
        """Mentions that overlap ``[start, end)``."""
        lo = bisect_left(self.m_starts, start - self.max_len)
        hi = bisect_left(self.m_starts, end)
        return [m for m in self.mentions[lo:hi] if m[1] > start]


#: A candidate hit before filtering: (doc id, start, end, (ref, type, method, score, via)).
Candidate = tuple


def _start(item: tuple[Candidate, int]) -> int:
    return item[0][1]


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
        self.docs = {row[0]: _Doc(*row) for row in self.con.execute("SELECT id, name, lang FROM documents")}
        self._texts: dict[int, str] = {}
        self._layers: dict[int, _DocLayers] = {}
        self._docs_with_mentions = {d for (d,) in self.con.execute("SELECT DISTINCT doc FROM mentions")}
        self._by_ref: dict[str, list[tuple[int, int, int, str]]] | None = None
        self._vocab: tuple[str, list[int], list[str]] | None = None
        self._loose: tuple[list[str], list[str]] | None = None
        order = sorted(self.docs, key=lambda i: self.docs[i].name)
        self._rank = {doc_id: r for r, doc_id in enumerate(order)}

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

    def text(self, doc_id: int) -> str:
        text = self._texts.get(doc_id)
        if text is None:
            (text,) = self.con.execute("SELECT text FROM documents WHERE id = ?", (doc_id,)).fetchone()
            self._texts[doc_id] = text
        return text

    def mentions_of(self, ref: str) -> list[tuple[int, int, int, str]]:
        """(doc id, start, end, type) of every mention of ``ref``: the whole mentions table is read once per
        searcher (a tenth of a second for 100k mentions) instead of a few milliseconds per entity query."""
        if self._by_ref is None:
            by_ref: dict[str, list[tuple[int, int, int, str]]] = {}
            for doc, start, end, mtype, mref in self.con.execute(
                    'SELECT doc, start, "end", type, ref FROM mentions WHERE ref IS NOT NULL'):
                group = by_ref.get(mref)
                if group is None:
                    group = by_ref[mref] = []
                group.append((doc, start, end, mtype))
            for group in by_ref.values():
                group.sort()  # the order of the mentions_ref index, which decides ties in _accept as before
            self._by_ref = by_ref
        return self._by_ref.get(ref, [])

    def layers(self, doc_id: int) -> _DocLayers:
        layers = self._layers.get(doc_id)
        if layers is None:
            layers = self._layers[doc_id] = _DocLayers(self.con, doc_id)
        return layers

    # -- public ---------------------------------------------------------------------------------------------

    def search(self, query: str | None = None, *, ref: str | None = None, type: str | None = None,
               lang: str | None = None, fuzzy: bool = True, limit: int | None = DEFAULT_LIMIT,
               linked_only: bool = False) -> SearchResult:
        """Find ``query`` (any script, in the query language of :mod:`nuskha.search.syntax`) or every mention of
        ``ref``; filter by mention ``type`` and ``lang``.

        Hits come by kind (linked, unlinked, text), then by document and offset. ``linked_only`` returns only
        what the query's resolution reaches (mentions of the resolved refs and their names in the text), as
        before recall-first search. A malformed query raises :class:`~nuskha.search.syntax.QuerySyntaxError`. ``limit`` stops building hits after the first ``limit`` (None or
        0: all); ``total`` and ``counts`` (per document) still count every match. KWIC context is cut from the
        text when first read.
        """
        if ref is None and (query is None or not query.strip()):
            raise InputError("empty query: give a QUERY or --ref REF")
        # A query allocates tens of thousands of small acyclic tuples; with the searcher's caches alive, the
        # cyclic collector would rescan them all several times per query (a third of the time on a big index).
        collecting = gc.isenabled()
        gc.disable()
        try:
            return self._search(query, ref, type, lang, fuzzy, limit, linked_only)
        except sqlite3.DatabaseError as exc:
            raise corrupt_index(self.path, str(exc)) from None
        finally:
            if collecting:
                gc.enable()

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
        candidates = self._evaluate(tree, doc_ids, fuzzy, linked_only, resolved)
        seen: set[str] = set()
        result.resolved = [r for r in resolved if not (r.ref in seen or seen.add(r.ref))]
        refs = frozenset(seen)
        kept, counts, kinds = self._accept(candidates, frozenset(types) or None, limit or None, refs, linked_only)
        result.total = sum(counts.values())
        result.counts = {self.docs[d].name: n for d, n in counts.items()}
        result.langs = {self.docs[d].name: self.docs[d].lang for d in counts}
        result.kinds = kinds
        result.hits = self._hits(kept)
        return result

    # -- the query tree ---------------------------------------------------------------------------------------

    def _evaluate(self, tree, doc_ids: set[int], fuzzy: bool, linked_only: bool,
                  resolved: list[Resolution]) -> list[Candidate]:
        """Candidates of a query tree, in rank order: OR keeps both sides, AND keeps both sides in documents
        holding both, NOT drops the documents holding its right side, NEAR/n keeps the hits of each side that
        have a hit of the other within n words."""
        if isinstance(tree, Name):
            return self._name_candidates(tree, doc_ids, fuzzy, linked_only, resolved)
        if isinstance(tree, RefTerm):
            rec = self.matcher.authority.records.get(tree.ref)
            r = Resolution(tree.ref, "ref", 1.0, rec.label_en if rec else tree.ref)
            resolved.append(r)
            return self._entity_candidates([r], doc_ids)
        left = self._evaluate(tree.left, doc_ids, fuzzy, linked_only, resolved)
        if isinstance(tree, Or):
            return left + self._evaluate(tree.right, doc_ids, fuzzy, linked_only, resolved)
        left_docs = {c[0] for c in left}
        if isinstance(tree, Not):
            excluded = {c[0] for c in self._evaluate(tree.right, left_docs, fuzzy, linked_only, [])}
            return [c for c in left if c[0] not in excluded]
        right = self._evaluate(tree.right, left_docs, fuzzy, linked_only, resolved)
        if isinstance(tree, And):
            both = left_docs & {c[0] for c in right}
            return [c for c in left if c[0] in both] + [c for c in right if c[0] in both]
        if isinstance(tree, Near):
            return self._near(left, right, tree.distance)
        raise TypeError(f"not a query node: {tree!r}")

    def _token_span(self, doc_id: int, start: int, end: int) -> tuple[int, int]:
        """The first and last token positions of ``[start, end)``."""
        starts = self.layers(doc_id).starts
        return max(0, bisect_right(starts, start) - 1), max(0, bisect_right(starts, end - 1) - 1)

    def _near(self, left: list[Candidate], right: list[Candidate], distance: int) -> list[Candidate]:
        """The candidates of each side with one of the other side at most ``distance`` words away."""
        def spans(cands: list[Candidate]) -> dict[int, list[tuple[int, int, int]]]:
            out: dict[int, list[tuple[int, int, int]]] = {}
            for i, c in enumerate(cands):
                t0, t1 = self._token_span(c[0], c[1], c[2])
                out.setdefault(c[0], []).append((t0, t1, i))
            for group in out.values():
                group.sort()
            return out

        left_spans, right_spans = spans(left), spans(right)
        keep_left: set[int] = set()
        keep_right: set[int] = set()
        for doc_id, lgroup in left_spans.items():
            rgroup = right_spans.get(doc_id)
            if not rgroup:
                continue
            r_starts = [r[0] for r in rgroup]
            widest = max(r[1] - r[0] for r in rgroup)
            for a0, a1, i in lgroup:
                lo = bisect_left(r_starts, a0 - distance - widest)
                hi = bisect_right(r_starts, a1 + distance)
                for b0, b1, j in rgroup[lo:hi]:
                    if max(b0 - a1, a0 - b1) <= distance:
                        keep_left.add(i)
                        keep_right.add(j)
        return [c for i, c in enumerate(left) if i in keep_left] + [c for j, c in enumerate(right) if j in keep_right]

    def _name_candidates(self, name: Name, doc_ids: set[int], fuzzy: bool, linked_only: bool,
                         resolved: list[Resolution]) -> list[Candidate]:
        """One name or phrase: the refs it resolves to, then (recall first) its forms in the text."""
        text = name.text
        found = self.matcher.resolve(text)
        resolved.extend(found)
        out = self._entity_candidates(found, doc_ids) if found else []
        if linked_only:  # the behaviour before recall first: text only when nothing resolved
            if not found:
                out = self._text_candidates(text, doc_ids, prefix=name.prefix)
        else:
            # a name resolved only through its skeleton may be spelled yet another way in the text (Tatars:
            # التتار is a variant, التتر is not): the text's skeletons are searched too
            named = any(r.method != "skeleton" for r in found)
            out += self._text_candidates(text, doc_ids, prefix=name.prefix, recall=True, resolved=named)
        if fuzzy and not out and not name.phrase:
            out = self._fuzzy_candidates(text, doc_ids)
        return out

    # -- candidates: (doc id, start, end, info) with info = (ref, type, method, score, via) shared by many --

    def _entity_candidates(self, resolved: list[Resolution], doc_ids: set[int]) -> list[Candidate]:
        by_ref = {r.ref: r for r in resolved}
        infos = {(r.ref, t): (r.ref, t, r.method, r.score, "mention") for r in resolved for t in MENTION_TYPES}
        out: list[Candidate] = []
        for mref in sorted(by_ref):
            r = by_ref[mref]
            out.extend((doc_id, start, end, infos.get((mref, mtype)) or (mref, mtype, r.method, r.score, "mention"))
                       for doc_id, start, end, mtype in self.mentions_of(mref) if doc_id in doc_ids)
        records = self.matcher.authority.records
        for r in resolved:
            rec = records.get(r.ref)
            if rec is None:
                continue
            info = (rec.ref, rec.type, r.method, r.score, "text")
            for column, variants in rec.variants.items():
                langs = VARIANT_DOC_LANGS.get(column, ())
                targets = {i for i in doc_ids if self.docs[i].lang in langs}
                if not targets:
                    continue
                for variant in variants:
                    words = query_words(variant)
                    terms = [word_term(w) for w in words]
                    stem = column == "kk" and len(terms[-1]) >= MIN_STEM
                    found = self._phrase(terms, "keys", targets, info, prefix_last=stem)
                    out.extend(found)
                    if column == "ar" and len(terms) == 1:  # وبخارى: a clitic-attached form, found by lemma
                        seen = {c[:3] for c in found}
                        for d, s, e, _ in self._phrase([word_lemma_term(words[0])], "lemmas", targets, info):
                            if (d, s, e) in seen:
                                continue
                            s = _clitic_stem_start(self.text(d), s, e, terms[0])
                            if s is not None:
                                out.append((d, s, e, info))
        return out

    def _text_candidates(self, query: str, doc_ids: set[int], prefix: bool = False, recall: bool = False,
                         resolved: bool = False) -> list[Candidate]:
        """Occurrences of the query's own forms, best first: normalised key, lemma, Kazakh stem, the Cyrillic
        reading of 2021 Latin, and across scripts the consonant skeleton (only for a query that resolved to
        nothing: a skeleton meets other words too). With ``recall``, also the loose key (2018 Latin, ASCII,
        scholarly spellings) over the Kazakh vocabulary and every word containing a query word (first word: as
        its end, last word: as its start), which is at least what a normalising grep finds."""
        words = query_words(query)
        if not words:
            return []
        terms = [word_term(w) for w in words]
        if not all(terms):
            return []
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
            skeletons = [term(skeleton_key(w)) for w in words]
            if not all(len(s) >= MIN_SKELETON for s in skeletons) and recall and script == "Latn":
                skeletons = [term(skeleton_key(w)) for w in query_words(english_singular(query))]
            if all(len(s) >= MIN_SKELETON for s in skeletons):
                other = {i for i in doc_ids if get_language(self.docs[i].lang).script != script}
                stages.append(("text-skeleton", "skels", skeletons, False, other))
        out: list[Candidate] = []
        for method, column, qterms, prefix_last, targets in stages:
            if targets and all(qterms):
                info = (None, None, method, _METHOD_SCORES[method], "text")
                out.extend(self._phrase(qterms, column, targets, info, prefix_last=prefix_last))
        return out

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

    def _fuzzy_candidates(self, query: str, doc_ids: set[int]) -> list[Candidate]:
        """Bounded fuzzy matching of a one-word query: distance 1 (2 from 8 letters), same first letter."""
        words = query_words(query)
        if len(words) != 1:
            return []
        q = word_term(words[0])
        if len(q) < MIN_STEM:
            return []
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
        out: list[Candidate] = []
        for _, cand, score in sorted(scored):  # closest first: they win overlaps
            out.extend(self._phrase([cand], "keys", doc_ids, (None, None, "fuzzy", score, "text")))
        return out

    def _accept(self, candidates: list[Candidate], types: frozenset[str] | None, limit: int | None,
                refs: frozenset[str], linked_only: bool = False
                ) -> tuple[list[Candidate], dict[int, int], dict[str, int]]:
        """Label each candidate by kind, drop duplicates and overlaps (the earlier, better-ranked one wins), keep
        only mentions of ``types``.

        Returns the first ``limit`` kept candidates (linked, then unlinked, then text; each in document and text
        order), how many were kept in each document and how many of each kind: counts are always complete."""
        by_doc: dict[int, list[Candidate]] = {}
        for doc_id, run in groupby(candidates, key=itemgetter(0)):  # candidates come in runs of one document
            group = by_doc.get(doc_id)
            if group is None:
                by_doc[doc_id] = list(run)
            else:
                group.extend(run)
        per_kind: dict[str, list[Candidate]] = {k: [] for k in KINDS}
        counts: dict[int, int] = {}
        kinds = dict.fromkeys(KINDS, 0)
        for doc_id in sorted(by_doc, key=self._rank.__getitem__):
            block = self._accept_document(doc_id, by_doc[doc_id], refs, linked_only)
            if types is not None:
                block = [c for c in block if c[3][1] in types]
            if not block:
                continue
            counts[doc_id] = len(block)
            for c in block:
                kind = c[3][5]
                kinds[kind] += 1
                group = per_kind[kind]
                if limit is None or len(group) < limit:
                    group.append(c)
        kept = [c for k in KINDS for c in per_kind[k]]
        return (kept if limit is None else kept[:limit]), counts, kinds

    def _accept_document(self, doc_id: int, candidates: list[Candidate], refs: frozenset[str],
                         linked_only: bool) -> list[Candidate]:
        """:meth:`_accept` for the candidates of one document (in rank order).

        A text occurrence inside a mention takes that mention's identity: a mention of a resolved ref is
        ``linked``; one with a provisional, missing or ambiguous ref is ``unlinked`` (its whole span is the hit);
        inside a mention of some other entity it stays a ``text`` match labelled with that mention's ref.
        ``linked_only`` keeps the older rule: such text occurrences of a resolved name are dropped."""
        layers = self.layers(doc_id) if doc_id in self._docs_with_mentions else None
        # a text occurrence sharing an edge with a mention candidate overlaps it and loses: skip it early
        m_starts = {c[1] for c in candidates if c[3][4] == "mention"}
        m_ends = {c[2] for c in candidates if c[3][4] == "mention"} if m_starts else m_starts
        labelled: dict[tuple[int, str], tuple] = {}

        def kind_of(info: tuple, kind: str) -> tuple:
            key = (id(info), kind)
            out = labelled.get(key)
            if out is None:
                out = labelled[key] = info[:5] + (kind,)
            return out

        ranked: list[tuple[Candidate, int]] = []
        for rank, c in enumerate(candidates):
            info = c[3]
            start, end = c[1], c[2]
            if info[4] == "mention":
                ranked.append(((doc_id, start, end, kind_of(info, "linked")), rank))
                continue
            if start in m_starts or end in m_ends:
                continue
            c = (doc_id, start, end, kind_of(info, "text"))
            if layers is not None:
                around = layers.containing(start, end)
                if around is None:
                    near = layers.overlapping(start, end)
                    around = near[0] if near else None
                if around is not None:
                    aref = around[2]
                    if linked_only:
                        if info[0] is not None:
                            if aref and aref != info[0]:
                                continue  # الخوارزمي inside محمود الخوارزمي is not this entity
                        else:
                            c = (doc_id, start, end, (aref, around[3]) + info[2:5] + ("text",))
                    elif aref is not None and aref in refs:
                        c = (doc_id, around[0], around[1], (aref, around[3], info[2], info[3], "mention", "linked"))
                    elif aref is None or aref.startswith(PROVISIONAL) or (
                            around[4] is not None and around[4] <= AMBIGUOUS_CERT):
                        c = (doc_id, around[0], around[1],
                             (aref, around[3], info[2], info[3], "mention", "unlinked"))
                    else:
                        c = (doc_id, start, end, (aref, around[3]) + info[2:5] + ("text",))
            ranked.append((c, rank))
        # stable sort on start: at equal starts the better-ranked candidate stays first
        ranked.sort(key=_start)
        block: list[Candidate] = []
        last_end, last_rank = -1, 0
        for c, rank in ranked:
            if c[1] < last_end:  # overlaps the span kept before
                if rank < last_rank:
                    block[-1] = c
                    last_end, last_rank = c[2], rank
                continue
            block.append(c)
            last_end, last_rank = c[2], rank
        return block

    def _hits(self, candidates: list[Candidate]) -> list[Hit]:
        out = []
        width = self.context
        current, d, text = None, None, ""
        for doc_id, start, end, (ref, rtype, method, score, via, kind) in candidates:
            if doc_id != current:
                current, d, text = doc_id, self.docs[doc_id], self.text(doc_id)
            out.append(Hit(d.name, d.lang, start, end, text[start:end], ref, rtype, method, score, via, kind, text,
                           width))
        return out

    # -- positions ------------------------------------------------------------------------------------------

    def _postings(self, t: str | tuple[str, ...], column: str, prefix: bool) -> dict[int, array]:
        """Token positions of term ``t`` (or of every term it begins, with ``prefix``; or of any of a tuple of
        alternative terms) per document."""
        col = _COLUMNS[column]
        if isinstance(t, tuple):
            if len(t) == 1:
                return self._postings(t[0], column, prefix)
            merged: dict[int, array] = {}
            for alt in t:
                for doc, positions in self._postings(alt, column, prefix).items():
                    merged[doc] = array("i", sorted(merged[doc] + positions)) if doc in merged else positions
            return merged
        if prefix:
            rows = self.con.execute("SELECT doc, positions FROM postings WHERE col = ? AND term >= ? AND term < ?",
                                    (col, t, t + "\U0010ffff"))
        else:
            rows = self.con.execute("SELECT doc, positions FROM postings WHERE col = ? AND term = ?", (col, t))
        out: dict[int, array] = {}
        for doc, blob in rows:
            positions = unpack_positions(blob)
            if doc in out:
                out[doc] = array("i", sorted(out[doc] + positions))
            else:
                out[doc] = positions
        return out

    def _phrase(self, terms: list, column: str, doc_ids: set[int], info: tuple,
                prefix_last: bool = False) -> list[Candidate]:
        """(doc, start, end, info) of every run of consecutive tokens whose terms are ``terms`` (each a term or a
        tuple of alternative terms)."""
        if not terms or not all(terms):
            return []
        out: list[Candidate] = []
        first = self._postings(terms[0], column, prefix_last and len(terms) == 1)
        if len(terms) == 1:  # the common case: offsets straight from the packed positions
            for doc_id, ps in first.items():
                if doc_id in doc_ids:
                    layers = self.layers(doc_id)
                    out.extend(zip(repeat(doc_id), map(layers.starts.__getitem__, ps),
                                   map(layers.ends.__getitem__, ps), repeat(info)))
            return out
        if not first:
            return []
        rest = [self._postings(t, column, prefix_last and i == len(terms) - 1) for i, t in enumerate(terms[1:], 1)]
        last = len(terms) - 1
        for doc_id, starts in first.items():
            if doc_id not in doc_ids:
                continue
            ok = set(starts)
            for i, nxt in enumerate(rest, 1):
                positions = nxt.get(doc_id)
                ok = ok & {p - i for p in positions} if positions else set()
                if not ok:
                    break
            if ok:
                layers = self.layers(doc_id)
                ps = sorted(ok)
                out.extend(zip(repeat(doc_id), map(layers.starts.__getitem__, ps),
                               map(layers.ends.__getitem__, (p + last for p in ps)), repeat(info)))
        return out


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
