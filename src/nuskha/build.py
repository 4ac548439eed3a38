"""The main job: a corpus folder in, TEI + JSON mentions + alignment out.

``build(corpus, out)`` runs :func:`nuskha.pipeline.load` (with the recognisers) over every ``*.txt`` of the folder,
in ``jobs`` worker processes, and writes into ``out``:

* ``{id}.tei.xml`` -- one TEI file per document (standOff, or ``inline=True``);
* ``{id}.mentions.json`` -- the JSON mention contract of ``nuskha annotate``;
* ``corpus.tei.xml`` -- a ``teiCorpus`` of all documents with ``<linkGrp type="alignment">`` (when the folder holds
  more than one language; ``tei_corpus=False`` / ``--no-corpus`` leaves it out for large folders);
* ``alignment.json`` -- the alignment report of :func:`nuskha.align.align`.

Every file is written atomically (temporary file + rename) and only inside ``out``: a path that would resolve
elsewhere (a symlink planted in the folder, an id with ``..``) raises :class:`~nuskha.errors.OutputError`.
"""
from __future__ import annotations

import os
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from .document import Document, Mention
from .errors import DataError, OutputError
from .io import iter_corpus, read_json, write_atomic

CORPUS_FILE = "corpus.tei.xml"
ALIGNMENT_FILE = "alignment.json"


@dataclass
class DocSummary:
    id: str
    lang: str
    tokens: int
    mentions: dict[str, int]
    tei: str
    tei_bytes: int
    seconds: float


@dataclass
class BuildResult:
    out: Path
    documents: list[DocSummary] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    links: int = 0
    candidates: int = 0
    seconds: float = 0.0


def safe_path(out: Path, name: str) -> Path:
    """``out/name``, refusing anything that resolves outside ``out``."""
    root = out.resolve()
    target = (out / name).resolve()
    if target.parent != root and root not in target.parents:
        raise OutputError(f"refusing to write outside the output folder ({target})", str(out / name))
    return target


def gold_mentions(path: str | os.PathLike, text: str | None = None) -> list[Mention]:
    """Mentions of a gold file (``annotations/gold/*.gold.json``), ``source="gold"``; checked against ``text``."""
    data = read_json(path)
    if not isinstance(data, dict) or not isinstance(data.get("mentions"), list):
        raise DataError("gold file must be an object with a 'mentions' list", str(path))
    out = []
    for n, m in enumerate(data["mentions"]):
        try:
            mention = Mention(int(m["start"]), int(m["end"]), m["text"], m["type"], m.get("ref"), m.get("value"),
                              "gold", 1.0, m.get("note"))
        except (KeyError, TypeError, ValueError) as exc:
            raise DataError(f"mention {n}: {exc}", str(path)) from None
        if text is not None and text[mention.start:mention.end] != mention.text:
            raise DataError(f"mention {n} {mention.text!r} does not match the text at "
                            f"{mention.start}-{mention.end}", str(path))
        out.append(mention)
    return out


def mentions_json(doc: Document, file: str) -> dict[str, Any]:
    from .pipeline import sha256

    return {"file": file, "lang": doc.lang, "sha256": sha256(doc.text), "mentions": [m.to_json() for m in
                                                                                      doc.mentions]}


