"""The document model: one immutable original text and layers of character offsets into it.

A :class:`Document` owns the exact string read from disk. Everything derived from it -- tokens, sentences,
paragraphs, clitic/suffix segments, normalisation records, mentions, alignment links -- is a record of Python
string offsets (``start`` inclusive, ``end`` exclusive) into that string. Nothing is ever written back into it,
so ``doc.text[t.start:t.end]`` is always the token as written, and joining tokens and the gaps between them
gives the original back unchanged.

Per-type information (normal form, lemma, segments, normalisation changes) lives in a :class:`Lexeme` shared by
every occurrence of the same surface form, the way spaCy keeps lexical attributes in its vocabulary. A
:class:`Token` is then only its offsets plus a pointer to its lexeme, which keeps a 300k-token book cheap.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterator

# Token kinds.
WORD = "word"
NUMBER = "number"
PUNCT = "punct"
SYMBOL = "symbol"
ABBR = "abbr"

# Mention types (ANNOTATION.md).
MENTION_TYPES = ("person", "place", "group", "date", "troops")


@dataclass(frozen=True, slots=True)
class Segment:
    """A clitic or suffix piece of a word, as offsets RELATIVE to the start of its token.

    ``role`` says what the piece is (``conj``, ``prep``, ``det``, ``stem``, ``pron``, ``plural``, ``case``, ...);
    ``form`` is its underlying form when that differs from the written one (``لل`` → ``ل`` + ``ال``).
    """

    start: int
    end: int
    role: str
    form: str | None = None


@dataclass(frozen=True, slots=True)
class Change:
    """One normalisation step inside a token, relative to the token's start: ``orig`` became ``reg``."""

    start: int
    end: int
    orig: str
    reg: str
    kind: str


@dataclass(frozen=True, slots=True)
class Lexeme:
    """What is known about one surface form, shared by all its occurrences.

    ``norm`` is the match form (never shown as the text); ``changes`` list every edit that led from ``text`` to
    ``norm``; ``segments`` cut ``text`` into clitics/suffixes and stem.
    """

    text: str
    kind: str
    norm: str
    lemma: str
    segments: tuple[Segment, ...] = ()
    changes: tuple[Change, ...] = ()


@dataclass(slots=True)
class Token:
    """An occurrence of a lexeme at ``[start, end)`` of the document text.

    Not frozen only because frozen dataclasses construct three times slower and a book has 10^5-10^6 tokens;
    treat it as immutable.
    """

    start: int
    end: int
    lex: Lexeme

    @property
    def text(self) -> str:
        return self.lex.text

    @property
    def kind(self) -> str:
        return self.lex.kind

    @property
    def norm(self) -> str:
        return self.lex.norm

    @property
    def lemma(self) -> str:
        return self.lex.lemma

    def segments(self) -> list["Span"]:
        """The token's segments as absolute spans of the document text."""
        return [Span(self.start + s.start, self.start + s.end, s.role, s.form) for s in self.lex.segments]


@dataclass(frozen=True, slots=True)
class Span:
    """A labelled absolute span (segment, sentence, paragraph)."""

    start: int
    end: int
    label: str = ""
    form: str | None = None


@dataclass(frozen=True, slots=True)
class Correction:
    """A normalisation or correction record at absolute offsets: ``orig`` (as written) is read as ``reg``.

    ``kind`` is ``orthographic`` families (alef, teh_marbuta, diacritic, ...), ``homoglyph``, ``typo`` or
    ``spacing``. The original text is never edited: this record is the only trace of the reading.
    """

    start: int
    end: int
    orig: str
    reg: str
    kind: str


