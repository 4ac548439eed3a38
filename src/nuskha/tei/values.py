"""Mention values and token kinds <-> TEI elements and attributes, shared by the writer and the reader.

This is the one place that maps what a mention knows to TEI markup (add a value key or a provenance attribute
here, and both directions follow):

* a date value (ANNOTATION.md plus the converter's ``gregorian``/``gregorian_end``) becomes ``<date>``
  attributes (a year ``inferred`` from the annal: ``evidence="internal"``; from the period chronology: ``"external"``; the details in the ``<fs>``): @when/@notBefore/@notAfter (proleptic Gregorian), Hijri in @when-custom (or @notBefore-/
  @notAfter-custom) with ``datingMethod="#hijri"``, the Western date as written in an empty child
  ``<date type="written" datingMethod="#julian">``, another era (Seleucid, ...) in an empty child
  ``<date type="era" datingMethod="#seleucid">``, the qualifier in @type and the calendars the text is written in
  in @calendar;
* a troop figure becomes ``<measure type="troops">`` with @quantity, @unit, @atLeast/@atMost and ``cert="medium"``
  for an approximation;
* whatever the attributes cannot say (a dual-date ``check``, a ``century``, keys set to None, a key a new
  recogniser adds) is a TEI feature structure ``<fs type="value">`` -- typed elements, never JSON -- that
  :func:`value_rest` computes and :func:`apply_rest` gives back, so the reader returns exactly the value it was given.

Elements are built as :class:`Node` (tag, attributes, children) and serialised by :func:`to_xml`: the writer builds
strings, never lxml trees, and the reader decodes lxml elements through the same attribute names.
"""
from __future__ import annotations

import math
import re
from typing import Any, Iterable, NamedTuple

from ..document import ABBR, NUMBER, PUNCT, SYMBOL, WORD, Mention
from ..errors import XMLError
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
_NAME = re.compile(r"^[A-Za-z_][\w.-]*$")
#: Calendars every header declares; eras a date names (``era``: seleucid, adam, ...) are declared as they occur.
CALENDARS = {"hijri": "Hijri (Islamic lunar) calendar; dates given as year[-month[-day]] in @when-custom.",
             "julian": "Julian calendar: Western dates as written in the source, in @when-custom."}
ERA_DESCRIPTIONS = {
    "seleucid": "Seleucid era (Anno Graecorum, 'of Alexander'), counted from 312/311 BCE; year[-month[-day]] "
                "as written, in @when-custom.",
    "adam": "Era of the creation (from the fall of Adam) as the chronicler counts it; year as written.",
    "flood": "Era of the Flood as the chronicler counts it; year as written.",
    "moses": "Era of the death of Moses as the chronicler counts it; year as written.",
    "nabonassar": "Era of Nabonassar (Bukhtnassar) as the chronicler counts it; year as written.",
}


def default_lemma(text: str, norm: str, segments: Iterable) -> str:
    """The lemma of a ``<w>`` that has no @lemma: its normal form, cut to its stem segment when it has exactly one
    and the normal form is as long as the text (so the stem's offsets hold in it). Most Arabic words have this
    lemma (``<m type="det">ال</m>مؤيد``, norm ``المويد`` -> ``مويد``); writing it on each would add a tenth to the
    file. Declared in the header (:data:`LEMMA_USAGE`); files without that declaration default to the text."""
    stem = None
    for sg in segments:
        if sg.role == "stem":
            if stem is not None:
                return norm
            stem = sg
    if stem is not None and len(norm) == len(text):
        return norm[stem.start:stem.end]
    return norm


#: The header's statement of :func:`default_lemma` (``tagsDecl/namespace/tagUsage gi="w"``); the reader applies
#: that default only to files that declare it.
LEMMA_USAGE = ("@norm is the normal form where it differs from the text. @lemma is given where the lemma differs "
               "from the default: the normal form (@norm, else the text), cut to the word's stem (its bare text "
               "beside <m> segments, or its <m type=\"stem\">) when it has exactly one stem and the normal form "
               "is as long as the text.")


class Node(NamedTuple):
    """An element to serialise: TEI local name, attributes in writing order, children (text or nodes)."""

    tag: str
    attrs: dict[str, str]
    children: tuple = ()


# --- serialising ------------------------------------------------------------------------------------------------

_TEXT_ESC = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
_ATTR_ESC = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\r": "&#13;", "\n": "&#10;",
                           "\t": "&#9;"})
_ATTR_SPECIAL = re.compile('[&<>"\r\n\t]')
_BAD_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def escape_text(s: str) -> str:
    """Character data as XML (``\\r`` as ``&#13;`` so that it survives parsing). Most strings need nothing, and
    four substring tests cost far less than ``str.translate``, which looks up every character of an Arabic text."""
    if "&" in s or "<" in s or ">" in s or "\r" in s:
        return s.translate(_TEXT_ESC)
    return s


