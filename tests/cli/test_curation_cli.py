"""Corrections that survive every re-run: annotate, curation check, build, index, search and validate on a curated
copy of the corpus (never the real one)."""
from __future__ import annotations

import json
import shutil

import pytest

from nuskha import curation as cur
from nuskha.pipeline import load
from tests.conftest import AR_TEXT, CORPUS, KK_TEXT

INSERTED = {"ar": "هذه جملة جديدة أضيفت في أول النص قبل كل شيء . ", "kk": "Бұл сөйлем мәтіннің басына қосылды. "}


def _free_word(doc, after: int = 60):
    """A word no recogniser marks and no authority name resolves (so search reaches it as text)."""
    from nuskha.search.query import authority_matcher

    matcher = authority_matcher()
    taken = [(m.start, m.end) for m in doc.mentions]
    return next(t for t in doc.tokens if t.kind == "word" and len(t.text) >= 5 and t.start > after
                and t.text.isalpha() and not any(s < t.end and t.start < e for s, e in taken)
                and not matcher.resolve(t.text))


def _curate(path, doc, decisions: dict):
    """One decision of each kind on ``doc``: reject a troop figure (no ref), accept, retype, relink, add."""
    ms = doc.mentions
    troops = next(m for m in ms if m.type == "troops" and m.ref is None)
    named = [m for m in ms if m.ref and m.type == "person"]
    accept, relink = named[0], named[1]
    retype = next(m for m in ms if m.type == "group" and m.start > relink.end)
    word = _free_word(doc)
    made = {
        "reject": cur.make_decision(doc.id, doc.text, "reject", troops.start, troops.end, "troops", by="ed"),
        "accept": cur.make_decision(doc.id, doc.text, "accept", accept.start, accept.end, "person", accept.ref,
                                    by="ed"),
        "retype": cur.make_decision(doc.id, doc.text, "retype", retype.start, retype.end, "place", by="ed"),
        "relink": cur.make_decision(doc.id, doc.text, "relink", relink.start, relink.end, "person", "temur-malik",
                                    by="ed"),
        "add": cur.make_decision(doc.id, doc.text, "add", word.start, word.end, "place", by="ed"),
    }
    for d in made.values():
        decisions[(doc.id, d.action)] = (cur.append_decision(path, d), d)


@pytest.fixture(scope="module")
def curated(tmp_path_factory):
    root = tmp_path_factory.mktemp("curated")
    shutil.copytree(CORPUS, root / "corpus")
    (root / "annotations").mkdir()
    path = root / "annotations" / "curation.jsonl"
    decisions: dict = {}
    for text in (AR_TEXT, KK_TEXT):
        _curate(path, load(text, annotate=True), decisions)
    return root, decisions


def _mentions(run_nuskha, root, name):
    code, out, err = run_nuskha("annotate", f"corpus/{name}.txt", cwd=root)
    assert code == 0, err
    return {(m["start"], m["end"]): m for m in json.loads(out)["mentions"]}


def _assert_applied(found: dict, decisions: dict, doc_id: str, shift: int) -> None:
    for (d_doc, action), (_, d) in decisions.items():
        if d_doc != doc_id:
            continue
        span = (d.start + shift, d.end + shift)
        if action == "reject":
            assert span not in found or found[span]["type"] != "troops", action
            continue
        m = found[span]
        assert (m["source"], m["editor"], m["text"]) == ("curation", "ed", d.text), action
        assert m["type"] == d.type and (action == "accept" or m["ref"] == d.ref), action
        assert m["cert"] == (1.0 if action in ("accept", "add") else m["cert"])
        if action in ("retype", "relink"):
            assert m["history"]["machine"]["source"] != "curation" and m["history"]["actions"] == [action]


