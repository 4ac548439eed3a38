"""TEI reader: TEI -> model -> TEI is identical; the text read back is the original file; offsets are kept."""
from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nuskha.document import Correction, Document, Lexeme, Mention, Segment, Token
from nuskha.errors import XMLError
from nuskha.tei.read import parse_bytes, read_document, read_tei, read_tree
from nuskha.tei.write import corpus_bytes, document_bytes, write_document
from tests.conftest import AR_TEXT, KK_TEXT

LAYERS = ("id", "lang", "text", "meta", "tokens", "sentences", "paragraphs", "mentions", "corrections")


def read_back(data: bytes):
    return read_tree(parse_bytes(data))


@pytest.mark.parametrize("inline", [False, True], ids=["standoff", "inline"])
def test_round_trip_document_and_tei(gold_docs, authority, inline):
    for doc in gold_docs:
        s = doc.text.index(" ") + 1
        doc.corrections = [Correction(s, s + 3, doc.text[s:s + 3], "x", "typo")]
        data = document_bytes(doc, authority, inline=inline)
        back = read_back(data).documents[0]
        for layer in LAYERS:  # model -> TEI -> model: every layer the same
            assert getattr(back, layer) == getattr(doc, layer), layer
        assert document_bytes(back, authority, inline=inline) == data  # TEI -> model -> TEI: identical


def test_text_read_back_equals_the_original_file_byte_for_byte(gold_docs, authority, tmp_path):
    for doc, path in zip(gold_docs, (AR_TEXT, KK_TEXT)):
        out = tmp_path / f"{doc.id}.tei.xml"
        write_document(doc, out, authority)
        back = read_document(out)
        assert back.text.encode("utf-8") == path.read_bytes()
        assert [(m.start, m.end, m.text) for m in back.mentions] == [(m.start, m.end, m.text) for m in doc.mentions]
        assert [m.value for m in back.mentions] == [m.value for m in doc.mentions]


def test_corpus_round_trip_keeps_links(gold_docs, authority):
    from nuskha.align import align, links

    docs = list(gold_docs)
    lk = links(align(docs, authority))
    data = corpus_bytes(docs, authority, lk)
    content = read_back(data)
    assert [d.id for d in content.documents] == [d.id for d in docs]
    assert content.links == lk
    assert corpus_bytes(content.documents, authority, content.links) == data


def test_values_that_attributes_cannot_say_survive(gold_docs, authority):
    kk = gold_docs[1]
    date = next(m for m in kk.mentions if m.type == "date")
    date.value = {**date.value, "gregorian": "1220", "check": {"status": "consistent"}, "extra": [1, 2]}
    troops = next(m for m in kk.mentions if m.type == "troops")
    troops.value = {"quantity": 300, "unit": "soldier", "approx": True, "bound": "at_most"}
    name = next(m for m in kk.mentions if m.type == "person")
    name.ref = "new:temir"
    name.cert = 0.35
    name.source = "rule"
    back = read_back(document_bytes(kk, authority)).documents[0]
    assert back.mentions == kk.mentions


_WORDS = ["وبخارى", "جنكيز", "خان", "،", "Темір-Мәлік", "ТемірМәлікпен", "615ه", "/", "a"]


@st.composite
def documents(draw):
    words = draw(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=8))
    gaps = draw(st.lists(st.sampled_from([" ", "  ", "\n", " \n   ", "\t", "\r\n"]), min_size=len(words) + 1,
                         max_size=len(words) + 1))
    split = draw(st.booleans())  # morphological segments (<m>) on longer words, or none
    text, tokens = gaps[0], []
    for w, g in zip(words, gaps[1:]):
        segs = (Segment(0, 1, "conj"), Segment(1, len(w), "stem")) if split and len(w) > 3 else ()
        tokens.append(Token(len(text), len(text) + len(w),
                            Lexeme(w, "punct" if w in "،/" else "word", w, w, segments=segs)))
        text += w + g
    mentions = []
    for _ in range(draw(st.integers(0, 4))):
        s = draw(st.integers(0, len(text) - 1))
        e = draw(st.integers(s + 1, len(text)))
        mentions.append(Mention(s, e, text[s:e], draw(st.sampled_from(["person", "place", "date", "troops"]))))
    return Document("h", "ar", text, tokens=tokens, mentions=mentions)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents(), st.booleans())
def test_any_range_round_trips(doc, inline):
    """Mentions anywhere -- inside tokens, in whitespace, across lines -- come back at the same offsets."""
    data = document_bytes(doc, inline=inline)
    back = read_back(data).documents[0]
    assert back.text == doc.text
    assert [(m.start, m.end, m.type) for m in back.mentions] == [(m.start, m.end, m.type) for m in doc.mentions]
    assert back.tokens == doc.tokens
    assert document_bytes(back, inline=inline) == data


FOREIGN = """<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0">
  <teiHeader><fileDesc><titleStmt><title>Foreign</title></titleStmt>
    <publicationStmt><p>x</p></publicationStmt><sourceDesc><p>x</p></sourceDesc></fileDesc></teiHeader>
  <text xml:lang="ar"><body><p>وصل <persName ref="#chinggis-khan">جنكيز خان</persName> إلى <placeName
  key="bukhara">بخارى</placeName> في <date when="1220-02-14" when-custom="616-12-04"
  datingMethod="#hijri">4 ذي الحجة عام 616ه</date> مع <measure quantity="70000" unit="soldier"
  atLeast="70000">سبعين الفا</measure>.</p></body></text>
</TEI>"""


def test_foreign_inline_tei_is_imported(tmp_path):
    path = tmp_path / "foreign.xml"
    path.write_text(FOREIGN, encoding="utf-8")
    doc = read_document(path)
    assert doc.lang == "ar" and doc.meta["title"] == "Foreign" and doc.tokens
    got = {m.type: m for m in doc.mentions}
    assert set(got) == {"person", "place", "date", "troops"}
    for m in doc.mentions:
        assert doc.text[m.start:m.end] == m.text
    assert got["person"].text == "جنكيز خان" and got["person"].ref == "chinggis-khan"
    assert got["place"].text == "بخارى" and got["place"].ref == "bukhara"
    assert got["date"].value["hijri"] == "616-12-04" and got["date"].value["gregorian"] == "1220-02-14"
    assert got["troops"].value == {"quantity": 70000, "unit": "soldier", "approx": False, "bound": "more_than"}


def test_reading_a_non_tei_file_is_a_clear_error(tmp_path):
    path = tmp_path / "x.xml"
    path.write_text("<root><a/></root>", encoding="utf-8")
    with pytest.raises(XMLError, match="not TEI"):
        read_tei(path)


def test_unknown_pointer_is_reported_with_its_line(gold_docs, authority):
    data = document_bytes(gold_docs[1], authority).decode("utf-8")
    data = re.sub(r'(<annotation xml:id="m\d+" target=")[^"]+', r"\1#nowhere", data, count=1)
    with pytest.raises(XMLError, match="nowhere"):
        read_back(data.encode("utf-8"))


def test_built_files_read_back_and_rewrite_identically(tmp_path, authority):
    """With the real recognisers: every per-document file of ``nuskha build`` -> model -> the same bytes."""
    from nuskha.build import build
    from tests.conftest import CORPUS

    for inline in (False, True):
        result = build(CORPUS, tmp_path / str(inline), inline=inline)
        for summary in result.documents:
            path = result.out / summary.tei
            back = read_document(path)
            assert back.text == (CORPUS / f"{summary.id}.txt").read_text(encoding="utf-8")
            assert document_bytes(back, authority, inline=inline) == path.read_bytes()
