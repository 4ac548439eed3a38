"""The main job: a corpus folder in, TEI + JSON mentions + alignment out.

``build(corpus, out)`` runs :func:`nuskha.pipeline.load` (with the recognisers) over every ``*.txt`` of the folder,
in ``jobs`` worker processes, and writes into ``out``:

* ``{id}.tei.xml`` -- one TEI file per document (standOff, or ``inline=True``);
* ``{id}.mentions.json`` -- the JSON mention contract of ``nuskha annotate``;
* ``corpus.teiCorpus.xml`` -- a ``teiCorpus`` of all documents with ``<linkGrp type="alignment">`` (when the folder holds
  more than one language; ``tei_corpus=False`` / ``--no-corpus`` leaves it out for large folders);
* ``alignment.json`` -- the alignment report of :func:`nuskha.align.align`;
* ``html/`` -- the static reading edition (:mod:`nuskha.render.edition`); each document's page is written by the
  worker that processed it.

Every file is written atomically (temporary file + rename) and only inside ``out``: a path that would resolve
elsewhere (a symlink planted in the folder, an id with ``..``) raises :class:`~nuskha.errors.OutputError`.
"""
from __future__ import annotations

import gc
import os
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from .document import Document, Mention
from .errors import BuildError, DataError, InputError, NuskhaError, OutputError
from .io import iter_corpus, read_json, sweep_temp_files, write_atomic

#: The teiCorpus of all documents. Named so that no document's ``{id}.tei.xml`` can ever be this file (a text
#: called ``corpus.txt`` has its own ``corpus.tei.xml``).
CORPUS_FILE = "corpus.teiCorpus.xml"
#: What each document gets: ``{id}.tei.xml`` and ``{id}.mentions.json``.
DOCUMENT_SUFFIXES = (".tei.xml", ".mentions.json")
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
    #: What the worker prepared for the parent's shared outputs while it held the document (see
    #: :func:`process_one`); taken by :func:`build` as each result arrives.
    prepared: dict[str, Any] | None = field(default=None, repr=False, compare=False)


@dataclass
class BuildResult:
    out: Path
    documents: list[DocSummary] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    links: int = 0
    candidates: int = 0
    failures: list[str] = field(default_factory=list)  # one line per document that failed
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
    from .io import dumps_indented

    return (dumps_indented(obj) + "\n").encode("utf-8")


_AUTHORITY: dict[str | None, Any] = {}


def _authority(path: str | None):
    from .authority import load_authority

    if path not in _AUTHORITY:
        _AUTHORITY[path] = load_authority(path)
    return _AUTHORITY[path]


def process_one(path: str, out: str, inline: bool = False, gold: str | None = None,
                authority: str | None = None, curation: str | None = None) -> tuple[Document, DocSummary]:
    """Load, annotate, apply the curation file's decisions and write one document -- TEI, mentions and its page
    of the edition (runs in a worker process); returns the document without its text layers (id, lang, meta,
    mentions) and a summary. The summary also carries what depends on this document alone among the shared
    outputs -- its alignment clusters and its entries in the edition's indexes -- so that the parent, which runs
    alone after the workers, only gathers them."""
    from .curation import curate
    from .pipeline import load

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
    tei_bytes = write_atomic(tei_path, _tei_chunks(doc, _authority(authority), inline))
    write_atomic(safe_path(out_dir, f"{doc.id}.mentions.json"), _json_bytes(mentions_json(doc, str(p))))
    # The edition's page of this document is written here too, while its tokens are at hand: the parent would
    # have to read and tokenise every text again, one at a time, after the workers are done.
    from .render.edition import write_document_page

    write_document_page(doc, out_dir, _authority(authority))
    from .align import document_clusters
    from .render.index_pages import occurrence_items

    prepared = {"clusters": document_clusters(doc, _authority(authority)), "index": occurrence_items(doc)}
    counts: dict[str, int] = {}
    for m in doc.mentions:
        counts[m.type] = counts.get(m.type, 0) + 1
    # Only what alignment needs goes back to the parent process: a book's tokens would cost ~100 MB there.
    light = Document(doc.id, doc.lang, "", dict(doc.meta), mentions=doc.mentions)
    return light, DocSummary(doc.id, doc.lang, len(doc.tokens), counts, tei_path.name, tei_bytes,
                             time.perf_counter() - t0, prepared)


def _tei_chunks(doc: Document, auth, inline: bool):
    """The document's TEI as the writer's byte chunks, streamed to disk: never the whole file in memory (a book's
    TEI is tens of MB, and joining its chunks held it twice). The same checks as ``document_bytes``."""
    from .tei import write as tei_write

    check = getattr(tei_write, "_check_chars", None)
    if check is not None:
        check(doc)
    try:
        yield from tei_write.document_chunks(doc, auth, inline=inline)
    except ValueError as exc:  # lxml: a control character in a note, a value or the metadata
        raise OutputError(f"cannot be written as XML: {exc}", doc.id) from None


