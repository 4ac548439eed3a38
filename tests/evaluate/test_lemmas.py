"""The lemma scorer (``nuskha.evaluate.lemmas``) on a hand-made CoNLL-U sample."""
from __future__ import annotations

import pytest

from nuskha.errors import DataError, InputError
from nuskha.evaluate.lemmas import NOMINAL, read_conllu, score_lemmas, select_half, iter_words

SAMPLE = """# sent_id = 1
# text = Қазақстан елдерге барды.
1\tҚазақстан\tҚазақстан\tPROPN\tnp\t_\t3\tnsubj\t_\t_
2\tелдерге\tел\tNOUN\tn\t_\t3\tobl\t_\t_
3\tбарды\tбар\tVERB\tv\t_\t0\troot\t_\tSpaceAfter=No
4\t.\t.\tPUNCT\tsent\t_\t3\tpunct\t_\t_

# sent_id = 2
1-2\tдайынбыз\t_\t_\t_\t_\t_\t_\t_\t_
1\tдайын\tдайын\tADJ\tadj\t_\t0\troot\t_\t_
2\tбыз\tе\tAUX\tcop\t_\t1\tcop\t_\t_
3\tҮкімет\tүкімет\tNOUN\tn\t_\t1\tnsubj\t_\t_
"""

GUESSES = {"Қазақстан": "Қазақстан", "елдерге": "елдер", "барды": "бар", ".": ".", "дайын": "дайын", "быз": "быз",
           "Үкімет": "Үкімет"}


def test_reader_skips_multiword_lines_and_comments():
    sentences = read_conllu(SAMPLE)
    assert [len(s) for s in sentences] == [4, 3]
    assert [w.form for w in sentences[1]] == ["дайын", "быз", "Үкімет"]


def test_scores_by_pos_exact_and_case_insensitive():
    score = score_lemmas(iter_words(read_conllu(SAMPLE)), GUESSES.__getitem__)
    assert score.count() == 7
    assert score.accuracy() == pytest.approx(4 / 7)
    assert score.accuracy(fold=True) == pytest.approx(5 / 7)  # Үкімет ~ үкімет
    assert score.accuracy(NOMINAL) == pytest.approx(1 / 3)
    assert score.accuracy(NOMINAL, fold=True) == pytest.approx(2 / 3)
    assert score.types == 7


def test_halves_split_by_sentence():
    sentences = read_conllu(SAMPLE)
    assert select_half(sentences, "first") == sentences[:1]
    assert select_half(sentences, "second") == sentences[1:]
    assert select_half(sentences, "all") == sentences
    with pytest.raises(InputError):
        select_half(sentences, "third")


def test_malformed_line_names_file_and_line():
    with pytest.raises(DataError, match=r"bad\.conllu:line 2"):
        read_conllu("# x\n1\tонly three\tcols\n", "bad.conllu")


def test_real_analyser_scores_the_sample():
    from nuskha.evaluate.lemmas import analyser_lemmatizer

    score = score_lemmas(iter_words(read_conllu(SAMPLE)), analyser_lemmatizer("kk"))
    assert score.by_pos["NOUN"][2] == 2 and 0 <= score.accuracy() <= 1
    assert score.by_pos["PUNCT"][0] == 1  # punctuation is its own lemma


def test_first_half_of_ud_test_file(shared_dir):
    """Smoke test on a sample of the real file: the figure itself is printed by `nuskha eval lemmas`."""
    from nuskha.evaluate.lemmas import analyser_lemmatizer

    text = (shared_dir / "data/ud_kk/kk_ktb-ud-test.conllu").read_text(encoding="utf-8")
    sentences = select_half(read_conllu(text), "first")[:50]
    score = score_lemmas(iter_words(sentences), analyser_lemmatizer("kk"))
    assert score.count() > 200 and score.types > 100


RUNNING = ("# text = Компаниялар Алматыда, жұмыс істейді.\n"
           "1\tКомпаниялар\tкомпания\tNOUN\t_\t_\t0\troot\t_\t_\n"
           "2\tАлматыда\tАлматы\tPROPN\t_\t_\t1\tobl\t_\tSpaceAfter=No\n"
           "3\t,\t,\tPUNCT\t_\t_\t1\tpunct\t_\t_\n"
           "4-5\tжұмысшымын\t_\t_\t_\t_\t_\t_\t_\tSpaceAfter=No\n"
           "4\tжұмысшы\tжұмысшы\tNOUN\t_\t_\t1\tobj\t_\t_\n"
           "5\tмын\tе\tAUX\t_\t_\t4\tcop\t_\t_\n"
           "6\t.\t.\tPUNCT\t_\t_\t1\tpunct\t_\t_\n\n")


def test_running_text_is_rebuilt_with_exact_offsets():
    from nuskha.evaluate.lemmas import read_running_text

    [(text, surfaces)] = read_running_text(RUNNING)
    assert text == "Компаниялар Алматыда, жұмысшымын."
    assert [text[s.start:s.end] for s in surfaces] == ["Компаниялар", "Алматыда", ",", "жұмысшымын", "."]
    assert [w.form for w in surfaces[3].words] == ["жұмысшы", "мын"]


def test_running_text_scores_tokens_in_context_without_punctuation():
    from nuskha.evaluate.lemmas import read_running_text, score_running_text

    score = score_running_text(read_running_text(RUNNING))
    assert score.count() == 3 and "PUNCT" not in score.by_pos  # the host of жұмысшымын, not its copula
    assert score.inner_words == 1 and score.unmatched == 0
    assert score.accuracy(NOMINAL) == 1.0  # a sentence-initial common word: компания, lower case, no suffix


def test_a_ud_word_written_with_a_space_is_scored_on_its_first_part():
    from nuskha.evaluate.lemmas import read_running_text, score_running_text

    conllu = ("# text = Ол келген емес.\n"
              "1\tОл\tол\tPRON\t_\t_\t2\tnsubj\t_\t_\n"
              "2\tкелген емес\tкел\tVERB\t_\t_\t0\troot\t_\tSpaceAfter=No\n"
              "3\t.\t.\tPUNCT\t_\t_\t2\tpunct\t_\t_\n\n")
    score = score_running_text(read_running_text(conllu))
    assert score.spaced == 1 and score.unmatched == 0 and score.accuracy() == 1.0
    wrong = conllu.replace("\tкел\tVERB", "\tкелген\tVERB")  # it is scored, not waved through
    assert score_running_text(read_running_text(wrong)).accuracy() == 0.5


def test_a_sentence_initial_capital_is_the_sentences_not_the_words():
    from nuskha.pipeline import process

    def lemmas(text):
        return [t.lex.lemma for t in process(text, "kk").tokens if t.lex.kind == "word"]
    assert lemmas("Үкімет шешім қабылдады.")[0] == "үкімет"
    assert lemmas("Нұрсұлтан келді.")[0] == "Нұрсұлтан"  # a learnt name stays one
    assert lemmas("Темір-Мәлік келді.")[0] == "Темір-Мәлік"
    assert lemmas("« Қарағандыға барды.")[0] == "Қарағанды"  # after an opening quote, a listed name
