"""`nuskha annotate`, `nuskha eval mentions` and `nuskha eval kaznerd` through the real command line."""
from __future__ import annotations

import json

from nuskha.cli.annotate import annotate
from nuskha.evaluate.kaznerd import evaluate_kaznerd, read_iob2, to_text
from nuskha.pipeline import sha256

from ..conftest import AR_TEXT, GOLD, KK_TEXT


def test_annotate_json_contract(run_nuskha):
    code, out, err = run_nuskha("annotate", KK_TEXT, "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    text = KK_TEXT.read_text(encoding="utf-8")
    assert set(data) == {"file", "lang", "sha256", "mentions"}
    assert data["lang"] == "kk" and data["sha256"] == sha256(text)
    assert data["mentions"], "no mentions"
    for m in data["mentions"]:
        assert {"start", "end", "text", "type", "ref", "value", "source", "cert"} <= set(m)
        assert text[m["start"]:m["end"]] == m["text"]
    assert any(m["ref"] == "temur-malik" and m["text"] == "ТемірМәлікпен" for m in data["mentions"])


def test_annotate_tsv_and_bad_input(run_nuskha, tmp_path):
    code, out, _ = run_nuskha("annotate", AR_TEXT, "--format", "tsv")
    lines = out.splitlines()
    assert code == 0 and lines[0].split("\t")[:4] == ["start", "end", "text", "type"]
    assert any("\tجنكيز خان\tperson\tchinggis-khan\t" in line for line in lines)
    code, out, err = run_nuskha("annotate", tmp_path / "missing.txt")
    assert code == 2 and "no such file" in err and out == ""


def test_annotate_with_another_authority(tmp_path):
    auth = tmp_path / "a.tsv"
    auth.write_text("ref\ttype\tlabel_en\tar\nnushka-test\tplace\tNushka\tنوشكا\n", encoding="utf-8")
    text = tmp_path / "t.txt"
    text.write_text("سار جنكيز خان إلى نوشكا", encoding="utf-8")
    data = annotate(text, "ar", auth)
    refs = {m["text"]: m["ref"] for m in data["mentions"]}
    assert refs["نوشكا"] == "nushka-test"
    # --authority extends the packaged file record by record: its records still apply
    assert refs["جنكيز خان"] == "chinggis-khan"
    default = annotate(text, "ar")  # the extension did not stick
    assert "nushka-test" not in {m["ref"] for m in default["mentions"]}


def test_eval_mentions_prints_per_type_scores(run_nuskha, tmp_path):
    gold = GOLD / (KK_TEXT.stem + ".gold.json")
    code, out, err = run_nuskha("annotate", KK_TEXT)
    system = tmp_path / "sys.json"
    system.write_text(out, encoding="utf-8")
    code, out, err = run_nuskha("eval", "mentions", gold, system, "--types", "person", "--types", "place",
                                "--no-attributive")
    assert code == 0, err
    rows = {line.split()[0]: line.split() for line in out.splitlines()[1:-1]}
    assert set(rows) == {"person", "place", "all"}
    assert float(rows["person"][5]) >= 0.95  # exact F1
    assert "EXCLUDED" in out
    code, out, err = run_nuskha("eval", "mentions", gold, KK_TEXT, "--json")
    assert code == 0 and json.loads(out)["attributive_counted"] is True


def test_eval_mentions_without_person_records(run_nuskha, tmp_path):
    gold = GOLD / (AR_TEXT.stem + ".gold.json")
    code, out, err = run_nuskha("eval", "mentions", gold, AR_TEXT, "--types", "person",
                                "--without-records", "person", "--json")
    assert code == 0, err
    person = json.loads(out)["types"][0]
    # the context rules alone still find every person (overlap) and most exact spans, under provisional refs
    assert person["overlap"]["f1"] >= 0.95 and 0.85 <= person["exact"]["f1"] < 1.0, person
    assert person["ref_agreement"] == 0.0
    with_records = json.loads(run_nuskha("eval", "mentions", gold, AR_TEXT, "--types", "person", "--json")[1])
    assert with_records["types"][0]["ref_agreement"] == 1.0  # the removal was scoped to the one run
    system = tmp_path / "sys.json"
    system.write_text(run_nuskha("annotate", AR_TEXT)[1], encoding="utf-8")
    code, out, err = run_nuskha("eval", "mentions", gold, system, "--without-records", "person")
    assert code == 2 and "sys.json" in err and "text file" in err


def test_kaznerd_reader_builds_spans(tmp_path):
    path = tmp_path / "k.txt"
    path.write_text("Қасым-Жомарт B-PERSON\nТоқаев I-PERSON\nАстанаға B-GPE\nкелді O\n. O\n\n"
                    "Ол O\nҚазақстан B-GPE\nбанкі B-ORGANISATION\n", encoding="utf-8")
    sentences = read_iob2(path)
    assert len(sentences) == 2 and read_iob2(path, limit=1) == sentences[:1]
    text, gold = to_text(sentences)
    assert [(g["text"], g["type"]) for g in gold] == [("Қасым-Жомарт Тоқаев", "person"), ("Астанаға", "place"),
                                                      ("Қазақстан", "place")]
    scores = evaluate_kaznerd(path, part="all", use_model=False)
    assert scores.by_type["place"].exact >= 1


def test_eval_kaznerd_on_the_shared_data(run_nuskha, shared_dir):
    code, out, err = run_nuskha("eval", "kaznerd", shared_dir / "data" / "kaznerd" / "IOB2_valid.txt",
                                "--limit", "200")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == "KazNERD heldout part: rules alone" and "rules + statistical model" in out
    assert lines[1].split()[:3] == ["type", "gold", "sys"]
    assert {line.split()[0] for line in lines[2:5]} == {"person", "place", "all"}


def test_annotate_statistical_flag_is_scoped(tmp_path):
    from nuskha.annotate.entities import recogniser

    text = tmp_path / "t.txt"
    text.write_text("Кеше Президент Тоқаев Ақтөбеге барды.", encoding="utf-8")
    before = recogniser("kk").use_model
    data = annotate(text, "kk", statistical=True)
    assert recogniser("kk").use_model == before
    assert any(m["source"] == "model" for m in data["mentions"])
