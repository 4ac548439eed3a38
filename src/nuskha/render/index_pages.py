"""Indexes of persons, places and groups across the corpus, as a printed edition's indices are.

Each entry is one entity (an authority record, a provisional ``new:`` ref, or a name the recogniser left without a
ref, grouped by its form): its label, its names per language, its Wikidata/GeoNames links, and every occurrence,
grouped by language and document, each a link to the mention in its document's page.
"""
from __future__ import annotations

from typing import Any, Callable, Sequence

from .entities import NAME_LANGS, entity_info
from .html import direction, esc, href, page

INDEX_TYPES = {"person": ("persons.html", "Persons"), "place": ("places.html", "Places"),
               "group": ("groups.html", "Groups")}


def entry_key(m: Any) -> str:
    """What an index entry gathers: the ref, else the name as written (prefixed so it cannot meet a ref)."""
    return m.ref or f"form:{m.text}"


def anchor(key: str) -> str:
    """An element id for an entry key (refs are ASCII slugs; other keys are escaped by the caller)."""
    return "e-" + "".join(c if c.isalnum() or c in "-_" else "_" for c in key)


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


def index_page(mtype: str, docs: Sequence[Any], authority: Any | None, nav: Callable[[str], str]) -> str:
    """The index of one entity type over ``docs``."""
    from .edition import doc_page_name

    name, heading = INDEX_TYPES[mtype]
    entries: dict[str, dict[str, list[tuple[Any, Any]]]] = {}
    for d in docs:
        for m in sorted(d.mentions, key=lambda m: m.start):
            if m.type == mtype:
                entries.setdefault(entry_key(m), {}).setdefault(d.lang, []).append((d, m))
    infos = {k: entity_info(k, authority, mtype) if not k.startswith("form:") else
             {"ref": None, "label": k[5:], "type": mtype, "names": {}, "known": False} for k in entries}
    order = sorted(entries, key=lambda k: (not infos[k]["known"], infos[k]["label"].casefold()))
    sections = []
    for key in order:
        info = infos[key]
        occ = []
        for lang in sorted(entries[key], key=lambda l: (direction(l) != "rtl", l)):
            items = "".join(
                f'<li><a href="{href(doc_page_name(d.id), "m-" + str(m.start))}" lang="{esc(lang)}" dir="{direction(lang)}">'
                f'{esc(m.text)}</a> <span class="where" lang="en" dir="ltr">{esc(d.id)}</span></li>'
                for d, m in entries[key][lang])
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


def index_pages(docs: Sequence[Any], authority: Any | None, nav: Callable[[str], str]) -> dict[str, str]:
    """``{file name: html}`` of the persons, places and groups indexes."""
    return {INDEX_TYPES[t][0]: index_page(t, docs, authority, nav) for t in INDEX_TYPES}
