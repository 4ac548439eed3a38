"""Split-point scoring of Arabic clitic segmentation against a UD treebank (``nuskha eval segmentation``).

What is counted. UD Arabic-PUD writes every clitic as a syntactic word of its own, glued to its neighbours with
``SpaceAfter=No`` (``ل`` + ``أوباما``, ``نشرت`` + ``ها``); it has no multiword-token ranges (where a file has
them, a range whose words spell its form is read the same way; one whose words do not is left out and counted
as ``unaligned``). The sentence text is rebuilt from the word forms and ``SpaceAfter``, tokenised by nuskha's
Arabic tokenizer, and each word token's analysis is compared with the UD word boundaries strictly inside it:

* a gold split point is a UD word boundary inside a nuskha word token (boundaries at token edges -- before
  punctuation, between letters and digits -- are the tokenizer's business and are not counted; nor is the
  boundary around a UD "word" that is only a tatweel, ``فقط`` + ``ـ``, which is no clitic);
* a predicted split point is a boundary between two of nuskha's segments, EXCEPT the one after an article
  (``det``): PUD keeps the article inside its word (``ل`` + ``لسلطة``, ``المساعدة``), so nuskha's article layer
  is merged into the following stem before comparing -- like with like.

Precision, recall and F1 are micro-averaged over split points; ``exact`` is the share of word tokens whose split
points all match.
"""
from __future__ import annotations

import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable, Iterable, Sequence

from ..document import WORD, Segment
from ..errors import DataError
from ..io import read_text
from .conllu import HALVES, iter_sentences, select_half  # noqa: F401  (HALVES, select_half: part of this API)

Analyzer = Callable[[str, str], tuple[str, tuple[Segment, ...]]]
TATWEEL = "\u0640"


@dataclass(frozen=True)
class GoldSentence:
    """A sentence rebuilt from its UD words: ``text`` and the offsets where one UD word ends and the next begins."""

    text: str
    boundaries: frozenset[int]
    unaligned: tuple[tuple[int, int], ...] = ()  # multiword tokens whose words do not spell the surface


@dataclass
class SegmentationScore:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    words: int = 0
    exact: int = 0
    gold_split_words: int = 0
    unaligned: int = 0
    types: int = 0
    seconds: float = 0.0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_json(self) -> dict:
        out = asdict(self)
        out.update(precision=round(self.precision, 4), recall=round(self.recall, 4), f1=round(self.f1, 4),
                   exact=round(self.exact / self.words, 4) if self.words else 0.0,
                   types_per_second=round(self.types / self.seconds) if self.seconds else None)
        out["seconds"] = round(self.seconds, 3)
        return out


def read_conllu(text: str, path: str = "<string>") -> list[GoldSentence]:
    """Rebuild each sentence of a CoNLL-U text with its word boundaries. Raises :class:`DataError` on a
    malformed line (naming the file and line)."""
    sentences: list[GoldSentence] = []
    parts: list[str] = []
    bounds: set[int] = set()
    unaligned: list[tuple[int, int]] = []
    pending: list = []  # an open multiword token: [last id, form, space_after, word forms]
    length = 0

    def add(form: str, space_after: bool, inner: Sequence[str] = ()) -> None:
        nonlocal length
        start = length
        # PUD sometimes splits off a tatweel: no clitic, so it is glued to the word before it (or, at the start
        # of a token, to the word after it) and the boundary between them is not counted
        glue = not form.strip(TATWEEL)
        token_start = not parts or parts[-1] == " "
        if glue and not token_start:
            bounds.discard(start)
        if inner and "".join(inner) == form:
            pos = start
            for piece in inner[:-1]:
                pos += len(piece)
                bounds.add(pos)
        elif inner:
            unaligned.append((start, start + len(form)))
        parts.append(form)
        length += len(form)
        if not (glue and token_start):
            bounds.add(length)
        if space_after:
            parts.append(" ")
            length += 1

    def close() -> None:
        nonlocal length
        if parts:
            sentences.append(GoldSentence("".join(parts), frozenset(bounds), tuple(unaligned)))
        parts.clear(), bounds.clear(), unaligned.clear(), pending.clear()
        length = 0

    for rows in iter_sentences(text, path):
        for row in rows:
            wid, form, space_after = row.id, row.form, row.space_after
            if "-" in wid:
                try:
                    last = int(wid.split("-")[1])
                except ValueError:
                    raise DataError(f"bad multiword token id {wid!r}", path, f"line {row.line}") from None
                pending[:] = [last, form, space_after, []]
                continue
            if "." in wid:  # empty nodes have no surface
                continue
            if not wid.isdigit():
                raise DataError(f"bad word id {wid!r}", path, f"line {row.line}")
            if pending:
                pending[3].append(form)
                if int(wid) >= pending[0]:
                    add(pending[1], pending[2], pending[3])
                    pending.clear()
                continue
            add(form, space_after)
        close()
    return sentences


def predicted_splits(segments: Iterable[Segment]) -> set[int]:
    """Split points of an analysis, the article merged into what follows it (UD keeps it in the word)."""
    segs = list(segments)
    return {s.end for s in segs[:-1] if s.role != "det"}


def score_segmentation(sentences: Iterable[GoldSentence], analyze: Analyzer | None = None,
                       lang: str = "ar") -> SegmentationScore:
    """Score ``analyze`` (default: the language's own) on gold sentences; each surface type is analysed once."""
    from ..lang import get_language

    language = get_language(lang)
    if analyze is None:
        analyze = language.analyze
    score = SegmentationScore()
    cache: dict[str, set[int]] = {}
    for sent in sentences:
        text = sent.text
        for start, end, kind in language.tokenizer.spans(text):
            if kind != WORD:
                continue
            if any(s < end and start < e for s, e in sent.unaligned):
                score.unaligned += 1
                continue
            surface = text[start:end]
            pred = cache.get(surface)
            if pred is None:
                t0 = time.perf_counter()
                norm = language.normalize(surface)[0]
                pred = predicted_splits(analyze(surface, norm)[1])
                score.seconds += time.perf_counter() - t0
                cache[surface] = pred
            gold = {b - start for b in sent.boundaries if start < b < end}
            score.words += 1
            score.gold_split_words += bool(gold)
            score.exact += pred == gold
            score.tp += len(pred & gold)
            score.fp += len(pred - gold)
            score.fn += len(gold - pred)
    score.types = len(cache)
    return score


def evaluate_segmentation(path: str | Path, half: str = "all", analyze: Analyzer | None = None) -> dict:
    """Read a CoNLL-U file and score Arabic clitic segmentation on the chosen half of it."""
    sentences = select_half(read_conllu(read_text(path), str(path)), half)
    score = score_segmentation(sentences, analyze)
    return {"file": str(path), "half": half, "sentences": len(sentences), **score.to_json()}
