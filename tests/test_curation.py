"""The curation layer: the file contract, anchoring across text edits, applying decisions, safe writing."""
from __future__ import annotations

import hashlib
import json
import multiprocessing
import pytest

from nuskha import curation as cur
from nuskha.document import Document, Mention
from nuskha.errors import DataError

AR = "وصل التجار إلى بخارى في ربيع عام 615ه ، ثم خرج جنكيز خان إلى سمرقند ."
KK = "Жалал ад-Дин Темір-Мәлікпен бірге Хорезмнің шекарасына келді."


def _doc(text: str, lang: str, *spans: tuple[str, str, str | None]) -> Document:
    doc = Document("d1", lang, text)
    for surface, typ, ref in spans:
        i = text.index(surface)
        doc.mentions.append(Mention(i, i + len(surface), surface, typ, ref, None, "authority", 0.7))
    return doc


def _decide(doc: Document, action: str, surface: str, typ: str, ref: str | None = None, **kw) -> cur.Decision:
    i = doc.text.index(surface)
    return cur.make_decision(doc.id, doc.text, action, i, i + len(surface), typ, ref, by="ed", **kw)


def test_a_decision_line_has_exactly_the_contract_fields(tmp_path):
    doc = _doc(AR, "ar", ("بخارى", "place", "bukhara"))
    path = tmp_path / "curation.jsonl"
    line = cur.append_decision(path, _decide(doc, "accept", "بخارى", "place", "bukhara"))
    obj = json.loads(path.read_text(encoding="utf-8").splitlines()[0])
    assert json.loads(line) == obj
    assert list(obj) == ["doc", "action", "start", "end", "text", "type", "ref", "value", "before", "after", "by",
                         "at", "note"]
    assert obj["text"] == "بخارى" and obj["before"] == "وصل التجار إلى " and obj["after"].startswith(" في ربيع")
    assert obj["at"].endswith("Z") and obj["by"] == "ed"
    respan = _decide(doc, "respan", "جنكيز خان", "person", to=(AR.index("جنكيز"), AR.index("جنكيز") + 5))
    assert respan.to_json()["to"] == [AR.index("جنكيز"), AR.index("جنكيز") + 5]
    assert cur.read_decisions(path)[0].line == 1


@pytest.mark.parametrize("line, message", [
    ("{not json", "invalid JSON"),
    ('{"doc": "d", "action": "approve", "start": 0, "end": 1, "text": "x", "type": "place"}', "unknown action"),
    ('{"doc": "d", "action": "add", "start": 0, "end": 3, "text": "x", "type": "place"}', "characters, the span"),
    ('{"doc": "d", "action": "add", "start": 0, "end": 1, "text": "x", "type": "city"}', "unknown type"),
    ('{"doc": "d", "action": "respan", "start": 0, "end": 1, "text": "x", "type": "place"}', "respan needs"),
    ('{"doc": "d", "action": "add", "start": 0, "end": 1, "text": "x", "type": "place", "who": 1}', "unknown field"),
])
def test_a_malformed_line_is_one_error_naming_its_line(tmp_path, line, message):
    good = ('{"doc": "d", "action": "add", "start": 0, "end": 1, "text": "x", "type": "place", "ref": null}')
    path = tmp_path / "curation.jsonl"
    path.write_text(good + "\n\n" + line + "\n", encoding="utf-8")
    with pytest.raises(DataError) as err:
        cur.read_decisions(path)
    assert f"{path}:line 3:" in str(err.value) and message in str(err.value) and "\n" not in str(err.value)


def test_every_action_applied_with_provenance_and_history():
    doc = _doc(AR, "ar", ("التجار", "group", None), ("بخارى", "place", "bukhara"), ("جنكيز خان", "person", "x"),
               ("سمرقند", "place", "samarkand"))
    decisions = [_decide(doc, "reject", "التجار", "group"),
                 _decide(doc, "accept", "بخارى", "place", "bukhara"),
                 _decide(doc, "relink", "جنكيز خان", "person", "chinggis-khan"),
                 _decide(doc, "retype", "سمرقند", "group"),
                 _decide(doc, "add", "ربيع عام 615ه", "date", value={"hijri": "615"})]
    result = cur.apply_curation(doc, decisions)
    assert result.applied == 5 and not result.orphans
    by_text = {m.text: m for m in doc.mentions}
    assert "التجار" not in by_text
    assert (by_text["بخارى"].source, by_text["بخارى"].cert, by_text["بخارى"].editor) == ("curation", 1.0, "ed")
    chinggis = by_text["جنكيز خان"]
    assert chinggis.ref == "chinggis-khan" and chinggis.cert == 0.7  # only accept/add give full certainty
    assert chinggis.history["machine"]["ref"] == "x" and chinggis.history["actions"] == ["relink"]
    assert by_text["سمرقند"].type == "group" and by_text["سمرقند"].history["machine"]["type"] == "place"
    added = by_text["ربيع عام 615ه"]
    assert added.type == "date" and added.cert == 1.0 and added.value == {"hijri": "615"}
    assert added.to_json()["source"] == "curation" and added.to_json()["editor"] == "ed"
    assert all(doc.text[m.start:m.end] == m.text for m in doc.mentions)


