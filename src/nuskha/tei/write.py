"""Documents to TEI P5: tokens inline, everything interpretive in ``<standOff>``, written as text, not as a tree.

Layout of one document::

    <TEI xmlns="http://www.tei-c.org/ns/1.0">
      <teiHeader> title, author, licence, source and its date (from the metadata sidecar, "unknown" said plainly
                  where it has none), notes, langUsage, calendarDesc (#hijri, #julian and every era a date uses),
                  appInfo (nuskha version), listPrefixDef (wd:, gn:, nuskha:, new: -> URIs), rendition #rtl,
                  xenoData (the sidecar as JSON, for a lossless read-back)
      <text xml:lang="ar" rendition="#rtl" xml:space="preserve"><body xml:id="body">
        <p xml:id="p1"><s xml:id="s1"><w xml:id="w1">كان</w> <w xml:id="w2" lemma="سلطان"><m type="det">ال</m>سلطان</w>
        ...</s></p>
      </body></text>
      <standOff> listPerson/listPlace/listOrg (the authority records the text mentions, every variant with
                 xml:lang, idno = full URIs); listAnnotation type="mentions" (one <annotation> per mention, @target =
                 token ids, a <note> holding persName/placeName/orgName/date/measure with the value as TEI attributes,
                 anything more as a feature structure <fs>); spanGrp type="normalization" (one <span> per distinct
                 change of a word form, its @target every place the change is made, <choice><orig/><reg/>) and
                 type="correction" (<choice><sic/><corr/>)
    </TEI>

Ids are short, readable and the same every run: ``w{n}``/``pc{n}`` for token ``n`` (1-based), ``s{n}``, ``p{n}``,
``m{n}`` for mention ``n`` in document order, ``body``; parts of a token ``w{n}.{k}`` (a ``<seg>``) or
``w{n}.m{k}`` (a morphological ``<m>``) exist where a pointer needs them. Inside a ``teiCorpus`` every id takes the
document's prefix (``{doc}.w{n}``) so that two documents never share one. Entity refs are prefixed URIs
(``nuskha:otrar wd:Q...``, ``new:slug``) that ``listPrefixDef`` expands (:mod:`nuskha.uris`).

Morphological segments are ``<m type="role">`` children; when a word's segments tile it with exactly one stem,
the stem is the word's own text outside the ``<m>`` elements (``<w><m type="det">ال</m>سلطان</w>``), which keeps the
file small; text of a word that no segment covers is a ``<seg type="gap">``.

Whitespace: the string value of ``<body>`` is the original text. Gaps between tokens, sentences and paragraphs
are written as text nodes exactly as they stand (``xml:space="preserve"`` on ``<text>``), and only the header and
the standOff are indented. ``\\r`` survives because it is written as ``&#13;``.

Pointers: a range that starts or ends inside a token (Arabic proclitics: the mention بخارى inside وبخارى) splits
that token into ``<seg>`` parts (or gives its ``<m>`` segments ids) and points at the part. A range no list of ids
can express (starting in whitespace, inside an ``<m>`` or a ``<pc>``) becomes a TEI pointer
``#string-range(id('body'),START,LENGTH)`` in characters of the original; a normalisation change points with
``string-range`` relative to its token.

``inline=True`` writes persName/placeName/orgName/date/measure around the tokens instead (for TEI Publisher,
EVT); a token cut by a mention becomes ``<w part="I">``/``<w part="F">`` fragments. Mentions that cannot nest
(crossing a sentence or another mention) stay in the standOff.

Speed: the body and the standOff are built as strings from per-word-form templates (the markup of a word form is
computed once, a token adds only its id), so a 371k-token book is written in about a second; only the small
header and authority lists go through lxml.
"""
from __future__ import annotations

import json
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from itertools import compress, repeat
from operator import add, attrgetter
from pathlib import Path
from typing import Any, Iterable, Iterator, Sequence

from lxml import etree

from .. import __version__
from ..authority import Authority, Record
from ..document import PUNCT, SYMBOL, Document, Lexeme, Link, Mention, Span, Token
from ..errors import OutputError
from ..io import write_atomic
from . import TEI_NS, XML_NS, gc_paused
from .values import (CALENDARS, ERA_DESCRIPTIONS, LEMMA_USAGE, TOKEN_ELEMENT, Node, attrs_xml, check_xml_chars,
                     default_lemma, era_name, escape_attr, escape_text, feature_node, mention_node, rest_node, to_xml)

T = "{%s}" % TEI_NS
XML_ID = "{%s}id" % XML_NS
XML_LANG = "{%s}lang" % XML_NS
NSMAP = {None: TEI_NS}
_XMLNS = b' xmlns="' + TEI_NS.encode() + b'"'
DECLARATION = "<?xml version='1.0' encoding='UTF-8'?>\n"

LIST_ELEMENTS = {"person": ("listPerson", "person", "persName"), "place": ("listPlace", "place", "placeName"),
                 "group": ("listOrg", "org", "orgName")}
#: Authority variant column -> xml:lang of the name.
COLUMN_LANG = {"ar": "ar", "kk": "kk", "ru": "ru", "latn": "und-Latn"}
RTL_LANGS = frozenset({"ar", "fa", "ur", "he", "ps", "ckb", "ug"})
LANG_NAMES = {"ar": "Arabic", "kk": "Kazakh", "kk-Latn": "Kazakh (Latin script)", "ru": "Russian", "en": "English",
              "und-Latn": "Latin-script transliteration"}
SYNTHETIC = "synthetic"  # @type of a <p>/<s> the writer adds to hold tokens no paragraph/sentence covers
GAP = "gap"  # @type of a <seg> holding text of a segmented word that no segment covers
BODY_RANGE = "#string-range(id('{id}'),{start},{length})"
#: What an authority ref (it becomes an xml:id) and a provisional ref (it becomes a URI) may look like.
_AUTHORITY_REF = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$")
_PROVISIONAL_REF = re.compile(r"^new:[A-Za-z0-9._~%-]+$")
_QID = re.compile(r"^Q[1-9][0-9]*$")
_GEONAMES_ID = re.compile(r"^[1-9][0-9]*$")
_LEX_OF, _START_OF, _END_OF = attrgetter("lex"), attrgetter("start"), attrgetter("end")
_CHANGES_OF = attrgetter("changes")
_TAG_OF_KIND = {kind: tag for kind, (tag, _) in TOKEN_ELEMENT.items()}  # id prefixes: w{n} / pc{n}
_HOLE = "\x00"  # where a mention's text goes in its cached markup (never in a text: check_xml_chars)


