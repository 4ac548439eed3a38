"""KazNERD DATE as information (issue 12): gold spans read from IOB2, and the date recogniser scored on them."""
from __future__ import annotations

from nuskha.evaluate.kaznerd_dates import date_gold, evaluate_kaznerd_dates

IOB2 = """Ол O
1219 B-DATE
жылы I-DATE
Отырарға B-GPE
келді O
. O

Бүгін B-DATE
ауа O
райы O
жақсы O
. O

Шыңғыс B-PERSON
2015 B-DATE
жылдың I-DATE
қазан I-DATE
айында I-DATE
келді O
"""


def test_date_gold_spans_follow_the_iob2_labels():
    sentences = [[tuple(line.rsplit(None, 1)) for line in block.splitlines()] for block in IOB2.strip().split("\n\n")]
    text, gold = date_gold(sentences)
    assert [g["text"] for g in gold] == ["1219 жылы", "Бүгін", "2015 жылдың қазан айында"]
    assert all(text[g["start"]:g["end"]] == g["text"] for g in gold)


def test_calendar_dates_match_and_deictics_are_missed(tmp_path):
    path = tmp_path / "kaznerd.txt"
    path.write_text(IOB2, encoding="utf-8")
    scores = evaluate_kaznerd_dates(path, part="all").by_type["date"]
    assert (scores.gold, scores.exact) == (3, 2)  # бүгін is a KazNERD DATE, not an ANNOTATION.md date
