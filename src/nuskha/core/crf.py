"""A linear-chain CRF sequence tagger (CRFsuite) over string features, for any language.

The mechanism knows no language: a language injects ``type_features(lexeme) -> tuple[str, ...]``, the features of
one word type (its form, stem, suffix chain, gazetteer hits...). This module adds the context -- the neighbours'
features under a position prefix (``-1:``, ``+2:``) and the sentence edges -- and tags a sentence with BIO labels
(``B-PERSON``, ``I-PERSON``, ``O``), decoded into ``(first, last, type)`` token spans.

Training goes through CRFsuite (L-BFGS, no random state: the same sequences and parameters give a byte-identical
file). Tagging does not: the model file (CRFsuite's own binary format, read from bytes -- it may live inside a
wheel -- the first time it is needed, never at import) is read into a weight matrix (:class:`ChainWeights`), and
a linear-chain CRF's score is a sum, so each word type's share of it -- its own features, and what it passes on
to each neighbour -- is summed once per type and cached as a vector of label scores. A text then costs a few
array additions per token, not a list of feature strings per token handed to CRFsuite; Viterbi runs over all
the sentences at once, position by position, in numpy. The labels are those CRFsuite's own Viterbi gives (the
tests compare the two).
"""
from __future__ import annotations

import os
import struct
import tempfile
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

#: Which neighbours' features a token sees, and under which prefix; a neighbour contributes only the features
#: whose name starts with one of ``CONTEXT_KEYS`` (its form, stem and shape, not every gazetteer detail).
CONTEXT = ((-2, "-2:"), (-1, "-1:"), (1, "+1:"), (2, "+2:"))


