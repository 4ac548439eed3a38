"""Documents to TEI P5: tokens inline, everything interpretive in ``<standOff>``.

Layout of one document (``{d}`` is the document id made into an XML name)::

    <TEI xmlns="http://www.tei-c.org/ns/1.0">
      <teiHeader> title, source, notes, langUsage, calendarDesc (#hijri, #julian), appInfo (nuskha version),
                  rendition #rtl (CSS), xenoData (the metadata sidecar as JSON, for a lossless read-back)
      <text xml:lang="ar" rendition="#rtl" xml:space="preserve"><body xml:id="{d}.body">
        <p xml:id="{d}.p1"><s xml:id="{d}.s1"><w xml:id="{d}.w1">كان</w> <w ...>...</w></s> ...</p>
      </body></text>
      <standOff> listPerson/listPlace/listOrg (authority records the text mentions, every variant with xml:lang,
                 idno type="wikidata"); listAnnotation type="mentions" (one <annotation> per mention, @target =
                 token ids, body <note> holding persName/placeName/orgName/date/measure with the value as TEI
                 attributes); spanGrp type="normalization" (<choice><orig/><reg/>) and type="correction"
                 (<choice><sic/><corr/>)
    </TEI>

Whitespace: the string value of ``<body>`` is the original text. Gaps between tokens, sentences and paragraphs
are written as text nodes exactly as they stand (``xml:space="preserve"`` on ``<text>``), and only the header and
the standOff are indented. ``\\r`` survives because the serialiser writes it as ``&#13;``.

Pointers: a range that starts or ends inside a token (Arabic proclitics: the mention بخارى inside وبخارى) splits
that token into ``<seg>`` parts -- ``<w xml:id="{d}.w40"><seg xml:id="{d}.w40.1">و</seg><seg
xml:id="{d}.w40.2">بخارى</seg></w>`` -- and points at the part. Morphological segments are ``<m type="role">``
children (``{d}.w40.m1``). A range no list of ids can express (starting in whitespace, inside an ``<m>`` or a
``<pc>``) becomes a TEI pointer ``#string-range(//*[@xml:id='{d}.body'],START,LENGTH)`` in characters of the
original. Normalisation changes inside a token point with ``string-range`` relative to the token.

``inline=True`` writes persName/placeName/orgName/date/measure around the tokens instead (for TEI Publisher,
EVT); a token cut by a mention becomes ``<w part="I">``/``<w part="F">`` fragments. Mentions that cannot nest
(crossing a sentence or another mention) stay in the standOff.

Streaming: the output is produced as byte chunks -- the header, then one ``<p>`` at a time, then one standOff
record at a time -- so a whole book never exists as one lxml tree (about 3 kB per token; the benchmark book's
371k tokens would need 1.1 GB). A ``teiCorpus`` puts its standOff (alignment links) before the documents, so it
serialises the documents first and keeps their bytes.
"""
from __future__ import annotations

import json
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator, Sequence

from lxml import etree

from .. import __version__
from ..authority import Authority, Record
from ..document import PUNCT, SYMBOL, Document, Lexeme, Link, Mention, Span, Token
from ..errors import OutputError
from ..io import write_atomic
from . import TEI_NS, XML_NS
from .values import TOKEN_ELEMENT, mention_element

T = "{%s}" % TEI_NS
XML_ID = "{%s}id" % XML_NS
XML_LANG = "{%s}lang" % XML_NS
XML_SPACE = "{%s}space" % XML_NS
NSMAP = {None: TEI_NS}
_XMLNS = b' xmlns="' + TEI_NS.encode() + b'"'
DECLARATION = b"<?xml version='1.0' encoding='UTF-8'?>\n"

LIST_ELEMENTS = {"person": ("listPerson", "person", "persName"), "place": ("listPlace", "place", "placeName"),
                 "group": ("listOrg", "org", "orgName")}
#: Authority variant column -> xml:lang of the name.
COLUMN_LANG = {"ar": "ar", "kk": "kk", "ru": "ru", "latn": "und-Latn"}
RTL_LANGS = frozenset({"ar", "fa", "ur", "he", "ps", "ckb", "ug"})
LANG_NAMES = {"ar": "Arabic", "kk": "Kazakh", "kk-Latn": "Kazakh (Latin script)", "ru": "Russian", "en": "English",
              "und-Latn": "Latin-script transliteration"}
SYNTHETIC = "synthetic"  # @type of a <p>/<s> the writer adds to hold tokens no paragraph/sentence covers
BODY_RANGE = "#string-range(//*[@xml:id='{id}'],{start},{length})"


def xml_name(text: str) -> str:
    """``text`` made into an NCName usable as an ``xml:id`` prefix (``000_x`` -> ``d000_x``)."""
    name = re.sub(r"[^\w.-]", "_", text)
    return name if name and (name[0].isalpha() or name[0] == "_") else "d" + name


def is_rtl(lang: str) -> bool:
    return lang.split("-")[0] in RTL_LANGS or "-Arab" in lang


# --- the body: paragraphs, sentences, tokens, parts -----------------------------------------------------------

