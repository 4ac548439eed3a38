"""TEI to documents: nuskha's own TEI back into the model, and inline TEI from other tools.

The parser is lxml with ``resolve_entities=False``, ``no_network=True`` and ``load_dtd=False``, and nuskha refuses
any document type declaration outright (a DTD is where entity bombs and external entities live): such a file, or a
malformed one, raises :class:`~nuskha.errors.XMLError` naming the file, line and column.

Reading nuskha TEI (see :mod:`.write` for the encoding) walks ``<body>`` once, adding up the length of every text
node, so each element with an ``xml:id`` gets its ``[start, end)`` in the original text; the text is the string
value of ``<body>``. Pointers -- lists of ids or ``string-range()`` -- then resolve to character offsets.
"""
from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from ..document import (PUNCT, WORD, Change, Correction, Document, Lexeme, Link, Mention, Segment, Span, Token)
from ..errors import InputError, XMLError
from . import TEI_NS, XML_NS
from .values import KIND_OF, TYPE_OF_NAME, apply_rest, date_value, measure_value
from .write import SYNTHETIC

T = "{%s}" % TEI_NS
XML_ID = "{%s}id" % XML_NS
XML_LANG = "{%s}lang" % XML_NS
_RANGE = re.compile(r"#?string-range\(\s*(?://\*\[@xml:id='([^']+)'\]|id\('([^']+)'\)|([^,\s]+))\s*,\s*(\d+)\s*,"
                    r"\s*(\d+)\s*\)")
_PROLOG_SKIP = re.compile(rb"\s*(?:<\?.*?\?>|<!--.*?-->)", re.S)
#: Inline elements imported from other tools' TEI: element -> mention type.
FOREIGN_TYPES = {"persName": "person", "placeName": "place", "orgName": "group", "date": "date",
                 "measure": "troops"}


# --- secure parsing ------------------------------------------------------------------------------------------

def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                           huge_tree=False, remove_comments=False, collect_ids=False)


def _refuse_doctype(data: bytes, path: str) -> None:
    """Refuse a DOCTYPE (and so any DTD or entity declaration) before lxml sees it."""
    pos = 0
    if data.startswith(b"\xef\xbb\xbf"):
        pos = 3
    elif data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            data = data.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError:
            raise XMLError("undecodable UTF-16 XML", path) from None
        pos = 0
    while True:
        m = _PROLOG_SKIP.match(data, pos)
        if not m or m.end() == pos:
            break
        pos = m.end()
    while pos < len(data) and data[pos:pos + 1].isspace():
        pos += 1
    head = data[pos:pos + 9].upper()
    if head.startswith(b"<!DOCTYPE"):
        line = data.count(b"\n", 0, pos) + 1
        col = pos - (data.rfind(b"\n", 0, pos) + 1) + 1
        raise XMLError("refused: DOCTYPE/DTD declarations are not accepted (entities, external resources)",
                       path, f"{line}:{col}")
    if re.search(rb"<!ENTITY", data):
        line = data.count(b"\n", 0, data.find(b"<!ENTITY")) + 1
        raise XMLError("refused: entity declarations are not accepted", path, f"{line}")


def parse_bytes(data: bytes, path: str = "<xml>") -> etree._ElementTree:
    """Parse XML bytes safely; :class:`XMLError` for hostile or malformed input."""
    _refuse_doctype(data, path)
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        line, col = exc.position if exc.position else (exc.lineno, 0)
        msg = re.sub(r",? line \d+, column \d+.*$", "", str(exc.msg or exc)).strip()
        raise XMLError(f"malformed XML: {msg}", path, f"{line}:{col}") from None
    tree = root.getroottree()
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise XMLError("refused: DOCTYPE/DTD declarations are not accepted", path, "1:1")
    return tree


def parse_file(path: str | os.PathLike) -> etree._ElementTree:
    p = Path(path)
    if not p.is_file():
        raise InputError("no such file" if not p.exists() else "not a file", str(p))
    return parse_bytes(p.read_bytes(), str(p))


# --- walking the body ------------------------------------------------------------------------------------------

