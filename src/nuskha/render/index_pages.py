"""Indexes of persons, places and groups across the corpus, as a printed edition's indices are.

Each entry is one entity (an authority record, a provisional ``new:`` ref, or a name the recogniser left without a
ref, grouped by its form): its label, its names per language, its Wikidata/GeoNames links, and every occurrence,
grouped by language and document, each a link to the mention in its document's page.
"""
from __future__ import annotations

import re
from typing import Any, Callable, Sequence

from .entities import NAME_LANGS, entity_info
from .html import direction, esc, href, page

INDEX_TYPES = {"person": ("persons.html", "Persons"), "place": ("places.html", "Places"),
               "group": ("groups.html", "Groups")}


def entry_key(m: Any) -> str:
    """What an index entry gathers: the ref, else the name as written (prefixed so it cannot meet a ref)."""
    return m.ref or f"form:{m.text}"


#: What an anchor replaces by "_": anything but letters, digits (str.isalnum: ``\w`` less "_"), "-" and "_".
_NOT_ANCHOR = re.compile(r"[^\w-]")


def anchor(key: str) -> str:
    """An element id for an entry key (refs are ASCII slugs; other keys are escaped by the caller)."""
    return "e-" + _NOT_ANCHOR.sub("_", key)


def _names(info: dict[str, Any]) -> str:
    parts = []
    for col, tag in NAME_LANGS.items():
        forms = info["names"].get(col)
        if forms:
            parts.append(f'<span class="names"><span class="k">{col}</span> <span lang="{tag}" '
                         f'dir="{direction(tag)}">{esc(" · ".join(forms))}</span></span>')
    return " ".join(parts)


def _links(info: dict[str, Any]) -> str:
    links = [(name, info.get(key)) for name, key in (("Wikidata", "wikidata"), ("GeoNames", "geonames"))]
    return " ".join(f'<a href="{esc(url)}" rel="external">{name}</a>' for name, url in links if url)


#: Per index type, a document's occurrences in text order: ``(entry key, the <li> of the occurrence)``.
Occurrences = dict[str, list[tuple[str, str]]]


def occurrence_items(doc: Any) -> Occurrences:
    """Every mention of ``doc`` that an index lists, in text order, as its entry key and its ``<li>`` (a link to
    the mention in the document's page). Depends on the document alone, so ``nuskha build`` has its workers
    make them while they hold the document and the indexes only gather them."""
    from .edition import doc_page_name

    page_name, lang, where = doc_page_name(doc.id), doc.lang, esc(doc.id)
    lang_attrs = f'" lang="{esc(lang)}" dir="{direction(lang)}">'
    out: Occurrences = {t: [] for t in INDEX_TYPES}
    for m in sorted(doc.mentions, key=lambda m: m.start):
        items = out.get(m.type)
        if items is not None:
            items.append((entry_key(m), f'<li><a href="{href(page_name, "m-" + str(m.start))}{lang_attrs}'
                                        f'{esc(m.text)}</a> <span class="where" lang="en" dir="ltr">{where}</span></li>'))
    return out


def index_page(mtype: str, docs: Sequence[Any], authority: Any | None, nav: Callable[[str], str],
               occurrences: Sequence[Occurrences] | None = None) -> str:
    """The index of one entity type over ``docs``; ``occurrences``: :func:`occurrence_items` of each document,
    when the caller has them."""
    name, heading = INDEX_TYPES[mtype]
    if occurrences is None:
        occurrences = [occurrence_items(d) for d in docs]
    entries: dict[str, dict[str, list[str]]] = {}
    for d, occ in zip(docs, occurrences):
        for key, item in occ[mtype]:
            entries.setdefault(key, {}).setdefault(d.lang, []).append(item)
    infos = {k: entity_info(k, authority, mtype) if not k.startswith("form:") else
             {"ref": None, "label": k[5:], "type": mtype, "names": {}, "known": False} for k in entries}
    order = sorted(entries, key=lambda k: (not infos[k]["known"], infos[k]["label"].casefold()))
    sections = []
    for key in order:
        info = infos[key]
        occ = []
        for lang in sorted(entries[key], key=lambda l: (direction(l) != "rtl", l)):
            items = "".join(entries[key][lang])
            occ.append(f'<div class="occ" lang="en" dir="ltr"><h3>{esc(lang)} '
                       f'({len(entries[key][lang])})</h3><ol>{items}</ol></div>')
        what = "" if info["known"] else (' <span class="prov">provisional</span>' if info.get("ref")
                                         else ' <span class="prov">no ref</span>')
        label_lang = "en" if info["known"] else next(iter(entries[key]))
        sections.append(
            f'<section class="entry" id="{esc(anchor(key))}" lang="en" dir="ltr"><h2>'
            f'<span lang="{esc(label_lang)}" dir="{direction(label_lang)}">{esc(info["label"])}</span>{what}</h2>'
            f'<p class="about">{_names(info)} {_links(info)}</p>{"".join(occ)}</section>')
    body = (f"{nav(name)}\n<main lang=\"en\" dir=\"ltr\"><h1>{heading}</h1>"
            f"<p class=\"meta\">{len(entries)} entries across {len(docs)} documents.</p>\n"
            + "\n".join(sections) + "</main>")
    return page(f"{heading} — nuskha edition", body)


def index_pages(docs: Sequence[Any], authority: Any | None, nav: Callable[[str], str],
                occurrences: Sequence[Occurrences] | None = None) -> dict[str, str]:
    """``{file name: html}`` of the persons, places and groups indexes (``occurrences``: as for
    :func:`index_page`)."""
    if occurrences is None:
        occurrences = [occurrence_items(d) for d in docs]
    return {INDEX_TYPES[t][0]: index_page(t, docs, authority, nav, occurrences) for t in INDEX_TYPES}