def xml_name(text: str) -> str:
    """``text`` made into an NCName usable as an ``xml:id`` prefix (``000_x`` -> ``d000_x``)."""
    name = re.sub(r"[^\w.-]", "_", text)
    return name if name and (name[0].isalpha() or name[0] == "_") else "d" + name


def is_rtl(lang: str) -> bool:
    return lang.split("-")[0] in RTL_LANGS or "-Arab" in lang


# --- refs as URIs ------------------------------------------------------------------------------------------------

def _geonames_of(rec: Record | None) -> str | None:
    gid = getattr(rec, "geonames", None) if rec is not None else None
    return str(gid) if gid not in (None, "") and _GEONAMES_ID.match(str(gid)) else None


def ref_problem(ref: str | None, authority: Authority | None = None) -> str | None:
    """Why a mention's ``ref`` cannot be written as a URI (None when it can): an authority ref must be a slug
    (it is also the ``xml:id`` of its list entry), a provisional ref ``new:`` and a slug."""
    if ref is None:
        return None
    if ref.startswith("new:"):
        return None if _PROVISIONAL_REF.match(ref) else f"provisional ref {ref!r} is not new:<slug>"
    if not _AUTHORITY_REF.match(ref):
        return f"ref {ref!r} is not an authority slug (letters, digits, '-', '_', '.')"
    if authority is not None and ref in authority.records:
        rec = authority.records[ref]
        if rec.wikidata and not _QID.match(rec.wikidata):
            return f"authority record {ref!r} has a malformed Wikidata id {rec.wikidata!r} (line {rec.line})"
    return None


def check_document(doc: Document, authority: Authority | None = None) -> list[str]:
    """Every reason the TEI of ``doc`` would be invalid or lossy, as one-line messages (empty: it can be
    written). The writer raises :class:`OutputError` on the first; ``build`` may call this first to refuse a
    document before anything is written."""
    problems = []
    seen: set[str] = set()
    for m in doc.mentions:
        if m.ref in seen:
            continue
        seen.add(m.ref)
        why = ref_problem(m.ref, authority)
        if why:
            problems.append(f"mention {m.text!r} at offset {m.start}: {why}")
    if authority is not None:
        for ref in sorted(seen - {None}):
            rec = authority.records.get(ref)
            if rec is not None and rec.type in LIST_ELEMENTS and ref in _RESERVED_IDS:
                problems.append(f"authority ref {ref!r} clashes with an id the TEI header uses")
    m = re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]", doc.text)
    if m:
        problems.append(f"character U+{ord(m.group()):04X} at offset {m.start()} cannot be written in XML")
    return problems


_RESERVED_IDS = frozenset({"rtl", "norm", "hijri", "julian", "body", *ERA_DESCRIPTIONS})


def ref_attr(ref: str | None, authority: Authority | None) -> str | None:
    """A mention's @ref: ``nuskha:slug`` (plus ``wd:Q..``/``gn:..`` when the record has them) or ``new:slug``."""
    if ref is None:
        return None
    if ref.startswith("new:"):
        return ref
    out = "nuskha:" + ref
    rec = authority.records.get(ref) if authority is not None else None
    if rec is not None:
        if rec.wikidata and _QID.match(rec.wikidata):
            out += " wd:" + rec.wikidata
        gid = _geonames_of(rec)
        if gid:
            out += " gn:" + gid
    return out


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


def _layout(doc: Document, starts: list[int], ends: list[int]) -> list[_Block]:
    """Paragraphs holding sentences holding tokens; tokens outside any sentence/paragraph get synthetic ones.
    ``starts``/``ends``: the tokens' offsets."""
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


def _segment_edges(t: Token) -> set[int]:
    """Absolute offsets where the token's morphological segments begin or end."""
    return {t.start + e for sg in t.lex.segments for e in (sg.start, sg.end)}


def _sorted_segments(lex: Lexeme) -> list:
    return sorted(lex.segments, key=_START_OF)


def implicit_stem(lex: Lexeme, segs: list | None = None) -> bool:
    """Whether the word's stem is written as bare text: it has two segments or more, they tile it and exactly one
    is a stem, with no underlying form. The reader's inverse: bare text in a ``<w>`` that has ``<m>`` children is its stem.
    ``segs``: the segments already sorted, when the caller has them."""
    if segs is None:
        segs = _sorted_segments(lex)
    if len(segs) < 2 or segs[0].start != 0 or segs[-1].end != len(lex.text):
        return False
    if any(a.end != b.start for a, b in zip(segs, segs[1:])):
        return False
    stems = [sg for sg in segs if sg.role == "stem"]
    return len(stems) == 1 and stems[0].form is None


def _m_attrs(sg, mid: str | None) -> str:
    out = f' xml:id="{mid}"' if mid else ""
    out += f' type="{escape_attr(sg.role)}"'
    if sg.form and re.fullmatch(r"\S+", sg.form):
        out += f' baseForm="{escape_attr(sg.form)}"'
    return out