def try_process_one(*args: Any) -> tuple[Document, DocSummary] | tuple[None, str]:
    """:func:`process_one`, with a failure returned as ``(None, one-line message)`` so the others go on.

    Runs in local worker processes and on Dask workers alike; a failing document never loses the others.
    """
    from .errors import describe

    try:
        return process_one(*args)
    except Exception as exc:  # noqa: BLE001 - reported per document, the build goes on
        message = describe(exc)
        if not isinstance(exc, NuskhaError):
            message = f"{args[0]}: {message}"
        return None, message


def refuse_invalid_records(auth) -> None:
    """Refuse an authority file whose refs or types would make invalid TEI (refs become ``xml:id``s, types the
    list an entry goes in), before a single file is written: ``nuskha authority check`` lists every problem."""
    from .authority import check_records

    for problem in check_records(auth):  # the records one by one: no need to compare all their variants here
        if problem.level == "error" and (problem.message.startswith("ref ") or
                                         problem.message.startswith("unknown type")):
            raise DataError(f"{problem.ref!r}: {problem.message}; the TEI would be invalid "
                            f"(nuskha authority check lists every problem)", auth.path, f"line {problem.line}")


def output_names(ids: list[str]) -> list[str]:
    """Every file name a build of documents ``ids`` writes, refusing two that would be one file.

    Names are compared case-folded, as a case-insensitive disk (macOS, Windows) would see them.
    """
    names = [ALIGNMENT_FILE, CORPUS_FILE, *(f"{i}{suffix}" for i in ids for suffix in DOCUMENT_SUFFIXES)]
    seen: dict[str, str] = {}
    for name in names:
        key = name.casefold()
        if key in seen:
            raise OutputError(f"two outputs would be one file: {seen[key]!r} and {name!r} "
                              f"(rename one of the texts)", name)
        seen[key] = name
    return names


def _warm_up(langs: set[str], authority: str | None, annotate: bool) -> None:
    """Load the tables a build needs before worker processes are forked, so they share them (copy on write)
    instead of each loading its own: the language tables, the authority file, the recognisers."""
    from .document import Document as Doc
    from .pipeline import tokenize

    _authority(authority)
    for lang in sorted(langs):
        doc = tokenize(Doc("warm-up", lang, _WARM_UP.get(lang, "x")))
        if annotate:
            from .annotate import annotate as run_recognisers

            run_recognisers(doc)


_WARM_UP = {"ar": "وفي سنة ست عشرة وستمائة سار جنكز خان في نحو ستين الف فارس إلى بخارى.",
            "kk": "1219 жылы Шыңғыс хан Отырар қаласына 200 мың әскермен келді.",
            "kk-Latn": "1219 jyly Şyñğys han Otyrar qalasyna keldi.",
            "ru": "В 1219 году Чингисхан подошёл к Отрару."}


def _geonames_task(authority: str | None) -> dict[str, Any]:
    """The edition map's GeoNames cities (:func:`nuskha.render.map.authority_geonames`), as a worker's task."""
    from .render.map import authority_geonames

    return authority_geonames(_authority(authority))


def _run_local(args: list[tuple], jobs: int, on_result: Callable[[Any], None],
               langs: set[str], annotate: bool, shared: dict[str, Any] | None = None) -> None:
    """The documents in ``jobs`` worker processes (or here, one after the other). With workers, what the
    edition's map needs from the GeoNames cities is looked up by a worker too, as the last task (it depends on
    the authority alone), and put in ``shared["geonames"]``."""
    if jobs > 1 and len(args) > 1:
        import multiprocessing

        context = None
        frozen = False
        if "fork" in multiprocessing.get_all_start_methods():
            context = multiprocessing.get_context("fork")
            _warm_up(langs, args[0][4], annotate)
            # The tables just loaded are shared with the workers page by page (copy on write) -- until a cyclic
            # collection, in a worker or here, walks them and writes to every page. Frozen, no collection visits
            # them (they hold no garbage: they live as long as the process); thawed when the workers are done.
            gc.freeze()
            frozen = True
        try:
            _run_pool(args, jobs, on_result, context, shared)
        finally:
            if frozen:
                gc.unfreeze()
    else:
        for a in args:
            on_result(try_process_one(*a))


def _run_pool(args: list[tuple], jobs: int, on_result: Callable[[Any], None], context: Any,
              shared: dict[str, Any] | None) -> None:
    """The documents on a pool of ``jobs`` processes, largest first, then the GeoNames lookup (see :func:`_run_local`)."""
    with ProcessPoolExecutor(max_workers=min(jobs, len(args)), mp_context=context) as pool:
        # Largest texts first: a large one started last would leave the other workers idle at the end.
        futures = [pool.submit(try_process_one, *a) for a in sorted(args, key=_size, reverse=True)]
        geonames = pool.submit(_geonames_task, args[0][4]) if shared is not None else None
        for fut in as_completed(futures):
            on_result(fut.result())
        if geonames is not None:
            try:
                shared["geonames"] = geonames.result()
            except Exception:  # noqa: BLE001 - the parent looks them up itself (write_edition)
                pass


def _size(args: tuple) -> int:
    try:
        return os.stat(args[0]).st_size
    except OSError:
        return 0  # reported by the worker that reads it


