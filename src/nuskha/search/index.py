"""The search index: one SQLite file holding documents, their tokens' match forms and their mentions.

Why our own terms and not SQLite's tokenizer on the raw text: FTS5's ``unicode61`` tokenizer splits vocalised
Arabic at the harakat (``جِنْكِيزُ`` -> ``ج ن ك يز``) and knows nothing of hamza, alef or ى/ي variants. So each
document becomes one FTS5 row whose columns are space-separated *terms*, exactly one term per indexed token, so
that an FTS5 position IS a token position:

- ``keys``   -- the token's match key (normalised, case-folded, hyphens and marks removed: ``темірмәлікпен``),
- ``lemmas`` -- the key of its lemma (Kazakh stem, Russian normal form, Arabic lemma),
- ``skels``  -- its cross-script consonant skeleton (``tmrmlkpn``; ``0`` when it has none).

FTS5 holds the full-text index and its vocabulary (fuzzy look-ups read ``fts5vocab``; any SQLite client can run
``terms MATCH 'keys: темірмәлік*'``). Beside it, ``postings`` keeps the positions of each term in each document
as one packed int32 blob, read for exact and prefix look-ups: reading positions row by row from
``fts5vocab(instance)`` costs about a microsecond an occurrence, too slow for a name found 7,000 times.

Terms contain only letters and digits, so ``unicode61`` (with ``remove_diacritics 0``: ә ғ қ ң ө ұ ү һ і must not
fold into а г к н о у у х и) keeps each one whole. The ``tokens`` table maps a position back to character offsets
in the stored original text and to its ``lexemes`` row (surface form, normal form, lemma: one row per type); the
``mentions`` table holds the recognisers' spans with their refs.

A build never leaves a half-written index: it works on a temporary copy in the target's folder, in one
transaction, and renames it over the target at the end. A document whose text changed (by sha256) is replaced;
an unchanged one is kept as it is.
"""
from __future__ import annotations

import os
import shutil
import sqlite3
import sys
import tempfile
import time
from array import array
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator

from ..core.translit import skeleton_key
from ..document import Document
from ..errors import InputError, OutputError
from ..io import iter_corpus, read_text
from ..pipeline import process, sha256

SCHEMA_VERSION = "4"
#: An FTS5 term for "no skeleton" (a word of vowels only, a number): keeps one term per position.
EMPTY_TERM = "0"

_SCHEMA = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE documents(
    id INTEGER PRIMARY KEY, name TEXT UNIQUE NOT NULL, path TEXT, folder TEXT, lang TEXT NOT NULL,
    sha256 TEXT NOT NULL, title TEXT, text TEXT NOT NULL, n_tokens INTEGER NOT NULL);
CREATE TABLE lexemes(
    id INTEGER PRIMARY KEY, lang TEXT NOT NULL, text TEXT NOT NULL, norm TEXT NOT NULL, lemma TEXT NOT NULL,
    UNIQUE(lang, text));
CREATE TABLE tokens(
    doc INTEGER NOT NULL, pos INTEGER NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
    lex INTEGER NOT NULL REFERENCES lexemes(id), PRIMARY KEY(doc, pos)) WITHOUT ROWID;
CREATE TABLE mentions(
    doc INTEGER NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL, text TEXT NOT NULL, type TEXT NOT NULL,
    ref TEXT, source TEXT, cert REAL);
CREATE INDEX mentions_ref ON mentions(ref, doc, start, "end", type);  -- covering: a concordance reads no rows
CREATE INDEX mentions_doc ON mentions(doc, start, "end", ref, type);
CREATE TABLE postings(
    col INTEGER NOT NULL, term TEXT NOT NULL, doc INTEGER NOT NULL, positions BLOB NOT NULL,
    PRIMARY KEY(col, term, doc)) WITHOUT ROWID;
CREATE INDEX postings_doc ON postings(doc);
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

    @property
    def tokens_per_second(self) -> float:
        return self.tokens / self.seconds if self.seconds else 0.0


def connect(path: str | os.PathLike) -> sqlite3.Connection:
    """Open an existing index read-only (raises :class:`InputError` when it is missing or not an index)."""
    p = Path(path)
    if not p.is_file():
        raise InputError("no search index here (build one with `nuskha index DIR -o INDEX`)", str(p))
    con = sqlite3.connect(f"file:{p}?mode=ro", uri=True)
    try:
        version = con.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
    except sqlite3.DatabaseError:
        con.close()
        raise InputError("not a nuskha search index", str(p)) from None
    if not version or version[0] != SCHEMA_VERSION:
        con.close()
        raise InputError(f"index schema {version[0] if version else '?'} is not {SCHEMA_VERSION}: rebuild it",
                         str(p))
    return con