class DocumentWriter:
    """Writes one document; keeps the id of every token part a pointer needs, so ranges become pointers."""

    def __init__(self, doc: Document, authority: Authority | None = None, inline: bool = False,
                 prefix: str = ""):
        self.doc = doc
        self.authority = authority
        self.idp = f"{prefix}." if prefix else ""  # id prefix: "" alone, "{doc}." inside a teiCorpus
        self.inline = inline
        self.starts = list(map(_START_OF, doc.tokens))
        self.ends = list(map(_END_OF, doc.tokens))
        self.whole: list[bool] = []  # token written as one element carrying its id
        self.parts: dict[int, list[tuple[int, int, str]]] = {}  # token index -> addressable parts (abs offsets)
        self.mention_ids: dict[tuple[int, int], str] = {}
        self.inline_mentions: dict[int, Mention] = {}  # mention index -> mention written inline
        self._lex_cache: dict[int, tuple[Lexeme, str, str, str]] = {}
        self._refs: dict[str | None, str | None] = {}
        self.tids: list[str] = []  # every token's xml:id, made in one C-level pass by body_text
        self._m_open: dict[tuple, str] = {}  # (role, form) -> the start tag of an <m> without an id

    @property
    def body_id(self) -> str:
        return f"{self.idp}body"

    def token_id(self, i: int) -> str:
        return self.tids[i]

    def _token_ids(self) -> None:
        """Every token's id (``w{n}``/``pc{n}``, with the document's prefix), made once by C-level passes: the
        mention pointers and the normalisation spans name ~10^5 tokens of a book, and a call per id cost more than
        making all of them. Also kept: each token's word form (its id() as the key) and number, for the body."""
        self._lexes = lexes = list(map(_LEX_OF, self.doc.tokens))
        self._keys = keys = list(map(id, lexes))
        self._forms = forms = dict(zip(keys, lexes))  # one entry per word form, in order of first occurrence
        prefix = {key: self.idp + _TAG_OF_KIND.get(lex.kind, "w") for key, lex in forms.items()}
        self.tids = list(map(add, map(prefix.__getitem__, keys), map(str, range(1, len(keys) + 1))))

    def ref(self, ref: str | None) -> str | None:
        if ref not in self._refs:
            self._refs[ref] = ref_attr(ref, self.authority)
        return self._refs[ref]

    # pointers ---------------------------------------------------------------------------------------------
    def body_range(self, start: int, end: int) -> str:
        return BODY_RANGE.format(id=self.body_id, start=start, length=end - start)

    def pointer(self, start: int, end: int) -> str:
        """``#id #id ...`` covering exactly ``[start, end)``, else a string-range over the body."""
        i = bisect_left(self.starts, start)
        j = bisect_left(self.ends, end, i)
        if j < len(self.ends) and self.ends[j] == end and i < len(self.starts) and self.starts[i] == start and \
                i <= j and all(self.whole[i:j + 1]):  # most mentions: whole tokens (what _ids finds, in one step)
            return "#" + " #".join(self.tids[i:j + 1])
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
                ids.append(self.token_id(i))
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
        if self.whole[i]:
            return BODY_RANGE.format(id=self.token_id(i), start=start, length=end - start)
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

    def _choose_inline(self, blocks: list[_Block]) -> None:
        """Mentions that nest inside one sentence without crossing another inline mention or a morph segment."""
        sentence_of: list[tuple[int, int]] = []
        for p in blocks:
            for s in p.children:
                sentence_of.append((s.start, s.end))
        s_starts = [s for s, _ in sentence_of]
        start_set, end_set = set(self.starts), set(self.ends)
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
            for b, edges in ((m.start, start_set), (m.end, end_set)):
                i = bisect_right(self.starts, b) - 1
                if i >= 0 and self.starts[i] < b < self.ends[i]:
                    t = self.doc.tokens[i]
                    if t.kind in (PUNCT, SYMBOL) or (t.lex.segments and b not in _segment_edges(t)):
                        bad = True
                elif b not in edges:  # an edge in whitespace cannot bound an element of tokens
                    bad = True
            if not bad:
                self.inline_mentions[k] = m
                taken_end = m.end

    def body_text(self) -> str:
        """``<text ...><body ...>`` ... ``</body></text>`` as one string; every pointer is known afterwards."""
        return "".join(self.body_pieces())

    def body_pieces(self) -> list[str]:
        """:meth:`body_text` as the pieces it joins: the caller joins the whole file once (a book's TEI is tens of
        MB, and each join or concatenation of it is a copy). Also finds :attr:`kinds`, the normalisation kinds of
        the document's word forms, for the header."""
        doc, idp = self.doc, self.idp
        self.whole = [True] * len(doc.tokens)
        self._token_ids()
        blocks = _layout(doc, self.starts, self.ends)
        cuts = self._cuts()
        if self.inline:
            self._choose_inline(blocks)
        text = doc.text
        if not self.inline:
            self._token_markup(cuts)
        out = [f'<text xml:lang="{escape_attr(doc.lang)}" xml:space="preserve"'
               + (' rendition="#rtl"' if is_rtl(doc.lang) else "") + f'><body xml:id="{self.body_id}">']
        if not blocks:  # a text with no tokens at all: body needs one block
            out.append(f'<p type="{SYNTHETIC}">{escape_text(text)}</p>')
        pos = 0
        s_count = 0
        for pn, para in enumerate(blocks, 1):
            if para.start > pos:
                out.append(escape_text(text[pos:para.start]))
            out.append(f'<p xml:id="{idp}p{pn}" type="{SYNTHETIC}">' if para.synthetic else f'<p xml:id="{idp}p{pn}">')
            ppos = para.start
            for sent in para.children:
                s_count += 1
                if sent.start > ppos:
                    out.append(escape_text(text[ppos:sent.start]))
                out.append(f'<s xml:id="{idp}s{s_count}" type="{SYNTHETIC}">' if sent.synthetic
                           else f'<s xml:id="{idp}s{s_count}">')
                if self.inline:
                    self._inline_tokens(out, sent, cuts)
                else:
                    self._tokens(out, sent, cuts)
                out.append("</s>")
                ppos = sent.end
            if para.end > ppos:
                out.append(escape_text(text[ppos:para.end]))
            out.append("</p>")
            pos = para.end
        if blocks and len(text) > pos:
            out.append(escape_text(text[pos:]))
        out.append("</body></text>")
        self.kinds = sorted(_form_kinds(self._forms.values()))
        self._pieces = self._keys = self._forms = None  # ~10^6 references a book's standOff no longer needs
        return out

    def _lex_template(self, lex: Lexeme) -> tuple[str, str]:
        """Per word form (cached): the markup before a token's number and after it, for an uncut token."""
        cached = self._lex_cache.get(id(lex))
        if cached is not None and cached[0] is lex:
            return cached[1], cached[2]
        tag, typ = TOKEN_ELEMENT.get(lex.kind, ("w", lex.kind))
        attrs = ""
        if typ:
            attrs += f' type="{escape_attr(typ)}"'
        if lex.norm != lex.text:
            attrs += f' norm="{escape_attr(lex.norm)}"'
        if lex.lemma != default_lemma(lex.text, lex.norm, lex.segments):
            attrs += f' lemma="{escape_attr(lex.lemma)}"'
        inner = self._word_segments_xml(lex) if lex.segments and tag == "w" else escape_text(lex.text)
        head = f'<{tag} xml:id="{self.idp}{"pc" if tag == "pc" else "w"}'
        tail = f'"{attrs}>{inner}</{tag}>'
        self._lex_cache[id(lex)] = (lex, head, tail, attrs)
        return head, tail

    def _word_segments_xml(self, lex: Lexeme) -> str:
        """``_segments_xml(lex, None)``: the ``<m>`` children of a whole word without ids, the markup of a word
        form (a book has ~10^4 segmented forms). The same checks and output in one loop, without the calls."""
        text, segs = lex.text, lex.segments
        size = len(text)
        prev = -1
        for sg in segs:
            if sg.start < prev:
                segs = sorted(segs, key=_START_OF)
                break
            prev = sg.start
        # implicit_stem(): two segments or more tiling the word, exactly one of them a stem with no base form
        bare_stem = False
        if len(segs) >= 2 and segs[0].start == 0 and segs[-1].end == size:
            stems, pos = [], 0
            for sg in segs:
                if sg.start != pos:
                    break
                pos = sg.end
                if sg.role == "stem":
                    stems.append(sg)
            else:
                bare_stem = len(stems) == 1 and stems[0].form is None
        m_open = self._m_open
        out = []
        pos = prev_end = 0
        for sg in segs:
            start, end = sg.start, sg.end
            if start < prev_end or end > size or start < 0:
                raise OutputError(f"overlapping or overlong segments in token {text!r}", self.doc.id)
            prev_end = end
            if start > pos:
                out.append(f'<seg type="{GAP}">{escape_text(text[pos:start])}</seg>')
            piece = escape_text(text[start:end])
            if bare_stem and sg.role == "stem":
                out.append(piece)
            else:
                tag = m_open.get((sg.role, sg.form))
                if tag is None:
                    tag = m_open[(sg.role, sg.form)] = f"<m{_m_attrs(sg, None)}>"
                out.append(f"{tag}{piece}</m>")
            pos = end
        if size > pos:
            out.append(f'<seg type="{GAP}">{escape_text(text[pos:])}</seg>')
        return "".join(out)

    def _segments_xml(self, lex: Lexeme, tid: str | None, lo: int = 0, hi: int | None = None,
                      numbered: list | None = None) -> str:
        """The ``<m>`` children of a word (``tid``: give them ids ``{tid}.m{k}``); bare text is the stem where
        :func:`implicit_stem` allows it, other uncovered text a ``<seg type="gap">``."""
        text = lex.text
        hi = len(text) if hi is None else hi
        segs = _sorted_segments(lex)
        bare_stem = tid is None and implicit_stem(lex, segs)
        m_open = self._m_open
        out = []
        pos = lo
        prev_end = 0
        for k, sg in enumerate(segs, 1):
            if sg.start < prev_end or sg.end > len(text) or sg.start < 0:
                raise OutputError(f"overlapping or overlong segments in token {text!r}", self.doc.id)
            prev_end = sg.end
            if sg.start < lo or sg.end > hi:
                continue
            if sg.start > pos:
                out.append(f'<seg type="{GAP}">{escape_text(text[pos:sg.start])}</seg>')
            piece = escape_text(text[sg.start:sg.end])
            if bare_stem and sg.role == "stem":
                out.append(piece)
            else:
                if tid:
                    mid = f"{tid}.m{k}"
                    out.append(f"<m{_m_attrs(sg, mid)}>{piece}</m>")
                else:  # the same few dozen (role, form) pairs all through a book: their tag made once
                    mid = None
                    tag = m_open.get((sg.role, sg.form))
                    if tag is None:
                        tag = m_open[(sg.role, sg.form)] = f"<m{_m_attrs(sg, None)}>"
                    out.append(f"{tag}{piece}</m>")
                if numbered is not None:
                    numbered.append((sg.start, sg.end, mid))
            pos = sg.end
        if hi > pos:
            out.append(f'<seg type="{GAP}">{escape_text(text[pos:hi])}</seg>')
        return "".join(out)

    def _token_markup(self, cuts: dict[int, list[int]]) -> None:
        """Every token's markup and the gap after it as four pieces (start tag up to the id, id, the rest,
        gap), built in bulk by C-level maps: a word form's markup is computed once (a book has ~10 times fewer
        forms than tokens), a token adds its id (the same string objects as :attr:`tids`: no second copy of 10^5
        ids in memory); a gap is escaped only when one of its characters needs it."""
        toks, text, keys = self.doc.tokens, self.doc.text, self._keys
        heads, tails = {}, {}
        for key, lex in self._forms.items():
            tails[key] = self._lex_template(lex)[1]
            heads[key] = '<pc xml:id="' if _TAG_OF_KIND.get(lex.kind, "w") == "pc" else '<w xml:id="'
        n = len(toks)
        pieces: list[str] = [""] * (4 * n)
        pieces[0::4] = map(heads.__getitem__, keys)
        pieces[1::4] = self.tids
        pieces[2::4] = map(tails.__getitem__, keys)
        gaps = list(map(text.__getitem__, map(slice, self.ends, self.starts[1:])))
        escaped = {g: escape_text(g) for g in set(gaps)}
        if any(g != e for g, e in escaped.items()):
            gaps = list(map(escaped.__getitem__, gaps))
        gaps.append("")
        pieces[3::4] = gaps
        for i, inner in cuts.items():
            pieces[4 * i:4 * i + 3] = (self._cut_token(i, inner), "", "")
        self._pieces = pieces

    def _tokens(self, out: list[str], block: _Block, cuts: dict[int, list[int]]) -> None:
        r = block.tokens
        if not len(r):
            out.append(escape_text(self.doc.text[block.start:block.end]))
            return
        text = self.doc.text
        if self.starts[r.start] > block.start:
            out.append(escape_text(text[block.start:self.starts[r.start]]))
        out += self._pieces[4 * r.start:4 * r.stop - 1]  # the last token's gap is the block's business
        if block.end > self.ends[r.stop - 1]:
            out.append(escape_text(text[self.ends[r.stop - 1]:block.end]))

    def _cut_token(self, i: int, inner: list[int]) -> str:
        """A token a pointer cuts: its ``<m>`` segments with ids, or ``<seg>`` parts at the cuts."""
        t = self.doc.tokens[i]
        tid = self.token_id(i)
        self._lex_template(t.lex)
        tag = TOKEN_ELEMENT.get(t.kind, ("w",))[0]
        attrs = self._lex_cache[id(t.lex)][3]
        if tag != "w":
            return f'<{tag} xml:id="{tid}"{attrs}>{escape_text(t.text)}</{tag}>'
        if t.lex.segments:
            numbered: list = []
            body = self._segments_xml(t.lex, tid, numbered=numbered)
            self.parts[i] = [(t.start + s, t.start + e, mid) for s, e, mid in numbered]
        else:
            bounds = [t.start, *inner, t.end]
            parts = []
            pieces = []
            for k in range(len(bounds) - 1):
                pid = f"{tid}.{k + 1}"
                pieces.append(f'<seg xml:id="{pid}">{escape_text(self.doc.text[bounds[k]:bounds[k + 1]])}</seg>')
                parts.append((bounds[k], bounds[k + 1], pid))
            self.parts[i] = parts
            body = "".join(pieces)
        return f'<w xml:id="{tid}"{attrs}>{body}</w>'

    # inline mode ------------------------------------------------------------------------------------------
    def _open_mention(self, k: int, m: Mention) -> tuple[str, str]:
        """Start and end tags of an inline mention (its written-date/era children go before the end tag)."""
        node, _ = mention_node(m, self.ref(m.ref), None)
        mid = f"{self.idp}m{k + 1}"
        self.mention_ids.setdefault((m.start, m.end), mid)
        attrs = dict(node.attrs)
        if "cert" not in attrs:  # a measure's own @cert says "approximate": then see the .rest annotation
            if m.source:
                attrs["resp"] = resp_pointers(m)
            attrs["cert"] = repr(float(m.cert))
        start = f'<{node.tag} xml:id="{mid}"{attrs_xml(attrs)}>'
        end = "".join(to_xml(c) for c in node.children) + f"</{node.tag}>"
        return start, end

    def _inline_tokens(self, out: list[str], block: _Block, cuts: dict[int, list[int]]) -> None:
        text, toks = self.doc.text, self.doc.tokens
        by_start = {m.start: (k, m) for k, m in self.inline_mentions.items()}
        open_end: list = []  # [end offset, end tag] of the open inline mention

        def close_at(at: int) -> None:
            if open_end and open_end[0] == at:
                out.append(open_end[1])
                open_end.clear()

        def open_at(at: int) -> None:
            if open_end or at not in by_start:
                return
            k, m = by_start[at]
            start, end = self._open_mention(k, m)
            out.append(start)
            open_end[:] = [m.end, end]

        pos = block.start
        for i in block.tokens:
            t = toks[i]
            if t.start > pos:
                out.append(escape_text(text[pos:t.start]))
            open_at(t.start)
            inner = cuts.get(i, [])
            frag = [b for b in inner if b in _segment_edges(t)] if t.lex.segments else inner
            if frag and t.kind not in (PUNCT, SYMBOL):
                self._fragments(out, i, frag, close_at, open_at)
            elif i in cuts:
                out.append(self._cut_token(i, inner))
            else:
                head, tail = self._lex_template(t.lex)
                out.append(head + str(i + 1) + tail)
            pos = t.end
            close_at(pos)
        if block.end > pos:
            out.append(escape_text(text[pos:block.end]))

    def _fragments(self, out: list[str], i: int, inner: list[int], close_at, open_at) -> None:
        """Inline mode: a token cut by mention edges becomes ``<w part="I|M|F">`` fragments (each holding the
        ``<m>`` segments that fall in it)."""
        t = self.doc.tokens[i]
        tid = self.token_id(i)
        bounds = [t.start, *inner, t.end]
        self.whole[i] = False
        self._lex_template(t.lex)
        attrs = self._lex_cache[id(t.lex)][3]
        frags = []
        m_parts: list = []
        for k in range(len(bounds) - 1):
            if k:
                close_at(bounds[k])
                open_at(bounds[k])
            pid = f"{tid}.{k + 1}"
            part = "I" if k == 0 else "F" if k == len(bounds) - 2 else "M"
            lo, hi = bounds[k] - t.start, bounds[k + 1] - t.start
            if t.lex.segments:
                numbered: list = []
                body = self._segments_xml(t.lex, tid, lo, hi, numbered)
                m_parts += [(t.start + s, t.start + e, mid) for s, e, mid in numbered]
            else:
                body = escape_text(t.text[lo:hi])
            out.append(f'<w xml:id="{pid}" part="{part}"{attrs if k == 0 else ""}>{body}</w>')
            frags.append((bounds[k], bounds[k + 1], pid))
        self.parts[i] = m_parts if t.lex.segments else frags

    # standOff ---------------------------------------------------------------------------------------------
    def _provenance(self, m: Mention) -> str:
        """@resp (the source, and the editor of a human decision) and @cert of a mention: the place to add more
        provenance."""
        out = f' resp="{resp_pointers(m)}"' if m.source else ""
        return out + f' cert="{float(m.cert)!r}"'

    def _mention_items(self) -> Iterator[str]:
        """One ``<annotation>`` per standOff mention; for an inline mention, one holding what the inline element
        leaves out (value rest, comment, resp/cert when a measure's @cert is taken), so nothing is lost. The
        markup of a mention depends only on its type, ref and value (and its text): it is made once per
        (type, ref, value) with a hole for the text; @resp/@cert once per (source, editor, cert)."""
        named: dict[tuple, list[str]] = {}
        provenance: dict[tuple, str] = {}
        mentions = self.doc.mentions
        starts, ends, whole, tids = self.starts, self.ends, self.whole, self.tids
        n = len(starts)
        # the first token starting at or after each mention's start, in one C-level pass (mostly its first token)
        firsts = list(map(bisect_left, repeat(starts, len(mentions)), map(_START_OF, mentions)))
        for k, (m, i) in enumerate(zip(mentions, firsts)):
            mid = f"{self.idp}m{k + 1}"
            if k in self.inline_mentions:
                node, rest = mention_node(m, self.ref(m.ref), None)
                own_cert = "cert" in node.attrs
                if rest is None and not m.note and not own_cert and not m.history:
                    continue
                head = f'<annotation xml:id="{mid}.rest" target="#{mid}"'
                head += (self._provenance(m) if own_cert else "") + ">"
                notes = ""
                if rest is not None:
                    notes += f'<note type="value">{to_xml(rest_node(rest))}</note>'
            else:
                self.mention_ids.setdefault((m.start, m.end), mid)
                pkey = (m.source, getattr(m, "editor", None), m.cert)
                prov = provenance.get(pkey)
                if prov is None:
                    prov = provenance[pkey] = self._provenance(m)
                end = m.end
                j = bisect_left(ends, end, i)
                if j < n and ends[j] == end and i < n and starts[i] == m.start and i <= j and \
                        (whole[i] if i == j else all(whole[i:j + 1])):  # whole tokens: their ids (as pointer())
                    target = "#" + tids[i] if i == j else "#" + " #".join(tids[i:j + 1])
                else:
                    target = escape_attr(self.pointer(m.start, end))
                head = f'<annotation xml:id="{mid}" target="{target}"{prov}>'
                # a value is JSON-like (ANNOTATION.md), so its repr names it: a book repeats a third of its dates
                nkey = (m.type, m.ref) if m.value is None else (m.type, m.ref, repr(m.value))
                parts = named.get(nkey)
                if parts is None:
                    node, rest = mention_node(m, self.ref(m.ref), _HOLE)
                    markup = f'<note type="{escape_attr(m.type)}">{to_xml(node)}'
                    markup += (to_xml(rest_node(rest)) if rest is not None else "") + "</note>"
                    parts = named[nkey] = markup.split(_HOLE)
                notes = parts[0] + escape_text(m.text) + parts[1]
            if m.note:
                notes += f'<note type="comment">{escape_text(m.note)}</note>'
            if m.history:  # what the machine proposed before a human decision (nuskha.curation)
                notes += f'<note type="{HISTORY_NOTE}">{to_xml(feature_node(m.history, HISTORY_NOTE))}</note>'
            yield head + notes + "</annotation>"

    def _normalization_items(self) -> Iterator[str]:
        """One ``<span>`` per distinct change of a word form, in order of first occurrence, pointing at every
        token where it is made (a book repeats the same few thousand changes ~100k times)."""
        lexes = self._lexes
        changed = list(compress(range(len(lexes)), map(_CHANGES_OF, lexes)))  # C-level: ~1 token in 4
        # the group of a lexeme is its (text, changes), hashed once per lexeme rather than once per token
        group_of: dict[int, list[int]] = {}
        groups: dict[tuple, list[int]] = {}
        for i in changed:
            lex = lexes[i]
            members = group_of.get(id(lex))
            if members is None:
                members = group_of[id(lex)] = groups.setdefault((lex.text, lex.changes), [])
            members.append(i)
        whole = self.whole
        for (_, changes), tokens in groups.items():
            ids = list(map(self.tids.__getitem__, tokens)) if all(map(whole.__getitem__, tokens)) else None
            for ch in changes:
                if ids is not None:  # one join: "#string-range(id('w7'),0,1) #string-range(id('w403'),0,1)"
                    end = f"'),{ch.start},{ch.end - ch.start})"
                    target = "#string-range(id('" + (end + " #string-range(id('").join(ids) + end
                else:
                    target = " ".join(self.token_range(i, ch.start, ch.end) for i in tokens)
                yield (f'<span target="{escape_attr(target)}" ana="#norm.{xml_name(ch.kind)}">'
                       f"<choice><orig>{escape_text(ch.orig)}</orig><reg>{escape_text(ch.reg)}</reg></choice>"
                       "</span>")

    def _correction_items(self) -> Iterator[str]:
        for c in self.doc.corrections:
            yield (f'<span target="{escape_attr(self.pointer(c.start, c.end))}" n="{escape_attr(c.kind)}">'
                   f"<choice><sic>{escape_text(c.orig)}</sic><corr>{escape_text(c.reg)}</corr></choice></span>")

    def stand_off_text(self, lists: str = "") -> str:
        """``<standOff>`` (empty string when there is nothing to say). Call after :meth:`body_text`."""
        return "".join(self.stand_off_pieces(lists))

    def stand_off_pieces(self, lists: str = "") -> list[str]:
        """:meth:`stand_off_text` as the pieces it joins (none when there is nothing to say)."""
        out = [lists] if lists else []
        for tag, typ, items in (("listAnnotation", "mentions", self._mention_items()),
                                ("spanGrp", "normalization", self._normalization_items()),
                                ("spanGrp", "correction", self._correction_items())):
            first = next(items, None)
            if first is None:
                continue
            out.append(f'\n  <{tag} type="{typ}">\n   {first}')
            for item in items:
                out.append("\n   ")
                out.append(item)
            out.append(f"\n  </{tag}>")
        if not out:
            return []
        return ["\n <standOff>", *out, "\n </standOff>"]

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
# beside the source; the machine's proposal it replaced as a feature structure (note type "history").
HISTORY_NOTE = "history"


