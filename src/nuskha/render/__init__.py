"""HTML rendering shared by every page nuskha draws: the edition, the review page, HTML KWIC, notebook display.

One module and one stylesheet (``nuskha.css``) serve them all, so a mention looks the same wherever it is shown.
Every string that comes from a document is escaped here; callers pass text, never markup.

The building blocks:
- :func:`page` wraps a body in a complete, offline HTML page (stylesheet inlined, no CDN).
- :func:`text_html` renders a span of a document's text with its mentions highlighted as ``<mark>`` elements.
- :func:`document_html` renders a whole document, paragraph by paragraph, each block with ``lang`` and ``dir``.
- :func:`display_html` is the notebook display (``Document._repr_html_``).

The static reading edition that ``nuskha build`` writes is :mod:`nuskha.render.edition` (with
:mod:`~nuskha.render.index_pages` and :mod:`~nuskha.render.map`); what it says about an entity or a value is
:mod:`nuskha.render.entities`, shared with the exports.
"""
from .html import (
    MENTION_CLASS,
    direction,
    display_html,
    document_html,
    esc,
    mention_attrs,
    page,
    stylesheet,
    text_html,
)

__all__ = ["MENTION_CLASS", "direction", "display_html", "document_html", "esc", "mention_attrs", "page", "stylesheet",
           "text_html"]
