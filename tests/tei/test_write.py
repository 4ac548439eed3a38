"""TEI writer: the body is the original text, ids are stable, mentions point at exactly their characters."""
from __future__ import annotations

import re

from lxml import etree

from nuskha.document import Document, Lexeme, Mention, Token
from nuskha.tei.read import parse_bytes, resolve, walk
from nuskha.tei.write import corpus_bytes, document_bytes

NS = {"t": "http://www.tei-c.org/ns/1.0"}
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
NSX = {**NS, "xml": "http://www.w3.org/XML/1998/namespace"}


def tree_of(data: bytes):
    return parse_bytes(data).getroot()


def body_of(root):
    return root.find(".//t:body", NS)


def test_body_string_value_is_the_original_text(gold_docs, authority):
    for doc in gold_docs:
        for inline in (False, True):
            root = tree_of(document_bytes(doc, authority, inline=inline))
            assert "".join(body_of(root).itertext()) == doc.text
    ar = gold_docs[0]
    assert ar.text.startswith("   ") and " ،" in ar.text  # the odd spacing the round trip must keep


def test_token_ids_are_readable_stable_and_in_text_order(gold_docs, authority):
    ar = gold_docs[0]
    data = document_bytes(ar, authority)
    assert data == document_bytes(ar, authority)  # same answer every run
    root = tree_of(data)
    ids = [el.get(XML_ID) for el in body_of(root).iter("{*}w", "{*}pc")]
    assert ids[0] == "w1"  # short: the document's own file needs no prefix (a teiCorpus adds one)
    assert all(re.fullmatch(r"(w|pc)\d+", i) for i in ids)
    assert len(ids) == len(ar.tokens)
    w = walk(body_of(root))
    for i, tok in enumerate(ar.tokens[:200]):
        assert w.ids[ids[i]] == (tok.start, tok.end)


def test_language_direction_and_no_bidi_controls(gold_docs, authority):
    ar, kk = gold_docs
    ar_root = tree_of(document_bytes(ar, authority))
    kk_root = tree_of(document_bytes(kk, authority))
    text_el = ar_root.find("t:text", NS)
    assert text_el.get("{http://www.w3.org/XML/1998/namespace}lang") == "ar"
    assert text_el.get("rendition") == "#rtl"
    assert ar_root.find(".//t:rendition[@scheme='css']", NS).text.startswith("direction: rtl")
    assert kk_root.find("t:text", NS).get("rendition") is None
    for data in (document_bytes(ar, authority), document_bytes(kk, authority)):
        assert not re.search("[\u200e\u200f\u202a-\u202e\u2066-\u2069]", data.decode("utf-8"))


def test_header_has_title_source_languages_calendar_and_version(gold_docs, authority):
    import nuskha

    ar = gold_docs[0]
    root = tree_of(document_bytes(ar, authority))
    h = root.find("t:teiHeader", NS)
    assert h.findtext(".//t:titleStmt/t:title", namespaces=NS) == ar.meta["title"]
    assert h.findtext(".//t:sourceDesc//t:note[@type='source']", namespaces=NS) == ar.meta["source"]
    assert h.find(".//t:langUsage/t:language[@ident='ar']", NS) is not None
    assert h.xpath(".//t:calendarDesc/t:calendar[@xml:id='hijri']", namespaces=NSX)
    assert h.find(".//t:appInfo/t:application", NS).get("version") == nuskha.__version__


def test_authority_lists_carry_variants_and_wikidata(gold_docs, authority):
    root = tree_of(document_bytes(gold_docs[0], authority))
    person = root.xpath(".//t:listPerson/t:person[@xml:id='chinggis-khan']", namespaces=NSX)[0]
    assert person.findtext("t:idno[@type='wikidata']", namespaces=NS) == "http://www.wikidata.org/entity/Q720"
    assert person.findtext("t:idno[@type='URI']", namespaces=NS) == "https://w3id.org/nuskha/authority/chinggis-khan"
    names = {(n.get("{http://www.w3.org/XML/1998/namespace}lang"), n.text) for n in person.findall("t:persName", NS)}
    assert ("ar", "جنكيز خان") in names and ("kk", "Шыңғыс хан") in names
    assert root.xpath(".//t:listPlace/t:place[@xml:id='bukhara']", namespaces=NSX)
    assert root.xpath(".//t:listOrg/t:org[@xml:id='mongols']", namespaces=NSX)


