"""The static reading edition that ``nuskha build`` writes into ``OUT/html/``.

Pages (all open offline from disk: stylesheet and script inlined, no CDN, no network):

* ``index.html`` -- the documents, the indexes, the parallel views and the map;
* ``doc-{id}.html`` -- one document in its direction, mentions highlighted by type; hovering or focusing a
  mention shows its authority label, its names in the other languages, Wikidata/GeoNames links, date values and
  troop values; Enter or a click pins them in a panel whose links are keyboard reachable; a button switches
  between the original and the regularised reading (every normalisation and correction record);
* ``persons.html``, ``places.html``, ``groups.html`` -- :mod:`nuskha.render.index_pages`;
* ``parallel-{a}--{b}.html`` -- two aligned documents of different languages side by side: choosing an entity
  (in either text or in the list) highlights it on both sides;
* ``map.html`` -- :mod:`nuskha.render.map`, when coordinates are known.

Every block carries ``lang`` and ``dir``; page furniture is English, left to right.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Sequence

from .entities import entities_of, mention_info
from .html import direction, document_html, esc, href, mention_attrs, page, script

HTML_DIR = "html"
LEGEND_TYPES = ("person", "place", "group", "date", "troops")


@dataclass
class Alignment:
    """Which mentions denote one aligned entity: a key (the alignment's ref) and ``(doc id, start)`` pairs."""

    key: str
    label: str
    type: str
    members: set[tuple[str, int]]


def doc_page_name(doc_id: str) -> str:
    """The file name of a document's page."""
    return f"doc-{doc_id}.html"


def parallel_page_name(a: str, b: str) -> str:
    """The file name of the parallel view of documents ``a`` and ``b``."""
    return f"parallel-{a}--{b}.html"


def page_data(entities: dict[str, Any], mentions: Sequence[Any]) -> str:
    """The ``<script type="application/json">`` a page's script reads; every ``<`` is written ``\\u003c`` (the
    same string to JSON) so no text can end the block or open a comment or script inside it."""
    payload = json.dumps({"entities": entities, "mentions": [mention_info(m) for m in mentions]},
                         ensure_ascii=False, separators=(",", ":"))
    safe = payload.replace("<", "\\u003c")
    return f'<script type="application/json" id="nuskha-data">{safe}</script>'


def nav(current: str, extra: Iterable[tuple[str, str]] = ()) -> str:
    """The page's navigation bar (English, left to right)."""
    links = [("index.html", "Documents"), ("persons.html", "Persons"), ("places.html", "Places"),
             ("groups.html", "Groups"), *extra]
    current_attr = ' aria-current="page"'
    items = "".join(f'<li><a href="{href(name)}"{current_attr if name == current else ""}>{esc(text)}</a></li>'
                    for name, text in links)
    return f'<nav class="site" lang="en" dir="ltr" aria-label="Edition"><ul>{items}</ul></nav>'


def legend() -> str:
    """The colour key of the mention types."""
    marks = "".join(f'<mark class="m-{t}">{t}</mark>' for t in LEGEND_TYPES)  # not .m: no tooltip
    return f'<p class="legend" lang="en" dir="ltr">Highlighted: {marks}</p>'


def readings(doc: Any) -> list[Any]:
    """Every normalisation and correction of ``doc`` (orig → reg at original offsets), in text order."""
    out = list(doc.normalizations()) + list(getattr(doc, "corrections", ()) or ())
    out.sort(key=lambda c: (c.start, c.end))
    return out


def reading_piece(text: str, records: Sequence[Any]):
    """A ``piece`` renderer for :func:`~nuskha.render.html.text_html` that shows each record inside ``[a, b)`` as
    ``<span class="rd">`` holding the original (shown by default) and the regularised reading (hidden)."""
    import bisect

    starts = [r.start for r in records]

    def render(a: int, b: int) -> str:
        out, pos = [], a
        i = bisect.bisect_left(starts, a)
        while i < len(records) and records[i].start < b:
            r = records[i]
            i += 1
            if r.start < pos or r.end > b:  # overlaps a mention's edge or the previous record: keep as written
                continue
            out.append(esc(text[pos:r.start]))
            out.append(f'<span class="rd" data-kind="{esc(r.kind)}"><span class="orig">{esc(text[r.start:r.end])}'
                       f'</span><span class="reg">{esc(r.reg)}</span></span>')
            pos = r.end
        out.append(esc(text[pos:b]))
        return "".join(out)

    return render


def _attrs_for(doc: Any, mentions: Sequence[Any], align_of: dict[tuple[str, int], str] | None = None,
               base: int = 0, id_prefix: str = ""):
    """Mark attributes: ``data-i`` (the mention's place in the page data, from ``base``), an anchor id, the
    tooltip it is described by, and on a parallel page the aligned entity's key."""
    index = {id(m): base + i for i, m in enumerate(mentions)}

    def attrs(m: Any) -> str:
        extra = {"data-i": index.get(id(m)), "id": f"{id_prefix}m-{m.start}", "aria-describedby": "tip"}
        if align_of is not None:
            extra["data-align"] = align_of.get((doc.id, m.start))
        return mention_attrs(m, extra)

    return attrs


def _doc_block(doc: Any, mentions: Sequence[Any], align_of=None) -> str:
    return document_html(doc, mentions, _attrs_for(doc, mentions, align_of), reading_piece(doc.text, readings(doc)))


def _title(doc: Any) -> str:
    return str(doc.meta.get("title") or doc.id)


def _panels() -> str:
    return ('<div id="tip" class="tip" role="tooltip" lang="en" dir="ltr" hidden></div>\n'
            '<aside id="info" class="info" aria-live="polite" lang="en" dir="ltr" hidden></aside>')


def _reading_button() -> str:
    return ('<p class="controls" lang="en" dir="ltr"><button type="button" id="reading" aria-pressed="false">'
            "Show regularised reading</button> <span class=\"hint\">Tab to a highlighted name; Enter pins its "
            "details.</span></p>")


def document_page(doc: Any, authority: Any | None, extra_nav: Iterable[tuple[str, str]] = ()) -> str:
    """A document's page: its text with highlighted mentions, tooltips and the reading switch."""
    mentions = sorted(doc.mentions, key=lambda m: (m.start, -m.end))
    entities = entities_of(mentions, authority)
    meta = doc.meta
    facts = "".join(f"<dt>{esc(k)}</dt><dd>{esc(meta[k])}</dd>" for k in ("source", "author", "date", "licence")
                    if meta.get(k))
    body = (f"{nav(doc_page_name(doc.id), extra_nav)}\n<header lang=\"en\" dir=\"ltr\"><h1>{esc(_title(doc))}</h1>"
            f'<p class="meta">{esc(doc.lang)} · {len(mentions)} mentions</p>'
            + (f'<dl class="meta">{facts}</dl>' if facts else "") + "</header>\n"
            f"{legend()}\n{_reading_button()}\n<main>\n{_doc_block(doc, mentions)}\n</main>\n{_panels()}\n"
            f"{page_data(entities, mentions)}")
    return page(_title(doc), body, script=script("edition.js"))


def alignments(aligned: Iterable[Any]) -> list[Alignment]:
    """The linked entities of :func:`nuskha.align.align` as :class:`Alignment` records."""
    out = []
    for a in aligned:
        if getattr(a, "status", "linked") != "linked" or not a.mentions:
            continue
        first = a.mentions[0][1]
        out.append(Alignment(a.ref, a.ref, first.type, {(d.id, m.start) for d, m in a.mentions}))
    return out


def parallel_page(left: Any, right: Any, links: Sequence[Alignment], authority: Any | None,
                  extra_nav: Iterable[tuple[str, str]] = ()) -> str:
    """Two aligned documents side by side; choosing an entity highlights its mentions on both sides."""
    align_of: dict[tuple[str, int], str] = {}
    shared = []
    for link in links:
        docs_in = {d for d, _ in link.members}
        if left.id in docs_in and right.id in docs_in:
            shared.append(link)
            for member in link.members:
                align_of[member] = link.key
    # The tooltip data is per page: one list of mentions, both documents' marks index into it.
    lm = sorted(left.mentions, key=lambda m: (m.start, -m.end))
    rm = sorted(right.mentions, key=lambda m: (m.start, -m.end))
    entities = entities_of([*lm, *rm], authority)
    both = [*lm, *rm]
    offset = len(lm)

    def side(doc: Any, mentions: list[Any], base: int) -> str:
        attrs = _attrs_for(doc, mentions, align_of, base, f"{doc.id}-")
        block = document_html(doc, mentions, attrs, reading_piece(doc.text, readings(doc)))
        return (f'<section class="side" lang="{esc(doc.lang)}" dir="{direction(doc.lang)}" '
                f'aria-label="{esc(_title(doc))}"><h2 lang="en" dir="ltr"><a href="{href(doc_page_name(doc.id))}">'
                f"{esc(_title(doc))}</a></h2>\n{block}</section>")

    def label(link: Alignment) -> str:
        info = entities.get(link.key)
        return info["label"] if info else link.key.split(":", 1)[-1]

    buttons = "".join(f'<li><button type="button" class="m-{esc(l.type)}" data-align="{esc(l.key)}" '
                      f'aria-pressed="false">{esc(label(l))}</button></li>'
                      for l in sorted(shared, key=lambda l: (l.type, label(l).lower())))
    title = f"{_title(left)} ∥ {_title(right)}"
    body = (f"{nav(parallel_page_name(left.id, right.id), extra_nav)}\n"
            f'<header lang="en" dir="ltr"><h1>Parallel view</h1><p class="meta">{len(shared)} aligned entities: '
            "choose one (here or in either text) to highlight it on both sides.</p></header>\n"
            f'<nav class="entities" lang="en" dir="ltr" aria-label="Aligned entities"><ul>{buttons}</ul></nav>\n'
            f"{legend()}\n{_reading_button()}\n<main class=\"parallel\">\n{side(left, lm, 0)}\n"
            f"{side(right, rm, offset)}\n</main>\n{_panels()}\n{page_data(entities, both)}")
    return page(title, f'<div class="view-parallel">{body}</div>', script=script("edition.js"))


def parallel_pairs(docs: Sequence[Any], links: Sequence[Alignment]) -> list[tuple[Any, Any]]:
    """Pairs of documents in different languages that share at least one aligned entity (right-to-left first)."""
    by_id = {d.id: d for d in docs}
    pairs: dict[tuple[str, str], int] = {}
    for link in links:
        ids = sorted({d for d, _ in link.members})
        for i, a in enumerate(ids):
            for b in ids[i + 1:]:
                if a in by_id and b in by_id and by_id[a].lang != by_id[b].lang:
                    pairs[(a, b)] = pairs.get((a, b), 0) + 1
    out = []
    for a, b in sorted(pairs):
        da, db = by_id[a], by_id[b]
        if direction(db.lang) == "rtl" and direction(da.lang) != "rtl":
            da, db = db, da
        out.append((da, db))
    return out


def index_page(docs: Sequence[Any], pairs: Sequence[tuple[Any, Any]], has_map: bool, map_note: str,
               extra_nav: Iterable[tuple[str, str]] = ()) -> str:
    """The edition's front page: documents, indexes, parallel views, map."""
    rows = []
    for d in docs:
        counts = {t: 0 for t in LEGEND_TYPES}
        for m in d.mentions:
            counts[m.type] = counts.get(m.type, 0) + 1
        cells = "".join(f"<td>{counts[t]}</td>" for t in LEGEND_TYPES)
        rows.append(f'<tr><td lang="{esc(d.lang)}" dir="ltr"><a href="{href(doc_page_name(d.id))}">'
                    f'<span lang="en">{esc(_title(d))}</span></a></td><td>{esc(d.lang)}</td>'
                    f"<td>{len(d.text)}</td>{cells}</tr>")
    head = "".join(f"<th scope=\"col\">{t}</th>" for t in ("document", "language", "characters", *LEGEND_TYPES))
    par = "".join(f'<li><a href="{href(parallel_page_name(a.id, b.id))}">{esc(_title(a))} ∥ {esc(_title(b))}'
                  "</a></li>" for a, b in pairs) or "<li>No aligned documents.</li>"
    map_item = '<li><a href="map.html">Map of places</a></li>' if has_map else f"<li>{esc(map_note)}</li>"
    body = (f"{nav('index.html', extra_nav)}\n<main lang=\"en\" dir=\"ltr\"><h1>nuskha edition</h1>\n"
            f"<table class=\"docs\"><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>\n"
            "<h2>Indexes</h2><ul><li><a href=\"persons.html\">Persons</a></li><li><a href=\"places.html\">Places</a>"
            f"</li><li><a href=\"groups.html\">Groups</a></li>{map_item}</ul>\n"
            f"<h2>Parallel views</h2><ul>{par}</ul></main>")
    return page("nuskha edition", body)


def write_edition(docs: Sequence[Any], out: str | os.PathLike, authority: Any | None = None,
                  aligned: Iterable[Any] = (), document_pages: bool = True,
                  occurrences: dict[str, Any] | None = None,
                  geonames: dict[str, dict[str, Any]] | None = None) -> list[Path]:
    """Write the edition for ``docs`` (annotated documents) into ``out/html/``; returns the files written.

    A document given without its text (``nuskha build`` passes light records: id, lang, meta, mentions) is read
    again from ``meta["file"]`` and tokenised (not re-annotated), so its readings can be shown.
    With ``document_pages=False`` each document's own page (:func:`write_document_page`) is left to the caller --
    ``nuskha build`` has its workers write it while they hold the document -- and a light record is read again
    (text only, or tokenised for a parallel view) only for what the shared pages need. ``nuskha build`` also
    hands over what its workers prepared: ``occurrences`` (document id -> the document's
    :func:`~nuskha.render.index_pages.occurrence_items`) and ``geonames``
    (:func:`~nuskha.render.map.authority_geonames`); the pages are the same.
    """
    from ..build import safe_path
    from ..io import write_atomic
    from .index_pages import index_pages, occurrence_items
    from .map import map_page

    out_dir = Path(out)
    html_dir = safe_path(out_dir, HTML_DIR)
    html_dir.mkdir(parents=True, exist_ok=True)
    links = alignments(aligned)
    paired = {d.id for pair in parallel_pairs(docs, links) for d in pair}
    full = [_with_text(d, tokens=document_pages or d.id in paired) for d in docs]
    pairs = parallel_pairs(full, links)
    map_html, map_note = map_page(full, authority, nav("map.html"), geonames)
    pages: dict[str, str] = {}
    for d in full if document_pages else ():
        pages[doc_page_name(d.id)] = document_page(d, authority)
    for a, b in pairs:
        pages[parallel_page_name(a.id, b.id)] = parallel_page(a, b, links, authority)
    pages.update(index_pages(full, authority, nav, [occurrences.get(d.id) or occurrence_items(d) for d in full]
                             if occurrences else None))
    if map_html:
        pages["map.html"] = map_html
    pages["index.html"] = index_page(full, pairs, bool(map_html), map_note)
    written = []
    for name, html in pages.items():
        target = safe_path(html_dir, name)
        write_atomic(target, html)
        written.append(target)
    return written


def write_document_page(doc: Any, out: str | os.PathLike, authority: Any | None = None) -> Path:
    """Write the page of one annotated, tokenised document into ``out/html/`` (what :func:`write_edition` writes
    for it); returns the file."""
    from ..build import safe_path
    from ..io import write_atomic

    html_dir = safe_path(Path(out), HTML_DIR)
    html_dir.mkdir(parents=True, exist_ok=True)
    target = safe_path(html_dir, doc_page_name(doc.id))
    write_atomic(target, document_page(doc, authority))
    return target


def _with_text(doc: Any, tokens: bool = True) -> Any:
    if doc.text or not doc.meta.get("file"):
        return doc
    if not tokens:  # the shared pages need the text's length and the mentions, not the readings
        from ..document import Document
        from ..io import read_text

        return Document(doc.id, doc.lang, read_text(doc.meta["file"]), dict(doc.meta), mentions=list(doc.mentions))
    from ..pipeline import load

    full = load(doc.meta["file"], lang=doc.lang, annotate=False)
    full.id, full.meta = doc.id, dict(doc.meta)
    full.mentions = list(doc.mentions)
    return full