def test_decisions_survive_a_sentence_inserted_at_the_top_and_orphan_a_deleted_word(run_nuskha, curated,
                                                                                     tmp_path):
    root, decisions = curated
    work = tmp_path / "w"
    shutil.copytree(root, work)
    for text, lang in ((AR_TEXT, "ar"), (KK_TEXT, "kk")):
        _assert_applied(_mentions(run_nuskha, work, text.stem), decisions, text.stem, 0)
        p = work / "corpus" / text.name
        p.write_text(INSERTED[lang] + p.read_text(encoding="utf-8"), encoding="utf-8")
        _assert_applied(_mentions(run_nuskha, work, text.stem), decisions, text.stem, len(INSERTED[lang]))
    code, out, err = run_nuskha("curation", "check", "corpus", cwd=work)
    assert code == 0 and out == "" and "10 decision(s), 10 anchored (10 moved), 0 orphaned" in err, err
    # delete the word the Arabic "add" decision marked: exactly that decision is orphaned
    line, added = decisions[(AR_TEXT.stem, "add")]
    p = work / "corpus" / AR_TEXT.name
    text = p.read_text(encoding="utf-8")
    at = len(INSERTED["ar"]) + added.start
    p.write_text(text[:at] + text[at + len(added.text) + 1:], encoding="utf-8")
    code, out, err = run_nuskha("curation", "check", "corpus", cwd=work)
    lines = (work / "annotations" / "curation.jsonl").read_text(encoding="utf-8").splitlines()
    number = lines.index(line) + 1
    assert code == 1 and "1 orphaned" in err
    assert out.splitlines() == [out.splitlines()[0]] and f"curation.jsonl:line {number}: {AR_TEXT.stem}: add" in out
    code, out, err = run_nuskha("annotate", f"corpus/{AR_TEXT.name}", cwd=work)  # warned, never misapplied
    assert code == 0 and f"line {number}:" in err and "orphaned" in err
    assert not any(m["source"] == "curation" and m["text"] == added.text for m in json.loads(out)["mentions"])


def test_build_index_and_search_reflect_every_decision(run_nuskha, curated, tmp_path, shared_dir):
    root, decisions = curated
    out = tmp_path / "out"
    code, _, err = run_nuskha("build", "corpus", "-o", out, "-q", cwd=root)
    assert code == 0, err
    for text in (AR_TEXT, KK_TEXT):
        data = json.loads((out / f"{text.stem}.mentions.json").read_text(encoding="utf-8"))
        _assert_applied({(m["start"], m["end"]): m for m in data["mentions"]}, decisions, text.stem, 0)
        tei = (out / f"{text.stem}.tei.xml").read_text(encoding="utf-8")
        assert '<respStmt xml:id="ed.ed">' in tei and 'resp="#src.curation #ed.ed"' in tei
    code, stdout, err = run_nuskha("validate", *sorted(out.glob("*.tei.xml")))
    assert code == 0 and stdout.count(": valid") == 3, stdout + err

    index = tmp_path / "index.sqlite"
    code, _, err = run_nuskha("index", "corpus", "-o", index, "-q", cwd=root)
    assert code == 0, err
    for text in (AR_TEXT, KK_TEXT):
        _, rejected = decisions[(text.stem, "reject")]
        code, stdout, _ = run_nuskha("search", rejected.text, "--index", index, "--type", "troops",
                                     "--format", "json")
        assert not any(h["start"] == rejected.start and h["doc"] == text.stem
                       for h in (json.loads(stdout)["hits"] if stdout.strip() else []))
        _, added = decisions[(text.stem, "add")]
        code, stdout, _ = run_nuskha("search", added.text, "--index", index, "--type", "place", "--format", "json")
        assert code == 0 and any(h["start"] == added.start and h["doc"] == text.stem
                                 for h in json.loads(stdout)["hits"])
        _, relinked = decisions[(text.stem, "relink")]
        code, stdout, _ = run_nuskha("search", "--ref", "temur-malik", "--index", index, "--format", "json")
        hits = [h for d in json.loads(stdout)["documents"] for h in d["hits"]]
        assert any(h["start"] == relinked.start and h["doc"] == text.stem and h["via"] == "mention" for h in hits)
    # without the curation file the same search finds the machine's troop figure: the test can fail
    plain = tmp_path / "plain.sqlite"
    code, _, err = run_nuskha("index", "corpus", "-o", plain, "-q", "--curation", tmp_path / "none.jsonl", cwd=root)
    _, rejected = decisions[(AR_TEXT.stem, "reject")]
    code, stdout, _ = run_nuskha("search", rejected.text, "--index", plain, "--type", "troops", "--format", "json")
    assert any(h["start"] == rejected.start for h in json.loads(stdout)["hits"])


def test_a_malformed_curation_file_stops_build_with_its_line(run_nuskha, tmp_path):
    shutil.copytree(CORPUS, tmp_path / "corpus")
    (tmp_path / "annotations").mkdir()
    (tmp_path / "annotations" / "curation.jsonl").write_text("\n{oops\n", encoding="utf-8")
    code, _, err = run_nuskha("build", "corpus", "-o", tmp_path / "out", "-q", cwd=tmp_path)
    assert code == 2 and "curation.jsonl:line 2: invalid JSON" in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