def _mention_ranges(root):
    w = walk(body_of(root))
    out = {}
    for ann in root.iterfind(".//t:listAnnotation/t:annotation", NS):
        out[ann.get(XML_ID)] = resolve(ann.get("target"), w.ids)
    return out, w


def test_every_mention_points_at_exactly_its_characters(gold_docs, authority):
    for doc in gold_docs:
        root = tree_of(document_bytes(doc, authority))
        ranges, w = _mention_ranges(root)
        for k, m in enumerate(doc.mentions, 1):
            s, e = ranges[f"m{k}"]
            assert w.text[s:e] == m.text, m


def test_clitic_mention_inside_a_token_points_at_a_part(gold_docs, authority):
    ar = gold_docs[0]
    m = next(m for m in ar.mentions if m.text == "سمرقند" and ar.text[m.start - 1] == "و")
    root = tree_of(document_bytes(ar, authority))
    k = ar.mentions.index(m) + 1
    ann = root.xpath(".//t:annotation[@xml:id=$i]", i=f"m{k}", namespaces=NSX)[0]
    target = ann.get("target")
    assert " " not in target and "string-range" not in target  # one sub-token element
    part = root.xpath("//*[@xml:id=$i]", i=target[1:])[0]
    assert etree.QName(part).localname in ("m", "seg") and part.text == "سمرقند"
    assert etree.QName(part.getparent()).localname == "w" and "".join(part.getparent().itertext()) == "وسمرقند"


def _bare_doc(text: str, mentions: list[Mention], lang: str = "ar") -> Document:
    """Whitespace tokens with no segments, so that splitting happens in the writer, not the morphology."""
    tokens = [Token(m.start(), m.end(), Lexeme(m.group(), "word", m.group(), m.group()))
              for m in re.finditer(r"\S+", text)]
    return Document("bare", lang, text, tokens=tokens, mentions=mentions)


def test_token_without_segments_is_split_into_seg_parts():
    text = "دخل وبخارى ثم"
    s = text.index("بخارى")
    doc = _bare_doc(text, [Mention(s, s + 5, "بخارى", "place", "bukhara")])
    root = tree_of(document_bytes(doc))
    w = root.xpath(".//t:w[@xml:id='w2']", namespaces=NSX)[0]
    assert [(seg.get(XML_ID), seg.text) for seg in w] == [("w2.1", "و"), ("w2.2", "بخارى")]
    assert root.find(".//t:annotation", NS).get("target") == "#w2.2"


def test_range_starting_in_whitespace_falls_back_to_string_range():
    text = "ab  cd ef"
    doc = _bare_doc(text, [Mention(3, 6, " cd", "person", None)], lang="kk")
    root = tree_of(document_bytes(doc))
    target = root.find(".//t:annotation", NS).get("target")
    assert target == "#string-range(id('body'),3,3)"


def test_dates_and_troops_carry_values_as_attributes(gold_docs, authority):
    ar = gold_docs[0]
    for m in ar.mentions:
        if m.type == "date" and m.value and m.value.get("hijri") == "616-12-04":
            m.value = {**m.value, "gregorian": "1220-02-14"}
        if m.type == "troops" and m.value and m.value.get("bound") == "more_than":
            bound = m
    root = tree_of(document_bytes(ar, authority))
    date = next(d for d in root.iterfind(".//t:annotation/t:note/t:date", NS) if d.get("when-custom") == "616-12-04")
    assert date.get("when") == "1220-02-14" and date.get("datingMethod") == "#hijri"
    assert date.find("t:date[@type='written']", NS).get("when-custom") == "1220-02-10"
    measures = [el for el in root.iterfind(".//t:measure", NS) if el.text == bound.text]
    assert measures and measures[0].get("atLeast") == str(bound.value["quantity"])
    assert measures[0].get("quantity") == str(bound.value["quantity"]) and measures[0].get("unit")
    approx = [el for el in root.iterfind(".//t:measure", NS) if el.get("cert") == "medium"]
    assert len(approx) == sum(1 for m in ar.mentions if m.type == "troops" and (m.value or {}).get("approx"))


