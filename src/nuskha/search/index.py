"""The search index: one SQLite file holding documents, their tokens' match forms and their mentions.

Why our own terms and not SQLite's tokenizer on the raw text: FTS5's ``unicode61`` tokenizer splits vocalised
Arabic at the harakat (``جِنْكِيزُ`` -> ``ج ن ك يز``) and knows nothing of hamza, alef or ى/ي variants. So every
indexed token (words and numbers) gets three *terms*:

- ``keys``   -- the token's match key (normalised, case-folded, hyphens and marks removed: ``темірмәлікпен``),
- ``lemmas`` -- the key of its lemma (Kazakh stem, Russian normal form, Arabic lemma),
- ``skels``  -- its cross-script consonant skeleton (``tmrmlkpn``; ``0`` when it has none).

``postings`` keeps the positions of each term in each document as one packed int32 blob (a token's position is
its place among the document's indexed tokens): every look-up reads it, exact, prefix or phrase. The FTS5 table
``terms`` holds one row a document whose columns are the document's distinct terms: the vocabulary (fuzzy
look-ups and words containing a query word read ``fts5vocab``), and a document-level full-text index any SQLite
client can query (``terms MATCH 'keys: темірмәлік*'``). It holds each term once a document, not once a token:
FTS5 would otherwise tokenise and store every token a second time, for positions ``postings`` already has.

Terms contain only letters and digits, so ``unicode61`` (with ``remove_diacritics 0``: ә ғ қ ң ө ұ ү һ і must not
fold into а г к н о у у х и) keeps each one whole. The ``tokens`` table maps a position back to character offsets
in the stored original text and to its ``lexemes`` row (surface form, normal form, lemma: one row per type) --
one row a document with three packed int32 arrays, since a million one-token rows took longer to insert than
everything else a build writes (:func:`token_rows` unpacks them); the ``mentions`` table holds the recognisers'
spans with their refs.

A build never leaves a half-written index and never loses a document:

- it works on a temporary copy in the target's folder, in one transaction, and renames it over the target at the
  end (keeping the target's file mode); temporary copies left by a killed build are swept by the next writer;
- one writer at a time: a lock file beside the index (``.NAME.lock``, ``flock``) makes a second ``nuskha index``
  wait until the first has renamed its copy, then start from the first one's result, so neither loses the
  other's documents;
- a document's identity is the folder it was indexed from plus its path relative to that folder (``folder``,
  ``relpath``), never its bare file name, so two folders that both hold ``x.txt`` keep both; the content hash
  (sha256) decides whether it changed; the displayed ``name`` is the file stem, made unique with a short hash
  when two documents share it;
- an existing index is checked (``PRAGMA quick_check``) before a writer builds on it: a corrupt one is reported
  in one line, with ``--rebuild`` (start from an empty index) as the way out. Readers check the file header
  (a truncated or overwritten file) and report SQLite errors met later the same way.
"""
from __future__ import annotations

import errno
import fcntl
import os
import shutil
import sqlite3
import struct
import sys
import tempfile
import time
from array import array
from contextlib import contextmanager
from itertools import repeat
from operator import attrgetter, itemgetter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator

import numpy as np

from ..core.translit import skeleton_key
from ..document import Document
from ..errors import InputError, OutputError
from ..io import CorpusEntry, _umask, iter_corpus, read_text
from ..pipeline import process, sha256

SCHEMA_VERSION = "7"
#: An FTS5 term for "no skeleton" (a word of vowels only, a number): keeps one term per position.
EMPTY_TERM = "0"

_SCHEMA = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE documents(
    id INTEGER PRIMARY KEY, name TEXT UNIQUE NOT NULL, path TEXT, folder TEXT NOT NULL, relpath TEXT NOT NULL,
    lang TEXT NOT NULL, sha256 TEXT NOT NULL, title TEXT, text TEXT NOT NULL, n_tokens INTEGER NOT NULL,
    UNIQUE(folder, relpath));  -- the identity of a document: where it was indexed from, never its bare name
CREATE TABLE lexemes(
    id INTEGER PRIMARY KEY, lang TEXT NOT NULL, text TEXT NOT NULL, norm TEXT NOT NULL, lemma TEXT NOT NULL,
    UNIQUE(lang, text));
-- one row a document: start, end and lexemes id of each token by position, packed int32 (see token_rows)
CREATE TABLE tokens(doc INTEGER PRIMARY KEY, starts BLOB NOT NULL, ends BLOB NOT NULL, lexes BLOB NOT NULL);
CREATE TABLE mentions(
    doc INTEGER NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL, text TEXT NOT NULL, type TEXT NOT NULL,
    ref TEXT, source TEXT, cert REAL);
