"""TEI to documents: nuskha's own TEI back into the model (checked as it is read), and inline TEI from other tools.

Parsing is closed by construction (:func:`parse_bytes`): the encoding is sniffed by nuskha -- byte-order marks,
UTF-16/32 without one, the declaration -- and any ``<!DOCTYPE`` or ``<!ENTITY`` is refused in the decoded text
before libxml2 sees a byte; libxml2 then gets the input with its encoding fixed, ``resolve_entities=False``,
``no_network=True``, ``load_dtd=False``, ``huge_tree=False``, and files larger than :data:`MAX_XML_BYTES` or that
are not regular files are refused unread. Nothing outside the file is ever opened.

Reading nuskha TEI (see :mod:`.write` for the encoding) walks ``<body>`` once, token by token, adding up the
length of every text node, so each element with an ``xml:id`` gets its ``[start, end)`` in the original text; the
text is the string value of ``<body>``. Pointers -- lists of ids or ``string-range()`` -- then resolve to
character offsets. Everything read is checked: an attribute that is not what nuskha writes (``cert="banana"``), a
pointer to an unknown id, a ``string-range`` past its element, a mention whose text is not the text it points at,
a mention id that is not ``m<N>`` (reading would lose or reorder mentions) -- each is an :class:`XMLError` naming
the file, the line and the element, never a traceback and never a document silently thinner than its file.
"""
from __future__ import annotations

import codecs
import json
import os
import re
import stat
from bisect import bisect_right
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from ..document import (PUNCT, WORD, Change, Correction, Document, Lexeme, Link, Mention, Segment, Span, Token)
from ..errors import InputError, XMLError
from . import TEI_NS, XML_NS, gc_paused
from .values import (KIND_OF, TYPE_OF_NAME, apply_rest, date_value, default_lemma, measure_value, read_feature_node,
                     read_rest)
from .write import GAP, SYNTHETIC

T = "{%s}" % TEI_NS
XML_ID = "{%s}id" % XML_NS
XML_LANG = "{%s}lang" % XML_NS
#: Files above this size are refused unread (``NUSKHA_MAX_XML_BYTES`` overrides it).
MAX_XML_BYTES = 2 * 1024 ** 3
_RANGE = re.compile(r"#?string-range\(\s*(?://\*\[@xml:id='([^']+)'\]|id\('([^']+)'\)|([^,\s()]+))\s*,\s*(\d+)\s*,"
                    r"\s*(\d+)\s*\)")
#: Inline elements imported from other tools' TEI: element -> mention type.
FOREIGN_TYPES = {"persName": "person", "placeName": "place", "orgName": "group", "date": "date",
                 "measure": "troops"}
CERT_WORDS = ("high", "medium", "low", "unknown")


# --- secure parsing ------------------------------------------------------------------------------------------

def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                           huge_tree=False, remove_comments=False, collect_ids=False, encoding="utf-8")


_BOMS = ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"), (codecs.BOM_UTF8, "utf-8"),
         (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
#: The first four bytes of ``<?xm`` or ``<`` + anything, per encoding, when there is no byte-order mark (XML 1.0
#: appendix F). Anything with NUL bytes that fits none of them is refused.
_NO_BOM = ((b"\x00\x00\x00<", "utf-32-be"), (b"<\x00\x00\x00", "utf-32-le"), (b"\x00<\x00", "utf-16-be"),
           (b"<\x00", "utf-16-le"))
_DECL_ENCODING = re.compile(r"^<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._-]+)[\"']")
_HOSTILE = re.compile(r"<!\s*(?:DOCTYPE|ENTITY)", re.I)
_HOSTILE_B = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.I)


def _where(text: str, pos: int) -> str:
    line = text.count("\n", 0, pos) + 1
    return f"{line}:{pos - (text.rfind(chr(10), 0, pos) + 1) + 1}"


def _refuse_hostile(text: str, path: str) -> None:
    m = _HOSTILE.search(text)
    if m:
        what = "DOCTYPE/DTD" if "D" in m.group().upper() else "entity"
        raise XMLError(f"refused: {what} declarations are not accepted (entities, external resources)", path,
                       _where(text, m.start()))