class _Sink:
    """Appends elements and text to an element, keeping text in ``.text``/``.tail`` where lxml wants it."""

    __slots__ = ("el", "last")

    def __init__(self, el: etree._Element):
        self.el, self.last = el, None

    def text(self, s: str) -> None:
        if not s:
            return
        if self.last is None:
            self.el.text = (self.el.text or "") + s
        else:
            self.last.tail = (self.last.tail or "") + s

    def element(self, tag: str, **attrs: str) -> etree._Element:
        child = etree.SubElement(self.el, T + tag, **attrs)
        self.last = child
        return child


@dataclass
class _Block:
    start: int
    end: int
    synthetic: bool
    tokens: range = range(0)  # token indices directly inside (sentences) ...
    children: list["_Block"] = field(default_factory=list)  # ... or sentences (paragraphs), in order


def _nested(spans: Sequence[Span], starts: list[int], ends: list[int], lo: int, hi: int) -> list[tuple[Span, range]]:
    """The spans inside ``[lo, hi)`` that neither overlap each other nor cut a token, with their token ranges."""
    out: list[tuple[Span, range]] = []
    prev_end = lo
    for sp in sorted(spans, key=lambda s: (s.start, -s.end)):
        if sp.start < prev_end or sp.end > hi or sp.start >= sp.end:
            continue
        i, j = bisect_left(starts, sp.start), bisect_right(ends, sp.end)
        if (i > 0 and ends[i - 1] > sp.start) or (j < len(starts) and starts[j] < sp.end):
            continue  # a token straddles the span's edge
        out.append((sp, range(i, j)))
        prev_end = sp.end
    return out


def _layout(doc: Document) -> list[_Block]:
    """Paragraphs holding sentences holding tokens; tokens outside any sentence/paragraph get synthetic ones."""
    starts = [t.start for t in doc.tokens]
    ends = [t.end for t in doc.tokens]
    n = len(doc.tokens)
    paras = _nested(doc.paragraphs, starts, ends, 0, len(doc.text))
    sents = _nested(doc.sentences, starts, ends, 0, len(doc.text))

    sent_starts = [sp.start for sp, _ in sents]

    def sentence_blocks(lo_tok: int, hi_tok: int, lo: int, hi: int) -> list[_Block]:
        blocks: list[_Block] = []
        a, b = bisect_left(sent_starts, lo), bisect_left(sent_starts, hi)
        inside = [(sp, r) for sp, r in sents[a:b] if sp.end <= hi]
        k = lo_tok
        for sp, r in inside:
            if k < r.start:
                blocks.append(_Block(starts[k], ends[r.start - 1], True, range(k, r.start)))
            blocks.append(_Block(sp.start, sp.end, False, r))
            k = max(k, r.stop)
        if k < hi_tok:
            blocks.append(_Block(starts[k], ends[hi_tok - 1], True, range(k, hi_tok)))
        return blocks

    out: list[_Block] = []
    k = 0
    for sp, r in paras:
        if k < r.start:  # tokens before this paragraph that no paragraph holds
            lo, hi = starts[k], ends[r.start - 1]
            out.append(_Block(lo, hi, True, children=sentence_blocks(k, r.start, lo, hi)))
        out.append(_Block(sp.start, sp.end, False, children=sentence_blocks(r.start, r.stop, sp.start, sp.end)))
        k = max(k, r.stop)
    if k < n:
        lo, hi = starts[k], ends[n - 1]
        out.append(_Block(lo, hi, True, children=sentence_blocks(k, n, lo, hi)))
    return out


def _chain(first, rest):
    yield first
    yield from rest


def _segment_edges(t: Token) -> set[int]:
    """Absolute offsets where the token's morphological segments begin or end."""
    return {t.start + e for sg in t.lex.segments for e in (sg.start, sg.end)}


