"""Every export of the corpus reads back with a parser: CoNLL-U with the conllu package, IOB2 with the KazNERD
reader, CSV with the csv module, Web Annotation as JSON-LD checked against the W3C model's shape."""
from __future__ import annotations

import csv
import io
import json
import re
from urllib.parse import urlparse

import pytest

from nuskha.export import export_text, load_documents
from nuskha.uris import ref_uri, wikidata_uri
from tests.conftest import CORPUS


@pytest.fixture(scope="module")
def docs():
    return load_documents(CORPUS)


@pytest.fixture(scope="module")
def authority():
    from nuskha.authority import load_authority

    return load_authority()


def _outermost(mentions):
    chosen, last = [], -1
    for m in sorted(mentions, key=lambda m: (m.start, -m.end)):
        if m.start >= last:
            chosen.append(m)
            last = m.end
    return chosen


def test_conllu_reads_back_with_the_conllu_package(docs, authority):
    conllu = pytest.importorskip("conllu")
    sentences = conllu.parse(export_text(docs, "conllu", authority))
    assert len(sentences) == sum(len(d.sentences) for d in docs)
    by_id = {d.id: d for d in docs}
    doc = None
    seen_b: dict[str, list[tuple[int, str]]] = {d.id: [] for d in docs}
    mwt = 0
    for sent in sentences:
        if "newdoc id" in sent.metadata:
            doc = by_id[sent.metadata["newdoc id"]]
        ids = [t["id"] for t in sent]
        words = [t for t in sent if isinstance(t["id"], int)]
        assert [w["id"] for w in words] == list(range(1, len(words) + 1))  # words numbered 1..n
        pending_range = None
        for tok in sent:
            if isinstance(tok["id"], tuple):  # a multiword token: its words join back into its form
                mwt += 1
                a, _, b = tok["id"]
                parts = [t["form"] for t in sent if isinstance(t["id"], int) and a <= t["id"] <= b]
                assert "".join(parts) == tok["form"]
                pending_range = tok["misc"]["TokenRange"]
            misc = tok["misc"] or {}
            if "TokenRange" in misc:
                s, e = map(int, misc["TokenRange"].split(":"))
                assert doc.text[s:e] == tok["form"]  # offsets index the original text
            if isinstance(tok["id"], int) and misc.get("Mention", "").startswith("B-"):
                rng = misc.get("TokenRange") or pending_range
                seen_b[doc.id].append((int(rng.split(":")[0]), misc["Mention"][2:]))
        assert ids
    assert mwt > 50  # Arabic clitics are multiword tokens
    for d in docs:  # every mention starts a B- word in a token that overlaps its first character
        starts = sorted(seen_b[d.id])
        assert len(starts) == len(_outermost(d.mentions)), d.id
    kk = next(s for s in sentences if s.metadata.get("newdoc id", "").startswith("kk"))
    assert not any(isinstance(t["id"], tuple) for t in kk)  # Kazakh suffixes are not split (UD Kazakh)


def test_conllu_misc_carries_refs_and_uris(docs, authority):
    conllu = pytest.importorskip("conllu")
    words = [t for s in conllu.parse(export_text(docs, "conllu", authority)) for t in s if t["misc"]]
    refs = {t["misc"]["Ref"]: t["misc"]["RefURI"] for t in words if "Ref" in t["misc"]}
    assert refs["temur-malik"] == ref_uri("temur-malik")


def test_iob_reads_back_with_kaznerd_tags(docs, authority, tmp_path):
    from nuskha.evaluate.kaznerd import read_iob2

    path = tmp_path / "corpus.iob"
    path.write_text(export_text(docs, "iob", authority), encoding="utf-8")
    sentences = read_iob2(path)
    assert len(sentences) == sum(len(d.sentences) for d in docs)
    tokens = [tok for s in sentences for tok, _ in s]
    assert tokens == [t.text for d in docs for t in d.tokens]
    tags = [tag for s in sentences for _, tag in s]
    allowed = {"O"} | {f"{p}-{c}" for p in "BI" for c in ("PERSON", "GPE", "NORP", "DATE", "QUANTITY")}
    assert set(tags) <= allowed and {"B-PERSON", "B-GPE", "B-NORP", "B-DATE", "B-QUANTITY"} <= set(tags)
    for s in sentences:  # IOB2: an I- tag continues a B-/I- of the same class
        prev = "O"
        for _, tag in s:
            if tag.startswith("I-"):
                assert prev[2:] == tag[2:], s
            prev = tag
    assert tags.count("B-PERSON") == sum(len([m for m in _outermost(d.mentions) if m.type == "person"]) for d in docs)