def _sniff(data: bytes, path: str) -> tuple[str, int]:
    """The input's encoding and the length of its byte-order mark, decided here and never by libxml2."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return enc, len(bom)
    for head, enc in _NO_BOM:
        if data.startswith(head):
            return enc, 0
    if data.startswith(b"\x4c\x6f\xa7\x94"):  # "<?xm" in EBCDIC
        raise XMLError("refused: EBCDIC-encoded XML is not supported", path, "1:1")
    if b"\x00" in data[:4]:
        raise XMLError("refused: unrecognised encoding (NUL bytes in the first characters)", path, "1:1")
    head = data[:200].decode("ascii", "replace")
    m = _DECL_ENCODING.match(head)
    declared = m.group(1).lower().replace("_", "-") if m else "utf-8"
    try:
        info = codecs.lookup(declared)
    except LookupError:
        raise XMLError(f"refused: unknown encoding {m.group(1)!r}", path, "1:1") from None
    if info.name.startswith(("utf-16", "utf-32")):
        raise XMLError(f"refused: the declaration says {m.group(1)} but the bytes are not", path, "1:1")
    if "<?xml".encode(info.name, "replace") != b"<?xml":  # EBCDIC and the like: not ASCII-compatible
        raise XMLError(f"refused: encoding {m.group(1)!r} is not supported", path, "1:1")
    return info.name, 0


def checked_payload(data: bytes, path: str = "<xml>") -> bytes:
    """The bytes libxml2 may be given: UTF-8, within the size limit, without a DTD or entity declaration
    (:class:`XMLError` otherwise). Every parse of nuskha goes through here first."""
    limit = int(os.environ.get("NUSKHA_MAX_XML_BYTES", MAX_XML_BYTES))
    if len(data) > limit:
        raise XMLError(f"refused: {len(data):,} bytes is more than the limit of {limit:,} "
                       "(NUSKHA_MAX_XML_BYTES)", path)
    encoding, bom = _sniff(data, path)
    if encoding == "utf-8":
        m = _HOSTILE_B.search(data, bom)
        if m:  # decode only to name the line and column
            _refuse_hostile(data[:m.end()].decode("utf-8", "replace"), path)
        return data[bom:] if bom else data
    try:
        text = data[bom:].decode(encoding)
    except UnicodeDecodeError as exc:
        raise XMLError(f"malformed XML: not {encoding}: {exc.reason} at byte {exc.start}", path) from None
    _refuse_hostile(text, path)
    # libxml2 is given UTF-8 and told so; the declaration's own encoding name is dropped
    text = re.sub(r"^(<\?xml[^>]*?)\s+encoding\s*=\s*[\"'][^\"']*[\"']", r"\1", text, count=1)
    return text.encode("utf-8", "surrogatepass")


def parse_bytes(data: bytes, path: str = "<xml>") -> etree._ElementTree:
    """Parse XML bytes safely; :class:`XMLError` for hostile or malformed input (see the module docstring)."""
    return parse_payload(checked_payload(data, path), path)


def parse_payload(payload: bytes, path: str) -> etree._ElementTree:
    """Parse what :func:`checked_payload` let through."""
    try:
        root = etree.fromstring(payload, _parser())
    except etree.XMLSyntaxError as exc:
        line, col = exc.position if exc.position else (exc.lineno, 0)
        msg = re.sub(r",? line \d+, column \d+.*$", "", str(exc.msg or exc)).strip()
        raise XMLError(f"malformed XML: {msg}", path, f"{line}:{col}") from None
    tree = root.getroottree()
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:  # cannot happen after the check above
        raise XMLError("refused: DOCTYPE/DTD declarations are not accepted", path, "1:1")
    return tree


def read_xml_bytes(path: str | os.PathLike) -> bytes:
    """The bytes of an XML file: regular files only (no FIFO, device or /dev/zero), at most the size limit."""
    p = Path(path)
    try:
        st = p.stat()
    except FileNotFoundError:
        raise InputError("no such file", str(p)) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", str(p)) from None
    if not stat.S_ISREG(st.st_mode):
        raise InputError("not a regular file", str(p))
    limit = int(os.environ.get("NUSKHA_MAX_XML_BYTES", MAX_XML_BYTES))
    if st.st_size > limit:
        raise XMLError(f"refused: {st.st_size:,} bytes is more than the limit of {limit:,} (NUSKHA_MAX_XML_BYTES)",
                       str(p))
    try:
        with open(p, "rb") as fh:
            data = fh.read(limit + 1)
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", str(p)) from None
    if len(data) > limit:
        raise XMLError(f"refused: more than the limit of {limit:,} bytes (NUSKHA_MAX_XML_BYTES)", str(p))
    return data


def parse_file(path: str | os.PathLike) -> etree._ElementTree:
    return parse_bytes(read_xml_bytes(path), str(path))


# --- errors and pointers ----------------------------------------------------------------------------------------

def _describe(el: etree._Element) -> str:
    name = etree.QName(el).localname if isinstance(el.tag, str) else "node"
    xid = el.get(XML_ID)
    return f'<{name} xml:id="{xid}">' if xid else f"<{name}>"


def _error(el: etree._Element, message: str, path: str) -> XMLError:
    """``path:line: <element xml:id="...">: message``."""
    return XMLError(f"{_describe(el)}: {message}", path, str(el.sourceline or 0))


def resolve(pointer: str, ids: dict[str, tuple[int, int]], where: str = "") -> tuple[int, int]:
    """``#a #b`` (first start to last end) or ``string-range(ID,offset,length)`` -> character offsets.

    :class:`XMLError` for an unknown id, a malformed pointer, an empty range or a range past its element."""
    pointer = pointer.strip()
    if "string-range" in pointer:
        m = _RANGE.fullmatch(pointer)
        if not m:
            raise XMLError(f"malformed string-range pointer {pointer!r}", where)
        ref = m.group(1) or m.group(2) or m.group(3).lstrip("#")
        if ref not in ids:
            raise XMLError(f"string-range points at unknown id {ref!r}", where)
        base, limit = ids[ref]
        start, length = base + int(m.group(4)), int(m.group(5))
        if length == 0 or start + length > limit:
            raise XMLError(f"string-range {pointer!r} is empty or reaches past the end of {ref!r}", where)
        return start, start + length
    spans = []
    for part in pointer.split():
        span = ids.get(part[1:] if part.startswith("#") else part)
        if span is None:
            raise XMLError(f"pointer to unknown id {part!r}", where)
        spans.append(span)
    if not spans:
        raise XMLError("empty pointer", where)
    if len(spans) == 1:
        start, end = spans[0]
    else:
        start, end = min(s for s, _ in spans), max(e for _, e in spans)
    if start >= end:
        raise XMLError(f"pointer {pointer!r} covers no text", where)
    return start, end


def _cert(el: etree._Element, path: str, default: float = 1.0) -> float:
    raw = el.get("cert")
    if raw is None or raw in CERT_WORDS:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not 0.0 <= value <= 1.0:
        raise _error(el, f"cert={raw!r} is neither a probability (0-1) nor {'|'.join(CERT_WORDS)}", path)
    return value


# --- walking the body (nuskha TEI) ------------------------------------------------------------------------------

_W, _PC, _S, _P, _M, _SEG = (T + t for t in ("w", "pc", "s", "p", "m", "seg"))
_NOTE = T + "note"
_MENTION_TAGS = frozenset(T + t for t in (*TYPE_OF_NAME, "name", "date", "measure"))


def _replays(surface: str, changes: tuple) -> bool:
    """Do the changes ``(start, end, orig, reg, kind)`` of a word chain as the pipeline records them?

    A later normalisation step's change inside an earlier replacement carries that replacement's span and quotes
    what the step saw (core.charmap.compose): ﭐ -> ٱ (presentation), then ٱ -> ا (alef) on the same span; marks out
    of canonical order reordered over their cluster (unicode), then each deleted from it. So each change quotes
    exactly the text of a span nothing changed before, else a part of what the changes before made of it."""
    pieces = {(i, i + 1): (ch, False) for i, ch in enumerate(surface)}  # span -> (what it reads now, changed?)
    for s, e, orig, reg, _ in changes:
        inside = sorted(span for span in pieces if s <= span[0] and span[1] <= e)
        if len(inside) != sum(1 for a, b in pieces if a < e and b > s):
            return False  # cuts across an earlier change's span
        parts = [pieces.pop(span) for span in inside]
        now, changed = "".join(p[0] for p in parts), any(p[1] for p in parts)
        if not (orig in now if changed else orig == now):
            return False
        pieces[(s, e)] = (now.replace(orig, reg, 1), True)
    return True


_TOKEN_ATTRS = frozenset({"type", "norm", "lemma"})
_NO_ATTRS: dict[str, str] = {}  # never written to


class _Body:
    """One pass over ``<body>``: the text, the offsets of every id, tokens (with their lexemes, shared per word
    form as the pipeline shares them), sentences, paragraphs and inline mentions."""

    def __init__(self, path: str, changes: dict[str, tuple], stem_lemma: bool = True):
        self.path = path
        self.stem_lemma = stem_lemma  # a missing @lemma is values.default_lemma (declared), else the text
        self.parts: list[str] = []
        self.ids: dict[str, tuple[int, int]] = {}
        self.tokens: list[Token] = []
        self.token_ids: list[str | None] = []
        self.sentences: list[Span] = []
        self.paragraphs: list[Span] = []
        self.inline: list[tuple[etree._Element, int, int]] = []
        self.fragment: list | None = None  # an open <w part="I"> token: [start, element, segs, attrs, pieces]
        self.changes = changes  # token xml:id -> its normalisation changes as (start, end, orig, reg, kind)
        self.applied = 0
        self.cache: dict[tuple, Lexeme] = {}
        self.plain_w: dict[str, Lexeme] = {}  # word forms with no attributes, segments or changes
        self.plain_pc: dict[str, Lexeme] = {}
        #: (start, end, role, form) -> its Segment, made once: a book's ~10^4 segmented forms repeat a few hundred
        #: (immutable, so shared like the lexemes)
        self.segment_of: dict[tuple, Segment] = {}

    def walk(self, el: etree._Element, pos: int) -> int:
        """Children of ``el`` in order, with the text between them; returns the offset after ``el``'s content.
        A plain token costs a handful of lxml calls: its attributes come as one list (the xml:id first, as
        nuskha writes it) and the rest, with its text, segments and changes, is the key of its word form."""
        append = self.parts.append
        ids = self.ids
        tokens = self.tokens
        token_ids = self.token_ids
        changes = self.changes
        cache = self.cache
        plain_w, plain_pc = self.plain_w, self.plain_pc
        empty = ()
        for c in el:
            tag = c.tag
            if tag == _W or tag == _PC:
                attrs = c.items()
                if attrs and attrs[0][0] == XML_ID:
                    xid = attrs[0][1]
                    rest = tuple(attrs[1:]) if len(attrs) > 1 else empty
                else:
                    xid = c.get(XML_ID)
                    rest = tuple(a for a in attrs if a[0] != XML_ID)
                if rest and rest[0][0] == "part":
                    pos = self.fragment_part(c, rest, pos)
                else:
                    if len(c):
                        text, segs = self.word_children(c, pos, implicit=True)
                    else:
                        text, segs = c.text, empty
                    if not text:
                        raise _error(c, "an empty token", self.path)
                    end = pos + len(text)
                    append(text)
                    ch = empty
                    if xid is not None:
                        if xid in ids:
                            raise _error(c, f"xml:id {xid!r} is used twice", self.path)
                        ids[xid] = (pos, end)
                        ch = changes.get(xid, empty)
                        if ch:
                            self.applied += 1
                    if rest or segs or ch:
                        key = (text, _W if tag == _W else _PC, rest, segs, ch)  # constants: their hash is cached
                        lex = cache.get(key)
                        if lex is None:
                            lex = cache[key] = self.lexeme(key, c)
                    else:  # most tokens: a bare word or punctuation, its text the whole key
                        plain = plain_w if tag == _W else plain_pc
                        lex = plain.get(text)
                        if lex is None:
                            lex = plain[text] = self.lexeme((text, tag, (), (), ()), c)
                    tokens.append(Token(pos, end, lex))
                    token_ids.append(xid)
                    pos = end
            elif tag == _S or tag == _P:
                start = pos
                if c.text:
                    append(c.text)
                    pos += len(c.text)
                pos = self.walk(c, pos)
                if c.get("type") != SYNTHETIC:
                    (self.sentences if tag == _S else self.paragraphs).append(Span(start, pos, tag[-1]))
                self._id(c, start, pos)
            elif isinstance(tag, str):
                start = pos
                if c.text:
                    append(c.text)
                    pos += len(c.text)
                pos = self.walk(c, pos)
                self._id(c, start, pos)
                if tag in _MENTION_TAGS and c.get(XML_ID):
                    self.inline.append((c, start, pos))
            tail = c.tail
            if tail:
                append(tail)
                pos += len(tail)
        return pos

    def _id(self, el: etree._Element, start: int, end: int) -> None:
        xid = el.get(XML_ID)
        if xid is not None:
            if xid in self.ids:
                raise _error(el, f"xml:id {xid!r} is used twice", self.path)
            self.ids[xid] = (start, end)

    def lexeme(self, key: tuple, el: etree._Element) -> Lexeme:
        """A new word form, checked: known attributes only, segments and changes inside the word, every
        change's ``orig`` the text it points at."""
        surface, tag, attrs, segs, changes = key
        values = dict(attrs) if attrs else _NO_ATTRS
        unknown = values.keys() - _TOKEN_ATTRS
        if unknown:
            raise _error(el, f"attribute(s) {', '.join(sorted(unknown))} on a token are not nuskha TEI", self.path)
        local = "pc" if tag == _PC else "w"
        typ = values.get("type")
        kind = KIND_OF.get((local, typ)) or (typ if local == "w" and typ else PUNCT if local == "pc" else WORD)
        segments = []
        segment_of = self.segment_of
        for sg in segs:
            if sg[1] > len(surface):
                raise _error(el, "a segment reaches past its word", self.path)
            seg = segment_of.get(sg)
            if seg is None:
                seg = segment_of[sg] = Segment(*sg)
            segments.append(seg)
        out = []
        chained = None
        for s, e, orig, reg, kind_ in changes:
            if e > len(surface) or s >= e:
                raise _error(el, f"a normalisation string-range ({s},{e - s}) reaches past the word {surface!r}",
                             self.path)
            if surface[s:e] != orig:
                chained = _replays(surface, changes) if chained is None else chained
                if not chained:
                    raise _error(el, f"a normalisation's <orig>{orig}</orig> is not the text it points at "
                                 f"({surface[s:e]!r})", self.path)
            out.append(Change(s, e, orig, reg, kind_))
        norm = values.get("norm", surface)
        lemma = values.get("lemma")
        if lemma is None:
            lemma = default_lemma(surface, norm, segments) if self.stem_lemma else surface
        return Lexeme(surface, kind, norm, lemma, tuple(segments), tuple(out))

    def word_children(self, el: etree._Element, start: int, implicit: bool, offset: int = 0) -> tuple[str, tuple]:
        """A word's text and its segments: ``<m>`` children, bare text (the stem, when ``implicit`` and the word
        has ``<m>`` children), ``<seg>`` parts and gaps. Ids of parts are recorded at absolute offsets."""
        pieces: list[str] = []
        segs: list[tuple] = []  # (start, end, role, form): hashed cheaply as a cache key
        bare: list[tuple[int, int]] = []
        pos = offset
        text = el.text
        if text:
            pieces.append(text)
            bare.append((pos, pos + len(text)))
            pos += len(text)
        has_m = False
        for c in el:
            tag = c.tag
            if isinstance(tag, str):
                if len(c):
                    raise _error(c, "nested markup inside a word part is not nuskha TEI", self.path)
                piece = c.text or ""
                attrs = dict(c.items())
                if tag == _M:
                    has_m = True
                    role = attrs.get("type")
                    if not role:
                        raise _error(c, "a morphological segment without @type", self.path)
                    segs.append((pos, pos + len(piece), role, attrs.get("baseForm")))
                elif tag != _SEG:
                    raise _error(c, "only <m> and <seg> may stand inside a nuskha word", self.path)
                elif attrs.get("type") not in (None, GAP):
                    raise _error(c, f"<seg type={attrs.get('type')!r}> inside a word", self.path)
                xid = attrs.get(XML_ID)
                if xid is not None:
                    if xid in self.ids:
                        raise _error(c, f"xml:id {xid!r} is used twice", self.path)
                    self.ids[xid] = (start + pos - offset, start + pos - offset + len(piece))
                pieces.append(piece)
                pos += len(piece)
            tail = c.tail
            if tail:
                pieces.append(tail)
                bare.append((pos, pos + len(tail)))
                pos += len(tail)
        if implicit and has_m and bare:
            if len(bare) > 1:
                raise _error(el, "a segmented word has its stem in more than one piece", self.path)
            segs.append((bare[0][0], bare[0][1], "stem", None))
            segs.sort()
        return "".join(pieces), tuple(segs)

    def fragment_part(self, el: etree._Element, rest: tuple, pos: int) -> int:
        """``<w part="I|M|F">``: fragments of one token around an inline mention's edge, joined here."""
        part = rest[0][1]
        if part == "I":
            if self.fragment is not None:
                raise _error(el, "a word fragment part=\"I\" before the last one was finished", self.path)
            self.fragment = [pos, el, [], rest[1:], []]
        elif part in ("M", "F"):
            if self.fragment is None:
                raise _error(el, f"word fragment part={part} without an initial part", self.path)
        else:
            raise _error(el, f"part={part!r} is not I, M or F", self.path)
        s0, first, all_segs, attrs, pieces = self.fragment
        text, segs = self.word_children(el, pos, implicit=False, offset=pos - s0)
        all_segs.extend(segs)
        pieces.append(text)
        self.parts.append(text)
        self._id(el, pos, pos + len(text))
        pos += len(text)
        if part == "F":
            self.fragment = None
            key = ("".join(pieces), first.tag, tuple(attrs), tuple(all_segs), ())
            lex = self.cache.get(key)
            if lex is None:
                lex = self.cache[key] = self.lexeme(key, first)
            self.tokens.append(Token(s0, pos, lex))
            self.token_ids.append(None)
        return pos


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
            if (rs.get(XML_ID) or "").startswith(("src.", "ed."))}