@dataclass(slots=True)
class Mention:
    """A person, place, group, date or troop figure at ``[start, end)`` (ANNOTATION.md)."""

    start: int
    end: int
    text: str
    type: str
    ref: str | None = None
    value: dict[str, Any] | None = None
    source: str = "rule"
    cert: float = 1.0
    note: str | None = None
    #: Who decided on this mention when ``source`` is ``"curation"`` (nuskha.curation), else None.
    editor: str | None = None
    #: What the machine had proposed before a human decision (type, ref, value, source, cert) and the actions
    #: taken; None for an untouched or a human-added mention with no machine past.
    history: dict[str, Any] | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "type": self.type,
            "ref": self.ref,
            "value": self.value,
            "source": self.source,
            "cert": self.cert,
        }
        if self.note:
            out["note"] = self.note
        if self.editor:
            out["editor"] = self.editor
        if self.history:
            out["history"] = self.history
        return out


@dataclass(frozen=True, slots=True)
class Link:
    """A cross-document alignment of mentions that denote the same entity."""

    ref: str
    score: float
    method: str
    mentions: tuple[tuple[str, int, int], ...]  # (document id, start, end)


@dataclass(slots=True)
class Document:
    """The single source of truth: ``text`` is the original, every layer indexes into it."""

    id: str
    lang: str
    text: str
    meta: dict[str, Any] = field(default_factory=dict)
    tokens: list[Token] = field(default_factory=list)
    sentences: list[Span] = field(default_factory=list)
    paragraphs: list[Span] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    corrections: list[Correction] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.tokens)

    def __iter__(self) -> Iterator[Token]:
        return iter(self.tokens)

    def normalizations(self) -> Iterator[Correction]:
        """Every normalisation change of every token, at absolute offsets, in text order."""
        for tok in self.tokens:
            for ch in tok.lex.changes:
                yield Correction(tok.start + ch.start, tok.start + ch.end, ch.orig, ch.reg, ch.kind)

    def mentions_of(self, *types: str) -> list[Mention]:
        """The mentions of the given types (``"person"``, ``"place"``, ``"group"``, ``"date"``, ``"troops"``), in
        text order; all mentions when no type is given. An unknown type raises ``ValueError``."""
        unknown = [t for t in types if t not in MENTION_TYPES]
        if unknown:
            raise ValueError(f"unknown mention type(s) {', '.join(unknown)} (known: {', '.join(MENTION_TYPES)})")
        wanted = set(types or MENTION_TYPES)
        return sorted((m for m in self.mentions if m.type in wanted), key=lambda m: (m.start, -m.end))

    def to_tei(self, authority: Any | None = None, inline: bool = False) -> str:
        """The document as a TEI P5 string (what ``nuskha build`` writes), entity lists from ``authority``
        (default: the packaged authority file with the project's records, :func:`nuskha.authority.load_authority`)."""
        from .authority import load_authority
        from .tei.write import document_bytes

        return document_bytes(self, authority if authority is not None else load_authority(), inline).decode("utf-8")

    def _repr_html_(self) -> str:
        """The annotated text for Jupyter (displaCy-like): mentions coloured by type, in the text's direction."""
        from .authority import load_authority
        from .errors import NuskhaError
        from .render.html import display_html

        try:
            authority = load_authority()
        except NuskhaError:  # a broken project authority file must not hide the text
            authority = None
        return display_html(self, authority=authority)

    def check(self) -> None:
        """Raise ``AssertionError`` if a layer breaks the offset invariants (used by tests and readers)."""
        text = self.text
        prev_end = 0
        for tok in self.tokens:
            assert prev_end <= tok.start < tok.end <= len(text), tok
            assert text[tok.start:tok.end] == tok.text, (tok, text[tok.start:tok.end])
            assert text[prev_end:tok.start].isspace() or prev_end == tok.start, (prev_end, tok)
            for seg in tok.lex.segments:
                assert 0 <= seg.start < seg.end <= len(tok.text), (tok, seg)
            prev_end = tok.end
        assert text[prev_end:].isspace() or prev_end == len(text)
        for m in self.mentions:
            assert 0 <= m.start < m.end <= len(text) and text[m.start:m.end] == m.text, m
