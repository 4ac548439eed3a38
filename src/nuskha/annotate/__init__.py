"""Recognisers: language-neutral ``Document -> None`` components that add mentions; each language injects its tables.

:data:`COMPONENTS` lists them as ``"module:function"`` in the order they run. Later components see earlier mentions
(troop figures skip spans already taken by dates, for instance). Imported on first use.
"""
from __future__ import annotations

from importlib import import_module

from ..core.bulk import collection_paused
from ..document import Document

COMPONENTS: tuple[str, ...] = ("nuskha.annotate.entities:recognise", "nuskha.annotate.dates:recognise",
                               "nuskha.annotate.troops:recognise")


@collection_paused
def annotate(doc: Document) -> Document:
    """Run every recogniser over ``doc`` and leave its mentions sorted by offset."""
    for spec in COMPONENTS:
        module, func = spec.split(":")
        getattr(import_module(module), func)(doc)
    doc.mentions.sort(key=lambda m: (m.start, -m.end, m.type))
    return doc
