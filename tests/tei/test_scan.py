"""The scanned reading of nuskha's own TEI (:mod:`nuskha.tei.scan`) gives exactly what the tree walk gives, and
steps aside (to the tree walk, with its errors) for anything it does not read."""
from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings

from nuskha.document import Correction, Lexeme
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


def test_standoff_name_mentions_are_cut_out_and_read_as_the_tree_reads_them(gold_docs, authority):
    from nuskha.tei.scan import _cut_name_mentions

    data = document_bytes(gold_docs[0], authority)
    rest, scanned = _cut_name_mentions(data)
    names = [m for m in gold_docs[0].mentions if m.type in ("person", "place", "group") and m.value is None]
    assert scanned and len(scanned) <= len(names) and len(rest) < len(data)
    assert b"<persName" not in rest or len(scanned) < len(names)
    assert_same(scan_tei(data, "x").documents[0], walked(data)[0])


def _first_name_annotation(xml: str) -> re.Match:
    return re.search(r'<annotation xml:id="(m\d+)"[^>]*><note type="(?:person|place|group)">', xml)


def _mention_points_at_a_mention(xml: str) -> str:
    first = _first_name_annotation(xml)
    later = re.search(r'<annotation xml:id="m\d+" target="([^"]*)"', xml[first.end():])
    return xml[:first.end() + later.start(1)] + "#" + first.group(1) + xml[first.end() + later.end(1):]


def _comment_among_mentions(xml: str) -> str:
    return xml.replace('<listAnnotation type="mentions">', '<listAnnotation type="mentions"><!-- m -->', 1)


def _worded_cert(xml: str) -> str:
    first = _first_name_annotation(xml)
    return xml[:first.start()] + re.sub(r'cert="[^"]*"', 'cert="high"', xml[first.start():], count=1)


def _mention_in_a_mention(xml: str) -> str:
    """The second name annotation moved inside the first one (after its note): no mention to the tree reading."""
    first = _first_name_annotation(xml)
    end = xml.index("</annotation>", first.end())
    second = re.search(r'<annotation xml:id="m\d+"[^>]*><note type="(?:person|place|group)">.*?</annotation>',
                       xml[end:])
    rest = xml[end:end + second.start()] + xml[end + second.end():]
    return xml[:end] + second.group(0) + rest


def test_a_mention_whose_text_was_edited_gives_the_tree_readings_error(gold_docs, authority):
    xml = document_bytes(gold_docs[0], authority).decode("utf-8")
    first = _first_name_annotation(xml)
    close = xml.index("</", first.end())  # the end of the name element's text
    data = (xml[:close] + "X" + xml[close:]).encode("utf-8")
    with pytest.raises(XMLError, match="is not the text its target points at") as scanned:
        read_bytes(data, "edited.xml")
    with pytest.raises(XMLError) as tree:
        read_tree(parse_bytes(data, "edited.xml"), "edited.xml")
    assert str(scanned.value) == str(tree.value)


def test_normalisation_spans_are_cut_out_and_read_as_the_tree_reads_them(gold_docs, authority):
    from nuskha.tei.scan import _cut_normalizations

    data = document_bytes(gold_docs[0], authority)
    rest, changes = _cut_normalizations(data)
    assert changes and len(rest) < len(data) and b"<orig>" not in rest
    assert len(changes) == data.count(b"<orig>")
    scanned = scan_tei(data, "x").documents[0]
    assert_same(scanned, walked(data)[0])
    assert document_bytes(scanned, authority) == data


def _first_normalisation(xml: str) -> re.Match:
    return re.search(r'<span target="[^"]*" ana="(#norm\.[^"]*)">', xml)


def _span_with_kind_attribute(xml: str) -> str:
    """A span naming its kind by @n (which the reader takes before @ana): left to the tree."""
    first = _first_normalisation(xml)
    return xml[:first.end() - 1] + ' n="hand"' + xml[first.end() - 1:]


def _comment_among_spans(xml: str) -> str:
    return xml.replace('<spanGrp type="normalization">', '<spanGrp type="normalization"><!-- n -->', 1)


def _unknown_kind(xml: str) -> str:
    first = _first_normalisation(xml)
    return xml[:first.start(1)] + "#norm.nothing" + xml[first.end(1):]


def _escaped_orig(xml: str) -> str:
    """An <orig> written with a character reference: the parser resolves it, the scan leaves the group whole."""
    start = xml.index("<orig>", _first_normalisation(xml).end()) + len("<orig>")
    return xml[:start] + f"&#{ord(xml[start])};" + xml[start + 1:]


def _group_in_a_group(xml: str) -> str:
    """The normalisation group wrapped in another group: not the standOff's own, so the tree reading has no
    normalisations (and the scan must not find them either)."""
    group = re.search(r'<spanGrp type="normalization">.*?</spanGrp>', xml, re.S)
    return xml[:group.start()] + '<spanGrp type="outer">' + group.group(0) + "</spanGrp>" + xml[group.end():]


@pytest.mark.parametrize("edit", [_mention_points_at_a_mention, _comment_among_mentions, _worded_cert,
                                  _mention_in_a_mention, _span_with_kind_attribute, _comment_among_spans,
                                  _unknown_kind, _escaped_orig, _group_in_a_group])
def test_hand_edited_standoff_lists_read_the_same(gold_docs, authority, edit):
    data = edit(document_bytes(gold_docs[0], authority).decode("utf-8")).encode("utf-8")
    assert data != document_bytes(gold_docs[0], authority)
    try:
        tree = walked(data)[0]
    except XMLError as exc:
        with pytest.raises(XMLError) as scanned:
            read_bytes(data)
        assert str(scanned.value) == str(exc)
    else:
        assert_same(read_bytes(data).documents[0], tree)


@pytest.mark.parametrize("segments", [
    ((0, 2, "det", None), (2, 5, "stem", None)),
    ((0, 1, "conj", None), (1, 3, "det", None), (3, 5, "stem", None)),
    ((0, 3, "stem", None), (3, 5, "pron", "هم")),
    ((0, 1, "prep", "بِ"), (1, 4, "stem", None), (4, 5, "pron", None)),
    ((0, 2, "det", None), (2, 5, "suff", None)),
])
def test_words_of_morphological_segments_are_read_from_their_markup_as_the_tree_reads_them(segments):
    from nuskha.document import Document, Segment, Token

    word = "والكتبهم"[:5]
    segs = tuple(Segment(s, e, role, form) for s, e, role, form in segments)
    lex = Lexeme(word, "word", word, word, segments=segs)
    tokens = [Token(0, 5, lex), Token(6, 11, lex), Token(12, 15, Lexeme("كتب", "word", "كتب", "كتب"))]
    doc = Document(id="seg", lang="ar", text=word + " " + word + " كتب", tokens=tokens)
    data = document_bytes(doc)
    scanned = scan_tei(data, "x").documents[0]  # read by the scan, not handed to the tree
    assert_same(scanned, walked(data)[0])
    assert scanned.tokens[0].lex.segments == walked(data)[0].tokens[0].lex.segments
    assert document_bytes(scanned) == data