def _kind_names(root: etree._Element) -> dict[str, str]:
    """Normalisation category id -> kind (``norm.alef`` -> ``alef``)."""
    return {c.get(XML_ID): c.get("n") or c.get(XML_ID)[5:] for c in root.iter(T + "category")
            if (c.get(XML_ID) or "").startswith("norm.")}


def _declares_lemma_default(root: etree._Element) -> bool:
    """Whether the header states :func:`.values.default_lemma` for ``<w>`` (files before it: lemma = text)."""
    return root.find(f"{T}teiHeader/{T}encodingDesc/{T}tagsDecl/{T}namespace/{T}tagUsage[@gi='w']") is not None


def _meta(tei: etree._Element, path: str) -> tuple[str, dict[str, Any]]:
    header = tei.find(T + "teiHeader")
    doc_id = header.findtext(f".//{T}publicationStmt/{T}idno[@type='nuskha']") if header is not None else None
    xeno = header.find(f"{T}xenoData[@n='nuskha-meta']") if header is not None else None
    meta: dict[str, Any] = {}
    if xeno is not None and xeno.text:
        try:
            meta = json.loads(xeno.text)
        except json.JSONDecodeError as exc:
            raise _error(xeno, f"the metadata is not JSON: {exc.msg}", path) from None
        if not isinstance(meta, dict):
            raise _error(xeno, "the metadata is not a JSON object", path)
    elif header is not None:
        title = header.findtext(f".//{T}titleStmt/{T}title")
        if title:
            meta["title"] = title
    return doc_id or "doc", meta