def _json_bytes(obj: Any) -> bytes:
    import json

    return (json.dumps(obj, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


_AUTHORITY: dict[str | None, Any] = {}


def _authority(path: str | None):
    from .authority import load_authority

    if path not in _AUTHORITY:
        _AUTHORITY[path] = load_authority(path)
    return _AUTHORITY[path]


def process_one(path: str, out: str, inline: bool = False, gold: str | None = None,
                authority: str | None = None, curation: str | None = None) -> tuple[Document, DocSummary]:
    """Load, annotate, apply the curation file's decisions and write one document (runs in a worker process);
    returns the document without its text layers (id, lang, meta, mentions) and a summary."""
    from .curation import curate
    from .pipeline import load
    from .tei.write import document_bytes

    t0 = time.perf_counter()
    p = Path(path)
    if gold:
        doc = load(p, annotate=False)
        gold_file = Path(gold) / f"{p.stem}.gold.json"
        if gold_file.exists():
            doc.mentions = gold_mentions(gold_file, doc.text)
    else:
        doc = load(p, annotate=True)
    curate(doc, curation)
    out_dir = Path(out)
    tei_path = safe_path(out_dir, f"{doc.id}.tei.xml")
    data = document_bytes(doc, _authority(authority), inline=inline)
    write_atomic(tei_path, data)
    write_atomic(safe_path(out_dir, f"{doc.id}.mentions.json"), _json_bytes(mentions_json(doc, str(p))))
    counts: dict[str, int] = {}
    for m in doc.mentions:
        counts[m.type] = counts.get(m.type, 0) + 1
    # Only what alignment needs goes back to the parent process: a book's tokens would cost ~100 MB there.
    light = Document(doc.id, doc.lang, "", dict(doc.meta), mentions=doc.mentions)
    return light, DocSummary(doc.id, doc.lang, len(doc.tokens), counts, tei_path.name, len(data),
                             time.perf_counter() - t0)


def build(corpus: str | os.PathLike, out: str | os.PathLike, jobs: int = 1, inline: bool = False,
          gold: str | os.PathLike | None = None, authority: str | os.PathLike | None = None,
          progress: Callable[[str], None] | None = None, tei_corpus: bool = True,
          curation: str | os.PathLike | None = None) -> BuildResult:
    """Run the whole pipeline over ``corpus`` into ``out`` (see the module docstring).

    ``tei_corpus=False`` skips ``corpus.tei.xml`` (for large folders: that file holds every document at once);
    when written, its documents are read back from their own TEI files, which give them exactly. ``curation`` is
    a curation file applied to every document (nuskha.curation).
    """
    from .align import align, links
    from .tei.read import read_document
    from .tei.write import corpus_bytes

    t0 = time.perf_counter()
    entries = list(iter_corpus(corpus))
    out_dir = Path(out)
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputError("output path exists and is not a folder", str(out_dir))
    out_dir.mkdir(parents=True, exist_ok=True)
    for name in (ALIGNMENT_FILE, CORPUS_FILE, *(f"{e.id}{suffix}" for e in entries
                                                for suffix in (".tei.xml", ".mentions.json"))):
        safe_path(out_dir, name)  # refuse before anything is written
    auth_path = str(authority) if authority else None
    gold_dir = str(gold) if gold else None
    auth = _authority(auth_path)
    result = BuildResult(out_dir)
    docs: dict[str, Document] = {}
    if curation is not None:
        from .curation import read_decisions

        read_decisions(curation)  # a malformed line stops the build before anything is written
    args = [(str(e.path), str(out_dir), inline, gold_dir, auth_path, str(curation) if curation else None)
            for e in entries]
    if jobs > 1 and len(args) > 1:
        with ProcessPoolExecutor(max_workers=min(jobs, len(args))) as pool:
            futures = {pool.submit(process_one, *a): a[0] for a in args}
            for fut in as_completed(futures):
                doc, summary = fut.result()
                docs[doc.id] = doc
                result.documents.append(summary)
                if progress:
                    progress(doc.id)
    else:
        for a in args:
            doc, summary = process_one(*a)
            docs[doc.id] = doc
            result.documents.append(summary)
            if progress:
                progress(doc.id)
    ordered = [docs[e.id] for e in entries if e.id in docs]
    result.documents.sort(key=lambda s: s.id)
    for s in result.documents:
        result.files += [out_dir / s.tei, out_dir / f"{s.id}.mentions.json"]
    aligned = align(ordered, auth)
    report = {"documents": [{"id": d.id, "lang": d.lang} for d in ordered],
              "alignment": [a.to_json() for a in aligned]}
    write_atomic(safe_path(out_dir, ALIGNMENT_FILE), _json_bytes(report))
    result.files.append(out_dir / ALIGNMENT_FILE)
    result.links = sum(a.status == "linked" for a in aligned)
    result.candidates = sum(a.status == "candidate" for a in aligned)
    if tei_corpus and len({d.lang for d in ordered}) > 1:
        full = [read_document(safe_path(out_dir, f"{d.id}.tei.xml")) for d in ordered]
        write_atomic(safe_path(out_dir, CORPUS_FILE), corpus_bytes(full, auth, links(aligned), inline=inline))
        result.files.append(out_dir / CORPUS_FILE)
    result.seconds = time.perf_counter() - t0
    return result