@dataclass
class _Walk:
    """The text of a body and the ``[start, end)`` of every element in it."""

    parts: list[str] = field(default_factory=list)
    pos: int = 0
    ids: dict[str, tuple[int, int]] = field(default_factory=dict)
    spans: list[tuple[etree._Element, int, int]] = field(default_factory=list)  # (element, start, end)

    @property
    def text(self) -> str:
        return "".join(self.parts)

    def add(self, s: str | None) -> None:
        if s:
            self.parts.append(s)
            self.pos += len(s)


def walk(el: etree._Element) -> _Walk:
    w = _Walk()

    def visit(node: etree._Element) -> None:
        start = w.pos
        w.add(node.text)
        for child in node:
            if isinstance(child.tag, str):
                visit(child)
            w.add(child.tail)
        w.spans.append((node, start, w.pos))
        nid = node.get(XML_ID)
        if nid:
            w.ids[nid] = (start, w.pos)

    visit(el)
    w.spans.sort(key=lambda x: (x[1], -x[2]))
    return w


def resolve(pointer: str, ids: dict[str, tuple[int, int]], where: str = "") -> tuple[int, int]:
    """``#a #b`` (first start to last end) or ``string-range(ID,offset,length)`` -> character offsets."""
    m = _RANGE.search(pointer)
    if m:
        ref = m.group(1) or m.group(2) or m.group(3).lstrip("#")
        if ref not in ids:
            raise XMLError(f"string-range points at unknown id {ref!r}", where)
        base = ids[ref][0]
        start = base + int(m.group(4))
        return start, start + int(m.group(5))
    spans = []
    for part in pointer.split():
        key = part.lstrip("#")
        if key not in ids:
            raise XMLError(f"pointer to unknown id {part!r}", where)
        spans.append(ids[key])
    if not spans:
        raise XMLError("empty pointer", where)
    return min(s for s, _ in spans), max(e for _, e in spans)


# --- nuskha TEI ----------------------------------------------------------------------------------------------

@dataclass
class TeiContent:
    """What a TEI file holds: documents, and the alignment links between them (teiCorpus)."""

    documents: list[Document]
    links: list[Link] = field(default_factory=list)


def _is_nuskha(root: etree._Element) -> bool:
    return root.find(f".//{T}appInfo/{T}application[@ident='nuskha']") is not None or \
        root.find(f".//{T}idno[@type='nuskha']") is not None


def _source_names(root: etree._Element) -> dict[str, str]:
    return {rs.get(XML_ID): (rs.findtext(T + "name") or "") for rs in root.iter(T + "respStmt")
            if rs.get(XML_ID, "").startswith(("src.", "ed."))}


def _meta(tei: etree._Element) -> tuple[str, dict[str, Any]]:
    header = tei.find(T + "teiHeader")
    doc_id = header.findtext(f".//{T}publicationStmt/{T}idno[@type='nuskha']") if header is not None else None
    xeno = header.find(f"{T}xenoData[@n='nuskha-meta']") if header is not None else None
    meta: dict[str, Any] = {}
    if xeno is not None and xeno.text:
        try:
            meta = json.loads(xeno.text)
        except json.JSONDecodeError:
            meta = {}
    elif header is not None:
        title = header.findtext(f".//{T}titleStmt/{T}title")
        if title:
            meta["title"] = title
    return doc_id or "doc", meta