def resp_pointers(m: Mention) -> str:
    """``@resp`` of a mention: its source, and its editor when a human decided on it."""
    resp = f"#src.{xml_name(m.source)}"
    editor = getattr(m, "editor", None)
    return f"{resp} #ed.{xml_name(editor)}" if editor else resp


def _editors(docs: Iterable[Document]) -> list[str]:
    return sorted({m.editor for d in docs for m in d.mentions if getattr(m, "editor", None)})


def _form_kinds(forms: Iterable[Lexeme]) -> set[str]:
    """The normalisation kinds of distinct word forms."""
    return {ch.kind for lex in forms if lex.changes for ch in lex.changes}


def _change_kinds(docs: Iterable[Document]) -> list[str]:
    kinds: set[str] = set()
    for d in docs:
        lexes = list(map(_LEX_OF, d.tokens))
        kinds |= _form_kinds(dict(zip(map(id, lexes), lexes)).values())
    return sorted(kinds)


def _eras(docs: Iterable[Document]) -> list[str]:
    return sorted({e for d in docs for m in d.mentions if m.type == "date" for e in [era_name(m.value)] if e})


def _declarations(header: etree._Element, file_desc: etree._Element, docs: Sequence[Document],
                  langs: Sequence[str], kinds: Sequence[str] | None = None) -> None:
    """The ids and prefixes other elements use: sources (#src.*), renditions (#rtl), calendars (#hijri,
    #julian, every era a date names), normalisation kinds (#norm.*), ref prefixes (wd:, gn:, nuskha:, new:).
    ``kinds``: the normalisation kinds when the caller has them (the writer finds them among its word forms)."""
    from ..uris import PREFIXES

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
    _sub(_sub(tags, "namespace", name=TEI_NS), "tagUsage", LEMMA_USAGE, gi="w")
    if kinds is None:
        kinds = _change_kinds(docs)
    if kinds:
        interp = _sub(_sub(enc, "classDecl"), "taxonomy")
        interp.set(XML_ID, "norm")
        for kind in kinds:
            cat = _sub(interp, "category", n=kind)
            cat.set(XML_ID, f"norm.{xml_name(kind)}")
            _sub(cat, "catDesc", f"normalisation: {kind}")
    prefixes = _sub(enc, "listPrefixDef")
    for p in PREFIXES:
        pd = _sub(prefixes, "prefixDef", ident=p.prefix, matchPattern=p.pattern, replacementPattern=p.replacement)
        _sub(pd, "p", f"{p.prefix}: {p.about}")
    prof = _sub(header, "profileDesc")
    usage = _sub(prof, "langUsage")
    for lang in langs:
        _sub(usage, "language", LANG_NAMES.get(lang, lang), ident=lang)
    cal = _sub(prof, "calendarDesc")
    for ident, desc in [*CALENDARS.items(),
                        *((e, ERA_DESCRIPTIONS.get(e, f"the era '{e}' as the source counts it")) for e in _eras(docs))]:
        el = _sub(cal, "calendar")
        el.set(XML_ID, ident)
        _sub(el, "p", desc)


