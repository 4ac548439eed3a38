"""``nuskha build CORPUS --dask [ADDRESS]``: the same files as a local build, byte for byte; a failing document
reported while the others are written."""
from __future__ import annotations

import pytest

from nuskha.build import build
from nuskha.cli.build import dask_argv
from tests.reliability.scale_helpers import copy_corpus, run_nuskha

pytest.importorskip("distributed", reason="the optional extra nuskha[dask] is not installed")


def test_dask_argv_takes_the_address_optionally(tmp_path):
    assert dask_argv(["build", "c", "--dask"]) == ["build", "c", "--dask=local"]
    assert dask_argv(["build", "c", "--dask", "-q"]) == ["build", "c", "--dask=local", "-q"]
    assert dask_argv(["build", "--dask", str(tmp_path), "-o", "o"]) == ["build", "--dask=local", str(tmp_path),
                                                                        "-o", "o"]
    assert dask_argv(["build", "c", "--dask", "tcp://10.0.0.5:8786"]) == ["build", "c", "--dask",
                                                                          "tcp://10.0.0.5:8786"]


def test_eight_documents_on_a_local_cluster_match_a_local_build_byte_for_byte(tmp_path):
    corpus = copy_corpus(tmp_path / "c", copies=4)
    code, _, err = run_nuskha("build", corpus, "-o", tmp_path / "local", "-q")
    assert code == 0, err
    code, _, err = run_nuskha("build", corpus, "-o", tmp_path / "dask", "--dask", "--jobs", "2", "-q")
    assert code == 0, err
    local = sorted(p.name for p in (tmp_path / "local").iterdir())
    assert len(local) == 8 * 2 + 2
    assert sorted(p.name for p in (tmp_path / "dask").iterdir()) == local  # no temporary file either
    for name in local:
        assert (tmp_path / "dask" / name).read_bytes() == (tmp_path / "local" / name).read_bytes(), name


@pytest.mark.parametrize("backend", ["processes", "dask"])
def test_a_failing_document_is_reported_and_the_others_written(tmp_path, backend):
    corpus = copy_corpus(tmp_path / "c", copies=2)
    (corpus / "broken.txt").write_bytes(b"\xd8\xb3\xff not utf-8")
    out = tmp_path / "out"
    result = build(corpus, out, jobs=2, strict=False, dask="local" if backend == "dask" else None)
    assert len(result.failures) == 1 and "broken.txt" in result.failures[0] and "UTF-8" in result.failures[0]
    assert len(result.documents) == 4
    assert {p.name for p in out.iterdir()} == {*(f"{s.id}{x}" for s in result.documents
                                                 for x in (".tei.xml", ".mentions.json")),
                                               "alignment.json", "corpus.teiCorpus.xml"}


def test_the_command_line_names_the_failed_document_and_exits_2(tmp_path):
    corpus = copy_corpus(tmp_path / "c")
    (corpus / "broken.txt").write_bytes(b"\xff")
    code, _, err = run_nuskha("build", corpus, "-o", tmp_path / "out", "-q", "--jobs", "2")
    lines = err.splitlines()
    assert code == 2 and len(lines) == 2 and "broken.txt" in lines[0] and "1 of 3 document(s) failed" in lines[1]
    assert (tmp_path / "out" / "kk-jalal-ad-din-and-temur-malik.tei.xml").exists()
