"""``tools/build_ar_lexicon.py`` on a tiny hunspell dictionary: entries and suffix rules in, clitic forms out."""
from __future__ import annotations

import gzip

import pytest

from .conftest import load_tool


AFF = """SET UTF-8
FLAG long
AF 2
AF AaHi # 1
AF Pb # 2
AM 3
AM is:prst st:كتب po:verb
AM is:pst st:كتب po:verb
AM n
PFX Pb Y 1
PFX Pb 0 و .
SFX Aa Y 2
SFX Aa 0 ون/3 .
SFX Aa ة ات ة
SFX Hi Y 1
SFX Hi 0 ه [^ى]
"""

DIC = """6
غير
بغير
يكتب/1\t1
كتب/1\t2
مدرسة/1
واشنطن/2
"""


@pytest.fixture(scope="module")
def tool():
    return load_tool("build_ar_lexicon")


def test_builder_expands_suffixes_but_no_clitics(tool, tmp_path):
    (tmp_path / "ar.aff").write_text(AFF, encoding="utf-8")
    (tmp_path / "ar.dic").write_text(DIC, encoding="utf-8")
    words, verbs = tool.words_of(tmp_path / "ar.dic", tmp_path / "ar.aff")
    assert {"غير", "يكتب", "يكتبون", "كتب", "مدرسه", "مدرسات", "واشنطن"} <= words  # ة folded to ه
    assert "بغير" not in words  # a pre-expanded clitic form of غير
    assert "يكتبه" not in words and "وواشنطن" not in words  # no pronoun suffix rules, no prefix rules
    assert verbs == {"يكتب", "يكتبون"}  # is:prst entries with their suffixes


def test_builder_output_is_deterministic(tool, tmp_path, monkeypatch):
    (tmp_path / "ar.aff").write_text(AFF, encoding="utf-8")
    (tmp_path / "ar.dic").write_text(DIC, encoding="utf-8")
    out = tmp_path / "lexicon.txt.gz"
    monkeypatch.setattr(tool, "OUT", out)
    tool.main([str(tmp_path / "ar.dic")])
    first = out.read_bytes()
    tool.main([str(tmp_path / "ar.dic")])
    assert out.read_bytes() == first
    lines = gzip.decompress(first).decode("utf-8").splitlines()
    assert lines[0].startswith("# _source:") and "يكتب\tv" in lines and "كتب" in lines
