"""A linear-chain CRF sequence tagger (CRFsuite) over string features, for any language.

The mechanism knows no language: a language injects ``type_features(lexeme) -> tuple[str, ...]``, the features of
one word type (its form, stem, suffix chain, gazetteer hits...). This module adds the context -- the neighbours'
features under a position prefix (``-1:``, ``+2:``) and the sentence edges -- and tags a sentence with BIO labels
(``B-PERSON``, ``I-PERSON``, ``O``), decoded into ``(first, last, type)`` token spans.

Per-type features are computed once per word type and cached, so a long text costs one list concatenation per
token plus CRFsuite's Viterbi in C. The model file is CRFsuite's own binary format, read from bytes (it may live
inside a wheel) the first time it is needed, never at import. Training (L-BFGS, no random state) is deterministic:
the same sequences and parameters give a byte-identical file.
"""
from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

#: Which neighbours' features a token sees, and under which prefix; a neighbour contributes only the features
#: whose name starts with one of ``CONTEXT_KEYS`` (its form, stem and shape, not every gazetteer detail).
CONTEXT = ((-2, "-2:"), (-1, "-1:"), (1, "+1:"), (2, "+2:"))


class SequenceTagger:
    """Tag sentences of lexemes with a trained CRFsuite model.

    ``type_features`` gives a word type's own features; ``context_keys`` the prefixes (``w=``, ``lem=``...) of
    those a neighbour passes on; ``sentence_start`` (optional) tells whether token ``k`` of a sentence opens it in
    the sense of the language (after an opening quote, say), beyond being its first token; ``novel`` (optional)
    whether a word is one the training text never showed.
    """

    def __init__(self, model: bytes | Callable[[], bytes] | None,
                 type_features: Callable[[object], tuple[str, ...]],
                 context_keys: Sequence[str] = ("w=", "lem=", "shape="),
                 sentence_start: Callable[[Sequence, int], bool] | None = None,
                 novel: Callable[[object], bool] | None = None):
        self._model = model
        self._tagger = None
        self._data: bytes | None = None
        self.type_features = type_features
        self.context_keys = tuple(context_keys)
        self.sentence_start = sentence_start
        #: whether a word is one the training text never showed (the model's guess about it is weak)
        self.novel = novel or (lambda lex: False)
        self._own: dict[str, tuple[str, ...]] = {}
        self._context: dict[str, dict[str, tuple[str, ...]]] = {prefix: {} for _, prefix in CONTEXT}

    # --- features -----------------------------------------------------------------------------------------

    def own(self, lex) -> tuple[str, ...]:
        """The type's own features (cached by its text)."""
        feats = self._own.get(lex.text)
        if feats is None:
            feats = self._own[lex.text] = tuple(self.type_features(lex))
        return feats

    def _as_context(self, lex, prefix: str) -> tuple[str, ...]:
        cache = self._context[prefix]
        feats = cache.get(lex.text)
        if feats is None:
            keys = self.context_keys
            feats = cache[lex.text] = tuple([prefix + f for f in self.own(lex) if f.startswith(keys)])
        return feats

    def sentence_features(self, lexemes: Sequence) -> list[list[str]]:
        """Feature lists of each token of one sentence (a sequence of lexemes)."""
        n = len(lexemes)
        out = []
        for k, lex in enumerate(lexemes):
            feats = ["bias", *self.own(lex)]
            if k == 0:
                feats.append("BOS")
            if k == n - 1:
                feats.append("EOS")
            if self.sentence_start is not None and self.sentence_start(lexemes, k):
                feats.append("start")
            for offset, prefix in CONTEXT:
                j = k + offset
                if 0 <= j < n:
                    feats.extend(self._as_context(lexemes[j], prefix))
                else:
                    feats.append(prefix + "pad")
            out.append(feats)
        return out

    # --- tagging ------------------------------------------------------------------------------------------

    @property
    def loaded(self) -> bool:
        return self._tagger is not None

    def tagger(self):
        """The CRFsuite tagger, opened from the model bytes on first use."""
        if self._tagger is None:
            import pycrfsuite

            data = self._model() if callable(self._model) else self._model
            if not data:
                raise ValueError("no CRF model")
            tagger = pycrfsuite.Tagger()
            tagger.open_inmemory(data)
            self._data = data  # CRFsuite reads the buffer in place: it must outlive the tagger
            self._tagger = tagger
        return self._tagger

    def tag(self, lexemes: Sequence) -> list[str]:
        """BIO labels of one sentence."""
        if not lexemes:
            return []
        return self.tagger().tag(self.sentence_features(lexemes))

    def spans(self, lexemes: Sequence) -> list[tuple[int, int, str]]:
        """``(first, last, TYPE)`` token spans of one sentence, as the model tags them."""
        return bio_spans(self.tag(lexemes))


def bio_spans(labels: Sequence[str]) -> list[tuple[int, int, str]]:
    """``(first, last, TYPE)`` of each entity in a BIO label sequence; a stray ``I-X`` opens a span of X.

    >>> bio_spans(["B-PER", "I-PER", "O", "I-LOC", "B-LOC"])
    [(0, 1, 'PER'), (3, 3, 'LOC'), (4, 4, 'LOC')]
    """
    out: list[tuple[int, int, str]] = []
    first, kind = -1, ""
    for k, label in enumerate(labels):
        tag, _, typ = label.partition("-")
        if kind and (tag != "I" or typ != kind):
            out.append((first, k - 1, kind))
            kind = ""
        if tag in ("B", "I") and not kind:
            first, kind = k, typ
    if kind:
        out.append((first, len(labels) - 1, kind))
    return out


#: Training defaults: L1 prunes most features to zero (a small file), L2 smooths the rest.
TRAIN_PARAMS = {"c1": 0.05, "c2": 0.02, "max_iterations": 150, "feature.possible_transitions": True,
                "feature.minfreq": 1}


def train(sequences: Iterable[tuple[list[list[str]], list[str]]], params: dict | None = None) -> bytes:
    """Train a CRF (L-BFGS) on ``(features per token, labels)`` sentences and return the model file's bytes.

    Deterministic: CRFsuite's L-BFGS has no random state, so the same sequences in the same order with the same
    parameters give the same bytes.
    """
    import pycrfsuite

    trainer = pycrfsuite.Trainer(algorithm="lbfgs", verbose=False)
    for xseq, yseq in sequences:
        trainer.append(xseq, yseq)
    trainer.set_params({**TRAIN_PARAMS, **(params or {})})
    fd, tmp = tempfile.mkstemp(suffix=".crfsuite")
    os.close(fd)
    try:
        trainer.train(tmp)
        return Path(tmp).read_bytes()
    finally:
        os.unlink(tmp)


def sentence_ranges(tokens: Sequence, sentences: Sequence) -> list[tuple[int, int]]:
    """``(i, j)``: the tokens ``tokens[i:j]`` of each sentence span (tokens outside every sentence are skipped)."""
    from bisect import bisect_left

    starts = [t.start for t in tokens]
    out = []
    for s in sentences:
        i = bisect_left(starts, s.start)
        j = bisect_left(starts, s.end, lo=i)
        if j > i:
            out.append((i, j))
    return out
