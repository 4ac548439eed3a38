"""``nuskha build CORPUS -o OUT``: files, JSON contract, alignment report, jobs, refusals."""
from __future__ import annotations

import json
import os
import shutil

import pytest

from nuskha.build import build, safe_path
from nuskha.errors import InputError, OutputError
from tests.conftest import CORPUS, GOLD


def test_build_writes_tei_json_corpus_and_alignment(run_nuskha, tmp_path):
    out = tmp_path / "out"
    code, stdout, err = run_nuskha("build", CORPUS, "-o", out, "--jobs", "2", "--gold", GOLD)
    assert code == 0, err
    names = sorted(p.name for p in out.iterdir())
    assert names == ["alignment.json", "ar-khwarazmshah-and-chinggis-khan.mentions.json",
                     "ar-khwarazmshah-and-chinggis-khan.tei.xml", "corpus.teiCorpus.xml",
                     "html", "kk-jalal-ad-din-and-temur-malik.mentions.json", "kk-jalal-ad-din-and-temur-malik.tei.xml"]
    assert not [p for p in out.iterdir() if p.name.startswith(".")]  # no temporary file left
    assert (out / "html" / "index.html").exists()  # the reading edition (tests/render/test_edition*.py)
    assert "ar-khwarazmshah-and-chinggis-khan" in stdout and "alignment links" in stdout  # the summary table
    data = json.loads((out / "kk-jalal-ad-din-and-temur-malik.mentions.json").read_text(encoding="utf-8"))
    assert {"file", "lang", "sha256", "mentions"} <= set(data) and data["lang"] == "kk"
    gold = json.loads((GOLD / "kk-jalal-ad-din-and-temur-malik.gold.json").read_text(encoding="utf-8"))
    assert [(m["start"], m["end"]) for m in data["mentions"]] == [(m["start"], m["end"]) for m in gold["mentions"]]
    report = json.loads((out / "alignment.json").read_text(encoding="utf-8"))
    assert "temur-malik" in {a["ref"] for a in report["alignment"]}


def test_jobs_and_serial_builds_give_identical_files(tmp_path):
    a = build(CORPUS, tmp_path / "a", jobs=1, gold=GOLD)
    b = build(CORPUS, tmp_path / "b", jobs=2, gold=GOLD)
    for pa, pb in zip(sorted(a.files), sorted(b.files)):
        assert pa.name == pb.name and pa.read_bytes() == pb.read_bytes()


def test_inline_build_reads_back(tmp_path):
    from nuskha.tei.read import read_tei

    result = build(CORPUS, tmp_path / "inline", inline=True, gold=GOLD)
    content = read_tei(tmp_path / "inline" / "corpus.teiCorpus.xml")
    assert [d.text for d in content.documents] == [(CORPUS / f"{d.id}.txt").read_text(encoding="utf-8")
                                                   for d in content.documents]
    assert content.links and result.links == len(content.links)


def test_refuses_to_write_outside_out(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(OutputError, match="outside"):
        safe_path(out, "../escape.tei.xml")
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    os.symlink(outside / "corpus.teiCorpus.xml", out / "corpus.teiCorpus.xml")
    with pytest.raises(OutputError, match="outside"):
        build(CORPUS, out, gold=GOLD)
    assert not (outside / "corpus.teiCorpus.xml").exists()
    assert [p.name for p in out.iterdir()] == ["corpus.teiCorpus.xml"]  # refused before writing anything


def test_bad_corpus_is_one_line_exit_2(run_nuskha, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    code, _, err = run_nuskha("build", empty, "-o", tmp_path / "out")
    assert code == 2 and "no .txt files" in err and err.count("\n") == 1
    with pytest.raises(InputError):
        build(tmp_path / "missing", tmp_path / "out")


def test_bad_text_stops_with_file_named(run_nuskha, tmp_path):
    corpus = tmp_path / "c"
    corpus.mkdir()
    shutil.copy(CORPUS / "kk-jalal-ad-din-and-temur-malik.txt", corpus)
    (corpus / "zz-broken.txt").write_bytes(b"\xff\xfe bad")
    code, _, err = run_nuskha("build", corpus, "-o", tmp_path / "out", "-q")
    assert code == 2 and "zz-broken.txt" in err and "UTF-8" in err


def test_no_corpus_leaves_out_the_teicorpus(run_nuskha, tmp_path):
    code, _, err = run_nuskha("build", CORPUS, "-o", tmp_path / "o", "--gold", GOLD, "--no-corpus", "-q")
    assert code == 0, err
    names = {p.name for p in (tmp_path / "o").iterdir()}
    assert "corpus.teiCorpus.xml" not in names and "alignment.json" in names
