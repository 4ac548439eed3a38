"""The index file: our own terms (one per token), Kazakh letters intact, replacement by sha256, atomic builds."""
from __future__ import annotations

import shutil
import sqlite3

import pytest

import nuskha.search.index as index_module
from nuskha import process
from nuskha.errors import InputError
from nuskha.search import build_index, index_documents, search
from nuskha.search.index import connect, token_rows, unpack_positions
from tests.conftest import AR_TEXT, CORPUS, KK_TEXT
from tests.search.conftest import gold_spans


@pytest.fixture
def corpus_copy(tmp_path):
    folder = tmp_path / "corpus"
    shutil.copytree(CORPUS, folder)
    return folder


def vocabulary(path) -> set[str]:
    con = connect(path)
    try:
        return {t for (t,) in con.execute("SELECT term FROM terms_col WHERE col = 'keys'")}
    finally:
        con.close()


def test_index_holds_documents_tokens_and_mentions(gold_index):
    con = connect(gold_index)
    docs = dict(con.execute("SELECT name, n_tokens FROM documents"))
    assert set(docs) == {AR_TEXT.stem, KK_TEXT.stem, "ar-extra-bukhara"}
    for name, n in docs.items():
        (doc_id, text) = con.execute("SELECT id, text FROM documents WHERE name = ?", (name,)).fetchone()
        rows = token_rows(con, doc_id)
        assert [r[0] for r in rows] == list(range(n))
        vocabulary = con.execute("SELECT keys, lemmas, skels FROM terms WHERE rowid = ?", (doc_id,)).fetchone()
        # the FTS5 row is the document's vocabulary: each column's distinct terms, once, and exactly the terms
        # whose postings cover every indexed token once per column (so a position is a token)
        for col, terms in enumerate(vocabulary):
            assert terms.split() == sorted(set(terms.split()))
            postings = con.execute("SELECT term, positions FROM postings WHERE col = ? AND doc = ?",
                                   (col, doc_id)).fetchall()
            assert sorted(t for t, _ in postings) == terms.split()
            positions = sorted(p for _, blob in postings for p in unpack_positions(blob))
            assert positions == list(range(n))
        for _, start, end, lex in rows[:200]:
            surface, norm, lemma = con.execute("SELECT text, norm, lemma FROM lexemes WHERE id = ?",
                                               (lex,)).fetchone()
            assert 0 <= start < end <= len(text) and text[start:end] == surface and norm and lemma
    assert con.execute("SELECT count(*) FROM mentions WHERE ref = 'temur-malik'").fetchone()[0] == 3
    con.close()


def test_kazakh_letters_survive_the_fts5_tokenizer(gold_index):
    vocab = vocabulary(gold_index)
    assert {"темірмәлікпен", "темірмәлік", "шыңғыс", "қазақстан", "сүйенсек"} <= vocab
    # and they are not folded into Russian letters
    assert "шынгыс" not in vocab and "казакстан" not in vocab


def test_every_kazakh_letter_is_kept_and_case_folded(tmp_path):
    path = tmp_path / "kk.sqlite"
    index_documents([(process("ӘҒҚҢӨҰҮҺІ шаһар әғқңөұүһі", "kk", id="kk"), None)], path)
    assert vocabulary(path) == {"әғқңөұүһі", "шаһар"}


def test_vocalised_arabic_is_one_term(tmp_path):
    path = tmp_path / "v.sqlite"
    index_documents([(process("وصل جِنْكِيزُ خان إلى بُخارى", "ar", id="v"), None)], path)
    vocab = vocabulary(path)
    assert {"جنكيز", "خان", "بخاري"} <= vocab
    assert not {"ج", "ن", "ك", "يز"} & vocab  # unicode61 would have split at the harakat
    assert [h.text for h in search("جنكيز خان", path, authority=None).hits] == ["جِنْكِيزُ خان"]


def test_build_from_a_folder_and_reindex_replaces_changed_documents(corpus_copy, tmp_path):
    out = tmp_path / "idx.sqlite"
    first = build_index(corpus_copy, out)
    assert (first.documents, first.unchanged) == (2, 0) and first.tokens > 1500
    again = build_index(corpus_copy, out)
    assert (again.documents, again.unchanged) == (0, 2)

    kk = corpus_copy / KK_TEXT.name
    kk.write_text("Алғашқы сөйлем. " + kk.read_text(encoding="utf-8"), encoding="utf-8")
    changed = build_index(corpus_copy, out)
    assert (changed.documents, changed.unchanged) == (1, 1)
    con = connect(out)
    assert con.execute("SELECT count(*) FROM documents").fetchone()[0] == 2
    con.close()
    shift = len("Алғашқы сөйлем. ")
    kk_hits = {(h.start, h.end) for h in search("Temur Malik", out).hits if h.doc == KK_TEXT.stem}
    assert kk_hits == {(559 + shift, 572 + shift), (731 + shift, 742 + shift)}