class DocumentWriter:
    """Writes one document; keeps the id of every token and token part so that ranges become pointers."""

    def __init__(self, doc: Document, known_refs: set[str] = frozenset(), inline: bool = False):
        self.doc = doc
        self.prefix = xml_name(doc.id)
        self.inline = inline
        self.known_refs = set(known_refs)
        self.starts = [t.start for t in doc.tokens]
        self.ends = [t.end for t in doc.tokens]
        self.token_ids: list[str] = []
        self.whole: list[bool] = []  # token written as one element carrying its id
        self.parts: dict[int, list[tuple[int, int, str]]] = {}  # token index -> addressable parts (abs offsets)
        self.mention_ids: dict[tuple[int, int], str] = {}
        self.inline_mentions: dict[int, Mention] = {}  # mention index -> mention written inline
        self._lex_cache: dict[int, tuple[Lexeme, tuple]] = {}

    @property
    def body_id(self) -> str:
        return f"{self.prefix}.body"

    # pointers ---------------------------------------------------------------------------------------------
    def body_range(self, start: int, end: int) -> str:
        return BODY_RANGE.format(id=self.body_id, start=start, length=end - start)

    def pointer(self, start: int, end: int) -> str:
        """``#id #id ...`` covering exactly ``[start, end)``, else a string-range over the body."""
        ids = self._ids(start, end)
        return " ".join("#" + i for i in ids) if ids else self.body_range(start, end)

    def _ids(self, start: int, end: int) -> list[str] | None:
        if start >= end:
            return None
        i = bisect_right(self.ends, start)  # first token ending after start
        ids: list[str] = []
        pos = start
        toks = self.doc.tokens
        while pos < end:
            if i >= len(toks):
                return None
            t = toks[i]
            if t.start > pos:  # whitespace: fine between units, not at either edge
                if not ids or t.start >= end:
                    return None
                pos = t.start
            if pos == t.start and t.end <= end and self.whole[i]:
                ids.append(self.token_ids[i])
                pos = t.end
                i += 1
                continue
            parts = self.parts.get(i)
            if not parts:
                return None
            for ps, pe, pid in parts:
                if pe <= pos:
                    continue
                if ps != pos or pe > end:
                    break
                ids.append(pid)
                pos = pe
                if pos >= end:
                    break
            if pos < t.end and pos < end:
                return None
            i += 1
        return ids if pos == end else None

    def token_range(self, i: int, start: int, end: int) -> str:
        """A pointer at ``[start, end)`` relative to token ``i`` (normalisation changes)."""
        t = self.doc.tokens[i]
        if start == 0 and end == t.end - t.start and self.whole[i]:
            return "#" + self.token_ids[i]
        if self.whole[i]:
            return BODY_RANGE.format(id=self.token_ids[i], start=start, length=end - start)
        return self.body_range(t.start + start, t.start + end)

    # body -------------------------------------------------------------------------------------------------
    def _cuts(self) -> dict[int, list[int]]:
        """Token index -> offsets strictly inside it where a mention, correction or link range begins or ends."""
        bounds: set[int] = set()
        for m in self.doc.mentions:
            bounds.update((m.start, m.end))
        for c in self.doc.corrections:
            bounds.update((c.start, c.end))
        cuts: dict[int, list[int]] = {}
        for b in sorted(bounds):
            i = bisect_right(self.starts, b) - 1
            if i >= 0 and self.starts[i] < b < self.ends[i]:
                cuts.setdefault(i, []).append(b)
        return cuts

    def _choose_inline(self, blocks: list[_Block], cuts: dict[int, list[int]]) -> None:
        """Mentions that nest inside one sentence without crossing another inline mention or a morph segment."""
        sentence_of: list[tuple[int, int]] = []
        for p in blocks:
            for s in p.children:
                sentence_of.append((s.start, s.end))
        s_starts = [s for s, _ in sentence_of]
        edge_set = {id(self.starts): set(self.starts), id(self.ends): set(self.ends)}
        taken_end = -1
        order = sorted(range(len(self.doc.mentions)),
                       key=lambda k: (self.doc.mentions[k].start, -self.doc.mentions[k].end))
        for k in order:
            m = self.doc.mentions[k]
            if m.start < taken_end:
                continue
            j = bisect_right(s_starts, m.start) - 1
            if j < 0 or m.end > sentence_of[j][1]:
                continue
            bad = False
            for b, edges in ((m.start, self.starts), (m.end, self.ends)):
                i = bisect_right(self.starts, b) - 1
                if i >= 0 and self.starts[i] < b < self.ends[i]:
                    t = self.doc.tokens[i]
                    if t.kind in (PUNCT, SYMBOL) or (t.lex.segments and b not in _segment_edges(t)):
                        bad = True
                elif b not in edge_set[id(edges)]:  # an edge in whitespace cannot bound an element of tokens
                    bad = True
            if not bad:
                self.inline_mentions[k] = m
                taken_end = m.end

    def iter_body(self) -> Iterator[str | etree._Element]:
        """The body as a stream: whitespace between paragraphs (str) and one ``<p>`` element at a time, so a
        300k-token book never lives as one lxml tree (which would cost about 3 kB per token)."""
        doc, p = self.doc, self.prefix
        self.token_ids = [f"{p}.{'pc' if TOKEN_ELEMENT.get(t.kind, ('w',))[0] == 'pc' else 'w'}{i + 1}"
                          for i, t in enumerate(doc.tokens)]
        self.whole = [True] * len(doc.tokens)
        blocks = _layout(doc)
        cuts = self._cuts()
        if self.inline:
            self._choose_inline(blocks, cuts)
        text = doc.text
        if not blocks:  # a text with no tokens at all: body needs one block
            p_el = etree.Element(T + "p", nsmap=NSMAP, type=SYNTHETIC)
            p_el.text = text
            yield p_el
            return
        pos = 0
        s_count = 0
        for pn, para in enumerate(blocks, 1):
            yield text[pos:para.start]
            p_el = etree.Element(T + "p", nsmap=NSMAP)
            p_el.set(XML_ID, f"{p}.p{pn}")
            if para.synthetic:
                p_el.set("type", SYNTHETIC)
            p_sink = _Sink(p_el)
            ppos = para.start
            for sent in para.children:
                s_count += 1
                p_sink.text(text[ppos:sent.start])
                s_el = p_sink.element("s")
                s_el.set(XML_ID, f"{p}.s{s_count}")
                if sent.synthetic:
                    s_el.set("type", SYNTHETIC)
                self._write_tokens(_Sink(s_el), sent, cuts)
                ppos = sent.end
            p_sink.text(text[ppos:para.end])
            pos = para.end
            yield p_el
        yield text[pos:]

    def text_chunks(self) -> Iterator[bytes]:
        """``<text ...><body ...>`` ... ``</body></text>`` serialised piece by piece."""
        attrs = {"xml:lang": self.doc.lang, "xml:space": "preserve"}
        if is_rtl(self.doc.lang):
            attrs["rendition"] = "#rtl"
        yield _start_tag("text", attrs) + _start_tag("body", {"xml:id": self.body_id})
        for piece in self.iter_body():
            yield _escape_text(piece) if isinstance(piece, str) else _serialise(piece)
        yield b"</body></text>"

    def _write_tokens(self, sink: _Sink, block: _Block, cuts: dict[int, list[int]]) -> None:
        text, toks = self.doc.text, self.doc.tokens
        by_start = {m.start: (k, m) for k, m in self.inline_mentions.items()}
        stack: list[tuple[_Sink, Mention, etree._Element, etree._Element | None]] = []  # open inline mention
        state = {"cur": sink}

        def close_at(at: int) -> None:
            if stack and stack[-1][1].end == at:
                outer, _, el, written = stack.pop()
                if written is not None:  # the written-date child goes after the tokens
                    el.append(written)
                state["cur"] = outer

        def open_at(at: int) -> None:
            if stack or at not in by_start:
                return
            k, m = by_start[at]
            cur = state["cur"]
            el, _ = mention_element(m, self.known_refs)
            el.text = None
            written = el.find(T + "date")
            if written is not None:
                el.remove(written)
            cur.el.append(el)
            cur.last = el
            mid = f"{self.prefix}.m{k + 1}"
            el.set(XML_ID, mid)
            self.mention_ids.setdefault((m.start, m.end), mid)
            if el.get("cert") is None:  # a measure's own @cert says "approximate": then see the .rest annotation
                if m.source:
                    el.set("resp", resp_pointers(m))
                el.set("cert", repr(float(m.cert)))
            stack.append((cur, m, el, written))
            state["cur"] = _Sink(el)

        pos = block.start
        for i in block.tokens:
            t = toks[i]
            state["cur"].text(text[pos:t.start])
            open_at(t.start)
            inner = cuts.get(i, [])
            frag = [b for b in inner if b in _segment_edges(t)] if t.lex.segments else inner
            if self.inline and frag and t.kind not in (PUNCT, SYMBOL):
                self._write_fragments(i, frag, close_at, open_at, state)
            else:
                self._write_token(state["cur"], i, inner)
            pos = t.end
            close_at(pos)
        state["cur"].text(text[pos:block.end])

    def _token_attrs(self, el: etree._Element, t: Token) -> None:
        for k, v in self._lex_layout(t)[1].items():
            el.set(k, v)

    def _lex_layout(self, t: Token) -> tuple[str, dict[str, str], tuple]:
        """Per lexeme (cached): element name, attributes, and the segments as (start, end, attrs) in order."""
        lex = t.lex
        cached = self._lex_cache.get(id(lex))
        if cached is not None and cached[0] is lex:
            return cached[1]
        tag, typ = TOKEN_ELEMENT.get(lex.kind, ("w", lex.kind))
        attrs = {}
        if typ:
            attrs["type"] = typ
        if lex.norm != lex.text:
            attrs["norm"] = lex.norm
        if lex.lemma != lex.text:
            attrs["lemma"] = lex.lemma
        segs = []
        pos = 0
        for sg in sorted(lex.segments, key=lambda sg: sg.start):
            if sg.start < pos or sg.end > len(lex.text):
                raise OutputError(f"overlapping or overlong segments in token {lex.text!r}", self.doc.id,
                                  f"offset {t.start}")
            m_attrs = {"type": sg.role}
            if sg.form and re.fullmatch(r"\S+", sg.form):
                m_attrs["baseForm"] = sg.form
            segs.append((sg.start, sg.end, m_attrs))
            pos = sg.end
        layout = (tag, attrs, tuple(segs))
        self._lex_cache[id(lex)] = (lex, layout)
        return layout

    def _write_token(self, sink: _Sink, i: int, inner: list[int]) -> None:
        t = self.doc.tokens[i]
        tag, attrs, segs = self._lex_layout(t)
        tid = self.token_ids[i]
        el = etree.SubElement(sink.el, T + tag, attrs)
        sink.last = el
        el.set(XML_ID, tid)
        text = t.lex.text
        if segs and tag == "w":
            parts: list[tuple[int, int, str]] = []
            pos = 0
            last = None
            for k, (ss, se, m_attrs) in enumerate(segs, 1):
                if ss > pos:
                    gap = text[pos:ss]
                    if last is None:
                        el.text = (el.text or "") + gap
                    else:
                        last.tail = gap
                mid = f"{tid}.m{k}"
                last = etree.SubElement(el, T + "m", m_attrs)
                last.set(XML_ID, mid)
                last.text = text[ss:se]
                parts.append((t.start + ss, t.start + se, mid))
                pos = se
            if pos < len(text):
                last.tail = text[pos:]
            self.parts[i] = parts
        elif inner and tag == "w":
            inner_sink = _Sink(el)
            bounds = [t.start, *inner, t.end]
            parts = []
            for k in range(len(bounds) - 1):
                pid = f"{tid}.{k + 1}"
                seg = inner_sink.element("seg")
                seg.set(XML_ID, pid)
                seg.text = self.doc.text[bounds[k]:bounds[k + 1]]
                parts.append((bounds[k], bounds[k + 1], pid))
            self.parts[i] = parts
        else:
            el.text = text

    def _write_fragments(self, i: int, inner: list[int], close_at, open_at, state: dict) -> None:
        """Inline mode: a token cut by mention edges becomes ``<w part="I|M|F">`` fragments (each holding the
        ``<m>`` segments that fall in it)."""
        t = self.doc.tokens[i]
        tid = self.token_ids[i]
        bounds = [t.start, *inner, t.end]
        frags = []
        self.whole[i] = False
        segs = sorted(t.lex.segments, key=lambda s: s.start)
        m_parts: list[tuple[int, int, str]] = []
        for k in range(len(bounds) - 1):
            if k:
                close_at(bounds[k])
                open_at(bounds[k])
            pid = f"{tid}.{k + 1}"
            el = state["cur"].element("w", part="I" if k == 0 else "F" if k == len(bounds) - 2 else "M")
            el.set(XML_ID, pid)
            if k == 0:
                self._token_attrs(el, t)
            lo, hi = bounds[k] - t.start, bounds[k + 1] - t.start
            if segs:
                inner_sink, pos = _Sink(el), lo
                for n, sg in enumerate(segs, 1):
                    if sg.start < lo or sg.end > hi:
                        continue
                    inner_sink.text(t.text[pos:sg.start])
                    m_el = inner_sink.element("m", type=sg.role)
                    m_el.set(XML_ID, f"{tid}.m{n}")
                    if sg.form and re.fullmatch(r"\S+", sg.form):
                        m_el.set("baseForm", sg.form)
                    m_el.text = t.text[sg.start:sg.end]
                    m_parts.append((t.start + sg.start, t.start + sg.end, f"{tid}.m{n}"))
                    pos = sg.end
                inner_sink.text(t.text[pos:hi])
            else:
                el.text = t.text[lo:hi]
            frags.append((bounds[k], bounds[k + 1], pid))
        self.parts[i] = m_parts if segs else frags

    # standOff ---------------------------------------------------------------------------------------------
    def _mention_items(self) -> Iterator[etree._Element]:
        """One ``<annotation>`` per standOff mention; for an inline mention, one holding what the inline element
        leaves out (value rest, comment, resp/cert when a measure's @cert is taken), so nothing is lost."""
        for k, m in enumerate(self.doc.mentions):
            el, rest = mention_element(m, self.known_refs)
            mid = f"{self.prefix}.m{k + 1}"
            if k in self.inline_mentions:
                own_cert = el.get("cert") is not None
                if rest is None and not m.note and not own_cert and not m.history:
                    continue
                ann = etree.Element(T + "annotation", nsmap=NSMAP, target="#" + mid)
                ann.set(XML_ID, mid + ".rest")
                if own_cert:
                    if m.source:
                        ann.set("resp", resp_pointers(m))
                    ann.set("cert", repr(float(m.cert)))
            else:
                self.mention_ids.setdefault((m.start, m.end), mid)
                ann = etree.Element(T + "annotation", nsmap=NSMAP, target=self.pointer(m.start, m.end))
                ann.set(XML_ID, mid)
                if m.source:
                    ann.set("resp", resp_pointers(m))
                ann.set("cert", repr(float(m.cert)))
                etree.SubElement(ann, T + "note", type=m.type).append(el)
            if rest is not None:
                etree.SubElement(ann, T + "note", type="value").text = json.dumps(rest, ensure_ascii=False,
                                                                                  sort_keys=True)
            if m.note:
                etree.SubElement(ann, T + "note", type="comment").text = m.note
            if m.history:
                etree.SubElement(ann, T + "note", type=HISTORY_NOTE).text = json.dumps(
                    m.history, ensure_ascii=False, sort_keys=True)
            yield ann

    def _normalization_items(self) -> Iterator[etree._Element]:
        for i, t in enumerate(self.doc.tokens):
            for ch in t.lex.changes:
                span = etree.Element(T + "span", nsmap=NSMAP, type="normalization",
                                     target=self.token_range(i, ch.start, ch.end), ana=f"#norm.{xml_name(ch.kind)}")
                span.set("n", ch.kind)
                choice = etree.SubElement(span, T + "choice")
                etree.SubElement(choice, T + "orig").text = ch.orig
                etree.SubElement(choice, T + "reg").text = ch.reg
                yield span

    def _correction_items(self) -> Iterator[etree._Element]:
        for c in self.doc.corrections:
            span = etree.Element(T + "span", nsmap=NSMAP, type="correction", target=self.pointer(c.start, c.end))
            span.set("n", c.kind)
            choice = etree.SubElement(span, T + "choice")
            etree.SubElement(choice, T + "sic").text = c.orig
            etree.SubElement(choice, T + "corr").text = c.reg
            yield span

    def stand_off_chunks(self, lists: Sequence[etree._Element] = ()) -> Iterator[bytes]:
        """``<standOff>`` serialised one record at a time (a book has ~100k normalisation records); nothing when
        there is nothing to say. Every pointer of the body is known once :meth:`text_chunks` is consumed."""
        def body() -> Iterator[bytes]:
            for el in lists:
                _indent(el, 2)
                yield b"\n  " + _serialise(el)
            for tag, typ, items in (("listAnnotation", "mentions", self._mention_items()),
                                    ("spanGrp", "normalization", self._normalization_items()),
                                    ("spanGrp", "correction", self._correction_items())):
                first = next(items, None)
                if first is None:
                    continue
                yield f'\n  <{tag} type="{typ}">'.encode()
                for el in _chain(first, items):
                    _indent(el, 3)
                    yield b"\n   " + _serialise(el)
                yield f"\n  </{tag}>".encode()

        chunks = body()
        first = next(chunks, None)
        if first is None:
            return
        yield b"\n <standOff>"
        yield first
        yield from chunks
        yield b"\n </standOff>"

    def link_target(self, start: int, end: int) -> str:
        mid = self.mention_ids.get((start, end))
        return "#" + mid if mid else self.pointer(start, end)