CREATE INDEX mentions_ref ON mentions(ref, doc, start, "end", type);  -- covering: a concordance reads no rows
CREATE INDEX mentions_doc ON mentions(doc, start, "end", ref, type);
CREATE TABLE postings(
    col INTEGER NOT NULL, term TEXT NOT NULL, doc INTEGER NOT NULL, positions BLOB NOT NULL,
    PRIMARY KEY(col, term, doc)) WITHOUT ROWID;
CREATE VIRTUAL TABLE terms USING fts5(keys, lemmas, skels, tokenize="unicode61 remove_diacritics 0");
CREATE VIRTUAL TABLE terms_instance USING fts5vocab(terms, instance);
CREATE VIRTUAL TABLE terms_col USING fts5vocab(terms, col);
"""


def term(text: str, casefold: bool = True) -> str:
    """The FTS5 term of a form: letters and digits only (marks, hyphens, apostrophes dropped), case-folded.

    ``Темір-Мәлік`` -> ``темірмәлік``; an Arabic form keeps its letters (it is already normalised).
    """
    folded = text.casefold() if casefold else text
    return "".join(ch for ch in folded if ch.isalnum())


@dataclass
class IndexStats:
    documents: int = 0  # documents (re)indexed
    unchanged: int = 0  # documents already indexed with the same sha256
    tokens: int = 0  # tokens written
    mentions: int = 0
    seconds: float = 0.0
    #: CPU seconds running the pipeline (reading, tokenising, normalising, the recognisers, curation) ...
    pipeline_cpu: float = 0.0
    #: ... and turning its documents into index rows and writing them (preparing, inserting, committing)
    index_cpu: float = 0.0

    @property
    def tokens_per_second(self) -> float:
        return self.tokens / self.seconds if self.seconds else 0.0


#: What a corrupt index tells the user to do.
REBUILD_HINT = "rebuild it with `nuskha index DIR -o INDEX --rebuild`"
_SQLITE_MAGIC = b"SQLite format 3\x00"


def corrupt_index(path: str | os.PathLike, detail: str) -> InputError:
    """The one-line error for an index whose pages are damaged (SQLite's report cut to its first line)."""
    first = " ".join(detail.split("\n")[0].replace("*** in database main ***", "").split())[:120]
    return InputError(f"corrupt search index ({first}): {REBUILD_HINT}", str(path))


def _check_header(p: Path) -> None:
    """Cheap checks a reader can afford on every open: the SQLite header, and the file size it records (a
    truncated or overwritten file fails here; damage inside pages is found by :func:`check_integrity`)."""
    try:
        with open(p, "rb") as fh:
            header = fh.read(100)
        size = p.stat().st_size
    except OSError as exc:
        raise InputError(f"cannot read the index: {exc.strerror}", str(p)) from None
    if not header.startswith(_SQLITE_MAGIC):
        raise InputError("not a nuskha search index", str(p))
    if len(header) < 100:
        raise corrupt_index(p, "truncated header")
    (page_size,) = struct.unpack(">H", header[16:18])
    page_size = 65536 if page_size == 1 else page_size
    change, pages, valid_for = struct.unpack(">I", header[24:28]), struct.unpack(">I", header[28:32]), \
        struct.unpack(">I", header[92:96])
    if pages[0] and change == valid_for and size != pages[0] * page_size:
        raise corrupt_index(p, f"{size} bytes where the header says {pages[0] * page_size}")


def check_integrity(path: str | os.PathLike) -> None:
    """``PRAGMA quick_check`` of an index (reads every page): raises the one-line corrupt-index error."""
    p = Path(path)
    _check_header(p)
    con = sqlite3.connect(f"file:{p}?mode=ro", uri=True)
    try:
        rows = con.execute("PRAGMA quick_check(3)").fetchall()
    except sqlite3.DatabaseError as exc:
        raise corrupt_index(p, str(exc)) from None
    finally:
        con.close()
    if [r[0] for r in rows] != ["ok"]:
        raise corrupt_index(p, "; ".join(str(r[0]) for r in rows))


def connect(path: str | os.PathLike) -> sqlite3.Connection:
    """Open an existing index read-only (raises :class:`InputError` when it is missing, not an index or
    visibly damaged)."""
    p = Path(path)
    if not p.is_file():
        raise InputError("no search index here (build one with `nuskha index DIR -o INDEX`)", str(p))
    _check_header(p)
    con = sqlite3.connect(f"file:{p}?mode=ro", uri=True)
    try:
        version = con.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
    except sqlite3.DatabaseError as exc:
        con.close()
        if "malformed" in str(exc) or "corrupt" in str(exc):
            raise corrupt_index(p, str(exc)) from None
        raise InputError("not a nuskha search index", str(p)) from None
    if not version or version[0] != SCHEMA_VERSION:
        con.close()
        raise InputError(f"index schema {version[0] if version else '?'} is not {SCHEMA_VERSION}: {REBUILD_HINT}",
                         str(p))
    return con


@dataclass
class PreparedDocument:
    """A processed document reduced to the rows the index holds: computed where the pipeline ran (a worker
    process with ``jobs`` > 1), so the parent only inserts them and only this, not a :class:`Document`, is pickled.

    ``types`` are the document's distinct surface forms (text, norm, lemma); each token row refers to one by its
    place in that list, and the writer maps it to the index-wide ``lexemes`` id.
    """

    name: str
    path: str | None
    lang: str
    sha256: str
    title: str | None
    text: str
    types: list[tuple[str, str, str]]
    starts: bytes  # packed int32 start offset of each indexed token, by position
    ends: bytes
    type_of: np.ndarray  # the index in types of each indexed token (int32)
    columns: tuple[str, str, str]  # the FTS5 row: the document's distinct keys, lemmas and skeletons
    postings: list[tuple[int, str, bytes]]  # (column, term, packed positions)
    mentions: list[tuple]  # (start, end, text, type, ref, source, cert)
    relpath: str | None = None  # path relative to the indexed folder (None: the document id)
    pipeline_cpu: float = 0.0  # CPU seconds the pipeline took for this document (see IndexStats)
    prepare_cpu: float = 0.0  # CPU seconds prepare_document took


#: language -> surface form -> its (key, lemma, skeleton) terms
_TermCache = dict[str, dict[str, tuple[str, str, str]]]


def _form_terms(lang: str, forms: list, cache: _TermCache) -> list[tuple[str, str, str]]:
    """(key, lemma, skeleton) terms of each lexeme, computed once per (language, surface form): a book repeats its
    types, a corpus its books. The look-ups run as one ``map`` over the forms (a Python call per form cost as much
    as the array work of the whole document)."""
    known = cache.setdefault(lang, {})
    found = list(map(known.get, map(attrgetter("text"), forms)))
    for i, hit in enumerate(found):
        if hit is None:
            lex = forms[i]
            hit = known.get(lex.text)
            if hit is None:
                hit = known[lex.text] = lexeme_terms(lang, lex.text, lex.norm, lex.lemma)
            found[i] = hit
    return found


def lexeme_terms(lang: str, text: str, norm: str, lemma: str) -> tuple[str, str, str]:
    """The (key, lemma, skeleton) terms the index gives a lexeme (the searcher recomputes them from ``lexemes``)."""
    k = term(norm)
    return k, term(lemma) or k, term(skeleton_key(norm, lang)) or EMPTY_TERM


_PROCESS_TERMS: _TermCache = {}  # per process: the terms of every form seen, across documents and chunks


def prepare_document(doc: Document, cache: _TermCache | None = None, sha: str | None = None) -> PreparedDocument:
    """The index rows of a processed document (everything but database ids); ``sha`` is its content hash when the
    caller has it already (:func:`sha256` of the text otherwise).

    The work is per distinct surface form (a lexeme object, shared by its tokens) plus array operations over the
    tokens: a book of 300k tokens has 30k forms, and a Python step per token would cost as much as the rest of the
    indexing together."""
    cache = _PROCESS_TERMS if cache is None else cache
    lang = doc.lang
    tokens = doc.tokens
    n = len(tokens)
    # the distinct lexeme objects in order of first occurrence, and each token's place among them: by the
    # objects' ids as an array (one sort), not a dict look-up per token
    ids = np.fromiter(map(id, map(attrgetter("lex"), tokens)), dtype=np.uint64, count=n)
    _, first, inverse = np.unique(ids, return_index=True, return_inverse=True)
    by_occurrence = np.argsort(first)
    place = np.empty(len(first), dtype=np.int64)
    place[by_occurrence] = np.arange(len(first))
    form_of = place[inverse]
    forms = list(map(attrgetter("lex"), map(tokens.__getitem__, first[by_occurrence].tolist())))
    form_terms = _form_terms(lang, forms, cache)
    # punctuation and symbols are context, not terms: only forms with a key term are indexed
    indexed = np.fromiter(map(bool, map(itemgetter(0), form_terms)), dtype=bool, count=len(forms))
    keep = indexed[form_of]
    starts = np.fromiter(map(attrgetter("start"), tokens), dtype=np.int64, count=n)[keep]
    ends = np.fromiter(map(attrgetter("end"), tokens), dtype=np.int64, count=n)[keep]
    form_of = form_of[keep]
    # the types are the indexed forms, numbered in order of first occurrence
    type_number = np.cumsum(indexed) - 1
    type_of = type_number[form_of]
    type_list = np.flatnonzero(indexed).tolist()
    typed = forms if len(type_list) == len(forms) else list(map(forms.__getitem__, type_list))
    types = list(map(attrgetter("text", "norm", "lemma"), typed))
    type_terms = form_terms if len(type_list) == len(forms) else list(map(form_terms.__getitem__, type_list))
    postings: list[tuple[int, str, bytes]] = []
    vocabulary: list[str] = []
    for col, column in enumerate(zip(*type_terms) if type_terms else ((), (), ())):
        # the column's terms, sorted (the B-tree is then filled in one sweep), and each type's place among them: one
        # numpy sort of fixed-width strings (code point order, as Python's) instead of a set, a sort and a dict
        uniq, term_of_type = np.unique(np.array(column, dtype=str), return_inverse=True)
        col_terms = uniq.tolist()
        term_of_type = term_of_type.reshape(-1)
        # positions grouped by term, ascending within: a stable sort, which for 16-bit keys (a document of fewer
        # than 65,536 distinct terms in the column, nearly always) is a radix sort, several times faster
        narrow = np.uint16 if len(col_terms) <= 1 << 16 else np.int32
        term_of_token = term_of_type.astype(narrow)[type_of]
        order = np.argsort(term_of_token, kind="stable")
        counts = np.bincount(term_of_token, minlength=len(col_terms))
        data = _le_int32(order).tobytes()
        bounds = np.concatenate(([0], np.cumsum(counts))) * 4
        # (column, term, its slice of the data) built by map and zip, without a Python step per term
        postings.extend(zip(repeat(col), col_terms, map(data.__getitem__, map(slice, bounds[:-1].tolist(),
                                                                                 bounds[1:].tolist()))))
        vocabulary.append(" ".join(col_terms))
    return PreparedDocument(
        doc.id, doc.meta.get("file"), lang, sha or sha256(doc.text), doc.meta.get("title"), doc.text, types,
        _le_int32(starts).tobytes(), _le_int32(ends).tobytes(), _le_int32(type_of), tuple(vocabulary), postings,
        list(map(_MENTION_ROW, doc.mentions)))


#: The ``mentions`` row of a mention (without its document).
_MENTION_ROW = attrgetter("start", "end", "text", "type", "ref", "source", "cert")


def _le_int32(values: np.ndarray) -> np.ndarray:
    """``values`` as little-endian int32 (the packed form of positions and offsets)."""
    return values.astype("<i4")


class _Lexicon:
    """The index-wide ``lexemes`` id of each (language, surface form), inserted on first sight.

    The writer is the only one (it holds the lock), so it numbers new lexemes itself and inserts a document's new
    ones with one ``executemany``; the lexemes an earlier build wrote are read once, on first use."""

    def __init__(self, con: sqlite3.Connection) -> None:
        self.con = con
        self._ids: dict[str, dict[str, int]] | None = None  # language -> surface form -> id
        self._next = 1

    def ids(self, lang: str, types: list[tuple[str, str, str]]) -> list[int]:
        known = self._ids
        if known is None:
            known = self._ids = {}
            top = 0
            for i, la, text in self.con.execute("SELECT id, lang, text FROM lexemes"):
                known.setdefault(la, {})[text] = i
                top = max(top, i)
            self._next = top + 1
        of_lang = known.setdefault(lang, {})
        # the known forms' ids by one map; only the new ones get a Python step (and a row)
        out = list(map(of_lang.get, map(itemgetter(0), types)))
        new = []
        for i, lex_id in enumerate(out):
            if lex_id is None:
                text, norm, lemma = types[i]
                lex_id = of_lang.get(text)
                if lex_id is None:
                    lex_id = of_lang[text] = self._next
                    self._next += 1
                    new.append((lex_id, lang, text, norm, lemma))
                out[i] = lex_id
        if new:
            self.con.executemany("INSERT INTO lexemes(id, lang, text, norm, lemma) VALUES (?,?,?,?,?)", new)
        return out


def _unique_name(con: sqlite3.Connection, name: str, sha: str, folder: str) -> str:
    """``name`` if no other document shows it, else ``name~HASH`` (content hash, then folder hash, prefixes)."""
    candidates = [name, f"{name}~{sha[:8]}", f"{name}~{sha[:8]}~{sha256(folder)[:8]}"]
    for candidate in candidates:
        if not con.execute("SELECT 1 FROM documents WHERE name = ?", (candidate,)).fetchone():
            return candidate
    n = 2
    while con.execute("SELECT 1 FROM documents WHERE name = ?", (f"{candidates[-1]}~{n}",)).fetchone():
        n += 1
    return f"{candidates[-1]}~{n}"


def _write_document(con: sqlite3.Connection, doc: PreparedDocument, folder: str | None,
                    lexicon: _Lexicon) -> tuple[int, int]:
    folder = folder or ""
    relpath = doc.relpath or doc.name
    _delete_document(con, folder, relpath)
    name = _unique_name(con, doc.name, doc.sha256, folder)
    cur = con.execute(
        "INSERT INTO documents(name, path, folder, relpath, lang, sha256, title, text, n_tokens) "
        "VALUES (?,?,?,?,?,?,?,?,?)",
        (name, doc.path, folder, relpath, doc.lang, doc.sha256, doc.title, doc.text, len(doc.type_of)))
    doc_id = cur.lastrowid
    lex_ids = lexicon.ids(doc.lang, doc.types)
    con.execute("INSERT INTO tokens(doc, starts, ends, lexes) VALUES (?,?,?,?)",
                (doc_id, doc.starts, doc.ends, _le_int32(np.array(lex_ids, dtype=np.int64)[doc.type_of]).tobytes()))
    con.execute("INSERT INTO terms(rowid, keys, lemmas, skels) VALUES (?,?,?,?)", (doc_id, *doc.columns))
    # the document id as a literal (an integer sqlite gave): the prepared rows go in as they are, without a
    # copy of each row with the id in front
    con.executemany(f"INSERT INTO postings(col, term, doc, positions) VALUES (?,?,{int(doc_id)},?)", doc.postings)
    con.executemany(f'INSERT INTO mentions(doc, start, "end", text, type, ref, source, cert) '
                    f'VALUES ({int(doc_id)},?,?,?,?,?,?,?)', doc.mentions)
    return len(doc.type_of), len(doc.mentions)


def pack_positions(positions: list[int]) -> bytes:
    """Token positions as little-endian int32 (one blob per term and document: read back at C speed)."""
    arr = array("i", positions)
    if sys.byteorder != "little":
        arr.byteswap()
    return arr.tobytes()


def token_rows(con: sqlite3.Connection, doc_id: int) -> list[tuple[int, int, int, int]]:
    """(position, start, end, lexemes id) of every indexed token of a document."""
    row = con.execute("SELECT starts, ends, lexes FROM tokens WHERE doc = ?", (doc_id,)).fetchone()
    if row is None:
        return []
    starts, ends, lexes = map(unpack_positions, row)
    return list(zip(range(len(starts)), starts, ends, lexes))


def unpack_positions(blob: bytes) -> array:
    arr = array("i")
    arr.frombytes(blob)
    if sys.byteorder != "little":
        arr.byteswap()
    return arr


def _delete_document(con: sqlite3.Connection, folder: str, relpath: str) -> None:
    row = con.execute("SELECT id FROM documents WHERE folder = ? AND relpath = ?", (folder, relpath)).fetchone()
    if row is None:
        return
    (doc_id,) = row
    # the document's postings, found through its vocabulary (its FTS5 row): no index on postings(doc) to keep
    vocabulary = con.execute("SELECT keys, lemmas, skels FROM terms WHERE rowid = ?", (doc_id,)).fetchone() or ()
    con.executemany("DELETE FROM postings WHERE col = ? AND term = ? AND doc = ?",
                    ((col, t, doc_id) for col, terms in enumerate(vocabulary) for t in terms.split()))
    for sql in ("DELETE FROM tokens WHERE doc = ?", "DELETE FROM mentions WHERE doc = ?",
                "DELETE FROM terms WHERE rowid = ?", "DELETE FROM documents WHERE id = ?"):
        con.execute(sql, (doc_id,))


def _indexed_hashes(path: Path, folder_key: str) -> dict[str, str]:
    """relpath -> sha256 of the documents indexed from ``folder_key``."""
    if not path.exists():
        return {}
    con = connect(path)
    try:
        return dict(con.execute("SELECT relpath, sha256 FROM documents WHERE folder = ?", (folder_key,)))
    finally:
        con.close()


def _check_target(target: Path) -> None:
    if target.is_dir():
        raise OutputError("is a directory: give the index file name (-o INDEX.sqlite)", str(target))


class WriterLock:
    """One writer per index: an exclusive ``flock`` on ``.NAME.lock`` beside it, held until :meth:`release`.

    A second writer waits (``on_wait`` is told once) and, once it holds the lock, starts from the index the first
    one renamed into place. The lock file stays (deleting it would let a third writer lock a different file);
    the kernel drops the lock when a process dies, so a killed build never blocks the next one.
    """

    def __init__(self, target: Path, on_wait: Callable[[str], None] | None = None):
        self.path = target.parent / f".{target.name}.lock"
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o666 & ~_umask())
        except OSError as exc:
            raise OutputError(f"cannot lock the index: {exc.strerror}", str(target)) from None
        try:
            fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno not in (errno.EAGAIN, errno.EACCES):
                os.close(self.fd)
                raise OutputError(f"cannot lock the index: {exc.strerror}", str(target)) from None
            if on_wait:
                on_wait(f"waiting for another `nuskha index` writing {target}")
            fcntl.flock(self.fd, fcntl.LOCK_EX)

    def release(self) -> None:
        if self.fd >= 0:
            fcntl.flock(self.fd, fcntl.LOCK_UN)
            os.close(self.fd)
            self.fd = -1

    def __enter__(self) -> "WriterLock":
        return self

    def __exit__(self, *exc) -> None:
        self.release()


