"""Mention values and token kinds <-> TEI elements and attributes, shared by the writer and the reader.

A date value (ANNOTATION.md plus the converter's ``gregorian``/``gregorian_end``) becomes ``<date>`` attributes, a
troop figure ``<measure>`` attributes; :func:`value_rest` says what the attributes cannot carry (``check``, keys
set to None, years not padded...) so that the writer can store it beside the element and the reader can give
back exactly the value it was given.
"""
from __future__ import annotations

import re
from typing import Any

from lxml import etree

from ..document import ABBR, NUMBER, PUNCT, SYMBOL, WORD, Mention
from . import TEI_NS

T = "{%s}" % TEI_NS

#: Token kind -> (element, @type). Read back through :data:`KIND_OF`.
TOKEN_ELEMENT = {WORD: ("w", None), NUMBER: ("w", "number"), ABBR: ("w", "abbr"), PUNCT: ("pc", None),
                 SYMBOL: ("pc", "symbol")}
KIND_OF = {v: k for k, v in TOKEN_ELEMENT.items()}
#: Mention type -> name element.
NAME_ELEMENT = {"person": "persName", "place": "placeName", "group": "orgName"}
TYPE_OF_NAME = {v: k for k, v in NAME_ELEMENT.items()}
_W3C_DATE = re.compile(r"^(-?)(\d{1,4})((?:-\d\d){0,2})$")


def _w3c(date: Any) -> str | None:
    """An ISO date as xsd:gYear/gYearMonth/date (year padded to 4 digits), or None if it is not one."""
    m = _W3C_DATE.match(date) if isinstance(date, str) else None
    return f"{m.group(1)}{int(m.group(2)):04d}{m.group(3)}" if m else None


def _unpad(date: str) -> str:
    m = _W3C_DATE.match(date)
    return f"{m.group(1)}{int(m.group(2))}{m.group(3)}" if m else date


def _custom_range(el: etree._Element, start: Any, end: Any, method: str) -> None:
    if start is None and end is None:
        return
    if end is None:
        el.set("when-custom", str(start))
    else:
        if start is not None:
            el.set("notBefore-custom", str(start))
        el.set("notAfter-custom", str(end))
    el.set("datingMethod", method)


def _custom_of(el: etree._Element) -> tuple[str | None, str | None]:
    if el.get("when-custom") is not None:
        return el.get("when-custom"), None
    return el.get("notBefore-custom"), el.get("notAfter-custom")


def date_element(value: dict[str, Any] | None, text: str) -> etree._Element:
    """``<date>`` for a date value: @when/@notBefore/@notAfter from ``gregorian``/``gregorian_end`` (proleptic
    Gregorian), Hijri in @when-custom (or @notBefore-/@notAfter-custom) with ``datingMethod="#hijri"``, the
    Western date as written in an empty child ``<date type="written" datingMethod="#julian">``, the qualifier
    (spring, winter, late) in @type."""
    el = etree.Element(T + "date")
    v = value or {}
    g, ge = _w3c(v.get("gregorian")), _w3c(v.get("gregorian_end"))
    if g and ge:
        el.set("notBefore", g)
        el.set("notAfter", ge)
    elif g:
        el.set("when", g)
    elif ge:
        el.set("notAfter", ge)
    _custom_range(el, v.get("hijri"), v.get("hijri_end"), "#hijri")
    if isinstance(v.get("qualifier"), str) and re.fullmatch(r"\S+", v["qualifier"]):
        el.set("type", v["qualifier"])
    if v.get("inferred"):  # the year came from the annal context, not from the words of the date (issue 11)
        el.set("evidence", "internal")
    el.text = text
    if v.get("ce") is not None or v.get("ce_end") is not None:
        written = etree.SubElement(el, T + "date", type="written")
        _custom_range(written, v.get("ce"), v.get("ce_end"), "#julian")
    return el


