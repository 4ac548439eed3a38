"""nuskha: Arabic and Kazakh historical source texts -- lossless normalisation and tokenisation, people, places,
groups, dates and troop figures, cross-language alignment, TEI P5 with standoff annotation, and search.

>>> from nuskha import process
>>> doc = process("وفي ربيع عام 615ه/1218م")
>>> [t.text for t in doc.tokens][-5:]
['615', 'ه', '/', '1218', 'م']
"""
from __future__ import annotations

__version__ = "0.1.0"

from .document import Document, Lexeme, Mention, Segment, Token  # noqa: E402  (plain dataclasses, no work done)
from .pipeline import load, process  # noqa: E402

__all__ = ["Document", "Lexeme", "Mention", "Segment", "Token", "load", "process", "__version__"]
