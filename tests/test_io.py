from __future__ import annotations

import os
import stat

import pytest

from nuskha.errors import InputError
from nuskha.io import iter_corpus, read_text, write_atomic
from tests.conftest import CORPUS


def test_write_atomic_replaces_whole_file_with_normal_permissions(tmp_path):
    target = tmp_path / "sub" / "out.xml"
    write_atomic(target, "one")
    write_atomic(target, "two")
    assert target.read_text() == "two"
    assert [p.name for p in target.parent.iterdir()] == ["out.xml"]  # no temporary file left behind
    mask = os.umask(0)
    os.umask(mask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~mask


def test_write_atomic_leaves_nothing_when_writing_fails(tmp_path):
    target = tmp_path / "out.txt"
    with pytest.raises(TypeError):
        write_atomic(target, 12345)  # not str or bytes
    assert list(tmp_path.iterdir()) == []


def test_read_text_keeps_bom_and_exact_text(tmp_path):
    f = tmp_path / "bom.txt"
    f.write_bytes("\ufeffخان\r\n".encode())
    assert read_text(f) == "\ufeffخان\r\n"


def test_corpus_folder_reads_texts_with_sidecars():
    entries = list(iter_corpus(CORPUS))
    assert [e.id for e in entries] == ["ar-khwarazmshah-and-chinggis-khan", "kk-jalal-ad-din-and-temur-malik"]
    assert [e.lang for e in entries] == ["ar", "kk"]
    assert all(e.meta["title"] and e.meta["seed"].endswith(".txt") for e in entries)


def test_corpus_folder_errors(tmp_path):
    with pytest.raises(InputError, match="no .txt files"):
        list(iter_corpus(tmp_path))
    with pytest.raises(InputError, match="not a corpus folder"):
        list(iter_corpus(tmp_path / "missing"))