def test_a_removed_file_leaves_the_index(corpus_copy, tmp_path):
    out = tmp_path / "idx.sqlite"
    build_index(corpus_copy, out, annotate=False)
    (corpus_copy / KK_TEXT.name).unlink()
    (corpus_copy / (KK_TEXT.stem + ".meta.json")).unlink()
    build_index(corpus_copy, out, annotate=False)
    assert {h.doc for h in search("Temur Malik", out).hits} == {AR_TEXT.stem}


def test_a_failed_build_leaves_the_old_index_untouched(corpus_copy, tmp_path, monkeypatch):
    out = tmp_path / "idx.sqlite"
    build_index(corpus_copy, out, annotate=False)
    before = out.read_bytes()
    (corpus_copy / AR_TEXT.name).write_text("تغيير " + AR_TEXT.read_text(encoding="utf-8"), encoding="utf-8")
    (corpus_copy / KK_TEXT.name).write_text("Өзгеріс " + KK_TEXT.read_text(encoding="utf-8"), encoding="utf-8")
    calls = []
    real_process = index_module.process

    def failing_process(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("disk on fire")
        return real_process(*args, **kwargs)

    monkeypatch.setattr(index_module, "process", failing_process)
    with pytest.raises(RuntimeError):
        build_index(corpus_copy, out, annotate=False)
    assert out.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_a_new_index_is_not_created_when_the_build_fails(corpus_copy, tmp_path):
    (corpus_copy / "broken.txt").write_bytes(b"\xff\xfe not utf-8")
    out = tmp_path / "idx.sqlite"
    with pytest.raises(InputError, match="not UTF-8"):
        build_index(corpus_copy, out)
    assert not out.exists()
    assert list(tmp_path.glob(".idx.sqlite.*.tmp")) == []


def test_output_that_is_a_folder_or_not_an_index_is_refused(corpus_copy, tmp_path):
    from nuskha.errors import OutputError

    with pytest.raises(OutputError, match="is a directory"):
        build_index(corpus_copy, tmp_path)
    precious = tmp_path / "notes.sqlite"
    precious.write_text("not an index")
    with pytest.raises(InputError, match="not a nuskha search index"):
        build_index(corpus_copy, precious)
    assert precious.read_text() == "not an index"  # never overwritten


def test_not_an_index_is_a_clear_error(tmp_path):
    bogus = tmp_path / "bogus.sqlite"
    bogus.write_text("hello")
    with pytest.raises(InputError, match="not a nuskha search index"):
        connect(bogus)
    with pytest.raises(InputError, match="no search index"):
        connect(tmp_path / "missing.sqlite")


def test_real_pipeline_index_answers_like_gold(tmp_path):
    """Through ``load(annotate=True)``: whatever the recognisers add, the entity answers are the gold spans."""
    out = tmp_path / "real.sqlite"
    build_index(CORPUS, out)
    for query, ref in (("Temur Malik", "temur-malik"), ("Inalchuq", "inalchuq"), ("Отырар", "otrar"),
                       ("Bukhara", "bukhara")):
        hits = search(query, out).hits
        assert {(h.doc, h.start, h.end) for h in hits} == gold_spans(ref), query


def test_index_file_is_plain_sqlite(gold_index):
    con = sqlite3.connect(gold_index)
    tables = {n for (n,) in con.execute("SELECT name FROM sqlite_master WHERE type IN ('table')")}
    assert {"documents", "tokens", "mentions", "terms"} <= tables
    con.close()


def _contents(path) -> dict[str, list]:
    con = sqlite3.connect(path)
    try:
        out = {t: con.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall()
               for t in ("documents", "lexemes", "tokens", "mentions", "postings")}
        out["terms"] = con.execute("SELECT rowid, keys, lemmas, skels FROM terms ORDER BY rowid").fetchall()
        return out
    finally:
        con.close()


def test_jobs_build_the_same_index(corpus_copy, tmp_path, monkeypatch):
    """Worker processes, one document a chunk so both workers get some: row for row the index of --jobs 1."""
    shutil.copy(corpus_copy / AR_TEXT.name, corpus_copy / "ar-copy.txt")
    shutil.copy(corpus_copy / (AR_TEXT.stem + ".meta.json"), corpus_copy / "ar-copy.meta.json")
    monkeypatch.setattr(index_module, "CHUNK_CHARS", 1)
    assert len(index_module._chunks(list(index_module.iter_corpus(corpus_copy)))) == 3
    one, two = tmp_path / "one.sqlite", tmp_path / "two.sqlite"
    stats_one = build_index(corpus_copy, one, jobs=1)
    stats_two = build_index(corpus_copy, two, jobs=2)
    assert (stats_one.documents, stats_one.tokens, stats_one.mentions) == \
        (stats_two.documents, stats_two.tokens, stats_two.mentions) == (3, stats_one.tokens, stats_one.mentions)
    assert stats_one.mentions > 0
    assert _contents(one) == _contents(two)


def test_a_worker_error_is_the_same_one_line_error(corpus_copy, tmp_path):
    (corpus_copy / "broken.txt").write_bytes(b"\xff\xfe not utf-8")
    out = tmp_path / "idx.sqlite"
    with pytest.raises(InputError, match="not UTF-8"):
        build_index(corpus_copy, out, jobs=2)
    assert not out.exists() and list(tmp_path.glob(".idx.sqlite.*.tmp")) == []
