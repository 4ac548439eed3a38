"""The TEI reader checks what it reads (issue 17): lightly edited nuskha TEI gives one clear error naming the file,
the line and the element -- never a traceback, never a document thinner than its file."""
from __future__ import annotations

import re

import pytest

from nuskha.errors import OutputError, XMLError
from nuskha.tei.read import read_tei
from nuskha.tei.write import check_document, corpus_bytes, document_bytes


@pytest.fixture
def kk_tei(gold_docs, authority):
    return document_bytes(gold_docs[1], authority).decode("utf-8")


def _write(tmp_path, text: str):
    path = tmp_path / "edited.xml"
    path.write_text(text, encoding="utf-8")
    return path


def _refused(tmp_path, text: str, *needles: str) -> XMLError:
    path = _write(tmp_path, text)
    with pytest.raises(XMLError) as info:
        read_tei(path)
    message = str(info.value)
    assert message.startswith(f"{path}:") and "\n" not in message
    line = int(message[len(str(path)) + 1:].split(":")[0])
    assert line > 1  # the line of the offending element
    for needle in needles:
        assert needle in message, message
    return info.value


def test_cert_that_is_no_probability(tmp_path, kk_tei):
    edited = re.sub(r'(<annotation xml:id="m2"[^>]*?cert=")[^"]+', r"\1banana", kk_tei, count=1)
    _refused(tmp_path, edited, "cert='banana'", '<annotation xml:id="m2">')


def test_value_note_that_is_json_not_a_feature_structure(tmp_path, gold_docs, authority):
    kk = gold_docs[1]
    date = next(m for m in kk.mentions if m.type == "date")
    date.value = {**date.value, "check": {"status": "consistent"}}
    text = document_bytes(kk, authority, inline=True).decode("utf-8")
    edited, n = re.subn(r'(<note type="value">)<fs .*?</fs>(</note>)', r'\1{"set": not json\2', text, count=1)
    assert n == 1
    _refused(tmp_path, edited, "feature structure")


def test_link_to_an_unknown_id(tmp_path, gold_docs, authority):
    from nuskha.align import align, links

    docs = list(gold_docs)
    text = corpus_bytes(docs, authority, links(align(docs, authority))).decode("utf-8")
    edited = re.sub(r'(<link [^>]*target=")#[^ "]+', r"\1#nowhere", text, count=1)
    _refused(tmp_path, edited, "unknown id '#nowhere'", "<link>")


@pytest.mark.parametrize("bad", ["#string-range(id('body'),5", "#string-range(id('nobody'),0,3)",
                                 "#string-range(id('body'),0,0)", "#string-range(id('body'),0,99999999)"],
                         ids=["malformed", "unknown-id", "empty", "past-the-end"])
def test_bad_string_range(tmp_path, kk_tei, bad):
    edited = re.sub(r'(<annotation xml:id="m1" target=")[^"]+', lambda m: m.group(1) + bad, kk_tei, count=1)
    _refused(tmp_path, edited, '<annotation xml:id="m1">')


def test_renamed_mention_ids_are_refused_not_thinned(tmp_path, kk_tei):
    edited = re.sub(r'xml:id="m(\d+)"', r'xml:id="mention-\1"', kk_tei)
    _refused(tmp_path, edited, "lose")


def test_mention_text_must_be_the_text_it_points_at(tmp_path, kk_tei):
    edited = re.sub(r'(<annotation xml:id="m1".*?<(?:persName|placeName|orgName)[^>]*>)[^<]+', r"\1Someone",
                    kk_tei, count=1)
    _refused(tmp_path, edited, "'Someone'")


def test_unknown_attribute_on_a_token_is_refused(tmp_path, kk_tei):
    edited = kk_tei.replace('<w xml:id="w3"', '<w xml:id="w3" pos="NOUN"', 1)
    _refused(tmp_path, edited, "pos", '<w xml:id="w3">')


def test_normalisation_orig_must_match(tmp_path, gold_docs, authority):
    text = document_bytes(gold_docs[0], authority).decode("utf-8")
    edited = re.sub(r"<orig>[^<]+</orig>", "<orig>Z</orig>", text, count=1)
    _refused(tmp_path, edited, "<orig>Z</orig>")


def test_cli_gives_one_line_and_exit_2(run_nuskha_tei, tmp_path, kk_tei):
    path = _write(tmp_path, re.sub(r'(<annotation xml:id="m2"[^>]*?cert=")[^"]+', r"\1banana", kk_tei, count=1))
    code, out, err = run_nuskha_tei("align", path, path)
    assert code == 2 and "banana" in err and "Traceback" not in err and err.strip().count("\n") == 0


# --- the writer refuses what it knows is invalid ---------------------------------------------------------------

def test_malformed_refs_are_refused_before_writing(gold_docs, authority):
    kk = gold_docs[1]
    kk.mentions[0].ref = "Temur Malik"  # a space: it cannot be a URI or an xml:id
    assert check_document(kk, authority)
    with pytest.raises(OutputError, match="refusing to write invalid TEI.*Temur Malik"):
        document_bytes(kk, authority)


def test_malformed_wikidata_in_the_authority_is_refused(gold_docs, authority):
    import copy

    auth = copy.deepcopy(authority)
    kk = gold_docs[1]
    ref = next(m.ref for m in kk.mentions if m.ref in auth.records)
    auth.records[ref].wikidata = "720"
    with pytest.raises(OutputError, match="Wikidata"):
        document_bytes(kk, auth)


def test_build_refuses_invalid_tei_with_one_line_and_exit_2(run_nuskha_tei, tmp_path):
    """A malformed Wikidata id in the authority file: build writes no TEI for a document that names the record."""
    from tests.conftest import CORPUS, ROOT

    lines = (ROOT / "src" / "nuskha" / "data" / "authority.tsv").read_text(encoding="utf-8").splitlines()
    bad = ["\t".join(c if c != "Q720" else "720" for c in line.split("\t")) for line in lines]
    assert bad != lines
    auth = tmp_path / "authority.tsv"
    auth.write_text("\n".join(bad) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    code, _, err = run_nuskha_tei("build", CORPUS, "-o", out, "--authority", auth)
    assert code == 2 and "refusing to write invalid TEI" in err and "Traceback" not in err, err
    assert all(line.startswith("nuskha: error:") for line in err.strip().splitlines())  # a line per failure
    assert not list(out.glob("ar-*.tei.xml"))