class SequenceTagger:
    """Tag sentences of lexemes with a trained CRFsuite model.

    ``type_features`` gives a word type's own features; ``context_keys`` the prefixes (``w=``, ``lem=``...) of
    those a neighbour passes on; ``opens_after`` (optional) tells whether the word after a given word opens a
    sentence in the sense of the language (after an opening quote, say), beyond being its first token: that word
    gets the feature ``start``; ``novel`` (optional) whether a word is one the training text never showed;
    ``other_reading_stands`` (optional) whether the model's reading of such words, with the token before them, as
    a named thing of some other type is to be believed all the same.
    """

    def __init__(self, model: bytes | Callable[[], bytes] | None,
                 type_features: Callable[[object], tuple[str, ...]],
                 context_keys: Sequence[str] = ("w=", "lem=", "shape="),
                 opens_after: Callable[[object], bool] | None = None,
                 novel: Callable[[object], bool] | None = None,
                 other_reading_stands: Callable[[Sequence, object], bool] | None = None):
        self._model = model
        self._weights: ChainWeights | None = None
        self.type_features = type_features
        self.context_keys = tuple(context_keys)
        self.opens_after = opens_after
        #: whether a word is one the training text never showed (the model's guess about it is weak)
        self.novel = novel or (lambda lex: False)
        #: whether the model's reading of words (some never seen) as a named thing of another type stands,
        #: given the token before them (None at a sentence start)
        self.other_reading_stands = other_reading_stands or (lambda words, before: False)
        self._own: dict[str, tuple[str, ...]] = {}
        self._context: dict[str, dict[str, tuple[str, ...]]] = {prefix: {} for _, prefix in CONTEXT}
        self._scores: _TypeScores | None = None
        self._flags: dict[Callable, list[bool]] = {}

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
            if self.opens_after is not None and (k == 0 or self.opens_after(lexemes[k - 1])):
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
        return self._weights is not None

    def weights(self) -> "ChainWeights":
        """The model's weights, read from its bytes on first use."""
        if self._weights is None:
            data = self._model() if callable(self._model) else self._model
            if not data:
                raise ValueError("no CRF model")
            self._weights = ChainWeights.from_bytes(data)
            self._scores = _TypeScores(self._weights, CONTEXT, self.context_keys, self.opens_after is not None)
        return self._weights

    def tag(self, lexemes: Sequence) -> list[str]:
        """BIO labels of one sentence."""
        return self.tag_sentences([lexemes])[0]

    def tag_sentences(self, sentences: Sequence[Sequence]) -> list[list[str]]:
        """BIO labels of each sentence (a sequence of lexemes); one call for many sentences is much cheaper than
        one call each."""
        import numpy as np

        flat = [lex for s in sentences for lex in s]
        lengths = [len(s) for s in sentences]
        ends = np.cumsum(lengths, dtype=np.int64)
        ranges = np.stack((ends - lengths, ends), axis=1) if lengths else np.zeros((0, 2), dtype=np.int64)
        best = self.tag_ranges(self.type_ids(flat), ranges)
        names = self.weights().labels
        labels = [names[k] for k in best.tolist()]
        return [labels[i:j] for i, j in ranges.tolist()]

    def type_ids(self, lexemes: Sequence):
        """The word type (an int, the same for the same text) of each lexeme, as a numpy array; the features of
        a type are looked up the first time it is seen."""
        import numpy as np

        self.weights()
        scores = self._scores
        known = scores.ids.get
        ids = [known(lex.text, -1) for lex in lexemes]
        if -1 in ids:
            type_id, own, opens_after = scores.type_id, self.own, self.opens_after
            ids = [k if k >= 0 else type_id(lexemes[n], own, opens_after) for n, k in enumerate(ids)]
        return np.array(ids, dtype=np.int64)

    def type_flags(self, ids, flag: Callable[[object], bool]):
        """``flag(lexeme)`` of each token's word type (asked once per type), for tokens of type ``ids``."""
        import numpy as np

        known = self._flags.setdefault(flag, [])
        lexemes = self._scores.lexemes
        known.extend(bool(flag(lex)) for lex in lexemes[len(known):])
        return np.array(known, dtype=bool)[ids] if len(ids) else np.zeros(0, dtype=bool)

    def tag_ranges(self, ids, ranges):
        """The best label (an index into ``weights().labels``) of each token, given every token's type ``ids``
        and the ``(first, end)`` token ranges of the sentences to tag; a token outside them is ``O``."""
        import numpy as np

        weights = self.weights()
        best = np.full(len(ids), max(weights.outside, 0), dtype=np.int64)
        ranges = np.asarray(ranges, dtype=np.int64).reshape(-1, 2)
        lengths = ranges[:, 1] - ranges[:, 0]
        ranges, lengths = ranges[lengths > 0], lengths[lengths > 0]
        total = int(lengths.sum())
        if not total:
            return best
        firsts = np.cumsum(lengths) - lengths
        pos = np.arange(total) - np.repeat(firsts, lengths)  # position in its sentence
        where = np.repeat(ranges[:, 0], lengths) + pos  # the token's index in ``ids``
        size = np.repeat(lengths, lengths)
        best[where] = weights.decode(self._scores.emissions(ids[where], pos, size), pos, size)
        return best

    def spans(self, lexemes: Sequence) -> list[tuple[int, int, str]]:
        """``(first, last, TYPE)`` token spans of one sentence, as the model tags them."""
        return bio_spans(self.tag(lexemes))