def ref_from_attr(value: str | None) -> str | None:
    """A mention's model ref from its @ref: ``nuskha:otrar`` -> ``otrar``, ``new:x`` stays, ``#otrar`` (older
    files) -> ``otrar``, the full URIs of :mod:`nuskha.uris` -> the same; other URIs are kept as they are."""
    if not value:
        return None
    first = value.split(None, 1)[0] if " " in value else value.strip()
    if not first:
        return None
    if first.startswith("nuskha:"):
        return first[7:]
    if first.startswith("#"):
        return first[1:]
    from ..uris import BASE

    if first.startswith(BASE + "authority/"):
        return first[len(BASE) + 10:]
    if first.startswith(BASE + "new/"):
        return "new:" + first[len(BASE) + 4:]
    return first


_RANGES = re.compile(r"#string-range\(id\('([^']+)'\),(\d+),(\d+)\)")


class _Reader:
    """Reads one nuskha ``<TEI>`` element into a :class:`Document`."""

    def __init__(self, tei: etree._Element, path: str, sources: dict[str, str], kinds: dict[str, str],
                 stem_lemma: bool = True):
        self.tei, self.path, self.sources, self.kinds = tei, path, sources, kinds
        self.stem_lemma = stem_lemma
        self._resp: dict[str | None, tuple[str, str | None]] = {}  # @resp -> (source, editor), read once each
        self._refs: dict[str | None, str | None] = {}  # @ref -> the model's ref
        #: standOff name mentions already cut out by :mod:`.scan` (not in the tree):
        #: (xml:id, target, resp, cert, note type, element name, ref, text) -- see :meth:`_scanned`
        self.scanned_mentions: list[tuple] | None = None
        #: normalisation spans already cut out by :mod:`.scan` (not in the tree): (target, ana, orig, reg)
        self.scanned_changes: list[tuple[str, str, str, str]] | None = None
        self.change_span: dict[str, etree._Element] = {}  # token id -> the first span changing it (errors)

    def read(self, scan=None) -> tuple[Document, dict[str, tuple[int, int]], str]:
        """The document, the offsets of every id, and the id prefix. ``scan``: a function of the normalisation
        changes by token id that returns the body already read (:mod:`.scan`), instead of walking ``<body>``."""
        tei, path = self.tei, self.path
        doc_id, meta = _meta(tei, path)
        text_el = tei.find(T + "text")
        body_el = text_el.find(T + "body") if text_el is not None else None
        if body_el is None:
            raise _error(tei, "TEI without text/body", path)
        lang = text_el.get(XML_LANG) or tei.get(XML_LANG) or meta.get("language") or "und"
        stand_off = tei.find(T + "standOff")
        by_token, other = self._changes(stand_off)
        if scan is not None:
            body = scan(by_token, self.stem_lemma)
        else:
            body = _Body(path, by_token, self.stem_lemma)
            pos = 0
            if body_el.text:
                body.parts.append(body_el.text)
                pos = len(body_el.text)
            pos = body.walk(body_el, pos)
            if body.fragment is not None:
                raise _error(body.fragment[1], "a word fragment without its final part=\"F\"", path)
            body._id(body_el, 0, pos)
        text = "".join(body.parts)
        if body.applied != len(by_token):  # some string-range names an id that is not a token's
            tokens_with_ids = set(body.token_ids)
            for tid, changes in by_token.items():
                if tid not in tokens_with_ids:
                    span = self.change_span[tid]
                    if tid not in body.ids:
                        raise _error(span, f"string-range points at unknown id {tid!r}", path)
                    other += [(span, f"#string-range(id('{tid}'),{s},{e - s})", o, r, k) for s, e, o, r, k in
                              changes]
        self._apply_other(other, body, text)
        prefix = (body_el.get(XML_ID) or "body")[:-4]  # "" alone, "{doc}." in a corpus
        mentions, corrections = self._mentions(stand_off, body, text, prefix)
        doc = Document(id=doc_id, lang=lang, text=text, meta=meta, tokens=body.tokens, sentences=body.sentences,
                       paragraphs=body.paragraphs, mentions=mentions, corrections=corrections)
        return doc, body.ids, prefix

    def _changes(self, stand_off) -> tuple[dict[str, tuple], list]:
        """Normalisation changes: token id -> (start, end, orig, reg, kind[, span]) in file order, for
        ``string-range(id('w7'),0,1)`` pointers (what nuskha writes); other pointers as (span, pointer, orig, reg,
        kind), resolved after the body is read."""
        by_token: dict[str, list] = {}
        other: list = []
        if stand_off is None:
            return {}, other
        if self.scanned_changes is not None:  # in file order, as the tree gives them
            for target, ana, orig, reg in self.scanned_changes:
                kind = self.kinds.get(ana.lstrip("#"))
                if not kind:
                    raise _error(stand_off, f"normalisation kind unknown: ana={ana!r} names no category", self.path)
                self._change(stand_off, target, kind, orig, reg, by_token, other)
        for span in stand_off.iterfind(f"{T}spanGrp[@type='normalization']/{T}span"):
            ana = (span.get("ana") or "").lstrip("#")
            kind = span.get("n") or self.kinds.get(ana)
            if not kind:
                raise _error(span, f"normalisation kind unknown: ana={span.get('ana')!r} names no category",
                             self.path)
            orig = span.findtext(f"{T}choice/{T}orig")
            reg = span.findtext(f"{T}choice/{T}reg")
            if orig is None or reg is None:
                raise _error(span, "a normalisation needs <choice><orig/><reg/></choice>", self.path)
            self._change(span, span.get("target") or "", kind, orig, reg, by_token, other)
        return {tid: tuple(lst) for tid, lst in by_token.items()}, other

    def _change(self, span: etree._Element, target: str, kind: str, orig: str, reg: str,
                by_token: dict[str, list], other: list) -> None:
        """One normalisation span of :meth:`_changes`: its changes by token, or its other pointers."""
        pointers = _RANGES.findall(target)
        if len(pointers) == len(target.split()) and pointers:
            made: dict[tuple, tuple] = {}  # one change tuple per (offset, length): a span repeats one change
            for ref, off, length in pointers:
                change = made.get((off, length))
                if change is None:
                    start = int(off)
                    change = made[(off, length)] = (start, start + int(length), orig, reg, kind)
                lst = by_token.get(ref)
                if lst is None:
                    by_token[ref] = [change]
                    self.change_span[ref] = span
                else:
                    lst.append(change)
        else:
            if not target.split():
                raise _error(span, "a normalisation without @target", self.path)
            other += [(span, ptr, orig, reg, kind) for ptr in target.split()]

    def _apply_other(self, other: list, body: _Body, text: str) -> None:
        """Changes given by other pointers (a body range in inline mode): added to their token's lexeme."""
        if not other:
            return
        starts = [t.start for t in body.tokens]
        for span, ptr, orig, reg, kind in other:
            try:
                s, e = resolve(ptr, body.ids)
            except XMLError as exc:
                raise _error(span, exc.message, self.path) from None
            i = bisect_right(starts, s) - 1
            if i < 0 or e > body.tokens[i].end:
                raise _error(span, f"a normalisation at {s}-{e} is not inside one token", self.path)
            tok = body.tokens[i]
            lex = tok.lex
            change = (s - tok.start, e - tok.start, orig, reg, kind)
            old = tuple((c.start, c.end, c.orig, c.reg, c.kind) for c in lex.changes)
            key = ("other", lex, old + (change,))
            new = body.cache.get(key)
            if new is None:
                checked = body.lexeme((lex.text, "", (), (), (change,)), span).changes  # checks orig
                new = body.cache[key] = Lexeme(lex.text, lex.kind, lex.norm, lex.lemma, lex.segments,
                                               lex.changes + checked)
            tok.lex = new

    def _mention_no(self, el: etree._Element, mid: str, prefix: str) -> int:
        digits = mid[len(prefix) + 1:]
        if digits.isascii() and digits.isdigit() and digits[0] != "0" and mid.startswith(prefix + "m"):
            return int(digits)  # what nuskha writes; the expression below says the same, slower
        m = re.fullmatch(r"m([1-9][0-9]*)", mid[len(prefix):]) if mid.startswith(prefix) else None
        if m is None:
            raise _error(el, f"mention id {mid!r} is not {prefix}m<N>: reading it would lose or reorder mentions",
                         self.path)
        return int(m.group(1))

    def _mentions(self, stand_off, body: _Body, text: str, prefix: str) -> tuple[list[Mention], list[Correction]]:
        path = self.path
        by_no: dict[int, Mention] = {}
        rests: dict[str, dict[str, Any]] = {}
        comments: dict[str, str] = {}
        carriers: dict[str, etree._Element] = {}  # inline mention id -> annotation holding its resp/cert
        histories: dict[str, Any] = {}  # mention id -> its curation history
        corrections: list[Correction] = []
        inline_ids = {el.get(XML_ID) for el, _, _ in body.inline}

        def add(no: int, m: Mention, el: etree._Element) -> None:
            if no in by_no:
                raise _error(el, f"a second mention numbered {no}: reading it would lose one", path)
            by_no[no] = m

        scanned = self.scanned_mentions
        if scanned:  # resolved before any mention id joins body.ids, as the tree reading has them in file order
            spans = [resolve(target, body.ids) for _, target, *_ in scanned]
        if stand_off is not None:
            for ann in stand_off.iterfind(f"{T}listAnnotation[@type='mentions']/{T}annotation"):
                aid = ann.get(XML_ID) or ""
                notes = [n for n in ann if n.tag == _NOTE]
                types = [n.get("type") for n in notes]
                comment = (notes[types.index("comment")].text or "") if "comment" in types else None
                history_note = notes[types.index("history")] if "history" in types else None
                if history_note is not None:  # curation provenance (nuskha.curation)
                    fs = [c for c in history_note if isinstance(c.tag, str)]
                    if len(fs) != 1:
                        raise _error(ann, "a history note holds one feature structure <fs>", path)
                    try:
                        histories[aid[:-5] if aid.endswith(".rest") else aid] = read_feature_node(fs[0], "")
                    except XMLError as exc:
                        raise _error(fs[0], exc.message.removeprefix(": "), path) from None
                if aid.endswith(".rest"):  # the leftovers of an inline mention
                    target = (ann.get("target") or "").lstrip("#")
                    if target not in inline_ids or target != aid[:-5]:
                        raise _error(ann, f"points at {ann.get('target')!r}, which is no inline mention", path)
                    if ann.get("cert") is not None:
                        carriers[target] = ann
                    value_note = next((n for n in notes if n.get("type") == "value"), None)
                    if value_note is not None:
                        rests[target] = self._rest(value_note, ann)
                    if comment is not None:
                        comments[target] = comment
                    continue
                no = self._mention_no(ann, aid, prefix)
                k = next((k for k, t in enumerate(types) if t not in ("value", "comment", "history")), None)
                note = notes[k] if k is not None else None
                if note is None or not len(note) or not isinstance(note[0].tag, str):
                    raise _error(ann, "a mention annotation without a typed <note> holding its element", path)
                try:
                    s, e = resolve(ann.get("target") or "", body.ids)
                except XMLError as exc:
                    raise _error(ann, exc.message, path) from None
                el = note[0]
                fs = [c for c in note[1:] if isinstance(c.tag, str)] if len(note) > 1 else None
                rest = self._rest_of(fs, ann) if fs else None
                if "value" in types:
                    raise _error(ann, "a <note type=\"value\"> outside an inline mention's .rest annotation", path)
                written = "".join(el.itertext()) if len(el) else (el.text or "")
                if written != text[s:e]:
                    raise _error(ann, f"the mention text {written!r} is not the text its target points at "
                                 f"({text[s:e]!r})", path)
                add(no, self._mention(el, types[k], s, e, text, ann, rest, comment), ann)
                if scanned is not None and aid in body.ids:
                    raise _error(ann, f"mention id {aid!r} is another element's id", path)  # the tree decides
                body.ids[aid] = (s, e)  # alignment links of a teiCorpus point at mentions
            if scanned:
                self._scanned(scanned, spans, body.ids, text, add, stand_off, prefix)
            for span in stand_off.iterfind(f"{T}spanGrp[@type='correction']/{T}span"):
                try:
                    s, e = resolve(span.get("target") or "", body.ids)
                except XMLError as exc:
                    raise _error(span, exc.message, path) from None
                sic = span.findtext(f"{T}choice/{T}sic")
                corr = span.findtext(f"{T}choice/{T}corr")
                if sic is None or corr is None:
                    raise _error(span, "a correction needs <choice><sic/><corr/></choice>", path)
                corrections.append(Correction(s, e, sic, corr, span.get("n") or ""))
        for el, s, e in body.inline:
            mid = el.get(XML_ID)
            tag = etree.QName(el).localname
            no = self._mention_no(el, mid, prefix)
            if s >= e:
                raise _error(el, "an inline mention around no text", path)
            typ = TYPE_OF_NAME.get(tag) or ("date" if tag == "date" else "troops" if tag == "measure"
                                            else el.get("type") or "name")
            add(no, self._mention(el, typ, s, e, text, carriers.get(mid, el), rests.get(mid), comments.get(mid)),
                el)
        for mid, past in histories.items():
            no = self._mention_no(stand_off, mid, prefix)
            if no in by_no:
                by_no[no].history = past
        return [by_no[k] for k in sorted(by_no)], corrections

    def _scanned(self, scanned: list[tuple], spans: list[tuple[int, int]], ids: dict[str, tuple[int, int]],
                 text: str, add, where: etree._Element, prefix: str) -> None:
        """The name mentions :mod:`.scan` cut out of the standOff, read as :meth:`_mentions` reads their
        elements. Any doubt is an error, and the scan then gives way to the tree reading (which names it)."""
        for (aid, target, raw_resp, raw_cert, typ, tag, raw_ref, written), (s, e) in zip(scanned, spans):
            if written != text[s:e] or aid in ids or typ in ("value", "comment", "history") or "#m" in target:
                raise _error(where, f"mention {aid!r} is not read by the scan", self.path)
            cert = 1.0
            if raw_cert is not None and raw_cert not in CERT_WORDS:
                try:
                    cert = float(raw_cert)
                except ValueError:
                    cert = -1.0
                if not 0.0 <= cert <= 1.0:
                    raise _error(where, f"mention {aid!r} has cert={raw_cert!r}", self.path)
            add(self._mention_no(where, aid, prefix), self._made(s, e, text, typ, None, raw_resp, raw_ref, cert, None),
                where)
            ids[aid] = (s, e)

    def _rest(self, note: etree._Element, ann: etree._Element) -> dict[str, Any]:
        children = [c for c in note if isinstance(c.tag, str)]
        if not children:
            raise _error(ann, "a value note must hold a feature structure <fs> (nuskha writes no JSON here)",
                         self.path)
        return self._rest_of(children, ann)

    def _rest_of(self, children: list, ann: etree._Element) -> dict[str, Any]:
        if len(children) != 1:
            raise _error(ann, "a mention element may be followed by one value <fs> only", self.path)
        try:
            return read_rest(children[0], "")
        except XMLError as exc:
            raise _error(children[0], exc.message.removeprefix(": "), self.path) from None

    def _mention(self, el: etree._Element, typ: str | None, start: int, end: int, text: str,
                 carrier: etree._Element, rest: dict[str, Any] | None, comment: str | None) -> Mention:
        tag = el.tag[len(T):] if el.tag.startswith(T) else etree.QName(el).localname
        if tag == "date":
            value = date_value(el.attrib, [c.attrib for c in el if c.tag == T + "date"])
        elif tag == "measure":
            value = measure_value(el.attrib)
            if el.get("quantity") is not None and value["quantity"] is None:
                raise _error(el, f"quantity={el.get('quantity')!r} is not a number", self.path)
        elif tag in TYPE_OF_NAME or tag == "name":
            value = None
        else:
            raise _error(el, "not a mention element (persName, placeName, orgName, name, date, measure)", self.path)
        if not typ:
            raise _error(el, "a mention without a type", self.path)
        return self._made(start, end, text, typ, apply_rest(value, rest), carrier.get("resp"), el.get("ref"),
                          _cert(carrier, self.path), comment)

    def _made(self, start: int, end: int, text: str, typ: str, value: Any, raw_resp: str | None,
              raw_ref: str | None, cert: float, comment: str | None) -> Mention:
        """The mention, its source and editor read from ``@resp`` and its ref from ``@ref`` (once per value)."""
        who = self._resp.get(raw_resp)
        if who is None:
            resp, *editors = (raw_resp or "").split() or [""]
            resp = resp.lstrip("#")
            source = self.sources.get(resp, resp.removeprefix("src.")) if resp else ""
            # a curated mention's second pointer names its editor (nuskha.curation)
            editor = next((self.sources.get(e.lstrip("#"), e.lstrip("#").removeprefix("ed.")) for e in editors
                           if e.startswith("#ed.")), None)
            who = self._resp[raw_resp] = (source, editor)
        source, editor = who
        ref = self._refs.get(raw_ref, self)
        if ref is self:
            ref = self._refs[raw_ref] = ref_from_attr(raw_ref)
        m = Mention(start, end, text[start:end], typ, ref, value, source, cert, comment)
        if editor is not None:
            m.editor = editor
        return m


