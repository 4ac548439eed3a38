"""``nuskha export PATH --format ...``: output file written atomically, standard output, bad input."""
from __future__ import annotations

from tests.conftest import KK_TEXT, GOLD


def test_export_writes_a_file_from_gold(run_nuskha, tmp_path):
    out = tmp_path / "kk.iob"
    code, stdout, err = run_nuskha("export", KK_TEXT, "--format", "iob", "-o", out, "--gold", GOLD)
    assert code == 0, err
    assert stdout == "" and "Темір-Мәлік B-PERSON" in out.read_text(encoding="utf-8")
    assert [p.name for p in tmp_path.iterdir()] == ["kk.iob"]


def test_export_to_stdout_and_bad_input(run_nuskha, tmp_path):
    code, stdout, _ = run_nuskha("export", KK_TEXT, "-f", "csv")
    assert code == 0 and stdout.startswith("doc,lang,start,end,text,type,ref,ref_uri")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe\x00bad")
    code, _, err = run_nuskha("export", bad, "-f", "conllu", "-o", tmp_path / "x.conllu")
    assert code == 2 and "bad.txt" in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "x.conllu").exists()
