"""Document.to_tei() gives the same valid TEI that nuskha build writes."""
from __future__ import annotations

from lxml import etree

from nuskha import load
from nuskha.tei.validate import validate_tree
from nuskha.tei.write import document_bytes
from tests.conftest import AR_TEXT, KK_TEXT


def test_to_tei_is_valid_and_equals_the_build_output(tei_schema, authority):
    for path in (AR_TEXT, KK_TEXT):
        doc = load(path, annotate=True)
        tei = doc.to_tei(authority)
        assert tei.encode("utf-8") == document_bytes(doc, authority)
        assert validate_tree(etree.ElementTree(etree.fromstring(tei.encode("utf-8"))), tei_schema) == []
