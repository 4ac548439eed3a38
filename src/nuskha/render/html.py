"""The HTML mechanism: escaping, page frame, mention highlighting over original offsets."""
from __future__ import annotations

import html
import re
from bisect import bisect_left
from functools import lru_cache
from importlib import resources
from typing import Any, Iterable, Sequence
from urllib.parse import quote

#: CSS class of a highlighted mention; ``m-<type>`` is added per type (m-person, m-place, ...).
MENTION_CLASS = "m"

_RTL_LANGS = frozenset({"ar", "fa", "ur", "he"})


def esc(text: Any) -> str:
    """``text`` as HTML text or attribute content (quotes included)."""
    return html.escape(str(text), quote=True)


def href(page_name: str, fragment: str = "") -> str:
    """An ``href`` value for a page in the same folder: the file name percent-encoded (a document id may hold a
    space, ``#``, ``?``, ``%`` or non-ASCII letters, any of which would otherwise break or retarget the link), the
    fragment appended, the whole escaped for an attribute."""
    target = quote(page_name) + (f"#{quote(fragment)}" if fragment else "")
    return esc(target)


def direction(lang: str) -> str:
    """``rtl`` or ``ltr`` for a BCP 47 tag (only its primary subtag counts)."""
    return "rtl" if lang.split("-")[0].lower() in _RTL_LANGS else "ltr"


@lru_cache(maxsize=1)
def stylesheet() -> str:
    """The one stylesheet of every nuskha page (read once per process)."""
    return resources.files(__package__).joinpath("nuskha.css").read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def fragment_stylesheet() -> str:
    """The stylesheet without its page-wide rules (``body``, ``html``), for HTML embedded in another page (a
    notebook cell), where styling the host's body would be rude."""
    rules = re.split(r"(?<=})\s*", stylesheet())
    return "\n".join(r for r in rules if not re.match(r"\s*(/\*.*?\*/\s*)*(body|html)\b", r, re.S))


@lru_cache(maxsize=4)
def script(name: str) -> str:
    """A JavaScript file of this package (``edition.js``), to inline in a page that must open offline."""
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8")


def page(title: str, body: str, *, lang: str = "en", head: str = "", script: str = "") -> str:
    """A complete HTML page that opens offline: ``body`` and ``head`` are markup, ``title`` is text.

    The stylesheet is inlined so that a page copied anywhere still renders; ``script`` (markup-free JavaScript)
    goes at the end of the body.
    """
    js = f"<script>{script}</script>" if script else ""
    return (f'<!DOCTYPE html>\n<html lang="{esc(lang)}" dir="{direction(lang)}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{esc(title)}</title>\n<style>\n{stylesheet()}</style>\n{head}</head>\n"
            f'<body dir="ltr">\n{body}\n{js}</body>\n</html>\n')


def mention_attrs(mention: Any, extra: dict[str, Any] | None = None) -> str:
    """The attributes of a mention's ``<mark>``: class by type, data-* for ref/type/offsets, keyboard focus."""
    attrs: dict[str, Any] = {
        "class": f"{MENTION_CLASS} {MENTION_CLASS}-{mention.type}",
        "data-type": mention.type,
        "data-start": mention.start,
        "data-end": mention.end,
        "tabindex": "0",
    }
    if getattr(mention, "ref", None):
        attrs["data-ref"] = mention.ref
    attrs.update(extra or {})
    return " ".join(f'{k}="{esc(v)}"' for k, v in attrs.items() if v is not None)


def _outermost(mentions: Iterable[Any], start: int, end: int) -> list[Any]:
    """Mentions inside ``[start, end)``, outermost first, overlaps dropped (HTML cannot cross elements)."""
    chosen: list[Any] = []
    last_end = start
    for m in sorted(mentions, key=lambda m: (m.start, -m.end)):
        if m.start >= last_end and m.end <= end and m.start >= start:
            chosen.append(m)
            last_end = m.end
    return chosen


def text_html(text: str, mentions: Sequence[Any], start: int = 0, end: int | None = None,
              attrs=mention_attrs, piece=None) -> str:
    """``text[start:end]`` escaped, each mention in it wrapped in ``<mark attrs(m)>``.

    Offsets index ``text`` (the original); nested or overlapping mentions keep only the outermost, earliest one.
    ``attrs`` may be replaced to add page-specific attributes (a tooltip, an index anchor); ``piece(a, b)``, when
    given, renders each stretch ``text[a:b]`` between and inside mentions (default: :func:`esc` of it), so a page
    can mark readings inside the text without crossing a mention's element.
    """
    end = len(text) if end is None else end
    render = piece or (lambda a, b: esc(text[a:b]))
    out: list[str] = []
    pos = start
    for m in _outermost(mentions, start, end):
        out.append(render(pos, m.start))
        out.append(f"<mark {attrs(m)}>{render(m.start, m.end)}</mark>")
        pos = m.end
    out.append(render(pos, end))
    return "".join(out)


def document_html(doc: Any, mentions: Sequence[Any] | None = None, attrs=mention_attrs, piece=None) -> str:
    """A document as an ``<article>`` of paragraphs, each with ``lang`` and ``dir``, mentions highlighted."""
    mentions = doc.mentions if mentions is None else mentions
    lang, dirn = doc.lang, direction(doc.lang)
    blocks = doc.paragraphs or [type("P", (), {"start": 0, "end": len(doc.text)})()]
    by_start = sorted(mentions, key=lambda m: m.start)
    starts = [m.start for m in by_start]
    parts = []
    for para in blocks:
        # mentions starting inside the paragraph (bisect: a book has thousands of paragraphs and mentions)
        inside = by_start[bisect_left(starts, para.start):bisect_left(starts, para.end)]
        parts.append(f'<p class="text" lang="{esc(lang)}" dir="{dirn}" data-start="{para.start}">'
                     f"{text_html(doc.text, inside, para.start, para.end, attrs, piece)}</p>")
    return (f'<article class="doc" lang="{esc(lang)}" dir="{dirn}" data-doc="{esc(doc.id)}">\n'
            + "\n".join(parts) + "\n</article>")


def display_html(doc: Any, mentions: Sequence[Any] | None = None, authority: Any | None = None) -> str:
    """A document as a self-contained HTML fragment for a notebook cell (displaCy-like, direction-correct).

    Each mention shows its type after it; its ``title`` (the browser's tooltip) holds the authority label, the
    ref and the date or troop values. The fragment carries the page-free part of the stylesheet
    (:func:`fragment_stylesheet`), so it never restyles the notebook around it.
    """
    from .entities import entity_info, value_lines

    mentions = doc.mentions if mentions is None else mentions
    labels: dict[str, str] = {}

    def attrs(m: Any) -> str:
        parts = [m.type]
        if m.ref:
            if m.ref not in labels:
                labels[m.ref] = entity_info(m.ref, authority, m.type)["label"]
            parts.append(f"{labels[m.ref]} [{m.ref}]")
        parts += [f"{k}: {v}" for k, v in value_lines(m.type, m.value, m.note) if k != "check"]
        return mention_attrs(m, {"title": " · ".join(parts), "data-label": m.type, "tabindex": None})

    n = len(mentions)
    return (f'<div class="nuskha-display" lang="en" dir="ltr"><style>{fragment_stylesheet()}</style>'
            f'<p class="meta">{esc(doc.id)} · {esc(doc.lang)} · {len(doc.tokens)} tokens · {n} mentions</p>\n'
            f"{document_html(doc, mentions, attrs)}</div>")
