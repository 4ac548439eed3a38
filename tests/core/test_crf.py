"""The language-neutral CRF tagger: BIO decoding, deterministic training, lazy loading, context features."""
from __future__ import annotations

import pytest

from nuskha.core.crf import ChainWeights, SequenceTagger, bio_spans, sentence_ranges, train
from nuskha.document import Lexeme, Span, Token


def lex(text):
    return Lexeme(text, "word", text, text.lower())


def word_features(lexeme):
    return (f"w={lexeme.text.lower()}", f"cap={lexeme.text[:1].isupper()}")


SENTENCES = [("Ali went to Paris", "B-PER O O B-LOC"), ("Bob saw Rome", "B-PER O B-LOC"),
             ("we went to Rome", "O O O B-LOC"), ("Ali Bob met", "B-PER I-PER O")] * 3


def training_data():
    tagger = SequenceTagger(None, word_features)
    return [(tagger.sentence_features([lex(w) for w in text.split()]), labels.split()) for text, labels in SENTENCES]


def test_bio_spans_decode_entities_and_stray_inside_tags():
    assert bio_spans(["B-PER", "I-PER", "O", "I-LOC", "B-LOC", "I-PER"]) == [
        (0, 1, "PER"), (3, 3, "LOC"), (4, 4, "LOC"), (5, 5, "PER")]
    assert bio_spans(["O", "O"]) == []


def test_training_is_deterministic_and_the_model_tags():
    a, b = train(training_data()), train(training_data())
    assert a == b and len(a) > 100
    calls = []

    def read():
        calls.append(1)
        return a
    tagger = SequenceTagger(read, word_features)
    assert not tagger.loaded and not calls  # nothing read until the first sentence is tagged
    assert tagger.spans([lex(w) for w in "Ali went to Rome".split()]) == [(0, 0, "PER"), (3, 3, "LOC")]
    assert tagger.loaded and len(calls) == 1
    tagger.tag([lex("Bob")])
    assert len(calls) == 1


def test_context_features_name_the_neighbours():
    tagger = SequenceTagger(None, word_features, context_keys=("w=",))
    feats = tagger.sentence_features([lex("a"), lex("B"), lex("c")])
    assert "-1:w=a" in feats[1] and "+1:w=c" in feats[1] and "-1:cap=True" not in feats[1]
    assert "BOS" in feats[0] and "-2:pad" in feats[0] and "EOS" in feats[2]


def test_sentence_ranges_group_tokens():
    tokens = [Token(0, 1, lex("a")), Token(2, 3, lex("b")), Token(5, 6, lex("c"))]
    assert sentence_ranges(tokens, [Span(0, 4, "s"), Span(5, 6, "s"), Span(7, 9, "s")]) == [(0, 2), (2, 3)]


def test_the_weights_read_from_the_file_are_crfsuites():
    pycrfsuite = pytest.importorskip("pycrfsuite")
    data = train(training_data())
    weights = ChainWeights.from_bytes(data)
    tagger = pycrfsuite.Tagger()
    tagger.open_inmemory(data)
    info = tagger.info()
    assert weights.labels == tagger.labels()
    label = {name: k for k, name in enumerate(weights.labels)}
    assert info.state_features and info.transitions
    for (attr, name), w in info.state_features.items():
        assert weights.state[weights.attributes[attr], label[name]] == pytest.approx(w, abs=1e-6)  # info() reads a dump of 6 decimals
    for (a, b), w in info.transitions.items():
        assert weights.transitions[label[a], label[b]] == pytest.approx(w, abs=1e-6)  # info() reads a dump of 6 decimals
    with pytest.raises(ValueError):
        ChainWeights.from_bytes(b"not a model" * 10)


def test_tagging_many_sentences_at_once_gives_crfsuites_labels():
    pycrfsuite = pytest.importorskip("pycrfsuite")
    featurer = SequenceTagger(None, word_features, opens_after=lambda lex: lex.text == ".")
    data = train([(featurer.sentence_features([lex(w) for w in text.split()]), labels.split())
                  for text, labels in SENTENCES])
    reference = pycrfsuite.Tagger()
    reference.open_inmemory(data)
    ours = SequenceTagger(data, word_features, opens_after=lambda lex: lex.text == ".")
    texts = ["Ali went to Rome", "Bob", "we saw Ali Bob . Rome went", "to to Paris Paris Ali",
             "Rome Ali Bob met we went to Paris . Bob", "x"]
    sentences = [[lex(w) for w in t.split()] for t in texts]
    expected = [reference.tag(featurer.sentence_features(s)) for s in sentences]
    assert any(label != "O" for labels in expected for label in labels)
    assert ours.tag_sentences(sentences) == expected
    assert [ours.tag(s) for s in sentences] == expected
    assert ours.tag_sentences([]) == [] and ours.tag([]) == []


def test_the_start_feature_follows_an_opener():
    tagger = SequenceTagger(None, word_features, opens_after=lambda lex: lex.text == "«")
    feats = tagger.sentence_features([lex("a"), lex("«"), lex("B")])
    assert "start" in feats[0] and "start" not in feats[1] and "start" in feats[2]
    assert not any("start" in f for f in SequenceTagger(None, word_features).sentence_features([lex("a")]))