def test_normalisations_and_corrections_are_recorded(gold_docs, authority):
    from nuskha.document import Correction

    ar = gold_docs[0]
    s = ar.text.index("بعد ا ناخلاها")
    ar.corrections = [Correction(s + 4, s + 13, "ا ناخلاها", "ان اخلاها", "spacing")]
    root = tree_of(document_bytes(ar, authority))
    norms = root.findall(".//t:spanGrp[@type='normalization']/t:span", NS)
    # one span per distinct change of a word form, pointing at every place it is made
    assert sum(len(n.get("target").split()) for n in norms) == len(list(ar.normalizations())) > len(norms)
    w = walk(body_of(root))
    placed = sorted(resolve(p, w.ids) + (n.findtext("t:choice/t:orig", namespaces=NS),)
                    for n in norms for p in n.get("target").split())
    assert placed == sorted((c.start, c.end, c.orig) for c in ar.normalizations())
    assert norms[0].find("t:choice/t:orig", NS) is not None and norms[0].find("t:choice/t:reg", NS) is not None
    corr = root.find(".//t:spanGrp[@type='correction']/t:span", NS)
    assert corr.findtext("t:choice/t:sic", namespaces=NS) == "ا ناخلاها"
    assert corr.findtext("t:choice/t:corr", namespaces=NS) == "ان اخلاها"
    w = walk(body_of(root))
    assert resolve(corr.get("target"), w.ids) == (s + 4, s + 13)


def test_inline_mode_wraps_names_around_tokens(gold_docs, authority):
    ar = gold_docs[0]
    root = tree_of(document_bytes(ar, authority, inline=True))
    names = body_of(root).findall(".//t:persName", NS)
    assert any(n.get("ref") == "nuskha:chinggis-khan wd:Q720" and "".join(n.itertext()) == "جنكيز خان" for n in names)
    # the clitic case: و stays outside, as a word fragment
    place = next(p for p in body_of(root).iterfind(".//t:placeName", NS) if "".join(p.itertext()) == "سمرقند"
                 and p.getprevious() is not None and p.getprevious().get("part") == "I")
    assert "".join(place.getprevious().itertext()) == "و" and place.find("t:w", NS).get("part") == "F"
    assert body_of(root).find(".//t:date", NS) is not None and body_of(root).find(".//t:measure", NS) is not None


def test_corpus_has_shared_lists_and_alignment_links(gold_docs, authority):
    from nuskha.align import align, links

    docs = list(gold_docs)
    root = tree_of(corpus_bytes(docs, authority, links(align(docs, authority))))
    assert etree.QName(root).localname == "teiCorpus"
    assert len(root.findall("t:TEI", NS)) == 2
    grp = root.find("t:standOff/t:linkGrp[@type='alignment']", NS)
    link = next(l for l in grp if l.get("n") == "temur-malik")
    assert link.get("corresp") == "#temur-malik" and len(link.get("target").split()) == 3
    ids = [el.get(XML_ID) for el in root.iter() if isinstance(el.tag, str) and el.get(XML_ID)]
    assert len(ids) == len(set(ids))  # two documents, one file: no id twice


def test_carriage_returns_survive():
    text = "ab\r\ncd\r\n"
    doc = _bare_doc(text, [], lang="kk")
    root = tree_of(document_bytes(doc))
    assert "".join(body_of(root).itertext()) == text


def test_unwritable_characters_are_a_clear_error():
    import pytest

    from nuskha.errors import OutputError

    doc = _bare_doc("ab\x0ccd", [], lang="kk")
    with pytest.raises(OutputError, match="U\\+000C") as info:
        document_bytes(doc)
    assert info.value.position == "offset 2"
    doc = _bare_doc("ab cd", [Mention(0, 2, "ab", "person", None, note="bad \x01 note")], lang="kk")
    with pytest.raises(OutputError, match="cannot be written as XML"):
        document_bytes(doc)


