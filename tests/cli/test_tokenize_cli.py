"""``nuskha tokenize`` / ``nuskha normalize``: the JSON contract, TSV, and one-line errors on bad input."""
from __future__ import annotations

import hashlib
import json

import pytest

from tests.conftest import AR_TEXT, KK_TEXT


def test_tokenize_json_contract(run_nuskha):
    code, out, err = run_nuskha("tokenize", KK_TEXT)
    assert code == 0, err
    data = json.loads(out)
    assert {"file", "lang", "sha256", "tokens"} <= set(data)
    text = KK_TEXT.read_text(encoding="utf-8")
    assert data["lang"] == "kk"
    assert data["sha256"] == hashlib.sha256(text.encode("utf-8")).hexdigest()
    for tok in data["tokens"]:
        assert set(tok) >= {"start", "end", "text", "kind", "norm", "lemma", "segments"}
        assert text[tok["start"]:tok["end"]] == tok["text"]
        for seg in tok["segments"]:
            assert tok["start"] <= seg["start"] < seg["end"] <= tok["end"]
            assert text[seg["start"]:seg["end"]] == seg["text"] and seg["role"]


def test_tokenize_detects_arabic_and_splits_dual_dates(run_nuskha):
    code, out, _ = run_nuskha("tokenize", AR_TEXT, "--format", "tsv")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split("\t")[:4] == ["start", "end", "text", "kind"]
    column = [line.split("\t")[2] for line in lines[1:]]
    i = column.index("615")
    assert column[i:i + 5] == ["615", "ه", "/", "1218", "م"]


def test_normalize_lists_changes_with_offsets(run_nuskha, tmp_path):
    f = tmp_path / "t.txt"
    text = "وصلوا إلى بُخارى ٦١٥"
    f.write_text(text, encoding="utf-8")
    code, out, _ = run_nuskha("normalize", f, "--format", "json")
    assert code == 0
    changes = json.loads(out)["changes"]
    assert {c["kind"] for c in changes} == {"alef", "alef_maksura", "diacritic", "digit"}
    assert all(text[c["start"]:c["end"]] == c["orig"] for c in changes)
    assert f.read_text(encoding="utf-8") == text  # never edited


@pytest.mark.parametrize("content, args, message", [
    (b"\xd8\xa8\xd8\xae\xff\xfe", (), "not UTF-8: invalid byte 0xff"),
    (b"", (), "empty file"),
    (b"   \n\t ", (), "empty file"),
    ("Шыңғыс хан әскері".encode(), ("--lang", "ar"), "--lang ar expects Arabic script"),
    ("جنكيز خان".encode(), ("--lang", "kk"), "--lang kk expects Cyrillic script"),
    ("جنكيز خان".encode(), ("--lang", "fr"), "unsupported language 'fr'"),
    (b"Just English words here", (), "cannot tell the language"),
])
def test_bad_input_is_one_line_error_with_file_name(run_nuskha, tmp_path, content, args, message):
    f = tmp_path / "bad.txt"
    f.write_bytes(content)
    for command in ("tokenize", "normalize"):
        code, out, err = run_nuskha(command, f, *args)
        assert code == 2 and out == ""
        assert len(err.strip().splitlines()) == 1, err
        assert str(f) in err and message in err


def test_undecodable_byte_position_is_reported(run_nuskha, tmp_path):
    f = tmp_path / "latin1.txt"
    f.write_bytes("خان".encode() + b" \xe9t\xe9")
    code, _, err = run_nuskha("tokenize", f)
    assert code == 2 and f"{f}:byte 7:" in err


def test_missing_path_and_directory(run_nuskha, tmp_path):
    code, _, err = run_nuskha("tokenize", tmp_path / "nope.txt")
    assert code == 2 and "no such file" in err and "nope.txt" in err
    code, _, err = run_nuskha("tokenize", tmp_path)
    assert code == 2 and "is a directory" in err and str(tmp_path) in err


def test_russian_text_is_tokenised_and_lemmatised(run_nuskha, tmp_path):
    f = tmp_path / "ru.txt"
    f.write_text("Чингисхана встретили у Бухары.", encoding="utf-8")
    code, out, err = run_nuskha("tokenize", f)
    assert code == 0, err
    data = json.loads(out)
    assert data["lang"] == "ru"
    assert [t["lemma"] for t in data["tokens"]][:2] == ["чингисхан", "встретить"]
    code, out, err = run_nuskha("annotate", f)
    assert code == 0, err