def _meta_list(meta: dict[str, Any], *keys: str) -> list[str]:
    for key in keys:
        value = meta.get(key)
        if value:
            return [str(v) for v in value] if isinstance(value, (list, tuple)) else [str(value)]
    return []


def _file_desc(header: etree._Element, title: str, meta: dict[str, Any], idnos: dict[str, str]) -> etree._Element:
    """titleStmt (title, author), publicationStmt (licence), notesStmt, sourceDesc (title, author, date, source):
    author, date and licence come from the metadata sidecar; where it has none the header says so."""
    fd = _sub(header, "fileDesc")
    ts = _sub(fd, "titleStmt")
    _sub(ts, "title", title)
    authors = _meta_list(meta, "author", "authors")
    for a in authors or ["unknown (the metadata sidecar names no author)"]:
        _sub(ts, "author", a)
    pub = _sub(fd, "publicationStmt")
    _sub(pub, "publisher", "nuskha")
    for typ, val in idnos.items():
        _sub(pub, "idno", val, type=typ)
    licence = _meta_list(meta, "licence", "license")
    avail = _sub(pub, "availability")
    if licence:
        for lic in licence:
            el = _sub(avail, "licence", lic)
            if re.match(r"^https?://\S+$", lic):
                el.set("target", lic)
    else:
        avail.set("status", "unknown")
        _sub(avail, "p", "Licence unknown: the metadata sidecar names none.")
    notes = _meta_list(meta, "notes")
    if notes:
        ns = _sub(fd, "notesStmt")
        for note in notes:
            _sub(ns, "note", note)
    sd = _sub(fd, "sourceDesc")
    bibl = _sub(sd, "bibl")
    _sub(bibl, "title", str(meta.get("title") or title))
    for a in authors or ["unknown"]:
        _sub(bibl, "author", a)
    date = _meta_list(meta, "date", "year")
    _sub(bibl, "date", date[0] if date else "unknown (the metadata sidecar gives no date)")
    if meta.get("source"):
        _sub(bibl, "note", str(meta["source"]), type="source")
    if meta.get("seed"):
        _sub(bibl, "idno", str(meta["seed"]), type="seed")
    return fd


