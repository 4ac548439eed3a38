"""The Kazakh sequence model, on by default: modern prose, multi-word names, groups, and the authority's word."""
from __future__ import annotations

import subprocess
import sys
from importlib import resources

import pytest

from nuskha.annotate.entities import recogniser
from nuskha.cli.annotate import annotate
from nuskha.pipeline import process

from .test_entities import found


def test_shipped_model_is_small_and_loads_lazily():
    data = resources.files("nuskha.lang.kk.data").joinpath("entity_crf.crfsuite").read_bytes()
    assert 100_000 < len(data) <= 5 * 1024 * 1024
    code = ("import sys, nuskha, nuskha.annotate.entities, nuskha.pipeline; "
            "print('pycrfsuite' in sys.modules, 'numpy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False False"  # importing the package reads no model


def test_on_by_default_and_off_with_rules_only(tmp_path):
    rec = recogniser("kk")
    assert rec.use_model and rec.model is not None
    assert recogniser("kk-Latn").model is None  # trained on Cyrillic: never applied to Latin-script Kazakh
    text = tmp_path / "t.txt"
    text.write_text("Кеше Президент Тоқаев Ақтөбеге барды.", encoding="utf-8")
    sources = {m["source"] for m in annotate(text, "kk")["mentions"]}
    assert "model" in sources
    assert "model" not in {m["source"] for m in annotate(text, "kk", statistical=False)["mentions"]}
    assert rec.use_model  # the switch was scoped to the call


def test_multi_word_names_come_out_whole_with_their_suffixes():
    m = found("Ол Қытай Халық Республикасына барды, Орталық Азия елдеріне келді. "
              "Кейін ол Нұрсұлтан Назарбаевпен кездесті.", "kk")
    for key in (("Қытай Халық Республикасына", "place"), ("Орталық Азия", "place"),
                ("Нұрсұлтан Назарбаевпен", "person")):
        assert key in m, (key, sorted(m))
    assert ("Қытай", "place") not in m  # the known place inside the longer name gives way to it


def test_a_sentence_initial_common_word_is_no_name():
    m = found("Ал ауылда жаңа мектеп ашылды. Жас қала тез өсті.", "kk")
    assert not [k for k in m if k[0] in ("Ал", "Жас")]


@pytest.mark.parametrize("text,expected", [
    ("Моңғолдар қыпшақтарды жеңді.", [("Моңғолдар", None), ("қыпшақтарды", None)]),
    ("Наймандар мен керейлер Жошы ұлысы құрамына кірді.",
     [("Наймандар", None), ("керейлер", None), ("Жошы ұлысы", None)]),
    ("Моңғол империясы мен Хорезмшахтар мемлекеті соғысты.",
     [("Моңғол империясы", None), ("Хорезмшахтар мемлекеті", None)]),
    ("Шыңғыс хан бастаған моңғол әскері келді. Найман руы көшті.",
     [("моңғол", "attributive"), ("Найман", "attributive")]),
])
def test_peoples_dynasties_and_polities_are_groups_in_every_form(text, expected):
    m = found(text, "kk")
    for surface, note in expected:
        assert (surface, "group") in m, (surface, sorted(m))
        assert m[(surface, "group")].note == note, surface


def test_the_authority_wins_for_known_refs():
    doc = process("Темір-Мәлік Жалал ад-Динмен Отырарға барды.", "kk")
    recogniser("kk")(doc)
    assert [(m.text, m.ref, m.source) for m in doc.mentions] == [
        ("Темір-Мәлік", "temur-malik", "authority"), ("Жалал ад-Динмен", "jalal-al-din-mangburni", "authority"),
        ("Отырарға", "otrar", "authority")]


def test_the_fast_tagger_gives_crfsuites_labels_on_kaznerd(shared_dir):
    """Tagging runs on the model's weights read into arrays, not through CRFsuite: same labels, sentence for
    sentence, on held-out KazNERD sentences."""
    pycrfsuite = pytest.importorskip("pycrfsuite")
    from nuskha.core.crf import sentence_ranges
    from nuskha.evaluate.kaznerd import read_iob2, split, to_text

    path = shared_dir / "data" / "kaznerd" / "IOB2_valid.txt"
    if not path.exists():
        pytest.skip(f"KazNERD is not present ({path})")
    text, _ = to_text(split(read_iob2(path), "heldout")[:400])
    doc = process(text, "kk")
    model = recogniser("kk").model
    sentences = [[t.lex for t in doc.tokens[i:j]] for i, j in sentence_ranges(doc.tokens, doc.sentences)]
    reference = pycrfsuite.Tagger()
    reference.open_inmemory(resources.files("nuskha.lang.kk.data").joinpath("entity_crf.crfsuite").read_bytes())
    expected = [reference.tag(model.sentence_features(s)) for s in sentences]
    assert sum(label != "O" for labels in expected for label in labels) > 100
    assert model.tag_sentences(sentences) == expected


def test_a_quoted_name_the_model_reads_as_a_company_is_no_person():
    """Guillemets hold the names of companies, systems and events: where the model reads unseen words there as
    one, the capitalised-word rule makes no person (or place) of them; a surname inside quotes still is one."""
    for text in ("Бұл туралы « Опен Спейс » жүйесінде айтылды.",
                 "Бас мердігер « Транс Азия Констракшн » серіктестігі жол салды."):
        assert not [k for k in found(text, "kk") if k[1] in ("person", "place")], text
    assert ("Тоғызбай Тәжбеновтің", "person") in found("Ол « Тоғызбай Тәжбеновтің » кітабын оқыды.", "kk")