def _tokens(w: _Walk, body_el: etree._Element, path: str) -> tuple[list[tuple[int, int, etree._Element, list]],
                                                                     list[Span], list[Span]]:
    """Top-level ``<w>``/``<pc>`` (fragments ``part="I..F"`` joined) with offsets; sentences; paragraphs."""
    tokens: list[tuple[int, int, etree._Element, list]] = []  # (start, end, first element, its <m> children)
    sentences: list[Span] = []
    paragraphs: list[Span] = []
    open_frag: list[Any] = []
    token_tags = {T + "w": "w", T + "pc": "pc", T + "p": "p", T + "s": "s"}
    word_tags = {T + "w", T + "pc"}
    for el, start, end in w.spans:
        tag = token_tags.get(el.tag)
        if tag is None:
            continue
        if tag in ("p", "s") and el.get("type") != SYNTHETIC:
            (paragraphs if tag == "p" else sentences).append(Span(start, end, tag))
            continue
        if tag not in ("w", "pc"):
            continue
        if any(a.tag in word_tags for a in el.iterancestors(T + "w", T + "pc")):
            continue  # a word inside a word
        part = el.get("part")
        if part in ("I", "M", "F"):
            if part == "I":
                open_frag[:] = [start, el, []]
            elif not open_frag:
                raise XMLError(f"word fragment part={part} without an initial part", path,
                               f"line {el.sourceline}")
            open_frag[2].extend(el.iterfind(T + "m"))
            if part == "F":
                s0, first, ms = open_frag
                tokens.append((s0, end, first, ms))
                open_frag.clear()
            continue
        tokens.append((start, end, el, list(el.iterfind(T + "m"))))
    tokens.sort(key=lambda x: x[0])
    sentences.sort(key=lambda s: s.start)
    paragraphs.sort(key=lambda s: s.start)
    return tokens, sentences, paragraphs


def _lexeme(text: str, el: etree._Element, segments: tuple[Segment, ...], changes: tuple[Change, ...],
            cache: dict) -> Lexeme:
    tag = etree.QName(el).localname
    kind = KIND_OF.get((tag, el.get("type")), PUNCT if tag == "pc" else WORD)
    key = (text, kind, el.get("norm"), el.get("lemma"), segments, changes)
    lex = cache.get(key)
    if lex is None:
        lex = cache[key] = Lexeme(text, kind, el.get("norm", text), el.get("lemma", text), segments, changes)
    return lex


def _read_nuskha_tei(tei: etree._Element, sources: dict[str, str], path: str,
                     global_ids: dict[str, tuple[str, int, int]]) -> Document:
    doc_id, meta = _meta(tei)
    text_el = tei.find(T + "text")
    body_el = text_el.find(T + "body") if text_el is not None else None
    if body_el is None:
        raise XMLError("TEI without text/body", path)
    lang = text_el.get(XML_LANG) or tei.get(XML_LANG) or meta.get("language") or "und"
    w = walk(body_el)
    text = w.text
    raw_tokens, sentences, paragraphs = _tokens(w, body_el, path)
    stand_off = tei.find(T + "standOff")
    # normalisation changes per token
    starts = [s for s, _, _, _ in raw_tokens]
    changes: dict[int, list[Change]] = {}
    if stand_off is not None:
        from bisect import bisect_right

        for span in stand_off.iterfind(f"{T}spanGrp[@type='normalization']/{T}span"):
            s, e = resolve(span.get("target", ""), w.ids, f"{path}:{span.sourceline}")
            i = bisect_right(starts, s) - 1
            ts = raw_tokens[i][0]
            changes.setdefault(i, []).append(Change(s - ts, e - ts, span.findtext(f"{T}choice/{T}orig") or "",
                                                    span.findtext(f"{T}choice/{T}reg") or "", span.get("n", "")))
    cache: dict = {}
    tokens: list[Token] = []
    for i, (s, e, el, m_els) in enumerate(raw_tokens):
        segs = tuple(Segment(w.ids[m.get(XML_ID)][0] - s, w.ids[m.get(XML_ID)][1] - s, m.get("type", ""),
                             m.get("baseForm")) for m in m_els if m.get(XML_ID) in w.ids)
        tokens.append(Token(s, e, _lexeme(text[s:e], el, segs, tuple(changes.get(i, ())), cache)))
    mentions: dict[int, Mention] = {}
    rests: dict[str, dict[str, Any]] = {}
    comments: dict[str, str] = {}
    carriers: dict[str, etree._Element] = {}  # inline mention id -> annotation holding its resp/cert
    histories: dict[str, Any] = {}  # mention id -> its curation history
    corrections: list[Correction] = []
    if stand_off is not None:
        for ann in stand_off.iterfind(f"{T}listAnnotation[@type='mentions']/{T}annotation"):
            aid = ann.get(XML_ID, "")
            where = f"{path}:{ann.sourceline}"
            rest_note = ann.find(f"{T}note[@type='value']")
            rest = json.loads(rest_note.text) if rest_note is not None and rest_note.text else None
            comment = ann.findtext(f"{T}note[@type='comment']")
            history = ann.findtext(f"{T}note[@type='history']")  # curation provenance (nuskha.curation)
            if history:
                histories[ann.get("target", "").lstrip("#") if aid.endswith(".rest") else aid] = json.loads(history)
            if aid.endswith(".rest"):  # the leftovers of an inline mention
                target = ann.get("target", "").lstrip("#")
                if ann.get("cert") is not None:
                    carriers[target] = ann
                if rest is not None:
                    rests[target] = rest
                if comment:
                    comments[target] = comment
                continue
            note = next((n for n in ann.iterfind(T + "note")
                         if n.get("type") not in ("value", "comment", "history")), None)
            if note is None or not len(note):
                raise XMLError("mention annotation without a typed note", where)
            s, e = resolve(ann.get("target", ""), w.ids, where)
            mentions[_mention_no(aid)] = _mention(note[0], note.get("type"), s, e, text, ann, sources, rest,
                                                  comment)
        for span in stand_off.iterfind(f"{T}spanGrp[@type='correction']/{T}span"):
            s, e = resolve(span.get("target", ""), w.ids, f"{path}:{span.sourceline}")
            corrections.append(Correction(s, e, span.findtext(f"{T}choice/{T}sic") or "",
                                          span.findtext(f"{T}choice/{T}corr") or "", span.get("n", "")))
    inline_tags = {T + t for t in (*TYPE_OF_NAME, "name", "date", "measure")}
    for el, s, e in w.spans:  # inline mentions
        if el.tag not in inline_tags:
            continue
        mid = el.get(XML_ID, "")
        tag = etree.QName(el).localname
        if re.search(r"\.m\d+$", mid):
            typ = TYPE_OF_NAME.get(tag) or ("date" if tag == "date" else "troops" if tag == "measure"
                                            else el.get("type", "name"))
            mentions[_mention_no(mid)] = _mention(el, typ, s, e, text, carriers.get(mid, el), sources,
                                                  rests.get(mid),
                                                  comments.get(mid))
    for mid, past in histories.items():
        if _mention_no(mid) in mentions:
            mentions[_mention_no(mid)].history = past
    doc = Document(id=doc_id, lang=lang, text=text, meta=meta, tokens=tokens, sentences=sentences,
                   paragraphs=paragraphs, mentions=[mentions[k] for k in sorted(mentions)],
                   corrections=corrections)
    for nid, (s, e) in w.ids.items():
        global_ids[nid] = (doc_id, s, e)
    for k, m in mentions.items():
        global_ids[f"{_prefix_of(body_el)}.m{k}"] = (doc_id, m.start, m.end)
    return doc