def document_header(doc: Document, declare: bool = True, kinds: Sequence[str] | None = None) -> etree._Element:
    """The ``<teiHeader>`` of one document (``declare=False`` inside a teiCorpus, whose header declares);
    ``kinds``: its normalisation kinds, when the caller has them."""
    from ..pipeline import sha256

    header = etree.Element(T + "teiHeader", nsmap=NSMAP)
    title = str(doc.meta.get("title") or doc.id)
    fd = _file_desc(header, title, doc.meta, {"nuskha": doc.id, "sha256": sha256(doc.text)})
    if declare:
        _declarations(header, fd, [doc], [doc.lang], kinds)
    else:
        prof = _sub(header, "profileDesc")
        _sub(_sub(prof, "langUsage"), "language", LANG_NAMES.get(doc.lang, doc.lang), ident=doc.lang)
    xeno = _sub(header, "xenoData", json.dumps(doc.meta, ensure_ascii=False, sort_keys=True, default=str),
                type="application/json")
    xeno.set("n", "nuskha-meta")
    return header


def entity_lists(stand_off: etree._Element, authority: Authority | None, refs: Iterable[str]) -> set[str]:
    """listPerson/listPlace/listOrg for the authority records among ``refs`` (idno: the record's URI, its
    Wikidata and GeoNames URIs); returns the refs written."""
    from ..uris import geonames_uri, ref_uri, wikidata_uri

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
            entry.set(XML_ID, xml_name(rec.ref))
            if rec.label_en:
                name = _sub(entry, name_tag, rec.label_en, type="label")
                name.set(XML_LANG, "en")
            for col, variants in rec.variants.items():
                for v in variants:
                    name = _sub(entry, name_tag, v)
                    name.set(XML_LANG, COLUMN_LANG.get(col, col))
            _sub(entry, "idno", ref_uri(rec.ref), type="URI")
            if rec.wikidata and _QID.match(rec.wikidata):
                _sub(entry, "idno", wikidata_uri(rec.wikidata), type="wikidata")
            gid = _geonames_of(rec)
            if gid:
                _sub(entry, "idno", geonames_uri(gid), type="geonames")
            if rec.note:
                _sub(entry, "note", rec.note)
            written.add(rec.ref)
    return written


