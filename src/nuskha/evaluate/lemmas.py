"""Lemma accuracy against a UD treebank (CoNLL-U), for a nuskha language's analyser.

Each syntactic word of the treebank (not the multi-word token lines ``4-5``) is analysed on its own: its word
form is passed to the language's analyser, so nuskha's tokenizer plays no part (its tokens differ from UD's, which
split copulas such as ``қуаныштымын`` → ``қуанышты`` + ``мын``). Accuracy is printed case-sensitively (the UD
convention: common words in lower case, names with their capitals) and case-insensitively.
"""
from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..io import read_text
from .conllu import HALVES, iter_sentences, select_half  # noqa: F401  (HALVES, select_half: part of this API)

NOMINAL = frozenset({"NOUN", "PROPN"})


@dataclass(frozen=True, slots=True)
class Word:
    form: str
    lemma: str
    upos: str


@dataclass
class Score:
    """Counts of one evaluation; ``by_pos`` maps UPOS -> [correct, correct ignoring case, total]."""

    by_pos: dict[str, list[int]] = field(default_factory=dict)
    types: int = 0
    seconds: float = 0.0

    def add(self, upos: str, exact: bool, folded: bool) -> None:
        row = self.by_pos.setdefault(upos, [0, 0, 0])
        row[0] += exact
        row[1] += folded
        row[2] += 1

    def accuracy(self, pos: Iterable[str] | None = None, fold: bool = False) -> float:
        rows = [r for p, r in self.by_pos.items() if pos is None or p in pos]
        total = sum(r[2] for r in rows)
        return sum(r[1 if fold else 0] for r in rows) / total if total else 0.0

    def count(self, pos: Iterable[str] | None = None) -> int:
        return sum(r[2] for p, r in self.by_pos.items() if pos is None or p in pos)


def read_conllu(text: str, path: str = "<string>") -> list[list[Word]]:
    """Sentences of syntactic words (ranges ``4-5`` and empty nodes ``4.1`` skipped)."""
    return [[Word(r.form, r.lemma, r.upos) for r in rows if r.is_word] for rows in iter_sentences(text, path)]


def score_lemmas(words: Iterable[Word], lemmatize: Callable[[str], str]) -> Score:
    """Compare ``lemmatize(form)`` with each gold lemma; the analyser runs once per distinct form."""
    score = Score()
    cache: dict[str, str] = {}
    start = time.perf_counter()
    for w in words:
        guess = cache.get(w.form)
        if guess is None:
            guess = cache[w.form] = lemmatize(w.form)
        score.add(w.upos, guess == w.lemma, guess.casefold() == w.lemma.casefold())
    score.seconds = time.perf_counter() - start
    score.types = len(cache)
    return score


def analyser_lemmatizer(lang: str) -> Callable[[str], str]:
    """``form -> lemma`` with the analyser of a nuskha language (normalised as the pipeline does)."""
    from ..lang import get_language

    language = get_language(lang)

    def lemmatize(form: str) -> str:
        norm, _ = language.normalize(form)
        return language.analyze(form, norm)[0]
    return lemmatize


def evaluate_lemmas(path: str | Path, half: str = "all", lang: str = "kk") -> Score:
    """Lemma accuracy of nuskha's ``lang`` analyser on the UD treebank at ``path`` (one half or all of it)."""
    sentences = select_half(read_conllu(read_text(path), str(path)), half)
    lemmatize = analyser_lemmatizer(lang)
    lemmatize("warm")  # load the tables first, so the speed measured is that of analysis alone
    return score_lemmas(iter_words(sentences), lemmatize)


def iter_words(sentences: list[list[Word]]) -> Iterator[Word]:
    for sentence in sentences:
        yield from sentence


@dataclass(frozen=True, slots=True)
class Surface:
    """One surface token of a UD sentence: its offsets in the sentence text and its syntactic words."""

    start: int
    end: int
    words: tuple[Word, ...]


def read_running_text(text: str, path: str = "<string>") -> list[tuple[str, list[Surface]]]:
    """Each sentence of a CoNLL-U text as ``(sentence text, surface tokens)``: the text is rebuilt from the
    surface forms (a multiword token ``4-5`` once) and ``SpaceAfter=No``, so offsets are exact."""
    from .conllu import iter_sentences

    out = []
    for rows in iter_sentences(text, path):
        pieces: list[str] = []
        tokens: list[Surface] = []
        pos, k = 0, 0
        while k < len(rows):
            row = rows[k]
            if "-" in row.id:
                first, last = (int(x) for x in row.id.split("-"))
                words = tuple(Word(r.form, r.lemma, r.upos) for r in rows[k + 1:k + 2 + last - first] if r.is_word)
                k += 2 + last - first
            elif row.is_word:
                words = (Word(row.form, row.lemma, row.upos),)
                k += 1
            else:  # an empty node 4.1: no surface
                k += 1
                continue
            tokens.append(Surface(pos, pos + len(row.form), words))
            pieces.append(row.form)
            pos += len(row.form)
            if row.space_after:
                pieces.append(" ")
                pos += 1
        out.append(("".join(pieces).rstrip(" "), tokens))
    return out


@dataclass
class RunningScore(Score):
    """A :class:`Score` of lemmas read in running text, with what could not be scored word by word."""

    unmatched: int = 0  # UD words whose surface token nuskha's tokenizer cut differently (counted wrong)
    spaced: int = 0  # UD words written with a space (болған емес), scored on the nuskha token of their first part
    inner_words: int = 0  # words after the first of a multiword token (қуаныштымын → қуанышты + мын): left out
    sentences: int = 0


def score_running_text(sentences: list[tuple[str, list[Surface]]], lang: str = "kk") -> RunningScore:
    """Lemma accuracy of nuskha's pipeline on whole sentences: each sentence text is tokenised in context, and
    each UD word (punctuation excluded) is compared with the lemma of the nuskha token of the same offsets. A
    UD token nuskha cut differently counts as wrong; of a multiword token only the first word (the host the
    token's lemma is of) is scored. UD-KTB writes some analytic verb forms as one word with a space inside
    (``болған емес``, ``деген екен``, lemma that of the first part): such a word is scored on the nuskha token
    that spans its first part exactly, the lemma it takes being that part's."""
    from ..pipeline import process

    score = RunningScore()
    start = time.perf_counter()
    for text, surfaces in sentences:
        if not text.strip():
            continue
        doc = process(text, lang)
        by_span = {(t.start, t.end): t.lex.lemma for t in doc.tokens}
        score.sentences += 1
        for s in surfaces:
            for n, w in enumerate(s.words):
                if w.upos == "PUNCT":
                    continue
                if n:
                    score.inner_words += 1
                    continue
                guess = by_span.get((s.start, s.end))
                if guess is None and " " in w.form and len(s.words) == 1:
                    guess = by_span.get((s.start, s.start + w.form.index(" ")))
                    score.spaced += guess is not None
                if guess is None:
                    score.unmatched += 1
                    guess = ""
                score.add(w.upos, guess == w.lemma, guess.casefold() == w.lemma.casefold())
    score.seconds = time.perf_counter() - start
    return score


def evaluate_running_text(path: str | Path, half: str = "all", lang: str = "kk") -> RunningScore:
    """Lemma accuracy of nuskha's ``lang`` pipeline on the UD treebank's sentences read as running text."""
    sentences = select_half(read_running_text(read_text(path), str(path)), half)
    return score_running_text(list(sentences), lang)