def test_linked_data_prefixes_refs_and_provisional_refs(gold_docs, authority):
    """@ref values are prefixed URIs that listPrefixDef expands; provisional new: refs are declared too."""
    from nuskha.uris import expand

    kk = gold_docs[1]
    kk.mentions[0].ref = "new:temir"
    root = tree_of(document_bytes(kk, authority))
    prefixes = {p.get("ident"): p for p in root.iterfind(".//t:listPrefixDef/t:prefixDef", NS)}
    assert set(prefixes) >= {"wd", "gn", "nuskha", "new"}
    refs = [el.get("ref") for el in root.iterfind(".//t:annotation/t:note/*[@ref]", NS)]
    assert "new:temir" in refs
    for ref in refs:
        for curie in ref.split():
            prefix, rest = curie.split(":", 1)
            pattern = prefixes[prefix].get("matchPattern")
            assert re.fullmatch(pattern, rest), curie
            assert expand(curie).startswith(("http://www.wikidata.org/entity/", "https://"))
    assert not root.xpath(".//t:note[@type='value'][not(*)]", namespaces=NS)  # no JSON in notes


def test_every_era_is_declared_and_seleucid_dates_carry_their_calendar(gold_docs, authority, tei_schema):
    from nuskha.tei.read import read_tree
    from nuskha.tei.validate import validate_tree

    ar = gold_docs[0]
    date = next(m for m in ar.mentions if m.type == "date")
    date.value = {**date.value, "era": "seleucid", "era_date": "1531", "era_date_end": None,
                  "check": {"status": "consistent", "detail": "ok", "scores": [1, 2.5, None, True]}, "century": 13}
    data = document_bytes(ar, authority)
    root = tree_of(data)
    cals = root.xpath(".//t:calendarDesc/t:calendar/@xml:id", namespaces=NSX)
    assert {"hijri", "julian", "seleucid"} <= set(cals)
    methods = {m.lstrip("#") for m in root.xpath(".//@datingMethod | .//@calendar", namespaces=NSX) for m in m.split()}
    assert methods <= set(cals)
    era = root.find(".//t:date/t:date[@type='era']", NS)
    assert era.get("datingMethod") == "#seleucid" and era.get("when-custom") == "1531"
    assert "#seleucid" in era.getparent().get("calendar")
    back = read_tree(parse_bytes(data)).documents[0]
    assert back.mentions == ar.mentions  # the check, the century and the era come back from <fs> and attributes
    assert validate_tree(parse_bytes(data), tei_schema) == []


def test_header_takes_author_date_licence_or_says_they_are_unknown(gold_docs, authority, tei_schema):
    from nuskha.tei.validate import validate_tree

    ar = gold_docs[0]
    unknown = tree_of(document_bytes(ar, authority)).find("t:teiHeader", NS)
    assert "unknown" in unknown.findtext(".//t:titleStmt/t:author", namespaces=NS)
    assert unknown.find(".//t:availability", NS).get("status") == "unknown"
    assert "unknown" in unknown.findtext(".//t:sourceDesc/t:bibl/t:date", namespaces=NS)
    ar.meta.update(author="Abu al-Fida", date="1329", licence="https://creativecommons.org/licenses/by-nc-sa/4.0/")
    data = document_bytes(ar, authority)
    known = tree_of(data).find("t:teiHeader", NS)
    assert known.findtext(".//t:titleStmt/t:author", namespaces=NS) == "Abu al-Fida"
    assert known.findtext(".//t:sourceDesc/t:bibl/t:date", namespaces=NS) == "1329"
    lic = known.find(".//t:availability/t:licence", NS)
    assert lic.get("target") == ar.meta["licence"]
    assert validate_tree(parse_bytes(data), tei_schema) == []



def test_an_annal_date_value_round_trips_byte_for_byte(tmp_path):
    # a value read back need not keep its keys' insertion order (inferred year, gregorian range): the writer's
    # feature structures are in key order, so TEI -> model -> TEI gives the same bytes
    from nuskha import process
    from nuskha.tei.read import read_document
    from nuskha.tei.write import document_bytes

    doc = process("وفي أواخر سنة ثلاثمائة مات الأمير. ثم سار الجيش إلى بخارى في سنة ثمان وثلاثين.", lang="ar",
                  id="annal", annotate=True)
    assert any(m.type == "date" and (m.value or {}).get("inferred") for m in doc.mentions)

    def tei(d) -> bytes:
        out = document_bytes(d)
        return out if isinstance(out, bytes) else b"".join(out)

    first = tei(doc)
    path = tmp_path / "annal.tei.xml"
    path.write_bytes(first)
    assert tei(read_document(path)) == first