def _indent(el: etree._Element, level: int) -> None:
    """Indent a header or standOff for reading."""
    etree.indent(el, space=" ", level=level)


def _serialise(el: etree._Element) -> str:
    """An element as XML text inside a TEI-namespaced parent: its own default-namespace declaration dropped."""
    data = etree.tostring(el, encoding="UTF-8", with_tail=False)
    return data.replace(_XMLNS, b"", 1).decode("utf-8")


def _refuse(doc: Document, authority: Authority | None) -> None:
    problems = check_document(doc, authority)
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise OutputError(f"refusing to write invalid TEI: {problems[0]}{more}", doc.id)


def _document_text(doc: Document, authority: Authority | None, inline: bool, in_corpus: bool,
                   writer_out: list) -> list[str]:
    """``<TEI>`` of one document as pieces of text to join; the writer is appended to ``writer_out`` (its
    pointers are then ready)."""
    _refuse(doc, authority)
    writer = DocumentWriter(doc, authority, inline, xml_name(doc.id) if in_corpus else "")
    writer_out.append(writer)
    body = writer.body_pieces()
    header = document_header(doc, declare=not in_corpus, kinds=writer.kinds)
    _indent(header, 1)
    lists = ""
    if not in_corpus:
        holder = etree.Element(T + "standOff", nsmap=NSMAP)
        entity_lists(holder, authority, (m.ref for m in doc.mentions if m.ref))
        if len(holder):
            _indent(holder, 1)
            lists = "".join("\n  " + _serialise(el) for el in holder)
    return ["<TEI>\n " if in_corpus else f'<TEI xmlns="{TEI_NS}">\n ', _serialise(header), "\n ", *body,
            *writer.stand_off_pieces(lists), "\n</TEI>"]


