"""The review app without a browser: safety by default (escaping, ids, token, same-origin writes, bad files)."""
from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from nuskha.errors import DataError
from nuskha.review.app import create_app, needs_token, search_authority

HEADERS = {"X-Nuskha-Review": "1"}


@pytest.fixture
def client(corpus_copy):
    app = create_app(corpus_copy / "corpus", corpus_copy / "annotations" / "curation.jsonl", editor="t")
    return TestClient(app)


def test_document_text_is_escaped_and_no_inline_script_may_run(corpus_copy):
    (corpus_copy / "corpus" / "x.txt").write_text("<script>alert(1)</script> وصل التجار إلى بخارى في ربيع عام "
                                                  "615ه ثم رجعوا إلى سمرقند", encoding="utf-8")
    c = TestClient(create_app(corpus_copy / "corpus", corpus_copy / "annotations" / "c.jsonl"))
    r = c.get("/doc/x")
    assert r.status_code == 200 and "<script>alert" not in r.text and "&lt;script&gt;alert(1)" in r.text
    assert "script-src 'self'" in r.headers["content-security-policy"]
    assert r.text.count("<script") == 1 and '<script src="/static/review.js" defer>' in r.text


@pytest.mark.parametrize("doc_id", ["..%2F..%2Fetc%2Fpasswd", "%2E%2E", "%2Fetc%2Fpasswd", "corpus", "x.txt"])
def test_document_ids_cannot_leave_the_corpus(client, doc_id):
    assert client.get(f"/doc/{doc_id}").status_code == 404
    assert client.post(f"/api/doc/{doc_id}/decide", headers=HEADERS,
                       json={"action": "add", "start": 0, "end": 1, "type": "place"}).status_code == 404


def test_writes_need_the_page_header_and_must_match_the_text(client, corpus_copy):
    doc = "kk-jalal-ad-din-and-temur-malik"
    body = {"action": "add", "start": 18, "end": 30, "type": "person", "text": "Жалал ад-Дин"}
    assert client.post(f"/api/doc/{doc}/decide", json=body).status_code == 403
    assert client.post(f"/api/doc/{doc}/decide", headers=HEADERS, json={**body, "text": "other"}).status_code == 409
    assert client.post(f"/api/doc/{doc}/decide", headers=HEADERS, json={**body, "type": "x"}).status_code == 400
    assert not (corpus_copy / "annotations" / "curation.jsonl").exists()
    r = client.post(f"/api/doc/{doc}/decide", headers=HEADERS, json=body)
    assert r.status_code == 200 and '"by": "t"' in r.json()["line"]


def test_a_non_loopback_host_needs_a_token(corpus_copy):
    assert needs_token("0.0.0.0") and needs_token("192.168.1.5") and not needs_token("127.0.0.1")
    app = create_app(corpus_copy / "corpus", corpus_copy / "annotations" / "c.jsonl", token="s3cret")
    c = TestClient(app)
    assert c.get("/doc/kk-jalal-ad-din-and-temur-malik").status_code == 403
    assert c.get("/doc/kk-jalal-ad-din-and-temur-malik?token=wrong").status_code == 403
    r = c.get("/doc/kk-jalal-ad-din-and-temur-malik?token=s3cret")
    assert r.status_code == 200 and "HttpOnly" in r.headers["set-cookie"]
    assert c.get("/api/doc/kk-jalal-ad-din-and-temur-malik").status_code == 200  # the cookie carries it now


def test_a_malformed_curation_line_is_one_error_and_nothing_is_lost(corpus_copy):
    path = corpus_copy / "annotations" / "curation.jsonl"
    path.write_text('{"doc": "a", "action": "add"}\n', encoding="utf-8")
    with pytest.raises(DataError, match=r"curation.jsonl:line 1: missing field"):
        create_app(corpus_copy / "corpus", path)
    path.write_text("", encoding="utf-8")
    c = TestClient(create_app(corpus_copy / "corpus", path))
    path.write_text('{"doc": "a", "action": "add"}\n{oops\n', encoding="utf-8")  # broken while running
    before = path.read_bytes()
    r = c.get("/doc/kk-jalal-ad-din-and-temur-malik")
    assert r.status_code == 200 and "line 1: missing field" in r.text
    r = c.post("/api/doc/kk-jalal-ad-din-and-temur-malik/decide", headers=HEADERS,
               json={"action": "add", "start": 18, "end": 30, "type": "person"})
    assert r.status_code == 409 and "line 1" in r.json()["error"]
    assert path.read_bytes() == before


def test_authority_search_in_any_script():
    for query in ("Temur Malik", "تيمور ملك", "Темір-Мәлік", "Temır-Mälık"):
        assert search_authority(query)[0]["ref"] == "temur-malik", query
    assert any(r["ref"] == "otrar" for r in search_authority("Otr"))  # a name still being typed
    assert search_authority("   ") == []


def test_one_file_opens_at_its_page_and_a_bad_respan_is_refused(corpus_copy):
    text = corpus_copy / "corpus" / "kk-jalal-ad-din-and-temur-malik.txt"
    c = TestClient(create_app(text, corpus_copy / "annotations" / "c.jsonl"))
    r = c.get("/", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/doc/kk-jalal-ad-din-and-temur-malik"
    r = c.post("/api/doc/kk-jalal-ad-din-and-temur-malik/decide", headers=HEADERS,
               json={"action": "respan", "start": 18, "end": 30, "type": "person", "to": "x"})
    assert r.status_code == 400 and not (corpus_copy / "annotations" / "c.jsonl").exists()
    r = c.post("/api/doc/kk-jalal-ad-din-and-temur-malik/decide", headers=HEADERS,
               json={"action": "respan", "start": 18, "end": 30, "type": "person", "to": [18, 23]})
    assert r.status_code == 200 and '"to": [18, 23]' in r.json()["line"]