class _Lexicon:
    """Per-(language, surface form) terms and lexeme row, computed once: a book repeats its types many times."""

    def __init__(self, con: sqlite3.Connection) -> None:
        self.con = con
        self._cache: dict[tuple[str, str], tuple[str, str, str, int]] = {}

    def get(self, lang: str, text: str, norm: str, lemma: str) -> tuple[str, str, str, int]:
        key = (lang, text)
        hit = self._cache.get(key)
        if hit is None:
            k = term(norm)
            lem = term(lemma) or k
            skel = term(skeleton_key(norm, lang)) or EMPTY_TERM
            cur = self.con.execute("INSERT OR IGNORE INTO lexemes(lang, text, norm, lemma) VALUES (?,?,?,?)",
                                   (lang, text, norm, lemma))
            if cur.rowcount == 1:
                lex_id = cur.lastrowid
            else:  # known from an earlier build of this index
                (lex_id,) = self.con.execute("SELECT id FROM lexemes WHERE lang = ? AND text = ?",
                                             (lang, text)).fetchone()
            hit = self._cache[key] = (k, lem, skel, lex_id)
        return hit


def _write_document(con: sqlite3.Connection, doc: Document, sha: str, folder: str | None,
                    lexicon: _Lexicon) -> tuple[int, int]:
    _delete_document(con, doc.id)
    title = doc.meta.get("title")
    rows = []
    keys, lemmas, skels = [], [], []
    lang = doc.lang
    get = lexicon.get
    for tok in doc.tokens:
        lex = tok.lex
        k, lem, skel, lex_id = get(lang, lex.text, lex.norm, lex.lemma)
        if not k:  # punctuation and symbols are context, not terms
            continue
        rows.append((tok.start, tok.end, lex_id))
        keys.append(k)
        lemmas.append(lem)
        skels.append(skel)
    cur = con.execute(
        "INSERT INTO documents(name, path, folder, lang, sha256, title, text, n_tokens) VALUES (?,?,?,?,?,?,?,?)",
        (doc.id, doc.meta.get("file"), folder, lang, sha, title, doc.text, len(rows)))
    doc_id = cur.lastrowid
    con.executemany('INSERT INTO tokens(doc, pos, start, "end", lex) VALUES (?,?,?,?,?)',
                    [(doc_id, pos, *r) for pos, r in enumerate(rows)])
    con.execute("INSERT INTO terms(rowid, keys, lemmas, skels) VALUES (?,?,?,?)",
                (doc_id, " ".join(keys), " ".join(lemmas), " ".join(skels)))
    con.executemany("INSERT INTO postings(col, term, doc, positions) VALUES (?,?,?,?)",
                    ((col, t, doc_id, pack_positions(ps)) for col, terms_ in enumerate((keys, lemmas, skels))
                     for t, ps in _group_positions(terms_).items()))
    con.executemany('INSERT INTO mentions(doc, start, "end", text, type, ref, source, cert) VALUES (?,?,?,?,?,?,?,?)',
                    [(doc_id, m.start, m.end, m.text, m.type, m.ref, m.source, m.cert) for m in doc.mentions])
    return len(rows), len(doc.mentions)


def _group_positions(terms: list[str]) -> dict[str, list[int]]:
    groups: defaultdict[str, list[int]] = defaultdict(list)
    for pos, t in enumerate(terms):
        groups[t].append(pos)
    return groups


def pack_positions(positions: list[int]) -> bytes:
    """Token positions as little-endian int32 (one blob per term and document: read back at C speed)."""
    arr = array("i", positions)
    if sys.byteorder != "little":
        arr.byteswap()
    return arr.tobytes()


def unpack_positions(blob: bytes) -> array:
    arr = array("i")
    arr.frombytes(blob)
    if sys.byteorder != "little":
        arr.byteswap()
    return arr


def _delete_document(con: sqlite3.Connection, name: str) -> None:
    row = con.execute("SELECT id FROM documents WHERE name = ?", (name,)).fetchone()
    if row is None:
        return
    (doc_id,) = row
    for sql in ("DELETE FROM tokens WHERE doc = ?", "DELETE FROM mentions WHERE doc = ?",
                "DELETE FROM postings WHERE doc = ?",
                "DELETE FROM terms WHERE rowid = ?", "DELETE FROM documents WHERE id = ?"):
        con.execute(sql, (doc_id,))