def _links(stand_off: etree._Element | None, global_ids: dict[str, tuple[str, int, int]], path: str) -> list[Link]:
    links: list[Link] = []
    if stand_off is None:
        return links
    for link in stand_off.iterfind(f"{T}linkGrp[@type='alignment']/{T}link"):
        members = []
        for part in (link.get("target") or "").split():
            if "string-range" in part:
                m = _RANGE.fullmatch(part)
                ref = (m.group(1) or m.group(2) or m.group(3).lstrip("#")) if m else None
                if ref not in global_ids:
                    raise _error(link, f"alignment link pointer {part!r} is malformed or points at an unknown id",
                                 path)
                doc_id, s, e = global_ids[ref]
                start = s + int(m.group(4))
                if int(m.group(5)) == 0 or start + int(m.group(5)) > e:
                    raise _error(link, f"string-range {part!r} reaches past the end of {ref!r}", path)
                members.append((doc_id, start, start + int(m.group(5))))
                continue
            key = part.lstrip("#")
            if key not in global_ids:
                raise _error(link, f"alignment link points at unknown id {part!r}", path)
            members.append(global_ids[key])
        links.append(Link(link.get("n", ""), _cert(link, path), link.get("type", ""), tuple(members)))
    return links


def read_tree(tree: etree._ElementTree, path: str = "<tei>", lang: str | None = None) -> TeiContent:
    """Documents (and links) of a parsed TEI tree (see :func:`read_tei`)."""
    root = tree.getroot()
    name = etree.QName(root)
    if name.namespace != TEI_NS or name.localname not in ("TEI", "teiCorpus"):
        raise XMLError(f"not TEI: root element is <{name.localname}>", path, f"{root.sourceline}:1")
    if not _is_nuskha(root):
        return TeiContent(import_foreign(root, path, lang))
    with gc_paused():
        return _read_nuskha(root, name.localname, path)