def escape_attr(s: str) -> str:
    """An attribute value as XML, whitespace characters as references so that parsing gives them back."""
    if _ATTR_SPECIAL.search(s):
        return s.translate(_ATTR_ESC)
    return s


def attrs_xml(attrs: dict[str, str]) -> str:
    return "".join([f' {k}="{escape_attr(v)}"' for k, v in attrs.items()])


def to_xml(node: Node | str) -> str:
    """A node and its children as XML text (no namespace declaration: it sits inside a TEI element)."""
    out: list[str] = []
    _emit(node, out)
    return "".join(out)


def _emit(node: Node | str, out: list[str]) -> None:
    if isinstance(node, str):
        out.append(escape_text(node))
        return
    tag, attrs, children = node
    out.append(f"<{tag}{attrs_xml(attrs)}" if attrs else f"<{tag}")
    if not children:
        out.append("/>")
        return
    out.append(">")
    for c in children:
        _emit(c, out)
    out.append(f"</{tag}>")


def check_xml_chars(s: str, what: str, doc_id: str) -> None:
    """XML 1.0 cannot hold most C0 controls: say which and where, rather than write a file no parser reads."""
    m = _BAD_XML.search(s)
    if m:
        from ..errors import OutputError

        raise OutputError(f"cannot be written as XML: character U+{ord(m.group()):04X} in {what}", doc_id,
                          f"offset {m.start()}" if what == "the text" else None)


# --- dates ------------------------------------------------------------------------------------------------------

def _w3c(date: Any) -> str | None:
    """An ISO date as xsd:gYear/gYearMonth/date (year padded to 4 digits), or None if it is not one."""
    m = _W3C_DATE.match(date) if isinstance(date, str) else None
    return f"{m.group(1)}{int(m.group(2)):04d}{m.group(3)}" if m else None


def _unpad(date: str) -> str:
    m = _W3C_DATE.match(date)
    return f"{m.group(1)}{int(m.group(2))}{m.group(3)}" if m else date


def _custom_range(attrs: dict[str, str], start: Any, end: Any, method: str) -> bool:
    if start is None and end is None:
        return False
    if end is None:
        attrs["when-custom"] = str(start)
    else:
        if start is not None:
            attrs["notBefore-custom"] = str(start)
        attrs["notAfter-custom"] = str(end)
    attrs["datingMethod"] = method
    return True


def _custom_of(attrs) -> tuple[str | None, str | None]:
    if attrs.get("when-custom") is not None:
        return attrs.get("when-custom"), None
    return attrs.get("notBefore-custom"), attrs.get("notAfter-custom")


def era_name(value: Any) -> str | None:
    """The calendar id of a date value's other era (``seleucid``), when it has one that can be an XML name."""
    era = value.get("era") if isinstance(value, dict) else None
    return era if isinstance(era, str) and _NAME.match(era) and era not in ("hijri", "julian") else None


def date_node(value: dict[str, Any] | None, text: str | None) -> Node:
    """``<date>`` for a date value (see the module docstring); ``text`` None for an element whose content the
    caller writes (inline mode). Empty children (written date, era) come after the content."""
    attrs: dict[str, str] = {}
    v = value if isinstance(value, dict) else {}
    g, ge = _w3c(v.get("gregorian")), _w3c(v.get("gregorian_end"))
    if g and ge:
        attrs["notBefore"], attrs["notAfter"] = g, ge
    elif g:
        attrs["when"] = g
    elif ge:
        attrs["notAfter"] = ge
    calendars = []
    if _custom_range(attrs, v.get("hijri"), v.get("hijri_end"), "#hijri"):
        calendars.append("#hijri")
    if isinstance(v.get("qualifier"), str) and re.fullmatch(r"\S+", v["qualifier"]):
        attrs["type"] = v["qualifier"]
    if v.get("inferred"):  # the year came from the annal context, not from the words (the how: in the <fs>)
        # ... from the text itself (a heading, "وفيها") or, for an annal dated by an event or a death it reports,
        # from the period chronology outside the text
        attrs["evidence"] = "external" if v["inferred"].get("year_from") in ("event", "death") else "internal"
    children: list = []
    written: dict[str, str] = {"type": "written"}
    if _custom_range(written, v.get("ce"), v.get("ce_end"), "#julian"):
        children.append(Node("date", written))
        calendars.append("#julian")
    era = era_name(v)
    if era:
        era_attrs: dict[str, str] = {"type": "era"}
        if not _custom_range(era_attrs, v.get("era_date"), v.get("era_date_end"), "#" + era):
            era_attrs["datingMethod"] = "#" + era
        children.append(Node("date", era_attrs))
        calendars.append("#" + era)
    if calendars and text:  # @calendar needs content (Schematron): the calendars the words are written in
        attrs["calendar"] = " ".join(calendars)
    content = (text,) if text else ()
    return Node("date", attrs, content + tuple(children))