class ChainWeights:
    """The weights of a CRFsuite linear-chain model: ``labels``, ``attributes`` (name → row of ``state``, the
    label scores an attribute adds) and ``transitions`` (``[from, to]``), read from the model file's bytes.

    The file (``crf1dm``, little-endian) holds a header of offsets, the features (type 0: attribute → label,
    type 1: label → label, each with a float64 weight) and two string tables (CQDB) mapping ids to label and
    attribute names; only the id → name arrays of those tables are read.
    """

    def __init__(self, labels: list[str], attributes: dict[str, int], state, transitions):
        import numpy as np

        self.labels = labels
        self.attributes = attributes
        self.state = state
        self.transitions = transitions
        self.outside = labels.index("O") if "O" in labels else -1

    @classmethod
    def from_bytes(cls, data: bytes) -> "ChainWeights":
        """Read a CRFsuite model file (what :func:`train` returns)."""
        import numpy as np

        try:
            (magic, _size, kind, _version, _nf, num_labels, num_attrs, off_features, off_labels, off_attrs,
             _lrefs, _arefs) = struct.unpack_from("<4sI4sIIIIIIIII", data, 0)
            if magic != b"lCRF" or kind != b"FOMC":
                raise ValueError("not a CRFsuite model file")
            chunk, _csize, count = struct.unpack_from("<4sII", data, off_features)
            if chunk != b"FEAT":
                raise ValueError("no feature table in the CRFsuite model")
            feats = np.frombuffer(data, dtype=np.dtype([("type", "<i4"), ("src", "<i4"), ("dst", "<i4"),
                                                         ("weight", "<f8")]), count=count, offset=off_features + 12)
            labels = _cqdb_strings(data, off_labels, num_labels)
            names = _cqdb_strings(data, off_attrs, num_attrs)
        except struct.error:
            raise ValueError("truncated CRFsuite model file") from None
        n = len(labels)
        state_rows = feats[feats["type"] == 0]
        used = np.unique(state_rows["src"])
        row_of = np.full(num_attrs, -1, dtype=np.int64)
        row_of[used] = np.arange(len(used))
        state = np.zeros((len(used) + 1, n))  # the last row: an attribute the model does not know
        np.add.at(state, (row_of[state_rows["src"]], state_rows["dst"]), state_rows["weight"])
        transitions = np.zeros((n, n))
        trans_rows = feats[feats["type"] == 1]
        np.add.at(transitions, (trans_rows["src"], trans_rows["dst"]), trans_rows["weight"])
        attributes = {names[a]: r for r, a in enumerate(used.tolist())}
        return cls(labels, attributes, state, transitions)

    def decode(self, emit, pos, size):
        """The best label of each token (Viterbi) given its label scores ``emit`` (tokens × labels), its position
        ``pos`` in its sentence and that sentence's ``size``; the tokens of many sentences side by side."""
        import numpy as np

        starts = np.flatnonzero(pos == 0)
        return self._viterbi_runs(emit, pos, size, starts, size[starts])

    def _viterbi_runs(self, emit, pos, size, starts, lengths):
        """Viterbi over runs of tokens (``starts``, ``lengths``), each a sentence or a part of one between O's;
        every other token is O. All runs at once, position by position, the longest first (so that the runs
        still going at a position are a prefix of them); the path is recovered backwards from each step's
        scores, taking the first best label before as CRFsuite does."""
        import numpy as np

        total, n_labels, o = len(emit), len(self.labels), self.outside
        best = np.full(total, max(o, 0), dtype=np.int64)
        if not len(starts):
            return best
        order = np.argsort(-lengths, kind="stable")
        starts, lengths = starts[order], lengths[order]
        ends = starts + lengths - 1
        trans = self.transitions
        zero = np.zeros((n_labels, 1))
        into = trans[o][:, None] if o >= 0 else zero  # from the O before a run (none at a sentence's start)
        out_of = trans[:, o][:, None] if o >= 0 else zero
        # runs longer than t, for each step t (lengths are in descending order)
        running = len(lengths) - np.searchsorted(lengths[::-1], np.arange(int(lengths[0])), side="right")
        # labels × runs: the best score of each label at the current step. The max over the label before is
        # taken label by label (17 additions of a row), far cheaper than one labels × labels × runs array.
        score = emit[starts].T + np.where(pos[starts] > 0, into, zero)
        final = np.empty((n_labels, len(starts)))
        history = [score]  # the path is recovered from each step's scores, backwards
        step = np.empty_like(score)
        for t in range(1, len(running)):
            n = running[t]
            final[:, n:running[t - 1]] = score[:, n:]  # runs that ended at t - 1
            new = score[0, :n] + trans[0][:, None]
            part = step[:, :n]
            for before in range(1, n_labels):
                np.add(score[before, :n], trans[before][:, None], out=part)
                np.maximum(new, part, out=new)
            new += emit[starts[:n] + t].T
            score = new
            history.append(score)
        final[:, :running[-1]] = score
        final += np.where(pos[ends] < size[ends] - 1, out_of, zero)
        label = final.argmax(axis=0)
        current = np.empty(len(starts), dtype=np.int64)
        for t in range(len(running) - 1, -1, -1):
            n = running[t]
            ending = slice(running[t + 1] if t + 1 < len(running) else 0, n)
            current[ending] = label[ending]
            best[starts[:n] + t] = current[:n]
            if t:  # the label before that the best score at t came from (the first, as CRFsuite takes it)
                current[:n] = (history[t - 1][:, :n] + trans[:, current[:n]]).argmax(axis=0)
        return best


def _cqdb_strings(data: bytes, offset: int, count: int) -> list[str]:
    """The strings of a CQDB table (CRFsuite's string ↔ id database) in id order, from its backward array."""
    chunk, _size, _flag, _order, bwd_size, bwd_offset = struct.unpack_from("<4sIIIII", data, offset)
    if chunk != b"CQDB" or bwd_size < count or not bwd_offset:
        raise ValueError("bad string table in the CRFsuite model")
    refs = struct.unpack_from(f"<{count}I", data, offset + bwd_offset)
    out = []
    for ref in refs:
        at = offset + ref
        _id, ksize = struct.unpack_from("<II", data, at)
        out.append(data[at + 8:at + 7 + ksize].decode("utf-8"))
    return out


