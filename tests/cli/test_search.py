"""``nuskha index`` / ``nuskha search`` / ``nuskha translit`` through the real command line."""
from __future__ import annotations

import json

import pytest

from tests.conftest import AR_TEXT, CORPUS, KK_TEXT

FSI, PDI = "\u2068", "\u2069"
BIDI_CONTROLS = set("\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


@pytest.fixture(scope="module")
def cli_index(run_nuskha, tmp_path_factory):
    out = tmp_path_factory.mktemp("cli") / "corpus.sqlite"
    code, stdout, stderr = run_nuskha("index", CORPUS, "-o", out)
    assert code == 0, stderr
    assert "2 document(s) indexed" in stdout
    return out


def test_kwic_lines_isolate_arabic_only(run_nuskha, cli_index):
    code, out, err = run_nuskha("search", "Temur Malik", "--index", cli_index)
    assert code == 0, err
    lines = [line for line in out.splitlines() if not line.startswith("#")]
    assert [line.split("\t")[0] for line in lines] == [
        f"{AR_TEXT.stem}:5070-5079", f"{KK_TEXT.stem}:559-572", f"{KK_TEXT.stem}:731-742"]
    ar_line, kk_line = lines[0], lines[1]
    assert f"[{FSI}تيمور ملك{PDI}]" in ar_line
    assert "[ТемірМәлікпен]" in kk_line and FSI not in kk_line
    assert "temur-malik person" in ar_line


def test_json_hits_with_offsets_and_no_bidi_controls(run_nuskha, cli_index):
    code, out, _ = run_nuskha("search", "Bukhara", "--index", cli_index, "--format", "json")
    assert code == 0
    assert not BIDI_CONTROLS & set(out)
    data = json.loads(out)
    text = AR_TEXT.read_text(encoding="utf-8")
    assert data["resolved"][0]["ref"] == "bukhara" and data["total"] == 7
    for h in data["hits"]:
        assert {"doc", "lang", "start", "end", "text", "ref", "type", "score", "method"} <= set(h)
        assert text[h["start"]:h["end"]] == h["text"] == "بخارى"
        assert (h["lang"], h["type"]) == ("ar", "place")


def test_type_and_lang_options(run_nuskha, cli_index):
    code, out, _ = run_nuskha("search", "Temur Malik", "--index", cli_index, "--lang", "kk", "--format", "json")
    assert code == 0 and {h["lang"] for h in json.loads(out)["hits"]} == {"kk"}
    code, _, err = run_nuskha("search", "Bukhara", "--index", cli_index, "--type", "person")
    assert code == 1 and "no match" in err


def test_ref_concordance_grouped_by_document(run_nuskha, cli_index):
    code, out, _ = run_nuskha("search", "--ref", "temur-malik", "--index", cli_index)
    assert code == 0
    assert f"## {AR_TEXT.stem} (ar): 1" in out and f"## {KK_TEXT.stem} (kk): 2" in out
    code, out, _ = run_nuskha("search", "--ref", "temur-malik", "--index", cli_index, "--format", "json")
    data = json.loads(out)
    assert [(d["doc"], d["count"]) for d in data["documents"]] == [(AR_TEXT.stem, 1), (KK_TEXT.stem, 2)]


@pytest.mark.parametrize("query", ["xyzzyq", "xyzzyq OR qqqzz"])
def test_no_match_exits_1_with_a_message(run_nuskha, cli_index, query):
    code, out, err = run_nuskha("search", query, "--index", cli_index)
    assert code == 1
    assert f"no match for {query!r}" in err
    assert "Traceback" not in err


@pytest.mark.parametrize("query, column", [('"*NEAR(', 1), ("NEAR", 1), ("Otrar OR", 7), ("(Otrar", 1)])
def test_bad_syntax_exits_2_with_the_column(run_nuskha, cli_index, query, column):
    code, out, err = run_nuskha("search", query, "--index", cli_index)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert f"query:column {column}:" in err


def test_missing_index_is_a_one_line_error(run_nuskha, tmp_path):
    code, out, err = run_nuskha("search", "Temur Malik", "--index", tmp_path / "none.sqlite")
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and "none.sqlite" in err and "no search index" in err


def test_translit_both_directions(run_nuskha, tmp_path):
    code, latin, err = run_nuskha("translit", KK_TEXT, "--to", "latn")
    assert code == 0 and latin.startswith("Horezmşah sūltany Jalal ad-Din")
    src = tmp_path / "latn.txt"
    src.write_text("Temır-Mälık Horezmge keldı", encoding="utf-8")
    code, cyr, err = run_nuskha("translit", src, "--to", "cyrl", "--flags")
    assert code == 0 and cyr == "Темір-Мәлік Хорезмге келді"
    assert f"{src}:12: H -> х (of х/һ)" in err


def test_limit_shows_the_first_hits_and_the_total(run_nuskha, cli_index):
    code, out, _ = run_nuskha("search", "Temur Malik", "--index", cli_index, "--limit", "1")
    assert code == 0
    lines = [line for line in out.splitlines() if not line.startswith("#")]
    assert [line.split("\t")[0] for line in lines] == [f"{AR_TEXT.stem}:5070-5079"]
    assert ("# 3 hit(s) for 'Temur Malik' in 2 document(s): 3 linked, 0 unlinked mentions, 0 text matches, "
            "showing 1 of 3") in out
    code, out, _ = run_nuskha("search", "--ref", "temur-malik", "--index", cli_index, "--limit", "1")
    assert f"## {AR_TEXT.stem} (ar): 1" in out and f"## {KK_TEXT.stem} (kk): 2" in out  # counts stay exact
    code, out, _ = run_nuskha("search", "Temur Malik", "--index", cli_index, "--limit", "0", "--format", "json")
    data = json.loads(out)
    assert (data["total"], data["shown"], len(data["hits"])) == (3, 3, 3)


def test_index_with_jobs(run_nuskha, tmp_path):
    out = tmp_path / "j2.sqlite"
    code, stdout, stderr = run_nuskha("index", CORPUS, "-o", out, "--jobs", "2", "--no-annotate", "-q")
    assert code == 0, stderr
    assert "2 document(s) indexed" in stdout
    code, out_, _ = run_nuskha("search", "Отырар", "--index", out, "--format", "json")
    assert code == 0 and json.loads(out_)["total"] >= 1