def test_csv_has_a_row_per_mention_with_uris(docs, authority):
    rows = list(csv.DictReader(io.StringIO(export_text(docs, "csv", authority), newline="")))
    assert len(rows) == sum(len(d.mentions) for d in docs)
    by_id = {d.id: d for d in docs}
    for r in rows:
        assert by_id[r["doc"]].text[int(r["start"]):int(r["end"])] == r["text"]
        assert r["ref_uri"] == (ref_uri(r["ref"]) or "")
    chinggis = next(r for r in rows if r["ref"] == "chinggis-khan")
    assert chinggis["wikidata_uri"] == wikidata_uri("Q720") and chinggis["label"].startswith("Chinggis")
    date = next(r for r in rows if r["text"] == "4 ذي الحجة عام 616ه/10 شباط 1220م")
    assert (date["hijri"], date["julian"], date["gregorian"]) == ("616-12-04", "1220-02-10", "1220-02-17")
    troops = [r for r in rows if r["type"] == "troops"]
    assert troops and all(r["quantity"].isdigit() and r["approx"] in ("true", "false") for r in troops)


PURPOSES = {"assessing", "bookmarking", "classifying", "commenting", "describing", "editing", "highlighting",
            "identifying", "linking", "moderating", "questioning", "replying", "tagging"}


def _iri(value):
    parsed = urlparse(value)
    return parsed.scheme in ("http", "https", "file", "urn") and bool(parsed.netloc or parsed.path)


def test_web_annotation_has_the_w3c_shape(docs, authority):
    data = json.loads(export_text(docs, "webanno", authority))
    context = data["@context"]
    assert context[0] == "http://www.w3.org/ns/anno.jsonld"
    assert all(isinstance(c, dict) and all(_iri(v) for v in c.values()) for c in context[1:])
    assert data["type"] == "AnnotationCollection" and _iri(data["id"])
    page = data["first"]
    assert page["type"] == "AnnotationPage" and data["total"] == len(page["items"])
    assert data["total"] == sum(len(d.mentions) for d in docs)
    texts = {d.id: d.text for d in docs}
    sources = {}
    ids = set()
    for a in page["items"]:
        assert a["type"] == "Annotation" and _iri(a["id"]) and a["id"] not in ids
        ids.add(a["id"])
        assert a["motivation"] in PURPOSES
        target = a["target"]
        assert _iri(target["source"])
        sel = {s["type"]: s for s in target["selector"]}
        pos, quote = sel["TextPositionSelector"], sel["TextQuoteSelector"]
        assert isinstance(pos["start"], int) and 0 <= pos["start"] < pos["end"]
        doc_id = a["id"].split("/")[-2]
        text = texts[doc_id]
        sources.setdefault(doc_id, target["source"])
        assert text[pos["start"]:pos["end"]] == quote["exact"]
        assert text[pos["start"] - len(quote["prefix"]):pos["end"] + len(quote["suffix"])] == \
            quote["prefix"] + quote["exact"] + quote["suffix"]
        kinds = [b for b in a["body"] if b.get("purpose") == "tagging"]
        assert len(kinds) == 1 and kinds[0]["type"] == "TextualBody"
        for b in a["body"]:
            assert b["purpose"] in PURPOSES and b["type"] in ("TextualBody", "SpecificResource")
            if b["type"] == "SpecificResource":
                assert _iri(b["source"])
            else:
                assert isinstance(b["value"], str) and b["value"]
        if kinds[0]["value"] == "date":
            described = next(b for b in a["body"] if b["purpose"] == "describing")
            assert re.fullmatch(r"-?\d{4}-\d\d-\d\d", described["schema:startDate"])
        if kinds[0]["value"] == "troops":
            described = next(b for b in a["body"] if b["purpose"] == "describing")
            assert isinstance(described["schema:value"], int) and described["schema:unitText"]
    assert len(set(sources.values())) == len(docs)
    chinggis = next(a for a in page["items"] if any(b.get("source") == wikidata_uri("Q720") for b in a["body"]))
    assert any(b.get("source") == ref_uri("chinggis-khan") for b in chinggis["body"])


def test_unknown_format_is_refused(docs):
    with pytest.raises(ValueError):
        export_text(docs, "xlsx")
