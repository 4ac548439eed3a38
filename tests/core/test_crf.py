"""The language-neutral CRF tagger: BIO decoding, deterministic training, lazy loading, context features."""
from __future__ import annotations

from nuskha.core.crf import SequenceTagger, bio_spans, sentence_ranges, train
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
