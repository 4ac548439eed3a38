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


def to_text(sentences: list[list[tuple[str, str]]]) -> tuple[str, list[dict]]:
    """One text (tokens joined by spaces, a sentence per line) and its gold person/place mentions."""
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
    text = "".join(pieces)
    mentions = [{"start": g["start"], "end": g["end"], "text": text[g["start"]:g["end"]],
                 "type": LABELS[g["kind"]]} for g in gold if g["kind"] in LABELS]
    return text, mentions


#: The statistical model is trained on the first TRAIN_SHARE of the sentences; the figure is on the rest.
TRAIN_SHARE = 0.8
MODEL_LABELS = ("person", "place", "none")


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
    return doc, gold, rec.candidates


def evaluate_kaznerd(path: str | Path, limit: int | None = None, part: str = "heldout",
                     use_model: bool = True) -> MentionScores:
    """Person/place scores of the Kazakh recogniser on one ``part`` of KazNERD (the first ``limit`` sentences
    of it); ``use_model=False`` scores the rules alone."""
    sentences = split(read_iob2(path), part)[:limit] if limit else split(read_iob2(path), part)
    doc, gold, _ = _annotate(sentences, use_model)
    system = [m.to_json() for m in doc.mentions if m.type in ("person", "place")]
    return score_mentions(gold, system, types=("person", "place"))


def train_model(path: str | Path, out: str | Path, epochs: int = 8) -> int:
    """Train the candidate model on the ``train`` part and write it to ``out``; returns the examples used.

    Each capitalised-word candidate the rules propose is labelled with the KazNERD type of the same span
    (person, place) or ``none`` (no entity there, another type, or another span).
    """
    from ..core.perceptron import Perceptron

    doc, gold, candidates = _annotate(split(read_iob2(path), "train"), use_model=False)
    labels = {(g["start"], g["end"]): g["type"] for g in gold}
    examples = [(feats, labels.get((m.start, m.end), "none")) for m, feats in candidates]
    model = Perceptron.train(examples, MODEL_LABELS, epochs=epochs)
    model.save(out, f"averaged perceptron trained by nuskha.evaluate.kaznerd.train_model on the first "
                    f"{TRAIN_SHARE:.0%} of the sentences of KazNERD IOB2_valid.txt (CC BY 4.0); {len(examples)} "
                    f"candidates, {epochs} epochs")
    return len(examples)