def sweep_temporary_files(target: Path) -> list[Path]:
    """Remove the temporary copies (``.NAME.*.tmp``) that killed builds left beside ``target``.

    Only a writer holding the :class:`WriterLock` may call this: no other build is then using one.
    """
    swept = []
    for tmp in target.parent.glob(f".{target.name}.*.tmp"):
        try:
            tmp.unlink()
            swept.append(tmp)
        except OSError:
            pass
    return swept


class _Writer:
    """A temporary copy of the index, renamed over the target only when everything was written.

    Call with the :class:`WriterLock` held. ``rebuild`` starts from an empty index instead of the target.
    """

    def __init__(self, target: Path, rebuild: bool = False, checked: bool = False):
        self.target = target
        _check_target(target)
        sweep_temporary_files(target)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            exists = target.exists()
            # an update keeps the index's file mode (mkstemp would make it 0600); a new index gets the umask's
            self.mode = (target.stat().st_mode & 0o7777) if exists else (0o666 & ~_umask())
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
            os.close(fd)
            if exists and not rebuild:
                if not checked:  # (build_index checked it already, holding the same lock)
                    check_integrity(target)
                shutil.copyfile(target, tmp)
            else:
                os.unlink(tmp)  # sqlite creates it
        except OSError as exc:
            raise OutputError(f"cannot write the index: {exc.strerror}", str(target)) from None
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        self.tmp = Path(tmp)
        with self.aborted_on_failure():
            self._open()

    @contextmanager
    def aborted_on_failure(self) -> Iterator[None]:
        """Any failure inside drops the temporary copy (the index stays as it was); sqlite's own errors are
        reported as a corrupt index, naming it."""
        try:
            yield
        except sqlite3.DatabaseError as exc:
            self.abort()
            raise corrupt_index(self.target, str(exc)) from None
        except BaseException:
            self.abort()
            raise

    def _open(self) -> None:
        self.con = sqlite3.connect(self.tmp, isolation_level=None)
        self.con.execute("PRAGMA journal_mode = OFF")  # the temporary file itself is the rollback
        self.con.execute("PRAGMA synchronous = OFF")
        # a 100 MB index outgrows SQLite's default 2 MB page cache: B-tree inserts would re-read pages
        self.con.execute("PRAGMA cache_size = -262144")  # KiB: 256 MiB at most, used only as the file grows
        if not self.con.execute("SELECT name FROM sqlite_master WHERE name = 'meta'").fetchone():
            self.con.executescript(_SCHEMA)
            self.con.execute("INSERT INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))
        else:
            version = self.con.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
            if not version or version[0] != SCHEMA_VERSION:
                raise InputError(f"index schema {version[0] if version else '?'} is not {SCHEMA_VERSION}: "
                                 f"{REBUILD_HINT}", str(self.target))
        self.con.execute("BEGIN")

    def commit(self) -> None:
        self.con.execute("COMMIT")
        self.con.execute("INSERT INTO terms(terms) VALUES ('optimize')")
        self.con.close()
        os.chmod(self.tmp, self.mode)
        os.replace(self.tmp, self.target)

    def abort(self) -> None:
        con = getattr(self, "con", None)
        if con is not None:
            con.close()
        self.tmp.unlink(missing_ok=True)


def index_documents(docs: Iterable[tuple[Document | PreparedDocument, str | None]], out: str | os.PathLike,
                    remove: Iterable[str] = (), rebuild: bool = False,
                    on_wait: Callable[[str], None] | None = None) -> IndexStats:
    """Write processed documents (each with the folder it came from, or None) into the index at ``out``.

    A document already in the index under the same identity (folder and relative path; for a
    :class:`Document`, its id) is replaced; ``remove`` names relative paths (folder None) to drop. Holds the
    writer lock while it works; ``rebuild`` starts from an empty index.
    """
    target = Path(out)
    _check_target(target)
    with WriterLock(target, on_wait):
        return _index_documents(docs, target, [("", r) for r in remove], rebuild)


def _index_documents(docs: Iterable[tuple[Document | PreparedDocument, str | None]], target: Path,
                     remove: Iterable[tuple[str, str]], rebuild: bool, checked: bool = False) -> IndexStats:
    stats = IndexStats()
    t0 = time.perf_counter()
    writer = _Writer(target, rebuild, checked)
    with writer.aborted_on_failure():
        lexicon = _Lexicon(writer.con)
        for folder, relpath in remove:
            _delete_document(writer.con, folder, relpath)
        for doc, folder in docs:
            c0 = time.process_time()
            if isinstance(doc, Document):
                doc = prepare_document(doc)
            n_tok, n_men = _write_document(writer.con, doc, folder, lexicon)
            stats.documents += 1
            stats.tokens += n_tok
            stats.mentions += n_men
            stats.pipeline_cpu += doc.pipeline_cpu
            stats.index_cpu += doc.prepare_cpu + time.process_time() - c0
        c0 = time.process_time()
        writer.commit()
        stats.index_cpu += time.process_time() - c0
    stats.seconds = time.perf_counter() - t0
    return stats


def build_index(folder: str | os.PathLike, out: str | os.PathLike, annotate: bool = True,
                on_document: Callable[[str, str], None] | None = None, jobs: int = 1, rebuild: bool = False,
                on_wait: Callable[[str], None] | None = None,
                curation: str | os.PathLike | None = None) -> IndexStats:
    """Index every text of a corpus folder into ``out`` (``nuskha index DIR -o INDEX [--jobs N]``).

    Documents are identified by this folder and their path relative to it, so other folders' documents in the
    same index are never touched. Only documents whose sha256 differs from the indexed one go through the
    pipeline again; documents of this folder whose file is gone are dropped. With ``jobs`` > 1 the pipeline runs
    in that many worker processes on chunks of documents; this process writes their rows in corpus order, in one
    transaction, so the index is the same as with ``jobs`` = 1. ``on_document(name, status)`` reports progress.

    The writer lock is taken first: a concurrent build of the same index waits, then starts from its result.
    An existing index is integrity-checked; ``rebuild`` ignores it and writes this folder's documents afresh.
    ``curation`` is a curation file applied to each document (nuskha.curation); a document is also re-indexed
    when its decisions changed.
    """
    from ..curation import by_document, digest, read_decisions

    curation = str(curation) if curation and annotate else None
    decisions = by_document(read_decisions(curation))
    root = Path(folder)
    target = Path(out)
    _check_target(target)
    entries = list(iter_corpus(root))
    folder_key = str(root.resolve())
    with WriterLock(target, on_wait):
        if target.exists() and not rebuild:
            check_integrity(target)
            known = _indexed_hashes(target, folder_key)
        else:
            known = {}
        changed: list[CorpusEntry] = []
        unchanged = 0
        for entry in entries:
            if known and known.get(_relpath(entry, root)) == digest(read_text(entry.path), decisions.get(entry.id, ())):
                unchanged += 1
                if on_document:
                    on_document(entry.id, "unchanged")
            else:
                changed.append(entry)

        # the workers start now, before the writer copies (and creates) its temporary index: that copy, of a big
        # index, overlaps their start-up and first documents instead of preceding them
        results = _prepare_entries(changed, annotate, jobs, root, curation)

        def prepared() -> Iterator[tuple[PreparedDocument, str]]:
            for doc in results:
                if on_document:
                    on_document(doc.name, "indexed")
                yield doc, folder_key

        present = {_relpath(e, root) for e in entries}
        gone = [(folder_key, r) for r in known if r not in present]
        try:
            stats = _index_documents(prepared(), target, gone, rebuild, checked=True)
        finally:
            results.close()
    stats.unchanged = unchanged
    return stats


def _relpath(entry: CorpusEntry, root: Path) -> str:
    """A corpus entry's path relative to the indexed folder, with forward slashes."""
    try:
        return entry.path.relative_to(root).as_posix()
    except ValueError:
        return entry.path.name


#: Characters of text per chunk sent to a worker: big enough to amortise a task (a few milliseconds), small enough
#: that a book's documents go one a chunk. This process writes a chunk's documents only once the whole chunk is
#: back, and the last chunk's writing (plus the commit) is the one part of the build no worker overlaps: a chunk of
#: two documents doubled it, and left the two workers unequal shares when the count of chunks was odd.
CHUNK_CHARS = 100_000


def _prepare_chunk(entries: list[CorpusEntry], annotate: bool, root: Path,
                   curation: str | None = None) -> list[PreparedDocument]:
    """Read, process, curate and prepare a chunk of corpus files (in a worker process)."""
    from ..curation import REJECTED, by_document, curate, digest, load_decisions

    out = []
    for entry in entries:
        c0 = time.process_time()
        doc = process(read_text(entry.path), entry.lang, id=entry.id, meta=entry.meta, path=str(entry.path),
                      annotate=annotate)
        rejected = curate(doc, curation).rejected
        c1 = time.process_time()
        # the content hash once: the decisions' digest is the text's sha256 when there are none
        prepared = prepare_document(doc, sha=digest(doc.text, by_document(load_decisions(curation)).get(doc.id, ())))
        prepared.pipeline_cpu, prepared.prepare_cpu = c1 - c0, time.process_time() - c1
        prepared.relpath = _relpath(entry, root)
        # a rejected span stays known to the searcher, without a ref, so no entity query finds it as text
        prepared.mentions += [(m.start, m.end, m.text, REJECTED, None, "curation", 0.0) for m in rejected]
        out.append(prepared)
    return out


def _chunks(entries: list[CorpusEntry]) -> list[list[CorpusEntry]]:
    chunks: list[list[CorpusEntry]] = []
    size = CHUNK_CHARS
    for entry in entries:
        n = entry.path.stat().st_size // 2  # bytes -> characters, roughly (Arabic and Cyrillic are 2 bytes)
        if size + n > CHUNK_CHARS:
            chunks.append([])
            size = 0
        chunks[-1].append(entry)
        size += n
    return chunks


def _prepare_entries(entries: list[CorpusEntry], annotate: bool, jobs: int,
                     root: Path, curation: str | None = None) -> "_Prepared":
    """Prepared documents in corpus order, from ``jobs`` worker processes (or this one when ``jobs`` <= 1).

    The workers get their chunks at once, before the first document is asked for."""
    chunks = _chunks(entries) if jobs > 1 else []
    if len(chunks) <= 1:  # one chunk: a worker would only add its start-up
        return _Prepared((doc for entry in entries for doc in _prepare_chunk([entry], annotate, root, curation)))
    pool = ProcessPoolExecutor(max_workers=min(jobs, len(chunks)))
    try:
        # the biggest chunks start first (a book must not start last), results are written in corpus order
        by_size = sorted(range(len(chunks)), key=lambda i: -sum(e.path.stat().st_size for e in chunks[i]))
        futures = {i: pool.submit(_prepare_chunk, chunks[i], annotate, root, curation) for i in by_size}
    except BaseException:
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    return _Prepared((doc for i in range(len(chunks)) for doc in futures[i].result()), pool)


class _Prepared:
    """The prepared documents of a build (iterate once) and the worker pool making them: :meth:`close` it when
    the build is done or failed, which drops the chunks not started yet (an abandoned build processes no more)."""

    def __init__(self, docs: Iterator[PreparedDocument], pool: ProcessPoolExecutor | None = None):
        self.docs, self.pool = docs, pool

    def __iter__(self) -> Iterator[PreparedDocument]:
        return self.docs

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None
