"""CSV export: one row per mention, with the entity's URIs and the date and troop values as columns."""
from __future__ import annotations

import csv
import io
from typing import Any, Sequence

from ..render.entities import entity_info

COLUMNS = ("doc", "lang", "start", "end", "text", "type", "ref", "ref_uri", "label", "wikidata_uri",
           "geonames_uri", "hijri", "hijri_end", "julian", "julian_end", "gregorian", "gregorian_end", "qualifier",
           "quantity", "unit", "approx", "bound", "source", "cert", "note")


def row(doc: Any, m: Any, authority: Any | None) -> dict[str, Any]:
    """The CSV row of one mention (empty cells for what does not apply)."""
    info = entity_info(m.ref, authority, m.type) if m.ref else None
    v = m.value or {}
    return {
        "doc": doc.id, "lang": doc.lang, "start": m.start, "end": m.end, "text": m.text, "type": m.type,
        "ref": m.ref, "ref_uri": info and info["uri"], "label": info and info["label"],
        "wikidata_uri": info and info["wikidata"], "geonames_uri": info and info["geonames"],
        "hijri": v.get("hijri"), "hijri_end": v.get("hijri_end"), "julian": v.get("ce"), "julian_end": v.get("ce_end"),
        "gregorian": v.get("gregorian"), "gregorian_end": v.get("gregorian_end"), "qualifier": v.get("qualifier"),
        "quantity": v.get("quantity"), "unit": v.get("unit"),
        "approx": ("true" if v.get("approx") else "false") if m.type == "troops" else None, "bound": v.get("bound"),
        "source": m.source, "cert": m.cert, "note": m.note,
    }


def write(docs: Sequence[Any], authority: Any | None = None) -> str:
    """All mentions of ``docs`` as CSV (RFC 4180 quoting, header row, ``\\r\\n`` line ends)."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, COLUMNS)
    writer.writeheader()
    for doc in docs:
        for m in sorted(doc.mentions, key=lambda m: (m.start, -m.end)):
            writer.writerow({k: ("" if val is None else val) for k, val in row(doc, m, authority).items()})
    return buf.getvalue()
