"""Exports other tools import: W3C Web Annotation (JSON-LD), CoNLL-U, IOB2 (KazNERD tags) and CSV.

Each format is one module with a ``write(docs, authority) -> str`` function over annotated documents; the registry
:data:`FORMATS` maps the ``--format`` names to them. URIs come from :mod:`nuskha.uris`, so an entity has the same
URI in every export and in the TEI.

>>> from nuskha import process
>>> from nuskha.export import export_text
>>> doc = process("وصل جنكيز خان إلى بخارى", lang="ar", annotate=True)
>>> print(export_text([doc], "iob"))   # doctest: +NORMALIZE_WHITESPACE
وصل O
جنكيز B-PERSON
خان I-PERSON
إلى O
بخارى B-GPE
<BLANKLINE>
"""
from __future__ import annotations

import os
from importlib import import_module
from pathlib import Path
from typing import Any, Sequence

#: ``--format`` name -> (module under nuskha.export, file suffix, description).
FORMATS: dict[str, tuple[str, str, str]] = {
    "webanno": ("webanno", ".jsonld", "W3C Web Annotation JSON-LD: text position and quote selectors, entity URIs, "
                                      "date and quantity values"),
    "conllu": ("conllu", ".conllu", "CoNLL-U: tokens, clitics as multiword tokens (UD Arabic), lemmas, mentions in "
                                    "MISC"),
    "iob": ("iob", ".iob", "IOB2 with KazNERD tags (PERSON, GPE, NORP, DATE, QUANTITY), one token per line"),
    "csv": ("csv", ".csv", "one row per mention, with URI columns"),
}


def export_text(docs: Sequence[Any], fmt: str, authority: Any | None = None) -> str:
    """The annotated ``docs`` in format ``fmt`` (a key of :data:`FORMATS`) as one string."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r} (known: {', '.join(FORMATS)})")
    module = import_module(f"{__name__}.{FORMATS[fmt][0]}")
    return module.write(docs, authority)


def load_documents(path: str | os.PathLike, lang: str | None = None, gold: str | os.PathLike | None = None) -> list:
    """Annotated documents from a text file, a corpus folder of ``*.txt`` or a nuskha TEI file.

    With ``gold`` (a folder of ``NAME.gold.json``) a text's mentions are the gold ones instead of the recognisers'.
    """
    from ..build import gold_mentions
    from ..io import iter_corpus
    from ..pipeline import load

    p = Path(path)
    if p.is_file() and p.suffix == ".xml":
        from ..tei.read import read_document

        return [read_document(p, lang)]
    paths = [e.path for e in iter_corpus(p)] if p.is_dir() else [p]
    docs = []
    for tp in paths:
        gold_file = Path(gold) / f"{tp.stem}.gold.json" if gold else None
        if gold_file is not None and gold_file.exists():
            doc = load(tp, lang)
            doc.mentions = gold_mentions(gold_file, doc.text)
        else:
            doc = load(tp, lang, annotate=True)
        docs.append(doc)
    return docs


def export(path: str | os.PathLike, fmt: str, out: str | os.PathLike | None = None, lang: str | None = None,
           authority: str | os.PathLike | None = None, gold: str | os.PathLike | None = None) -> str:
    """``nuskha export``: read ``path`` (see :func:`load_documents`), export it as ``fmt``; write ``out``
    atomically when given, and return the text."""
    from ..annotate.entities import use_authority
    from ..authority import load_authority
    from ..io import write_atomic

    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r} (known: {', '.join(FORMATS)})")
    auth = load_authority(authority)
    if authority is not None:  # the recognisers read the same records as the export
        use_authority(auth)
    try:
        docs = load_documents(path, lang, gold)
    finally:
        if authority is not None:
            use_authority(None)
    text = export_text(docs, fmt, auth)
    if out is not None:
        write_atomic(out, text)
    return text


def doc_uri(doc: Any) -> str:
    """The URI a document's annotations point at: its file as a ``file:`` URI when known, else a project URI."""
    from ..uris import BASE

    f = doc.meta.get("file") if getattr(doc, "meta", None) else None
    if f:
        return Path(f).resolve().as_uri()
    return f"{BASE}text/{doc.id}"


def sentence_tokens(doc: Any) -> list[list[Any]]:
    """The document's tokens grouped by sentence (one group for a document without sentence spans)."""
    if not doc.sentences:
        return [list(doc.tokens)] if doc.tokens else []
    groups: list[list[Any]] = []
    i, toks = 0, doc.tokens
    for s in doc.sentences:
        group = []
        while i < len(toks) and toks[i].start < s.end:
            if toks[i].end > s.start:
                group.append(toks[i])
            i += 1
        if group:
            groups.append(group)
    if i < len(toks):
        groups.append(list(toks[i:]))
    return groups


def token_tags(tokens: Sequence[Any], mentions: Sequence[Any], label) -> list[str]:
    """IOB2 tags for ``tokens``: a token overlapping a mention is inside it (an Arabic proclitic before a name,
    ``وبخارى``, puts the whole token in); ``label(m)`` names the class. Overlapping mentions: the earliest,
    longest wins."""
    import bisect

    chosen: list[Any] = []
    last = -1
    for m in sorted(mentions, key=lambda m: (m.start, -m.end)):
        if m.start >= last:
            chosen.append(m)
            last = m.end
    starts = [m.start for m in chosen]
    tags: list[str] = []
    prev: Any = None
    for t in tokens:
        j = bisect.bisect_right(starts, t.end - 1) - 1
        m = chosen[j] if j >= 0 and chosen[j].end > t.start else None
        if m is None:
            tags.append("O")
        else:
            tags.append(("I-" if m is prev else "B-") + label(m))
        prev = m
    return tags
