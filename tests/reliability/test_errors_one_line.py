"""Errors, not tracebacks (issue 17.5): unwritable outputs, name collisions, spreadsheet authority files, control
characters, rare code points, and any library error at the command-line boundary."""
from __future__ import annotations

import json
import sqlite3

import pytest

from nuskha.authority import parse_authority
from nuskha.build import build, output_names
from nuskha.errors import DataError, OutputError, describe
from tests.conftest import AR_TEXT, GOLD
from tests.reliability.scale_helpers import copy_corpus, one_line_error, run_nuskha


def test_output_folder_that_cannot_be_created(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    code, _, err = run_nuskha("build", copy_corpus(tmp_path / "c"), "-o", blocker / "out", "-q")
    assert one_line_error(code, err, "cannot create the output folder")


def test_a_text_named_corpus_keeps_its_tei(tmp_path):
    corpus = copy_corpus(tmp_path / "c")
    (corpus / "corpus.txt").write_text(AR_TEXT.read_text(encoding="utf-8"), encoding="utf-8")
    result = build(corpus, tmp_path / "out", gold=GOLD)
    names = {p.name for p in result.files}
    assert {"corpus.tei.xml", "corpus.mentions.json", "corpus.teiCorpus.xml"} <= names
    assert b"<teiCorpus" not in (tmp_path / "out" / "corpus.tei.xml").read_bytes()
    assert b"<teiCorpus" in (tmp_path / "out" / "corpus.teiCorpus.xml").read_bytes()


def test_outputs_that_differ_only_in_case_are_refused():
    with pytest.raises(OutputError, match="two outputs would be one file"):
        output_names(["Otrar", "otrar"])


HEADER = "ref\ttype\tlabel_en\tar\tkk"


@pytest.mark.parametrize("text", [
    "\ufeff" + HEADER + "\nbukhara\tplace\tBukhara\tبخارى\tБұхара\n",                      # spreadsheet BOM
    HEADER + "\r\nbukhara\tplace\tBukhara\tبخارى\tБұхара\r\n",                             # CRLF
    HEADER + '\n"bukhara"\tplace\t"Bukhara, ""the noble"""\t"بخارى"\tБұхара\n',            # quoted cells
    HEADER + "\nbukhara\tplace\tBukhara\tبخارى\n",                                          # short row
])
def test_authority_as_spreadsheets_save_it_is_read(text):
    rec = parse_authority(text, "a.tsv")["bukhara"]
    assert rec.type == "place" and rec.variants["ar"] == ["بخارى"] and rec.label_en.startswith("Bukhara")


@pytest.mark.parametrize("text, message", [
    (HEADER + "\n\tplace\tX\tس\n", "needs a ref and a type"),
    (HEADER + "\nbukhara\n", "needs a ref and a type"),
    (HEADER + '\n"bukhara\tplace\tX\tس\n', "quoted cell is not closed"),
    ("ref\ttype\tlabel\n", "unknown column"),
])
def test_malformed_authority_rows_are_refused_with_their_line(text, message):
    with pytest.raises(DataError, match=message) as info:
        parse_authority(text, "a.tsv")
    assert info.value.position and info.value.position.startswith("line ")


def test_build_refuses_an_authority_whose_refs_make_invalid_tei(tmp_path):
    auth = tmp_path / "a.tsv"
    auth.write_text(HEADER + "\nbad ref\tplace\tBukhara\tبخارى\tБұхара\n", encoding="utf-8")
    code, _, err = run_nuskha("build", copy_corpus(tmp_path / "c"), "-o", tmp_path / "out", "--authority", auth,
                              "-q")
    assert one_line_error(code, err, "a.tsv", "line 2", "TEI would be invalid")
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


def test_control_characters_are_escaped_in_tsv(tmp_path):
    f = tmp_path / "esc.txt"
    f.write_text("سار\x1b[31m جنكيز\x07 خان\u0085 إلى بخارى\\n", encoding="utf-8")
    code, out, err = run_nuskha("tokenize", f, "--format", "tsv")
    assert code == 0, err
    assert not any(ch in out for ch in "\x1b\x07\u0085")
    assert "\t\\x1b\tpunct" in out
    assert "\t\\\\\tpunct" in out  # a backslash of the text is itself escaped, so \x1b above is unambiguous


def test_russian_with_a_tangut_ideograph_is_tokenised(tmp_path):
    f = tmp_path / "ru.txt"
    f.write_text("Чингисхан пришёл в Отрар 𗓻 и взял город.", encoding="utf-8")
    code, out, err = run_nuskha("tokenize", f, "--lang", "ru", "--format", "jsonl")
    assert code == 0, err
    assert any(json.loads(line).get("text") == "𗓻" for line in out.splitlines()[1:])


@pytest.mark.parametrize("exc, needle", [
    (sqlite3.DatabaseError("database disk image is malformed"), "database error"),
    (FileNotFoundError(2, "No such file or directory", "/x/y"), "/x/y: No such file or directory"),
    (OSError(28, "No space left on device"), "No space left on device"),
    (MemoryError(), "out of memory"),
    (ValueError("bad\nthing"), "unexpected ValueError: bad thing"),
])
def test_every_exception_is_described_in_one_line(exc, needle):
    line = describe(exc)
    assert needle in line and "\n" not in line


def test_an_unexpected_error_reaches_the_user_as_one_line(tmp_path):
    # a sidecar that is JSON but whose language is a number: a TypeError deep inside, not a nuskha error
    f = tmp_path / "t.txt"
    f.write_text("سار جنكيز خان", encoding="utf-8")
    (tmp_path / "t.meta.json").write_text('{"language": 5}', encoding="utf-8")
    code, out, err = run_nuskha("annotate", f)
    assert one_line_error(code, err)
