"""Date recogniser: every date or year expression, whole, with its value, Gregorian span and dual-date check.

The grammar is :mod:`nuskha.core.dates` with the document language's tables; conversion and the check are
:mod:`nuskha.core.calendar`. Each mention's ``value`` holds the ANNOTATION.md fields (``hijri``, ``hijri_end``,
``ce``, ``ce_end``, ``qualifier``; ``era``/``era_date``/``era_date_end`` for the Seleucid count; ``century``) and,
computed, ``gregorian``/``gregorian_end`` (proleptic Gregorian ISO, None when the date is impossible) and
``check`` (``{"status", "detail"[, "as_gregorian"]}`` or None when only one calendar is given and the date is
possible).
"""
from __future__ import annotations

from ..core.calendar import check, gregorian_span
from ..document import Document, Mention
from .tables import after_clitic, date_grammar, token_words

SOURCE = "rule:dates"


def recognise(doc: Document) -> None:
    """Append a ``date`` mention for every date expression in ``doc``."""
    grammar = date_grammar(doc.lang)
    if grammar is None or not doc.tokens:
        return
    tokens = doc.tokens
    words = token_words(tokens)
    for hit in grammar.find(words):
        start = after_clitic(tokens[hit.start], hit.prefix)
        end = tokens[hit.end - 1].end
        value = dict(hit.value)
        value["gregorian"], value["gregorian_end"] = gregorian_span(value)
        value["check"] = check(value)
        cert = 0.5 if value["check"] and value["check"]["status"] == "invalid" else 0.9
        doc.mentions.append(Mention(start, end, doc.text[start:end], "date", None, value, SOURCE, cert))