def _run_dask(args: list[tuple], address: str | None, jobs: int, on_result: Callable[[Any], None]) -> None:
    """The same per-document function on Dask: a ``dask.bag`` over the files, on the scheduler at ``address``
    or on a ``distributed.LocalCluster`` of ``jobs`` single-threaded worker processes.

    Workers read the texts and write their outputs themselves (atomically), so on a real cluster the corpus and
    the output folder must be on a disk every worker sees under the same path.
    """
    try:
        import dask.bag as db
        from distributed import Client, LocalCluster
    except ImportError:
        raise InputError("--dask needs the optional extra: pip install 'nuskha[dask]'") from None
    import contextlib

    with contextlib.ExitStack() as stack:
        if address in (None, "", "local"):
            cluster = stack.enter_context(LocalCluster(n_workers=max(1, jobs), threads_per_worker=1,
                                                       processes=True, dashboard_address=None))
            client = stack.enter_context(Client(cluster))
        else:
            try:
                client = stack.enter_context(Client(address, timeout="30s"))
            except (OSError, TimeoutError) as exc:
                raise InputError(f"cannot reach the Dask scheduler: {exc}", address) from None
        bag = db.from_sequence(args, npartitions=len(args)).starmap(try_process_one)
        for item in bag.compute(scheduler=client):
            on_result(item)


def build(corpus: str | os.PathLike, out: str | os.PathLike, jobs: int = 1, inline: bool = False,
          gold: str | os.PathLike | None = None, authority: str | os.PathLike | None = None,
          progress: Callable[[str], None] | None = None, tei_corpus: bool = True,
          dask: str | None = None, strict: bool = True,
          curation: str | os.PathLike | None = None) -> BuildResult:
    """Run the whole pipeline over ``corpus`` into ``out`` (see the module docstring).

    ``tei_corpus=False`` skips the teiCorpus file (for large folders: that file holds every document at once);
    when written, its documents are read back from their own TEI files, which give them exactly.
    ``dask`` runs the documents on Dask (a scheduler address, or ``"local"`` for a LocalCluster) instead of local
    processes; the files written are the same. A document that fails is reported and the others are written all
    the same: with ``strict`` a :class:`~nuskha.errors.BuildError` listing the failures is raised at the end,
    otherwise they are in ``result.failures``. ``curation`` is a curation file applied to every document
    (nuskha.curation).
    """
    from .align import align, links
    from .tei.read import read_document
    from .tei.write import corpus_bytes

    t0 = time.perf_counter()
    entries = list(iter_corpus(corpus))
    out_dir = Path(out)
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputError("output path exists and is not a folder", str(out_dir))
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create the output folder: {exc.strerror}", str(out_dir)) from None
    for name in output_names([e.id for e in entries]):
        safe_path(out_dir, name)  # refuse before anything is written
    sweep_temp_files(out_dir)
    auth_path = str(authority) if authority else None
    gold_dir = str(gold) if gold else None
    auth = _authority(auth_path)
    refuse_invalid_records(auth)
    result = BuildResult(out_dir)
    docs: dict[str, Document] = {}
    prepared: dict[str, dict[str, Any]] = {}  # document id -> what its worker prepared
    shared: dict[str, Any] = {}
    if curation is not None:
        from .curation import read_decisions

        read_decisions(curation)  # a malformed line stops the build before anything is written
    args = [(str(e.path), str(out_dir), inline, gold_dir, auth_path, str(curation) if curation else None)
            for e in entries]

    def on_result(item) -> None:
        doc, summary = item
        if doc is None:
            result.failures.append(summary)
            if progress:
                progress("failed")
            return
        docs[doc.id] = doc
        if summary.prepared is not None:
            prepared[doc.id] = summary.prepared
            summary.prepared = None
        result.documents.append(summary)
        if progress:
            progress(doc.id)

    if dask is not None:
        _run_dask(args, dask, jobs, on_result)
    else:
        _run_local(args, jobs, on_result, {e.lang or "ar" for e in entries}, gold_dir is None, shared)
    ordered = [docs[e.id] for e in entries if e.id in docs]
    result.documents.sort(key=lambda s: s.id)
    result.failures.sort()
    for s in result.documents:
        result.files += [out_dir / s.tei, out_dir / f"{s.id}.mentions.json"]
    aligned = align(ordered, auth, prepared={k: p["clusters"] for k, p in prepared.items()})
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
    # The HTML reading edition (nuskha.render.edition) in OUT/html/, after the TEI and JSON outputs.
    from .render.edition import write_edition

    from .render.edition import HTML_DIR, doc_page_name

    result.files += [out_dir / HTML_DIR / doc_page_name(d.id) for d in ordered]
    result.files += write_edition(ordered, out_dir, auth, aligned, document_pages=False,
                                  occurrences={k: p["index"] for k, p in prepared.items()},
                                  geonames=shared.get("geonames"))
    result.seconds = time.perf_counter() - t0
    if strict and result.failures:
        raise BuildError(f"{len(result.failures)} of {len(entries)} document(s) failed; the other "
                         f"{len(result.documents)} were written", str(out_dir),
                         failures=[(m.split(":")[0], m) for m in result.failures])
    return result
