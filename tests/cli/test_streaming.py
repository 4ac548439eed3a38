"""Streaming outputs: the JSON contract byte for byte as before, JSON lines, and blocks that change nothing."""
from __future__ import annotations

import io
import json

import pytest

from nuskha.cli.common import write_json_streaming
from nuskha.cli.tokenize import tokens_json
from nuskha.io import open_text
from nuskha.pipeline import load, process, process_blocks
from tests.conftest import AR_TEXT, KK_TEXT


@pytest.mark.parametrize("head, arrays", [
    ({"file": "a", "lang": "ar", "sha256": "x"}, {"tokens": [{"start": 0, "segments": []}, {"v": {"a": [1]}}],
                                                  "sentences": [{"start": 0, "end": 1}]}),
    ({"file": "ب\n\"q\""}, {"mentions": []}),
    ({}, {"mentions": [{"value": None, "note": "x"}]}),
    ({"k": [1, {"z": []}]}, {}),
])
def test_streaming_json_is_what_json_dumps_writes(head, arrays):
    out = io.StringIO()
    write_json_streaming(out, head, {k: iter(v) for k, v in arrays.items()})
    assert out.getvalue() == json.dumps({**head, **arrays}, ensure_ascii=False, indent=1) + "\n"


@pytest.mark.parametrize("path", [AR_TEXT, KK_TEXT])
def test_tokenize_json_is_byte_identical_to_the_whole_document_contract(run_nuskha, path):
    code, out, err = run_nuskha("tokenize", path)
    assert code == 0, err
    assert out == json.dumps(tokens_json(load(path), str(path)), ensure_ascii=False, indent=1) + "\n"


def test_annotate_jsonl_has_a_header_then_one_mention_a_line(run_nuskha):
    code, out, err = run_nuskha("annotate", AR_TEXT, "--format", "jsonl")
    assert code == 0, err
    lines = out.splitlines()
    head = json.loads(lines[0])
    assert set(head) == {"file", "lang", "sha256"} and head["lang"] == "ar"
    whole = load(AR_TEXT, annotate=True)
    assert [json.loads(line) for line in lines[1:]] == [m.to_json() for m in whole.mentions]


def test_tokenize_jsonl_numbers_sentences(run_nuskha):
    code, out, err = run_nuskha("tokenize", KK_TEXT, "--format", "jsonl")
    assert code == 0, err
    tokens = [json.loads(line) for line in out.splitlines()[1:]]
    doc = load(KK_TEXT)
    assert [(t["start"], t["end"]) for t in tokens] == [(t.start, t.end) for t in doc.tokens]
    for k, s in enumerate(doc.sentences):
        inside = [t for t in tokens if s.start <= t["start"] < s.end]
        assert inside and {t["sentence"] for t in inside} == {k}


def test_blocks_cut_at_line_breaks_give_the_whole_document_layers(tmp_path):
    text = "\n\n".join([AR_TEXT.read_text(encoding="utf-8")] * 3) + "\r\nآخر سطر بلا نهاية"
    f = tmp_path / "long.txt"
    f.write_text(text, encoding="utf-8", newline="")
    whole = process(text, "ar")
    with open_text(f) as stream:
        blocks = list(process_blocks(stream, "ar", block_chars=1600))
    assert len(blocks) > 3
    assert "".join(doc.text for _, doc in blocks) == text
    assert [(o + t.start, o + t.end, t.norm, t.lemma) for o, d in blocks for t in d.tokens] == \
        [(t.start, t.end, t.norm, t.lemma) for t in whole.tokens]
    assert [(o + s.start, o + s.end) for o, d in blocks for s in d.sentences] == \
        [(s.start, s.end) for s in whole.sentences]
    assert [(o + c.start, c.orig, c.reg) for o, d in blocks for c in d.normalizations()] == \
        [(c.start, c.orig, c.reg) for c in whole.normalizations()]


def test_a_line_longer_than_a_block_is_cut_at_whitespace_only(tmp_path):
    text = " ".join(["Темір-Мәлік"] * 400)
    f = tmp_path / "line.txt"
    f.write_text(text, encoding="utf-8")
    with open_text(f) as stream:
        blocks = list(process_blocks(stream, "kk", block_chars=100))
    assert [o + t.start for o, d in blocks for t in d.tokens] == [t.start for t in process(text, "kk").tokens]


from hypothesis import given, settings, strategies as st  # noqa: E402

from nuskha.cli.common import dumps_indented  # noqa: E402

_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(
        st.text(max_size=5) | st.integers() | st.booleans() | st.none(), children, max_size=4),
    max_leaves=20)


@settings(max_examples=300, deadline=None)
@given(_json_values)
def test_fast_indented_json_is_json_dumps(value):
    assert dumps_indented(value) == json.dumps(value, ensure_ascii=False, indent=1)


def test_a_word_across_the_block_edge_is_never_cut(tmp_path):
    # found by the fuzz harness: no whitespace in the second half of a block used to cut the word itself
    text = "يتها " + "والطبيعية" * 3 + " توجه"
    f = tmp_path / "w.txt"
    f.write_text(text, encoding="utf-8")
    with open_text(f) as stream:
        got = [(o + t.start, o + t.end) for o, d in process_blocks(stream, "ar", block_chars=16) for t in d.tokens]
    assert got == [(t.start, t.end) for t in process(text, "ar").tokens]


def test_a_reader_that_closes_the_pipe_early_is_not_a_failure():
    # `nuskha tokenize TEXT | head -1`: click reports the closed pipe as exit status 1; nuskha leaves quietly with 0.
    import subprocess
    import sys

    proc = subprocess.Popen([sys.executable, "-m", "nuskha", "tokenize", str(AR_TEXT)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout.read(16)
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 0, err
    assert err == ""
