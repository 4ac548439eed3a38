"""``tools/build_kk_stems.py``: verb stems of infinitives and the KazNERD form counts, on tiny inputs."""
from __future__ import annotations

import pytest

from nuskha.evaluate.kaznerd import read_iob2

from .conftest import load_tool



@pytest.fixture(scope="module")
def tool():
    return load_tool("build_kk_stems")


def test_verb_stem_of_an_infinitive(tool):
    assert tool.verb_stem("болу") == "бол"
    assert tool.verb_stem("шығу") == "шық"
    assert tool.verb_stem("азаю") == "азай"
    assert tool.verb_stem("ел") is None


IOB = """Нұрсұлтан B-PERSON
Назарбаев I-PERSON
компанияға O
келді O
. O

« O
Компания O
» O
мен O
Нұрсұлтан B-PERSON
компанияның O
. O
"""


def _sentences(path):
    return [[token for token, _label in sentence] for sentence in read_iob2(path)]


def test_only_the_training_part_of_kaznerd_is_read(tool, tmp_path):
    # ten sentences: the shipped lists learn from the first eight; the last two are nuskha eval kaznerd's held-out part
    path = tmp_path / "iob.txt"
    path.write_text("".join(f"Сөз{i} O\n. O\n\n" for i in range(10)), encoding="utf-8")
    assert [s[0] for s in tool.kaznerd_training_sentences(path)] == [f"Сөз{i}" for i in range(8)]


def test_kaznerd_counts_skip_sentence_starts(tool, tmp_path):
    path = tmp_path / "iob.txt"
    path.write_text(IOB, encoding="utf-8")
    counts = tool.from_kaznerd(_sentences(path))
    # [lower case, capitalised inside a sentence, sentence-initial]
    assert counts["нұрсұлтан"] == [0, 1, 1]
    assert counts["компания"] == [0, 0, 1]  # after an opening quote it still starts the sentence
    assert counts["компанияға"] == [1, 0, 0]


def test_counts_over_suffixed_forms(tool, tmp_path):
    rows = tool.with_suffixed_forms({"компания": [0, 0, 1], "компанияның": [2, 0, 0], "компанияға": [1, 0, 0]})
    assert rows["компания"] == [0, 0, 3, 0]  # own counts, then over компанияның and компанияға too
    out = tmp_path / "forms.tsv"
    tool.write_counts(out, {"компания": [0, 0, 1]}, "test")
    assert out.read_text(encoding="utf-8").splitlines()[-1] == "компания\t0\t0\t0\t0"


GIVEN = """Бүгін O
Серік B-PERSON
Ахметов I-PERSON
келді O
. O

Оны O
Серік B-PERSON
Ахметовке I-PERSON
Президент B-POSITION
Тоқаев B-PERSON
айтты O
. O

Мұны O
Президент O
айтты O
, O
Президент O
жазды O
және O
Сайлау O
Асанов O
, O
сайлау O
, O
сайлау O
бар O
. O
"""


def test_given_names_stand_before_surnames(tool, tmp_path):
    path = tmp_path / "iob.txt"
    path.write_text(GIVEN, encoding="utf-8")
    assert tool.given_names(_sentences(path)) == {"Серік": {"p"}, "Сайлау": {"p"}}  # Президент: a surname after it once in 3
    # written in lower case more than ten times as often as capitalised inside a sentence: a common word
    path.write_text(GIVEN + "Бүгін O\n" + "сайлау O\n" * 11 + ". O\n", encoding="utf-8")
    assert tool.given_names(_sentences(path)) == {"Серік": {"p"}}
