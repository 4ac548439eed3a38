"""Cross-language entity alignment: which mentions in documents of different languages denote the same entity.

Two routes, in this order (DESIGN.md: authority first, rules second):

1. **Authority.** Mentions whose ``ref`` is a record of the authority file are grouped by ref; a ref met in two or
   more languages is one link, ``method="authority"``, score 1.0.
2. **Transliteration.** Mentions with no record (``ref`` None, a provisional ``new:...`` ref, or a ref the
   authority does not know) are clustered per document (by their ref, else by their skeleton key), and clusters
   of different languages are compared by the Latin consonant skeleton of :func:`nuskha.core.translit.skeleton_key`
   (تيمور ملك, Темір-Мәлік -> ``tmr mlk``). Kazakh keeps case and possessive suffixes inside a name
   (ТемірМәлікпен -> ``tmrmlkbn``), so the score also tries the key with up to :data:`MAX_SUFFIX` trailing
   consonants dropped, at a small cost each. Pairs are taken best first, each cluster once; a score at or above
   ``threshold`` is a link (``method="translit"``), one at or above ``floor`` a candidate for a person to check.
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Any, Iterable, Sequence

from .authority import Authority
from .document import Document, Link, Mention

ENTITY_TYPES = ("person", "place", "group")
THRESHOLD = 0.85
FLOOR = 0.6
MAX_SUFFIX = 4  # trailing key letters a Kazakh case/possessive suffix may add (-мен -> mn, -тің -> tng)
SUFFIX_COST = 0.02
MIN_KEY = 3  # keys shorter than this must match exactly: two-consonant names collide too easily
PROVISIONAL = "new:"


@dataclass
class Aligned:
    """One entity across documents: its ref (authority slug, provisional ref or ``translit:KEY``), how it was
    found, a score, and the mentions per document."""

    ref: str
    score: float
    method: str
    status: str  # linked | candidate
    mentions: list[tuple[Document, Mention]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        by_lang: dict[str, list[dict[str, Any]]] = {}
        for doc, m in self.mentions:
            by_lang.setdefault(doc.lang, []).append(
                {"doc": doc.id, "start": m.start, "end": m.end, "text": m.text, "type": m.type, "ref": m.ref})
        return {"ref": self.ref, "score": round(self.score, 4), "method": self.method, "status": self.status,
                "mentions": by_lang}

    def to_link(self) -> Link:
        return Link(self.ref, self.score, self.method, tuple((d.id, m.start, m.end) for d, m in self.mentions))


# --- name keys and scores ------------------------------------------------------------------------------------

def name_key(text: str, lang: str) -> str:
    """The cross-script key of a name as written (spaces kept between words)."""
    from .core.translit import skeleton_key

    try:
        return skeleton_key(text, lang)
    except ValueError:  # a language with no table: let each word's script decide
        return skeleton_key(text)


def key_score(a: str, b: str) -> float:
    """Similarity of two keys in [0, 1], forgiving up to :data:`MAX_SUFFIX` trailing letters on either side."""
    from .core.translit import key_similarity

    a, b = a.replace(" ", ""), b.replace(" ", "")
    if not a or not b:
        return 0.0
    if min(len(a), len(b)) < MIN_KEY:
        return 1.0 if a == b else 0.0
    best = key_similarity(a, b)
    for cut in range(1, MAX_SUFFIX + 1):
        for x, y in ((a[:-cut], b), (a, b[:-cut])):
            if len(x) >= MIN_KEY and len(y) >= MIN_KEY:
                best = max(best, key_similarity(x, y) - SUFFIX_COST * cut)
    return max(best, 0.0)


# --- alignment ------------------------------------------------------------------------------------------------

def _resolved(m: Mention, authority: Authority | None) -> bool:
    if not m.ref or m.ref.startswith(PROVISIONAL):
        return False
    return authority is None or m.ref in authority


@dataclass
class _Cluster:
    doc: Document
    label: str  # provisional ref or key
    type: str
    mentions: list[Mention]
    keys: set[str]


#: Within one document, names with no ref whose keys score this high are one cluster (моңғол, моңғолдар).
SAME_NAME = 0.9


def _clusters(doc: Document, mentions: Iterable[Mention]) -> list[_Cluster]:
    out: dict[tuple[str, str], _Cluster] = {}
    for m in mentions:
        key = name_key(m.text, doc.lang)
        label = m.ref or key
        if not label:
            continue
        if not m.ref and (m.type, label) not in out:
            label = next((c.label for (t, _), c in out.items() if t == m.type and not c.mentions[0].ref
                          and key_score(c.label, key) >= SAME_NAME), label)
        c = out.setdefault((m.type, label), _Cluster(doc, label, m.type, [], set()))
        c.mentions.append(m)
        if key:
            c.keys.add(key)
    return list(out.values())


#: A document's clusters as plain data: (label, type, indices of its mentions in ``doc.mentions``, keys).
PreparedClusters = list[tuple[str, str, list[int], list[str]]]


def document_clusters(doc: Document, authority: Authority | None = None) -> PreparedClusters:
    """The transliteration clusters :func:`align` makes of ``doc``'s mentions with no record, as plain data. They
    depend on the document alone (names are clustered within a document), so ``nuskha build`` has its workers
    make them, and only the comparison across documents is left to the parent."""
    index = {id(m): k for k, m in enumerate(doc.mentions)}
    open_ = [m for m in doc.mentions if m.type in ENTITY_TYPES and not _resolved(m, authority)]
    return [(c.label, c.type, [index[id(m)] for m in c.mentions], sorted(c.keys)) for c in _clusters(doc, open_)]


def _cluster_score(a: _Cluster, b: _Cluster) -> float:
    if a.type != b.type:
        return 0.0
    return max((key_score(x, y) for x in a.keys for y in b.keys), default=0.0)


def align(docs: Sequence[Document], authority: Authority | None = None, threshold: float = THRESHOLD,
          floor: float = FLOOR, prepared: dict[str, PreparedClusters] | None = None) -> list[Aligned]:
    """Links (and candidates) between entity mentions of documents in different languages.

    Returns authority links first (by ref), then transliteration links and candidates, best score first.
    ``prepared``: :func:`document_clusters` of documents (by id) made elsewhere, used instead of clustering
    them again.
    """
    entities = [(d, m) for d in docs for m in d.mentions if m.type in ENTITY_TYPES]
    by_ref: dict[str, list[tuple[Document, Mention]]] = {}
    open_: dict[str, list[Mention]] = {}
    for d, m in entities:
        if _resolved(m, authority):
            by_ref.setdefault(m.ref, []).append((d, m))
        else:
            open_.setdefault(d.id, []).append(m)
    out: list[Aligned] = []
    for ref in sorted(by_ref):
        members = by_ref[ref]
        if len({d.lang for d, _ in members}) >= 2:
            out.append(Aligned(ref, 1.0, "authority", "linked", members))

    clusters = []
    for d in docs:
        if prepared is not None and d.id in prepared:
            clusters += [_Cluster(d, label, typ, [d.mentions[k] for k in members], set(keys))
                         for label, typ, members, keys in prepared[d.id]]
        else:
            clusters += _clusters(d, open_.get(d.id, ()))
    # only clusters of different languages are compared: index them by language, so that a corpus in one
    # language (a book cut into parts) costs nothing here instead of a step for every pair of its clusters
    by_lang: dict[str, list[int]] = {}
    for j, c in enumerate(clusters):
        by_lang.setdefault(c.doc.lang, []).append(j)
    pairs = []
    for i, a in enumerate(clusters):
        for lang, members in by_lang.items():
            if lang == a.doc.lang:
                continue
            for j in members[bisect_right(members, i):]:
                b = clusters[j]
                score = _cluster_score(a, b)
                if score >= floor:
                    pairs.append((score, i, j, a, b))
    pairs.sort(key=lambda p: (-p[0], p[1], p[2]))
    used: set[int] = set()
    found: list[Aligned] = []
    for score, i, j, a, b in pairs:
        if i in used or j in used:
            continue
        linked = score >= threshold
        if linked:
            used.update((i, j))
        # the shortest key, the first in order among equals (not whichever a set yields first: that order
        # changes with the process's string hashing)
        ref = next((c.label for c in (a, b) if c.mentions[0].ref), None) or "translit:" + \
            min(sorted(a.keys | b.keys), key=len).replace(" ", "-")
        members = [(a.doc, m) for m in a.mentions] + [(b.doc, m) for m in b.mentions]
        found.append(Aligned(ref, score, "translit", "linked" if linked else "candidate", members))
    found.sort(key=lambda x: (x.status != "linked", -x.score, x.ref))
    return out + found


def links(aligned: Iterable[Aligned]) -> list[Link]:
    """The linked entries as :class:`~nuskha.document.Link` records (for TEI ``<linkGrp type="alignment">``)."""
    return [a.to_link() for a in aligned if a.status == "linked"]
