"""The split-point scorer on a hand-made CoNLL-U text, and the real UD-PUD score through the CLI on a sample."""
from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from nuskha.document import Segment
from nuskha.errors import DataError, InputError
from nuskha.evaluate.segmentation import predicted_splits, read_conllu, score_segmentation, select_half

# "وبسمرقند قتل ينال خان, للسلطان كتبها." with PUD's conventions: clitics are words glued by SpaceAfter=No,
# the article stays in its word (ل + لسلطان), a tatweel split off is no clitic.
TINY = """# text = وبسمرقند قتل
1\tو\tو\tCCONJ\t_\t_\t0\troot\t_\tSpaceAfter=No
2\tب\tب\tADP\t_\t_\t0\tcase\t_\tSpaceAfter=No
3\tسمرقند\tسمرقند\tPROPN\t_\t_\t0\tobl\t_\t_
4\tقتل\tقتل\tVERB\t_\t_\t0\troot\t_\tSpaceAfter=No
5\t,\t,\tPUNCT\t_\t_\t0\tpunct\t_\t_

1\tل\tل\tADP\t_\t_\t0\tcase\t_\tSpaceAfter=No
2\tلسلطان\tسلطان\tNOUN\t_\t_\t0\tobl\t_\t_
3\tكتب\tكتب\tVERB\t_\t_\t0\troot\t_\tSpaceAfter=No
4\tها\tهو\tPRON\t_\t_\t0\tobj\t_\tSpaceAfter=No
5\tـ\tـ\tPUNCT\t_\t_\t0\tpunct\t_\tSpaceAfter=No
6\t.\t.\tPUNCT\t_\t_\t0\tpunct\t_\t_
"""


def no_split(text, norm):
    return norm, ()


def test_read_conllu_rebuilds_text_and_boundaries():
    s1, s2 = read_conllu(TINY)
    assert s1.text == "وبسمرقند قتل, "
    assert {1, 2} <= s1.boundaries
    assert s2.text.startswith("للسلطان كتبهاـ.")
    assert 1 in s2.boundaries and 11 in s2.boundaries  # ل|لسلطان, كتب|ها
    assert 13 not in s2.boundaries  # the tatweel is glued to ها


def test_multiword_tokens_spelled_by_their_words_are_read_like_pud():
    text = "1-2\tوبه\t_\t_\t_\t_\t_\t_\t_\t_\n1\tو\t_\t_\t_\t_\t0\t_\t_\t_\n2\tبه\t_\t_\t_\t_\t0\t_\t_\t_\n" \
           "3-4\tعليه\t_\t_\t_\t_\t_\t_\t_\t_\n3\tعلى\t_\t_\t_\t_\t0\t_\t_\t_\n4\tه\t_\t_\t_\t_\t0\t_\t_\t_\n"
    (sent,) = read_conllu(text)
    assert sent.text == "وبه عليه "
    assert 1 in sent.boundaries and sent.unaligned == ((4, 8),)  # على+ه does not spell عليه


def test_bad_conllu_line_names_the_position():
    with pytest.raises(DataError, match="line 2"):
        read_conllu("1\tو\t_\t_\t_\t_\t0\t_\t_\t_\n1\tonly three\tcols\n", "x.conllu")


def test_article_boundary_is_not_counted():
    segs = (Segment(0, 1, "prep"), Segment(1, 2, "det", "ال"), Segment(2, 7, "stem"))
    assert predicted_splits(segs) == {1}


def test_scores_on_the_tiny_file():
    gold = read_conllu(TINY)
    ours = score_segmentation(gold)
    assert (ours.tp, ours.fp, ours.fn) == (4, 0, 0)  # و|ب|سمرقند, ل|لسلطان, كتب|ها
    assert ours.f1 == 1.0
    base = score_segmentation(gold, no_split)
    assert base.fn == 4 and base.f1 == 0.0


def test_halves_partition_the_sentences():
    sents = read_conllu(TINY)
    assert list(select_half(sents, "first")) + list(select_half(sents, "second")) == sents
    with pytest.raises(InputError):
        select_half(sents, "third")


def test_cli_scores_a_pud_sample_above_the_no_split_baseline(shared_dir, tmp_path):
    from nuskha.cli.main import build_app

    pud = shared_dir / "data" / "ud_ar_pud" / "ar_pud-ud-test.conllu"
    blocks = pud.read_text(encoding="utf-8").split("\n\n")
    sample = tmp_path / "sample.conllu"
    sample.write_text("\n\n".join(blocks[:120]) + "\n", encoding="utf-8")
    result = CliRunner().invoke(build_app(), ["eval", "segmentation", str(sample), "--rules-only", "--json"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output)
    print(f"PUD sample (120 sentences, rules): P={figures['precision']} R={figures['recall']} F1={figures['f1']}")
    baseline = score_segmentation(read_conllu(sample.read_text(encoding="utf-8")), no_split)
    assert figures["tp"] + figures["fn"] == baseline.fn > 0  # same gold split points either way
    assert figures["f1"] > baseline.f1


def test_cli_missing_file_is_a_one_line_error(tmp_path):
    from nuskha.cli.main import main

    with pytest.raises(SystemExit) as exc:
        main(["eval", "segmentation", str(tmp_path / "nope.conllu")])
    assert exc.value.code == 2
