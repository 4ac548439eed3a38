"""Validation: everything ``nuskha build corpus/`` writes is valid tei_all 4.12.0 and breaks none of the
Schematron rules; a broken file fails with file, line and rule."""
from __future__ import annotations

import pytest

from nuskha.tei.read import parse_bytes
from nuskha.tei.validate import RULES, check_rules, validate, validate_tree
from tests.conftest import CORPUS


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The real build of corpus/ (with the recognisers), standoff and inline."""
    from nuskha.build import build

    out = tmp_path_factory.mktemp("build")
    standoff = build(CORPUS, out / "standoff")
    inline = build(CORPUS, out / "inline", inline=True)
    return [p for p in standoff.files + inline.files if p.suffix == ".xml"]


def test_every_built_file_is_valid_tei_all_and_keeps_the_rules(built, tei_schema):
    assert len(built) == 6  # two documents and one teiCorpus, twice
    results = validate(built, tei_schema)
    for path, problems in results.items():
        assert problems == [], f"{path}: " + "; ".join(map(str, problems[:5]))


def test_gold_annotated_corpus_is_valid(gold_docs, authority, tei_schema):
    from nuskha.align import align, links
    from nuskha.tei.write import corpus_bytes

    docs = list(gold_docs)
    tree = parse_bytes(corpus_bytes(docs, authority, links(align(docs, authority)), inline=True))
    assert validate_tree(tree, tei_schema) == []


BROKEN = """<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0">
 <teiHeader><fileDesc><titleStmt><title>t</title></titleStmt><publicationStmt><p>p</p></publicationStmt>
  <sourceDesc><p>s</p></sourceDesc></fileDesc></teiHeader>
 <text><body><p><s xml:id="s1"><w xml:id="w1">a</w> <w xml:id="w2">b</w> <date calendar="#hijri" when="1220"/></s></p>
 </body></text>
 <standOff>
  <spanGrp><span from="#w1" target="#w2"/><span to="#w2"/></spanGrp>
  <linkGrp><link target="#w1"/></linkGrp>
  <listAnnotation><annotation xml:id="a1"><note>n</note></annotation></listAnnotation>
 </standOff>
</TEI>
"""


def test_broken_file_fails_with_file_line_and_rule(tmp_path, tei_schema):
    path = tmp_path / "broken.xml"
    path.write_text(BROKEN, encoding="utf-8")
    problems = validate([path], tei_schema)[str(path)]
    rules = {(p.rule, p.line) for p in problems}
    assert ("tei_all-span-target-from-constraint-rule-31", 8) in rules
    assert ("tei_all-span-tonotfrom-constraint-rule-33", 8) in rules
    assert ("tei_all-link-linkTargets3-constraint-rule-55", 9) in rules
    assert ("tei_all-att.calendarSystem-calendar-calendar_attr_on_empty_element-constraint-rule-10", 5) in rules
    assert ("nuskha-annotation-target", 10) in rules
    assert ("nuskha-pointer-resolves", 5) in rules  # #hijri is declared nowhere
    assert any(p.rule.endswith(".rng") for p in problems)  # annotation without @target breaks the schema too
    assert all(str(p).startswith(f"{path}:{p.line}: ") and f"[{p.rule}]" in str(p) for p in problems)


def test_rules_are_checked_without_the_schema():
    """The Schematron part needs no ../shared: it runs on any tree."""
    problems = check_rules(parse_bytes(BROKEN.encode("utf-8")), "b.xml")
    assert {p.rule for p in problems} >= {"tei_all-span-target-from-constraint-rule-31",
                                          "tei_all-link-linkTargets3-constraint-rule-55",
                                          "nuskha-annotation-target"}
    assert len({r for r, _, _ in RULES}) == len(RULES)


def test_validate_cli_reports_and_exits_2(run_nuskha_tei, tmp_path, tei_schema):
    path = tmp_path / "broken.xml"
    path.write_text(BROKEN, encoding="utf-8")
    code, out, err = run_nuskha_tei("validate", path, "--schema", tei_schema)
    assert code == 2
    assert f"{path}:9: error: [tei_all-link-linkTargets3-constraint-rule-55]" in out
    assert "error(s) in 1 of 1 file(s)" in err and "Traceback" not in err
