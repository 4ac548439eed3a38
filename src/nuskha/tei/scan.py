"""nuskha's own TEI read with its body scanned by regular expressions instead of walked as a tree.

A book's ``<body>`` is a million small elements; building them in libxml2 and visiting each from Python costs
several times the rest of the reading. The writer lays the body out in a handful of fixed shapes (``<p>`` holding
``<s>`` holding ``<w>``/``<pc>`` tokens and the text between them), so here:

* the body's bytes are cut out and everything else -- header and standOff -- is parsed by libxml2 as usual, with
  the body's newlines kept so that every line number in an error stays right;
* the body is scanned: the ``<p>``/``<s>`` tags by one expression, each sentence's tokens with the text after
  them by another (``findall``, so no Python runs per token);
* each distinct token markup without its id (a book has ~10 times fewer than tokens) is parsed once, all together,
  by libxml2 and read by the same code as the tree walk (:class:`.read._Body`), which checks it the same way;
* offsets, tokens and ids then come from C-level passes (``map``, ``accumulate``, ``zip``).

The scan accepts only what it fully understands and proves well-formed: ids that are names, attributes without
``&`` on ``<p>``/``<s>``, no comment, CDATA, processing instruction, raw carriage return, ``]]>`` or character XML
forbids, ``<p>``/``<s>`` nested as the writer nests them, every ``<`` of a sentence the start of a token. Anything
else raises :class:`NotScanned`, and the caller parses the whole file and walks the tree, which reads what the
scan would have read and gives the precise error when there is one (a document read either way is the same:
tests compare them). Hostile input never reaches here: :func:`.read.checked_payload` runs first.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import deque
from itertools import accumulate, compress, repeat
from operator import attrgetter, contains, itemgetter

from lxml import etree

from ..document import Lexeme, Span, Token
from ..errors import XMLError
from . import TEI_NS
from .read import (_PC, _W, XML_ID, TeiContent, _Body, _declares_lemma_default, _is_nuskha, _kind_names, _parser, _Reader,
                   _source_names, parse_payload)
from .write import SYNTHETIC

T = "{%s}" % TEI_NS


class NotScanned(Exception):
    """The file is not in the shape the scan reads: parse it whole."""


_NAME = r"[A-Za-z_][A-Za-z0-9_.-]*"
_BODY_OPEN = re.compile(rb'<body xml:id="(' + _NAME.encode() + rb')">')
#: ``<p ...>``, ``<s ...>``, ``</p>``, ``</s>`` (never ``<pc``, ``<seg``, ``</pc>``, ``</seg>``).
_STRUCTURE = re.compile(r'<(?:([ps])((?: [a-zA-Z:]+="[^"<>&]*+")*+)|/([ps]))>')
_ATTR = re.compile(r' ([a-zA-Z:]+)="([^"]*)"')
#: A token and the text after it -- (tag, id, the rest of its markup after the id, last inner tag, text after) --
#: or a stray ``<`` (6th group) that starts nothing the scan reads. The rest of the markup is the token's word
#: form as one string (one hash, one dict key). Possessive quantifiers: no backtracking on a bad file.
_TOKEN = re.compile(r'<(w|pc) xml:id="(' + _NAME + r')"((?: [a-zA-Z]+="[^"<>]*+")*+>'
                    r'(?:[^<]++|<(m|seg)(?: [a-zA-Z:]+="[^"<>]*+")*+>[^<]*+</\4>)*+</\1>)([^<]*+)|(<)')
#: What XML 1.0 forbids in a document, and a raw carriage return (the writer never writes one), as UTF-8: each
#: found by a memchr-fast substring test, several times faster than a regular expression over the body.
_BAD_BYTES = (*(bytes([c]) for c in (*range(0x09), *range(0x0b, 0x20))), "\ufffe".encode(), "\uffff".encode())
_LEX_OF, _TEXT_OF, _START_OF = attrgetter("lex"), attrgetter("text"), attrgetter("start")
_FIRST = itemgetter(0)
#: A word's content made of text and ``<m>`` segments only (their attribute values as the parser gives them).
_M_PART = re.compile(r'([^<]+)|<m type="([^"<&\t\n]+)"(?: baseForm="([^"<&\t\n]*)")?>([^<]*)</m>')
_M_WORD = re.compile(r'(?:[^<]+|<m type="[^"<&\t\n]+"(?: baseForm="[^"<&\t\n]*")?>[^<]*</m>)*')
_MENTIONS_OPEN, _MENTIONS_CLOSE = b'<listAnnotation type="mentions">', b"</listAnnotation>"
_VALUE = r'"([^"<&\t\n]*)"'  # an attribute value the parser gives unchanged (no reference, no whitespace to fold)
#: A standOff name mention as the writer writes it (no value, comment or history): xml:id, target, resp, cert,
#: the note's type, the element, its ref and its text. Dates, measures and anything else stay in the tree.
_NAME_MENTION = re.compile(
    r'<annotation xml:id="(m[1-9][0-9]*)" target=' + _VALUE + '(?: resp=' + _VALUE + ')?(?: cert=' + _VALUE + ')?>'
    r'<note type=' + _VALUE + r'><(persName|placeName|orgName|name)(?: ref=' + _VALUE + r')?>([^<&]*)</\6></note>'
    r'</annotation>')
_NORMALIZATIONS_OPEN, _SPANGRP_CLOSE = b'<spanGrp type="normalization">', b"</spanGrp>"
#: A normalisation span as the writer writes it: target, ana, orig, reg (anything else stays in the tree).
_NORM_SPAN = re.compile(r'<span target=' + _VALUE + ' ana=' + _VALUE + r'><choice><orig>([^<&]*)</orig>'
                        r'<reg>([^<&]*)</reg></choice></span>')


def scan_tei(payload: bytes, path: str) -> TeiContent:
    """The document of a single nuskha ``<TEI>`` (:class:`NotScanned` when the file is not one the scan reads)."""
    if payload.count(b"<body") != 1:
        raise NotScanned
    m = _BODY_OPEN.search(payload)
    end = payload.find(b"</body>", m.end()) if m else -1
    if end < 0:
        raise NotScanned
    raw = payload[m.end():end]
    try:
        body = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise NotScanned from None
    if any(c in raw for c in _BAD_BYTES) or "]]>" in body:
        raise NotScanned
    rest, scanned = _cut_name_mentions(payload[end:]) if m.group(1) == b"body" else (payload[end:], None)
    rest, changes = _cut_normalizations(rest) if m.group(1) == b"body" else (rest, None)
    try:
        tree = parse_payload(payload[:m.end()] + b"\n" * body.count("\n") + rest, path)
    except XMLError:
        raise NotScanned from None
    root = tree.getroot()
    text_el = root.find(T + "text")
    body_el = text_el.find(T + "body") if text_el is not None else None
    body_id = m.group(1).decode()
    if root.tag != T + "TEI" or not _is_nuskha(root) or body_el is None or len(body_el) or \
            body_el.get(XML_ID) != body_id:
        raise NotScanned
    reader = _Reader(root, path, _source_names(root), _kind_names(root), _declares_lemma_default(root))
    if scanned is not None:
        listed = root.findall(f"{T}standOff/{T}listAnnotation[@type='mentions']")
        if len(listed) != 1 or \
                sum(1 for _ in listed[0].iter(T + "annotation")) != len(listed[0].findall(T + "annotation")):
            raise NotScanned  # an annotation nested in another element: the tree reading decides what it is
        reader.scanned_mentions = scanned
    if changes is not None:
        if len(root.findall(f"{T}standOff/{T}spanGrp[@type='normalization']")) != 1 or \
                sum(1 for el in root.iter(T + "spanGrp") if el.get("type") == "normalization") != 1:
            raise NotScanned  # the cut group was not the standOff's one: the tree reading decides
        reader.scanned_changes = changes
    try:
        doc, _, _ = reader.read(lambda changes, stem_lemma: _scan_body(body, body_id, changes, stem_lemma, path))
    except XMLError:  # the tree walk names the element and its line
        raise NotScanned from None
    return TeiContent([doc])


def _only_region(tail: bytes, open_tag: bytes, close_tag: bytes) -> tuple[int, int, str] | None:
    """Where the content of the one element opened by ``open_tag`` starts and ends in ``tail``, and that content
    decoded; None when the tag is absent, repeated or unclosed (the tree reading then serves)."""
    a = tail.find(open_tag)
    if a < 0 or tail.count(open_tag) != 1:
        return None
    a += len(open_tag)
    b = tail.find(close_tag, a)
    if b < 0:
        return None
    try:
        return a, b, tail[a:b].decode("utf-8")
    except UnicodeDecodeError:
        raise NotScanned from None


def _cut_name_mentions(tail: bytes) -> tuple[bytes, list[tuple] | None]:
    """``tail`` (what follows ``</body>``) without the standOff name mentions, and those mentions' attributes
    and text: the most numerous standOff elements, read here instead of built by libxml2 and visited one by one.
    Only an element the expression fully matches, standing directly in the one mentions list (after its start
    tag or another annotation's end), is cut; whatever else the list holds stays for libxml2 and the tree."""
    bounds = _only_region(tail, _MENTIONS_OPEN, _MENTIONS_CLOSE)
    if bounds is None:
        return tail, None
    a, b, region = bounds
    if any(c in tail[a:b] for c in _BAD_BYTES) or any(c in region for c in ("]]>", "<!", "<?", "<listAnnotation")):
        raise NotScanned
    kept, scanned, pos = [], [], 0
    for found in _NAME_MENTION.finditer(region):
        gap = region[pos:found.start()]
        if gap and not gap.isspace():
            if not gap.rstrip().endswith("</annotation>"):
                raise NotScanned
            kept.append(gap)
        scanned.append(found.groups())
        pos = found.end()
    kept.append(region[pos:])
    return tail[:a] + "".join(kept).encode("utf-8") + tail[b:], scanned


def _cut_normalizations(tail: bytes) -> tuple[bytes, list[tuple[str, str, str, str]] | None]:
    """``tail`` without the spans of its normalisation group, and their (target, ana, orig, reg): ~10^4 elements
    of a book that libxml2 would build and Python visit one by one. All or nothing: when anything but such spans
    and whitespace stands in the group, it is left whole to libxml2 and the tree."""
    bounds = _only_region(tail, _NORMALIZATIONS_OPEN, _SPANGRP_CLOSE)
    if bounds is None:
        return tail, None
    a, b, region = bounds
    raw = tail[a:b]
    if any(c in raw for c in _BAD_BYTES) or any(c in region for c in ("]]>", "<!", "<?")):
        raise NotScanned
    found = _NORM_SPAN.findall(region)
    # every "<" of the region is one of the 8 tags of a span found: no other element stands in the group (text
    # between the spans is ignored, as the tree reading ignores it)
    if not found or region.count("<") != 8 * len(found):
        return tail, None
    return tail[:a] + tail[b:], found


def _segmented(head: str, inner: str, pc: bool) -> tuple:
    """The word-form key :meth:`.read._Body.word_children` makes of a token whose children are ``<m>`` only
    (``<m type="det">ال</m>كتاب``: a tenth of a book's forms), from its markup: its text, and its segments with
    the bare text as the stem."""
    attrs = tuple(_ATTR.findall(head))
    pieces: list[str] = []
    segs: list[tuple] = []
    bare = 0
    pos = 0
    for part in _M_PART.finditer(inner):
        plain, role, base, piece = part.groups()
        if plain is not None:
            if bare:
                raise NotScanned  # the stem in two pieces: the tree walk's error
            bare = (pos, pos + len(plain))
            piece = plain
        else:
            segs.append((pos, pos + len(piece), role, base))
        pieces.append(piece)
        pos += len(piece)
    if not pos or len({name for name, _ in attrs}) != len(attrs):
        raise NotScanned
    if bare:
        segs.append((*bare, "stem", None))
        segs.sort()
    return "".join(pieces), _PC if pc else _W, attrs, tuple(segs), ()


def _unescape(text: str) -> str:
    """Character data as the parser gives it (entity and character references resolved)."""
    if "&" not in text:
        return text
    try:
        return etree.fromstring(("<x>" + text + "</x>").encode("utf-8"), _parser()).text or ""
    except etree.XMLSyntaxError:
        raise NotScanned from None


def _attrs(raw: str) -> dict[str, str]:
    pairs = _ATTR.findall(raw)
    attrs = dict(pairs)
    if len(attrs) != len(pairs) or not attrs.keys() <= {"xml:id", "type"}:
        raise NotScanned
    return attrs


def _scan_body(body: str, body_id: str, changes: dict[str, tuple], stem_lemma: bool, path: str) -> _Body:
    """What :meth:`.read._Body.walk` makes of ``<body>``, from its text."""
    items: list[tuple] = []  # _TOKEN matches of every sentence, in order
    before: list[str] = []  # text before the first token
    after: dict[int, list[str]] = {}  # token index -> text after its own gap (between sentences, paragraphs)
    blocks: list[list] = []  # [tag, attributes, (token, chars after its end) at the start, ... at the end]
    open_blocks: list[int] = []
    last, delta = -1, 0  # the last token so far and the characters after its end

    def add_text(raw: str) -> None:
        nonlocal delta
        if "<" in raw:
            raise NotScanned
        text = _unescape(raw)
        (before if last < 0 else after.setdefault(last, [])).append(text)
        delta += len(text)

    pos = 0
    while True:
        a = body.find("<", pos)
        if a < 0:
            break
        ev = _STRUCTURE.match(body, a)
        if ev is None:
            raise NotScanned
        if a > pos:
            add_text(body[pos:a])
        opened, raw_attrs, closed = ev.groups()
        tags = [blocks[i][0] for i in open_blocks]
        if opened:
            if tags != (["p"] if opened == "s" else []):
                raise NotScanned
            open_blocks.append(len(blocks))
            blocks.append([opened, _attrs(raw_attrs), (last, delta), None])
        else:
            if not tags or tags[-1] != closed:
                raise NotScanned
            blocks[open_blocks.pop()][3] = (last, delta)
        pos = ev.end()
        if opened == "s":  # its tokens, up to the first "</s>": anything else in between is a stray "<"
            close = body.find("</s>", pos)
            first = body.find("<", pos, close)
            if close < 0 or first < 0:
                raise NotScanned  # a sentence without tokens: rare enough for the tree walk
            if first > pos:
                add_text(body[pos:first])
            found = _TOKEN.findall(body, first, close)
            items += found
            last += len(found)
            delta = len(_unescape(found[-1][4]))
            pos = close
    if open_blocks or not items:
        raise NotScanned
    if pos < len(body):
        add_text(body[pos:])
    _, ids, keys, _, gaps, strays = zip(*items)  # columns: C-level, no Python per token
    if any(strays):
        raise NotScanned
    del items
    gaps = list(gaps)

    # every distinct token markup (without its id) read once: a bare form (text only, plain attributes) here,
    # the others parsed together by libxml2 and read by the tree walk's own code; both end in _Body.lexeme
    walked = _Body(path, {}, stem_lemma)
    lex_of: dict[str, Lexeme] = {}
    markup, parsed = [], []
    nowhere = etree.Element("token")  # errors name no element: the tree walk reports them instead
    try:
        for key in dict.fromkeys(keys):
            head, _, rest = key.partition(">")
            if " part=" in head:  # inline-mode fragments
                raise NotScanned
            pc = rest.endswith("</pc>")
            if key.count("<") == 1 and "&" not in key and "\t" not in head and "\n" not in head:
                attrs = tuple(_ATTR.findall(head))
                text = rest[:-5 if pc else -4]
                if not text or len({name for name, _ in attrs}) != len(attrs):
                    raise NotScanned
                lex_of[key] = walked.lexeme((text, _PC if pc else _W, attrs, (), ()), nowhere)
            elif "&" not in key and "<seg" not in rest and "\t" not in head and "\n" not in head and \
                    _M_WORD.fullmatch(rest, 0, len(rest) - (5 if pc else 4)):
                lex_of[key] = walked.lexeme(_segmented(head, rest[:-5 if pc else -4], pc), nowhere)
            else:
                markup.append(f"<{'pc' if pc else 'w'}{key}")
                parsed.append(key)
        batch = etree.fromstring(f'<batch xmlns="{TEI_NS}">{"".join(markup)}</batch>'.encode("utf-8"), _parser())
        walked.walk(batch, 0)
    except (etree.XMLSyntaxError, XMLError):
        raise NotScanned from None
    if len(walked.tokens) != len(parsed):
        raise NotScanned
    lex_of.update(zip(parsed, map(_LEX_OF, walked.tokens)))
    lexes = list(map(lex_of.__getitem__, keys))
    n = len(keys)
    if "&" in "".join(gaps):
        gaps = list(map(_unescape, gaps))
    for k, texts in after.items():
        gaps[k] += "".join(texts)
    lead = "".join(before)
    lengths = [0] * (2 * n)
    lengths[0::2] = map(len, map(_TEXT_OF, lexes))
    lengths[1::2] = map(len, gaps)
    offsets = list(accumulate(lengths, initial=len(lead)))
    starts, ends = offsets[0:2 * n:2], offsets[1::2]
    pieces = [""] * (2 * n)
    pieces[0::2] = map(_TEXT_OF, lexes)
    pieces[1::2] = gaps
    text = lead + "".join(pieces)

    ids_of = dict(zip(ids, zip(starts, ends)))
    if len(ids_of) != n:
        raise NotScanned  # an id used twice
    # a token's normalisations make its lexeme, as in the tree walk: one new lexeme per (word form, changes),
    # found for the ~10^5 changed tokens by C-level passes (token index by id, then the pair as a dict key)
    changed_spans = list(map(ids_of.get, changes))
    if None in changed_spans:
        raise NotScanned
    # a token's index from its start: no token is empty, so the starts strictly increase
    where = list(map(bisect_left, repeat(starts, len(changed_spans)), map(_FIRST, changed_spans)))
    pairs = list(zip(map(id, map(lexes.__getitem__, where)), changes.values()))
    changed: dict[tuple, Lexeme] = {}
    for i, pair in zip(where, pairs):
        if pair not in changed:
            lex, change = lexes[i], pair[1]
            try:
                checked = walked.lexeme((lex.text, "", (), (), change), batch).changes
            except XMLError:
                raise NotScanned from None
            changed[pair] = Lexeme(lex.text, lex.kind, lex.norm, lex.lemma, lex.segments, checked)
    deque(map(lexes.__setitem__, where, map(changed.__getitem__, pairs)), 0)

    out = _Body(path, changes, stem_lemma)
    out.cache = walked.cache
    out.parts = [text]
    out.tokens = list(map(Token, starts, ends, lexes))
    out.token_ids = ids
    out.applied = len(changes)
    out.ids = ids_of
    if walked.ids:  # ids inside tokens a pointer cuts (<m xml:id="w5.m1">, <seg xml:id="w5.1">): once each
        form_starts = list(map(_START_OF, walked.tokens))
        inner: dict[int, list] = {}
        for xid, (s, e) in walked.ids.items():
            j = bisect_right(form_starts, s) - 1
            if s >= e or j < 0 or e > walked.tokens[j].end:
                raise NotScanned
            inner.setdefault(j, []).append((xid, s - form_starts[j], e - form_starts[j]))
        wanted = {parsed[j]: j for j in inner}
        where: dict[str, int] = {}
        for i in compress(range(n), map(contains, keys, repeat("xml:id"))):  # the few tokens with inner ids
            key = keys[i]
            if key in wanted:
                if key in where:
                    raise NotScanned
                where[key] = i
        for key, j in wanted.items():
            base = starts[where[key]]
            for xid, s, e in inner[j]:
                if xid in ids_of:
                    raise NotScanned
                ids_of[xid] = (base + s, base + e)

    def offset(anchor: tuple[int, int]) -> int:
        k, chars = anchor
        return (ends[k] if k >= 0 else 0) + chars

    for tag, attrs, opened, closed in blocks:
        start, end = offset(opened), offset(closed)
        if attrs.get("type") != SYNTHETIC:
            (out.sentences if tag == "s" else out.paragraphs).append(Span(start, end, tag))
        xid = attrs.get("xml:id")
        if xid is not None:
            if xid in ids_of:
                raise NotScanned
            ids_of[xid] = (start, end)
    if body_id in ids_of:
        raise NotScanned
    ids_of[body_id] = (0, len(text))
    return out