class _TypeScores:
    """Each word type's share of the label scores, summed once and kept: its own features' (row of ``own``)
    and, for each neighbour offset, what it passes on to a token at that distance (``passed[d]``)."""

    def __init__(self, weights: ChainWeights, context, context_keys, starts: bool):
        import numpy as np

        self.weights = weights
        self.starts = starts  # whether the model has the feature ``start`` (the tagger was given ``opens_after``)
        self.context = context
        self.context_keys = tuple(context_keys)
        self.ids: dict[str, int] = {}
        self.lexemes: list = []  # the first lexeme of each type
        self.pending: list[tuple[list[int], list[list[int]]]] = []  # attribute rows of types not summed yet
        self.opener: list[bool] = []
        n = len(weights.labels)
        self.own = np.zeros((0, n))
        self.passed = [np.zeros((0, n)) for _ in context]
        row = self._row
        self.bias, self.bos, self.eos, self.start = (weights.state[row(a)] for a in ("bias", "BOS", "EOS", "start"))
        self.pad = [weights.state[row(prefix + "pad")] for _, prefix in context]
        self.passed_padded = [pad[None, :] for pad in self.pad]

    def _row(self, name: str) -> int:
        return self.weights.attributes.get(name, -1)

    def type_id(self, lex, own, opens_after) -> int:
        """The id of ``lex``'s word type (its text), its features looked up the first time it is seen."""
        k = self.ids.get(lex.text)
        if k is None:
            k = self.ids[lex.text] = len(self.ids)
            self.lexemes.append(lex)
            feats = own(lex)
            attributes, keys = self.weights.attributes, self.context_keys
            passed_on = [f for f in feats if f.startswith(keys)]
            self.pending.append(([attributes[f] for f in feats if f in attributes],
                                 [[attributes[p + f] for f in passed_on if p + f in attributes]
                                  for _, p in self.context]))
            self.opener.append(bool(opens_after and opens_after(lex)))
        return k

    def _sum_pending(self) -> None:
        import numpy as np

        if not self.pending:
            return
        state = self.weights.state
        groups = [[p[0] for p in self.pending]] + [[p[1][d] for p in self.pending] for d in range(len(self.context))]
        summed = []
        for rows in groups:
            which = np.fromiter((k for k, r in enumerate(rows) for _ in r), dtype=np.int64)
            attr = np.fromiter((a for r in rows for a in r), dtype=np.int64)
            block = np.zeros((len(rows), state.shape[1]))
            np.add.at(block, which, state[attr])
            summed.append(block)
        self.own = np.concatenate((self.own, summed[0]))
        self.passed = [np.concatenate((old, new)) for old, new in zip(self.passed, summed[1:])]
        self.passed_padded = [np.concatenate((passed, pad[None, :])) for passed, pad in zip(self.passed, self.pad)]
        self.pending = []

    def emissions(self, ids, pos, size):
        """Label scores (tokens × labels) of the tokens with type ``ids``, at ``pos`` in sentences of ``size``."""
        import numpy as np

        self._sum_pending()
        total = len(ids)
        emit = self.own[ids]
        emit += self.bias
        index = np.arange(total)
        pad_row = len(self.own)  # the last row of each ``passed_padded``: what the sentence edge passes on
        for (offset, _), passed in zip(self.context, self.passed_padded):
            inside = (pos + offset >= 0) & (pos + offset < size)
            emit += passed[np.where(inside, ids[np.clip(index + offset, 0, total - 1)], pad_row)]
        first, last = pos == 0, pos == size - 1
        emit[first] += self.bos
        emit[last] += self.eos
        if self.starts:
            opener = np.fromiter(self.opener, dtype=bool, count=len(self.opener))
            after = np.zeros(total, dtype=bool)
            after[1:] = opener[ids[:-1]]
            emit[first | after] += self.start
        return emit


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
    try:
        import pycrfsuite
    except ImportError as exc:  # tagging never needs it; only training does
        raise ImportError("training a CRF needs python-crfsuite: pip install 'nuskha[train]'") from exc

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