def date_value(attrs, children: Iterable = ()) -> dict[str, Any]:
    """The inverse of :func:`date_node` (also reads plain @when dates from other tools). ``attrs`` of the
    ``<date>``, ``children`` the attribute maps of its child ``<date>`` elements."""
    method = attrs.get("datingMethod") or ""
    hijri, hijri_end = _custom_of(attrs) if method.endswith("hijri") else (None, None)
    value: dict[str, Any] = {"hijri": hijri, "hijri_end": hijri_end, "ce": None, "ce_end": None,
                             "qualifier": attrs.get("type")}
    for child in children:
        if child.get("type") == "written":
            value["ce"], value["ce_end"] = _custom_of(child)
        elif child.get("type") == "era":
            value["era"] = (child.get("datingMethod") or "").lstrip("#")
            value["era_date"], value["era_date_end"] = _custom_of(child)
    # kept as written: the converter pads years to four digits (core.calendar.iso) as xsd:date does, so a value
    # read back needs no feature structure to restore its padding
    if attrs.get("when"):
        value["gregorian"] = attrs.get("when")
    elif attrs.get("notBefore") or attrs.get("notAfter"):
        if attrs.get("notBefore"):
            value["gregorian"] = attrs.get("notBefore")
        if attrs.get("notAfter"):
            value["gregorian_end"] = attrs.get("notAfter")
    return value


# --- troops -----------------------------------------------------------------------------------------------------

def _is_number(q: Any) -> bool:
    return isinstance(q, (int, float)) and not isinstance(q, bool) and math.isfinite(q)


def measure_node(value: dict[str, Any] | None, text: str | None) -> Node:
    """``<measure type="troops">`` with @quantity, @unit; ``approx`` as ``cert="medium"``; a bound as @atLeast
    (``more_than``) or @atMost (``at_most``)."""
    attrs = {"type": "troops"}
    v = value if isinstance(value, dict) else {}
    q = v.get("quantity")
    if _is_number(q):
        attrs["quantity"] = str(q)
        if v.get("bound") == "more_than":
            attrs["atLeast"] = str(q)
        elif v.get("bound") == "at_most":
            attrs["atMost"] = str(q)
    if isinstance(v.get("unit"), str) and re.fullmatch(r"\S+", v["unit"]):
        attrs["unit"] = v["unit"]
    if v.get("approx") is True:
        attrs["cert"] = "medium"
    return Node("measure", attrs, (text,) if text else ())


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


def measure_value(attrs) -> dict[str, Any]:
    bound = "more_than" if attrs.get("atLeast") is not None else "at_most" if attrs.get("atMost") is not None \
        else None
    return {"quantity": _number(attrs.get("quantity")), "unit": attrs.get("unit"),
            "approx": attrs.get("cert") == "medium", "bound": bound}


# --- what the attributes leave out: a feature structure --------------------------------------------------------

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


def _feature_value(v: Any) -> Node:
    """A JSON-like value as a TEI feature value: string, numeric, binary, symbol (null), vColl (list), fs."""
    if v is None:
        return Node("symbol", {"value": "null"})
    if isinstance(v, bool):
        return Node("binary", {"value": "true" if v else "false"})
    if isinstance(v, (int, float)):
        if isinstance(v, float) and not math.isfinite(v):
            return Node("numeric", {"value": "0", "n": repr(v)})  # xsd:double has INF/NaN, TEI's numeric not
        return Node("numeric", {"value": repr(v)})
    if isinstance(v, str):
        return Node("string", {}, (v,) if v else ())
    if isinstance(v, (list, tuple)):
        return Node("vColl", {"org": "list"}, tuple(_feature_value(x) for x in v))
    if isinstance(v, dict):
        return _fs(v, None)
    return Node("string", {"type": "repr"}, (repr(v),))


def _fs(d: dict, typ: str | None) -> Node:
    # features in key order: a value read back from TEI need not keep the order its keys were set in, and the
    # round trip TEI -> model -> TEI must give the same bytes
    features = []
    for k, v in sorted(d.items(), key=lambda kv: str(kv[0])):
        features.append(Node("f", {"name": str(k)}, (_feature_value(v),)))
    return Node("fs", {"type": typ} if typ else {}, tuple(features))