def _read_nuskha(root: etree._Element, kind: str, path: str) -> TeiContent:
    sources = _source_names(root)
    kinds = _kind_names(root)
    stem_lemma = _declares_lemma_default(root)
    if kind == "TEI":
        return TeiContent([_Reader(root, path, sources, kinds, stem_lemma).read()[0]])
    docs = []
    global_ids: dict[str, tuple[str, int, int]] = {}
    for tei in root.iterfind(T + "TEI"):
        doc, ids, _ = _Reader(tei, path, sources, kinds, stem_lemma).read()
        docs.append(doc)
        for nid, (s, e) in ids.items():
            global_ids[nid] = (doc.id, s, e)
    return TeiContent(docs, _links(root.find(T + "standOff"), global_ids, path))


def read_bytes(data: bytes, path: str = "<tei>", lang: str | None = None) -> TeiContent:
    """Documents (and links) of TEI bytes. nuskha's own TEI, as nuskha writes it, has its body read by one regex
    scan (:mod:`.scan`, five times faster than walking the tree) and only its header and standOff parsed by
    libxml2; anything the scan does not recognise -- a file edited by hand, inline mentions, a corpus, other
    tools' TEI -- is parsed whole and read from the tree, which gives the same documents and the errors."""
    from .scan import NotScanned, scan_tei

    payload = checked_payload(data, path)  # size limit, encoding, no DTD or entity: before any parse
    with gc_paused():
        try:
            return scan_tei(payload, path)
        except NotScanned:
            pass
    return read_tree(parse_payload(payload, path), path, lang)