def test_respan_moves_the_mention_with_its_anchor():
    doc = _doc(KK, "kk", ("Жалал ад-Дин Темір-Мәлікпен", "person", None))
    start = KK.index("Темір")
    d = _decide(doc, "respan", "Жалал ад-Дин Темір-Мәлікпен", "person", to=(start, start + len("Темір-Мәлікпен")))
    edited = Document("d1", "kk", "Бұл жаңа сөйлем. " + KK)
    edited.mentions = [Mention(m.start + 17, m.end + 17, m.text, m.type, m.ref, None, "rule", 0.6)
                       for m in doc.mentions]
    assert not cur.apply_curation(edited, [d]).orphans
    assert [m.text for m in edited.mentions] == ["Темір-Мәлікпен"]


def test_decisions_follow_their_text_when_a_sentence_is_inserted_at_the_top():
    doc = _doc(AR, "ar", ("بخارى", "place", "bukhara"), ("سمرقند", "place", "samarkand"))
    decisions = [_decide(doc, "reject", "وصل", "group"), _decide(doc, "accept", "بخارى", "place", "bukhara"),
                 _decide(doc, "add", "التجار", "group"), _decide(doc, "retype", "سمرقند", "group")]
    inserted = "هذه جملة جديدة في أول النص . "
    for d in decisions:
        placed = cur.anchor(d, inserted + AR)
        assert placed == (d.start + len(inserted), d.end + len(inserted)), d


def test_deleting_a_curated_word_orphans_exactly_that_decision_even_when_the_word_occurs_elsewhere():
    text = AR + " وعاد التجار من سمرقند إلى بلادهم بعد سنة كاملة ."
    doc = _doc(text, "ar")
    decisions = [_decide(doc, "add", "التجار", "group"), _decide(doc, "add", "بخارى", "place")]
    edited = text.replace("وصل التجار إلى", "وصل إلى", 1)  # the first التجار is gone; a second one remains
    assert isinstance(cur.anchor(decisions[0], edited), str)
    assert isinstance(cur.anchor(decisions[1], edited), tuple)
    result = cur.apply_curation(Document("d1", "ar", edited), decisions)
    assert [o.decision for o in result.orphans] == [decisions[0]]
    assert [(m.text, m.start) for m in Document("d1", "ar", edited).mentions] == []


def test_two_equally_good_places_are_an_orphan_not_a_guess():
    text = "بخارى و بخارى"
    d = cur.Decision("d1", "add", 0, 5, "بخارى", "place")  # recorded with no context
    assert cur.anchor(d, "x " + text).startswith("its text and context fit 2 places")


def test_check_reports_orphans_with_line_numbers_and_unknown_documents(tmp_path):
    doc = _doc(AR, "ar")
    path = tmp_path / "c.jsonl"
    cur.append_decision(path, _decide(doc, "add", "بخارى", "place"))
    cur.append_decision(path, _decide(doc, "add", "سمرقند", "place"))
    report = cur.check(path, {"d1": AR.replace("سمرقند", "نيسابور")})
    assert report.decisions == 2 and report.anchored == 1
    assert [o.decision.line for o in report.orphans] == [2] and str(report.orphans[0]).startswith("line 2: d1:")
    assert [o.reason for o in cur.check(path, {}).orphans][0] == "no document with this id in the corpus"


def test_undo_removes_only_its_own_line_and_keeps_unreadable_lines_byte_for_byte(tmp_path):
    doc = _doc(AR, "ar")
    path = tmp_path / "c.jsonl"
    bad = b'{"broken": \xd8\xa8'
    first = cur.append_decision(path, _decide(doc, "add", "بخارى", "place"))
    with open(path, "ab") as fh:
        fh.write(bad)  # no final newline: the next append must not glue onto it
    second = cur.append_decision(path, _decide(doc, "add", "سمرقند", "place"))
    assert path.read_bytes().split(b"\n")[1] == bad
    assert cur.remove_decision(path, second) and not cur.remove_decision(path, second)
    assert path.read_bytes().split(b"\n")[:2] == [first.encode(), bad]


def _append_many(path: str, n: int, who: str) -> None:
    doc = _doc(AR, "ar")
    for _ in range(n):
        cur.append_decision(path, _decide(doc, "add", "بخارى", "place", note=who))


def test_two_processes_appending_at_once_lose_nothing(tmp_path):
    path = str(tmp_path / "c.jsonl")
    ctx = multiprocessing.get_context("fork")
    procs = [ctx.Process(target=_append_many, args=(path, 60, who)) for who in ("a", "b")]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
    decisions = cur.read_decisions(path)
    assert len(decisions) == 120 and sorted({d.note for d in decisions}) == ["a", "b"]


def test_digest_changes_with_the_decisions():
    doc = _doc(AR, "ar")
    d = _decide(doc, "add", "بخارى", "place")
    assert cur.digest(AR, []) != cur.digest(AR, [d])
    assert cur.digest(AR, []) == hashlib.sha256(AR.encode()).hexdigest()
