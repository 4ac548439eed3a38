"""The scanned reading of nuskha's own TEI (:mod:`nuskha.tei.scan`) gives exactly what the tree walk gives, and
steps aside (to the tree walk, with its errors) for anything it does not read."""
from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings

from nuskha.document import Correction
from nuskha.errors import XMLError
from nuskha.tei.read import parse_bytes, read_bytes, read_tree
from nuskha.tei.scan import NotScanned, scan_tei
from nuskha.tei.write import corpus_bytes, document_bytes
from tests.tei.test_read import LAYERS, documents


def walked(data: bytes):
    return read_tree(parse_bytes(data)).documents


def assert_same(a, b):
    for layer in LAYERS:
        assert getattr(a, layer) == getattr(b, layer), layer


def test_scan_reads_the_book_passages_as_the_tree_walk_does(gold_docs, authority):
    for doc in gold_docs:
        s = doc.text.index(" ") + 1
        doc.corrections = [Correction(s, s + 3, doc.text[s:s + 3], "x", "typo")]
        data = document_bytes(doc, authority)
        scanned = scan_tei(data, "x").documents[0]  # NotScanned would fail the test: the scan must take these
        assert_same(scanned, doc)
        assert_same(scanned, walked(data)[0])
        assert document_bytes(scanned, authority) == data


def test_escaped_characters_and_line_ends_are_read_as_the_parser_reads_them():
    from nuskha.pipeline import process

    doc = process('Абай & Шәкәрім <хат>\r\nжазды "тез" >\tсол\n\nкүні.', "kk", id="esc")
    data = document_bytes(doc)
    scanned = scan_tei(data, "x").documents[0]
    assert scanned.text == doc.text
    assert_same(scanned, walked(data)[0])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_scan_and_tree_walk_agree_on_any_document(doc):
    data = document_bytes(doc)
    assert_same(read_bytes(data).documents[0], walked(data)[0])


def _comment_in_sentence(xml: str) -> str:
    return xml.replace('<s xml:id="s1">', '<s xml:id="s1"><!-- checked -->', 1)


def _reference_in_gap(xml: str) -> str:
    return re.sub(r"</w> <w", "</w>&#32;<w", xml, count=1)


def _attribute_spacing(xml: str) -> str:
    return re.sub(r'<w xml:id="(w\d+)" lemma=', r'<w  xml:id="\1" lemma=', xml, count=1)


@pytest.mark.parametrize("edit", [_comment_in_sentence, _reference_in_gap, _attribute_spacing])
def test_hand_edited_files_read_the_same(gold_docs, authority, edit):
    data = edit(document_bytes(gold_docs[0], authority).decode("utf-8")).encode("utf-8")
    assert data != document_bytes(gold_docs[0], authority)
    assert_same(read_bytes(data).documents[0], walked(data)[0])


def test_inline_files_and_corpora_go_to_the_tree_walk(gold_docs, authority):
    inline = document_bytes(gold_docs[0], authority, inline=True)
    with pytest.raises(NotScanned):
        scan_tei(inline, "x")
    assert_same(read_bytes(inline).documents[0], walked(inline)[0])
    corpus = corpus_bytes(list(gold_docs), authority)
    assert [d.text for d in read_bytes(corpus).documents] == [d.text for d in gold_docs]


@pytest.mark.parametrize("edit, message", [
    (lambda x: x.replace('xml:id="w2"', 'xml:id="w1"', 1), "used twice"),
    (lambda x: x.replace('<w xml:id="w3"', '<w xml:id="w3" foo="x"', 1), "foo"),
])
def test_errors_are_the_tree_walks_with_their_line(gold_docs, authority, edit, message):
    data = edit(document_bytes(gold_docs[0], authority).decode("utf-8")).encode("utf-8")
    with pytest.raises(XMLError, match=message) as scanned:
        read_bytes(data, "edited.xml")
    with pytest.raises(XMLError) as tree:
        read_tree(parse_bytes(data, "edited.xml"), "edited.xml")
    assert str(scanned.value) == str(tree.value)
