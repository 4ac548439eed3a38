"""W3C Web Annotation export (JSON-LD): one ``AnnotationCollection`` holding an ``AnnotationPage`` of all mentions.

Each annotation targets its document with a ``TextPositionSelector`` (Unicode code-point offsets into the original
text, as the model's offsets are) and a ``TextQuoteSelector`` (exact text with a little context). Its bodies:

* a ``TextualBody`` with ``purpose: "tagging"`` carrying the type (person, place, group, date, troops);
* for an entity, a ``SpecificResource`` with ``purpose: "identifying"`` whose ``source`` is the authority or
  provisional URI, and one more for its Wikidata item and GeoNames feature when known;
* for a date or troop figure, a ``TextualBody`` with ``purpose: "describing"``: a readable ``value`` and the
  values as data -- ``schema:startDate``/``schema:endDate`` (proleptic Gregorian) and ``nuskha:hijri``,
  ``nuskha:julian``; ``schema:value``/``schema:unitText`` with ``nuskha:approx``/``nuskha:bound`` for troops.
"""
from __future__ import annotations

import json
from typing import Any, Sequence

from ..render.entities import entity_info, value_lines
from ..uris import BASE
from . import doc_uri

ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
CONTEXT = [ANNO_CONTEXT, {"schema": "http://schema.org/", "nuskha": BASE + "ns#"}]
QUOTE_CONTEXT = 32  # characters of prefix/suffix in a TextQuoteSelector


def annotation(doc: Any, m: Any, authority: Any | None) -> dict[str, Any]:
    """The Web Annotation of one mention."""
    bodies: list[dict[str, Any]] = [{"type": "TextualBody", "purpose": "tagging", "value": m.type}]
    if m.ref:
        info = entity_info(m.ref, authority, m.type)
        for key in ("uri", "wikidata", "geonames"):
            if info[key]:
                body = {"type": "SpecificResource", "purpose": "identifying", "source": info[key]}
                if key == "uri":
                    body["label"] = info["label"]
                bodies.append(body)
    v = m.value or {}
    if m.type == "date" and v:
        body = {"type": "TextualBody", "purpose": "describing", "format": "text/plain",
                "value": "; ".join(f"{k}: {t}" for k, t in value_lines("date", v) if k != "check")}
        for key, prop in (("gregorian", "schema:startDate"), ("gregorian_end", "schema:endDate"),
                          ("hijri", "nuskha:hijri"), ("hijri_end", "nuskha:hijriEnd"), ("ce", "nuskha:julian"),
                          ("ce_end", "nuskha:julianEnd"), ("qualifier", "nuskha:qualifier")):
            if v.get(key):
                body[prop] = str(v[key])
        if m.type == "date" and v.get("gregorian") and not v.get("gregorian_end"):
            body["schema:endDate"] = str(v["gregorian"])
        bodies.append(body)
    elif m.type == "troops" and v:
        body = {"type": "TextualBody", "purpose": "describing", "format": "text/plain",
                "value": "; ".join(f"{k}: {t}" for k, t in value_lines("troops", v))}
        if v.get("quantity") is not None:
            body["schema:value"] = v["quantity"]
        if v.get("unit"):
            body["schema:unitText"] = v["unit"]
        body["nuskha:approx"] = bool(v.get("approx"))
        if v.get("bound"):
            body["nuskha:bound"] = v["bound"]
        bodies.append(body)
    text = doc.text
    return {
        "id": f"{BASE}annotation/{doc.id}/{m.start}-{m.end}-{m.type}",
        "type": "Annotation",
        "motivation": "identifying" if m.ref else "classifying",
        "body": bodies,
        "target": {
            "source": doc_uri(doc),
            "type": "Text",
            "language": doc.lang,
            "selector": [
                {"type": "TextPositionSelector", "start": m.start, "end": m.end},
                {"type": "TextQuoteSelector", "exact": text[m.start:m.end],
                 "prefix": text[max(0, m.start - QUOTE_CONTEXT):m.start], "suffix": text[m.end:m.end + QUOTE_CONTEXT]},
            ],
        },
        "generator": f"{BASE}nuskha",
        "nuskha:source": m.source,
        "nuskha:cert": m.cert,
    }


def collection(docs: Sequence[Any], authority: Any | None = None) -> dict[str, Any]:
    """The JSON-LD object: an ``AnnotationCollection`` whose first page holds every mention's annotation."""
    items = [annotation(d, m, authority) for d in docs for m in sorted(d.mentions, key=lambda m: (m.start, -m.end))]
    ident = f"{BASE}annotation/{'+'.join(d.id for d in docs)}"
    return {"@context": CONTEXT, "id": ident, "type": "AnnotationCollection",
            "label": "nuskha mentions: " + ", ".join(d.id for d in docs), "total": len(items),
            "first": {"id": ident + "/page1", "type": "AnnotationPage", "startIndex": 0, "items": items}}


def write(docs: Sequence[Any], authority: Any | None = None) -> str:
    """The collection as JSON-LD text."""
    return json.dumps(collection(docs, authority), ensure_ascii=False, indent=1) + "\n"
