"""The Kazakh recogniser on modern text: KazNERD (IOB2), PERSON -> person, GPE and LOCATION -> place.

KazNERD is news and encyclopaedic prose, far from the chronicles the authority file covers, so the figure
measures mostly the context rules (capitalisation away from sentence starts, titles, place words). Other KazNERD
types (ORGANISATION, ART, ...) are not person/place: a system mention on them counts as a false positive.
"""
from __future__ import annotations

from pathlib import Path

from ..errors import DataError
from ..io import read_text
from .mentions import MentionScores, score_mentions

#: KazNERD label -> nuskha mention type.
LABELS = {"PERSON": "person", "GPE": "place", "LOCATION": "place"}


def default_path() -> Path:
    return Path(__file__).resolve().parents[3].parent / "shared" / "data" / "kaznerd" / "IOB2_valid.txt"


def read_iob2(path: str | Path, limit: int | None = None) -> list[list[tuple[str, str]]]:
    """Sentences of ``(token, label)`` pairs; a blank line ends a sentence."""
    sentences: list[list[tuple[str, str]]] = []
    current: list[tuple[str, str]] = []
    for lineno, line in enumerate(read_text(path).splitlines(), 1):
        if not line.strip():
            if current:
                sentences.append(current)
                current = []
                if limit and len(sentences) >= limit:
                    return sentences
            continue
        parts = line.rsplit(None, 1)
        if len(parts) != 2:
            raise DataError("expected 'TOKEN LABEL'", str(path), f"line {lineno}")
        current.append((parts[0], parts[1]))
    if current:
        sentences.append(current)
    return sentences[:limit] if limit else sentences


def gold_spans(sentences: list[list[tuple[str, str]]]) -> tuple[str, list[dict]]:
    """One text (tokens joined by spaces, a sentence per line) and every gold span: ``start``, ``end``, ``kind``
    (the KazNERD type)."""
    pieces: list[str] = []
    gold: list[dict] = []
    pos = 0
    for sent in sentences:
        open_span: dict | None = None
        for k, (tok, label) in enumerate(sent):
            if k:
                pieces.append(" ")
                pos += 1
            start = pos
            pieces.append(tok)
            pos += len(tok)
            tag, _, kind = label.partition("-")
            if open_span is not None and (tag != "I" or kind != open_span["kind"]):
                gold.append(open_span)
                open_span = None
            if tag in ("B", "I") and open_span is None:
                open_span = {"start": start, "end": pos, "kind": kind}
            elif tag == "I" and open_span is not None:
                open_span["end"] = pos
        if open_span is not None:
            gold.append(open_span)
        pieces.append("\n")
        pos += 1
    return "".join(pieces), gold


def to_text(sentences: list[list[tuple[str, str]]]) -> tuple[str, list[dict]]:
    """One text (tokens joined by spaces, a sentence per line) and its gold person/place mentions."""
    text, gold = gold_spans(sentences)
    mentions = [{"start": g["start"], "end": g["end"], "text": text[g["start"]:g["end"]],
                 "type": LABELS[g["kind"]]} for g in gold if g["kind"] in LABELS]
    return text, mentions


#: The statistical model is trained on the first TRAIN_SHARE of the sentences; the figure is on the rest.
TRAIN_SHARE = 0.8


def split(sentences: list, part: str) -> list:
    """``train`` (first 80%), ``heldout`` (last 20%) or ``all`` of the sentences."""
    cut = int(len(sentences) * TRAIN_SHARE)
    return {"train": sentences[:cut], "heldout": sentences[cut:], "all": sentences}[part]


def _annotate(sentences: list, use_model: bool):
    from ..annotate.entities import recogniser
    from ..pipeline import process

    text, gold = to_text(sentences)
    doc = process(text, "kk", id="kaznerd")
    rec = recogniser("kk")
    saved, rec.use_model = rec.use_model, use_model and rec.model is not None
    try:
        rec(doc)
    finally:
        rec.use_model = saved
    return doc, gold


def evaluate_kaznerd(path: str | Path, limit: int | None = None, part: str = "heldout",
                     use_model: bool = True) -> MentionScores:
    """Person/place scores of the Kazakh recogniser on one ``part`` of KazNERD (the first ``limit`` sentences
    of it); ``use_model=False`` scores the rules alone."""
    sentences = split(read_iob2(path), part)[:limit] if limit else split(read_iob2(path), part)
    doc, gold = _annotate(sentences, use_model)
    system = [m.to_json() for m in doc.mentions if m.type in ("person", "place")]
    return score_mentions(gold, system, types=("person", "place"))


#: KazNERD types the sequence model tells apart. Person and the two place types are what nuskha keeps; the
#: organisations, peoples (NORP), facilities and positions are learnt so that the model knows what a capitalised
#: word is when it is *not* a person or place (Қазақстан банкі, Президент); the rarer named types share one label,
#: and the numeric ones (DATE, CARDINAL, MONEY...) are left O: other recognisers read those.
CRF_TYPES = {"PERSON": "PERSON", "GPE": "GPE", "LOCATION": "LOCATION", "ORGANISATION": "ORGANISATION",
             "NORP": "NORP", "FACILITY": "FACILITY", "POSITION": "POSITION", "EVENT": "OTHER", "ART": "OTHER",
             "PROJECT": "OTHER", "LAW": "OTHER", "PRODUCT": "OTHER", "DISEASE": "OTHER", "LANGUAGE": "OTHER",
             "ADAGE": "OTHER", "MISCELLANEOUS": "OTHER", "NON_HUMAN": "OTHER"}


def training_sequences(sentences: list, tagger) -> list[tuple[list[list[str]], list[str]]]:
    """``(features per token, BIO labels)`` for each sentence, over nuskha's own tokens and sentences.

    The text is tokenised exactly as ``nuskha annotate`` tokenises it, so the model learns on the tokens it will
    see; a token takes the label of the gold span it starts in (``B-`` at the span's first token).
    """
    from ..core.crf import sentence_ranges
    from ..pipeline import process

    text, gold = gold_spans(sentences)
    doc = process(text, "kk", id="kaznerd-train")
    tokens = doc.tokens
    labels = ["O"] * len(tokens)
    starts = [t.start for t in tokens]
    from bisect import bisect_left

    for g in gold:
        kind = CRF_TYPES.get(g["kind"])
        if kind is None:
            continue
        k = bisect_left(starts, g["start"])
        first = True
        while k < len(tokens) and tokens[k].start < g["end"]:
            labels[k] = ("B-" if first else "I-") + kind
            first = False
            k += 1
    out = []
    for i, j in sentence_ranges(tokens, doc.sentences):
        lexemes = [t.lex for t in tokens[i:j]]
        out.append((tagger.sentence_features(lexemes), labels[i:j]))
    return out


def train_model(path: str | Path, limit: int | None = None, params: dict | None = None) -> bytes:
    """Train the Kazakh sequence model on the ``train`` part (its first ``limit`` sentences) and return the model
    file's bytes; deterministic (see :func:`nuskha.core.crf.train`)."""
    from ..annotate.entities import recogniser, sequence_tagger
    from ..core.crf import train

    sentences = split(read_iob2(path), "train")
    if limit:
        sentences = sentences[:limit]
    rec = recogniser("kk")
    tagger = sequence_tagger(rec, rec.cues["model"], None)
    return train(training_sequences(sentences, tagger), params)
