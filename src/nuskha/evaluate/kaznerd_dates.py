"""The Kazakh date recogniser on KazNERD's DATE entities, as information (issue 12).

KazNERD's DATE is wider than ANNOTATION.md's date: it also counts deictic words ("бүгін", "ертең", "биыл",
"биылғы"), durations ("2 жыл", "тәулік бойы") and frequencies ("жыл сайын"), which nuskha does not annotate as
dates on purpose. The figure therefore says how much of KazNERD's DATE the calendar dates cover, not whether the
recogniser meets ANNOTATION.md; exact and overlap scores are both given.
"""
from __future__ import annotations

from pathlib import Path

from .kaznerd import gold_spans, read_iob2, split
from .mentions import MentionScores, score_mentions


def date_gold(sentences: list[list[tuple[str, str]]]) -> tuple[str, list[dict]]:
    """One text (tokens joined by spaces, a sentence per line) and its gold ``date`` mentions (KazNERD DATE)."""
    text, spans = gold_spans(sentences)
    return text, [{"start": g["start"], "end": g["end"], "type": "date", "text": text[g["start"]:g["end"]]}
                  for g in spans if g["kind"] == "DATE"]


def evaluate_kaznerd_dates(path: str | Path, limit: int | None = None, part: str = "heldout") -> MentionScores:
    """Date scores of the Kazakh date recogniser against KazNERD DATE on one ``part`` (its first ``limit``
    sentences)."""
    from ..annotate.dates import recognise
    from ..pipeline import process

    sentences = split(read_iob2(path), part)
    if limit:
        sentences = sentences[:limit]
    text, gold = date_gold(sentences)
    doc = process(text, "kk", id="kaznerd-dates")
    recognise(doc)
    system = [m.to_json() for m in doc.mentions if m.type == "date"]
    return score_mentions(gold, system, types=("date",))
