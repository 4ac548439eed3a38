"""What the edition says about an entity or a mention: label, names in each language, URIs, date and troop values.

Pure data (JSON-ready dicts), shared by the edition pages, the notebook display and the exports, so every output
describes a mention the same way. The URIs come from :mod:`nuskha.uris`.
"""
from __future__ import annotations

from typing import Any, Iterable

from ..uris import geonames_uri, ref_uri, wikidata_uri

#: Variant columns of the authority file and the BCP 47 tag of each (``latn`` is the romanised form).
NAME_LANGS = {"ar": "ar", "kk": "kk", "ru": "ru", "latn": "en"}
TYPE_LABELS = {"person": "person", "place": "place", "group": "group", "date": "date", "troops": "troops"}


def record_coordinates(rec: Any) -> tuple[float, float] | None:
    """``(lat, lon)`` of an authority record when the file has them (``lat``/``lon`` columns), else None."""
    lat, lon = getattr(rec, "lat", None), getattr(rec, "lon", None)
    try:
        return (float(lat), float(lon)) if lat not in (None, "") and lon not in (None, "") else None
    except (TypeError, ValueError):
        return None


def entity_info(ref: str, authority: Any | None, mtype: str | None = None) -> dict[str, Any]:
    """The description of ``ref``: ``label``, ``type``, ``names`` per language, ``uri``, ``wikidata``,
    ``geonames`` (URIs or None) and ``known`` (False for a provisional or unknown ref)."""
    rec = authority.records.get(ref) if authority is not None and ref else None
    if rec is None:
        label = ref.split(":", 1)[1] if ref and ":" in ref else (ref or "")
        return {"ref": ref, "label": label, "type": mtype, "names": {}, "uri": ref_uri(ref), "wikidata": None,
                "geonames": None, "known": False}
    names = {col: list(rec.variants.get(col, ())) for col in NAME_LANGS if rec.variants.get(col)}
    try:
        wd = wikidata_uri(rec.wikidata)
    except ValueError:
        wd = None
    try:
        gn = geonames_uri(getattr(rec, "geonames", None))
    except ValueError:
        gn = None
    return {"ref": ref, "label": rec.label_en or ref, "type": rec.type, "names": names, "uri": ref_uri(ref),
            "wikidata": wd, "geonames": gn, "known": True}


def _span(a: Any, b: Any) -> str | None:
    if a in (None, ""):
        return None
    return f"{a} – {b}" if b not in (None, "", a) else str(a)


def value_lines(mtype: str, value: dict[str, Any] | None, note: str | None = None) -> list[tuple[str, str]]:
    """A date's or troop figure's value as ``(label, text)`` lines for a reader: Hijri, the Western date as
    written (Julian), the proleptic Gregorian equivalent, era and century counts, the year's inference, the
    dual-date check; or the quantity, unit, bound and approximation of a troop figure."""
    if not value:
        return [("note", note)] if note else []
    lines: list[tuple[str, str]] = []
    if mtype == "date":
        for label, key in (("Hijri", "hijri"), ("Julian (as written)", "ce"),
                           ("proleptic Gregorian", "gregorian")):
            text = _span(value.get(key), value.get(key + "_end"))
            if text:
                lines.append((label, text))
        if value.get("era"):
            lines.append((f"{value['era']} era", _span(value.get("era_date"), value.get("era_date_end")) or ""))
        if value.get("century"):
            lines.append(("century", _span(value.get("century"), value.get("century_end")) or ""))
        if value.get("qualifier"):
            lines.append(("qualifier", str(value["qualifier"])))
        for key in ("year", "inferred_year", "year_inferred", "annal_year", "year_from", "year_source"):
            if value.get(key) not in (None, ""):
                lines.append(("inferred year" if "source" not in key and "from" not in key else "year from",
                              str(value[key])))
        check = value.get("check")
        if isinstance(check, dict) and check.get("status"):
            lines.append(("check", f"{check['status']}: {check.get('detail', '')}".strip(": ")))
    elif mtype == "troops":
        if value.get("quantity") is not None:
            lines.append(("quantity", f"{value['quantity']:,}" if isinstance(value["quantity"], int)
                          else str(value["quantity"])))
        for key in ("unit", "bound"):
            if value.get(key):
                lines.append((key, str(value[key]).replace("_", " ")))
        if value.get("approx"):
            lines.append(("approximate", "yes"))
    if note:
        lines.append(("note", note))
    return lines


def mention_info(m: Any) -> dict[str, Any]:
    """The per-mention part of a tooltip: type, ref, value lines, source and certainty."""
    return {"type": m.type, "ref": m.ref, "text": m.text, "values": value_lines(m.type, m.value, m.note),
            "source": m.source, "cert": m.cert}


def entities_of(mentions: Iterable[Any], authority: Any | None) -> dict[str, dict[str, Any]]:
    """:func:`entity_info` of every ref among ``mentions``."""
    out: dict[str, dict[str, Any]] = {}
    for m in mentions:
        if m.ref and m.ref not in out:
            out[m.ref] = entity_info(m.ref, authority, m.type)
    return out
