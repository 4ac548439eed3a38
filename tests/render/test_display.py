"""Document._repr_html_ (the notebook display), Document.mentions_of and Document.to_tei."""
from __future__ import annotations

import pytest
from lxml import etree

from nuskha import process


@pytest.fixture(scope="module")
def ar():
    return process("وصل جنكيز خان إلى بخارى في ربيع عام 615ه/1218م ومعه ما يقارب سبعين الفا.", lang="ar",
                   annotate=True)


def test_repr_html_is_direction_correct_and_shows_mentions(ar):
    out = ar._repr_html_()
    assert '<article class="doc" lang="ar" dir="rtl"' in out and '<p class="text" lang="ar" dir="rtl"' in out
    assert 'data-label="person"' in out and 'data-label="place"' in out and 'data-label="date"' in out
    assert "Chinggis Khan" in out  # the authority label in the tooltip
    assert "Hijri: 615" in out
    assert "body {" not in out and "body{" not in out  # never restyles the notebook around it


def test_mentions_of_filters_by_type_in_text_order(ar):
    assert [m.type for m in ar.mentions_of("place", "person")] == ["person", "place"]
    assert len(ar.mentions_of()) == len(ar.mentions)
    with pytest.raises(ValueError):
        ar.mentions_of("city")


def test_to_tei_is_a_tei_document_with_the_text(ar):
    root = etree.fromstring(ar.to_tei().encode("utf-8"))
    assert root.tag == "{http://www.tei-c.org/ns/1.0}TEI"
    assert "بخارى" in "".join(root.itertext())


def test_process_does_not_annotate_unless_asked():
    text = "وصل جنكيز خان إلى بخارى"
    assert process(text).mentions == []
    assert {m.type for m in process(text, annotate=True).mentions} == {"person", "place"}