def _prefix_of(body_el: etree._Element) -> str:
    return (body_el.get(XML_ID) or "").rsplit(".", 1)[0]


def _mention_no(mid: str) -> int:
    m = re.search(r"\.m(\d+)$", mid)
    return int(m.group(1)) if m else 10 ** 9


def _mention(el: etree._Element, typ: str, start: int, end: int, text: str, carrier: etree._Element,
             sources: dict[str, str], rest: dict[str, Any] | None, comment: str | None) -> Mention:
    tag = etree.QName(el).localname
    if tag == "date":
        value = date_value(el)
    elif tag == "measure":
        value = measure_value(el)
    else:
        value = None
    ref = el.get("ref")
    if ref is not None and ref.startswith("#"):
        ref = ref[1:]
    resp, *editors = carrier.get("resp", "").split() or [""]
    source = sources.get(resp.lstrip("#"), resp.lstrip("#").removeprefix("src.")) if resp else ""
    # a curated mention's second pointer names its editor (nuskha.curation)
    editor = next((sources.get(e.lstrip("#"), e.lstrip("#").removeprefix("ed.")) for e in editors
                   if e.startswith("#ed.")), None)
    cert = carrier.get("cert")
    return Mention(start, end, text[start:end], typ, ref, apply_rest(value, rest), source,
                   float(cert) if cert not in (None, "high", "medium", "low", "unknown") else 1.0, comment,
                   editor)