def _encode(text: str, doc_id: str, offset: int = 0) -> bytes:
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError as exc:  # a lone surrogate in a note or a value
        raise OutputError(f"cannot be written as XML: {exc.reason} at character {offset + exc.start}",
                          doc_id) from None


#: Pieces of text joined and encoded at a time (~1 MB of a book's TEI).
_CHUNK = 1 << 16


def _encode_pieces(pieces: list[str], doc_id: str) -> bytes:
    """The pieces as UTF-8, joined and encoded a chunk at a time: a book's whole TEI as one str (UCS-2 for
    Arabic: twice the bytes) before its encoding was the largest allocation of the writer."""
    out, offset = [], 0
    for k in range(0, len(pieces), _CHUNK):
        text = "".join(pieces[k:k + _CHUNK])
        out.append(_encode(text, doc_id, offset))
        offset += len(text)
    return b"".join(out)


def _check_strings(doc: Document) -> None:
    """A control character in a note, value, lemma or the metadata cannot be written: say so before writing."""
    # one string for all of them: a call of json.dumps per mention cost a twentieth of writing a book
    said = [[m.note, m.value, getattr(m, "history", None)] for m in doc.mentions
            if m.note or m.value is not None or getattr(m, "history", None)]
    if said:
        check_xml_chars("".join(n for n, _, _ in said if n) +
                        json.dumps([x[1:] for x in said], ensure_ascii=False, default=str), "a mention", doc.id)
    check_xml_chars(json.dumps(doc.meta, ensure_ascii=False, default=str), "the metadata", doc.id)


def document_bytes(doc: Document, authority: Authority | None = None, inline: bool = False) -> bytes:
    """A standalone TEI file for one document (:class:`OutputError` when it cannot be written valid)."""
    with gc_paused():  # checks included: their allocations set off collections that walk the whole document
        check_xml_chars(doc.text, "the text", doc.id)
        _check_strings(doc)
        return _encode_pieces([DECLARATION, *_document_text(doc, authority, inline, False, []), "\n"], doc.id)


def document_chunks(doc: Document, authority: Authority | None = None, inline: bool = False) -> Iterator[bytes]:
    """The TEI of one document as byte chunks (kept for callers that stream)."""
    yield document_bytes(doc, authority, inline)


def corpus_bytes(docs: Sequence[Document], authority: Authority | None = None, links: Sequence[Link] = (),
                 inline: bool = False, title: str | None = None) -> bytes:
    """``<teiCorpus>``: a shared header and standOff (entity lists, alignment links), then one ``<TEI>`` per
    document, whose ids take the document's prefix. The standOff comes first in the file but needs every
    document's pointers, so the documents are written first."""
    with gc_paused():
        return _corpus_bytes(docs, authority, links, inline, title)


def _corpus_bytes(docs: Sequence[Document], authority: Authority | None, links: Sequence[Link], inline: bool,
                  title: str | None) -> bytes:
    for d in docs:
        check_xml_chars(d.text, "the text", d.id)
        _check_strings(d)
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
    bodies: list[list[str]] = []
    writers: dict[str, DocumentWriter] = {}
    for d in docs:
        out: list[DocumentWriter] = []
        bodies.append(_document_text(d, authority, inline, True, out))
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
                el.set("corresp", "#" + xml_name(link.ref))
        if not len(grp):
            stand_off.remove(grp)
    parts = [DECLARATION, f'<teiCorpus xmlns="{TEI_NS}">\n ', _serialise(header)]
    if len(stand_off):
        _indent(stand_off, 1)
        parts += ["\n ", _serialise(stand_off)]
    for body in bodies:
        parts.append("\n ")
        parts += body
    parts.append("\n</teiCorpus>\n")
    return _encode_pieces(parts, "+".join(d.id for d in docs))


def corpus_chunks(docs: Sequence[Document], authority: Authority | None = None, links: Sequence[Link] = (),
                  inline: bool = False, title: str | None = None) -> Iterator[bytes]:
    yield corpus_bytes(docs, authority, links, inline, title)


def document_tree(doc: Document, authority: Authority | None = None, inline: bool = False) -> etree._Element:
    """The ``<TEI>`` element of one document (parsed from the serialised bytes)."""
    from .read import parse_bytes

    return parse_bytes(document_bytes(doc, authority, inline)).getroot()


def write_document(doc: Document, path: str | Path, authority: Authority | None = None,
                   inline: bool = False) -> None:
    write_atomic(path, document_bytes(doc, authority, inline))


def write_corpus(docs: Sequence[Document], path: str | Path, authority: Authority | None = None,
                 links: Sequence[Link] = (), inline: bool = False) -> None:
    write_atomic(path, corpus_bytes(docs, authority, links, inline))