def feature_node(value: Any, typ: str) -> Node:
    """Any JSON-like value as ``<fs type="{typ}">`` (a dict) or ``<fs type="{typ}"><f name="value">``."""
    if isinstance(value, dict):
        return _fs(value, typ)
    return Node("fs", {"type": typ, "subtype": "value"}, (Node("f", {"name": "value"}, (_feature_value(value),)),))


def read_feature_node(el, where: str) -> Any:
    """The inverse of :func:`feature_node`."""
    if el.tag != T + "fs":
        raise XMLError("expected a feature structure <fs>", where)
    d = _decode_fs(el, where)
    return d["value"] if el.get("subtype") == "value" else d


def rest_node(rest: dict[str, Any]) -> Node:
    """``<fs type="value">`` (keys set), ``<fs type="unset">`` (keys to drop), ``<fs type="replace">``."""
    if "replace" in rest:
        return Node("fs", {"type": "replace"}, (Node("f", {"name": "value"}, (_feature_value(rest["replace"]),)),))
    nodes = []
    if rest.get("set"):
        nodes.append(_fs(rest["set"], "value"))
    if rest.get("unset"):
        nodes.append(Node("fs", {"type": "unset"}, tuple(Node("f", {"name": k}, (Node("binary", {"value": "true"}),))
                                                         for k in rest["unset"])))
    return nodes[0] if len(nodes) == 1 else Node("vColl", {"type": "rest"}, tuple(nodes))


_INT = re.compile(r"^-?\d+$")


def _decode_feature(el, where: str) -> Any:
    tag = el.tag.rsplit("}", 1)[-1] if isinstance(el.tag, str) else ""
    if tag == "symbol":
        if el.get("value") != "null":
            raise XMLError(f"<symbol value={el.get('value')!r}> is not a value nuskha writes (null)", where)
        return None
    if tag == "binary":
        if el.get("value") not in ("true", "false"):
            raise XMLError(f"<binary value={el.get('value')!r}> is neither true nor false", where)
        return el.get("value") == "true"
    if tag == "numeric":
        raw = el.get("n") if el.get("n") in ("inf", "-inf", "nan") else el.get("value", "")
        try:
            return int(raw) if _INT.match(raw) else float(raw)
        except ValueError:
            raise XMLError(f"<numeric value={raw!r}> is not a number", where) from None
    if tag == "string":
        return el.text or ""
    if tag == "vColl":
        return [_decode_feature(c, where) for c in el if isinstance(c.tag, str)]
    if tag == "fs":
        return _decode_fs(el, where)
    raise XMLError(f"<{tag}> is not a feature value nuskha reads", where)


def _decode_fs(el, where: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f in el:
        if not isinstance(f.tag, str):
            continue
        name = f.get("name")
        values = [c for c in f if isinstance(c.tag, str)]
        if f.tag != T + "f" or name is None or len(values) != 1:
            raise XMLError("a feature structure holds <f name=...> elements of one value each", where)
        out[name] = _decode_feature(values[0], where)
    return out


def read_rest(el, where: str) -> dict[str, Any]:
    """The inverse of :func:`rest_node` over a parsed element (``fs`` or ``vColl type="rest"``)."""
    parts = [c for c in el if isinstance(c.tag, str)] if el.tag == T + "vColl" else [el]
    rest: dict[str, Any] = {}
    for part in parts:
        typ = part.get("type")
        if part.tag != T + "fs" or typ not in ("value", "unset", "replace"):
            raise XMLError("value feature structure must be <fs type=\"value|unset|replace\">", where)
        d = _decode_fs(part, where)
        if typ == "replace":
            if set(d) != {"value"}:
                raise XMLError("<fs type=\"replace\"> holds one <f name=\"value\">", where)
            return {"replace": d["value"]}
        if typ == "value":
            rest["set"] = d
        else:
            rest["unset"] = list(d)
    return rest


# --- mentions ---------------------------------------------------------------------------------------------------

def mention_node(m: Mention, ref_attr: str | None, text: str | None) -> tuple[Node, dict[str, Any] | None]:
    """The typed TEI element of a mention (``text`` as content, None for inline mode where the tokens are the
    content) and what its attributes leave out of the value. ``ref_attr`` is the @ref the writer computed (URIs)."""
    if m.type == "date":
        node = date_node(m.value, text)
        return node, value_rest(m.value, date_value(node.attrs, (c.attrs for c in node.children
                                                                  if isinstance(c, Node))))
    if m.type == "troops":
        node = measure_node(m.value, text)
        return node, value_rest(m.value, measure_value(node.attrs))
    tag = NAME_ELEMENT.get(m.type)
    attrs: dict[str, str] = {}
    if tag is None:
        attrs["type"] = m.type
    if ref_attr:
        attrs["ref"] = ref_attr
    return Node(tag or "name", attrs, (text,) if text else ()), value_rest(m.value, None)