# --- header, authority lists, links ---------------------------------------------------------------------------

def _sub(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    el = etree.SubElement(parent, T + tag, **attrs)
    if text is not None:
        el.text = text
    return el


def _sources(docs: Iterable[Document]) -> list[str]:
    return sorted({m.source for d in docs for m in d.mentions if m.source})


# --- curation provenance (nuskha.curation): the editor of a human decision as a respStmt, pointed at by @resp
# beside the source; the machine's proposal it replaced as a JSON note (type "history") on the annotation.
HISTORY_NOTE = "history"


def resp_pointers(m: Mention) -> str:
    """``@resp`` of a mention: its source, and its editor when a human decided on it."""
    resp = f"#src.{xml_name(m.source)}"
    return f"{resp} #ed.{xml_name(m.editor)}" if m.editor else resp


def _editors(docs: Iterable[Document]) -> list[str]:
    return sorted({m.editor for d in docs for m in d.mentions if m.editor})


def _change_kinds(docs: Iterable[Document]) -> list[str]:
    return sorted({ch.kind for d in docs for t in d.tokens for ch in t.lex.changes})


def _declarations(header: etree._Element, file_desc: etree._Element, docs: Sequence[Document],
                  langs: Sequence[str]) -> None:
    """The ids other elements point at: sources (#src.*), renditions (#rtl), calendars (#hijri, #julian),
    normalisation kinds (#norm.*)."""
    title_stmt = file_desc.find(T + "titleStmt")
    for src in _sources(docs):
        rs = _sub(title_stmt, "respStmt")
        rs.set(XML_ID, f"src.{xml_name(src)}")
        _sub(rs, "resp", "annotation source")
        _sub(rs, "name", src)
    for editor in _editors(docs):
        rs = _sub(title_stmt, "respStmt")
        rs.set(XML_ID, f"ed.{xml_name(editor)}")
        _sub(rs, "resp", "curation")
        _sub(rs, "name", editor)
    enc = _sub(header, "encodingDesc")
    app = _sub(_sub(enc, "appInfo"), "application", ident="nuskha", version=__version__)
    _sub(app, "label", "nuskha")
    _sub(app, "desc", "tokenisation, normalisation, entity, date and troop annotation, alignment")
    tags = _sub(enc, "tagsDecl")
    rtl = _sub(tags, "rendition", "direction: rtl; unicode-bidi: embed;", scheme="css")
    rtl.set(XML_ID, "rtl")
    kinds = _change_kinds(docs)
    if kinds:
        interp = _sub(_sub(enc, "classDecl"), "taxonomy")
        interp.set(XML_ID, "norm")
        for kind in kinds:
            cat = _sub(interp, "category")
            cat.set(XML_ID, f"norm.{xml_name(kind)}")
            _sub(cat, "catDesc", f"normalisation: {kind}")
    prof = _sub(header, "profileDesc")
    usage = _sub(prof, "langUsage")
    for lang in langs:
        _sub(usage, "language", LANG_NAMES.get(lang, lang), ident=lang)
    cal = _sub(prof, "calendarDesc")
    hijri = _sub(cal, "calendar")
    hijri.set(XML_ID, "hijri")
    _sub(hijri, "p", "Hijri (Islamic lunar) calendar; dates given as year[-month[-day]] in @when-custom.")
    julian = _sub(cal, "calendar")
    julian.set(XML_ID, "julian")
    _sub(julian, "p", "Julian calendar: Western dates as written in the source.")


def _file_desc(header: etree._Element, title: str, meta: dict[str, Any], idnos: dict[str, str]) -> etree._Element:
    fd = _sub(header, "fileDesc")
    ts = _sub(fd, "titleStmt")
    _sub(ts, "title", title)
    pub = _sub(fd, "publicationStmt")
    _sub(pub, "publisher", "nuskha")
    for typ, val in idnos.items():
        _sub(pub, "idno", val, type=typ)
    notes = meta.get("notes")
    if isinstance(notes, str):
        notes = [notes]
    if notes:
        ns = _sub(fd, "notesStmt")
        for note in notes:
            _sub(ns, "note", str(note))
    sd = _sub(fd, "sourceDesc")
    bibl = _sub(sd, "bibl")
    _sub(bibl, "title", str(meta.get("title") or title))
    if meta.get("source"):
        _sub(bibl, "note", str(meta["source"]), type="source")
    if meta.get("seed"):
        _sub(bibl, "idno", str(meta["seed"]), type="seed")
    return fd


def document_header(doc: Document, declare: bool = True) -> etree._Element:
    from ..pipeline import sha256

    header = etree.Element(T + "teiHeader", nsmap=NSMAP)
    title = str(doc.meta.get("title") or doc.id)
    fd = _file_desc(header, title, doc.meta, {"nuskha": doc.id, "sha256": sha256(doc.text)})
    if declare:
        _declarations(header, fd, [doc], [doc.lang])
    else:
        prof = _sub(header, "profileDesc")
        _sub(_sub(prof, "langUsage"), "language", LANG_NAMES.get(doc.lang, doc.lang), ident=doc.lang)
    xeno = _sub(header, "xenoData", json.dumps(doc.meta, ensure_ascii=False, sort_keys=True, default=str),
                type="application/json")
    xeno.set("n", "nuskha-meta")
    return header


def entity_lists(stand_off: etree._Element, authority: Authority | None, refs: Iterable[str]) -> set[str]:
    """listPerson/listPlace/listOrg for the authority records among ``refs``; returns the refs written."""
    if authority is None:
        return set()
    by_type: dict[str, list[Record]] = {}
    for ref in sorted(set(refs)):
        rec = authority.records.get(ref)
        if rec is not None and rec.type in LIST_ELEMENTS:
            by_type.setdefault(rec.type, []).append(rec)
    written: set[str] = set()
    for typ in ("person", "place", "group"):
        if typ not in by_type:
            continue
        list_tag, entry_tag, name_tag = LIST_ELEMENTS[typ]
        lst = _sub(stand_off, list_tag)
        for rec in by_type[typ]:
            entry = _sub(lst, entry_tag)
            entry.set(XML_ID, rec.ref)
            if rec.label_en:
                name = _sub(entry, name_tag, rec.label_en, type="label")
                name.set(XML_LANG, "en")
            for col, variants in rec.variants.items():
                for v in variants:
                    name = _sub(entry, name_tag, v)
                    name.set(XML_LANG, COLUMN_LANG.get(col, col))
            if rec.wikidata:
                _sub(entry, "idno", rec.wikidata, type="wikidata")
            if rec.note:
                _sub(entry, "note", rec.note)
            written.add(rec.ref)
    return written


def _indent(el: etree._Element, level: int) -> None:
    """Indent a header or standOff for reading, then take the indentation back out of mixed content (a
    ``<date>`` holding text and an empty written-date child) so string values stay the mention text."""
    etree.indent(el, space=" ", level=level)
    for node in el.iter(T + "date", T + "measure", T + "persName", T + "placeName", T + "orgName", T + "name"):
        if node.text and node.text.strip():
            for child in node:
                if child.tail and not child.tail.strip():
                    child.tail = None


def _serialise(el: etree._Element) -> bytes:
    """An element as UTF-8 XML inside a TEI-namespaced parent: its own default-namespace declaration dropped."""
    data = etree.tostring(el, encoding="UTF-8", with_tail=False)
    return data.replace(_XMLNS, b"", 1)


def _escape_text(s: str) -> bytes:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;").encode("utf-8")


def _start_tag(tag: str, attrs: dict[str, str]) -> bytes:
    from xml.sax.saxutils import quoteattr

    inner = "".join(f" {k}={quoteattr(v, {chr(13): '&#13;', chr(10): '&#10;', chr(9): '&#9;'})}"
                    for k, v in attrs.items())
    return f"<{tag}{inner}>".encode("utf-8")


def _document_chunks(doc: Document, authority: Authority | None, inline: bool, in_corpus: bool,
                     known_refs: set[str] | None, writer_out: list) -> Iterator[bytes]:
    """``<TEI>`` of one document as byte chunks; the writer is appended to ``writer_out`` (its pointers are ready
    once the chunks are consumed)."""
    header = document_header(doc, declare=not in_corpus)
    _indent(header, 1)
    lists: list[etree._Element] = []
    if known_refs is None:
        holder = etree.Element(T + "standOff", nsmap=NSMAP)
        known_refs = entity_lists(holder, authority, (m.ref for m in doc.mentions if m.ref))
        lists = list(holder)
    writer = DocumentWriter(doc, known_refs, inline)
    writer_out.append(writer)
    yield b"<TEI>\n " if in_corpus else b'<TEI xmlns="' + TEI_NS.encode() + b'">\n '
    yield _serialise(header)
    yield b"\n "
    yield from writer.text_chunks()
    yield from writer.stand_off_chunks(lists)
    yield b"\n</TEI>"


def document_chunks(doc: Document, authority: Authority | None = None, inline: bool = False) -> Iterator[bytes]:
    """A standalone TEI file for one document, as byte chunks (for streaming to a file)."""
    yield DECLARATION
    yield from _document_chunks(doc, authority, inline, False, None, [])
    yield b"\n"


def corpus_chunks(docs: Sequence[Document], authority: Authority | None = None, links: Sequence[Link] = (),
                  inline: bool = False, title: str | None = None) -> Iterator[bytes]:
    """``<teiCorpus>``: a shared header and standOff (entity lists, alignment links), then one ``<TEI>`` per
    document whose pointers the links use. The standOff comes first in the file but needs every document's
    pointers, so the documents are serialised first (bytes are ~20 times smaller than the tree)."""
    header = etree.Element(T + "teiHeader", nsmap=NSMAP)
    title = title or "Aligned corpus: " + "; ".join(str(d.meta.get("title") or d.id) for d in docs)
    fd = _file_desc(header, title, {}, {"nuskha": "+".join(d.id for d in docs)})
    langs = list(dict.fromkeys(d.lang for d in docs))
    _declarations(header, fd, docs, langs)
    _indent(header, 1)
    stand_off = etree.Element(T + "standOff", nsmap=NSMAP)
    known = entity_lists(stand_off, authority, (m.ref for d in docs for m in d.mentions if m.ref))
    prefixes = [xml_name(d.id) for d in docs]
    if len(set(prefixes)) < len(prefixes):
        clash = next(p for p in prefixes if prefixes.count(p) > 1)
        raise OutputError(f"two documents would share the xml:id prefix {clash!r}; rename one", clash)
    bodies: list[bytes] = []
    writers: dict[str, DocumentWriter] = {}
    for d in docs:
        out: list[DocumentWriter] = []
        bodies.append(b"".join(_document_chunks(d, authority, inline, True, known, out)))
        writers[d.id] = out[0]
    if links:
        grp = _sub(stand_off, "linkGrp", type="alignment")
        for link in links:
            targets = [writers[doc_id].link_target(s, e) for doc_id, s, e in link.mentions if doc_id in writers]
            if len(targets) < 2:
                continue
            el = _sub(grp, "link", type=xml_name(link.method), target=" ".join(targets), n=link.ref)
            el.set("cert", repr(float(min(max(link.score, 0.0), 1.0))))
            if link.ref in known:
                el.set("corresp", "#" + link.ref)
        if not len(grp):
            stand_off.remove(grp)
    yield DECLARATION
    yield b'<teiCorpus xmlns="' + TEI_NS.encode() + b'">\n '
    yield _serialise(header)
    if len(stand_off):
        _indent(stand_off, 1)
        yield b"\n "
        yield _serialise(stand_off)
    for body in bodies:
        yield b"\n "
        yield body
    yield b"\n</teiCorpus>\n"


def document_tree(doc: Document, authority: Authority | None = None, inline: bool = False) -> etree._Element:
    """The ``<TEI>`` element of one document (parsed from the serialised bytes)."""
    return etree.fromstring(document_bytes(doc, authority, inline))


def _check_chars(doc: Document) -> None:
    """XML 1.0 cannot hold most C0 controls; say where one is rather than fail inside lxml."""
    m = re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]", doc.text)
    if m:
        raise OutputError(f"character U+{ord(m.group()):04X} cannot be written in XML", doc.id,
                          f"offset {m.start()}")


def document_bytes(doc: Document, authority: Authority | None = None, inline: bool = False) -> bytes:
    _check_chars(doc)
    try:
        return b"".join(document_chunks(doc, authority, inline))
    except ValueError as exc:  # lxml: a control character in a note, a value or the metadata
        raise OutputError(f"cannot be written as XML: {exc}", doc.id) from None


def corpus_bytes(docs: Sequence[Document], authority: Authority | None = None, links: Sequence[Link] = (),
                 inline: bool = False) -> bytes:
    for d in docs:
        _check_chars(d)
    try:
        return b"".join(corpus_chunks(docs, authority, links, inline))
    except ValueError as exc:
        raise OutputError(f"cannot be written as XML: {exc}", "+".join(d.id for d in docs)) from None


def write_document(doc: Document, path: str | Path, authority: Authority | None = None,
                   inline: bool = False) -> None:
    write_atomic(path, document_bytes(doc, authority, inline))


def write_corpus(docs: Sequence[Document], path: str | Path, authority: Authority | None = None,
                 links: Sequence[Link] = (), inline: bool = False) -> None:
    write_atomic(path, corpus_bytes(docs, authority, links, inline))