def _links(stand_off: etree._Element | None, global_ids: dict[str, tuple[str, int, int]], path: str) -> list[Link]:
    links: list[Link] = []
    if stand_off is None:
        return links
    for link in stand_off.iterfind(f"{T}linkGrp[@type='alignment']/{T}link"):
        members = []
        for part in link.get("target", "").split():
            m = _RANGE.search(part)
            if m:
                ref = m.group(1) or m.group(2) or m.group(3).lstrip("#")
                doc_id, s, _ = global_ids[ref]
                start = s + int(m.group(4))
                members.append((doc_id, start, start + int(m.group(5))))
                continue
            key = part.lstrip("#")
            if key not in global_ids:
                raise XMLError(f"alignment link points at unknown id {part!r}", path, f"line {link.sourceline}")
            members.append(global_ids[key])
        links.append(Link(link.get("n", ""), float(link.get("cert", "1")), link.get("type", ""), tuple(members)))
    return links


def read_tree(tree: etree._ElementTree, path: str = "<tei>", lang: str | None = None) -> TeiContent:
    root = tree.getroot()
    name = etree.QName(root)
    if name.namespace != TEI_NS or name.localname not in ("TEI", "teiCorpus"):
        raise XMLError(f"not TEI: root element is <{name.localname}>", path, f"{root.sourceline}:1")
    if not _is_nuskha(root):
        return TeiContent(import_foreign(root, path, lang))
    sources = _source_names(root)
    global_ids: dict[str, tuple[str, int, int]] = {}
    if name.localname == "TEI":
        return TeiContent([_read_nuskha_tei(root, sources, path, global_ids)])
    docs = [_read_nuskha_tei(tei, sources, path, global_ids) for tei in root.iterfind(T + "TEI")]
    return TeiContent(docs, _links(root.find(T + "standOff"), global_ids, path))


def read_tei(path: str | os.PathLike, lang: str | None = None) -> TeiContent:
    """Documents (and links) of a TEI file: nuskha's own TEI exactly, other TEI through its inline names."""
    return read_tree(parse_file(path), str(path), lang)


def read_document(path: str | os.PathLike, lang: str | None = None) -> Document:
    docs = read_tei(path, lang).documents
    if len(docs) != 1:
        raise XMLError(f"{len(docs)} documents in the file; use read_tei for a corpus", str(path))
    return docs[0]


# --- other tools' TEI ------------------------------------------------------------------------------------------

def import_foreign(root: etree._Element, path: str, lang: str | None = None) -> list[Document]:
    """TEI from other tools: the text is the string value of each ``<body>``; inline persName, placeName,
    orgName, date and measure become mentions (``source="tei"``); tokens come from nuskha's own tokenizer."""
    from ..pipeline import process

    teis = [root] if etree.QName(root).localname == "TEI" else list(root.iter(T + "TEI"))
    docs = []
    for n, tei in enumerate(teis, 1):
        text_el = tei.find(T + "text")
        body_el = text_el.find(f".//{T}body") if text_el is not None else None
        if body_el is None:
            raise XMLError("TEI without text/body", path, f"{tei.sourceline}:1")
        w = walk(body_el)
        doc_lang = lang or text_el.get(XML_LANG) or tei.get(XML_LANG)
        title = tei.findtext(f"{T}teiHeader/{T}fileDesc/{T}titleStmt/{T}title")
        stem = Path(path).stem if len(teis) == 1 else f"{Path(path).stem}-{n}"
        doc = process(w.text, doc_lang, id=stem, meta={"title": title} if title else {}, path=path)
        for el, s, e in w.spans:
            typ = FOREIGN_TYPES.get(etree.QName(el).localname)
            if typ is None or s == e:
                continue
            # trim the spaces a pretty-printer put inside the element
            while s < e and w.text[s].isspace():
                s += 1
            while e > s and w.text[e - 1].isspace():
                e -= 1
            value = date_value(el) if typ == "date" else measure_value(el) if typ == "troops" else None
            ref = el.get("ref") or el.get("key")
            ref = ref.split()[0].lstrip("#") if ref else None
            doc.mentions.append(Mention(s, e, w.text[s:e], typ, ref, value, "tei", 1.0))
        doc.mentions.sort(key=lambda m: (m.start, -m.end, m.type))
        docs.append(doc)
    return docs