def date_value(el: etree._Element) -> dict[str, Any]:
    """The inverse of :func:`date_element` (also reads plain @when dates from other tools)."""
    hijri, hijri_end = _custom_of(el) if el.get("datingMethod", "").endswith("hijri") else (None, None)
    value: dict[str, Any] = {"hijri": hijri, "hijri_end": hijri_end, "ce": None, "ce_end": None,
                             "qualifier": el.get("type")}
    written = el.find(T + "date[@type='written']")
    if written is not None:
        value["ce"], value["ce_end"] = _custom_of(written)
    if el.get("when"):
        value["gregorian"] = _unpad(el.get("when"))
    elif el.get("notBefore") or el.get("notAfter"):
        if el.get("notBefore"):
            value["gregorian"] = _unpad(el.get("notBefore"))
        if el.get("notAfter"):
            value["gregorian_end"] = _unpad(el.get("notAfter"))
    return value


def measure_element(value: dict[str, Any] | None, text: str) -> etree._Element:
    """``<measure type="troops">`` with @quantity, @unit; ``approx`` as ``cert="medium"``; a bound as @atLeast
    (``more_than``) or @atMost (``at_most``)."""
    el = etree.Element(T + "measure", type="troops")
    v = value or {}
    q = v.get("quantity")
    if isinstance(q, (int, float)) and not isinstance(q, bool):
        el.set("quantity", str(q))
        if v.get("bound") == "more_than":
            el.set("atLeast", str(q))
        elif v.get("bound") == "at_most":
            el.set("atMost", str(q))
    if isinstance(v.get("unit"), str) and re.fullmatch(r"\S+", v["unit"]):
        el.set("unit", v["unit"])
    if v.get("approx") is True:
        el.set("cert", "medium")
    el.text = text
    return el


def _number(text: str | None) -> int | float | None:
    if text is None:
        return None
    try:
        return int(text)
    except ValueError:
        try:
            return float(text)
        except ValueError:
            return None


def measure_value(el: etree._Element) -> dict[str, Any]:
    bound = "more_than" if el.get("atLeast") is not None else "at_most" if el.get("atMost") is not None else None
    return {"quantity": _number(el.get("quantity")), "unit": el.get("unit"),
            "approx": el.get("cert") == "medium", "bound": bound}


def _same(a: Any, b: Any) -> bool:
    return type(a) is type(b) and a == b


def value_rest(value: Any, decoded: Any) -> dict[str, Any] | None:
    """What the TEI attributes do not say about ``value``: ``{"set": {...}, "unset": [...]}`` or
    ``{"replace": value}``, None when the attributes already give it back exactly."""
    if isinstance(value, dict) and isinstance(decoded, dict):
        set_ = {k: v for k, v in value.items() if k not in decoded or not _same(decoded[k], v)}
        unset = [k for k in decoded if k not in value]
        return {"set": set_, "unset": unset} if set_ or unset else None
    return None if _same(value, decoded) else {"replace": value}


def apply_rest(decoded: Any, rest: dict[str, Any] | None) -> Any:
    if not rest:
        return decoded
    if "replace" in rest:
        return rest["replace"]
    value = dict(decoded or {})
    value.update(rest.get("set", {}))
    for k in rest.get("unset", ()):
        value.pop(k, None)
    return value


def mention_element(m: Mention, known_refs: set[str]) -> tuple[etree._Element, dict[str, Any] | None]:
    """The typed TEI element of a mention (its text as content) and what its attributes leave out of the value."""
    if m.type == "date":
        el = date_element(m.value, m.text)
        return el, value_rest(m.value, date_value(el))
    if m.type == "troops":
        el = measure_element(m.value, m.text)
        return el, value_rest(m.value, measure_value(el))
    tag = NAME_ELEMENT.get(m.type)
    el = etree.Element(T + (tag or "name"))
    if tag is None:
        el.set("type", m.type)
    if m.ref:
        el.set("ref", "#" + m.ref if m.ref in known_refs else m.ref)
    el.text = m.text
    return el, value_rest(m.value, None)
