"""HTML KWIC: search hits as keyword-in-context lines, each in its own language and direction.

Every line is a two-column grid split at the page's middle: the first column holds what precedes the keyword,
the second the keyword and what follows. The line's ``dir`` decides which column is where, so in a right-to-left
(Arabic) line the preceding context stands on the right and the following context on the left, and the keyword
starts at the middle in both directions: the keyword column is aligned across a mixed-language list. Contexts
too long for their half are cut at the far end (the words next to the keyword always show). No bidi control
characters are used: ``dir`` and ``lang`` on each element do the work.
"""
from __future__ import annotations

from typing import Any, Iterable

from .html import direction, esc, page

#: The kind labels of a hit, as the page shows them.
KIND_LABELS = {"linked": "linked", "unlinked": "unlinked mention", "text": "text match"}


def kwic_line_html(hit: Any) -> str:
    """One hit as a ``div.kwic-line`` (``lang``/``dir`` of its document, data-* for doc, offsets, kind, ref)."""
    lang = hit.lang
    dirn = direction(lang)
    kind = getattr(hit, "kind", "text")
    mtype = hit.type or "none"
    meta = " ".join(x for x in (f"{hit.doc}:{hit.start}-{hit.end}", hit.ref or "", hit.type or "",
                                KIND_LABELS.get(kind, kind), hit.method) if x)
    attrs = {"class": f"kwic-line kwic-{kind}", "lang": lang, "dir": dirn, "data-doc": hit.doc,
             "data-start": hit.start, "data-end": hit.end, "data-kind": kind, "data-ref": hit.ref or ""}
    attr_text = " ".join(f'{k}="{esc(v)}"' for k, v in attrs.items())
    return (f"<div {attr_text}>"
            f'<span class="kwic-pre"><span class="kwic-left">{esc(hit.left)}</span></span>'
            f'<span class="kwic-post"><mark class="kwic-kw m m-{esc(mtype)}">{esc(hit.text)}</mark> '
            f'<span class="kwic-right">{esc(hit.right)}</span></span>'
            f'<span class="kwic-meta" dir="ltr" lang="en">{esc(meta)}</span>'
            "</div>")


def kwic_page(result: Any, title: str | None = None) -> str:
    """A complete offline page of a :class:`~nuskha.search.SearchResult`: the summary line, what the query
    resolved to, then the hits in the result's order (linked, unlinked, text)."""
    what = result.query if result.query is not None else f"ref:{result.ref}"
    title = title or f"nuskha search: {what}"
    resolved = "".join(f"<li>{esc(r.ref)} <span class=\"kwic-how\">by {esc(r.method)} via</span> "
                       f'<bdi>{esc(r.name)}</bdi></li>' for r in result.resolved)
    body = [f'<header class="kwic-head"><h1>{esc(title)}</h1>',
            f'<p class="kwic-summary">{esc(result.message)}</p>']
    if resolved:
        body.append(f'<ul class="kwic-resolved">{resolved}</ul>')
    body.append("</header>")
    body.append('<section class="kwic">')
    body.extend(kwic_lines_html(result.hits))
    body.append("</section>")
    return page(title, "\n".join(body))


def kwic_lines_html(hits: Iterable[Any]) -> list[str]:
    """The lines of a list of hits (for embedding in another page)."""
    return [kwic_line_html(h) for h in hits]
