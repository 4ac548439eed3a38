"""`nuskha authority check` through the real command line."""
from __future__ import annotations

HEADER = "ref\ttype\tlabel_en\twikidata\tar\tkk\tru\tlatn\tnote\n"


def test_authority_check_cli_exit_status(tmp_path, run_nuskha):
    code, out, err = run_nuskha("authority", "check")
    assert code == 0, out + err
    assert "0 error(s)" in err
    bad = tmp_path / "dup.tsv"
    bad.write_text(HEADER + "a\tplace\tA\t\tنسا\t\t\t\t\nb\tplace\tB\t\tنسا\t\t\t\t\n", encoding="utf-8")
    code, out, err = run_nuskha("authority", "check", bad)
    assert code == 1 and "shared by a, b" in out