def read_tei(path: str | os.PathLike, lang: str | None = None) -> TeiContent:
    """Documents (and links) of a TEI file: nuskha's own TEI exactly, other TEI through its inline names."""
    return read_bytes(read_xml_bytes(path), str(path), lang)


def read_document(path: str | os.PathLike, lang: str | None = None) -> Document:
    """The one document of a TEI file (:class:`XMLError` for a corpus)."""
    docs = read_tei(path, lang).documents
    if len(docs) != 1:
        raise XMLError(f"{len(docs)} documents in the file; use read_tei for a corpus", str(path))
    return docs[0]


# --- other tools' TEI ------------------------------------------------------------------------------------------

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
    """Every element under ``el`` with its character offsets in the string value of ``el`` (any TEI)."""
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
            if s == e:
                continue
            if typ == "date":
                value = date_value(el.attrib, [c.attrib for c in el if c.tag == T + "date"])
            elif typ == "troops":
                value = measure_value(el.attrib)
            else:
                value = None
            ref = el.get("ref") or el.get("key")
            ref = ref_from_attr(ref) if ref else None
            doc.mentions.append(Mention(s, e, w.text[s:e], typ, ref, value, "tei", 1.0))
        doc.mentions.sort(key=lambda m: (m.start, -m.end, m.type))
        docs.append(doc)
    return docs