def _indexed_hashes(path: Path) -> dict[str, str]:
    if not path.exists():
        return {}
    con = connect(path)
    try:
        return dict(con.execute("SELECT name, sha256 FROM documents"))
    finally:
        con.close()


def _check_target(target: Path) -> None:
    if target.is_dir():
        raise OutputError("is a directory: give the index file name (-o INDEX.sqlite)", str(target))


class _Writer:
    """A temporary copy of the index, renamed over the target only when everything was written."""

    def __init__(self, target: Path):
        self.target = target
        _check_target(target)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
            os.close(fd)
            if target.exists():
                shutil.copyfile(target, tmp)
            else:
                os.unlink(tmp)  # sqlite creates it
        except OSError as exc:
            raise OutputError(f"cannot write the index: {exc.strerror}", str(target)) from None
        self.tmp = Path(tmp)
        self.con = sqlite3.connect(self.tmp, isolation_level=None)
        self.con.execute("PRAGMA journal_mode = OFF")  # the temporary file itself is the rollback
        self.con.execute("PRAGMA synchronous = OFF")
        if not self.con.execute("SELECT name FROM sqlite_master WHERE name = 'meta'").fetchone():
            self.con.executescript(_SCHEMA)
            self.con.execute("INSERT INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))
        self.con.execute("BEGIN")

    def commit(self) -> None:
        self.con.execute("COMMIT")
        self.con.execute("INSERT INTO terms(terms) VALUES ('optimize')")
        self.con.close()
        os.replace(self.tmp, self.target)

    def abort(self) -> None:
        self.con.close()
        self.tmp.unlink(missing_ok=True)


def index_documents(docs: Iterable[tuple[Document, str | None]], out: str | os.PathLike,
                    remove: Iterable[str] = ()) -> IndexStats:
    """Write processed documents (each with the folder it came from, or None) into the index at ``out``.

    A document already in the index under the same id is replaced; ``remove`` names documents to drop.
    """
    stats = IndexStats()
    t0 = time.perf_counter()
    writer = _Writer(Path(out))
    lexicon = _Lexicon(writer.con)
    try:
        for name in remove:
            _delete_document(writer.con, name)
        for doc, folder in docs:
            n_tok, n_men = _write_document(writer.con, doc, sha256(doc.text), folder, lexicon)
            stats.documents += 1
            stats.tokens += n_tok
            stats.mentions += n_men
        writer.commit()
    except BaseException:
        writer.abort()
        raise
    stats.seconds = time.perf_counter() - t0
    return stats


def build_index(folder: str | os.PathLike, out: str | os.PathLike, annotate: bool = True,
                on_document: Callable[[str, str], None] | None = None) -> IndexStats:
    """Index every text of a corpus folder into ``out`` (``nuskha index DIR -o INDEX``).

    Only documents whose sha256 differs from the indexed one go through the pipeline again; documents of the same
    folder whose file is gone are dropped. ``on_document(name, status)`` reports progress.
    """
    root = Path(folder)
    _check_target(Path(out))
    entries = list(iter_corpus(root))
    folder_key = str(root.resolve())
    known = _indexed_hashes(Path(out))
    unchanged = 0

    def changed_docs() -> Iterator[tuple[Document, str]]:
        nonlocal unchanged
        for entry in entries:
            text = read_text(entry.path)
            if known.get(entry.id) == sha256(text):
                unchanged += 1
                if on_document:
                    on_document(entry.id, "unchanged")
                continue
            doc = process(text, entry.lang, id=entry.id, meta=entry.meta, path=str(entry.path), annotate=annotate)
            if on_document:
                on_document(entry.id, "indexed")
            yield doc, folder_key

    gone = _gone_documents(Path(out), folder_key, {e.id for e in entries})
    stats = index_documents(changed_docs(), out, remove=gone)
    stats.unchanged = unchanged
    return stats


def _gone_documents(path: Path, folder_key: str, present: set[str]) -> list[str]:
    if not path.exists():
        return []
    con = connect(path)
    try:
        names = [n for (n,) in con.execute("SELECT name FROM documents WHERE folder = ?", (folder_key,))]
    finally:
        con.close()
    return [n for n in names if n not in present]

